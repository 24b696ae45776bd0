/* test-alloc.c: scalar values never allocate; root nodes do not pin memory
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * DESIGN.md: "Values of scalar types (boolean, integers, double, pointer)
 * are stored inline: setting one allocates nothing." These tests measure the
 * bytes in use by malloc (mallinfo2's uordblks) around many iterations,
 * after a warm-up that lets free lists and caches settle.
 *
 * mallinfo2() sees only the net change: a malloc freed within the loop is
 * invisible to it. Under AddressSanitizer malloc is replaced, and mallinfo2
 * means nothing, so the tests skip.
 */

#include <malloc.h>

#include "isle-stores.h"

#if defined(__SANITIZE_ADDRESS__)
# define ISLE_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define ISLE_TEST_ASAN 1
# endif
#endif

#define WARM_UP    100
#define ITERATIONS 10000

static gboolean
skip_if_sanitized (void)
{
#ifdef ISLE_TEST_ASAN
  g_test_skip ("mallinfo2() is meaningless under AddressSanitizer");
  return TRUE;
#else
  return FALSE;
#endif
}

static size_t
bytes_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks;
}

typedef struct {
  IsleState *boolean;
  IsleState *integer;
  IsleState *wide;
  IsleState *uwide;
  IsleState *real;
  IsleState *pointer;
  gint64     sum;
} Scalars;

static void
scalars_round (Scalars *scalars,
               int      i)
{
  static int targets[2];

  isle_state_set_boolean (scalars->boolean, i & 1);
  isle_state_set_int (scalars->integer, i);
  isle_state_set_int64 (scalars->wide, G_MAXINT64 - i);
  isle_state_set_uint64 (scalars->uwide, G_MAXUINT64 - i);
  isle_state_set_double (scalars->real, i * 0.5);
  isle_state_set_pointer (scalars->pointer, &targets[i & 1]);

  scalars->sum += isle_state_get_boolean (scalars->boolean);
  scalars->sum += isle_state_get_int (scalars->integer);
  scalars->sum += isle_state_get_int64 (scalars->wide) & 0xff;
  scalars->sum += isle_state_get_uint64 (scalars->uwide) & 0xff;
  scalars->sum += (gint64) isle_state_get_double (scalars->real);
  scalars->sum += isle_state_get_pointer (scalars->pointer) == &targets[0];
}

static void
test_alloc_state_scalars (void)
{
  IsleGraph *graph;
  Scalars scalars = { NULL, };
  size_t before, after;
  int i;

  if (skip_if_sanitized ())
    return;

  graph = isle_graph_new ();
  scalars.boolean = isle_state_new_boolean (graph, FALSE);
  scalars.integer = isle_state_new_int (graph, 0);
  scalars.wide = isle_state_new_int64 (graph, 0);
  scalars.uwide = isle_state_new_uint64 (graph, 0);
  scalars.real = isle_state_new_double (graph, 0.0);
  scalars.pointer = isle_state_new_pointer (graph, NULL);

  for (i = 0; i < WARM_UP; i++)
    scalars_round (&scalars, i);

  before = bytes_in_use ();
  for (i = WARM_UP; i < WARM_UP + ITERATIONS; i++)
    scalars_round (&scalars, i);
  after = bytes_in_use ();

  g_assert_cmpint (scalars.sum, !=, 0);
  g_assert_cmpuint (after, ==, before);

  g_assert_finalize_object (graph);
}

/* A derived of int read after every change, and an effect that reads it,
 * rerun by a synchronous flush after every change. */
typedef struct {
  IsleState   *source;
  IsleDerived *derived;
  gint64       sum;
  guint        runs;
} Chain;

static gboolean
plus_one_cb (IsleDerived  *self,
             GValue       *value,
             gpointer      user_data,
             GError      **error)
{
  Chain *chain = user_data;

  g_value_set_int (value, isle_state_get_int (chain->source) + 1);

  return TRUE;
}

static gboolean
sum_cb (IsleEffect  *self,
        gpointer     user_data,
        GError     **error)
{
  Chain *chain = user_data;

  chain->runs++;
  chain->sum += isle_derived_get_int (chain->derived);

  return TRUE;
}

/* A graph of @chain: its state, the derived of it, and an effect that
 * sums the derived, run once. */
static IsleGraph *
chain_new_graph (Chain *chain)
{
  IsleGraph *graph = isle_graph_new ();

  chain->source = isle_state_new_int (graph, 0);
  chain->derived = isle_derived_new (graph, G_TYPE_INT, plus_one_cb, chain, NULL);
  isle_effect_new (graph, sum_cb, chain, NULL);
  isle_graph_flush (graph);

  return graph;
}

static void
test_alloc_derived_read (void)
{
  IsleGraph *graph;
  Chain chain = { NULL, };
  size_t before, after;
  int i;

  if (skip_if_sanitized ())
    return;

  graph = isle_graph_new ();
  chain.source = isle_state_new_int (graph, 0);
  chain.derived = isle_derived_new (graph, G_TYPE_INT, plus_one_cb, &chain, NULL);

  for (i = 0; i < WARM_UP; i++)
    {
      isle_state_set_int (chain.source, i);
      chain.sum += isle_derived_get_int (chain.derived);
    }

  before = bytes_in_use ();
  for (i = WARM_UP; i < WARM_UP + ITERATIONS; i++)
    {
      isle_state_set_int (chain.source, i);
      chain.sum += isle_derived_get_int (chain.derived);
    }
  after = bytes_in_use ();

  g_assert_cmpint (isle_derived_get_int (chain.derived), ==, WARM_UP + ITERATIONS);
  g_assert_cmpuint (after, ==, before);

  g_assert_finalize_object (graph);
}

static void
test_alloc_effect_rerun (void)
{
  IsleGraph *graph;
  Chain chain = { NULL, };
  size_t before, after;
  int i;

  if (skip_if_sanitized ())
    return;

  graph = chain_new_graph (&chain);

  for (i = 1; i <= WARM_UP; i++)
    {
      isle_state_set_int (chain.source, i);
      isle_graph_flush (graph);
    }

  before = bytes_in_use ();
  for (i = WARM_UP + 1; i <= WARM_UP + ITERATIONS; i++)
    {
      isle_state_set_int (chain.source, i);
      isle_graph_flush (graph);
    }
  after = bytes_in_use ();

  g_assert_cmpuint (chain.runs, ==, 1 + WARM_UP + ITERATIONS);
  g_assert_cmpuint (after, ==, before);

  g_assert_finalize_object (graph);
}

/* Many effects queued by each write: the queue of effects is re-used
 * from flush to flush, it does not grow. With 100 effects a flush, a run
 * appended to where the last flush left it once filled up while not
 * empty, and doubled flush after flush. */
#define MANY_EFFECTS 100

static gboolean
count_run_cb (IsleEffect  *effect,
              gpointer     user_data,
              GError     **error)
{
  Chain *chain = user_data;

  chain->sum += isle_state_get_int (chain->source);
  chain->runs++;

  return TRUE;
}

static void
test_alloc_many_effects (void)
{
  IsleGraph *graph;
  Chain chain = { NULL, };
  size_t before, after;
  int i;

  if (skip_if_sanitized ())
    return;

  graph = isle_graph_new ();
  chain.source = isle_state_new_int (graph, 0);
  for (i = 0; i < MANY_EFFECTS; i++)
    isle_effect_new (graph, count_run_cb, &chain, NULL);
  isle_graph_flush (graph);

  for (i = 1; i <= WARM_UP; i++)
    {
      isle_state_set_int (chain.source, i);
      isle_graph_flush (graph);
    }

  before = bytes_in_use ();
  for (i = WARM_UP + 1; i <= WARM_UP + ITERATIONS; i++)
    {
      isle_state_set_int (chain.source, i);
      isle_graph_flush (graph);
    }
  after = bytes_in_use ();

  g_assert_cmpuint (chain.runs, ==, MANY_EFFECTS * (1 + WARM_UP + ITERATIONS));
  g_assert_cmpuint (after, ==, before);

  g_assert_finalize_object (graph);
}

/* A small graph (an island's: a state, a derived, an effect, two links)
 * costs what its nodes cost, not a block of links sized for big graphs:
 * the first block of 256 links made every island carry 10 KiB. */
static void
test_alloc_small_graph (void)
{
  IsleGraph *graph;
  Chain chain = { NULL, };
  size_t before, after;

  if (skip_if_sanitized ())
    return;

  /* Warm GLib's and GObject's one-time allocations (types, quarks). */
  graph = chain_new_graph (&chain);
  g_assert_finalize_object (graph);

  chain = (Chain) { NULL, };
  before = bytes_in_use ();
  graph = chain_new_graph (&chain);
  after = bytes_in_use ();

  g_assert_cmpuint (chain.runs, ==, 1);
  g_test_message ("a graph with 3 nodes and 2 links: %" G_GSIZE_FORMAT " bytes", after - before);
  g_assert_cmpuint (after - before, <, 4096);

  g_assert_finalize_object (graph);
}

/* A graph that keeps creating root nodes and disposing most of them
 * holds memory in proportion to the nodes it keeps, not to the blocks
 * they were made in: a survivor does not pin its block (16 KiB once the
 * graph is big). */
static void
test_alloc_root_churn (void)
{
  enum { ROUNDS = 60, PER_ROUND = 3000, KEEP_EVERY = 1000 };
  IsleGraph *graph;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  IsleState *round[PER_ROUND];
  size_t before = 0, after;
  int r, i;

  if (skip_if_sanitized ())
    return;

  graph = isle_graph_new ();

  for (r = 0; r < 2 + ROUNDS; r++)
    {
      /* Two rounds to warm up: the graph's blocks and malloc's free
       * lists reach their size. */
      if (r == 2)
        before = bytes_in_use ();

      for (i = 0; i < PER_ROUND; i++)
        round[i] = isle_state_new_int (graph, r * PER_ROUND + i);
      for (i = 0; i < PER_ROUND; i++)
        {
          if (i % KEEP_EVERY == 0)
            g_ptr_array_add (kept, round[i]);
          else
            isle_state_dispose (round[i]);
        }
    }
  after = bytes_in_use ();

  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, kept->len);
  for (i = 0; i < (int) kept->len; i++)
    g_assert_cmpint (isle_state_get_int (g_ptr_array_index (kept, i)), ==, i * KEEP_EVERY);

  /* 180 survivors made over 60 rounds: a few KiB of nodes and slots.
   * Were each round's survivors to pin the blocks they were made in, each
   * round would keep about 16 KiB: near 1 MiB in all. */
  g_test_message ("%zd bytes more after %d rounds", (gssize) (after - before), ROUNDS);
  g_assert_cmpint ((gssize) (after - before), <, 256 * 1024);

  g_assert_finalize_object (graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Alloc/state-scalars", test_alloc_state_scalars);
  g_test_add_func ("/Isle/Alloc/derived-read", test_alloc_derived_read);
  g_test_add_func ("/Isle/Alloc/effect-rerun", test_alloc_effect_rerun);
  g_test_add_func ("/Isle/Alloc/many-effects", test_alloc_many_effects);
  g_test_add_func ("/Isle/Alloc/root-churn", test_alloc_root_churn);
  g_test_add_func ("/Isle/Alloc/small-graph", test_alloc_small_graph);

  return g_test_run ();
}
