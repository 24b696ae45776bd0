/* isle-map.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-map-path-private.h"
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
 * It has all of a nanostores `map`: listeners of the whole map that hear
 * which key changed ([method@Isle.Map.listen_changes]), key listeners
 * called at once ([method@Isle.Map.subscribe_keys]), a per-key equality
 * ([method@Isle.Map.set_key_equal_func], `eqKey`), a filter every change
 * goes through ([method@Isle.Map.set_filter], `onSet`) and
 * [method@Isle.Map.delete_key].
 *
 * It is also a *deep map* (nanostores' `deepMap`): a path such as
 * `profile.name` or `items[2]` reaches into nested dictionaries (“a{sv}”)
 * and arrays (“av”) held in the map, for settings and form panes.
 * [method@Isle.Map.set_path] replaces the containers on the way (the
 * values stay immutable), and [method@Isle.Map.listen_paths] hears a path
 * whenever the value there changes, whichever key or path the change was
 * made through.
 *
 * ```c
 * isle_map_set_path (form, "address.lines[1]", g_variant_new_string ("Flat 2"), NULL);
 * isle_map_listen_paths (form, (const char *[]) { "address.city", NULL },
 *                        city_changed_cb, self, NULL);
 * ```
 *
 * Since: 1.0
 */

struct _IsleMap
{
  IsleStore parent_instance;

  IsleMapKeyEqualFunc key_equal;
  gpointer            key_equal_data;
  GDestroyNotify      key_equal_destroy;

  IsleMapFilter       filter;
  gpointer            filter_data;
  GDestroyNotify      filter_destroy;
};

G_DEFINE_FINAL_TYPE (IsleMap, isle_map, ISLE_TYPE_STORE)

/* Runs @owned (a full reference, or NULL; taken) through the filter, for
 * @key (NULL: the whole dictionary) whose value is @current. Returns a
 * full reference to what the key becomes, or NULL. */
static GVariant *
map_filter (IsleMap    *self,
            const char *key,
            GVariant   *owned,
            GVariant   *current)
{
  GVariant *filtered;

  if (self->filter == NULL)
    return owned;

  filtered = self->filter (self, key, owned, current, self->filter_data);
  g_clear_pointer (&owned, g_variant_unref);

  return filtered != NULL ? g_variant_take_ref (filtered) : NULL;
}

/* Replaces the whole dictionary, through the filter. Takes @owned. */
static void
map_replace_owned (IsleMap  *self,
                   GVariant *owned)
{
  if (self->filter != NULL)
    {
      g_autoptr(GVariant) current = _isle_store_peek_value (ISLE_STORE (self));

      owned = map_filter (self, NULL, owned, current);
      if (owned == NULL)
        return;

      if (!g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
        {
          g_autofree char *label = _isle_store_dup_label (ISLE_STORE (self));

          g_critical ("The filter of %s returned a value of type “%s”, not a dictionary "
                      "(“a{sv}”): the map keeps its value", label,
                      g_variant_get_type_string (owned));
          g_variant_unref (owned);
          return;
        }
    }

  _isle_store_replace_value (ISLE_STORE (self), owned, NULL);
}

/* IsleStore:value, written: the whole dictionary. */
static void
isle_map_set_value (IsleStore *store,
                    GVariant  *dict)
{
  g_autoptr(GError) error = NULL;

  if (_isle_store_check_value (store, dict, &error))
    map_replace_owned (ISLE_MAP (store), g_variant_ref (dict));
  else
    g_critical ("%s", error->message);
}

static void
isle_map_dispose (GObject *object)
{
  IsleMap *self = ISLE_MAP (object);

  isle_map_set_key_equal_func (self, NULL, NULL, NULL);
  isle_map_set_filter (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (isle_map_parent_class)->dispose (object);
}

static GVariant *lookup_path (GVariant   *dict,
                              const char *path);

static void
isle_map_class_init (IsleMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IsleStoreClassPrivate *store_class = _isle_store_class_get_private (klass);

  object_class->dispose = isle_map_dispose;

  store_class->set_value = isle_map_set_value;
  store_class->kind_name = "map";
  store_class->lookup_path = lookup_path;
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
  const char  *key;
  GVariant    *value;
  gboolean     path;   /* @key is a path */
  GError     **error;  /* for a path that does not fit the value */
} KeyUpdate;

/* The value of @key, or of the path @key, in @dict. */
static inline GVariant *
lookup (GVariant   *dict,
        const char *key,
        gboolean    path)
{
  return path ? _isle_path_get (dict, key) : g_variant_lookup_value (dict, key, NULL);
}

/* Runs under the store's lock: a read-modify-write no other thread can
 * interleave with. */
static GVariant *
update_key (GVariant *dict,
            gpointer  user_data)
{
  KeyUpdate *update = user_data;
  g_autoptr(GVariant) current = NULL;
  GVariantBuilder builder;
  gsize n;

  if (update->path)
    {
      GVariant *next = _isle_path_set (dict, update->key, update->value, update->error);

      if (next == dict)
        g_clear_pointer (&next, g_variant_unref);
      return next;
    }

  current = g_variant_lookup_value (dict, update->key, NULL);
  if (current == update->value ||
      (current != NULL && update->value != NULL && g_variant_equal (current, update->value)))
    return NULL;

  /* The other entries are copied whole: unpacking and repacking each
   * value, and then serialising the new tree to compare it, cost about six
   * times as much (a 10 000-line map: ~45 ms a change against ~8). A key
   * that is already there keeps its place, as in a JavaScript object. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  n = g_variant_n_children (dict);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (dict, i);
      g_autoptr(GVariant) entry_key = g_variant_get_child_value (entry, 0);

      if (!g_str_equal (g_variant_get_string (entry_key, NULL), update->key))
        g_variant_builder_add_value (&builder, entry);
      else if (update->value != NULL)
        g_variant_builder_add (&builder, "{sv}", update->key, update->value);
    }
  if (update->value != NULL && current == NULL)
    g_variant_builder_add (&builder, "{sv}", update->key, update->value);

  return g_variant_builder_end (&builder);
}

typedef struct
{
  IsleExchange  exchange;  /* of the whole dictionary */
  KeyUpdate     update;
} KeyExchange;

static GVariant *update_key_if_current (GVariant *dict,
                                        gpointer  user_data);

/* Sets @key (or the path @key) to @owned (taken; NULL removes) through
 * the filter and the key equality, which run with no lock held: each try
 * is stored only if the map still holds the dictionary they saw. */
static gboolean
map_set_checked (IsleMap     *self,
                 const char  *key,
                 gboolean     path,
                 GVariant    *owned,
                 GError     **error)
{
  g_autoptr(GVariant) wanted = owned;

  for (;;)
    {
      g_autoptr(GVariant) dict = _isle_store_peek_value (ISLE_STORE (self));
      g_autoptr(GVariant) current = lookup (dict, key, path);
      g_autoptr(GVariant) next = map_filter (self, key, wanted != NULL ? g_variant_ref (wanted) : NULL,
                                             current);
      GError *local_error = NULL;
      KeyExchange exchange = { { dict, NULL, FALSE }, { key, next, path, &local_error } };

      /* Nothing to remove (a path may lead to a null, which can be). */
      if (next == NULL && current == NULL && !path)
        return TRUE;
      /* nanostores' eqKey sees every write but a removal. */
      if (next != NULL && self->key_equal != NULL &&
          self->key_equal (self, key, current, next, self->key_equal_data))
        return TRUE;

      _isle_store_update_value (ISLE_STORE (self), update_key_if_current, &exchange, key);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (!exchange.exchange.conflict)
        return TRUE;
    }
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
 * The value goes through the map's filter first, if it has one
 * ([method@Isle.Map.set_filter]), then the key equality
 * ([method@Isle.Map.set_key_equal_func]) decides whether it is a change.
 * A key is always a plain key here, even with a dot in it: paths are
 * for [method@Isle.Map.set_path].
 *
 * Since: 1.0
 */
void
isle_map_set_key (IsleMap    *self,
                  const char *key,
                  GVariant   *value)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  KeyUpdate update = { key, owned, FALSE, NULL };

  g_return_if_fail (ISLE_IS_MAP (self));
  g_return_if_fail (key != NULL);

  if (G_UNLIKELY (self->filter != NULL || self->key_equal != NULL))
    {
      map_set_checked (self, key, FALSE, g_steal_pointer (&owned), NULL);
      return;
    }

  _isle_store_update_value (ISLE_STORE (self), update_key, &update, key);
}

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
      g_autoptr(GVariant) owned = map_filter (self, key, next != NULL ? g_variant_take_ref (next) : NULL,
                                              current);
      KeyExchange exchange = { { dict, NULL, FALSE }, { key, owned, FALSE, NULL } };
      gboolean changed;

      if (owned != NULL && self->key_equal != NULL &&
          self->key_equal (self, key, current, owned, self->key_equal_data))
        return FALSE;

      changed = _isle_store_update_value (ISLE_STORE (self), update_key_if_current,
                                          &exchange, key);
      if (!exchange.exchange.conflict)
        return changed;
    }
}

/* The map's IsleKeyListenerCall. */
static void
call_map_listener (IsleStore  *store,
                   gpointer    func,
                   const char *key,
                   GVariant   *value,
                   GVariant   *old_value,
                   gpointer    user_data)
{
  ((IsleMapListener) func) (ISLE_MAP (store), key, value, old_value, user_data);
}

/**
 * isle_map_replace:
 * @self: a map
 * @value: the new dictionary, of type “a{sv}”; a floating reference is
 *   sunk
 *
 * Replaces the whole dictionary of @self in one change, like nanostores'
 * `map.set()`: whole-map listeners hear once, key listeners only for the
 * watched keys whose value differs. It costs the same whatever the number
 * of keys that changed, where setting them one by one with
 * [method@Isle.Map.set_key] copies the dictionary for each.
 *
 * ```c
 * // Load many lines at once.
 * isle_map_replace (cart, g_variant_new_parsed ("{'tea': <2>, 'salt': <1>}"));
 * ```
 *
 * Since: 1.0
 */
void
isle_map_replace (IsleMap  *self,
                  GVariant *value)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;

  g_return_if_fail (ISLE_IS_MAP (self));
  g_return_if_fail (owned != NULL);
  g_return_if_fail (g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT));

  map_replace_owned (self, g_steal_pointer (&owned));
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

  return _isle_store_add_key_listener (ISLE_STORE (self), keys, call_map_listener,
                                       listener, user_data, destroy);
}

/* The map's IsleKeyListenerCall for IsleMapChangeListener: @key is the
 * changed key. */
static void
call_change_listener (IsleStore  *store,
                      gpointer    func,
                      const char *key,
                      GVariant   *value,
                      GVariant   *old_value,
                      gpointer    user_data)
{
  ((IsleMapChangeListener) func) (ISLE_MAP (store), value, old_value, key, user_data);
}

/**
 * isle_map_subscribe_keys:
 * @self: a map
 * @keys: (array zero-terminated=1): the keys to watch
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Map.listen_keys], and calls @listener at once for each
 * of @keys, with its current value (%NULL if it is not set) and a %NULL old
 * one, like nanostores' `subscribeKeys`.
 *
 * ```c
 * isle_map_subscribe_keys (settings, (const char *[]) { "theme", NULL },
 *                          theme_changed_cb, self, NULL);  // called now, then on changes
 * ```
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_map_subscribe_keys (IsleMap            *self,
                         const char * const *keys,
                         IsleMapListener     listener,
                         gpointer            user_data,
                         GDestroyNotify      destroy)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), 0);
  g_return_val_if_fail (keys != NULL, 0);
  g_return_val_if_fail (listener != NULL, 0);

  return _isle_store_add_key_listener_full (ISLE_STORE (self), keys, FALSE, TRUE,
                                            call_map_listener, listener, user_data, destroy);
}

/**
 * isle_map_listen_changes:
 * @self: a map
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Adds a listener of every change of @self that also hears which key it
 * was made to (nanostores' `map.listen ((value, oldValue, key) => …)`):
 * the key given to [method@Isle.Map.set_key] or
 * [method@Isle.Map.delete_key], the path given to
 * [method@Isle.Map.set_path], and %NULL when the whole dictionary was
 * replaced or several keys changed in one batch.
 *
 * ```c
 * static void
 * changed_cb (IsleMap *map, GVariant *value, GVariant *old_value,
 *             const char *key, gpointer data)
 * {
 *   g_print ("%s changed\n", key != NULL ? key : "everything");
 * }
 *
 * isle_map_listen_changes (profile, changed_cb, NULL, NULL);
 * ```
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_map_listen_changes (IsleMap               *self,
                         IsleMapChangeListener  listener,
                         gpointer               user_data,
                         GDestroyNotify         destroy)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return _isle_store_add_change_listener (ISLE_STORE (self), FALSE, call_change_listener,
                                          listener, user_data, destroy);
}

/**
 * isle_map_subscribe_changes:
 * @self: a map
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Map.listen_changes], and calls @listener at once with
 * the current dictionary, a %NULL old value and a %NULL key.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_map_subscribe_changes (IsleMap               *self,
                            IsleMapChangeListener  listener,
                            gpointer               user_data,
                            GDestroyNotify         destroy)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return _isle_store_add_change_listener (ISLE_STORE (self), TRUE, call_change_listener,
                                          listener, user_data, destroy);
}

/**
 * isle_map_delete_key:
 * @self: a map
 * @key: a key
 *
 * Removes @key from @self, as [method@Isle.Map.set_key] with %NULL does
 * (nanostores' `setKey (key, undefined)`): listeners hear it with the key
 * and a %NULL new value. The key equality is not asked (a removal is
 * always a change), the filter is.
 *
 * Returns: %TRUE if @key was set and is now removed
 *
 * Since: 1.0
 */
gboolean
isle_map_delete_key (IsleMap    *self,
                     const char *key)
{
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  guint64 version;

  g_return_val_if_fail (ISLE_IS_MAP (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  before = isle_map_get_key (self, key);
  if (before == NULL)
    return FALSE;

  version = isle_store_get_version (ISLE_STORE (self));
  isle_map_set_key (self, key, NULL);
  after = isle_map_get_key (self, key);

  return after == NULL && isle_store_get_version (ISLE_STORE (self)) != version;
}

/**
 * isle_map_set_key_equal_func:
 * @self: a map
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   key equality, or %NULL for the default one (by value)
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Gives @self its own equality of key values, like nanostores' `eqKey`:
 * [method@Isle.Map.set_key], [method@Isle.Map.update_key] and
 * [method@Isle.Map.set_path] drop a value that @func judges equal to the
 * key's current one (the old value is kept, nobody hears of it). @func
 * gets %NULL as the old value for a key that is not set; a removal never
 * asks it. Replacing the whole dictionary uses the store's equality
 * ([method@Isle.Store.set_equal_func]) instead. @func runs in the thread
 * that sets, with no lock held. Set it before the map is shared with
 * other threads.
 *
 * ```c
 * static gboolean
 * same_name_cb (IsleMap *map, const char *key, GVariant *old_value,
 *               GVariant *value, gpointer data)
 * {
 *   return old_value != NULL &&
 *          g_utf8_collate (g_variant_get_string (old_value, NULL),
 *                          g_variant_get_string (value, NULL)) == 0;
 * }
 * ```
 *
 * Since: 1.0
 */
void
isle_map_set_key_equal_func (IsleMap             *self,
                             IsleMapKeyEqualFunc  func,
                             gpointer             user_data,
                             GDestroyNotify       destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (ISLE_IS_MAP (self));

  old_destroy = self->key_equal_destroy;
  old_data = self->key_equal_data;
  self->key_equal = func;
  self->key_equal_data = user_data;
  self->key_equal_destroy = destroy;

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/**
 * isle_map_set_filter:
 * @self: a map
 * @filter: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   filter, or %NULL to remove it
 * @user_data: data for @filter
 * @destroy: (nullable): frees @user_data
 *
 * Sets the hook every change of @self goes through before it is stored,
 * like [method@Isle.Atom.set_filter] for atoms (nanostores' `onSet` on a
 * map): per key for [method@Isle.Map.set_key], [method@Isle.Map.update_key],
 * [method@Isle.Map.delete_key] and [method@Isle.Map.set_path] (with the
 * key or path), and for the whole dictionary (a %NULL key) for
 * [method@Isle.Map.replace] and the [property@Isle.Store:value] property.
 * The filter returns what the key becomes: see [callback@Isle.MapFilter].
 * It runs in the thread that sets, with no lock held, and may run again
 * if another thread changed the map meanwhile. Set it before the map is
 * shared with other threads.
 *
 * ```c
 * static GVariant *
 * clamp_cb (IsleMap *map, const char *key, GVariant *value,
 *           GVariant *old_value, gpointer data)
 * {
 *   if (key != NULL && g_str_equal (key, "quantity") && value != NULL)
 *     return g_variant_new_int32 (CLAMP (g_variant_get_int32 (value), 0, 99));
 *   return value != NULL ? g_variant_ref (value) : NULL;
 * }
 *
 * isle_map_set_filter (order, clamp_cb, NULL, NULL);
 * ```
 *
 * Since: 1.0
 */
void
isle_map_set_filter (IsleMap        *self,
                     IsleMapFilter   filter,
                     gpointer        user_data,
                     GDestroyNotify  destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (ISLE_IS_MAP (self));

  old_destroy = self->filter_destroy;
  old_data = self->filter_data;
  self->filter = filter;
  self->filter_data = user_data;
  self->filter_destroy = destroy;

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/* Deep keys {{{ */

/**
 * isle_map_get_path:
 * @self: a map
 * @path: a path: names separated by dots, each followed by any number of
 *   `[N]` indices (`profile.name`, `items[2]`, `rows[0].cells[1]`)
 *
 * Gets the value at @path in the nested dictionaries and arrays of @self
 * (nanostores' `getPath`): a name looks a key up in a dictionary, `[N]` (or
 * a name made of digits) indexes an array; boxed values (“v”) are looked
 * through. A path that leads nowhere (a missing key, an index past the end,
 * a value that is no container, a `null` — an empty maybe) gives %NULL,
 * as does a malformed path.
 *
 * ```c
 * // {'profile': <{'name': <'Ada'>}>, 'items': <[<1>, <2>, <3>]>}
 * g_autoptr(GVariant) name = isle_map_get_path (map, "profile.name");   // 'Ada'
 * g_autoptr(GVariant) third = isle_map_get_path (map, "items[2]");      // 3
 * ```
 *
 * Returns: (transfer full) (nullable): the value, unboxed, or %NULL
 *
 * Since: 1.0
 */
GVariant *
isle_map_get_path (IsleMap    *self,
                   const char *path)
{
  g_autoptr(GVariant) dict = NULL;

  g_return_val_if_fail (ISLE_IS_MAP (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  dict = isle_store_get_value (ISLE_STORE (self));
  return _isle_path_get (dict, path);
}

/**
 * isle_map_set_path:
 * @self: a map
 * @path: a path, as for [method@Isle.Map.get_path]
 * @value: (nullable): the new value at @path, or %NULL to remove it; a
 *   floating reference is sunk
 * @error: return location for a #GError
 *
 * Sets the value at @path (nanostores' `deepMap.setKey (path, value)`).
 * Each dictionary and array on the way is replaced by a copy with the
 * change (the others are kept as they are); a missing level (or a `null`)
 * is made: an array (“av”) before an index, a dictionary (“a{sv}”)
 * before a name. Past the end of an array the gap is filled with `null`s
 * (`<@mv nothing>`). %NULL removes the key, or the array element (the
 * later ones move up). Setting the value the path already has does
 * nothing. The filter and the key equality of the map see the path as the
 * key; listeners of the whole map hear the path as the changed key, and
 * path listeners ([method@Isle.Map.listen_paths]) every path whose value
 * changed.
 *
 * ```c
 * isle_map_set_path (form, "profile.name", g_variant_new_string ("Ada"), NULL);
 * isle_map_set_path (form, "items[0]", g_variant_new_int32 (7), NULL);
 * isle_map_set_path (form, "items[0]", NULL, NULL);  // removes it
 * ```
 *
 * Returns: %TRUE if the value was taken (or equal); %FALSE with @error set
 *   if @path is malformed or the value cannot go there (a typed array of
 *   another element type, a dictionary other than “a{sv}”), in which case
 *   @self keeps its value
 *
 * Since: 1.0
 */
gboolean
isle_map_set_path (IsleMap     *self,
                   const char  *path,
                   GVariant    *value,
                   GError     **error)
{
  GVariant *owned = value != NULL ? g_variant_ref_sink (value) : NULL;

  if (!ISLE_IS_MAP (self) || path == NULL || (error != NULL && *error != NULL))
    {
      g_clear_pointer (&owned, g_variant_unref);
      g_return_val_if_fail (ISLE_IS_MAP (self), FALSE);
      g_return_val_if_fail (path != NULL, FALSE);
      g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    }

  if (!_isle_path_is_valid (path, error))
    {
      g_clear_pointer (&owned, g_variant_unref);
      return FALSE;
    }

  return map_set_checked (self, path, TRUE, owned, error);
}

/* The map's IsleStoreClassPrivate.lookup_path. */
static GVariant *
lookup_path (GVariant   *dict,
             const char *path)
{
  return _isle_path_get (dict, path);
}

static guint
add_path_listener (IsleMap            *self,
                   const char * const *paths,
                   gboolean            call_now,
                   IsleMapListener     listener,
                   gpointer            user_data,
                   GDestroyNotify      destroy)
{
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!_isle_path_is_valid (paths[i], &error))
        {
          g_autofree char *label = _isle_store_dup_label (ISLE_STORE (self));

          g_critical ("%s: %s", label, error->message);
          if (destroy != NULL)
            destroy (user_data);
          return 0;
        }
    }

  return _isle_store_add_key_listener_full (ISLE_STORE (self), paths, TRUE, call_now,
                                            call_map_listener, listener, user_data, destroy);
}

/**
 * isle_map_listen_paths:
 * @self: a map
 * @paths: (array zero-terminated=1): the paths to watch, as for
 *   [method@Isle.Map.get_path]
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Adds a listener that is called once for each watched path whose value
 * changed, with the path as the key and the values at it: whichever way
 * the change was made (a key, a path above, below or beside it, the whole
 * dictionary), a path is heard exactly when its value differs, and no
 * other change is (nanostores' `listenKeys` on a `deepMap`). A malformed
 * path is a critical, and no listener is added.
 *
 * ```c
 * isle_map_listen_paths (form, (const char *[]) { "profile.name", "items[0]", NULL },
 *                        field_changed_cb, self, NULL);
 * ```
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0 if a path
 *   is malformed
 *
 * Since: 1.0
 */
guint
isle_map_listen_paths (IsleMap            *self,
                       const char * const *paths,
                       IsleMapListener     listener,
                       gpointer            user_data,
                       GDestroyNotify      destroy)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), 0);
  g_return_val_if_fail (paths != NULL, 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_path_listener (self, paths, FALSE, listener, user_data, destroy);
}

/**
 * isle_map_subscribe_paths:
 * @self: a map
 * @paths: (array zero-terminated=1): the paths to watch
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Map.listen_paths], and calls @listener at once for
 * each of @paths, with its current value (%NULL if it leads nowhere) and a
 * %NULL old value.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0 if a path
 *   is malformed
 *
 * Since: 1.0
 */
guint
isle_map_subscribe_paths (IsleMap            *self,
                          const char * const *paths,
                          IsleMapListener     listener,
                          gpointer            user_data,
                          GDestroyNotify      destroy)
{
  g_return_val_if_fail (ISLE_IS_MAP (self), 0);
  g_return_val_if_fail (paths != NULL, 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_path_listener (self, paths, TRUE, listener, user_data, destroy);
}

/* }}} */
