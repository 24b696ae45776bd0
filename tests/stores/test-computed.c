/* test-computed.c: unit tests for IsleComputed
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tests run with warnings and criticals fatal, so a failure reported twice
 * where once was promised aborts the test. Every test ends with
 * g_assert_finalize_object() to prove that nothing kept a reference.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Helpers {{{ */

typedef struct
{
  GString    *log;
  const char *tag;
  guint       calls;
  GMainLoop  *quit_loop;
} Probe;

static void
probe_cb (IsleStore *store,
          GVariant  *value,
          GVariant  *old_value,
          gpointer   user_data)
{
  Probe *probe = user_data;
  g_autofree char *new_text = g_variant_print (value, FALSE);
  g_autofree char *old_text = old_value != NULL ? g_variant_print (old_value, FALSE) : g_strdup ("-");

  g_assert_true (g_variant_is_of_type (value, isle_store_get_value_type (store)));

  probe->calls++;
  if (probe->log->len > 0)
    g_string_append_c (probe->log, ' ');
  g_string_append_printf (probe->log, "%s:%s<%s", probe->tag, new_text, old_text);

  if (probe->quit_loop != NULL)
    g_main_loop_quit (probe->quit_loop);
}

/* The function of a computed store: the sum of its int sources. It counts
 * its runs; it fails (NULL) on a negative sum when asked to, and returns a
 * value of the wrong type for 99. */
typedef struct
{
  guint    calls;
  guint    destroyed;
  gboolean fail_negative;
  char    *values_type;
} Compute;

static GVariant *
sum_cb (GVariant *values,
        gpointer  user_data)
{
  Compute *compute = user_data;
  GVariantIter iter;
  GVariant *child;
  int sum = 0;

  compute->calls++;

  g_assert_nonnull (values);
  g_assert_true (g_variant_is_of_type (values, G_VARIANT_TYPE_TUPLE));
  g_free (compute->values_type);
  compute->values_type = g_strdup (g_variant_get_type_string (values));

  g_variant_iter_init (&iter, values);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      sum += g_variant_get_int32 (child);
      g_variant_unref (child);
    }

  if (sum < 0 && compute->fail_negative)
    return NULL;
  if (sum == 99)
    return g_variant_new_string ("ninety-nine");

  return g_variant_new_int32 (sum);
}

static void
compute_destroy (gpointer user_data)
{
  Compute *compute = user_data;

  compute->destroyed++;
}

static void
compute_clear (Compute *compute)
{
  g_clear_pointer (&compute->values_type, g_free);
}

static IsleComputed *
sum_new (const char *name,
         IsleAtom   *a,
         IsleAtom   *b,
         Compute    *compute)
{
  IsleStore *sources[] = { ISLE_STORE (a), b != NULL ? ISLE_STORE (b) : NULL };

  return isle_computed_new (name, G_VARIANT_TYPE_INT32, sources, b != NULL ? 2 : 1,
                            sum_cb, compute, compute_destroy);
}

static guint
n_listeners (gpointer store)
{
  return isle_store_get_n_listeners (ISLE_STORE (store));
}

static void
stop_cb (IsleStore *store,
         gpointer   user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
}

/* Dispatches what is ready on the default context, without blocking. */
static void
drain_default_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs @loop, failing if it does not quit within @guard_ms. */
static void
run_loop_guarded (GMainLoop *loop,
                  guint      guard_ms)
{
  Guard guard = { loop, FALSE };
  guint id = g_timeout_add (guard_ms, guard_cb, &guard);

  g_main_loop_run (loop);

  g_assert_false (guard.timed_out);
  g_source_remove (id);
}

/* }}} */

/* Laziness {{{ */

static void
test_computed_lazy (void)
{
  IsleAtom *a = isle_atom_new_int ("a", 1);
  IsleAtom *b = isle_atom_new_int ("b", 2);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("sum", a, b, &compute);

  /* Nothing before it is read. */
  g_assert_cmpuint (compute.calls, ==, 0);
  isle_atom_set_int (a, 5);
  g_assert_cmpuint (compute.calls, ==, 0);
  g_assert_cmpuint (n_listeners (a), ==, 0);
  g_assert_cmpuint (n_listeners (b), ==, 0);
  g_assert_false (isle_store_get_started (ISLE_STORE (sum)));

  /* Read without listeners: right, and computed only when a source's
   * version changed. */
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 7);
  g_assert_cmpuint (compute.calls, ==, 1);
  g_assert_cmpstr (compute.values_type, ==, "(ii)");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 7);
  g_assert_cmpuint (compute.calls, ==, 1);

  isle_atom_set_int (a, 5);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 7);
  g_assert_cmpuint (compute.calls, ==, 1);

  isle_atom_set_int (b, 3);
  isle_atom_set_int (a, 6);
  g_assert_cmpuint (compute.calls, ==, 1);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 9);
  g_assert_cmpuint (compute.calls, ==, 2);

  /* Never subscribed to its sources while nobody listens to it. */
  g_assert_cmpuint (n_listeners (a), ==, 0);
  g_assert_cmpuint (n_listeners (b), ==, 0);
  g_assert_false (isle_store_get_started (ISLE_STORE (sum)));

  g_assert_finalize_object (sum);
  g_assert_cmpuint (compute.destroyed, ==, 1);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  compute_clear (&compute);
}

static void
test_computed_version (void)
{
  IsleAtom *a = isle_atom_new_int ("versioned", 1);
  guint64 version = isle_store_get_version (ISLE_STORE (a));

  isle_atom_set_int (a, 1);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (a)), ==, version);
  isle_atom_set_int (a, 2);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (a)), ==, version + 1);
  isle_atom_set_int (a, 3);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (a)), ==, version + 2);

  g_assert_finalize_object (a);
}

typedef struct
{
  guint calls;
} LabelData;

static GVariant *
label_cb (GVariant *values,
          gpointer  user_data)
{
  LabelData *data = user_data;
  const char *unit;
  int count;

  data->calls++;
  g_assert_true (g_variant_is_of_type (values, G_VARIANT_TYPE ("(isb)")));
  g_variant_get (values, "(i&sb)", &count, &unit, NULL);

  return g_variant_new_take_string (g_strdup_printf ("%d %s", count, unit));
}

/* The function gets one tuple of the sources' values, in their order; the
 * sources may be of any store type. */
static void
test_computed_values_tuple (void)
{
  IsleAtom *count = isle_atom_new_int ("count", 3);
  IsleAtom *unit = isle_atom_new_string ("unit", "apples");
  IsleAtom *flag = isle_atom_new_boolean ("flag", TRUE);
  IsleStore *sources[] = { ISLE_STORE (count), ISLE_STORE (unit), ISLE_STORE (flag) };
  LabelData data = { 0 };
  IsleComputed *label = isle_computed_new ("label", G_VARIANT_TYPE_STRING, sources, 3,
                                           label_cb, &data, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (label)),
                                       G_VARIANT_TYPE_STRING));
  text = isle_store_dup_string (ISLE_STORE (label));
  g_assert_cmpstr (text, ==, "3 apples");
  g_clear_pointer (&text, g_free);

  isle_atom_set_string (unit, "pears");
  text = isle_store_dup_string (ISLE_STORE (label));
  g_assert_cmpstr (text, ==, "3 pears");
  g_assert_cmpuint (data.calls, ==, 2);

  g_assert_finalize_object (label);
  g_assert_finalize_object (count);
  g_assert_finalize_object (unit);
  g_assert_finalize_object (flag);
}

static GVariant *
times_ten_cb (GVariant *values,
              gpointer  user_data)
{
  Compute *compute = user_data;
  int value;

  compute->calls++;
  g_variant_get (values, "(i)", &value);

  return g_variant_new_int32 (value * 10);
}

/* A computed store of a computed store, read without listeners: always
 * right, also after it settled (read twice with nothing changed). */
static void
test_computed_chain (void)
{
  IsleAtom *a = isle_atom_new_int ("chain-a", 1);
  Compute first_compute = { 0 };
  Compute second_compute = { 0 };
  IsleComputed *first = sum_new ("chain-first", a, NULL, &first_compute);
  IsleStore *second_sources[] = { ISLE_STORE (first) };
  IsleComputed *second = isle_computed_new ("chain-second", G_VARIANT_TYPE_INT32, second_sources, 1,
                                            times_ten_cb, &second_compute, NULL);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 10);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 10);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 10);

  isle_atom_set_int (a, 2);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 20);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 20);

  isle_atom_set_int (a, 3);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (first)), ==, 3);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 30);

  g_assert_cmpuint (n_listeners (a), ==, 0);
  g_assert_cmpuint (n_listeners (first), ==, 0);

  g_assert_finalize_object (second);
  g_assert_finalize_object (first);
  g_assert_finalize_object (a);
  compute_clear (&first_compute);
  compute_clear (&second_compute);
}

/* Along a chain, each function runs once per change of what it reads,
 * and the chain is subscribed only while its end has listeners. */
static void
test_computed_chain_lazy (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("chain-a", 1);
  Compute first_compute = { 0 };
  Compute second_compute = { 0 };
  IsleComputed *first = sum_new ("chain-first", a, NULL, &first_compute);
  IsleStore *second_sources[] = { ISLE_STORE (first) };
  IsleComputed *second = isle_computed_new ("chain-second", G_VARIANT_TYPE_INT32, second_sources, 1,
                                            times_ten_cb, &second_compute, NULL);
  guint handle;

  isle_store_get_int (ISLE_STORE (second));
  isle_store_get_int (ISLE_STORE (second));
  g_assert_cmpuint (first_compute.calls, ==, 1);
  g_assert_cmpuint (second_compute.calls, ==, 1);

  isle_atom_set_int (a, 2);
  isle_store_get_int (ISLE_STORE (second));
  isle_store_get_int (ISLE_STORE (second));
  g_assert_cmpuint (first_compute.calls, ==, 2);
  g_assert_cmpuint (second_compute.calls, ==, 2);

  isle_store_set_stop_delay (ISLE_STORE (first), 0);
  isle_store_set_stop_delay (ISLE_STORE (second), 0);
  handle = isle_store_subscribe (ISLE_STORE (second), probe_cb, &probe, NULL);
  assert_log (log, "C:20<-");
  g_assert_cmpuint (n_listeners (a), ==, 1);
  g_assert_cmpuint (n_listeners (first), ==, 1);

  isle_atom_set_int (a, 3);
  assert_log (log, "C:30<20");
  g_assert_cmpuint (first_compute.calls, ==, 3);
  g_assert_cmpuint (second_compute.calls, ==, 3);

  isle_store_unsubscribe (ISLE_STORE (second), handle);
  g_assert_cmpuint (n_listeners (first), ==, 0);
  g_assert_cmpuint (n_listeners (a), ==, 0);

  g_assert_finalize_object (second);
  g_assert_finalize_object (first);
  g_assert_finalize_object (a);
  compute_clear (&first_compute);
  compute_clear (&second_compute);
}

typedef struct
{
  IsleAtom *a;
  guint     calls;
  guint     inconsistent;
} Diamond;

static void
diamond_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
  Diamond *diamond = user_data;

  diamond->calls++;
  if (g_variant_get_int32 (value) != 11 * isle_store_get_int (ISLE_STORE (diamond->a)))
    diamond->inconsistent++;
}

/* A diamond (a → ten = 10a, a + ten → total): a listener of the end sees
 * only consistent values, once per change of a, whichever of its sources
 * hears first. */
static void
test_computed_diamond (void)
{
  IsleAtom *a = isle_atom_new_int ("diamond-a", 1);
  Compute ten_compute = { 0 };
  Compute total_compute = { 0 };
  IsleComputed *ten = isle_computed_new ("diamond-ten", G_VARIANT_TYPE_INT32,
                                         (IsleStore *[]) { ISLE_STORE (a) }, 1,
                                         times_ten_cb, &ten_compute, NULL);
  Compute total2_compute = { 0 };
  Diamond diamond = { a };
  IsleComputed *total;
  IsleComputed *total2;

  total = isle_computed_new ("diamond-total", G_VARIANT_TYPE_INT32,
                             (IsleStore *[]) { ISLE_STORE (a), ISLE_STORE (ten) }, 2,
                             sum_cb, &total_compute, NULL);
  /* The same with the sources the other way round. */
  total2 = isle_computed_new ("diamond-total2", G_VARIANT_TYPE_INT32,
                              (IsleStore *[]) { ISLE_STORE (ten), ISLE_STORE (a) }, 2,
                              sum_cb, &total2_compute, NULL);

  isle_store_subscribe (ISLE_STORE (total), diamond_cb, &diamond, NULL);
  isle_store_subscribe (ISLE_STORE (total2), diamond_cb, &diamond, NULL);
  g_assert_cmpuint (diamond.calls, ==, 2);

  for (int i = 2; i <= 5; i++)
    isle_atom_set_int (a, i);

  g_assert_cmpuint (diamond.inconsistent, ==, 0);
  g_assert_cmpuint (diamond.calls, ==, 2 + 2 * 4);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (total)), ==, 55);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (total2)), ==, 55);

  g_assert_finalize_object (total);
  g_assert_finalize_object (total2);
  g_assert_finalize_object (ten);
  g_assert_finalize_object (a);
  compute_clear (&ten_compute);
  compute_clear (&total_compute);
  compute_clear (&total2_compute);
}

/* }}} */

/* Listeners {{{ */

static void
test_computed_listeners (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("listened-a", 1);
  IsleAtom *b = isle_atom_new_int ("listened-b", 2);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("listened", a, b, &compute);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint handle;

  isle_store_set_stop_delay (ISLE_STORE (sum), 50);
  g_signal_connect (sum, "stop", G_CALLBACK (stop_cb), loop);

  /* Subscribed to the sources from the first listener on; computed before
   * the subscriber's first call. */
  g_assert_cmpuint (n_listeners (a), ==, 0);
  handle = isle_store_subscribe (ISLE_STORE (sum), probe_cb, &probe, NULL);
  assert_log (log, "C:3<-");
  g_assert_cmpuint (compute.calls, ==, 1);
  g_assert_cmpuint (n_listeners (a), ==, 1);
  g_assert_cmpuint (n_listeners (b), ==, 1);

  isle_atom_set_int (a, 5);
  assert_log (log, "C:7<3");
  g_assert_cmpuint (compute.calls, ==, 2);

  /* Reading while listened to computes nothing more. */
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 7);
  g_assert_cmpuint (compute.calls, ==, 2);

  /* A recomputation to an equal value notifies nobody. */
  isle_store_batch_begin ();
  isle_atom_set_int (a, 6);
  isle_atom_set_int (b, 1);
  isle_store_batch_end ();
  assert_log (log, "");
  g_assert_cmpuint (compute.calls, ==, 3);

  /* Unsubscribed from the sources when it stops, stop-delay after its
   * last listener left. */
  isle_store_unsubscribe (ISLE_STORE (sum), handle);
  g_assert_cmpuint (n_listeners (a), ==, 1);
  g_assert_true (isle_store_get_started (ISLE_STORE (sum)));
  run_loop_guarded (loop, 5000);
  g_assert_false (isle_store_get_started (ISLE_STORE (sum)));
  g_assert_cmpuint (n_listeners (a), ==, 0);
  g_assert_cmpuint (n_listeners (b), ==, 0);

  /* Still right when read afterwards. */
  isle_atom_set_int (a, 10);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 11);
  g_assert_cmpuint (probe.calls, ==, 2);

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  compute_clear (&compute);
}

/* Sources that changed while it was not started: its first subscriber sees
 * the fresh value, computed once. */
static void
test_computed_start_fresh (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("fresh-a", 1);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("fresh", a, NULL, &compute);
  guint handle;

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 1);
  isle_atom_set_int (a, 4);

  isle_store_set_stop_delay (ISLE_STORE (sum), 0);
  handle = isle_store_listen (ISLE_STORE (sum), probe_cb, &probe, NULL);
  g_assert_cmpuint (compute.calls, ==, 2);
  isle_store_unsubscribe (ISLE_STORE (sum), handle);

  isle_atom_set_int (a, 5);
  handle = isle_store_subscribe (ISLE_STORE (sum), probe_cb, &probe, NULL);
  assert_log (log, "C:5<-");
  g_assert_cmpuint (compute.calls, ==, 3);
  isle_store_unsubscribe (ISLE_STORE (sum), handle);
  g_assert_cmpuint (n_listeners (a), ==, 0);

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  compute_clear (&compute);
}

/* Two sources changed in one store batch: one recomputation, one call. */
static void
test_computed_store_batch (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("batch-a", 1);
  IsleAtom *b = isle_atom_new_int ("batch-b", 2);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("batch-sum", a, b, &compute);

  isle_store_listen (ISLE_STORE (sum), probe_cb, &probe, NULL);
  g_assert_cmpuint (compute.calls, ==, 1);

  isle_store_batch_begin ();
  isle_atom_set_int (a, 10);
  isle_atom_set_int (b, 20);
  isle_store_batch_end ();

  g_assert_cmpuint (compute.calls, ==, 2);
  assert_log (log, "C:30<3");

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  compute_clear (&compute);
}

/* Disposed while listened to: it lets go of its sources and frees its
 * data. */
static void
test_computed_dispose (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("dispose-a", 1);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("dispose", a, NULL, &compute);

  isle_store_subscribe (ISLE_STORE (sum), probe_cb, &probe, NULL);
  g_assert_cmpuint (n_listeners (a), ==, 1);

  g_assert_finalize_object (sum);
  g_assert_cmpuint (compute.destroyed, ==, 1);
  g_assert_cmpuint (n_listeners (a), ==, 0);

  isle_atom_set_int (a, 2);
  assert_log (log, "C:1<-");

  g_assert_finalize_object (a);
  compute_clear (&compute);
}

/* }}} */

/* Batched {{{ */

typedef struct
{
  IsleAtom *a;
  IsleAtom *b;
  Compute  *compute;
  guint     calls_before;
} Burst;

static gboolean
burst_cb (gpointer user_data)
{
  Burst *burst = user_data;

  burst->calls_before = burst->compute->calls;
  for (int i = 1; i <= 1000; i++)
    {
      isle_atom_set_int (burst->a, i);
      isle_atom_set_int (burst->b, -i / 2);
    }

  /* Nothing recomputed inside this main-loop turn. */
  g_assert_cmpuint (burst->compute->calls, ==, burst->calls_before);

  return G_SOURCE_REMOVE;
}

/* 2000 changes of its sources in one main-loop turn: one recomputation
 * and one notification, from the main context. */
static void
test_computed_batched (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Probe probe = { .log = log, .tag = "C", .quit_loop = loop };
  IsleAtom *a = isle_atom_new_int ("burst-a", 0);
  IsleAtom *b = isle_atom_new_int ("burst-b", 0);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("burst", a, b, &compute);
  Burst burst = { a, b, &compute };
  guint notified = 0;
  gboolean batched = FALSE;

  g_assert_false (isle_computed_get_batched (sum));
  g_signal_connect (sum, "notify::batched", G_CALLBACK (count_notify_cb), &notified);
  g_object_set (sum, "batched", TRUE, NULL);
  isle_computed_set_batched (sum, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (sum, "batched", &batched, NULL);
  g_assert_true (batched);

  isle_store_listen (ISLE_STORE (sum), probe_cb, &probe, NULL);
  g_assert_cmpuint (compute.calls, ==, 1);

  g_idle_add (burst_cb, &burst);
  run_loop_guarded (loop, 5000);
  drain_default_context ();

  g_assert_cmpuint (burst.calls_before, ==, 1);
  g_assert_cmpuint (compute.calls, ==, 2);
  g_assert_cmpuint (probe.calls, ==, 1);
  assert_log (log, "C:500<0");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 500);
  g_assert_cmpuint (compute.calls, ==, 2);

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  compute_clear (&compute);
}

/* Read before its idle recomputation ran: the value is already right, and
 * the changes are not computed or announced twice. */
static void
test_computed_batched_get (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("batched-get-a", 0);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("batched-get", a, NULL, &compute);

  isle_computed_set_batched (sum, TRUE);
  isle_store_listen (ISLE_STORE (sum), probe_cb, &probe, NULL);

  isle_atom_set_int (a, 1);
  isle_atom_set_int (a, 2);
  g_assert_cmpuint (compute.calls, ==, 1);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 2);
  g_assert_cmpuint (compute.calls, ==, 2);

  drain_default_context ();
  g_assert_cmpuint (compute.calls, ==, 2);
  assert_log (log, "C:2<0");

  /* Turning batching off recomputes what was pending at once. */
  isle_atom_set_int (a, 3);
  isle_computed_set_batched (sum, FALSE);
  assert_log (log, "C:3<2");
  isle_atom_set_int (a, 4);
  assert_log (log, "C:4<3");
  drain_default_context ();
  assert_log (log, "");
  g_assert_cmpuint (compute.calls, ==, 4);

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  compute_clear (&compute);
}

/* }}} */

/* Failures and bad input {{{ */

static void
test_computed_failure (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("failing-a", 1);
  Compute compute = { .fail_negative = TRUE };
  IsleComputed *sum = sum_new ("failing", a, NULL, &compute);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 1);

  /* Reported once; the last good value stays. */
  isle_atom_set_int (a, -1);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*computed store “failing” failed*");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (compute.calls, ==, 2);

  isle_atom_set_int (a, -2);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 1);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 1);
  g_assert_cmpuint (compute.calls, ==, 3);

  /* And it recovers. */
  isle_atom_set_int (a, 2);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 2);

  /* While listened to: no notification for a failed recomputation. */
  isle_store_listen (ISLE_STORE (sum), probe_cb, &probe, NULL);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*computed store “failing” failed*");
  isle_atom_set_int (a, -3);
  g_test_assert_expected_messages ();
  isle_atom_set_int (a, -4);
  assert_log (log, "");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 2);
  isle_atom_set_int (a, 4);
  assert_log (log, "C:4<2");

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  compute_clear (&compute);
}

static void
test_computed_wrong_type (void)
{
  IsleAtom *a = isle_atom_new_int ("typed-a", 5);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("typed", a, NULL, &compute);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 5);

  isle_atom_set_int (a, 99);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*computed store “typed” failed*");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 5);
  g_test_assert_expected_messages ();

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  compute_clear (&compute);
}

/* A failure in the very first computation: the store has its type's
 * default value, and is still of its type. */
static void
test_computed_first_failure (void)
{
  IsleAtom *a = isle_atom_new_int ("first-failure-a", -1);
  Compute compute = { .fail_negative = TRUE };
  IsleComputed *sum = sum_new ("first-failure", a, NULL, &compute);
  g_autoptr(GVariant) value = NULL;

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*computed store “first-failure” failed*");
  value = isle_store_get_value (ISLE_STORE (sum));
  g_test_assert_expected_messages ();
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32));
  g_assert_cmpint (g_variant_get_int32 (value), ==, 0);

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  compute_clear (&compute);
}

static void
test_computed_read_only (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "C" };
  IsleAtom *a = isle_atom_new_int ("read-only-a", 1);
  Compute compute = { 0 };
  IsleComputed *sum = sum_new ("read-only", a, NULL, &compute);
  guint notified = 0;

  isle_store_listen (ISLE_STORE (sum), probe_cb, &probe, NULL);
  g_signal_connect (sum, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*computed store “read-only”*is read-only*");
  g_object_set (sum, "value", g_variant_new_int32 (42), NULL);
  g_test_assert_expected_messages ();

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (sum)), ==, 1);
  g_assert_cmpuint (notified, ==, 0);
  assert_log (log, "");

  g_assert_finalize_object (sum);
  g_assert_finalize_object (a);
  compute_clear (&compute);
}

static void
test_computed_bad_arguments (void)
{
  IsleAtom *a = isle_atom_new_int ("bad-a", 1);
  IsleStore *sources[] = { ISLE_STORE (a) };
  Compute compute = { 0 };
  IsleComputed *computed;

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*func != NULL*");
  computed = isle_computed_new ("no-func", G_VARIANT_TYPE_INT32, sources, 1, NULL, NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (computed);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*sources != NULL*");
  computed = isle_computed_new ("no-sources", G_VARIANT_TYPE_INT32, NULL, 1, sum_cb, &compute, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (computed);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*definite*");
  computed = isle_computed_new ("indefinite", G_VARIANT_TYPE_ANY, sources, 1, sum_cb, &compute, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (computed);

  g_assert_cmpuint (compute.calls, ==, 0);
  g_assert_finalize_object (a);
}

static GVariant *
first_source_cb (GVariant *values,
                 gpointer  user_data)
{
  guint *calls = user_data;

  (*calls)++;

  /* A new, full (not floating) reference: the common case for a value
   * taken from the sources, and what a Python function returns. */
  return g_variant_get_child_value (values, 0);
}

/* A function that returns a full reference (as its (transfer full)
 * annotation allows) must not leak the value. */
static void
test_computed_values_freed (void)
{
  guint freed = 0;
  guint calls = 0;
  IsleAtom *a = isle_atom_new ("freed-a", G_VARIANT_TYPE_INT32, tracked_int (1, &freed));
  IsleStore *sources[] = { ISLE_STORE (a) };
  IsleComputed *mirror = isle_computed_new ("freed", G_VARIANT_TYPE_INT32, sources, 1,
                                            first_source_cb, &calls, NULL);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 1);
  isle_atom_set (a, tracked_int (2, &freed));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 2);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (freed, ==, 1);

  g_assert_finalize_object (mirror);
  g_assert_finalize_object (a);
  g_assert_cmpuint (freed, ==, 2);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Computed/lazy", test_computed_lazy);
  g_test_add_func ("/Isle/Computed/version", test_computed_version);
  g_test_add_func ("/Isle/Computed/values-tuple", test_computed_values_tuple);
  g_test_add_func ("/Isle/Computed/chain", test_computed_chain);
  g_test_add_func ("/Isle/Computed/chain-lazy", test_computed_chain_lazy);
  g_test_add_func ("/Isle/Computed/diamond", test_computed_diamond);

  g_test_add_func ("/Isle/Computed/listeners", test_computed_listeners);
  g_test_add_func ("/Isle/Computed/start-fresh", test_computed_start_fresh);
  g_test_add_func ("/Isle/Computed/store-batch", test_computed_store_batch);
  g_test_add_func ("/Isle/Computed/dispose", test_computed_dispose);

  g_test_add_func ("/Isle/Computed/batched", test_computed_batched);
  g_test_add_func ("/Isle/Computed/batched-get", test_computed_batched_get);

  g_test_add_func ("/Isle/Computed/failure", test_computed_failure);
  g_test_add_func ("/Isle/Computed/wrong-type", test_computed_wrong_type);
  g_test_add_func ("/Isle/Computed/first-failure", test_computed_first_failure);
  g_test_add_func ("/Isle/Computed/read-only", test_computed_read_only);
  g_test_add_func ("/Isle/Computed/bad-arguments", test_computed_bad_arguments);
  g_test_add_func ("/Isle/Computed/values-freed", test_computed_values_freed);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
