/* shop-cart.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "shop-cart.h"

#define CART_STORE_NAME "cart"

/**
 * shop_cart_error_quark:
 *
 * The error domain of [class@Shop.Cart].
 *
 * Returns: the quark of [error@Shop.CartError]
 */
G_DEFINE_QUARK (shop-cart-error-quark, shop_cart_error)

/**
 * ShopCart:
 *
 * The shopping cart: a thin owner of the registry's [class@Isle.Map]
 * named `cart`, whose keys are product identifiers and whose values are
 * quantities of type “i” (int32, at least 1).
 *
 * Islands never talk to each other: they listen to the map (see
 * [method@Isle.Map.listen_keys]) and change it through a `ShopCart`, which
 * keeps the quantities valid and remembers the last
 * [const@Shop.CART_MAX_UNDO] changes for [method@Shop.Cart.undo]. Only
 * changes made through a `ShopCart` can be undone; undoing restores the
 * whole cart as it was before that change.
 *
 * The cart is saved as the text form of its “a{sv}” dictionary (see
 * g_variant_print()), written atomically, for example:
 *
 * ```
 * {'tea-green': <2>, 'island-atlas': <1>}
 * ```
 */

struct _ShopCart
{
  GObject  parent_instance;

  IsleMap *map;
  GMutex   undo_lock;  /* changes may come from any thread */
  GQueue   undo;       /* GVariant “a{sv}”, the oldest first */
};

G_DEFINE_FINAL_TYPE (ShopCart, shop_cart, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAP,
  PROP_CAN_UNDO,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Helpers {{{ */

/* The quantity a line holds, or 0 for none or for a value that is not a
 * valid quantity (someone else may have written to the map). */
static int
quantity_of (GVariant *value)
{
  int quantity;

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return 0;

  quantity = g_variant_get_int32 (value);
  return quantity > 0 ? quantity : 0;
}

static IsleMap *
ensure_map (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IsleMap) map = NULL;
  IsleStore *store;

  store = isle_registry_lookup (registry, CART_STORE_NAME);
  if (ISLE_IS_MAP (store))
    return g_object_ref (ISLE_MAP (store));

  if (store != NULL)
    {
      g_critical ("The store “%s” of the registry is a %s, not an IsleMap; "
                  "the cart will not be shared",
                  CART_STORE_NAME, G_OBJECT_TYPE_NAME (store));
      return isle_map_new (CART_STORE_NAME, NULL);
    }

  map = isle_map_new (CART_STORE_NAME, NULL);
  if (!isle_registry_add (registry, ISLE_STORE (map), &error))
    {
      /* Another thread registered one first: use that. */
      store = isle_registry_lookup (registry, CART_STORE_NAME);
      if (ISLE_IS_MAP (store))
        return g_object_ref (ISLE_MAP (store));

      g_critical ("Could not register the cart: %s", error->message);
    }

  return g_steal_pointer (&map);
}

static void
clear_undo (ShopCart *self)
{
  gboolean had_steps;

  g_mutex_lock (&self->undo_lock);
  had_steps = !g_queue_is_empty (&self->undo);
  g_queue_clear_full (&self->undo, (GDestroyNotify) g_variant_unref);
  g_mutex_unlock (&self->undo_lock);

  if (had_steps)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_UNDO]);
}

static void
push_undo (ShopCart *self,
           GVariant *previous)
{
  guint length;

  g_mutex_lock (&self->undo_lock);
  g_queue_push_tail (&self->undo, g_variant_ref (previous));
  if (g_queue_get_length (&self->undo) > SHOP_CART_MAX_UNDO)
    g_variant_unref (g_queue_pop_head (&self->undo));
  length = g_queue_get_length (&self->undo);
  g_mutex_unlock (&self->undo_lock);

  if (length == 1)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_UNDO]);
}

/* A change of one line, computed from the line as it is when the map
 * takes it (see isle_map_update_key()). */
typedef struct
{
  gboolean  relative;  /* add @quantity to the line, else set it */
  gint64    quantity;
  GVariant *before;    /* the cart the last computation saw */
} LineChange;

static GVariant *
change_line_cb (IsleMap    *map,
                const char *id,
                GVariant   *line,
                gpointer    user_data)
{
  LineChange *change = user_data;
  gint64 quantity = change->quantity;

  if (change->relative)
    quantity += quantity_of (line);
  quantity = CLAMP (quantity, 0, SHOP_CART_MAX_QUANTITY);

  /* Read after the map handed us @line: if the map changed in between, it
   * does not take our result and asks again. */
  g_clear_pointer (&change->before, g_variant_unref);
  change->before = isle_store_get_value (ISLE_STORE (map));

  if ((quantity == 0 && line == NULL) ||
      (quantity > 0 && line != NULL && quantity_of (line) == quantity))
    return line != NULL ? g_variant_ref (line) : NULL;

  return quantity > 0 ? g_variant_new_int32 ((int) quantity) : NULL;
}

/* Changes one line (a quantity of 0 removes it) in one atomic step of the
 * map, so two threads adding to one line never lose an item, and
 * remembers the cart as it was before if that changed anything. */
static void
change_line (ShopCart   *self,
             const char *id,
             gboolean    relative,
             gint64      quantity)
{
  LineChange change = { relative, quantity, NULL };

  if (isle_map_update_key (self->map, id, change_line_cb, &change))
    push_undo (self, change.before);
  g_clear_pointer (&change.before, g_variant_unref);
}

/* Makes the map hold @target (a floating reference is sunk) in one
 * change: key listeners hear only the lines that changed, map listeners
 * hear once, and the map is not copied once per line. */
static void
replace_all (ShopCart *self,
             GVariant *target)
{
  isle_map_replace (self->map, target);
}

/* @dict itself if all its lines are valid (and no id comes twice), or
 * %NULL. One pass, nothing copied: a saved cart is checked in linear
 * time. */
static GVariant *
validate_cart (GVariant *dict)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      int quantity = quantity_of (value);

      g_variant_unref (value);
      if (*key == '\0' || quantity == 0 || quantity > SHOP_CART_MAX_QUANTITY ||
          !g_hash_table_add (seen, (gpointer) key))
        return NULL;
    }

  return g_variant_ref (dict);
}

/* The cart's filter between its map and its file: what is read must be
 * valid lines only (else the file is corrupt), what is written is the
 * valid lines of the map (someone else may have written nonsense to it). */
static GVariant *
cart_filter (IslePersist *persist,
             GVariant    *value,
             gboolean     loading,
             gpointer     user_data)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *line;
  GVariant *valid;

  if (loading)
    return validate_cart (value);

  /* Usually every line is valid: then the map is written as it is. */
  valid = validate_cart (value);
  if (valid != NULL)
    return valid;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &line))
    {
      int quantity = quantity_of (line);

      if (*key != '\0' && quantity > 0)
        g_variant_builder_add (&builder, "{sv}", key,
                               g_variant_new_int32 (MIN (quantity, SHOP_CART_MAX_QUANTITY)));
      g_variant_unref (line);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static IslePersist *
new_persist (ShopCart *self,
             GFile    *file,
             gboolean  autosave)
{
  IslePersist *persist = g_object_new (ISLE_TYPE_PERSIST,
                                       "store", self->map,
                                       "file", file,
                                       "autosave", autosave,
                                       NULL);

  isle_persist_set_filter_func (persist, cart_filter, NULL, NULL);
  return persist;
}

/* }}} */

static void
shop_cart_constructed (GObject *object)
{
  ShopCart *self = SHOP_CART (object);

  G_OBJECT_CLASS (shop_cart_parent_class)->constructed (object);

  self->map = ensure_map ();
}

static void
shop_cart_dispose (GObject *object)
{
  ShopCart *self = SHOP_CART (object);

  g_clear_object (&self->map);

  G_OBJECT_CLASS (shop_cart_parent_class)->dispose (object);
}

static void
shop_cart_finalize (GObject *object)
{
  ShopCart *self = SHOP_CART (object);

  g_queue_clear_full (&self->undo, (GDestroyNotify) g_variant_unref);
  g_mutex_clear (&self->undo_lock);

  G_OBJECT_CLASS (shop_cart_parent_class)->finalize (object);
}

static void
shop_cart_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ShopCart *self = SHOP_CART (object);

  switch (prop_id)
    {
    case PROP_MAP:
      g_value_set_object (value, shop_cart_get_map (self));
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, shop_cart_get_can_undo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shop_cart_class_init (ShopCartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = shop_cart_constructed;
  object_class->dispose = shop_cart_dispose;
  object_class->finalize = shop_cart_finalize;
  object_class->get_property = shop_cart_get_property;

  /**
   * ShopCart:map:
   *
   * The registry's map named `cart` that holds the lines of the cart.
   */
  props[PROP_MAP] =
    g_param_spec_object ("map", NULL, NULL,
                         ISLE_TYPE_MAP,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ShopCart:can-undo:
   *
   * Whether [method@Shop.Cart.undo] has a change to take back.
   */
  props[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
shop_cart_init (ShopCart *self)
{
  g_mutex_init (&self->undo_lock);
  g_queue_init (&self->undo);
}

/**
 * shop_cart_new:
 *
 * Creates a cart on the registry's map named `cart`, which it creates and
 * registers if there is none. Every cart shares that map, but each has
 * its own undo history; most code wants [func@Shop.Cart.get_default].
 *
 * Returns: (transfer full): a new cart
 */
ShopCart *
shop_cart_new (void)
{
  return g_object_new (SHOP_TYPE_CART, NULL);
}

/**
 * shop_cart_get_default:
 *
 * Gets the cart of the process, created on first use. Call it from the
 * main thread.
 *
 * Returns: (transfer none): the default cart
 */
ShopCart *
shop_cart_get_default (void)
{
  static ShopCart *default_cart;

  if (g_once_init_enter (&default_cart))
    g_once_init_leave (&default_cart, shop_cart_new ());

  return default_cart;
}

/**
 * shop_cart_get_map:
 * @self: a cart
 *
 * Gets the map that holds the lines of @self, to listen to.
 *
 * Returns: (transfer none): the map
 */
IsleMap *
shop_cart_get_map (ShopCart *self)
{
  g_return_val_if_fail (SHOP_IS_CART (self), NULL);

  return self->map;
}

/**
 * shop_cart_add:
 * @self: a cart
 * @id: a product identifier
 * @quantity: how many to add; negative to take some away
 *
 * Adds @quantity units of @id to @self. The line is removed when its
 * quantity drops to 0 and clamped at [const@Shop.CART_MAX_QUANTITY].
 */
void
shop_cart_add (ShopCart   *self,
               const char *id,
               int         quantity)
{
  g_return_if_fail (SHOP_IS_CART (self));
  g_return_if_fail (id != NULL && *id != '\0');

  change_line (self, id, TRUE, quantity);
}

/**
 * shop_cart_remove:
 * @self: a cart
 * @id: a product identifier
 *
 * Removes the line of @id from @self, whatever its quantity.
 */
void
shop_cart_remove (ShopCart   *self,
                  const char *id)
{
  g_return_if_fail (SHOP_IS_CART (self));
  g_return_if_fail (id != NULL && *id != '\0');

  change_line (self, id, FALSE, 0);
}

/**
 * shop_cart_set_quantity:
 * @self: a cart
 * @id: a product identifier
 * @quantity: the new quantity; 0 removes the line
 *
 * Sets the quantity of @id in @self, clamped at
 * [const@Shop.CART_MAX_QUANTITY]. Setting the current quantity changes
 * nothing and leaves no undo step.
 */
void
shop_cart_set_quantity (ShopCart   *self,
                        const char *id,
                        int         quantity)
{
  g_return_if_fail (SHOP_IS_CART (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (quantity >= 0);

  change_line (self, id, FALSE, quantity);
}

/**
 * shop_cart_get_quantity:
 * @self: a cart
 * @id: a product identifier
 *
 * Gets the quantity of @id in @self.
 *
 * Returns: the quantity, 0 if @self has no line for @id
 */
int
shop_cart_get_quantity (ShopCart   *self,
                        const char *id)
{
  g_autoptr(GVariant) line = NULL;

  g_return_val_if_fail (SHOP_IS_CART (self), 0);
  g_return_val_if_fail (id != NULL, 0);

  line = isle_map_get_key (self->map, id);
  return quantity_of (line);
}

/**
 * shop_cart_get_n_items:
 * @self: a cart
 *
 * Counts the units in @self: the sum of the quantities of its lines.
 *
 * Returns: the number of items
 */
guint
shop_cart_get_n_items (ShopCart *self)
{
  g_autoptr(GVariant) dict = NULL;

  g_return_val_if_fail (SHOP_IS_CART (self), 0);

  dict = isle_store_get_value (ISLE_STORE (self->map));
  return shop_cart_count_items (dict);
}

/**
 * shop_cart_count_items:
 * @cart: a cart's value, “a{sv}” of product id → quantity (a mirror of
 *   the map in an island's graph, say)
 *
 * Counts the units in @cart: the sum of the positive quantities, of
 * products the catalogue knows or not. The panes count by
 * [func@Shop.cart_count_available], which leaves out products that left
 * the catalogue.
 *
 * Returns: the number of items
 */
guint
shop_cart_count_items (GVariant *cart)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;
  guint n_items = 0;

  g_return_val_if_fail (cart != NULL && g_variant_is_of_type (cart, G_VARIANT_TYPE_VARDICT), 0);

  g_variant_iter_init (&iter, cart);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      n_items += quantity_of (value);
      g_variant_unref (value);
    }

  return n_items;
}

/**
 * shop_cart_count_available:
 * @cart: a cart's value, “a{sv}” of product id → quantity
 * @catalogue: the catalogue of the products on sale
 *
 * Counts the units in @cart of the products @catalogue knows: the rule
 * every pane of Isle Shop counts by. A line of a product that left the
 * catalogue is kept in the cart (it is the user's), shown as no longer
 * available, and counted nowhere (see [func@Shop.cart_dup_unavailable]);
 * [func@Shop.cart_total_of] leaves it out of the total in the same way.
 *
 * Returns: the number of items that can be bought
 */
guint
shop_cart_count_available (GVariant      *cart,
                           ShopCatalogue *catalogue)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;
  guint n_items = 0;

  g_return_val_if_fail (cart != NULL && g_variant_is_of_type (cart, G_VARIANT_TYPE_VARDICT), 0);
  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), 0);

  g_variant_iter_init (&iter, cart);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (shop_catalogue_lookup (catalogue, key) != NULL)
        n_items += quantity_of (value);
      g_variant_unref (value);
    }

  return n_items;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * shop_cart_dup_unavailable:
 * @cart: a cart's value, “a{sv}” of product id → quantity
 * @catalogue: the catalogue of the products on sale
 *
 * Lists the lines of @cart (with a valid quantity) whose product
 * @catalogue does not know — products that left the catalogue since they
 * were added — sorted by identifier, so that a pane shows them in a
 * stable order.
 *
 * Returns: (transfer full) (array zero-terminated=1): the identifiers
 */
char **
shop_cart_dup_unavailable (GVariant      *cart,
                           ShopCatalogue *catalogue)
{
  g_autoptr(GPtrArray) ids = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (cart != NULL && g_variant_is_of_type (cart, G_VARIANT_TYPE_VARDICT), NULL);
  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), NULL);

  ids = g_ptr_array_new_with_free_func (g_free);
  g_variant_iter_init (&iter, cart);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (quantity_of (value) > 0 && shop_catalogue_lookup (catalogue, key) == NULL)
        g_ptr_array_add (ids, g_strdup (key));
      g_variant_unref (value);
    }

  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

/**
 * shop_cart_dup_ids:
 * @self: a cart
 *
 * Lists the product identifiers that have a line in @self, in the order
 * of the map.
 *
 * Returns: (transfer full) (array zero-terminated=1): the identifiers
 */
char **
shop_cart_dup_ids (ShopCart *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GVariant) dict = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (SHOP_IS_CART (self), NULL);

  builder = g_strv_builder_new ();
  dict = isle_store_get_value (ISLE_STORE (self->map));
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (quantity_of (value) > 0)
        g_strv_builder_add (builder, key);
      g_variant_unref (value);
    }

  return g_strv_builder_end (builder);
}

/**
 * shop_cart_get_total:
 * @self: a cart
 * @catalogue: the catalogue that prices the products
 *
 * Adds up the price of every line of @self. Lines of products that
 * @catalogue does not know are left out.
 *
 * Returns: the total, in euros
 */
double
shop_cart_get_total (ShopCart      *self,
                     ShopCatalogue *catalogue)
{
  g_autoptr(GVariant) dict = NULL;

  g_return_val_if_fail (SHOP_IS_CART (self), 0.0);
  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), 0.0);

  dict = isle_store_get_value (ISLE_STORE (self->map));
  return shop_cart_total_of (dict, catalogue);
}

/**
 * shop_cart_total_of:
 * @cart: a cart's value, “a{sv}” of product id → quantity
 * @catalogue: the catalogue that prices the products
 *
 * Adds up the price of every line of @cart. Lines of products that
 * @catalogue does not know are left out, as
 * [func@Shop.cart_count_available] leaves them out of the count.
 *
 * Returns: the total, in euros
 */
double
shop_cart_total_of (GVariant      *cart,
                    ShopCatalogue *catalogue)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;
  double total = 0.0;

  g_return_val_if_fail (cart != NULL && g_variant_is_of_type (cart, G_VARIANT_TYPE_VARDICT), 0.0);
  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), 0.0);

  g_variant_iter_init (&iter, cart);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      ShopProduct *product = shop_catalogue_lookup (catalogue, key);

      if (product != NULL)
        total += shop_product_get_price (product) * quantity_of (value);
      g_variant_unref (value);
    }

  return total;
}

/**
 * shop_cart_clear:
 * @self: a cart
 *
 * Removes every line of @self, as one step that [method@Shop.Cart.undo]
 * can take back.
 */
void
shop_cart_clear (ShopCart *self)
{
  g_autoptr(GVariant) before = NULL;

  g_return_if_fail (SHOP_IS_CART (self));

  before = isle_store_get_value (ISLE_STORE (self->map));
  if (g_variant_n_children (before) == 0)
    return;

  push_undo (self, before);
  replace_all (self, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

/**
 * shop_cart_undo:
 * @self: a cart
 *
 * Takes back the last change made through @self: the whole cart becomes
 * what it was before that change.
 *
 * Returns: %TRUE if a change was taken back, %FALSE if there was none
 */
gboolean
shop_cart_undo (ShopCart *self)
{
  g_autoptr(GVariant) previous = NULL;
  gboolean emptied;

  g_return_val_if_fail (SHOP_IS_CART (self), FALSE);

  g_mutex_lock (&self->undo_lock);
  previous = g_queue_pop_tail (&self->undo);
  emptied = previous != NULL && g_queue_is_empty (&self->undo);
  g_mutex_unlock (&self->undo_lock);
  if (previous == NULL)
    return FALSE;

  replace_all (self, previous);

  if (emptied)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_UNDO]);

  return TRUE;
}

/**
 * shop_cart_get_can_undo:
 * @self: a cart
 *
 * Gets whether [method@Shop.Cart.undo] has a change to take back.
 *
 * Returns: %TRUE if a change can be undone
 */
gboolean
shop_cart_get_can_undo (ShopCart *self)
{
  gboolean can_undo;

  g_return_val_if_fail (SHOP_IS_CART (self), FALSE);

  g_mutex_lock (&self->undo_lock);
  can_undo = !g_queue_is_empty (&self->undo);
  g_mutex_unlock (&self->undo_lock);

  return can_undo;
}

/**
 * shop_cart_load:
 * @self: a cart
 * @file: the saved cart
 * @error: return location for a #GError
 *
 * Replaces the lines of @self with those saved in @file by
 * [method@Shop.Cart.save], and forgets the undo history. A missing @file
 * is an empty cart.
 *
 * A file that cannot be parsed, or that holds anything but valid lines,
 * is renamed to `NAME.corrupt-YYYYmmdd-HHMMSS` beside it, so that the next
 * save does not destroy it, and %SHOP_CART_ERROR_CORRUPT is returned; a
 * file that cannot be read is moved aside the same way, with
 * %SHOP_CART_ERROR_UNREADABLE. Either message is meant for the user and
 * says where the file went. On error @self is left unchanged.
 *
 * Returns: %TRUE if the cart was loaded, or @file does not exist
 */
gboolean
shop_cart_load (ShopCart  *self,
                GFile     *file,
                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(IslePersist) persist = NULL;

  g_return_val_if_fail (SHOP_IS_CART (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  persist = new_persist (self, file, FALSE);
  if (!isle_persist_load (persist, NULL, &local_error))
    {
      g_set_error_literal (error, SHOP_CART_ERROR,
                           g_error_matches (local_error, ISLE_FILE_ERROR,
                                            ISLE_FILE_ERROR_CORRUPT)
                           ? SHOP_CART_ERROR_CORRUPT : SHOP_CART_ERROR_UNREADABLE,
                           local_error->message);
      return FALSE;
    }

  /* Nothing saved is an empty cart. */
  if (isle_persist_get_etag (persist) == NULL && !g_file_query_exists (file, NULL))
    replace_all (self, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
  clear_undo (self);

  return TRUE;
}

/**
 * shop_cart_save:
 * @self: a cart
 * @file: where to save the cart
 * @error: return location for a #GError
 *
 * Saves the lines of @self to @file, creating its folder if needed. The
 * file is replaced atomically: a crash leaves either the old cart or the
 * new one, never half of one.
 *
 * Returns: %TRUE on success; %FALSE with @error set (from %G_IO_ERROR or
 *   %G_FILE_ERROR)
 */
gboolean
shop_cart_save (ShopCart  *self,
                GFile     *file,
                GError   **error)
{
  g_autoptr(IslePersist) persist = NULL;

  g_return_val_if_fail (SHOP_IS_CART (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  persist = new_persist (self, file, FALSE);
  return isle_persist_save (persist, error);
}

/**
 * shop_cart_persist:
 * @self: a cart
 * @file: where to keep the cart
 *
 * Creates the object that keeps @self in @file as Isle Shop does: it
 * reads only valid lines (anything else makes the file corrupt) and
 * writes only valid lines, shortly after every change (see
 * [class@Isle.Persist] for the guarantees). Call
 * [method@Isle.Persist.load_async] on it before the cart changes, and
 * [method@Isle.Persist.flush] before quitting.
 *
 * Returns: (transfer full): a new persist object for the cart's map
 */
IslePersist *
shop_cart_persist (ShopCart *self,
                   GFile    *file)
{
  g_return_val_if_fail (SHOP_IS_CART (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return new_persist (self, file, TRUE);
}

/**
 * shop_cart_export:
 * @self: a cart
 * @connection: the session bus
 * @object_path: where to export the cart
 * @error: return location for a #GError
 *
 * Exports the cart's map on @connection at @object_path, so that another
 * program sees and changes the cart live (`isle-shop --cart`, or an
 * [class@Isle.BusMirror]). Other processes may set lines, whose values
 * must be quantities (“i”); the cart already counts a line that is not a
 * positive quantity as none.
 *
 * Returns: (transfer full) (nullable): the export, or %NULL with @error set
 */
IsleBusExport *
shop_cart_export (ShopCart         *self,
                  GDBusConnection  *connection,
                  const char       *object_path,
                  GError          **error)
{
  g_autoptr(IsleBusExport) export = NULL;

  g_return_val_if_fail (SHOP_IS_CART (self), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (object_path != NULL, NULL);

  export = isle_bus_export_new (connection, object_path, error);
  if (export == NULL ||
      !isle_bus_export_add_map (export, shop_cart_get_map (self), G_VARIANT_TYPE_INT32,
                                ISLE_BUS_EXPORT_DEFAULT, error))
    return NULL;

  return g_steal_pointer (&export);
}

/**
 * shop_cart_recommend:
 * @cart: a cart's value, “a{sv}” of product id → quantity
 * @catalogue: the catalogue to recommend from
 * @max: how many products to recommend at most
 *
 * What “Recommended for you” shows: up to @max products that @cart does
 * not hold (a line with a quantity of 0 or less does not count as held),
 * first from the categories of the products it holds, then any, each in
 * catalogue order. GTK-free and thread-safe (the catalogue is immutable
 * once loaded), so that a worker thread can run it on a snapshot.
 *
 * Returns: (transfer full) (array zero-terminated=1): the ids of the
 *   recommended products
 */
char **
shop_cart_recommend (GVariant      *cart,
                     ShopCatalogue *catalogue,
                     guint          max)
{
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) picked = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_products;
  guint n_picked = 0;

  g_return_val_if_fail (cart != NULL && g_variant_is_of_type (cart, G_VARIANT_TYPE_VARDICT), NULL);
  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), NULL);

  n_products = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  for (guint i = 0; i < n_products; i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      g_autoptr(GVariant) value = g_variant_lookup_value (cart, shop_product_get_id (product), NULL);

      if (value != NULL && quantity_of (value) > 0)
        {
          g_hash_table_add (categories, (gpointer) shop_product_get_category (product));
          g_hash_table_add (seen, (gpointer) shop_product_get_id (product));
        }
    }

  /* Pass 0: the categories the cart holds; pass 1: any. */
  for (int pass = 0; pass < 2 && n_picked < max; pass++)
    for (guint i = 0; i < n_products && n_picked < max; i++)
      {
        g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
        const char *id = shop_product_get_id (product);

        if (g_hash_table_contains (seen, id) ||
            (pass == 0 && !g_hash_table_contains (categories, shop_product_get_category (product))))
          continue;

        g_hash_table_add (seen, (gpointer) id);
        g_strv_builder_add (picked, id);
        n_picked++;
      }

  return g_strv_builder_end (picked);
}
