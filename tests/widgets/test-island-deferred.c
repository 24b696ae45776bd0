/* test-island-deferred.c: deferred islands, computed in a worker thread
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "isle.h"
#include "widget-test-common.h"

#define COUNT_ATOM "test-deferred-count"
#define TITLE_ATOM "test-deferred-title"

/* Helpers {{{ */

static GtkWidget *
find_child_of_type (IsleIsland *island,
                    GType       type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (island));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
      return child;

  return NULL;
}

/* }}} */

/* The worker: blocks until the test releases it {{{ */

typedef struct
{
  GMutex     mutex;
  GCond      cond;
  gboolean   block;
  gboolean   entered;
  gboolean   released;
  gboolean   finished;
  gboolean   fail;
  gboolean   fail_without_error;
  gboolean   saw_cancelled;
  GThread   *thread;
  GVariant  *snapshot;
  int        n_calls;
  int        n_func_destroyed;

  /* Main thread only. */
  GThread   *main_thread;
  guint      n_builds;
  guint      n_build_destroyed;
  gboolean   build_fails;
  GThread   *build_thread;
  GtkWidget *built;
} Worker;

static void
worker_init (Worker *worker)
{
  memset (worker, 0, sizeof *worker);
  g_mutex_init (&worker->mutex);
  g_cond_init (&worker->cond);
  worker->main_thread = g_thread_self ();
}

static void
worker_clear (Worker *worker)
{
  g_clear_pointer (&worker->snapshot, g_variant_unref);
  g_mutex_clear (&worker->mutex);
  g_cond_clear (&worker->cond);
}

static void
worker_wait_entered (Worker *worker)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&worker->mutex);
  while (!worker->entered)
    if (!g_cond_wait_until (&worker->cond, &worker->mutex, deadline))
      break;
  g_assert_true (worker->entered);
  g_mutex_unlock (&worker->mutex);
}

static void
worker_release (Worker *worker)
{
  g_mutex_lock (&worker->mutex);
  worker->released = TRUE;
  g_cond_broadcast (&worker->cond);
  g_mutex_unlock (&worker->mutex);
}

static gboolean
worker_finished (Worker *worker)
{
  gboolean finished;

  g_mutex_lock (&worker->mutex);
  finished = worker->finished;
  g_mutex_unlock (&worker->mutex);

  return finished;
}

static GVariant *
worker_func (GVariant      *snapshot,
             GCancellable  *cancellable,
             gpointer       user_data,
             GError       **error)
{
  Worker *worker = user_data;
  GVariant *result = NULL;
  int count = -1;
  const char *title = "?";

  g_mutex_lock (&worker->mutex);
  worker->n_calls++;
  worker->thread = g_thread_self ();
  g_clear_pointer (&worker->snapshot, g_variant_unref);
  worker->snapshot = g_variant_ref (snapshot);
  worker->entered = TRUE;
  g_cond_broadcast (&worker->cond);

  while (worker->block && !worker->released)
    g_cond_wait (&worker->cond, &worker->mutex);

  worker->saw_cancelled = g_cancellable_is_cancelled (cancellable);

  if (worker->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "disk on fire");
    }
  else if (!worker->fail_without_error)
    {
      g_variant_lookup (snapshot, COUNT_ATOM, "i", &count);
      g_variant_lookup (snapshot, TITLE_ATOM, "&s", &title);
      result = g_variant_new ("(is)", count * 10, title);
    }

  worker->finished = TRUE;
  g_mutex_unlock (&worker->mutex);

  return result;
}

static void
worker_func_destroy (gpointer user_data)
{
  Worker *worker = user_data;

  /* Wherever the job goes: maybe in the worker thread. */
  g_atomic_int_inc (&worker->n_func_destroyed);
}

static GtkWidget *
build_func (IsleIsland *island,
            GVariant   *data,
            gpointer    user_data)
{
  Worker *worker = user_data;
  g_autofree char *text = NULL;
  const char *title;
  int count;

  g_assert_true (ISLE_IS_ISLAND (island));
  g_assert_true (g_variant_is_of_type (data, G_VARIANT_TYPE ("(is)")));

  worker->n_builds++;
  worker->build_thread = g_thread_self ();

  if (worker->build_fails)
    return NULL;

  g_variant_get (data, "(i&s)", &count, &title);
  text = g_strdup_printf ("%s: %d", title, count);
  worker->built = gtk_label_new (text);

  return worker->built;
}

static void
build_destroy (gpointer user_data)
{
  Worker *worker = user_data;

  g_assert_true (g_thread_self () == worker->main_thread);
  worker->n_build_destroyed++;
}

/* }}} */

/* Fixture: two registered stores {{{ */

typedef struct
{
  IsleAtom   *count;
  IsleAtom   *title;
  Worker      worker;
  GtkWidget  *island;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GError) error = NULL;

  fixture->count = isle_registry_ensure_atom (registry, COUNT_ATOM, G_VARIANT_TYPE_INT32,
                                              NULL, &error);
  g_assert_no_error (error);
  isle_atom_set_int (fixture->count, 3);

  fixture->title = isle_registry_ensure_atom (registry, TITLE_ATOM, G_VARIANT_TYPE_STRING,
                                              NULL, &error);
  g_assert_no_error (error);
  isle_atom_set_string (fixture->title, "Books");

  worker_init (&fixture->worker);

  fixture->island = g_object_ref_sink (isle_island_new (ISLE_ACTIVATION_WHEN));
  g_object_add_weak_pointer (G_OBJECT (fixture->island), (gpointer *) &fixture->island);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->island != NULL)
    g_assert_finalize_object (fixture->island);

  /* Every worker is done and its job freed before the next test. */
  worker_release (&fixture->worker);
  RUN_UNTIL (g_atomic_int_get (&fixture->worker.n_func_destroyed) == 1);
  g_assert_cmpuint (fixture->worker.n_build_destroyed, ==, 1);
  worker_clear (&fixture->worker);
}

static void
set_deferred (Fixture            *fixture,
              const char * const *names)
{
  isle_island_set_deferred (ISLE_ISLAND (fixture->island), names,
                            worker_func, &fixture->worker, worker_func_destroy,
                            build_func, &fixture->worker, build_destroy);
}

static const char * const both_stores[] = { COUNT_ATOM, TITLE_ATOM, NULL };

/* }}} */

/* Success {{{ */

static void
test_deferred_success (Fixture       *fixture,
                       gconstpointer  data)
{
  IsleIsland *island = ISLE_ISLAND (fixture->island);
  Worker *worker = &fixture->worker;
  GtkWidget *spinner;

  worker->block = TRUE;
  set_deferred (fixture, both_stores);
  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_WAITING);

  isle_island_activate (island);

  /* Loading: the spinner shows, spinning, labelled for screen readers. */
  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_LOADING);
  spinner = get_shown (island);
  g_assert_true (GTK_IS_SPINNER (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL, "Loading…");
  g_assert_false (gtk_widget_get_visible (isle_island_get_placeholder (island)));

  /* In a worker thread, while the main loop goes on. */
  worker_wait_entered (worker);
  g_assert_true (worker->thread != worker->main_thread);
  run_for (50);
  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_LOADING);
  g_assert_cmpuint (worker->n_builds, ==, 0);

  worker_release (worker);
  RUN_UNTIL (isle_island_get_phase (island) == ISLE_ISLAND_PHASE_ACTIVE);

  /* The content, built once on the main thread, shows alone. */
  g_assert_cmpuint (worker->n_builds, ==, 1);
  g_assert_true (worker->build_thread == worker->main_thread);
  g_assert_true (isle_island_get_child (island) == worker->built);
  g_assert_true (get_shown (island) == worker->built);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (worker->built)), ==, "Books: 30");
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_null (isle_island_get_error (island));
  g_assert_cmpint (worker->n_calls, ==, 1);
  g_assert_false (worker->saw_cancelled);

  /* The job goes once the task is done; the build data with the island. */
  RUN_UNTIL (g_atomic_int_get (&worker->n_func_destroyed) == 1);
  g_assert_cmpuint (worker->n_build_destroyed, ==, 0);
}

/* Activated by its mode (IDLE here), not by hand. */
static void
test_deferred_idle (Fixture       *fixture,
                    gconstpointer  data)
{
  Worker *worker = &fixture->worker;

  g_clear_object (&fixture->island);
  fixture->island = g_object_ref_sink (isle_island_new (ISLE_ACTIVATION_IDLE));
  g_object_add_weak_pointer (G_OBJECT (fixture->island), (gpointer *) &fixture->island);
  set_deferred (fixture, both_stores);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (fixture->island)), ==, ISLE_ISLAND_PHASE_WAITING);

  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (fixture->island)) == ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_cmpuint (worker->n_builds, ==, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (worker->built)), ==, "Books: 30");
}

/* In a window: the content shows and is mapped. */
static void
test_deferred_in_window (Fixture       *fixture,
                         gconstpointer  data)
{
  Worker *worker = &fixture->worker;
  GtkWidget *window;

  g_clear_object (&fixture->island);
  fixture->island = isle_island_new (ISLE_ACTIVATION_VISIBLE);
  g_object_add_weak_pointer (G_OBJECT (fixture->island), (gpointer *) &fixture->island);
  set_deferred (fixture, both_stores);

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), fixture->island);
  gtk_window_present (GTK_WINDOW (window));

  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (fixture->island)) == ISLE_ISLAND_PHASE_ACTIVE);
  RUN_UNTIL (gtk_widget_get_mapped (worker->built));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (window == NULL && fixture->island == NULL);
}

/* }}} */

/* The snapshot {{{ */

static void
test_deferred_snapshot (Fixture       *fixture,
                        gconstpointer  data)
{
  IsleIsland *island = ISLE_ISLAND (fixture->island);
  Worker *worker = &fixture->worker;
  GVariant *snapshot;
  int count;
  const char *title;

  worker->block = TRUE;
  set_deferred (fixture, both_stores);
  isle_island_activate (island);
  worker_wait_entered (worker);

  /* Changes after activation are not seen: the snapshot is taken at
   * activation, on the main thread. */
  isle_atom_set_int (fixture->count, 100);
  isle_atom_set_string (fixture->title, "Films");
  worker_release (worker);
  RUN_UNTIL (isle_island_get_phase (island) == ISLE_ISLAND_PHASE_ACTIVE);

  g_mutex_lock (&worker->mutex);
  snapshot = g_variant_ref (worker->snapshot);
  g_mutex_unlock (&worker->mutex);

  g_assert_true (g_variant_is_of_type (snapshot, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (snapshot), ==, 2);
  g_assert_true (g_variant_lookup (snapshot, COUNT_ATOM, "i", &count));
  g_assert_cmpint (count, ==, 3);
  g_assert_true (g_variant_lookup (snapshot, TITLE_ATOM, "&s", &title));
  g_assert_cmpstr (title, ==, "Books");
  g_variant_unref (snapshot);

  /* A static view: it does not follow the stores. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (worker->built)), ==, "Books: 30");
  isle_atom_set_int (fixture->count, 7);
  run_for (50);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (worker->built)), ==, "Books: 30");
  g_assert_cmpuint (worker->n_builds, ==, 1);
  g_assert_cmpint (worker->n_calls, ==, 1);
}

/* No store named: an empty snapshot. */
static void
test_deferred_no_stores (Fixture       *fixture,
                         gconstpointer  data)
{
  Worker *worker = &fixture->worker;

  set_deferred (fixture, NULL);
  isle_island_activate (ISLE_ISLAND (fixture->island));
  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (fixture->island)) == ISLE_ISLAND_PHASE_ACTIVE);

  g_assert_true (g_variant_is_of_type (worker->snapshot, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (worker->snapshot), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (worker->built)), ==, "?: -10");
}

/* A missing store name: FAILED, and the worker never runs. */
static void
test_deferred_missing_store (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char * const names[] = { COUNT_ATOM, "test-deferred-no-such-store", NULL };
  IsleIsland *island = ISLE_ISLAND (fixture->island);
  Worker *worker = &fixture->worker;
  const GError *error;
  GtkWidget *shown;

  set_deferred (fixture, names);
  isle_island_activate (island);

  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_FAILED);
  error = isle_island_get_error (island);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "test-deferred-no-such-store"));

  shown = get_shown (island);
  g_assert_true (GTK_IS_LABEL (shown));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (shown)),
                                   "This part of the window stopped working: "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (shown)), "test-deferred-no-such-store"));

  run_for (50);
  g_assert_cmpint (worker->n_calls, ==, 0);
  g_assert_cmpuint (worker->n_builds, ==, 0);
  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_FAILED);
}

/* }}} */

/* Errors {{{ */

static void
check_failed (IsleIsland *island,
              const char *message)
{
  g_autofree char *expected = g_strdup_printf ("This part of the window stopped working: %s", message);
  const GError *error = isle_island_get_error (island);
  GtkWidget *shown;

  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_FAILED);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);

  shown = get_shown (island);
  g_assert_true (GTK_IS_LABEL (shown));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (shown)), ==, expected);
}

static void
test_deferred_error (Fixture       *fixture,
                     gconstpointer  data)
{
  IsleIsland *island = ISLE_ISLAND (fixture->island);
  Worker *worker = &fixture->worker;

  worker->fail = TRUE;
  set_deferred (fixture, both_stores);
  isle_island_activate (island);
  RUN_UNTIL (isle_island_get_phase (island) != ISLE_ISLAND_PHASE_LOADING);

  check_failed (island, "disk on fire");
  g_assert_true (g_error_matches (isle_island_get_error (island), G_IO_ERROR, G_IO_ERROR_FAILED));
  g_assert_cmpuint (worker->n_builds, ==, 0);
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (find_child_of_type (island, GTK_TYPE_SPINNER))));
}

static void
test_deferred_error_without_gerror (Fixture       *fixture,
                                    gconstpointer  data)
{
  IsleIsland *island = ISLE_ISLAND (fixture->island);
  Worker *worker = &fixture->worker;

  worker->fail_without_error = TRUE;
  set_deferred (fixture, both_stores);
  isle_island_activate (island);
  RUN_UNTIL (isle_island_get_phase (island) != ISLE_ISLAND_PHASE_LOADING);

  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_FAILED);
  g_assert_nonnull (isle_island_get_error (island));
  g_assert_true (GTK_IS_LABEL (get_shown (island)));
  g_assert_cmpuint (worker->n_builds, ==, 0);
}

static void
test_deferred_build_fails (Fixture       *fixture,
                           gconstpointer  data)
{
  IsleIsland *island = ISLE_ISLAND (fixture->island);
  Worker *worker = &fixture->worker;

  worker->build_fails = TRUE;
  set_deferred (fixture, both_stores);
  isle_island_activate (island);
  RUN_UNTIL (isle_island_get_phase (island) != ISLE_ISLAND_PHASE_LOADING);

  g_assert_cmpint (isle_island_get_phase (island), ==, ISLE_ISLAND_PHASE_FAILED);
  g_assert_cmpuint (worker->n_builds, ==, 1);
  g_assert_nonnull (isle_island_get_error (island));
  g_assert_true (GTK_IS_LABEL (get_shown (island)));
}

/* Too late: the island is already set up. */
static void
test_deferred_after_activation (Fixture       *fixture,
                                gconstpointer  data)
{
  Worker *worker = &fixture->worker;

  isle_island_activate (ISLE_ISLAND (fixture->island));

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*already activated*");
  set_deferred (fixture, both_stores);
  g_test_assert_expected_messages ();

  /* Both data freed at once; nothing runs. */
  g_assert_cmpint (g_atomic_int_get (&worker->n_func_destroyed), ==, 1);
  g_assert_cmpuint (worker->n_build_destroyed, ==, 1);
  run_for (20);
  g_assert_cmpint (worker->n_calls, ==, 0);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (fixture->island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
}

/* }}} */

/* Destroyed before the worker finishes {{{ */

static void
test_deferred_destroyed_early (Fixture       *fixture,
                               gconstpointer  data)
{
  Worker *worker = &fixture->worker;
  IsleGraph *graph;

  worker->block = TRUE;
  set_deferred (fixture, both_stores);
  graph = isle_island_get_graph (ISLE_ISLAND (fixture->island));
  g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);

  isle_island_activate (ISLE_ISLAND (fixture->island));
  worker_wait_entered (worker);

  /* The island goes while its worker runs: nothing keeps it alive. */
  g_object_unref (fixture->island);
  g_assert_null (fixture->island);
  g_assert_null (graph);
  g_assert_cmpuint (worker->n_build_destroyed, ==, 1);

  /* The worker finishes; its result is dropped. */
  worker_release (worker);
  RUN_UNTIL (worker_finished (worker));
  RUN_UNTIL (g_atomic_int_get (&worker->n_func_destroyed) == 1);
  run_for (50);

  g_assert_true (worker->saw_cancelled);
  g_assert_cmpuint (worker->n_builds, ==, 0);
  g_assert_cmpint (worker->n_calls, ==, 1);
}

/* Same, with a worker that fails (as a cancelled worker would). */
static void
test_deferred_destroyed_early_error (Fixture       *fixture,
                                     gconstpointer  data)
{
  Worker *worker = &fixture->worker;

  worker->block = TRUE;
  worker->fail = TRUE;
  set_deferred (fixture, both_stores);
  isle_island_activate (ISLE_ISLAND (fixture->island));
  worker_wait_entered (worker);

  g_object_unref (fixture->island);
  g_assert_null (fixture->island);

  worker_release (worker);
  RUN_UNTIL (g_atomic_int_get (&worker->n_func_destroyed) == 1);
  run_for (50);
  g_assert_cmpuint (worker->n_builds, ==, 0);
}

/* Same, in a window that is destroyed. */
static void
test_deferred_destroyed_with_window (Fixture       *fixture,
                                     gconstpointer  data)
{
  Worker *worker = &fixture->worker;
  GtkWidget *window;

  g_clear_object (&fixture->island);
  fixture->island = isle_island_new (ISLE_ACTIVATION_VISIBLE);
  g_object_add_weak_pointer (G_OBJECT (fixture->island), (gpointer *) &fixture->island);
  worker->block = TRUE;
  set_deferred (fixture, both_stores);

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), fixture->island);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (fixture->island)) == ISLE_ISLAND_PHASE_LOADING);
  worker_wait_entered (worker);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (window == NULL && fixture->island == NULL);

  worker_release (worker);
  RUN_UNTIL (g_atomic_int_get (&worker->n_func_destroyed) == 1);
  run_for (50);
  g_assert_cmpuint (worker->n_builds, ==, 0);
  g_assert_true (worker->saw_cancelled);
}

/* Never activated: nothing runs, everything is freed. */
static void
test_deferred_never_activated (Fixture       *fixture,
                               gconstpointer  data)
{
  Worker *worker = &fixture->worker;

  set_deferred (fixture, both_stores);
  /* Replacing the deferred function frees the first one's data. */
  set_deferred (fixture, both_stores);
  g_assert_cmpint (g_atomic_int_get (&worker->n_func_destroyed), ==, 1);
  g_assert_cmpuint (worker->n_build_destroyed, ==, 1);

  g_assert_finalize_object (fixture->island);
  g_assert_cmpint (g_atomic_int_get (&worker->n_func_destroyed), ==, 2);
  g_assert_cmpuint (worker->n_build_destroyed, ==, 2);
  g_assert_cmpint (worker->n_calls, ==, 0);

  /* What the teardown expects. */
  g_atomic_int_set (&worker->n_func_destroyed, 1);
  worker->n_build_destroyed = 1;
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Isle/Island/deferred/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("success", test_deferred_success);
  ADD ("idle", test_deferred_idle);
  ADD ("in-window", test_deferred_in_window);
  ADD ("snapshot", test_deferred_snapshot);
  ADD ("no-stores", test_deferred_no_stores);
  ADD ("missing-store", test_deferred_missing_store);
  ADD ("error", test_deferred_error);
  ADD ("error-without-gerror", test_deferred_error_without_gerror);
  ADD ("build-fails", test_deferred_build_fails);
  ADD ("after-activation", test_deferred_after_activation);
  ADD ("destroyed-early", test_deferred_destroyed_early);
  ADD ("destroyed-early-error", test_deferred_destroyed_early_error);
  ADD ("destroyed-with-window", test_deferred_destroyed_with_window);
  ADD ("never-activated", test_deferred_never_activated);

#undef ADD

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
