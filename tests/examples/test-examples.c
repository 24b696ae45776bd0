/* test-examples.c: the shipped example panes, built in a window and clicked
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "examples.h"

#include "../widgets/widget-test-common.h"

static void
test_add_updates_badge (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *add = example_add_button_new ();
  GtkWidget *badge = example_cart_badge_new ();
  IsleAtom *cart;
  GtkWidget *button;
  GtkWidget *label;

  gtk_box_append (GTK_BOX (box), add);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  button = isle_island_get_child (ISLE_ISLAND (add));
  label = isle_island_get_child (ISLE_ISLAND (badge));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Add");

  cart = ISLE_ATOM (isle_registry_lookup (isle_registry_get_default (), "cart"));
  g_assert_nonnull (cart);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "0") == 0);

  /* As a user would: the button's own activation, through GTK (which
   * shows the button pressed for a moment, then emits “clicked”). */
  gtk_widget_activate (button);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (cart)) == 1);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "1") == 0);

  gtk_widget_activate (button);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (cart)) == 2);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (cart)), ==, 3);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "3") == 0);

  /* Another pane setting the cart is seen too. */
  isle_atom_set_int (cart, 10);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "10") == 0);

  gtk_window_destroy (GTK_WINDOW (window));
  run_pending ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Examples/add-updates-badge", test_add_updates_badge);

  return g_test_run ();
}
