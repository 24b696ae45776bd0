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
 * main thread from a snapshot: this island mirrors the registry's "cart",
 * and each time it changes it puts in a new deferred island, whose worker
 * computes the recommendations (shop_cart_recommend(), the rule, is
 * GTK-free) from a snapshot taken then. The one it replaces is disposed,
 * which cancels its worker if it still runs. Until the new one is ready the
 * old list stays on screen, so the pane does not blink on every add. */

#define N_RECOMMENDED 3

struct _ShopRecommended
{
  IsleIsland     parent_instance;

  ShopCatalogue *catalogue;
  IsleState     *cart;
  IsleState     *show;      /* SHOP_SHOW_RECOMMENDATIONS */
  GtkStack      *stack;
  GtkWidget     *shown;      /* the deferred island on screen */
  GtkWidget     *pending;    /* the one computing, or NULL */
};

G_DEFINE_FINAL_TYPE (ShopRecommended, shop_recommended, ISLE_TYPE_ISLAND)

/* In a worker thread, from the snapshot of the cart. */
static GVariant *
recommend_cb (GVariant      *snapshot,
              GCancellable  *cancellable,
              gpointer       user_data,
              GError       **error)
{
  ShopCatalogue *catalogue = user_data;
  g_autoptr(GVariant) cart = g_variant_lookup_value (snapshot, "cart", G_VARIANT_TYPE_VARDICT);
  g_auto(GStrv) picked = NULL;

  if (cart == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The cart is not available."));
      return NULL;
    }

  picked = shop_cart_recommend (cart, catalogue, N_RECOMMENDED);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_variant_new_strv ((const char * const *) picked, -1);
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

/* The pending island has its content: it replaces the one on screen. */
static void
pending_ready_cb (GtkWidget       *pending,
                  GParamSpec      *pspec,
                  ShopRecommended *self)
{
  g_autoptr(GtkWidget) content = NULL;

  g_object_get (pending, "child", &content, NULL);
  if (pending != self->pending || content == NULL)
    return;

  g_signal_handlers_disconnect_by_func (pending, pending_ready_cb, self);
  if (self->shown != NULL)
    gtk_stack_remove (self->stack, self->shown);
  self->shown = g_steal_pointer (&self->pending);
  gtk_stack_set_visible_child (self->stack, self->shown);
}

static GtkWidget *
deferred_new (ShopRecommended *self)
{
  static const char * const stores[] = { "cart", NULL };
  IsleIsland *island = ISLE_ISLAND (isle_island_new (ISLE_ACTIVATION_WHEN));

  gtk_widget_set_name (GTK_WIDGET (island), "recommended-list");
  isle_island_set_deferred (island, stores,
                            recommend_cb, g_object_ref (self->catalogue), g_object_unref,
                            build_recommended_cb, g_object_ref (self->catalogue), g_object_unref);
  isle_island_set_activation (island, ISLE_ACTIVATION_LOAD);

  return GTK_WIDGET (island);
}

static gboolean
follow_cart_cb (IsleEffect  *effect,
                gpointer     user_data,
                GError     **error)
{
  ShopRecommended *self = user_data;

  /* Read to depend on it: the deferred island takes its own snapshot. */
  isle_state_get_variant (self->cart);

  if (self->pending != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->pending, pending_ready_cb, self);
      gtk_stack_remove (self->stack, self->pending);
      self->pending = NULL;
    }

  self->pending = deferred_new (self);
  gtk_stack_add_child (self->stack, self->pending);
  if (self->shown == NULL)
    {
      /* The first one shows its spinner until it is ready. */
      self->shown = g_steal_pointer (&self->pending);
      gtk_stack_set_visible_child (self->stack, self->shown);
    }
  else
    {
      /* Its content becomes its child once the worker is done. */
      g_signal_connect (self->pending, "notify::child", G_CALLBACK (pending_ready_cb), self);
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
  IsleAtom *show = isle_registry_ensure_boolean (isle_registry_get_default (),
                                                 SHOP_SHOW_RECOMMENDATIONS, TRUE);

  self->cart = isle_island_use_store (island, ISLE_STORE (shop_cart_get_map (shop_cart_get_default ())));
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  isle_island_set_child (island, GTK_WIDGET (self->stack));

  isle_effect_set_name (isle_effect_new (isle_island_get_graph (island), follow_cart_cb, self, NULL),
                        "follow cart");

  if (show != NULL)
    {
      self->show = isle_island_use_atom (island, show);
      isle_effect_set_name (isle_effect_new (isle_island_get_graph (island), follow_shown_cb, self,
                                             NULL),
                            "follow shown");
    }
}

static void
shop_recommended_dispose (GObject *object)
{
  ShopRecommended *self = SHOP_RECOMMENDED (object);

  if (self->pending != NULL)
    g_signal_handlers_disconnect_by_func (self->pending, pending_ready_cb, self);
  self->pending = NULL;
  self->shown = NULL;

  G_OBJECT_CLASS (shop_recommended_parent_class)->dispose (object);

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
