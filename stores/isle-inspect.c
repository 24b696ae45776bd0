/* isle-inspect.c: looking into graphs and stores (devtools)
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What the engine does is seen through hooks it calls only while
 * _isle_inspect_active is non-zero: one predictable branch on each hot
 * path when nobody looks. The hooks keep, in a table beside the nodes
 * (nodes stay 64 bytes), what the why of a run needs: when each node last
 * changed and last ran, and the chain of changes that made it run. The
 * table is filled only while something observes (or with
 * ISLE_DEBUG=trace) and emptied when the last observer goes.
 *
 * A runaway effect is traced without any observer: its last allowed run
 * in a flush is probed (the writes it makes are noted), so that when it
 * comes back once more the report can name the loop, effect → state →
 * … → effect.
 */

#include "config.h"

#include <string.h>

#include "isle-node-private.h"
#include "isle-inspect.h"
#include "isle-inspect-private.h"

/* A why chain longer than this is cut (a real chain is a few links). */
#define MAX_WHY 64

int _isle_inspect_active;

static const char *kind_names[] = { "state", "derived", "effect" };

G_DEFINE_ENUM_TYPE (IsleNodeType, isle_node_type,
  G_DEFINE_ENUM_VALUE (ISLE_NODE_TYPE_STATE, "state"),
  G_DEFINE_ENUM_VALUE (ISLE_NODE_TYPE_DERIVED, "derived"),
  G_DEFINE_ENUM_VALUE (ISLE_NODE_TYPE_EFFECT, "effect"))

G_DEFINE_ENUM_TYPE (IsleInspectEventKind, isle_inspect_event_kind,
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_NODE_CREATED, "node-created"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_NODE_DISPOSED, "node-disposed"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_STATE_CHANGED, "state-changed"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_DERIVED_CHANGED, "derived-changed"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_EFFECT_RAN, "effect-ran"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_STORE_CHANGED, "store-changed"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_STORE_STARTED, "store-started"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_STORE_STOPPED, "store-stopped"),
  G_DEFINE_ENUM_VALUE (ISLE_INSPECT_EVENT_ERROR, "error"))

G_STATIC_ASSERT ((int) ISLE_NODE_TYPE_STATE == (int) ISLE_NODE_STATE);
G_STATIC_ASSERT ((int) ISLE_NODE_TYPE_DERIVED == (int) ISLE_NODE_DERIVED);
G_STATIC_ASSERT ((int) ISLE_NODE_TYPE_EFFECT == (int) ISLE_NODE_EFFECT);

/* Observers and the why table {{{ */

typedef struct
{
  gatomicrefcount  ref_count;
  guint            handle;
  gboolean         removed;     /* atomic */
  IsleInspectFunc  func;
  gpointer         user_data;
  GDestroyNotify   destroy;
} Observer;

/* What the why of a node's runs needs, kept only while observed. */
typedef struct
{
  guint64   changed;   /* the sequence number of its last change, 0 if none seen */
  guint64   ran;       /* of its last run */
  char     *change;    /* its last change, "old → new" */
  char    **why;       /* what made its last run: the cause first, the root last */
} Record;

static GMutex     inspect_lock;
static GPtrArray *observers;      /* Observer *, under the lock */
static guint      last_handle;
static guint      n_observers;    /* under the lock */
static gboolean   tracing_env;    /* ISLE_DEBUG=trace */
static GHashTable *records;       /* IsleNode * -> Record *, under the lock */
static guint64    sequence;       /* under the lock */

/* While a store's listener runs (observed): that change, as a why entry
 * (“store “cart”: 1 → 2”). A state the listener sets has it as its cause:
 * the chains of the runs it starts go back to the store. */
static __thread char *store_cause __attribute__ ((tls_model ("initial-exec")));

/* Events raised by an observer (or by the trace's own printing) on the
 * thread that delivers one are not delivered: no observer hears itself. */
static __thread gboolean delivering __attribute__ ((tls_model ("initial-exec")));

static void
observer_unref (Observer *observer)
{
  if (g_atomic_ref_count_dec (&observer->ref_count))
    {
      if (observer->destroy != NULL)
        observer->destroy (observer->user_data);
      g_free (observer);
    }
}

static void
record_free (gpointer data)
{
  Record *record = data;

  g_free (record->change);
  g_strfreev (record->why);
  g_free (record);
}

/* Whether events are wanted and the why is kept. Under the lock. */
static inline gboolean
observing_locked (void)
{
  return n_observers > 0 || tracing_env;
}

static gboolean
observing (void)
{
  gboolean result;

  g_mutex_lock (&inspect_lock);
  result = observing_locked ();
  g_mutex_unlock (&inspect_lock);

  return result;
}

static Record *
record_lookup_locked (IsleNode *node)
{
  return records != NULL ? g_hash_table_lookup (records, node) : NULL;
}

static Record *
record_ensure_locked (IsleNode *node)
{
  Record *record = record_lookup_locked (node);

  if (record != NULL)
    return record;

  if (records == NULL)
    records = g_hash_table_new_full (NULL, NULL, NULL, record_free);

  record = g_new0 (Record, 1);
  g_hash_table_insert (records, node, record);

  return record;
}

static void trace_cb (IsleInspectEvent *event,
                      gpointer          user_data);

/*
 * _isle_inspect_init:
 *
 * Reads ISLE_DEBUG once (the graph's and the store's class_init call
 * it): with “trace”, every event is printed, and the why is kept.
 */
void
_isle_inspect_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const GDebugKey keys[] = { { "trace", 1 } };

      if (g_parse_debug_string (g_getenv ("ISLE_DEBUG"), keys, G_N_ELEMENTS (keys)) != 0)
        {
          tracing_env = TRUE;
          g_atomic_int_inc (&_isle_inspect_active);
        }

      g_once_init_leave (&initialized, 1);
    }
}

/**
 * isle_inspect_add_observer:
 * @func: (scope notified) (closure user_data) (destroy destroy): called
 *   for every event
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the observer is removed
 *
 * Starts observing every graph and every store of the process: @func
 * hears each node created and disposed, each state, derived and store
 * that changes (from → to), each effect run with the dependency that
 * caused it, and each failure, in the order they happen, in the thread
 * where they happen.
 *
 * While an observer exists, the engine also keeps the why of every run
 * ([method@Isle.NodeInfo.get_why]). When nobody observes, none of this
 * costs more than one predictable branch on the engine's hot paths.
 *
 * ```c
 * static void
 * log_cb (IsleInspectEvent *event, gpointer user_data)
 * {
 *   g_autofree char *text = isle_inspect_event_to_string (event);
 *   g_print ("%s\n", text);
 * }
 *
 * guint handle = isle_inspect_add_observer (log_cb, NULL, NULL);
 * ```
 *
 * Returns: a handle for [func@Isle.inspect_remove_observer]
 *
 * Since: 1.0
 */
guint
isle_inspect_add_observer (IsleInspectFunc func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  Observer *observer;
  guint handle;

  g_return_val_if_fail (func != NULL, 0);

  _isle_inspect_init ();

  observer = g_new0 (Observer, 1);
  g_atomic_ref_count_init (&observer->ref_count);
  observer->func = func;
  observer->user_data = user_data;
  observer->destroy = destroy;

  g_mutex_lock (&inspect_lock);
  if (observers == NULL)
    observers = g_ptr_array_new ();
  handle = observer->handle = ++last_handle;
  g_ptr_array_add (observers, observer);
  n_observers++;
  g_mutex_unlock (&inspect_lock);

  g_atomic_int_inc (&_isle_inspect_active);

  return handle;
}

/**
 * isle_inspect_remove_observer:
 * @handle: what [func@Isle.inspect_add_observer] returned
 *
 * Stops an observer: it is not called again, even by an event being
 * delivered in another thread right now, and its data is freed. When the
 * last observer goes, the why of every node is forgotten.
 *
 * Since: 1.0
 */
void
isle_inspect_remove_observer (guint handle)
{
  Observer *observer = NULL;

  g_return_if_fail (handle != 0);

  g_mutex_lock (&inspect_lock);
  for (guint i = 0; observers != NULL && i < observers->len; i++)
    {
      Observer *candidate = g_ptr_array_index (observers, i);

      if (candidate->handle == handle)
        {
          observer = candidate;
          g_ptr_array_remove_index (observers, i);
          n_observers--;
          break;
        }
    }

  if (observer != NULL && !observing_locked ())
    g_clear_pointer (&records, g_hash_table_unref);
  g_mutex_unlock (&inspect_lock);

  if (observer == NULL)
    {
      g_critical ("%s: no observer has the handle %u", G_STRFUNC, handle);
      return;
    }

  g_atomic_int_set (&observer->removed, TRUE);
  g_atomic_int_dec_and_test (&_isle_inspect_active);
  observer_unref (observer);
}

/**
 * isle_inspect_is_tracing:
 *
 * Whether the engine keeps the why of each run right now: while an
 * observer exists ([func@Isle.inspect_add_observer]), or always with
 * `ISLE_DEBUG=trace` in the environment, which also prints every event.
 *
 * Returns: whether runs are traced
 *
 * Since: 1.0
 */
gboolean
isle_inspect_is_tracing (void)
{
  _isle_inspect_init ();

  return observing ();
}

/* }}} */

/* Labels and values {{{ */

static char *
dup_bare_label (IsleNode *node)
{
  const char *name = _isle_node_get_name (node);

  if (name != NULL)
    return g_strdup_printf ("%s “%s”", kind_names[node->kind], name);

  return g_strdup_printf ("unnamed %s", kind_names[node->kind]);
}

/* Values longer than this are cut, with an ellipsis: a log line stays a
 * line. */
#define MAX_VALUE_TEXT 200

static char *
cut_text (char *text)
{
  if (g_utf8_strlen (text, -1) > MAX_VALUE_TEXT)
    {
      char *end = g_utf8_offset_to_pointer (text, MAX_VALUE_TEXT);
      char *cut = g_strdup_printf ("%.*s…", (int) (end - text), text);

      g_free (text);
      return cut;
    }

  return text;
}

static char *
dup_value_text (const GValue *value)
{
  if (value == NULL || G_VALUE_TYPE (value) == G_TYPE_INVALID)
    return g_strdup ("(none)");

  /* GLib's contents of a GVariant are “???”: its text form says more. */
  if (G_VALUE_HOLDS_VARIANT (value))
    {
      GVariant *variant = g_value_get_variant (value);

      return variant != NULL ? cut_text (g_variant_print (variant, FALSE)) : g_strdup ("NULL");
    }

  return cut_text (g_strdup_value_contents (value));
}

static char *
dup_variant_text (GVariant *value)
{
  return value != NULL ? cut_text (g_variant_print (value, FALSE)) : g_strdup ("(none)");
}

/* }}} */

/* IsleInspectEvent {{{ */

/**
 * IsleInspectEvent:
 *
 * One thing that happened in a graph or a store, as an observer
 * ([func@Isle.inspect_add_observer]) hears it: a node created or
 * disposed, a change from → to, an effect run and why, a failure.
 *
 * Events are numbered in the order they happened
 * ([method@Isle.InspectEvent.get_sequence]). An event holds text, not the
 * nodes themselves: it can be kept (in a log) after its graph is gone.
 *
 * Since: 1.0
 */
struct _IsleInspectEvent
{
  GObject               parent_instance;

  guint64               sequence;
  IsleInspectEventKind  kind;
  IsleNodeType          node_type;
  guint64               node_id;
  char                 *graph_name;
  IsleStore            *store;
  char                 *name;
  char                 *label;
  char                 *old_value;
  char                 *new_value;
  char                 *message;
  char                **why;
};

G_DEFINE_FINAL_TYPE (IsleInspectEvent, isle_inspect_event, G_TYPE_OBJECT)

static void
isle_inspect_event_finalize (GObject *object)
{
  IsleInspectEvent *self = ISLE_INSPECT_EVENT (object);

  g_clear_object (&self->store);
  g_free (self->graph_name);
  g_free (self->name);
  g_free (self->label);
  g_free (self->old_value);
  g_free (self->new_value);
  g_free (self->message);
  g_strfreev (self->why);

  G_OBJECT_CLASS (isle_inspect_event_parent_class)->finalize (object);
}

static void
isle_inspect_event_class_init (IsleInspectEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = isle_inspect_event_finalize;
}

static void
isle_inspect_event_init (IsleInspectEvent *self)
{
}

static IsleInspectEvent *
event_new_for_node (IsleInspectEventKind  kind,
                    IsleNode             *node)
{
  IsleInspectEvent *self = g_object_new (ISLE_TYPE_INSPECT_EVENT, NULL);
  IsleGraph *graph = node->graph;

  self->kind = kind;
  self->node_type = (IsleNodeType) node->kind;
  self->node_id = (guint64) (guintptr) node;
  self->name = g_strdup (_isle_node_get_name (node));
  self->label = _isle_node_dup_label (node);
  if (graph != NULL)
    self->graph_name = g_strdup (isle_graph_get_name (graph));

  return self;
}

/* Numbers @event and hands it to every observer, and to the trace. */
static void
event_deliver (IsleInspectEvent *event)
{
  g_autoptr(GPtrArray) targets = NULL;

  if (delivering)
    {
      g_object_unref (event);
      return;
    }

  g_mutex_lock (&inspect_lock);
  event->sequence = ++sequence;
  if (observers != NULL && observers->len > 0)
    {
      targets = g_ptr_array_new_full (observers->len, (GDestroyNotify) observer_unref);
      for (guint i = 0; i < observers->len; i++)
        {
          Observer *observer = g_ptr_array_index (observers, i);

          g_atomic_ref_count_inc (&observer->ref_count);
          g_ptr_array_add (targets, observer);
        }
    }
  g_mutex_unlock (&inspect_lock);

  delivering = TRUE;
  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      Observer *observer = g_ptr_array_index (targets, i);

      if (!g_atomic_int_get (&observer->removed))
        observer->func (event, observer->user_data);
    }
  if (tracing_env)
    trace_cb (event, NULL);
  delivering = FALSE;

  g_clear_pointer (&targets, g_ptr_array_unref);
  g_object_unref (event);
}

/**
 * isle_inspect_event_get_sequence:
 * @self: an event
 *
 * Gets the number of the event.
 *
 * Returns: its number: events are numbered from 1 in the order they
 *   happened, across every graph and store of the process
 *
 * Since: 1.0
 */
guint64
isle_inspect_event_get_sequence (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), 0);

  return self->sequence;
}

/**
 * isle_inspect_event_get_kind:
 * @self: an event
 *
 * Gets what the event tells.
 *
 * Returns: what happened
 *
 * Since: 1.0
 */
IsleInspectEventKind
isle_inspect_event_get_kind (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), 0);

  return self->kind;
}

/**
 * isle_inspect_event_get_graph_name:
 * @self: an event
 *
 * Gets the name of the graph the event happened in.
 *
 * Returns: (nullable): the name of the graph of the node it is about, if
 *   it is about a node of a named graph
 *
 * Since: 1.0
 */
const char *
isle_inspect_event_get_graph_name (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->graph_name;
}

/**
 * isle_inspect_event_get_store:
 * @self: an event
 *
 * Gets the store the event is about.
 *
 * Returns: (nullable) (transfer none): the store it is about, if it is
 *   about a store
 *
 * Since: 1.0
 */
IsleStore *
isle_inspect_event_get_store (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->store;
}

/**
 * isle_inspect_event_get_node_id:
 * @self: an event
 *
 * Gets the node the event is about.
 *
 * Returns: the node it is about, as [method@Isle.NodeInfo.get_id] names
 *   it, or 0 for an event of a store
 *
 * Since: 1.0
 */
guint64
isle_inspect_event_get_node_id (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), 0);

  return self->node_id;
}

/**
 * isle_inspect_event_get_name:
 * @self: an event
 *
 * Gets the name of what the event is about.
 *
 * Returns: (nullable): the name of the node or store it is about, if it
 *   has one
 *
 * Since: 1.0
 */
const char *
isle_inspect_event_get_name (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->name;
}

/**
 * isle_inspect_event_get_label:
 * @self: an event
 *
 * Gets the label of what the event is about.
 *
 * Returns: the node or store it is about, for people: “derived “total” in
 *   graph “cart””
 *
 * Since: 1.0
 */
const char *
isle_inspect_event_get_label (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->label;
}

/**
 * isle_inspect_event_get_old_value:
 * @self: an event
 *
 * Gets the value before a change.
 *
 * Returns: (nullable): for a change, the value before it, as text
 *
 * Since: 1.0
 */
const char *
isle_inspect_event_get_old_value (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->old_value;
}

/**
 * isle_inspect_event_get_new_value:
 * @self: an event
 *
 * Gets the value after a change.
 *
 * Returns: (nullable): for a change, the new value, as text
 *
 * Since: 1.0
 */
const char *
isle_inspect_event_get_new_value (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->new_value;
}

/**
 * isle_inspect_event_get_message:
 * @self: an event
 *
 * Gets the message of a failure.
 *
 * Returns: (nullable): for an error, its message
 *
 * Since: 1.0
 */
const char *
isle_inspect_event_get_message (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return self->message;
}

/**
 * isle_inspect_event_get_why:
 * @self: an event
 *
 * The why of an effect's run or a derived's change: the dependency whose
 * change caused it first, then what caused that one's change, and so on
 * back to the state that was set, each with its change, e.g.
 * `derived “double”: 2 → 4`, `state “count”: 1 → 2`.
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   chain, or %NULL for a first run, an event of another kind, or a
 *   cause that changed before anyone observed
 *
 * Since: 1.0
 */
const char * const *
isle_inspect_event_get_why (IsleInspectEvent *self)
{
  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  return (const char * const *) self->why;
}

static char *
dup_why_text (char **why)
{
  if (why == NULL || why[0] == NULL)
    return NULL;

  return g_strjoinv (" ← ", why);
}

/**
 * isle_inspect_event_to_string:
 * @self: an event
 *
 * Says what happened in one line, as `ISLE_DEBUG=trace` prints it:
 * `effect “log” in graph “demo” runs because derived “double”: 2 → 4 ←
 * state “count”: 1 → 2`.
 *
 * Returns: (transfer full): the text
 *
 * Since: 1.0
 */
char *
isle_inspect_event_to_string (IsleInspectEvent *self)
{
  g_autofree char *why = NULL;

  g_return_val_if_fail (ISLE_IS_INSPECT_EVENT (self), NULL);

  why = dup_why_text (self->why);

  switch (self->kind)
    {
    case ISLE_INSPECT_EVENT_NODE_CREATED:
      return g_strdup_printf ("created %s", self->label);

    case ISLE_INSPECT_EVENT_NODE_DISPOSED:
      return g_strdup_printf ("disposed %s", self->label);

    case ISLE_INSPECT_EVENT_STATE_CHANGED:
    case ISLE_INSPECT_EVENT_STORE_CHANGED:
      return g_strdup_printf ("%s: %s → %s", self->label, self->old_value, self->new_value);

    case ISLE_INSPECT_EVENT_DERIVED_CHANGED:
      if (why != NULL)
        return g_strdup_printf ("%s: %s → %s, because %s", self->label,
                                self->old_value, self->new_value, why);
      return g_strdup_printf ("%s: %s → %s", self->label, self->old_value, self->new_value);

    case ISLE_INSPECT_EVENT_EFFECT_RAN:
      if (why != NULL)
        return g_strdup_printf ("%s runs because %s", self->label, why);
      return g_strdup_printf ("%s runs%s", self->label,
                              self->message != NULL ? self->message : "");

    case ISLE_INSPECT_EVENT_STORE_STARTED:
      return g_strdup_printf ("%s started", self->label);

    case ISLE_INSPECT_EVENT_STORE_STOPPED:
      return g_strdup_printf ("%s stopped", self->label);

    case ISLE_INSPECT_EVENT_ERROR:
    default:
      return g_strdup_printf ("%s failed: %s", self->label,
                              self->message != NULL ? self->message : "");
    }
}

static void
trace_cb (IsleInspectEvent *event,
          gpointer          user_data)
{
  g_autofree char *text = isle_inspect_event_to_string (event);
  g_autofree char *sequence_text = g_strdup_printf ("%" G_GUINT64_FORMAT, event->sequence);
  GEnumClass *klass = g_type_class_ref (ISLE_TYPE_INSPECT_EVENT_KIND);
  GEnumValue *value = g_enum_get_value (klass, event->kind);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "ISLE_EVENT", value != NULL ? value->value_nick : "?",
                    "ISLE_SEQUENCE", sequence_text,
                    "MESSAGE", "trace: %s", text);

  g_type_class_unref (klass);
}

/* }}} */

/* The engine's hooks {{{ */

void
_isle_inspect_node_created (IsleNode *node)
{
  if (!observing ())
    return;

  event_deliver (event_new_for_node (ISLE_INSPECT_EVENT_NODE_CREATED, node));
}

void
_isle_inspect_node_disposed (IsleNode *node)
{
  gboolean wanted;

  g_mutex_lock (&inspect_lock);
  if (records != NULL)
    g_hash_table_remove (records, node);
  wanted = observing_locked ();
  g_mutex_unlock (&inspect_lock);

  if (wanted)
    event_deliver (event_new_for_node (ISLE_INSPECT_EVENT_NODE_DISPOSED, node));
}

/* The writes of the runaway probe: (effect, state) pairs of one flush of
 * one graph, in this thread (a graph belongs to one thread). */
typedef struct
{
  IsleNode *writer;
  IsleNode *written;
} ProbeWrite;

static __thread IsleComputation *probing      __attribute__ ((tls_model ("initial-exec")));
static __thread GArray          *probe_writes __attribute__ ((tls_model ("initial-exec")));
static __thread guint            probe_graph  __attribute__ ((tls_model ("initial-exec"))); /* its serial */
static __thread guint            probe_flush  __attribute__ ((tls_model ("initial-exec")));

static char **
strv_prepend (char       *first,
              char      **rest)
{
  guint n = rest != NULL ? g_strv_length (rest) : 0;
  char **result;

  n = MIN (n, MAX_WHY - 1);
  result = g_new0 (char *, n + 2);
  result[0] = first;
  for (guint i = 0; i < n; i++)
    result[i + 1] = g_strdup (rest[i]);

  return result;
}

void
_isle_inspect_value_changed (IsleNode     *node,
                             const GValue *old_value,
                             const GValue *new_value)
{
  IsleInspectEvent *event;
  Record *record;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (G_UNLIKELY (probing != NULL) && node->kind == ISLE_NODE_STATE)
    {
      ProbeWrite write = { &probing->node, node };

      g_array_append_val (probe_writes, write);
    }

  if (!observing ())
    return;

  old_text = node->kind == ISLE_NODE_STATE || (node->flags & ISLE_NODE_HAS_VALUE)
             ? dup_value_text (old_value) : g_strdup ("(none)");
  new_text = dup_value_text (new_value);

  event = event_new_for_node (node->kind == ISLE_NODE_STATE ? ISLE_INSPECT_EVENT_STATE_CHANGED
                                                            : ISLE_INSPECT_EVENT_DERIVED_CHANGED,
                              node);

  g_mutex_lock (&inspect_lock);
  record = record_ensure_locked (node);
  record->changed = ++sequence;
  g_free (record->change);
  record->change = g_strdup_printf ("%s → %s", old_text, new_text);
  /* A state was set: the root of the chains it starts. A derived
   * changed for the reason its run found. */
  if (node->kind == ISLE_NODE_STATE)
    {
      g_clear_pointer (&record->why, g_strfreev);
      if (store_cause != NULL)
        {
          record->why = strv_prepend (g_strdup (store_cause), NULL);
          event->why = g_strdupv (record->why);
        }
    }
  else
    {
      event->why = g_strdupv (record->why);
    }
  g_mutex_unlock (&inspect_lock);

  event->old_value = g_steal_pointer (&old_text);
  event->new_value = g_steal_pointer (&new_text);
  event_deliver (event);
}

/*
 * _isle_inspect_will_run:
 *
 * @computation, a derived or an effect, is about to run: finds which of
 * its dependencies (those of its last run) changed since that run, and
 * keeps the chain from it back to the state that was set. For an effect,
 * tells the observers.
 */
void
_isle_inspect_will_run (IsleComputation *computation)
{
  IsleNode *node = &computation->node;
  IsleInspectEvent *event = NULL;
  gboolean first_run;
  Record *record;

  if (!observing ())
    return;

  if (node->kind == ISLE_NODE_EFFECT)
    event = event_new_for_node (ISLE_INSPECT_EVENT_EFFECT_RAN, node);

  g_mutex_lock (&inspect_lock);
  record = record_ensure_locked (node);
  first_run = computation->deps == NULL &&
              (node->kind == ISLE_NODE_EFFECT ? node->effect.run_count == 0
                                              : !(node->flags & ISLE_NODE_HAS_VALUE));
  g_clear_pointer (&record->why, g_strfreev);

  for (IsleLink *link = computation->deps; link != NULL; link = link->next_dep)
    {
      Record *dep = record_lookup_locked (link->dep);

      if (dep != NULL && dep->changed > record->ran)
        {
          g_autofree char *label = dup_bare_label (link->dep);
          char *entry = dep->change != NULL ? g_strdup_printf ("%s: %s", label, dep->change)
                                            : g_steal_pointer (&label);

          record->why = strv_prepend (entry, dep->why);
          break;
        }
    }
  record->ran = ++sequence;

  if (event != NULL)
    {
      event->why = g_strdupv (record->why);
      if (record->why == NULL)
        event->message = g_strdup (first_run ? " for the first time"
                                             : " (its cause changed before it was observed)");
    }
  g_mutex_unlock (&inspect_lock);

  if (event != NULL)
    event_deliver (event);
}

void
_isle_inspect_node_failed (IsleNode     *node,
                           const GError *error)
{
  IsleInspectEvent *event;

  if (!observing ())
    return;

  event = event_new_for_node (ISLE_INSPECT_EVENT_ERROR, node);
  event->message = g_strdup (error->message);
  event_deliver (event);
}

/* }}} */

/* The runaway probe {{{ */

/*
 * _isle_inspect_probe_begin:
 *
 * @effect is about to make the last run a flush allows it: the states it
 * writes meanwhile are noted, so that if it comes back, the report can
 * name the loop.
 */
void
_isle_inspect_probe_begin (IsleComputation *effect)
{
  IsleGraph *graph = effect->node.graph;

  if (probe_writes == NULL)
    probe_writes = g_array_new (FALSE, FALSE, sizeof (ProbeWrite));

  /* The notes of an earlier flush (or graph, even a freed one at the same
   * address) are stale. */
  if (probe_graph != graph->serial || probe_flush != graph->flush_id)
    {
      g_array_set_size (probe_writes, 0);
      probe_graph = graph->serial;
      probe_flush = graph->flush_id;
    }

  probing = effect;
  g_atomic_int_inc (&_isle_inspect_active);
}

void
_isle_inspect_probe_end (IsleComputation *effect)
{
  g_assert (probing == effect);

  probing = NULL;
  g_atomic_int_dec_and_test (&_isle_inspect_active);
}

/* Whether @node may still be walked: within one flush, nodes are freed
 * only when it ends, so a disposed one is still there to be seen. */
static inline gboolean
walkable (IsleNode *node,
          IsleGraph *graph)
{
  return node->graph == graph && !(node->flags & ISLE_NODE_DISPOSED);
}

/*
 * _isle_inspect_dup_loop:
 *
 * Names the loop that brought @effect back past its bound: a shortest
 * path from @effect to itself through the states that effects wrote in
 * their probed runs and, from each state or derived, its subscribers.
 * Returns %NULL when none is found.
 */
char *
_isle_inspect_dup_loop (IsleComputation *effect)
{
  IsleNode *start = &effect->node;
  IsleGraph *graph = start->graph;
  g_autoptr(GHashTable) parents = NULL;
  g_autoptr(GQueue) queue = NULL;
  g_autoptr(GPtrArray) path = NULL;
  g_autoptr(GString) text = NULL;
  IsleNode *found = NULL;

  if (probe_writes == NULL || probe_graph != graph->serial || probe_flush != graph->flush_id)
    return NULL;

  parents = g_hash_table_new (NULL, NULL);
  queue = g_queue_new ();
  g_queue_push_tail (queue, start);

  while (found == NULL && !g_queue_is_empty (queue))
    {
      IsleNode *node = g_queue_pop_head (queue);
      g_autoptr(GPtrArray) next = g_ptr_array_new ();

      if (node->kind == ISLE_NODE_EFFECT)
        {
          for (guint i = 0; i < probe_writes->len; i++)
            {
              ProbeWrite *write = &g_array_index (probe_writes, ProbeWrite, i);

              if (write->writer == node && walkable (write->written, graph))
                g_ptr_array_add (next, write->written);
            }
        }
      else
        {
          for (IsleLink *link = node->subs; link != NULL; link = link->next_sub)
            g_ptr_array_add (next, link->sub);
        }

      for (guint i = 0; i < next->len; i++)
        {
          IsleNode *to = g_ptr_array_index (next, i);

          if (to == start)
            {
              g_hash_table_insert (parents, start, node);
              found = start;
              break;
            }
          if (g_hash_table_contains (parents, to) || !walkable (to, graph))
            continue;
          g_hash_table_insert (parents, to, node);
          g_queue_push_tail (queue, to);
        }
    }

  if (found == NULL)
    return NULL;

  path = g_ptr_array_new ();
  for (IsleNode *node = g_hash_table_lookup (parents, start);
       node != start;
       node = g_hash_table_lookup (parents, node))
    g_ptr_array_insert (path, 0, node);

  text = g_string_new (NULL);
  {
    g_autofree char *label = dup_bare_label (start);

    g_string_append (text, label);
  }
  for (guint i = 0; i < path->len; i++)
    {
      g_autofree char *label = dup_bare_label (g_ptr_array_index (path, i));

      g_string_append_printf (text, " → %s", label);
    }
  {
    g_autofree char *label = dup_bare_label (start);

    g_string_append_printf (text, " → %s", label);
  }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* }}} */

/* The stores' hooks {{{ */

static IsleInspectEvent *
event_new_for_store (IsleInspectEventKind  kind,
                     IsleStore            *store)
{
  IsleInspectEvent *self = g_object_new (ISLE_TYPE_INSPECT_EVENT, NULL);
  const char *name = isle_store_get_name (store);

  self->kind = kind;
  self->store = g_object_ref (store);
  self->name = g_strdup (name);
  self->label = name != NULL ? g_strdup_printf ("store “%s”", name)
                             : g_strdup_printf ("unnamed %s", G_OBJECT_TYPE_NAME (store));

  return self;
}

void
_isle_inspect_store_changed (IsleStore *store,
                             GVariant  *old_value,
                             GVariant  *new_value)
{
  IsleInspectEvent *event;

  if (!observing ())
    return;

  event = event_new_for_store (ISLE_INSPECT_EVENT_STORE_CHANGED, store);
  event->old_value = dup_variant_text (old_value);
  event->new_value = dup_variant_text (new_value);
  event_deliver (event);
}

/*
 * _isle_inspect_cause_push:
 *
 * A listener of @store is about to hear a change (of @key of a map, if
 * not %NULL): until _isle_inspect_cause_pop(), the states it sets were
 * set because of it.
 * Returns the cause it replaces (listeners nest: a listener may set a
 * store whose listeners run at once).
 */
char *
_isle_inspect_cause_push (IsleStore  *store,
                          const char *key,
                          GVariant   *old_value,
                          GVariant   *new_value)
{
  char *prev = store_cause;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *subject = NULL;
  const char *name;

  if (!observing ())
    {
      store_cause = NULL;
      return prev;
    }

  old_text = dup_variant_text (old_value);
  new_text = dup_variant_text (new_value);
  name = isle_store_get_name (store);
  subject = name != NULL ? g_strdup_printf ("store “%s”", name)
                         : g_strdup_printf ("unnamed %s", G_OBJECT_TYPE_NAME (store));
  store_cause = key != NULL ? g_strdup_printf ("%s, key “%s”: %s → %s", subject, key, old_text, new_text)
                            : g_strdup_printf ("%s: %s → %s", subject, old_text, new_text);

  return prev;
}

void
_isle_inspect_cause_pop (char *prev_cause)
{
  g_free (store_cause);
  store_cause = prev_cause;
}

void
_isle_inspect_store_lifecycle (IsleStore *store,
                               gboolean   started)
{
  if (!observing ())
    return;

  event_deliver (event_new_for_store (started ? ISLE_INSPECT_EVENT_STORE_STARTED
                                              : ISLE_INSPECT_EVENT_STORE_STOPPED,
                                      store));
}

/* }}} */

/* IsleNodeInfo {{{ */

/**
 * IsleNodeInfo:
 *
 * A snapshot of one state, derived or effect of a graph, for devtools:
 * its kind, name and value (as text), the node that owns it, the nodes it
 * depends on and those that depend on it, and, while runs are traced
 * ([func@Isle.inspect_is_tracing]), why it last ran.
 *
 * [method@Isle.Graph.inspect_nodes] lists every node of a graph this way.
 * Nodes are named by numbers ([method@Isle.NodeInfo.get_id]) that stay
 * the same while the node lives, so the dependency lists of one snapshot
 * lead to the other nodes of it.
 *
 * A snapshot does not compute anything: a derived whose dependencies
 * changed since it last ran shows its last value and says it is stale.
 *
 * Since: 1.0
 */
struct _IsleNodeInfo
{
  GObject       parent_instance;

  guint64       id;
  IsleNodeType  node_type;
  char         *name;
  char         *label;
  char         *value_text;
  gboolean      stale;
  guint64       owner;
  GArray       *dependencies;  /* guint64 */
  GArray       *dependents;    /* guint64 */
  guint         run_count;
  char         *error;
  char        **why;
};

G_DEFINE_FINAL_TYPE (IsleNodeInfo, isle_node_info, G_TYPE_OBJECT)

static void
isle_node_info_finalize (GObject *object)
{
  IsleNodeInfo *self = ISLE_NODE_INFO (object);

  g_free (self->name);
  g_free (self->label);
  g_free (self->value_text);
  g_clear_pointer (&self->dependencies, g_array_unref);
  g_clear_pointer (&self->dependents, g_array_unref);
  g_free (self->error);
  g_strfreev (self->why);

  G_OBJECT_CLASS (isle_node_info_parent_class)->finalize (object);
}

static void
isle_node_info_class_init (IsleNodeInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = isle_node_info_finalize;
}

static void
isle_node_info_init (IsleNodeInfo *self)
{
  self->dependencies = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->dependents = g_array_new (FALSE, FALSE, sizeof (guint64));
}

static IsleNodeInfo *
node_info_new (IsleNode *node,
               IsleNode *owner)
{
  IsleNodeInfo *self = g_object_new (ISLE_TYPE_NODE_INFO, NULL);
  const GError *error = _isle_node_get_error (node);
  Record *record;

  self->id = (guint64) (guintptr) node;
  self->node_type = (IsleNodeType) node->kind;
  self->name = g_strdup (_isle_node_get_name (node));
  self->label = dup_bare_label (node);
  self->owner = (guint64) (guintptr) owner;

  switch (node->kind)
    {
    case ISLE_NODE_STATE:
      self->value_text = dup_value_text (&node->value);
      break;

    case ISLE_NODE_DERIVED:
      self->value_text = (node->flags & ISLE_NODE_HAS_VALUE) ? dup_value_text (&node->value) : NULL;
      self->stale = (node->flags & (ISLE_NODE_DIRTY | ISLE_NODE_PENDING)) != 0;
      break;

    case ISLE_NODE_EFFECT:
    default:
      self->run_count = node->effect.run_count;
      self->stale = (node->flags & (ISLE_NODE_DIRTY | ISLE_NODE_PENDING | ISLE_NODE_QUEUED)) != 0;
      break;
    }

  if (node->kind != ISLE_NODE_STATE)
    {
      for (IsleLink *link = ((IsleComputation *) node)->deps; link != NULL; link = link->next_dep)
        {
          guint64 id = (guint64) (guintptr) link->dep;

          g_array_append_val (self->dependencies, id);
        }
    }

  for (IsleLink *link = node->subs; link != NULL; link = link->next_sub)
    {
      guint64 id = (guint64) (guintptr) link->sub;

      g_array_append_val (self->dependents, id);
    }

  if (error != NULL)
    self->error = g_strdup (error->message);

  g_mutex_lock (&inspect_lock);
  record = record_lookup_locked (node);
  if (record != NULL)
    self->why = g_strdupv (record->why);
  g_mutex_unlock (&inspect_lock);

  return self;
}

static void
collect_nodes (GListStore *store,
               IsleNode   *node,
               IsleNode   *owner)
{
  g_autoptr(IsleNodeInfo) info = NULL;
  GPtrArray *owned;

  if (node->flags & ISLE_NODE_DISPOSED)
    return;

  info = node_info_new (node, owner);
  g_list_store_append (store, info);

  if (node->kind == ISLE_NODE_STATE)
    return;

  owned = ((IsleComputation *) node)->owned;
  for (guint i = 0; owned != NULL && i < owned->len; i++)
    collect_nodes (store, g_ptr_array_index (owned, i), node);
}

/**
 * isle_graph_inspect_nodes:
 * @self: a graph
 *
 * Lists every live node of @self: the graph's own nodes in creation
 * order, each followed by the nodes it owns (those created while it ran).
 * A snapshot: it does not change as the graph does, and computes nothing.
 *
 * Call it from the thread that owns the graph.
 *
 * Returns: (transfer full): a list of [class@Isle.NodeInfo]
 *
 * Since: 1.0
 */
GListModel *
isle_graph_inspect_nodes (IsleGraph *self)
{
  GListStore *store;

  g_return_val_if_fail (ISLE_IS_GRAPH (self), NULL);

  store = g_list_store_new (ISLE_TYPE_NODE_INFO);

  _ISLE_RETURN_IF_FOREIGN_THREAD (self, G_LIST_MODEL (store));

  for (IsleRootBlock *block = self->oldest_root; block != NULL; block = block->newer)
    {
      for (guint i = 0; i < block->used; i++)
        {
          if (block->slots[i] != NULL)
            collect_nodes (store, block->slots[i], NULL);
        }
      if (block == self->newest_root)
        break;
    }

  return G_LIST_MODEL (store);
}

static IsleNodeInfo *
node_info_new_checked (IsleNode     *node,
                       IsleNodeKind  kind,
                       const char   *func)
{
  if (!_isle_node_check (node, kind, G_TYPE_INVALID, FALSE, func))
    return NULL;

  return node_info_new (node, NULL);
}

/**
 * isle_node_info_new_for_state:
 * @state: a state
 *
 * Takes a snapshot of @state alone (its owner is not known this way:
 * [method@Isle.NodeInfo.get_owner] returns 0).
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL if @state
 *   was disposed
 *
 * Since: 1.0
 */
IsleNodeInfo *
isle_node_info_new_for_state (IsleState *state)
{
  return node_info_new_checked ((IsleNode *) state, ISLE_NODE_STATE, G_STRFUNC);
}

/**
 * isle_node_info_new_for_derived:
 * @derived: a derived
 *
 * Takes a snapshot of @derived alone (its owner is not known this way).
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL if
 *   @derived was disposed
 *
 * Since: 1.0
 */
IsleNodeInfo *
isle_node_info_new_for_derived (IsleDerived *derived)
{
  return node_info_new_checked ((IsleNode *) derived, ISLE_NODE_DERIVED, G_STRFUNC);
}

/**
 * isle_node_info_new_for_effect:
 * @effect: an effect
 *
 * Takes a snapshot of @effect alone (its owner is not known this way).
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL if @effect
 *   was disposed
 *
 * Since: 1.0
 */
IsleNodeInfo *
isle_node_info_new_for_effect (IsleEffect *effect)
{
  return node_info_new_checked ((IsleNode *) effect, ISLE_NODE_EFFECT, G_STRFUNC);
}

/**
 * isle_node_info_get_id:
 * @self: a node snapshot
 *
 * Gets the id of the node.
 *
 * Returns: a number naming the node while it lives (the same in every
 *   snapshot and event), never 0
 *
 * Since: 1.0
 */
guint64
isle_node_info_get_id (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), 0);

  return self->id;
}

/**
 * isle_node_info_get_node_type:
 * @self: a node snapshot
 *
 * Gets the kind of the node.
 *
 * Returns: whether the node is a state, a derived or an effect
 *
 * Since: 1.0
 */
IsleNodeType
isle_node_info_get_node_type (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), 0);

  return self->node_type;
}

/**
 * isle_node_info_get_name:
 * @self: a node snapshot
 *
 * Gets the name of the node.
 *
 * Returns: (nullable): the node's name, if it has one
 *
 * Since: 1.0
 */
const char *
isle_node_info_get_name (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);

  return self->name;
}

/**
 * isle_node_info_get_label:
 * @self: a node snapshot
 *
 * Gets the label of the node.
 *
 * Returns: the node for people: `derived “total”`, `unnamed effect`
 *
 * Since: 1.0
 */
const char *
isle_node_info_get_label (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);

  return self->label;
}

/**
 * isle_node_info_get_value_text:
 * @self: a node snapshot
 *
 * Gets the value of the node, as text.
 *
 * Returns: (nullable): the value of a state or derived as text (as
 *   g_strdup_value_contents() writes it); %NULL for an effect and for a
 *   derived never computed
 *
 * Since: 1.0
 */
const char *
isle_node_info_get_value_text (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);

  return self->value_text;
}

/**
 * isle_node_info_get_stale:
 * @self: a node snapshot
 *
 * Gets whether the node will run again.
 *
 * Returns: whether the node is a derived or effect that will run again
 *   (a dependency may have changed since its last run)
 *
 * Since: 1.0
 */
gboolean
isle_node_info_get_stale (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), FALSE);

  return self->stale;
}

/**
 * isle_node_info_get_owner:
 * @self: a node snapshot
 *
 * Gets the node that owns the node.
 *
 * Returns: the id of the derived or effect that owns the node (it was
 *   created while that one ran), or 0 for a node the graph owns
 *
 * Since: 1.0
 */
guint64
isle_node_info_get_owner (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), 0);

  return self->owner;
}

/**
 * isle_node_info_get_dependencies:
 * @self: a node snapshot
 * @n_ids: (out): the number of ids returned
 *
 * Gets the dependencies of the node.
 *
 * Returns: (array length=n_ids) (transfer none): the ids of the nodes the
 *   node read in its last run, in the order it read them (none for a
 *   state)
 *
 * Since: 1.0
 */
const guint64 *
isle_node_info_get_dependencies (IsleNodeInfo *self,
                                 guint        *n_ids)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);
  g_return_val_if_fail (n_ids != NULL, NULL);

  *n_ids = self->dependencies->len;

  return (const guint64 *) (gpointer) self->dependencies->data;
}

/**
 * isle_node_info_get_dependents:
 * @self: a node snapshot
 * @n_ids: (out): the number of ids returned
 *
 * Gets the dependents of the node.
 *
 * Returns: (array length=n_ids) (transfer none): the ids of the deriveds
 *   and effects that read the node in their last run (none for an effect)
 *
 * Since: 1.0
 */
const guint64 *
isle_node_info_get_dependents (IsleNodeInfo *self,
                               guint        *n_ids)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);
  g_return_val_if_fail (n_ids != NULL, NULL);

  *n_ids = self->dependents->len;

  return (const guint64 *) (gpointer) self->dependents->data;
}

/**
 * isle_node_info_get_run_count:
 * @self: a node snapshot
 *
 * Gets how many times an effect ran.
 *
 * Returns: how many times an effect ran (0 for a state or derived)
 *
 * Since: 1.0
 */
guint
isle_node_info_get_run_count (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), 0);

  return self->run_count;
}

/**
 * isle_node_info_get_error:
 * @self: a node snapshot
 *
 * Gets the last failure of the node.
 *
 * Returns: (nullable): the message of the derived's or effect's failure,
 *   if its last run failed
 *
 * Since: 1.0
 */
const char *
isle_node_info_get_error (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);

  return self->error;
}

/**
 * isle_node_info_get_why:
 * @self: a node snapshot
 *
 * Why a derived or effect last ran: the dependency whose change caused
 * it first (`derived “double”: 2 → 4`), then what caused that one's
 * change, back to the state that was set (`state “count”: 1 → 2`). Kept
 * only while runs are traced ([func@Isle.inspect_is_tracing]).
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   chain, or %NULL (a state, a first run, a run not traced)
 *
 * Since: 1.0
 */
const char * const *
isle_node_info_get_why (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);

  return (const char * const *) self->why;
}

/**
 * isle_node_info_dup_why_text:
 * @self: a node snapshot
 *
 * The chain of [method@Isle.NodeInfo.get_why] in one line, each cause
 * after an arrow: `derived “double”: 2 → 4 ← state “count”: 1 → 2`.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if there is no
 *   chain
 *
 * Since: 1.0
 */
char *
isle_node_info_dup_why_text (IsleNodeInfo *self)
{
  g_return_val_if_fail (ISLE_IS_NODE_INFO (self), NULL);

  return dup_why_text (self->why);
}

/* }}} */

/* vim:set foldmethod=marker: */
