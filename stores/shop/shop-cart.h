/* shop-cart.h: the shopping cart of Isle Shop
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "isle-stores.h"

#include "shop-catalogue.h"

G_BEGIN_DECLS

/**
 * SHOP_CART_ERROR:
 *
 * The error domain of [class@Shop.Cart]. Errors in this domain are from
 * the [error@Shop.CartError] enumeration.
 */
#define SHOP_CART_ERROR (shop_cart_error_quark ())

/**
 * ShopCartError:
 * @SHOP_CART_ERROR_CORRUPT: the saved cart could not be parsed, or held
 *   values of the wrong type; it was moved aside
 * @SHOP_CART_ERROR_UNREADABLE: the saved cart exists but could not be read;
 *   it was moved aside if possible
 *
 * Errors reported by [method@Shop.Cart.load].
 */
typedef enum {
  SHOP_CART_ERROR_CORRUPT,
  SHOP_CART_ERROR_UNREADABLE,
} ShopCartError;

/**
 * SHOP_CART_MAX_QUANTITY:
 *
 * The largest quantity of one product in a cart; larger quantities are
 * clamped to it.
 */
#define SHOP_CART_MAX_QUANTITY 999

/**
 * SHOP_CART_MAX_UNDO:
 *
 * How many changes [method@Shop.Cart.undo] can take back.
 */
#define SHOP_CART_MAX_UNDO 100

/**
 * SHOP_CART_BUS_PATH:
 *
 * Where a running Isle Shop exports its cart on the session bus, under
 * its application id: the `cart` map of the
 * `org.isletoolkit.Isle.Stores1` interface.
 */
#define SHOP_CART_BUS_PATH "/org/isletoolkit/IsleShop/stores"

GQuark shop_cart_error_quark (void);

#define SHOP_TYPE_CART (shop_cart_get_type ())

G_DECLARE_FINAL_TYPE (ShopCart, shop_cart, SHOP, CART, GObject)

ShopCart *shop_cart_new            (void);
ShopCart *shop_cart_get_default    (void);
IsleMap  *shop_cart_get_map        (ShopCart       *self);
void      shop_cart_add            (ShopCart       *self,
                                    const char     *id,
                                    int             quantity);
void      shop_cart_remove         (ShopCart       *self,
                                    const char     *id);
void      shop_cart_set_quantity   (ShopCart       *self,
                                    const char     *id,
                                    int             quantity);
int       shop_cart_get_quantity   (ShopCart       *self,
                                    const char     *id);
guint     shop_cart_get_n_items    (ShopCart       *self);
guint     shop_cart_count_items    (GVariant       *cart);
guint     shop_cart_count_available (GVariant      *cart,
                                     ShopCatalogue *catalogue);
char    **shop_cart_dup_unavailable (GVariant      *cart,
                                     ShopCatalogue *catalogue);
char    **shop_cart_dup_ids        (ShopCart       *self);
double    shop_cart_get_total      (ShopCart       *self,
                                    ShopCatalogue  *catalogue);
double    shop_cart_total_of       (GVariant       *cart,
                                    ShopCatalogue  *catalogue);
void      shop_cart_clear          (ShopCart       *self);
gboolean  shop_cart_undo           (ShopCart       *self);
gboolean  shop_cart_get_can_undo   (ShopCart       *self);
gboolean  shop_cart_load           (ShopCart       *self,
                                    GFile          *file,
                                    GError        **error);
gboolean  shop_cart_save           (ShopCart       *self,
                                    GFile          *file,
                                    GError        **error);
IslePersist *shop_cart_persist     (ShopCart       *self,
                                    GFile          *file);
IsleBusExport *shop_cart_export    (ShopCart       *self,
                                    GDBusConnection *connection,
                                    const char     *object_path,
                                    GError        **error);
char    **shop_cart_recommend      (GVariant       *cart,
                                    ShopCatalogue  *catalogue,
                                    guint           max);

G_END_DECLS
