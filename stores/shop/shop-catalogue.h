/* shop-catalogue.h: the products of Isle Shop
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "isle-stores.h"

G_BEGIN_DECLS

/**
 * SHOP_CATALOGUE_ERROR:
 *
 * The error domain of [class@Shop.Catalogue]. Errors in this domain are
 * from the [error@Shop.CatalogueError] enumeration.
 */
#define SHOP_CATALOGUE_ERROR (shop_catalogue_error_quark ())

/**
 * ShopCatalogueError:
 * @SHOP_CATALOGUE_ERROR_PARSE: the data is not a valid key file
 * @SHOP_CATALOGUE_ERROR_MISSING_KEY: a product lacks a required key
 * @SHOP_CATALOGUE_ERROR_INVALID_VALUE: a key has a malformed value, such as
 *   a price that is not a decimal number of euros from 0.01 to
 *   [const@Shop.PRICE_MAX_CENTS] with at most two fraction digits, or an empty
 *   product id
 * @SHOP_CATALOGUE_ERROR_EMPTY: the data holds no product
 *
 * Errors reported while loading a [class@Shop.Catalogue].
 */
typedef enum {
  SHOP_CATALOGUE_ERROR_PARSE,
  SHOP_CATALOGUE_ERROR_MISSING_KEY,
  SHOP_CATALOGUE_ERROR_INVALID_VALUE,
  SHOP_CATALOGUE_ERROR_EMPTY,
} ShopCatalogueError;

GQuark shop_catalogue_error_quark (void);

/**
 * SHOP_PRICE_MAX_CENTS:
 *
 * The highest price of a product, in cents (99 999.99 euros): a catalogue
 * entry must cost from 0.01 euros to this, with at most two digits after
 * the point.
 */
#define SHOP_PRICE_MAX_CENTS G_GINT64_CONSTANT (9999999)

#define SHOP_TYPE_PRODUCT (shop_product_get_type ())

G_DECLARE_FINAL_TYPE (ShopProduct, shop_product, SHOP, PRODUCT, GObject)

ShopProduct *shop_product_new             (const char  *id,
                                           const char  *name,
                                           const char  *description,
                                           double       price,
                                           const char  *icon_name,
                                           const char  *category);
const char  *shop_product_get_id          (ShopProduct *self);
const char  *shop_product_get_name        (ShopProduct *self);
const char  *shop_product_get_description (ShopProduct *self);
double       shop_product_get_price       (ShopProduct *self);
const char  *shop_product_get_icon_name   (ShopProduct *self);
const char  *shop_product_get_category    (ShopProduct *self);
gboolean     shop_product_matches         (ShopProduct *self,
                                           const char  *query);

/**
 * SHOP_CATALOGUE_QUERY:
 *
 * The name, in the registry, of the string atom that holds the catalogue's
 * search query: the search pane writes it, the catalogue pane filters by
 * it with [method@Shop.Product.matches]; neither knows the other.
 */
#define SHOP_CATALOGUE_QUERY "catalogue-query"

/**
 * SHOP_SHOW_RECOMMENDATIONS:
 *
 * The name, in the registry, of the boolean atom that says whether the
 * recommendations show: the main menu's check item is this atom as an
 * action (isle_store_create_action()), the recommendations pane hides
 * itself when it is %FALSE.
 */
#define SHOP_SHOW_RECOMMENDATIONS "show-recommendations"

#define SHOP_TYPE_CATALOGUE (shop_catalogue_get_type ())

G_DECLARE_FINAL_TYPE (ShopCatalogue, shop_catalogue, SHOP, CATALOGUE, GObject)

ShopCatalogue *shop_catalogue_new_from_bytes    (GBytes        *bytes,
                                                 GError       **error);
ShopCatalogue *shop_catalogue_new_from_resource (const char    *path,
                                                 GError       **error);
ShopProduct   *shop_catalogue_lookup            (ShopCatalogue *self,
                                                 const char    *id);

G_END_DECLS
