/* isle-effect.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-node-private.h"

/**
 * IsleEffect:
 *
 * A function run for its side effects whenever what it read changes, like
 * Svelte's `$effect`: it is where a graph touches widgets, files and the
 * network.
 *
 * An effect runs first at the next flush of its graph after it is
 * created, then again after any of its dependencies changed. Effects are
 * batched: many writes in one main-loop turn give one run, before the
 * next frame is drawn. Effects run in creation order, so an effect runs
 * before the effects it created.
 *
 * ```c
 * static gboolean
 * show_count_cb (IsleEffect *effect, gpointer user_data, GError **error)
 * {
 *   Badge *badge = user_data;
 *   g_autofree char *text = g_strdup_printf ("%d", isle_state_get_int (badge->count));
 *
 *   gtk_label_set_text (badge->label, text);
 *   return TRUE;
 * }
 *
 * isle_effect_new (graph, show_count_cb, badge, NULL);
 * ```
 *
 * An effect can register cleanups ([method@Isle.Effect.add_cleanup]),
 * called before its next run and when it is disposed. States, deriveds
 * and effects created while it runs are owned by it: they are disposed
 * before its next run and with it.
 *
 * Teardown goes children first, as in Svelte: before a rerun and on
 * disposal, the effects an effect owns are torn down first, in creation
 * order (each of them its own children first, then its cleanups), then
 * the effect's own cleanups run, then the other nodes it owns are
 * disposed, newest first. So a parent's cleanup that frees something its
 * children use runs after theirs, and any cleanup can still read the
 * states and deriveds of the run it belongs to. A graph (or an island)
 * disposes its own nodes the same way.
 *
 * ```c
 * // parent's run creates child1, then child2, each with a cleanup, and
 * // registers its own cleanup; on its next run, or its disposal:
 * //   child1's cleanup, child2's cleanup, parent's cleanup
 * ```
 *
 * A failing run is reported once and the graph goes on; an effect that
 * keeps re-triggering itself (it writes what it reads) is stopped after
 * a fixed number of runs in one flush and reported.
 *
 * An effect root ([ctor@Isle.Effect.new_root], Svelte's `$effect.root`)
 * is an effect tree owned by nobody: created inside a running derived or
 * effect, it survives that computation's reruns and disposal, and lives
 * until it is disposed (or its graph is).
 *
 * Since: 1.0
 */

G_DEFINE_BOXED_TYPE (IsleEffect, isle_effect, isle_effect_ref, isle_effect_unref)

static IsleEffect *
effect_new (IsleGraph      *graph,
            IsleEffectFunc  func,
            gpointer        user_data,
            GDestroyNotify  destroy,
            gboolean        unowned)
{
  IsleComputation *computation;

  computation = (IsleComputation *) (unowned ? _isle_node_new_unowned (graph, ISLE_NODE_EFFECT, G_TYPE_INVALID)
                                             : _isle_node_new (graph, ISLE_NODE_EFFECT, G_TYPE_INVALID));
  computation->func = func;
  computation->user_data = user_data;
  computation->destroy = destroy;

  computation->node.flags |= ISLE_NODE_DIRTY;
  _isle_graph_queue_effect (graph, computation);

  return (IsleEffect *) computation;
}

/**
 * isle_effect_new: (skip)
 * @graph: a graph
 * @func: (scope notified) (closure user_data) (destroy destroy): the effect's body
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the effect is disposed
 *
 * Creates an effect and queues its first run for the next flush.
 *
 * Bindings use [ctor@Isle.Effect.new_closure], which appears under this
 * name.
 *
 * Returns: (transfer none): a new effect, owned by @graph or by the
 *   running computation
 *
 * Since: 1.0
 */
IsleEffect *
isle_effect_new (IsleGraph      *graph,
                 IsleEffectFunc  func,
                 gpointer        user_data,
                 GDestroyNotify  destroy)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  return effect_new (graph, func, user_data, destroy, FALSE);
}

/*
 * _isle_effect_new_unowned:
 *
 * Creates an effect, like isle_effect_new(), that belongs to its graph
 * even when created inside a running computation (which would otherwise
 * own it, and dispose it when it runs again).
 */
IsleEffect *
_isle_effect_new_unowned (IsleGraph      *graph,
                          IsleEffectFunc  func,
                          gpointer        user_data,
                          GDestroyNotify  destroy)
{
  return effect_new (graph, func, user_data, destroy, TRUE);
}

static GClosure *
failure_sentinel (void)
{
  static GClosure *sentinel;

  if (g_once_init_enter (&sentinel))
    {
      GClosure *closure = g_closure_new_simple (sizeof (GClosure), NULL);

      g_closure_ref (closure);
      g_closure_sink (closure);
      g_once_init_leave (&sentinel, closure);
    }

  return sentinel;
}

static void
invoke_cleanup_closure (gpointer user_data)
{
  g_closure_invoke (user_data, NULL, 0, NULL, NULL);
}

static gboolean
closure_effect_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  GClosure *closure = user_data;
  GClosure *sentinel = failure_sentinel ();
  GValue ret = G_VALUE_INIT;
  GValue arg = G_VALUE_INIT;
  GClosure *result;
  gboolean ok = TRUE;

  /* A binding's function returns nothing, which arrives as NULL; when it
   * raises, the return value is left untouched, so a sentinel there tells
   * a failure. A closure returned instead is a cleanup. */
  g_value_init (&ret, G_TYPE_CLOSURE);
  g_value_set_boxed (&ret, sentinel);
  g_value_init (&arg, ISLE_TYPE_EFFECT);
  g_value_set_boxed (&arg, self);

  g_closure_invoke (closure, &ret, 1, &arg, NULL);

  result = g_value_get_boxed (&ret);
  if (result == sentinel)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED,
                           "its function raised an exception or returned a value");
      ok = FALSE;
    }
  else if (result != NULL)
    {
      if (G_CLOSURE_NEEDS_MARSHAL (result))
        g_closure_set_marshal (result, g_cclosure_marshal_generic);
      isle_effect_add_cleanup (self, invoke_cleanup_closure, g_closure_ref (result),
                               (GDestroyNotify) g_closure_unref);
    }

  g_value_unset (&arg);
  g_value_unset (&ret);

  return ok;
}

/**
 * isle_effect_new_closure: (rename-to isle_effect_new)
 * @graph: a graph
 * @closure: a closure that takes the effect and returns nothing (or a
 *   #GClosure to call as a cleanup)
 *
 * Creates an effect running @closure, the form for language bindings, and
 * queues its first run for the next flush.
 *
 * In Python:
 *
 * ```python
 * Isle.Effect.new(graph, lambda e: label.set_text(str(count.get_int())))
 * ```
 *
 * A function that raises fails: the failure is reported and the graph
 * goes on.
 *
 * Returns: (transfer none): a new effect, owned by @graph or by the
 *   running computation
 *
 * Since: 1.0
 */
IsleEffect *
isle_effect_new_closure (IsleGraph *graph,
                         GClosure  *closure)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (closure != NULL, NULL);

  g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);

  return isle_effect_new (graph, closure_effect_cb, closure, (GDestroyNotify) g_closure_unref);
}

/**
 * isle_effect_new_root: (skip)
 * @graph: a graph
 * @func: (scope notified) (closure user_data) (destroy destroy): the root's body
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the root is disposed
 *
 * Creates an effect root, like Svelte's `$effect.root`, and runs @func in
 * it at once, once. The states, deriveds and effects @func creates belong
 * to the root; the root itself belongs to no computation, even when it is
 * created inside a running derived or effect: it survives that
 * computation's reruns and lives until [method@Isle.Effect.dispose]
 * disposes it (or its graph goes). Disposing it tears its tree down as
 * any effect's, children first: the effects it owns, in creation order,
 * then the cleanups @func registered on it
 * ([method@Isle.Effect.add_cleanup]), then its other nodes.
 *
 * What @func reads is not tracked: the root never runs again (the effects
 * it creates do, as any effect). A failure of @func is reported once; the
 * root keeps what @func created until then.
 *
 * ```c
 * static gboolean
 * tooltip_root_cb (IsleEffect *root, gpointer user_data, GError **error)
 * {
 *   IsleState *hovered = isle_state_new_boolean (isle_effect_get_graph (root), FALSE);
 *
 *   isle_effect_new (isle_effect_get_graph (root), show_tooltip_cb, hovered, NULL);
 *   isle_effect_add_cleanup (root, hide_tooltip, user_data, NULL);
 *   return TRUE;
 * }
 *
 * // inside any computation; lives until isle_effect_dispose (root)
 * IsleEffect *root = isle_effect_new_root (graph, tooltip_root_cb, popover, NULL);
 * ```
 *
 * Bindings use [ctor@Isle.Effect.new_root_closure], which appears under
 * this name.
 *
 * Returns: (transfer none): the root, owned by @graph until disposed
 *
 * Since: 1.0
 */
IsleEffect *
isle_effect_new_root (IsleGraph      *graph,
                      IsleEffectFunc  func,
                      gpointer        user_data,
                      GDestroyNotify  destroy)
{
  IsleComputation *computation;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  computation = (IsleComputation *) _isle_node_new_unowned (graph, ISLE_NODE_EFFECT, G_TYPE_INVALID);
  computation->func = func;
  computation->user_data = user_data;
  computation->destroy = destroy;

  /* Never queued: it has no dependencies, so nothing ever notifies it. */
  _isle_computation_run_root (computation);

  return (IsleEffect *) computation;
}

/**
 * isle_effect_new_root_closure: (rename-to isle_effect_new_root)
 * @graph: a graph
 * @closure: a closure that takes the root and returns nothing (or a
 *   #GClosure to call as the root's cleanup)
 *
 * Creates an effect root running @closure at once, the form for language
 * bindings; see [ctor@Isle.Effect.new_root].
 *
 * In Python:
 *
 * ```python
 * root = Isle.Effect.new_root(graph, lambda root: Isle.Effect.new(graph, show))
 * root.dispose()
 * ```
 *
 * Returns: (transfer none): the root, owned by @graph until disposed
 *
 * Since: 1.0
 */
IsleEffect *
isle_effect_new_root_closure (IsleGraph *graph,
                              GClosure  *closure)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (closure != NULL, NULL);

  g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);

  return isle_effect_new_root (graph, closure_effect_cb, closure, (GDestroyNotify) g_closure_unref);
}

/**
 * isle_effect_ref:
 * @self: an effect
 *
 * Acquires a reference on @self, to keep it past its owner.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
IsleEffect *
isle_effect_ref (IsleEffect *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (IsleEffect *) _isle_node_ref ((IsleNode *) self);
}

/**
 * isle_effect_unref:
 * @self: (transfer full): an effect
 *
 * Releases a reference on @self.
 *
 * Since: 1.0
 */
void
isle_effect_unref (IsleEffect *self)
{
  g_return_if_fail (self != NULL);

  _isle_node_unref ((IsleNode *) self);
}

/**
 * isle_effect_dispose:
 * @self: an effect
 *
 * Disposes @self: the effects it created are disposed (in creation
 * order, each its children first), then its cleanups run, then the other
 * nodes it created are disposed (newest first); it lets go of its
 * dependencies and frees its function's data; it never runs again.
 *
 * Unless you hold a reference of your own ([method@Isle.Effect.ref]),
 * the graph's (or its owner's) was the only one and @self is freed here:
 * it must not be used again. With a reference held, any further use is
 * reported and does nothing, and disposing again does nothing.
 *
 * Since: 1.0
 */
void
isle_effect_dispose (IsleEffect *self)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (self != NULL);
  g_return_if_fail (node->kind == ISLE_NODE_EFFECT);

  _isle_node_dispose (node);
}

/**
 * isle_effect_is_disposed:
 * @self: an effect
 *
 * Gets whether @self was disposed.
 *
 * Returns: %TRUE if @self was disposed
 *
 * Since: 1.0
 */
gboolean
isle_effect_is_disposed (IsleEffect *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return (((IsleNode *) self)->flags & ISLE_NODE_DISPOSED) != 0;
}

/**
 * isle_effect_get_graph:
 * @self: an effect
 *
 * Gets the graph @self belongs to.
 *
 * Returns: (transfer none) (nullable): the graph, or %NULL once @self was
 *   disposed
 *
 * Since: 1.0
 */
IsleGraph *
isle_effect_get_graph (IsleEffect *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ((IsleNode *) self)->graph;
}

/**
 * isle_effect_get_name:
 * @self: an effect
 *
 * Gets the name of @self.
 *
 * Returns: (nullable): the name of @self
 *
 * Since: 1.0
 */
const char *
isle_effect_get_name (IsleEffect *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return _isle_node_get_name ((IsleNode *) self);
}

/**
 * isle_effect_set_name:
 * @self: an effect
 * @name: (nullable): the new name
 *
 * Names @self; the name appears in every message about it.
 *
 * Since: 1.0
 */
void
isle_effect_set_name (IsleEffect *self,
                      const char *name)
{
  g_return_if_fail (self != NULL);

  _isle_node_set_name ((IsleNode *) self, name);
}

/**
 * isle_effect_get_error:
 * @self: an effect
 *
 * Gets why the last run of @self failed.
 *
 * Returns: (nullable) (transfer none): the error of the last run, or %NULL
 *   if it succeeded
 *
 * Since: 1.0
 */
const GError *
isle_effect_get_error (IsleEffect *self)
{
  IsleNode *node = (IsleNode *) self;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (node->kind == ISLE_NODE_EFFECT, NULL);

  return _isle_node_get_error (node);
}

/**
 * isle_effect_get_run_count:
 * @self: an effect
 *
 * Gets how many times @self ran, successfully or not.
 *
 * Returns: the number of runs
 *
 * Since: 1.0
 */
guint
isle_effect_get_run_count (IsleEffect *self)
{
  IsleNode *node = (IsleNode *) self;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (node->kind == ISLE_NODE_EFFECT, 0);

  return node->effect.run_count;
}

/**
 * isle_effect_add_cleanup:
 * @self: an effect
 * @func: (scope notified) (closure user_data) (destroy destroy): the cleanup
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data after @func ran
 *
 * Registers a cleanup: @func runs once, before the next run of @self or
 * when it is disposed, whichever comes first. Cleanups run in reverse
 * order of registration, after the effects @self created on that run
 * were torn down (see [struct@Isle.Effect] for the whole order).
 *
 * Since: 1.0
 */
void
isle_effect_add_cleanup (IsleEffect      *self,
                         IsleCleanupFunc  func,
                         gpointer         user_data,
                         GDestroyNotify   destroy)
{
  IsleComputation *computation = (IsleComputation *) self;
  IsleCleanup cleanup = { func, user_data, destroy };

  if (func == NULL ||
      !_isle_node_check ((IsleNode *) self, ISLE_NODE_EFFECT, G_TYPE_INVALID, TRUE, G_STRFUNC))
    {
      g_return_if_fail (func != NULL);
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  if (computation->node.effect.cleanups == NULL)
    computation->node.effect.cleanups = g_array_new (FALSE, FALSE, sizeof (IsleCleanup));
  g_array_append_val (computation->node.effect.cleanups, cleanup);
}
