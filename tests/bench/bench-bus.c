/* bench-bus.c: a store's change from one process to another over D-Bus
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two processes on a private bus (GTestDBus starts a dbus-daemon of its
 * own): this one owns the atom “ping” and exports it; a child (this
 * program with --child) mirrors it and exports “pong”, which this one
 * mirrors. Each way is a set on the owner → the mirror's listener in the
 * other process.
 *
 *  - latency: a set of ping, heard by the child's listener, which sets
 *    pong, heard by our listener: the round trip (two one-way trips);
 *  - throughput: N sets of ping in a row; the child checks it heard every
 *    value, in order (nothing lost), and answers after the last.
 *
 * The floor, beside each: the same exchange with bare
 * g_dbus_connection_emit_signal () calls and signal subscriptions, no
 * stores. Prints numbers and ratios, never verdicts; --quick (the test
 * suite) runs a few rounds and checks only that nothing was lost.
 */

#include <stdio.h>
#include <stdlib.h>

#include "isle-stores.h"

#define PARENT_NAME "org.isletoolkit.Isle.BenchParent"
#define CHILD_NAME  "org.isletoolkit.Isle.BenchChild"
#define PATH        "/org/isletoolkit/Isle/Bench"
#define FLOOR_IFACE "org.isletoolkit.Isle.BenchFloor"

static gboolean quick;

/* Both sides {{{ */

static void
own_name (GDBusConnection *bus,
          const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result = 0;

  /* A benchmark may block: it is no application. */
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", name, 4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  if (reply == NULL)
    g_error ("%s", error->message);
  g_variant_get (reply, "(u)", &result);
  if (result != 1)
    g_error ("could not own %s", name);
}

static void
wait_connected (IsleBusMirror *mirror)
{
  while (!isle_bus_mirror_get_connected (mirror))
    g_main_context_iteration (NULL, TRUE);
}

/* }}} */

/* The child {{{ */

typedef struct
{
  GDBusConnection *bus;
  IsleAtom        *pong;
  gint64           last;
  guint64          heard;
  guint64          gaps;
} Child;

/* ping is (value, answer): every value is one more than the one before;
 * answer says to reply with pong = (value, heard, gaps) and start
 * counting again. */
static void
child_ping_cb (IsleStore *store,
               GVariant  *value,
               GVariant  *old_value,
               gpointer   user_data)
{
  Child *child = user_data;
  gint64 v;
  gboolean answer;

  g_variant_get (value, "(xb)", &v, &answer);
  if (v != child->last + 1)
    child->gaps++;
  child->last = v;
  child->heard++;

  if (answer)
    {
      isle_atom_set (child->pong, g_variant_new ("(xtt)", v, child->heard, child->gaps));
      child->heard = 0;
      child->gaps = 0;
    }
}

static void
child_floor_cb (GDBusConnection *bus,
                const char      *sender,
                const char      *path,
                const char      *iface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         user_data)
{
  Child *child = user_data;
  gint64 v;
  gboolean answer;

  g_variant_get (parameters, "(xb)", &v, &answer);
  if (v != child->last + 1)
    child->gaps++;
  child->last = v;
  child->heard++;

  if (answer)
    {
      g_dbus_connection_emit_signal (bus, sender, PATH, FLOOR_IFACE, "Pong",
                                     g_variant_new ("(xtt)", v, child->heard, child->gaps),
                                     NULL);
      child->heard = 0;
      child->gaps = 0;
    }
}

/* A GBusNameVanishedCallback: the loop is the third argument. (Cast to
 * one, g_main_loop_quit () took the connection for a loop and hung on
 * its "lock" now and then.) */
static void
parent_vanished_cb (GDBusConnection *bus,
                    const char      *name,
                    gpointer         user_data)
{
  g_main_loop_quit (user_data);
}

static int
run_child (void)
{
  g_autoptr(GError) error = NULL;
  Child child = { NULL };
  g_autoptr(IsleBusExport) export = NULL;
  g_autoptr(IsleBusMirror) mirror = NULL;
  g_autoptr(IsleAtom) ping = isle_atom_new ("ping", G_VARIANT_TYPE ("(xb)"),
                                            g_variant_new ("(xb)", (gint64) 0, FALSE));
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint watch;

  /* Exported before the name is taken: a mirror that sees the name
   * finds the stores at once. */
  child.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (child.bus == NULL)
    g_error ("%s", error->message);
  child.pong = isle_atom_new ("pong", G_VARIANT_TYPE ("(xtt)"),
                              g_variant_new ("(xtt)", (gint64) 0, (guint64) 0, (guint64) 0));
  export = isle_bus_export_new (child.bus, PATH, &error);
  if (export == NULL || !isle_bus_export_add_store (export, ISLE_STORE (child.pong), 0, &error))
    g_error ("%s", error->message);
  own_name (child.bus, CHILD_NAME);

  mirror = isle_bus_mirror_new (child.bus, PARENT_NAME, PATH);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (ping), NULL);
  isle_store_listen (ISLE_STORE (ping), child_ping_cb, &child, NULL);
  g_dbus_connection_signal_subscribe (child.bus, NULL, FLOOR_IFACE, "Ping", PATH, NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, child_floor_cb, &child, NULL);

  /* Until the parent leaves. */
  watch = g_bus_watch_name_on_connection (child.bus, PARENT_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          NULL, parent_vanished_cb, loop, NULL);
  g_main_loop_run (loop);
  g_bus_unwatch_name (watch);

  return 0;
}

/* }}} */

/* The parent {{{ */

typedef struct
{
  gint64  value;    /* of the last answer */
  guint64 heard;
  guint64 gaps;
  gboolean answered;
} Answer;

static void
parent_pong_cb (IsleStore *store,
                GVariant  *value,
                GVariant  *old_value,
                gpointer   user_data)
{
  Answer *answer = user_data;

  g_variant_get (value, "(xtt)", &answer->value, &answer->heard, &answer->gaps);
  answer->answered = TRUE;
}

static void
parent_floor_cb (GDBusConnection *bus,
                 const char      *sender,
                 const char      *path,
                 const char      *iface,
                 const char      *signal,
                 GVariant        *parameters,
                 gpointer         user_data)
{
  Answer *answer = user_data;

  g_variant_get (parameters, "(xtt)", &answer->value, &answer->heard, &answer->gaps);
  answer->answered = TRUE;
}

static GDBusConnection *parent_bus;
static IsleAtom *ping;
static gint64 next_value = 1;
static guint failures;

/* One ping: through the store, or as a bare signal. */
static void
send_ping (gboolean store,
           gboolean answer)
{
  gint64 v = next_value++;

  if (store)
    isle_atom_set (ping, g_variant_new ("(xb)", v, answer));
  else
    g_dbus_connection_emit_signal (parent_bus, CHILD_NAME, PATH, FLOOR_IFACE, "Ping",
                                   g_variant_new ("(xb)", v, answer), NULL);
}

static void
await (Answer *answer)
{
  while (!answer->answered)
    g_main_context_iteration (NULL, TRUE);
  answer->answered = FALSE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Median round trip of @n pings, in µs. */
static double
latency (gboolean  store,
         Answer   *answer,
         guint     n)
{
  g_autofree double *samples = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      send_ping (store, TRUE);
      await (answer);
      samples[i] = g_get_monotonic_time () - start;
      if (answer->value != next_value - 1 || answer->heard != 1 || answer->gaps != 0)
        {
          fprintf (stderr, "bench-bus: a %s ping was lost or reordered\n",
                   store ? "store" : "signal");
          failures++;
        }
    }

  qsort (samples, n, sizeof (double), compare_doubles);
  return samples[n / 2];
}

/* Sets per second for @n sets in a row, every one heard in order. */
static double
throughput (gboolean  store,
            Answer   *answer,
            guint     n)
{
  gint64 start = g_get_monotonic_time ();
  double seconds;

  for (guint i = 0; i < n; i++)
    send_ping (store, i == n - 1);
  await (answer);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  if (answer->heard != n || answer->gaps != 0)
    {
      fprintf (stderr, "bench-bus: the child heard %" G_GUINT64_FORMAT " of %u %s sets, "
               "%" G_GUINT64_FORMAT " out of order\n", answer->heard, n,
               store ? "store" : "signal", answer->gaps);
      failures++;
    }

  return n / seconds;
}

static int
run_parent (const char *program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTestDBus) test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(IsleBusExport) export = NULL;
  g_autoptr(IsleBusMirror) mirror = NULL;
  g_autoptr(IsleAtom) pong = NULL;
  Answer store_answer = { 0 }, signal_answer = { 0 };
  guint n_latency = quick ? 20 : 5000;
  guint n_throughput = quick ? 200 : 50000;
  guint rounds = quick ? 1 : 5;
  g_autofree double *store_lat = g_new (double, rounds);
  g_autofree double *signal_lat = g_new (double, rounds);
  g_autofree double *store_rate = g_new (double, rounds);
  g_autofree double *signal_rate = g_new (double, rounds);

  g_test_dbus_up (test_bus);
  parent_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (parent_bus == NULL)
    g_error ("%s", error->message);

  ping = isle_atom_new ("ping", G_VARIANT_TYPE ("(xb)"), g_variant_new ("(xb)", (gint64) 0, FALSE));
  export = isle_bus_export_new (parent_bus, PATH, &error);
  if (export == NULL || !isle_bus_export_add_store (export, ISLE_STORE (ping), 0, &error))
    g_error ("%s", error->message);
  own_name (parent_bus, PARENT_NAME);

  pong = isle_atom_new ("pong", G_VARIANT_TYPE ("(xtt)"),
                        g_variant_new ("(xtt)", (gint64) 0, (guint64) 0, (guint64) 0));
  mirror = isle_bus_mirror_new (parent_bus, CHILD_NAME, PATH);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (pong), NULL);
  isle_store_listen (ISLE_STORE (pong), parent_pong_cb, &store_answer, NULL);
  g_dbus_connection_signal_subscribe (parent_bus, NULL, FLOOR_IFACE, "Pong", PATH, NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, parent_floor_cb, &signal_answer,
                                      NULL);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, "--child", NULL);
  if (child == NULL)
    g_error ("%s", error->message);
  wait_connected (mirror);

  /* The child mirrors ping once its own mirror is online: a first
   * exchange of each kind makes sure both ways are up. */
  latency (TRUE, &store_answer, 1);
  latency (FALSE, &signal_answer, 1);

  for (guint r = 0; r < rounds; r++)
    {
      /* The two kinds in turn, so that load on the machine hits both. */
      signal_lat[r] = latency (FALSE, &signal_answer, n_latency);
      store_lat[r] = latency (TRUE, &store_answer, n_latency);
      signal_rate[r] = throughput (FALSE, &signal_answer, n_throughput);
      store_rate[r] = throughput (TRUE, &store_answer, n_throughput);
    }

  qsort (store_lat, rounds, sizeof (double), compare_doubles);
  qsort (signal_lat, rounds, sizeof (double), compare_doubles);
  qsort (store_rate, rounds, sizeof (double), compare_doubles);
  qsort (signal_rate, rounds, sizeof (double), compare_doubles);

  printf ("D-Bus: a set on the owner → the mirror's listener in another process "
          "(private dbus-daemon, median of %u rounds)\n", rounds);
  printf ("  round trip (set, heard, set back, heard; %u per round)\n", n_latency);
  printf ("    bare emit_signal      %8.1f µs\n", signal_lat[rounds / 2]);
  printf ("    Isle export/mirror    %8.1f µs   %.2f× the floor\n", store_lat[rounds / 2],
          store_lat[rounds / 2] / signal_lat[rounds / 2]);
  printf ("  throughput (%u sets in a row, each heard, in order, nothing lost)\n", n_throughput);
  printf ("    bare emit_signal      %8.0f /s\n", signal_rate[rounds / 2]);
  printf ("    Isle export/mirror    %8.0f /s   %.2f× the floor's rate\n", store_rate[rounds / 2],
          store_rate[rounds / 2] / signal_rate[rounds / 2]);
  fflush (stdout);

  /* The child leaves when our name does. */
  g_dbus_connection_close_sync (parent_bus, NULL, NULL);
  g_subprocess_wait (child, NULL, NULL);
  g_clear_object (&mirror);
  g_clear_object (&export);
  g_clear_object (&ping);
  g_clear_object (&parent_bus);
  g_test_dbus_down (test_bus);

  if (failures > 0)
    fprintf (stderr, "bench-bus: %u checks failed\n", failures);
  return failures > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  gboolean child = FALSE;
  GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "A few rounds: check that nothing is lost", NULL },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-bus: %s\n", error->message);
      return 2;
    }

  return child ? run_child () : run_parent (argv[0]);
}
