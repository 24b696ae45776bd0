/* shop-window.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "shop-catalogue.h"

G_BEGIN_DECLS

#define SHOP_TYPE_WINDOW (shop_window_get_type ())

G_DECLARE_FINAL_TYPE (ShopWindow, shop_window, SHOP, WINDOW, AdwApplicationWindow)

ShopWindow *shop_window_new         (GtkApplication *application,
                                     ShopCatalogue  *catalogue);
void        shop_window_show_notice (ShopWindow     *self,
                                     const char     *message);

G_END_DECLS
