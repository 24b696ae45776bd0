/* isle-computed.h
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

#define ISLE_TYPE_COMPUTED (isle_computed_get_type ())

G_DECLARE_FINAL_TYPE (IsleComputed, isle_computed, ISLE, COMPUTED, IsleStore)

/**
 * IsleComputeFunc:
 * @values: a tuple of the current values of the sources, in the order
 *   they were given
 * @user_data: (closure): the data given with the function
 *
 * Computes the value of an [class@Isle.Computed] from its sources.
 *
 * Returns: (transfer full) (nullable): the new value, of the computed
 *   store's type, or %NULL if the computation failed (the store keeps its
 *   value and the failure is reported)
 *
 * Since: 1.0
 */
typedef GVariant *(*IsleComputeFunc) (GVariant *values,
                                      gpointer  user_data);

IsleComputed *isle_computed_new         (const char         *name,
                                         const GVariantType *value_type,
                                         IsleStore         **sources,
                                         guint               n_sources,
                                         IsleComputeFunc     func,
                                         gpointer            user_data,
                                         GDestroyNotify      destroy);
gboolean      isle_computed_get_batched (IsleComputed       *self);
void          isle_computed_set_batched (IsleComputed       *self,
                                         gboolean            batched);

G_END_DECLS
