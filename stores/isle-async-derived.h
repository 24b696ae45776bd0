/* isle-async-derived.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <gio/gio.h>

#include "isle-graph.h"

G_BEGIN_DECLS

#define ISLE_TYPE_ASYNC_DERIVED (isle_async_derived_get_type ())

G_DECLARE_FINAL_TYPE (IsleAsyncDerived, isle_async_derived, ISLE, ASYNC_DERIVED, GObject)

/**
 * IsleAsyncDeriveFunc:
 * @self: the async derived
 * @task: (transfer none): the task of this run: complete it with
 *   g_task_return_value() (a value of the derived's type) or
 *   g_task_return_error(), now or later (keep a reference then), from any
 *   thread; its cancellable is cancelled when the run is superseded
 * @user_data: (closure): the data given with the function
 *
 * Starts a run of an [class@Isle.AsyncDerived]. The states and deriveds it
 * reads while it runs are its dependencies, as for an effect: when one of
 * them changes, a new run starts.
 *
 * Since: 1.0
 */
typedef void (*IsleAsyncDeriveFunc) (IsleAsyncDerived *self,
                                     GTask            *task,
                                     gpointer          user_data);

IsleAsyncDerived *isle_async_derived_new              (IsleGraph           *graph,
                                                       GType                value_type,
                                                       IsleAsyncDeriveFunc  func,
                                                       gpointer             user_data,
                                                       GDestroyNotify       destroy);
IsleDerived      *isle_async_derived_get_value_node   (IsleAsyncDerived    *self);
IsleDerived      *isle_async_derived_get_loading_node (IsleAsyncDerived    *self);
gboolean          isle_async_derived_get_loading      (IsleAsyncDerived    *self);
const GError     *isle_async_derived_get_error        (IsleAsyncDerived    *self);
guint             isle_async_derived_get_n_runs       (IsleAsyncDerived    *self);

G_END_DECLS
