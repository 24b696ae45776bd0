/* isle-persist.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <gio/gio.h>

#include "isle-store.h"

G_BEGIN_DECLS

/**
 * ISLE_FILE_ERROR:
 *
 * The error domain of the files that [class@Isle.Persist] keeps stores
 * in. Errors in this domain are from the [error@Isle.FileError]
 * enumeration. (Not “Isle.PersistError”: introspection would take its
 * quark function for a method of [class@Isle.Persist] and lose the
 * domain.)
 *
 * Since: 1.0
 */
#define ISLE_FILE_ERROR (isle_file_error_quark ())

/**
 * IsleFileError:
 * @ISLE_FILE_ERROR_CORRUPT: the file could not be parsed, held a value
 *   of the wrong type, or its value was refused by the filter; it was
 *   moved aside if possible
 * @ISLE_FILE_ERROR_UNREADABLE: the file could not be read, or is not a
 *   regular file; it was moved aside if possible
 * @ISLE_FILE_ERROR_TOO_LARGE: the file, or the value to save, is larger
 *   than [property@Isle.Persist:max-size]; a file is moved aside if
 *   possible
 * @ISLE_FILE_ERROR_CONFLICT: the file was changed by someone else since
 *   it was read or written, and the two values cannot be merged; it was
 *   not overwritten
 *
 * Errors reported by [class@Isle.Persist].
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_FILE_ERROR_CORRUPT,
  ISLE_FILE_ERROR_UNREADABLE,
  ISLE_FILE_ERROR_TOO_LARGE,
  ISLE_FILE_ERROR_CONFLICT,
} IsleFileError;

/**
 * ISLE_PERSIST_DEFAULT_MAX_SIZE:
 *
 * The default of [property@Isle.Persist:max-size]: 16 MiB.
 *
 * Since: 1.0
 */
#define ISLE_PERSIST_DEFAULT_MAX_SIZE (16 * 1024 * 1024)

GQuark isle_file_error_quark (void);

#define ISLE_TYPE_PERSIST (isle_persist_get_type ())

G_DECLARE_FINAL_TYPE (IslePersist, isle_persist, ISLE, PERSIST, GObject)

/**
 * IslePersistFilterFunc:
 * @persist: the persist object
 * @value: the value read from the file (@loading is %TRUE) or about to be
 *   written to it (@loading is %FALSE)
 * @loading: whether @value was read
 * @user_data: (closure): the data given with the function
 *
 * Checks or cleans a value on its way between the store and the file.
 *
 * Returns: (transfer full) (nullable): the value to use (it may be @value
 *   itself, with a new reference), or %NULL to refuse it: a refused value
 *   read from a file makes the file corrupt; a refused value to save is
 *   saved as it is
 *
 * Since: 1.0
 */
typedef GVariant *(*IslePersistFilterFunc) (IslePersist *persist,
                                            GVariant    *value,
                                            gboolean     loading,
                                            gpointer     user_data);

IslePersist  *isle_persist_new               (IsleStore              *store,
                                              GFile                  *file);
IsleStore    *isle_persist_get_store         (IslePersist            *self);
GFile        *isle_persist_get_file          (IslePersist            *self);
guint         isle_persist_get_delay         (IslePersist            *self);
void          isle_persist_set_delay         (IslePersist            *self,
                                              guint                   delay);
guint         isle_persist_get_max_wait      (IslePersist            *self);
void          isle_persist_set_max_wait      (IslePersist            *self,
                                              guint                   max_wait);
guint         isle_persist_get_retry_delay   (IslePersist            *self);
void          isle_persist_set_retry_delay   (IslePersist            *self,
                                              guint                   retry_delay);
guint64       isle_persist_get_max_size      (IslePersist            *self);
void          isle_persist_set_max_size      (IslePersist            *self,
                                              guint64                 max_size);
gboolean      isle_persist_get_autosave      (IslePersist            *self);
gboolean      isle_persist_get_pending       (IslePersist            *self);
const GError *isle_persist_get_error         (IslePersist            *self);
const char   *isle_persist_get_etag          (IslePersist            *self);
void          isle_persist_set_filter_func   (IslePersist            *self,
                                              IslePersistFilterFunc   func,
                                              gpointer                user_data,
                                              GDestroyNotify          destroy);
gboolean      isle_persist_load              (IslePersist            *self,
                                              GCancellable           *cancellable,
                                              GError                **error);
void          isle_persist_load_async        (IslePersist            *self,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
gboolean      isle_persist_load_finish       (IslePersist            *self,
                                              GAsyncResult           *result,
                                              GError                **error);
gboolean      isle_persist_save              (IslePersist            *self,
                                              GError                **error);
gboolean      isle_persist_flush             (IslePersist            *self,
                                              GError                **error);

G_END_DECLS
