/* shop-cart-badge.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_CART_BADGE (shop_cart_badge_get_type ())

G_DECLARE_FINAL_TYPE (ShopCartBadge, shop_cart_badge, SHOP, CART_BADGE, IsleIsland)

GtkWidget *shop_cart_badge_new (ShopCatalogue *catalogue);

G_END_DECLS
