/* isle-async-derived.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* An async derived, made of the engine's public parts only (an effect that
 * tracks the dependencies and starts runs, two states the runs' results
 * go into, two deriveds that show them read-only): the engine itself is
 * not touched. */

#include "config.h"

#include "isle-run-private.h"
#include "isle-stores.h"

/**
 * IsleAsyncDerived:
 *
 * A value of an island's graph that comes from an asynchronous function,
 * like Svelte's `$derived (await …)`: the in-island counterpart of
 * [class@Isle.Resource].
 *
 * Its function runs like an effect (first at the next flush, then after
 * any of the states and deriveds it read changes) and starts a run: a
 * [class@Gio.Task] it completes with g_task_return_value() or
 * g_task_return_error(), on the main context or from a worker thread. A
 * new run cancels the previous one's cancellable, and a superseded run's
 * result is never delivered.
 *
 * Read the value through [method@Isle.AsyncDerived.get_value_node], an
 * [struct@Isle.Derived] that other deriveds, effects and bindings depend
 * on as on any other; it keeps its last value while a new run loads.
 * [method@Isle.AsyncDerived.get_loading_node] is a boolean derived for
 * the same, and the [property@Isle.AsyncDerived:loading] and
 * [property@Isle.AsyncDerived:error] properties notify. Every run counts
 * as a pending task until it completes ([func@Isle.task_wait_all]). A run
 * whose task is dropped without a result fails with %ISLE_ERROR_FAILED,
 * set on the graph's main context even when a worker thread dropped it.
 *
 * ```c
 * static void
 * lookup_cb (IsleAsyncDerived *self, GTask *task, gpointer data)
 * {
 *   Pane *pane = data;
 *   const char *query = isle_state_get_string (pane->query);  // a dependency
 *
 *   search_async (query, g_task_get_cancellable (task), found_cb, g_object_ref (task));
 * }
 *
 * pane->results = isle_async_derived_new (graph, G_TYPE_STRV, lookup_cb, pane, NULL);
 * isle_island_bind_derived (island, isle_async_derived_get_value_node (pane->results),
 *                           list, "strings", NULL, NULL, NULL);
 * ```
 *
 * The nodes belong to the graph (and to the island setup or effect that
 * created them); once they are disposed, results are dropped.
 *
 * Since: 1.0
 */

struct _IsleAsyncDerived
{
  GObject              parent_instance;

  GType                value_type;
  IsleState           *value_state;
  IsleState           *loading_state;
  IsleDerived         *value_node;
  IsleDerived         *loading_node;
  IsleEffect          *effect;

  IsleAsyncDeriveFunc  func;
  gpointer             user_data;
  GDestroyNotify       destroy;

  IsleRunner           runner;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ERROR,
  PROP_N_RUNS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (IsleAsyncDerived, isle_async_derived, G_TYPE_OBJECT)

/* The loading flag is kept in the runner too: a read of the state inside
 * the effect's run would make it a dependency of the run that writes it. */
static void
loading_changed (GObject  *owner,
                 gboolean  loading)
{
  IsleAsyncDerived *self = ISLE_ASYNC_DERIVED (owner);

  if (!isle_state_is_disposed (self->loading_state))
    isle_state_set_boolean (self->loading_state, loading);
}

static void
run_done_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  IsleRun *run = user_data;
  g_autoptr(IsleAsyncDerived) self = _isle_run_claim (run);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_value (G_TASK (result), &value, &error);

  /* Superseded, or the derived (or its graph) is gone: dropped. */
  if (self == NULL || isle_state_is_disposed (self->value_state))
    {
      _isle_run_end (run);
      return;
    }

  if (ok && !g_value_type_compatible (G_VALUE_TYPE (&value), self->value_type))
    {
      g_set_error (&error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "its run returned a value of type %s, not %s",
                   G_VALUE_TYPE_NAME (&value), g_type_name (self->value_type));
      ok = FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  _isle_runner_set_loading (&self->runner, G_OBJECT (self), FALSE);
  if (ok)
    {
      _isle_runner_set_error (&self->runner, G_OBJECT (self), NULL);
      isle_state_set_value (self->value_state, &value);
    }
  else
    _isle_runner_set_error (&self->runner, G_OBJECT (self), g_steal_pointer (&error));
  g_object_thaw_notify (G_OBJECT (self));

  _isle_run_end (run);
}

/* The cleanup of a run: it is superseded (by the next run, or by the
 * disposal of the effect). */
typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
} Supersede;

static void
supersede_free (gpointer data)
{
  Supersede *supersede = data;

  g_weak_ref_clear (&supersede->self);
  g_clear_object (&supersede->cancellable);
  g_free (supersede);
}

static void
supersede_cb (gpointer data)
{
  Supersede *supersede = data;
  g_autoptr(IsleAsyncDerived) self = g_weak_ref_get (&supersede->self);

  if (self != NULL)
    _isle_runner_supersede (&self->runner, supersede->cancellable);
  else
    g_cancellable_cancel (supersede->cancellable);
}

static gboolean
effect_cb (IsleEffect  *effect,
           gpointer     user_data,
           GError     **error)
{
  IsleAsyncDerived *self = user_data;
  g_autoptr(GTask) task = NULL;
  Supersede *supersede;

  task = _isle_runner_start (&self->runner, G_OBJECT (self), run_done_cb,
                             effect_cb, "[isle] async derived run");

  /* Before the next run and on disposal: this one is superseded. */
  supersede = g_new0 (Supersede, 1);
  g_weak_ref_init (&supersede->self, self);
  supersede->cancellable = g_object_ref (g_task_get_cancellable (task));
  isle_effect_add_cleanup (effect, supersede_cb, supersede, supersede_free);

  self->func (self, task, self->user_data);

  return TRUE;
}

static gboolean
copy_state_cb (IsleDerived  *derived,
               GValue       *value,
               gpointer      user_data,
               GError      **error)
{
  g_auto(GValue) current = G_VALUE_INIT;

  isle_state_get_value (user_data, &current);
  g_value_copy (&current, value);

  return TRUE;
}

static void
isle_async_derived_dispose (GObject *object)
{
  IsleAsyncDerived *self = ISLE_ASYNC_DERIVED (object);

  /* The effect's cleanup cancels the pending run, no longer the current
   * one (supersede_cb ()); the nodes go with it (the graph would
   * otherwise keep them until it is disposed). */
  if (self->effect != NULL && !isle_effect_is_disposed (self->effect))
    isle_effect_dispose (self->effect);
  if (self->value_node != NULL && !isle_derived_is_disposed (self->value_node))
    isle_derived_dispose (self->value_node);
  if (self->loading_node != NULL && !isle_derived_is_disposed (self->loading_node))
    isle_derived_dispose (self->loading_node);
  if (self->value_state != NULL && !isle_state_is_disposed (self->value_state))
    isle_state_dispose (self->value_state);
  if (self->loading_state != NULL && !isle_state_is_disposed (self->loading_state))
    isle_state_dispose (self->loading_state);
  self->runner.current = NULL;

  g_clear_pointer (&self->effect, isle_effect_unref);
  g_clear_pointer (&self->value_node, isle_derived_unref);
  g_clear_pointer (&self->loading_node, isle_derived_unref);
  g_clear_pointer (&self->value_state, isle_state_unref);
  g_clear_pointer (&self->loading_state, isle_state_unref);

  if (self->destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&self->destroy);

      destroy (g_steal_pointer (&self->user_data));
    }

  G_OBJECT_CLASS (isle_async_derived_parent_class)->dispose (object);
}

static void
isle_async_derived_finalize (GObject *object)
{
  IsleAsyncDerived *self = ISLE_ASYNC_DERIVED (object);

  _isle_runner_clear (&self->runner);

  G_OBJECT_CLASS (isle_async_derived_parent_class)->finalize (object);
}

static void
isle_async_derived_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  IsleAsyncDerived *self = ISLE_ASYNC_DERIVED (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, isle_async_derived_get_loading (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, isle_async_derived_get_error (self));
      break;

    case PROP_N_RUNS:
      g_value_set_uint (value, isle_async_derived_get_n_runs (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_async_derived_class_init (IsleAsyncDerivedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isle_async_derived_dispose;
  object_class->finalize = isle_async_derived_finalize;
  object_class->get_property = isle_async_derived_get_property;

  /**
   * IsleAsyncDerived:loading:
   *
   * Whether the newest run is pending.
   *
   * Since: 1.0
   */
  props[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleAsyncDerived:error:
   *
   * How the last completed run failed, or %NULL if it succeeded.
   *
   * Since: 1.0
   */
  props[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleAsyncDerived:n-runs:
   *
   * How many runs were started.
   *
   * Since: 1.0
   */
  props[PROP_N_RUNS] =
    g_param_spec_uint ("n-runs", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
isle_async_derived_init (IsleAsyncDerived *self)
{
  _isle_runner_init (&self->runner, props[PROP_LOADING], props[PROP_ERROR],
                     props[PROP_N_RUNS], loading_changed);
}

/**
 * isle_async_derived_new:
 * @graph: a graph
 * @value_type: the type of its values
 * @func: (scope notified) (closure user_data) (destroy destroy): starts a run
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the async derived is disposed
 *
 * Creates an async derived in @graph. Its first run starts at the graph's
 * next flush; until a run completes, its value is the default of
 * @value_type.
 *
 * Returns: (transfer full): a new async derived
 *
 * Since: 1.0
 */
IsleAsyncDerived *
isle_async_derived_new (IsleGraph           *graph,
                        GType                value_type,
                        IsleAsyncDeriveFunc  func,
                        gpointer             user_data,
                        GDestroyNotify       destroy)
{
  IsleAsyncDerived *self;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (ISLE_TYPE_ASYNC_DERIVED, NULL);
  self->value_type = value_type;
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;

  self->value_state = isle_state_ref (isle_state_new (graph, value_type));
  self->loading_state = isle_state_ref (isle_state_new_boolean (graph, FALSE));
  self->value_node = isle_derived_ref (isle_derived_new (graph, value_type, copy_state_cb,
                                                         self->value_state, NULL));
  self->loading_node = isle_derived_ref (isle_derived_new (graph, G_TYPE_BOOLEAN, copy_state_cb,
                                                           self->loading_state, NULL));
  self->effect = isle_effect_ref (isle_effect_new (graph, effect_cb, self, NULL));

  return self;
}

/**
 * isle_async_derived_get_value_node:
 * @self: an async derived
 *
 * Gets the derived that holds the newest run's value: read it (and depend
 * on it) like any derived of the graph.
 *
 * Returns: (transfer none): the value derived
 *
 * Since: 1.0
 */
IsleDerived *
isle_async_derived_get_value_node (IsleAsyncDerived *self)
{
  g_return_val_if_fail (ISLE_IS_ASYNC_DERIVED (self), NULL);

  return self->value_node;
}

/**
 * isle_async_derived_get_loading_node:
 * @self: an async derived
 *
 * Gets a boolean derived that is %TRUE while the newest run is pending,
 * for bindings and effects of the graph.
 *
 * Returns: (transfer none): the loading derived
 *
 * Since: 1.0
 */
IsleDerived *
isle_async_derived_get_loading_node (IsleAsyncDerived *self)
{
  g_return_val_if_fail (ISLE_IS_ASYNC_DERIVED (self), NULL);

  return self->loading_node;
}

/**
 * isle_async_derived_get_loading:
 * @self: an async derived
 *
 * Gets whether the newest run of @self is pending.
 *
 * Returns: %TRUE while it is loading
 *
 * Since: 1.0
 */
gboolean
isle_async_derived_get_loading (IsleAsyncDerived *self)
{
  g_return_val_if_fail (ISLE_IS_ASYNC_DERIVED (self), FALSE);

  return self->runner.loading;
}

/**
 * isle_async_derived_get_error:
 * @self: an async derived
 *
 * Gets how the last completed run of @self failed.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL
 *
 * Since: 1.0
 */
const GError *
isle_async_derived_get_error (IsleAsyncDerived *self)
{
  g_return_val_if_fail (ISLE_IS_ASYNC_DERIVED (self), NULL);

  return self->runner.error;
}

/**
 * isle_async_derived_get_n_runs:
 * @self: an async derived
 *
 * Gets how many runs of @self were started.
 *
 * Returns: the number of runs
 *
 * Since: 1.0
 */
guint
isle_async_derived_get_n_runs (IsleAsyncDerived *self)
{
  g_return_val_if_fail (ISLE_IS_ASYNC_DERIVED (self), 0);

  return self->runner.n_runs;
}
