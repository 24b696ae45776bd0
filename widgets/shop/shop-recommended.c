/* shop-recommended.c: "Recommended for you", a deferred island
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-format.h"
#include "shop-recommended.h"

/* A deferred island: its content is computed in a worker thread from a
 * snapshot of the registry's "cart", and shown as a static list. It knows
 * only the catalogue (read-only data) and that snapshot. */

struct _ShopRecommended
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
};

G_DEFINE_FINAL_TYPE (ShopRecommended, shop_recommended, ISLE_TYPE_ISLAND)

/* In a worker thread, from the snapshot of the cart: up to three
 * products the cart does not hold, from the categories it does, else any.
 * The catalogue is immutable once loaded, so reading it here is safe. */
static GVariant *
recommend_cb (GVariant      *snapshot,
              GCancellable  *cancellable,
              gpointer       user_data,
              GError       **error)
{
  ShopCatalogue *catalogue = user_data;
  g_autoptr(GVariant) cart = g_variant_lookup_value (snapshot, "cart", G_VARIANT_TYPE_VARDICT);
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  guint n_products = g_list_model_get_n_items (G_LIST_MODEL (catalogue));
  GVariantBuilder builder;

  if (cart == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The cart is not available."));
      return NULL;
    }

  for (guint i = 0; i < n_products; i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
      int count;

      if (g_variant_lookup (cart, shop_product_get_id (product), "i", &count) && count > 0)
        g_hash_table_add (categories, (gpointer) shop_product_get_category (product));
    }

  for (int pass = 0; pass < 2 && picked->len < 3; pass++)
    for (guint i = 0; i < n_products && picked->len < 3; i++)
      {
        g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (catalogue), i);
        const char *id = shop_product_get_id (product);
        gboolean same = g_hash_table_contains (categories, shop_product_get_category (product));
        int count;

        if (g_cancellable_is_cancelled (cancellable))
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
            return NULL;
          }

        if ((g_variant_lookup (cart, id, "i", &count) && count > 0) ||
            g_ptr_array_find_with_equal_func (picked, id, g_str_equal, NULL) ||
            (pass == 0 && !same))
          continue;

        g_ptr_array_add (picked, (gpointer) id);
      }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < picked->len; i++)
    g_variant_builder_add (&builder, "s", g_ptr_array_index (picked, i));

  return g_variant_builder_end (&builder);
}

static GtkWidget *
build_recommended_cb (IsleIsland *island,
                      GVariant   *data,
                      gpointer    user_data)
{
  ShopCatalogue *catalogue = user_data;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Recommended for you"));
  GVariantIter iter;
  const char *id;

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_box_append (GTK_BOX (box), title);

  g_variant_iter_init (&iter, data);
  while (g_variant_iter_next (&iter, "&s", &id))
    {
      ShopProduct *product = shop_catalogue_lookup (catalogue, id);
      g_autofree char *price = NULL;
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (product == NULL)
        continue;

      price = shop_format_price (shop_product_get_price (product));
      text = g_strdup_printf ("%s · %s", shop_product_get_name (product), price);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_box_append (GTK_BOX (box), label);
    }

  return box;
}

static void
shop_recommended_dispose (GObject *object)
{
  ShopRecommended *self = SHOP_RECOMMENDED (object);

  G_OBJECT_CLASS (shop_recommended_parent_class)->dispose (object);

  g_clear_object (&self->catalogue);
}

static void
shop_recommended_class_init (ShopRecommendedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_recommended_dispose;
}

static void
shop_recommended_init (ShopRecommended *self)
{
}

GtkWidget *
shop_recommended_new (ShopCatalogue  *catalogue,
                      IsleActivation  activation)
{
  static const char * const stores[] = { "cart", NULL };
  ShopRecommended *self;

  self = g_object_new (SHOP_TYPE_RECOMMENDED,
                       "activation", ISLE_ACTIVATION_WHEN,
                       "name", "recommended",
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_deferred (ISLE_ISLAND (self), stores,
                            recommend_cb, g_object_ref (catalogue), g_object_unref,
                            build_recommended_cb, g_object_ref (catalogue), g_object_unref);
  isle_island_set_activation (ISLE_ISLAND (self), activation);

  return GTK_WIDGET (self);
}
