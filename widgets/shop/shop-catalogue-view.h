/* shop-catalogue-view.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_CATALOGUE_VIEW (shop_catalogue_view_get_type ())

G_DECLARE_FINAL_TYPE (ShopCatalogueView, shop_catalogue_view, SHOP, CATALOGUE_VIEW, IsleIsland)

GtkWidget *shop_catalogue_view_new (ShopCatalogue *catalogue);

G_END_DECLS
