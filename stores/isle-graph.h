/* isle-graph.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <gio/gio.h>

#include "isle-types.h"

G_BEGIN_DECLS

#define ISLE_TYPE_GRAPH (isle_graph_get_type ())

G_DECLARE_FINAL_TYPE (IsleGraph, isle_graph, ISLE, GRAPH, GObject)

IsleGraph    *isle_graph_new                (void);
const char   *isle_graph_get_name           (IsleGraph     *self);
void          isle_graph_set_name           (IsleGraph     *self,
                                             const char    *name);
GMainContext *isle_graph_get_context        (IsleGraph     *self);
guint         isle_graph_get_n_nodes        (IsleGraph     *self);
guint         isle_graph_get_n_pending      (IsleGraph     *self);
void          isle_graph_flush              (IsleGraph     *self);
void          isle_graph_batch_begin        (IsleGraph     *self);
void          isle_graph_batch_end          (IsleGraph     *self);
void          isle_graph_batch              (IsleGraph     *self,
                                             IsleGraphFunc  func,
                                             gpointer       user_data);
void          isle_graph_untrack            (IsleGraph     *self,
                                             IsleGraphFunc  func,
                                             gpointer       user_data);
void          isle_graph_dispose_nodes      (IsleGraph     *self);
IsleState    *isle_graph_lookup_state       (IsleGraph     *self,
                                             const char    *name);
IsleDerived  *isle_graph_lookup_derived     (IsleGraph     *self,
                                             const char    *name);

G_END_DECLS
