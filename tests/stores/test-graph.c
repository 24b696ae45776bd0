/* test-graph.c: unit tests for IsleGraph
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "isle-stores.h"

#define TEST_COMMON_FIXTURE
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* A Counter (test-common.h) of @state, after its first run. */
static Counter *
counter_new (IsleGraph *graph,
             IsleState *state)
{
  Counter *counter = g_new0 (Counter, 1);

  counter->state = state;
  isle_effect_new (graph, counter_cb, counter, g_free);
  isle_graph_flush (graph);
  g_assert_cmpuint (counter->runs, ==, 1);

  return counter;
}

static void
test_graph_new (void)
{
  IsleGraph *graph = isle_graph_new ();

  g_assert_true (ISLE_IS_GRAPH (graph));
  g_assert_null (isle_graph_get_name (graph));
  isle_graph_set_name (graph, "main");
  g_assert_cmpstr (isle_graph_get_name (graph), ==, "main");
  g_assert_true (isle_graph_get_context (graph) == g_main_context_default ());
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 0);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 0);

  /* Flushing an empty graph is harmless. */
  isle_graph_flush (graph);

  g_assert_finalize_object (graph);
}

static void
test_graph_thread_default_context (void)
{
  GMainContext *context = g_main_context_new ();
  IsleGraph *graph;

  g_main_context_push_thread_default (context);
  graph = isle_graph_new ();
  g_main_context_pop_thread_default (context);

  /* Bound at creation, whatever is thread-default later. */
  g_assert_true (isle_graph_get_context (graph) == context);
  g_assert_finalize_object (graph);
  g_main_context_unref (context);
}

static gboolean
zero_cb (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  return TRUE;
}

static gboolean
nothing_cb (IsleEffect  *self,
            gpointer     user_data,
            GError     **error)
{
  return TRUE;
}

static void
test_graph_n_nodes (Fixture       *fixture,
                    gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  Counter *counter;
  IsleState *state;
  IsleDerived *derived;

  state = isle_state_new_int (graph, 0);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 1);
  counter = counter_new (graph, state);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 2);
  derived = isle_derived_new (graph, G_TYPE_INT, zero_cb, NULL, NULL);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 3);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 0);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 3);

  isle_derived_dispose (derived);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 2);
  isle_state_set_int (state, 1);
  isle_graph_flush (graph);
  g_assert_cmpint (counter->last, ==, 1);
  isle_graph_dispose_nodes (graph);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 0);
}

static void
test_graph_n_pending (Fixture       *fixture,
                      gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  IsleState *state = isle_state_new_int (graph, 0);

  counter_new (graph, state);
  counter_new (graph, state);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 0);

  isle_state_set_int (state, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 2);
  isle_state_set_int (state, 2);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 2);

  isle_effect_new (graph, nothing_cb, NULL, NULL);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 3);
  isle_graph_flush (graph);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 0);
}

/* untrack: reads in the function do not subscribe. */
typedef struct {
  IsleState *tracked;
  IsleState *untracked;
  guint      runs;
  int        seen;
} Untrack;

static void
untrack_read (gpointer user_data)
{
  Untrack *untrack = user_data;

  untrack->seen = isle_state_get_int (untrack->untracked);
}

static gboolean
untrack_effect_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Untrack *untrack = user_data;

  untrack->runs++;
  (void) isle_state_get_int (untrack->tracked);
  isle_graph_untrack (isle_effect_get_graph (self), untrack_read, untrack);

  return TRUE;
}

static gboolean
untrack_derived_cb (IsleDerived  *self,
                    GValue       *value,
                    gpointer      user_data,
                    GError      **error)
{
  Untrack *untrack = user_data;

  untrack->runs++;
  isle_graph_untrack (isle_derived_get_graph (self), untrack_read, untrack);
  g_value_set_int (value, isle_state_get_int (untrack->tracked) + untrack->seen);

  return TRUE;
}

static void
test_graph_untrack (Fixture       *fixture,
                    gconstpointer  data)
{
  Untrack untrack = { NULL, };

  untrack.tracked = isle_state_new_int (fixture->graph, 1);
  untrack.untracked = isle_state_new_int (fixture->graph, 10);
  isle_effect_new (fixture->graph, untrack_effect_cb, &untrack, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (untrack.runs, ==, 1);
  g_assert_cmpint (untrack.seen, ==, 10);

  isle_state_set_int (untrack.untracked, 11);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (untrack.runs, ==, 1);

  /* The read itself still sees the current value. */
  isle_state_set_int (untrack.tracked, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (untrack.runs, ==, 2);
  g_assert_cmpint (untrack.seen, ==, 11);

  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_graph_untrack_in_derived (Fixture       *fixture,
                               gconstpointer  data)
{
  Untrack untrack = { NULL, };
  IsleDerived *derived;

  untrack.tracked = isle_state_new_int (fixture->graph, 1);
  untrack.untracked = isle_state_new_int (fixture->graph, 10);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, untrack_derived_cb, &untrack, NULL);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 11);

  isle_state_set_int (untrack.untracked, 20);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 11);
  g_assert_cmpuint (untrack.runs, ==, 1);

  isle_state_set_int (untrack.tracked, 2);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 22);
  g_assert_cmpuint (untrack.runs, ==, 2);
}

static void
test_graph_untrack_outside (Fixture       *fixture,
                            gconstpointer  data)
{
  Untrack untrack = { NULL, };

  /* Outside any computation it simply calls the function. */
  untrack.untracked = isle_state_new_int (fixture->graph, 5);
  isle_graph_untrack (fixture->graph, untrack_read, &untrack);
  g_assert_cmpint (untrack.seen, ==, 5);
}

/* Batches. */

static void
test_graph_batch_nested (Fixture       *fixture,
                         gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  IsleState *state = isle_state_new_int (graph, 0);
  Counter *counter = counter_new (graph, state);

  isle_graph_batch_begin (graph);
  isle_graph_batch_begin (graph);
  isle_state_set_int (state, 1);
  isle_state_set_int (state, 2);

  /* Reads inside a batch see the new value at once. */
  g_assert_cmpint (isle_state_get_int (state), ==, 2);

  isle_graph_batch_end (graph);
  g_assert_cmpuint (counter->runs, ==, 1);

  /* A flush inside a batch is deferred. */
  isle_graph_flush (graph);
  g_assert_cmpuint (counter->runs, ==, 1);

  /* So is the scheduled idle. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (counter->runs, ==, 1);

  /* The end of the outermost batch flushes synchronously. */
  isle_state_set_int (state, 3);
  isle_graph_batch_end (graph);
  g_assert_cmpuint (counter->runs, ==, 2);
  g_assert_cmpint (counter->last, ==, 3);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 0);
}

static void
test_graph_batch_new_effect (Fixture       *fixture,
                             gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  guint runs = 0;
  IsleEffect *effect;

  isle_graph_batch_begin (graph);
  effect = isle_effect_new (graph, nothing_cb, &runs, NULL);
  isle_graph_flush (graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 0);
  isle_graph_batch_end (graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);
}

typedef struct {
  IsleState *state;
  Counter   *counter;
  guint      runs_inside;
} BatchData;

static void
batch_func (gpointer user_data)
{
  BatchData *batch = user_data;

  isle_state_set_int (batch->state, 5);
  isle_state_set_int (batch->state, 6);
  isle_graph_flush (isle_state_get_graph (batch->state));
  batch->runs_inside = batch->counter->runs;
}

static void
test_graph_batch_func (Fixture       *fixture,
                       gconstpointer  data)
{
  BatchData batch;

  batch.state = isle_state_new_int (fixture->graph, 0);
  batch.counter = counter_new (fixture->graph, batch.state);

  isle_graph_batch (fixture->graph, batch_func, &batch);
  g_assert_cmpuint (batch.runs_inside, ==, 1);
  g_assert_cmpuint (batch.counter->runs, ==, 2);
  g_assert_cmpint (batch.counter->last, ==, 6);
}

/* A derived read inside a batch is up to date. */
typedef struct {
  IsleState *state;
  guint      calls;
} Plus;

static gboolean
plus_cb (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  Plus *plus = user_data;

  plus->calls++;
  g_value_set_int (value, isle_state_get_int (plus->state) + 100);

  return TRUE;
}

static void
test_graph_batch_derived_is_current (Fixture       *fixture,
                                     gconstpointer  data)
{
  Plus plus = { NULL, 0 };
  IsleDerived *derived;

  plus.state = isle_state_new_int (fixture->graph, 1);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, plus_cb, &plus, NULL);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 101);

  isle_graph_batch_begin (fixture->graph);
  isle_state_set_int (plus.state, 2);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 102);
  isle_graph_batch_end (fixture->graph);
  g_assert_cmpuint (plus.calls, ==, 2);
}

static void
test_graph_flush_is_synchronous (Fixture       *fixture,
                                 gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Counter *counter = counter_new (fixture->graph, state);

  isle_state_set_int (state, 4);
  g_assert_cmpuint (counter->runs, ==, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (counter->runs, ==, 2);
  g_assert_cmpint (counter->last, ==, 4);

  /* The idle that was scheduled finds nothing to do. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (counter->runs, ==, 2);
}

/* Disposing every node. */
typedef struct {
  guint derived_destroyed;
  guint effect_destroyed;
  guint cleanups;
} Destroyed;

static gboolean
cleanup_effect_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Destroyed *destroyed = user_data;

  isle_effect_add_cleanup (self, count_destroy, &destroyed->cleanups, NULL);

  return TRUE;
}

static void
effect_destroyed (gpointer data)
{
  Destroyed *destroyed = data;

  destroyed->effect_destroyed++;
}

static void
populate (IsleGraph   *graph,
          Destroyed   *destroyed,
          IsleState  **state,
          IsleDerived **derived,
          IsleEffect  **effect)
{
  *state = isle_state_ref (isle_state_new_int (graph, 0));
  *derived = isle_derived_ref (isle_derived_new (graph, G_TYPE_INT, zero_cb,
                                                 &destroyed->derived_destroyed,
                                                 count_destroy));
  *effect = isle_effect_ref (isle_effect_new (graph, cleanup_effect_cb, destroyed,
                                              effect_destroyed));
  isle_graph_flush (graph);

  /* A pending effect, which must never run. */
  isle_effect_new (graph, nothing_cb, NULL, NULL);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 1);
}

static void
assert_all_disposed (Destroyed   *destroyed,
                     IsleState   *state,
                     IsleDerived *derived,
                     IsleEffect  *effect)
{
  g_assert_cmpuint (destroyed->derived_destroyed, ==, 1);
  g_assert_cmpuint (destroyed->effect_destroyed, ==, 1);
  g_assert_cmpuint (destroyed->cleanups, ==, 1);
  g_assert_true (isle_state_is_disposed (state));
  g_assert_true (isle_derived_is_disposed (derived));
  g_assert_true (isle_effect_is_disposed (effect));
  isle_state_unref (state);
  isle_derived_unref (derived);
  isle_effect_unref (effect);
}

static void
test_graph_dispose_nodes (Fixture       *fixture,
                          gconstpointer  data)
{
  Destroyed destroyed = { 0, 0, 0 };
  IsleState *state;
  IsleDerived *derived;
  IsleEffect *effect;
  IsleState *fresh;
  Counter *counter;

  populate (fixture->graph, &destroyed, &state, &derived, &effect);
  isle_graph_dispose_nodes (fixture->graph);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 0);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  assert_all_disposed (&destroyed, state, derived, effect);

  /* The graph itself is still usable. */
  fresh = isle_state_new_int (fixture->graph, 1);
  counter = counter_new (fixture->graph, fresh);
  isle_state_set_int (fresh, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (counter->last, ==, 2);
}

/* Many root nodes disposed one by one, in order, in reverse, at random,
 * some still referenced by the caller: the graph keeps its count, frees
 * each node once (AddressSanitizer sees to it), and when it goes it
 * disposes the effects left in creation order. */
typedef struct
{
  GArray    *order;  /* int, the indexes of the effects as they were destroyed */
  IsleState *state;
} ManyRoots;

static ManyRoots many_roots;

static void
record_destroy (gpointer data)
{
  int index = GPOINTER_TO_INT (data);

  g_array_append_val (many_roots.order, index);
}

static gboolean
read_state_cb (IsleEffect  *self,
               gpointer     user_data,
               GError     **error)
{
  (void) isle_state_get_int (many_roots.state);
  return TRUE;
}

/* Fills @order with @first to @first + @n - 1 in a random order (the
 * test's seed). */
static void
random_order (int *order,
              int  first,
              int  n)
{
  int i;

  for (i = 0; i < n; i++)
    order[i] = first + i;
  for (i = n - 1; i > 0; i--)
    {
      int j = g_test_rand_int_range (0, i + 1);
      int swap = order[i];

      order[i] = order[j];
      order[j] = swap;
    }
}

static void
test_graph_dispose_many_root_nodes (void)
{
  enum { N = 1000, N_KEPT = 200, N_LATE = 10 };
  IsleGraph *graph = isle_graph_new ();
  IsleEffect *effects[N + N_LATE];
  IsleEffect *held[3];
  int permutation[200];
  guint expected_nodes;
  int i;

  many_roots.order = g_array_new (FALSE, FALSE, sizeof (int));
  many_roots.state = isle_state_new_int (graph, 0);
  for (i = 0; i < N; i++)
    effects[i] = isle_effect_new (graph, read_state_cb, GINT_TO_POINTER (i), record_destroy);
  isle_graph_flush (graph);
  expected_nodes = N + 1;
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, expected_nodes);

  /* Three the caller keeps past their disposal. */
  held[0] = isle_effect_ref (effects[10]);
  held[1] = isle_effect_ref (effects[450]);
  held[2] = isle_effect_ref (effects[700]);

  /* In creation order, then in reverse. */
  for (i = 0; i < 300; i++)
    isle_effect_dispose (effects[i]);
  for (i = 599; i >= 300; i--)
    isle_effect_dispose (effects[i]);
  expected_nodes -= 600;
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, expected_nodes);

  /* At random. */
  random_order (permutation, 600, 200);
  for (i = 0; i < 200; i++)
    isle_effect_dispose (effects[permutation[i]]);
  expected_nodes -= 200;
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, expected_nodes);

  /* Each was destroyed once, at its disposal. */
  g_assert_cmpuint (many_roots.order->len, ==, N - N_KEPT);
  for (i = 0; i < 300; i++)
    g_assert_cmpint (g_array_index (many_roots.order, int, i), ==, i);
  for (i = 0; i < 300; i++)
    g_assert_cmpint (g_array_index (many_roots.order, int, 300 + i), ==, 599 - i);
  g_array_set_size (many_roots.order, 0);

  /* The graph goes on: a write reaches the live effects only. */
  isle_state_set_int (many_roots.state, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, N_KEPT);
  isle_graph_flush (graph);
  for (i = N - N_KEPT; i < N; i++)
    g_assert_cmpuint (isle_effect_get_run_count (effects[i]), ==, 2);

  for (i = 0; i < 3; i++)
    {
      g_assert_true (isle_effect_is_disposed (held[i]));
      isle_effect_unref (held[i]);
    }

  /* Late ones, then the graph goes: effects in creation order. */
  for (i = N; i < N + N_LATE; i++)
    effects[i] = isle_effect_new (graph, read_state_cb, GINT_TO_POINTER (i), record_destroy);
  g_assert_finalize_object (graph);

  g_assert_cmpuint (many_roots.order->len, ==, N_KEPT + N_LATE);
  for (i = 0; i < N_KEPT; i++)
    g_assert_cmpint (g_array_index (many_roots.order, int, i), ==, N - N_KEPT + i);
  for (i = 0; i < N_LATE; i++)
    g_assert_cmpint (g_array_index (many_roots.order, int, N_KEPT + i), ==, N + i);

  g_array_unref (many_roots.order);
}

/* Rows of a state, a derived reading it and an effect reading that, each
 * kind made in a run of its own, disposed row by row (three interleaved
 * streams), forwards and backwards, with rows the caller keeps: the graph
 * frees each node once, keeps its count and its remaining rows working,
 * and disposes the rest (effects in creation order) when it goes. */
typedef struct
{
  GArray       *destroyed;  /* int: the rows whose effect was destroyed */
  IsleDerived **deriveds;
  int           sum;        /* of what the effects saw in the last flush */
} Rows;

static Rows rows;

static gboolean
row_plus_one_cb (IsleDerived  *self,
                 GValue       *value,
                 gpointer      user_data,
                 GError      **error)
{
  g_value_set_int (value, isle_state_get_int (user_data) + 1);
  return TRUE;
}

static gboolean
row_effect_cb (IsleEffect  *self,
               gpointer     user_data,
               GError     **error)
{
  rows.sum += isle_derived_get_int (rows.deriveds[GPOINTER_TO_INT (user_data)]);
  return TRUE;
}

static void
row_destroyed (gpointer data)
{
  int row = GPOINTER_TO_INT (data);

  g_array_append_val (rows.destroyed, row);
}

static void
test_graph_dispose_interleaved_rows (void)
{
  enum { N = 600, HELD = 250 };
  IsleGraph *graph = isle_graph_new ();
  IsleState *states[N];
  IsleDerived *deriveds[N];
  IsleEffect *effects[N];
  IsleState *held_state;
  IsleDerived *held_derived;
  IsleEffect *held_effect;
  int expected_sum = 0;
  int i;

  rows.destroyed = g_array_new (FALSE, FALSE, sizeof (int));
  rows.deriveds = deriveds;
  rows.sum = 0;

  for (i = 0; i < N; i++)
    states[i] = isle_state_new_int (graph, i);
  for (i = 0; i < N; i++)
    deriveds[i] = isle_derived_new (graph, G_TYPE_INT, row_plus_one_cb, states[i], NULL);
  for (i = 0; i < N; i++)
    effects[i] = isle_effect_new (graph, row_effect_cb, GINT_TO_POINTER (i), row_destroyed);
  isle_graph_flush (graph);
  g_assert_cmpint (rows.sum, ==, N * (N + 1) / 2);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 3 * N);

  /* One row the caller keeps past its disposal. */
  held_state = isle_state_ref (states[HELD]);
  held_derived = isle_derived_ref (deriveds[HELD]);
  held_effect = isle_effect_ref (effects[HELD]);

  /* Rows 0 to 299 forwards, then 449 down to 300. */
  for (i = 0; i < 300; i++)
    {
      isle_effect_dispose (effects[i]);
      isle_derived_dispose (deriveds[i]);
      isle_state_dispose (states[i]);
    }
  for (i = 449; i >= 300; i--)
    {
      isle_effect_dispose (effects[i]);
      isle_derived_dispose (deriveds[i]);
      isle_state_dispose (states[i]);
    }
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 3 * (N - 450));

  g_assert_cmpuint (rows.destroyed->len, ==, 450);
  for (i = 0; i < 300; i++)
    g_assert_cmpint (g_array_index (rows.destroyed, int, i), ==, i);
  for (i = 0; i < 150; i++)
    g_assert_cmpint (g_array_index (rows.destroyed, int, 300 + i), ==, 449 - i);
  g_array_set_size (rows.destroyed, 0);

  g_assert_true (isle_state_is_disposed (held_state));
  g_assert_true (isle_derived_is_disposed (held_derived));
  g_assert_true (isle_effect_is_disposed (held_effect));
  isle_effect_unref (held_effect);
  isle_derived_unref (held_derived);
  isle_state_unref (held_state);

  /* The rows left still work, each on its own. */
  rows.sum = 0;
  for (i = 450; i < N; i++)
    {
      isle_state_set_int (states[i], 2 * i);
      expected_sum += 2 * i + 1;
    }
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, N - 450);
  isle_graph_flush (graph);
  g_assert_cmpint (rows.sum, ==, expected_sum);

  /* The graph goes: the effects left, in creation order. */
  g_assert_finalize_object (graph);
  g_assert_cmpuint (rows.destroyed->len, ==, N - 450);
  for (i = 0; i < N - 450; i++)
    g_assert_cmpint (g_array_index (rows.destroyed, int, i), ==, 450 + i);

  g_array_unref (rows.destroyed);
}

/* Rounds of root nodes, most disposed at random and a few kept each
 * round, so the graph's blocks of root nodes are left nearly empty and
 * their survivors move to older blocks, which are compacted in turn: the
 * survivors keep working, each node is destroyed once, and when the
 * graph goes the survivors are disposed in creation order, wherever they
 * moved. */
#define SURVIVOR_EVERY 97

static void
test_graph_dispose_leaving_survivors (void)
{
  enum { ROUNDS = 30, PER_ROUND = 700, N = ROUNDS * PER_ROUND, N_LATE = 5 };
  IsleGraph *graph = isle_graph_new ();
  g_autofree IsleEffect **effects = g_new0 (IsleEffect *, N + N_LATE);
  g_autoptr(GArray) survivors = g_array_new (FALSE, FALSE, sizeof (int));
  guint disposed = 0;
  int round, i;

  many_roots.order = g_array_new (FALSE, FALSE, sizeof (int));
  many_roots.state = isle_state_new_int (graph, 0);

  for (round = 0; round < ROUNDS; round++)
    {
      int first = round * PER_ROUND;
      int order[PER_ROUND];

      for (i = first; i < first + PER_ROUND; i++)
        effects[i] = isle_effect_new (graph, read_state_cb, GINT_TO_POINTER (i), record_destroy);
      isle_graph_flush (graph);

      random_order (order, first, PER_ROUND);
      for (i = 0; i < PER_ROUND; i++)
        {
          if (order[i] % SURVIVOR_EVERY == 0)
            continue;
          isle_effect_dispose (effects[order[i]]);
          disposed++;
        }
      for (i = first; i < first + PER_ROUND; i++)
        {
          if (i % SURVIVOR_EVERY == 0)
            g_array_append_val (survivors, i);
        }

      g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 1 + survivors->len);
      g_assert_cmpuint (many_roots.order->len, ==, disposed);
    }

  /* The survivors, and only they, still run. */
  isle_state_set_int (many_roots.state, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, survivors->len);
  isle_graph_flush (graph);
  for (i = 0; i < (int) survivors->len; i++)
    g_assert_cmpuint (isle_effect_get_run_count (effects[g_array_index (survivors, int, i)]), ==, 2);
  g_array_set_size (many_roots.order, 0);

  /* Late ones, then the graph goes: effects in creation order. */
  for (i = N; i < N + N_LATE; i++)
    effects[i] = isle_effect_new (graph, read_state_cb, GINT_TO_POINTER (i), record_destroy);
  g_assert_finalize_object (graph);

  g_assert_cmpuint (many_roots.order->len, ==, N_LATE + survivors->len);
  for (i = 0; i < (int) survivors->len; i++)
    g_assert_cmpint (g_array_index (many_roots.order, int, i), ==,
                     g_array_index (survivors, int, i));
  for (i = 0; i < N_LATE; i++)
    g_assert_cmpint (g_array_index (many_roots.order, int, survivors->len + i), ==, N + i);

  g_clear_pointer (&many_roots.order, g_array_unref);
}

/* An effect drops the last reference to its own graph while the graph
 * flushes: the flush runs to its end, the graph goes after it, with every
 * node (AddressSanitizer sees to the rest). The same for an explicit
 * g_object_run_dispose (). */
typedef struct
{
  IsleGraph *graph;
  IsleState *state;
  gboolean   run_dispose;
  guint      runs_after;
  guint      destroyed;
} Suicide;

static gboolean
suicide_cb (IsleEffect  *self,
            gpointer     user_data,
            GError     **error)
{
  Suicide *suicide = user_data;

  if (isle_state_get_int (suicide->state) == 1)
    {
      if (suicide->run_dispose)
        g_object_run_dispose (G_OBJECT (suicide->graph));
      else
        g_object_unref (suicide->graph);
    }

  return TRUE;
}

static gboolean
after_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  Suicide *suicide = user_data;

  if (isle_state_get_int (suicide->state) == 1)
    suicide->runs_after++;

  return TRUE;
}

static void
suicide_destroy (gpointer user_data)
{
  Suicide *suicide = user_data;

  suicide->destroyed++;
}

static void
test_graph_unref_inside_flush (void)
{
  for (guint run_dispose = 0; run_dispose < 2; run_dispose++)
    {
      Suicide suicide = { .run_dispose = run_dispose };
      IsleGraph *graph = isle_graph_new ();

      suicide.graph = graph;
      suicide.state = isle_state_new_int (graph, 0);
      isle_effect_new (graph, suicide_cb, &suicide, suicide_destroy);
      isle_effect_new (graph, after_cb, &suicide, suicide_destroy);
      isle_graph_flush (graph);

      g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);
      isle_state_set_int (suicide.state, 1);
      isle_graph_flush (suicide.graph);

      /* The effect after the one that let go still ran, in the same flush;
       * then every node went. */
      g_assert_cmpuint (suicide.runs_after, ==, 1);
      g_assert_cmpuint (suicide.destroyed, ==, 2);

      if (run_dispose)
        {
          g_assert_nonnull (graph);
          g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 0);
          g_assert_finalize_object (graph);
        }
      else
        {
          g_assert_null (graph);
        }
    }
}

static void
test_graph_unref_disposes_nodes (void)
{
  IsleGraph *graph = isle_graph_new ();
  Destroyed destroyed = { 0, 0, 0 };
  IsleState *state;
  IsleDerived *derived;
  IsleEffect *effect;

  populate (graph, &destroyed, &state, &derived, &effect);

  /* Even with an effect pending, the last unref finalizes the graph (its
   * scheduled idle must not keep it alive) and disposes every node. */
  g_assert_finalize_object (graph);
  assert_all_disposed (&destroyed, state, derived, effect);

  /* The idle that was scheduled for it is harmless. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The "failed" signal. */
typedef struct {
  IsleState *fail;
  guint      emissions;
  GError    *error;
} Failing;

static gboolean
failing_cb (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  Failing *failing = user_data;

  if (isle_state_get_boolean (failing->fail))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such thing");
      return FALSE;
    }

  g_value_set_int (value, 1);
  return TRUE;
}

static void
failed_cb (IsleGraph    *graph,
           const GError *error,
           gpointer      user_data)
{
  Failing *failing = user_data;

  failing->emissions++;
  g_clear_error (&failing->error);
  failing->error = g_error_copy (error);
}

static void
test_graph_failed_signal (Fixture       *fixture,
                          gconstpointer  data)
{
  Failing failing = { NULL, 0, NULL };
  IsleDerived *derived;

  g_signal_connect (fixture->graph, "failed", G_CALLBACK (failed_cb), &failing);
  failing.fail = isle_state_new_boolean (fixture->graph, FALSE);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, failing_cb, &failing, NULL);
  isle_derived_set_name (derived, "lookup");
  g_assert_cmpint (isle_derived_get_int (derived), ==, 1);
  g_assert_cmpuint (failing.emissions, ==, 0);

  isle_state_set_boolean (failing.fail, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “lookup”*failed: no such thing*");
  g_assert_cmpint (isle_derived_get_int (derived), ==, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (failing.emissions, ==, 1);
  g_assert_error (failing.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_error (isle_derived_get_error (derived), G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_clear_error (&failing.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Graph/new", test_graph_new);
  g_test_add_func ("/Isle/Graph/thread-default-context", test_graph_thread_default_context);
  g_test_add_func ("/Isle/Graph/unref-disposes-nodes", test_graph_unref_disposes_nodes);
  g_test_add_func ("/Isle/Graph/dispose-many-root-nodes", test_graph_dispose_many_root_nodes);
  g_test_add_func ("/Isle/Graph/dispose-interleaved-rows", test_graph_dispose_interleaved_rows);
  g_test_add_func ("/Isle/Graph/dispose-leaving-survivors", test_graph_dispose_leaving_survivors);
  g_test_add_func ("/Isle/Graph/unref-inside-flush", test_graph_unref_inside_flush);

#define ADD(path, func) \
  g_test_add ("/Isle/Graph/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("n-nodes", test_graph_n_nodes);
  ADD ("n-pending", test_graph_n_pending);
  ADD ("untrack", test_graph_untrack);
  ADD ("untrack-in-derived", test_graph_untrack_in_derived);
  ADD ("untrack-outside", test_graph_untrack_outside);
  ADD ("batch-nested", test_graph_batch_nested);
  ADD ("batch-new-effect", test_graph_batch_new_effect);
  ADD ("batch-func", test_graph_batch_func);
  ADD ("batch-derived-is-current", test_graph_batch_derived_is_current);
  ADD ("flush-is-synchronous", test_graph_flush_is_synchronous);
  ADD ("dispose-nodes", test_graph_dispose_nodes);
  ADD ("failed-signal", test_graph_failed_signal);

#undef ADD

  return g_test_run ();
}
