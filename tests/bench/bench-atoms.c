/* bench-atoms.c: the atom broadcast benchmark
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One atom with N = 1, 100 and 10 000 listeners, set to a new integer again
 * and again (every value differs from the one before): the nanoseconds one
 * set takes, and that time divided by N (per listener). The same loop runs
 * on an IsleAtom twice: with isle_store_listen_int () listeners, which get
 * plain ints as nanostores' listeners get plain numbers (impl "isle"), and
 * with isle_store_listen () listeners, which get GVariants and read them
 * with g_variant_get_int32 () (impl "isle-variant"); and, in this program
 * too, on its natural GObject peer: an object with an int property and N
 * "notify::value" handlers; js/bench-atoms.mjs runs it on nanostores
 * (atom + listen).
 *
 * Every listener counts its calls and adds up the values it was given (the
 * GObject handlers read the property, since notify carries no value); after
 * every repetition each listener must have been called exactly once per set,
 * and its sum must be the sum of the values set, so a store that drops,
 * repeats or garbles a notification fails (exit status 1) instead of winning.
 *
 * Timing: per case, 2 untimed warm-up repetitions, then N timed ones (7 by
 * default); the reported number is the median. Isle and GObject take turns
 * on each listener count.
 *
 * Output: one JSON object per line on stdout (the format of bench-engine, so
 * that js/merge.mjs can put both in one table), then a table for people.
 * --quick runs every case with tiny repetition counts and only checks
 * values (the test suite runs it as a smoke test).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isle-stores.h"

#include "bench-common.h"

static const guint listener_counts[] = { 1, 100, 10000 };

/* Listener calls per timed repetition (fewer sets for more listeners),
 * with at most this many sets. */
#define CALLS_PER_REP 1000000
#define MAX_SETS_PER_REP 200000
#define QUICK_SETS_PER_REP 5

typedef struct {
  char   *impl;
  char   *name;
  char   *unit;
  double  median;
  double  min;
  double  max;
} Result;

/* What one listener saw. */
typedef struct {
  gint64 calls;
  gint64 sum;
} Slot;

/* {{{ Helpers */

/* Records one measured number (the median of @samples). Reports nothing for
 * a case that failed its checks: a wrong store has no speed. */
static void
report (const char *impl,
        const char *name,
        const char *unit,
        double     *samples,
        int         n)
{
  Result r;

  if (case_failures > 0)
    {
      printf ("{\"impl\":\"%s\",\"case\":\"%s\",\"unit\":\"%s\",\"failed\":true}\n", impl, name, unit);
      return;
    }

  if (quick)
    {
      printf ("{\"impl\":\"%s\",\"case\":\"%s\",\"unit\":\"%s\",\"checked\":true}\n", impl, name, unit);
      return;
    }

  summarize_samples (samples, n, &r.median, &r.min, &r.max);
  r.impl = g_strdup (impl);
  r.name = g_strdup (name);
  r.unit = g_strdup (unit);
  g_array_append_val (results, r);

  printf ("{\"impl\":\"%s\",\"case\":\"%s\",\"unit\":\"%s\",\"value\":%.1f,"
          "\"min\":%.1f,\"max\":%.1f,\"reps\":%d}\n",
          impl, name, unit, r.median, r.min, r.max, n);
  fflush (stdout);
}

/* Every listener was called once per set, with the values set. */
static void
check_slots (const Slot *slots,
             guint       n,
             gint64      sets,
             gint64      value_sum)
{
  guint i;

  for (i = 0; i < n; i++)
    {
      if (slots[i].calls != sets)
        fail ("listener %u was called %" G_GINT64_FORMAT " times for %" G_GINT64_FORMAT " sets",
              i, slots[i].calls, sets);
      else if (slots[i].sum != value_sum)
        fail ("listener %u saw values adding up to %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
              i, slots[i].sum, value_sum);
    }
}

/* }}} */

/* {{{ The two sides
 *
 * Each side: create a store holding 0, add N listeners, set values, read the
 * value back, destroy. */

typedef struct {
  const char *impl;
  gpointer  (*create)  (Slot *slots,
                        guint n);
  void      (*set)     (gpointer store,
                        int      value);
  int       (*get)     (gpointer store);
  void      (*destroy) (gpointer store);
} Side;

/* Isle: an IsleAtom of type "i" with isle_store_listen_int () listeners
 * ("isle"), or isle_store_listen () listeners ("isle-variant"). */

static void
isle_int_listener_cb (IsleStore *store,
                      int        value,
                      int        old_value,
                      gpointer   user_data)
{
  Slot *slot = user_data;

  slot->calls++;
  slot->sum += value;
}


static void
isle_variant_listener_cb (IsleStore *store,
                          GVariant  *value,
                          GVariant  *old_value,
                          gpointer   user_data)
{
  Slot *slot = user_data;

  slot->calls++;
  slot->sum += g_variant_get_int32 (value);
}

static gpointer
isle_create_atom (Slot     *slots,
                  guint     n,
                  gboolean  typed)
{
  IsleAtom *atom = isle_atom_new_int ("broadcast", 0);
  guint i;

  for (i = 0; i < n; i++)
    {
      if (typed)
        isle_store_listen_int (ISLE_STORE (atom), isle_int_listener_cb, &slots[i], NULL);
      else
        isle_store_listen (ISLE_STORE (atom), isle_variant_listener_cb, &slots[i], NULL);
    }

  return atom;
}

static gpointer
isle_create (Slot  *slots,
             guint  n)
{
  return isle_create_atom (slots, n, TRUE);
}

static gpointer
isle_variant_create (Slot  *slots,
                     guint  n)
{
  return isle_create_atom (slots, n, FALSE);
}

static void
isle_set (gpointer store,
          int      value)
{
  isle_atom_set_int (store, value);
}

static int
isle_get (gpointer store)
{
  return isle_store_get_int (store);
}

static void
isle_destroy (gpointer store)
{
  g_object_unref (store);
}

/* GObject: an object with an int property "value", set through its setter
 * (which notifies only on a change, with notify_by_pspec), and N handlers
 * of "notify::value" that read the property through its getter. */

#define BENCH_TYPE_VALUE (bench_value_get_type ())

G_DECLARE_FINAL_TYPE (BenchValue, bench_value, BENCH, VALUE, GObject)

struct _BenchValue
{
  GObject parent_instance;
  int     value;
};

G_DEFINE_FINAL_TYPE (BenchValue, bench_value, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static int
bench_value_get_value (BenchValue *self)
{
  return self->value;
}

static void
bench_value_set_value (BenchValue *self,
                       int         value)
{
  if (self->value == value)
    return;

  self->value = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VALUE]);
}

static void
bench_value_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BenchValue *self = BENCH_VALUE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_int (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bench_value_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BenchValue *self = BENCH_VALUE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      bench_value_set_value (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bench_value_class_init (BenchValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bench_value_get_property;
  object_class->set_property = bench_value_set_property;

  props[PROP_VALUE] =
    g_param_spec_int ("value", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
bench_value_init (BenchValue *self)
{
}

static void
gobject_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Slot *slot = user_data;

  slot->calls++;
  slot->sum += bench_value_get_value (BENCH_VALUE (object));
}

static gpointer
gobject_create (Slot  *slots,
                guint  n)
{
  BenchValue *object = g_object_new (BENCH_TYPE_VALUE, NULL);
  guint i;

  for (i = 0; i < n; i++)
    g_signal_connect (object, "notify::value", G_CALLBACK (gobject_notify_cb), &slots[i]);

  return object;
}

static void
gobject_set (gpointer store,
             int      value)
{
  bench_value_set_value (store, value);
}

static int
gobject_get (gpointer store)
{
  return bench_value_get_value (store);
}

static void
gobject_destroy (gpointer store)
{
  g_object_unref (store);
}

static const Side sides[] = {
  { "isle", isle_create, isle_set, isle_get, isle_destroy },
  { "isle-variant", isle_variant_create, isle_set, isle_get, isle_destroy },
  { "gobject-notify", gobject_create, gobject_set, gobject_get, gobject_destroy },
};

/* }}} */

/* {{{ The case */

static void
run_broadcast (const Side *side,
               guint       n,
               const char *name,
               const char *per_listener_name)
{
  int sets_per_rep = quick ? QUICK_SETS_PER_REP : (int) MIN (MAX_SETS_PER_REP, CALLS_PER_REP / n);
  g_autofree Slot *slots = g_new0 (Slot, n);
  g_autofree double *per_set = g_new0 (double, n_reps);
  g_autofree double *per_listener = g_new0 (double, n_reps);
  gint64 sets = 0;
  gint64 value_sum = 0;
  int value = 0;
  gpointer store;
  int r, k;

  current_case = name;
  current_impl = side->impl;
  case_failures = 0;

  store = side->create (slots, n);
  check_slots (slots, n, 0, 0);

  for (r = -n_warmups; r < n_reps; r++)
    {
      int first = value + 1;
      gint64 t0, t1;

      t0 = now_ns ();
      for (k = 0; k < sets_per_rep; k++)
        side->set (store, ++value);
      t1 = now_ns ();

      /* Outside the timing: the values set were first..value. */
      sets += sets_per_rep;
      value_sum += (gint64) sets_per_rep * (first + value) / 2;
      check_slots (slots, n, sets, value_sum);
      if (side->get (store) != value)
        fail ("the store holds %d after setting %d", side->get (store), value);

      if (r >= 0)
        {
          per_set[r] = (double) (t1 - t0) / sets_per_rep;
          per_listener[r] = per_set[r] / n;
        }
    }

  side->destroy (store);

  report (side->impl, name, "ns/set", per_set, n_reps);
  report (side->impl, per_listener_name, "ns/listener", per_listener, n_reps);
}

static void
run_cases (void)
{
  guint i, s;

  for (i = 0; i < G_N_ELEMENTS (listener_counts); i++)
    {
      guint n = listener_counts[i];
      g_autofree char *name = g_strdup_printf ("atom_broadcast_N%u", n);
      g_autofree char *per_listener_name = g_strdup_printf ("atom_broadcast_N%u_per_listener", n);

      if (!case_selected (name))
        continue;

      n_cases_run++;
      for (s = 0; s < G_N_ELEMENTS (sides); s++)
        if (impl_filter == NULL || g_str_equal (impl_filter, sides[s].impl))
          run_broadcast (&sides[s], n, name, per_listener_name);
    }
}

/* }}} */

static void
print_table (void)
{
  guint i;

  printf ("\n%-34s %-15s %-12s %12s %12s %12s  (%d reps after %d warm-ups)\n",
          "case", "impl", "unit", "median", "min", "max", n_reps, n_warmups);
  for (i = 0; i < results->len; i++)
    {
      const Result *r = &g_array_index (results, Result, i);

      printf ("%-34s %-15s %-12s %12.1f %12.1f %12.1f\n",
              r->name, r->impl, r->unit, r->median, r->min, r->max);
    }
}

static void
clear_result (gpointer data)
{
  Result *r = data;

  g_free (r->impl);
  g_free (r->name);
  g_free (r->unit);
}

int
main (int    argc,
      char **argv)
{
  gboolean list = FALSE;
  guint i;

  if (!parse_options (&argc, &argv, "bench-atoms", "- benchmark Isle's atoms against GObject notify", &list))
    return 2;

  if (list)
    {
      for (i = 0; i < G_N_ELEMENTS (listener_counts); i++)
        printf ("atom_broadcast_N%u\n", listener_counts[i]);
      g_strfreev (case_filters);
      return 0;
    }

  if (!check_reps ("bench-atoms"))
    return 2;

#ifdef BENCH_ASAN
  printf ("{\"impl\":\"isle\",\"note\":\"built with AddressSanitizer: times are meaningless\"}\n");
  fprintf (stderr, "bench-atoms: note: built with AddressSanitizer; times are meaningless\n");
#endif
#ifndef __OPTIMIZE__
  printf ("{\"impl\":\"isle\",\"note\":\"built without optimization: use a release build for numbers\"}\n");
#endif

  results = g_array_new (FALSE, FALSE, sizeof (Result));
  g_array_set_clear_func (results, clear_result);

  run_cases ();

  if (!quick)
    print_table ();

  g_array_unref (results);
  g_strfreev (case_filters);
  g_free (impl_filter);

  return exit_status ("bench-atoms", "a store called its listeners a wrong number of times or with wrong values");
}
