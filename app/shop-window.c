/* shop-window.c: the page that mounts the islands
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart-badge.h"
#include "shop-cart-summary.h"
#include "shop-delivery.h"
#include "shop-inspector.h"
#include "shop-plugins.h"
#include "shop-product-card.h"
#include "shop-recommended.h"
#include "shop-window.h"

/* The window composes islands and computes nothing: each pane meets the
 * others only through the registry's "cart". */

struct _ShopWindow
{
  GtkApplicationWindow  parent_instance;

  ShopCatalogue        *catalogue;
  GSettings            *settings;

  GtkBox               *badge_slot;
  GtkFlowBox           *catalogue_box;
  GtkBox               *products_box;
  GtkBox               *cart_box;
  GtkBox               *inspector_box;
  GtkRevealer          *inspector;
  GtkRevealer          *notice;
  GtkLabel             *notice_label;
  GtkStack             *stack;

  /* The button held down, and where it went down, in surface
   * coordinates (see stale_motion_cb). */
  guint                 held_button;
  double                held_x;
  double                held_y;
};

G_DEFINE_FINAL_TYPE (ShopWindow, shop_window, GTK_TYPE_APPLICATION_WINDOW)

static void
mount_islands (ShopWindow *self)
{
  guint n_products = g_list_model_get_n_items (G_LIST_MODEL (self->catalogue));
  GtkWidget *inspector;

  gtk_box_append (self->badge_slot, shop_cart_badge_new (self->catalogue));

  for (guint i = 0; i < n_products; i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (G_LIST_MODEL (self->catalogue), i);
      GtkWidget *card = shop_product_card_new (product);

      gtk_flow_box_append (self->catalogue_box, card);
      /* The cell takes the focus: a screen reader says its name, which
       * would otherwise be its class name. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (card)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, shop_product_get_name (product),
                                      -1);
    }

  /* Below the products: free delivery (set up at idle, once the window
   * is up) and recommendations (computed in a worker thread). */
  gtk_box_append (self->products_box, shop_delivery_new (self->catalogue, ISLE_ACTIVATION_IDLE));
  gtk_box_append (self->products_box, shop_recommended_new (self->catalogue, ISLE_ACTIVATION_IDLE));

  /* The cart page: set up the first time it is shown. */
  gtk_box_append (self->cart_box, shop_cart_summary_new (self->catalogue, ISLE_ACTIVATION_VISIBLE));

  /* The panes of plugins, C or Python (widgets/shop/shop-plugins.c). */
  shop_plugins_mount (shop_plugins_get_default (), SHOP_PLUGIN_PLACEMENT_PRODUCTS, self->products_box);
  shop_plugins_mount (shop_plugins_get_default (), SHOP_PLUGIN_PLACEMENT_CART, self->cart_box);

  inspector = shop_inspector_new ();
  gtk_box_append (self->inspector_box, inspector);
}

static void
toggle_inspector (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ShopWindow *self = SHOP_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->inspector,
                                 !gtk_revealer_get_reveal_child (self->inspector));
}

static void
dismiss_notice (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ShopWindow *self = SHOP_WINDOW (widget);

  /* Hidden, not only folded away: out of the accessibility tree too. */
  gtk_revealer_set_reveal_child (self->notice, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notice), FALSE);
}

/* GTK 4.8 synthesizes a motion event at the pointer after a relayout
 * (so that hover states follow the new layout) whose state says no
 * button is held, also while one is (seen under Xvfb with XTest clicks).
 * A gesture takes a buttonless motion during a press for a lost release
 * and resets, so a GtkButton's "clicked" never comes. Isle Shop relays out
 * on every change of the cart (the badge, the free-delivery line), so
 * quick clicks lost about one in 200. Drop such a motion before any
 * widget sees it: one that says no button is held while a press is held
 * and the pointer has not moved. A real motion moves, or carries the
 * button; a real missed release still resets at the next real motion. */
static gboolean
stale_motion_cb (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 gpointer                  user_data)
{
  ShopWindow *self = user_data;
  double x, y;

  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
      if (gdk_event_get_position (event, &x, &y))
        {
          self->held_button = gdk_button_event_get_button (event);
          self->held_x = x;
          self->held_y = y;
        }
      break;

    case GDK_BUTTON_RELEASE:
    case GDK_GRAB_BROKEN:
      self->held_button = 0;
      break;

    case GDK_MOTION_NOTIFY:
      if (self->held_button >= 1 && self->held_button <= 5 &&
          (gdk_event_get_modifier_state (event) & (GDK_BUTTON1_MASK << (self->held_button - 1))) == 0 &&
          gdk_event_get_position (event, &x, &y) &&
          x == self->held_x && y == self->held_y)
        return GDK_EVENT_STOP;
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
shop_window_dispose (GObject *object)
{
  ShopWindow *self = SHOP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SHOP_TYPE_WINDOW);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (shop_window_parent_class)->dispose (object);
}

static void
shop_window_class_init (ShopWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = shop_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/isletoolkit/IsleShop/shop-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, badge_slot);
  gtk_widget_class_bind_template_child_full (widget_class, "catalogue", FALSE,
                                             G_STRUCT_OFFSET (ShopWindow, catalogue_box));
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, products_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, cart_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, inspector_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, notice);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, stack);

  gtk_widget_class_install_action (widget_class, "win.inspector", NULL, toggle_inspector);
  gtk_widget_class_install_action (widget_class, "win.dismiss-notice", NULL, dismiss_notice);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.inspector", NULL);
}

/* The window's size and page outlive it, in GSettings; a program run
 * from its build directory without the schema simply forgets them. */
static void
bind_settings (ShopWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "last-page", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
shop_window_init (ShopWindow *self)
{
  GtkEventController *legacy;

  gtk_widget_init_template (GTK_WIDGET (self));
  bind_settings (self);

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (stale_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);
}

ShopWindow *
shop_window_new (GtkApplication *application,
                 ShopCatalogue  *catalogue)
{
  ShopWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SHOP_IS_CATALOGUE (catalogue), NULL);

  self = g_object_new (SHOP_TYPE_WINDOW, "application", application, NULL);
  self->catalogue = g_object_ref (catalogue);
  mount_islands (self);

  return self;
}

/*
 * shop_window_show_notice:
 *
 * Tells the user something once, above the content, until dismissed.
 */
void
shop_window_show_notice (ShopWindow *self,
                         const char *message)
{
  g_return_if_fail (SHOP_IS_WINDOW (self));

  gtk_label_set_label (self->notice_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->notice), TRUE);
  gtk_revealer_set_reveal_child (self->notice, TRUE);
}
