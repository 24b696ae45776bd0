/* test-panes.c: Isle Shop's panes on their own, without the program
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each pane is built as the window builds it (widgets/shop/), put in a
 * plain GtkWindow and shown: islands may set themselves up only once they
 * are mapped, and they flush their effects on their window's frame clock.
 * The panes meet only through the registry's atoms, as in the program:
 * the search pane writes SHOP_CATALOGUE_QUERY, the catalogue view reads
 * it; a card adds to the cart, the badge counts it.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "shop-cart-badge.h"
#include "shop-catalogue-view.h"
#include "shop-product-card.h"
#include "shop-search.h"
#include "shop-stores.h"

#include "../widgets/widget-test-common.h"

typedef struct
{
  ShopCatalogue *catalogue;
  IsleAtom      *query;
  GtkWidget     *window;
  GtkBox        *box;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->catalogue = shop_catalogue_new_from_resource ("/org/isletoolkit/IsleShop/catalogue.ini",
                                                         &error);
  g_assert_no_error (error);
  fixture->query = isle_registry_ensure_string (isle_registry_get_default (),
                                                SHOP_CATALOGUE_QUERY, "");
  isle_atom_set_string (fixture->query, "");
  shop_cart_clear (shop_cart_get_default ());

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  fixture->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->box));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  destroy_window (fixture->window);
  shop_cart_clear (shop_cart_get_default ());
  isle_atom_set_string (fixture->query, "");
  g_assert_finalize_object (fixture->catalogue);
}

/* Appends @pane, shows the window and waits until @pane is set up. */
static GtkWidget *
mount (Fixture   *fixture,
       GtkWidget *pane)
{
  gtk_box_append (fixture->box, pane);
  gtk_window_present (GTK_WINDOW (fixture->window));
  RUN_UNTIL (gtk_widget_get_mapped (pane) &&
             isle_island_get_phase (ISLE_ISLAND (pane)) == ISLE_ISLAND_PHASE_ACTIVE);
  run_frames (pane, 2);

  return pane;
}

/* The first descendant of @widget of @type (depth first), or NULL. */
static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first descendant of @widget of @type with the style class @name:
 * a card's Add button (the stepper's own buttons are GtkButtons too), the
 * badge's label (an island has placeholder labels too). */
static GtkWidget *
find_styled (GtkWidget  *widget,
             GType       type,
             const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_has_css_class (widget, name))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_styled (child, type, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The catalogue's cells that show, and how many the query should show. */
static guint
count_shown_cells (GtkWidget *view)
{
  GtkWidget *flow = find_child (view, GTK_TYPE_FLOW_BOX);
  guint n = 0;

  if (!gtk_widget_get_visible (flow))
    return 0;
  for (GtkWidget *cell = gtk_widget_get_first_child (flow);
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    n += GTK_IS_FLOW_BOX_CHILD (cell) && gtk_widget_get_visible (cell);

  return n;
}

static guint
count_matches (ShopCatalogue *catalogue,
               const char    *query)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalogue)); i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (catalogue), i);

      n += shop_product_matches (product, query);
    }

  return n;
}

static gboolean
query_is (Fixture    *fixture,
          const char *expected)
{
  g_autofree char *query = isle_store_dup_string (ISLE_STORE (fixture->query));

  return g_strcmp0 (query, expected) == 0;
}

static void
record_string_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  g_ptr_array_add (user_data, g_variant_dup_string (value, NULL));
}

static void
test_search_writes_query (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *search = mount (fixture, shop_search_new ());
  GtkEditable *entry = shop_search_get_entry (SHOP_SEARCH (search));
  g_autoptr(GPtrArray) heard = NULL;
  guint handle;

  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");

  /* Typed: GtkSearchEntry says "search-changed" after its delay. */
  gtk_editable_set_text (entry, "tea");
  RUN_UNTIL (query_is (fixture, "tea"));

  /* And the other way: the atom set elsewhere shows in the entry, and
   * the entry's passing "" (set_text deletes, then inserts) is not
   * written back: the atom hears "coffee" alone, and keeps it. */
  heard = g_ptr_array_new_with_free_func (g_free);
  handle = isle_store_listen (ISLE_STORE (fixture->query), record_string_cb, heard, NULL);
  isle_atom_set_string (fixture->query, "coffee");
  RUN_UNTIL (g_strcmp0 (gtk_editable_get_text (entry), "coffee") == 0);
  run_for (400);  /* longer than GtkSearchEntry's delay */
  isle_store_unsubscribe (ISLE_STORE (fixture->query), handle);
  g_assert_true (query_is (fixture, "coffee"));
  g_assert_cmpuint (heard->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (heard, 0), ==, "coffee");
}

static void
test_catalogue_view_follows_query (Fixture       *fixture,
                                   gconstpointer  data)
{
  GtkWidget *view = mount (fixture, shop_catalogue_view_new (fixture->catalogue));
  guint n_products = g_list_model_get_n_items (G_LIST_MODEL (fixture->catalogue));
  GtkWidget *no_results = find_child (view, ADW_TYPE_STATUS_PAGE);
  guint n_tea = count_matches (fixture->catalogue, "tea");

  g_assert_cmpuint (n_products, >, 1);
  g_assert_cmpuint (count_shown_cells (view), ==, n_products);
  g_assert_false (gtk_widget_get_visible (no_results));

  g_assert_cmpuint (n_tea, >, 0);
  g_assert_cmpuint (n_tea, <, n_products);
  isle_atom_set_string (fixture->query, "tea");
  RUN_UNTIL (count_shown_cells (view) == n_tea);

  isle_atom_set_string (fixture->query, "no such product, surely");
  RUN_UNTIL (count_shown_cells (view) == 0);
  g_assert_true (gtk_widget_get_visible (no_results));

  isle_atom_set_string (fixture->query, "");
  RUN_UNTIL (count_shown_cells (view) == n_products);
  g_assert_false (gtk_widget_get_visible (no_results));
}

/* Two panes that never see each other: the search's entry filters the
 * catalogue view through the atom. */
static void
test_search_filters_catalogue (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *search = mount (fixture, shop_search_new ());
  GtkWidget *view = mount (fixture, shop_catalogue_view_new (fixture->catalogue));
  guint n_tea = count_matches (fixture->catalogue, "tea");

  gtk_editable_set_text (shop_search_get_entry (SHOP_SEARCH (search)), "tea");
  RUN_UNTIL (count_shown_cells (view) == n_tea);
}

static void
test_card_adds_and_badge_counts (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *view = mount (fixture, shop_catalogue_view_new (fixture->catalogue));
  GtkWidget *badge = mount (fixture, shop_cart_badge_new (fixture->catalogue));
  GtkWidget *flow = find_child (view, GTK_TYPE_FLOW_BOX);
  GtkWidget *card = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (gtk_widget_get_first_child (flow)));
  ShopProduct *product = shop_product_card_get_product (SHOP_PRODUCT_CARD (card));
  GtkLabel *label = GTK_LABEL (find_styled (badge, GTK_TYPE_LABEL, "cart-badge"));
  GtkSpinButton *spin = GTK_SPIN_BUTTON (find_child (card, GTK_TYPE_SPIN_BUTTON));

  g_assert_cmpstr (gtk_label_get_label (label), ==, "0");

  /* The card's Add button, pressed as Enter on the card presses it (a
   * GtkButton's activation says "clicked" once its 250 ms are over). */
  shop_product_card_activate (SHOP_PRODUCT_CARD (card));
  RUN_UNTIL (shop_cart_get_quantity (shop_cart_get_default (), shop_product_get_id (product)) == 1);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (label), "1") == 0);

  /* The stepper's quantity is what Add adds. */
  gtk_spin_button_set_value (spin, 3);
  run_frames (card, 1);
  gtk_widget_activate (find_styled (card, GTK_TYPE_BUTTON, "suggested-action"));
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (label), "4") == 0);
}

int
main (int   argc,
      char *argv[])
{
  /* As main.c does, with the build's translations, so that the panes'
   * strings are what the program shows. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, SHOP_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/Shop/Panes/search-writes-query", Fixture, NULL,
              fixture_setup, test_search_writes_query, fixture_teardown);
  g_test_add ("/Shop/Panes/catalogue-view-follows-query", Fixture, NULL,
              fixture_setup, test_catalogue_view_follows_query, fixture_teardown);
  g_test_add ("/Shop/Panes/search-filters-catalogue", Fixture, NULL,
              fixture_setup, test_search_filters_catalogue, fixture_teardown);
  g_test_add ("/Shop/Panes/card-adds-and-badge-counts", Fixture, NULL,
              fixture_setup, test_card_adds_and_badge_counts, fixture_teardown);

  return g_test_run ();
}
