/* isle-registry.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-store-private.h"

/**
 * IsleRegistry:
 *
 * The process-wide stores, by name: the way islands, and panes written in
 * C and in Python, reach the same [class@Isle.Store] without knowing each
 * other. `cart` looked up in C is the same object as `cart` looked up in
 * Python.
 *
 * ```c
 * IsleAtom *count = isle_registry_ensure_atom (isle_registry_get_default (),
 *                                              "cart-count", G_VARIANT_TYPE_INT32,
 *                                              NULL, &error);
 * ```
 *
 * ```python
 * count = Isle.Registry.get_default().lookup("cart-count")
 * ```
 *
 * The registry is a [iface@Gio.ListModel] of its stores, in the order
 * they were added. It may be used from any thread.
 *
 * Since: 1.0
 */

struct _IsleRegistry
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *by_name;  /* name → IsleStore */
  GPtrArray  *stores;   /* in order of addition */
};

static void isle_registry_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (IsleRegistry, isle_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      isle_registry_list_model_init))

static GType
isle_registry_get_item_type (GListModel *model)
{
  return ISLE_TYPE_STORE;
}

static guint
isle_registry_get_n_items (GListModel *model)
{
  IsleRegistry *self = ISLE_REGISTRY (model);
  guint n_items;

  g_mutex_lock (&self->lock);
  n_items = self->stores->len;
  g_mutex_unlock (&self->lock);

  return n_items;
}

static gpointer
isle_registry_get_item (GListModel *model,
                        guint       position)
{
  IsleRegistry *self = ISLE_REGISTRY (model);
  gpointer item = NULL;

  g_mutex_lock (&self->lock);
  if (position < self->stores->len)
    item = g_object_ref (g_ptr_array_index (self->stores, position));
  g_mutex_unlock (&self->lock);

  return item;
}

static void
isle_registry_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = isle_registry_get_item_type;
  iface->get_n_items = isle_registry_get_n_items;
  iface->get_item = isle_registry_get_item;
}

static void
isle_registry_finalize (GObject *object)
{
  IsleRegistry *self = ISLE_REGISTRY (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->stores, g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (isle_registry_parent_class)->finalize (object);
}

static void
isle_registry_class_init (IsleRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isle_registry_finalize;
}

static void
isle_registry_init (IsleRegistry *self)
{
  g_mutex_init (&self->lock);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->stores = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * isle_registry_get_default:
 *
 * Gets the registry of the process.
 *
 * Returns: (transfer none): the default registry
 *
 * Since: 1.0
 */
IsleRegistry *
isle_registry_get_default (void)
{
  static IsleRegistry *default_registry;

  if (g_once_init_enter (&default_registry))
    g_once_init_leave (&default_registry, g_object_new (ISLE_TYPE_REGISTRY, NULL));

  return default_registry;
}

/**
 * isle_registry_lookup:
 * @self: a registry
 * @name: the name of a store
 *
 * Looks up a store by name.
 *
 * Returns: (transfer none) (nullable): the store, or %NULL if none has
 *   that name
 *
 * Since: 1.0
 */
IsleStore *
isle_registry_lookup (IsleRegistry *self,
                      const char   *name)
{
  IsleStore *store;

  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_mutex_lock (&self->lock);
  store = g_hash_table_lookup (self->by_name, name);
  g_mutex_unlock (&self->lock);

  return store;
}

static gboolean
add_locked (IsleRegistry  *self,
            IsleStore     *store,
            GError       **error)
{
  const char *name = isle_store_get_name (store);

  if (name == NULL)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED,
                           "only named stores can be registered");
      return FALSE;
    }

  if (g_hash_table_contains (self->by_name, name))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS,
                   "a store named “%s” is already registered", name);
      return FALSE;
    }

  g_ptr_array_add (self->stores, g_object_ref (store));
  g_hash_table_insert (self->by_name, (gpointer) name, store);

  return TRUE;
}

/**
 * isle_registry_add:
 * @self: a registry
 * @store: a named store
 * @error: return location for a #GError
 *
 * Registers @store under its name; the registry keeps a reference.
 *
 * Returns: %TRUE on success; %FALSE if @store has no name or the name is
 *   taken (%ISLE_ERROR_EXISTS)
 *
 * Since: 1.0
 */
gboolean
isle_registry_add (IsleRegistry  *self,
                   IsleStore     *store,
                   GError       **error)
{
  gboolean added;
  guint position;

  g_return_val_if_fail (ISLE_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (ISLE_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  added = add_locked (self, store, error);
  position = self->stores->len - 1;
  g_mutex_unlock (&self->lock);

  if (added)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);

  return added;
}

/**
 * isle_registry_remove:
 * @self: a registry
 * @name: the name of a store
 *
 * Removes the store named @name from the registry.
 *
 * Returns: %TRUE if a store was removed
 *
 * Since: 1.0
 */
gboolean
isle_registry_remove (IsleRegistry *self,
                      const char   *name)
{
  IsleStore *store;
  guint position = 0;

  g_return_val_if_fail (ISLE_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_mutex_lock (&self->lock);
  store = g_hash_table_lookup (self->by_name, name);
  if (store != NULL)
    {
      g_ptr_array_find (self->stores, store, &position);
      g_hash_table_remove (self->by_name, name);
      g_ptr_array_remove_index (self->stores, position);
    }
  g_mutex_unlock (&self->lock);

  if (store == NULL)
    return FALSE;

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

/**
 * isle_registry_clean:
 * @self: a registry
 *
 * Empties @self and cleans every store it held, for tests: the store
 * form of nanostores' `cleanStores ()`, run between two tests so that
 * each starts from nothing. Every store loses its listeners and stops at
 * once (see [method@Isle.Store.clean]), newest first, then leaves the
 * registry (which drops its reference); a name can be registered again
 * afterwards.
 *
 * ```c
 * static void
 * fixture_teardown (Fixture *fixture, gconstpointer data)
 * {
 *   isle_registry_clean (isle_registry_get_default ());
 * }
 * ```
 *
 * Since: 1.0
 */
void
isle_registry_clean (IsleRegistry *self)
{
  g_autoptr(GPtrArray) stores = NULL;

  g_return_if_fail (ISLE_IS_REGISTRY (self));

  g_mutex_lock (&self->lock);
  stores = g_steal_pointer (&self->stores);
  self->stores = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_set_free_func (stores, NULL);
  g_hash_table_remove_all (self->by_name);
  g_mutex_unlock (&self->lock);

  if (stores->len == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), 0, stores->len, 0);

  /* Newest first: a computed store, registered after its sources, lets
   * go of them before they are cleaned. */
  for (guint i = stores->len; i > 0; i--)
    {
      IsleStore *store = g_ptr_array_index (stores, i - 1);

      isle_store_clean (store);
      g_object_unref (store);
    }
}

/**
 * isle_registry_ensure_atom:
 * @self: a registry
 * @name: the name of the atom
 * @value_type: the type of its values, a definite one
 * @initial: (nullable): its initial value, if it is created; a floating
 *   reference is sunk
 * @error: return location for a #GError
 *
 * Gets the atom named @name, creating and registering it if there is
 * none: the usual way for independent panes to share one atom.
 *
 * Returns: (transfer none) (nullable): the atom, or %NULL with @error set
 *   (%ISLE_ERROR_WRONG_TYPE) if a store of that name exists but is not an
 *   atom of @value_type, if @value_type is not definite, or if @initial is
 *   not of @value_type
 *
 * Since: 1.0
 */
IsleAtom *
isle_registry_ensure_atom (IsleRegistry        *self,
                           const char          *name,
                           const GVariantType  *value_type,
                           GVariant            *initial,
                           GError             **error)
{
  g_autoptr(GVariant) owned = initial != NULL ? g_variant_ref_sink (initial) : NULL;
  g_autoptr(IsleAtom) atom = NULL;
  IsleStore *store;
  gboolean added;
  guint position;

  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (value_type != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An atom's type is definite ("*" or "a?" name no one value type). */
  if (!g_variant_type_is_definite (value_type))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "“%s” cannot hold values of type “%.*s”: an atom's type must be definite",
                   name, (int) g_variant_type_get_string_length (value_type),
                   g_variant_type_peek_string (value_type));
      return NULL;
    }

  g_mutex_lock (&self->lock);

  store = g_hash_table_lookup (self->by_name, name);
  if (store != NULL)
    {
      g_mutex_unlock (&self->lock);

      if (!ISLE_IS_ATOM (store) ||
          !g_variant_type_equal (isle_store_get_value_type (store), value_type))
        {
          g_autofree char *label = _isle_store_dup_label (store);
          g_autofree char *type = g_variant_type_dup_string (isle_store_get_value_type (store));

          g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                       "“%s” is already registered as %s of type “%s”", name, label, type);
          return NULL;
        }

      return ISLE_ATOM (store);
    }

  if (owned != NULL && !g_variant_is_of_type (owned, value_type))
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "the initial value of “%s” is of type “%s”, not “%.*s”", name,
                   g_variant_get_type_string (owned),
                   (int) g_variant_type_get_string_length (value_type),
                   g_variant_type_peek_string (value_type));
      return NULL;
    }

  atom = isle_atom_new (name, value_type, owned);

  added = atom != NULL && add_locked (self, ISLE_STORE (atom), error);
  position = self->stores->len - 1;
  g_mutex_unlock (&self->lock);

  /* Under the lock, the name was free and the atom is new: only a bug of
   * ours (not the caller's input) could fail here. */
  if (!added)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ISLE_ERROR, ISLE_ERROR_FAILED, "could not register “%s”", name);
      return NULL;
    }
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);

  return atom;
}

/* Scalar shortcuts: the registry's usual use, sharing one value by name,
 * without a GVariantType or a GError in sight. A name taken by a store of
 * another kind is the caller's mistake: a critical, and NULL. */
static IsleAtom *
ensure_scalar (IsleRegistry       *self,
               const char         *name,
               const GVariantType *type,
               GVariant           *initial,
               const char         *func)
{
  g_autoptr(GError) error = NULL;
  IsleAtom *atom;

  atom = isle_registry_ensure_atom (self, name, type, initial, &error);
  if (atom == NULL)
    g_critical ("%s: %s", func, error->message);

  return atom;
}

/**
 * isle_registry_ensure_boolean:
 * @self: a registry
 * @name: the name of the atom
 * @initial: its value, if it is created
 *
 * Gets the boolean atom named @name, creating and registering it with
 * @initial if there is none: [method@Isle.Registry.ensure_atom] for type
 * “b”. A store of that name that is not a boolean atom is reported with a
 * critical.
 *
 * Returns: (transfer none) (nullable): the atom, or %NULL if @name is taken
 *   by a store of another type
 *
 * Since: 1.0
 */
IsleAtom *
isle_registry_ensure_boolean (IsleRegistry *self,
                              const char   *name,
                              gboolean      initial)
{
  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return ensure_scalar (self, name, G_VARIANT_TYPE_BOOLEAN, g_variant_new_boolean (initial),
                        G_STRFUNC);
}

/**
 * isle_registry_ensure_int:
 * @self: a registry
 * @name: the name of the atom
 * @initial: its value, if it is created
 *
 * Gets the 32-bit integer atom named @name, creating and registering it
 * with @initial if there is none: [method@Isle.Registry.ensure_atom] for
 * type “i”. Independent panes share a count this way:
 *
 * ```c
 * IsleAtom *cart = isle_registry_ensure_int (isle_registry_get_default (), "cart", 0);
 * ```
 *
 * A store of that name that is not an integer atom is reported with a
 * critical.
 *
 * Returns: (transfer none) (nullable): the atom, or %NULL if @name is taken
 *   by a store of another type
 *
 * Since: 1.0
 */
IsleAtom *
isle_registry_ensure_int (IsleRegistry *self,
                          const char   *name,
                          int           initial)
{
  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return ensure_scalar (self, name, G_VARIANT_TYPE_INT32, g_variant_new_int32 (initial),
                        G_STRFUNC);
}

/**
 * isle_registry_ensure_int64:
 * @self: a registry
 * @name: the name of the atom
 * @initial: its value, if it is created
 *
 * Gets the 64-bit integer atom named @name, creating and registering it
 * with @initial if there is none: [method@Isle.Registry.ensure_atom] for
 * type “x”.
 *
 * Returns: (transfer none) (nullable): the atom, or %NULL (and a critical)
 *   if @name is taken by a store of another type
 *
 * Since: 1.0
 */
IsleAtom *
isle_registry_ensure_int64 (IsleRegistry *self,
                            const char   *name,
                            gint64        initial)
{
  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return ensure_scalar (self, name, G_VARIANT_TYPE_INT64, g_variant_new_int64 (initial),
                        G_STRFUNC);
}

/**
 * isle_registry_ensure_double:
 * @self: a registry
 * @name: the name of the atom
 * @initial: its value, if it is created
 *
 * Gets the double atom named @name, creating and registering it with
 * @initial if there is none: [method@Isle.Registry.ensure_atom] for type
 * “d”.
 *
 * Returns: (transfer none) (nullable): the atom, or %NULL (and a critical)
 *   if @name is taken by a store of another type
 *
 * Since: 1.0
 */
IsleAtom *
isle_registry_ensure_double (IsleRegistry *self,
                             const char   *name,
                             double        initial)
{
  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return ensure_scalar (self, name, G_VARIANT_TYPE_DOUBLE, g_variant_new_double (initial),
                        G_STRFUNC);
}

/**
 * isle_registry_ensure_string:
 * @self: a registry
 * @name: the name of the atom
 * @initial: its value, if it is created
 *
 * Gets the string atom named @name, creating and registering it with
 * @initial if there is none: [method@Isle.Registry.ensure_atom] for type
 * “s”.
 *
 * Returns: (transfer none) (nullable): the atom, or %NULL (and a critical)
 *   if @name is taken by a store of another type
 *
 * Since: 1.0
 */
IsleAtom *
isle_registry_ensure_string (IsleRegistry *self,
                             const char   *name,
                             const char   *initial)
{
  g_return_val_if_fail (ISLE_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (initial != NULL, NULL);

  return ensure_scalar (self, name, G_VARIANT_TYPE_STRING, g_variant_new_string (initial),
                        G_STRFUNC);
}
