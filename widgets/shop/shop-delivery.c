/* shop-delivery.c: the free-delivery line, set up at idle
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart.h"
#include "shop-delivery.h"
#include "shop-format.h"

/* An island that says how much more the cart needs for free delivery. It
 * knows only the catalogue (read-only data) and the registry's "cart". */

static IsleState *
use_cart (IsleIsland *island)
{
  return isle_island_use_store (island, ISLE_STORE (shop_cart_get_map (shop_cart_get_default ())));
}

struct _ShopDelivery
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
  IsleState     *cart;
  GtkLabel      *label;
};

G_DEFINE_FINAL_TYPE (ShopDelivery, shop_delivery, ISLE_TYPE_ISLAND)

static gboolean
show_delivery_cb (IsleEffect  *effect,
                  gpointer     user_data,
                  GError     **error)
{
  ShopDelivery *self = user_data;
  double missing = SHOP_FREE_DELIVERY - shop_cart_total_of (isle_state_get_variant (self->cart),
                                                            self->catalogue);
  g_autofree char *text = NULL;

  if (missing <= 0.0)
    {
      text = g_strdup (_("Your delivery is free."));
    }
  else
    {
      g_autofree char *price = shop_format_price (missing);

      /* Translators: %s is a price still to spend for free delivery. */
      text = g_strdup_printf (_("Add %s more for free delivery."), price);
    }

  gtk_label_set_label (self->label, text);
  return TRUE;
}

static void
shop_delivery_setup (IsleIsland *island)
{
  ShopDelivery *self = SHOP_DELIVERY (island);
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/isletoolkit/IsleShop/shop-delivery.ui");

  self->cart = use_cart (island);
  self->label = GTK_LABEL (gtk_builder_get_object (builder, "delivery"));
  isle_island_set_child (island, GTK_WIDGET (self->label));

  isle_effect_new (isle_island_get_graph (island), show_delivery_cb, self, NULL);
}

static void
shop_delivery_dispose (GObject *object)
{
  ShopDelivery *self = SHOP_DELIVERY (object);

  G_OBJECT_CLASS (shop_delivery_parent_class)->dispose (object);

  g_clear_object (&self->catalogue);
}

static void
shop_delivery_class_init (ShopDeliveryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_delivery_dispose;
  ISLE_ISLAND_CLASS (klass)->setup = shop_delivery_setup;
}

static void
shop_delivery_init (ShopDelivery *self)
{
}

GtkWidget *
shop_delivery_new (ShopCatalogue  *catalogue,
                   IsleActivation  activation)
{
  ShopDelivery *self;

  self = g_object_new (SHOP_TYPE_DELIVERY,
                       "activation", ISLE_ACTIVATION_WHEN,
                       "name", "delivery",
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_activation (ISLE_ISLAND (self), activation);

  return GTK_WIDGET (self);
}
