/* shop-cart-badge.c: the cart badge in the header bar
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart.h"
#include "shop-cart-badge.h"

/* An island that shows how many items the cart holds. It knows nothing
 * of the panes that fill the cart: it mirrors the registry's "cart", and
 * counts only the products the catalogue knows (shop_cart_count_available()),
 * as the Cart page does. */

struct _ShopCartBadge
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
  IsleState     *cart;
  GtkLabel      *label;
};

G_DEFINE_FINAL_TYPE (ShopCartBadge, shop_cart_badge, ISLE_TYPE_ISLAND)

static gboolean
count_items_cb (IsleDerived  *derived,
                GValue       *value,
                gpointer      user_data,
                GError      **error)
{
  ShopCartBadge *self = user_data;
  GVariant *cart = isle_state_get_variant (self->cart);

  g_value_set_int (value, (int) shop_cart_count_available (cart, self->catalogue));
  return TRUE;
}

static gboolean
show_count_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopCartBadge *self = user_data;
  IsleDerived *n_items = g_object_get_data (G_OBJECT (self), "n-items");
  int count = isle_derived_get_int (n_items);
  g_autofree char *number = g_strdup_printf ("%d", count);
  g_autofree char *description = NULL;

  /* Translators: the accessible name of the cart badge. */
  description = g_strdup_printf (ngettext ("%d item in cart", "%d items in cart", count), count);

  gtk_label_set_label (self->label, number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), description);
  gtk_widget_set_visible (GTK_WIDGET (self->label), TRUE);

  return TRUE;
}

static void
shop_cart_badge_setup (IsleIsland *island)
{
  ShopCartBadge *self = SHOP_CART_BADGE (island);
  IsleGraph *graph = isle_island_get_graph (island);
  IsleDerived *n_items;
  GtkWidget *label;

  self->cart = isle_island_use_store (island, ISLE_STORE (shop_cart_get_map (shop_cart_get_default ())));
  n_items = isle_derived_new (graph, G_TYPE_INT, count_items_cb, self, NULL);
  isle_derived_set_name (n_items, "items in cart");
  g_object_set_data (G_OBJECT (self), "n-items", n_items);

  label = gtk_label_new ("0");
  gtk_widget_add_css_class (label, "cart-badge");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  self->label = GTK_LABEL (label);
  isle_island_set_child (island, label);

  isle_effect_set_name (isle_effect_new (graph, show_count_cb, self, NULL), "show count");
}

static void
shop_cart_badge_dispose (GObject *object)
{
  ShopCartBadge *self = SHOP_CART_BADGE (object);

  G_OBJECT_CLASS (shop_cart_badge_parent_class)->dispose (object);

  g_clear_object (&self->catalogue);
}

static void
shop_cart_badge_class_init (ShopCartBadgeClass *klass)
{
  IsleIslandClass *island_class = ISLE_ISLAND_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = shop_cart_badge_dispose;

  island_class->setup = shop_cart_badge_setup;
}

static void
shop_cart_badge_init (ShopCartBadge *self)
{
  gtk_widget_set_name (GTK_WIDGET (self), "cart-badge");
}

GtkWidget *
shop_cart_badge_new (ShopCatalogue *catalogue)
{
  ShopCartBadge *self;

  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), NULL);

  /* Activated once the catalogue is there: the setup counts with it. */
  self = g_object_new (SHOP_TYPE_CART_BADGE,
                       "activation", ISLE_ACTIVATION_WHEN,
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_activation (ISLE_ISLAND (self), ISLE_ACTIVATION_LOAD);

  return GTK_WIDGET (self);
}
