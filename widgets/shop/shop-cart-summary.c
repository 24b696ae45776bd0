/* shop-cart-summary.c: the cart summary on the Cart page
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart-summary.h"
#include "shop-cart.h"
#include "shop-format.h"

/* An island that lists the cart's lines with a button to remove each, and
 * the total. It knows only the catalogue (read-only data) and the
 * registry's "cart". A line of a product that left the catalogue is kept
 * and shown as no longer available, with its id and a Remove button; the
 * total leaves it out, as the badge's count does (shop-cart.c). */

static IsleState *
use_cart (IsleIsland *island)
{
  return isle_island_use_store (island, ISLE_STORE (shop_cart_get_map (shop_cart_get_default ())));
}

struct _ShopCartSummary
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
  IsleState     *cart;
  IsleDerived   *total;
  GtkListBox    *lines;
  GtkLabel      *total_label;
  GtkWidget     *empty;
};

G_DEFINE_FINAL_TYPE (ShopCartSummary, shop_cart_summary, ISLE_TYPE_ISLAND)

static gboolean
total_cb (IsleDerived  *derived,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  ShopCartSummary *self = user_data;

  g_value_set_double (value, shop_cart_total_of (isle_state_get_variant (self->cart), self->catalogue));
  return TRUE;
}

static void
remove_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  const char *id = g_object_get_data (G_OBJECT (button), "product-id");

  shop_cart_remove (shop_cart_get_default (), id);
}

static GtkWidget *
remove_button_new (const char *id,
                   const char *remove_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name,
                                  -1);
  gtk_widget_set_tooltip_text (button, remove_name);
  g_object_set_data_full (G_OBJECT (button), "product-id", g_strdup (id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), NULL);

  return button;
}

/* A line the catalogue no longer knows: its id, no price. */
static GtkWidget *
unavailable_line_new (const char *id,
                      int         quantity)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *count = g_strdup_printf ("%d ×", quantity);
  g_autofree char *text = NULL;
  g_autofree char *remove_name = NULL;
  GtkWidget *label;

  label = gtk_label_new (count);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (row), label);

  /* Translators: a line of the cart whose product (%s, its identifier)
   * left the catalogue: it is kept, but not counted nor priced. */
  text = g_strdup_printf (_("%s (no longer available)"), id);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (row), label);

  /* Translators: the accessible name of the button removing a product
   * that left the catalogue (%s, its identifier) from the cart. */
  remove_name = g_strdup_printf (_("Remove %s, no longer available"), id);
  gtk_box_append (GTK_BOX (row), remove_button_new (id, remove_name));

  return row;
}

static GtkWidget *
line_new (ShopProduct *product,
          int          quantity)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *count = g_strdup_printf ("%d ×", quantity);
  g_autofree char *price = shop_format_price (shop_product_get_price (product) * quantity);
  g_autofree char *remove_name = NULL;
  GtkWidget *label;

  label = gtk_label_new (count);
  gtk_box_append (GTK_BOX (row), label);
  label = gtk_label_new (shop_product_get_name (product));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), label);
  label = gtk_label_new (price);
  gtk_widget_add_css_class (label, "price");
  gtk_box_append (GTK_BOX (row), label);

  /* Translators: the accessible name of the button removing a product
   * (%s) from the cart. */
  remove_name = g_strdup_printf (_("Remove %s"), shop_product_get_name (product));
  gtk_box_append (GTK_BOX (row), remove_button_new (shop_product_get_id (product), remove_name));

  return row;
}

static gboolean
show_lines_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopCartSummary *self = user_data;
  GVariant *cart = isle_state_get_variant (self->cart);
  g_auto(GStrv) unavailable = NULL;
  GtkWidget *child;
  guint n_lines = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lines))) != NULL)
    gtk_list_box_remove (self->lines, child);

  /* In catalogue order, not in the order things were added; then the
   * products the catalogue no longer has, by id. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->catalogue)); i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      int count = 0;

      if (!g_variant_lookup (cart, shop_product_get_id (product), "i", &count) || count <= 0)
        continue;

      gtk_list_box_append (self->lines, line_new (product, count));
      n_lines++;
    }

  unavailable = shop_cart_dup_unavailable (cart, self->catalogue);
  for (guint i = 0; unavailable[i] != NULL; i++)
    {
      int count = 0;

      g_variant_lookup (cart, unavailable[i], "i", &count);
      gtk_list_box_append (self->lines, unavailable_line_new (unavailable[i], count));
      n_lines++;
    }

  gtk_widget_set_visible (self->empty, n_lines == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->lines), n_lines > 0);

  return TRUE;
}

static gboolean
show_total_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopCartSummary *self = user_data;
  g_autofree char *price = shop_format_price (isle_derived_get_double (self->total));
  /* Translators: the total of the cart; %s is a price. */
  g_autofree char *text = g_strdup_printf (_("Total: %s"), price);

  gtk_label_set_label (self->total_label, text);
  return TRUE;
}

static void
shop_cart_summary_setup (IsleIsland *island)
{
  ShopCartSummary *self = SHOP_CART_SUMMARY (island);
  IsleGraph *graph = isle_island_get_graph (island);
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/isletoolkit/IsleShop/shop-cart-summary.ui");

  self->cart = use_cart (island);
  self->total = isle_derived_new (graph, G_TYPE_DOUBLE, total_cb, self, NULL);
  isle_derived_set_name (self->total, "total");

  self->empty = GTK_WIDGET (gtk_builder_get_object (builder, "summary_empty"));
  self->lines = GTK_LIST_BOX (gtk_builder_get_object (builder, "summary_lines"));
  self->total_label = GTK_LABEL (gtk_builder_get_object (builder, "summary_total"));

  isle_effect_set_name (isle_effect_new (graph, show_lines_cb, self, NULL), "show lines");
  isle_effect_set_name (isle_effect_new (graph, show_total_cb, self, NULL), "show total");

  isle_island_set_child (island, GTK_WIDGET (gtk_builder_get_object (builder, "summary")));
}

static void
shop_cart_summary_dispose (GObject *object)
{
  ShopCartSummary *self = SHOP_CART_SUMMARY (object);

  G_OBJECT_CLASS (shop_cart_summary_parent_class)->dispose (object);

  g_clear_object (&self->catalogue);
}

static void
shop_cart_summary_class_init (ShopCartSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_cart_summary_dispose;
  ISLE_ISLAND_CLASS (klass)->setup = shop_cart_summary_setup;
}

static void
shop_cart_summary_init (ShopCartSummary *self)
{
}

GtkWidget *
shop_cart_summary_new (ShopCatalogue  *catalogue,
                       IsleActivation  activation)
{
  ShopCartSummary *self;

  self = g_object_new (SHOP_TYPE_CART_SUMMARY,
                       "activation", ISLE_ACTIVATION_WHEN,
                       "name", "cart-summary",
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_activation (ISLE_ISLAND (self), activation);

  return GTK_WIDGET (self);
}
