/* main.c: Isle Shop
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "isle.h"

/* Until the shop's islands exist, the program shows the signal engine at
 * work: a state, a derived label text and an effect that writes it. */

typedef struct {
  IsleState *count;
  IsleDerived *text;
  GtkLabel *label;
} ShopDemo;

static gboolean
text_cb (IsleDerived  *derived,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  ShopDemo *demo = user_data;
  int count = isle_state_get_int (demo->count);

  g_value_take_string (value,
                       g_strdup_printf (ngettext ("%d item in cart", "%d items in cart", count),
                                        count));
  return TRUE;
}

static gboolean
label_cb (IsleEffect  *effect,
          gpointer     user_data,
          GError     **error)
{
  ShopDemo *demo = user_data;

  gtk_label_set_text (demo->label, isle_derived_get_string (demo->text));
  return TRUE;
}

static void
add_clicked_cb (GtkButton *button,
                ShopDemo  *demo)
{
  isle_state_set_int (demo->count, isle_state_get_int (demo->count) + 1);
}

static void
activate_cb (GtkApplication *app,
             IsleGraph      *graph)
{
  ShopDemo *demo = g_object_get_data (G_OBJECT (graph), "demo");
  GtkWidget *window, *box, *button, *label;

  window = gtk_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (window), _("Isle Shop"));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 200);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  label = gtk_label_new (NULL);
  button = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_window_set_child (GTK_WINDOW (window), box);

  demo->label = GTK_LABEL (label);
  g_signal_connect (button, "clicked", G_CALLBACK (add_clicked_cb), demo);
  isle_effect_new (graph, label_cb, demo, NULL);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(IsleGraph) graph = NULL;
  ShopDemo demo = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  graph = isle_graph_new ();
  demo.count = isle_state_new_int (graph, 0);
  demo.text = isle_derived_new (graph, G_TYPE_STRING, text_cb, &demo, NULL);
  g_object_set_data (G_OBJECT (graph), "demo", &demo);

  app = gtk_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), graph);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
