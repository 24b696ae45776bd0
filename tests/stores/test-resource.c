/* test-resource.c: unit tests for IsleResource (async computed stores)
 * and the task count (isle_task_*)
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The expectations of nanostores' task/index.test.ts and the async cases
 * of computed/index.test.ts, and Svelte's async deriveds (the previous
 * value stays while the new one loads), each test naming the peer test it
 * comes from. Runs are completed after a given number of main-loop
 * iterations, the stand-in for JavaScript's awaited microtasks.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Helpers {{{ */

typedef struct
{
  GString  *calls;       /* the sources of each run: "1+2 10+2" */
  GString  *resolved;    /* the runs that completed, in order */
  guint     delay;       /* iterations before the next run completes */
  gboolean  fail;        /* the next runs fail */
  gboolean  wrong_type;  /* the next runs return a string */
  GPtrArray *cancellables;  /* of every run, in order */
} Fixture;

typedef struct
{
  GTask    *task;
  guint     left;
  int       sum;
  Fixture  *fixture;
} Pending;

static void
log_word (GString    *log,
          const char *word)
{
  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append (log, word);
}

static gboolean
pending_tick_cb (gpointer data)
{
  Pending *pending = data;
  g_autofree char *text = NULL;

  if (pending->left > 0)
    {
      pending->left--;
      return G_SOURCE_CONTINUE;
    }

  text = g_strdup_printf ("%d", pending->sum);
  log_word (pending->fixture->resolved, text);

  if (pending->fixture->fail)
    g_task_return_new_error (pending->task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             "no value for %d", pending->sum);
  else if (pending->fixture->wrong_type)
    isle_resource_return_value (pending->task, g_variant_new_string ("oops"));
  else
    isle_resource_return_value (pending->task, g_variant_new_int32 (pending->sum));

  g_object_unref (pending->task);
  g_free (pending);

  return G_SOURCE_REMOVE;
}

/* The function of the test resources: the sum of its int sources, after
 * fixture->delay iterations (0: at the next one). */
static void
sum_later_cb (IsleResource *resource,
              GVariant     *values,
              GTask        *task,
              gpointer      user_data)
{
  Fixture *fixture = user_data;
  Pending *pending = g_new0 (Pending, 1);
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < g_variant_n_children (values); i++)
    {
      g_autoptr(GVariant) value = g_variant_get_child_value (values, i);

      if (i > 0)
        g_string_append_c (text, '+');
      g_string_append_printf (text, "%d", g_variant_get_int32 (value));
      pending->sum += g_variant_get_int32 (value);
    }
  log_word (fixture->calls, text->str);
  g_string_free (text, TRUE);

  g_ptr_array_add (fixture->cancellables, g_object_ref (g_task_get_cancellable (task)));

  pending->task = g_object_ref (task);
  pending->left = fixture->delay;
  pending->fixture = fixture;
  g_idle_add (pending_tick_cb, pending);
}

static void
fixture_init (Fixture *fixture)
{
  memset (fixture, 0, sizeof *fixture);
  fixture->calls = g_string_new (NULL);
  fixture->resolved = g_string_new (NULL);
  fixture->cancellables = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_clear (Fixture *fixture)
{
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
  g_string_free (fixture->calls, TRUE);
  g_string_free (fixture->resolved, TRUE);
  g_ptr_array_unref (fixture->cancellables);
}

static void
log_int_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
  GString *log = user_data;
  g_autofree char *text = g_strdup_printf ("%d", g_variant_get_int32 (value));

  /* A listener of the value already sees loading over. */
  g_assert_false (isle_resource_get_loading (ISLE_RESOURCE (store)));
  log_word (log, text);
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
iterate (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

static int
get_int (IsleResource *resource)
{
  return isle_store_get_int (ISLE_STORE (resource));
}

/* }}} */

/* Tasks {{{ */

/* task/index.test.ts "waits no tasks". */
static void
test_task_none (void)
{
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
  isle_task_wait_all (NULL);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
}

static gboolean
task_b_cb (gpointer data)
{
  GString *track = data;

  g_string_append_c (track, 'b');
  isle_task_end ();
  return G_SOURCE_REMOVE;
}

static gboolean
task_a_cb (gpointer data)
{
  GString *track = data;

  /* Begins a nested task before it ends its own. */
  isle_task_begin ();
  g_idle_add (task_b_cb, track);
  g_string_append_c (track, 'a');
  isle_task_end ();
  return G_SOURCE_REMOVE;
}

static gpointer
end_in_thread (gpointer data)
{
  isle_task_end ();
  return NULL;
}

/* task/index.test.ts "waits for nested tasks"; and a task ended from
 * another thread wakes the waiter. */
static void
test_task_nested (void)
{
  g_autoptr(GString) track = g_string_new (NULL);
  GThread *thread;

  isle_task_begin ();
  g_idle_add (task_a_cb, track);
  isle_task_wait_all (NULL);
  g_assert_cmpstr (track->str, ==, "ab");
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);

  isle_task_begin ();
  thread = g_thread_new ("end-task", end_in_thread, NULL);
  isle_task_wait_all (NULL);
  g_thread_join (thread);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
}

/* task/index.test.ts "ends task on synchronous error" (cleanTasks): a
 * test may forget what it left pending; what ends later is ignored. */
static void
test_task_clean (void)
{
  isle_task_begin ();
  isle_task_begin ();
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 2);
  isle_task_clean ();
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
  isle_task_end ();
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
  isle_task_wait_all (NULL);
}

/* }}} */

/* Resources {{{ */

/* computed/index.test.ts "async computed using task": every change starts
 * a run with the sources' values; the value comes when the newest run
 * completes, isle_task_wait_all () waits for all of them. */
static void
test_resource_async_computed (void)
{
  Fixture f;
  IsleAtom *a = isle_atom_new_int ("a", 1);
  IsleAtom *b = isle_atom_new_int ("b", 2);
  IsleStore *sources[] = { ISLE_STORE (a), ISLE_STORE (b) };
  IsleResource *sum;
  g_autoptr(GString) heard = g_string_new (NULL);
  guint handle;

  fixture_init (&f);
  f.delay = 5;
  sum = isle_resource_new ("sum", G_VARIANT_TYPE_INT32, sources, 2, sum_later_cb, &f, NULL);

  /* Lazy: nothing runs before it is read or listened to. */
  g_assert_cmpuint (isle_resource_get_n_runs (sum), ==, 0);
  g_assert_false (isle_resource_get_loading (sum));

  handle = isle_store_listen (ISLE_STORE (sum), log_int_cb, heard, NULL);
  g_assert_cmpint (get_int (sum), ==, 0);
  g_assert_true (isle_resource_get_loading (sum));
  g_assert_cmpstr (f.calls->str, ==, "1+2");
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 1);

  f.delay = 0;
  isle_atom_set_int (a, 10);
  isle_atom_set_int (b, 20);
  g_assert_cmpstr (f.calls->str, ==, "1+2 10+2 10+20");
  g_assert_cmpint (get_int (sum), ==, 0);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 3);

  isle_task_wait_all (NULL);
  g_assert_cmpint (get_int (sum), ==, 30);
  g_assert_false (isle_resource_get_loading (sum));
  g_assert_cmpstr (f.calls->str, ==, "1+2 10+2 10+20");
  g_assert_cmpuint (isle_resource_get_n_runs (sum), ==, 3);
  assert_log (heard, "30");

  /* Reading again starts nothing: no source changed. */
  g_assert_cmpint (get_int (sum), ==, 30);
  g_assert_cmpuint (isle_resource_get_n_runs (sum), ==, 3);

  isle_store_unsubscribe (ISLE_STORE (sum), handle);
  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  fixture_clear (&f);
}

/* computed/index.test.ts "skips stale update": runs that complete after a
 * newer one started are never delivered, in whatever order they end; and
 * a superseded run's cancellable is cancelled at once. */
static void
test_resource_skips_stale_update (void)
{
  Fixture f;
  IsleAtom *value = isle_atom_new_int ("value", 1);
  IsleStore *sources[] = { ISLE_STORE (value) };
  IsleResource *delayed;
  g_autoptr(GString) heard = g_string_new (NULL);

  fixture_init (&f);
  f.delay = 40;
  delayed = isle_resource_new ("delayed", G_VARIANT_TYPE_INT32, sources, 1, sum_later_cb, &f, NULL);
  isle_store_listen (ISLE_STORE (delayed), log_int_cb, heard, NULL);
  g_assert_cmpstr (f.calls->str, ==, "1");
  g_assert_cmpstr (f.resolved->str, ==, "");

  f.delay = 2;
  isle_atom_set_int (value, 20);
  f.delay = 0;
  isle_atom_set_int (value, 10);
  g_assert_cmpstr (f.calls->str, ==, "1 20 10");

  /* The first two are cancelled, the newest is not. */
  g_assert_cmpuint (f.cancellables->len, ==, 3);
  g_assert_true (g_cancellable_is_cancelled (g_ptr_array_index (f.cancellables, 0)));
  g_assert_true (g_cancellable_is_cancelled (g_ptr_array_index (f.cancellables, 1)));
  g_assert_false (g_cancellable_is_cancelled (g_ptr_array_index (f.cancellables, 2)));

  iterate (1);
  g_assert_cmpstr (f.resolved->str, ==, "10");
  g_assert_cmpint (get_int (delayed), ==, 10);
  assert_log (heard, "10");

  /* 20 and then 1 complete later: neither is delivered. */
  iterate (3);
  g_assert_cmpstr (f.resolved->str, ==, "10 20");
  g_assert_cmpint (get_int (delayed), ==, 10);
  isle_task_wait_all (NULL);
  g_assert_cmpstr (f.resolved->str, ==, "10 20 1");
  g_assert_cmpint (get_int (delayed), ==, 10);
  assert_log (heard, "");
  g_assert_false (isle_resource_get_loading (delayed));

  g_assert_finalize_object (delayed);
  g_assert_finalize_object (value);
  fixture_clear (&f);
}

/* Svelte's async deriveds: while the new value loads, the old one stays
 * (and reads as current); loading notifies once each way. */
static void
test_resource_keeps_value_while_loading (void)
{
  Fixture f;
  IsleAtom *id = isle_atom_new_int ("id", 1);
  IsleStore *sources[] = { ISLE_STORE (id) };
  IsleResource *item;
  guint loading_notified = 0;
  guint value_notified = 0;

  fixture_init (&f);
  item = isle_resource_new ("item", G_VARIANT_TYPE_INT32, sources, 1, sum_later_cb, &f, NULL);
  g_signal_connect (item, "notify::loading", G_CALLBACK (count_notify_cb), &loading_notified);
  g_signal_connect (item, "notify::value", G_CALLBACK (count_notify_cb), &value_notified);

  isle_store_listen (ISLE_STORE (item), log_int_cb, g_string_new (NULL), string_free);
  isle_task_wait_all (NULL);
  g_assert_cmpint (get_int (item), ==, 1);
  g_assert_cmpuint (loading_notified, ==, 2);

  f.delay = 3;
  isle_atom_set_int (id, 2);
  g_assert_true (isle_resource_get_loading (item));
  g_assert_cmpuint (loading_notified, ==, 3);
  iterate (2);
  g_assert_cmpint (get_int (item), ==, 1);
  g_assert_true (isle_resource_get_loading (item));

  isle_task_wait_all (NULL);
  g_assert_cmpint (get_int (item), ==, 2);
  g_assert_false (isle_resource_get_loading (item));
  g_assert_cmpuint (loading_notified, ==, 4);
  g_assert_cmpuint (value_notified, ==, 2);

  g_assert_finalize_object (item);
  g_assert_finalize_object (id);
  fixture_clear (&f);
}

/* task/index.test.ts "ends task on error": a failed run ends its task,
 * sets the error, keeps the value; the next good run clears the error. A
 * value of the wrong type is an error too. */
static void
test_resource_error (void)
{
  Fixture f;
  IsleAtom *n = isle_atom_new_int ("n", 5);
  IsleStore *sources[] = { ISLE_STORE (n) };
  IsleResource *res;
  guint error_notified = 0;

  fixture_init (&f);
  res = isle_resource_new ("failing", G_VARIANT_TYPE_INT32, sources, 1, sum_later_cb, &f, NULL);
  g_signal_connect (res, "notify::error", G_CALLBACK (count_notify_cb), &error_notified);
  isle_store_listen (ISLE_STORE (res), log_int_cb, g_string_new (NULL), string_free);
  isle_task_wait_all (NULL);
  g_assert_cmpint (get_int (res), ==, 5);
  g_assert_null (isle_resource_get_error (res));

  f.fail = TRUE;
  isle_atom_set_int (n, 6);
  isle_task_wait_all (NULL);
  g_assert_error (isle_resource_get_error (res), G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (isle_resource_get_error (res)->message, ==, "no value for 6");
  g_assert_cmpint (get_int (res), ==, 5);
  g_assert_false (isle_resource_get_loading (res));
  g_assert_cmpuint (error_notified, ==, 1);

  f.fail = FALSE;
  f.wrong_type = TRUE;
  isle_atom_set_int (n, 7);
  isle_task_wait_all (NULL);
  g_assert_error (isle_resource_get_error (res), ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_cmpint (get_int (res), ==, 5);
  g_assert_cmpuint (error_notified, ==, 2);

  f.wrong_type = FALSE;
  isle_atom_set_int (n, 8);
  isle_task_wait_all (NULL);
  g_assert_null (isle_resource_get_error (res));
  g_assert_cmpint (get_int (res), ==, 8);
  g_assert_cmpuint (error_notified, ==, 3);

  g_assert_finalize_object (res);
  g_assert_finalize_object (n);
  fixture_clear (&f);
}

static void
return_now_cb (IsleResource *resource,
               GVariant     *values,
               GTask        *task,
               gpointer      user_data)
{
  int *runs = user_data;
  g_autoptr(GVariant) first = g_variant_get_child_value (values, 0);

  (*runs)++;
  if (g_variant_get_int32 (first) < 0)
    g_task_return_new_error (task, ISLE_ERROR, ISLE_ERROR_FAILED, "negative");
  else
    isle_resource_return_value (task, g_variant_new_int32 (2 * g_variant_get_int32 (first)));
}

/* task/index.test.ts "returns synchronous task value", "ends task on
 * synchronous error": a run may complete inside the function; the result
 * still arrives from the main loop. Read without listeners, a resource
 * runs when a source changed since. */
static void
test_resource_synchronous (void)
{
  IsleAtom *n = isle_atom_new_int ("n", 5);
  IsleStore *sources[] = { ISLE_STORE (n) };
  IsleResource *res;
  int runs = 0;

  res = isle_resource_new (NULL, G_VARIANT_TYPE_INT32, sources, 1, return_now_cb, &runs, NULL);
  g_assert_cmpint (get_int (res), ==, 0);
  g_assert_cmpint (runs, ==, 1);
  isle_task_wait_all (NULL);
  g_assert_cmpint (get_int (res), ==, 10);
  g_assert_cmpint (runs, ==, 1);

  isle_atom_set_int (n, -1);
  g_assert_cmpint (runs, ==, 1);
  g_assert_cmpint (get_int (res), ==, 10);
  g_assert_cmpint (runs, ==, 2);
  isle_task_wait_all (NULL);
  g_assert_error (isle_resource_get_error (res), ISLE_ERROR, ISLE_ERROR_FAILED);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);

  /* Reload: a new run with the same values. */
  isle_resource_reload (res);
  g_assert_cmpint (runs, ==, 3);
  isle_task_wait_all (NULL);

  g_assert_finalize_object (res);
  g_assert_finalize_object (n);
}

static void
square_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  int n = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "n"));

  g_assert_false (g_main_context_is_owner (g_main_context_default ()));
  isle_resource_return_value (task, g_variant_new_int32 (n * n));
}

static void
square_cb (IsleResource *resource,
           GVariant     *values,
           GTask        *task,
           gpointer      user_data)
{
  g_autoptr(GVariant) first = g_variant_get_child_value (values, 0);
  GThread **main_thread = user_data;

  *main_thread = g_thread_self ();

  /* The task's data slot is the run's own: the input goes as object data,
   * set before the thread starts. */
  g_object_set_data (G_OBJECT (task), "n", GINT_TO_POINTER (g_variant_get_int32 (first)));
  g_task_run_in_thread (task, square_in_thread);
}

static void
heard_thread_cb (IsleStore *store,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data)
{
  GThread **heard_on = user_data;

  *heard_on = g_thread_self ();
}

/* A run in a worker thread (g_task_run_in_thread): the result is taken on
 * the resource's main context. */
static void
test_resource_worker_thread (void)
{
  IsleAtom *n = isle_atom_new_int ("n", 7);
  IsleStore *sources[] = { ISLE_STORE (n) };
  IsleResource *res;
  GThread *main_thread = NULL;
  GThread *heard_on = NULL;

  res = isle_resource_new ("squares", G_VARIANT_TYPE_INT32, sources, 1, square_cb, &main_thread, NULL);
  isle_store_listen (ISLE_STORE (res), heard_thread_cb, &heard_on, NULL);
  isle_task_wait_all (NULL);
  g_assert_true (main_thread == g_thread_self ());
  g_assert_true (heard_on == g_thread_self ());
  g_assert_cmpint (get_int (res), ==, 49);

  g_assert_finalize_object (res);
  g_assert_finalize_object (n);
}

static void
forget_cb (IsleResource *resource,
           GVariant     *values,
           GTask        *task,
           gpointer      user_data)
{
  GTask **kept = user_data;

  if (kept != NULL)
    *kept = g_object_ref (task);
}

/* A resource disposed with a run pending: the run's result is dropped, it
 * still ends its task; a run dropped without a result ends its task too;
 * losing the last listener cancels the run. */
static void
test_resource_lifecycle (void)
{
  IsleAtom *n = isle_atom_new_int ("n", 1);
  IsleStore *sources[] = { ISLE_STORE (n) };
  IsleResource *res;
  GTask *kept = NULL;
  guint handle;

  res = isle_resource_new ("disposed", G_VARIANT_TYPE_INT32, sources, 1, forget_cb, &kept, NULL);
  isle_store_set_stop_delay (ISLE_STORE (res), 0);
  handle = isle_store_listen (ISLE_STORE (res), log_int_cb, g_string_new (NULL), string_free);
  g_assert_nonnull (kept);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 1);

  /* Stopped: the run is cancelled; the next listener runs again. */
  isle_store_unsubscribe (ISLE_STORE (res), handle);
  g_assert_true (g_cancellable_is_cancelled (g_task_get_cancellable (kept)));
  g_assert_false (isle_resource_get_loading (res));
  isle_resource_return_value (kept, g_variant_new_int32 (99));
  g_clear_object (&kept);
  isle_task_wait_all (NULL);
  g_assert_cmpint (get_int (res), ==, 0);
  g_assert_nonnull (kept);
  g_assert_cmpuint (isle_resource_get_n_runs (res), ==, 2);

  /* Disposed while pending: finalized at once, the result dropped. */
  g_assert_finalize_object (res);
  isle_resource_return_value (kept, g_variant_new_int32 (5));
  g_clear_object (&kept);
  isle_task_wait_all (NULL);

  /* Never completed: the task ends with its last reference, and the
   * resource is no longer loading, with an error saying why. */
  res = isle_resource_new ("forgetful", G_VARIANT_TYPE_INT32, sources, 1, forget_cb, NULL, NULL);
  g_assert_cmpint (get_int (res), ==, 0);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
  g_assert_false (isle_resource_get_loading (res));
  g_assert_error (isle_resource_get_error (res), ISLE_ERROR, ISLE_ERROR_FAILED);

  g_assert_finalize_object (res);
  g_assert_finalize_object (n);
}

/* The worker a run's task was handed to, which drops it without a
 * result once told to. */
typedef struct
{
  GAsyncQueue *go;
  GTask       *task;
  GThread     *thread;
} Dropper;

static gpointer
drop_in_thread (gpointer data)
{
  Dropper *dropper = data;

  g_async_queue_pop (dropper->go);
  g_clear_object (&dropper->task);

  return NULL;
}

static void
drop_in_thread_cb (IsleResource *resource,
                   GVariant     *values,
                   GTask        *task,
                   gpointer      user_data)
{
  Dropper *dropper = user_data;

  dropper->task = g_object_ref (task);
  dropper->thread = g_thread_new ("drop-task", drop_in_thread, dropper);
}

/* A run whose task a worker thread drops without a result (the last
 * reference): the resource stops loading and takes the error on its own
 * thread, when its context runs, and the run is pending until then. */
static void
test_resource_dropped_in_thread (void)
{
  IsleAtom *n = isle_atom_new_int ("n", 1);
  IsleStore *sources[] = { ISLE_STORE (n) };
  Dropper dropper = { g_async_queue_new (), NULL, NULL };
  GThread *loading_on = NULL;
  GThread *error_on = NULL;
  IsleResource *res;

  res = isle_resource_new ("dropped", G_VARIANT_TYPE_INT32, sources, 1, drop_in_thread_cb, &dropper, NULL);
  g_signal_connect (res, "notify::loading", G_CALLBACK (record_thread_cb), &loading_on);
  g_signal_connect (res, "notify::error", G_CALLBACK (record_thread_cb), &error_on);
  isle_store_listen (ISLE_STORE (res), log_int_cb, g_string_new (NULL), string_free);
  g_assert_true (isle_resource_get_loading (res));
  g_assert_nonnull (dropper.thread);

  /* The worker holds the last reference now. */
  loading_on = NULL;
  g_async_queue_push (dropper.go, GINT_TO_POINTER (1));
  g_thread_join (dropper.thread);
  g_assert_null (dropper.task);
  g_assert_null (loading_on);
  g_assert_null (error_on);
  g_assert_true (isle_resource_get_loading (res));
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 1);

  isle_task_wait_all (NULL);
  g_assert_false (isle_resource_get_loading (res));
  g_assert_error (isle_resource_get_error (res), ISLE_ERROR, ISLE_ERROR_FAILED);
  g_assert_true (loading_on == g_thread_self ());
  g_assert_true (error_on == g_thread_self ());

  g_async_queue_unref (dropper.go);
  g_assert_finalize_object (res);
  g_assert_finalize_object (n);
}

static void
test_resource_bad_input (void)
{
  IsleAtom *n = isle_atom_new_int ("n", 1);
  IsleStore *sources[] = { ISLE_STORE (n) };
  IsleResource *res;

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*func != NULL*");
  g_assert_null (isle_resource_new (NULL, G_VARIANT_TYPE_INT32, sources, 1, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*definite*");
  g_assert_null (isle_resource_new (NULL, G_VARIANT_TYPE_ANY, sources, 1, forget_cb, NULL, NULL));
  g_test_assert_expected_messages ();

  /* Read-only. */
  res = isle_resource_new ("ro", G_VARIANT_TYPE_INT32, sources, 1, forget_cb, NULL, NULL);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*resource “ro” is read-only*");
  g_object_set (res, "value", g_variant_new_int32 (3), NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_IS_TASK*");
  isle_resource_return_value (NULL, g_variant_new_int32 (3));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (res);
  g_assert_finalize_object (n);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Task/none", test_task_none);
  g_test_add_func ("/Isle/Task/nested", test_task_nested);
  g_test_add_func ("/Isle/Task/clean", test_task_clean);
  g_test_add_func ("/Isle/Resource/async-computed", test_resource_async_computed);
  g_test_add_func ("/Isle/Resource/skips-stale-update", test_resource_skips_stale_update);
  g_test_add_func ("/Isle/Resource/keeps-value-while-loading", test_resource_keeps_value_while_loading);
  g_test_add_func ("/Isle/Resource/error", test_resource_error);
  g_test_add_func ("/Isle/Resource/synchronous", test_resource_synchronous);
  g_test_add_func ("/Isle/Resource/worker-thread", test_resource_worker_thread);
  g_test_add_func ("/Isle/Resource/lifecycle", test_resource_lifecycle);
  g_test_add_func ("/Isle/Resource/dropped-in-thread", test_resource_dropped_in_thread);
  g_test_add_func ("/Isle/Resource/bad-input", test_resource_bad_input);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
