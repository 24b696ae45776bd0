/* isle-island-peer.c: a C island for test_islands.py
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A module test_islands.py loads with ctypes into the Python process: it
 * presents a window titled “Isle C peer” holding a box with one island
 * written in C, a badge that shows the registry atom it is given. Python
 * finds the window among the toplevels and adds its own islands to the
 * box: the islands meet only through the atom.
 */

#include <isle.h>

/* Exported to Python (ctypes); declared here for -Wmissing-prototypes. */
void isle_test_peer_present_badge_window (const char *atom_name);
void isle_test_peer_set_atom             (const char *atom_name,
                                          int         value);

static gboolean
count_to_text (const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  int count = g_value_get_int (from);

  g_value_take_string (to, g_strdup_printf ("%d in cart (C)", count));
  return TRUE;
}

static void
badge_setup_cb (IsleIsland *island,
                gpointer    user_data)
{
  const char *atom_name = user_data;
  IsleStore *atom = isle_registry_lookup (isle_registry_get_default (), atom_name);
  GtkWidget *label = gtk_label_new (NULL);
  IsleState *count;

  g_assert (ISLE_IS_ATOM (atom));
  count = isle_island_use_atom (island, ISLE_ATOM (atom));
  isle_island_bind_state (island, count, label, "label", count_to_text, NULL, NULL);
  gtk_widget_set_name (label, "c-badge-label");
  isle_island_set_child (island, label);
}

/**
 * isle_test_peer_present_badge_window:
 * @atom_name: the name of a registered atom of type “i”
 *
 * Presents the window with the C badge island.
 */
void
isle_test_peer_present_badge_window (const char *atom_name)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *badge;

  badge = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, badge_setup_cb,
                                      g_strdup (atom_name), g_free);
  gtk_widget_set_name (badge, "c-badge");

  gtk_window_set_title (GTK_WINDOW (window), "Isle C peer");
  gtk_box_append (GTK_BOX (box), badge);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

/**
 * isle_test_peer_set_atom:
 * @atom_name: the name of a registered atom of type “i”
 * @value: the new value
 *
 * Sets the atom from C.
 */
void
isle_test_peer_set_atom (const char *atom_name,
                         int         value)
{
  IsleStore *atom = isle_registry_lookup (isle_registry_get_default (), atom_name);

  g_assert (ISLE_IS_ATOM (atom));
  isle_atom_set_int (ISLE_ATOM (atom), value);
}
