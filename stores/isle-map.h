/* isle-map.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include "isle-store.h"

G_BEGIN_DECLS

#define ISLE_TYPE_MAP (isle_map_get_type ())

G_DECLARE_FINAL_TYPE (IsleMap, isle_map, ISLE, MAP, IsleStore)

/**
 * IsleMapListener:
 * @map: the map that changed
 * @key: the key that changed
 * @value: (nullable): the key's new value, or %NULL if it was removed
 * @old_value: (nullable): the key's value before, or %NULL if it was added
 * @user_data: (closure): the data given with the listener
 *
 * Hears the changes of some keys of an [class@Isle.Map].
 *
 * Since: 1.0
 */
typedef void (*IsleMapListener) (IsleMap    *map,
                                 const char *key,
                                 GVariant   *value,
                                 GVariant   *old_value,
                                 gpointer    user_data);

/**
 * IsleMapUpdateFunc:
 * @map: the map being updated
 * @key: the key being updated
 * @current: (nullable): the key's current value, or %NULL if it is not set
 * @user_data: (closure): the data given to [method@Isle.Map.update_key]
 *
 * Computes the new value of one key of an [class@Isle.Map] from its
 * current one, for [method@Isle.Map.update_key]. It may be called more
 * than once (when another thread changed the map meanwhile); the last
 * call is the one whose result was stored.
 *
 * Returns: (transfer full) (nullable): the new value of @key (a floating
 *   reference is sunk), or %NULL to remove @key
 *
 * Since: 1.0
 */
typedef GVariant *(*IsleMapUpdateFunc) (IsleMap    *map,
                                        const char *key,
                                        GVariant   *current,
                                        gpointer    user_data);

IsleMap  *isle_map_new          (const char         *name,
                                 GVariant           *initial);
GVariant *isle_map_get_key      (IsleMap            *self,
                                 const char         *key);
void      isle_map_set_key      (IsleMap            *self,
                                 const char         *key,
                                 GVariant           *value);
gboolean  isle_map_update_key   (IsleMap            *self,
                                 const char         *key,
                                 IsleMapUpdateFunc   func,
                                 gpointer            user_data);
guint     isle_map_listen_keys  (IsleMap            *self,
                                 const char * const *keys,
                                 IsleMapListener     listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);

G_END_DECLS
