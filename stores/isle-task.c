/* isle-task.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The process-wide count of pending asynchronous work, nanostores'
 * `startTask` / `task` / `allTasks` (task/index.js): a test, a command-line
 * tool or a headless service waits until every resource has settled. */

#include "config.h"

#include "isle-task.h"

static gint n_pending;

/* The context isle_task_wait_all () iterates, woken when the count drops
 * to zero from another thread. Under waiting_lock. */
static GMutex waiting_lock;
static GMainContext *waiting;

/**
 * isle_task_begin:
 *
 * Counts one more piece of asynchronous work as pending, like nanostores'
 * `startTask()`: [func@Isle.task_wait_all] waits until each is ended with
 * [func@Isle.task_end]. Every run of an [class@Isle.Resource] is counted;
 * count your own asynchronous work that tests should wait for.
 *
 * ```c
 * isle_task_begin ();
 * g_file_load_contents_async (file, NULL, loaded_cb, self);  // loaded_cb calls isle_task_end ()
 * ```
 *
 * May be called from any thread.
 *
 * Since: 1.0
 */
void
isle_task_begin (void)
{
  g_atomic_int_inc (&n_pending);
}

/**
 * isle_task_end:
 *
 * Ends a piece of work counted by [func@Isle.task_begin]. May be called
 * from any thread. Ending more than were begun is ignored (the work
 * [func@Isle.task_clean] forgot ends too).
 *
 * Since: 1.0
 */
void
isle_task_end (void)
{
  gint old;

  /* After isle_task_clean (), the work it forgot still ends: ignored. */
  do
    {
      old = g_atomic_int_get (&n_pending);
      if (old == 0)
        return;
    }
  while (!g_atomic_int_compare_and_exchange (&n_pending, old, old - 1));

  if (old == 1)
    {
      g_mutex_lock (&waiting_lock);
      if (waiting != NULL)
        g_main_context_wakeup (waiting);
      g_mutex_unlock (&waiting_lock);
    }
}

/**
 * isle_task_get_n_pending:
 *
 * Gets the number of pieces of asynchronous work pending: begun with
 * [func@Isle.task_begin] (or by a resource's run) and not ended.
 *
 * Returns: the number of pending tasks
 *
 * Since: 1.0
 */
guint
isle_task_get_n_pending (void)
{
  return (guint) g_atomic_int_get (&n_pending);
}

/**
 * isle_task_wait_all:
 * @context: (nullable): the main context to iterate, %NULL for the global
 *   default one
 *
 * Iterates @context until no task is pending, like `await allTasks()` in
 * nanostores: the results of resources are delivered on their main
 * context, so that is the one to iterate. Returns at once if nothing is
 * pending. For tests and tools; an application reacts to
 * [property@Isle.Resource:loading] instead.
 *
 * ```c
 * isle_atom_set_int (user_id, 7);
 * isle_task_wait_all (NULL);
 * g_assert_false (isle_resource_get_loading (profile));
 * ```
 *
 * Since: 1.0
 */
void
isle_task_wait_all (GMainContext *context)
{
  GMainContext *previous;

  if (context == NULL)
    context = g_main_context_default ();

  g_mutex_lock (&waiting_lock);
  previous = waiting;
  waiting = context;
  g_mutex_unlock (&waiting_lock);

  while (g_atomic_int_get (&n_pending) > 0)
    g_main_context_iteration (context, TRUE);

  g_mutex_lock (&waiting_lock);
  waiting = previous;
  g_mutex_unlock (&waiting_lock);
}

/**
 * isle_task_clean:
 *
 * Forgets every pending task, like nanostores' `cleanTasks()`: for a test
 * that left work pending on purpose, so that the next one starts from
 * zero. Work that ends later is not counted again.
 *
 * Since: 1.0
 */
void
isle_task_clean (void)
{
  g_atomic_int_set (&n_pending, 0);
}
