/* shop-catalogue-view.c: the catalogue's cards, filtered by the search
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "shop-catalogue-view.h"
#include "shop-product-card.h"

/* An island holding one card island per product in a flow box, which
 * reflows from one column at 360 px to six. It mirrors the registry's
 * SHOP_CATALOGUE_QUERY atom and shows only the products that match it
 * (shop_product_matches()), or a status page when none does; it never
 * sees the search pane that writes the atom. The cards are hidden, not
 * rebuilt, so a card keeps its quantity while it is hidden. */

struct _ShopCatalogueView
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
  IsleState     *query;
  GtkFlowBox    *flow;
  GtkWidget     *no_results;
};

G_DEFINE_FINAL_TYPE (ShopCatalogueView, shop_catalogue_view, ISLE_TYPE_ISLAND)

/* The cells of the products that do not match are hidden, not filtered
 * out with gtk_flow_box_set_filter_func(): a filtered cell stays in the
 * accessibility tree, with its old size, so a screen reader would still
 * find the cards the user no longer sees. */
static gboolean
apply_query_cb (IsleEffect  *effect,
                gpointer     user_data,
                GError     **error)
{
  ShopCatalogueView *self = user_data;
  const char *query = isle_state_get_string (self->query);
  guint n_shown = 0;

  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->flow));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      ShopProductCard *card;
      gboolean match;

      if (!GTK_IS_FLOW_BOX_CHILD (cell))
        continue;

      card = SHOP_PRODUCT_CARD (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (cell)));
      match = shop_product_matches (shop_product_card_get_product (card), query != NULL ? query : "");
      gtk_widget_set_visible (cell, match);
      n_shown += match;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->flow), n_shown > 0);
  gtk_widget_set_visible (self->no_results, n_shown == 0);

  return TRUE;
}

/* The keyboard: the grid is one tab stop. Tab enters it at a card's
 * cell (a screen reader says the product), arrow keys move between the
 * cards and into a card's quantity and Add button (GtkFlowBox's own
 * keynav), Enter or Space on a cell adds the product (the keyboard only:
 * the flow box's "child-activated" would also add on a click anywhere on
 * a card), and Tab or Shift+Tab leaves the grid for the next or previous
 * pane. GTK would otherwise visit the cell, the stepper and the button of
 * every card: 42 stops for 14 cards between the catalogue and the header
 * bar. */
static gboolean
grid_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     ShopCatalogueView     *self)
{
  GtkWidget *flow = GTK_WIDGET (self->flow);
  GtkRoot *root = gtk_widget_get_root (flow);
  GtkDirectionType direction;
  GtkWidget *focus;

  if (root == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  focus = gtk_root_get_focus (root);
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter ||
       keyval == GDK_KEY_space || keyval == GDK_KEY_KP_Space) &&
      GTK_IS_FLOW_BOX_CHILD (focus) && gtk_widget_get_parent (focus) == flow)
    {
      GtkWidget *card = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (focus));

      shop_product_card_activate (SHOP_PRODUCT_CARD (card));
      return GDK_EVENT_STOP;
    }

  if (keyval == GDK_KEY_ISO_Left_Tab ||
      ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && (state & GDK_SHIFT_MASK) != 0))
    direction = GTK_DIR_TAB_BACKWARD;
  else if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    direction = GTK_DIR_TAB_FORWARD;
  else
    return GDK_EVENT_PROPAGATE;

  /* GTK's own focus chain (and its wrapping at the window's end), with
   * the grid left out for the one move. */
  gtk_widget_set_can_focus (flow, FALSE);
  gtk_widget_child_focus (GTK_WIDGET (root), direction);
  gtk_widget_set_can_focus (flow, TRUE);

  return GDK_EVENT_STOP;
}

static void
shop_catalogue_view_setup (IsleIsland *island)
{
  ShopCatalogueView *self = SHOP_CATALOGUE_VIEW (island);
  IsleAtom *atom = isle_registry_ensure_string (isle_registry_get_default (), SHOP_CATALOGUE_QUERY, "");
  guint n_products = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkEventController *keys;

  self->query = isle_island_use_atom (island, atom);

  self->flow = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->flow, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->flow, TRUE);
  gtk_flow_box_set_min_children_per_line (self->flow, 1);
  gtk_flow_box_set_max_children_per_line (self->flow, 6);
  gtk_flow_box_set_column_spacing (self->flow, 12);
  gtk_flow_box_set_row_spacing (self->flow, 12);
  gtk_widget_set_valign (GTK_WIDGET (self->flow), GTK_ALIGN_START);
  gtk_widget_set_name (GTK_WIDGET (self->flow), "catalogue");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->flow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Products"),
                                  -1);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (grid_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->flow), keys);

  for (guint i = 0; i < n_products; i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      GtkWidget *card = shop_product_card_new (product);

      gtk_flow_box_append (self->flow, card);
      /* The cell takes the focus: a screen reader says its name, which
       * would otherwise be its class name. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (card)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, shop_product_get_name (product),
                                      -1);
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->flow));

  self->no_results = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->no_results), "edit-find-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->no_results), _("No Results Found"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->no_results),
                                   _("No product matches your search."));
  gtk_widget_set_visible (self->no_results, FALSE);
  gtk_box_append (GTK_BOX (box), self->no_results);

  isle_island_set_child (island, box);

  isle_effect_set_name (isle_effect_new (isle_island_get_graph (island), apply_query_cb, self, NULL),
                        "apply query");
}

static void
shop_catalogue_view_dispose (GObject *object)
{
  ShopCatalogueView *self = SHOP_CATALOGUE_VIEW (object);

  G_OBJECT_CLASS (shop_catalogue_view_parent_class)->dispose (object);

  g_clear_object (&self->catalogue);
}

static void
shop_catalogue_view_class_init (ShopCatalogueViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_catalogue_view_dispose;
  ISLE_ISLAND_CLASS (klass)->setup = shop_catalogue_view_setup;
}

static void
shop_catalogue_view_init (ShopCatalogueView *self)
{
}

GtkWidget *
shop_catalogue_view_new (ShopCatalogue *catalogue)
{
  ShopCatalogueView *self;

  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), NULL);

  /* Activated once the catalogue is there: the setup builds from it. */
  self = g_object_new (SHOP_TYPE_CATALOGUE_VIEW,
                       "activation", ISLE_ACTIVATION_WHEN,
                       "name", "catalogue-view",
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_activation (ISLE_ISLAND (self), ISLE_ACTIVATION_LOAD);

  return GTK_WIDGET (self);
}
