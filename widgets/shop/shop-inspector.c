/* shop-inspector.c: the inspector: every store and every island
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-inspector.h"

/* An island that lists every registered store with its value and
 * listeners, and every island of its window with its phase and graph
 * size. It reads the registry and the widget tree, and changes nothing. */

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
          /* A failed island says why (a plugin that did not load, a
           * setup that raised). */
          if (isle_island_get_error (ISLE_ISLAND (child)) != NULL)
            g_string_append_printf (text, "  %s\n", isle_island_get_error (ISLE_ISLAND (child))->message);
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
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/isletoolkit/IsleShop/shop-inspector.ui");

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
