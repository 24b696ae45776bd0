/* shop-application.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "shop-application.h"
#include "shop-cart.h"
#include "shop-catalogue.h"
#include "shop-window.h"

/* A failed save of the cart is tried again this often (ms). */
#define SAVE_RETRY_MS 2000

struct _ShopApplication
{
  AdwApplication  parent_instance;

  ShopCatalogue  *catalogue;
  IslePersist    *persist;     /* the cart in its file */
  IsleBusExport  *cart_export; /* the cart on the session bus */
  GSettings      *settings;    /* NULL when the schema is not installed */
  char           *notice;      /* told once, in the first window */
  guint           signal_ids[3];
  gboolean        loading;     /* the saved cart is being read */
  gboolean        activate_pending;
  gboolean        save_failed;
};

G_DEFINE_FINAL_TYPE (ShopApplication, shop_application, ADW_TYPE_APPLICATION)

static void present_window (ShopApplication *self);

/* The shop's window, not the About window nor the shortcuts window. */
static GtkWindow *
main_window (ShopApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SHOP_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* In the window if there is one, else in the first one. */
static void
tell_user (ShopApplication *self,
           const char      *message)
{
  GtkWindow *window = main_window (self);

  if (window != NULL)
    shop_window_show_notice (SHOP_WINDOW (window), message);
  else
    {
      g_free (self->notice);
      self->notice = g_strdup (message);
    }
}

/* Once when saving starts failing, once when it works again. */
static void
save_error_cb (IslePersist     *persist,
               GParamSpec      *pspec,
               ShopApplication *self)
{
  const GError *error = isle_persist_get_error (persist);
  g_autofree char *message = NULL;

  if (error != NULL && !self->save_failed)
    {
      self->save_failed = TRUE;
      /* Translators: %s says why the cart could not be saved. */
      message = g_strdup_printf (_("Your cart could not be saved (%s). It is kept while Isle Shop "
                                   "runs, and saving will be tried again."),
                                 error->message);
      tell_user (self, message);
    }
  else if (error == NULL && self->save_failed)
    {
      self->save_failed = FALSE;
      tell_user (self, _("Your cart is saved again."));
    }
}

/* Another instance (another login sharing the data folder) saved the
 * cart since this one read or wrote it: its lines were merged in. */
static void
cart_merged_cb (IslePersist     *persist,
                GVariant        *theirs,
                ShopApplication *self)
{
  tell_user (self, _("Your cart was also changed by another Isle Shop; its changes were added "
                     "to this one."));
}

static void
cart_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ShopApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!isle_persist_load_finish (ISLE_PERSIST (object), result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("%s", error->message);
      /* Translators: shown once when the saved cart could not be read;
       * %s says why and where the file was moved. */
      message = g_strdup_printf (_("Your saved cart could not be read, so the cart starts empty. %s"),
                                 error->message);
      tell_user (self, message);
    }

  self->loading = FALSE;
  if (self->activate_pending)
    {
      self->activate_pending = FALSE;
      present_window (self);
    }
  g_application_release (G_APPLICATION (self));
}

/* SIGTERM, SIGINT, SIGHUP: quit as Ctrl+Q does, saving the cart. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *self = user_data;
  static const char *developers[] = { "The Isle Developers", NULL };
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (self));
  g_object_set (about,
                "application-name", _("Isle Shop"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("The Isle Developers"),
                "comments", _("A small shop made of widget islands that share a cart"),
                "license-type", GTK_LICENSE_LGPL_2_1,
                "developers", developers,
                /* Translators: put your names here, one per line. */
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
clear_cart_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  shop_cart_clear (shop_cart_get_default ());
}

/* Another window on the same cart: every pane of it an island of its
 * own, in sync with the first window's through the registry's atoms. */
static void
new_window_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ShopApplication *self = SHOP_APPLICATION (user_data);

  if (self->loading)
    return;

  gtk_window_present (GTK_WINDOW (shop_window_new (GTK_APPLICATION (self), self->catalogue)));
}

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  shop_cart_undo (shop_cart_get_default ());
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "clear-cart", clear_cart_activated },
  { "new-window", new_window_activated },
  { "undo", undo_activated },
};

/* "Show Recommendations" in the main menu: a boolean atom of the registry
 * as a stateful action, so the check item sets the atom and shows its
 * value with no glue; the recommendations pane follows the atom. The
 * atom is kept in GSettings when the schema is installed (a program run
 * from its build directory without it simply forgets). */
static void
add_store_actions (ShopApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GAction) action = NULL;
  IsleAtom *show;

  show = isle_registry_ensure_boolean (isle_registry_get_default (), SHOP_SHOW_RECOMMENDATIONS, TRUE);
  g_return_if_fail (show != NULL);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, SHOP_SHOW_RECOMMENDATIONS))
    {
      g_autoptr(GError) error = NULL;

      self->settings = g_settings_new_full (schema, NULL, NULL);
      if (!isle_store_bind_setting (ISLE_STORE (show), self->settings, SHOP_SHOW_RECOMMENDATIONS,
                                    G_SETTINGS_BIND_DEFAULT, &error))
        g_warning ("The recommendations setting is not kept: %s", error->message);
    }

  action = isle_store_create_action (ISLE_STORE (show));
  g_action_map_add_action (G_ACTION_MAP (self), action);
}

static void
shop_application_startup (GApplication *application)
{
  ShopApplication *self = SHOP_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) cart_file = NULL;

  G_APPLICATION_CLASS (shop_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  add_store_actions (self);
  g_object_bind_property (shop_cart_get_default (), "can-undo",
                          g_action_map_lookup_action (G_ACTION_MAP (self), "undo"), "enabled",
                          G_BINDING_SYNC_CREATE);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.undo",
                                         (const char *[]) { "<Control>z", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.clear-cart",
                                         (const char *[]) { "<Control><Shift>Delete", NULL });
  /* Ctrl+Shift+I stays GTK Inspector's. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.inspector",
                                         (const char *[]) { "F12", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::products",
                                         (const char *[]) { "<Alt>1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-page::cart",
                                         (const char *[]) { "<Alt>2", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search",
                                         (const char *[]) { "<Control>f", NULL });

  /* AdwApplication loads style.css, and style-hc.css in high contrast
   * (style-dark.css if there were one), from the resource base path, and
   * follows the system's dark and high-contrast settings through
   * AdwStyleManager. */

  self->catalogue = shop_catalogue_new_from_resource ("/org/isletoolkit/IsleShop/catalogue.ini",
                                                      &error);
  if (self->catalogue == NULL)
    g_error ("The catalogue shipped with Isle Shop is broken: %s", error->message);

  /* The saved cart, read in a worker thread; the window waits for it, so
   * that the first count it shows is the saved one. A corrupt file is
   * moved aside, and the user told. */
  cart_file = g_file_new_build_filename (g_get_user_data_dir (), "isle-shop", "cart.gvariant",
                                         NULL);
  self->persist = shop_cart_persist (shop_cart_get_default (), cart_file);
  isle_persist_set_retry_delay (self->persist, SAVE_RETRY_MS);
  g_signal_connect (self->persist, "notify::error", G_CALLBACK (save_error_cb), self);
  g_signal_connect (self->persist, "merged", G_CALLBACK (cart_merged_cb), self);
  self->loading = TRUE;
  g_application_hold (application);
  isle_persist_load_async (self->persist, NULL, cart_loaded_cb, g_object_ref (self));

  /* The cart on the session bus, for `isle-shop --cart` and other
   * programs (none without a bus: the shop works on alone). */
  if (g_application_get_dbus_connection (application) != NULL)
    {
      g_autoptr(GError) bus_error = NULL;

      self->cart_export = shop_cart_export (shop_cart_get_default (),
                                            g_application_get_dbus_connection (application),
                                            SHOP_CART_BUS_PATH, &bus_error);
      if (self->cart_export == NULL)
        g_warning ("The cart is not shared on the session bus: %s", bus_error->message);
    }

  self->signal_ids[0] = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->signal_ids[1] = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  self->signal_ids[2] = g_unix_signal_add (SIGHUP, quit_signal_cb, self);
}

static void
shop_application_shutdown (GApplication *application)
{
  ShopApplication *self = SHOP_APPLICATION (application);

  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);

  if (self->cart_export != NULL)
    isle_bus_export_unexport (self->cart_export);
  g_clear_object (&self->cart_export);

  /* What the last debounce has not written yet. */
  if (self->persist != NULL && !isle_persist_flush (self->persist, &error))
    g_warning ("Could not save the cart: %s", error->message);

  G_APPLICATION_CLASS (shop_application_parent_class)->shutdown (application);
}

/* ISLE_SHOP_REPORT_STARTUP=1: once the first frame is painted, print
 * when (CLOCK_MONOTONIC, µs) and the resident memory, then quit; for
 * tests/bench/startup.py, which started the clock. */
static void
first_frame_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  GApplication *application = user_data;
  long pages = 0, resident = 0;
  FILE *statm;

  g_signal_handlers_disconnect_by_func (frame_clock, first_frame_cb, user_data);

  statm = fopen ("/proc/self/statm", "r");
  if (statm != NULL)
    {
      if (fscanf (statm, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
      fclose (statm);
    }

  g_print ("{\"first_frame_us\": %" G_GINT64_FORMAT ", \"rss_bytes\": %ld}\n",
           g_get_monotonic_time (), resident * sysconf (_SC_PAGESIZE));
  g_application_quit (application);
}

static void
window_mapped_cb (GtkWidget *window,
                  gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_frame_cb), user_data);
}

static void
present_window (ShopApplication *self)
{
  GtkWindow *window = main_window (self);

  if (window == NULL)
    {
      window = GTK_WINDOW (shop_window_new (GTK_APPLICATION (self), self->catalogue));

      if (self->notice != NULL)
        {
          shop_window_show_notice (SHOP_WINDOW (window), self->notice);
          g_clear_pointer (&self->notice, g_free);
        }

      if (g_getenv ("ISLE_SHOP_REPORT_STARTUP") != NULL)
        g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), self);
    }

  gtk_window_present (window);
}

static void
shop_application_activate (GApplication *application)
{
  ShopApplication *self = SHOP_APPLICATION (application);

  if (self->loading)
    self->activate_pending = TRUE;
  else
    present_window (self);
}

/* Isle Shop opens no files: say so, and open the window as usual (without
 * G_APPLICATION_HANDLES_OPEN, GApplication would print a critical). */
static void
shop_application_open (GApplication  *application,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_file_get_parse_name (files[i]);

      /* Translators: %s is a file given on the command line. */
      g_printerr (_("Isle Shop opens no files; ignoring “%s”.\n"), name);
    }

  g_application_activate (application);
}

static int
shop_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "isle-shop", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
shop_application_finalize (GObject *object)
{
  ShopApplication *self = SHOP_APPLICATION (object);

  g_clear_object (&self->catalogue);
  if (self->persist != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->persist, save_error_cb, self);
      g_signal_handlers_disconnect_by_func (self->persist, cart_merged_cb, self);
    }
  g_clear_object (&self->persist);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (shop_application_parent_class)->finalize (object);
}

static void
shop_application_class_init (ShopApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = shop_application_finalize;

  application_class->startup = shop_application_startup;
  application_class->shutdown = shop_application_shutdown;
  application_class->activate = shop_application_activate;
  application_class->open = shop_application_open;
  application_class->handle_local_options = shop_application_handle_local_options;
}

static void
shop_application_init (ShopApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("— a shop made of islands"));
}

ShopApplication *
shop_application_new (void)
{
  return g_object_new (SHOP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/isletoolkit/IsleShop",
                       NULL);
}
