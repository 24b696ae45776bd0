/* example-add-button.c: an "Add" button that adds one to the shared cart
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "examples.h"

static void
add_one (IsleIsland *island,
         gpointer    user_data)
{
  isle_atom_add_int (isle_registry_ensure_int (isle_registry_get_default (), "cart", 0), 1);
}

static void
setup (IsleIsland *island,
       gpointer    user_data)
{
  GtkWidget *button = gtk_button_new_with_label ("Add");

  isle_island_connect_action (island, button, "clicked", add_one, NULL, NULL);
  isle_island_set_child (island, button);
}

GtkWidget *
example_add_button_new (void)
{
  return isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, setup, NULL, NULL);
}
