/* test-atom.c: unit tests for IsleAtom and the IsleStore behaviour it shares
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tests run with warnings and criticals fatal (G_DEBUG=fatal-warnings): a
 * message reported where none was expected aborts the test, so every
 * g_test_expect_message() below also proves "reported once". Every test
 * ends with g_assert_finalize_object() to prove that nothing kept a
 * reference to a store, and values built with tracked_int() prove that
 * nothing kept a reference to a value.
 */

#include <math.h>
#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Helpers {{{ */

/* A probe is one listener. The probes of a test share one log; each call
 * appends "TAG:NEW<OLD" (OLD is "-" for a subscriber's first call), so the
 * order of the calls across listeners is checked with one compare. A probe
 * may also act when it is called, for the reentrancy tests. */
typedef struct _Probe Probe;

struct _Probe
{
  GString    *log;
  const char *tag;
  guint       calls;
  guint       destroyed;
  gboolean    inside;

  int         set_below;      /* sets value + 1 while value < set_below */
  guint       remove_handle;  /* unsubscribes it at the next call */
  Probe      *add_probe;      /* adds it (once) at the next call */
  gboolean    add_subscribe;  /* ... with subscribe rather than listen */
  guint       added_handle;
  gboolean    unref_store;    /* drops a reference to the store (once) */
};

static void
log_call (GString    *log,
          const char *tag,
          GVariant   *value,
          GVariant   *old_value)
{
  g_autofree char *new_text = value != NULL ? g_variant_print (value, FALSE) : g_strdup ("-");
  g_autofree char *old_text = old_value != NULL ? g_variant_print (old_value, FALSE) : g_strdup ("-");

  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append_printf (log, "%s:%s<%s", tag, new_text, old_text);
}

static void
probe_cb (IsleStore *store,
          GVariant  *value,
          GVariant  *old_value,
          gpointer   user_data)
{
  Probe *probe = user_data;

  g_assert_true (ISLE_IS_STORE (store));
  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, isle_store_get_value_type (store)));
  g_assert_true (old_value == NULL ||
                 g_variant_is_of_type (old_value, isle_store_get_value_type (store)));

  probe->calls++;
  log_call (probe->log, probe->tag, value, old_value);
}

static void
probe_destroy (gpointer user_data)
{
  Probe *probe = user_data;

  /* The data of a listener goes only once it is no longer running. */
  g_assert_false (probe->inside);
  probe->destroyed++;
}

static void
actor_cb (IsleStore *store,
          GVariant  *value,
          GVariant  *old_value,
          gpointer   user_data)
{
  Probe *probe = user_data;

  probe->inside = TRUE;
  probe_cb (store, value, old_value, user_data);

  if (probe->set_below != 0 && g_variant_get_int32 (value) < probe->set_below)
    isle_atom_set_int (ISLE_ATOM (store), g_variant_get_int32 (value) + 1);

  if (probe->remove_handle != 0)
    {
      guint handle = probe->remove_handle;

      probe->remove_handle = 0;
      isle_store_unsubscribe (store, handle);
    }

  if (probe->add_probe != NULL)
    {
      Probe *added = g_steal_pointer (&probe->add_probe);

      if (probe->add_subscribe)
        probe->added_handle = isle_store_subscribe (store, probe_cb, added, NULL);
      else
        probe->added_handle = isle_store_listen (store, probe_cb, added, NULL);
    }

  probe->inside = FALSE;

  if (probe->unref_store)
    {
      probe->unref_store = FALSE;
      g_object_unref (store);
    }
}

/* The lifecycle signals of one store, and a main loop to wait for them. */
typedef struct
{
  GString   *log;
  guint      starts;
  guint      stops;
  int        start_value;
  GMainLoop *loop;
  gboolean   timed_out;
} Lifecycle;

static void
start_cb (IsleStore *store,
          gpointer   user_data)
{
  Lifecycle *lifecycle = user_data;

  lifecycle->starts++;
  if (lifecycle->log != NULL)
    {
      if (lifecycle->log->len > 0)
        g_string_append_c (lifecycle->log, ' ');
      g_string_append (lifecycle->log, "start");
    }

  /* The start hook of nanostores' onMount: it may set the value. */
  if (lifecycle->start_value != 0)
    isle_atom_set_int (ISLE_ATOM (store), lifecycle->start_value);
}

static void
stop_cb (IsleStore *store,
         gpointer   user_data)
{
  Lifecycle *lifecycle = user_data;

  lifecycle->stops++;
  if (lifecycle->loop != NULL)
    g_main_loop_quit (lifecycle->loop);
}

static gboolean
lifecycle_guard_cb (gpointer user_data)
{
  Lifecycle *lifecycle = user_data;

  lifecycle->timed_out = TRUE;
  g_main_loop_quit (lifecycle->loop);

  return G_SOURCE_REMOVE;
}

static void
lifecycle_connect (Lifecycle *lifecycle,
                   IsleAtom  *atom)
{
  g_signal_connect (atom, "start", G_CALLBACK (start_cb), lifecycle);
  g_signal_connect (atom, "stop", G_CALLBACK (stop_cb), lifecycle);
}

/* Runs the main loop until the store stops, failing after a guard time. */
static void
wait_for_stop (Lifecycle *lifecycle,
               guint      guard_ms)
{
  guint guard;

  lifecycle->loop = g_main_loop_new (NULL, FALSE);
  lifecycle->timed_out = FALSE;
  guard = g_timeout_add (guard_ms, lifecycle_guard_cb, lifecycle);

  g_main_loop_run (lifecycle->loop);

  g_assert_false (lifecycle->timed_out);
  g_source_remove (guard);
  g_clear_pointer (&lifecycle->loop, g_main_loop_unref);
}

/* Runs the main loop for @ms milliseconds (a stop quits it early). */
static void
run_for (Lifecycle *lifecycle,
         guint      ms)
{
  guint timer;

  lifecycle->loop = g_main_loop_new (NULL, FALSE);
  lifecycle->timed_out = FALSE;
  timer = g_timeout_add (ms, lifecycle_guard_cb, lifecycle);

  g_main_loop_run (lifecycle->loop);

  if (!lifecycle->timed_out)
    g_source_remove (timer);
  g_clear_pointer (&lifecycle->loop, g_main_loop_unref);
}

/* }}} */

/* Values and accessors {{{ */

static void
test_atom_typed (void)
{
  IsleAtom *b = isle_atom_new_boolean ("b", TRUE);
  IsleAtom *i = isle_atom_new_int ("i", -7);
  IsleAtom *x = isle_atom_new_int64 ("x", G_GINT64_CONSTANT (1) << 40);
  IsleAtom *d = isle_atom_new_double ("d", 2.5);
  IsleAtom *s = isle_atom_new_string ("s", "héllo");
  IsleAtom *unnamed = isle_atom_new_string (NULL, NULL);
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;
  g_autoptr(GVariant) value = NULL;
  GVariantType *type = NULL;

  g_assert_cmpstr (isle_store_get_name (ISLE_STORE (b)), ==, "b");
  g_assert_null (isle_store_get_name (ISLE_STORE (unnamed)));

  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (b)), G_VARIANT_TYPE_BOOLEAN));
  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (i)), G_VARIANT_TYPE_INT32));
  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (x)), G_VARIANT_TYPE_INT64));
  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (d)), G_VARIANT_TYPE_DOUBLE));
  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (s)), G_VARIANT_TYPE_STRING));

  g_object_get (i, "value-type", &type, NULL);
  g_assert_true (g_variant_type_equal (type, G_VARIANT_TYPE_INT32));
  g_variant_type_free (type);

  g_assert_true (isle_store_get_boolean (ISLE_STORE (b)));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (i)), ==, -7);
  g_assert_cmpint (isle_store_get_int64 (ISLE_STORE (x)), ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (d)), ==, 2.5);
  text = isle_store_dup_string (ISLE_STORE (s));
  g_assert_cmpstr (text, ==, "héllo");
  g_clear_pointer (&text, g_free);
  empty = isle_store_dup_string (ISLE_STORE (unnamed));
  g_assert_cmpstr (empty, ==, "");

  value = isle_store_get_value (ISLE_STORE (i));
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32));
  g_assert_cmpint (g_variant_get_int32 (value), ==, -7);
  g_clear_pointer (&value, g_variant_unref);

  isle_atom_set_boolean (b, FALSE);
  isle_atom_set_int (i, G_MAXINT32);
  isle_atom_set_int64 (x, G_MININT64);
  isle_atom_set_double (d, -1e300);
  isle_atom_set_string (s, "world");

  g_assert_false (isle_store_get_boolean (ISLE_STORE (b)));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (i)), ==, G_MAXINT32);
  g_assert_cmpint (isle_store_get_int64 (ISLE_STORE (x)), ==, G_MININT64);
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (d)), ==, -1e300);
  text = isle_store_dup_string (ISLE_STORE (s));
  g_assert_cmpstr (text, ==, "world");

  /* The generic setter and the value property hold the same value. */
  isle_atom_set (i, g_variant_new_int32 (12));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (i)), ==, 12);
  g_object_set (i, "value", g_variant_new_int32 (13), NULL);
  g_object_get (i, "value", &value, NULL);
  g_assert_cmpint (g_variant_get_int32 (value), ==, 13);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (i)), ==, 13);

  g_assert_finalize_object (b);
  g_assert_finalize_object (i);
  g_assert_finalize_object (x);
  g_assert_finalize_object (d);
  g_assert_finalize_object (s);
  g_assert_finalize_object (unnamed);
}

static void
test_atom_default_values (void)
{
  const struct {
    const char *type;
    const char *zero;
  } cases[] = {
    { "b", "false" },
    { "i", "0" },
    { "x", "int64 0" },
    { "d", "0.0" },
    { "s", "''" },
    { "(ii)", "(0, 0)" },
    { "(sb)", "('', false)" },
    { "as", "@as []" },
    { "a{sv}", "@a{sv} {}" },
  };

  for (guint n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      IsleAtom *atom = isle_atom_new (cases[n].type, G_VARIANT_TYPE (cases[n].type), NULL);
      g_autoptr(GVariant) value = isle_store_get_value (ISLE_STORE (atom));
      g_autoptr(GVariant) zero = g_variant_parse (NULL, cases[n].zero, NULL, NULL, NULL);

      g_test_message ("type %s", cases[n].type);
      g_assert_nonnull (zero);
      g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE (cases[n].type)));
      g_assert_true (g_variant_equal (value, zero));
      g_assert_false (g_variant_is_floating (value));

      g_clear_pointer (&value, g_variant_unref);
      g_assert_finalize_object (atom);
    }
}

/* The initial value is the one given (not a copy), and a value given as
 * a floating reference is sunk. */
static void
test_atom_initial_value (void)
{
  g_autoptr(GVariant) initial = g_variant_ref_sink (g_variant_new ("(si)", "x", 1));
  IsleAtom *atom = isle_atom_new ("pair", G_VARIANT_TYPE ("(si)"), initial);
  g_autoptr(GVariant) value = isle_store_get_value (ISLE_STORE (atom));

  g_assert_true (value == initial);
  g_assert_false (g_variant_is_floating (value));

  g_clear_pointer (&value, g_variant_unref);
  g_assert_finalize_object (atom);
}

/* Every value a store was given is freed once the store no longer needs
 * it: the stored one, the replaced ones, an equal one that was dropped,
 * and the ones handed to listeners. */
static void
test_atom_values_freed (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "A" };
  guint freed = 0;
  IsleAtom *atom = isle_atom_new ("tracked", G_VARIANT_TYPE_INT32, tracked_int (1, &freed));
  g_autoptr(GError) error = NULL;

  isle_store_subscribe (ISLE_STORE (atom), probe_cb, &probe, NULL);
  assert_log (log, "A:1<-");

  isle_atom_set (atom, tracked_int (2, &freed));
  g_assert_cmpuint (freed, ==, 1);
  g_assert_true (isle_atom_try_set (atom, tracked_int (3, &freed), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (freed, ==, 2);
  g_object_set (atom, "value", tracked_int (4, &freed), NULL);
  g_assert_cmpuint (freed, ==, 3);
  assert_log (log, "A:2<1 A:3<2 A:4<3");

  /* Equal: dropped at once, the current value kept. */
  isle_atom_set (atom, tracked_int (4, &freed));
  g_assert_cmpuint (freed, ==, 4);
  assert_log (log, "");

  g_assert_finalize_object (atom);
  g_assert_cmpuint (freed, ==, 5);
}

/* }}} */

/* Listeners {{{ */

static void
test_atom_subscribe (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("count", 1);
  guint handle;

  /* Called at once with the current value and no old value. */
  handle = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &probe, probe_destroy);
  g_assert_cmpuint (handle, !=, 0);
  assert_log (log, "A:1<-");

  isle_atom_set_int (atom, 2);
  assert_log (log, "A:2<1");

  /* Equal: no call. */
  isle_atom_set_int (atom, 2);
  assert_log (log, "");

  isle_atom_set_int (atom, 3);
  assert_log (log, "A:3<2");

  g_assert_cmpuint (probe.destroyed, ==, 0);
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  g_assert_cmpuint (probe.destroyed, ==, 1);

  isle_atom_set_int (atom, 4);
  assert_log (log, "");

  g_assert_finalize_object (atom);
  g_assert_cmpuint (probe.destroyed, ==, 1);
  g_assert_cmpuint (probe.calls, ==, 3);
}

static void
test_atom_listen (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe probe = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_string ("name", "a");
  guint handle;

  /* Changes only: no call at once. */
  handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &probe, probe_destroy);
  g_assert_cmpuint (handle, !=, 0);
  assert_log (log, "");

  isle_atom_set_string (atom, "b");
  assert_log (log, "A:'b'<'a'");
  isle_atom_set_string (atom, "b");
  assert_log (log, "");
  isle_atom_set_string (atom, "c");
  assert_log (log, "A:'c'<'b'");

  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  g_assert_cmpuint (probe.destroyed, ==, 1);
  isle_atom_set_string (atom, "d");
  assert_log (log, "");

  g_assert_finalize_object (atom);
}

static void
test_atom_handles (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  IsleAtom *atom = isle_atom_new_int ("handles", 0);
  guint n_listeners_notify = 0;
  guint ha, hb, hc;
  guint n_listeners = 0;

  g_signal_connect (atom, "notify::n-listeners", G_CALLBACK (count_notify_cb), &n_listeners_notify);

  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  ha = isle_store_listen (ISLE_STORE (atom), probe_cb, &a, probe_destroy);
  hb = isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);
  hc = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &c, probe_destroy);
  assert_log (log, "C:0<-");

  g_assert_cmpuint (ha, !=, 0);
  g_assert_cmpuint (hb, !=, 0);
  g_assert_cmpuint (hc, !=, 0);
  g_assert_cmpuint (ha, !=, hb);
  g_assert_cmpuint (hb, !=, hc);
  g_assert_cmpuint (ha, !=, hc);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 3);
  g_object_get (atom, "n-listeners", &n_listeners, NULL);
  g_assert_cmpuint (n_listeners, ==, 3);
  g_assert_cmpuint (n_listeners_notify, ==, 3);

  /* Each handle removes its own listener, and only that one. */
  isle_store_unsubscribe (ISLE_STORE (atom), hb);
  g_assert_cmpuint (b.destroyed, ==, 1);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 2);
  g_assert_cmpuint (n_listeners_notify, ==, 4);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 C:1<0");

  /* A handle is not reused after its listener went. */
  hb = isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);
  g_assert_cmpuint (hb, !=, ha);
  g_assert_cmpuint (hb, !=, hc);
  isle_store_unsubscribe (ISLE_STORE (atom), hb);

  /* The listeners still there at the end are freed with the store. */
  g_assert_finalize_object (atom);
  g_assert_cmpuint (a.destroyed, ==, 1);
  g_assert_cmpuint (b.destroyed, ==, 1);
  g_assert_cmpuint (c.destroyed, ==, 1);
}

static void
test_atom_notify_value (void)
{
  IsleAtom *atom = isle_atom_new_int ("notify", 0);
  guint notified = 0;
  g_autoptr(GVariant) value = NULL;

  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  isle_atom_set_int (atom, 1);
  isle_atom_set_int (atom, 2);
  g_assert_cmpuint (notified, ==, 2);

  /* Equal sets, from any entry point, do not notify. */
  isle_atom_set_int (atom, 2);
  isle_atom_set (atom, g_variant_new_int32 (2));
  g_object_set (atom, "value", g_variant_new_int32 (2), NULL);
  g_assert_cmpuint (notified, ==, 2);

  g_object_set (atom, "value", g_variant_new_int32 (3), NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_object_get (atom, "value", &value, NULL);
  g_assert_cmpint (g_variant_get_int32 (value), ==, 3);

  /* Notifying without listeners does not start the store. */
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));

  g_assert_finalize_object (atom);
}

static void
test_atom_bind_property (void)
{
  IsleAtom *a = isle_atom_new_int ("a", 1);
  IsleAtom *b = isle_atom_new_int ("b", 0);
  guint notified_a = 0;
  guint notified_b = 0;
  GBinding *binding;

  binding = g_object_bind_property (a, "value", b, "value",
                                    G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (b)), ==, 1);

  g_signal_connect (a, "notify::value", G_CALLBACK (count_notify_cb), &notified_a);
  g_signal_connect (b, "notify::value", G_CALLBACK (count_notify_cb), &notified_b);

  isle_atom_set_int (a, 5);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (b)), ==, 5);
  g_assert_cmpuint (notified_a, ==, 1);
  g_assert_cmpuint (notified_b, ==, 1);

  isle_atom_set_int (b, 7);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (a)), ==, 7);
  g_assert_cmpuint (notified_a, ==, 2);
  g_assert_cmpuint (notified_b, ==, 2);

  isle_atom_set_int (a, 7);
  g_assert_cmpuint (notified_a, ==, 2);
  g_assert_cmpuint (notified_b, ==, 2);

  g_binding_unbind (binding);
  isle_atom_set_int (a, 9);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (b)), ==, 7);

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

/* An atom feeds, and is fed by, an ordinary GVariant property: the state of
 * a stateful GAction. */
static void
test_atom_bind_variant_property (void)
{
  IsleAtom *zoom = isle_atom_new_int ("zoom", 100);
  IsleAtom *mirror = isle_atom_new_int ("mirror", 0);
  GSimpleAction *action = g_simple_action_new_stateful ("zoom", NULL, g_variant_new_int32 (0));
  g_autoptr(GVariant) state = NULL;

  g_object_bind_property (zoom, "value", action, "state", G_BINDING_SYNC_CREATE);
  g_object_bind_property (action, "state", mirror, "value", G_BINDING_SYNC_CREATE);

  state = g_action_get_state (G_ACTION (action));
  g_assert_cmpint (g_variant_get_int32 (state), ==, 100);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 100);
  g_clear_pointer (&state, g_variant_unref);

  isle_atom_set_int (zoom, 150);
  state = g_action_get_state (G_ACTION (action));
  g_assert_cmpint (g_variant_get_int32 (state), ==, 150);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 150);
  g_clear_pointer (&state, g_variant_unref);

  g_simple_action_set_state (action, g_variant_new_int32 (200));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 200);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (zoom)), ==, 150);

  g_assert_finalize_object (action);
  g_assert_finalize_object (zoom);
  g_assert_finalize_object (mirror);
}

/* }}} */

/* Notification rules {{{ */

static void
test_atom_order (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  Probe d = { .log = log, .tag = "D" };
  IsleAtom *atom = isle_atom_new_int ("order", 0);
  guint hb;

  isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, NULL);
  hb = isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);
  isle_store_subscribe (ISLE_STORE (atom), probe_cb, &c, NULL);
  assert_log (log, "A:0<- C:0<-");

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 B:1<0 C:1<0");

  isle_store_unsubscribe (ISLE_STORE (atom), hb);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &d, NULL);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);
  isle_atom_set_int (atom, 2);
  assert_log (log, "A:2<1 C:2<1 D:2<1 B:2<1");

  g_assert_finalize_object (atom);
}

static void
test_atom_add_during_notification (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe n = { .log = log, .tag = "N" };
  Probe s = { .log = log, .tag = "S" };
  Probe a = { .log = log, .tag = "A", .add_probe = &n };
  Probe b = { .log = log, .tag = "B" };
  Probe a2 = { .log = log, .tag = "A", .add_probe = &s, .add_subscribe = TRUE };
  IsleAtom *atom = isle_atom_new_int ("add", 0);
  IsleAtom *atom2 = isle_atom_new_int ("add-subscribe", 0);

  /* A listener added by A while 1 is delivered does not hear 1, not even
   * though B, behind it, still does. */
  isle_store_listen (ISLE_STORE (atom), actor_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);
  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 B:1<0");
  g_assert_cmpuint (a.added_handle, !=, 0);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 3);

  isle_atom_set_int (atom, 2);
  assert_log (log, "A:2<1 B:2<1 N:2<1");

  /* A subscriber added during a notification gets its first call at once,
   * with the value, and not the notification as a second call. */
  isle_store_listen (ISLE_STORE (atom2), actor_cb, &a2, NULL);
  isle_store_listen (ISLE_STORE (atom2), probe_cb, &b, NULL);
  isle_atom_set_int (atom2, 1);
  assert_log (log, "A:1<0 S:1<- B:1<0");
  isle_atom_set_int (atom2, 2);
  assert_log (log, "A:2<1 B:2<1 S:2<1");

  g_assert_finalize_object (atom);
  g_assert_finalize_object (atom2);
}

static void
test_atom_remove_during_notification (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  IsleAtom *atom = isle_atom_new_int ("remove", 0);
  guint ha;

  /* A removes B, which was already due for this change: B is not called. */
  ha = isle_store_listen (ISLE_STORE (atom), actor_cb, &a, probe_destroy);
  a.remove_handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), actor_cb, &c, NULL);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 C:1<0");
  g_assert_cmpuint (b.calls, ==, 0);
  g_assert_cmpuint (b.destroyed, ==, 1);

  isle_atom_set_int (atom, 2);
  assert_log (log, "A:2<1 C:2<1");

  /* C removes A, which was already called for this change: from the next
   * change on, only C hears. */
  c.remove_handle = ha;
  isle_atom_set_int (atom, 3);
  assert_log (log, "A:3<2 C:3<2");
  g_assert_cmpuint (a.destroyed, ==, 1);
  isle_atom_set_int (atom, 4);
  assert_log (log, "C:4<3");

  g_assert_finalize_object (atom);
}

/* A listener removed while two changes are queued for it (the second made
 * by an earlier listener) hears neither. */
static void
test_atom_remove_while_queued (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A", .set_below = 2 };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  IsleAtom *atom = isle_atom_new_int ("queued", 0);

  isle_store_listen (ISLE_STORE (atom), actor_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (atom), actor_cb, &b, NULL);
  b.remove_handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &c, probe_destroy);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 B:1<0 A:2<1 B:2<1");
  g_assert_cmpuint (c.calls, ==, 0);
  g_assert_cmpuint (c.destroyed, ==, 1);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 2);

  g_assert_finalize_object (atom);
}

/* A set inside a listener is queued behind the current round: every
 * listener sees every value, in order. */
static void
test_atom_set_in_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A", .set_below = 3 };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  IsleAtom *atom = isle_atom_new_int ("reentrant", 0);
  guint notified = 0;

  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  isle_store_listen (ISLE_STORE (atom), actor_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);
  isle_store_subscribe (ISLE_STORE (atom), probe_cb, &c, NULL);
  assert_log (log, "C:0<-");

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 B:1<0 C:1<0 A:2<1 B:2<1 C:2<1 A:3<2 B:3<2 C:3<2");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 3);
  g_assert_cmpuint (notified, ==, 3);

  g_assert_finalize_object (atom);
}

/* A listener of one atom that sets another: the second atom's listeners
 * are called after the first atom's round. */
static void
test_atom_set_other_in_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleAtom *first = isle_atom_new_int ("first", 0);
  IsleAtom *second = isle_atom_new_int ("second", 0);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  Probe s = { .log = log, .tag = "S" };
  GBinding *binding;

  isle_store_listen (ISLE_STORE (first), probe_cb, &a, NULL);
  binding = g_object_bind_property (first, "value", second, "value", G_BINDING_DEFAULT);
  isle_store_listen (ISLE_STORE (first), probe_cb, &b, NULL);
  isle_store_listen (ISLE_STORE (second), probe_cb, &s, NULL);

  isle_atom_set_int (first, 1);
  assert_log (log, "A:1<0 B:1<0 S:1<0");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (second)), ==, 1);

  g_binding_unbind (binding);
  g_assert_finalize_object (first);
  g_assert_finalize_object (second);
}

static void
test_atom_same_callback_twice (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("twice", 0);
  guint first, second;

  first = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, probe_destroy);
  second = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, probe_destroy);
  g_assert_cmpuint (first, !=, second);
  assert_log (log, "A:0<- A:0<-");

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 A:1<0");

  isle_store_unsubscribe (ISLE_STORE (atom), first);
  g_assert_cmpuint (a.destroyed, ==, 1);
  isle_atom_set_int (atom, 2);
  assert_log (log, "A:2<1");

  g_assert_finalize_object (atom);
  g_assert_cmpuint (a.destroyed, ==, 2);
}

/* }}} */

/* Equality {{{ */

static void
test_atom_equal_double (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "D" };
  IsleAtom *atom = isle_atom_new_double ("double", NAN);
  IsleAtom *pair = isle_atom_new ("pair", G_VARIANT_TYPE ("(dd)"), g_variant_new ("(dd)", NAN, 0.0));
  guint notified = 0;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  /* Like Object.is: NaN equals NaN ... */
  isle_atom_set_double (atom, NAN);
  isle_atom_set_double (atom, -NAN);
  assert_log (log, "");

  /* ... and 0 differs from -0. */
  isle_atom_set_double (atom, 0.0);
  assert_log (log, "D:0.0<nan");
  isle_atom_set_double (atom, -0.0);
  assert_log (log, "D:-0.0<0.0");
  isle_atom_set_double (atom, -0.0);
  assert_log (log, "");
  isle_atom_set_double (atom, 0.0);
  assert_log (log, "D:0.0<-0.0");
  isle_atom_set_double (atom, 1.5);
  isle_atom_set_double (atom, 1.5);
  assert_log (log, "D:1.5<0.0");
  g_assert_cmpuint (notified, ==, 4);
  g_assert_false (signbit (isle_store_get_double (ISLE_STORE (atom))));

  /* Doubles inside other values compare the same way. */
  isle_store_listen (ISLE_STORE (pair), probe_cb, &a, NULL);
  isle_atom_set (pair, g_variant_new ("(dd)", NAN, 0.0));
  assert_log (log, "");
  isle_atom_set (pair, g_variant_new ("(dd)", NAN, -0.0));
  assert_log (log, "D:(nan, -0.0)<(nan, 0.0)");

  g_assert_finalize_object (atom);
  g_assert_finalize_object (pair);
}

static void
test_atom_equal_string (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "S" };
  IsleAtom *atom = isle_atom_new_string ("string", "hello");
  char *copy = g_strdup ("hello");

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);

  /* By value, not by pointer. */
  isle_atom_set_string (atom, copy);
  isle_atom_set (atom, g_variant_new_take_string (copy));
  assert_log (log, "");

  isle_atom_set_string (atom, "Hello");
  assert_log (log, "S:'Hello'<'hello'");

  g_assert_finalize_object (atom);
}

static GVariant *
build_dict (const char *name,
            int         count)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "count", "i", count);

  return g_variant_dict_end (&dict);
}

static void
test_atom_equal_variant (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "V" };
  IsleAtom *tuple = isle_atom_new ("tuple", G_VARIANT_TYPE ("(is)"), g_variant_new ("(is)", 1, "x"));
  IsleAtom *dict = isle_atom_new ("dict", G_VARIANT_TYPE_VARDICT, build_dict ("a", 1));

  isle_store_listen (ISLE_STORE (tuple), probe_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (dict), probe_cb, &a, NULL);

  isle_atom_set (tuple, g_variant_new ("(is)", 1, "x"));
  isle_atom_set (tuple, g_variant_new_parsed ("(1, 'x')"));
  isle_atom_set (dict, build_dict ("a", 1));
  assert_log (log, "");

  isle_atom_set (tuple, g_variant_new ("(is)", 1, "y"));
  assert_log (log, "V:(1, 'y')<(1, 'x')");
  isle_atom_set (dict, build_dict ("a", 2));
  g_assert_cmpuint (a.calls, ==, 2);

  g_assert_finalize_object (tuple);
  g_assert_finalize_object (dict);
}

typedef struct
{
  guint calls;
  guint destroyed;
} EqualData;

static gboolean
casefold_equal (GVariant *a,
                GVariant *b,
                gpointer  user_data)
{
  EqualData *data = user_data;

  data->calls++;

  return g_ascii_strcasecmp (g_variant_get_string (a, NULL), g_variant_get_string (b, NULL)) == 0;
}

static void
equal_data_destroy (gpointer user_data)
{
  EqualData *data = user_data;

  data->destroyed++;
}

/* A set judged equal by the store's own equality keeps the OLD value: the
 * very same GVariant, not the one given. */
static void
test_atom_equal_func (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "G" };
  g_autoptr(GVariant) initial = g_variant_ref_sink (g_variant_new_string ("Hello"));
  g_autoptr(GVariant) value = NULL;
  IsleAtom *atom = isle_atom_new ("greeting", G_VARIANT_TYPE_STRING, initial);
  EqualData data = { 0 };
  EqualData other = { 0 };
  guint notified = 0;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);
  isle_store_set_equal_func (ISLE_STORE (atom), casefold_equal, &data, equal_data_destroy);

  isle_atom_set_string (atom, "HELLO");
  g_assert_cmpuint (data.calls, >=, 1);
  assert_log (log, "");
  g_assert_cmpuint (notified, ==, 0);
  value = isle_store_get_value (ISLE_STORE (atom));
  g_assert_true (value == initial);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "Hello");
  g_clear_pointer (&value, g_variant_unref);

  isle_atom_set_string (atom, "World");
  assert_log (log, "G:'World'<'Hello'");
  g_assert_cmpuint (notified, ==, 1);

  /* Replacing the function frees the old data; NULL restores the default
   * equality. */
  isle_store_set_equal_func (ISLE_STORE (atom), casefold_equal, &other, equal_data_destroy);
  g_assert_cmpuint (data.destroyed, ==, 1);
  isle_store_set_equal_func (ISLE_STORE (atom), NULL, NULL, NULL);
  g_assert_cmpuint (other.destroyed, ==, 1);

  isle_atom_set_string (atom, "WORLD");
  assert_log (log, "G:'WORLD'<'World'");

  /* The data still set at the end goes with the store. */
  isle_store_set_equal_func (ISLE_STORE (atom), casefold_equal, &data, equal_data_destroy);
  g_assert_finalize_object (atom);
  g_assert_cmpuint (data.destroyed, ==, 2);
  g_assert_cmpuint (other.destroyed, ==, 1);
}

/* }}} */

/* Batch {{{ */

static void
test_atom_batch (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  IsleAtom *atom = isle_atom_new_int ("batch", 0);
  guint notified = 0;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_store_subscribe (ISLE_STORE (atom), probe_cb, &b, NULL);
  assert_log (log, "B:0<-");
  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  isle_store_batch_begin ();
  isle_atom_set_int (atom, 1);
  isle_atom_set_int (atom, 2);
  isle_atom_set_int (atom, 3);
  assert_log (log, "");
  g_assert_cmpuint (notified, ==, 0);
  /* The value itself changed at once. */
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 3);

  /* Nested: only the outermost end delivers. */
  isle_store_batch_begin ();
  isle_atom_set_int (atom, 4);
  isle_store_batch_end ();
  assert_log (log, "");
  g_assert_cmpuint (notified, ==, 0);

  isle_store_batch_end ();
  assert_log (log, "A:4<0 B:4<0");
  g_assert_cmpuint (notified, ==, 1);

  /* After the batch, back to one call per change. */
  isle_atom_set_int (atom, 5);
  assert_log (log, "A:5<4 B:5<4");

  g_assert_finalize_object (atom);
}

typedef struct
{
  IsleAtom *a;
  IsleAtom *b;
  GString  *log;
} BatchData;

static void
batch_func (gpointer user_data)
{
  BatchData *data = user_data;

  isle_atom_set_int (data->a, 10);
  isle_atom_set_int (data->b, 20);
  isle_atom_set_int (data->a, 11);
  g_assert_cmpstr (data->log->str, ==, "");
}

static void
test_atom_batch_func (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe pa = { .log = log, .tag = "A" };
  Probe pb = { .log = log, .tag = "B" };
  BatchData data = {
    isle_atom_new_int ("batch-a", 0),
    isle_atom_new_int ("batch-b", 0),
    log,
  };

  isle_store_listen (ISLE_STORE (data.a), probe_cb, &pa, NULL);
  isle_store_listen (ISLE_STORE (data.b), probe_cb, &pb, NULL);

  isle_store_batch (batch_func, &data);
  assert_log (log, "A:11<0 B:20<0");

  g_assert_finalize_object (data.a);
  g_assert_finalize_object (data.b);
}

/* A listener (the same function and data) on several atoms changed in one
 * batch is called once; other listeners are not merged with it. */
static void
test_atom_batch_shared_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe shared = { .log = log, .tag = "S" };
  Probe other = { .log = log, .tag = "T" };
  IsleAtom *a = isle_atom_new_int ("shared-a", 0);
  IsleAtom *b = isle_atom_new_int ("shared-b", 0);
  IsleAtom *c = isle_atom_new_int ("shared-c", 0);

  isle_store_listen (ISLE_STORE (a), probe_cb, &shared, NULL);
  isle_store_listen (ISLE_STORE (b), probe_cb, &shared, NULL);
  isle_store_listen (ISLE_STORE (c), probe_cb, &shared, NULL);
  isle_store_listen (ISLE_STORE (b), probe_cb, &other, NULL);

  isle_store_batch_begin ();
  isle_atom_set_int (a, 1);
  isle_atom_set_int (b, 2);
  isle_atom_set_int (c, 3);
  isle_store_batch_end ();

  g_assert_cmpuint (shared.calls, ==, 1);
  g_assert_cmpuint (other.calls, ==, 1);
  g_assert_nonnull (strstr (log->str, "T:2<0"));
  g_string_truncate (log, 0);

  /* Outside a batch it hears each store. */
  isle_atom_set_int (a, 4);
  isle_atom_set_int (b, 5);
  g_assert_cmpuint (shared.calls, ==, 3);

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  g_assert_finalize_object (c);
}

/* The same callback registered twice on one atom is called twice, in a
 * batch as outside one. */
static void
test_atom_batch_same_callback_twice (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("batch-twice", 0);

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);

  isle_store_batch_begin ();
  isle_atom_set_int (atom, 1);
  isle_atom_set_int (atom, 2);
  isle_store_batch_end ();
  assert_log (log, "A:2<0 A:2<0");

  g_assert_finalize_object (atom);
}

static gboolean
count_before_notify_cb (IsleStore *store,
                        GVariant  *value,
                        GVariant  *old_value,
                        gpointer   user_data)
{
  guint *count = user_data;

  (*count)++;

  return FALSE;
}

/* Changed and changed back inside a batch: nobody hears anything. */
static void
test_atom_batch_changed_back (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  IsleAtom *atom = isle_atom_new_int ("back", 7);
  IsleAtom *other = isle_atom_new_int ("other", 0);
  guint notified = 0;
  guint before = 0;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (other), probe_cb, &b, NULL);
  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);
  g_signal_connect (atom, "before-notify", G_CALLBACK (count_before_notify_cb), &before);

  isle_store_batch_begin ();
  isle_atom_set_int (atom, 8);
  isle_atom_set_int (other, 1);
  isle_atom_set_int (atom, 9);
  isle_atom_set_int (atom, 7);
  isle_store_batch_end ();

  assert_log (log, "B:1<0");
  g_assert_cmpuint (a.calls, ==, 0);
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpuint (before, ==, 0);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 7);

  g_assert_finalize_object (atom);
  g_assert_finalize_object (other);
}

/* A listener called at the end of a batch that sets the atom again: the
 * new change is delivered after the batch's round, to every listener. */
static void
test_atom_batch_set_in_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A", .set_below = 3 };
  Probe b = { .log = log, .tag = "B" };
  IsleAtom *atom = isle_atom_new_int ("batch-reentrant", 0);

  isle_store_listen (ISLE_STORE (atom), actor_cb, &a, NULL);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);

  isle_store_batch_begin ();
  isle_atom_set_int (atom, 1);
  isle_atom_set_int (atom, 2);
  isle_store_batch_end ();

  assert_log (log, "A:2<0 B:2<0 A:3<2 B:3<2");

  g_assert_finalize_object (atom);
}

/* }}} */

/* Lifecycle {{{ */

static void
test_atom_start (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Lifecycle lifecycle = { .log = log, .start_value = 42 };
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  IsleAtom *atom = isle_atom_new_int ("start", 0);
  guint notified_started = 0;
  guint ha, hb, hc;

  lifecycle_connect (&lifecycle, atom);
  g_signal_connect (atom, "notify::started", G_CALLBACK (count_notify_cb), &notified_started);
  isle_store_set_stop_delay (ISLE_STORE (atom), 0);

  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));
  g_assert_cmpuint (lifecycle.starts, ==, 0);

  /* The start hook runs inside subscribe, before the first call, so the
   * subscriber sees what it set (and nothing else). */
  ha = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, NULL);
  assert_log (log, "start A:42<-");
  g_assert_cmpuint (lifecycle.starts, ==, 1);
  g_assert_true (isle_store_get_started (ISLE_STORE (atom)));
  g_assert_cmpuint (notified_started, ==, 1);

  /* More listeners do not start it again. */
  lifecycle.start_value = 0;
  hb = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &b, NULL);
  assert_log (log, "B:42<-");
  g_assert_cmpuint (lifecycle.starts, ==, 1);

  /* stop-delay 0: it stops when the last one goes, at once. */
  isle_store_unsubscribe (ISLE_STORE (atom), ha);
  g_assert_cmpuint (lifecycle.stops, ==, 0);
  g_assert_true (isle_store_get_started (ISLE_STORE (atom)));
  isle_store_unsubscribe (ISLE_STORE (atom), hb);
  g_assert_cmpuint (lifecycle.stops, ==, 1);
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));
  g_assert_cmpuint (notified_started, ==, 2);

  /* A listen starts it too. */
  hc = isle_store_listen (ISLE_STORE (atom), probe_cb, &c, NULL);
  assert_log (log, "start");
  g_assert_cmpuint (lifecycle.starts, ==, 2);
  isle_store_unsubscribe (ISLE_STORE (atom), hc);
  g_assert_cmpuint (lifecycle.stops, ==, 2);

  g_assert_finalize_object (atom);
  g_assert_cmpuint (lifecycle.starts, ==, 2);
  g_assert_cmpuint (lifecycle.stops, ==, 2);
}

static void
test_atom_stop_delay (void)
{
  Lifecycle lifecycle = { 0 };
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("stop-delay", 0);
  guint stop_delay = 0;
  guint notified = 0;
  gint64 begin, elapsed;
  guint handle;

  lifecycle_connect (&lifecycle, atom);

  /* 1 s by default. */
  g_assert_cmpuint (isle_store_get_stop_delay (ISLE_STORE (atom)), ==, 1000);
  g_object_get (atom, "stop-delay", &stop_delay, NULL);
  g_assert_cmpuint (stop_delay, ==, 1000);

  g_signal_connect (atom, "notify::stop-delay", G_CALLBACK (count_notify_cb), &notified);
  g_object_set (atom, "stop-delay", 50, NULL);
  g_object_set (atom, "stop-delay", 50, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (isle_store_get_stop_delay (ISLE_STORE (atom)), ==, 50);

  handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  g_assert_cmpuint (lifecycle.starts, ==, 1);

  begin = g_get_monotonic_time ();
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  g_assert_cmpuint (lifecycle.stops, ==, 0);
  g_assert_true (isle_store_get_started (ISLE_STORE (atom)));

  wait_for_stop (&lifecycle, 5000);
  elapsed = g_get_monotonic_time () - begin;
  g_assert_cmpint (elapsed, >=, 50 * 1000);
  g_assert_cmpuint (lifecycle.stops, ==, 1);
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));

  g_assert_finalize_object (atom);
  g_assert_cmpuint (lifecycle.stops, ==, 1);
}

/* Changing the stop delay while a stop is on its way: the new delay
 * counts, from the change (a long delay cut to 0 stops at once). */
static void
test_atom_stop_delay_changed_while_stopping (void)
{
  Lifecycle lifecycle = { 0 };
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("stop-delay-changed", 0);
  guint handle;

  lifecycle_connect (&lifecycle, atom);
  isle_store_set_stop_delay (ISLE_STORE (atom), 60 * 1000);
  handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  g_assert_true (isle_store_get_started (ISLE_STORE (atom)));

  isle_store_set_stop_delay (ISLE_STORE (atom), 0);
  g_assert_cmpuint (lifecycle.stops, ==, 1);
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));

  /* And a shorter one, not zero: the store stops after it, not after a
   * minute. */
  isle_store_set_stop_delay (ISLE_STORE (atom), 60 * 1000);
  handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  isle_store_set_stop_delay (ISLE_STORE (atom), 20);
  wait_for_stop (&lifecycle, 5000);
  g_assert_cmpuint (lifecycle.stops, ==, 2);

  g_assert_finalize_object (atom);
}

/* A re-subscription within the stop delay neither stops nor restarts. */
static void
test_atom_quick_resubscribe (void)
{
  Lifecycle lifecycle = { 0 };
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("resubscribe", 0);
  guint handle;

  lifecycle_connect (&lifecycle, atom);
  isle_store_set_stop_delay (ISLE_STORE (atom), 50);

  handle = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  run_for (&lifecycle, 10);
  handle = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, NULL);
  g_assert_cmpuint (lifecycle.starts, ==, 1);
  g_assert_cmpuint (lifecycle.stops, ==, 0);

  /* Well past the delay: still started, never stopped. */
  run_for (&lifecycle, 150);
  g_assert_cmpuint (lifecycle.starts, ==, 1);
  g_assert_cmpuint (lifecycle.stops, ==, 0);
  g_assert_true (isle_store_get_started (ISLE_STORE (atom)));

  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  wait_for_stop (&lifecycle, 5000);
  g_assert_cmpuint (lifecycle.starts, ==, 1);
  g_assert_cmpuint (lifecycle.stops, ==, 1);

  g_assert_finalize_object (atom);
}

/* }}} */

/* Hooks {{{ */

typedef struct
{
  guint calls;
  int   last_old;
  guint destroyed;
} FilterData;

/* Accepts 0..10 as they are, replaces larger values by 10, rejects
 * negative ones, and returns a string for 99 (a broken filter). */
static GVariant *
clamp_filter (IsleAtom  *atom,
              GVariant  *value,
              GVariant  *old_value,
              gpointer   user_data,
              GError   **error)
{
  FilterData *data = user_data;
  int v = g_variant_get_int32 (value);

  data->calls++;
  data->last_old = g_variant_get_int32 (old_value);

  if (v == 99)
    return g_variant_new_string ("ninety-nine");
  if (v < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%d is negative", v);
      return NULL;
    }
  if (v > 10)
    return g_variant_new_int32 (10);

  return g_variant_ref (value);
}

static void
filter_data_destroy (gpointer user_data)
{
  FilterData *data = user_data;

  data->destroyed++;
}

static void
test_atom_filter (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("filtered", 5);
  FilterData data = { 0 };
  g_autoptr(GError) error = NULL;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_atom_set_filter (atom, clamp_filter, &data, filter_data_destroy);

  /* Accept: the filter sees the new and the current value. */
  g_assert_true (isle_atom_try_set (atom, g_variant_new_int32 (3), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (data.calls, ==, 1);
  g_assert_cmpint (data.last_old, ==, 5);
  assert_log (log, "A:3<5");

  /* Replace. */
  isle_atom_set_int (atom, 50);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);
  assert_log (log, "A:10<3");

  /* A replacement equal to the current value is no change. */
  g_assert_true (isle_atom_try_set (atom, g_variant_new_int32 (70), &error));
  g_assert_no_error (error);
  assert_log (log, "");

  /* Reject: FALSE and ISLE_ERROR_REJECTED, carrying the filter's reason;
   * the atom keeps its value and nobody is told. */
  g_assert_false (isle_atom_try_set (atom, g_variant_new_int32 (-1), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "-1 is negative"));
  g_clear_error (&error);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);
  assert_log (log, "");

  /* isle_atom_set() logs a rejection at debug level only. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "*atom “filtered”*-2 is negative*");
  isle_atom_set_int (atom, -2);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);
  assert_log (log, "");

  /* A filter that returns a value of the wrong type is an error. */
  g_assert_false (isle_atom_try_set (atom, g_variant_new_int32 (99), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);
  assert_log (log, "");

  /* Removing the filter frees its data and lets everything through. */
  isle_atom_set_filter (atom, NULL, NULL, NULL);
  g_assert_cmpuint (data.destroyed, ==, 1);
  isle_atom_set_int (atom, -5);
  assert_log (log, "A:-5<10");

  isle_atom_set_filter (atom, clamp_filter, &data, filter_data_destroy);
  g_assert_finalize_object (atom);
  g_assert_cmpuint (data.destroyed, ==, 2);
}

/* A filter that accepts a value by returning a new reference to it, as
 * its documentation says, must not leak that value. */
static void
test_atom_filter_values_freed (void)
{
  IsleAtom *atom = isle_atom_new_int ("filter-freed", 0);
  FilterData data = { 0 };
  guint freed = 0;

  isle_atom_set_filter (atom, clamp_filter, &data, NULL);

  isle_atom_set (atom, tracked_int (1, &freed));
  isle_atom_set (atom, tracked_int (2, &freed));
  g_assert_cmpuint (data.calls, ==, 2);
  g_assert_cmpuint (freed, ==, 1);

  g_assert_finalize_object (atom);
  g_assert_cmpuint (freed, ==, 2);
}

typedef struct
{
  guint calls;
  int   cancel;
  int   last_value;
  int   last_old;
} BeforeNotify;

static gboolean
before_notify_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  BeforeNotify *data = user_data;

  data->calls++;
  data->last_value = g_variant_get_int32 (value);
  data->last_old = g_variant_get_int32 (old_value);

  /* The value has changed already. */
  g_assert_cmpint (isle_store_get_int (store), ==, data->last_value);

  return data->last_value == data->cancel;
}

static void
test_atom_before_notify (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("before", 0);
  BeforeNotify data = { .cancel = 13 };
  guint notified = 0;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  g_signal_connect (atom, "before-notify", G_CALLBACK (before_notify_cb), &data);
  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0");
  g_assert_cmpuint (data.calls, ==, 1);
  g_assert_cmpint (data.last_value, ==, 1);
  g_assert_cmpint (data.last_old, ==, 0);
  g_assert_cmpuint (notified, ==, 1);

  /* TRUE cancels the notification of that change, not the change. */
  isle_atom_set_int (atom, 13);
  assert_log (log, "");
  g_assert_cmpuint (data.calls, ==, 2);
  g_assert_cmpint (data.last_old, ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 13);

  isle_atom_set_int (atom, 2);
  assert_log (log, "A:2<13");
  g_assert_cmpuint (notified, ==, 2);

  /* In a batch it runs once, at the end, with the batch's values. */
  isle_store_batch_begin ();
  isle_atom_set_int (atom, 3);
  isle_atom_set_int (atom, 13);
  g_assert_cmpuint (data.calls, ==, 3);
  isle_store_batch_end ();
  g_assert_cmpuint (data.calls, ==, 4);
  g_assert_cmpint (data.last_old, ==, 2);
  assert_log (log, "");

  g_assert_finalize_object (atom);
}

/* }}} */

/* Bad input {{{ */

static void
test_atom_wrong_type (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("count", 3);
  IsleAtom *text = isle_atom_new_string ("text", "x");
  g_autoptr(GError) error = NULL;
  g_autofree char *dup = NULL;
  guint notified = 0;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);
  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “count”*holds values of type “i”, not “s”*");
  isle_atom_set (atom, g_variant_new_string ("three"));
  g_test_assert_expected_messages ();

  g_assert_false (isle_atom_try_set (atom, g_variant_new_string ("three"), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "count"));
  g_clear_error (&error);

  /* Typed setters and the value property check the type too. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “count”*holds values of type “i”, not “s”*");
  isle_atom_set_string (atom, "three");
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “count”*holds values of type “i”, not “x”*");
  isle_atom_set_int64 (atom, 4);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “count”*holds values of type “i”, not “d”*");
  g_object_set (atom, "value", g_variant_new_double (4.0), NULL);
  g_test_assert_expected_messages ();

  /* So do typed getters. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “text”*holds values of type “s”, not “i”*");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (text)), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “count”*holds values of type “i”, not “s”*");
  dup = isle_store_dup_string (ISLE_STORE (atom));
  g_test_assert_expected_messages ();
  g_assert_null (dup);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 3);
  assert_log (log, "");
  g_assert_cmpuint (notified, ==, 0);

  g_assert_finalize_object (atom);
  g_assert_finalize_object (text);
}

static void
test_atom_null_value (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("null", 3);
  g_autoptr(GError) error = NULL;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*atom “null”*");
  isle_atom_set (atom, NULL);
  g_test_assert_expected_messages ();

  g_assert_false (isle_atom_try_set (atom, NULL, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*value != NULL*");
  isle_atom_set_string (atom, NULL);
  g_test_assert_expected_messages ();

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 3);
  assert_log (log, "");

  g_assert_finalize_object (atom);
}

static void
test_atom_bad_arguments (void)
{
  IsleAtom *atom;

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*value == NULL*g_variant_is_of_type*");
  atom = isle_atom_new ("bad", G_VARIANT_TYPE_INT32, g_variant_new_string ("x"));
  g_test_assert_expected_messages ();
  g_assert_null (atom);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*definite*");
  atom = isle_atom_new ("indefinite", G_VARIANT_TYPE_ANY, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (atom);

  atom = isle_atom_new_int ("args", 1);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*listener != NULL*");
  g_assert_cmpuint (isle_store_subscribe (ISLE_STORE (atom), NULL, NULL, NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*ISLE_IS_ATOM*");
  isle_atom_set_int (NULL, 1);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_assert_finalize_object (atom);
}

static GVariant *
add_cb (IsleAtom *atom,
        GVariant *current,
        gpointer  user_data)
{
  int n = GPOINTER_TO_INT (user_data);

  if (n == 0)
    return NULL;
  if (n == 1000)
    return g_variant_new_string ("not an int");
  return g_variant_new_int32 (g_variant_get_int32 (current) + n);
}

static GVariant *
at_most_ten_cb (IsleAtom  *atom,
                GVariant  *value,
                GVariant  *old_value,
                gpointer   user_data,
                GError   **error)
{
  if (g_variant_get_int32 (value) > 10)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "too many");
      return NULL;
    }
  return g_variant_ref (value);
}

/* update: the new value from the current one, through the filter; NULL
 * from the function is no change; a wrong type or a rejection is an
 * error, and the atom keeps its value. */
static void
test_atom_update (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("counter", 1);
  g_autoptr(GError) error = NULL;

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, NULL);

  g_assert_true (isle_atom_update (atom, add_cb, GINT_TO_POINTER (2), &error));
  g_assert_no_error (error);
  g_assert_true (isle_atom_update (atom, add_cb, GINT_TO_POINTER (0), &error));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 3);
  assert_log (log, "A:3<1");

  isle_atom_set_filter (atom, at_most_ten_cb, NULL, NULL);
  g_assert_true (isle_atom_update (atom, add_cb, GINT_TO_POINTER (7), &error));
  g_assert_false (isle_atom_update (atom, add_cb, GINT_TO_POINTER (1), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "too many"));
  g_clear_error (&error);
  g_assert_false (isle_atom_update (atom, add_cb, GINT_TO_POINTER (1000), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*func != NULL*");
  g_assert_false (isle_atom_update (atom, NULL, NULL, NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*ISLE_IS_ATOM*");
  g_assert_false (isle_atom_update (NULL, add_cb, NULL, NULL));
  g_test_assert_expected_messages ();

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);
  g_assert_finalize_object (atom);
}

/* A listener that keeps setting its own atom: stopped after a bound with
 * a critical naming the atom, instead of looping for ever; the atom goes
 * on working afterwards. */
static void
runaway_cb (IsleStore *store,
            int        value,
            int        old_value,
            gpointer   user_data)
{
  guint *calls = user_data;

  (*calls)++;
  isle_atom_set_int (ISLE_ATOM (store), value + 1);
}

static void
count_int_calls_cb (IsleStore *store,
                    int        value,
                    int        old_value,
                    gpointer   user_data)
{
  guint *calls = user_data;

  (*calls)++;
}

static void
test_atom_runaway_listener (void)
{
  IsleAtom *atom = isle_atom_new_int ("looping", 0);
  guint calls = 0;
  guint other_calls = 0;
  guint handle;

  handle = isle_store_listen_int (ISLE_STORE (atom), runaway_cb, &calls, NULL);
  isle_store_listen_int (ISLE_STORE (atom), count_int_calls_cb, &other_calls, NULL);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “looping”*changed more than 100 times by its listeners*");
  isle_atom_set_int (atom, 1);
  g_test_assert_expected_messages ();

  /* The set, then 100 of its listener's: each heard by both listeners. */
  g_assert_cmpuint (calls, ==, 101);
  g_assert_cmpuint (other_calls, ==, 101);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 102);

  /* Usable afterwards: without the loop, a set is heard as usual. */
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  isle_atom_set_int (atom, 7);
  g_assert_cmpuint (other_calls, ==, 102);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 7);

  g_assert_finalize_object (atom);
}

static void
test_atom_unsubscribe_twice (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  IsleAtom *atom = isle_atom_new_int ("twice", 0);
  IsleAtom *other = isle_atom_new_int ("other", 0);
  guint ha, hb;

  ha = isle_store_listen (ISLE_STORE (atom), probe_cb, &a, probe_destroy);
  hb = isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);
  isle_store_unsubscribe (ISLE_STORE (atom), ha);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “twice”*no listener with handle*");
  isle_store_unsubscribe (ISLE_STORE (atom), ha);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*no listener with handle*");
  isle_store_unsubscribe (ISLE_STORE (atom), 0);
  g_test_assert_expected_messages ();

  /* A handle of another store removes nothing there. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*atom “other”*no listener with handle*");
  isle_store_unsubscribe (ISLE_STORE (other), hb);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (a.destroyed, ==, 1);
  g_assert_cmpuint (b.destroyed, ==, 0);
  isle_atom_set_int (atom, 1);
  assert_log (log, "B:1<0");

  g_assert_finalize_object (atom);
  g_assert_finalize_object (other);
  g_assert_cmpuint (b.destroyed, ==, 1);
}

static void
test_atom_unsubscribe_self (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  IsleAtom *atom = isle_atom_new_int ("self", 0);

  a.remove_handle = isle_store_listen (ISLE_STORE (atom), actor_cb, &a, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, NULL);

  /* probe_destroy() checks that the data is not freed while A runs. */
  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 B:1<0");
  g_assert_cmpuint (a.destroyed, ==, 1);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);

  isle_atom_set_int (atom, 2);
  assert_log (log, "B:2<1");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 2);

  g_assert_finalize_object (atom);
  g_assert_cmpuint (a.destroyed, ==, 1);
}

/* What a listener sees of the listeners while they are being called: one
 * it removed is gone at once (the count, a second removal), though the
 * round still walks past it, and the store stops only when the last one
 * is really gone. */
typedef struct
{
  guint     calls;
  guint     handle;       /* to remove, twice */
  guint     own_handle;   /* to remove too, at the second call */
  guint     n_after;      /* the listener count after the first removal */
  gboolean  started_after;
} Remover;

static void
remover_cb (IsleStore *store,
            int        value,
            int        old_value,
            gpointer   user_data)
{
  Remover *remover = user_data;

  remover->calls++;

  if (remover->handle != 0)
    {
      isle_store_unsubscribe (store, remover->handle);
      remover->n_after = isle_store_get_n_listeners (store);

      g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*no listener with handle*");
      isle_store_unsubscribe (store, remover->handle);
      g_test_assert_expected_messages ();
      remover->handle = 0;
    }
  else if (remover->own_handle != 0)
    {
      isle_store_unsubscribe (store, remover->own_handle);
      remover->own_handle = 0;
      remover->started_after = isle_store_get_started (store);
    }
}

static void
test_atom_remove_counted_during_notification (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  Remover remover = { 0 };
  IsleAtom *atom = isle_atom_new_int ("counted", 0);
  guint hc;

  isle_store_set_stop_delay (ISLE_STORE (atom), 0);
  remover.own_handle = isle_store_listen_int (ISLE_STORE (atom), remover_cb, &remover, NULL);
  remover.handle = isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);
  hc = isle_store_listen (ISLE_STORE (atom), probe_cb, &c, NULL);

  isle_atom_set_int (atom, 1);
  assert_log (log, "C:1<0");
  g_assert_cmpuint (remover.n_after, ==, 2);
  g_assert_cmpuint (b.calls, ==, 0);
  g_assert_cmpuint (b.destroyed, ==, 1);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 2);

  /* The remover removes itself; C still hears, and keeps the store
   * started. */
  isle_atom_set_int (atom, 2);
  assert_log (log, "C:2<1");
  g_assert_true (remover.started_after);
  g_assert_cmpuint (remover.calls, ==, 2);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);

  isle_atom_set_int (atom, 3);
  assert_log (log, "C:3<2");
  g_assert_cmpuint (remover.calls, ==, 2);

  isle_store_unsubscribe (ISLE_STORE (atom), hc);
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));

  g_assert_finalize_object (atom);
}

/* A listener that holds the last reference to the store drops it while
 * it is called: no crash, the store goes once the call returns, and the
 * listeners' data is freed. */
static void
test_atom_unref_in_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A", .unref_store = TRUE };
  Probe b = { .log = log, .tag = "B" };
  Probe s = { .log = log, .tag = "S", .unref_store = TRUE };
  IsleAtom *atom = isle_atom_new_int ("unref", 0);
  IsleAtom *first = isle_atom_new_int ("unref-first", 5);
  guint freed = 0;

  g_object_add_weak_pointer (G_OBJECT (atom), (gpointer *) &atom);
  isle_store_listen (ISLE_STORE (atom), actor_cb, &a, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);

  isle_atom_set (atom, tracked_int (1, &freed));
  g_assert_null (atom);
  g_assert_cmpuint (a.calls, ==, 1);
  g_assert_cmpuint (a.destroyed, ==, 1);
  g_assert_cmpuint (b.destroyed, ==, 1);
  g_assert_cmpuint (freed, ==, 1);

  /* The same in a subscriber's first call. */
  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  isle_store_subscribe (ISLE_STORE (first), actor_cb, &s, probe_destroy);
  g_assert_null (first);
  g_assert_cmpuint (s.calls, ==, 1);
  g_assert_cmpuint (s.destroyed, ==, 1);
}

/* A listener that cleans its store while the store's listeners are being
 * called: none of the others is called for this change, each one's data
 * is freed once (never while it runs), the count is 0 at once, and the
 * store works as before afterwards. */
typedef struct
{
  Probe probe;
  guint n_after;   /* the listener count right after the clean */
  guint cleans;    /* how many more calls clean the store */
} Cleaner;

static void
cleaner_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
  Cleaner *cleaner = user_data;

  cleaner->probe.inside = TRUE;
  probe_cb (store, value, old_value, &cleaner->probe);
  if (cleaner->cleans > 0)
    {
      cleaner->cleans--;
      isle_store_clean (store);
      cleaner->n_after = isle_store_get_n_listeners (store);
    }
  cleaner->probe.inside = FALSE;
}

static void
test_atom_clean_in_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Cleaner k = { .probe = { .log = log, .tag = "K" }, .cleans = 1 };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  Probe d = { .log = log, .tag = "D" };
  IsleAtom *atom = isle_atom_new_int ("clean-in-listener", 0);

  isle_store_listen (ISLE_STORE (atom), probe_cb, &a, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), cleaner_cb, &k, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &c, probe_destroy);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 K:1<0");
  g_assert_cmpuint (k.n_after, ==, 0);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));
  g_assert_cmpuint (a.destroyed, ==, 1);
  g_assert_cmpuint (k.probe.destroyed, ==, 1);
  g_assert_cmpuint (b.destroyed, ==, 1);
  g_assert_cmpuint (c.destroyed, ==, 1);

  isle_atom_set_int (atom, 2);
  g_assert_cmpstr (log->str, ==, "");

  /* A new listener hears the next change, through the usual path. */
  isle_store_listen (ISLE_STORE (atom), probe_cb, &d, probe_destroy);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);
  isle_atom_set_int (atom, 3);
  assert_log (log, "D:3<2");

  g_assert_finalize_object (atom);
  g_assert_cmpuint (d.destroyed, ==, 1);
  g_assert_cmpuint (a.calls + k.probe.calls + b.calls + c.calls, ==, 2);
}

/* Listeners added and removed in every order while the listeners are being
 * called: one added during the call is not called for this change, one
 * added then removed in the same call never is, removing the one that
 * runs, an earlier one and a later one all hold, and every listener's
 * data is freed exactly once, never while it runs. */
typedef struct
{
  Probe     probe;
  IsleStore *store;
  Probe    *added;       /* added, then removed, inside the call */
  Probe    *kept;        /* added inside the call, kept */
  guint     remove_earlier;
  guint     remove_later;
  guint     own_handle;
} Churner;

static guint
steal_handle (guint *handle)
{
  guint stolen = *handle;

  *handle = 0;
  return stolen;
}

static void
churner_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
  Churner *churner = user_data;

  churner->probe.inside = TRUE;
  probe_cb (store, value, old_value, &churner->probe);

  if (churner->added != NULL)
    {
      guint handle = isle_store_listen (store, probe_cb, g_steal_pointer (&churner->added),
                                        probe_destroy);

      isle_store_unsubscribe (store, handle);
    }
  if (churner->kept != NULL)
    isle_store_listen (store, probe_cb, g_steal_pointer (&churner->kept), probe_destroy);
  if (churner->remove_earlier != 0)
    isle_store_unsubscribe (store, steal_handle (&churner->remove_earlier));
  if (churner->remove_later != 0)
    isle_store_unsubscribe (store, steal_handle (&churner->remove_later));
  if (churner->own_handle != 0)
    isle_store_unsubscribe (store, steal_handle (&churner->own_handle));

  churner->probe.inside = FALSE;
}

static void
test_atom_churn_in_listener (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  Probe b = { .log = log, .tag = "B" };
  Probe c = { .log = log, .tag = "C" };
  Probe d = { .log = log, .tag = "D" };
  Probe e = { .log = log, .tag = "E" };
  Churner x = { .probe = { .log = log, .tag = "X" }, .added = &d, .kept = &e };
  IsleAtom *atom = isle_atom_new_int ("churn", 0);
  guint n_before;

  x.remove_earlier = isle_store_listen (ISLE_STORE (atom), probe_cb, &a, probe_destroy);
  x.own_handle = isle_store_listen (ISLE_STORE (atom), churner_cb, &x, probe_destroy);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &b, probe_destroy);
  x.remove_later = isle_store_listen (ISLE_STORE (atom), probe_cb, &c, probe_destroy);
  n_before = isle_store_get_n_listeners (ISLE_STORE (atom));
  g_assert_cmpuint (n_before, ==, 4);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 X:1<0 B:1<0");
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 2);
  g_assert_cmpuint (a.destroyed, ==, 1);
  g_assert_cmpuint (x.probe.destroyed, ==, 1);
  g_assert_cmpuint (c.destroyed, ==, 1);
  g_assert_cmpuint (d.destroyed, ==, 1);
  g_assert_cmpuint (d.calls, ==, 0);
  g_assert_cmpuint (b.destroyed, ==, 0);
  g_assert_cmpuint (e.destroyed, ==, 0);

  /* The array is whole again: B, then E, and nothing else. */
  isle_atom_set_int (atom, 2);
  assert_log (log, "B:2<1 E:2<1");
  isle_atom_set_int (atom, 3);
  assert_log (log, "B:3<2 E:3<2");

  g_assert_finalize_object (atom);
  g_assert_cmpuint (b.destroyed, ==, 1);
  g_assert_cmpuint (e.destroyed, ==, 1);
  g_assert_cmpuint (c.calls, ==, 0);
}

/* }}} */

/* Typed listeners {{{ */

/* A typed listener: logs "TAG:NEW<OLD" like a probe, and may act. */
typedef struct
{
  GString    *log;
  const char *tag;
  guint       calls;
  guint       destroyed;
  int         set_below;      /* sets value + 1 while value < set_below */
  guint       remove_handle;  /* unsubscribes it at the next call */
  gboolean    unref_store;    /* drops a reference to the store (once) */
} TypedProbe;

static void
typed_log (TypedProbe *probe,
           const char *text)
{
  probe->calls++;
  if (probe->log->len > 0)
    g_string_append_c (probe->log, ' ');
  g_string_append_printf (probe->log, "%s:%s", probe->tag, text);
}

static void
typed_destroy (gpointer user_data)
{
  TypedProbe *probe = user_data;

  probe->destroyed++;
}

static void
int_probe_cb (IsleStore *store,
              int        value,
              int        old_value,
              gpointer   user_data)
{
  TypedProbe *probe = user_data;
  g_autofree char *text = g_strdup_printf ("%d<%d", value, old_value);

  g_assert_true (ISLE_IS_ATOM (store));
  typed_log (probe, text);

  if (probe->set_below != 0 && value < probe->set_below)
    isle_atom_set_int (ISLE_ATOM (store), value + 1);

  if (probe->remove_handle != 0)
    {
      guint handle = probe->remove_handle;

      probe->remove_handle = 0;
      isle_store_unsubscribe (store, handle);
    }

  if (probe->unref_store)
    {
      probe->unref_store = FALSE;
      g_object_unref (store);
    }
}

static void
boolean_probe_cb (IsleStore *store,
                  gboolean   value,
                  gboolean   old_value,
                  gpointer   user_data)
{
  g_autofree char *text = g_strdup_printf ("%d<%d", value, old_value);

  /* Booleans come normalized: only TRUE and FALSE. */
  g_assert_true (value == TRUE || value == FALSE);
  g_assert_true (old_value == TRUE || old_value == FALSE);
  typed_log (user_data, text);
}

static void
int64_probe_cb (IsleStore *store,
                gint64     value,
                gint64     old_value,
                gpointer   user_data)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "<%" G_GINT64_FORMAT,
                                           value, old_value);

  typed_log (user_data, text);
}

static void
double_probe_cb (IsleStore *store,
                 double     value,
                 double     old_value,
                 gpointer   user_data)
{
  /* %g prints -0 as "-0" and NaN as "nan". */
  g_autofree char *text = g_strdup_printf ("%g<%g", value, old_value);

  typed_log (user_data, text);
}

/* Typed listeners hear what GVariant listeners hear, in subscription
 * order, whether the value was set typed or as a variant; a subscriber's
 * first call gets the current value as both values. */
static void
test_atom_typed_listeners (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  TypedProbe a = { .log = log, .tag = "A" };
  Probe v = { .log = log, .tag = "V" };
  TypedProbe s = { .log = log, .tag = "S" };
  IsleAtom *atom = isle_atom_new_int ("typed", 7);
  g_autoptr(GVariant) value = NULL;
  guint64 version;
  guint handle;

  handle = isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &a, typed_destroy);
  g_assert_cmpuint (handle, !=, 0);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &v, NULL);
  isle_store_subscribe_int (ISLE_STORE (atom), int_probe_cb, &s, typed_destroy);
  assert_log (log, "S:7<7");
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 3);
  version = isle_store_get_version (ISLE_STORE (atom));

  isle_atom_set_int (atom, 8);
  assert_log (log, "A:8<7 V:8<7 S:8<7");
  isle_atom_set (atom, g_variant_new_int32 (9));
  assert_log (log, "A:9<8 V:9<8 S:9<8");
  isle_atom_set_int (atom, -2);
  assert_log (log, "A:-2<9 V:-2<9 S:-2<9");

  /* Equal values, typed or not: no call. */
  isle_atom_set_int (atom, -2);
  isle_atom_set (atom, g_variant_new_int32 (-2));
  assert_log (log, "");

  /* Every read agrees with the last typed set. */
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, -2);
  value = isle_store_get_value (ISLE_STORE (atom));
  g_assert_cmpint (g_variant_get_int32 (value), ==, -2);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (atom)), ==, version + 3);

  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  g_assert_cmpuint (a.destroyed, ==, 1);
  isle_atom_set_int (atom, 0);
  assert_log (log, "V:0<-2 S:0<-2");

  g_assert_finalize_object (atom);
  g_assert_cmpuint (s.destroyed, ==, 1);
}

/* Only typed listeners, and typed sets: the value read back as a variant
 * is made on demand and is always the current one. */
static void
test_atom_typed_no_variant (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  TypedProbe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("unboxed", 0);
  int i;

  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &a, NULL);

  for (i = 1; i <= 100; i++)
    {
      g_autoptr(GVariant) value = NULL;

      isle_atom_set_int (atom, i);
      if (i % 10 == 0)
        {
          value = isle_store_get_value (ISLE_STORE (atom));
          g_assert_cmpint (g_variant_get_int32 (value), ==, i);
        }
    }
  g_assert_cmpuint (a.calls, ==, 100);
  g_assert_true (g_str_has_suffix (log->str, "A:99<98 A:100<99"));

  g_assert_finalize_object (atom);
}

/* Each scalar type, with the equality of Object.is for doubles and
 * booleans normalized. */
static void
test_atom_typed_kinds (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  TypedProbe b = { .log = log, .tag = "B" };
  TypedProbe x = { .log = log, .tag = "X" };
  TypedProbe d = { .log = log, .tag = "D" };
  IsleAtom *flag = isle_atom_new_boolean ("flag", FALSE);
  IsleAtom *big = isle_atom_new_int64 ("big", 0);
  IsleAtom *real = isle_atom_new_double ("real", 0.0);

  isle_store_subscribe_boolean (ISLE_STORE (flag), boolean_probe_cb, &b, NULL);
  isle_store_subscribe_int64 (ISLE_STORE (big), int64_probe_cb, &x, NULL);
  isle_store_subscribe_double (ISLE_STORE (real), double_probe_cb, &d, NULL);
  assert_log (log, "B:0<0 X:0<0 D:0<0");

  isle_atom_set_boolean (flag, 2);
  isle_atom_set_boolean (flag, TRUE);
  isle_atom_set (flag, g_variant_new_boolean (TRUE));
  isle_atom_set_boolean (flag, FALSE);
  assert_log (log, "B:1<0 B:0<1");
  g_assert_false (isle_store_get_boolean (ISLE_STORE (flag)));

  isle_atom_set_int64 (big, G_GINT64_CONSTANT (1) << 40);
  isle_atom_set_int64 (big, G_MININT64);
  isle_atom_set_int64 (big, G_MININT64);
  assert_log (log, "X:1099511627776<0 X:-9223372036854775808<1099511627776");
  g_assert_cmpint (isle_store_get_int64 (ISLE_STORE (big)), ==, G_MININT64);

  /* 0 and -0 differ; NaN equals NaN. */
  isle_atom_set_double (real, -0.0);
  isle_atom_set_double (real, -0.0);
  isle_atom_set_double (real, NAN);
  isle_atom_set_double (real, NAN);
  isle_atom_set (real, g_variant_new_double (NAN));
  isle_atom_set_double (real, 2.5);
  assert_log (log, "D:-0<0 D:nan<-0 D:2.5<nan");
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (real)), ==, 2.5);

  g_assert_finalize_object (flag);
  g_assert_finalize_object (big);
  g_assert_finalize_object (real);
}

/* A typed listener for another type is a critical; the data is freed at
 * once and nothing is added. */
static void
test_atom_typed_wrong_type (void)
{
  TypedProbe p = { .log = NULL, .tag = "P" };
  IsleAtom *big = isle_atom_new_int64 ("wrong-big", 0);
  IsleAtom *text = isle_atom_new_string ("wrong-text", "x");
  IsleMap *map = isle_map_new ("wrong-map", NULL);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “wrong-big” holds values of type “x”, not “i”*");
  g_assert_cmpuint (isle_store_listen_int (ISLE_STORE (big), int_probe_cb, &p, typed_destroy), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (p.destroyed, ==, 1);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “wrong-text” holds values of type “s”, not “d”*");
  g_assert_cmpuint (isle_store_subscribe_double (ISLE_STORE (text), double_probe_cb, &p, typed_destroy), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (p.destroyed, ==, 2);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*map “wrong-map” holds values of type “a{sv}”, not “b”*");
  g_assert_cmpuint (isle_store_listen_boolean (ISLE_STORE (map), boolean_probe_cb, &p, NULL), ==, 0);
  g_test_assert_expected_messages ();

  /* No store, no listener: nothing is added. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*ISLE_IS_STORE*");
  g_assert_cmpuint (isle_store_listen_int (NULL, int_probe_cb, &p, NULL), ==, 0);
  g_test_assert_expected_messages ();
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*listener != NULL*");
  g_assert_cmpuint (isle_store_subscribe_double (ISLE_STORE (big), NULL, &p, NULL), ==, 0);
  g_test_assert_expected_messages ();

  /* A typed set of the wrong type is reported like any wrong value. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*atom “wrong-big” holds values of type “x”, not “i”*");
  isle_atom_set_int (big, 3);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_store_get_int64 (ISLE_STORE (big)), ==, 0);

  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (big)), ==, 0);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (map)), ==, 0);
  g_assert_cmpuint (p.calls, ==, 0);

  g_assert_finalize_object (big);
  g_assert_finalize_object (text);
  g_assert_finalize_object (map);
}

/* The notification rules hold for typed listeners and typed sets: a set
 * inside a listener waits for the round, a listener removed during the
 * round is not called, a listener may drop the store. */
static void
test_atom_typed_reentrant (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  TypedProbe a = { .log = log, .tag = "A", .set_below = 3 };
  TypedProbe b = { .log = log, .tag = "B" };
  Probe v = { .log = log, .tag = "V" };
  TypedProbe r = { .log = log, .tag = "R" };
  TypedProbe gone = { .log = log, .tag = "G" };
  TypedProbe u = { .log = log, .tag = "U", .unref_store = TRUE };
  TypedProbe after = { .log = log, .tag = "W" };
  IsleAtom *atom = isle_atom_new_int ("typed-reentrant", 0);
  GVariant *value;

  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &a, NULL);
  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &b, NULL);
  isle_store_listen (ISLE_STORE (atom), probe_cb, &v, NULL);

  isle_atom_set_int (atom, 1);
  assert_log (log, "A:1<0 B:1<0 V:1<0 A:2<1 B:2<1 V:2<1 A:3<2 B:3<2 V:3<2");
  a.set_below = 0;

  /* V's variants were made for changes already overtaken: the store's
   * own variant is still the current value. */
  value = isle_store_get_value (ISLE_STORE (atom));
  g_assert_cmpint (g_variant_get_int32 (value), ==, 3);
  g_clear_pointer (&value, g_variant_unref);

  /* R removes G, which was due for this change. */
  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &r, NULL);
  r.remove_handle = isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &gone, typed_destroy);
  isle_atom_set_int (atom, 4);
  assert_log (log, "A:4<3 B:4<3 V:4<3 R:4<3");
  g_assert_cmpuint (gone.calls, ==, 0);
  g_assert_cmpuint (gone.destroyed, ==, 1);

  /* U drops the last reference: the listeners after it are not called,
   * and nothing is left behind. */
  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &u, NULL);
  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &after, typed_destroy);
  g_object_add_weak_pointer (G_OBJECT (atom), (gpointer *) &atom);
  isle_atom_set_int (atom, 5);
  g_assert_null (atom);
  assert_log (log, "A:5<4 B:5<4 V:5<4 R:5<4 U:5<4");
  g_assert_cmpuint (after.calls, ==, 0);
  g_assert_cmpuint (after.destroyed, ==, 1);
}

/* Typed listeners in a batch: once, with the final and the pre-batch
 * value; notify::value and before-notify see typed sets too. */
static void
test_atom_typed_batch_and_signals (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  TypedProbe a = { .log = log, .tag = "A" };
  IsleAtom *atom = isle_atom_new_int ("typed-batch", 1);
  IsleAtom *mirror = isle_atom_new_int ("typed-mirror", 0);
  BeforeNotify before = { .cancel = 6 };
  guint notified = 0;

  isle_store_listen_int (ISLE_STORE (atom), int_probe_cb, &a, NULL);

  isle_store_batch_begin ();
  isle_atom_set_int (atom, 2);
  isle_atom_set_int (atom, 3);
  assert_log (log, "");
  isle_store_batch_end ();
  assert_log (log, "A:3<1");

  isle_store_batch_begin ();
  isle_atom_set_int (atom, 4);
  isle_atom_set_int (atom, 3);
  isle_store_batch_end ();
  assert_log (log, "");

  g_signal_connect (atom, "notify::value", G_CALLBACK (count_notify_cb), &notified);
  g_object_bind_property (atom, "value", mirror, "value", G_BINDING_SYNC_CREATE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 3);
  isle_atom_set_int (atom, 5);
  assert_log (log, "A:5<3");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 5);

  /* before-notify sees the variants of a typed set, and may cancel. */
  g_signal_connect (atom, "before-notify", G_CALLBACK (before_notify_cb), &before);
  isle_atom_set_int (atom, 6);
  assert_log (log, "");
  g_assert_cmpuint (before.calls, ==, 1);
  g_assert_cmpint (before.last_old, ==, 5);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 6);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 5);
  isle_atom_set_int (atom, 12);
  assert_log (log, "A:12<6");
  g_assert_cmpint (before.last_value, ==, 12);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (mirror)), ==, 12);

  g_assert_finalize_object (atom);
  g_assert_finalize_object (mirror);
}

/* A filter or an equal func sees typed sets as variants. */
static GVariant *
double_it_filter (IsleAtom  *atom,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data,
                  GError   **error)
{
  return g_variant_new_int32 (g_variant_get_int32 (value) * 2);
}

static gboolean
same_parity (GVariant *a,
             GVariant *b,
             gpointer  user_data)
{
  return (g_variant_get_int32 (a) - g_variant_get_int32 (b)) % 2 == 0;
}

static void
test_atom_typed_filter_and_equal (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  TypedProbe a = { .log = log, .tag = "A" };
  TypedProbe e = { .log = log, .tag = "E" };
  IsleAtom *filtered = isle_atom_new_int ("typed-filtered", 0);
  IsleAtom *parity = isle_atom_new_int ("typed-parity", 0);

  isle_store_listen_int (ISLE_STORE (filtered), int_probe_cb, &a, NULL);
  isle_atom_set_filter (filtered, double_it_filter, NULL, NULL);
  isle_atom_set_int (filtered, 3);
  assert_log (log, "A:6<0");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (filtered)), ==, 6);

  isle_store_listen_int (ISLE_STORE (parity), int_probe_cb, &e, NULL);
  isle_store_set_equal_func (ISLE_STORE (parity), same_parity, NULL, NULL);
  isle_atom_set_int (parity, 2);
  assert_log (log, "");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (parity)), ==, 0);
  isle_atom_set_int (parity, 3);
  assert_log (log, "E:3<0");

  g_assert_finalize_object (filtered);
  g_assert_finalize_object (parity);
}

/* Typed sets from another thread reach typed listeners on the atom's
 * context, in order, and reads from the thread see whole values. */
typedef struct
{
  IsleAtom *atom;
  int       n;
} TypedThreadData;

static gpointer
typed_setter_thread (gpointer user_data)
{
  TypedThreadData *data = user_data;

  for (int i = 1; i <= data->n; i++)
    {
      isle_atom_set_int (data->atom, i);
      g_assert_cmpint (isle_store_get_int (ISLE_STORE (data->atom)), >=, i);
    }

  return NULL;
}

typedef struct
{
  int   last;
  guint calls;
  guint out_of_order;
} TypedOrder;

static void
typed_order_cb (IsleStore *store,
                int        value,
                int        old_value,
                gpointer   user_data)
{
  TypedOrder *order = user_data;

  order->calls++;
  if (value != order->last + 1 || old_value != order->last)
    order->out_of_order++;
  order->last = value;
}

static void
test_atom_typed_threads (void)
{
  IsleAtom *atom = isle_atom_new_int ("typed-threads", 0);
  TypedThreadData data = { atom, 5000 };
  TypedOrder order = { 0 };
  GThread *thread;

  isle_store_listen_int (ISLE_STORE (atom), typed_order_cb, &order, NULL);

  thread = g_thread_new ("typed-setter", typed_setter_thread, &data);
  g_thread_join (thread);
  g_assert_cmpuint (order.calls, ==, 0);

  while (order.calls < (guint) data.n)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (order.out_of_order, ==, 0);
  g_assert_cmpint (order.last, ==, data.n);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, data.n);

  g_assert_finalize_object (atom);
}

/* }}} */

/* Debug logging {{{ */

/* Collects the store lines logged with ISLE_DEBUG=stores; other messages
 * go to the default writer. */
static GLogWriterOutput
debug_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  GPtrArray *lines = user_data;
  const char *store = NULL;
  const char *event = NULL;
  const char *old_text = "(none)";
  const char *new_text = "(none)";
  const char *message = NULL;

  for (gsize n = 0; n < n_fields; n++)
    {
      const char *value = fields[n].value;

      if (g_str_equal (fields[n].key, "ISLE_STORE"))
        store = value;
      else if (g_str_equal (fields[n].key, "ISLE_EVENT"))
        event = value;
      else if (g_str_equal (fields[n].key, "ISLE_OLD"))
        old_text = value;
      else if (g_str_equal (fields[n].key, "ISLE_NEW"))
        new_text = value;
      else if (g_str_equal (fields[n].key, "MESSAGE"))
        message = value;
    }

  if (store == NULL)
    return g_log_writer_default (log_level, fields, n_fields, NULL);

  g_assert_cmpint (log_level & G_LOG_LEVEL_MASK, ==, G_LOG_LEVEL_MESSAGE);
  g_assert_nonnull (event);
  g_assert_nonnull (message);

  /* The contract fixes the fields and the message of a change; of a start
   * or a stop, only the store and the event. */
  if (g_str_equal (event, "change"))
    g_ptr_array_add (lines, g_strdup_printf ("%s|%s|%s|%s|%s", event, store, old_text, new_text,
                                             message));
  else
    g_ptr_array_add (lines, g_strdup_printf ("%s|%s", event, store));

  return G_LOG_WRITER_HANDLED;
}

static void
debug_log_run (gboolean enabled)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  IsleAtom *atom;
  IsleAtom *text;
  g_autoptr(GString) log = g_string_new (NULL);
  Probe a = { .log = log, .tag = "A" };
  guint handle;

  /* The flag is read when the store class is initialized: before any
   * store is made in this process. */
  if (enabled)
    g_setenv ("ISLE_DEBUG", "stores", TRUE);
  else
    g_unsetenv ("ISLE_DEBUG");
  g_log_set_writer_func (debug_writer, lines, NULL);

  atom = isle_atom_new_int ("dbg", 1);
  text = isle_atom_new_string ("dbg-text", "a");
  isle_store_set_stop_delay (ISLE_STORE (atom), 0);

  handle = isle_store_subscribe (ISLE_STORE (atom), probe_cb, &a, NULL);
  isle_atom_set_int (atom, 2);
  isle_atom_set_int (atom, 2);
  isle_store_unsubscribe (ISLE_STORE (atom), handle);
  isle_atom_set_string (text, "b");

  if (enabled)
    {
      g_assert_cmpuint (lines->len, ==, 4);
      g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "start|dbg");
      g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "change|dbg|1|2|store dbg: 1 → 2");
      g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "stop|dbg");
      g_assert_cmpstr (g_ptr_array_index (lines, 3), ==,
                       "change|dbg-text|'a'|'b'|store dbg-text: 'a' → 'b'");
    }
  else
    {
      g_assert_cmpuint (lines->len, ==, 0);
    }

  g_assert_finalize_object (atom);
  g_assert_finalize_object (text);
}

static void
test_atom_debug_log (void)
{
  if (g_test_subprocess ())
    {
      debug_log_run (TRUE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_atom_debug_log_off (void)
{
  if (g_test_subprocess ())
    {
      debug_log_run (FALSE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* }}} */


/* Helpers of issue 21 {{{ */

/* nanostores, atom/index.test.ts, "notify defers drain while batchSeen is
 * active": a notification inside a batch waits for its end, and the
 * listener is called once. Outside a batch, a notification calls every
 * listener with the current value as new and old, and changes nothing. */
static void
test_atom_notify (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleAtom *a = isle_atom_new_int ("a", 0);
  Probe probe = { log, "a", };
  guint64 version;
  guint handle;

  handle = isle_store_listen (ISLE_STORE (a), probe_cb, &probe, NULL);

  isle_store_batch_begin ();
  isle_atom_set_int (a, 1);
  g_assert_cmpuint (probe.calls, ==, 0);
  isle_store_notify_listeners (ISLE_STORE (a), NULL);
  g_assert_cmpuint (probe.calls, ==, 0);
  isle_store_batch_end ();
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpstr (log->str, ==, "a:1<0");
  g_string_truncate (log, 0);

  version = isle_store_get_version (ISLE_STORE (a));
  isle_store_notify_listeners (ISLE_STORE (a), NULL);
  g_assert_cmpuint (probe.calls, ==, 2);
  g_assert_cmpstr (log->str, ==, "a:1<1");
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (a)), ==, version);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (a)), ==, 1);

  /* The value property notifies too, for bindings. */
  {
    guint notified = 0;
    gulong id = g_signal_connect (a, "notify::value", G_CALLBACK (count_notify_cb), &notified);

    isle_store_notify_listeners (ISLE_STORE (a), NULL);
    g_assert_cmpuint (notified, ==, 1);
    g_signal_handler_disconnect (a, id);
  }

  /* A typed listener gets the value unboxed, as for a change. */
  {
    g_autoptr(GString) typed_log_text = g_string_new (NULL);
    TypedProbe typed = { .log = typed_log_text, .tag = "i" };
    guint typed_handle = isle_store_listen_int (ISLE_STORE (a), int_probe_cb, &typed, NULL);

    isle_store_notify_listeners (ISLE_STORE (a), NULL);
    g_assert_cmpstr (typed_log_text->str, ==, "i:1<1");
    isle_store_unsubscribe (ISLE_STORE (a), typed_handle);
  }

  isle_store_unsubscribe (ISLE_STORE (a), handle);
  g_assert_finalize_object (a);
}

/* A notification made on another thread reaches the listeners on the
 * store's main context, as a change does. */
static gpointer
notify_thread (gpointer data)
{
  isle_store_notify_listeners (data, NULL);

  return NULL;
}

static void
test_atom_notify_thread (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleAtom *a = isle_atom_new_int ("a", 4);
  Probe probe = { log, "a", };
  guint handle = isle_store_listen (ISLE_STORE (a), probe_cb, &probe, NULL);
  GThread *thread = g_thread_new ("notify", notify_thread, a);

  g_thread_join (thread);
  g_assert_cmpuint (probe.calls, ==, 0);
  while (probe.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (log->str, ==, "a:4<4");

  isle_store_unsubscribe (ISLE_STORE (a), handle);
  g_assert_finalize_object (a);
}

/* nanostores, keep-mount/index.test.ts, "adds empty listener". */
static void
test_atom_keep_mount (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleAtom *store = isle_atom_new_int ("store", 0);
  Lifecycle lifecycle = { log, };
  guint handle;

  lifecycle_connect (&lifecycle, store);
  isle_store_set_stop_delay (ISLE_STORE (store), 0);
  handle = isle_store_keep_mount (ISLE_STORE (store));
  g_assert_cmpstr (log->str, ==, "start");
  g_assert_true (isle_store_get_started (ISLE_STORE (store)));

  /* Other listeners come and go; the store stays started. */
  {
    Probe probe = { log, "p", };
    guint other = isle_store_listen (ISLE_STORE (store), probe_cb, &probe, NULL);

    isle_store_unsubscribe (ISLE_STORE (store), other);
    g_assert_true (isle_store_get_started (ISLE_STORE (store)));
    g_assert_cmpuint (lifecycle.stops, ==, 0);
  }

  isle_store_unsubscribe (ISLE_STORE (store), handle);
  g_assert_cmpuint (lifecycle.stops, ==, 1);
  g_assert_finalize_object (store);
}

/* nanostores, atom/index.test.ts, "has readonly helper": the view has the
 * store's value and its changes, and cannot be set. */
static void
test_atom_readonly (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleAtom *store = isle_atom_new_string ("store-writable", "1");
  IsleStore *readonly = isle_store_create_readonly (ISLE_STORE (store), "store");
  Probe probe = { log, "ro", };
  g_autoptr(GVariant) refused = NULL;
  g_autofree char *text = NULL;
  guint handle;

  g_assert_true (ISLE_IS_STORE (readonly));
  g_assert_false (ISLE_IS_ATOM (readonly));
  g_assert_cmpstr (isle_store_get_name (readonly), ==, "store");
  g_assert_true (g_variant_type_equal (isle_store_get_value_type (readonly), G_VARIANT_TYPE_STRING));
  text = isle_store_dup_string (readonly);
  g_assert_cmpstr (text, ==, "1");

  handle = isle_store_subscribe (readonly, probe_cb, &probe, NULL);
  isle_atom_set_string (store, "2");
  g_assert_cmpstr (log->str, ==, "ro:'1'<- ro:'2'<'1'");

  /* Only the writable store changes the value. */
  refused = g_variant_ref_sink (g_variant_new_string ("3"));
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*“store”*read-only*");
  g_object_set (readonly, "value", refused, NULL);
  g_test_assert_expected_messages ();
  g_clear_pointer (&text, g_free);
  text = isle_store_dup_string (readonly);
  g_assert_cmpstr (text, ==, "2");

  isle_store_unsubscribe (readonly, handle);
  g_assert_finalize_object (readonly);
  g_assert_finalize_object (store);
}


/* The variant listeners of a scalar atom, called straight from its array,
 * share the change's variants: every one of a change is handed the very
 * same new and old variant, which hold the value the store holds and the
 * one before; typed listeners between them still get plain values, and a
 * listener removed by an earlier one in the same change is not called. */
typedef struct
{
  GString   *log;
  const char *name;
  GVariant  *seen_value;   /* the last variants handed over, unowned */
  GVariant  *seen_old;
  guint     *remove_handle;  /* if set, removed when called with 3 */
} WalkProbe;

static void
walk_variant_cb (IsleStore *store,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data)
{
  WalkProbe *probe = user_data;

  g_assert_nonnull (value);
  g_assert_nonnull (old_value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32));
  /* What the listener is told is what the store holds. */
  g_assert_cmpint (g_variant_get_int32 (value), ==, isle_store_get_int (store));
  g_string_append_printf (probe->log, "%s:%d<%d ", probe->name, g_variant_get_int32 (value),
                          g_variant_get_int32 (old_value));
  probe->seen_value = value;
  probe->seen_old = old_value;

  if (probe->remove_handle != NULL && g_variant_get_int32 (value) == 3)
    isle_store_unsubscribe (store, *probe->remove_handle);
}

static void
walk_int_cb (IsleStore *store,
             int        value,
             int        old_value,
             gpointer   user_data)
{
  WalkProbe *probe = user_data;

  g_string_append_printf (probe->log, "%s:%d<%d ", probe->name, value, old_value);
}

static void
test_atom_variant_walk (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleAtom *store = isle_atom_new_int ("walked", 0);
  WalkProbe a = { log, "a" }, t = { log, "t" }, b = { log, "b" }, c = { log, "c" };
  guint handle_c;

  isle_store_listen (ISLE_STORE (store), walk_variant_cb, &a, NULL);
  isle_store_listen_int (ISLE_STORE (store), walk_int_cb, &t, NULL);
  isle_store_listen (ISLE_STORE (store), walk_variant_cb, &b, NULL);
  handle_c = isle_store_listen (ISLE_STORE (store), walk_variant_cb, &c, NULL);
  b.remove_handle = &handle_c;

  isle_atom_set_int (store, 1);
  g_assert_cmpstr (log->str, ==, "a:1<0 t:1<0 b:1<0 c:1<0 ");
  /* One variant per change, shared by its listeners. */
  g_assert_true (a.seen_value == b.seen_value && b.seen_value == c.seen_value);
  g_assert_true (a.seen_old == b.seen_old && b.seen_old == c.seen_old);

  /* An equal value: nobody hears of it. */
  isle_atom_set_int (store, 1);
  g_assert_cmpstr (log->str, ==, "a:1<0 t:1<0 b:1<0 c:1<0 ");

  /* Set as a variant: the same path, with the old value right. */
  g_string_truncate (log, 0);
  isle_atom_set (store, g_variant_new_int32 (2));
  g_assert_cmpstr (log->str, ==, "a:2<1 t:2<1 b:2<1 c:2<1 ");

  /* b removes c, which comes after it in the same change. */
  g_string_truncate (log, 0);
  isle_atom_set_int (store, 3);
  g_assert_cmpstr (log->str, ==, "a:3<2 t:3<2 b:3<2 ");
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (store)), ==, 3);

  g_string_truncate (log, 0);
  isle_atom_set_int (store, 4);
  g_assert_cmpstr (log->str, ==, "a:4<3 t:4<3 b:4<3 ");

  g_assert_finalize_object (store);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Atom/typed", test_atom_typed);
  g_test_add_func ("/Isle/Atom/default-values", test_atom_default_values);
  g_test_add_func ("/Isle/Atom/initial-value", test_atom_initial_value);
  g_test_add_func ("/Isle/Atom/values-freed", test_atom_values_freed);

  g_test_add_func ("/Isle/Atom/subscribe", test_atom_subscribe);
  g_test_add_func ("/Isle/Atom/listen", test_atom_listen);
  g_test_add_func ("/Isle/Atom/handles", test_atom_handles);
  g_test_add_func ("/Isle/Atom/notify-value", test_atom_notify_value);
  g_test_add_func ("/Isle/Atom/bind-property", test_atom_bind_property);
  g_test_add_func ("/Isle/Atom/bind-variant-property", test_atom_bind_variant_property);

  g_test_add_func ("/Isle/Atom/order", test_atom_order);
  g_test_add_func ("/Isle/Atom/remove-counted-during-notification", test_atom_remove_counted_during_notification);
  g_test_add_func ("/Isle/Atom/add-during-notification", test_atom_add_during_notification);
  g_test_add_func ("/Isle/Atom/remove-during-notification", test_atom_remove_during_notification);
  g_test_add_func ("/Isle/Atom/remove-while-queued", test_atom_remove_while_queued);
  g_test_add_func ("/Isle/Atom/set-in-listener", test_atom_set_in_listener);
  g_test_add_func ("/Isle/Atom/set-other-in-listener", test_atom_set_other_in_listener);
  g_test_add_func ("/Isle/Atom/same-callback-twice", test_atom_same_callback_twice);

  g_test_add_func ("/Isle/Atom/equal-double", test_atom_equal_double);
  g_test_add_func ("/Isle/Atom/equal-string", test_atom_equal_string);
  g_test_add_func ("/Isle/Atom/equal-variant", test_atom_equal_variant);
  g_test_add_func ("/Isle/Atom/equal-func", test_atom_equal_func);

  g_test_add_func ("/Isle/Atom/batch", test_atom_batch);
  g_test_add_func ("/Isle/Atom/batch-func", test_atom_batch_func);
  g_test_add_func ("/Isle/Atom/batch-shared-listener", test_atom_batch_shared_listener);
  g_test_add_func ("/Isle/Atom/batch-same-callback-twice", test_atom_batch_same_callback_twice);
  g_test_add_func ("/Isle/Atom/batch-changed-back", test_atom_batch_changed_back);
  g_test_add_func ("/Isle/Atom/batch-set-in-listener", test_atom_batch_set_in_listener);

  g_test_add_func ("/Isle/Atom/start", test_atom_start);
  g_test_add_func ("/Isle/Atom/stop-delay", test_atom_stop_delay);
  g_test_add_func ("/Isle/Atom/quick-resubscribe", test_atom_quick_resubscribe);

  g_test_add_func ("/Isle/Atom/filter", test_atom_filter);
  g_test_add_func ("/Isle/Atom/filter-values-freed", test_atom_filter_values_freed);
  g_test_add_func ("/Isle/Atom/before-notify", test_atom_before_notify);

  g_test_add_func ("/Isle/Atom/wrong-type", test_atom_wrong_type);
  g_test_add_func ("/Isle/Atom/null-value", test_atom_null_value);
  g_test_add_func ("/Isle/Atom/bad-arguments", test_atom_bad_arguments);
  g_test_add_func ("/Isle/Atom/update", test_atom_update);
  g_test_add_func ("/Isle/Atom/runaway-listener", test_atom_runaway_listener);
  g_test_add_func ("/Isle/Atom/stop-delay-changed-while-stopping",
                   test_atom_stop_delay_changed_while_stopping);
  g_test_add_func ("/Isle/Atom/unsubscribe-twice", test_atom_unsubscribe_twice);
  g_test_add_func ("/Isle/Atom/unsubscribe-self", test_atom_unsubscribe_self);
  g_test_add_func ("/Isle/Atom/unref-in-listener", test_atom_unref_in_listener);
  g_test_add_func ("/Isle/Atom/clean-in-listener", test_atom_clean_in_listener);
  g_test_add_func ("/Isle/Atom/churn-in-listener", test_atom_churn_in_listener);

  g_test_add_func ("/Isle/Atom/typed-listeners", test_atom_typed_listeners);
  g_test_add_func ("/Isle/Atom/variant-walk", test_atom_variant_walk);
  g_test_add_func ("/Isle/Atom/typed-no-variant", test_atom_typed_no_variant);
  g_test_add_func ("/Isle/Atom/typed-kinds", test_atom_typed_kinds);
  g_test_add_func ("/Isle/Atom/typed-wrong-type", test_atom_typed_wrong_type);
  g_test_add_func ("/Isle/Atom/typed-reentrant", test_atom_typed_reentrant);
  g_test_add_func ("/Isle/Atom/typed-batch-and-signals", test_atom_typed_batch_and_signals);
  g_test_add_func ("/Isle/Atom/typed-filter-and-equal", test_atom_typed_filter_and_equal);
  g_test_add_func ("/Isle/Atom/typed-threads", test_atom_typed_threads);

  g_test_add_func ("/Isle/Atom/debug-log", test_atom_debug_log);
  g_test_add_func ("/Isle/Atom/debug-log-off", test_atom_debug_log_off);
  g_test_add_func ("/Isle/Atom/notify", test_atom_notify);
  g_test_add_func ("/Isle/Atom/notify-thread", test_atom_notify_thread);
  g_test_add_func ("/Isle/Atom/keep-mount", test_atom_keep_mount);
  g_test_add_func ("/Isle/Atom/readonly", test_atom_readonly);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
