/* test-errors.c: how the signal engine contains errors and misuse
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tests run with warnings and criticals fatal: a message that is reported
 * twice where once was promised aborts the test, so "reported once" is
 * checked by every g_test_expect_message() below.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

typedef struct {
  IsleGraph *graph;
  guint      failed_emissions;
} Fixture;

static void
failed_cb (IsleGraph    *graph,
           const GError *error,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_nonnull (error);
  fixture->failed_emissions++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->graph = isle_graph_new ();
  isle_graph_set_name (fixture->graph, "test");
  fixture->failed_emissions = 0;
  g_signal_connect (fixture->graph, "failed", G_CALLBACK (failed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  isle_graph_flush (fixture->graph);
  g_assert_finalize_object (fixture->graph);
}

static void
drain_default_context (void)
{
  guint i;

  for (i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* A Counter (test-common.h) proves the graph still propagates. */
static Counter *
counter_new (IsleGraph *graph,
             IsleState *state)
{
  Counter *counter = g_new0 (Counter, 1);

  counter->state = state;
  isle_effect_new (graph, counter_cb, counter, g_free);
  isle_graph_flush (graph);

  return counter;
}

static void
assert_graph_works (IsleGraph *graph)
{
  IsleState *state = isle_state_new_int (graph, 0);
  Counter *counter = counter_new (graph, state);

  g_assert_cmpuint (counter->runs, ==, 1);
  isle_state_set_int (state, 42);
  isle_graph_flush (graph);
  g_assert_cmpuint (counter->runs, ==, 2);
  g_assert_cmpint (counter->last, ==, 42);
}

/* Cycles. */

typedef struct {
  IsleState   *flag;
  IsleState   *base;
  IsleDerived *a;
  IsleDerived *b;
  guint        runs;
  int          seen;
} Cycle;

/* a = flag ? a + 1 : base */
static gboolean
self_cycle_cb (IsleDerived  *self,
               GValue       *value,
               gpointer      user_data,
               GError      **error)
{
  Cycle *cycle = user_data;

  if (isle_state_get_boolean (cycle->flag))
    g_value_set_int (value, isle_derived_get_int (cycle->a) + 1);
  else
    g_value_set_int (value, isle_state_get_int (cycle->base));

  return TRUE;
}

static gboolean
cycle_effect_cb (IsleEffect  *self,
                 gpointer     user_data,
                 GError     **error)
{
  Cycle *cycle = user_data;

  cycle->runs++;
  cycle->seen = isle_derived_get_int (cycle->a);

  return TRUE;
}

static void
test_errors_cycle (Fixture       *fixture,
                   gconstpointer  data)
{
  Cycle cycle = { NULL, };
  const GError *error;

  cycle.flag = isle_state_new_boolean (fixture->graph, FALSE);
  cycle.base = isle_state_new_int (fixture->graph, 5);
  cycle.a = isle_derived_new (fixture->graph, G_TYPE_INT, self_cycle_cb, &cycle, NULL);
  isle_derived_set_name (cycle.a, "loop");
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 5);

  isle_state_set_boolean (cycle.flag, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “loop” in graph “test”*failed: cycle*");
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 5);
  g_test_assert_expected_messages ();

  error = isle_derived_get_error (cycle.a);
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_CYCLE);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  /* Read again: the last good value, no second report. */
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 5);
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 5);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  /* Healed by a valid change. */
  isle_state_set_boolean (cycle.flag, FALSE);
  isle_state_set_int (cycle.base, 7);
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 7);
  g_assert_null (isle_derived_get_error (cycle.a));

  /* Reported again only because it succeeded in between. */
  isle_state_set_boolean (cycle.flag, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “loop”*failed: cycle*");
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 7);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->failed_emissions, ==, 2);

  assert_graph_works (fixture->graph);
}

/* a = flag ? b + 1 : base; b = 2 * a */
static gboolean
cycle_a_cb (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  Cycle *cycle = user_data;

  if (isle_state_get_boolean (cycle->flag))
    g_value_set_int (value, isle_derived_get_int (cycle->b) + 1);
  else
    g_value_set_int (value, isle_state_get_int (cycle->base));

  return TRUE;
}

static gboolean
cycle_b_cb (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  Cycle *cycle = user_data;

  g_value_set_int (value, 2 * isle_derived_get_int (cycle->a));

  return TRUE;
}

static void
test_errors_cycle_indirect (Fixture       *fixture,
                            gconstpointer  data)
{
  Cycle cycle = { NULL, };

  cycle.flag = isle_state_new_boolean (fixture->graph, FALSE);
  cycle.base = isle_state_new_int (fixture->graph, 5);
  cycle.a = isle_derived_new (fixture->graph, G_TYPE_INT, cycle_a_cb, &cycle, NULL);
  cycle.b = isle_derived_new (fixture->graph, G_TYPE_INT, cycle_b_cb, &cycle, NULL);
  isle_derived_set_name (cycle.a, "cyc-a");
  isle_derived_set_name (cycle.b, "cyc-b");
  g_assert_cmpint (isle_derived_get_int (cycle.b), ==, 10);

  /* One cycle, one report, whichever derived closes it. */
  isle_state_set_boolean (cycle.flag, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “cyc-?”*failed: cycle*");
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 5);
  g_assert_cmpint (isle_derived_get_int (cycle.b), ==, 10);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  isle_state_set_boolean (cycle.flag, FALSE);
  isle_state_set_int (cycle.base, 6);
  g_assert_cmpint (isle_derived_get_int (cycle.b), ==, 12);
  g_assert_cmpint (isle_derived_get_int (cycle.a), ==, 6);
  g_assert_null (isle_derived_get_error (cycle.a));
  g_assert_null (isle_derived_get_error (cycle.b));

  assert_graph_works (fixture->graph);
}

static void
test_errors_cycle_under_effect (Fixture       *fixture,
                                gconstpointer  data)
{
  Cycle cycle = { NULL, };

  cycle.flag = isle_state_new_boolean (fixture->graph, FALSE);
  cycle.base = isle_state_new_int (fixture->graph, 5);
  cycle.a = isle_derived_new (fixture->graph, G_TYPE_INT, self_cycle_cb, &cycle, NULL);
  isle_derived_set_name (cycle.a, "loop");
  isle_effect_new (fixture->graph, cycle_effect_cb, &cycle, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (cycle.seen, ==, 5);

  isle_state_set_boolean (cycle.flag, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “loop”*failed: cycle*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_cmpint (cycle.seen, ==, 5);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  drain_default_context ();

  /* A later valid change still reaches the effect. */
  isle_state_set_boolean (cycle.flag, FALSE);
  isle_state_set_int (cycle.base, 9);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (cycle.seen, ==, 9);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  isle_graph_dispose_nodes (fixture->graph);
}

/* Runaway effects. */

typedef struct {
  IsleState *loop;
  IsleState *count;
} Spin;

static gboolean
spin_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Spin *spin = user_data;
  int count = isle_state_get_int (spin->count);

  if (isle_state_get_boolean (spin->loop))
    isle_state_set_int (spin->count, count + 1);

  return TRUE;
}

static void
test_errors_runaway (Fixture       *fixture,
                     gconstpointer  data)
{
  Spin spin;
  IsleEffect *effect;
  guint runs;

  spin.loop = isle_state_new_boolean (fixture->graph, FALSE);
  spin.count = isle_state_new_int (fixture->graph, 0);
  effect = isle_effect_new (fixture->graph, spin_cb, &spin, NULL);
  isle_effect_set_name (effect, "spin");
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);

  isle_state_set_boolean (spin.loop, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “spin” in graph “test”*failed: runaway*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();

  /* About a hundred reruns, then it stops for this flush and is not left
   * queued to spin again from the main loop. */
  runs = isle_effect_get_run_count (effect);
  g_assert_cmpuint (runs, >=, 1 + 100);
  g_assert_cmpuint (runs, <=, 1 + 102);
  g_assert_cmpint (isle_state_get_int (spin.count), >=, 100);
  g_assert_error (isle_effect_get_error (effect), ISLE_ERROR, ISLE_ERROR_RUNAWAY);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  drain_default_context ();
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, runs);

  /* The rest of the graph works. */
  assert_graph_works (fixture->graph);

  /* It heals with a valid change... */
  isle_state_set_boolean (spin.loop, FALSE);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, runs + 1);
  g_assert_null (isle_effect_get_error (effect));
  isle_state_set_int (spin.count, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, runs + 2);

  /* ...and is reported again after that success. */
  isle_state_set_boolean (spin.loop, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “spin”*failed: runaway*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->failed_emissions, ==, 2);

  isle_graph_dispose_nodes (fixture->graph);
}

typedef struct {
  IsleState *from;
  IsleState *to;
} Pass;

static gboolean
pass_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Pass *pass = user_data;

  isle_state_set_int (pass->to, isle_state_get_int (pass->from) + 1);

  return TRUE;
}

static void
test_errors_runaway_ping_pong (Fixture       *fixture,
                               gconstpointer  data)
{
  IsleState *a = isle_state_new_int (fixture->graph, 0);
  IsleState *b = isle_state_new_int (fixture->graph, 0);
  Pass ping = { a, b };
  Pass pong = { b, a };

  /* Two effects that keep re-triggering each other: stopped, reported once,
   * no stack overflow. */
  isle_effect_set_name (isle_effect_new (fixture->graph, pass_cb, &ping, NULL), "ping");
  isle_effect_set_name (isle_effect_new (fixture->graph, pass_cb, &pong, NULL), "pong");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “p?ng”*failed: runaway*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  isle_graph_dispose_nodes (fixture->graph);
  assert_graph_works (fixture->graph);
}

/* Failing callbacks. */

typedef struct {
  IsleState   *input;
  IsleState   *fail;
  IsleDerived *derived;
  guint        calls;
  guint        runs;
  int          seen;
  gboolean     set_error;
} Fallible;

static gboolean
fallible_derived_cb (IsleDerived  *self,
                     GValue       *value,
                     gpointer      user_data,
                     GError      **error)
{
  Fallible *fallible = user_data;
  int input = isle_state_get_int (fallible->input);

  fallible->calls++;
  if (isle_state_get_boolean (fallible->fail))
    {
      if (fallible->set_error)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "boom %d", input);
      return FALSE;
    }

  g_value_set_int (value, 10 * input);
  return TRUE;
}

static gboolean
fallible_reader_cb (IsleEffect  *self,
                    gpointer     user_data,
                    GError     **error)
{
  Fallible *fallible = user_data;

  fallible->runs++;
  fallible->seen = isle_derived_get_int (fallible->derived);

  return TRUE;
}

static void
test_errors_derived_fails (Fixture       *fixture,
                           gconstpointer  data)
{
  Fallible fallible = { NULL, };
  const GError *error;

  fallible.set_error = TRUE;
  fallible.input = isle_state_new_int (fixture->graph, 1);
  fallible.fail = isle_state_new_boolean (fixture->graph, FALSE);
  fallible.derived = isle_derived_new (fixture->graph, G_TYPE_INT, fallible_derived_cb,
                                       &fallible, NULL);
  isle_derived_set_name (fallible.derived, "calc");
  isle_effect_new (fixture->graph, fallible_reader_cb, &fallible, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (fallible.seen, ==, 10);

  /* It fails: reported once, keeps its last good value; its dependents do
   * not see a change. */
  isle_state_set_boolean (fallible.fail, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “calc” in graph “test”*failed: boom 1*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 10);
  g_assert_cmpint (fallible.seen, ==, 10);
  g_assert_cmpuint (fallible.runs, ==, 1);
  error = isle_derived_get_error (fallible.derived);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  /* Failing again is not reported again. */
  isle_state_set_int (fallible.input, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 10);
  g_assert_nonnull (isle_derived_get_error (fallible.derived));
  g_assert_cmpuint (fallible.calls, ==, 3);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  /* The rest of the graph works meanwhile. */
  assert_graph_works (fixture->graph);

  /* It succeeds: the error is gone and the value flows. */
  isle_state_set_boolean (fallible.fail, FALSE);
  isle_graph_flush (fixture->graph);
  g_assert_null (isle_derived_get_error (fallible.derived));
  g_assert_cmpint (fallible.seen, ==, 20);
  g_assert_cmpuint (fallible.runs, ==, 2);

  /* A new failure after that success is reported. */
  isle_state_set_boolean (fallible.fail, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “calc”*failed: boom 2*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->failed_emissions, ==, 2);
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 20);

  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_errors_derived_fails_unobserved (Fixture       *fixture,
                                      gconstpointer  data)
{
  Fallible fallible = { NULL, };

  fallible.set_error = TRUE;
  fallible.input = isle_state_new_int (fixture->graph, 1);
  fallible.fail = isle_state_new_boolean (fixture->graph, TRUE);
  fallible.derived = isle_derived_new (fixture->graph, G_TYPE_INT, fallible_derived_cb,
                                       &fallible, NULL);
  isle_derived_set_name (fallible.derived, "first");

  /* Failing on its very first computation: the default value. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*derived “first”*failed: boom 1*");
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 0);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  isle_state_set_int (fallible.input, 3);
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 0);

  isle_state_set_boolean (fallible.fail, FALSE);
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 30);
  g_assert_null (isle_derived_get_error (fallible.derived));
}

static void
test_errors_fails_without_error (Fixture       *fixture,
                                 gconstpointer  data)
{
  Fallible fallible = { NULL, };

  fallible.set_error = FALSE;
  fallible.input = isle_state_new_int (fixture->graph, 1);
  fallible.fail = isle_state_new_boolean (fixture->graph, TRUE);
  fallible.derived = isle_derived_new (fixture->graph, G_TYPE_INT, fallible_derived_cb,
                                       &fallible, NULL);
  isle_derived_set_name (fallible.derived, "mute");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*derived “mute”*failed*");
  g_assert_cmpint (isle_derived_get_int (fallible.derived), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_error (isle_derived_get_error (fallible.derived), ISLE_ERROR, ISLE_ERROR_FAILED);
}

typedef struct {
  IsleState *input;
  IsleState *fail;
  int        seen;
} Sink;

static gboolean
sink_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Sink *sink = user_data;
  int input = isle_state_get_int (sink->input);

  if (isle_state_get_boolean (sink->fail))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "broken at %d", input);
      return FALSE;
    }

  sink->seen = input;
  return TRUE;
}

static void
test_errors_effect_fails (Fixture       *fixture,
                          gconstpointer  data)
{
  Sink sink = { NULL, NULL, 0 };
  IsleEffect *effect;

  sink.input = isle_state_new_int (fixture->graph, 1);
  sink.fail = isle_state_new_boolean (fixture->graph, FALSE);
  effect = isle_effect_new (fixture->graph, sink_cb, &sink, NULL);
  isle_effect_set_name (effect, "sink");
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (sink.seen, ==, 1);

  isle_state_set_boolean (sink.fail, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “sink” in graph “test”*failed: broken at 1*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_error (isle_effect_get_error (effect), G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 2);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  /* It still depends on what it read: it reruns, fails silently. */
  isle_state_set_int (sink.input, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 3);
  g_assert_cmpuint (fixture->failed_emissions, ==, 1);

  assert_graph_works (fixture->graph);

  isle_state_set_boolean (sink.fail, FALSE);
  isle_graph_flush (fixture->graph);
  g_assert_null (isle_effect_get_error (effect));
  g_assert_cmpint (sink.seen, ==, 2);

  isle_state_set_boolean (sink.fail, TRUE);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “sink”*failed: broken at 2*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->failed_emissions, ==, 2);

  isle_graph_dispose_nodes (fixture->graph);
}

/* Isolation between graphs. */

typedef struct {
  IsleState   *state;
  IsleDerived *derived;
  int          seen;
  guint        runs;
} Foreign;

static gboolean
foreign_reader_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Foreign *foreign = user_data;

  foreign->runs++;
  foreign->seen = isle_state_get_int (foreign->state);

  return TRUE;
}

static gboolean
foreign_writer_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Foreign *foreign = user_data;

  foreign->runs++;
  isle_state_set_int (foreign->state, 99);

  return TRUE;
}

static gboolean
foreign_derived_cb (IsleDerived  *self,
                    GValue       *value,
                    gpointer      user_data,
                    GError      **error)
{
  Foreign *foreign = user_data;

  g_value_set_int (value, isle_derived_get_int (foreign->derived) + 1);

  return TRUE;
}

static gboolean
seven_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  g_value_set_int (value, 7);
  return TRUE;
}

static void
make_graphs (IsleGraph **alpha,
             IsleGraph **beta)
{
  *alpha = isle_graph_new ();
  isle_graph_set_name (*alpha, "alpha");
  *beta = isle_graph_new ();
  isle_graph_set_name (*beta, "beta");
}

static void
test_errors_cross_graph_read (void)
{
  IsleGraph *alpha, *beta;
  Foreign foreign = { NULL, };

  make_graphs (&alpha, &beta);
  foreign.state = isle_state_new_int (alpha, 3);
  isle_state_set_name (foreign.state, "shared");
  isle_effect_new (beta, foreign_reader_cb, &foreign, NULL);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “shared”*graph “alpha”*graph “beta”*");
  isle_graph_flush (beta);
  g_test_assert_expected_messages ();

  /* The read returned the value but made no dependency. */
  g_assert_cmpint (foreign.seen, ==, 3);
  isle_state_set_int (foreign.state, 4);
  g_assert_cmpuint (isle_graph_get_n_pending (beta), ==, 0);
  isle_graph_flush (beta);
  isle_graph_flush (alpha);
  g_assert_cmpuint (foreign.runs, ==, 1);

  g_assert_finalize_object (beta);
  g_assert_finalize_object (alpha);
}

/* A node stamped by a run of its own graph is read from a run of another
 * graph with the same place in its graph's sequence of runs (each graph's
 * first): the stamp says nothing about the other graph's run, so the read
 * is still refused. */
static void
test_errors_cross_graph_read_stamped (void)
{
  IsleGraph *alpha, *beta;
  Foreign own = { NULL, };
  Foreign foreign = { NULL, };

  make_graphs (&alpha, &beta);
  own.state = isle_state_new_int (alpha, 3);
  isle_state_set_name (own.state, "shared");
  isle_effect_new (alpha, foreign_reader_cb, &own, NULL);
  isle_graph_flush (alpha);
  g_assert_cmpuint (own.runs, ==, 1);

  foreign.state = own.state;
  isle_effect_new (beta, foreign_reader_cb, &foreign, NULL);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “shared”*graph “alpha”*graph “beta”*");
  isle_graph_flush (beta);
  g_test_assert_expected_messages ();
  g_assert_cmpint (foreign.seen, ==, 3);

  /* Beta made no dependency; alpha's is intact. */
  isle_state_set_int (own.state, 4);
  g_assert_cmpuint (isle_graph_get_n_pending (beta), ==, 0);
  isle_graph_flush (beta);
  isle_graph_flush (alpha);
  g_assert_cmpuint (foreign.runs, ==, 1);
  g_assert_cmpuint (own.runs, ==, 2);
  g_assert_cmpint (own.seen, ==, 4);

  g_assert_finalize_object (beta);
  g_assert_finalize_object (alpha);
}

static void
test_errors_cross_graph_write (void)
{
  IsleGraph *alpha, *beta;
  Foreign foreign = { NULL, };
  Counter *watch;

  make_graphs (&alpha, &beta);
  foreign.state = isle_state_new_int (alpha, 3);
  isle_state_set_name (foreign.state, "shared");
  watch = counter_new (alpha, foreign.state);
  isle_effect_new (beta, foreign_writer_cb, &foreign, NULL);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “shared”*graph “alpha”*graph “beta”*");
  isle_graph_flush (beta);
  g_test_assert_expected_messages ();

  /* Nothing changed in alpha. */
  g_assert_cmpint (isle_state_get_int (foreign.state), ==, 3);
  g_assert_cmpuint (isle_graph_get_n_pending (alpha), ==, 0);
  isle_graph_flush (alpha);
  g_assert_cmpuint (watch->runs, ==, 1);

  /* Both graphs still work. */
  assert_graph_works (alpha);
  assert_graph_works (beta);

  g_assert_finalize_object (beta);
  g_assert_finalize_object (alpha);
}

static void
test_errors_cross_graph_derived (void)
{
  IsleGraph *alpha, *beta;
  Foreign foreign = { NULL, };
  IsleDerived *local;

  make_graphs (&alpha, &beta);
  foreign.derived = isle_derived_new (alpha, G_TYPE_INT, seven_cb, NULL, NULL);
  isle_derived_set_name (foreign.derived, "remote");
  local = isle_derived_new (beta, G_TYPE_INT, foreign_derived_cb, &foreign, NULL);
  isle_derived_set_name (local, "local");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “remote”*graph “alpha”*graph “beta”*");
  g_assert_cmpint (isle_derived_get_int (local), ==, 8);
  g_test_assert_expected_messages ();

  g_assert_finalize_object (beta);
  g_assert_finalize_object (alpha);
}

/* Bad input: a critical, nothing changed, no crash. */

static gboolean
nothing_effect_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  return TRUE;
}

static void
nothing_cleanup (gpointer data)
{
}

static void
expect_assertion (void)
{
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
}

static void
test_errors_null_graph (void)
{
  expect_assertion ();
  g_assert_null (isle_state_new_int (NULL, 1));
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_state_new (NULL, G_TYPE_INT));
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_state_new_string (NULL, "x"));
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_derived_new (NULL, G_TYPE_INT, seven_cb, NULL, NULL));
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_effect_new (NULL, nothing_effect_cb, NULL, NULL));
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_graph_flush (NULL);
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_cmpuint (isle_graph_get_n_nodes (NULL), ==, 0);
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_graph_batch_begin (NULL);
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_graph_dispose_nodes (NULL);
  g_test_assert_expected_messages ();
}

static void
test_errors_null_node (void)
{
  GValue value = G_VALUE_INIT;

  expect_assertion ();
  g_assert_cmpint (isle_state_get_int (NULL), ==, 0);
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_state_set_int (NULL, 1);
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_state_get_string (NULL));
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_state_get_value (NULL, &value);
  g_test_assert_expected_messages ();
  g_assert_false (G_IS_VALUE (&value));

  expect_assertion ();
  g_assert_cmpint (isle_derived_get_int (NULL), ==, 0);
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_effect_add_cleanup (NULL, nothing_cleanup, NULL, NULL);
  g_test_assert_expected_messages ();

  expect_assertion ();
  isle_state_dispose (NULL);
  g_test_assert_expected_messages ();
}

static void
test_errors_bad_arguments (Fixture       *fixture,
                           gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 1);
  Counter *counter = counter_new (fixture->graph, state);

  isle_state_set_name (state, "n");

  expect_assertion ();
  g_assert_null (isle_derived_new (fixture->graph, G_TYPE_INT, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_effect_new (fixture->graph, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (isle_state_new (fixture->graph, G_TYPE_INVALID));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (isle_state_new (fixture->graph, G_TYPE_NONE));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (isle_derived_new (fixture->graph, G_TYPE_INVALID, seven_cb, NULL, NULL));
  g_test_assert_expected_messages ();

  expect_assertion ();
  g_assert_null (isle_state_new_value (fixture->graph, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*");
  isle_state_set_value (state, NULL);
  g_test_assert_expected_messages ();

  /* Only the two good nodes exist, unchanged. */
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 2);
  g_assert_cmpint (isle_state_get_int (state), ==, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (counter->runs, ==, 1);

  /* An unbalanced batch end. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*");
  isle_graph_batch_end (fixture->graph);
  g_test_assert_expected_messages ();
  isle_state_set_int (state, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (counter->runs, ==, 2);
}

static void
test_errors_wrong_type (Fixture       *fixture,
                        gconstpointer  data)
{
  IsleState *name = isle_state_new_string (fixture->graph, "kept");
  IsleState *count = isle_state_new_int (fixture->graph, 3);
  IsleState *action = isle_state_new_object (fixture->graph, G_TYPE_SIMPLE_ACTION, NULL);
  Counter *counter = counter_new (fixture->graph, count);
  GObject *plain = g_object_new (G_TYPE_OBJECT, NULL);

  isle_state_set_name (name, "name");
  isle_state_set_name (count, "count");
  isle_state_set_name (action, "act");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “name”*holds*gchararray*not*gint*");
  isle_state_set_int (name, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (isle_state_get_string (name), ==, "kept");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “name”*holds*gchararray*not*gint*");
  g_assert_cmpint (isle_state_get_int (name), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “count”*holds*gint*not*gdouble*");
  isle_state_set_double (count, 2.0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “count”*holds*gint*not*gint64*");
  isle_state_set_int64 (count, 2);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “count”*holds*gint*not*gchararray*");
  isle_state_set_string (count, "2");
  g_test_assert_expected_messages ();

  g_assert_cmpint (isle_state_get_int (count), ==, 3);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (counter->runs, ==, 1);

  /* An object that is not of the state's type. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “act”*GSimpleAction*GObject*");
  isle_state_set_object (action, plain);
  g_test_assert_expected_messages ();
  g_assert_null (isle_state_get_object (action));
  g_assert_finalize_object (plain);
}

static void
test_errors_derived_wrong_type (Fixture       *fixture,
                                gconstpointer  data)
{
  IsleDerived *derived = isle_derived_new (fixture->graph, G_TYPE_INT, seven_cb, NULL, NULL);

  isle_derived_set_name (derived, "seven");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “seven”*holds*gint*not*gchararray*");
  g_assert_null (isle_derived_get_string (derived));
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_derived_get_int (derived), ==, 7);
}

typedef struct {
  guint calls;
} Calls;

static gboolean
counted_seven_cb (IsleDerived  *self,
                  GValue       *value,
                  gpointer      user_data,
                  GError      **error)
{
  Calls *calls = user_data;

  calls->calls++;
  g_value_set_int (value, 7);

  return TRUE;
}

static void
test_errors_not_a_state (Fixture       *fixture,
                         gconstpointer  data)
{
  Calls calls = { 0 };
  IsleDerived *derived = isle_derived_new (fixture->graph, G_TYPE_INT, counted_seven_cb,
                                           &calls, NULL);
  IsleEffect *effect = isle_effect_new (fixture->graph, nothing_effect_cb, NULL, NULL);

  isle_derived_set_name (derived, "d");
  isle_effect_set_name (effect, "e");
  isle_graph_flush (fixture->graph);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “d”*is not a state*");
  isle_state_set_int ((IsleState *) derived, 1);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “d”*is not a state*");
  g_assert_cmpint (isle_state_get_int ((IsleState *) derived), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*effect “e”*is not a state*");
  isle_state_set_int ((IsleState *) effect, 1);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*effect “e”*is not a derived*");
  g_assert_cmpint (isle_derived_get_int ((IsleDerived *) effect), ==, 0);
  g_test_assert_expected_messages ();

  /* An effect has no value type: where a state or derived keeps its
   * value, an effect keeps its own fields, which are not to be read as
   * one. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*ISLE_NODE_STATE*");
  g_assert_cmpuint (isle_state_get_value_type ((IsleState *) effect), ==, G_TYPE_INVALID);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*ISLE_NODE_DERIVED*");
  g_assert_cmpuint (isle_derived_get_value_type ((IsleDerived *) effect), ==, G_TYPE_INVALID);
  g_test_assert_expected_messages ();

  /* The derived was never touched. */
  g_assert_cmpuint (calls.calls, ==, 0);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 7);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);
}

static void
test_errors_use_after_dispose (Fixture       *fixture,
                               gconstpointer  data)
{
  Calls calls = { 0 };
  IsleState *state = isle_state_ref (isle_state_new_int (fixture->graph, 1));
  IsleDerived *derived = isle_derived_ref (isle_derived_new (fixture->graph, G_TYPE_INT,
                                                             counted_seven_cb, &calls, NULL));
  IsleEffect *effect = isle_effect_ref (isle_effect_new (fixture->graph, nothing_effect_cb,
                                                         NULL, NULL));
  GValue value = G_VALUE_INIT;

  isle_state_set_name (state, "gone");
  isle_derived_set_name (derived, "gone-d");
  isle_effect_set_name (effect, "gone-e");
  isle_graph_flush (fixture->graph);

  isle_state_dispose (state);
  isle_derived_dispose (derived);
  isle_effect_dispose (effect);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*state “gone”*disposed*");
  isle_state_set_int (state, 2);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*state “gone”*disposed*");
  g_assert_cmpint (isle_state_get_int (state), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*state “gone”*disposed*");
  isle_state_get_value (state, &value);
  g_test_assert_expected_messages ();
  if (G_IS_VALUE (&value))
    g_value_unset (&value);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*derived “gone-d”*disposed*");
  g_assert_cmpint (isle_derived_get_int (derived), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (calls.calls, ==, 0);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*effect “gone-e”*disposed*");
  isle_effect_add_cleanup (effect, nothing_cleanup, NULL, NULL);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 0);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  assert_graph_works (fixture->graph);

  isle_state_unref (state);
  isle_derived_unref (derived);
  isle_effect_unref (effect);
}

/* Depth: nothing overflows the stack. The first read of a long chain of
 * never-computed deriveds either computes it or is refused with
 * ISLE_ERROR_TOO_DEEP (reported once), never a crash; and once the chain
 * was computed, a change of its source propagates through all of it. Run in
 * a subprocess so that a stack overflow fails this test only. */

#define CHAIN_LENGTH 100000

typedef struct {
  IsleState   *source;
  IsleDerived *previous;
} Link;

static gboolean
link_cb (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  Link *link = user_data;

  if (link->previous != NULL)
    g_value_set_int (value, isle_derived_get_int (link->previous) + 1);
  else
    g_value_set_int (value, isle_state_get_int (link->source));

  return TRUE;
}

static guint too_deep_reports;

static gboolean
accept_too_deep (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  /* Being refused for depth is a valid outcome; anything else is fatal. */
  if ((log_level & G_LOG_LEVEL_WARNING) &&
      g_strcmp0 (log_domain, ISLE_LOG_DOMAIN) == 0 &&
      strstr (message, "failed: too deep") != NULL)
    {
      too_deep_reports++;
      return FALSE;
    }

  return TRUE;
}

static void
test_errors_deep_chain (void)
{
  if (g_test_subprocess ())
    {
      IsleGraph *graph = isle_graph_new ();
      Link *links = g_new0 (Link, CHAIN_LENGTH);
      IsleDerived **chain = g_new0 (IsleDerived *, CHAIN_LENGTH);
      IsleState *source = isle_state_new_int (graph, 1);
      IsleDerived *last;
      guint i;

      g_test_log_set_fatal_handler (accept_too_deep, NULL);

      for (i = 0; i < CHAIN_LENGTH; i++)
        {
          links[i].source = source;
          links[i].previous = i > 0 ? chain[i - 1] : NULL;
          chain[i] = isle_derived_new (graph, G_TYPE_INT, link_cb, &links[i], NULL);
        }
      last = chain[CHAIN_LENGTH - 1];

      if (isle_derived_get_int (last) != CHAIN_LENGTH)
        g_assert_cmpuint (too_deep_reports, ==, 1);
      else
        g_assert_cmpuint (too_deep_reports, ==, 0);

      /* Compute it bottom-up, a few levels at a time, then change the
       * source: now every walk must get through. */
      for (i = 0; i < CHAIN_LENGTH; i += 100)
        (void) isle_derived_get_int (chain[i]);
      isle_state_set_int (source, 2);
      g_assert_cmpint (isle_derived_get_int (last), ==, CHAIN_LENGTH + 1);
      g_assert_cmpuint (too_deep_reports, <=, 1);

      g_assert_finalize_object (graph);
      g_free (chain);
      g_free (links);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A graph used from a thread that did not create it: each change is
 * reported, naming the graph, and refused; reads stay allowed (they are
 * the caller's race to lose, not a corruption). */
typedef struct
{
  IsleGraph *graph;
  IsleState *state;
  IsleState *made;
} ForeignUse;

static gpointer
foreign_thread (gpointer user_data)
{
  ForeignUse *use = user_data;

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*isle_state_set_int*graph “owned”*thread that did not create it*");
  isle_state_set_int (use->state, 2);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*isle_state_new_int*graph “owned”*");
  use->made = isle_state_new_int (use->graph, 3);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*isle_graph_flush*graph “owned”*");
  isle_graph_flush (use->graph);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*isle_graph_batch_begin*graph “owned”*");
  isle_graph_batch_begin (use->graph);
  g_test_assert_expected_messages ();

  return NULL;
}

static void
test_errors_foreign_thread (void)
{
  IsleGraph *graph = isle_graph_new ();
  ForeignUse use = { graph, NULL, NULL };

  isle_graph_set_name (graph, "owned");
  use.state = isle_state_new_int (graph, 1);
  g_thread_join (g_thread_new ("foreign", foreign_thread, &use));

  g_assert_null (use.made);
  g_assert_cmpint (isle_state_get_int (use.state), ==, 1);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 1);

  /* The owner goes on as before. */
  isle_state_set_int (use.state, 4);
  g_assert_cmpint (isle_state_get_int (use.state), ==, 4);
  g_assert_finalize_object (graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Isle/Errors/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("cycle", test_errors_cycle);
  ADD ("cycle-indirect", test_errors_cycle_indirect);
  ADD ("cycle-under-effect", test_errors_cycle_under_effect);
  ADD ("runaway", test_errors_runaway);
  ADD ("runaway-ping-pong", test_errors_runaway_ping_pong);
  ADD ("derived-fails", test_errors_derived_fails);
  ADD ("derived-fails-unobserved", test_errors_derived_fails_unobserved);
  ADD ("fails-without-error", test_errors_fails_without_error);
  ADD ("effect-fails", test_errors_effect_fails);
  ADD ("bad-arguments", test_errors_bad_arguments);
  ADD ("wrong-type", test_errors_wrong_type);
  ADD ("derived-wrong-type", test_errors_derived_wrong_type);
  ADD ("not-a-state", test_errors_not_a_state);
  ADD ("use-after-dispose", test_errors_use_after_dispose);

#undef ADD

  g_test_add_func ("/Isle/Errors/cross-graph-read", test_errors_cross_graph_read);
  g_test_add_func ("/Isle/Errors/cross-graph-read-stamped", test_errors_cross_graph_read_stamped);
  g_test_add_func ("/Isle/Errors/cross-graph-write", test_errors_cross_graph_write);
  g_test_add_func ("/Isle/Errors/cross-graph-derived", test_errors_cross_graph_derived);
  g_test_add_func ("/Isle/Errors/foreign-thread", test_errors_foreign_thread);
  g_test_add_func ("/Isle/Errors/null-graph", test_errors_null_graph);
  g_test_add_func ("/Isle/Errors/null-node", test_errors_null_node);
  g_test_add_func ("/Isle/Errors/deep-chain", test_errors_deep_chain);

  return g_test_run ();
}
