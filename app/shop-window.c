/* shop-window.c: the page that mounts the islands
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-cart-badge.h"
#include "shop-catalogue-view.h"
#include "shop-cart-summary.h"
#include "shop-delivery.h"
#include "shop-plugins.h"
#include "shop-product-card.h"
#include "shop-recommended.h"
#include "shop-search.h"
#include "shop-window.h"

/* The window composes islands and computes nothing: each pane meets the
 * others only through the registry's atoms ("cart", the search query). */

struct _ShopWindow
{
  AdwApplicationWindow  parent_instance;

  ShopCatalogue        *catalogue;
  GSettings            *settings;
  AdwToast             *notice;      /* the last notice, while it shows */

  GtkBox               *badge_slot;
  GtkBox               *content_box;
  GtkBox               *products_box;
  GtkBox               *cart_box;
  GtkBox               *inspector_box;
  AdwFlap              *flap;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  GtkSearchBar         *search_bar;
  AdwClamp             *search_slot;

  /* The button held down, and where it went down, in surface
   * coordinates (see stale_motion_cb). */
  guint                 held_button;
  double                held_x;
  double                held_y;
};

G_DEFINE_FINAL_TYPE (ShopWindow, shop_window, ADW_TYPE_APPLICATION_WINDOW)

/* libadwaita 1.2 leaves a toast's close button unnamed: a screen reader
 * says "GtkImage". Name every such button in the overlay; a toast's widget
 * exists once the toast shows, and Isle Shop's toasts are of high priority,
 * so they show as soon as they are added. */
static void
name_close_buttons (GtkWidget *widget,
                    gboolean   in_toast)
{
  in_toast = in_toast || g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");

  if (in_toast && GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "window-close-symbolic") == 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dismiss"),
                                      -1);
      gtk_widget_set_tooltip_text (widget, _("Dismiss"));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_close_buttons (child, in_toast);
}

static void
add_toast (ShopWindow *self,
           AdwToast   *toast)
{
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  name_close_buttons (GTK_WIDGET (self->toast_overlay), FALSE);
}

/* "Removed Green Tea", with Undo. */
static void
line_removed_cb (GtkWidget  *summary,
                 const char *name,
                 ShopWindow *self)
{
  AdwToast *toast;

  /* Translators: a toast after a line of the cart was removed; %s is the product. */
  toast = adw_toast_new_format (_("Removed %s"), name);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "app.undo");
  add_toast (self, toast);
}

static void
mount_islands (ShopWindow *self)
{
  GtkWidget *search;
  GtkWidget *summary;

  gtk_box_append (self->badge_slot, shop_cart_badge_new (self->catalogue));

  search = shop_search_new ();
  adw_clamp_set_child (self->search_slot, search);
  gtk_search_bar_connect_entry (self->search_bar, shop_search_get_entry (SHOP_SEARCH (search)));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  gtk_box_append (self->products_box, shop_catalogue_view_new (self->catalogue));

  /* Below the products: free delivery (set up at idle, once the window
   * is up) and recommendations (computed in a worker thread). */
  gtk_box_append (self->products_box, shop_delivery_new (self->catalogue, ISLE_ACTIVATION_IDLE));
  gtk_box_append (self->products_box, shop_recommended_new (self->catalogue, ISLE_ACTIVATION_IDLE));

  /* The cart page: set up the first time it is shown. */
  summary = shop_cart_summary_new (self->catalogue, ISLE_ACTIVATION_VISIBLE);
  g_signal_connect_object (summary, "removed", G_CALLBACK (line_removed_cb), self, 0);
  gtk_box_append (self->cart_box, summary);

  /* The panes of plugins, C or Python (widgets/shop/shop-plugins.c). */
  shop_plugins_mount (shop_plugins_get_default (), SHOP_PLUGIN_PLACEMENT_PRODUCTS, self->products_box);
  shop_plugins_mount (shop_plugins_get_default (), SHOP_PLUGIN_PLACEMENT_CART, self->cart_box);

  /* The library's inspector (the same as Isle's page in GTK Inspector);
   * it observes the engine only while the flap shows it. */
  gtk_box_append (self->inspector_box, isle_inspector_new ());
}

static void
toggle_inspector (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ShopWindow *self = SHOP_WINDOW (widget);
  gboolean reveal = !adw_flap_get_reveal_flap (self->flap);

  if (reveal)
    gtk_widget_set_visible (adw_flap_get_flap (self->flap), TRUE);
  adw_flap_set_reveal_flap (self->flap, reveal);
}

/* A closed flap keeps its child, with the size it had, in the
 * accessibility tree: hide it once it is folded away. */
static void
flap_progress_cb (AdwFlap    *flap,
                  GParamSpec *pspec,
                  ShopWindow *self)
{
  if (!adw_flap_get_reveal_flap (flap) && adw_flap_get_reveal_progress (flap) <= 0.0)
    gtk_widget_set_visible (adw_flap_get_flap (flap), FALSE);
}

static void
show_page (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  ShopWindow *self = SHOP_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->stack, name);
  /* Into the page, so that Tab goes on from there. */
  gtk_widget_child_focus (adw_view_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
search (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  ShopWindow *self = SHOP_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "products");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (adw_clamp_get_child (self->search_slot));
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
  if (self->notice != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->notice), (gpointer *) &self->notice);
  self->notice = NULL;
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
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, products_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, cart_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, inspector_box);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, ShopWindow, search_slot);

  /* The accelerators are the application's (shop-application.c), so that
   * the shortcuts window lists them; Ctrl+Shift+I is left to GTK's own
   * inspector. */
  gtk_widget_class_install_action (widget_class, "win.inspector", NULL, toggle_inspector);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search);
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
  g_signal_connect_object (self->flap, "notify::reveal-progress", G_CALLBACK (flap_progress_cb),
                           self, 0);

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
 * Tells the user something in a toast that stays until dismissed (a notice
 * matters: a cart that could not be read or saved). A new notice replaces
 * the one showing, so "saved again" follows "could not be saved" at once.
 */
void
shop_window_show_notice (ShopWindow *self,
                         const char *message)
{
  AdwToast *toast;
  GtkWidget *label;

  g_return_if_fail (SHOP_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (self->notice != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->notice), (gpointer *) &self->notice);
      adw_toast_dismiss (self->notice);
      self->notice = NULL;
    }

  /* A long message (it may name a file) wraps, where a toast's own title
   * would be cut short. */
  label = gtk_label_new (message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);

  toast = adw_toast_new ("");
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, 0);
  self->notice = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->notice);
  add_toast (self, toast);
}

