/* shop-recommended.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_RECOMMENDED (shop_recommended_get_type ())

G_DECLARE_FINAL_TYPE (ShopRecommended, shop_recommended, SHOP, RECOMMENDED, IsleIsland)

GtkWidget *shop_recommended_new (ShopCatalogue  *catalogue,
                                 IsleActivation  activation);

G_END_DECLS
