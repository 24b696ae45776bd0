/* test-derived.c: unit tests for IsleDerived
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include "isle-stores.h"

#define TEST_COMMON_FIXTURE_WITH_LOG
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

static void
drain_default_context (void)
{
  guint i;

  for (i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* A derived of int that doubles one int state and counts its calls. It also
 * checks that @value arrives initialized to the derived's type and default. */
typedef struct {
  IsleState *source;
  guint      calls;
} Twice;

static gboolean
twice_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  Twice *twice = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  g_assert_cmpint (g_value_get_int (value), ==, 0);

  twice->calls++;
  g_value_set_int (value, 2 * isle_state_get_int (twice->source));

  return TRUE;
}

/* An effect that reads one derived of int and counts its runs. */
typedef struct {
  IsleDerived *derived;
  guint        runs;
  int          last;
} Reader;

static gboolean
reader_cb (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  Reader *reader = user_data;

  reader->runs++;
  reader->last = isle_derived_get_int (reader->derived);

  return TRUE;
}

static void
test_derived_lazy (Fixture       *fixture,
                   gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  IsleDerived *derived;

  twice.source = isle_state_new_int (fixture->graph, 3);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  g_assert_nonnull (derived);
  g_assert_true (isle_derived_get_graph (derived) == fixture->graph);
  g_assert_true (isle_derived_get_value_type (derived) == G_TYPE_INT);
  g_assert_null (isle_derived_get_error (derived));

  /* Not at creation, not at a flush, not in a main loop turn. */
  g_assert_cmpuint (twice.calls, ==, 0);
  isle_graph_flush (fixture->graph);
  drain_default_context ();
  g_assert_cmpuint (twice.calls, ==, 0);

  g_assert_cmpint (isle_derived_get_int (derived), ==, 6);
  g_assert_cmpuint (twice.calls, ==, 1);
}

static void
test_derived_cached (Fixture       *fixture,
                     gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  IsleDerived *derived;
  GValue value = G_VALUE_INIT;

  twice.source = isle_state_new_int (fixture->graph, 3);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);

  g_assert_cmpint (isle_derived_get_int (derived), ==, 6);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 6);
  isle_derived_get_value (derived, &value);
  g_assert_cmpint (g_value_get_int (&value), ==, 6);
  g_value_unset (&value);
  g_assert_cmpuint (twice.calls, ==, 1);
}

static void
test_derived_recomputes_on_change (Fixture       *fixture,
                                   gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  IsleDerived *derived;

  twice.source = isle_state_new_int (fixture->graph, 3);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 6);

  /* An equal write is no change. */
  isle_state_set_int (twice.source, 3);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 6);
  g_assert_cmpuint (twice.calls, ==, 1);

  /* A real change: recomputed at the next read, not before (nobody
   * depends on it). */
  isle_state_set_int (twice.source, 4);
  isle_state_set_int (twice.source, 5);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 1);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 10);
  g_assert_cmpuint (twice.calls, ==, 2);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 10);
  g_assert_cmpuint (twice.calls, ==, 2);
}

static void
test_derived_observed_recomputes_once_per_flush (Fixture       *fixture,
                                                 gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  Reader reader = { NULL, 0, 0 };

  twice.source = isle_state_new_int (fixture->graph, 1);
  reader.derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 1);
  g_assert_cmpuint (reader.runs, ==, 1);

  isle_state_set_int (twice.source, 2);
  isle_state_set_int (twice.source, 3);
  isle_state_set_int (twice.source, 4);
  g_assert_cmpuint (twice.calls, ==, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_cmpint (reader.last, ==, 8);

  /* A flush with nothing changed computes nothing. */
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 2);
}

static void
test_derived_unobserved_is_not_recomputed (Fixture       *fixture,
                                           gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  Reader reader = { NULL, 0, 0 };
  IsleEffect *effect;

  twice.source = isle_state_new_int (fixture->graph, 1);
  reader.derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  effect = isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 1);

  /* Once its only dependent is gone, changes do not compute it. */
  isle_effect_dispose (effect);
  isle_state_set_int (twice.source, 2);
  isle_graph_flush (fixture->graph);
  drain_default_context ();
  g_assert_cmpuint (twice.calls, ==, 1);
  g_assert_cmpuint (reader.runs, ==, 1);

  g_assert_cmpint (isle_derived_get_int (reader.derived), ==, 4);
  g_assert_cmpuint (twice.calls, ==, 2);
}

/* An effect that reads a derived only while a flag is set. */
typedef struct {
  IsleState   *flag;
  IsleDerived *derived;
  guint        runs;
} Maybe;

static gboolean
maybe_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  Maybe *maybe = user_data;

  maybe->runs++;
  if (isle_state_get_boolean (maybe->flag))
    (void) isle_derived_get_int (maybe->derived);

  return TRUE;
}

static void
test_derived_unobserved_keeps_cache (Fixture       *fixture,
                                     gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  Maybe maybe = { NULL, NULL, 0 };
  IsleEffect *effect;

  twice.source = isle_state_new_int (fixture->graph, 1);
  maybe.flag = isle_state_new_boolean (fixture->graph, TRUE);
  maybe.derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  effect = isle_effect_new (fixture->graph, maybe_cb, &maybe, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 1);

  /* Its last dependent stops depending on it; nothing it read changed, so
   * reading it again needs no computation. */
  isle_state_set_boolean (maybe.flag, FALSE);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (maybe.runs, ==, 2);
  g_assert_cmpint (isle_derived_get_int (maybe.derived), ==, 2);
  g_assert_cmpuint (twice.calls, ==, 1);

  /* Likewise when the dependent is disposed. */
  isle_state_set_boolean (maybe.flag, TRUE);
  isle_graph_flush (fixture->graph);
  isle_effect_dispose (effect);
  g_assert_cmpint (isle_derived_get_int (maybe.derived), ==, 2);
  g_assert_cmpuint (twice.calls, ==, 1);

  /* A real change is still seen. */
  isle_state_set_int (twice.source, 5);
  g_assert_cmpint (isle_derived_get_int (maybe.derived), ==, 10);
  g_assert_cmpuint (twice.calls, ==, 2);
}

/* A derived of a derived. */
typedef struct {
  IsleDerived *input;
  guint        calls;
} PlusOne;

static gboolean
plus_one_cb (IsleDerived  *self,
             GValue       *value,
             gpointer      user_data,
             GError      **error)
{
  PlusOne *plus = user_data;

  plus->calls++;
  g_value_set_int (value, isle_derived_get_int (plus->input) + 1);

  return TRUE;
}

static void
test_derived_of_derived (Fixture       *fixture,
                         gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  PlusOne plus = { NULL, 0 };
  IsleDerived *outer;

  twice.source = isle_state_new_int (fixture->graph, 1);
  plus.input = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  outer = isle_derived_new (fixture->graph, G_TYPE_INT, plus_one_cb, &plus, NULL);

  g_assert_cmpint (isle_derived_get_int (outer), ==, 3);
  g_assert_cmpint (isle_derived_get_int (outer), ==, 3);
  g_assert_cmpuint (twice.calls, ==, 1);
  g_assert_cmpuint (plus.calls, ==, 1);

  isle_state_set_int (twice.source, 5);
  g_assert_cmpint (isle_derived_get_int (outer), ==, 11);
  g_assert_cmpuint (twice.calls, ==, 2);
  g_assert_cmpuint (plus.calls, ==, 2);
}

/* Cut-off: parity -> label -> effect. */
typedef struct {
  IsleState   *source;
  IsleDerived *parity;
  IsleDerived *label;
  guint        parity_calls;
  guint        label_calls;
  guint        effect_runs;
} Cutoff;

static gboolean
parity_cb (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Cutoff *cutoff = user_data;

  cutoff->parity_calls++;
  g_value_set_boolean (value, isle_state_get_int (cutoff->source) % 2 != 0);

  return TRUE;
}

static gboolean
label_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  Cutoff *cutoff = user_data;

  cutoff->label_calls++;
  g_value_set_string (value, isle_derived_get_boolean (cutoff->parity) ? "odd" : "even");

  return TRUE;
}

static gboolean
label_effect_cb (IsleEffect  *self,
                 gpointer     user_data,
                 GError     **error)
{
  Cutoff *cutoff = user_data;

  cutoff->effect_runs++;
  (void) isle_derived_get_string (cutoff->label);

  return TRUE;
}

static void
test_derived_equal_result_cuts_off (Fixture       *fixture,
                                    gconstpointer  data)
{
  Cutoff cutoff = { NULL, };

  cutoff.source = isle_state_new_int (fixture->graph, 0);
  cutoff.parity = isle_derived_new (fixture->graph, G_TYPE_BOOLEAN, parity_cb, &cutoff, NULL);
  cutoff.label = isle_derived_new (fixture->graph, G_TYPE_STRING, label_cb, &cutoff, NULL);
  isle_effect_new (fixture->graph, label_effect_cb, &cutoff, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (cutoff.parity_calls, ==, 1);
  g_assert_cmpuint (cutoff.label_calls, ==, 1);
  g_assert_cmpuint (cutoff.effect_runs, ==, 1);

  /* 0 -> 2: parity recomputes to an equal value; nothing below it runs. */
  isle_state_set_int (cutoff.source, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (cutoff.parity_calls, ==, 2);
  g_assert_cmpuint (cutoff.label_calls, ==, 1);
  g_assert_cmpuint (cutoff.effect_runs, ==, 1);
  g_assert_cmpstr (isle_derived_get_string (cutoff.label), ==, "even");

  /* 2 -> 3: a real change flows through. */
  isle_state_set_int (cutoff.source, 3);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (cutoff.parity_calls, ==, 3);
  g_assert_cmpuint (cutoff.label_calls, ==, 2);
  g_assert_cmpuint (cutoff.effect_runs, ==, 2);
  g_assert_cmpstr (isle_derived_get_string (cutoff.label), ==, "odd");

  /* 3 -> 5: the label is not recomputed, the effect does not rerun. */
  isle_state_set_int (cutoff.source, 5);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (cutoff.parity_calls, ==, 4);
  g_assert_cmpuint (cutoff.label_calls, ==, 2);
  g_assert_cmpuint (cutoff.effect_runs, ==, 2);
}

/* A derived of string computed as a new string each time: equal text cuts
 * off; a derived of double that is NaN twice cuts off too. */
typedef struct {
  IsleState   *source;
  IsleDerived *derived;
  guint        calls;
  guint        runs;
} Upper;

static gboolean
upper_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  Upper *upper = user_data;

  upper->calls++;
  g_value_take_string (value, g_ascii_strup (isle_state_get_string (upper->source), -1));

  return TRUE;
}

static gboolean
upper_effect_cb (IsleEffect  *self,
                 gpointer     user_data,
                 GError     **error)
{
  Upper *upper = user_data;
  GValue value = G_VALUE_INIT;

  upper->runs++;
  isle_derived_get_value (upper->derived, &value);
  g_value_unset (&value);

  return TRUE;
}

static void
test_derived_string_cuts_off (Fixture       *fixture,
                              gconstpointer  data)
{
  Upper upper = { NULL, };

  upper.source = isle_state_new_string (fixture->graph, "abc");
  upper.derived = isle_derived_new (fixture->graph, G_TYPE_STRING, upper_cb, &upper, NULL);
  isle_effect_new (fixture->graph, upper_effect_cb, &upper, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (isle_derived_get_string (upper.derived), ==, "ABC");
  g_assert_cmpuint (upper.runs, ==, 1);

  isle_state_set_string (upper.source, "ABC");
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (upper.calls, ==, 2);
  g_assert_cmpuint (upper.runs, ==, 1);

  isle_state_set_string (upper.source, "abd");
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (upper.calls, ==, 3);
  g_assert_cmpuint (upper.runs, ==, 2);
  g_assert_cmpstr (isle_derived_get_string (upper.derived), ==, "ABD");
}

static gboolean
sqrt_cb (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  Upper *upper = user_data;

  upper->calls++;
  g_value_set_double (value, sqrt (isle_state_get_double (upper->source)));

  return TRUE;
}

static void
test_derived_nan_cuts_off (Fixture       *fixture,
                           gconstpointer  data)
{
  Upper upper = { NULL, };

  upper.source = isle_state_new_double (fixture->graph, -1.0);
  upper.derived = isle_derived_new (fixture->graph, G_TYPE_DOUBLE, sqrt_cb, &upper, NULL);
  isle_effect_new (fixture->graph, upper_effect_cb, &upper, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_true (isnan (isle_derived_get_double (upper.derived)));
  g_assert_cmpuint (upper.runs, ==, 1);

  isle_state_set_double (upper.source, -2.0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (upper.calls, ==, 2);
  g_assert_cmpuint (upper.runs, ==, 1);

  isle_state_set_double (upper.source, 4.0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (upper.runs, ==, 2);
  g_assert_cmpfloat (isle_derived_get_double (upper.derived), ==, 2.0);
}

static gboolean
abs_equal (const GValue *a,
           const GValue *b,
           gpointer      user_data)
{
  return ABS (g_value_get_int (a)) == ABS (g_value_get_int (b));
}

static gboolean
identity_cb (IsleDerived  *self,
             GValue       *value,
             gpointer      user_data,
             GError      **error)
{
  Twice *twice = user_data;

  twice->calls++;
  g_value_set_int (value, isle_state_get_int (twice->source));

  return TRUE;
}

static void
test_derived_equal_func (Fixture       *fixture,
                         gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  Reader reader = { NULL, 0, 0 };
  guint destroyed = 0;

  twice.source = isle_state_new_int (fixture->graph, 4);
  reader.derived = isle_derived_new (fixture->graph, G_TYPE_INT, identity_cb, &twice, NULL);
  isle_derived_set_equal_func (reader.derived, abs_equal, &destroyed, count_destroy);
  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 1);

  /* -4 equals 4 by the function: dependents do not rerun and the derived
   * keeps its old value. */
  isle_state_set_int (twice.source, -4);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (twice.calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 1);
  g_assert_cmpint (isle_derived_get_int (reader.derived), ==, 4);

  isle_state_set_int (twice.source, 5);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_cmpint (reader.last, ==, 5);

  g_assert_cmpuint (destroyed, ==, 0);
  isle_derived_dispose (reader.derived);
  g_assert_cmpuint (destroyed, ==, 1);
}

/* Dynamic dependencies: flag ? a : b. */
typedef struct {
  IsleState   *flag;
  IsleState   *a;
  IsleState   *b;
  IsleDerived *derived;
  guint        calls;
} Branch;

static gboolean
branch_cb (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Branch *branch = user_data;

  branch->calls++;
  if (isle_state_get_boolean (branch->flag))
    g_value_set_int (value, isle_state_get_int (branch->a));
  else
    g_value_set_int (value, isle_state_get_int (branch->b));

  return TRUE;
}

static void
test_derived_dynamic_dependencies (Fixture       *fixture,
                                   gconstpointer  data)
{
  Branch branch = { NULL, };

  branch.flag = isle_state_new_boolean (fixture->graph, TRUE);
  branch.a = isle_state_new_int (fixture->graph, 1);
  branch.b = isle_state_new_int (fixture->graph, 2);
  branch.derived = isle_derived_new (fixture->graph, G_TYPE_INT, branch_cb, &branch, NULL);

  g_assert_cmpint (isle_derived_get_int (branch.derived), ==, 1);
  g_assert_cmpuint (branch.calls, ==, 1);

  /* b was never read: changing it does not recompute. */
  isle_state_set_int (branch.b, 20);
  g_assert_cmpint (isle_derived_get_int (branch.derived), ==, 1);
  g_assert_cmpuint (branch.calls, ==, 1);

  isle_state_set_boolean (branch.flag, FALSE);
  g_assert_cmpint (isle_derived_get_int (branch.derived), ==, 20);
  g_assert_cmpuint (branch.calls, ==, 2);

  /* a is no longer read: its dependency was dropped. */
  isle_state_set_int (branch.a, 10);
  g_assert_cmpint (isle_derived_get_int (branch.derived), ==, 20);
  g_assert_cmpuint (branch.calls, ==, 2);

  isle_state_set_int (branch.b, 21);
  g_assert_cmpint (isle_derived_get_int (branch.derived), ==, 21);
  g_assert_cmpuint (branch.calls, ==, 3);
}

static void
test_derived_dynamic_dependencies_observed (Fixture       *fixture,
                                            gconstpointer  data)
{
  Branch branch = { NULL, };
  Reader reader = { NULL, 0, 0 };

  branch.flag = isle_state_new_boolean (fixture->graph, TRUE);
  branch.a = isle_state_new_int (fixture->graph, 1);
  branch.b = isle_state_new_int (fixture->graph, 2);
  branch.derived = isle_derived_new (fixture->graph, G_TYPE_INT, branch_cb, &branch, NULL);
  reader.derived = branch.derived;
  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.calls, ==, 1);
  g_assert_cmpuint (reader.runs, ==, 1);

  isle_state_set_boolean (branch.flag, FALSE);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_cmpint (reader.last, ==, 2);

  isle_state_set_int (branch.a, 100);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 2);
}

/* The diamond: A -> B = A + 1, A -> C = 2 * A, D = B + C; an effect reads A
 * and D. Every computation checks that its inputs belong to one moment. */
typedef struct {
  IsleState   *a;
  IsleDerived *b;
  IsleDerived *b2;
  IsleDerived *c;
  IsleDerived *d;
  guint        b_calls;
  guint        b2_calls;
  guint        c_calls;
  guint        d_calls;
  guint        runs;
  gboolean     glitch;
} Diamond;

static gboolean
diamond_b_cb (IsleDerived  *self,
              GValue       *value,
              gpointer      user_data,
              GError      **error)
{
  Diamond *diamond = user_data;

  diamond->b_calls++;
  g_value_set_int (value, isle_state_get_int (diamond->a) + 1);

  return TRUE;
}

static gboolean
diamond_b2_cb (IsleDerived  *self,
               GValue       *value,
               gpointer      user_data,
               GError      **error)
{
  Diamond *diamond = user_data;

  diamond->b2_calls++;
  g_value_set_int (value, isle_derived_get_int (diamond->b) * 10);

  return TRUE;
}

static gboolean
diamond_c_cb (IsleDerived  *self,
              GValue       *value,
              gpointer      user_data,
              GError      **error)
{
  Diamond *diamond = user_data;

  diamond->c_calls++;
  g_value_set_int (value, isle_state_get_int (diamond->a) * 2);

  return TRUE;
}

/* D = B + C; consistent iff C == 2 * (B - 1). */
static gboolean
diamond_d_cb (IsleDerived  *self,
              GValue       *value,
              gpointer      user_data,
              GError      **error)
{
  Diamond *diamond = user_data;
  int b = isle_derived_get_int (diamond->b);
  int c = isle_derived_get_int (diamond->c);

  diamond->d_calls++;
  if (c != 2 * (b - 1))
    diamond->glitch = TRUE;
  g_value_set_int (value, b + c);

  return TRUE;
}

/* The uneven diamond: D = B2 + C where B2 = 10 * B is one step deeper than
 * C. Consistent iff B2 == 10 * (C / 2 + 1). */
static gboolean
diamond_deep_d_cb (IsleDerived  *self,
                   GValue       *value,
                   gpointer      user_data,
                   GError      **error)
{
  Diamond *diamond = user_data;
  int c = isle_derived_get_int (diamond->c);
  int b2 = isle_derived_get_int (diamond->b2);

  diamond->d_calls++;
  if (b2 != 10 * (c / 2 + 1))
    diamond->glitch = TRUE;
  g_value_set_int (value, b2 + c);

  return TRUE;
}

static gboolean
diamond_effect_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Diamond *diamond = user_data;
  int a = isle_state_get_int (diamond->a);
  int d = isle_derived_get_int (diamond->d);

  diamond->runs++;
  if (diamond->b2 == NULL && d != (a + 1) + 2 * a)
    diamond->glitch = TRUE;
  if (diamond->b2 != NULL && d != 10 * (a + 1) + 2 * a)
    diamond->glitch = TRUE;

  return TRUE;
}

static void
run_diamond (Fixture  *fixture,
             gboolean  deep)
{
  Diamond diamond = { NULL, };
  guint *deeper_calls;
  int i;

  diamond.a = isle_state_new_int (fixture->graph, 1);
  diamond.b = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_b_cb, &diamond, NULL);
  diamond.c = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_c_cb, &diamond, NULL);
  if (deep)
    {
      diamond.b2 = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_b2_cb, &diamond, NULL);
      diamond.d = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_deep_d_cb, &diamond, NULL);
    }
  else
    {
      diamond.d = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_d_cb, &diamond, NULL);
    }
  isle_effect_new (fixture->graph, diamond_effect_cb, &diamond, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (diamond.d_calls, ==, 1);
  g_assert_cmpuint (diamond.runs, ==, 1);
  g_assert_false (diamond.glitch);

  deeper_calls = deep ? &diamond.b2_calls : &diamond.b_calls;

  for (i = 2; i < 6; i++)
    {
      isle_state_set_int (diamond.a, i);
      isle_graph_flush (fixture->graph);
      g_assert_false (diamond.glitch);
      g_assert_cmpuint (diamond.b_calls, ==, i);
      g_assert_cmpuint (diamond.c_calls, ==, i);
      g_assert_cmpuint (*deeper_calls, ==, i);
      g_assert_cmpuint (diamond.d_calls, ==, i);
      g_assert_cmpuint (diamond.runs, ==, i);
    }

  /* Read without an effect in the way too: one change, one computation. */
  isle_state_set_int (diamond.a, 10);
  g_assert_cmpint (isle_derived_get_int (diamond.d), ==, deep ? 110 + 20 : 11 + 20);
  g_assert_cmpuint (diamond.d_calls, ==, 6);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (diamond.d_calls, ==, 6);
  g_assert_cmpuint (diamond.runs, ==, 6);
  g_assert_false (diamond.glitch);

  /* The effect that ran on the stack-allocated diamond must not outlive it. */
  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_derived_diamond (Fixture       *fixture,
                      gconstpointer  data)
{
  run_diamond (fixture, FALSE);
}

static void
test_derived_diamond_uneven (Fixture       *fixture,
                             gconstpointer  data)
{
  run_diamond (fixture, TRUE);
}

/* Every value type through a derived and its typed getter. */
typedef struct {
  GObject *object;
  GBytes  *bytes;
} Typed;

static int typed_pointer_target;

static gboolean
typed_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  Typed *typed = user_data;
  GType type = G_VALUE_TYPE (value);

  g_assert_true (type == isle_derived_get_value_type (self));

  if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, TRUE);
  else if (type == G_TYPE_INT)
    g_value_set_int (value, -7);
  else if (type == G_TYPE_INT64)
    g_value_set_int64 (value, G_MININT64);
  else if (type == G_TYPE_UINT64)
    g_value_set_uint64 (value, G_MAXUINT64);
  else if (type == G_TYPE_DOUBLE)
    g_value_set_double (value, 2.5);
  else if (type == G_TYPE_POINTER)
    g_value_set_pointer (value, &typed_pointer_target);
  else if (type == G_TYPE_STRING)
    g_value_set_string (value, "hello");
  else if (type == G_TYPE_VARIANT)
    g_value_set_variant (value, g_variant_new_string ("v"));
  else if (type == G_TYPE_OBJECT)
    g_value_set_object (value, typed->object);
  else if (type == G_TYPE_BYTES)
    g_value_set_boxed (value, typed->bytes);
  else
    g_assert_not_reached ();

  return TRUE;
}

static IsleDerived *
typed_new (Fixture *fixture,
           GType    type,
           Typed   *typed)
{
  return isle_derived_new (fixture->graph, type, typed_cb, typed, NULL);
}

static void
test_derived_types (Fixture       *fixture,
                    gconstpointer  data)
{
  Typed typed;
  GValue value = G_VALUE_INIT;
  IsleDerived *derived;

  typed.object = g_object_new (G_TYPE_OBJECT, NULL);
  typed.bytes = g_bytes_new ("xyz", 3);

  g_assert_true (isle_derived_get_boolean (typed_new (fixture, G_TYPE_BOOLEAN, &typed)));
  g_assert_cmpint (isle_derived_get_int (typed_new (fixture, G_TYPE_INT, &typed)), ==, -7);
  g_assert_cmpint (isle_derived_get_int64 (typed_new (fixture, G_TYPE_INT64, &typed)),
                   ==, G_MININT64);
  g_assert_cmpuint (isle_derived_get_uint64 (typed_new (fixture, G_TYPE_UINT64, &typed)),
                    ==, G_MAXUINT64);
  g_assert_cmpfloat (isle_derived_get_double (typed_new (fixture, G_TYPE_DOUBLE, &typed)),
                     ==, 2.5);
  g_assert_true (isle_derived_get_pointer (typed_new (fixture, G_TYPE_POINTER, &typed))
                 == &typed_pointer_target);
  g_assert_cmpstr (isle_derived_get_string (typed_new (fixture, G_TYPE_STRING, &typed)),
                   ==, "hello");
  g_assert_cmpstr (g_variant_get_string (isle_derived_get_variant (typed_new (fixture,
                                                                              G_TYPE_VARIANT,
                                                                              &typed)),
                                         NULL), ==, "v");
  g_assert_true (isle_derived_get_object (typed_new (fixture, G_TYPE_OBJECT, &typed))
                 == typed.object);
  g_assert_true (isle_derived_get_boxed (typed_new (fixture, G_TYPE_BYTES, &typed))
                 == typed.bytes);

  derived = typed_new (fixture, G_TYPE_STRING, &typed);
  isle_derived_get_value (derived, &value);
  g_assert_true (G_VALUE_HOLDS_STRING (&value));
  g_assert_cmpstr (g_value_get_string (&value), ==, "hello");
  g_value_unset (&value);

  /* The deriveds hold their own references. */
  isle_graph_dispose_nodes (fixture->graph);
  g_assert_finalize_object (typed.object);
  g_bytes_unref (typed.bytes);
}

static gboolean
enum_cb (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  g_value_set_enum (value, isle_state_get_int (user_data));
  return TRUE;
}

/* An enum lives in the whole of v_long, which GLib compares and validates:
 * a recomputation keeps all of it, not just the int the engine compares. */
static void
test_derived_enum_value_whole (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GParamSpec) pspec = NULL;
  GValue value = G_VALUE_INIT;
  GValue expected = G_VALUE_INIT;
  IsleDerived *derived;
  IsleState *source;

  pspec = g_param_spec_ref_sink (g_param_spec_enum ("mode", NULL, NULL, G_TYPE_NORMALIZE_MODE,
                                                    G_NORMALIZE_DEFAULT, G_PARAM_READWRITE));
  source = isle_state_new_int (fixture->graph, -1);
  derived = isle_derived_new (fixture->graph, G_TYPE_NORMALIZE_MODE, enum_cb, source, NULL);

  isle_derived_get_value (derived, &value);
  g_assert_cmpint (g_value_get_enum (&value), ==, -1);
  g_value_unset (&value);

  /* Recomputed to a value whose upper half differs from -1's. */
  isle_state_set_int (source, G_NORMALIZE_NFKC);
  isle_derived_get_value (derived, &value);
  g_value_init (&expected, G_TYPE_NORMALIZE_MODE);
  g_value_set_enum (&expected, G_NORMALIZE_NFKC);
  g_assert_cmpint (g_value_get_enum (&value), ==, G_NORMALIZE_NFKC);
  g_assert_cmpint (g_param_values_cmp (pspec, &value, &expected), ==, 0);
  g_assert_false (g_param_value_validate (pspec, &value));
  g_value_unset (&value);
  g_value_unset (&expected);
}

static void
test_derived_name (Fixture       *fixture,
                   gconstpointer  data)
{
  Twice twice = { NULL, 0 };
  IsleDerived *derived;

  twice.source = isle_state_new_int (fixture->graph, 0);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, twice_cb, &twice, NULL);
  g_assert_null (isle_derived_get_name (derived));
  isle_derived_set_name (derived, "total");
  g_assert_cmpstr (isle_derived_get_name (derived), ==, "total");
}

static gboolean
never_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  g_assert_not_reached ();
  return FALSE;
}

static void
test_derived_dispose (Fixture       *fixture,
                      gconstpointer  data)
{
  guint destroyed = 0;
  IsleDerived *derived;
  IsleDerived *kept;

  derived = isle_derived_new (fixture->graph, G_TYPE_INT, never_cb, &destroyed, count_destroy);
  kept = isle_derived_ref (derived);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);

  isle_derived_dispose (derived);
  g_assert_true (isle_derived_is_disposed (kept));
  g_assert_cmpuint (destroyed, ==, 1);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 0);
  isle_derived_unref (kept);
  g_assert_cmpuint (destroyed, ==, 1);

  /* Never computed, released with the graph. */
  isle_derived_new (fixture->graph, G_TYPE_INT, never_cb, &destroyed, count_destroy);
  isle_graph_dispose_nodes (fixture->graph);
  g_assert_cmpuint (destroyed, ==, 2);
}

/* Nodes created while a derived computes are owned by it: disposed before it
 * recomputes. */
typedef struct {
  IsleState *source;
  IsleState *owned;
  guint      calls;
} Owner;

static gboolean
owner_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  Owner *owner = user_data;

  owner->calls++;
  if (owner->owned != NULL)
    {
      g_assert_true (isle_state_is_disposed (owner->owned));
      isle_state_unref (owner->owned);
    }
  owner->owned = isle_state_ref (isle_state_new_int (isle_derived_get_graph (self), 1));
  g_value_set_int (value, isle_state_get_int (owner->source));

  return TRUE;
}

static void
test_derived_owns_nodes (Fixture       *fixture,
                         gconstpointer  data)
{
  Owner owner = { NULL, NULL, 0 };
  IsleDerived *derived;

  owner.source = isle_state_new_int (fixture->graph, 1);
  derived = isle_derived_new (fixture->graph, G_TYPE_INT, owner_cb, &owner, NULL);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 1);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 3);

  isle_state_set_int (owner.source, 2);
  g_assert_cmpint (isle_derived_get_int (derived), ==, 2);
  g_assert_cmpuint (owner.calls, ==, 2);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 3);

  isle_derived_dispose (derived);
  g_assert_true (isle_state_is_disposed (owner.owned));
  isle_state_unref (owner.owned);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);
}


/* Writable deriveds {{{ */

/* A derived of int: @factor times the int of @state or of @derived, with a
 * count of its runs. */
typedef struct {
  IsleState   *state;
  IsleDerived *derived;
  int          factor;
  guint        calls;
} Scaled;

static gboolean
scaled_cb (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Scaled *scaled = user_data;
  int source = scaled->state != NULL ? isle_state_get_int (scaled->state)
                                     : isle_derived_get_int (scaled->derived);

  scaled->calls++;
  g_value_set_int (value, scaled->factor * source);

  return TRUE;
}

static IsleDerived *
scaled_new (Fixture     *fixture,
            Scaled      *scaled,
            IsleState   *state,
            IsleDerived *derived,
            int          factor)
{
  scaled->state = state;
  scaled->derived = derived;
  scaled->factor = factor;
  scaled->calls = 0;

  return isle_derived_new (fixture->graph, G_TYPE_INT, scaled_cb, scaled, NULL);
}

/* Svelte, tests/runtime-runes/samples/writable-derived: `count` and
 * `double = $derived(count * 2)`, both bound to a slider; moving the
 * second overrides the double until the first moves. */
static void
test_derived_writable_overrides (Fixture       *fixture,
                                 gconstpointer  data)
{
  IsleState *count = isle_state_new_int (fixture->graph, 0);
  Scaled scaled;
  IsleDerived *twice = scaled_new (fixture, &scaled, count, NULL, 2);
  Reader reader = { twice, 0, -1 };

  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 0);

  isle_state_set_int (count, 10);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 20);
  g_assert_cmpuint (reader.runs, ==, 2);

  /* "10 * 2 = 99": the set value is what every reader sees, and its
   * function does not run for it. */
  isle_derived_set_int (twice, 99);
  g_assert_cmpint (isle_derived_get_int (twice), ==, 99);
  g_assert_cmpuint (scaled.calls, ==, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 99);
  g_assert_cmpuint (reader.runs, ==, 3);
  g_assert_cmpuint (scaled.calls, ==, 2);

  /* A write of the dependency that changes nothing keeps the override. */
  isle_state_set_int (count, 10);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (isle_derived_get_int (twice), ==, 99);
  g_assert_cmpuint (reader.runs, ==, 3);

  /* "20 * 2 = 40": a change of the dependency recomputes it. */
  isle_state_set_int (count, 20);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 40);
  g_assert_cmpuint (reader.runs, ==, 4);
  g_assert_cmpuint (scaled.calls, ==, 3);
  g_assert_null (isle_derived_get_error (twice));
}

/* Svelte, tests/signals/test.ts, "deriveds set after they are DIRTY
 * doesn't get updated on get". */
static void
test_derived_writable_set_when_dirty (Fixture       *fixture,
                                      gconstpointer  data)
{
  IsleState *a = isle_state_new_int (fixture->graph, 0);
  Scaled scaled;
  IsleDerived *b = scaled_new (fixture, &scaled, a, NULL, 1);

  /* Never computed: it is computed first, so that it depends on a. */
  isle_derived_set_int (b, 1);
  g_assert_cmpint (isle_derived_get_int (b), ==, 1);

  isle_state_set_int (a, 2);
  g_assert_cmpint (isle_derived_get_int (b), ==, 2);
  isle_derived_set_int (b, 3);

  g_assert_cmpint (isle_derived_get_int (b), ==, 3);
}

/* Svelte, tests/signals/test.ts, "unowned deriveds set after they are
 * DIRTY doesn't get updated on get". */
static void
test_derived_writable_set_when_dirty_unowned (Fixture       *fixture,
                                              gconstpointer  data)
{
  IsleState *a = isle_state_new_int (fixture->graph, 0);
  Scaled scaled_b, scaled_c;
  IsleDerived *b = scaled_new (fixture, &scaled_b, a, NULL, 1);
  IsleDerived *c = scaled_new (fixture, &scaled_c, NULL, b, 1);

  isle_derived_set_int (b, 1);
  g_assert_cmpint (isle_derived_get_int (c), ==, 1);

  isle_state_set_int (a, 2);

  g_assert_cmpint (isle_derived_get_int (b), ==, 2);
  g_assert_cmpint (isle_derived_get_int (c), ==, 2);
}

/* Isle's own case, for its PENDING marks: set while a change below it is
 * unchecked (a -> b -> c, a changed, c set), the next change of a must
 * still reach c, although b was already marked by the first. */
static void
test_derived_writable_set_when_pending (Fixture       *fixture,
                                        gconstpointer  data)
{
  IsleState *a = isle_state_new_int (fixture->graph, 1);
  Scaled scaled_b, scaled_c;
  IsleDerived *b = scaled_new (fixture, &scaled_b, a, NULL, 10);
  IsleDerived *c = scaled_new (fixture, &scaled_c, NULL, b, 1);
  Reader reader = { c, 0, -1 };

  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 10);

  isle_graph_batch_begin (fixture->graph);
  isle_state_set_int (a, 2);
  isle_derived_set_int (c, 7);
  isle_graph_batch_end (fixture->graph);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 7);

  /* (b is not read here: a read would settle it by itself.) */
  isle_state_set_int (a, 3);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 30);
  g_assert_cmpint (isle_derived_get_int (c), ==, 30);
}

/* Svelte, tests/runtime-runes/samples/writable-derived-2: a derived of a
 * derived, set before anything read it, reads back what was set. */
static gboolean
constant_string_cb (IsleDerived  *self,
                    GValue       *value,
                    gpointer      user_data,
                    GError      **error)
{
  g_value_set_string (value, user_data);

  return TRUE;
}

static gboolean
copy_string_cb (IsleDerived  *self,
                GValue       *value,
                gpointer      user_data,
                GError      **error)
{
  g_value_set_string (value, isle_derived_get_string (user_data));

  return TRUE;
}

static void
test_derived_writable_derived_of_derived (Fixture       *fixture,
                                          gconstpointer  data)
{
  IsleDerived *source = isle_derived_new (fixture->graph, G_TYPE_STRING,
                                          constant_string_cb, (gpointer) "wrong", NULL);
  IsleDerived *value = isle_derived_new (fixture->graph, G_TYPE_STRING,
                                         copy_string_cb, source, NULL);

  isle_derived_set_string (value, "right");
  g_assert_cmpstr (isle_derived_get_string (value), ==, "right");
  g_assert_cmpstr (isle_derived_get_string (source), ==, "wrong");
}

/* Svelte, tests/runtime-runes/samples/writable-derived-4: a derived
 * holding an object; assigning the same object changes nothing (objects
 * compare by identity), assigning another one does. */
static gboolean
new_object_cb (IsleDerived  *self,
               GValue       *value,
               gpointer      user_data,
               GError      **error)
{
  g_value_take_object (value, g_object_new (G_TYPE_OBJECT, NULL));

  return TRUE;
}

typedef struct {
  IsleDerived *derived;
  guint        runs;
  GObject     *last;
} ObjectReader;

static gboolean
object_reader_cb (IsleEffect  *self,
                  gpointer     user_data,
                  GError     **error)
{
  ObjectReader *reader = user_data;

  reader->runs++;
  reader->last = isle_derived_get_object (reader->derived);

  return TRUE;
}

static void
test_derived_writable_object (Fixture       *fixture,
                              gconstpointer  data)
{
  IsleDerived *count = isle_derived_new (fixture->graph, G_TYPE_OBJECT, new_object_cb, NULL, NULL);
  ObjectReader reader = { count, 0, NULL };
  GObject *first;
  GObject *copy;

  isle_effect_new (fixture->graph, object_reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 1);
  first = reader.last;
  g_assert_nonnull (first);

  /* "assign self" */
  isle_derived_set_object (count, first);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 1);

  /* "assign copy" */
  copy = g_object_new (G_TYPE_OBJECT, NULL);
  isle_derived_set_object (count, copy);
  g_object_unref (copy);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_true (reader.last == copy);
  g_assert_true (isle_derived_get_object (count) == copy);
}

/* Svelte, tests/runtime-runes/samples/derived-write-read-write-read:
 * writing one source, reading the derived, then writing another source
 * that leaves the derived equal must still update what showed it. */
typedef struct {
  IsleState *x;
  IsleState *y;
} Product;

static gboolean
product_cb (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  Product *product = user_data;

  g_value_set_int (value, isle_state_get_int (product->x) * isle_state_get_int (product->y));

  return TRUE;
}

static void
test_derived_write_read_write_read (Fixture       *fixture,
                                    gconstpointer  data)
{
  Product product;
  IsleDerived *z;
  Reader reader = { NULL, 0, -1 };

  product.x = isle_state_new_int (fixture->graph, 1);
  product.y = isle_state_new_int (fixture->graph, 1);
  z = isle_derived_new (fixture->graph, G_TYPE_INT, product_cb, &product, NULL);
  reader.derived = z;
  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 1);

  isle_state_set_int (product.x, 0);
  g_assert_cmpint (isle_derived_get_int (z), ==, 0);
  isle_state_set_int (product.y, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 0);
}

/* The equality cut-off holds for sets and for the recomputation after one:
 * an equal set reruns nothing, and a recomputation equal to the set value
 * reruns nothing either. */
static void
test_derived_writable_equal_is_silent (Fixture       *fixture,
                                       gconstpointer  data)
{
  IsleState *count = isle_state_new_int (fixture->graph, 1);
  Scaled scaled;
  IsleDerived *twice = scaled_new (fixture, &scaled, count, NULL, 2);
  Reader reader = { twice, 0, -1 };

  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 1);

  isle_derived_set_int (twice, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 1);

  isle_derived_set_int (twice, 6);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_cmpint (reader.last, ==, 6);

  /* Confirmed: the dependency changes, the function returns what was set. */
  isle_state_set_int (count, 3);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (scaled.calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_cmpint (isle_derived_get_int (twice), ==, 6);

  /* Doubles compare like Object.is. */
  {
    Upper upper = { NULL, };

    upper.source = isle_state_new_double (fixture->graph, 0.0);
    upper.derived = isle_derived_new (fixture->graph, G_TYPE_DOUBLE, sqrt_cb, &upper, NULL);
    isle_effect_new (fixture->graph, upper_effect_cb, &upper, NULL);
    isle_graph_flush (fixture->graph);
    g_assert_cmpuint (upper.runs, ==, 1);

    isle_derived_set_double (upper.derived, NAN);
    isle_graph_flush (fixture->graph);
    g_assert_cmpuint (upper.runs, ==, 2);
    isle_derived_set_double (upper.derived, NAN);
    isle_graph_flush (fixture->graph);
    g_assert_cmpuint (upper.runs, ==, 2);
    isle_derived_set_double (upper.derived, -0.0);
    isle_derived_set_double (upper.derived, 0.0);
    isle_graph_flush (fixture->graph);
    g_assert_cmpuint (upper.runs, ==, 3);
    isle_derived_set_double (upper.derived, -0.0);
    isle_graph_flush (fixture->graph);
    g_assert_cmpuint (upper.runs, ==, 4);
    g_assert_true (signbit (isle_derived_get_double (upper.derived)));
  }
}

/* A set is glitch-free: in a diamond whose one side is set, the bottom
 * recomputes once per flush and never sees a mix; a set inside a batch
 * together with a write below it gives one run. */
static void
test_derived_writable_diamond (Fixture       *fixture,
                               gconstpointer  data)
{
  Diamond diamond = { NULL, };
  Reader reader = { NULL, 0, -1 };

  diamond.a = isle_state_new_int (fixture->graph, 1);
  diamond.b = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_b_cb, &diamond, NULL);
  diamond.c = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_c_cb, &diamond, NULL);
  diamond.d = isle_derived_new (fixture->graph, G_TYPE_INT, diamond_d_cb, &diamond, NULL);
  reader.derived = diamond.d;
  isle_effect_new (fixture->graph, reader_cb, &reader, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 2 + 2);
  g_assert_cmpuint (diamond.d_calls, ==, 1);

  /* b's override is not 'consistent' with c by design; d recomputes once. */
  diamond.glitch = FALSE;
  isle_derived_set_int (diamond.b, 100);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 100 + 2);
  g_assert_cmpuint (diamond.d_calls, ==, 2);
  g_assert_cmpuint (reader.runs, ==, 2);
  g_assert_cmpuint (diamond.b_calls, ==, 1);

  /* A change of a recomputes b and c, and d once, consistently. */
  diamond.glitch = FALSE;
  isle_state_set_int (diamond.a, 5);
  isle_graph_flush (fixture->graph);
  g_assert_false (diamond.glitch);
  g_assert_cmpint (reader.last, ==, 6 + 10);
  g_assert_cmpuint (diamond.d_calls, ==, 3);
  g_assert_cmpuint (reader.runs, ==, 3);

  /* One batch: a write of a and a set of c, one run, the set wins. */
  isle_graph_batch_begin (fixture->graph);
  isle_state_set_int (diamond.a, 6);
  isle_derived_set_int (diamond.c, 1000);
  isle_graph_batch_end (fixture->graph);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (reader.last, ==, 7 + 1000);
  g_assert_cmpuint (reader.runs, ==, 4);
  g_assert_cmpuint (diamond.d_calls, ==, 4);
}

/* Set from an effect that read it: the effect runs again and sees it. */
typedef struct {
  IsleDerived *derived;
  guint        runs;
  int          seen[4];
} Clamp;

static gboolean
clamp_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  Clamp *clamp = user_data;
  int value = isle_derived_get_int (clamp->derived);

  if (clamp->runs < G_N_ELEMENTS (clamp->seen))
    clamp->seen[clamp->runs] = value;
  clamp->runs++;
  if (value > 10)
    isle_derived_set_int (clamp->derived, 10);

  return TRUE;
}

static void
test_derived_writable_set_in_effect (Fixture       *fixture,
                                     gconstpointer  data)
{
  IsleState *count = isle_state_new_int (fixture->graph, 1);
  Scaled scaled;
  IsleDerived *twice = scaled_new (fixture, &scaled, count, NULL, 2);
  Clamp clamp = { twice, 0, { 0, } };

  isle_effect_new (fixture->graph, clamp_cb, &clamp, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (clamp.runs, ==, 1);

  isle_state_set_int (count, 8);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (clamp.runs, ==, 3);
  g_assert_cmpint (clamp.seen[1], ==, 16);
  g_assert_cmpint (clamp.seen[2], ==, 10);
  g_assert_cmpint (isle_derived_get_int (twice), ==, 10);
}

/* Wrong uses are reported and change nothing. */
static gboolean
set_self_cb (IsleDerived  *self,
             GValue       *value,
             gpointer      user_data,
             GError      **error)
{
  isle_derived_set_int (self, 5);
  g_value_set_int (value, 1);

  return TRUE;
}

static gboolean
failing_cb (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  gboolean *fail = user_data;

  if (*fail)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED, "no value");
      return FALSE;
    }
  g_value_set_int (value, 1);

  return TRUE;
}

static void
test_derived_writable_bad_input (Fixture       *fixture,
                                 gconstpointer  data)
{
  IsleDerived *self_setter = isle_derived_new (fixture->graph, G_TYPE_INT, set_self_cb, NULL, NULL);
  IsleDerived *text = isle_derived_new (fixture->graph, G_TYPE_STRING,
                                        constant_string_cb, (gpointer) "text", NULL);
  IsleDerived *gone = isle_derived_new (fixture->graph, G_TYPE_INT, set_self_cb, NULL, NULL);
  gboolean fail = TRUE;
  IsleDerived *failing;
  GValue value = G_VALUE_INIT;

  isle_derived_set_name (self_setter, "loop");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “loop”*was set by its own function*");
  g_assert_cmpint (isle_derived_get_int (self_setter), ==, 1);
  g_test_assert_expected_messages ();

  isle_derived_set_name (text, "text");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “text”*holds values of type gchararray, not gint*");
  isle_derived_set_int (text, 3);
  g_test_assert_expected_messages ();

  g_value_init (&value, G_TYPE_OBJECT);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*derived “text”*holds values of type gchararray, not GObject*");
  isle_derived_set_value (text, &value);
  g_test_assert_expected_messages ();
  g_value_unset (&value);
  g_assert_cmpstr (isle_derived_get_string (text), ==, "text");

  /* A value that converts is converted. */
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  {
    IsleState *source = isle_state_new_int (fixture->graph, 1);
    Scaled scaled;
    IsleDerived *d64 = scaled_new (fixture, &scaled, source, NULL, 1);

    isle_derived_set_value (d64, &value);
    g_assert_cmpint (isle_derived_get_int (d64), ==, 42);
  }
  g_value_unset (&value);

  isle_derived_ref (gone);
  isle_derived_set_name (gone, "gone");
  isle_derived_dispose (gone);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*derived “gone”*was disposed*");
  isle_derived_set_int (gone, 3);
  g_test_assert_expected_messages ();
  isle_derived_unref (gone);

  /* A set puts an end to a failure; the next failure is reported again. */
  failing = isle_derived_new (fixture->graph, G_TYPE_INT, failing_cb, &fail, NULL);
  isle_derived_set_name (failing, "failing");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*derived “failing”*failed: no value*");
  g_assert_cmpint (isle_derived_get_int (failing), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_nonnull (isle_derived_get_error (failing));
  isle_derived_set_int (failing, 4);
  g_assert_null (isle_derived_get_error (failing));
  g_assert_cmpint (isle_derived_get_int (failing), ==, 4);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Isle/Derived/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("lazy", test_derived_lazy);
  ADD ("cached", test_derived_cached);
  ADD ("recomputes-on-change", test_derived_recomputes_on_change);
  ADD ("observed-recomputes-once-per-flush", test_derived_observed_recomputes_once_per_flush);
  ADD ("unobserved-is-not-recomputed", test_derived_unobserved_is_not_recomputed);
  ADD ("unobserved-keeps-cache", test_derived_unobserved_keeps_cache);
  ADD ("derived-of-derived", test_derived_of_derived);
  ADD ("equal-result-cuts-off", test_derived_equal_result_cuts_off);
  ADD ("string-cuts-off", test_derived_string_cuts_off);
  ADD ("nan-cuts-off", test_derived_nan_cuts_off);
  ADD ("equal-func", test_derived_equal_func);
  ADD ("dynamic-dependencies", test_derived_dynamic_dependencies);
  ADD ("dynamic-dependencies-observed", test_derived_dynamic_dependencies_observed);
  ADD ("diamond", test_derived_diamond);
  ADD ("diamond-uneven", test_derived_diamond_uneven);
  ADD ("types", test_derived_types);
  ADD ("enum-value-whole", test_derived_enum_value_whole);
  ADD ("name", test_derived_name);
  ADD ("dispose", test_derived_dispose);
  ADD ("owns-nodes", test_derived_owns_nodes);
  ADD ("writable/overrides-until-dependency-changes", test_derived_writable_overrides);
  ADD ("writable/set-when-dirty", test_derived_writable_set_when_dirty);
  ADD ("writable/set-when-dirty-unowned", test_derived_writable_set_when_dirty_unowned);
  ADD ("writable/set-when-pending", test_derived_writable_set_when_pending);
  ADD ("writable/derived-of-derived", test_derived_writable_derived_of_derived);
  ADD ("writable/object", test_derived_writable_object);
  ADD ("writable/equal-is-silent", test_derived_writable_equal_is_silent);
  ADD ("writable/diamond", test_derived_writable_diamond);
  ADD ("writable/set-in-effect", test_derived_writable_set_in_effect);
  ADD ("writable/bad-input", test_derived_writable_bad_input);
  ADD ("write-read-write-read", test_derived_write_read_write_read);

#undef ADD

  return g_test_run ();
}
