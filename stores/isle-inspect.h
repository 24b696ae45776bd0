/* isle-inspect.h: looking into graphs and stores (devtools)
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
#include "isle-state.h"
#include "isle-derived.h"
#include "isle-effect.h"
#include "isle-store.h"

G_BEGIN_DECLS

/**
 * IsleNodeType:
 * @ISLE_NODE_TYPE_STATE: a state ([struct@Isle.State])
 * @ISLE_NODE_TYPE_DERIVED: a derived ([struct@Isle.Derived])
 * @ISLE_NODE_TYPE_EFFECT: an effect ([struct@Isle.Effect])
 *
 * The kind of a node of a graph, as [class@Isle.NodeInfo] reports it.
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_NODE_TYPE_STATE,
  ISLE_NODE_TYPE_DERIVED,
  ISLE_NODE_TYPE_EFFECT,
} IsleNodeType;

/**
 * IsleInspectEventKind:
 * @ISLE_INSPECT_EVENT_NODE_CREATED: a state, derived or effect was created
 * @ISLE_INSPECT_EVENT_NODE_DISPOSED: a state, derived or effect was disposed
 * @ISLE_INSPECT_EVENT_STATE_CHANGED: a state was set to a different value
 * @ISLE_INSPECT_EVENT_DERIVED_CHANGED: a derived recomputed to a different value
 * @ISLE_INSPECT_EVENT_EFFECT_RAN: an effect runs (the event comes before its callback)
 * @ISLE_INSPECT_EVENT_STORE_CHANGED: a store's change is announced to its listeners
 * @ISLE_INSPECT_EVENT_STORE_STARTED: a store gained its first listener
 * @ISLE_INSPECT_EVENT_STORE_STOPPED: a store stopped, some time after it lost its last listener
 * @ISLE_INSPECT_EVENT_ERROR: a derived or effect failed (a callback's error,
 *   a cycle, a runaway effect)
 *
 * What an [class@Isle.InspectEvent] tells.
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_INSPECT_EVENT_NODE_CREATED,
  ISLE_INSPECT_EVENT_NODE_DISPOSED,
  ISLE_INSPECT_EVENT_STATE_CHANGED,
  ISLE_INSPECT_EVENT_DERIVED_CHANGED,
  ISLE_INSPECT_EVENT_EFFECT_RAN,
  ISLE_INSPECT_EVENT_STORE_CHANGED,
  ISLE_INSPECT_EVENT_STORE_STARTED,
  ISLE_INSPECT_EVENT_STORE_STOPPED,
  ISLE_INSPECT_EVENT_ERROR,
} IsleInspectEventKind;

#define ISLE_TYPE_NODE_TYPE (isle_node_type_get_type ())
#define ISLE_TYPE_INSPECT_EVENT_KIND (isle_inspect_event_kind_get_type ())

GType isle_node_type_get_type          (void) G_GNUC_CONST;
GType isle_inspect_event_kind_get_type (void) G_GNUC_CONST;

#define ISLE_TYPE_NODE_INFO (isle_node_info_get_type ())

G_DECLARE_FINAL_TYPE (IsleNodeInfo, isle_node_info, ISLE, NODE_INFO, GObject)

#define ISLE_TYPE_INSPECT_EVENT (isle_inspect_event_get_type ())

G_DECLARE_FINAL_TYPE (IsleInspectEvent, isle_inspect_event, ISLE, INSPECT_EVENT, GObject)

/**
 * IsleInspectFunc:
 * @event: what happened
 * @user_data: the data given to [func@Isle.inspect_add_observer]
 *
 * Hears one event of a graph or a store. It is called in the thread
 * where the event happened, while the engine is in the middle of its
 * work: it must not change a graph or a store (what it changes is not
 * reported to observers).
 *
 * Since: 1.0
 */
typedef void (*IsleInspectFunc) (IsleInspectEvent *event,
                                 gpointer          user_data);

guint                 isle_inspect_add_observer        (IsleInspectFunc   func,
                                                        gpointer          user_data,
                                                        GDestroyNotify    destroy);
void                  isle_inspect_remove_observer     (guint             handle);
gboolean              isle_inspect_is_tracing          (void);

GListModel           *isle_graph_inspect_nodes         (IsleGraph        *self);

IsleNodeInfo         *isle_node_info_new_for_state     (IsleState        *state);
IsleNodeInfo         *isle_node_info_new_for_derived   (IsleDerived      *derived);
IsleNodeInfo         *isle_node_info_new_for_effect    (IsleEffect       *effect);
guint64               isle_node_info_get_id            (IsleNodeInfo     *self);
IsleNodeType          isle_node_info_get_node_type     (IsleNodeInfo     *self);
const char           *isle_node_info_get_name          (IsleNodeInfo     *self);
const char           *isle_node_info_get_label         (IsleNodeInfo     *self);
const char           *isle_node_info_get_value_text    (IsleNodeInfo     *self);
gboolean              isle_node_info_get_stale         (IsleNodeInfo     *self);
guint64               isle_node_info_get_owner         (IsleNodeInfo     *self);
const guint64        *isle_node_info_get_dependencies  (IsleNodeInfo     *self,
                                                        guint            *n_ids);
const guint64        *isle_node_info_get_dependents    (IsleNodeInfo     *self,
                                                        guint            *n_ids);
guint                 isle_node_info_get_run_count     (IsleNodeInfo     *self);
const char           *isle_node_info_get_error         (IsleNodeInfo     *self);
const char * const   *isle_node_info_get_why           (IsleNodeInfo     *self);
char                 *isle_node_info_dup_why_text      (IsleNodeInfo     *self);

guint64               isle_inspect_event_get_sequence  (IsleInspectEvent *self);
IsleInspectEventKind  isle_inspect_event_get_kind      (IsleInspectEvent *self);
const char           *isle_inspect_event_get_graph_name (IsleInspectEvent *self);
IsleStore            *isle_inspect_event_get_store     (IsleInspectEvent *self);
guint64               isle_inspect_event_get_node_id   (IsleInspectEvent *self);
const char           *isle_inspect_event_get_name      (IsleInspectEvent *self);
const char           *isle_inspect_event_get_label     (IsleInspectEvent *self);
const char           *isle_inspect_event_get_old_value (IsleInspectEvent *self);
const char           *isle_inspect_event_get_new_value (IsleInspectEvent *self);
const char           *isle_inspect_event_get_message   (IsleInspectEvent *self);
const char * const   *isle_inspect_event_get_why       (IsleInspectEvent *self);
char                 *isle_inspect_event_to_string     (IsleInspectEvent *self);

G_END_DECLS
