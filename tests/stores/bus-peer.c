/* bus-peer.c: the other process of test-bus and test_bus.py
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Owns a bus name and exports test stores at /org/isletoolkit/Isle/Test,
 * then does what its standard input says, one command a line:
 *
 *   set NAME VALUE         sets a store (VALUE in GVariant text form)
 *   setkey NAME KEY VALUE  sets one key of a map
 *   print NAME             prints “NAME=VALUE”
 *   race N                 sets count to 0, 2, 4 … 2(N−1), a few sets per
 *                          main-loop turn, then prints “raced”
 *   check                  prints “order ok” if every change count's
 *                          listener heard continued the one before, and
 *                          the even and the odd values each rose; else
 *                          “order bad: …”
 *   emit-bad               sends Changed signals a mirror must ignore
 *   stall MS               prints “stalling”, then answers nothing for MS ms
 *                          (its main loop is blocked: calls wait in its queue)
 *   quit                   leaves
 *
 * Usage: bus-peer [--name NAME] [--count N] [--hostile] [--export-late MS]
 * (--hostile exports “count” as a string store; --export-late owns the
 * name MS ms before it exports anything).
 */

#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>

#include "isle-stores.h"

#define OBJECT_PATH "/org/isletoolkit/Isle/Test"

static GMainLoop *loop;
static GHashTable *stores;      /* name → IsleStore */
static IsleBusExport *export;
static GDBusConnection *connection;
static GString *order_error;
static gint64 last_even = -1, last_odd = -1, last_value;
static gboolean heard_any;
static int race_next, race_total;


static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static GVariant *
reject_negative (IsleAtom  *atom,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data,
                 GError   **error)
{
  if (g_variant_get_int32 (value) < 0)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_REJECTED, "no negative counts");
      return NULL;
    }

  return g_variant_ref (value);
}

static GVariant *
double_count (GVariant *values,
              gpointer  user_data)
{
  g_autoptr(GVariant) count = g_variant_get_child_value (values, 0);

  return g_variant_new_int32 (g_variant_get_int32 (count) * 2);
}

static void
count_changed_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  gint64 v = g_variant_get_int32 (value);
  gint64 old = g_variant_get_int32 (old_value);

  if (heard_any && old != last_value && order_error->len == 0)
    g_string_append_printf (order_error, "heard %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT
                            " after %" G_GINT64_FORMAT "; ", old, v, last_value);
  if (v % 2 == 0)
    {
      if (v <= last_even && order_error->len == 0)
        g_string_append_printf (order_error, "even %" G_GINT64_FORMAT " after %"
                                G_GINT64_FORMAT "; ", v, last_even);
      last_even = v;
    }
  else
    {
      if (v <= last_odd && order_error->len == 0)
        g_string_append_printf (order_error, "odd %" G_GINT64_FORMAT " after %"
                                G_GINT64_FORMAT "; ", v, last_odd);
      last_odd = v;
    }
  last_value = v;
  heard_any = TRUE;
}

static gboolean
race_cb (gpointer user_data)
{
  IsleAtom *count = g_hash_table_lookup (stores, "count");

  for (int i = 0; i < 20 && race_next < race_total; i++, race_next++)
    isle_atom_set_int (count, 2 * race_next);

  if (race_next < race_total)
    return G_SOURCE_CONTINUE;

  say ("raced");
  return G_SOURCE_REMOVE;
}

static void
command (const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 4);
  guint n = g_strv_length (words);
  IsleStore *store = n > 1 ? g_hash_table_lookup (stores, words[1]) : NULL;
  g_autoptr(GError) error = NULL;

  if (n == 0)
    return;

  if (g_str_equal (words[0], "quit"))
    g_main_loop_quit (loop);
  else if (g_str_equal (words[0], "print") && store != NULL)
    {
      g_autoptr(GVariant) value = isle_store_get_value (store);
      g_autofree char *text = g_variant_print (value, FALSE);

      say ("%s=%s", words[1], text);
    }
  else if (g_str_equal (words[0], "set") && store != NULL && n >= 3)
    {
      g_autofree char *rest = g_strjoinv (" ", words + 2);
      g_autoptr(GVariant) value = g_variant_parse (isle_store_get_value_type (store), rest,
                                                   NULL, NULL, &error);

      if (value == NULL)
        say ("error %s", error->message);
      else if (ISLE_IS_MAP (store))
        isle_map_replace (ISLE_MAP (store), value);
      else
        isle_atom_set (ISLE_ATOM (store), value);
    }
  else if (g_str_equal (words[0], "setkey") && ISLE_IS_MAP (store) && n == 4)
    {
      g_autoptr(GVariant) value = g_variant_parse (NULL, words[3], NULL, NULL, &error);

      if (value == NULL)
        say ("error %s", error->message);
      else
        isle_map_set_key (ISLE_MAP (store), words[2], value);
    }
  else if (g_str_equal (words[0], "race") && n == 2)
    {
      race_next = 0;
      race_total = atoi (words[1]);
      g_idle_add (race_cb, NULL);
    }
  else if (g_str_equal (words[0], "check"))
    say ("order %s%s", order_error->len == 0 ? "ok" : "bad: ", order_error->str);
  else if (g_str_equal (words[0], "stall") && n == 2)
    {
      say ("stalling");
      g_usleep (G_TIME_SPAN_MILLISECOND * g_ascii_strtoll (words[1], NULL, 10));
    }
  else if (g_str_equal (words[0], "emit-bad"))
    {
      /* A wrong signature, and a serial from the past. */
      g_dbus_connection_emit_signal (connection, NULL, OBJECT_PATH, ISLE_BUS_INTERFACE,
                                     "Changed", g_variant_new ("(s)", "count"), NULL);
      g_dbus_connection_emit_signal (connection, NULL, OBJECT_PATH, ISLE_BUS_INTERFACE,
                                     "Changed",
                                     g_variant_new_parsed ("({'count': <int32 -5>}, uint64 0)"),
                                     NULL);
      g_dbus_connection_flush_sync (connection, NULL, NULL);
      say ("emitted");
    }
  else
    say ("error unknown command “%s”", line);
}

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object),
                                                                result, NULL, NULL);

  if (line == NULL)
    {
      g_main_loop_quit (loop);
      return;
    }

  command (line);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                       NULL, line_cb, NULL);
}

static void
name_acquired_cb (GDBusConnection *bus,
                  const char      *name,
                  gpointer         user_data)
{
  say ("ready");
}

static void
name_lost_cb (GDBusConnection *bus,
              const char      *name,
              gpointer         user_data)
{
  say ("error lost the name %s", name);
  exit (1);
}

static void
add (IsleStore *store)
{
  g_hash_table_insert (stores, g_strdup (isle_store_get_name (store)), store);
}

/* Every store: “secret” read-only, “cart” with quantities. */
static gboolean
export_all (gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  IsleStore *store;
  const char *name;

  export = isle_bus_export_new (connection, OBJECT_PATH, &error);
  if (export == NULL)
    g_error ("%s", error->message);

  g_hash_table_iter_init (&iter, stores);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &store))
    {
      gboolean added;

      if (g_str_equal (name, "cart"))
        added = isle_bus_export_add_map (export, ISLE_MAP (store), G_VARIANT_TYPE_INT32, 0, &error);
      else
        added = isle_bus_export_add_store (export, store,
                                           g_str_equal (name, "secret")
                                           ? ISLE_BUS_EXPORT_READ_ONLY : ISLE_BUS_EXPORT_DEFAULT,
                                           &error);
      if (!added)
        g_error ("%s", error->message);
    }

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *name = NULL;
  int count_value = 7;
  gboolean hostile = FALSE;
  int export_late = 0;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The bus name to own", "NAME" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count_value, "The first value of count", "N" },
    { "hostile", 0, 0, G_OPTION_ARG_NONE, &hostile, "Export count as a string", NULL },
    { "export-late", 0, 0, G_OPTION_ARG_INT, &export_late, "Export MS ms after owning the name", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  IsleStore *count;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (connection == NULL)
    g_error ("%s", error->message);

  loop = g_main_loop_new (NULL, FALSE);
  order_error = g_string_new (NULL);
  stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (hostile)
    count = ISLE_STORE (isle_atom_new_string ("count", "seven"));
  else
    {
      count = ISLE_STORE (isle_atom_new_int ("count", count_value));
      isle_atom_set_filter (ISLE_ATOM (count), reject_negative, NULL, NULL);
      isle_store_listen (count, count_changed_cb, NULL, NULL);
    }
  add (count);
  add (ISLE_STORE (isle_atom_new_string ("title", "hello")));
  add (ISLE_STORE (isle_map_new ("cart", NULL)));
  add (ISLE_STORE (isle_atom_new_int ("secret", 1)));
  if (!hostile)
    add (ISLE_STORE (isle_computed_new ("double", G_VARIANT_TYPE_INT32, &count, 1,
                                        double_count, NULL, NULL)));

  /* Exported before the name is owned, as an owner should; or late, as a
   * careless one does. */
  if (export_late > 0)
    g_timeout_add (export_late, export_all, NULL);
  else
    export_all (NULL);

  stdin_stream = g_unix_input_stream_new (0, FALSE);
  lines = g_data_input_stream_new (stdin_stream);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, line_cb, NULL);

  g_bus_own_name_on_connection (connection,
                                name != NULL ? name : "org.isletoolkit.Isle.TestOwner",
                                G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                name_acquired_cb, name_lost_cb, NULL, NULL);

  g_main_loop_run (loop);

  g_clear_object (&export);
  g_hash_table_unref (stores);
  g_main_loop_unref (loop);
  g_string_free (order_error, TRUE);
  g_object_unref (connection);

  return 0;
}
