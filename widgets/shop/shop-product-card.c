/* shop-product-card.c: one product of the catalogue
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart.h"
#include "shop-format.h"
#include "shop-product-card.h"

/* Each card is an island with its own state, the quantity of its stepper
 * (so "Add 3" adds three); it only ever writes to the cart. */

struct _ShopProductCard
{
  IsleIsland      parent_instance;

  ShopProduct    *product;
  IsleState      *quantity;
  GtkSpinButton  *spin;
  GtkButton      *add;
};

enum {
  PROP_0,
  PROP_PRODUCT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (ShopProductCard, shop_product_card, ISLE_TYPE_ISLAND)

static void
add_to_cart_cb (IsleIsland *island,
                gpointer    user_data)
{
  ShopProductCard *self = SHOP_PRODUCT_CARD (island);

  shop_cart_add (shop_cart_get_default (), shop_product_get_id (self->product),
                 isle_state_get_int (self->quantity));
}

static void
quantity_changed_cb (GtkSpinButton   *spin,
                     ShopProductCard *self)
{
  isle_state_set_int (self->quantity, gtk_spin_button_get_value_as_int (spin));
}

static gboolean
show_quantity_cb (IsleEffect  *effect,
                  gpointer     user_data,
                  GError     **error)
{
  ShopProductCard *self = user_data;
  int quantity = isle_state_get_int (self->quantity);
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;

  if (quantity == 1)
    label = g_strdup (_("_Add"));
  else
    /* Translators: a button that adds %d of a product to the cart. */
    label = g_strdup_printf (_("_Add %d"), quantity);

  /* Translators: the accessible name of an Add button: %d of the product %s. */
  description = g_strdup_printf (ngettext ("Add %d %s to the cart", "Add %d × %s to the cart",
                                           quantity),
                                 quantity, shop_product_get_name (self->product));

  gtk_button_set_label (self->add, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  /* GTK 4.8 reads the button's own label after the name otherwise. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->add), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  if (gtk_spin_button_get_value_as_int (self->spin) != quantity)
    gtk_spin_button_set_value (self->spin, quantity);

  return TRUE;
}

static void
shop_product_card_setup (IsleIsland *island)
{
  ShopProductCard *self = SHOP_PRODUCT_CARD (island);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *price = NULL;
  g_autofree char *quantity_name = NULL;
  IsleGraph *graph = isle_island_get_graph (island);

  builder = gtk_builder_new_from_resource ("/org/isletoolkit/IsleShop/shop-product-card.ui");

  gtk_image_set_from_icon_name (GTK_IMAGE (gtk_builder_get_object (builder, "icon")),
                                shop_product_get_icon_name (self->product));
  gtk_label_set_label (GTK_LABEL (gtk_builder_get_object (builder, "name")),
                       shop_product_get_name (self->product));
  gtk_label_set_label (GTK_LABEL (gtk_builder_get_object (builder, "description")),
                       shop_product_get_description (self->product));
  price = shop_format_price (shop_product_get_price (self->product));
  gtk_label_set_label (GTK_LABEL (gtk_builder_get_object (builder, "price")), price);

  self->spin = GTK_SPIN_BUTTON (gtk_builder_get_object (builder, "quantity"));
  self->add = GTK_BUTTON (gtk_builder_get_object (builder, "add"));

  /* Translators: the accessible name of a quantity stepper; %s is a product. */
  quantity_name = g_strdup_printf (_("Quantity of %s"), shop_product_get_name (self->product));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, quantity_name,
                                  -1);

  self->quantity = isle_state_new_int (graph, 1);
  isle_state_set_name (self->quantity, "quantity");
  g_signal_connect_object (self->spin, "value-changed", G_CALLBACK (quantity_changed_cb), self, 0);
  isle_island_connect_action (island, self->add, "clicked", add_to_cart_cb, NULL, NULL);
  isle_effect_set_name (isle_effect_new (graph, show_quantity_cb, self, NULL), "show quantity");

  isle_island_set_child (island, GTK_WIDGET (gtk_builder_get_object (builder, "card")));
}

static void
shop_product_card_dispose (GObject *object)
{
  ShopProductCard *self = SHOP_PRODUCT_CARD (object);

  G_OBJECT_CLASS (shop_product_card_parent_class)->dispose (object);

  g_clear_object (&self->product);
}

static void
shop_product_card_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ShopProductCard *self = SHOP_PRODUCT_CARD (object);

  switch (prop_id)
    {
    case PROP_PRODUCT:
      g_value_set_object (value, self->product);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shop_product_card_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ShopProductCard *self = SHOP_PRODUCT_CARD (object);

  switch (prop_id)
    {
    case PROP_PRODUCT:
      self->product = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shop_product_card_class_init (ShopProductCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IsleIslandClass *island_class = ISLE_ISLAND_CLASS (klass);

  object_class->dispose = shop_product_card_dispose;
  object_class->get_property = shop_product_card_get_property;
  object_class->set_property = shop_product_card_set_property;

  island_class->setup = shop_product_card_setup;

  props[PROP_PRODUCT] =
    g_param_spec_object ("product", NULL, NULL,
                         SHOP_TYPE_PRODUCT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
shop_product_card_init (ShopProductCard *self)
{
}

GtkWidget *
shop_product_card_new (ShopProduct *product)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT (product), NULL);

  /* Cards far down the list set themselves up when first shown. */
  return g_object_new (SHOP_TYPE_PRODUCT_CARD,
                       "product", product,
                       "activation", ISLE_ACTIVATION_LOAD,
                       "name", shop_product_get_id (product),
                       NULL);
}

ShopProduct *
shop_product_card_get_product (ShopProductCard *self)
{
  g_return_val_if_fail (SHOP_IS_PRODUCT_CARD (self), NULL);

  return self->product;
}

/*
 * shop_product_card_activate:
 *
 * Presses the card's Add button (Enter on the card's cell in the
 * catalogue), so that the keyboard adds through the button's own path.
 * Does nothing before the card is set up.
 */
void
shop_product_card_activate (ShopProductCard *self)
{
  g_return_if_fail (SHOP_IS_PRODUCT_CARD (self));

  if (self->add != NULL)
    gtk_widget_activate (GTK_WIDGET (self->add));
}
