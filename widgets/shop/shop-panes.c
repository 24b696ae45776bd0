/* shop-panes.c: the islands of Isle Shop's window
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart.h"
#include "shop-format.h"
#include "shop-panes.h"

/* Every pane here is an island that only knows the catalogue (read-only
 * data) and the registry's "cart"; none of them knows another. */

static GtkBuilder *
load_panes (void)
{
  return gtk_builder_new_from_resource ("/org/isletoolkit/IsleShop/shop-panes.ui");
}

/* Recommended for you, deferred {{{ */

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

/* }}} */

/* The inspector {{{ */

struct _ShopInspector
{
  IsleIsland  parent_instance;

  GtkLabel   *stores;
  GtkLabel   *islands;
  guint       refresh_id;
};

G_DEFINE_FINAL_TYPE (ShopInspector, shop_inspector, ISLE_TYPE_ISLAND)

static const char *
phase_name (IsleIslandPhase phase)
{
  switch (phase)
    {
    case ISLE_ISLAND_PHASE_WAITING:
      return _("waiting");
    case ISLE_ISLAND_PHASE_LOADING:
      return _("loading");
    case ISLE_ISLAND_PHASE_ACTIVE:
      return _("active");
    case ISLE_ISLAND_PHASE_FAILED:
      return _("failed");
    default:
      return "?";
    }
}

static void
collect_islands (GtkWidget *widget,
                 GString   *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ISLE_IS_ISLAND (child))
        {
          IsleGraph *graph = isle_island_get_graph (ISLE_ISLAND (child));
          guint n_nodes = graph != NULL ? isle_graph_get_n_nodes (graph) : 0;

          g_string_append_printf (text,
                                  /* Translators: one line of the inspector: an
                                   * island's name, its phase, and the number of
                                   * nodes in its graph. */
                                  ngettext ("%s: %s, %u node\n", "%s: %s, %u nodes\n", n_nodes),
                                  gtk_widget_get_name (child),
                                  phase_name (isle_island_get_phase (ISLE_ISLAND (child))),
                                  n_nodes);
        }
      collect_islands (child, text);
    }
}

static gboolean
refresh_cb (gpointer user_data)
{
  ShopInspector *self = user_data;
  GListModel *registry = G_LIST_MODEL (isle_registry_get_default ());
  g_autoptr(GString) stores = g_string_new (NULL);
  g_autoptr(GString) islands = g_string_new (NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  for (guint i = 0; i < g_list_model_get_n_items (registry); i++)
    {
      g_autoptr(IsleStore) store = g_list_model_get_item (registry, i);
      g_autoptr(GVariant) value = isle_store_get_value (store);
      g_autofree char *printed = g_variant_print (value, FALSE);
      guint n = isle_store_get_n_listeners (store);

      /* Translators: one line of the inspector: a store's name, its value,
       * and how many listeners it has. */
      g_string_append_printf (stores, ngettext ("%s = %s (%u listener)\n",
                                                "%s = %s (%u listeners)\n", n),
                              isle_store_get_name (store), printed, n);
    }

  if (root != NULL)
    collect_islands (GTK_WIDGET (root), islands);

  gtk_label_set_label (self->stores, g_strstrip (stores->str));
  gtk_label_set_label (self->islands, g_strstrip (islands->str));

  return G_SOURCE_CONTINUE;
}

static void
shop_inspector_setup (IsleIsland *island)
{
  ShopInspector *self = SHOP_INSPECTOR (island);
  g_autoptr(GtkBuilder) builder = load_panes ();

  self->stores = GTK_LABEL (gtk_builder_get_object (builder, "inspector_stores"));
  self->islands = GTK_LABEL (gtk_builder_get_object (builder, "inspector_islands"));
  isle_island_set_child (island, GTK_WIDGET (gtk_builder_get_object (builder, "inspector")));

  /* What it shows changes outside any graph (phases, listener counts):
   * look again twice a second while it exists. */
  refresh_cb (self);
  self->refresh_id = g_timeout_add (500, refresh_cb, self);
}

static void
shop_inspector_dispose (GObject *object)
{
  ShopInspector *self = SHOP_INSPECTOR (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  G_OBJECT_CLASS (shop_inspector_parent_class)->dispose (object);
}

static void
shop_inspector_class_init (ShopInspectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_inspector_dispose;
  ISLE_ISLAND_CLASS (klass)->setup = shop_inspector_setup;
}

static void
shop_inspector_init (ShopInspector *self)
{
}

GtkWidget *
shop_inspector_new (void)
{
  /* Activated when first shown (the window reveals it on demand). */
  return g_object_new (SHOP_TYPE_INSPECTOR,
                       "activation", ISLE_ACTIVATION_VISIBLE,
                       "name", "inspector",
                       NULL);
}

/* }}} */
