/* shop-format.c: prices for people
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-format.h"

/*
 * shop_format_price:
 * @price: a price in euros
 *
 * Formats @price for the user's locale: its decimal separator and digit
 * grouping (printf's ' flag, from LC_NUMERIC), and the currency sign
 * where the translation puts it.
 *
 * Returns: (transfer full): the price, such as “€4.50” or “4,50 €”
 */
char *
shop_format_price (double price)
{
  g_autofree char *number = g_strdup_printf ("%'.2f", price);

  /* Translators: a price in euros; %s is the number, already formatted
   * for the locale. Put the sign where your language puts it, e.g.
   * "%s €". */
  return g_strdup_printf (_("€%s"), number);
}
