/* bench-floor.c: the floor of the engine benchmark's cases
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The propagation cases of bench-engine (the "kairo" cases) on a minimal
 * engine in plain C: each graph is fixed when it is built, its nodes are
 * kept in one array in topological order, and a write walks that array
 * once, recomputing (through a function pointer, as any engine calls its
 * callbacks) each node one of whose inputs changed in this write, and
 * keeping the old value of a node that recomputes to an equal one (the
 * equality cut-off). There is no dependency tracking, no dirty flag, no
 * scheduling, no laziness beyond leaving out a node nobody reads: it is the
 * physical floor of this shape of work, the number an engine that must
 * discover its graph at run time can approach but not beat.
 *
 * The callbacks do the same work as bench-engine's (the same arithmetic,
 * busy (), mux's fresh GArray), the write loops are the same, and every
 * case checks the same values and run counts, so a wrong floor fails (exit
 * status 1) like a wrong engine. Its own choices: unstable's "double" and
 * "inverse" both follow the head (the graph is fixed; both are one
 * addition), and triangle's n_10, which nobody reads, is not built.
 *
 * Output: one JSON object per line (impl "floor", the format of
 * bench-engine, for js/merge.mjs), then a table. --quick checks values
 * only (the test suite runs it as a smoke test).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "bench-common.h"

typedef struct {
  char   *name;
  char   *unit;
  double  median;
  double  min;
  double  max;
} Result;

/* {{{ Helpers */

static void
report (const char *name,
        const char *unit,
        double     *samples,
        int         n)
{
  Result r;

  if (case_failures > 0)
    {
      printf ("{\"impl\":\"floor\",\"case\":\"%s\",\"unit\":\"%s\",\"failed\":true}\n", name, unit);
      return;
    }

  if (quick)
    {
      printf ("{\"impl\":\"floor\",\"case\":\"%s\",\"unit\":\"%s\",\"checked\":true}\n", name, unit);
      return;
    }

  summarize_samples (samples, n, &r.median, &r.min, &r.max);
  r.name = g_strdup (name);
  r.unit = g_strdup (unit);
  g_array_append_val (results, r);

  printf ("{\"impl\":\"floor\",\"case\":\"%s\",\"unit\":\"%s\",\"value\":%.1f,"
          "\"min\":%.1f,\"max\":%.1f,\"reps\":%d}\n",
          name, unit, r.median, r.min, r.max, n);
  fflush (stdout);
}

/* }}} */

/* {{{ The fixed-graph engine */

typedef struct _FloorNode FloorNode;

/* Computes a node from its inputs; an effect returns 0. */
typedef gintptr (*FloorFunc) (FloorNode *self);

#define FLOOR_MAX_NODES 512

struct _FloorNode
{
  gintptr     value;
  guint       stamp;      /* the write that last changed it */
  gboolean    effect;
  FloorFunc   func;       /* NULL for a head */
  GDestroyNotify free_value;  /* for a node whose values are pointers it owns */
  gpointer    data;
  guint       n_in;
  FloorNode **in;
};

typedef struct
{
  FloorNode  nodes[FLOOR_MAX_NODES];
  FloorNode *order[FLOOR_MAX_NODES];   /* the computed ones, topologically */
  guint      n_nodes;
  guint      n_order;
  guint      clock;
} FloorGraph;

static FloorGraph *
floor_graph_new (void)
{
  return g_new0 (FloorGraph, 1);
}

static void
floor_graph_free (FloorGraph *graph)
{
  for (guint i = 0; i < graph->n_nodes; i++)
    {
      if (graph->nodes[i].free_value != NULL && graph->nodes[i].value != 0)
        graph->nodes[i].free_value ((gpointer) graph->nodes[i].value);
      g_free (graph->nodes[i].in);
    }
  g_free (graph);
}

static FloorNode *
floor_head (FloorGraph *graph,
            int         value)
{
  FloorNode *node = &graph->nodes[graph->n_nodes++];

  g_assert (graph->n_nodes <= FLOOR_MAX_NODES);
  node->value = value;

  return node;
}

/* A computed node (or an effect) reading the @n_in nodes that follow, all
 * made before it. */
static FloorNode *
floor_node (FloorGraph *graph,
            gboolean    effect,
            FloorFunc   func,
            gpointer    data,
            guint       n_in,
            ...)
{
  FloorNode *node = &graph->nodes[graph->n_nodes++];
  va_list args;

  g_assert (graph->n_nodes <= FLOOR_MAX_NODES);
  node->effect = effect;
  node->func = func;
  node->data = data;
  node->n_in = n_in;
  node->in = g_new (FloorNode *, MAX (n_in, 1));
  va_start (args, n_in);
  for (guint i = 0; i < n_in; i++)
    node->in[i] = va_arg (args, FloorNode *);
  va_end (args);
  graph->order[graph->n_order++] = node;

  return node;
}

/* Computes every node once, in order (the construction). */
static void
floor_graph_start (FloorGraph *graph)
{
  graph->clock++;
  for (guint i = 0; i < graph->n_order; i++)
    {
      FloorNode *node = graph->order[i];

      node->value = node->func (node);
      node->stamp = graph->clock;
    }
}

/* Writes a head, and recomputes downstream what changed. */
static void
floor_write (FloorGraph *graph,
             FloorNode  *head,
             int         value)
{
  guint clock;

  if (head->value == value)
    return;

  head->value = value;
  head->stamp = clock = ++graph->clock;

  for (guint i = 0; i < graph->n_order; i++)
    {
      FloorNode *node = graph->order[i];
      gboolean changed = FALSE;
      gintptr result;

      for (guint k = 0; k < node->n_in; k++)
        if (node->in[k]->stamp == clock)
          {
            changed = TRUE;
            break;
          }
      if (!changed)
        continue;

      result = node->func (node);
      if (node->effect || result == node->value)
        continue;

      /* Pointers compare by identity: a fresh one always changes. */
      if (node->free_value != NULL && node->value != 0)
        node->free_value ((gpointer) node->value);
      node->value = result;
      node->stamp = clock;
    }
}

#define IN(self, k) ((int) (self)->in[k]->value)

/* }}} */

/* {{{ The cases (shapes, loops and checks of bench-engine.c) */

typedef struct {
  const char *name;
  int         ops_per_iter;
  int         iters_per_rep;
  void      (*setup)    (void);
  void      (*iter)     (void);
  void      (*teardown) (void);
} FloorCase;

/* avoidablePropagation */

static struct {
  FloorGraph *graph;
  FloorNode  *head, *c5;
  guint       c1_runs, c2_runs, c3_runs, c4_runs, c5_runs, e_runs, writes;
} av;

static gintptr av_c1 (FloorNode *self) { av.c1_runs++; return IN (self, 0); }
static gintptr av_c2 (FloorNode *self) { av.c2_runs++; (void) IN (self, 0); return 0; }
static gintptr av_c3 (FloorNode *self) { av.c3_runs++; busy (); return IN (self, 0) + 1; }
static gintptr av_c4 (FloorNode *self) { av.c4_runs++; return IN (self, 0) + 2; }
static gintptr av_c5 (FloorNode *self) { av.c5_runs++; return IN (self, 0) + 3; }

static gintptr
av_effect (FloorNode *self)
{
  av.e_runs++;
  EXPECT_INT (IN (self, 0), 6, "effect saw c5");
  busy ();
  return 0;
}

static void
av_setup (void)
{
  FloorNode *c1, *c2, *c3, *c4;

  memset (&av, 0, sizeof av);
  av.graph = floor_graph_new ();
  av.head = floor_head (av.graph, 0);
  c1 = floor_node (av.graph, FALSE, av_c1, NULL, 1, av.head);
  c2 = floor_node (av.graph, FALSE, av_c2, NULL, 1, c1);
  c3 = floor_node (av.graph, FALSE, av_c3, NULL, 1, c2);
  c4 = floor_node (av.graph, FALSE, av_c4, NULL, 1, c3);
  av.c5 = floor_node (av.graph, FALSE, av_c5, NULL, 1, c4);
  floor_node (av.graph, TRUE, av_effect, NULL, 1, av.c5);
  floor_graph_start (av.graph);
  EXPECT_INT (av.e_runs, 1, "effect runs after construction");
}

static inline void
av_write (int v)
{
  floor_write (av.graph, av.head, v);
  av.writes++;
  EXPECT_INT (av.c5->value, 6, "c5 after head = %d", v);
}

static void
av_iter (void)
{
  av_write (1);
  for (int i = 0; i < 1000; i++)
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
  floor_graph_free (av.graph);
}

/* broadPropagation */

#define BROAD_N 50

static struct {
  FloorGraph *graph;
  FloorNode  *head, *b[BROAD_N];
  guint       e_runs[BROAD_N], count, writes;
  int         expect_head;
} br;

static gintptr br_a (FloorNode *self) { return IN (self, 0) + GPOINTER_TO_INT (self->data); }
static gintptr br_b (FloorNode *self) { return IN (self, 0) + 1; }

static gintptr
br_effect (FloorNode *self)
{
  int i = GPOINTER_TO_INT (self->data);

  EXPECT_INT (IN (self, 0), br.expect_head + i + 1, "effect %d saw b_%d (head = %d)", i, i, br.expect_head);
  br.e_runs[i]++;
  br.count++;
  return 0;
}

static void
br_setup (void)
{
  memset (&br, 0, sizeof br);
  br.graph = floor_graph_new ();
  br.head = floor_head (br.graph, 0);
  for (int i = 0; i < BROAD_N; i++)
    {
      FloorNode *a = floor_node (br.graph, FALSE, br_a, GINT_TO_POINTER (i), 1, br.head);

      br.b[i] = floor_node (br.graph, FALSE, br_b, NULL, 1, a);
      floor_node (br.graph, TRUE, br_effect, GINT_TO_POINTER (i), 1, br.b[i]);
    }
  floor_graph_start (br.graph);
  EXPECT_INT (br.count, BROAD_N, "effect runs after construction");
}

static inline void
br_write (int v)
{
  br.expect_head = v;
  floor_write (br.graph, br.head, v);
  br.writes++;
}

static void
br_iter (void)
{
  br_write (1);
  br.count = 0;
  for (int i = 0; i < BROAD_N; i++)
    {
      br_write (i);
      EXPECT_INT (br.b[BROAD_N - 1]->value, i + BROAD_N, "last after head = %d", i);
    }
  EXPECT_INT (br.count, BROAD_N * BROAD_N, "effect runs in one iter");
}

static void
br_teardown (void)
{
  for (int i = 0; i < BROAD_N; i++)
    EXPECT_INT (br.e_runs[i], 1 + br.writes, "runs of effect %d (once per write)", i);
  floor_graph_free (br.graph);
}

/* deepPropagation */

#define DEEP_N 50

static struct {
  FloorGraph *graph;
  FloorNode  *head, *last;
  guint       count, e_runs, writes;
  int         expect_head;
} dp;

static gintptr dp_next (FloorNode *self) { return IN (self, 0) + 1; }

static gintptr
dp_effect (FloorNode *self)
{
  EXPECT_INT (IN (self, 0), dp.expect_head + DEEP_N, "effect saw the last (head = %d)", dp.expect_head);
  dp.count++;
  dp.e_runs++;
  return 0;
}

static void
dp_setup (void)
{
  FloorNode *prev;

  memset (&dp, 0, sizeof dp);
  dp.graph = floor_graph_new ();
  prev = dp.head = floor_head (dp.graph, 0);
  for (int i = 0; i < DEEP_N; i++)
    prev = floor_node (dp.graph, FALSE, dp_next, NULL, 1, prev);
  dp.last = prev;
  floor_node (dp.graph, TRUE, dp_effect, NULL, 1, dp.last);
  floor_graph_start (dp.graph);
  EXPECT_INT (dp.e_runs, 1, "effect runs after construction");
}

static inline void
dp_write (int v)
{
  dp.expect_head = v;
  floor_write (dp.graph, dp.head, v);
  dp.writes++;
}

static void
dp_iter (void)
{
  dp_write (1);
  dp.count = 0;
  for (int i = 0; i < 50; i++)
    {
      dp_write (i);
      EXPECT_INT (dp.last->value, DEEP_N + i, "last after head = %d", i);
    }
  EXPECT_INT (dp.count, 50, "effect runs in one iter");
}

static void
dp_teardown (void)
{
  EXPECT_INT (dp.e_runs, 1 + dp.writes, "effect runs in total");
  floor_graph_free (dp.graph);
}

/* diamond */

#define DIAMOND_W 5

static struct {
  FloorGraph *graph;
  FloorNode  *head, *sum;
  guint       sum_runs, count;
  int         expect_head;
} dm;

static gintptr dm_m (FloorNode *self) { return IN (self, 0) + 1; }

static gintptr
dm_sum (FloorNode *self)
{
  int s = 0;

  dm.sum_runs++;
  for (int j = 0; j < DIAMOND_W; j++)
    s += IN (self, j);
  return s;
}

static gintptr
dm_effect (FloorNode *self)
{
  EXPECT_INT (IN (self, 0), DIAMOND_W * (dm.expect_head + 1), "effect saw sum (head = %d)", dm.expect_head);
  dm.count++;
  return 0;
}

static void
dm_setup (void)
{
  FloorNode *m[DIAMOND_W];

  memset (&dm, 0, sizeof dm);
  dm.graph = floor_graph_new ();
  dm.head = floor_head (dm.graph, 0);
  for (int j = 0; j < DIAMOND_W; j++)
    m[j] = floor_node (dm.graph, FALSE, dm_m, NULL, 1, dm.head);
  dm.sum = floor_node (dm.graph, FALSE, dm_sum, NULL, DIAMOND_W, m[0], m[1], m[2], m[3], m[4]);
  floor_node (dm.graph, TRUE, dm_effect, NULL, 1, dm.sum);
  floor_graph_start (dm.graph);
  EXPECT_INT (dm.count, 1, "effect runs after construction");
  EXPECT_INT (dm.sum_runs, 1, "sum runs after construction");
}

static inline void
dm_write (int v)
{
  dm.expect_head = v;
  floor_write (dm.graph, dm.head, v);
}

static void
dm_iter (void)
{
  guint sum_runs_before = dm.sum_runs;

  dm_write (1);
  EXPECT_INT (dm.sum->value, 10, "sum after head = 1");
  dm.count = 0;
  for (int i = 0; i < 500; i++)
    {
      dm_write (i);
      EXPECT_INT (dm.sum->value, DIAMOND_W * (i + 1), "sum after head = %d", i);
    }
  EXPECT_INT (dm.count, 500, "effect runs in one iter");
  EXPECT_INT (dm.sum_runs - sum_runs_before, 501, "sum runs in one iter (once per write)");
}

static void
dm_teardown (void)
{
  floor_graph_free (dm.graph);
}

/* mux: the mux node's value is a fresh GArray, as in bench-engine. */

#define MUX_N 100

static struct {
  FloorGraph *graph;
  FloorNode  *h[MUX_N], *q[MUX_N];
  int         model[MUX_N];
  guint       mux_runs, p_runs, q_runs, e_runs;
} mx;

static gintptr
mx_mux (FloorNode *self)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (int), MUX_N);

  mx.mux_runs++;
  for (int i = 0; i < MUX_N; i++)
    {
      int v = IN (self, i);
      g_array_append_val (array, v);
    }
  return (gintptr) array;
}

static gintptr
mx_p (FloorNode *self)
{
  GArray *array = (GArray *) self->in[0]->value;

  mx.p_runs++;
  return g_array_index (array, int, GPOINTER_TO_INT (self->data));
}

static gintptr mx_q (FloorNode *self) { mx.q_runs++; return IN (self, 0) + 1; }

static gintptr
mx_effect (FloorNode *self)
{
  int i = GPOINTER_TO_INT (self->data);

  EXPECT_INT (IN (self, 0), mx.model[i] + 1, "effect %d saw q_%d", i, i);
  mx.e_runs++;
  return 0;
}

static void
mx_setup (void)
{
  FloorNode *mux;

  memset (&mx, 0, sizeof mx);
  mx.graph = floor_graph_new ();
  for (int i = 0; i < MUX_N; i++)
    mx.h[i] = floor_head (mx.graph, 0);
  mux = floor_node (mx.graph, FALSE, mx_mux, NULL, 0);
  mux->free_value = (GDestroyNotify) g_array_unref;
  g_free (mux->in);
  mux->n_in = MUX_N;
  mux->in = g_new (FloorNode *, MUX_N);
  for (int i = 0; i < MUX_N; i++)
    mux->in[i] = mx.h[i];
  for (int i = 0; i < MUX_N; i++)
    {
      FloorNode *p = floor_node (mx.graph, FALSE, mx_p, GINT_TO_POINTER (i), 1, mux);

      mx.q[i] = floor_node (mx.graph, FALSE, mx_q, NULL, 1, p);
      floor_node (mx.graph, TRUE, mx_effect, GINT_TO_POINTER (i), 1, mx.q[i]);
    }
  floor_graph_start (mx.graph);
  EXPECT_INT (mx.e_runs, MUX_N, "effect runs after construction");
  EXPECT_INT (mx.mux_runs, 1, "mux runs after construction");
}

static inline void
mx_write (int i,
          int v)
{
  mx.model[i] = v;
  floor_write (mx.graph, mx.h[i], v);
  EXPECT_INT (mx.q[i]->value, v + 1, "q_%d after h_%d = %d", i, i, v);
}

static void
mx_iter (void)
{
  guint mux_before = mx.mux_runs;
  guint p_before = mx.p_runs;
  guint q_before = mx.q_runs;
  guint e_before = mx.e_runs;

  for (int i = 0; i < 10; i++)
    mx_write (i, i);
  for (int i = 0; i < 10; i++)
    mx_write (i, 2 * i);
  EXPECT_INT (mx.mux_runs - mux_before, 18, "mux runs in one iter (once per real write)");
  EXPECT_INT (mx.p_runs - p_before, 18 * MUX_N, "p runs in one iter (all 100 per real write)");
  EXPECT_INT (mx.q_runs - q_before, 18, "q runs in one iter (one per real write)");
  EXPECT_INT (mx.e_runs - e_before, 18, "effect runs in one iter (one per real write)");
}

static void
mx_teardown (void)
{
  floor_graph_free (mx.graph);
}

/* repeatedObservers */

static struct {
  FloorGraph *graph;
  FloorNode  *head, *c;
  guint       c_runs, count;
  int         expect_head;
} ro;

static gintptr
ro_c (FloorNode *self)
{
  int s = 0;

  ro.c_runs++;
  for (int i = 0; i < 30; i++)
    s += IN (self, 0);
  return s;
}

static gintptr
ro_effect (FloorNode *self)
{
  EXPECT_INT (IN (self, 0), 30 * ro.expect_head, "effect saw c (head = %d)", ro.expect_head);
  ro.count++;
  return 0;
}

static void
ro_setup (void)
{
  memset (&ro, 0, sizeof ro);
  ro.graph = floor_graph_new ();
  ro.head = floor_head (ro.graph, 0);
  ro.c = floor_node (ro.graph, FALSE, ro_c, NULL, 1, ro.head);
  floor_node (ro.graph, TRUE, ro_effect, NULL, 1, ro.c);
  floor_graph_start (ro.graph);
  EXPECT_INT (ro.count, 1, "effect runs after construction");
}

static inline void
ro_write (int v)
{
  ro.expect_head = v;
  floor_write (ro.graph, ro.head, v);
}

static void
ro_iter (void)
{
  guint c_before = ro.c_runs;

  ro_write (1);
  EXPECT_INT (ro.c->value, 30, "c after head = 1");
  ro.count = 0;
  for (int i = 0; i < 100; i++)
    {
      ro_write (i);
      EXPECT_INT (ro.c->value, 30 * i, "c after head = %d", i);
    }
  EXPECT_INT (ro.count, 100, "effect runs in one iter");
  EXPECT_INT (ro.c_runs - c_before, 101, "c runs in one iter (once per write)");
}

static void
ro_teardown (void)
{
  floor_graph_free (ro.graph);
}

/* triangle: n_10, which nobody reads, is not built. */

#define TRIANGLE_N 10

static struct {
  FloorGraph *graph;
  FloorNode  *head, *sum;
  guint       count;
  int         expect_head;
} tr;

static gintptr tr_next (FloorNode *self) { return IN (self, 0) + 1; }

static gintptr
tr_sum (FloorNode *self)
{
  int s = 0;

  for (guint k = 0; k < self->n_in; k++)
    s += IN (self, k);
  return s;
}

static gintptr
tr_effect (FloorNode *self)
{
  EXPECT_INT (IN (self, 0), 45 + 10 * tr.expect_head, "effect saw sum (head = %d)", tr.expect_head);
  tr.count++;
  return 0;
}

static void
tr_setup (void)
{
  FloorNode *n[TRIANGLE_N];

  memset (&tr, 0, sizeof tr);
  tr.graph = floor_graph_new ();
  n[0] = tr.head = floor_head (tr.graph, 0);
  for (int k = 1; k < TRIANGLE_N; k++)
    n[k] = floor_node (tr.graph, FALSE, tr_next, NULL, 1, n[k - 1]);
  tr.sum = floor_node (tr.graph, FALSE, tr_sum, NULL, TRIANGLE_N,
                       n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9]);
  floor_node (tr.graph, TRUE, tr_effect, NULL, 1, tr.sum);
  floor_graph_start (tr.graph);
  EXPECT_INT (tr.count, 1, "effect runs after construction");
}

static inline void
tr_write (int v)
{
  tr.expect_head = v;
  floor_write (tr.graph, tr.head, v);
}

static void
tr_iter (void)
{
  tr_write (1);
  EXPECT_INT (tr.sum->value, 55, "sum after head = 1");
  tr.count = 0;
  for (int i = 0; i < 100; i++)
    {
      tr_write (i);
      EXPECT_INT (tr.sum->value, 45 + 10 * i, "sum after head = %d", i);
    }
  EXPECT_INT (tr.count, 100, "effect runs in one iter");
}

static void
tr_teardown (void)
{
  floor_graph_free (tr.graph);
}

/* unstable: both branches follow the head; current reads the one the
 * head's parity picks, 20 times. */

static struct {
  FloorGraph *graph;
  FloorNode  *head, *cur;
  guint       cur_runs, count;
  int         expect_head;
} un;

static inline int
un_expected (int head)
{
  return head % 2 ? 40 * head : -20 * head;
}

static gintptr un_double (FloorNode *self) { return 2 * IN (self, 0); }
static gintptr un_inverse (FloorNode *self) { return -IN (self, 0); }

static gintptr
un_current (FloorNode *self)
{
  int result = 0;

  un.cur_runs++;
  for (int i = 0; i < 20; i++)
    result += IN (self, 0) % 2 ? IN (self, 1) : IN (self, 2);
  return result;
}

static gintptr
un_effect (FloorNode *self)
{
  EXPECT_INT (IN (self, 0), un_expected (un.expect_head), "effect saw current (head = %d)", un.expect_head);
  un.count++;
  return 0;
}

static void
un_setup (void)
{
  FloorNode *dbl, *inv;

  memset (&un, 0, sizeof un);
  un.graph = floor_graph_new ();
  un.head = floor_head (un.graph, 0);
  dbl = floor_node (un.graph, FALSE, un_double, NULL, 1, un.head);
  inv = floor_node (un.graph, FALSE, un_inverse, NULL, 1, un.head);
  un.cur = floor_node (un.graph, FALSE, un_current, NULL, 3, un.head, dbl, inv);
  floor_node (un.graph, TRUE, un_effect, NULL, 1, un.cur);
  floor_graph_start (un.graph);
  EXPECT_INT (un.count, 1, "effect runs after construction");
}

static inline void
un_write (int v)
{
  un.expect_head = v;
  floor_write (un.graph, un.head, v);
}

static void
un_iter (void)
{
  guint cur_before = un.cur_runs;

  un_write (1);
  EXPECT_INT (un.cur->value, 40, "current after head = 1");
  un.count = 0;
  for (int i = 0; i < 100; i++)
    {
      un_write (i);
      EXPECT_INT (un.cur->value, un_expected (i), "current after head = %d", i);
    }
  EXPECT_INT (un.count, 100, "effect runs in one iter");
  EXPECT_INT (un.cur_runs - cur_before, 101, "current runs in one iter (once per write)");
}

static void
un_teardown (void)
{
  floor_graph_free (un.graph);
}

/* The same names, units, writes per iter and iters per repetition as
 * bench-engine's table. */
static const FloorCase cases[] = {
  { "avoidablePropagation", 1001, 20, av_setup, av_iter, av_teardown },
  { "broadPropagation", 51, 100, br_setup, br_iter, br_teardown },
  { "deepPropagation", 51, 200, dp_setup, dp_iter, dp_teardown },
  { "diamond", 501, 20, dm_setup, dm_iter, dm_teardown },
  { "mux", 20, 250, mx_setup, mx_iter, mx_teardown },
  { "repeatedObservers", 101, 100, ro_setup, ro_iter, ro_teardown },
  { "triangle", 101, 100, tr_setup, tr_iter, tr_teardown },
  { "unstable", 101, 100, un_setup, un_iter, un_teardown },
};

/* }}} */

static void
run_case (const FloorCase *fc)
{
  int iters = quick ? 1 : fc->iters_per_rep;
  g_autofree double *samples = g_new0 (double, n_reps);

  if (!case_selected (fc->name))
    return;

  current_case = fc->name;
  case_failures = 0;
  n_cases_run++;

  fc->setup ();

  for (int w = 0; w < n_warmups; w++)
    for (int k = 0; k < iters; k++)
      fc->iter ();

  for (int r = 0; r < n_reps; r++)
    {
      gint64 t0 = now_ns ();

      for (int k = 0; k < iters; k++)
        fc->iter ();

      samples[r] = (double) (now_ns () - t0) / ((double) iters * fc->ops_per_iter);
    }

  fc->teardown ();

  report (fc->name, "ns/write", samples, n_reps);
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

  if (!parse_options (&argc, &argv, "bench-floor", "- the floor of the engine cases: a fixed graph in plain C", &list))
    return 2;

  if (list)
    {
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        printf ("%s\n", cases[i].name);
      g_strfreev (case_filters);
      return 0;
    }

  if (!check_reps ("bench-floor"))
    return 2;

  results = g_array_new (FALSE, FALSE, sizeof (Result));
  g_array_set_clear_func (results, clear_result);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);

  if (!quick)
    {
      printf ("\n%-24s %-11s %12s %12s %12s  (floor, %d reps after %d warm-ups)\n",
              "case", "unit", "median", "min", "max", n_reps, n_warmups);
      for (guint i = 0; i < results->len; i++)
        {
          const Result *r = &g_array_index (results, Result, i);

          printf ("%-24s %-11s %12.1f %12.1f %12.1f\n", r->name, r->unit, r->median, r->min, r->max);
        }
    }

  g_array_unref (results);
  g_strfreev (case_filters);
  g_free (impl_filter);

  return exit_status ("bench-floor", "the floor computed a wrong value or ran a node a wrong number of times");
}
