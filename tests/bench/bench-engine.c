/* bench-engine.c: the signal engine benchmark
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The cases of the public js-reactivity-benchmark suite (the "kairo" cases,
 * molBench, cellx with 1000 layers) and a create/dispose case, with the same
 * shapes, write sequences and checks as the node runner in js/bench.mjs, so
 * the two can be compared side by side (see run-bench.sh). Every case checks
 * its values, and the number of times its callbacks ran, against numbers
 * computed independently by plain arithmetic: a fast but wrong engine fails
 * (exit status 1, with a message) instead of winning.
 *
 * Timing: each case builds its graph once, runs its update loop twice to
 * warm up, then N timed repetitions (7 by default); the reported number is
 * the median, in nanoseconds per head update (per batch for molBench and
 * cellx, per node for build and create/dispose).
 *
 * Isle runs effects at the next flush, not synchronously; the JS peers run
 * them synchronously after each write, so the loops call
 * isle_graph_flush() after each write to do the same work (the end of a
 * batch flushes by itself).
 *
 * Output: one JSON object per line on stdout, then a table for people.
 * --quick runs every case with tiny repetition counts and only checks
 * values (the test suite runs it as a smoke test).
 */

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isle-stores.h"

#include "bench-common.h"

typedef struct {
  char   *name;
  char   *unit;
  double  median;
  double  min;
  double  max;
  int     reps;
} Result;

/* {{{ Helpers */

static void
begin_case (const char *name)
{
  current_case = name;
  case_failures = 0;
  n_cases_run++;
}

/* Records one measured number (the median of @samples). Reports nothing for
 * a case that failed its checks: a wrong engine has no speed. */
static void
report (const char *name,
        const char *unit,
        double     *samples,
        int         n)
{
  Result r;

  if (case_failures > 0)
    {
      printf ("{\"impl\":\"isle\",\"case\":\"%s\",\"unit\":\"%s\",\"failed\":true}\n", name, unit);
      return;
    }

  if (quick)
    {
      printf ("{\"impl\":\"isle\",\"case\":\"%s\",\"unit\":\"%s\",\"checked\":true}\n", name, unit);
      return;
    }

  summarize_samples (samples, n, &r.median, &r.min, &r.max);
  r.name = g_strdup (name);
  r.unit = g_strdup (unit);
  r.reps = n;
  g_array_append_val (results, r);

  printf ("{\"impl\":\"isle\",\"case\":\"%s\",\"unit\":\"%s\",\"value\":%.1f,"
          "\"min\":%.1f,\"max\":%.1f,\"reps\":%d}\n",
          name, unit, r.median, r.min, r.max, n);
  fflush (stdout);
}

static void
report_value (const char *name,
              const char *unit,
              double      value)
{
  double v = value;

  report (name, unit, &v, 1);
}

/* A case with a graph built once and an update loop ("iter") timed in
 * repetitions of @iters_per_rep iters. */
typedef struct {
  const char *name;
  const char *unit;
  int         ops_per_iter;
  int         iters_per_rep;
  void      (*setup)    (void);
  void      (*iter)     (void);
  void      (*teardown) (void);
} TimedCase;

static void
run_timed_case (const TimedCase *tc)
{
  int iters = quick ? 1 : tc->iters_per_rep;
  double *samples;
  int w, r, k;

  if (!case_selected (tc->name))
    return;

  begin_case (tc->name);
  samples = g_new0 (double, n_reps);

  tc->setup ();

  for (w = 0; w < n_warmups; w++)
    for (k = 0; k < iters; k++)
      tc->iter ();

  for (r = 0; r < n_reps; r++)
    {
      gint64 t0 = now_ns ();

      for (k = 0; k < iters; k++)
        tc->iter ();

      samples[r] = (double) (now_ns () - t0) / ((double) iters * tc->ops_per_iter);
    }

  tc->teardown ();

  report (tc->name, tc->unit, samples, n_reps);
  g_free (samples);
}

/* }}} */

/* {{{ avoidablePropagation: equality cut-off
 *
 * head -> c1 = head -> c2 = (read c1, 0) -> c3 = busy; c2 + 1 -> c4 = c3 + 2
 * -> c5 = c4 + 3; effect on c5 doing busy. c2 never changes, so c3, c4, c5
 * and the effect run once, at construction; per write only c1 and c2 run.
 */

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *c1, *c2, *c3, *c4, *c5;
  guint        c1_runs, c2_runs, c3_runs, c4_runs, c5_runs, e_runs;
  guint        writes;
} av;

static gboolean
av_c1 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  av.c1_runs++;
  g_value_set_int (value, isle_state_get_int (av.head));
  return TRUE;
}

static gboolean
av_c2 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  av.c2_runs++;
  (void) isle_derived_get_int (av.c1);
  g_value_set_int (value, 0);
  return TRUE;
}

static gboolean
av_c3 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  av.c3_runs++;
  busy ();
  g_value_set_int (value, isle_derived_get_int (av.c2) + 1);
  return TRUE;
}

static gboolean
av_c4 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  av.c4_runs++;
  g_value_set_int (value, isle_derived_get_int (av.c3) + 2);
  return TRUE;
}

static gboolean
av_c5 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  av.c5_runs++;
  g_value_set_int (value, isle_derived_get_int (av.c4) + 3);
  return TRUE;
}

static gboolean
av_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  av.e_runs++;
  EXPECT_INT (isle_derived_get_int (av.c5), 6, "effect saw c5");
  busy ();
  return TRUE;
}

static void
av_setup (void)
{
  memset (&av, 0, sizeof av);
  av.graph = isle_graph_new ();
  av.head = isle_state_new_int (av.graph, 0);
  av.c1 = isle_derived_new (av.graph, G_TYPE_INT, av_c1, NULL, NULL);
  av.c2 = isle_derived_new (av.graph, G_TYPE_INT, av_c2, NULL, NULL);
  av.c3 = isle_derived_new (av.graph, G_TYPE_INT, av_c3, NULL, NULL);
  av.c4 = isle_derived_new (av.graph, G_TYPE_INT, av_c4, NULL, NULL);
  av.c5 = isle_derived_new (av.graph, G_TYPE_INT, av_c5, NULL, NULL);
  isle_effect_new (av.graph, av_effect, NULL, NULL);
  isle_graph_flush (av.graph);
  EXPECT_INT (av.e_runs, 1, "effect runs after construction");
}

static inline void
av_write (int v)
{
  isle_state_set_int (av.head, v);
  isle_graph_flush (av.graph);
  av.writes++;
  EXPECT_INT (isle_derived_get_int (av.c5), 6, "c5 after head = %d", v);
}

static void
av_iter (void)
{
  int i;

  av_write (1);
  for (i = 0; i < 1000; i++)
    av_write (i);
}

static void
av_teardown (void)
{
  EXPECT_INT (av.c3_runs, 1, "c3 runs in total (c2's constant result cuts propagation)");
  EXPECT_INT (av.c4_runs, 1, "c4 runs in total");
  EXPECT_INT (av.c5_runs, 1, "c5 runs in total");
  EXPECT_INT (av.e_runs, 1, "effect runs in total");
  EXPECT_INT (av.c1_runs, 1 + av.writes, "c1 runs (once per write)");
  EXPECT_INT (av.c2_runs, 1 + av.writes, "c2 runs (once per write)");
  g_object_unref (av.graph);
}

/* }}} */

/* {{{ broadPropagation: wide fan-out
 *
 * head; for i < 50: a_i = head + i, b_i = a_i + 1, effect E_i on b_i.
 * Every write reruns all 100 deriveds and 50 effects.
 */

#define BROAD_N 50

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *a[BROAD_N];
  IsleDerived *b[BROAD_N];
  guint        e_runs[BROAD_N];
  guint        count;
  guint        writes;
  int          expect_head;
} br;

static gboolean
br_a (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  g_value_set_int (value, isle_state_get_int (br.head) + GPOINTER_TO_INT (user_data));
  return TRUE;
}

static gboolean
br_b (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  g_value_set_int (value, isle_derived_get_int (br.a[GPOINTER_TO_INT (user_data)]) + 1);
  return TRUE;
}

static gboolean
br_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  int i = GPOINTER_TO_INT (user_data);

  EXPECT_INT (isle_derived_get_int (br.b[i]), br.expect_head + i + 1,
              "effect %d saw b_%d (head = %d)", i, i, br.expect_head);
  br.e_runs[i]++;
  br.count++;
  return TRUE;
}

static void
br_setup (void)
{
  int i;

  memset (&br, 0, sizeof br);
  br.graph = isle_graph_new ();
  br.head = isle_state_new_int (br.graph, 0);
  for (i = 0; i < BROAD_N; i++)
    {
      br.a[i] = isle_derived_new (br.graph, G_TYPE_INT, br_a, GINT_TO_POINTER (i), NULL);
      br.b[i] = isle_derived_new (br.graph, G_TYPE_INT, br_b, GINT_TO_POINTER (i), NULL);
      isle_effect_new (br.graph, br_effect, GINT_TO_POINTER (i), NULL);
    }
  isle_graph_flush (br.graph);
  EXPECT_INT (br.count, BROAD_N, "effect runs after construction");
}

static inline void
br_write (int v)
{
  br.expect_head = v;
  isle_state_set_int (br.head, v);
  isle_graph_flush (br.graph);
  br.writes++;
}

static void
br_iter (void)
{
  int i;

  br_write (1);
  br.count = 0;
  for (i = 0; i < BROAD_N; i++)
    {
      br_write (i);
      EXPECT_INT (isle_derived_get_int (br.b[BROAD_N - 1]), i + BROAD_N, "last after head = %d", i);
    }
  EXPECT_INT (br.count, BROAD_N * BROAD_N, "effect runs in one iter");
}

static void
br_teardown (void)
{
  int i;

  for (i = 0; i < BROAD_N; i++)
    EXPECT_INT (br.e_runs[i], 1 + br.writes, "runs of effect %d (once per write)", i);
  g_object_unref (br.graph);
}

/* }}} */

/* {{{ deepPropagation: a chain of 50 deriveds, +1 each; effect on the last */

#define DEEP_N 50

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *c[DEEP_N];
  guint        count;
  guint        e_runs;
  guint        writes;
  int          expect_head;
} dp;

static gboolean
dp_first (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  g_value_set_int (value, isle_state_get_int (dp.head) + 1);
  return TRUE;
}

static gboolean
dp_next (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  g_value_set_int (value, isle_derived_get_int (user_data) + 1);
  return TRUE;
}

static gboolean
dp_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  EXPECT_INT (isle_derived_get_int (dp.c[DEEP_N - 1]), dp.expect_head + DEEP_N,
              "effect saw the last (head = %d)", dp.expect_head);
  dp.count++;
  dp.e_runs++;
  return TRUE;
}

static void
dp_setup (void)
{
  int i;

  memset (&dp, 0, sizeof dp);
  dp.graph = isle_graph_new ();
  dp.head = isle_state_new_int (dp.graph, 0);
  dp.c[0] = isle_derived_new (dp.graph, G_TYPE_INT, dp_first, NULL, NULL);
  for (i = 1; i < DEEP_N; i++)
    dp.c[i] = isle_derived_new (dp.graph, G_TYPE_INT, dp_next, dp.c[i - 1], NULL);
  isle_effect_new (dp.graph, dp_effect, NULL, NULL);
  isle_graph_flush (dp.graph);
  EXPECT_INT (dp.e_runs, 1, "effect runs after construction");
}

static inline void
dp_write (int v)
{
  dp.expect_head = v;
  isle_state_set_int (dp.head, v);
  isle_graph_flush (dp.graph);
  dp.writes++;
}

static void
dp_iter (void)
{
  int i;

  dp_write (1);
  dp.count = 0;
  for (i = 0; i < 50; i++)
    {
      dp_write (i);
      EXPECT_INT (isle_derived_get_int (dp.c[DEEP_N - 1]), DEEP_N + i, "last after head = %d", i);
    }
  EXPECT_INT (dp.count, 50, "effect runs in one iter");
}

static void
dp_teardown (void)
{
  EXPECT_INT (dp.e_runs, 1 + dp.writes, "effect runs in total");
  g_object_unref (dp.graph);
}

/* }}} */

/* {{{ diamond: 5 deriveds head + 1; their sum; effect on the sum */

#define DIAMOND_W 5

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *m[DIAMOND_W];
  IsleDerived *sum;
  guint        sum_runs;
  guint        count;
  int          expect_head;
} dm;

static gboolean
dm_m (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  g_value_set_int (value, isle_state_get_int (dm.head) + 1);
  return TRUE;
}

static gboolean
dm_sum (IsleDerived  *self,
        GValue       *value,
        gpointer      user_data,
        GError      **error)
{
  int s = 0;
  int j;

  dm.sum_runs++;
  for (j = 0; j < DIAMOND_W; j++)
    s += isle_derived_get_int (dm.m[j]);
  g_value_set_int (value, s);
  return TRUE;
}

static gboolean
dm_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  EXPECT_INT (isle_derived_get_int (dm.sum), DIAMOND_W * (dm.expect_head + 1),
              "effect saw sum (head = %d)", dm.expect_head);
  dm.count++;
  return TRUE;
}

static void
dm_setup (void)
{
  int j;

  memset (&dm, 0, sizeof dm);
  dm.graph = isle_graph_new ();
  dm.head = isle_state_new_int (dm.graph, 0);
  for (j = 0; j < DIAMOND_W; j++)
    dm.m[j] = isle_derived_new (dm.graph, G_TYPE_INT, dm_m, NULL, NULL);
  dm.sum = isle_derived_new (dm.graph, G_TYPE_INT, dm_sum, NULL, NULL);
  isle_effect_new (dm.graph, dm_effect, NULL, NULL);
  isle_graph_flush (dm.graph);
  EXPECT_INT (dm.count, 1, "effect runs after construction");
  EXPECT_INT (dm.sum_runs, 1, "sum runs after construction");
}

static inline void
dm_write (int v)
{
  dm.expect_head = v;
  isle_state_set_int (dm.head, v);
  isle_graph_flush (dm.graph);
}

static void
dm_iter (void)
{
  guint sum_runs_before = dm.sum_runs;
  int i;

  dm_write (1);
  EXPECT_INT (isle_derived_get_int (dm.sum), 10, "sum after head = 1");
  dm.count = 0;
  for (i = 0; i < 500; i++)
    {
      dm_write (i);
      EXPECT_INT (isle_derived_get_int (dm.sum), DIAMOND_W * (i + 1), "sum after head = %d", i);
    }
  EXPECT_INT (dm.count, 500, "effect runs in one iter");
  EXPECT_INT (dm.sum_runs - sum_runs_before, 501, "sum runs in one iter (once per write)");
}

static void
dm_teardown (void)
{
  g_object_unref (dm.graph);
}

/* }}} */

/* {{{ mux: 100 heads gathered into a fresh array, then split again
 *
 * mux = [h_0 .. h_99] (a new GArray each time, so it always changes, like
 * the fresh JS array); p_i = mux[i]; q_i = p_i + 1; effect E_i on q_i.
 * Per write: mux reruns once, all 100 p_j rerun, one q_i and one E_i.
 */

#define MUX_N 100

static struct {
  IsleGraph   *graph;
  IsleState   *h[MUX_N];
  IsleDerived *mux;
  IsleDerived *p[MUX_N];
  IsleDerived *q[MUX_N];
  int          model[MUX_N];
  guint        mux_runs, p_runs, q_runs, e_runs;
} mx;

static gboolean
mx_mux (IsleDerived  *self,
        GValue       *value,
        gpointer      user_data,
        GError      **error)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (int), MUX_N);
  int i;

  mx.mux_runs++;
  for (i = 0; i < MUX_N; i++)
    {
      int v = isle_state_get_int (mx.h[i]);

      g_array_append_val (array, v);
    }
  g_value_take_boxed (value, array);
  return TRUE;
}

static gboolean
mx_p (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  GArray *array = isle_derived_get_boxed (mx.mux);

  mx.p_runs++;
  g_value_set_int (value, g_array_index (array, int, GPOINTER_TO_INT (user_data)));
  return TRUE;
}

static gboolean
mx_q (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  mx.q_runs++;
  g_value_set_int (value, isle_derived_get_int (mx.p[GPOINTER_TO_INT (user_data)]) + 1);
  return TRUE;
}

static gboolean
mx_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  int i = GPOINTER_TO_INT (user_data);

  EXPECT_INT (isle_derived_get_int (mx.q[i]), mx.model[i] + 1, "effect %d saw q_%d", i, i);
  mx.e_runs++;
  return TRUE;
}

static void
mx_setup (void)
{
  int i;

  memset (&mx, 0, sizeof mx);
  mx.graph = isle_graph_new ();
  for (i = 0; i < MUX_N; i++)
    mx.h[i] = isle_state_new_int (mx.graph, 0);
  mx.mux = isle_derived_new (mx.graph, G_TYPE_ARRAY, mx_mux, NULL, NULL);
  for (i = 0; i < MUX_N; i++)
    {
      mx.p[i] = isle_derived_new (mx.graph, G_TYPE_INT, mx_p, GINT_TO_POINTER (i), NULL);
      mx.q[i] = isle_derived_new (mx.graph, G_TYPE_INT, mx_q, GINT_TO_POINTER (i), NULL);
      isle_effect_new (mx.graph, mx_effect, GINT_TO_POINTER (i), NULL);
    }
  isle_graph_flush (mx.graph);
  EXPECT_INT (mx.e_runs, MUX_N, "effect runs after construction");
  EXPECT_INT (mx.mux_runs, 1, "mux runs after construction");
}

static inline void
mx_write (int i,
          int v)
{
  mx.model[i] = v;
  isle_state_set_int (mx.h[i], v);
  isle_graph_flush (mx.graph);
  EXPECT_INT (isle_derived_get_int (mx.q[i]), v + 1, "q_%d after h_%d = %d", i, i, v);
}

static void
mx_iter (void)
{
  guint mux_before = mx.mux_runs;
  guint p_before = mx.p_runs;
  guint q_before = mx.q_runs;
  guint e_before = mx.e_runs;
  int i;

  for (i = 0; i < 10; i++)
    mx_write (i, i);
  for (i = 0; i < 10; i++)
    mx_write (i, 2 * i);

  /* 18 real writes (the two writes of h_0 = 0 change nothing). */
  EXPECT_INT (mx.mux_runs - mux_before, 18, "mux runs in one iter (once per real write)");
  EXPECT_INT (mx.p_runs - p_before, 18 * MUX_N, "p runs in one iter (all 100 per real write)");
  EXPECT_INT (mx.q_runs - q_before, 18, "q runs in one iter (one per real write)");
  EXPECT_INT (mx.e_runs - e_before, 18, "effect runs in one iter (one per real write)");
}

static void
mx_teardown (void)
{
  g_object_unref (mx.graph);
}

/* }}} */

/* {{{ repeatedObservers: one derived reads head 30 times */

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *c;
  guint        c_runs;
  guint        count;
  int          expect_head;
} ro;

static gboolean
ro_c (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  int s = 0;
  int i;

  ro.c_runs++;
  for (i = 0; i < 30; i++)
    s += isle_state_get_int (ro.head);
  g_value_set_int (value, s);
  return TRUE;
}

static gboolean
ro_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  EXPECT_INT (isle_derived_get_int (ro.c), 30 * ro.expect_head, "effect saw c (head = %d)", ro.expect_head);
  ro.count++;
  return TRUE;
}

static void
ro_setup (void)
{
  memset (&ro, 0, sizeof ro);
  ro.graph = isle_graph_new ();
  ro.head = isle_state_new_int (ro.graph, 0);
  ro.c = isle_derived_new (ro.graph, G_TYPE_INT, ro_c, NULL, NULL);
  isle_effect_new (ro.graph, ro_effect, NULL, NULL);
  isle_graph_flush (ro.graph);
  EXPECT_INT (ro.count, 1, "effect runs after construction");
}

static inline void
ro_write (int v)
{
  ro.expect_head = v;
  isle_state_set_int (ro.head, v);
  isle_graph_flush (ro.graph);
}

static void
ro_iter (void)
{
  guint c_before = ro.c_runs;
  int i;

  ro_write (1);
  EXPECT_INT (isle_derived_get_int (ro.c), 30, "c after head = 1");
  ro.count = 0;
  for (i = 0; i < 100; i++)
    {
      ro_write (i);
      EXPECT_INT (isle_derived_get_int (ro.c), 30 * i, "c after head = %d", i);
    }
  EXPECT_INT (ro.count, 100, "effect runs in one iter");
  EXPECT_INT (ro.c_runs - c_before, 101, "c runs in one iter (once per write)");
}

static void
ro_teardown (void)
{
  g_object_unref (ro.graph);
}

/* }}} */

/* {{{ triangle: a chain of 10 whose every element feeds one sum
 *
 * n_0 = head, n_k = n_{k-1} + 1 for k = 1..10; sum = n_0 + ... + n_9 (n_10
 * is created but never read, so a lazy engine never computes it).
 */

#define TRIANGLE_N 10

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *n[TRIANGLE_N + 1];   /* n[0] unused: n_0 is head */
  IsleDerived *sum;
  guint        n10_runs;
  guint        count;
  int          expect_head;
} tr;

static gboolean
tr_first (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  g_value_set_int (value, isle_state_get_int (tr.head) + 1);
  return TRUE;
}

static gboolean
tr_next (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  int k = GPOINTER_TO_INT (user_data);

  if (k == TRIANGLE_N)
    tr.n10_runs++;
  g_value_set_int (value, isle_derived_get_int (tr.n[k - 1]) + 1);
  return TRUE;
}

static gboolean
tr_sum (IsleDerived  *self,
        GValue       *value,
        gpointer      user_data,
        GError      **error)
{
  int s = isle_state_get_int (tr.head);
  int k;

  for (k = 1; k < TRIANGLE_N; k++)
    s += isle_derived_get_int (tr.n[k]);
  g_value_set_int (value, s);
  return TRUE;
}

static gboolean
tr_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  EXPECT_INT (isle_derived_get_int (tr.sum), 45 + 10 * tr.expect_head, "effect saw sum (head = %d)", tr.expect_head);
  tr.count++;
  return TRUE;
}

static void
tr_setup (void)
{
  int k;

  memset (&tr, 0, sizeof tr);
  tr.graph = isle_graph_new ();
  tr.head = isle_state_new_int (tr.graph, 0);
  tr.n[1] = isle_derived_new (tr.graph, G_TYPE_INT, tr_first, NULL, NULL);
  for (k = 2; k <= TRIANGLE_N; k++)
    tr.n[k] = isle_derived_new (tr.graph, G_TYPE_INT, tr_next, GINT_TO_POINTER (k), NULL);
  tr.sum = isle_derived_new (tr.graph, G_TYPE_INT, tr_sum, NULL, NULL);
  isle_effect_new (tr.graph, tr_effect, NULL, NULL);
  isle_graph_flush (tr.graph);
  EXPECT_INT (tr.count, 1, "effect runs after construction");
}

static inline void
tr_write (int v)
{
  tr.expect_head = v;
  isle_state_set_int (tr.head, v);
  isle_graph_flush (tr.graph);
}

static void
tr_iter (void)
{
  int i;

  tr_write (1);
  EXPECT_INT (isle_derived_get_int (tr.sum), 55, "sum after head = 1");
  tr.count = 0;
  for (i = 0; i < 100; i++)
    {
      tr_write (i);
      EXPECT_INT (isle_derived_get_int (tr.sum), 45 + 10 * i, "sum after head = %d", i);
    }
  EXPECT_INT (tr.count, 100, "effect runs in one iter");
}

static void
tr_teardown (void)
{
  EXPECT_INT (tr.n10_runs, 0, "runs of n_10, which nobody reads (deriveds are lazy)");
  g_object_unref (tr.graph);
}

/* }}} */

/* {{{ unstable: the dependency set changes on every write
 *
 * double = 2 head; inverse = -head; cur = sum over 20 rounds of
 * (head odd ? double : inverse).
 */

static struct {
  IsleGraph   *graph;
  IsleState   *head;
  IsleDerived *dbl;
  IsleDerived *inv;
  IsleDerived *cur;
  guint        cur_runs;
  guint        count;
  int          expect_head;
} un;

static inline int
un_expected (int head)
{
  return head % 2 ? 40 * head : -20 * head;
}

static gboolean
un_double (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  g_value_set_int (value, 2 * isle_state_get_int (un.head));
  return TRUE;
}

static gboolean
un_inverse (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  g_value_set_int (value, -isle_state_get_int (un.head));
  return TRUE;
}

static gboolean
un_current (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  int result = 0;
  int i;

  un.cur_runs++;
  for (i = 0; i < 20; i++)
    result += isle_state_get_int (un.head) % 2 ? isle_derived_get_int (un.dbl) : isle_derived_get_int (un.inv);
  g_value_set_int (value, result);
  return TRUE;
}

static gboolean
un_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  EXPECT_INT (isle_derived_get_int (un.cur), un_expected (un.expect_head), "effect saw current (head = %d)", un.expect_head);
  un.count++;
  return TRUE;
}

static void
un_setup (void)
{
  memset (&un, 0, sizeof un);
  un.graph = isle_graph_new ();
  un.head = isle_state_new_int (un.graph, 0);
  un.dbl = isle_derived_new (un.graph, G_TYPE_INT, un_double, NULL, NULL);
  un.inv = isle_derived_new (un.graph, G_TYPE_INT, un_inverse, NULL, NULL);
  un.cur = isle_derived_new (un.graph, G_TYPE_INT, un_current, NULL, NULL);
  isle_effect_new (un.graph, un_effect, NULL, NULL);
  isle_graph_flush (un.graph);
  EXPECT_INT (un.count, 1, "effect runs after construction");
}

static inline void
un_write (int v)
{
  un.expect_head = v;
  isle_state_set_int (un.head, v);
  isle_graph_flush (un.graph);
}

static void
un_iter (void)
{
  guint cur_before = un.cur_runs;
  int i;

  un_write (1);
  EXPECT_INT (isle_derived_get_int (un.cur), 40, "current after head = 1");
  un.count = 0;
  for (i = 0; i < 100; i++)
    {
      un_write (i);
      EXPECT_INT (isle_derived_get_int (un.cur), un_expected (i), "current after head = %d", i);
    }
  EXPECT_INT (un.count, 100, "effect runs in one iter");
  EXPECT_INT (un.cur_runs - cur_before, 101, "current runs in one iter (once per write)");
}

static void
un_teardown (void)
{
  g_object_unref (un.graph);
}

/* }}} */

/* {{{ molBench (from $mol_wire): a mixed graph with expensive nodes
 *
 * C = A%2 + B%2; D = [i + A%2 - B%2 for i < 5] (a fresh array each time);
 * E = hard (C + A + D[0]); F = hard (D[2] || B);
 * G = C + (C || E%2) + D[4] + F; effects H: push hard (G), I: push G,
 * J: push hard (F). F is always 1599, so J never reruns.
 */

static volatile int fib_arg = 16;

static int
fib (int n)
{
  return n < 2 ? 1 : fib (n - 1) + fib (n - 2);
}

static int
hard (int n)
{
  return n + fib (fib_arg);
}

static struct {
  IsleGraph   *graph;
  IsleState   *A, *B;
  IsleDerived *C, *D, *E, *F, *G;
  int          res[16];
  int          n_res;
  int          i;
  guint        j_runs;
} mb;

static inline void
mb_push (int v)
{
  if (mb.n_res < (int) G_N_ELEMENTS (mb.res))
    mb.res[mb.n_res] = v;
  mb.n_res++;
}

static gboolean
mb_C (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  g_value_set_int (value, isle_state_get_int (mb.A) % 2 + isle_state_get_int (mb.B) % 2);
  return TRUE;
}

static gboolean
mb_D (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (int), 5);
  int i;

  for (i = 0; i < 5; i++)
    {
      int x = i + isle_state_get_int (mb.A) % 2 - isle_state_get_int (mb.B) % 2;

      g_array_append_val (array, x);
    }
  g_value_take_boxed (value, array);
  return TRUE;
}

static gboolean
mb_E (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  int c = isle_derived_get_int (mb.C);
  int a = isle_state_get_int (mb.A);
  GArray *d = isle_derived_get_boxed (mb.D);

  g_value_set_int (value, hard (c + a + g_array_index (d, int, 0)));
  return TRUE;
}

static gboolean
mb_F (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  GArray *d = isle_derived_get_boxed (mb.D);
  int x = g_array_index (d, int, 2);

  g_value_set_int (value, hard (x != 0 ? x : isle_state_get_int (mb.B)));
  return TRUE;
}

static gboolean
mb_G (IsleDerived  *self,
      GValue       *value,
      gpointer      user_data,
      GError      **error)
{
  int c = isle_derived_get_int (mb.C);
  int c_again = isle_derived_get_int (mb.C);
  int second = c_again != 0 ? c_again : isle_derived_get_int (mb.E) % 2;
  GArray *d = isle_derived_get_boxed (mb.D);
  int d4 = g_array_index (d, int, 4);

  g_value_set_int (value, c + second + d4 + isle_derived_get_int (mb.F));
  return TRUE;
}

static gboolean
mb_H (IsleEffect  *self,
      gpointer     user_data,
      GError     **error)
{
  mb_push (hard (isle_derived_get_int (mb.G)));
  return TRUE;
}

static gboolean
mb_I (IsleEffect  *self,
      gpointer     user_data,
      GError     **error)
{
  mb_push (isle_derived_get_int (mb.G));
  return TRUE;
}

static gboolean
mb_J (IsleEffect  *self,
      gpointer     user_data,
      GError     **error)
{
  mb.j_runs++;
  mb_push (hard (isle_derived_get_int (mb.F)));
  return TRUE;
}

static void
mb_setup (void)
{
  memset (&mb, 0, sizeof mb);
  mb.graph = isle_graph_new ();
  mb.A = isle_state_new_int (mb.graph, 0);
  mb.B = isle_state_new_int (mb.graph, 0);
  mb.C = isle_derived_new (mb.graph, G_TYPE_INT, mb_C, NULL, NULL);
  mb.D = isle_derived_new (mb.graph, G_TYPE_ARRAY, mb_D, NULL, NULL);
  mb.E = isle_derived_new (mb.graph, G_TYPE_INT, mb_E, NULL, NULL);
  mb.F = isle_derived_new (mb.graph, G_TYPE_INT, mb_F, NULL, NULL);
  mb.G = isle_derived_new (mb.graph, G_TYPE_INT, mb_G, NULL, NULL);
  isle_effect_new (mb.graph, mb_H, NULL, NULL);
  isle_effect_new (mb.graph, mb_I, NULL, NULL);
  isle_effect_new (mb.graph, mb_J, NULL, NULL);
  isle_graph_flush (mb.graph);
  EXPECT_INT (mb.n_res, 3, "effect pushes after construction");
  EXPECT_INT (isle_derived_get_int (mb.G), 1604, "G after construction");
}

static int
compare_ints (const void *a,
              const void *b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

static void
mb_iter (void)
{
  /* What H and I push (J never reruns): batch 1 gives G = 1607, batch 2
   * G = 1604; hard (n) = n + fib (16) = n + 1597. Sorted. */
  static const int expected[] = { 1604, 1607, 1604 + 1597, 1607 + 1597 };
  int i;

  mb.i++;
  mb.n_res = 0;

  isle_graph_batch_begin (mb.graph);
  isle_state_set_int (mb.B, 1);
  isle_state_set_int (mb.A, 1 + mb.i * 2);
  isle_graph_batch_end (mb.graph);

  isle_graph_batch_begin (mb.graph);
  isle_state_set_int (mb.A, 2 + mb.i * 2);
  isle_state_set_int (mb.B, 2);
  isle_graph_batch_end (mb.graph);

  EXPECT_INT (isle_derived_get_int (mb.G), 1604, "G at the end of iter %d", mb.i);
  EXPECT_INT (isle_derived_get_int (mb.F), 1599, "F at the end of iter %d", mb.i);
  EXPECT_INT (mb.n_res, 4, "effect pushes in iter %d (H and I twice, J never)", mb.i);
  if (mb.n_res == 4)
    {
      qsort (mb.res, 4, sizeof (int), compare_ints);
      for (i = 0; i < 4; i++)
        EXPECT_INT (mb.res[i], expected[i], "sorted push %d in iter %d", i, mb.i);
    }
}

static void
mb_teardown (void)
{
  EXPECT_INT (mb.j_runs, 1, "runs of J in total (F never changes)");
  g_object_unref (mb.graph);
}

/* }}} */

/* {{{ cellx: 1000 layers of 4 deriveds, each with its own effect
 *
 * Layer k maps the previous layer's (p1, p2, p3, p4) to p1' = p2,
 * p2' = p1 - p3, p3' = p2 + p4, p4' = p3; the first layer reads the 4 states.
 */

#define CELLX_LAYERS 1000

typedef struct {
  IsleDerived *p[4];
} CellxLayer;

typedef struct {
  IsleGraph  *graph;
  IsleState  *s[4];
  CellxLayer *layers;
  int         n_layers;
} Cellx;

static guint cellx_effect_runs = 0;

static const int cellx_in_a[4] = { 1, 2, 3, 4 };
static const int cellx_in_b[4] = { 4, 3, 2, 1 };
/* The end values for 1000 layers, as both upstream versions state them. */
static const int cellx_1000_a[4] = { -3, -6, -2, 2 };
static const int cellx_1000_b[4] = { -2, -4, 2, 3 };

static gboolean
cx_p1_src (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Cellx *cx = user_data;

  g_value_set_int (value, isle_state_get_int (cx->s[1]));
  return TRUE;
}

static gboolean
cx_p2_src (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Cellx *cx = user_data;

  g_value_set_int (value, isle_state_get_int (cx->s[0]) - isle_state_get_int (cx->s[2]));
  return TRUE;
}

static gboolean
cx_p3_src (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Cellx *cx = user_data;

  g_value_set_int (value, isle_state_get_int (cx->s[1]) + isle_state_get_int (cx->s[3]));
  return TRUE;
}

static gboolean
cx_p4_src (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Cellx *cx = user_data;

  g_value_set_int (value, isle_state_get_int (cx->s[2]));
  return TRUE;
}

static gboolean
cx_p1 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  CellxLayer *prev = user_data;

  g_value_set_int (value, isle_derived_get_int (prev->p[1]));
  return TRUE;
}

static gboolean
cx_p2 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  CellxLayer *prev = user_data;

  g_value_set_int (value, isle_derived_get_int (prev->p[0]) - isle_derived_get_int (prev->p[2]));
  return TRUE;
}

static gboolean
cx_p3 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  CellxLayer *prev = user_data;

  g_value_set_int (value, isle_derived_get_int (prev->p[1]) + isle_derived_get_int (prev->p[3]));
  return TRUE;
}

static gboolean
cx_p4 (IsleDerived  *self,
       GValue       *value,
       gpointer      user_data,
       GError      **error)
{
  CellxLayer *prev = user_data;

  g_value_set_int (value, isle_derived_get_int (prev->p[2]));
  return TRUE;
}

static gboolean
cx_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  (void) isle_derived_get_int (user_data);
  cellx_effect_runs++;
  return TRUE;
}

/* Builds the graph the way upstream does: per layer, 4 deriveds, their 4
 * effects, then a read of the 4 deriveds; the effects' first runs happen at
 * the flush at the end (they run at creation in the JS peers). */
static void
cellx_build (Cellx *cx,
             int    n_layers)
{
  static const IsleDeriveFunc from_states[4] = { cx_p1_src, cx_p2_src, cx_p3_src, cx_p4_src };
  static const IsleDeriveFunc from_layer[4] = { cx_p1, cx_p2, cx_p3, cx_p4 };
  int l, k;

  cx->graph = isle_graph_new ();
  cx->n_layers = n_layers;
  for (k = 0; k < 4; k++)
    cx->s[k] = isle_state_new_int (cx->graph, k + 1);
  cx->layers = g_new0 (CellxLayer, n_layers);

  for (l = 0; l < n_layers; l++)
    {
      CellxLayer *layer = &cx->layers[l];

      for (k = 0; k < 4; k++)
        {
          if (l == 0)
            layer->p[k] = isle_derived_new (cx->graph, G_TYPE_INT, from_states[k], cx, NULL);
          else
            layer->p[k] = isle_derived_new (cx->graph, G_TYPE_INT, from_layer[k], &cx->layers[l - 1], NULL);
        }
      for (k = 0; k < 4; k++)
        isle_effect_new (cx->graph, cx_effect, layer->p[k], NULL);
      for (k = 0; k < 4; k++)
        (void) isle_derived_get_int (layer->p[k]);
    }

  isle_graph_flush (cx->graph);
}

static void
cellx_free (Cellx *cx)
{
  g_clear_object (&cx->graph);
  g_clear_pointer (&cx->layers, g_free);
}

static void
cellx_set (Cellx     *cx,
           const int  in[4])
{
  int k;

  isle_graph_batch_begin (cx->graph);
  for (k = 0; k < 4; k++)
    isle_state_set_int (cx->s[k], in[k]);
  isle_graph_batch_end (cx->graph);
}

static void
cellx_read_ends (Cellx *cx,
                 int    out[4])
{
  int k;

  for (k = 0; k < 4; k++)
    out[k] = isle_derived_get_int (cx->layers[cx->n_layers - 1].p[k]);
}

/* The recurrence in plain code. */
static void
cellx_step (int v[4])
{
  int n[4];

  n[0] = v[1];
  n[1] = v[0] - v[2];
  n[2] = v[1] + v[3];
  n[3] = v[2];
  memcpy (v, n, sizeof n);
}

static void
cellx_expect (const int  in[4],
              int        n_layers,
              int        out[4])
{
  int l;

  memcpy (out, in, 4 * sizeof (int));
  for (l = 0; l < n_layers; l++)
    cellx_step (out);
}

/* How many of the 4 L deriveds differ between the inputs @x and @y: exactly
 * their effects rerun when the states go from one to the other. */
static int
cellx_n_changed (const int  x[4],
                 const int  y[4],
                 int        n_layers)
{
  int u[4], v[4];
  int l, k, n = 0;

  memcpy (u, x, sizeof u);
  memcpy (v, y, sizeof v);
  for (l = 0; l < n_layers; l++)
    {
      cellx_step (u);
      cellx_step (v);
      for (k = 0; k < 4; k++)
        n += u[k] != v[k];
    }
  return n;
}

static void
cellx_check_ends (Cellx      *cx,
                  const int   want[4],
                  const char *when)
{
  int got[4];
  int k;

  cellx_read_ends (cx, got);
  for (k = 0; k < 4; k++)
    EXPECT_INT (got[k], want[k], "end p%d %s", k + 1, when);
}

static void
cellx_self_check (void)
{
  int a[4], b[4];
  int k;

  /* The harness itself: the recurrence must give upstream's constants. */
  cellx_expect (cellx_in_a, 1000, a);
  cellx_expect (cellx_in_b, 1000, b);
  for (k = 0; k < 4; k++)
    {
      if (a[k] != cellx_1000_a[k] || b[k] != cellx_1000_b[k])
        {
          fprintf (stderr, "bench-engine: harness bug: the cellx recurrence does not give upstream's values\n");
          exit (2);
        }
    }
}

/* cellx1000_build (ns per node of 4000 deriveds + 4000 effects) and
 * cellx1000_cold (upstream's measure: one update right after a build). */
static void
run_cellx_build (void)
{
  int total = n_warmups + n_reps;
  double *build;
  double *cold;
  int want_a[4], want_b[4];
  int r;

  if (!case_selected ("cellx1000_build") && !case_selected ("cellx1000_cold"))
    return;

  begin_case ("cellx1000_build");
  build = g_new0 (double, n_reps);
  cold = g_new0 (double, n_reps);
  cellx_expect (cellx_in_a, CELLX_LAYERS, want_a);
  cellx_expect (cellx_in_b, CELLX_LAYERS, want_b);

  for (r = 0; r < total; r++)
    {
      Cellx cx = { 0, };
      guint runs_before = cellx_effect_runs;
      gint64 t0, t1, t2;
      int before[4], after[4];
      int k;

      t0 = now_ns ();
      cellx_build (&cx, CELLX_LAYERS);
      t1 = now_ns ();
      cellx_read_ends (&cx, before);
      cellx_set (&cx, cellx_in_b);
      cellx_read_ends (&cx, after);
      t2 = now_ns ();

      if (r >= n_warmups)
        {
          build[r - n_warmups] = (double) (t1 - t0) / (8.0 * CELLX_LAYERS);
          cold[r - n_warmups] = (double) (t2 - t1);
        }

      EXPECT_INT (cellx_effect_runs - runs_before,
                  4 * CELLX_LAYERS + cellx_n_changed (cellx_in_a, cellx_in_b, CELLX_LAYERS),
                  "effect runs in build and first update");
      for (k = 0; k < 4; k++)
        {
          EXPECT_INT (before[k], want_a[k], "end p%d before the update", k + 1);
          EXPECT_INT (after[k], want_b[k], "end p%d after the update", k + 1);
        }
      cellx_free (&cx);
    }

  report ("cellx1000_build", "ns/node", build, n_reps);
  report ("cellx1000_cold", "ns/update", cold, n_reps);
  g_free (build);
  g_free (cold);
}

/* cellx1000_toggle: one warm graph, alternately (4,3,2,1) and (1,2,3,4). */
static struct {
  Cellx cx;
  int   want_a[4];
  int   want_b[4];
  int   n_changed;
  int   toggles;
} ct;

static void
ct_setup (void)
{
  memset (&ct, 0, sizeof ct);
  cellx_build (&ct.cx, CELLX_LAYERS);
  cellx_expect (cellx_in_a, CELLX_LAYERS, ct.want_a);
  cellx_expect (cellx_in_b, CELLX_LAYERS, ct.want_b);
  ct.n_changed = cellx_n_changed (cellx_in_a, cellx_in_b, CELLX_LAYERS);
  cellx_check_ends (&ct.cx, ct.want_a, "after the build");
}

static void
ct_iter (void)
{
  guint runs_before = cellx_effect_runs;
  gboolean to_b = ct.toggles % 2 == 0;

  cellx_set (&ct.cx, to_b ? cellx_in_b : cellx_in_a);
  cellx_check_ends (&ct.cx, to_b ? ct.want_b : ct.want_a, to_b ? "after (4,3,2,1)" : "after (1,2,3,4)");
  EXPECT_INT (cellx_effect_runs - runs_before, ct.n_changed, "effect runs in toggle %d (one per changed derived)", ct.toggles);
  ct.toggles++;
}

static void
ct_teardown (void)
{
  cellx_free (&ct.cx);
}

/* }}} */

/* {{{ create/dispose: 100 000 states, deriveds and effects */

static struct {
  guint   effect_runs;
  guint64 effect_sum;
} cd;

static gboolean
cd_derive (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  g_value_set_int (value, isle_state_get_int (user_data) + 1);
  return TRUE;
}

static gboolean
cd_effect (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  cd.effect_sum += isle_derived_get_int (user_data);
  cd.effect_runs++;
  return TRUE;
}

typedef struct {
  double create;          /* per node, all three kinds */
  double create_state;
  double create_derived;
  double create_effect;   /* with its first run (and its derived's) */
  double dispose;         /* per node, each disposed on its own, row by row */
  double dispose_by_kind; /* the same, all effects first, then deriveds, states */
  double dispose_graph;   /* per node, by dropping the graph */
} CreateDisposeTimes;

static void
cd_create (IsleGraph    **graph_out,
           int            n,
           IsleState    **states,
           IsleDerived  **deriveds,
           IsleEffect   **effects,
           gint64         t[4])
{
  IsleGraph *graph;
  int i;

  cd.effect_runs = 0;
  cd.effect_sum = 0;

  t[0] = now_ns ();
  graph = isle_graph_new ();
  for (i = 0; i < n; i++)
    states[i] = isle_state_new_int (graph, i);
  t[1] = now_ns ();
  for (i = 0; i < n; i++)
    deriveds[i] = isle_derived_new (graph, G_TYPE_INT, cd_derive, states[i], NULL);
  t[2] = now_ns ();
  for (i = 0; i < n; i++)
    effects[i] = isle_effect_new (graph, cd_effect, deriveds[i], NULL);
  /* The JS peers run an effect when it is created. */
  isle_graph_flush (graph);
  t[3] = now_ns ();

  *graph_out = graph;
}

static void
cd_check (IsleGraph *graph,
          int        n)
{
  EXPECT_INT (isle_graph_get_n_nodes (graph), 3 * n, "nodes in the graph after creation");
  EXPECT_INT (cd.effect_runs, n, "effect runs after creation");
  if (cd.effect_sum != (guint64) n * (n + 1) / 2)
    fail ("sum of the values the effects saw: got %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT,
          cd.effect_sum, (guint64) n * (n + 1) / 2);
}

/* Disposes each node of @graph on its own (like calling each JS effect's
 * disposer), then drops the empty graph; returns the time per node.
 *
 * Row by row (the dispose row) is the order the JS loop visits the
 * nodes: calling the i-th effect's disposer unlinks it from the i-th
 * computed, and that one (left without subscribers) from the i-th signal.
 * Kind by kind (@by_kind: all effects, then all deriveds, then all
 * states) visits each derived and state twice, far apart (once as a
 * dependency being left, once to be disposed itself), so it pays for the
 * cache twice; the JS libraries have no such order to compare with. */
static double
cd_dispose_each (IsleGraph    *graph,
                 int           n,
                 IsleState   **states,
                 IsleDerived **deriveds,
                 IsleEffect  **effects,
                 gboolean      by_kind)
{
  gint64 d0, d1;
  int i;

  d0 = now_ns ();
  if (by_kind)
    {
      for (i = 0; i < n; i++)
        isle_effect_dispose (effects[i]);
      for (i = 0; i < n; i++)
        isle_derived_dispose (deriveds[i]);
      for (i = 0; i < n; i++)
        isle_state_dispose (states[i]);
    }
  else
    {
      for (i = 0; i < n; i++)
        {
          isle_effect_dispose (effects[i]);
          isle_derived_dispose (deriveds[i]);
          isle_state_dispose (states[i]);
        }
    }
  d1 = now_ns ();
  EXPECT_INT (isle_graph_get_n_nodes (graph), 0, "nodes in the graph after disposing each %s",
              by_kind ? "kind by kind" : "row by row");
  g_object_unref (graph);

  return (double) (d1 - d0) / (3.0 * n);
}

static void
cd_once (int                  n,
         IsleState          **states,
         IsleDerived        **deriveds,
         IsleEffect         **effects,
         CreateDisposeTimes  *out)
{
  IsleGraph *graph;
  gint64 t[4], d0, d1;

  cd_create (&graph, n, states, deriveds, effects, t);
  cd_check (graph, n);
  out->create = (double) (t[3] - t[0]) / (3.0 * n);
  out->create_state = (double) (t[1] - t[0]) / n;
  out->create_derived = (double) (t[2] - t[1]) / n;
  out->create_effect = (double) (t[3] - t[2]) / n;
  out->dispose = cd_dispose_each (graph, n, states, deriveds, effects, FALSE);

  cd_create (&graph, n, states, deriveds, effects, t);
  cd_check (graph, n);
  out->dispose_by_kind = cd_dispose_each (graph, n, states, deriveds, effects, TRUE);

  /* Everything at once, by dropping the graph. */
  cd_create (&graph, n, states, deriveds, effects, t);
  cd_check (graph, n);
  d0 = now_ns ();
  g_object_unref (graph);
  d1 = now_ns ();
  out->dispose_graph = (double) (d1 - d0) / (3.0 * n);
}

static void
run_create_dispose (void)
{
  int n = quick ? 1000 : 100000;
  int total = n_warmups + n_reps;
  IsleState **states;
  IsleDerived **deriveds;
  IsleEffect **effects;
  double *samples[7];
  int r, k;

  if (!case_selected ("create_dispose"))
    return;

  begin_case ("create_dispose");
  states = g_new0 (IsleState *, n);
  deriveds = g_new0 (IsleDerived *, n);
  effects = g_new0 (IsleEffect *, n);
  for (k = 0; k < 7; k++)
    samples[k] = g_new0 (double, n_reps);

  for (r = 0; r < total; r++)
    {
      CreateDisposeTimes times;

      cd_once (n, states, deriveds, effects, &times);
      if (r >= n_warmups)
        {
          samples[0][r - n_warmups] = times.create;
          samples[1][r - n_warmups] = times.dispose;
          samples[2][r - n_warmups] = times.create_state;
          samples[3][r - n_warmups] = times.create_derived;
          samples[4][r - n_warmups] = times.create_effect;
          samples[5][r - n_warmups] = times.dispose_graph;
          samples[6][r - n_warmups] = times.dispose_by_kind;
        }
    }

  report ("create", "ns/node", samples[0], n_reps);
  report ("dispose", "ns/node", samples[1], n_reps);
  report ("create_state", "ns/node", samples[2], n_reps);
  report ("create_derived", "ns/node", samples[3], n_reps);
  report ("create_effect", "ns/node", samples[4], n_reps);
  report ("dispose_by_kind", "ns/node", samples[6], n_reps);
  report ("dispose_graph", "ns/node", samples[5], n_reps);

  for (k = 0; k < 7; k++)
    g_free (samples[k]);
  g_free (states);
  g_free (deriveds);
  g_free (effects);
}

/* }}} */

/* {{{ Memory: mallinfo2 () deltas */

/* Bytes handed out by malloc, including its per-chunk overhead. */
static gint64
heap_in_use (void)
{
#ifdef HAVE_MALLINFO2
  struct mallinfo2 mi = mallinfo2 ();

  return (gint64) (mi.uordblks + mi.hblkhd);
#else
  return -1;
#endif
}

static void
run_memory (void)
{
  int n = quick ? 1000 : 100000;
  IsleGraph *graph;
  IsleState **states;
  IsleDerived **deriveds;
  gint64 m0, m1, m2, m3, m4;
  int i;

  if (!case_selected ("memory"))
    return;

  if (heap_in_use () < 0)
    {
      printf ("{\"impl\":\"isle\",\"note\":\"no mallinfo2 (): memory not measured\"}\n");
      return;
    }

  begin_case ("memory");
  states = g_new0 (IsleState *, n);
  deriveds = g_new0 (IsleDerived *, n);
  cd.effect_runs = 0;
  cd.effect_sum = 0;

  graph = isle_graph_new ();
  m0 = heap_in_use ();
  for (i = 0; i < n; i++)
    states[i] = isle_state_new_int (graph, i);
  m1 = heap_in_use ();
  for (i = 0; i < n; i++)
    deriveds[i] = isle_derived_new (graph, G_TYPE_INT, cd_derive, states[i], NULL);
  m2 = heap_in_use ();
  /* Reading computes each derived, which links it to its state. */
  for (i = 0; i < n; i++)
    EXPECT_INT (isle_derived_get_int (deriveds[i]), i + 1, "derived %d", i);
  m3 = heap_in_use ();
  for (i = 0; i < n; i++)
    isle_effect_new (graph, cd_effect, deriveds[i], NULL);
  isle_graph_flush (graph);
  m4 = heap_in_use ();
  EXPECT_INT (cd.effect_runs, n, "effect runs");

  g_object_unref (graph);
  g_free (states);
  g_free (deriveds);

  report_value ("mem_state", "bytes/node", (double) (m1 - m0) / n);
  report_value ("mem_derived", "bytes/node", (double) (m2 - m1) / n);
  report_value ("mem_edge", "bytes/edge", (double) (m3 - m2) / n);
  report_value ("mem_effect", "bytes/node", (double) (m4 - m3) / n);
  /* A derived reading one state, with its edge: what upstream counts. */
  report_value ("mem_derived_with_edge", "bytes/node", (double) (m3 - m1) / n);
}

/* }}} */

static const TimedCase timed_cases[] = {
  { "avoidablePropagation", "ns/write", 1001, 20, av_setup, av_iter, av_teardown },
  { "broadPropagation", "ns/write", 51, 100, br_setup, br_iter, br_teardown },
  { "deepPropagation", "ns/write", 51, 200, dp_setup, dp_iter, dp_teardown },
  { "diamond", "ns/write", 501, 20, dm_setup, dm_iter, dm_teardown },
  { "mux", "ns/write", 20, 250, mx_setup, mx_iter, mx_teardown },
  { "repeatedObservers", "ns/write", 101, 100, ro_setup, ro_iter, ro_teardown },
  { "triangle", "ns/write", 101, 100, tr_setup, tr_iter, tr_teardown },
  { "unstable", "ns/write", 101, 100, un_setup, un_iter, un_teardown },
  { "molBench", "ns/batch", 2, 200, mb_setup, mb_iter, mb_teardown },
  { "cellx1000_toggle", "ns/update", 1, 20, ct_setup, ct_iter, ct_teardown },
};

static void
print_table (void)
{
  guint i;

  printf ("\n%-24s %-11s %12s %12s %12s  (Isle, %d reps after %d warm-ups)\n",
          "case", "unit", "median", "min", "max", n_reps, n_warmups);
  for (i = 0; i < results->len; i++)
    {
      const Result *r = &g_array_index (results, Result, i);

      if (g_str_has_prefix (r->unit, "bytes"))
        printf ("%-24s %-11s %12.1f\n", r->name, r->unit, r->median);
      else
        printf ("%-24s %-11s %12.1f %12.1f %12.1f\n", r->name, r->unit, r->median, r->min, r->max);
    }
}

static void
clear_result (gpointer data)
{
  Result *r = data;

  g_free (r->name);
  g_free (r->unit);
}

int
main (int    argc,
      char **argv)
{
  gboolean list = FALSE;
  guint i;

  if (!parse_options (&argc, &argv, "bench-engine", "- benchmark the Isle signal engine", &list))
    return 2;

  if (list)
    {
      for (i = 0; i < G_N_ELEMENTS (timed_cases); i++)
        printf ("%s\n", timed_cases[i].name);
      printf ("cellx1000_build\ncellx1000_cold\ncreate_dispose\nmemory\n");
      return 0;
    }

  if (!check_reps ("bench-engine"))
    return 2;

#ifdef BENCH_ASAN
  printf ("{\"impl\":\"isle\",\"note\":\"built with AddressSanitizer: times and memory numbers are meaningless\"}\n");
  fprintf (stderr, "bench-engine: note: built with AddressSanitizer; times and memory numbers are meaningless\n");
#endif
#ifndef __OPTIMIZE__
  printf ("{\"impl\":\"isle\",\"note\":\"built without optimization: use a release build for numbers\"}\n");
#endif

  results = g_array_new (FALSE, FALSE, sizeof (Result));
  g_array_set_clear_func (results, clear_result);

  cellx_self_check ();

  for (i = 0; i < G_N_ELEMENTS (timed_cases); i++)
    run_timed_case (&timed_cases[i]);
  run_cellx_build ();
  run_create_dispose ();
  run_memory ();

  if (!quick)
    print_table ();

  g_array_unref (results);
  g_strfreev (case_filters);

  return exit_status ("bench-engine", "the engine computed wrong values or ran callbacks a wrong number of times");
}
