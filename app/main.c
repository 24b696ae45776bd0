/* main.c: Isle Shop
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "shop-application.h"
#include "shop-cart-command.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ShopApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* meson devenv points this at the build's translations, so that the
   * uninstalled program speaks the user's language too. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ISLE_SHOP_LOCALEDIR") != NULL
                                   ? g_getenv ("ISLE_SHOP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* `isle-shop --cart …`: the running shop's cart, from a terminal. */
  if (argc >= 2 && g_str_equal (argv[1], "--cart"))
    return shop_cart_command_run (argc - 2, argv + 2);

  app = shop_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
