/* isle-island-deferred.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Deferred islands: the snapshot of the named stores, the worker thread and
 * the job that may outlive the island. Touches only the deferred fields of
 * the island's data; shows its outcome through the island's phases. */

#include "config.h"

#include "isle-island-private.h"

/* What a deferred island's worker needs; shared with the worker thread,
 * which may outlive the island. */
struct _DeferredJob
{
  int               ref_count;
  IsleDeferredFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
  GVariant         *snapshot;
};

static void
deferred_job_unref (DeferredJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;

  if (job->destroy != NULL)
    job->destroy (job->user_data);
  g_clear_pointer (&job->snapshot, g_variant_unref);
  g_free (job);
}

static void
deferred_thread_func (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DeferredJob *job = task_data;
  GError *error = NULL;
  GVariant *data;

  data = job->func (job->snapshot, cancellable, job->user_data, &error);

  if (data == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (ISLE_ERROR, ISLE_ERROR_FAILED,
                                     "the deferred function returned no data");
      g_task_return_error (task, error);
    }
  else
    {
      g_task_return_pointer (task, g_variant_take_ref (data), (GDestroyNotify) g_variant_unref);
    }
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
deferred_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(IsleIsland) self = g_weak_ref_get (user_data);
  g_autoptr(GVariant) data = NULL;
  g_autoptr(GError) error = NULL;
  IsleIslandPrivate *priv;
  GtkWidget *content;

  data = g_task_propagate_pointer (G_TASK (result), &error);

  /* The island went away (or was cancelled) first: drop the result. */
  if (self == NULL)
    return;

  priv = _isle_island_get_private (self);
  if (priv->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (data == NULL)
    {
      _isle_island_show_failure (self, error);
      return;
    }

  content = priv->build (self, data, priv->build_data);
  if (content == NULL)
    {
      g_autoptr(GError) build_error = g_error_new_literal (ISLE_ERROR, ISLE_ERROR_FAILED,
                                                           "the deferred content could not be built");

      _isle_island_show_failure (self, build_error);
      return;
    }

  isle_island_set_child (self, content);
  _isle_island_set_phase (self, ISLE_ISLAND_PHASE_ACTIVE);
}

void
_isle_island_start_deferred (IsleIsland *self)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GTask) task = NULL;
  GVariantBuilder builder;
  GWeakRef *weak;

  /* The snapshot is taken here, on the main thread: the worker reads
   * nothing shared. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; priv->deferred_stores != NULL && priv->deferred_stores[i] != NULL; i++)
    {
      const char *name = priv->deferred_stores[i];
      IsleStore *store = isle_registry_lookup (registry, name);
      g_autoptr(GVariant) value = NULL;

      if (store == NULL)
        {
          g_autoptr(GError) error = g_error_new (ISLE_ERROR, ISLE_ERROR_FAILED,
                                                 "no store named “%s” is registered", name);

          g_variant_builder_clear (&builder);
          _isle_island_show_failure (self, error);
          return;
        }

      value = isle_store_get_value (store);
      g_variant_builder_add (&builder, "{sv}", name, value);
    }

  priv->deferred_job->snapshot = g_variant_ref_sink (g_variant_builder_end (&builder));
  priv->cancellable = g_cancellable_new ();

  _isle_island_set_phase (self, ISLE_ISLAND_PHASE_LOADING);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);

  task = g_task_new (NULL, priv->cancellable, deferred_done_cb, weak);
  g_task_set_source_tag (task, _isle_island_start_deferred);
  g_task_set_name (task, "[isle] deferred island");
  /* The job (with its function's data) lives as long as the task, which
   * may outlive the island. */
  g_task_set_task_data (task, g_steal_pointer (&priv->deferred_job),
                        (GDestroyNotify) deferred_job_unref);
  g_object_set_data_full (G_OBJECT (task), "isle-weak-island", weak, weak_ref_free);
  g_task_run_in_thread (task, deferred_thread_func);
}

/**
 * isle_island_set_deferred:
 * @self: an island, not yet activated
 * @store_names: (array zero-terminated=1) (nullable): the names of the
 *   registered stores whose values the content is computed from
 * @func: (scope notified) (closure func_data) (destroy func_destroy): computes the
 *   content's data in a worker thread
 * @func_data: data for @func
 * @func_destroy: (nullable): frees @func_data
 * @build: (scope notified) (closure build_data) (destroy build_destroy): builds the
 *   content widget from the data, on the main thread
 * @build_data: data for @build
 * @build_destroy: (nullable): frees @build_data
 *
 * Makes @self a deferred island, like Astro's `server:defer`: when it
 * activates, it takes a snapshot of the named stores (from
 * [func@Isle.Registry.get_default]), runs @func on it in a worker thread
 * while a spinner shows, and then shows what @build makes of the result.
 * The content is a static view of that snapshot: it does not follow later
 * changes of the stores. If @func fails, an error placeholder shows the
 * message. If the island goes away first, the result is dropped.
 *
 * Since: 1.0
 */
void
isle_island_set_deferred (IsleIsland            *self,
                          const char * const    *store_names,
                          IsleDeferredFunc       func,
                          gpointer               func_data,
                          GDestroyNotify         func_destroy,
                          IsleDeferredBuildFunc  build,
                          gpointer               build_data,
                          GDestroyNotify         build_destroy)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  DeferredJob *job;

  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (build != NULL);

  if (priv->activated)
    {
      g_critical ("%s: the island is already activated", G_STRFUNC);
      if (func_destroy != NULL)
        func_destroy (func_data);
      if (build_destroy != NULL)
        build_destroy (build_data);
      return;
    }

  g_clear_pointer (&priv->deferred_job, deferred_job_unref);
  if (priv->build_destroy != NULL)
    priv->build_destroy (priv->build_data);

  job = g_new0 (DeferredJob, 1);
  job->ref_count = 1;
  job->func = func;
  job->user_data = func_data;
  job->destroy = func_destroy;
  priv->deferred_job = job;

  g_strfreev (priv->deferred_stores);
  priv->deferred_stores = g_strdupv ((char **) store_names);
  priv->build = build;
  priv->build_data = build_data;
  priv->build_destroy = build_destroy;
}

/* Called from dispose: the job (with its function's data) and the build
 * function's data go with the island. */
void
_isle_island_dispose_deferred (IsleIsland *self)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);

  g_clear_pointer (&priv->deferred_job, deferred_job_unref);
  if (priv->build_destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&priv->build_destroy);

      destroy (g_steal_pointer (&priv->build_data));
    }
}
