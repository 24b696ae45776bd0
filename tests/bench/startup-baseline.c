/* startup-baseline.c: the floor under Isle Shop's startup
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A GtkApplication with one window and one label, reporting its first
 * frame and resident memory the way isle-shop does with
 * ISLE_SHOP_REPORT_STARTUP=1: what GTK itself costs on this machine, so
 * that startup.py can say what Isle Shop adds.
 */

#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

static void
first_frame_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  long pages = 0, resident = 0;
  FILE *statm = fopen ("/proc/self/statm", "r");

  g_signal_handlers_disconnect_by_func (frame_clock, first_frame_cb, user_data);
  if (statm != NULL)
    {
      if (fscanf (statm, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
      fclose (statm);
    }

  g_print ("{\"first_frame_us\": %" G_GINT64_FORMAT ", \"rss_bytes\": %ld}\n",
           g_get_monotonic_time (), resident * sysconf (_SC_PAGESIZE));
  g_application_quit (G_APPLICATION (user_data));
}

static void
mapped_cb (GtkWidget *window,
           gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_frame_cb), user_data);
}

static void
activate_cb (GtkApplication *application)
{
  GtkWidget *window = gtk_application_window_new (application);

  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
  g_signal_connect (window, "map", G_CALLBACK (mapped_cb), application);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = gtk_application_new ("org.isletoolkit.StartupBaseline",
                                                               G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
