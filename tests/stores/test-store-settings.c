/* test-store-settings.c: stores bound to GSettings keys
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * g_settings_bind () cannot bind a store's "value" (GLib's default mapping
 * knows no GVariant properties); isle_store_bind_setting () can. These run
 * under GSETTINGS_BACKEND=memory, and with the keyfile backend across a
 * restart, against a schema compiled into the build folder.
 */

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"
#define SCHEMA_ID "org.isletoolkit.Isle.Test"

static GSettingsSchema *
test_schema (void)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GError) error = NULL;
  GSettingsSchema *schema;

  source = g_settings_schema_source_new_from_directory (ISLE_TEST_SCHEMA_DIR, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, FALSE);
  g_assert_nonnull (schema);

  return schema;
}

/* Settings of the test schema in @backend, or in a memory backend of
 * their own (so each test starts from the defaults). */
static GSettings *
test_settings (GSettingsBackend *backend)
{
  g_autoptr(GSettingsSchema) schema = test_schema ();
  g_autoptr(GSettingsBackend) memory = NULL;

  if (backend == NULL)
    backend = memory = g_memory_settings_backend_new ();

  return g_settings_new_full (schema, backend, NULL);
}

static void
count_int_cb (IsleStore *store,
              int        value,
              int        old_value,
              gpointer   user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%d<%d;", value, old_value);
}

/* Both ways: the atom takes the setting's value at once, then each follows
 * the other; unbinding ends it. */
static void
test_settings_both_ways (void)
{
  g_autoptr(GSettings) settings = test_settings (NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  IsleAtom *count = isle_atom_new_int ("count", 0);

  isle_store_listen_int (ISLE_STORE (count), count_int_cb, log, NULL);

  g_assert_true (isle_store_bind_setting (ISLE_STORE (count), settings, "count",
                                          G_SETTINGS_BIND_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 42);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (count)), ==, 2);

  isle_atom_set_int (count, 7);
  g_assert_cmpint (g_settings_get_int (settings, "count"), ==, 7);

  g_settings_set_int (settings, "count", 9);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 9);
  g_assert_cmpstr (log->str, ==, "42<0;7<42;9<7;");

  g_settings_unbind (count, "value");
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (count)), ==, 1);
  g_settings_set_int (settings, "count", 10);
  isle_atom_set_int (count, 11);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 11);
  g_assert_cmpint (g_settings_get_int (settings, "count"), ==, 10);

  g_assert_finalize_object (count);
}

/* One way only, either way; a string and a double too. */
static void
test_settings_one_way (void)
{
  g_autoptr(GSettings) settings = test_settings (NULL);
  IsleAtom *name = isle_atom_new_string ("name", "Grace");
  IsleAtom *ratio = isle_atom_new_double ("ratio", 2.0);
  g_autofree char *text = NULL;

  g_assert_true (isle_store_bind_setting (ISLE_STORE (name), settings, "name",
                                          G_SETTINGS_BIND_GET, NULL));
  text = isle_store_dup_string (ISLE_STORE (name));
  g_assert_cmpstr (text, ==, "Ada");
  isle_atom_set_string (name, "Lin");
  g_clear_pointer (&text, g_free);
  text = g_settings_get_string (settings, "name");
  g_assert_cmpstr (text, ==, "Ada");

  g_assert_true (isle_store_bind_setting (ISLE_STORE (ratio), settings, "ratio",
                                          G_SETTINGS_BIND_SET, NULL));
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (ratio)), ==, 2.0);
  isle_atom_set_double (ratio, 0.25);
  g_assert_cmpfloat (g_settings_get_double (settings, "ratio"), ==, 0.25);
  g_settings_set_double (settings, "ratio", 0.75);
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (ratio)), ==, 0.25);

  g_settings_unbind (name, "value");
  g_settings_unbind (ratio, "value");
  g_assert_finalize_object (name);
  g_assert_finalize_object (ratio);
}

static GVariant *
below_hundred_cb (IsleAtom  *atom,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data,
                  GError   **error)
{
  if (g_variant_get_int32 (value) >= 100)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_REJECTED, "too big");
      return NULL;
    }
  return g_variant_ref (value);
}

/* A value from the setting goes through the atom's filter. */
static void
test_settings_filter (void)
{
  g_autoptr(GSettings) settings = test_settings (NULL);
  IsleAtom *count = isle_atom_new_int ("filtered", 0);

  isle_atom_set_filter (count, below_hundred_cb, NULL, NULL);
  g_assert_true (isle_store_bind_setting (ISLE_STORE (count), settings, "count",
                                          G_SETTINGS_BIND_DEFAULT, NULL));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 42);

  g_settings_set_int (settings, "count", 500);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 42);
  g_settings_set_int (settings, "count", 50);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 50);

  g_settings_unbind (count, "value");
  g_assert_finalize_object (count);
}

static GVariant *
double_it_cb (GVariant *values,
              gpointer  user_data)
{
  int value;

  g_variant_get (values, "(i)", &value);
  return g_variant_new_int32 (2 * value);
}

/* What cannot be bound says why, and binds nothing. */
static void
test_settings_bad_input (void)
{
  g_autoptr(GSettings) settings = test_settings (NULL);
  g_autoptr(GError) error = NULL;
  IsleAtom *text = isle_atom_new_string ("text", "x");
  IsleAtom *count = isle_atom_new_int ("source", 3);
  IsleComputed *doubled;

  g_assert_false (isle_store_bind_setting (ISLE_STORE (text), settings, "count",
                                           G_SETTINGS_BIND_DEFAULT, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "atom “text”"));
  g_assert_nonnull (strstr (error->message, "“s”"));
  g_assert_nonnull (strstr (error->message, "“i”"));
  g_clear_error (&error);

  g_assert_false (isle_store_bind_setting (ISLE_STORE (text), settings, "missing",
                                           G_SETTINGS_BIND_DEFAULT, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  doubled = isle_computed_new ("doubled", G_VARIANT_TYPE_INT32,
                               (IsleStore *[]) { ISLE_STORE (count) }, 1,
                               double_it_cb, NULL, NULL);
  g_assert_false (isle_store_bind_setting (ISLE_STORE (doubled), settings, "count",
                                           G_SETTINGS_BIND_DEFAULT, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* A computed store may feed a setting. */
  g_assert_true (isle_store_bind_setting (ISLE_STORE (doubled), settings, "count",
                                          G_SETTINGS_BIND_SET, &error));
  g_assert_cmpint (g_settings_get_int (settings, "count"), ==, 6);
  isle_atom_set_int (count, 4);
  g_assert_cmpint (g_settings_get_int (settings, "count"), ==, 8);
  g_settings_unbind (doubled, "value");

  {
    g_autofree char *kept = isle_store_dup_string (ISLE_STORE (text));

    g_assert_cmpstr (kept, ==, "x");
  }
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*key != NULL*");
  g_assert_false (isle_store_bind_setting (ISLE_STORE (text), settings, NULL, 0, NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_IS_SETTINGS*");
  g_assert_false (isle_store_bind_setting (ISLE_STORE (text), NULL, "count", 0, NULL));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (doubled);
  g_assert_finalize_object (count);
  g_assert_finalize_object (text);
}

/* With the keyfile backend, a value set through the store is there after
 * a restart (a new backend on the same file, a new store). */
static void
test_settings_keyfile_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("isle-settings-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "settings.ini", NULL);

  for (int run = 0; run < 2; run++)
    {
      g_autoptr(GSettingsBackend) backend = g_keyfile_settings_backend_new (path, "/", NULL);
      g_autoptr(GSettings) settings = test_settings (backend);
      IsleAtom *count = isle_atom_new_int ("persistent", 0);

      g_assert_true (isle_store_bind_setting (ISLE_STORE (count), settings, "count",
                                              G_SETTINGS_BIND_DEFAULT, NULL));
      if (run == 0)
        {
          g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 42);
          isle_atom_set_int (count, 314);
          g_settings_sync ();
        }
      else
        {
          g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 314);
        }

      g_settings_unbind (count, "value");
      g_assert_finalize_object (count);
    }

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/StoreSettings/both-ways", test_settings_both_ways);
  g_test_add_func ("/Isle/StoreSettings/one-way", test_settings_one_way);
  g_test_add_func ("/Isle/StoreSettings/filter", test_settings_filter);
  g_test_add_func ("/Isle/StoreSettings/bad-input", test_settings_bad_input);
  g_test_add_func ("/Isle/StoreSettings/keyfile-restart", test_settings_keyfile_restart);

  return g_test_run ();
}
