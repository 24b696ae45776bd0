/* shop-catalogue.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "shop-catalogue.h"

#define PRODUCT_GROUP_PREFIX "Product "

/**
 * shop_catalogue_error_quark:
 *
 * The error domain of [class@Shop.Catalogue].
 *
 * Returns: the quark of [error@Shop.CatalogueError]
 */
G_DEFINE_QUARK (shop-catalogue-error-quark, shop_catalogue_error)

/* ShopProduct {{{ */

/**
 * ShopProduct:
 *
 * One product of the shop. Products are immutable: every property is
 * set when the product is created.
 */

struct _ShopProduct
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *description;
  double   price;
  char    *icon_name;
  char    *category;
};

G_DEFINE_FINAL_TYPE (ShopProduct, shop_product, G_TYPE_OBJECT)

enum {
  PROP_PRODUCT_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_PRICE,
  PROP_ICON_NAME,
  PROP_CATEGORY,
  N_PRODUCT_PROPS
};

static GParamSpec *product_props[N_PRODUCT_PROPS];

static void
shop_product_finalize (GObject *object)
{
  ShopProduct *self = SHOP_PRODUCT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->icon_name, g_free);
  g_clear_pointer (&self->category, g_free);

  G_OBJECT_CLASS (shop_product_parent_class)->finalize (object);
}

static void
shop_product_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ShopProduct *self = SHOP_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, shop_product_get_id (self));
      break;

    case PROP_NAME:
      g_value_set_string (value, shop_product_get_name (self));
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, shop_product_get_description (self));
      break;

    case PROP_PRICE:
      g_value_set_double (value, shop_product_get_price (self));
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, shop_product_get_icon_name (self));
      break;

    case PROP_CATEGORY:
      g_value_set_string (value, shop_product_get_category (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Construct-only: there are no public setters, and no notifications. */
static void
shop_product_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ShopProduct *self = SHOP_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;

    case PROP_PRICE:
      self->price = g_value_get_double (value);
      break;

    case PROP_ICON_NAME:
      self->icon_name = g_value_dup_string (value);
      break;

    case PROP_CATEGORY:
      self->category = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shop_product_class_init (ShopProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = shop_product_finalize;
  object_class->get_property = shop_product_get_property;
  object_class->set_property = shop_product_set_property;

  /**
   * ShopProduct:id:
   *
   * The identifier of the product, the key of its line in the cart.
   */
  product_props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);

  /**
   * ShopProduct:name:
   *
   * The name of the product, translated.
   */
  product_props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);

  /**
   * ShopProduct:description:
   *
   * A sentence about the product, translated.
   */
  product_props[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);

  /**
   * ShopProduct:price:
   *
   * The price of one unit, in euros.
   */
  product_props[PROP_PRICE] = g_param_spec_double ("price", NULL, NULL,
                                                   0.0, G_MAXDOUBLE, 0.0, flags);

  /**
   * ShopProduct:icon-name:
   *
   * The name of a themed icon that shows the product.
   */
  product_props[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, flags);

  /**
   * ShopProduct:category:
   *
   * The category of the product, untranslated: `Food`, `Home`, `Books` or
   * `Garden`.
   */
  product_props[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PRODUCT_PROPS, product_props);
}

static void
shop_product_init (ShopProduct *self)
{
}

/**
 * shop_product_new:
 * @id: the identifier of the product
 * @name: the name of the product
 * @description: a sentence about the product
 * @price: the price of one unit, in euros; not negative
 * @icon_name: a themed icon name
 * @category: the category of the product
 *
 * Creates a product.
 *
 * Returns: (transfer full): a new product
 */
ShopProduct *
shop_product_new (const char *id,
                  const char *name,
                  const char *description,
                  double      price,
                  const char *icon_name,
                  const char *category)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (isfinite (price) && price >= 0.0, NULL);
  g_return_val_if_fail (icon_name != NULL, NULL);
  g_return_val_if_fail (category != NULL, NULL);

  return g_object_new (SHOP_TYPE_PRODUCT,
                       "id", id,
                       "name", name,
                       "description", description,
                       "price", price,
                       "icon-name", icon_name,
                       "category", category,
                       NULL);
}

/**
 * shop_product_get_id:
 * @self: a product
 *
 * Gets the identifier of @self.
 *
 * Returns: (transfer none): the identifier
 */
const char *
shop_product_get_id (ShopProduct *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (self), NULL);

  return self->id;
}

/**
 * shop_product_get_name:
 * @self: a product
 *
 * Gets the translated name of @self.
 *
 * Returns: (transfer none): the name
 */
const char *
shop_product_get_name (ShopProduct *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (self), NULL);

  return self->name;
}

/**
 * shop_product_get_description:
 * @self: a product
 *
 * Gets the translated description of @self.
 *
 * Returns: (transfer none): the description
 */
const char *
shop_product_get_description (ShopProduct *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (self), NULL);

  return self->description;
}

/**
 * shop_product_get_price:
 * @self: a product
 *
 * Gets the price of one unit of @self.
 *
 * Returns: the price, in euros
 */
double
shop_product_get_price (ShopProduct *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (self), 0.0);

  return self->price;
}

/**
 * shop_product_get_icon_name:
 * @self: a product
 *
 * Gets the themed icon name of @self.
 *
 * Returns: (transfer none): the icon name
 */
const char *
shop_product_get_icon_name (ShopProduct *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (self), NULL);

  return self->icon_name;
}

/**
 * shop_product_get_category:
 * @self: a product
 *
 * Gets the untranslated category of @self.
 *
 * Returns: (transfer none): the category
 */
const char *
shop_product_get_category (ShopProduct *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (self), NULL);

  return self->category;
}

/**
 * shop_product_matches:
 * @self: a product
 * @query: what the user typed in the search field
 *
 * Whether @self is what @query looks for: every word of @query starts a
 * word of the product's name, description or category, ignoring case and
 * accents (g_str_match_string()). An empty query, or one of blanks only,
 * matches every product.
 *
 * Returns: whether @self matches @query
 */
gboolean
shop_product_matches (ShopProduct *self,
                      const char  *query)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (SHOP_IS_PRODUCT (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  words = g_str_tokenize_and_fold (query, NULL, NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if ((self->name == NULL || !g_str_match_string (words[i], self->name, TRUE)) &&
          (self->description == NULL || !g_str_match_string (words[i], self->description, TRUE)) &&
          (self->category == NULL || !g_str_match_string (words[i], self->category, TRUE)))
        return FALSE;
    }

  return TRUE;
}

/* }}} */

/* ShopCatalogue {{{ */

/**
 * ShopCatalogue:
 *
 * The products of the shop, a [iface@Gio.ListModel] of
 * [class@Shop.Product] in the order of the data they were loaded from.
 *
 * The data is a key file in desktop-entry syntax, so that gettext's
 * desktop-file support can extract the `Name` and `Description` keys and
 * merge their translations back (both tools need `--keyword=Description`).
 * Each product is a group named `Product <id>`; other groups are ignored:
 *
 * ```ini
 * [Product tea-green]
 * Name=Green Tea
 * Description=Loose leaves from the hills above the harbour.
 * Price=4.50
 * Icon=emoji-food-symbolic
 * Category=Food
 * ```
 *
 * `Price` is a decimal number in the C locale. `Name` and `Description`
 * are read in the user's language with g_key_file_get_locale_string().
 */

struct _ShopCatalogue
{
  GObject     parent_instance;

  GPtrArray  *products;  /* ShopProduct, in file order */
  GHashTable *by_id;     /* id → ShopProduct, borrowed from products */
};

static void shop_catalogue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShopCatalogue, shop_catalogue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      shop_catalogue_list_model_init))

static GType
shop_catalogue_get_item_type (GListModel *model)
{
  return SHOP_TYPE_PRODUCT;
}

static guint
shop_catalogue_get_n_items (GListModel *model)
{
  ShopCatalogue *self = SHOP_CATALOGUE (model);

  return self->products->len;
}

static gpointer
shop_catalogue_get_item (GListModel *model,
                         guint       position)
{
  ShopCatalogue *self = SHOP_CATALOGUE (model);

  if (position >= self->products->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->products, position));
}

static void
shop_catalogue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = shop_catalogue_get_item_type;
  iface->get_n_items = shop_catalogue_get_n_items;
  iface->get_item = shop_catalogue_get_item;
}

static void
shop_catalogue_finalize (GObject *object)
{
  ShopCatalogue *self = SHOP_CATALOGUE (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->products, g_ptr_array_unref);

  G_OBJECT_CLASS (shop_catalogue_parent_class)->finalize (object);
}

static void
shop_catalogue_class_init (ShopCatalogueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = shop_catalogue_finalize;
}

static void
shop_catalogue_init (ShopCatalogue *self)
{
  self->products = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Reads a required string key; translated if @localized. */
static char *
get_required (GKeyFile    *key_file,
              const char  *group,
              const char  *key,
              gboolean     localized,
              GError     **error)
{
  char *value;

  if (!g_key_file_has_key (key_file, group, key, NULL))
    {
      g_set_error (error, SHOP_CATALOGUE_ERROR, SHOP_CATALOGUE_ERROR_MISSING_KEY,
                   /* Translators: the first %s is a group such as “Product tea-green”,
                    * the second a key such as “Price”. */
                   _("The catalogue entry “%s” has no “%s” key"), group, key);
      return NULL;
    }

  if (localized)
    value = g_key_file_get_locale_string (key_file, group, key, NULL, NULL);
  else
    value = g_key_file_get_string (key_file, group, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    {
      g_free (value);
      g_set_error (error, SHOP_CATALOGUE_ERROR, SHOP_CATALOGUE_ERROR_INVALID_VALUE,
                   /* Translators: the first %s is a group, the second a key. */
                   _("The catalogue entry “%s” has an empty or invalid “%s” key"), group, key);
      return NULL;
    }

  return value;
}

/* A price is written in euros as a plain decimal number: digits, then at
 * most two after a point, from 0.01 to 99 999.99 (SHOP_PRICE_MAX_CENTS; no sign, exponent,
 * hexadecimal, infinity or locale separator). Counted in cents, so
 * "0.10" is exactly ten cents. */
static gboolean
parse_price (const char *text,
             double     *price)
{
  gint64 cents = 0;
  const char *p = text;
  int fraction_digits = 0;

  if (!g_ascii_isdigit (*p))
    return FALSE;

  for (; g_ascii_isdigit (*p); p++)
    {
      cents = cents * 10 + (*p - '0');
      if (cents > SHOP_PRICE_MAX_CENTS / 100)
        return FALSE;
    }

  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p) && fraction_digits < 2; p++, fraction_digits++)
        cents = cents * 10 + (*p - '0');
      if (fraction_digits == 0)
        return FALSE;
    }

  if (*p != '\0')
    return FALSE;

  for (; fraction_digits < 2; fraction_digits++)
    cents *= 10;

  if (cents < 1 || cents > SHOP_PRICE_MAX_CENTS)
    return FALSE;

  *price = cents / 100.0;
  return TRUE;
}

static ShopProduct *
parse_product (GKeyFile    *key_file,
               const char  *group,
               GError     **error)
{
  const char *id = group + strlen (PRODUCT_GROUP_PREFIX);
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  g_autofree char *price_text = NULL;
  g_autofree char *icon_name = NULL;
  g_autofree char *category = NULL;
  double price = 0.0;

  if (*id == '\0' || strchr (id, ' ') != NULL)
    {
      g_set_error (error, SHOP_CATALOGUE_ERROR, SHOP_CATALOGUE_ERROR_INVALID_VALUE,
                   /* Translators: %s is a group such as “Product tea-green”. */
                   _("The catalogue entry “%s” has an invalid product identifier"), group);
      return NULL;
    }

  if (!(name = get_required (key_file, group, "Name", TRUE, error)) ||
      !(description = get_required (key_file, group, "Description", TRUE, error)) ||
      !(price_text = get_required (key_file, group, "Price", FALSE, error)) ||
      !(icon_name = get_required (key_file, group, "Icon", FALSE, error)) ||
      !(category = get_required (key_file, group, "Category", FALSE, error)))
    return NULL;

  /* The same whatever the user's locale is: the file is data, not text. */
  if (!parse_price (price_text, &price))
    {
      g_set_error (error, SHOP_CATALOGUE_ERROR, SHOP_CATALOGUE_ERROR_INVALID_VALUE,
                   /* Translators: a group, a key, and the value that is not a price. */
                   _("The catalogue entry “%s” has an invalid “%s” key: “%s” is not a price "
                     "(a decimal number of euros with at most two digits after the point, "
                     "from 0.01 to 99999.99)"),
                   group, "Price", price_text);
      return NULL;
    }

  return shop_product_new (id, name, description, price, icon_name, category);
}

/**
 * shop_catalogue_new_from_bytes:
 * @bytes: the catalogue data, a key file in desktop-entry syntax
 * @error: return location for a #GError
 *
 * Loads a catalogue from @bytes. Any malformed product fails the whole
 * catalogue, with an error naming the group and the key.
 *
 * Returns: (transfer full) (nullable): a new catalogue, or %NULL with
 *   @error set from [error@Shop.CatalogueError]
 */
ShopCatalogue *
shop_catalogue_new_from_bytes (GBytes  *bytes,
                               GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(ShopCatalogue) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  const char *data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (!g_key_file_load_from_data (key_file, data != NULL ? data : "", size,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, SHOP_CATALOGUE_ERROR, SHOP_CATALOGUE_ERROR_PARSE,
                   /* Translators: %s is the reason. */
                   _("The catalogue could not be read: %s"), local_error->message);
      return NULL;
    }

  self = g_object_new (SHOP_TYPE_CATALOGUE, NULL);
  groups = g_key_file_get_groups (key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      ShopProduct *product;

      if (!g_str_has_prefix (groups[i], PRODUCT_GROUP_PREFIX))
        continue;

      /* GKeyFile merges repeated groups, so each id comes once. */
      product = parse_product (key_file, groups[i], error);
      if (product == NULL)
        return NULL;

      g_ptr_array_add (self->products, product);
      g_hash_table_insert (self->by_id, (gpointer) shop_product_get_id (product), product);
    }

  if (self->products->len == 0)
    {
      g_set_error_literal (error, SHOP_CATALOGUE_ERROR, SHOP_CATALOGUE_ERROR_EMPTY,
                           _("The catalogue has no products"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * shop_catalogue_new_from_resource:
 * @path: the path of the catalogue data in the registered resources
 * @error: return location for a #GError
 *
 * Loads a catalogue from a resource, as [ctor@Shop.Catalogue.new_from_bytes]
 * does.
 *
 * Returns: (transfer full) (nullable): a new catalogue, or %NULL with
 *   @error set (from %G_RESOURCE_ERROR if there is no such resource)
 */
ShopCatalogue *
shop_catalogue_new_from_resource (const char  *path,
                                  GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return shop_catalogue_new_from_bytes (bytes, error);
}

/**
 * shop_catalogue_lookup:
 * @self: a catalogue
 * @id: a product identifier
 *
 * Finds the product with the identifier @id.
 *
 * Returns: (transfer none) (nullable): the product, or %NULL if @self has
 *   none of that identifier
 */
ShopProduct *
shop_catalogue_lookup (ShopCatalogue *self,
                       const char    *id)
{
  g_return_val_if_fail (SHOP_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

/* }}} */
