/* test-persist.c: unit tests for IslePersist
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Files go to a fresh g_dir_make_tmp() folder, removed afterwards. The
 * read-only and full-disk tests mount a small tmpfs there and skip when
 * that is not permitted (not root, or no mount namespace rights).
 */

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "test-common.h"

/* Fixture {{{ */

typedef struct
{
  char     *dir;      /* a temporary folder */
  GFile    *file;     /* dir/store.gvariant, not created */
  gboolean  mounted;  /* a tmpfs is mounted on dir */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("isle-persist-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->file = g_file_new_build_filename (fixture->dir, "store.gvariant", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_assert_no_errno (g_unlink (child));
        }
    }

  g_assert_no_errno (g_rmdir (path));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->mounted)
    g_assert_no_errno (umount2 (fixture->dir, MNT_DETACH));
  g_clear_object (&fixture->file);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A tmpfs of @size on the fixture's folder, or a skip. */
static gboolean
mount_tmpfs (Fixture    *fixture,
             const char *size)
{
  g_autofree char *options = g_strdup_printf ("size=%s,mode=0700", size);

  if (mount ("tmpfs", fixture->dir, "tmpfs", 0, options) != 0)
    {
      g_autofree char *message = g_strdup_printf ("cannot mount a tmpfs: %s", g_strerror (errno));

      g_test_skip (message);
      return FALSE;
    }

  fixture->mounted = TRUE;
  return TRUE;
}

static void
remount (Fixture  *fixture,
         gboolean  read_only)
{
  g_assert_no_errno (mount ("tmpfs", fixture->dir, "tmpfs",
                            MS_REMOUNT | (read_only ? MS_RDONLY : 0), ""));
}

/* }}} */

/* Helpers {{{ */

static void
write_file (GFile      *file,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (g_file_peek_path (file), contents, length, &error);
  g_assert_no_error (error);
}

static GVariant *
read_saved (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GVariant *value;

  g_assert_true (g_file_get_contents (g_file_peek_path (file), &contents, NULL, NULL));
  value = g_variant_parse (NULL, contents, NULL, NULL, &error);
  g_assert_no_error (error);
  return value;
}

static void
assert_saved (GFile      *file,
              const char *expected)
{
  g_autoptr(GVariant) value = read_saved (file);
  g_autoptr(GVariant) want = g_variant_ref_sink (g_variant_new_parsed (expected));

  if (!g_variant_equal (value, want))
    {
      g_autofree char *text = g_variant_print (value, TRUE);

      g_error ("saved %s, expected %s", text, expected);
    }
}

static void
assert_store (IsleStore  *store,
              const char *expected)
{
  g_autoptr(GVariant) value = isle_store_get_value (store);
  g_autoptr(GVariant) want = g_variant_ref_sink (g_variant_new_parsed (expected));

  if (!g_variant_equal (value, want))
    {
      g_autofree char *text = g_variant_print (value, TRUE);

      g_error ("store holds %s, expected %s", text, expected);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char **
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* The one file in the folder besides none, named like a moved-aside one. */
static char *
assert_moved_aside (Fixture *fixture)
{
  g_auto(GStrv) names = list_dir (fixture->dir);

  g_assert_false (g_file_query_exists (fixture->file, NULL) &&
                  !g_file_test (g_file_peek_path (fixture->file), G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], "store.gvariant.corrupt-"));

  return g_build_filename (fixture->dir, names[0], NULL);
}

typedef struct
{
  gboolean  (*done) (gpointer data);
  gpointer    data;
  gboolean    timed_out;
} Wait;

static gboolean
wait_timeout_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until done (data) holds, at most @timeout_ms. */
static void
run_until (gboolean (*done) (gpointer data),
           gpointer   data,
           guint      timeout_ms)
{
  Wait wait = { done, data, FALSE };
  guint id = g_timeout_add (timeout_ms, wait_timeout_cb, &wait);

  while (!done (data) && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!wait.timed_out)
    g_source_remove (id);
  g_assert_true (done (data));
}

static gboolean
not_pending (gpointer data)
{
  return !isle_persist_get_pending (data);
}

static gboolean
has_error (gpointer data)
{
  return isle_persist_get_error (data) != NULL;
}

static gboolean
has_no_error (gpointer data)
{
  return isle_persist_get_error (data) == NULL;
}

static void
count_saved_cb (IslePersist *persist,
                gpointer     user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* }}} */

/* Saving {{{ */

static void
test_persist_save_load (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(IsleMap) map = isle_map_new (NULL, NULL);
  g_autoptr(IsleMap) again = isle_map_new (NULL, NULL);
  g_autoptr(IslePersist) persist = NULL;
  g_autoptr(IslePersist) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  GStatBuf buf;

  persist = isle_persist_new (ISLE_STORE (map), fixture->file);
  g_assert_true (isle_persist_get_store (persist) == ISLE_STORE (map));
  g_assert_true (isle_persist_get_file (persist) == fixture->file);
  g_assert_true (isle_persist_get_autosave (persist));
  g_assert_null (isle_persist_get_etag (persist));

  isle_map_set_key (map, "tea", g_variant_new_int32 (2));
  isle_map_set_key (map, "salt", g_variant_new_string ("fine"));
  g_assert_true (isle_persist_get_pending (persist));
  g_assert_true (isle_persist_save (persist, &error));
  g_assert_no_error (error);
  g_assert_false (isle_persist_get_pending (persist));
  g_assert_nonnull (isle_persist_get_etag (persist));

  /* The text form, private, nothing left beside it. */
  assert_saved (fixture->file, "{'tea': <2>, 'salt': <'fine'>}");
  g_assert_no_errno (g_stat (g_file_peek_path (fixture->file), &buf));
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  names = list_dir (fixture->dir);
  g_assert_cmpstrv (names, ((const char * const []) { "store.gvariant", NULL }));

  reader = isle_persist_new (ISLE_STORE (again), fixture->file);
  g_assert_true (isle_persist_load (reader, NULL, &error));
  g_assert_no_error (error);
  assert_store (ISLE_STORE (again), "{'tea': <2>, 'salt': <'fine'>}");
  g_assert_cmpstr (isle_persist_get_etag (reader), ==, isle_persist_get_etag (persist));
  /* A load is no change to save. */
  g_assert_false (isle_persist_get_pending (reader));

  g_clear_object (&reader);
  g_clear_object (&persist);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&map));
}

static void
test_persist_debounce (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 0);
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (atom), fixture->file);
  g_autoptr(GError) error = NULL;
  guint saved = 0, pending_notified = 0;
  gint64 start;

  g_signal_connect (persist, "saved", G_CALLBACK (count_saved_cb), &saved);
  g_signal_connect (persist, "notify::pending", G_CALLBACK (count_notify_cb), &pending_notified);
  isle_persist_set_delay (persist, 50);
  g_assert_cmpuint (isle_persist_get_delay (persist), ==, 50);

  /* Three quick changes: one save, shortly after the last. */
  start = g_get_monotonic_time ();
  isle_atom_set_int (atom, 1);
  isle_atom_set_int (atom, 2);
  isle_atom_set_int (atom, 3);
  g_assert_false (g_file_query_exists (fixture->file, NULL));
  run_until (not_pending, persist, 5000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);
  g_assert_cmpuint (saved, ==, 1);
  g_assert_cmpuint (pending_notified, ==, 2);
  assert_saved (fixture->file, "3");

  /* Flush writes what is pending at once, and nothing otherwise. */
  isle_atom_set_int (atom, 4);
  g_assert_true (isle_persist_flush (persist, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (saved, ==, 2);
  assert_saved (fixture->file, "4");
  g_assert_true (isle_persist_flush (persist, &error));
  g_assert_cmpuint (saved, ==, 2);

  /* Dropping the persist object flushes too. */
  isle_atom_set_int (atom, 5);
  g_clear_object (&persist);
  assert_saved (fixture->file, "5");
  g_assert_cmpuint (saved, ==, 3);
}

typedef struct
{
  IsleAtom    *atom;
  GFile       *file;
  gint64       start;
  gint64       last_save;
  gint64       max_gap;      /* µs between two saves, or start and the first */
  guint        n_changes;
  guint        n_saves;
  gint         lag;          /* how far the file was behind, in changes, at most */
  gboolean     done;
} Stream;

static gboolean
stream_tick_cb (gpointer user_data)
{
  Stream *stream = user_data;

  if (g_get_monotonic_time () - stream->start > 1500 * 1000)
    {
      stream->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  isle_atom_set_int (stream->atom, (int) ++stream->n_changes);
  return G_SOURCE_CONTINUE;
}

static void
stream_saved_cb (IslePersist *persist,
                 gpointer     user_data)
{
  Stream *stream = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GVariant) saved = read_saved (stream->file);

  stream->max_gap = MAX (stream->max_gap, now - stream->last_save);
  stream->last_save = now;
  stream->n_saves++;
  /* What is on disk is what the store holds now. */
  stream->lag = MAX (stream->lag, (gint) stream->n_changes - g_variant_get_int32 (saved));
}

static gboolean
stream_done (gpointer data)
{
  Stream *stream = data;

  return stream->done;
}

/* A change every 10 ms for 1.5 s: with a 100 ms debounce alone nothing
 * would be saved until the stream stops; with a 300 ms maximum wait a
 * save comes at least every 300 ms (plus what a busy machine adds). */
static void
test_persist_max_wait (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("stream", 0);
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (atom), fixture->file);
  Stream stream = { atom, fixture->file, 0, };

  isle_persist_set_delay (persist, 100);
  isle_persist_set_max_wait (persist, 300);
  g_assert_cmpuint (isle_persist_get_max_wait (persist), ==, 300);
  g_signal_connect (persist, "saved", G_CALLBACK (stream_saved_cb), &stream);

  stream.start = stream.last_save = g_get_monotonic_time ();
  g_timeout_add (10, stream_tick_cb, &stream);
  run_until (stream_done, &stream, 10000);
  g_test_message ("%u changes in 1.5 s, %u saves during them, longest wait %.0f ms",
                  stream.n_changes, stream.n_saves, stream.max_gap / 1000.0);

  g_assert_cmpuint (stream.n_saves, >=, 3);
  g_assert_cmpint (stream.max_gap, <=, (300 + 250) * 1000);
  g_assert_cmpint (stream.lag, ==, 0);

  run_until (not_pending, persist, 5000);
  {
    g_autoptr(GVariant) last = read_saved (fixture->file);

    g_assert_cmpint (g_variant_get_int32 (last), ==, (gint) stream.n_changes);
  }
  g_clear_object (&persist);
}

/* }}} */

/* Failing saves {{{ */

static void
count_error_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_persist_read_only (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(IsleMap) map = isle_map_new (NULL, NULL);
  g_autoptr(IslePersist) persist = NULL;
  g_autoptr(GError) error = NULL;
  GError *property = NULL;
  guint notified = 0, saved = 0;

  if (!mount_tmpfs (fixture, "1m"))
    return;

  persist = isle_persist_new (ISLE_STORE (map), fixture->file);
  isle_persist_set_delay (persist, 10);
  isle_persist_set_retry_delay (persist, 100);
  g_assert_cmpuint (isle_persist_get_retry_delay (persist), ==, 100);
  g_signal_connect (persist, "notify::error", G_CALLBACK (count_error_cb), &notified);
  g_signal_connect (persist, "saved", G_CALLBACK (count_saved_cb), &saved);
  g_assert_true (isle_persist_load (persist, NULL, NULL));

  isle_map_set_key (map, "tea", g_variant_new_int32 (1));
  g_assert_true (isle_persist_save (persist, NULL));

  remount (fixture, TRUE);
  isle_map_set_key (map, "tea", g_variant_new_int32 (2));

  /* Told once (a warning, the property), however often it retries. */
  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING, "*Could not save*store.gvariant*");
  run_until (has_error, persist, 5000);
  g_test_assert_expected_messages ();
  g_assert_error (isle_persist_get_error (persist), G_FILE_ERROR, G_FILE_ERROR_ROFS);
  g_object_get (persist, "error", &property, NULL);
  g_assert_error (property, G_FILE_ERROR, G_FILE_ERROR_ROFS);
  g_clear_error (&property);
  g_test_message ("%s", isle_persist_get_error (persist)->message);

  /* Kept in memory; the old file untouched; still pending. */
  assert_store (ISLE_STORE (map), "{'tea': <2>}");
  assert_saved (fixture->file, "{'tea': <1>}");
  g_assert_true (isle_persist_get_pending (persist));
  isle_map_set_key (map, "salt", g_variant_new_int32 (1));
  g_usleep (350 * 1000);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (saved, ==, 1);

  /* A flush says why too. */
  g_assert_false (isle_persist_flush (persist, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ROFS);

  /* Writable again: the next retry saves, and says so. */
  remount (fixture, FALSE);
  run_until (has_no_error, persist, 5000);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (saved, ==, 2);
  g_assert_false (isle_persist_get_pending (persist));
  assert_saved (fixture->file, "{'tea': <2>, 'salt': <1>}");
}

static void
test_persist_full_disk (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(IsleMap) map = isle_map_new (NULL, NULL);
  g_autoptr(IslePersist) persist = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *big = NULL;
  g_auto(GStrv) names = NULL;
  GVariantBuilder builder;

  if (!mount_tmpfs (fixture, "64k"))
    return;

  persist = isle_persist_new (ISLE_STORE (map), fixture->file);
  isle_persist_set_delay (persist, 10);
  isle_persist_set_retry_delay (persist, 100);

  isle_map_set_key (map, "tea", g_variant_new_int32 (1));
  g_assert_true (isle_persist_save (persist, NULL));

  /* 2 000 lines do not fit in what is left. */
  filler = g_build_filename (fixture->dir, "filler", NULL);
  big = g_malloc0 (40 * 1024);
  g_assert_true (g_file_set_contents (filler, big, 40 * 1024, NULL));
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *key = g_strdup_printf ("product-%04u", i);

      g_variant_builder_add (&builder, "{sv}", key, g_variant_new_int32 (i + 1));
    }
  isle_map_replace (map, g_variant_builder_end (&builder));

  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING, "*Could not save*store.gvariant*");
  run_until (has_error, persist, 5000);
  g_test_assert_expected_messages ();
  g_test_message ("%s", isle_persist_get_error (persist)->message);
  g_assert_true (g_error_matches (isle_persist_get_error (persist), G_FILE_ERROR, G_FILE_ERROR_NOSPC) ||
                 g_error_matches (isle_persist_get_error (persist), G_IO_ERROR, G_IO_ERROR_NO_SPACE));

  /* The old file is whole (an atomic write), no half-written one is left. */
  assert_saved (fixture->file, "{'tea': <1>}");
  names = list_dir (fixture->dir);
  g_assert_cmpstrv (names, ((const char * const []) { "filler", "store.gvariant", NULL }));
  {
    g_autoptr(GVariant) held = isle_store_get_value (ISLE_STORE (map));

    g_assert_cmpuint (g_variant_n_children (held), ==, 2000);
  }

  /* Room again: the retry saves. */
  g_assert_no_errno (g_unlink (filler));
  run_until (has_no_error, persist, 5000);
  run_until (not_pending, persist, 5000);
  {
    g_autoptr(GVariant) saved = read_saved (fixture->file);

    g_assert_cmpuint (g_variant_n_children (saved), ==, 2000);
  }
}

static void
test_persist_too_large_to_save (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_string ("text", "short");
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (atom), fixture->file);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (200, 'x');

  isle_persist_set_max_size (persist, 100);
  g_assert_cmpuint (isle_persist_get_max_size (persist), ==, 100);
  g_assert_true (isle_persist_save (persist, &error));

  /* What would be refused when read is not written either. */
  isle_atom_set_string (atom, text);
  g_assert_false (isle_persist_save (persist, &error));
  g_assert_error (error, ISLE_FILE_ERROR, ISLE_FILE_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  assert_saved (fixture->file, "'short'");

  /* Smaller again. */
  isle_atom_set_string (atom, "fine");
  g_clear_error (&error);
  g_assert_true (isle_persist_save (persist, &error));
  g_assert_null (isle_persist_get_error (persist));
}

/* }}} */

/* Loading {{{ */

static void
test_persist_load_missing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 7);
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (atom), fixture->file);
  g_autoptr(GError) error = NULL;

  g_assert_true (isle_persist_load (persist, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 7);
  g_assert_null (isle_persist_get_etag (persist));
  g_assert_false (g_file_query_exists (fixture->file, NULL));
}

/* Each bad file: an error naming where it went, the file moved aside, the
 * store at its default. */
static void
assert_load_refused (Fixture    *fixture,
                     IsleStore  *store,
                     int         code,
                     const char *expected)
{
  g_autoptr(IslePersist) persist = isle_persist_new (store, fixture->file);
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;

  isle_persist_set_max_size (persist, 4096);
  g_assert_false (isle_persist_load (persist, NULL, &error));
  g_assert_error (error, ISLE_FILE_ERROR, code);
  g_test_message ("%s", error->message);
  assert_store (store, expected);

  aside = assert_moved_aside (fixture);
  if (strstr (error->message, aside) == NULL)
    g_error ("“%s” does not say “%s”", error->message, aside);
  g_assert_no_errno (g_unlink (aside));
}

static void
test_persist_load_corrupt (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *cases[] = {
    "garbage {",
    "",
    "[1, 2, 3]\n",                 /* the wrong type */
    "{'tea': 2}\n",                /* “a{si}”, not “a{sv}” */
    "{'tea': <2>} trailing\n",
    "{'tea-\xff\xfe': <2>}\n",     /* not UTF-8 */
  };
  g_autoptr(IsleMap) map = isle_map_new (NULL, g_variant_new_parsed ("{'default': <1>}"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("Case %u", i);
      write_file (fixture->file, cases[i], -1);
      assert_load_refused (fixture, ISLE_STORE (map), ISLE_FILE_ERROR_CORRUPT,
                           "{'default': <1>}");
    }

  /* A NUL inside. */
  write_file (fixture->file, "{'a': <1>}\0{'b': <2>}", 21);
  assert_load_refused (fixture, ISLE_STORE (map), ISLE_FILE_ERROR_CORRUPT,
                       "{'default': <1>}");
}

static GVariant *
refuse_negative (IslePersist *persist,
                 GVariant    *value,
                 gboolean     loading,
                 gpointer     user_data)
{
  guint *calls = user_data;

  calls[loading ? 0 : 1]++;
  if (loading && g_variant_get_int32 (value) < 0)
    return NULL;

  return g_variant_new_int32 (ABS (g_variant_get_int32 (value)));
}

static void
test_persist_filter (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 3);
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (atom), fixture->file);
  g_autoptr(GError) error = NULL;
  guint calls[2] = { 0, 0 };
  guint destroyed = 0;

  isle_persist_set_filter_func (persist, refuse_negative, calls, NULL);

  /* Written as the filter makes it. */
  isle_atom_set_int (atom, -4);
  g_assert_true (isle_persist_save (persist, NULL));
  assert_saved (fixture->file, "4");
  g_assert_cmpuint (calls[1], ==, 1);

  /* Read as the filter makes it; a refused value makes the file corrupt. */
  g_assert_true (isle_persist_load (persist, NULL, NULL));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 4);
  write_file (fixture->file, "-1", -1);
  g_assert_false (isle_persist_load (persist, NULL, &error));
  g_assert_error (error, ISLE_FILE_ERROR, ISLE_FILE_ERROR_CORRUPT);
  g_assert_cmpuint (calls[0], ==, 2);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 4);
  g_free (assert_moved_aside (fixture));

  isle_persist_set_filter_func (persist, refuse_negative, calls, count_destroy);
  isle_persist_set_filter_func (persist, NULL, &destroyed, count_destroy);
  g_clear_object (&persist);
  g_assert_cmpuint (destroyed, ==, 1);
}

static void
test_persist_load_too_large (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_string ("text", "default");
  g_autoptr(GString) text = g_string_new ("'");

  /* A valid value, but over the limit of 4096 bytes. */
  while (text->len < 5000)
    g_string_append (text, "xxxxxxxxxx");
  g_string_append (text, "'\n");
  write_file (fixture->file, text->str, text->len);
  assert_load_refused (fixture, ISLE_STORE (atom), ISLE_FILE_ERROR_TOO_LARGE, "'default'");
}

static void
test_persist_load_fifo (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 1);
  gint64 start = g_get_monotonic_time ();

  /* Nobody writes to it: opening it for reading would wait forever. */
  g_assert_no_errno (mkfifo (g_file_peek_path (fixture->file), 0600));
  assert_load_refused (fixture, ISLE_STORE (atom), ISLE_FILE_ERROR_UNREADABLE, "1");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_persist_load_device (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 1);

  if (!g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/zero");
      return;
    }

  /* Endless zeros: never read. The link is moved aside, not /dev/zero. */
  g_assert_no_errno (symlink ("/dev/zero", g_file_peek_path (fixture->file)));
  assert_load_refused (fixture, ISLE_STORE (atom), ISLE_FILE_ERROR_UNREADABLE, "1");
  g_assert_true (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} AsyncLoad;

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncLoad *load = user_data;

  load->ok = isle_persist_load_finish (ISLE_PERSIST (object), result, &load->error);
  load->done = TRUE;
}

static gboolean
load_done (gpointer data)
{
  AsyncLoad *load = data;

  return load->done;
}

static void
test_persist_load_async (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(IsleMap) map = isle_map_new (NULL, NULL);
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (map), fixture->file);
  AsyncLoad load = { FALSE, };

  write_file (fixture->file, "{'tea': <3>}\n", -1);
  isle_persist_load_async (persist, NULL, load_done_cb, &load);
  /* Nothing happens before the main loop runs. */
  assert_store (ISLE_STORE (map), "@a{sv} {}");
  run_until (load_done, &load, 5000);
  g_assert_no_error (load.error);
  g_assert_true (load.ok);
  assert_store (ISLE_STORE (map), "{'tea': <3>}");
  g_assert_false (isle_persist_get_pending (persist));

  /* A FIFO does not hang the worker either, and the error arrives. */
  g_assert_no_errno (g_unlink (g_file_peek_path (fixture->file)));
  g_assert_no_errno (mkfifo (g_file_peek_path (fixture->file), 0600));
  load.done = FALSE;
  isle_persist_load_async (persist, NULL, load_done_cb, &load);
  run_until (load_done, &load, 5000);
  g_assert_false (load.ok);
  g_assert_error (load.error, ISLE_FILE_ERROR, ISLE_FILE_ERROR_UNREADABLE);
  g_clear_error (&load.error);
  g_free (assert_moved_aside (fixture));
  assert_store (ISLE_STORE (map), "{'tea': <3>}");
}

/* The caller drops its persist object in the load's callback: the last
 * reference must not be left to the worker thread's GTask, or the
 * object is disposed there, unsubscribing from a store whose listeners
 * are the main thread's (and flushing from the worker). */
typedef struct
{
  GThread  *finalized_on;
  gboolean  finalized;
} Finalized;

static void
finalized_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  Finalized *finalized = data;

  finalized->finalized_on = g_thread_self ();
  finalized->finalized = TRUE;
}

static void
drop_in_callback_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AsyncLoad *load = user_data;

  load->ok = isle_persist_load_finish (ISLE_PERSIST (object), result, &load->error);
  load->done = TRUE;
  g_object_unref (object);
}

static gboolean
finalized_done (gpointer data)
{
  Finalized *finalized = data;

  return finalized->finalized;
}

static void
test_persist_load_async_dropped (Fixture       *fixture,
                                 gconstpointer  data)
{
  GThread *main_thread = g_thread_self ();

  write_file (fixture->file, "{'tea': <3>}\n", -1);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(IsleMap) map = isle_map_new (NULL, NULL);
      IslePersist *persist = isle_persist_new (ISLE_STORE (map), fixture->file);
      AsyncLoad load = { FALSE, };
      Finalized finalized = { NULL, FALSE };

      g_object_weak_ref (G_OBJECT (persist), finalized_cb, &finalized);
      isle_persist_load_async (persist, NULL, drop_in_callback_cb, &load);
      run_until (load_done, &load, 5000);
      g_assert_no_error (load.error);
      g_assert_true (load.ok);
      run_until (finalized_done, &finalized, 5000);
      g_assert_true (finalized.finalized_on == main_thread);
      assert_store (ISLE_STORE (map), "{'tea': <3>}");
    }
}

/* }}} */

/* Another writer {{{ */

static void
count_merged_cb (IslePersist *persist,
                 GVariant    *theirs,
                 gpointer     user_data)
{
  guint *count = user_data;

  g_assert_true (g_variant_is_of_type (theirs, G_VARIANT_TYPE_VARDICT));
  (*count)++;
}

static void
test_persist_conflict_merge (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(IsleMap) ours = isle_map_new (NULL, NULL);
  g_autoptr(IsleMap) theirs = isle_map_new (NULL, NULL);
  g_autoptr(IslePersist) persist = NULL;
  g_autoptr(IslePersist) other = NULL;
  g_autoptr(GError) error = NULL;
  guint merged = 0;

  write_file (fixture->file, "{'kept': <1>, 'changed': <1>, 'dropped': <1>, 'mine': <1>}\n", -1);
  persist = isle_persist_new (ISLE_STORE (ours), fixture->file);
  g_signal_connect (persist, "merged", G_CALLBACK (count_merged_cb), &merged);
  other = isle_persist_new (ISLE_STORE (theirs), fixture->file);
  g_assert_true (isle_persist_load (persist, NULL, NULL));
  g_assert_true (isle_persist_load (other, NULL, NULL));

  /* Nobody else wrote: no merge. */
  isle_map_set_key (ours, "mine", g_variant_new_int32 (8));
  g_assert_true (isle_persist_save (persist, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (merged, ==, 0);
  assert_saved (fixture->file,
                "{'kept': <1>, 'changed': <1>, 'dropped': <1>, 'mine': <8>}");

  /* The other instance changes, adds and removes lines, and saves. */
  g_assert_true (isle_persist_load (other, NULL, NULL));
  g_usleep (10 * 1000);
  isle_map_set_key (theirs, "changed", g_variant_new_int32 (2));
  isle_map_set_key (theirs, "added", g_variant_new_int32 (5));
  isle_map_set_key (theirs, "dropped", NULL);
  g_assert_true (isle_persist_save (other, NULL));

  /* We change one line of our own: their changes are not lost. */
  isle_map_set_key (ours, "mine", g_variant_new_int32 (9));
  g_assert_true (isle_persist_save (persist, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (merged, ==, 1);
  assert_saved (fixture->file,
                "{'kept': <1>, 'changed': <2>, 'mine': <9>, 'added': <5>}");
  /* And the store shows them. */
  assert_store (ISLE_STORE (ours),
                "{'kept': <1>, 'changed': <2>, 'mine': <9>, 'added': <5>}");
  g_assert_false (isle_persist_get_pending (persist));

  /* A file changed by hand, from nothing: merged the same way. */
  g_usleep (10 * 1000);
  write_file (fixture->file, "{'kept': <1>, 'changed': <3>, 'mine': <9>}\n", -1);
  isle_map_set_key (ours, "kept", NULL);
  g_assert_true (isle_persist_save (persist, &error));
  assert_saved (fixture->file, "{'changed': <3>, 'mine': <9>}");
}

static void
test_persist_conflict_refused (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 0);
  g_autoptr(IslePersist) persist = isle_persist_new (ISLE_STORE (atom), fixture->file);
  g_autoptr(GError) error = NULL;

  isle_atom_set_int (atom, 1);
  g_assert_true (isle_persist_save (persist, NULL));

  /* Someone else writes 7; we set 2: not merged, not overwritten. */
  g_usleep (10 * 1000);
  write_file (fixture->file, "7\n", -1);
  isle_atom_set_int (atom, 2);
  g_assert_false (isle_persist_save (persist, &error));
  g_assert_error (error, ISLE_FILE_ERROR, ISLE_FILE_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  assert_saved (fixture->file, "7");
  g_assert_error (isle_persist_get_error (persist), ISLE_FILE_ERROR, ISLE_FILE_ERROR_CONFLICT);

  /* Loading takes theirs; then saving works again. */
  g_assert_true (isle_persist_load (persist, NULL, NULL));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 7);
  isle_atom_set_int (atom, 8);
  g_clear_error (&error);
  g_assert_true (isle_persist_save (persist, &error));
  assert_saved (fixture->file, "8");
}

/* }}} */

static void
test_persist_bad_arguments (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/isle");

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*ISLE_IS_STORE*");
  g_assert_null (isle_persist_new (NULL, file));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*ISLE_IS_PERSIST*");
  g_assert_false (isle_persist_flush (NULL, NULL));
  g_test_assert_expected_messages ();

  /* Made without a store and a file: criticals, never an abort. */
  {
    IslePersist *empty;

    g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*needs a store and a file*");
    empty = g_object_new (ISLE_TYPE_PERSIST, NULL);
    g_test_assert_expected_messages ();

    g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*self->store != NULL*");
    g_assert_false (isle_persist_save (empty, NULL));
    g_test_assert_expected_messages ();
    g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*self->store != NULL*");
    g_assert_false (isle_persist_load (empty, NULL, NULL));
    g_test_assert_expected_messages ();
    g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*self->store != NULL*");
    isle_persist_load_async (empty, NULL, NULL, NULL);
    g_test_assert_expected_messages ();
    g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*self->store != NULL*");
    g_assert_false (isle_persist_flush (empty, NULL));
    g_test_assert_expected_messages ();
    g_assert_finalize_object (empty);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_MODULE_DIR", "", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Isle/Persist/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("save-load", test_persist_save_load);
  ADD ("debounce", test_persist_debounce);
  ADD ("max-wait", test_persist_max_wait);
  ADD ("read-only", test_persist_read_only);
  ADD ("full-disk", test_persist_full_disk);
  ADD ("too-large-to-save", test_persist_too_large_to_save);
  ADD ("load-missing", test_persist_load_missing);
  ADD ("load-corrupt", test_persist_load_corrupt);
  ADD ("filter", test_persist_filter);
  ADD ("load-too-large", test_persist_load_too_large);
  ADD ("load-fifo", test_persist_load_fifo);
  ADD ("load-device", test_persist_load_device);
  ADD ("load-async", test_persist_load_async);
  ADD ("load-async-dropped", test_persist_load_async_dropped);
  ADD ("conflict-merge", test_persist_conflict_merge);
  ADD ("conflict-refused", test_persist_conflict_refused);
  g_test_add_func ("/Isle/Persist/bad-arguments", test_persist_bad_arguments);

#undef ADD

  return g_test_run ();
}
