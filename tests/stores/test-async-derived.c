/* test-async-derived.c: unit tests for IsleAsyncDerived
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Svelte's async deriveds in one graph ($derived (await …)): a run per
 * change of what the function read, the previous value kept while the
 * next loads, a superseded run never delivered (nanostores' "skips stale
 * update", computed/index.test.ts), and waiting for all runs
 * (task/index.test.ts, allTasks).
 */

#include "isle-stores.h"

#define TEST_COMMON_FIXTURE_WITH_LOG
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

typedef struct
{
  IsleState *input;
  GPtrArray *tasks;       /* of every run, in order */
  GString   *log;
} Data;

static void
keep_task_cb (IsleAsyncDerived *self,
              GTask            *task,
              gpointer          user_data)
{
  Data *data = user_data;

  /* Read while the run starts: a dependency. */
  g_string_append_printf (data->log, "%srun(%d)", data->log->len > 0 ? " " : "",
                          isle_state_get_int (data->input));
  g_ptr_array_add (data->tasks, g_object_ref (task));
}

static void
complete (GTask *task,
          int    value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  g_task_return_value (task, &v);
  g_value_unset (&v);
}

static gboolean
watch_cb (IsleEffect  *effect,
          gpointer     user_data,
          GError     **error)
{
  Data *data = user_data;
  IsleAsyncDerived *derived = g_object_get_data (G_OBJECT (data->tasks->pdata[0]), "derived");
  IsleDerived *value = isle_async_derived_get_value_node (derived);
  IsleDerived *loading = isle_async_derived_get_loading_node (derived);

  g_string_append_printf (data->log, "%ssaw(%d,%s)", data->log->len > 0 ? " " : "",
                          isle_derived_get_int (value),
                          isle_derived_get_boolean (loading) ? "loading" : "done");
  return TRUE;
}

/* A run per change; the value follows the newest run only, whatever the
 * order runs complete in; an effect of the graph sees the value and the
 * loading flag change together, glitch-free. */
static void
test_async_derived_runs (Fixture       *fixture,
                         gconstpointer  unused)
{
  Data data = { NULL, g_ptr_array_new_with_free_func (g_object_unref), fixture->log };
  IsleAsyncDerived *derived;
  guint loading_notified = 0;

  data.input = isle_state_new_int (fixture->graph, 1);
  derived = isle_async_derived_new (fixture->graph, G_TYPE_INT, keep_task_cb, &data, NULL);
  g_signal_connect (derived, "notify::loading", G_CALLBACK (count_notify_cb), &loading_notified);

  /* Like an effect: the first run at the next flush. */
  g_assert_cmpuint (isle_async_derived_get_n_runs (derived), ==, 0);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "run(1)");
  g_assert_true (isle_async_derived_get_loading (derived));
  g_assert_cmpint (isle_derived_get_int (isle_async_derived_get_value_node (derived)), ==, 0);
  g_object_set_data (G_OBJECT (data.tasks->pdata[0]), "derived", derived);
  isle_effect_new (fixture->graph, watch_cb, &data, NULL);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "saw(0,loading)");

  complete (data.tasks->pdata[0], 10);
  isle_task_wait_all (NULL);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "saw(10,done)");
  g_assert_false (isle_async_derived_get_loading (derived));
  g_assert_cmpuint (loading_notified, ==, 2);

  /* Two changes: two runs; the first is cancelled, and the value is the
   * second's even though the first completes last. Meanwhile the old
   * value stays. */
  isle_state_set_int (data.input, 2);
  isle_graph_flush (fixture->graph);
  isle_state_set_int (data.input, 3);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "run(2) saw(10,loading) run(3)");
  g_assert_true (g_cancellable_is_cancelled (g_task_get_cancellable (data.tasks->pdata[1])));
  g_assert_false (g_cancellable_is_cancelled (g_task_get_cancellable (data.tasks->pdata[2])));
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 2);

  complete (data.tasks->pdata[2], 30);
  complete (data.tasks->pdata[1], 20);
  isle_task_wait_all (NULL);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "saw(30,done)");
  g_assert_cmpint (isle_derived_get_int (isle_async_derived_get_value_node (derived)), ==, 30);
  g_assert_cmpuint (isle_async_derived_get_n_runs (derived), ==, 3);

  g_assert_finalize_object (derived);
  g_ptr_array_unref (data.tasks);
}

/* A failed run sets the error and keeps the value; a value of another type
 * is an error; the next good run clears it. */
static void
test_async_derived_error (Fixture       *fixture,
                          gconstpointer  unused)
{
  Data data = { NULL, g_ptr_array_new_with_free_func (g_object_unref), fixture->log };
  IsleAsyncDerived *derived;
  GValue text = G_VALUE_INIT;

  data.input = isle_state_new_int (fixture->graph, 1);
  derived = isle_async_derived_new (fixture->graph, G_TYPE_INT, keep_task_cb, &data, NULL);
  isle_graph_flush (fixture->graph);
  complete (data.tasks->pdata[0], 5);
  isle_task_wait_all (NULL);

  isle_state_set_int (data.input, 2);
  isle_graph_flush (fixture->graph);
  g_task_return_new_error (data.tasks->pdata[1], G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "slow");
  isle_task_wait_all (NULL);
  g_assert_error (isle_async_derived_get_error (derived), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (isle_derived_get_int (isle_async_derived_get_value_node (derived)), ==, 5);
  g_assert_false (isle_async_derived_get_loading (derived));

  isle_state_set_int (data.input, 3);
  isle_graph_flush (fixture->graph);
  g_value_init (&text, G_TYPE_STRING);
  g_value_set_static_string (&text, "five");
  g_task_return_value (data.tasks->pdata[2], &text);
  g_value_unset (&text);
  isle_task_wait_all (NULL);
  g_assert_error (isle_async_derived_get_error (derived), ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);

  isle_state_set_int (data.input, 4);
  isle_graph_flush (fixture->graph);
  complete (data.tasks->pdata[3], 40);
  isle_task_wait_all (NULL);
  g_assert_null (isle_async_derived_get_error (derived));
  g_assert_cmpint (isle_derived_get_int (isle_async_derived_get_value_node (derived)), ==, 40);
  g_string_truncate (fixture->log, 0);

  g_assert_finalize_object (derived);
  g_ptr_array_unref (data.tasks);
}

/* Disposed with a run pending: the run is cancelled, its result dropped,
 * its task ended; the nodes are disposed with it. */
static void
test_async_derived_dispose (Fixture       *fixture,
                            gconstpointer  unused)
{
  Data data = { NULL, g_ptr_array_new_with_free_func (g_object_unref), fixture->log };
  IsleAsyncDerived *derived;
  IsleDerived *value;
  guint nodes;

  data.input = isle_state_new_int (fixture->graph, 1);
  nodes = isle_graph_get_n_nodes (fixture->graph);
  derived = isle_async_derived_new (fixture->graph, G_TYPE_INT, keep_task_cb, &data, NULL);
  isle_graph_flush (fixture->graph);
  value = isle_derived_ref (isle_async_derived_get_value_node (derived));

  g_assert_finalize_object (derived);
  g_assert_true (g_cancellable_is_cancelled (g_task_get_cancellable (data.tasks->pdata[0])));
  g_assert_true (isle_derived_is_disposed (value));
  isle_derived_unref (value);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, nodes);

  complete (data.tasks->pdata[0], 7);
  isle_task_wait_all (NULL);
  g_assert_cmpuint (isle_task_get_n_pending (), ==, 0);
  g_string_truncate (fixture->log, 0);
  g_ptr_array_unref (data.tasks);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Isle/AsyncDerived/runs", Fixture, NULL,
              fixture_setup, test_async_derived_runs, fixture_teardown);
  g_test_add ("/Isle/AsyncDerived/error", Fixture, NULL,
              fixture_setup, test_async_derived_error, fixture_teardown);
  g_test_add ("/Isle/AsyncDerived/dispose", Fixture, NULL,
              fixture_setup, test_async_derived_dispose, fixture_teardown);

  return g_test_run ();
}
