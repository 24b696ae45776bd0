/* isle-persist.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "isle-store-private.h"
#include "isle-persist.h"

/**
 * IslePersist:
 *
 * Keeps a store in a file, like nanostores' `@nanostores/persistent`
 * keeps one in `localStorage`. The file holds the text form of the
 * store's value (see g_variant_print()), for example
 * `{'tea-green': <2>}` for an [class@Isle.Map].
 *
 * ```c
 * g_autoptr(GFile) file = g_file_new_build_filename (g_get_user_data_dir (),
 *                                                    "my-app", "prefs.gvariant", NULL);
 * IslePersist *persist = isle_persist_new (ISLE_STORE (prefs), file);
 *
 * isle_persist_load_async (persist, NULL, prefs_loaded_cb, NULL);
 * ...
 * isle_persist_flush (persist, NULL);   // at quit
 * ```
 *
 * What it promises:
 *
 * - **Atomic writes.** The file is replaced in one step (written beside
 *   it, synced, renamed over it): a crash or a full disk leaves the old
 *   file or the new one, never half of one. It is private to the user
 *   (mode 0600).
 * - **Debounced with a maximum wait.** A change is saved
 *   [property@Isle.Persist:delay] milliseconds after the last one, but
 *   never later than [property@Isle.Persist:max-wait] milliseconds after
 *   the first unsaved one: a steady stream of changes still reaches the
 *   disk. [method@Isle.Persist.flush] saves what is pending at once; call
 *   it at quit (a persist object also flushes when it is disposed).
 * - **A failed save is not silent.** [property@Isle.Persist:error] holds
 *   the reason (a save made by itself also logs a warning, once until
 *   saving works again), the value stays in the
 *   store, and the save is tried again every
 *   [property@Isle.Persist:retry-delay] milliseconds; when one works,
 *   the property goes back to %NULL.
 * - **Loading trusts nothing.** Only a regular file is read (a FIFO, a
 *   device or a symlink to one is refused without blocking), its size is
 *   checked against [property@Isle.Persist:max-size] before it is read,
 *   and [method@Isle.Persist.load_async] reads and parses in a worker
 *   thread. A file that is damaged, unreadable, too large, of the wrong
 *   type or refused by the filter is renamed to
 *   `NAME.corrupt-YYYYmmdd-HHMMSS` beside it, so that the next save does
 *   not destroy it, and the store keeps its value.
 * - **Another writer is noticed.** The file's entity tag is remembered
 *   from the last load or save; if someone else changed the file since, a
 *   dictionary (“a{sv}”) is merged key by key (keys changed here win, the
 *   other writer's other changes are kept and appear in the store), and
 *   any other value is not overwritten: the save fails with
 *   %ISLE_FILE_ERROR_CONFLICT until the file is loaded again.
 *
 * Since: 1.0
 */

#define DEFAULT_DELAY_MS        250
#define DEFAULT_MAX_WAIT_MS     1000
#define DEFAULT_RETRY_DELAY_MS  5000

struct _IslePersist
{
  GObject                parent_instance;

  IsleStore             *store;
  GFile                 *file;
  guint                  delay;        /* ms */
  guint                  max_wait;     /* ms */
  guint                  retry_delay;  /* ms */
  guint64                max_size;     /* bytes */
  gboolean               autosave;

  IslePersistFilterFunc  filter;
  gpointer               filter_data;
  GDestroyNotify         filter_destroy;

  guint                  listen_handle;
  GSource               *timer;
  gint64                 first_change; /* monotonic µs of the first unsaved change */
  gboolean               pending;
  gboolean               applying;     /* a change made here, not by the user */

  /* What the file held when we last read or wrote it. */
  gboolean               known;
  GVariant              *saved;
  char                  *etag;

  GError                *error;
};

G_DEFINE_FINAL_TYPE (IslePersist, isle_persist, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FILE,
  PROP_DELAY,
  PROP_MAX_WAIT,
  PROP_RETRY_DELAY,
  PROP_MAX_SIZE,
  PROP_AUTOSAVE,
  PROP_PENDING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SAVED,
  MERGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * isle_file_error_quark:
 *
 * The error domain of [class@Isle.Persist].
 *
 * Returns: the quark of [error@Isle.FileError]
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (isle-file-error-quark, isle_file_error)

/* Reading {{{ */

/* One read of the file, made in a worker thread or in the caller's: it
 * touches only its own fields. */
typedef struct
{
  GFile        *file;
  GVariantType *type;
  guint64       max_size;

  gboolean      missing;
  GVariant     *value;
  char         *etag;
} ReadJob;

static ReadJob *
read_job_new (IslePersist *self)
{
  ReadJob *job = g_new0 (ReadJob, 1);

  job->file = g_object_ref (self->file);
  job->type = g_variant_type_copy (isle_store_get_value_type (self->store));
  job->max_size = self->max_size;

  return job;
}

static void
read_job_free (gpointer data)
{
  ReadJob *job = data;

  g_clear_object (&job->file);
  g_clear_pointer (&job->type, g_variant_type_free);
  g_clear_pointer (&job->value, g_variant_unref);
  g_clear_pointer (&job->etag, g_free);
  g_free (job);
}

/* Renames @file to “NAME.corrupt-YYYYmmdd-HHMMSS” in its folder, with a
 * counter if that name is taken. */
static GFile *
move_aside (GFile   *file,
            GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);

  if (parent == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("A root folder cannot be moved aside"));
      return NULL;
    }

  for (guint i = 1; ; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GFile) dest = NULL;
      g_autofree char *name = NULL;

      if (i == 1)
        name = g_strdup_printf ("%s.corrupt-%s", basename, stamp);
      else
        name = g_strdup_printf ("%s.corrupt-%s-%u", basename, stamp, i);
      dest = g_file_get_child (parent, name);

      if (g_file_move (file, dest, G_FILE_COPY_NOFOLLOW_SYMLINKS,
                       NULL, NULL, NULL, &local_error))
        return g_steal_pointer (&dest);

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || i >= 100)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

/* Moves @file aside and sets @error (@code of ISLE_FILE_ERROR) to a
 * message for the user that says why (@reason, for files that could not
 * be read, or %NULL for damaged ones) and where the file went. */
static void
set_bad_file_error (GFile       *file,
                    int          code,
                    const char  *reason,
                    GError     **error)
{
  g_autoptr(GError) move_error = NULL;
  g_autoptr(GFile) aside = move_aside (file, &move_error);
  g_autofree char *display = g_file_get_parse_name (file);

  if (aside != NULL)
    {
      g_autofree char *aside_display = g_file_get_parse_name (aside);

      if (reason == NULL)
        g_set_error (error, ISLE_FILE_ERROR, code,
                     /* Translators: both %s are file paths. */
                     _("The file “%s” was damaged; it was kept as “%s”."),
                     display, aside_display);
      else
        g_set_error (error, ISLE_FILE_ERROR, code,
                     /* Translators: the first %s is a file path, the second
                      * the reason, the third another file path. */
                     _("The file “%s” could not be read (%s); it was kept as “%s”."),
                     display, reason, aside_display);
    }
  else
    {
      if (reason == NULL)
        g_set_error (error, ISLE_FILE_ERROR, code,
                     /* Translators: the first %s is a file path, the second the reason. */
                     _("The file “%s” was damaged and could not be moved aside: %s"),
                     display, move_error->message);
      else
        g_set_error (error, ISLE_FILE_ERROR, code,
                     /* Translators: the first %s is a file path, the second the reason. */
                     _("The file “%s” could not be read: %s"),
                     display, reason);
    }
}

static char *
query_etag (GFile         *file,
            gboolean      *missing,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  *missing = FALSE;
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_ETAG_VALUE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        *missing = TRUE;
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_strdup (g_file_info_get_etag (info));
}

/* Reads at most max_size + 1 bytes of a local regular file, never
 * blocking on a FIFO (O_NONBLOCK) and never reading a device. Returns
 * the bytes, or NULL with *reason set (or *missing). */
static char *
read_local (ReadJob  *job,
            gsize    *length,
            int      *code,
            char    **reason)
{
  const char *path = g_file_peek_path (job->file);
  g_autofree char *buffer = NULL;
  struct stat buf;
  gsize size, filled = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        job->missing = TRUE;
      else
        *reason = g_strdup (g_strerror (saved_errno));
      *code = ISLE_FILE_ERROR_UNREADABLE;
      return NULL;
    }

  if (fstat (fd, &buf) != 0)
    {
      *reason = g_strdup (g_strerror (errno));
      *code = ISLE_FILE_ERROR_UNREADABLE;
      close (fd);
      return NULL;
    }

  if (!S_ISREG (buf.st_mode))
    {
      *reason = g_strdup (_("it is not a regular file"));
      *code = ISLE_FILE_ERROR_UNREADABLE;
      close (fd);
      return NULL;
    }

  if ((guint64) buf.st_size > job->max_size)
    {
      g_autofree char *limit = g_format_size (job->max_size);

      /* Translators: %s is a size, such as “16.8 MB”. */
      *reason = g_strdup_printf (_("it is larger than %s"), limit);
      *code = ISLE_FILE_ERROR_TOO_LARGE;
      close (fd);
      return NULL;
    }

  /* The file may grow while we read: never past the limit. */
  size = (gsize) buf.st_size + 1;
  buffer = g_malloc (size + 1);
  for (;;)
    {
      gssize n = read (fd, buffer + filled, size - filled);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *reason = g_strdup (g_strerror (errno));
          *code = ISLE_FILE_ERROR_UNREADABLE;
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;

      filled += n;
      if (filled > job->max_size)
        {
          g_autofree char *limit = g_format_size (job->max_size);

          *reason = g_strdup_printf (_("it is larger than %s"), limit);
          *code = ISLE_FILE_ERROR_TOO_LARGE;
          close (fd);
          return NULL;
        }
      if (filled == size)
        {
          size = MIN (size * 2, job->max_size + 1);
          buffer = g_realloc (buffer, size + 1);
        }
    }

  close (fd);
  buffer[filled] = '\0';
  *length = filled;
  return g_steal_pointer (&buffer);
}

/* The same for files GIO reaches some other way. */
static char *
read_stream (ReadJob       *job,
             GCancellable  *cancellable,
             gsize         *length,
             int           *code,
             char         **reason)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  gsize filled = 0;

  *code = ISLE_FILE_ERROR_UNREADABLE;
  info = g_file_query_info (job->file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        job->missing = TRUE;
      else
        *reason = g_strdup (local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      *reason = g_strdup (_("it is not a regular file"));
      return NULL;
    }

  if ((guint64) g_file_info_get_size (info) > job->max_size)
    {
      g_autofree char *limit = g_format_size (job->max_size);

      *reason = g_strdup_printf (_("it is larger than %s"), limit);
      *code = ISLE_FILE_ERROR_TOO_LARGE;
      return NULL;
    }

  stream = g_file_read (job->file, cancellable, &local_error);
  if (stream == NULL)
    {
      *reason = g_strdup (local_error->message);
      return NULL;
    }

  buffer = g_malloc (job->max_size + 2);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, job->max_size + 1, &filled,
                                cancellable, &local_error))
    {
      *reason = g_strdup (local_error->message);
      return NULL;
    }

  if (filled > job->max_size)
    {
      g_autofree char *limit = g_format_size (job->max_size);

      *reason = g_strdup_printf (_("it is larger than %s"), limit);
      *code = ISLE_FILE_ERROR_TOO_LARGE;
      return NULL;
    }

  buffer[filled] = '\0';
  *length = filled;
  return g_steal_pointer (&buffer);
}

/* Reads and parses the file; a bad one is moved aside. A missing file is
 * a success with job->missing set. */
static gboolean
read_job_run (ReadJob       *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *reason = NULL;
  gboolean missing = FALSE;
  int code = ISLE_FILE_ERROR_UNREADABLE;
  gsize length = 0;

  /* The tag first: if the file is replaced while we read, the next save
   * sees a change and merges, which is harmless; the other way round it
   * would miss one. */
  job->etag = query_etag (job->file, &missing, cancellable, NULL);

  if (g_file_peek_path (job->file) != NULL)
    contents = read_local (job, &length, &code, &reason);
  else
    contents = read_stream (job, cancellable, &length, &code, &reason);

  if (job->missing)
    {
      g_clear_pointer (&job->etag, g_free);
      return TRUE;
    }

  if (contents == NULL)
    {
      set_bad_file_error (job->file, code, reason, error);
      return FALSE;
    }

  /* The text form; the parser wants valid UTF-8 and no NUL. */
  if (strlen (contents) == length && g_utf8_validate (contents, length, NULL))
    job->value = g_variant_parse (job->type, contents, contents + length, NULL, &local_error);

  if (job->value == NULL)
    {
      set_bad_file_error (job->file, ISLE_FILE_ERROR_CORRUPT, NULL, error);
      return FALSE;
    }

  g_variant_take_ref (job->value);
  return TRUE;
}

/* }}} */

/* Helpers {{{ */

static void
set_error (IslePersist  *self,
           const GError *error)
{
  if (self->error == error)
    return;
  /* The same reason again (the message may name another temporary
   * file): the user has been told. */
  if (self->error != NULL && error != NULL &&
      self->error->domain == error->domain && self->error->code == error->code)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
}

static void
set_pending (IslePersist *self,
             gboolean     pending)
{
  if (self->pending == pending)
    return;

  self->pending = pending;
  if (!pending)
    {
      self->first_change = 0;
      if (self->timer != NULL)
        g_source_set_ready_time (self->timer, -1);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PENDING]);
}

/* Stores @value (transfer full) in the store as a change of ours, not one
 * to save. */
static void
apply_value (IslePersist *self,
             GVariant    *value)
{
  self->applying = TRUE;
  _isle_store_replace_value (self->store, value, NULL);
  self->applying = FALSE;
}

/* The value as the filter has it, or %NULL if it refused it. */
static GVariant *
filter_value (IslePersist *self,
              GVariant    *value,
              gboolean     loading)
{
  g_autoptr(GVariant) filtered = NULL;

  if (self->filter == NULL)
    return g_variant_ref (value);

  filtered = self->filter (self, value, loading, self->filter_data);
  if (filtered != NULL)
    g_variant_take_ref (filtered);
  if (filtered != NULL &&
      !g_variant_is_of_type (filtered, isle_store_get_value_type (self->store)))
    {
      g_critical ("The filter of the file of %s returned a value of type “%s”, not “%s”",
                  G_OBJECT_TYPE_NAME (self->store), g_variant_get_type_string (filtered),
                  g_variant_type_peek_string (isle_store_get_value_type (self->store)));
      return NULL;
    }

  return g_steal_pointer (&filtered);
}

/* Puts what @job read into the store. */
static gboolean
apply_read (IslePersist  *self,
            ReadJob      *job,
            GError      **error)
{
  g_autoptr(GVariant) value = NULL;

  if (job->missing)
    {
      self->known = TRUE;
      g_clear_pointer (&self->saved, g_variant_unref);
      g_clear_pointer (&self->etag, g_free);
      return TRUE;
    }

  value = filter_value (self, job->value, TRUE);
  if (value == NULL)
    {
      set_bad_file_error (self->file, ISLE_FILE_ERROR_CORRUPT, NULL, error);
      return FALSE;
    }

  self->known = TRUE;
  g_clear_pointer (&self->saved, g_variant_unref);
  self->saved = g_variant_ref (value);
  g_free (self->etag);
  self->etag = g_steal_pointer (&job->etag);

  apply_value (self, g_steal_pointer (&value));
  set_pending (self, FALSE);

  return TRUE;
}

/* The entries (of type “v”) of a dictionary by key. The keys point into
 * @dict, which the caller keeps alive. */
static GHashTable *
index_dict (GVariant *dict)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal,
                                             NULL, (GDestroyNotify) g_variant_unref);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (dict != NULL)
    {
      g_variant_iter_init (&iter, dict);
      while (g_variant_iter_next (&iter, "{&s@v}", &key, &value))
        g_hash_table_insert (table, (gpointer) key, value);
    }

  return table;
}

/* A three-way merge of dictionaries, in linear time: the keys we changed
 * since @base come from @ours, every other key from @theirs. */
static GVariant *
merge_dicts (GVariant *base,
             GVariant *ours,
             GVariant *theirs)
{
  g_autoptr(GHashTable) base_keys = index_dict (base);
  g_autoptr(GHashTable) our_keys = index_dict (ours);
  g_autoptr(GHashTable) their_keys = index_dict (theirs);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);

  /* Keys we have: changed or added here, or kept. */
  g_variant_iter_init (&iter, ours);
  while (g_variant_iter_next (&iter, "{&s@v}", &key, &value))
    {
      GVariant *before = g_hash_table_lookup (base_keys, key);

      if (before != NULL && g_variant_equal (before, value))
        {
          /* Unchanged here: theirs, which may have removed it. */
          GVariant *other = g_hash_table_lookup (their_keys, key);

          if (other != NULL)
            g_variant_builder_add (&builder, "{s@v}", key, other);
        }
      else
        g_variant_builder_add (&builder, "{s@v}", key, value);
      g_variant_unref (value);
    }

  /* Keys only they have: added there (kept), or removed here (kept only
   * if they changed it meanwhile). */
  g_variant_iter_init (&iter, theirs);
  while (g_variant_iter_next (&iter, "{&s@v}", &key, &value))
    {
      GVariant *before = g_hash_table_lookup (base_keys, key);

      if (!g_hash_table_contains (our_keys, key) &&
          (before == NULL || !g_variant_equal (before, value)))
        g_variant_builder_add (&builder, "{s@v}", key, value);
      g_variant_unref (value);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/* Someone else changed the file: takes their changes into @value (and
 * the store) or fails. */
static gboolean
merge_from_disk (IslePersist  *self,
                 GVariant    **value,
                 GError      **error)
{
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GVariant) theirs = NULL;
  g_autoptr(GVariant) merged = NULL;
  ReadJob *job = read_job_new (self);
  gboolean ok;

  ok = read_job_run (job, NULL, &read_error);
  if (!ok || job->missing)
    {
      /* Gone, or damaged (and moved aside): nothing to merge. */
      if (!ok)
        g_message ("%s", read_error->message);
      read_job_free (job);
      return TRUE;
    }

  theirs = filter_value (self, job->value, TRUE);
  read_job_free (job);
  if (theirs == NULL)
    {
      set_bad_file_error (self->file, ISLE_FILE_ERROR_CORRUPT, NULL, &read_error);
      g_message ("%s", read_error->message);
      return TRUE;
    }

  if (!g_variant_is_of_type (*value, G_VARIANT_TYPE_VARDICT))
    {
      g_autofree char *display = g_file_get_parse_name (self->file);

      g_set_error (error, ISLE_FILE_ERROR, ISLE_FILE_ERROR_CONFLICT,
                   /* Translators: %s is a file path. */
                   _("The file “%s” was changed by another program; it was not overwritten"),
                   display);
      return FALSE;
    }

  merged = merge_dicts (self->saved, *value, theirs);
  g_variant_unref (*value);
  *value = g_variant_ref (merged);
  apply_value (self, g_steal_pointer (&merged));
  g_signal_emit (self, signals[MERGED], 0, theirs);

  return TRUE;
}

static gboolean
make_parent (GFile   *file,
             GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);

  if (parent != NULL &&
      !g_file_make_directory_with_parents (parent, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Writes the store's value. */
static gboolean
write_value (IslePersist  *self,
             GError      **error)
{
  g_autoptr(GVariant) current = isle_store_get_value (self->store);
  g_autoptr(GVariant) value = filter_value (self, current, FALSE);
  g_autoptr(GString) text = NULL;
  g_autofree char *new_etag = NULL;
  gboolean missing;

  if (value == NULL)
    value = g_variant_ref (current);

  if (self->known)
    {
      g_autoptr(GError) query_error = NULL;
      g_autofree char *disk_etag = query_etag (self->file, &missing, NULL, &query_error);

      if (query_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&query_error));
          return FALSE;
        }
      if (g_strcmp0 (disk_etag, self->etag) != 0 && !merge_from_disk (self, &value, error))
        return FALSE;
    }

  text = g_variant_print_string (value, NULL, TRUE);
  g_string_append_c (text, '\n');

  if (text->len > self->max_size)
    {
      g_autofree char *size = g_format_size (text->len);
      g_autofree char *limit = g_format_size (self->max_size);

      g_set_error (error, ISLE_FILE_ERROR, ISLE_FILE_ERROR_TOO_LARGE,
                   /* Translators: both %s are sizes, such as “16.8 MB”. */
                   _("The value to save takes %s, more than the limit of %s"),
                   size, limit);
      return FALSE;
    }

  if (!make_parent (self->file, error))
    return FALSE;

  if (g_file_peek_path (self->file) != NULL)
    {
      /* Not g_file_replace_contents(): GLib 2.74's local replace renames
       * its half-written file over the old one when the disk is full.
       * This writes beside it, syncs, and renames only on success. */
      if (!g_file_set_contents_full (g_file_peek_path (self->file), text->str, text->len,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return FALSE;
      new_etag = query_etag (self->file, &missing, NULL, NULL);
    }
  else if (!g_file_replace_contents (self->file, text->str, text->len,
                                     self->known ? self->etag : NULL, FALSE,
                                     G_FILE_CREATE_PRIVATE, &new_etag, NULL, error))
    return FALSE;

  self->known = TRUE;
  g_clear_pointer (&self->saved, g_variant_unref);
  self->saved = g_steal_pointer (&value);
  g_free (self->etag);
  self->etag = g_steal_pointer (&new_etag);

  return TRUE;
}

/* Saves, and keeps the pending, error and retry state. */
static gboolean
save_and_report (IslePersist  *self,
                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!write_value (self, &local_error))
    {
      /* Told once per run of failures, when no caller hears it. */
      if (self->error == NULL && error == NULL)
        {
          g_autofree char *display = g_file_get_parse_name (self->file);

          g_warning ("Could not save %s: %s", display, local_error->message);
        }
      set_error (self, local_error);
      if (self->timer != NULL && self->pending)
        g_source_set_ready_time (self->timer,
                                 g_get_monotonic_time () + (gint64) self->retry_delay * 1000);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  set_pending (self, FALSE);
  set_error (self, NULL);
  g_signal_emit (self, signals[SAVED], 0);

  return TRUE;
}

static void
store_changed_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  IslePersist *self = user_data;
  gint64 now, ready;

  if (self->applying)
    return;

  now = g_get_monotonic_time ();
  if (!self->pending)
    {
      self->first_change = now;
      set_pending (self, TRUE);
    }

  /* While saves fail, the retry timer is set. */
  if (self->error != NULL && self->timer != NULL && g_source_get_ready_time (self->timer) != -1)
    return;

  ready = MIN (now + (gint64) self->delay * 1000,
               self->first_change + (gint64) self->max_wait * 1000);
  g_source_set_ready_time (self->timer, ready);
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

static gboolean
timer_cb (gpointer user_data)
{
  IslePersist *self = user_data;

  g_object_ref (self);
  if (self->pending)
    save_and_report (self, NULL);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/* }}} */

static void
isle_persist_constructed (GObject *object)
{
  IslePersist *self = ISLE_PERSIST (object);

  G_OBJECT_CLASS (isle_persist_parent_class)->constructed (object);

  /* g_object_new() without them (Isle.Persist() from Python): a
   * critical, and an object whose methods refuse to work. */
  if (self->store == NULL || self->file == NULL)
    {
      g_critical ("An IslePersist needs a store and a file: use isle_persist_new ()");
      return;
    }

  if (self->autosave)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      self->timer = g_source_new (&timer_funcs, sizeof (GSource));
      g_source_set_callback (self->timer, timer_cb, self, NULL);
      g_source_set_static_name (self->timer, "[isle] persist");
      g_source_attach (self->timer, context);

      self->listen_handle = isle_store_listen (self->store, store_changed_cb, self, NULL);
    }
}

static void
isle_persist_dispose (GObject *object)
{
  IslePersist *self = ISLE_PERSIST (object);

  if (self->pending && self->store != NULL && self->file != NULL)
    save_and_report (self, NULL);

  if (self->listen_handle != 0)
    isle_store_unsubscribe (self->store, self->listen_handle);
  self->listen_handle = 0;

  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);

  isle_persist_set_filter_func (self, NULL, NULL, NULL);

  g_clear_object (&self->store);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (isle_persist_parent_class)->dispose (object);
}

static void
isle_persist_finalize (GObject *object)
{
  IslePersist *self = ISLE_PERSIST (object);

  g_clear_pointer (&self->saved, g_variant_unref);
  g_clear_pointer (&self->etag, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (isle_persist_parent_class)->finalize (object);
}

static void
isle_persist_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  IslePersist *self = ISLE_PERSIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, isle_persist_get_store (self));
      break;

    case PROP_FILE:
      g_value_set_object (value, isle_persist_get_file (self));
      break;

    case PROP_DELAY:
      g_value_set_uint (value, isle_persist_get_delay (self));
      break;

    case PROP_MAX_WAIT:
      g_value_set_uint (value, isle_persist_get_max_wait (self));
      break;

    case PROP_RETRY_DELAY:
      g_value_set_uint (value, isle_persist_get_retry_delay (self));
      break;

    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, isle_persist_get_max_size (self));
      break;

    case PROP_AUTOSAVE:
      g_value_set_boolean (value, isle_persist_get_autosave (self));
      break;

    case PROP_PENDING:
      g_value_set_boolean (value, isle_persist_get_pending (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, isle_persist_get_error (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_persist_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  IslePersist *self = ISLE_PERSIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_DELAY:
      isle_persist_set_delay (self, g_value_get_uint (value));
      break;

    case PROP_MAX_WAIT:
      isle_persist_set_max_wait (self, g_value_get_uint (value));
      break;

    case PROP_RETRY_DELAY:
      isle_persist_set_retry_delay (self, g_value_get_uint (value));
      break;

    case PROP_MAX_SIZE:
      isle_persist_set_max_size (self, g_value_get_uint64 (value));
      break;

    case PROP_AUTOSAVE:
      self->autosave = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_persist_class_init (IslePersistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = isle_persist_constructed;
  object_class->dispose = isle_persist_dispose;
  object_class->finalize = isle_persist_finalize;
  object_class->get_property = isle_persist_get_property;
  object_class->set_property = isle_persist_set_property;

  /**
   * IslePersist:store:
   *
   * The store kept in the file.
   *
   * Since: 1.0
   */
  props[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ISLE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:file:
   *
   * The file that keeps the store.
   *
   * Since: 1.0
   */
  props[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:delay:
   *
   * How long after the last change a save waits, in milliseconds.
   *
   * Since: 1.0
   */
  props[PROP_DELAY] =
    g_param_spec_uint ("delay", NULL, NULL,
                       0, G_MAXINT / 1000, DEFAULT_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:max-wait:
   *
   * The longest a change waits to be saved, in milliseconds, however
   * often the store changes: the bound of what a crash can lose.
   *
   * Since: 1.0
   */
  props[PROP_MAX_WAIT] =
    g_param_spec_uint ("max-wait", NULL, NULL,
                       0, G_MAXINT / 1000, DEFAULT_MAX_WAIT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:retry-delay:
   *
   * How long after a failed save the next try is made, in milliseconds.
   *
   * Since: 1.0
   */
  props[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL,
                       0, G_MAXINT / 1000, DEFAULT_RETRY_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:max-size:
   *
   * The largest file read, and the largest value written, in bytes. A
   * larger file is refused before it is read (and moved aside).
   *
   * Since: 1.0
   */
  props[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL,
                         1, G_MAXSIZE / 2, ISLE_PERSIST_DEFAULT_MAX_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:autosave:
   *
   * Whether changes of the store are saved by themselves (debounced); if
   * not, only [method@Isle.Persist.save] writes.
   *
   * Since: 1.0
   */
  props[PROP_AUTOSAVE] =
    g_param_spec_boolean ("autosave", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:pending:
   *
   * Whether the store has changes that are not in the file yet.
   *
   * Since: 1.0
   */
  props[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * IslePersist:error:
   *
   * Why the last save failed, or %NULL if it worked (or none was made).
   * Notified when a save fails (with another reason than the last one)
   * and when saving works again.
   *
   * Since: 1.0
   */
  props[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * IslePersist::saved:
   * @self: the persist object
   *
   * Emitted after the store's value was written to the file.
   *
   * Since: 1.0
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * IslePersist::merged:
   * @self: the persist object
   * @theirs: the dictionary someone else had written to the file
   *
   * Emitted when a save found that someone else had changed the file
   * since it was last read or written, and merged their dictionary into
   * the store (keys changed here win), just before writing the result. A
   * program may tell its user.
   *
   * Since: 1.0
   */
  signals[MERGED] =
    g_signal_new ("merged",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_VARIANT);
}

static void
isle_persist_init (IslePersist *self)
{
  self->delay = DEFAULT_DELAY_MS;
  self->max_wait = DEFAULT_MAX_WAIT_MS;
  self->retry_delay = DEFAULT_RETRY_DELAY_MS;
  self->max_size = ISLE_PERSIST_DEFAULT_MAX_SIZE;
  self->autosave = TRUE;
}

/**
 * isle_persist_new:
 * @store: the store to keep
 * @file: the file to keep it in
 *
 * Creates an object that saves @store to @file shortly after each change
 * (see [class@Isle.Persist]). It does not read @file: call
 * [method@Isle.Persist.load_async] for that, before the store changes.
 * Changes are heard on the thread-default main context of the caller.
 *
 * Returns: (transfer full): a new persist object
 *
 * Since: 1.0
 */
IslePersist *
isle_persist_new (IsleStore *store,
                  GFile     *file)
{
  g_return_val_if_fail (ISLE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (ISLE_TYPE_PERSIST, "store", store, "file", file, NULL);
}

/**
 * isle_persist_get_store:
 * @self: a persist object
 *
 * Gets the store kept in the file.
 *
 * Returns: (transfer none): the store
 *
 * Since: 1.0
 */
IsleStore *
isle_persist_get_store (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), NULL);

  return self->store;
}

/**
 * isle_persist_get_file:
 * @self: a persist object
 *
 * Gets the file that keeps the store.
 *
 * Returns: (transfer none): the file
 *
 * Since: 1.0
 */
GFile *
isle_persist_get_file (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), NULL);

  return self->file;
}

/**
 * isle_persist_get_delay:
 * @self: a persist object
 *
 * Gets [property@Isle.Persist:delay].
 *
 * Returns: the delay, in milliseconds
 *
 * Since: 1.0
 */
guint
isle_persist_get_delay (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), 0);

  return self->delay;
}

/**
 * isle_persist_set_delay:
 * @self: a persist object
 * @delay: the delay, in milliseconds
 *
 * Sets how long after the last change a save waits.
 *
 * Since: 1.0
 */
void
isle_persist_set_delay (IslePersist *self,
                        guint        delay)
{
  g_return_if_fail (ISLE_IS_PERSIST (self));
  g_return_if_fail (delay <= G_MAXINT / 1000);

  if (self->delay == delay)
    return;

  self->delay = delay;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DELAY]);
}

/**
 * isle_persist_get_max_wait:
 * @self: a persist object
 *
 * Gets [property@Isle.Persist:max-wait].
 *
 * Returns: the longest wait, in milliseconds
 *
 * Since: 1.0
 */
guint
isle_persist_get_max_wait (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), 0);

  return self->max_wait;
}

/**
 * isle_persist_set_max_wait:
 * @self: a persist object
 * @max_wait: the longest wait, in milliseconds
 *
 * Sets the longest a change waits to be saved.
 *
 * Since: 1.0
 */
void
isle_persist_set_max_wait (IslePersist *self,
                           guint        max_wait)
{
  g_return_if_fail (ISLE_IS_PERSIST (self));
  g_return_if_fail (max_wait <= G_MAXINT / 1000);

  if (self->max_wait == max_wait)
    return;

  self->max_wait = max_wait;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_WAIT]);
}

/**
 * isle_persist_get_retry_delay:
 * @self: a persist object
 *
 * Gets [property@Isle.Persist:retry-delay].
 *
 * Returns: the delay, in milliseconds
 *
 * Since: 1.0
 */
guint
isle_persist_get_retry_delay (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), 0);

  return self->retry_delay;
}

/**
 * isle_persist_set_retry_delay:
 * @self: a persist object
 * @retry_delay: the delay, in milliseconds
 *
 * Sets how long after a failed save the next try is made.
 *
 * Since: 1.0
 */
void
isle_persist_set_retry_delay (IslePersist *self,
                              guint        retry_delay)
{
  g_return_if_fail (ISLE_IS_PERSIST (self));
  g_return_if_fail (retry_delay <= G_MAXINT / 1000);

  if (self->retry_delay == retry_delay)
    return;

  self->retry_delay = retry_delay;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETRY_DELAY]);
}

/**
 * isle_persist_get_max_size:
 * @self: a persist object
 *
 * Gets [property@Isle.Persist:max-size].
 *
 * Returns: the limit, in bytes
 *
 * Since: 1.0
 */
guint64
isle_persist_get_max_size (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), 0);

  return self->max_size;
}

/**
 * isle_persist_set_max_size:
 * @self: a persist object
 * @max_size: the limit, in bytes, at least 1
 *
 * Sets the largest file read and the largest value written.
 *
 * Since: 1.0
 */
void
isle_persist_set_max_size (IslePersist *self,
                           guint64      max_size)
{
  g_return_if_fail (ISLE_IS_PERSIST (self));
  g_return_if_fail (max_size >= 1 && max_size <= G_MAXSIZE / 2);

  if (self->max_size == max_size)
    return;

  self->max_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_SIZE]);
}

/**
 * isle_persist_get_autosave:
 * @self: a persist object
 *
 * Gets [property@Isle.Persist:autosave].
 *
 * Returns: whether changes are saved by themselves
 *
 * Since: 1.0
 */
gboolean
isle_persist_get_autosave (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), FALSE);

  return self->autosave;
}

/**
 * isle_persist_get_pending:
 * @self: a persist object
 *
 * Gets whether the store has changes that are not in the file yet.
 *
 * Returns: whether a save is pending
 *
 * Since: 1.0
 */
gboolean
isle_persist_get_pending (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), FALSE);

  return self->pending;
}

/**
 * isle_persist_get_error:
 * @self: a persist object
 *
 * Gets why the last save failed.
 *
 * Returns: (transfer none) (nullable): the error, or %NULL if the last
 *   save worked
 *
 * Since: 1.0
 */
const GError *
isle_persist_get_error (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), NULL);

  return self->error;
}

/**
 * isle_persist_get_etag:
 * @self: a persist object
 *
 * Gets the entity tag of the file as it was last read or written, which
 * changes whenever someone writes the file.
 *
 * Returns: (transfer none) (nullable): the tag, or %NULL if the file did
 *   not exist then, or was neither read nor written yet
 *
 * Since: 1.0
 */
const char *
isle_persist_get_etag (IslePersist *self)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), NULL);

  return self->etag;
}

/**
 * isle_persist_set_filter_func:
 * @self: a persist object
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): the filter, or
 *   %NULL for none
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the filter is replaced or
 *   @self is disposed
 *
 * Sets a function that checks or cleans values read from the file (a
 * refused one makes the file corrupt) and values about to be written.
 * It is called on the thread that created @self.
 *
 * Since: 1.0
 */
void
isle_persist_set_filter_func (IslePersist           *self,
                              IslePersistFilterFunc  func,
                              gpointer               user_data,
                              GDestroyNotify         destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (ISLE_IS_PERSIST (self));

  old_destroy = self->filter_destroy;
  old_data = self->filter_data;

  self->filter = func;
  self->filter_data = user_data;
  self->filter_destroy = destroy;

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/**
 * isle_persist_load:
 * @self: a persist object
 * @cancellable: (nullable): a cancellable
 * @error: return location for a #GError
 *
 * Reads the file into the store, blocking: tests and command-line tools
 * use it; a program with a window uses [method@Isle.Persist.load_async].
 * A missing file leaves the store as it is and is no error. A bad file
 * (see [class@Isle.Persist]) is moved aside and reported with an error
 * of %ISLE_FILE_ERROR whose message, meant for the user, says where
 * the file went; the store then keeps its value.
 *
 * Returns: %TRUE if the file was read or does not exist
 *
 * Since: 1.0
 */
gboolean
isle_persist_load (IslePersist   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ReadJob *job;
  gboolean ok;

  g_return_val_if_fail (ISLE_IS_PERSIST (self), FALSE);
  g_return_val_if_fail (self->store != NULL && self->file != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = read_job_new (self);
  ok = read_job_run (job, cancellable, error) && apply_read (self, job, error);
  read_job_free (job);

  return ok;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (read_job_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IslePersist *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) &&
      apply_read (self, g_task_get_task_data (G_TASK (result)), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * isle_persist_load_async:
 * @self: a persist object
 * @cancellable: (nullable): a cancellable
 * @callback: (nullable) (scope async) (closure user_data): called when the file
 *   was read
 * @user_data: data for @callback
 *
 * Reads the file into the store as [method@Isle.Persist.load] does, but
 * reads and parses it in a worker thread, so that the main loop never
 * waits for the disk. The store is set, and @callback called, on the
 * thread-default main context of the caller.
 *
 * Since: 1.0
 */
void
isle_persist_load_async (IslePersist         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  GTask *task;

  g_return_if_fail (ISLE_IS_PERSIST (self));
  g_return_if_fail (self->store != NULL && self->file != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, isle_persist_load_async);

  /* The worker's task holds no reference on @self: GTask drops its own
   * on the worker thread now and then, and the last one would dispose
   * @self there, away from its store's thread. The outer task, only
   * ever touched here, keeps @self. */
  inner = g_task_new (NULL, cancellable, read_done_cb, task);
  g_task_set_task_data (inner, read_job_new (self), read_job_free);
  g_task_run_in_thread (inner, read_thread);
}

/**
 * isle_persist_load_finish:
 * @self: a persist object
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Isle.Persist.load_async].
 *
 * Returns: %TRUE if the file was read or does not exist; %FALSE with
 *   @error set if it was bad (and moved aside)
 *
 * Since: 1.0
 */
gboolean
isle_persist_load_finish (IslePersist   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * isle_persist_save:
 * @self: a persist object
 * @error: return location for a #GError
 *
 * Writes the store's value to the file now, atomically, whether or not
 * it changed. On failure [property@Isle.Persist:error] is set too and,
 * with autosave, the save is retried later.
 *
 * Returns: %TRUE if the value was written
 *
 * Since: 1.0
 */
gboolean
isle_persist_save (IslePersist  *self,
                   GError      **error)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), FALSE);
  g_return_val_if_fail (self->store != NULL && self->file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_and_report (self, error);
}

/**
 * isle_persist_flush:
 * @self: a persist object
 * @error: return location for a #GError
 *
 * Writes the pending changes now, if there are any: call it before the
 * program quits.
 *
 * Returns: %TRUE if nothing was pending or the value was written
 *
 * Since: 1.0
 */
gboolean
isle_persist_flush (IslePersist  *self,
                    GError      **error)
{
  g_return_val_if_fail (ISLE_IS_PERSIST (self), FALSE);
  g_return_val_if_fail (self->store != NULL && self->file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->pending)
    return TRUE;

  return save_and_report (self, error);
}
