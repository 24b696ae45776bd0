/* isle-node.c: the signal engine's core
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The engine is a push-pull graph in the manner of alien-signals:
 *
 * - a write marks the direct subscribers of a state PENDING, walks on to
 *   their subscribers, and queues the effects it meets (propagate());
 * - a read of a PENDING derived walks down its dependencies, recomputes
 *   those that really changed, bottom-up, and recomputes the derived only
 *   if one of them did (check_dirty()); an equal result stops there;
 * - dependencies are re-collected on every run: a run starts with its
 *   dependency cursor (deps_tail) at the start of the list, each read
 *   either re-uses the next link in place or inserts a new one, and the
 *   links the run did not reach are dropped at its end (purge_deps()).
 *
 * Both walks are iterative, so a long chain cannot overflow the stack;
 * only the first computation of a long chain of never-read deriveds
 * recurses, and that is bounded by ISLE_MAX_DEPTH.
 *
 * Values live in a GValue inside the node: scalars are stored inline and
 * written in place, so setting and reading them allocates nothing.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "isle-node-private.h"

/* Nested computations beyond this are reported instead of overflowing the
 * stack (a real graph is a few dozen levels deep). */
#define ISLE_MAX_DEPTH 4000

__thread IsleEngineTls    _isle_tls        __attribute__ ((tls_model ("initial-exec"))) = {
  .version = G_MAXUINT32,
};
__thread char             _isle_thread_marker __attribute__ ((tls_model ("initial-exec")));

/* Blocks of run versions handed out so far, to all threads. */
static gsize version_blocks;

/* Takes the thread's next block of 2^32 run versions (on 64 bits: 2^32
 * blocks of them, more than a process ever runs) and returns its first;
 * block 0 is none's. */
G_NO_INLINE guint64
_isle_take_versions (void)
{
  guint64 block = (guint64) g_atomic_pointer_add (&version_blocks, 1) + 1;

  return (block << 32) + 1;
}

static const char *kind_names[] = { "state", "derived", "effect" };

static gboolean update_node    (IsleNode        *node);
static gboolean update_derived (IsleComputation *computation);
G_ALWAYS_INLINE static inline gboolean update_derived_inline (IsleComputation *computation);
static void     cycle_detected (IsleNode        *node);

/* Values {{{ */

gboolean
_isle_value_type_is_inline (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_BOOLEAN:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
    case G_TYPE_POINTER:
      return TRUE;

    default:
      return FALSE;
    }
}

static inline void
value_init (IsleNode *node,
            GValue   *value)
{
  GType type = G_VALUE_TYPE (&node->value);

  if (node->flags & ISLE_NODE_INLINE)
    {
      value->g_type = type;
      value->data[0].v_uint64 = 0;
      value->data[1].v_uint64 = 0;
    }
  else
    {
      memset (value, 0, sizeof *value);
      g_value_init (value, type);
    }
}

/* Whether the values of @node need unsetting: an effect has none (its
 * bytes hold its IsleEffectPart), an inline one holds no reference. */
static inline gboolean
values_need_unset (IsleNode *node)
{
  return node->kind != ISLE_NODE_EFFECT && !(node->flags & ISLE_NODE_INLINE);
}

static inline void
value_clear (IsleNode *node,
             GValue   *value)
{
  if (values_need_unset (node) && G_VALUE_TYPE (value) != G_TYPE_INVALID)
    g_value_unset (value);
}

static IsleEqualKind
equal_kind_for_type (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return ISLE_EQUAL_BOOLEAN;

    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
      return ISLE_EQUAL_INT;

    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return ISLE_EQUAL_ENUM;

    case G_TYPE_LONG:
    case G_TYPE_ULONG:
      return ISLE_EQUAL_LONG;

    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      return ISLE_EQUAL_INT64;

    case G_TYPE_FLOAT:
      return ISLE_EQUAL_FLOAT;

    case G_TYPE_DOUBLE:
      return ISLE_EQUAL_DOUBLE;

    case G_TYPE_STRING:
      return ISLE_EQUAL_STRING;

    case G_TYPE_VARIANT:
      return ISLE_EQUAL_VARIANT;

    default:
      /* Objects, boxed values and pointers: identity. */
      return ISLE_EQUAL_POINTER;
    }
}

/* Names and equal funcs are rare: they live in a table beside the nodes,
 * which keeps a state at 64 bytes. The table is shared by every graph (of
 * any thread), hence the lock; an extra, once found, is the node's own. */
static GMutex      extras_lock;
static GHashTable *extras;  /* IsleNode * -> IsleNodeExtra * */

static IsleNodeExtra *
node_get_extra (IsleNode *node)
{
  IsleNodeExtra *extra;

  if (!node->has_extra)
    return NULL;

  g_mutex_lock (&extras_lock);
  extra = g_hash_table_lookup (extras, node);
  g_mutex_unlock (&extras_lock);

  return extra;
}

static IsleNodeExtra *
node_ensure_extra (IsleNode *node)
{
  IsleNodeExtra *extra = node_get_extra (node);

  if (extra != NULL)
    return extra;

  extra = g_new0 (IsleNodeExtra, 1);

  g_mutex_lock (&extras_lock);
  if (extras == NULL)
    extras = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (extras, node, extra);
  g_mutex_unlock (&extras_lock);

  node->has_extra = TRUE;

  return extra;
}

static IsleNodeExtra *
node_steal_extra (IsleNode *node)
{
  IsleNodeExtra *extra = NULL;

  if (!node->has_extra)
    return NULL;

  g_mutex_lock (&extras_lock);
  g_hash_table_steal_extended (extras, node, NULL, (gpointer *) &extra);
  g_mutex_unlock (&extras_lock);

  node->has_extra = FALSE;

  return extra;
}

static gboolean
custom_equal (IsleNode     *node,
              const GValue *a,
              const GValue *b)
{
  IsleNodeExtra *extra = node_get_extra (node);

  return extra->equal (a, b, extra->equal_data);
}

/* How two values compare by their type, for a node with no equal func.
 * Inline: a recomputation's cut-off is on the hot path. */
static inline gboolean
values_equal_builtin (IsleNode     *node,
                      const GValue *a,
                      const GValue *b)
{
  /* The most common kind by far, without the jump table. */
  if (G_LIKELY (node->equal_kind == ISLE_EQUAL_INT))
    return a->data[0].v_int == b->data[0].v_int;

  switch ((IsleEqualKind) node->equal_kind)
    {
    case ISLE_EQUAL_BOOLEAN:
      return !a->data[0].v_int == !b->data[0].v_int;

    case ISLE_EQUAL_INT:
    case ISLE_EQUAL_ENUM:
      return a->data[0].v_int == b->data[0].v_int;

    case ISLE_EQUAL_LONG:
      return a->data[0].v_long == b->data[0].v_long;

    case ISLE_EQUAL_INT64:
      return a->data[0].v_int64 == b->data[0].v_int64;

    case ISLE_EQUAL_FLOAT:
      return _isle_double_is (a->data[0].v_float, b->data[0].v_float);

    case ISLE_EQUAL_DOUBLE:
      return _isle_double_is (a->data[0].v_double, b->data[0].v_double);

    case ISLE_EQUAL_STRING:
      return g_strcmp0 (a->data[0].v_pointer, b->data[0].v_pointer) == 0;

    case ISLE_EQUAL_VARIANT:
      if (a->data[0].v_pointer == b->data[0].v_pointer)
        return TRUE;
      if (a->data[0].v_pointer == NULL || b->data[0].v_pointer == NULL)
        return FALSE;
      return g_variant_equal (a->data[0].v_pointer, b->data[0].v_pointer);

    case ISLE_EQUAL_POINTER:
    default:
      return a->data[0].v_pointer == b->data[0].v_pointer;
    }
}

/* How two values of @node compare: its equal func, or by its type. */
static inline gboolean
values_equal (IsleNode     *node,
              const GValue *a,
              const GValue *b)
{
  if (G_UNLIKELY (node->flags & ISLE_NODE_CUSTOM_EQUAL))
    return custom_equal (node, a, b);

  return values_equal_builtin (node, a, b);
}

/* }}} */

/* Nodes {{{ */

static IsleNode *
node_new (IsleGraph    *graph,
          IsleNodeKind  kind,
          GType         value_type,
          gboolean      unowned)
{
  IsleNode *node;

  if (kind == ISLE_NODE_STATE)
    node = g_malloc0 (sizeof (IsleNode));
  else
    node = g_malloc0 (sizeof (IsleComputation));

  node->kind = kind;
  node->ref_count = 1;
  node->graph = graph;

  if (kind != ISLE_NODE_EFFECT)
    {
      node->flags = ISLE_NODE_MUTABLE;
      node->equal_kind = equal_kind_for_type (value_type);
      if (_isle_value_type_is_inline (value_type))
        node->flags |= ISLE_NODE_INLINE;
      g_value_init (&node->value, value_type);
    }
  else
    {
      node->flags = ISLE_NODE_WATCHING;
    }

  if (kind == ISLE_NODE_DERIVED)
    node->flags |= ISLE_NODE_DIRTY;

  _isle_graph_own (graph, node, unowned);

  if (ISLE_INSPECTING ())
    _isle_inspect_node_created (node);

  return node;
}

/* A new node, owned by the computation running in @graph if there is one,
 * by @graph otherwise. */
IsleNode *
_isle_node_new (IsleGraph    *graph,
                IsleNodeKind  kind,
                GType         value_type)
{
  return node_new (graph, kind, value_type, FALSE);
}

/* A new node owned by @graph even inside a running computation: an effect
 * root. */
IsleNode *
_isle_node_new_unowned (IsleGraph    *graph,
                        IsleNodeKind  kind,
                        GType         value_type)
{
  return node_new (graph, kind, value_type, TRUE);
}

IsleNode *
_isle_node_ref (IsleNode *node)
{
  g_atomic_int_inc (&node->ref_count);

  return node;
}

/* First-write hooks {{{ */

typedef struct
{
  IsleStateWriteFunc func;
  gpointer           user_data;
  GDestroyNotify     destroy;
} WriteHook;

/* IsleNode * -> WriteHook *, under extras_lock: few states have one (an
 * island's mirror of an atom, until the island first writes it). */
static GHashTable *write_hooks;

static WriteHook *
steal_write_hook (IsleNode *node)
{
  WriteHook *hook = NULL;

  if (!node->write_hooked)
    return NULL;

  g_mutex_lock (&extras_lock);
  if (write_hooks != NULL && g_hash_table_steal_extended (write_hooks, node, NULL, (gpointer *) &hook))
    node->write_hooked = FALSE;
  g_mutex_unlock (&extras_lock);

  return hook;
}

/* Out of line: _isle_node_changed () stays a test and a tail call. */
G_GNUC_NO_INLINE static void
run_first_write (IsleNode *node)
{
  WriteHook *hook = steal_write_hook (node);

  if (hook == NULL)
    return;

  hook->func ((IsleState *) node, hook->user_data);
  g_free (hook);
}

static void
drop_write_hook (IsleNode *node)
{
  WriteHook *hook = steal_write_hook (node);

  if (hook == NULL)
    return;

  if (hook->destroy != NULL)
    hook->destroy (hook->user_data);
  g_free (hook);
}

/*
 * _isle_state_set_first_write_func:
 *
 * Gives @state a first-write hook (replacing any it had; %NULL removes
 * it). The hook runs after the write propagated, in the writer's call.
 */
void
_isle_state_set_first_write_func (IsleState          *state,
                                  IsleStateWriteFunc  func,
                                  gpointer            user_data,
                                  GDestroyNotify      destroy)
{
  IsleNode *node = (IsleNode *) state;
  WriteHook *hook;

  g_return_if_fail (node->kind == ISLE_NODE_STATE);

  drop_write_hook (node);
  if (func == NULL || (node->flags & ISLE_NODE_DISPOSED))
    {
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  hook = g_new (WriteHook, 1);
  hook->func = func;
  hook->user_data = user_data;
  hook->destroy = destroy;

  g_mutex_lock (&extras_lock);
  if (write_hooks == NULL)
    write_hooks = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (write_hooks, node, hook);
  node->write_hooked = TRUE;
  g_mutex_unlock (&extras_lock);
}

/*
 * _isle_state_hold_write_hook:
 *
 * Keeps the next writes of @state from calling its hook, until
 * _isle_state_release_write_hook() with what this returned: for writes
 * that come from where the hook would send them (an atom's change into its
 * mirror). Costs no lookup.
 */
gboolean
_isle_state_hold_write_hook (IsleState *state)
{
  IsleNode *node = (IsleNode *) state;
  gboolean held = node->write_hooked;

  node->write_hooked = FALSE;

  return held;
}

void
_isle_state_release_write_hook (IsleState *state,
                                gboolean   held)
{
  IsleNode *node = (IsleNode *) state;

  if (!held)
    return;

  node->write_hooked = TRUE;

  /* Disposed meanwhile (which did not see the hook): drop it now. */
  if (node->flags & ISLE_NODE_DISPOSED)
    drop_write_hook (node);
}

/* }}} */

static void
node_free (IsleNode *node)
{
  IsleNodeExtra *extra = node_steal_extra (node);

  drop_write_hook (node);

  if (extra != NULL)
    {
      if (extra->equal_destroy != NULL)
        extra->equal_destroy (extra->equal_data);
      g_clear_error (&extra->error);
      g_free (extra->name);
      g_free (extra);
    }

  value_clear (node, &node->value);

  g_free (node);
}

/* While a flush runs effects, a node whose last reference goes (an
 * effect that disposed itself, say) is freed only when the flush ends:
 * the flush needs no reference of its own on each effect it runs. The
 * dead nodes are chained through their @subs. The begin and the end are
 * inline in the flush (isle-node-private.h); the list and its depth are
 * in _isle_tls. */

/*
 * _isle_node_free_graveyard:
 *
 * Frees the nodes whose freeing the flush that just ended deferred.
 */
void
_isle_node_free_graveyard (void)
{
  while (_isle_tls.graveyard != NULL)
    {
      IsleNode *node = _isle_tls.graveyard;

      _isle_tls.graveyard = (IsleNode *) node->subs;
      node_free (node);
    }
}

void
_isle_node_unref (IsleNode *node)
{
  /* Holding the only reference, we are the only one who may touch the
   * count, and it is about to be freed: no locked decrement needed. */
  if (g_atomic_int_get (&node->ref_count) != 1 &&
      !g_atomic_int_dec_and_test (&node->ref_count))
    return;

  /* The last reference can only go once the owner let go, and owners
   * dispose before they let go; a node that was never owned (cannot
   * happen through the public API) is disposed here. */
  if (!(node->flags & ISLE_NODE_DISPOSED))
    {
      node->ref_count = 1;
      _isle_node_dispose (node);
      node->ref_count = 0;
    }

  if (_isle_tls.defer_depth > 0)
    {
      node->subs = (IsleLink *) _isle_tls.graveyard;
      _isle_tls.graveyard = node;
      return;
    }

  node_free (node);
}

const GError *
_isle_node_get_error (IsleNode *node)
{
  IsleNodeExtra *extra = node_get_extra (node);

  return extra != NULL ? extra->error : NULL;
}

const char *
_isle_node_get_name (IsleNode *node)
{
  IsleNodeExtra *extra = node_get_extra (node);

  return extra != NULL ? extra->name : NULL;
}

void
_isle_node_set_name (IsleNode   *node,
                     const char *name)
{
  IsleNodeExtra *extra;

  if (name == NULL && !node->has_extra)
    return;

  extra = node_ensure_extra (node);
  if (node->graph != NULL && !(node->flags & ISLE_NODE_DISPOSED))
    {
      _isle_graph_name_node (node->graph, node, extra->name, name);
      extra->name_serial = _isle_graph_next_name_serial (node->graph);
    }
  g_free (extra->name);
  extra->name = g_strdup (name);
}

/* The name of @node and when it was given, for the graph's table. */
const char *
_isle_node_get_name_and_serial (IsleNode *node,
                                guint64  *serial)
{
  IsleNodeExtra *extra = node_get_extra (node);

  *serial = extra != NULL ? extra->name_serial : 0;

  return extra != NULL ? extra->name : NULL;
}

void
_isle_node_set_equal_func (IsleNode       *node,
                           IsleEqualFunc   func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  IsleNodeExtra *extra = node_ensure_extra (node);
  GDestroyNotify old_destroy = extra->equal_destroy;
  gpointer old_data = extra->equal_data;

  extra->equal = func;
  extra->equal_data = user_data;
  extra->equal_destroy = destroy;

  if (func != NULL)
    node->flags |= ISLE_NODE_CUSTOM_EQUAL;
  else
    node->flags &= ~ISLE_NODE_CUSTOM_EQUAL;

  if (old_destroy != NULL)
    old_destroy (old_data);
}

static char *
node_dup_bare_label (IsleNode *node)
{
  const char *name = _isle_node_get_name (node);

  if (name != NULL)
    return g_strdup_printf ("%s “%s”", kind_names[node->kind], name);

  return g_strdup_printf ("unnamed %s", kind_names[node->kind]);
}

static char *
graph_dup_label (IsleGraph *graph)
{
  const char *name = graph != NULL ? isle_graph_get_name (graph) : NULL;

  if (name != NULL)
    return g_strdup_printf ("graph “%s”", name);

  return g_strdup ("an unnamed graph");
}

/*
 * _isle_node_dup_label:
 *
 * Names @node for a message: “derived “total” in graph “cart””.
 */
char *
_isle_node_dup_label (IsleNode *node)
{
  g_autofree char *bare = node_dup_bare_label (node);
  g_autofree char *graph = NULL;

  if (node->graph == NULL)
    return g_steal_pointer (&bare);

  graph = graph_dup_label (node->graph);
  return g_strdup_printf ("%s in %s", bare, graph);
}

/*
 * _isle_node_peek:
 * @func: the caller, for messages
 *
 * The value of a state or derived, read as isle_state_get_value() reads
 * it (the dependency recorded, a derived computed), but in place: libisle's
 * seam for bindings, which copy only what a setter could free. %NULL, with
 * the usual message, for a node that cannot be read.
 */
const GValue *
_isle_node_peek (IsleNode   *node,
                 const char *func)
{
  if (!_isle_node_check_fast (node, node->kind, G_TYPE_INVALID, FALSE, func))
    return NULL;

  return _isle_node_read (node);
}

/*
 * _isle_node_check:
 *
 * The slow path of _isle_node_check_fast(): reports what is wrong with a
 * call on @node. Returns %TRUE where the call may still go on (a read
 * across graphs returns the value but tracks nothing).
 */
gboolean
_isle_node_check (IsleNode     *node,
                  IsleNodeKind  kind,
                  GType         value_type,
                  gboolean      write,
                  const char   *func)
{
  g_autofree char *label = NULL;

  if (node == NULL)
    {
      g_return_if_fail_warning (G_LOG_DOMAIN, func, "node != NULL");
      return FALSE;
    }

  label = _isle_node_dup_label (node);

  if (node->kind != kind)
    {
      g_critical ("%s: %s is not a%s %s", func, label,
                  kind == ISLE_NODE_EFFECT ? "n" : "", kind_names[kind]);
      return FALSE;
    }

  if (node->flags & ISLE_NODE_DISPOSED)
    {
      g_critical ("%s: %s was disposed and can no longer be used", func, label);
      return FALSE;
    }

  if (value_type != G_TYPE_INVALID && G_VALUE_TYPE (&node->value) != value_type)
    {
      g_critical ("%s: %s holds values of type %s, not %s", func, label,
                  g_type_name (G_VALUE_TYPE (&node->value)), g_type_name (value_type));
      return FALSE;
    }

  if (write && !_isle_graph_is_owner_thread (node->graph))
    {
      _isle_graph_report_foreign_thread (node->graph, func);
      return FALSE;
    }

  if (_isle_tls.frame != NULL && _isle_tls.frame->computation->node.graph != node->graph)
    {
      g_autofree char *user = _isle_node_dup_label (&_isle_tls.frame->computation->node);

      g_critical ("%s: %s was %s from %s; only atoms may cross graphs",
                  func, label, write ? "written" : "read", user);
      return !write;
    }

  return TRUE;
}

/* }}} */

/* Links {{{ */

/* Records a new dependency of @sub on @dep, after the link that was read
 * last. Its callers tried the cheap cases first, _isle_link_reuse() and
 * the stamp, and they failed: read twice in a row, read in the same order
 * as in the last run, or linked earlier in this run.
 *
 * The stamp is on the node, not on each link as in alien-signals (a run's
 * version is unique in the process); every link made or re-used in a run
 * sets it (the inline read path too). A node another computation linked
 * in between gets a second link, which later runs re-use in place, as in
 * alien-signals. */
static inline void
link_dep (IsleNode        *dep,
          IsleComputation *sub)
{
  IsleLink *prev_dep = sub->deps_tail;
  IsleLink *next_dep = prev_dep != NULL ? prev_dep->next_dep : sub->deps;
  IsleLink *head;
  IsleLink *link;

  dep->tracked = sub->version;

  link = _isle_graph_alloc_link (sub->node.graph);
  link->dep = dep;
  link->sub = &sub->node;
  link->next_dep = next_dep;
  link->next_sub = NULL;

  if (prev_dep != NULL)
    prev_dep->next_dep = link;
  else
    sub->deps = link;
  sub->deps_tail = link;

  /* Appended: the first subscriber link keeps the last in its prev_sub. */
  head = dep->subs;
  if (head != NULL)
    {
      IsleLink *tail = head->prev_sub;

      link->prev_sub = tail;
      tail->next_sub = link;
      head->prev_sub = link;
    }
  else
    {
      link->prev_sub = link;
      dep->subs = link;
    }
}

static inline void
free_link (IsleGraph *graph,
           IsleLink  *link)
{
  link->dep = NULL;
  link->sub = NULL;
  link->next_dep = graph->free_links;
  graph->free_links = link;
}

/* Removes @link, which follows @prev_dep in its subscriber's dependency
 * list, from both lists. Returns the next dependency link. */
static IsleLink *
unlink_dep (IsleLink *link,
            IsleLink *prev_dep)
{
  IsleComputation *sub = (IsleComputation *) link->sub;
  IsleNode *dep = link->dep;
  IsleLink *next_dep = link->next_dep;
  IsleLink *prev_sub = link->prev_sub;
  IsleLink *next_sub = link->next_sub;

  if (prev_dep != NULL)
    prev_dep->next_dep = next_dep;
  else
    sub->deps = next_dep;
  if (sub->deps_tail == link)
    sub->deps_tail = prev_dep;

  /* The first link is the one whose prev_sub (the last) does not lead
   * back to it; the node is only touched when the first or the last
   * leaves. */
  if (prev_sub->next_sub != link)
    {
      dep->subs = next_sub;
      if (next_sub != NULL)
        next_sub->prev_sub = prev_sub;
    }
  else
    {
      prev_sub->next_sub = next_sub;
      if (next_sub != NULL)
        next_sub->prev_sub = prev_sub;
      else
        dep->subs->prev_sub = prev_sub;
    }

  free_link (sub->node.graph, link);

  /* A derived nobody depends on any more keeps its dependencies and its
   * cached value: it is not recomputed while unobserved (writes only mark
   * it PENDING), and a later read recomputes it only if something it read
   * really changed. */
  return next_dep;
}

G_NO_INLINE static void
purge_deps_from (IsleLink *link,
                 IsleLink *tail)
{
  while (link != NULL)
    link = unlink_dep (link, tail);
}

/* Drops the dependencies the last run did not reach. Inline, as a run
 * mostly reads what it read before: the test is all it costs then. */
static inline void
purge_deps (IsleComputation *sub)
{
  IsleLink *tail = sub->deps_tail;
  IsleLink *link = tail != NULL ? tail->next_dep : sub->deps;

  if (G_UNLIKELY (link != NULL))
    purge_deps_from (link, tail);
}

/* Removes one subscriber link of a node being disposed; the subscriber's
 * dependency list is singly linked, so find the predecessor first. */
static void
unlink_sub (IsleLink *link)
{
  IsleComputation *sub = (IsleComputation *) link->sub;
  IsleLink *prev = NULL;
  IsleLink *iter;

  for (iter = sub->deps; iter != link; iter = iter->next_dep)
    prev = iter;

  unlink_dep (link, prev);
}

static gboolean
is_valid_link (IsleLink        *check,
               IsleComputation *sub)
{
  IsleLink *link;

  if (sub->deps_tail == NULL)
    return FALSE;

  for (link = sub->deps; link != NULL; link = link->next_dep)
    {
      if (link == check)
        return TRUE;
      if (link == sub->deps_tail)
        break;
    }

  return FALSE;
}

/* }}} */

/* Propagation {{{ */

/* A small stack for the iterative walks: on the C stack while it fits.
 * The walk keeps the top in a local of its own, which the compiler keeps
 * in a register: a push compares it with the limit and a pop with the
 * bottom, and the rare growth is out of line. A level of check_dirty() is
 * a handful of instructions; a length and a size in memory cost it a
 * third more. */
typedef struct
{
  IsleLink **items;
  IsleLink **limit;    /* past the last slot */
  IsleLink  *inline_items[32];
} LinkStack;

/* Returns the top of the empty stack. */
static inline IsleLink **
link_stack_init (LinkStack *stack)
{
  stack->items = stack->inline_items;
  stack->limit = stack->items + G_N_ELEMENTS (stack->inline_items);

  return stack->items;
}

/* Doubles a full stack; returns its new top. */
G_NO_INLINE static IsleLink **
link_stack_grow (LinkStack  *stack,
                 IsleLink  **top)
{
  gsize len = top - stack->items;
  gsize size = 2 * len;

  if (stack->items == stack->inline_items)
    {
      stack->items = g_new (IsleLink *, size);
      memcpy (stack->items, stack->inline_items, sizeof stack->inline_items);
    }
  else
    {
      stack->items = g_renew (IsleLink *, stack->items, size);
    }

  stack->limit = stack->items + size;

  return stack->items + len;
}

/* Pushes @link onto the stack whose top is @top; returns the new top. */
static inline IsleLink **
link_stack_push (LinkStack  *stack,
                 IsleLink  **top,
                 IsleLink   *link)
{
  if (G_UNLIKELY (top == stack->limit))
    top = link_stack_grow (stack, top);

  *top = link;

  return top + 1;
}

static inline void
link_stack_clear (LinkStack *stack)
{
  if (stack->items != stack->inline_items)
    g_free (stack->items);
}

static inline void
notify_effect (IsleNode *node)
{
  if (!(node->flags & (ISLE_NODE_QUEUED | ISLE_NODE_DISPOSED)))
    _isle_graph_queue_effect (node->graph, (IsleComputation *) node);
}

/* Marks everything downstream of a changed node: direct subscribers
 * PENDING (check_dirty() decides later whether they really changed),
 * effects queued. */
ISLE_HOT void
_isle_node_propagate (IsleLink *link)
{
  IsleLink *next = link->next_sub;
  LinkStack stack;
  IsleLink **top;

  top = link_stack_init (&stack);

  for (;;)
    {
      IsleNode *sub = link->sub;
      guint flags = sub->flags;

      if (!(flags & ISLE_NODE_PROPAGATION_MASK))
        {
          sub->flags = flags | ISLE_NODE_PENDING;
        }
      else if (!(flags & (ISLE_NODE_RUNNING | ISLE_NODE_RECURSED)))
        {
          /* Already notified. */
          flags = 0;
        }
      else if (!(flags & ISLE_NODE_RUNNING))
        {
          sub->flags = (flags & ~ISLE_NODE_RECURSED) | ISLE_NODE_PENDING;
        }
      else if (!(flags & (ISLE_NODE_DIRTY | ISLE_NODE_PENDING)) &&
               is_valid_link (link, (IsleComputation *) sub))
        {
          /* Written while it runs, after it read the value: it must run
           * again once it is done (an effect is re-queued then). */
          sub->flags = flags | ISLE_NODE_RECURSED | ISLE_NODE_PENDING;
          flags &= ISLE_NODE_MUTABLE;
        }
      else
        {
          flags = 0;
        }

      if (flags & ISLE_NODE_WATCHING)
        notify_effect (sub);

      if ((flags & ISLE_NODE_MUTABLE) && sub->subs != NULL)
        {
          link = sub->subs;
          if (link->next_sub != NULL)
            {
              /* Only a link left to visit is kept: a chain whose nodes
               * all have a second subscriber (triangle's) pushes and
               * pops nothing for the ends of their lists. */
              if (next != NULL)
                top = link_stack_push (&stack, top, next);
              next = link->next_sub;
            }
          continue;
        }

      if ((link = next) != NULL)
        {
          next = link->next_sub;
          continue;
        }

      if (top == stack.items)
        break;

      link = *--top;
      next = link->next_sub;
    }

  link_stack_clear (&stack);
}

/* Called when @link's dependency really changed: the subscribers that are
 * only PENDING become DIRTY. */
ISLE_HOT static void
shallow_propagate (IsleLink *link)
{
  do
    {
      IsleNode *sub = link->sub;
      guint flags = sub->flags;

      if ((flags & (ISLE_NODE_PENDING | ISLE_NODE_DIRTY)) == ISLE_NODE_PENDING)
        {
          sub->flags = flags | ISLE_NODE_DIRTY;
          if ((flags & (ISLE_NODE_WATCHING | ISLE_NODE_RUNNING)) == ISLE_NODE_WATCHING)
            notify_effect (sub);
        }
    }
  while ((link = link->next_sub) != NULL);
}

/* Decides whether @sub, which is PENDING, must run again: walks its
 * dependencies depth first, brings PENDING deriveds up to date bottom-up,
 * and stops at the first one that really changed. */
ISLE_HOT static gboolean
check_dirty (IsleLink *link,
             IsleNode *sub)
{
  LinkStack stack;
  IsleLink **top;
  gboolean dirty = FALSE;

  if (G_UNLIKELY (sub->flags & ISLE_NODE_DIRTY))
    return TRUE;

  top = link_stack_init (&stack);

  /* Every dependency is a state or a derived (MUTABLE): an effect is
   * never read. @sub can only turn DIRTY when one of its dependencies
   * changed (shallow_propagate()), so it is tested when the walk moves on
   * to its next dependency, not on the way down. */
  for (;;)
    {
      IsleNode *dep = link->dep;
      guint flags = dep->flags;

      if (G_UNLIKELY ((flags & ISLE_NODE_RUNNING) && dep->kind == ISLE_NODE_DERIVED))
        {
          /* @sub depends on a derived that is being computed right now,
           * which (through @sub) reads @sub: a cycle. The running one
           * fails and keeps its value, so @sub's stays right. */
          cycle_detected (dep);
        }
      else if (flags & ISLE_NODE_DIRTY)
        {
          IsleLink *subs = dep->subs;

          if (update_node (dep))
            {
              if (subs->next_sub != NULL)
                shallow_propagate (subs);
              dirty = TRUE;
            }
        }
      else if (flags & ISLE_NODE_PENDING)
        {
          IsleComputation *computation = (IsleComputation *) dep;

          if (computation->deps != NULL)
            {
              top = link_stack_push (&stack, top, link);
              link = computation->deps;
              sub = dep;
              continue;
            }

          dep->flags &= ~ISLE_NODE_PENDING;
        }

      if (!dirty && link->next_dep != NULL)
        {
          link = link->next_dep;
          if (!(sub->flags & ISLE_NODE_DIRTY))
            continue;
          dirty = TRUE;
        }

      while (top != stack.items)
        {
          link = *--top;

          if (dirty)
            {
              IsleLink *subs = sub->subs;

              /* A node gone down into has dependencies: a derived. */
              if (update_derived_inline ((IsleComputation *) sub))
                {
                  if (subs != NULL && subs->next_sub != NULL)
                    shallow_propagate (subs);
                  sub = link->sub;
                  continue;
                }
              dirty = FALSE;
            }
          else
            {
              sub->flags &= ~ISLE_NODE_PENDING;
            }

          sub = link->sub;
          if (link->next_dep != NULL)
            {
              link = link->next_dep;
              if (!(sub->flags & ISLE_NODE_DIRTY))
                goto next_dep;
              dirty = TRUE;
            }
        }

      link_stack_clear (&stack);
      return dirty;

    next_dep:
      ;
    }
}

/* }}} */

/* Runs {{{ */

static void
run_cleanups (IsleComputation *computation)
{
  g_autoptr(GArray) cleanups = g_steal_pointer (&computation->node.effect.cleanups);

  if (cleanups == NULL)
    return;

  for (guint i = cleanups->len; i > 0; i--)
    {
      IsleCleanup *cleanup = &g_array_index (cleanups, IsleCleanup, i - 1);

      if (cleanup->func != NULL)
        cleanup->func (cleanup->user_data);
      if (cleanup->destroy != NULL)
        cleanup->destroy (cleanup->user_data);
    }
}

/* Tears down what @computation made on its last run, before it runs again
 * or when it is disposed, in the order the design states (Svelte's): the
 * effects it owns first, in creation order, each with its own children
 * before its own cleanups; then its own cleanups; then the other nodes it
 * owns, newest first. A parent's cleanup that frees what its children use
 * thus runs after theirs, and every cleanup can still read the states and
 * deriveds the run made. */
static void
teardown (IsleComputation *computation)
{
  g_autoptr(GPtrArray) owned = g_steal_pointer (&computation->owned);

  if (owned != NULL)
    {
      for (guint i = 0; i < owned->len; i++)
        {
          IsleNode *node = g_ptr_array_index (owned, i);

          if (node->kind == ISLE_NODE_EFFECT)
            _isle_node_dispose (node);
        }
    }

  if (computation->node.kind == ISLE_NODE_EFFECT && computation->node.effect.cleanups != NULL)
    run_cleanups (computation);

  if (owned != NULL)
    {
      for (guint i = owned->len; i > 0; i--)
        _isle_node_dispose (g_ptr_array_index (owned, i - 1));
    }
}

/* A failure is reported once, when the node enters its failed state; the
 * node keeps its last good value. */
static void
report_failure (IsleComputation *computation,
                GError          *error,
                gboolean         quiet)
{
  IsleNode *node = &computation->node;
  gboolean was_failed = (node->flags & ISLE_NODE_FAILED) != 0;
  IsleNodeExtra *extra;
  g_autofree char *label = NULL;
  g_autoptr(GError) report = NULL;

  if (error == NULL)
    error = g_error_new_literal (ISLE_ERROR, ISLE_ERROR_FAILED,
                                 "its callback returned FALSE without an error");

  node->flags |= ISLE_NODE_FAILED;
  extra = node_ensure_extra (node);
  g_clear_error (&extra->error);
  extra->error = error;

  if (was_failed || quiet || node->graph == NULL)
    return;

  if (ISLE_INSPECTING ())
    _isle_inspect_node_failed (node, error);

  label = _isle_node_dup_label (node);
  g_warning ("%s failed: %s", label, error->message);

  report = g_error_new (error->domain, error->code, "%s failed: %s", label, error->message);
  _isle_graph_report (node->graph, report);
}

static inline void
clear_failure (IsleComputation *computation)
{
  if (G_UNLIKELY (computation->node.flags & ISLE_NODE_FAILED))
    {
      computation->node.flags &= ~ISLE_NODE_FAILED;
      g_clear_error (&node_get_extra (&computation->node)->error);
    }
}

/* Runs the callback of @computation with tracking on: the shared part of
 * a derived's recomputation and an effect's run. */
/* Inlined into its two callers: the call, the saves and the flag updates
 * around it are a fifth of a small derived's recomputation otherwise. */
G_ALWAYS_INLINE static inline gboolean
run_callback (IsleComputation  *computation,
              GValue           *value,
              GError          **error)
{
  IsleComputation *prev_sub = _isle_tls.active_sub;
  IsleFrame frame = { computation, _isle_tls.frame };
  gboolean ok;

  computation->version = _isle_next_version ();
  computation->deps_tail = NULL;
  if (G_UNLIKELY (computation->owned != NULL))
    teardown (computation);

  _isle_tls.frame = &frame;
  _isle_tls.active_sub = computation;
  _isle_tls.depth++;

  /* Only a derived has a value to compute: a constant in each caller. */
  if (value != NULL)
    ok = ((IsleDeriveFunc) computation->func) ((IsleDerived *) computation, value,
                                               computation->user_data, error);
  else
    ok = ((IsleEffectFunc) computation->func) ((IsleEffect *) computation,
                                               computation->user_data, error);

  _isle_tls.depth--;
  _isle_tls.active_sub = prev_sub;
  _isle_tls.frame = frame.prev;

  if (ok && error != NULL && *error != NULL)
    {
      g_critical ("%s: its callback set an error but returned TRUE", G_STRFUNC);
      g_clear_error (error);
    }

  return ok;
}

static gboolean
take_poison_slow (IsleComputation  *computation,
                  GError          **error)
{
  g_autofree char *label = NULL;

  computation->node.flags &= ~ISLE_NODE_POISONED;
  label = node_dup_bare_label (&computation->node);
  g_clear_error (error);
  g_set_error (error, ISLE_ERROR, ISLE_ERROR_CYCLE, "cycle: %s depends on itself", label);

  return TRUE;
}

/* Takes the result of a run that took part in a cycle: the check inline,
 * the rare rest out of line. */
static inline gboolean
take_poison (IsleComputation  *computation,
             GError          **error)
{
  if (G_LIKELY (!(computation->node.flags & ISLE_NODE_POISONED)))
    return FALSE;

  return take_poison_slow (computation, error);
}

/* A derived asked to compute deeper than ISLE_MAX_DEPTH: it fails. */
G_NO_INLINE static gboolean
refuse_too_deep (IsleComputation *computation)
{
  IsleNode *node = &computation->node;

  /* Every computation on the stack read (or is about to read) a value
   * that could not be computed: they all fail quietly and stay DIRTY,
   * so that their next read, from shallower down, computes them. */
  for (IsleFrame *frame = _isle_tls.frame; frame != NULL; frame = frame->prev)
    frame->computation->node.flags |= ISLE_NODE_REFUSED;

  node->flags = (node->flags & ~ISLE_NODE_PROPAGATION_MASK) | ISLE_NODE_DIRTY;
  report_failure (computation,
                  g_error_new (ISLE_ERROR, ISLE_ERROR_TOO_DEEP,
                               "too deep: more than %d computations nested", ISLE_MAX_DEPTH),
                  FALSE);
  return FALSE;
}

/* The general end of a recomputation, out of line: a failure, a cycle,
 * a refused read, a disposal during the run, a custom equal func, a value
 * that needs copying or freeing, an inspector watching. Takes @value and
 * @error. Returns whether the value changed. */
G_NO_INLINE static gboolean
finish_update (IsleComputation *computation,
               gboolean         ok,
               GValue          *value,
               GError          *error_in)
{
  IsleNode *node = &computation->node;
  g_autoptr(GError) error = error_in;
  gboolean quiet = FALSE;

  if (take_poison (computation, &error))
    {
      ok = FALSE;
      /* Only the node where the cycle closed speaks; the others on the
       * way keep their last good values quietly. */
      quiet = !(node->flags & ISLE_NODE_CYCLE_ROOT);
      node->flags &= ~ISLE_NODE_CYCLE_ROOT;
    }
  else if (G_UNLIKELY (node->flags & ISLE_NODE_REFUSED))
    {
      node->flags = (node->flags & ~ISLE_NODE_REFUSED) | ISLE_NODE_DIRTY;
      g_clear_error (&error);
      g_set_error (&error, ISLE_ERROR, ISLE_ERROR_TOO_DEEP,
                   "too deep: a dependency nested more than %d computations deep", ISLE_MAX_DEPTH);
      ok = FALSE;
      quiet = TRUE;
    }

  if (!ok || (node->flags & ISLE_NODE_DISPOSED))
    {
      value_clear (node, value);
      if (!ok && !(node->flags & ISLE_NODE_DISPOSED))
        report_failure (computation, g_steal_pointer (&error), quiet);
      return FALSE;
    }

  clear_failure (computation);

  if ((node->flags & ISLE_NODE_HAS_VALUE) && values_equal (node, &node->value, value))
    {
      value_clear (node, value);
      return FALSE;
    }

  if (ISLE_INSPECTING ())
    _isle_inspect_value_changed (node, &node->value, value);

  value_clear (node, &node->value);
  node->value = *value;
  node->flags |= ISLE_NODE_HAS_VALUE;

  return TRUE;
}

/* The flags that send a finished recomputation to finish_update(). */
#define ISLE_NODE_UNUSUAL_END \
  (ISLE_NODE_DISPOSED | ISLE_NODE_FAILED | ISLE_NODE_POISONED | \
   ISLE_NODE_REFUSED | ISLE_NODE_CUSTOM_EQUAL)

/* Recomputes a derived. Returns whether its value changed.
 *
 * The common case, a scalar derived that computed before and computes
 * again without trouble, is kept lean, as it is most of the work of a
 * write downstream: one test of the flags decides it, and the error, the
 * failure states and the inspector's hooks are left to finish_update(),
 * so this function sets up no cleanup of its own. */
G_ALWAYS_INLINE static inline gboolean
update_derived_inline (IsleComputation *computation)
{
  IsleNode *node = &computation->node;
  GError *error = NULL;
  gboolean ok;
  guint flags;
  GValue value;

  if (G_UNLIKELY (_isle_tls.depth >= ISLE_MAX_DEPTH))
    return refuse_too_deep (computation);

  node->flags = (node->flags & ~ISLE_NODE_PROPAGATION_MASK) | ISLE_NODE_RUNNING;
  value_init (node, &value);

  if (ISLE_INSPECTING ())
    _isle_inspect_will_run (computation);

  ok = run_callback (computation, &value, &error);

  flags = node->flags & ~ISLE_NODE_RUNNING;
  node->flags = flags;
  purge_deps (computation);

  /* A derived leaving its failed state, and an inspector that came while
   * the callback ran, go the general way. An inline value needs no
   * clearing, and the error is unset when @ok. */
  if (G_LIKELY (ok &&
                (flags & (ISLE_NODE_UNUSUAL_END | ISLE_NODE_INLINE | ISLE_NODE_HAS_VALUE)) ==
                (ISLE_NODE_INLINE | ISLE_NODE_HAS_VALUE)) &&
      !ISLE_INSPECTING ())
    {
      /* An int, the common case, is copied alone: the callback has just
       * stored it (g_value_set_int () stores v_int only), and a wider
       * load of the value would span that store and value_init ()'s,
       * which the CPU cannot forward to it (a stall of a dozen cycles).
       * Nothing reads the rest of an int's GValue (value_init () zeroed
       * it). An enum or flags value, stored in v_long, is copied whole
       * below. */
      if (G_LIKELY (node->equal_kind == ISLE_EQUAL_INT))
        {
          int v = value.data[0].v_int;

          if (node->value.data[0].v_int == v)
            return FALSE;

          node->value.data[0].v_int = v;
          return TRUE;
        }

      if (values_equal_builtin (node, &node->value, &value))
        return FALSE;

      node->value = value;
      return TRUE;
    }

  return finish_update (computation, ok, &value, error);
}

/* update_derived_inline () for the other callers, out of line: only
 * check_dirty ()'s way back up, where a write's chain of recomputations
 * happens, and _isle_node_read_slow (), where a recomputation reads the
 * ones it depends on that a write made DIRTY, have a copy of their own
 * (no call, no frame, no saves of its own there: a fifth of a small
 * derived's recomputation). */
ISLE_HOT static gboolean
update_derived (IsleComputation *computation)
{
  return update_derived_inline (computation);
}

static gboolean
update_node (IsleNode *node)
{
  if (node->kind == ISLE_NODE_STATE)
    {
      /* A state is DIRTY only after a write that changed it. */
      node->flags &= ~ISLE_NODE_DIRTY;
      return TRUE;
    }

  return update_derived ((IsleComputation *) node);
}

/* A derived reads itself (directly or through others): every run on the
 * way is poisoned and fails; the derived that closed the cycle reports
 * it. */
static void
cycle_detected (IsleNode *node)
{
  for (IsleFrame *frame = _isle_tls.frame; frame != NULL; frame = frame->prev)
    {
      frame->computation->node.flags |= ISLE_NODE_POISONED;
      if (&frame->computation->node == node)
        {
          node->flags |= ISLE_NODE_CYCLE_ROOT;
          break;
        }
    }
}

/*
 * _isle_node_track:
 *
 * Records that @sub read @node (the out-of-line part of
 * _isle_node_read()), once neither the stamp nor _isle_link_reuse() found
 * a link to use.
 */
ISLE_HOT void
_isle_node_track (IsleNode        *node,
                  IsleComputation *sub)
{
  if (sub->node.graph == node->graph && !(sub->node.flags & ISLE_NODE_DISPOSED))
    link_dep (node, sub);
}

/*
 * _isle_node_read_slow:
 *
 * Brings a state or derived up to date, records the dependency of the
 * running computation on it, and returns its value.
 */
ISLE_HOT const GValue *
_isle_node_read_slow (IsleNode *node)
{
  IsleComputation *sub;

  if (node->kind == ISLE_NODE_DERIVED)
    {
      guint flags = node->flags;

      if (G_UNLIKELY (flags & ISLE_NODE_RUNNING))
        {
          cycle_detected (node);
          return &node->value;
        }

      if ((flags & ISLE_NODE_DIRTY) ||
          ((flags & ISLE_NODE_PENDING) &&
           (check_dirty (((IsleComputation *) node)->deps, node) ||
            (node->flags &= ~ISLE_NODE_PENDING, FALSE))))
        {
          if (update_derived_inline ((IsleComputation *) node) && node->subs != NULL)
            shallow_propagate (node->subs);
        }
    }
  else if (node->flags & ISLE_NODE_DIRTY)
    {
      node->flags &= ~ISLE_NODE_DIRTY;
      if (node->subs != NULL)
        shallow_propagate (node->subs);
    }

  /* As in _isle_node_read (): the stamp and the cheap re-uses inline. */
  sub = _isle_tls.active_sub;
  if (sub != NULL && node->tracked != sub->version && !_isle_link_reuse (node, sub))
    _isle_node_track (node, sub);

  return &node->value;
}

/*
 * _isle_node_read_checked:
 * @linked: whether _isle_node_read_again() found @node linked, which
 *   proves it valid
 *
 * The out-of-line part of ISLE_NODE_GET_SCALAR(): checks @node as
 * _isle_node_check_fast() does, unless @linked, and reads it. Returns a
 * zeroed value if the check failed (the fallback of every scalar getter).
 */
ISLE_HOT const GValue *
_isle_node_read_checked (IsleNode     *node,
                         IsleNodeKind  kind,
                         GType         value_type,
                         gboolean      linked,
                         const char   *func)
{
  static const GValue none = G_VALUE_INIT;

  /* A linked node is stale (the getter took a clean one itself): it goes
   * to be brought up to date at once, by a tail call, as does a node to
   * bring up to date after its check. No frame here. */
  if (linked)
    return _isle_node_read_slow (node);

  if (!_isle_node_check_fast (node, kind, value_type, FALSE, func))
    return &none;

  return _isle_node_read (node);
}

/*
 * _isle_node_changed:
 *
 * Called after the value of a state changed in place.
 */
ISLE_HOT void
_isle_node_changed (IsleNode *node)
{
  node->flags |= ISLE_NODE_DIRTY;

  /* Before the propagation, which stays a tail call: what a hook creates
   * (use_atom's write-back effect) is only queued, not run, here. */
  if (G_UNLIKELY (node->write_hooked))
    run_first_write (node);

  if (node->subs != NULL)
    _isle_node_propagate (node->subs);
}

/*
 * _isle_node_take_value:
 * @value: (transfer full): a value of the state's type
 *
 * Sets a state to @value unless it equals the current value.
 */
void
_isle_node_take_value (IsleNode *node,
                       GValue   *value)
{
  if (values_equal (node, &node->value, value))
    {
      value_clear (node, value);
      return;
    }

  if (ISLE_INSPECTING ())
    _isle_inspect_value_changed (node, &node->value, value);

  value_clear (node, &node->value);
  node->value = *value;
  _isle_node_changed (node);
}

/* Puts into @copy a copy of @value converted to the type of @node, or
 * reports why it does not convert. */
static gboolean
convert_value (IsleNode     *node,
               const GValue *value,
               GValue       *copy,
               const char   *func)
{
  GType type = G_VALUE_TYPE (&node->value);

  g_value_init (copy, type);

  if (g_value_type_compatible (G_VALUE_TYPE (value), type))
    {
      g_value_copy (value, copy);
    }
  else if (!g_value_type_transformable (G_VALUE_TYPE (value), type) ||
           !g_value_transform (value, copy))
    {
      g_autofree char *label = _isle_node_dup_label (node);

      g_critical ("%s: %s holds values of type %s, not %s", func, label,
                  g_type_name (type), G_VALUE_TYPE_NAME (value));
      g_value_unset (copy);
      return FALSE;
    }

  return TRUE;
}

/*
 * _isle_node_write_value:
 *
 * Sets a state from a value of its type or of one that converts to it.
 */
void
_isle_node_write_value (IsleNode     *node,
                        const GValue *value,
                        const char   *func)
{
  GValue copy = G_VALUE_INIT;

  if (!convert_value (node, value, &copy, func))
    return;

  _isle_node_take_value (node, &copy);
}

/*
 * _isle_derived_override:
 * @value: (transfer full): a value of the derived's type
 *
 * Sets a derived by hand (a writable derived, Svelte 5.25's assignment to
 * a `$derived`): the value holds until one of its dependencies changes,
 * then the derived recomputes as before.
 *
 * No flag marks an overridden derived: the override is the ordinary clean
 * state of a derived whose dependencies are linked. A stale derived is
 * therefore brought up to date first (as Svelte runs a DIRTY one): a
 * never computed one links its dependencies, and a PENDING one settles
 * the PENDING chain below it, whose next change would otherwise stop
 * there ("already notified") and never reach the derived again. Then the
 * new value replaces the cached one, and what depends on it is marked as
 * after a recomputation that changed it: everything downstream PENDING and
 * its effects queued (propagate()), the direct subscribers DIRTY
 * (shallow_propagate()), since the derived itself must not be DIRTY, or
 * their check would recompute it and lose the value.
 */
void
_isle_derived_override (IsleNode   *node,
                        GValue     *value,
                        const char *func)
{
  IsleComputation *computation = (IsleComputation *) node;
  guint flags = node->flags;

  if (G_UNLIKELY (flags & ISLE_NODE_RUNNING))
    {
      g_autofree char *label = _isle_node_dup_label (node);

      g_critical ("%s: %s was set by its own function; a derived may be set "
                  "only from outside its computation", func, label);
      value_clear (node, value);
      return;
    }

  if ((flags & ISLE_NODE_DIRTY) ||
      ((flags & ISLE_NODE_PENDING) &&
       (check_dirty (computation->deps, node) ||
        (node->flags &= ~ISLE_NODE_PENDING, FALSE))))
    {
      if (update_derived (computation) && node->subs != NULL)
        shallow_propagate (node->subs);
      if (node->flags & ISLE_NODE_DISPOSED)
        {
          value_clear (node, value);
          return;
        }
    }

  /* What was set is a good value: a failure of the last run is over. */
  clear_failure (computation);

  if ((node->flags & ISLE_NODE_HAS_VALUE) && values_equal (node, &node->value, value))
    {
      value_clear (node, value);
      return;
    }

  value_clear (node, &node->value);
  node->value = *value;
  node->flags = (node->flags & ~(ISLE_NODE_DIRTY | ISLE_NODE_PENDING)) | ISLE_NODE_HAS_VALUE;

  if (node->subs != NULL)
    {
      _isle_node_propagate (node->subs);
      shallow_propagate (node->subs);
    }
}

/*
 * _isle_derived_write_value:
 *
 * Sets a derived from a value of its type or of one that converts to it.
 */
void
_isle_derived_write_value (IsleNode     *node,
                           const GValue *value,
                           const char   *func)
{
  GValue copy = G_VALUE_INIT;

  if (!convert_value (node, value, &copy, func))
    return;

  _isle_derived_override (node, &copy, func);
}

/* The general end of an effect's run, out of line: a failure, a cycle, a
 * refused read, a disposal during the run, the end of a failed state.
 * Takes @error. */
G_NO_INLINE static void
finish_effect_run (IsleComputation *effect,
                   gboolean         ok,
                   GError          *error_in)
{
  IsleNode *node = &effect->node;
  g_autoptr(GError) error = error_in;

  if (node->flags & ISLE_NODE_DISPOSED)
    return;

  purge_deps (effect);

  if (take_poison (effect, &error))
    ok = FALSE;

  if (G_UNLIKELY (node->flags & ISLE_NODE_REFUSED))
    {
      node->flags &= ~ISLE_NODE_REFUSED;
      g_clear_error (&error);
      g_set_error (&error, ISLE_ERROR, ISLE_ERROR_TOO_DEEP,
                   "too deep: a dependency nested more than %d computations deep", ISLE_MAX_DEPTH);
      ok = FALSE;
    }

  if (!ok)
    report_failure (effect, g_steal_pointer (&error), FALSE);
  else
    clear_failure (effect);

  /* It wrote something it had read: run it again (the graph's flush
   * stops an effect that keeps doing so). */
  if (node->flags & ISLE_NODE_PENDING)
    notify_effect (node);
}

/*
 * _isle_effect_deps_changed:
 *
 * Whether a PENDING effect must run: check_dirty() on its dependencies
 * (the rest of _isle_computation_run_effect() is inline in the flush).
 */
ISLE_HOT gboolean
_isle_effect_deps_changed (IsleComputation *effect)
{
  return check_dirty (effect->deps, &effect->node);
}

/*
 * _isle_effect_run:
 * @flags: its flags from before its check
 *
 * Runs the callback of an effect that must run.
 *
 * As in update_derived(), the common end of a run is one test of the
 * flags, the rest is finish_effect_run(): no GError cleanup here.
 */
ISLE_HOT void
_isle_effect_run (IsleComputation *effect,
                  guint            flags)
{
  IsleNode *node = &effect->node;
  GError *error = NULL;
  gboolean ok;

  node->flags = (flags & ~ISLE_NODE_PROPAGATION_MASK) | ISLE_NODE_RUNNING;
  if (G_UNLIKELY (node->effect.cleanups != NULL || effect->owned != NULL))
    teardown (effect);

  if (ISLE_INSPECTING ())
    _isle_inspect_will_run (effect);

  ok = run_callback (effect, NULL, &error);

  flags = node->flags & ~ISLE_NODE_RUNNING;
  node->flags = flags;
  node->effect.run_count++;

  if (G_UNLIKELY (!ok ||
                  (flags & (ISLE_NODE_DISPOSED | ISLE_NODE_FAILED | ISLE_NODE_POISONED | ISLE_NODE_REFUSED))))
    {
      finish_effect_run (effect, ok, error);
      return;
    }

  purge_deps (effect);

  /* It wrote something it had read: run it again. */
  if (flags & ISLE_NODE_PENDING)
    notify_effect (node);
}

/*
 * _isle_computation_run_root:
 *
 * Runs an effect root once, at once, as Svelte's `$effect.root` does: its
 * function reads without tracking (nothing it reads makes it run again),
 * and the nodes it creates are owned by the root, so they live until the
 * root is disposed. It never runs again; its cleanups run at its disposal.
 */
void
_isle_computation_run_root (IsleComputation *root)
{
  IsleNode *node = &root->node;
  IsleComputation *prev_sub = _isle_tls.active_sub;
  IsleFrame frame = { root, _isle_tls.frame };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (G_UNLIKELY (_isle_tls.depth >= ISLE_MAX_DEPTH))
    {
      report_failure (root,
                      g_error_new (ISLE_ERROR, ISLE_ERROR_TOO_DEEP,
                                   "too deep: more than %d computations nested", ISLE_MAX_DEPTH),
                      FALSE);
      return;
    }

  node->flags |= ISLE_NODE_RUNNING;
  root->version = _isle_next_version ();

  _isle_tls.frame = &frame;
  _isle_tls.active_sub = NULL;
  _isle_tls.depth++;

  ok = ((IsleEffectFunc) root->func) ((IsleEffect *) root, root->user_data, &error);

  _isle_tls.depth--;
  _isle_tls.active_sub = prev_sub;
  _isle_tls.frame = frame.prev;

  node->flags &= ~ISLE_NODE_RUNNING;
  node->effect.run_count++;
  if (node->flags & ISLE_NODE_DISPOSED)
    return;

  if (ok && error != NULL)
    {
      g_critical ("%s: its callback set an error but returned TRUE", G_STRFUNC);
      g_clear_error (&error);
    }

  if (!ok)
    report_failure (root, g_steal_pointer (&error), FALSE);
}

/*
 * _isle_computation_fail:
 *
 * Reports @effect as failed without running it (a runaway effect).
 */
void
_isle_computation_fail (IsleComputation *computation,
                        GError          *error)
{
  computation->node.flags &= ~ISLE_NODE_PROPAGATION_MASK;
  report_failure (computation, error, FALSE);
}

/* }}} */

/* Disposal {{{ */

/* Whether disposing @node may call code of the user's: a destroy notify,
 * a cleanup, a child's, or the free function of a boxed or object value. */
static gboolean
may_run_user_code (IsleNode *node)
{
  if (values_need_unset (node))
    return TRUE;
  if (node->has_extra && node_get_extra (node)->equal_destroy != NULL)
    return TRUE;
  if (node->write_hooked)
    return TRUE;

  if (node->kind != ISLE_NODE_STATE)
    {
      IsleComputation *computation = (IsleComputation *) node;

      return computation->destroy != NULL || computation->owned != NULL ||
             (node->kind == ISLE_NODE_EFFECT && node->effect.cleanups != NULL);
    }

  return FALSE;
}

/*
 * _isle_node_dispose:
 *
 * Tears @node down: runs its cleanups, disposes what it owns, leaves every
 * dependency list it is in, frees its callback's data and its value. The
 * memory goes with the last reference.
 */
void
_isle_node_dispose (IsleNode *node)
{
  IsleGraph *graph = node->graph;
  gboolean whole_graph;
  gboolean guard;
  gboolean owner_let_go;

  if (node->flags & ISLE_NODE_DISPOSED)
    return;

  /* When the whole graph goes, every link goes with it: there is no need
   * to unlink them one by one (the graph frees them in bulk), and the
   * graph's list of nodes keeps each node alive meanwhile. */
  whole_graph = graph->disposing;

  if (ISLE_INSPECTING ())
    _isle_inspect_node_disposed (node);

  /* The owner's reference keeps the node alive until the graph lets go
   * (below); only code of the user's, which may do anything, calls for a
   * reference of our own meanwhile. */
  guard = !whole_graph && may_run_user_code (node);
  if (guard)
    _isle_node_ref (node);
  node->flags |= ISLE_NODE_DISPOSED;

  /* A disposed node can no longer be found by its name. */
  if (node->has_extra && graph->named != NULL)
    _isle_graph_name_node (graph, node, _isle_node_get_name (node), NULL);

  if (node->kind != ISLE_NODE_STATE)
    {
      IsleComputation *computation = (IsleComputation *) node;
      GDestroyNotify destroy = computation->destroy;
      gpointer user_data = computation->user_data;
      IsleLink *link;

      if ((node->kind == ISLE_NODE_EFFECT && node->effect.cleanups != NULL) ||
          computation->owned != NULL)
        teardown (computation);

      link = computation->deps;
      while (link != NULL && !whole_graph)
        link = unlink_dep (link, NULL);
      computation->deps = NULL;
      computation->deps_tail = NULL;

      computation->func = NULL;
      computation->user_data = NULL;
      computation->destroy = NULL;
      if (destroy != NULL)
        destroy (user_data);
    }

  while (node->subs != NULL && !whole_graph)
    unlink_sub (node->subs);
  node->subs = NULL;

  drop_write_hook (node);

  if (node->has_extra)
    {
      IsleNodeExtra *extra = node_get_extra (node);
      GDestroyNotify equal_destroy = extra->equal_destroy;

      g_clear_error (&extra->error);
      extra->equal_destroy = NULL;
      extra->equal = NULL;
      node->flags &= ~ISLE_NODE_CUSTOM_EQUAL;
      if (equal_destroy != NULL)
        equal_destroy (extra->equal_data);
    }

  /* Keep the type (for messages and get_value_type()), drop the value. */
  if (values_need_unset (node))
    g_value_reset (&node->value);

  node->graph = NULL;
  owner_let_go = _isle_graph_node_disposed (graph, node);

  if (guard)
    _isle_node_unref (node);
  if (owner_let_go)
    _isle_node_unref (node);
}

/*
 * _isle_computation_add_owned:
 *
 * The owner of a new node: the computation running in @graph, if any.
 */
gboolean
_isle_computation_add_owned (IsleGraph *graph,
                             IsleNode  *node)
{
  IsleComputation *owner;

  if (_isle_tls.frame == NULL)
    return FALSE;

  owner = _isle_tls.frame->computation;
  if (owner->node.graph != graph)
    return FALSE;

  if (owner->owned == NULL)
    owner->owned = g_ptr_array_new_with_free_func ((GDestroyNotify) _isle_node_unref);
  g_ptr_array_add (owner->owned, node);

  return TRUE;
}

/* }}} */

/* vim:set foldmethod=marker: */
