/* isle-resource.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include "isle-store.h"

G_BEGIN_DECLS

#define ISLE_TYPE_RESOURCE (isle_resource_get_type ())

G_DECLARE_FINAL_TYPE (IsleResource, isle_resource, ISLE, RESOURCE, IsleStore)

/**
 * IsleResourceFunc:
 * @resource: the resource
 * @values: a tuple of the current values of the sources, in the order
 *   they were given
 * @task: (transfer none): the task of this run: complete it with
 *   [func@Isle.Resource.return_value] or g_task_return_error(), now or
 *   later (keep a reference then), from any thread; its cancellable is
 *   cancelled when the run is superseded
 * @user_data: (closure): the data given with the function
 *
 * Starts computing the value of an [class@Isle.Resource] from the values
 * of its sources, asynchronously.
 *
 * Since: 1.0
 */
typedef void (*IsleResourceFunc) (IsleResource *resource,
                                  GVariant     *values,
                                  GTask        *task,
                                  gpointer      user_data);

IsleResource *isle_resource_new          (const char         *name,
                                          const GVariantType *value_type,
                                          IsleStore         **sources,
                                          guint               n_sources,
                                          IsleResourceFunc    func,
                                          gpointer            user_data,
                                          GDestroyNotify      destroy);
gboolean      isle_resource_get_loading  (IsleResource       *self);
const GError *isle_resource_get_error    (IsleResource       *self);
guint         isle_resource_get_n_runs   (IsleResource       *self);
void          isle_resource_reload       (IsleResource       *self);

void          isle_resource_return_value (GTask              *task,
                                          GVariant           *value);

G_END_DECLS
