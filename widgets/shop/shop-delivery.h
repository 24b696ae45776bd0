/* shop-delivery.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_DELIVERY (shop_delivery_get_type ())

G_DECLARE_FINAL_TYPE (ShopDelivery, shop_delivery, SHOP, DELIVERY, IsleIsland)

GtkWidget *shop_delivery_new (ShopCatalogue  *catalogue,
                              IsleActivation  activation);

/* The threshold for free delivery, in euros. */
#define SHOP_FREE_DELIVERY 30.0

G_END_DECLS
