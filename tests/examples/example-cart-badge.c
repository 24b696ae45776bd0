/* example-cart-badge.c: a badge that shows how many items the cart holds
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "examples.h"

static void
setup (IsleIsland *island,
       gpointer    user_data)
{
  IsleAtom *cart = isle_registry_ensure_int (isle_registry_get_default (), "cart", 0);
  GtkWidget *label = gtk_label_new (NULL);

  isle_island_bind_state_format (island, isle_island_use_atom (island, cart), label, "label", "%d");
  isle_island_set_child (island, label);
}

GtkWidget *
example_cart_badge_new (void)
{
  return isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, setup, NULL, NULL);
}
