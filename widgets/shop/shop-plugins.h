/* shop-plugins.h: the panes Isle Shop's plugins add
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

G_BEGIN_DECLS

#define SHOP_TYPE_PLUGINS (shop_plugins_get_type ())

G_DECLARE_FINAL_TYPE (ShopPlugins, shop_plugins, SHOP, PLUGINS, GObject)

ShopPlugins *shop_plugins_get_default (void);
void         shop_plugins_mount       (ShopPlugins *self,
                                       const char  *placement,
                                       GtkBox      *box);

/* Where Isle Shop knows to put a pane (IslePaneProvider's placement). */
#define SHOP_PLUGIN_PLACEMENT_PRODUCTS "products"
#define SHOP_PLUGIN_PLACEMENT_CART     "cart"

G_END_DECLS
