/* shop-cart-summary.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_CART_SUMMARY (shop_cart_summary_get_type ())

G_DECLARE_FINAL_TYPE (ShopCartSummary, shop_cart_summary, SHOP, CART_SUMMARY, IsleIsland)

GtkWidget *shop_cart_summary_new (ShopCatalogue  *catalogue,
                                  IsleActivation  activation);

G_END_DECLS
