/* bench-islands.c: N islands bound to one atom
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Builds a window with N badge islands (N = 1, 100, 1000), each mirroring
 * one shared atom into its graph and showing it in a label. Measures the
 * time from isle_atom_set() to every label showing the new value, with a
 * synchronous flush of every island's graph (what the frame clock does
 * before a frame), and the resident memory per island. Every update is
 * checked label by label, so a fast but wrong toolkit fails.
 *
 * Prints numbers and comparisons, never verdicts; --quick only checks.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isle.h"

#define N_WARMUPS 2

typedef struct
{
  GtkWidget  *window;
  GtkWidget **islands;
  GtkLabel  **labels;
  int         n;
} Scene;

static IsleAtom *shared_count;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static long
rss_bytes (void)
{
  long pages = 0, resident = 0;
  FILE *file = fopen ("/proc/self/statm", "r");

  if (file == NULL)
    return 0;
  if (fscanf (file, "%ld %ld", &pages, &resident) != 2)
    resident = 0;
  fclose (file);

  return resident * sysconf (_SC_PAGESIZE);
}

static void
fail (const char *message,
      int         expected,
      const char *got)
{
  g_printerr ("bench-islands: FAILED: %s (expected %d, got “%s”)\n", message, expected, got);
  exit (1);
}

static gboolean
int_to_text (const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("%d", g_value_get_int (from)));
  return TRUE;
}

static void
badge_setup_cb (IsleIsland *island,
                gpointer    user_data)
{
  GtkLabel **label_slot = user_data;
  IsleState *count = isle_island_use_atom (island, shared_count);
  GtkWidget *label = gtk_label_new (NULL);

  isle_island_bind_state (island, count, label, "label", int_to_text, NULL, NULL);
  isle_island_set_child (island, label);
  *label_slot = GTK_LABEL (label);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
scene_build (Scene *scene,
             int    n)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  scene->n = n;
  scene->islands = g_new0 (GtkWidget *, n);
  scene->labels = g_new0 (GtkLabel *, n);
  scene->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (scene->window), 300, 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_window_set_child (GTK_WINDOW (scene->window), scrolled);

  for (int i = 0; i < n; i++)
    {
      scene->islands[i] = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, badge_setup_cb,
                                                      &scene->labels[i], NULL);
      gtk_box_append (GTK_BOX (box), scene->islands[i]);
    }

  gtk_window_present (GTK_WINDOW (scene->window));
  iterate ();
}

static void
scene_flush (Scene *scene)
{
  for (int i = 0; i < scene->n; i++)
    isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (scene->islands[i])));
}

static void
scene_check (Scene      *scene,
             int         expected,
             const char *what)
{
  char text[32];

  g_snprintf (text, sizeof text, "%d", expected);
  for (int i = 0; i < scene->n; i++)
    if (g_strcmp0 (gtk_label_get_label (scene->labels[i]), text) != 0)
      fail (what, expected, gtk_label_get_label (scene->labels[i]));
}

static void
scene_destroy (Scene *scene)
{
  gtk_window_destroy (GTK_WINDOW (scene->window));
  iterate ();
  g_free (scene->islands);
  g_free (scene->labels);

  if (isle_store_get_n_listeners (ISLE_STORE (shared_count)) != 0)
    {
      g_printerr ("bench-islands: FAILED: the atom still has %u listeners after the islands went\n",
                  isle_store_get_n_listeners (ISLE_STORE (shared_count)));
      exit (1);
    }
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
run_size (int      n,
          int      reps,
          gboolean quick)
{
  g_autofree double *samples = g_new0 (double, reps);
  long rss_before, rss_after;
  Scene scene = { 0 };
  int value;

  isle_atom_set_int (shared_count, 0);
  iterate ();

  rss_before = rss_bytes ();
  scene_build (&scene, n);
  rss_after = rss_bytes ();
  scene_flush (&scene);
  scene_check (&scene, 0, "labels after the first frame");

  value = 0;
  for (int r = 0; r < reps + N_WARMUPS; r++)
    {
      gint64 t0, t1;

      value++;
      t0 = now_ns ();
      isle_atom_set_int (shared_count, value);
      scene_flush (&scene);
      t1 = now_ns ();
      scene_check (&scene, value, "labels after set + flush");

      if (r >= N_WARMUPS)
        samples[r - N_WARMUPS] = (double) (t1 - t0);

      /* Let GTK draw, as between two real frames. */
      iterate ();
    }

  qsort (samples, reps, sizeof (double), compare_double);

  if (!quick)
    {
      double median = samples[reps / 2];

      printf ("{\"case\":\"islands_%d\",\"unit\":\"ns/update\",\"value\":%.1f}\n", n, median);
      printf ("{\"case\":\"islands_%d_per_island\",\"unit\":\"ns/island\",\"value\":%.1f}\n",
              n, median / n);
      printf ("{\"case\":\"islands_%d_memory\",\"unit\":\"bytes/island\",\"value\":%.0f}\n",
              n, (double) (rss_after - rss_before) / n);
      printf ("# %5d islands: set -> all labels updated %9.3f ms (median of %d), "
              "%6.0f ns per island, %5.1f%% of a 60 Hz frame; RSS %7.0f bytes per island\n",
              n, median / 1e6, reps, median / n, 100.0 * median / (1e9 / 60.0),
              (double) (rss_after - rss_before) / n);
    }

  scene_destroy (&scene);
}

int
main (int   argc,
      char *argv[])
{
  gboolean quick = argc > 1 && g_str_equal (argv[1], "--quick");
  const int sizes[] = { 1, 100, 1000 };

  if (argc > 1 && g_str_equal (argv[1], "--list"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        printf ("islands_%d\n", sizes[i]);
      return 0;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("bench-islands: no display; skipped\n");
      return 77;
    }

  shared_count = isle_atom_new_int ("bench-count", 0);
  isle_store_set_stop_delay (ISLE_STORE (shared_count), 0);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    run_size (quick ? MIN (sizes[i], 10) : sizes[i], quick ? 3 : 15, quick);

  g_object_unref (shared_count);

  if (quick)
    printf ("bench-islands: every check passed\n");

  return 0;
}
