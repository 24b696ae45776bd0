/* shop-cart-command.c: `isle-shop --cart`, the running shop's cart from a
 * terminal
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Talks to the running Isle Shop over the session bus, through the
 * org.isletoolkit.Isle.Stores1 interface it exports its cart with (see
 * shop_cart_export ()). A one-shot command with no main loop, so its
 * calls are synchronous; the shop itself never blocks on the bus.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "shop-cart.h"
#include "shop-cart-command.h"
#include "shop-catalogue.h"

static GVariant *
call (GDBusConnection  *bus,
      const char       *method,
      GVariant         *parameters,
      GError          **error)
{
  return g_dbus_connection_call_sync (bus, APP_ID, SHOP_CART_BUS_PATH, ISLE_BUS_INTERFACE,
                                      method, parameters, NULL,
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, error);
}

static int
print_cart (GDBusConnection *bus,
            ShopCatalogue   *catalogue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) cart = NULL;
  GVariantIter iter;
  const char *id;
  GVariant *value;
  guint lines = 0;

  reply = call (bus, "Get", g_variant_new ("(s)", "cart"), &error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      /* Translators: %s says why. */
      g_printerr (_("Could not read the cart of the running Isle Shop: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  g_variant_get (reply, "(v)", &cart);
  g_variant_iter_init (&iter, cart);
  while (g_variant_iter_loop (&iter, "{&sv}", &id, &value))
    {
      ShopProduct *product = shop_catalogue_lookup (catalogue, id);
      int quantity = g_variant_is_of_type (value, G_VARIANT_TYPE_INT32)
                     ? g_variant_get_int32 (value) : 0;

      if (quantity <= 0)
        continue;
      lines++;
      if (product != NULL)
        g_print ("%4d × %s (%s)\n", quantity, shop_product_get_name (product), id);
      else
        /* Translators: a cart line of a product the shop no longer sells. */
        g_print (_("%4d × %s (no longer available)\n"), quantity, id);
    }

  if (lines == 0)
    g_print ("%s\n", _("The cart is empty."));
  else
    g_print (_("Total: %.2f\n"), shop_cart_total_of (cart, catalogue));

  return EXIT_SUCCESS;
}

static int
change_line (GDBusConnection *bus,
             ShopCatalogue   *catalogue,
             const char      *id,
             int              delta,
             gboolean         remove)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) cart = NULL;
  g_autoptr(GVariant) line = NULL;
  int quantity = 0;

  if (shop_catalogue_lookup (catalogue, id) == NULL && !remove)
    {
      g_printerr (_("Isle Shop sells no product “%s”.\n"), id);
      return EXIT_FAILURE;
    }

  reply = call (bus, "Get", g_variant_new ("(s)", "cart"), &error);
  if (reply != NULL)
    {
      g_variant_get (reply, "(v)", &cart);
      line = g_variant_lookup_value (cart, id, G_VARIANT_TYPE_INT32);
      if (line != NULL)
        quantity = MAX (g_variant_get_int32 (line), 0);
      g_clear_pointer (&reply, g_variant_unref);

      quantity = CLAMP ((gint64) quantity + delta, 0, SHOP_CART_MAX_QUANTITY);
      if (remove || quantity == 0)
        reply = call (bus, "RemoveKey", g_variant_new ("(ss)", "cart", id), &error);
      else
        reply = call (bus, "SetKey",
                      g_variant_new ("(ssv)", "cart", id, g_variant_new_int32 (quantity)),
                      &error);
    }

  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      /* Translators: %s says why. */
      g_printerr (_("Could not change the cart of the running Isle Shop: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  return print_cart (bus, catalogue);
}

static void
usage (void)
{
  g_printerr ("%s\n", _("Usage: isle-shop --cart [add PRODUCT [COUNT] | remove PRODUCT]"));
}

/*
 * shop_cart_command_run:
 * @argc: the number of arguments after `--cart`
 * @argv: the arguments after `--cart`
 *
 * Prints the running shop's cart, or changes one line of it first.
 * Returns the exit status.
 */
int
shop_cart_command_run (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(ShopCatalogue) catalogue = NULL;
  g_autoptr(GVariant) owner = NULL;
  gint64 count = 1;
  gboolean running = FALSE;

  catalogue = shop_catalogue_new_from_resource ("/org/isletoolkit/IsleShop/catalogue.ini", &error);
  if (catalogue == NULL)
    g_error ("The catalogue shipped with Isle Shop is broken: %s", error->message);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr (_("No session bus: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (owner != NULL)
    g_variant_get (owner, "(b)", &running);
  if (!running)
    {
      g_printerr ("%s\n", _("Isle Shop is not running."));
      return EXIT_FAILURE;
    }

  if (argc == 0)
    return print_cart (bus, catalogue);

  if (g_str_equal (argv[0], "add") && (argc == 2 || argc == 3))
    {
      if (argc == 3 && (!g_ascii_string_to_signed (argv[2], 10, 1, SHOP_CART_MAX_QUANTITY,
                                                   &count, NULL)))
        {
          g_printerr (_("“%s” is not a count from 1 to %d.\n"), argv[2], SHOP_CART_MAX_QUANTITY);
          return EXIT_FAILURE;
        }
      return change_line (bus, catalogue, argv[1], (int) count, FALSE);
    }

  if (g_str_equal (argv[0], "remove") && argc == 2)
    return change_line (bus, catalogue, argv[1], 0, TRUE);

  usage ();
  return 2;
}
