/* shop-product-card.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_PRODUCT_CARD (shop_product_card_get_type ())

G_DECLARE_FINAL_TYPE (ShopProductCard, shop_product_card, SHOP, PRODUCT_CARD, IsleIsland)

GtkWidget   *shop_product_card_new         (ShopProduct     *product);
ShopProduct *shop_product_card_get_product (ShopProductCard *self);
void         shop_product_card_activate    (ShopProductCard *self);

G_END_DECLS
