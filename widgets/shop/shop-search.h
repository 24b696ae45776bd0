/* shop-search.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

G_BEGIN_DECLS

#define SHOP_TYPE_SEARCH (shop_search_get_type ())

G_DECLARE_FINAL_TYPE (ShopSearch, shop_search, SHOP, SEARCH, IsleIsland)

GtkWidget *shop_search_new       (void);
GtkEditable *shop_search_get_entry (ShopSearch *self);

G_END_DECLS
