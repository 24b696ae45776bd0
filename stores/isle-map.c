/* isle-map.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-store-private.h"

/**
 * IsleMap:
 *
 * A store of string keys to values, like nanostores' `map`. Its value is
 * a dictionary of type “a{sv}”; [method@Isle.Map.set_key] changes one key,
 * and listeners added with [method@Isle.Map.listen_keys] hear only the
 * keys they asked for.
 *
 * ```c
 * IsleMap *profile = isle_map_new ("profile", NULL);
 *
 * isle_map_listen_keys (profile, (const char *[]) { "name", NULL },
 *                       name_changed_cb, label, NULL);
 * isle_map_set_key (profile, "name", g_variant_new_string ("Ada"));
 * ```
 *
 * Since: 1.0
 */

struct _IsleMap
{
  IsleStore parent_instance;
};

G_DEFINE_FINAL_TYPE (IsleMap, isle_map, ISLE_TYPE_STORE)

static void
isle_map_class_init (IsleMapClass *klass)
{
}

static void
isle_map_init (IsleMap *self)
{
}

/**
 * isle_map_new:
 * @name: (nullable): the name of the map
 * @initial: (nullable): the initial dictionary, of type “a{sv}”; %NULL for
 *   an empty one; a floating reference is sunk
 *
 * Creates a map.
 *
 * Returns: (transfer full): a new map
 *
 * Since: 1.0
 */
IsleMap *
isle_map_new (const char *name,
              GVariant   *initial)
{
  g_autoptr(GVariant) value = initial != NULL ? g_variant_ref_sink (initial) : NULL;
  IsleMap *self;

  g_return_val_if_fail (value == NULL || g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT), NULL);

  self = g_object_new (ISLE_TYPE_MAP,
                       "name", name,
                       "value-type", G_VARIANT_TYPE_VARDICT,
                       NULL);
  if (value != NULL)
    _isle_store_set_value_quietly (ISLE_STORE (self), g_steal_pointer (&value));

  return self;
}

/**
 * isle_map_get_key:
 * @self: a map
 * @key: a key
 *
 * Gets the value of @key.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL if @key is not set
 *
 * Since: 1.0
 */
GVariant *
isle_map_get_key (IsleMap    *self,
                  const char *key)
{
  g_autoptr(GVariant) dict = NULL;

  g_return_val_if_fail (ISLE_IS_MAP (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  dict = isle_store_get_value (ISLE_STORE (self));
  return g_variant_lookup_value (dict, key, NULL);
}

typedef struct
{
  const char *key;
  GVariant   *value;
} KeyUpdate;

/* Runs under the store's lock: a read-modify-write no other thread can
 * interleave with. */
static GVariant *
update_key (GVariant *dict,
            gpointer  user_data)
{
  KeyUpdate *update = user_data;
  g_autoptr(GVariant) current = g_variant_lookup_value (dict, update->key, NULL);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k;
  GVariant *v;

  if (current == update->value ||
      (current != NULL && update->value != NULL && g_variant_equal (current, update->value)))
    return NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &k, &v))
    {
      if (!g_str_equal (k, update->key))
        g_variant_builder_add (&builder, "{sv}", k, v);
      g_variant_unref (v);
    }
  if (update->value != NULL)
    g_variant_builder_add (&builder, "{sv}", update->key, update->value);

  return g_variant_builder_end (&builder);
}

/**
 * isle_map_set_key:
 * @self: a map
 * @key: a key
 * @value: (nullable): the new value of @key, or %NULL to remove it; a
 *   floating reference is sunk
 *
 * Sets one key of @self. Whole-map listeners hear the new dictionary; key
 * listeners hear only if they watch @key. Setting a key to its current
 * value does nothing. Threads may set keys concurrently: no change is
 * lost.
 *
 * Since: 1.0
 */
void
isle_map_set_key (IsleMap    *self,
                  const char *key,
                  GVariant   *value)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  KeyUpdate update = { key, owned };

  g_return_if_fail (ISLE_IS_MAP (self));
  g_return_if_fail (key != NULL);

  _isle_store_update_value (ISLE_STORE (self), update_key, &update, key);
}

typedef struct
{
  IsleExchange  exchange;  /* of the whole dictionary */
  KeyUpdate     update;
} KeyExchange;

static GVariant *
update_key_if_current (GVariant *dict,
                       gpointer  user_data)
{
  KeyExchange *exchange = user_data;

  if (dict != exchange->exchange.expected)
    {
      exchange->exchange.conflict = TRUE;
      return NULL;
    }

  return update_key (dict, &exchange->update);
}

/**
 * isle_map_update_key:
 * @self: a map
 * @key: a key
 * @func: (scope call) (closure user_data): computes the new value of @key
 *   from its current one
 * @user_data: data for @func
 *
 * Changes one key of @self by a read-modify-write that no other thread can
 * interleave with: @func gets the key's current value (%NULL if it is not
 * set) and returns the new one (%NULL removes the key), which is stored
 * only if the map still holds what @func saw; otherwise @func runs again
 * with the newer value. Two threads adding to one key never lose an
 * update. @func runs in the calling thread with no lock held: it may read
 * this and other stores, but should only compute. Listeners hear the
 * change as from [method@Isle.Map.set_key].
 *
 * ```c
 * static GVariant *
 * add_one_cb (IsleMap *map, const char *key, GVariant *current, gpointer data)
 * {
 *   return g_variant_new_int32 ((current ? g_variant_get_int32 (current) : 0) + 1);
 * }
 *
 * isle_map_update_key (cart, "tea", add_one_cb, NULL);
 * ```
 *
 * Returns: %TRUE if @key changed, %FALSE if its new value equals the old
 *   one
 *
 * Since: 1.0
 */
gboolean
isle_map_update_key (IsleMap           *self,
                     const char        *key,
                     IsleMapUpdateFunc  func,
                     gpointer           user_data)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  for (;;)
    {
      g_autoptr(GVariant) dict = _isle_store_peek_value (ISLE_STORE (self));
      g_autoptr(GVariant) current = g_variant_lookup_value (dict, key, NULL);
      GVariant *next = func (self, key, current, user_data);
      g_autoptr(GVariant) owned = next != NULL ? g_variant_ref_sink (next) : NULL;
      KeyExchange exchange = { { dict, NULL, FALSE }, { key, owned } };
      gboolean changed;

      changed = _isle_store_update_value (ISLE_STORE (self), update_key_if_current,
                                          &exchange, key);
      if (!exchange.exchange.conflict)
        return changed;
    }
}

/**
 * isle_map_listen_keys:
 * @self: a map
 * @keys: (array zero-terminated=1): the keys to watch
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Adds a listener that is called once for each watched key whose value
 * changed, and for no other change. Remove it with
 * [method@Isle.Store.unsubscribe].
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_map_listen_keys (IsleMap            *self,
                      const char * const *keys,
                      IsleMapListener     listener,
                      gpointer            user_data,
                      GDestroyNotify      destroy)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), 0);
  g_return_val_if_fail (keys != NULL, 0);
  g_return_val_if_fail (listener != NULL, 0);

  return _isle_store_add_listener (ISLE_STORE (self), ISLE_LISTENER_KEYS, keys, FALSE,
                                   listener, user_data, destroy);
}
