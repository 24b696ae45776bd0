/* isle-map-path-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Paths into nested values (`profile.name`, `items[2]`, `rows[0].cells[1]`)
 * for IsleMap's deep keys: nanostores' getPath and setPath over GVariant
 * dictionaries (“a{sv}”) and arrays (“av”). Pure functions of values, so
 * they may run under a store's lock. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  _isle_path_is_valid (const char  *path,
                               GError     **error);
GVariant *_isle_path_get      (GVariant    *root,
                               const char  *path);
GVariant *_isle_path_set      (GVariant    *root,
                               const char  *path,
                               GVariant    *value,
                               GError     **error);

G_END_DECLS
