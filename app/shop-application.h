/* shop-application.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SHOP_TYPE_APPLICATION (shop_application_get_type ())

G_DECLARE_FINAL_TYPE (ShopApplication, shop_application, SHOP, APPLICATION, AdwApplication)

ShopApplication *shop_application_new (void);

G_END_DECLS
