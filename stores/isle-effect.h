/* isle-effect.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include "isle-graph.h"

G_BEGIN_DECLS

#define ISLE_TYPE_EFFECT (isle_effect_get_type ())

GType         isle_effect_get_type       (void) G_GNUC_CONST;

IsleEffect   *isle_effect_new            (IsleGraph       *graph,
                                          IsleEffectFunc   func,
                                          gpointer         user_data,
                                          GDestroyNotify   destroy);
IsleEffect   *isle_effect_new_closure    (IsleGraph       *graph,
                                          GClosure        *closure);
IsleEffect   *isle_effect_new_root       (IsleGraph       *graph,
                                          IsleEffectFunc   func,
                                          gpointer         user_data,
                                          GDestroyNotify   destroy);
IsleEffect   *isle_effect_new_root_closure (IsleGraph       *graph,
                                          GClosure        *closure);

IsleEffect   *isle_effect_ref            (IsleEffect      *self);
void          isle_effect_unref          (IsleEffect      *self);
void          isle_effect_dispose        (IsleEffect      *self);
gboolean      isle_effect_is_disposed    (IsleEffect      *self);
IsleGraph    *isle_effect_get_graph      (IsleEffect      *self);
const char   *isle_effect_get_name       (IsleEffect      *self);
void          isle_effect_set_name       (IsleEffect      *self,
                                          const char      *name);
const GError *isle_effect_get_error      (IsleEffect      *self);
guint         isle_effect_get_run_count  (IsleEffect      *self);
void          isle_effect_add_cleanup    (IsleEffect      *self,
                                          IsleCleanupFunc  func,
                                          gpointer         user_data,
                                          GDestroyNotify   destroy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsleEffect, isle_effect_unref)

G_END_DECLS
