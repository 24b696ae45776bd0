/* test-bus.c: unit tests for IsleBusExport and IsleBusMirror
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two processes on one private bus (meson runs this under its own
 * dbus-run-session): this one mirrors, bus-peer (ISLE_TEST_BUS_PEER) owns
 * and exports, and is killed and started again as a test needs.
 */

#include "isle-stores.h"
#include "test-common.h"

#define OWNER_NAME  "org.isletoolkit.Isle.TestOwner"
#define OBJECT_PATH "/org/isletoolkit/Isle/Test"

/* The owner process {{{ */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GOutputStream    *in;
  gboolean          killed;
} Peer;

static char *
peer_read_line (Peer *peer)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (peer->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static Peer *
peer_start (const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  const char *arg;
  Peer *peer = g_new0 (Peer, 1);
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("ISLE_TEST_BUS_PEER"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  peer->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                     &error);
  g_assert_no_error (error);
  peer->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  peer->in = g_subprocess_get_stdin_pipe (peer->process);

  ready = peer_read_line (peer);
  g_assert_cmpstr (ready, ==, "ready");

  return peer;
}

static void
peer_send (Peer       *peer,
           const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (line, "\n", NULL);

  g_output_stream_write_all (peer->in, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* What the owner holds now. */
static char *
peer_print (Peer       *peer,
            const char *name)
{
  g_autofree char *line = g_strconcat ("print ", name, NULL);
  g_autofree char *answer = NULL;
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  peer_send (peer, line);
  answer = peer_read_line (peer);
  g_assert_true (g_str_has_prefix (answer, prefix));
  return g_strdup (answer + strlen (prefix));
}

static void
peer_free (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  if (peer == NULL)
    return;

  if (!peer->killed)
    {
      peer_send (peer, "quit");
      g_subprocess_wait (peer->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (peer->process));
    }
  g_object_unref (peer->out);
  g_object_unref (peer->process);
  g_free (peer);
}

static void
peer_kill (Peer *peer)
{
  g_subprocess_force_exit (peer->process);
  g_subprocess_wait (peer->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (peer->process));
  peer->killed = TRUE;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* }}} */

/* Helpers {{{ */

static GDBusConnection *
session (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static void
wait_connected (IsleBusMirror *mirror,
                gboolean       connected)
{
  while (isle_bus_mirror_get_connected (mirror) != connected)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_int (IsleStore *store,
          int        value)
{
  while (isle_store_get_int (store) != value)
    g_main_context_iteration (NULL, TRUE);
}

/* Every change a listener heard, as “old→new”. */
static void
log_int_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
  g_string_append_printf (user_data, "%d→%d ", g_variant_get_int32 (old_value),
                          g_variant_get_int32 (value));
}

typedef struct
{
  IsleStore *store;
  GError    *error;
  guint      count;
} StoreError;

static void
store_error_cb (IsleBusMirror *mirror,
                IsleStore     *store,
                GError        *error,
                StoreError    *seen)
{
  seen->store = store;
  g_clear_error (&seen->error);
  seen->error = g_error_copy (error);
  seen->count++;
}

static void
wait_store_error (StoreError *seen,
                  guint       count)
{
  while (seen->count < count)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static GVariant *
first_value (GVariant *values,
             gpointer  user_data)
{
  return g_variant_get_child_value (values, 0);
}

/* A call as another program (gdbus call) would make it. */
static GVariant *
call (GDBusConnection  *connection,
      const char       *method,
      GVariant         *parameters,
      GError          **error)
{
  return g_dbus_connection_call_sync (connection, OWNER_NAME, OBJECT_PATH, ISLE_BUS_INTERFACE,
                                      method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                      NULL, error);
}

/* }}} */

static void
test_mirror_follows_owner (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(Peer) owner = peer_start (NULL);
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 0);
  g_autoptr(IsleAtom) twice = isle_atom_new_int ("double", 0);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (isle_bus_mirror_get_connected (mirror));
  g_assert_true (isle_bus_mirror_add_store (mirror, ISLE_STORE (count), &error));
  g_assert_no_error (error);
  g_assert_true (isle_bus_mirror_add_store (mirror, ISLE_STORE (twice), &error));
  isle_store_listen (ISLE_STORE (count), log_int_cb, log, NULL);

  /* The snapshot: the owner's first value, heard as a change. */
  wait_connected (mirror, TRUE);
  g_assert_nonnull (isle_bus_mirror_get_name_owner (mirror));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (twice)), ==, 14);
  g_assert_cmpstr (log->str, ==, "0→7 ");

  /* The owner sets: the mirror hears old and new value. A computed
   * store of the owner is mirrored too. */
  peer_send (owner, "set count 8");
  wait_int (ISLE_STORE (twice), 16);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 8);
  g_assert_cmpstr (log->str, ==, "0→7 7→8 ");

  isle_bus_mirror_remove_store (mirror, "count");
  isle_bus_mirror_remove_store (mirror, "double");
  g_assert_finalize_object (g_steal_pointer (&mirror));
  g_assert_finalize_object (g_steal_pointer (&count));
  g_assert_finalize_object (g_steal_pointer (&twice));
}

static void
test_mirror_sets_go_to_owner (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(Peer) owner = peer_start (NULL);
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 0);
  g_autoptr(IsleMap) cart = isle_map_new ("cart", NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GVariant) tea = NULL;
  g_autoptr(GVariant) coffee = NULL;
  g_autofree char *owner_count = NULL;
  g_autofree char *owner_cart = NULL;

  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (cart), NULL);
  wait_connected (mirror, TRUE);
  isle_store_listen (ISLE_STORE (count), log_int_cb, log, NULL);

  /* The owner decides: the local copy does not change before it answers,
   * so no value flickers. */
  isle_atom_set_int (count, 9);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);
  g_assert_cmpstr (log->str, ==, "");
  wait_int (ISLE_STORE (count), 9);
  g_assert_cmpstr (log->str, ==, "7→9 ");
  owner_count = peer_print (owner, "count");
  g_assert_cmpstr (owner_count, ==, "9");

  /* One key of a map, both ways; the other process's key is kept. */
  peer_send (owner, "setkey cart coffee 1");
  isle_map_set_key (cart, "tea", g_variant_new_int32 (2));
  while (tea == NULL || coffee == NULL)
    {
      g_clear_pointer (&tea, g_variant_unref);
      g_clear_pointer (&coffee, g_variant_unref);
      g_main_context_iteration (NULL, TRUE);
      tea = isle_map_get_key (cart, "tea");
      coffee = isle_map_get_key (cart, "coffee");
    }
  g_assert_cmpint (g_variant_get_int32 (tea), ==, 2);
  owner_cart = peer_print (owner, "cart");
  g_assert_true (strstr (owner_cart, "'tea': <2>") != NULL);
  g_assert_true (strstr (owner_cart, "'coffee': <1>") != NULL);

  isle_map_set_key (cart, "tea", NULL);
  while (tea != NULL)
    {
      g_clear_pointer (&tea, g_variant_unref);
      g_main_context_iteration (NULL, TRUE);
      tea = isle_map_get_key (cart, "tea");
    }
}

static void
test_bad_input (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(Peer) owner = peer_start (NULL);
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 0);
  g_autoptr(IsleAtom) secret = isle_atom_new_int ("secret", 0);
  StoreError seen = { NULL };
  g_autofree char *owner_count = NULL;
  g_autofree char *owner_secret = NULL;
  g_autoptr(GVariant) list = NULL;
  struct {
    const char *method;
    const char *parameters;
    int         code;
    const char *message;
  } cases[] = {
    { "Set", "('nothing', <1>)", ISLE_ERROR_NOT_FOUND, "*“nothing”*" },
    { "Set", "('count', <'eight'>)", ISLE_ERROR_WRONG_TYPE, "*“count”*“i”*“s”*" },
    { "Set", "('count', <int32 -1>)", ISLE_ERROR_REJECTED, "*“count”*no negative counts*" },
    { "Set", "('double', <int32 4>)", ISLE_ERROR_READ_ONLY, "*“double”*" },
    { "Set", "('secret', <int32 4>)", ISLE_ERROR_READ_ONLY, "*“secret”*" },
    { "SetKey", "('count', 'a', <1>)", ISLE_ERROR_WRONG_TYPE, "*“count”*not a map*" },
    { "SetKey", "('secret', 'a', <1>)", ISLE_ERROR_WRONG_TYPE, "*“secret”*not a map*" },
    { "RemoveKey", "('nothing', 'a')", ISLE_ERROR_NOT_FOUND, "*“nothing”*" },
    { "SetKey", "('cart', 'tea', <'two'>)", ISLE_ERROR_WRONG_TYPE, "*“cart”*“i”*“tea”*“s”*" },
    { "Set", "('cart', <{'tea': <int32 1>, 'cake': <1.5>}>)", ISLE_ERROR_WRONG_TYPE,
      "*“cart”*“cake”*“d”*" },
    { "Set", "('cart', <'everything'>)", ISLE_ERROR_WRONG_TYPE, "*“cart”*“a{sv}”*" },
    { "Get", "('nothing',)", ISLE_ERROR_NOT_FOUND, "*“nothing”*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;

      reply = call (connection, cases[i].method, g_variant_new_parsed (cases[i].parameters),
                    &error);
      g_assert_null (reply);
      g_assert_error (error, ISLE_ERROR, cases[i].code);
      g_dbus_error_strip_remote_error (error);
      if (!g_pattern_match_simple (cases[i].message, error->message))
        g_error ("%s %s: “%s” does not match “%s”", cases[i].method, cases[i].parameters,
                 error->message, cases[i].message);
    }

  /* A wrong signature: GDBus refuses it before any store is touched. */
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = call (connection, "Set",
                                        g_variant_new ("(ss)", "count", "8"), &error);

      g_assert_null (reply);
      g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
    }

  owner_count = peer_print (owner, "count");
  g_assert_cmpstr (owner_count, ==, "7");
  owner_secret = peer_print (owner, "secret");
  g_assert_cmpstr (owner_secret, ==, "1");
    {
      g_autofree char *owner_cart = peer_print (owner, "cart");

      g_assert_cmpstr (owner_cart, ==, "{}");
    }

  /* List says who may set what. */
  list = call (connection, "List", NULL, NULL);
  g_assert_nonnull (list);
    {
      g_autofree char *text = g_variant_print (list, FALSE);

      g_assert_cmpstr (text, ==, "([('cart', 'a{sv}', 'map', true), ('count', 'i', 'atom', true), "
                                 "('double', 'i', 'computed store', false), ('secret', 'i', 'atom', false), "
                                 "('title', 's', 'atom', true)],)");
    }

  /* Through a mirror: the refusal comes back as a store error, and the
   * mirror keeps the owner's value. */
  g_signal_connect (mirror, "store-error", G_CALLBACK (store_error_cb), &seen);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (secret), NULL);
  wait_connected (mirror, TRUE);
  isle_atom_set_int (count, -3);
  wait_store_error (&seen, 1);
  g_assert_true (seen.store == ISLE_STORE (count));
  g_assert_error (seen.error, ISLE_ERROR, ISLE_ERROR_REJECTED);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);
  isle_atom_set_int (secret, 5);
  wait_store_error (&seen, 2);
  g_assert_true (seen.store == ISLE_STORE (secret));
  g_assert_error (seen.error, ISLE_ERROR, ISLE_ERROR_READ_ONLY);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (secret)), ==, 1);
  g_clear_error (&seen.error);
}

static void
test_hostile_owner (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 3);
  g_autoptr(IsleAtom) missing = isle_atom_new_int ("missing", 3);
  g_autoptr(GError) error = NULL;
  StoreError seen = { NULL };
  g_autoptr(Peer) owner = NULL;

  g_signal_connect (mirror, "store-error", G_CALLBACK (store_error_cb), &seen);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (missing), NULL);

  /* An owner whose “count” holds strings: one warning, the value kept. */
  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING, "*“count”*type “i”*type “s”*ignored*");
  owner = peer_start ("--hostile", NULL);
  wait_connected (mirror, TRUE);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 3);
  g_assert_cmpuint (seen.count, ==, 2);

  /* A later string value: no new warning, still a store error. */
  peer_send (owner, "set count 'eight'");
  wait_store_error (&seen, 3);
  g_assert_error (seen.error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 3);
  g_clear_error (&seen.error);
  g_clear_pointer (&owner, peer_free);
  wait_connected (mirror, FALSE);

  /* A well-behaved owner; then signals a mirror must not take: a wrong
   * signature and a serial from the past from the owner, and a Changed
   * from a process that is not the owner. */
  owner = peer_start (NULL);
  wait_connected (mirror, TRUE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);
  peer_send (owner, "emit-bad");
  g_free (peer_read_line (owner));
  g_dbus_connection_emit_signal (connection, NULL, OBJECT_PATH, ISLE_BUS_INTERFACE, "Changed",
                                 g_variant_new_parsed ("({'count': <int32 -9>}, uint64 1000)"),
                                 &error);
  g_assert_no_error (error);
  peer_send (owner, "set count 10");
  wait_int (ISLE_STORE (count), 10);
  /* Had it taken the serial 1000 from the stranger, 10 (serial 1) would
   * have been dropped. */
  g_clear_error (&seen.error);
}

static void
test_owner_killed_and_back (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 1);
  g_autoptr(GString) log = g_string_new (NULL);
  StoreError seen = { NULL };
  guint notifies = 0;
  g_autoptr(Peer) owner = NULL;

  g_signal_connect (mirror, "store-error", G_CALLBACK (store_error_cb), &seen);
  g_signal_connect_swapped (mirror, "notify::connected", G_CALLBACK (count_cb), &notifies);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);
  isle_store_listen (ISLE_STORE (count), log_int_cb, log, NULL);

  /* Made before the owner: offline, with its own value; a set is refused
   * at once, not queued. */
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (isle_bus_mirror_get_connected (mirror));
  g_assert_null (isle_bus_mirror_get_name_owner (mirror));
  isle_atom_set_int (count, 2);
  wait_store_error (&seen, 1);
  g_assert_error (seen.error, ISLE_ERROR, ISLE_ERROR_DISCONNECTED);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 1);

  owner = peer_start (NULL);
  wait_connected (mirror, TRUE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);
  peer_send (owner, "set count 8");
  wait_int (ISLE_STORE (count), 8);

  /* Killed: offline, the last value kept. */
  peer_kill (owner);
  wait_connected (mirror, FALSE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 8);
  isle_atom_set_int (count, 2);
  wait_store_error (&seen, 2);
  g_assert_error (seen.error, ISLE_ERROR, ISLE_ERROR_DISCONNECTED);

  /* Back, with another value: the mirror resyncs. */
  g_clear_pointer (&owner, peer_free);
  owner = peer_start ("--count", "42", NULL);
  wait_connected (mirror, TRUE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 42);
  g_assert_cmpstr (log->str, ==, "1→7 7→8 8→42 ");
  g_assert_cmpuint (notifies, ==, 3);

  /* And it follows the new owner. */
  peer_send (owner, "set count 43");
  wait_int (ISLE_STORE (count), 43);
  g_clear_error (&seen.error);
}

static void
test_owner_exports_late (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 1);
  StoreError seen = { NULL };
  g_autoptr(Peer) owner = NULL;

  g_signal_connect (mirror, "store-error", G_CALLBACK (store_error_cb), &seen);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);

  /* The name first, the stores 300 ms later: the first snapshot fails
   * (reported once, for the whole mirror), a later one is taken. */
  owner = peer_start ("--export-late", "300", NULL);
  wait_connected (mirror, TRUE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_null (seen.store);
  g_assert_true (g_str_has_prefix (seen.error->message, "Could not read the stores"));
  g_clear_error (&seen.error);
}

/* An owner that takes longer than D-Bus's default timeout (25 s) to answer
 * a set has not refused it: the set is applied when the owner gets to it,
 * and nothing is reported as an error (a mirror under load once reported
 * thousands of “Timeout was reached” for sets the owner had applied). */
static void
test_slow_owner (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(Peer) owner = peer_start (NULL);
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 0);
  g_autofree char *stalling = NULL;
  g_autofree char *owner_count = NULL;
  StoreError seen = { NULL };

  g_signal_connect (mirror, "store-error", G_CALLBACK (store_error_cb), &seen);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);
  wait_connected (mirror, TRUE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 7);

  peer_send (owner, "stall 27000");
  stalling = peer_read_line (owner);
  g_assert_cmpstr (stalling, ==, "stalling");
  isle_atom_set_int (count, 9);
  wait_int (ISLE_STORE (count), 9);

  owner_count = peer_print (owner, "count");
  g_assert_cmpstr (owner_count, ==, "9");
  g_assert_cmpuint (seen.count, ==, 0);

  /* Without a timeout a set still cannot wait for ever: an owner killed
   * with the set in its queue ends it with an error, and the store keeps
   * its value. */
  peer_send (owner, "stall 60000");
  g_clear_pointer (&stalling, g_free);
  stalling = peer_read_line (owner);
  g_assert_cmpstr (stalling, ==, "stalling");
  isle_atom_set_int (count, 10);
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  peer_kill (owner);
  wait_store_error (&seen, 1);
  g_assert_true (seen.store == ISLE_STORE (count));
  g_test_message ("the set to a killed owner: %s", seen.error->message);
  g_clear_error (&seen.error);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 9);
}

/* The listener of the race: each change continues the one before, and
 * each process's values come in the order it set them. */
typedef struct
{
  int      last;
  int      last_even;
  int      last_odd;
  guint    heard;
  gboolean bad;
} RaceLog;

static void
race_cb (IsleStore *store,
         GVariant  *value,
         GVariant  *old_value,
         gpointer   user_data)
{
  RaceLog *race = user_data;
  int v = g_variant_get_int32 (value);

  if (g_variant_get_int32 (old_value) != race->last)
    race->bad = TRUE;
  if (v % 2 == 0)
    {
      if (v <= race->last_even)
        race->bad = TRUE;
      race->last_even = v;
    }
  else
    {
      if (v <= race->last_odd)
        race->bad = TRUE;
      race->last_odd = v;
    }
  race->last = v;
  race->heard++;
}

static void
test_race (void)
{
  const int n = 10000;
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(Peer) owner = peer_start ("--count", "-1", NULL);
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 0);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) final = NULL;
  g_autofree char *raced = NULL;
  g_autofree char *check = NULL;
  RaceLog race = { -1, -2, -1, 0, FALSE };
  StoreError seen = { NULL };

  g_signal_connect (mirror, "store-error", G_CALLBACK (store_error_cb), &seen);
  isle_bus_mirror_add_store (mirror, ISLE_STORE (count), NULL);
  wait_connected (mirror, TRUE);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, -1);
  isle_store_listen (ISLE_STORE (count), race_cb, &race, NULL);

  /* The owner sets 0, 2, 4 … while this process sets 1, 3, 5 …, a few
   * per turn, so that the two interleave at the owner. */
  peer_send (owner, "race 10000");
  for (int i = 0; i < n; i++)
    {
      isle_atom_set_int (count, 2 * i + 1);
      if (i % 20 == 0)
        g_main_context_iteration (NULL, FALSE);
    }

  raced = peer_read_line (owner);
  g_assert_cmpstr (raced, ==, "raced");

  /* A call after all of ours: by its reply the owner has taken them. */
  reply = call (connection, "Get", g_variant_new ("(s)", "count"), NULL);
  g_variant_get (reply, "(v)", &final);
  wait_int (ISLE_STORE (count), g_variant_get_int32 (final));

  /* Both converge on the owner's last value, each heard in order. */
  g_assert_cmpuint (seen.count, ==, 0);
  g_assert_false (race.bad);
  g_assert_cmpint (race.last, ==, g_variant_get_int32 (final));
  g_assert_cmpint (race.last_odd, ==, 2 * n - 1);
  g_assert_cmpint (race.last_even, ==, 2 * (n - 1));
  peer_send (owner, "check");
  check = peer_read_line (owner);
  g_assert_cmpstr (check, ==, "order ok");
  g_test_message ("the mirror heard %u of the owner's changes", race.heard);
}

static void
test_add_store_errors (void)
{
  g_autoptr(GDBusConnection) connection = session ();
  g_autoptr(IsleBusMirror) mirror = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleBusMirror) other = isle_bus_mirror_new (connection, OWNER_NAME, OBJECT_PATH);
  g_autoptr(IsleAtom) unnamed = isle_atom_new_int (NULL, 0);
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 0);
  g_autoptr(IsleAtom) count2 = isle_atom_new_int ("count", 0);
  IsleStore *sources[] = { ISLE_STORE (count) };
  g_autoptr(IsleComputed) twice = isle_computed_new ("double", G_VARIANT_TYPE_INT32, sources, 1,
                                                     first_value, NULL, NULL);
  g_autoptr(IsleBusExport) export = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (isle_bus_mirror_add_store (mirror, ISLE_STORE (unnamed), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (isle_bus_mirror_add_store (mirror, ISLE_STORE (twice), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_true (isle_bus_mirror_add_store (mirror, ISLE_STORE (count), &error));
  g_assert_false (isle_bus_mirror_add_store (mirror, ISLE_STORE (count2), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (isle_bus_mirror_add_store (other, ISLE_STORE (count), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS);
  g_clear_error (&error);

  /* Removed, the store is its own again: a set sets it. */
  g_assert_true (isle_bus_mirror_remove_store (mirror, "count"));
  g_assert_false (isle_bus_mirror_remove_store (mirror, "count"));
  isle_atom_set_int (count, 5);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 5);

  /* The export: a name is needed, once; a path once. */
  export = isle_bus_export_new (connection, "/org/isletoolkit/Isle/Other", &error);
  g_assert_no_error (error);
  g_assert_false (isle_bus_export_add_store (export, ISLE_STORE (unnamed), 0, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (isle_bus_export_add_store (export, ISLE_STORE (count), 0, &error));
  g_assert_false (isle_bus_export_add_store (export, ISLE_STORE (count2), 0, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (isle_bus_export_new (connection, "/org/isletoolkit/Isle/Other", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (isle_bus_export_remove_store (export, "count"));
  g_assert_finalize_object (g_steal_pointer (&export));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus: run under dbus-run-session");
      return g_test_run ();
    }

  g_test_add_func ("/Isle/Bus/mirror/follows-owner", test_mirror_follows_owner);
  g_test_add_func ("/Isle/Bus/mirror/sets-go-to-owner", test_mirror_sets_go_to_owner);
  g_test_add_func ("/Isle/Bus/export/bad-input", test_bad_input);
  g_test_add_func ("/Isle/Bus/mirror/hostile-owner", test_hostile_owner);
  g_test_add_func ("/Isle/Bus/mirror/owner-killed-and-back", test_owner_killed_and_back);
  g_test_add_func ("/Isle/Bus/mirror/owner-exports-late", test_owner_exports_late);
  g_test_add_func ("/Isle/Bus/mirror/race", test_race);
  g_test_add_func ("/Isle/Bus/mirror/slow-owner", test_slow_owner);
  g_test_add_func ("/Isle/Bus/add-store-errors", test_add_store_errors);

  return g_test_run ();
}
