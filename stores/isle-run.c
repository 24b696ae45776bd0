/* isle-run.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-error.h"
#include "isle-run-private.h"
#include "isle-task.h"

/* One run: the task's data, freed with the task (on whichever thread
 * drops the task's last reference). */
struct _IsleRun
{
  GWeakRef      owner;
  IsleRunner   *runner;       /* inside the owner: read while it is alive, on its thread */
  GCancellable *cancellable;
  GThread      *thread;       /* the owner's */
  GMainContext *context;      /* where the task's callback and a drop are handled */
  guint         done : 1;     /* counted as ended (isle_task_end ()) */
};

void
_isle_runner_init (IsleRunner            *runner,
                   GParamSpec            *loading_pspec,
                   GParamSpec            *error_pspec,
                   GParamSpec            *n_runs_pspec,
                   IsleRunnerLoadingFunc  loading_func)
{
  runner->current = NULL;
  runner->error = NULL;
  runner->n_runs = 0;
  runner->loading = FALSE;
  runner->loading_pspec = loading_pspec;
  runner->error_pspec = error_pspec;
  runner->n_runs_pspec = n_runs_pspec;
  runner->loading_func = loading_func;
}

/* At the owner's disposal: a pending run is no longer its current one
 * (its result will be dropped). */
void
_isle_runner_clear (IsleRunner *runner)
{
  runner->current = NULL;
  g_clear_error (&runner->error);
}

void
_isle_runner_set_loading (IsleRunner *runner,
                          GObject    *owner,
                          gboolean    loading)
{
  if (runner->loading == !!loading)
    return;

  runner->loading = !!loading;
  if (runner->loading_func != NULL)
    runner->loading_func (owner, loading);
  g_object_notify_by_pspec (owner, runner->loading_pspec);
}

/* Takes @error (nullable). */
void
_isle_runner_set_error (IsleRunner *runner,
                        GObject    *owner,
                        GError     *error)
{
  if (runner->error == NULL && error == NULL)
    return;

  g_clear_error (&runner->error);
  runner->error = error;
  g_object_notify_by_pspec (owner, runner->error_pspec);
}

void
_isle_run_end (IsleRun *run)
{
  if (!run->done)
    {
      run->done = TRUE;
      isle_task_end ();
    }
}

static void
run_clear (IsleRun *run)
{
  g_weak_ref_clear (&run->owner);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->thread, g_thread_unref);
  g_clear_pointer (&run->context, g_main_context_unref);
}

/* On the owner's thread: a task dropped without a result ends its run;
 * if it was the newest, the owner stops loading and says why. */
static gboolean
run_dropped_cb (gpointer data)
{
  IsleRun *run = data;
  g_autoptr(GObject) owner = g_weak_ref_get (&run->owner);

  if (owner != NULL && run->runner->current == run)
    {
      IsleRunner *runner = run->runner;

      runner->current = NULL;
      g_object_freeze_notify (owner);
      _isle_runner_set_loading (runner, owner, FALSE);
      _isle_runner_set_error (runner, owner,
                              g_error_new_literal (ISLE_ERROR, ISLE_ERROR_FAILED,
                                                   "its run was dropped without a result"));
      g_object_thaw_notify (owner);
    }

  /* Ended last, so that isle_task_wait_all () returns with the error in. */
  _isle_run_end (run);

  return G_SOURCE_REMOVE;
}

static void
run_free_cb (gpointer data)
{
  IsleRun *run = data;

  /* A drop handed over to a context that is destroyed first still ends. */
  _isle_run_end (run);
  run_clear (run);
  g_free (run);
}

static void
run_free (gpointer data)
{
  IsleRun *run = data;
  g_autoptr(GSource) source = NULL;

  if (run->done || run->thread == g_thread_self ())
    {
      if (!run->done)
        run_dropped_cb (run);
      run_free_cb (run);
      return;
    }

  /* Dropped on another thread (a worker that gave up): the owner and its
   * properties are its own thread's, so the drop is handled there. An
   * idle source, not g_main_context_invoke (), which could run it here. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, run_dropped_cb, run, run_free_cb);
  g_source_set_static_name (source, "[isle] dropped run");
  g_source_attach (source, run->context);
}

/* Starts a run for @owner, counted as a pending task: returns the task,
 * whose callback (@done_cb, with the run as its user data) calls
 * _isle_run_claim (). Supersede the previous run first if it is not to
 * be delivered. */
GTask *
_isle_runner_start (IsleRunner          *runner,
                    GObject             *owner,
                    GAsyncReadyCallback  done_cb,
                    gpointer             source_tag,
                    const char          *name)
{
  IsleRun *run;
  GTask *task;

  run = g_new0 (IsleRun, 1);
  g_weak_ref_init (&run->owner, owner);
  run->runner = runner;
  run->cancellable = g_cancellable_new ();
  run->thread = g_thread_ref (g_thread_self ());
  run->context = g_main_context_ref_thread_default ();
  runner->current = run;
  runner->n_runs++;
  isle_task_begin ();

  /* No source object: a pending run does not keep its owner alive. */
  task = g_task_new (NULL, run->cancellable, done_cb, run);
  g_task_set_task_data (task, run, run_free);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);

  g_object_freeze_notify (owner);
  _isle_runner_set_loading (runner, owner, TRUE);
  g_object_notify_by_pspec (owner, runner->n_runs_pspec);
  g_object_thaw_notify (owner);

  return task;
}

/* The run of @cancellable (%NULL: the current one) is superseded: it
 * stops being the current one before it hears of it, so whatever it does
 * when cancelled (even dropping its task at once, in a handler of the
 * cancellable) is a superseded run's end, not the owner's error. */
void
_isle_runner_supersede (IsleRunner   *runner,
                        GCancellable *cancellable)
{
  g_autoptr(GCancellable) cancelling = NULL;

  if (cancellable == NULL)
    {
      if (runner->current == NULL)
        return;
      cancellable = runner->current->cancellable;
    }

  /* A handler may drop the task, and the run with its cancellable. */
  cancelling = g_object_ref (cancellable);
  if (runner->current != NULL && runner->current->cancellable == cancellable)
    runner->current = NULL;

  g_cancellable_cancel (cancelling);
}

/* In the task's callback: returns the owner (a new reference) if @run is
 * still its current run, which it no longer is; otherwise the run is
 * superseded (or its owner gone): it ends, and its result is to be
 * dropped. The caller ends a claimed run with _isle_run_end () once the
 * result is in. */
gpointer
_isle_run_claim (IsleRun *run)
{
  GObject *owner = g_weak_ref_get (&run->owner);

  if (owner != NULL && run->runner->current == run)
    {
      run->runner->current = NULL;
      return owner;
    }

  g_clear_object (&owner);
  _isle_run_end (run);

  return NULL;
}
