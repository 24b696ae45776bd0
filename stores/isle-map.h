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

/**
 * IsleMapChangeListener:
 * @map: the map that changed
 * @value: the new dictionary
 * @old_value: (nullable): the dictionary before the change, or %NULL for the
 *   first call of a subscription
 * @changed_key: (nullable): the key (or path) the change was made to, or
 *   %NULL when the whole dictionary was replaced, for a batch and for the
 *   first call of a subscription
 * @user_data: (closure): the data given with the listener
 *
 * Hears every change of an [class@Isle.Map], and which key it was made
 * to, like the listeners of a nanostores `map`.
 *
 * Since: 1.0
 */
typedef void (*IsleMapChangeListener) (IsleMap    *map,
                                       GVariant   *value,
                                       GVariant   *old_value,
                                       const char *changed_key,
                                       gpointer    user_data);

/**
 * IsleMapKeyEqualFunc:
 * @map: the map
 * @key: the key (or path) being set
 * @old_value: (nullable): the key's current value, or %NULL if it is not set
 * @value: the value being set
 * @user_data: (closure): the data given with the function
 *
 * Decides whether a key's new value equals its current one, for
 * [method@Isle.Map.set_key_equal_func] (nanostores' `eqKey`).
 *
 * Returns: %TRUE if they are equal: the map keeps the current value
 *
 * Since: 1.0
 */
typedef gboolean (*IsleMapKeyEqualFunc) (IsleMap    *map,
                                         const char *key,
                                         GVariant   *old_value,
                                         GVariant   *value,
                                         gpointer    user_data);

/**
 * IsleMapFilter:
 * @map: the map about to change
 * @key: (nullable): the key (or path) being set, or %NULL when the whole
 *   dictionary is being replaced
 * @value: (nullable): the value being set (a dictionary when @key is
 *   %NULL), or %NULL when @key is being removed
 * @old_value: (nullable): the current value of @key (the current dictionary
 *   when @key is %NULL), or %NULL if @key is not set
 * @user_data: (closure): the data given with the filter
 *
 * Runs before an [class@Isle.Map] takes a new value, for
 * [method@Isle.Map.set_filter]. It returns what the key becomes: @value
 * accepts it, another value replaces it, @old_value rejects the change
 * (the key keeps its value) and %NULL removes the key. For the whole
 * dictionary, %NULL rejects too.
 *
 * Returns: (transfer full) (nullable): what @key becomes (a floating
 *   reference is sunk)
 *
 * Since: 1.0
 */
typedef GVariant *(*IsleMapFilter) (IsleMap    *map,
                                    const char *key,
                                    GVariant   *value,
                                    GVariant   *old_value,
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
void      isle_map_replace      (IsleMap            *self,
                                 GVariant           *value);
guint     isle_map_listen_keys  (IsleMap            *self,
                                 const char * const *keys,
                                 IsleMapListener     listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);
guint     isle_map_subscribe_keys (IsleMap          *self,
                                 const char * const *keys,
                                 IsleMapListener     listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);
guint     isle_map_listen_changes (IsleMap          *self,
                                 IsleMapChangeListener listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);
guint     isle_map_subscribe_changes (IsleMap       *self,
                                 IsleMapChangeListener listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);
gboolean  isle_map_delete_key   (IsleMap            *self,
                                 const char         *key);
void      isle_map_set_key_equal_func (IsleMap      *self,
                                 IsleMapKeyEqualFunc func,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);
void      isle_map_set_filter   (IsleMap            *self,
                                 IsleMapFilter       filter,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);

GVariant *isle_map_get_path     (IsleMap            *self,
                                 const char         *path);
gboolean  isle_map_set_path     (IsleMap            *self,
                                 const char         *path,
                                 GVariant           *value,
                                 GError            **error);
guint     isle_map_listen_paths (IsleMap            *self,
                                 const char * const *paths,
                                 IsleMapListener     listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);
guint     isle_map_subscribe_paths (IsleMap         *self,
                                 const char * const *paths,
                                 IsleMapListener     listener,
                                 gpointer            user_data,
                                 GDestroyNotify      destroy);

G_END_DECLS
