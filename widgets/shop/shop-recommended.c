/* shop-recommended.c: "Recommended for you", a deferred island
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart.h"
#include "shop-format.h"
#include "shop-recommended.h"

/* "Recommended for you" follows the cart, yet is still computed off the
 * main thread: this island mirrors the registry's "cart", and an async
 * derived ([class@Isle.AsyncDerived], issue 21) starts a run in a worker
 * thread each time it changes (shop_cart_recommend(), the rule, is
 * GTK-free). A newer run cancels the older one, whose result is dropped;
 * until the new one is done the old list stays on screen, so the pane does
 * not blink on every add. Before the first result a spinner shows. This
 * replaces the deferred island (a new one per change, a stack to swap
 * them) the pane used before: the async derived does that bookkeeping. */

#define N_RECOMMENDED 3

struct _ShopRecommended
{
  IsleIsland        parent_instance;

  ShopCatalogue    *catalogue;
  IsleState        *cart;
  IsleState        *show;      /* SHOP_SHOW_RECOMMENDATIONS */
  IsleAsyncDerived *picks;     /* the products' ids, a GStrv */
  GtkWidget        *spinner;
  GtkWidget        *list;      /* one label per recommended product */
};

G_DEFINE_FINAL_TYPE (ShopRecommended, shop_recommended, ISLE_TYPE_ISLAND)

/* In a worker thread, from the cart as it was when the run started (the
 * task's object data, set before the thread started). */
static void
recommend_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GVariant *cart = g_object_get_data (G_OBJECT (task), "shop-cart");
  ShopCatalogue *catalogue = g_object_get_data (G_OBJECT (task), "shop-catalogue");
  g_auto(GValue) value = G_VALUE_INIT;
  GError *error = NULL;

  g_value_init (&value, G_TYPE_STRV);
  g_value_take_boxed (&value, shop_cart_recommend (cart, catalogue, N_RECOMMENDED));
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_value (task, &value);
}

/* A run of the async derived, on the main thread: reading the cart makes
 * it the derived's dependency. */
static void
recommend_run_cb (IsleAsyncDerived *picks,
                  GTask            *task,
                  gpointer          user_data)
{
  ShopRecommended *self = user_data;
  GVariant *cart = isle_state_get_variant (self->cart);

  g_object_set_data_full (G_OBJECT (task), "shop-cart",
                          cart != NULL ? g_variant_ref (cart) : g_variant_ref_sink (g_variant_new ("a{sv}", NULL)),
                          (GDestroyNotify) g_variant_unref);
  g_object_set_data_full (G_OBJECT (task), "shop-catalogue",
                          g_object_ref (self->catalogue), g_object_unref);
  g_task_run_in_thread (task, recommend_thread);
}

/* The newest result becomes the list (the old one stays while a run is
 * pending); the spinner shows only until the first result. */
static gboolean
show_picks_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopRecommended *self = user_data;
  const char * const *picked = isle_derived_get_boxed (isle_async_derived_get_value_node (self->picks));
  gboolean loading = isle_derived_get_boolean (isle_async_derived_get_loading_node (self->picks));
  GtkWidget *child;

  gtk_widget_set_visible (self->spinner, picked == NULL && loading);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), picked == NULL && loading);

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);

  for (guint i = 0; picked != NULL && picked[i] != NULL; i++)
    {
      ShopProduct *product = shop_catalogue_lookup (self->catalogue, picked[i]);
      g_autofree char *price = NULL;
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (product == NULL)
        continue;

      price = shop_format_price (shop_product_get_price (product));
      text = g_strdup_printf ("%s · %s", shop_product_get_name (product), price);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_box_append (GTK_BOX (self->list), label);
    }

  return TRUE;
}

/* The main menu's "Show Recommendations" (the registry's boolean atom). */
static gboolean
follow_shown_cb (IsleEffect  *effect,
                 gpointer     user_data,
                 GError     **error)
{
  ShopRecommended *self = user_data;

  gtk_widget_set_visible (GTK_WIDGET (self), isle_state_get_boolean (self->show));

  return TRUE;
}

static void
shop_recommended_setup (IsleIsland *island)
{
  ShopRecommended *self = SHOP_RECOMMENDED (island);
  IsleGraph *graph = isle_island_get_graph (island);
  IsleAtom *show = isle_registry_ensure_boolean (isle_registry_get_default (),
                                                 SHOP_SHOW_RECOMMENDATIONS, TRUE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Recommended for you"));

  self->cart = isle_island_use_store (island, ISLE_STORE (shop_cart_get_map (shop_cart_get_default ())));

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_box_append (GTK_BOX (box), title);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading recommendations"),
                                  -1);
  gtk_box_append (GTK_BOX (box), self->spinner);
  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_name (self->list, "recommended-list");
  gtk_box_append (GTK_BOX (box), self->list);
  isle_island_set_child (island, box);

  self->picks = isle_async_derived_new (graph, G_TYPE_STRV, recommend_run_cb, self, NULL);
  isle_derived_set_name (isle_async_derived_get_value_node (self->picks), "recommended");
  isle_effect_set_name (isle_effect_new (graph, show_picks_cb, self, NULL), "show recommended");

  if (show != NULL)
    {
      self->show = isle_island_use_atom (island, show);
      isle_effect_set_name (isle_effect_new (graph, follow_shown_cb, self, NULL),
                            "follow shown");
    }
}

static void
shop_recommended_dispose (GObject *object)
{
  ShopRecommended *self = SHOP_RECOMMENDED (object);

  self->spinner = NULL;
  self->list = NULL;

  G_OBJECT_CLASS (shop_recommended_parent_class)->dispose (object);

  /* After the island's graph went: its effects no longer read these. */
  g_clear_object (&self->picks);
  g_clear_object (&self->catalogue);
}

static void
shop_recommended_class_init (ShopRecommendedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = shop_recommended_dispose;
  ISLE_ISLAND_CLASS (klass)->setup = shop_recommended_setup;
}

static void
shop_recommended_init (ShopRecommended *self)
{
}

GtkWidget *
shop_recommended_new (ShopCatalogue  *catalogue,
                      IsleActivation  activation)
{
  ShopRecommended *self;

  self = g_object_new (SHOP_TYPE_RECOMMENDED,
                       "activation", ISLE_ACTIVATION_WHEN,
                       "name", "recommended",
                       NULL);
  self->catalogue = g_object_ref (catalogue);
  isle_island_set_activation (ISLE_ISLAND (self), activation);

  return GTK_WIDGET (self);
}
