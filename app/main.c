/* main.c: Isle Shop
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "shop-application.h"

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

  app = shop_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
