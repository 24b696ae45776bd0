/* shop-inspector.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

G_BEGIN_DECLS

#define SHOP_TYPE_INSPECTOR (shop_inspector_get_type ())

G_DECLARE_FINAL_TYPE (ShopInspector, shop_inspector, SHOP, INSPECTOR, IsleIsland)

GtkWidget *shop_inspector_new (void);

G_END_DECLS
