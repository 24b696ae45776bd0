/* isle-resource.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-run-private.h"
#include "isle-store-private.h"

/**
 * IsleResource:
 *
 * A read-only store whose value comes from an asynchronous function of
 * other stores: an async computed (nanostores' `computed` returning a
 * `task`, Svelte's async `$derived`), for what is loaded from a file, a
 * D-Bus service or the network.
 *
 * Each time a source changes, the function starts a new *run* with the
 * sources' values and a [class@Gio.Task]; the run completes the task when
 * its value is ready, with [func@Isle.Resource.return_value] or
 * g_task_return_error(), from the main context or from a worker thread
 * (g_task_run_in_thread()). The previous run's cancellable is cancelled
 * at once, and its result, whenever it comes, is never delivered (“skips
 * stale update”): the resource only ever takes the result of the newest
 * run, on its own main context.
 *
 * While a run is pending [property@Isle.Resource:loading] is %TRUE and the
 * resource keeps its last value (at first, its type's zero); a run that
 * fails sets [property@Isle.Resource:error] and keeps the value; the next
 * one that succeeds clears it. Both properties notify, so a pane binds a
 * spinner and an error label to them with g_object_bind_property(). A run
 * whose task is dropped without a result (its last reference, on any
 * thread) fails too, with %ISLE_ERROR_FAILED; the properties change on
 * the resource's main context, never on the thread that dropped it.
 *
 * Like [class@Isle.Computed] it is lazy: it starts a run when it is read
 * or gains a listener and a source changed since its last run, and
 * listens to its sources only while it has listeners. Every run counts as
 * a pending task ([func@Isle.task_begin]) until it completes, stale or not,
 * so a test waits for all of them with [func@Isle.task_wait_all].
 *
 * ```c
 * static void
 * loaded_cb (GObject *file, GAsyncResult *result, gpointer data)
 * {
 *   g_autoptr(GTask) task = data;
 *   g_autoptr(GError) error = NULL;
 *   g_autofree char *contents = NULL;
 *
 *   if (!g_file_load_contents_finish (G_FILE (file), result, &contents, NULL, NULL, &error))
 *     g_task_return_error (task, g_steal_pointer (&error));
 *   else
 *     isle_resource_return_value (task, g_variant_new_string (contents));
 * }
 *
 * static void
 * load_cb (IsleResource *resource, GVariant *values, GTask *task, gpointer data)
 * {
 *   g_autoptr(GVariant) path = g_variant_get_child_value (values, 0);
 *   g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (path, NULL));
 *
 *   g_file_load_contents_async (file, g_task_get_cancellable (task),
 *                               loaded_cb, g_object_ref (task));
 * }
 *
 * IsleStore *sources[] = { ISLE_STORE (path) };
 * IsleResource *text = isle_resource_new ("text", G_VARIANT_TYPE_STRING,
 *                                         sources, 1, load_cb, NULL, NULL);
 * g_object_bind_property (text, "loading", spinner, "spinning", G_BINDING_SYNC_CREATE);
 * ```
 *
 * Since: 1.0
 */

struct _IsleResource
{
  IsleStore         parent_instance;

  GPtrArray        *sources;
  GArray           *handles;    /* listen handles while started */
  guint64          *versions;   /* of the sources when the last run started */
  IsleResourceFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;

  IsleRunner        runner;

  guint             ran : 1;      /* @versions are those of a run */
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ERROR,
  PROP_N_RUNS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (IsleResource, isle_resource, ISLE_TYPE_STORE)

static void
run_done_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  IsleRun *run = user_data;
  g_autoptr(IsleResource) self = _isle_run_claim (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = g_task_propagate_pointer (G_TASK (result), &error);

  /* Superseded (or the resource is gone): dropped, whatever it brought. */
  if (self == NULL)
    return;

  if (value == NULL && error == NULL)
    g_set_error_literal (&error, ISLE_ERROR, ISLE_ERROR_FAILED, "its run returned no value");
  if (value != NULL)
    _isle_store_check_value (ISLE_STORE (self), value, &error);

  /* The properties notify after the value's listeners ran, and those
   * already read loading as FALSE. */
  g_object_freeze_notify (G_OBJECT (self));
  _isle_runner_set_loading (&self->runner, G_OBJECT (self), FALSE);
  if (error != NULL)
    {
      g_autofree char *label = _isle_store_dup_label (ISLE_STORE (self));

      g_debug ("%s failed: %s", label, error->message);
      _isle_runner_set_error (&self->runner, G_OBJECT (self), g_steal_pointer (&error));
    }
  else
    {
      _isle_runner_set_error (&self->runner, G_OBJECT (self), NULL);
      _isle_store_replace_value (ISLE_STORE (self), g_steal_pointer (&value), NULL);
    }
  g_object_thaw_notify (G_OBJECT (self));

  /* Ended last, so that isle_task_wait_all () returns with the value in. */
  _isle_run_end (run);
}

static void
start_run (IsleResource *self)
{
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GTask) task = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_TUPLE);
  for (guint i = 0; i < self->sources->len; i++)
    {
      IsleStore *source = g_ptr_array_index (self->sources, i);
      g_autoptr(GVariant) value = NULL;

      /* Versions first, as in IsleComputed: a change racing in from
       * another thread shows up as a newer version. */
      self->versions[i] = isle_store_get_version (source);
      value = isle_store_get_value (source);
      g_variant_builder_add_value (&builder, value);
    }
  values = g_variant_ref_sink (g_variant_builder_end (&builder));
  self->ran = TRUE;

  _isle_runner_supersede (&self->runner, NULL);
  task = _isle_runner_start (&self->runner, G_OBJECT (self), run_done_cb,
                             start_run, "[isle] resource run");

  self->func (self, values, task, self->user_data);
}

static gboolean
sources_changed (IsleResource *self)
{
  gboolean changed = !self->ran;

  for (guint i = 0; i < self->sources->len; i++)
    {
      IsleStore *source = g_ptr_array_index (self->sources, i);
      IsleStoreClass *klass = ISLE_STORE_GET_CLASS (source);

      if (klass->refresh != NULL)
        klass->refresh (source);

      if (isle_store_get_version (source) != self->versions[i])
        changed = TRUE;
    }

  return changed;
}

static void
source_changed_cb (IsleStore *source,
                   GVariant  *value,
                   GVariant  *old_value,
                   gpointer   user_data)
{
  IsleResource *self = user_data;

  if (sources_changed (self))
    start_run (self);
}

static void
isle_resource_refresh (IsleStore *store)
{
  IsleResource *self = ISLE_RESOURCE (store);

  /* Only the store's own thread starts runs; others read the last value. */
  if (!_isle_store_is_owner_thread (store))
    return;

  if (sources_changed (self))
    start_run (self);
}

static void
isle_resource_start (IsleStore *store)
{
  IsleResource *self = ISLE_RESOURCE (store);

  if (sources_changed (self))
    start_run (self);

  for (guint i = 0; i < self->sources->len; i++)
    {
      guint handle = isle_store_listen (g_ptr_array_index (self->sources, i),
                                        source_changed_cb, self, NULL);

      g_array_append_val (self->handles, handle);
    }
}

static void
isle_resource_stop (IsleStore *store)
{
  IsleResource *self = ISLE_RESOURCE (store);

  for (guint i = 0; i < self->handles->len; i++)
    isle_store_unsubscribe (g_ptr_array_index (self->sources, i),
                            g_array_index (self->handles, guint, i));
  g_array_set_size (self->handles, 0);

  /* Nobody listens for the result: the run is cancelled, and the next
   * read or listener starts one again. */
  if (self->runner.current != NULL)
    {
      _isle_runner_supersede (&self->runner, NULL);
      self->ran = FALSE;
      _isle_runner_set_loading (&self->runner, G_OBJECT (self), FALSE);
    }
}

static void
isle_resource_dispose (GObject *object)
{
  IsleResource *self = ISLE_RESOURCE (object);

  G_OBJECT_CLASS (isle_resource_parent_class)->dispose (object);

  /* The parent stopped us, which cancelled the run and dropped our
   * listeners on the sources. */
  _isle_runner_supersede (&self->runner, NULL);
  g_clear_pointer (&self->sources, g_ptr_array_unref);

  if (self->destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&self->destroy);

      destroy (g_steal_pointer (&self->user_data));
    }
}

static void
isle_resource_finalize (GObject *object)
{
  IsleResource *self = ISLE_RESOURCE (object);

  g_clear_pointer (&self->handles, g_array_unref);
  g_clear_pointer (&self->versions, g_free);
  _isle_runner_clear (&self->runner);

  G_OBJECT_CLASS (isle_resource_parent_class)->finalize (object);
}

static void
isle_resource_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  IsleResource *self = ISLE_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, isle_resource_get_loading (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, isle_resource_get_error (self));
      break;

    case PROP_N_RUNS:
      g_value_set_uint (value, isle_resource_get_n_runs (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_resource_class_init (IsleResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IsleStoreClass *store_class = ISLE_STORE_CLASS (klass);

  object_class->dispose = isle_resource_dispose;
  object_class->finalize = isle_resource_finalize;
  object_class->get_property = isle_resource_get_property;

  store_class->start = isle_resource_start;
  store_class->stop = isle_resource_stop;
  store_class->refresh = isle_resource_refresh;

  /* No set_value: read-only. */
  _isle_store_class_get_private (klass)->kind_name = "resource";

  /**
   * IsleResource:loading:
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
   * IsleResource:error:
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
   * IsleResource:n-runs:
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
isle_resource_init (IsleResource *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->handles = g_array_new (FALSE, FALSE, sizeof (guint));
  _isle_runner_init (&self->runner, props[PROP_LOADING], props[PROP_ERROR],
                     props[PROP_N_RUNS], NULL);
}

/**
 * isle_resource_new:
 * @name: (nullable): the name of the store
 * @value_type: the type of its values
 * @sources: (array length=n_sources): the stores it is computed from
 * @n_sources: the number of sources
 * @func: (scope notified) (closure user_data) (destroy destroy): starts a run
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the resource is disposed
 *
 * Creates a resource. Nothing runs until it is read or listened to.
 *
 * Returns: (transfer full): a new resource
 *
 * Since: 1.0
 */
IsleResource *
isle_resource_new (const char         *name,
                   const GVariantType *value_type,
                   IsleStore         **sources,
                   guint               n_sources,
                   IsleResourceFunc    func,
                   gpointer            user_data,
                   GDestroyNotify      destroy)
{
  IsleResource *self;

  g_return_val_if_fail (value_type != NULL, NULL);
  g_return_val_if_fail (g_variant_type_is_definite (value_type), NULL);
  g_return_val_if_fail (sources != NULL || n_sources == 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  for (guint i = 0; i < n_sources; i++)
    g_return_val_if_fail (ISLE_IS_STORE (sources[i]), NULL);

  self = g_object_new (ISLE_TYPE_RESOURCE,
                       "name", name,
                       "value-type", value_type,
                       NULL);

  for (guint i = 0; i < n_sources; i++)
    g_ptr_array_add (self->sources, g_object_ref (sources[i]));
  self->versions = g_new0 (guint64, MAX (n_sources, 1));
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;

  return self;
}

/**
 * isle_resource_get_loading:
 * @self: a resource
 *
 * Gets whether the newest run of @self is pending.
 *
 * Returns: %TRUE while it is loading
 *
 * Since: 1.0
 */
gboolean
isle_resource_get_loading (IsleResource *self)
{
  g_return_val_if_fail (ISLE_IS_RESOURCE (self), FALSE);

  return self->runner.loading;
}

/**
 * isle_resource_get_error:
 * @self: a resource
 *
 * Gets how the last completed run of @self failed.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL if the last
 *   completed run succeeded (or none completed yet)
 *
 * Since: 1.0
 */
const GError *
isle_resource_get_error (IsleResource *self)
{
  g_return_val_if_fail (ISLE_IS_RESOURCE (self), NULL);

  return self->runner.error;
}

/**
 * isle_resource_get_n_runs:
 * @self: a resource
 *
 * Gets how many runs of @self were started.
 *
 * Returns: the number of runs
 *
 * Since: 1.0
 */
guint
isle_resource_get_n_runs (IsleResource *self)
{
  g_return_val_if_fail (ISLE_IS_RESOURCE (self), 0);

  return self->runner.n_runs;
}

/**
 * isle_resource_reload:
 * @self: a resource
 *
 * Starts a new run now, with the sources' current values, even if none
 * changed (to load again what changed elsewhere: a file, a server). A
 * pending run is superseded.
 *
 * Since: 1.0
 */
void
isle_resource_reload (IsleResource *self)
{
  g_return_if_fail (ISLE_IS_RESOURCE (self));
  g_return_if_fail (_isle_store_is_owner_thread (ISLE_STORE (self)));

  start_run (self);
}

/**
 * isle_resource_return_value:
 * @task: the task a [callback@Isle.ResourceFunc] was given
 * @value: the value of the run, of the resource's type; a floating
 *   reference is sunk
 *
 * Completes a run of a resource with its value, from any thread: the
 * resource takes it on its main context, unless a newer run was started
 * meanwhile.
 *
 * Since: 1.0
 */
void
isle_resource_return_value (GTask    *task,
                            GVariant *value)
{
  /* Sunk first, so that a call with bad arguments leaks no floating
   * value (as isle_map_set_key () does). */
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (g_task_get_source_tag (task) == start_run);
  g_return_if_fail (value != NULL);

  g_task_return_pointer (task, g_steal_pointer (&owned), (GDestroyNotify) g_variant_unref);
}
