/* bench-islands.c: N islands bound to one atom, against the same window in plain GTK
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two scenes with N labels in one scrolled box (N = 1, 100, 1000, 10000):
 *
 * - isle: N badge islands, each mirroring one shared atom into its graph
 *   and binding it to its label;
 * - gtk:  the bare-GTK baseline, N labels updated from one notify::count
 *   handler each on one GObject (what a hand-written program does);
 * - gtk-bin: the same, each label in a wrapper widget of its own (a
 *   GtkWidget with a GtkBinLayout, like AdwBin): the floor for anything
 *   that, like an island, is a widget holding the label.
 *
 * Measures one update as a user gets it: the change (isle_atom_set_int()
 * or g_object_set()) and the whole frame that shows it, from the update
 * phase (where the islands flush their graphs) through layout and paint to
 * the frame clock's after-paint. The clock is the main thread's CPU time,
 * so the wait for the frame's turn and other programs on the machine are
 * left out; the two scenes go through the same frame. Also the heap per
 * island or label (malloc's own count: RSS would favour the second scene,
 * which reuses the first one's freed pages). Every update is checked label
 * by label, so a fast but wrong toolkit fails.
 *
 * Prints numbers and comparisons, never verdicts; --quick only checks.
 * scene_update() is a function of its own (the change and its frame) so
 * that
 *   valgrind --tool=callgrind --toggle-collect=scene_update bench-islands --size 1000 --scene isle
 * counts exactly the update.
 */

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isle.h"

#define N_WARMUPS 2

typedef enum
{
  SCENE_ISLE,
  SCENE_GTK,
  SCENE_GTK_BIN,
  N_SCENES
} SceneKind;

typedef struct
{
  SceneKind   kind;
  GtkWidget  *window;
  GtkWidget **islands;
  GtkLabel  **labels;
  int         n;
  GObject    *counter;       /* the GTK scenes' */
  GdkFrameClock *frame_clock;
  gulong         after_paint_id;
  guint          n_painted;     /* frames painted */
  gint64         painted_ns;    /* CPU time at the last after-paint */
} Scene;

/* The bare-GTK side: one GObject with an int property. */

#define BENCH_TYPE_COUNTER (bench_counter_get_type ())
G_DECLARE_FINAL_TYPE (BenchCounter, bench_counter, BENCH, COUNTER, GObject)

struct _BenchCounter
{
  GObject parent_instance;
  int     count;
};

G_DEFINE_FINAL_TYPE (BenchCounter, bench_counter, G_TYPE_OBJECT)

enum { PROP_0, PROP_COUNT, N_PROPS };
static GParamSpec *counter_props[N_PROPS];

static void
bench_counter_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BenchCounter *self = BENCH_COUNTER (object);

  if (prop_id == PROP_COUNT)
    g_value_set_int (value, self->count);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
bench_counter_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BenchCounter *self = BENCH_COUNTER (object);

  if (prop_id == PROP_COUNT)
    {
      int count = g_value_get_int (value);

      if (count != self->count)
        {
          self->count = count;
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
bench_counter_class_init (BenchCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bench_counter_get_property;
  object_class->set_property = bench_counter_set_property;
  counter_props[PROP_COUNT] = g_param_spec_int ("count", NULL, NULL, G_MININT, G_MAXINT, 0,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, counter_props);
}

static void
bench_counter_init (BenchCounter *self)
{
}

/* A wrapper widget with one child, like AdwBin. */
#define BENCH_TYPE_BIN (bench_bin_get_type ())
G_DECLARE_FINAL_TYPE (BenchBin, bench_bin, BENCH, BIN, GtkWidget)

struct _BenchBin
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (BenchBin, bench_bin, GTK_TYPE_WIDGET)

static void
bench_bin_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bench_bin_parent_class)->dispose (object);
}

static void
bench_bin_class_init (BenchBinClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bench_bin_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
bench_bin_init (BenchBin *self)
{
}

static IsleAtom *shared_count;

/* The main thread's CPU time: a frame's work, not the wait for its turn. */
static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static size_t
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static void
fail (const char *message,
      int         expected,
      const char *got)
{
  g_printerr ("bench-islands: FAILED: %s (expected %d, got “%s”)\n", message, expected, got);
  exit (1);
}

/* Both sides format the number the same way. */
static gboolean
int_to_text (const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  char text[16];

  g_snprintf (text, sizeof text, "%d", g_value_get_int (from));
  g_value_set_string (to, text);
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
counter_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  char text[16];

  g_snprintf (text, sizeof text, "%d", BENCH_COUNTER (object)->count);
  gtk_label_set_label (GTK_LABEL (user_data), text);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Scene         *scene)
{
  scene->painted_ns = cpu_ns ();
  scene->n_painted++;
}

/* Runs the main loop until the frame asked for now has been painted. */
static void
scene_wait_frame (Scene *scene)
{
  guint n_painted = scene->n_painted;

  gdk_frame_clock_request_phase (scene->frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
  while (scene->n_painted == n_painted)
    g_main_context_iteration (NULL, TRUE);
}

static void
scene_build (Scene     *scene,
             SceneKind  kind,
             int        n)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  scene->kind = kind;
  scene->n = n;
  scene->islands = g_new0 (GtkWidget *, n);
  scene->labels = g_new0 (GtkLabel *, n);
  if (kind != SCENE_ISLE)
    scene->counter = g_object_new (BENCH_TYPE_COUNTER, NULL);
  scene->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (scene->window), 300, 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_window_set_child (GTK_WINDOW (scene->window), scrolled);

  for (int i = 0; i < n; i++)
    {
      if (kind == SCENE_ISLE)
        {
          scene->islands[i] = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, badge_setup_cb,
                                                          &scene->labels[i], NULL);
          gtk_box_append (GTK_BOX (box), scene->islands[i]);
        }
      else
        {
          char text[16];
          GtkWidget *label;

          g_snprintf (text, sizeof text, "%d", BENCH_COUNTER (scene->counter)->count);
          label = gtk_label_new (text);
          scene->labels[i] = GTK_LABEL (label);
          g_signal_connect_object (scene->counter, "notify::count",
                                   G_CALLBACK (counter_notify_cb), label, 0);
          if (kind == SCENE_GTK_BIN)
            {
              GtkWidget *bin = g_object_new (BENCH_TYPE_BIN, NULL);

              gtk_widget_set_parent (label, bin);
              label = bin;
            }
          gtk_box_append (GTK_BOX (box), label);
        }
    }

  gtk_window_present (GTK_WINDOW (scene->window));
  iterate ();

  scene->frame_clock = gtk_widget_get_frame_clock (scene->window);
  if (scene->frame_clock == NULL)
    {
      g_printerr ("bench-islands: FAILED: the window has no frame clock\n");
      exit (1);
    }
  g_object_ref (scene->frame_clock);
  scene->after_paint_id = g_signal_connect (scene->frame_clock, "after-paint",
                                            G_CALLBACK (after_paint_cb), scene);
}

/* The measured work: the change, and the frame that shows it (for Isle,
 * the islands flush their graphs in its update phase). */
static G_GNUC_NO_INLINE void
scene_update (Scene *scene,
              int    value)
{
  if (scene->kind == SCENE_ISLE)
    isle_atom_set_int (shared_count, value);
  else
    g_object_set (scene->counter, "count", value, NULL);
  scene_wait_frame (scene);
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
  g_clear_signal_handler (&scene->after_paint_id, scene->frame_clock);
  g_clear_object (&scene->frame_clock);
  gtk_window_destroy (GTK_WINDOW (scene->window));
  iterate ();
  g_clear_pointer (&scene->islands, g_free);
  g_clear_pointer (&scene->labels, g_free);

  /* Nothing of the scene may stay connected. */
  if (scene->counter != NULL &&
      g_signal_has_handler_pending (scene->counter, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                    g_quark_from_static_string ("count"), FALSE))
    {
      g_printerr ("bench-islands: FAILED: notify::count handlers left after the labels went\n");
      exit (1);
    }
  g_clear_object (&scene->counter);
  if (scene->kind == SCENE_ISLE && isle_store_get_n_listeners (ISLE_STORE (shared_count)) != 0)
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

typedef struct
{
  double update_ns;  /* median */
  double heap_per_item;
} Result;

/* Runs the scenes whose @ran is set, side by side: each built (and its
 * heap counted) in turn, from @first on, then updated in alternation, each
 * round starting with the next one, so that a burst of load on the machine
 * or a cache another scene warmed hits all alike. */
static void
run_scenes (const gboolean ran[N_SCENES],
            int            first,
            int            n,
            int            reps,
            Result         results[N_SCENES])
{
  double *samples[N_SCENES];
  Scene scenes[N_SCENES] = { { 0 } };
  int value = 0;

  isle_atom_set_int (shared_count, 0);
  iterate ();

  for (int k = 0; k < N_SCENES; k++)
    {
      SceneKind kind = (SceneKind) ((first + k) % N_SCENES);
      size_t heap_before, heap_after;

      samples[kind] = g_new0 (double, reps);
      if (!ran[kind])
        continue;

      heap_before = heap_bytes ();
      scene_build (&scenes[kind], kind, n);
      scene_wait_frame (&scenes[kind]);
      heap_after = heap_bytes ();
      scene_check (&scenes[kind], 0, "labels after the first frame");
      results[kind].heap_per_item = heap_after > heap_before ?
                                    (double) (heap_after - heap_before) / n : 0;
    }

  for (int r = 0; r < reps + N_WARMUPS; r++)
    for (int k = 0; k < N_SCENES; k++)
      {
        SceneKind kind = (SceneKind) ((r + k) % N_SCENES);
        Scene *scene = &scenes[kind];
        gint64 t0;

        if (!ran[kind])
          continue;

        /* Whatever the last frame left for the main loop goes first. */
        iterate ();

        value++;
        t0 = cpu_ns ();
        scene_update (scene, value);
        scene_check (scene, value, "labels after the change and its frame");

        if (r >= N_WARMUPS)
          samples[kind][r - N_WARMUPS] = (double) (scene->painted_ns - t0);
      }

  for (int kind = 0; kind < N_SCENES; kind++)
    {
      if (ran[kind])
        {
          scene_destroy (&scenes[kind]);
          qsort (samples[kind], reps, sizeof (double), compare_double);
          results[kind].update_ns = samples[kind][reps / 2];
        }
      g_free (samples[kind]);
    }
}

static void
print_result (const char *prefix,
              const char *unit_item,
              int         n,
              Result      result)
{
  printf ("{\"case\":\"%s_%d\",\"unit\":\"ns/update\",\"value\":%.1f}\n",
          prefix, n, result.update_ns);
  printf ("{\"case\":\"%s_%d_per_%s\",\"unit\":\"ns/%s\",\"value\":%.1f}\n",
          prefix, n, unit_item, unit_item, result.update_ns / n);
  printf ("{\"case\":\"%s_%d_memory\",\"unit\":\"bytes/%s\",\"value\":%.0f}\n",
          prefix, n, unit_item, result.heap_per_item);
}

int
main (int   argc,
      char *argv[])
{
  const int sizes[] = { 1, 100, 1000, 10000 };
  gboolean quick = FALSE;
  int only_size = 0;
  int only_scene = -1;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--quick"))
        quick = TRUE;
      else if (g_str_equal (argv[i], "--list"))
        {
          for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
            printf ("islands_%d\ngtk_labels_%d\ngtk_bin_labels_%d\n", sizes[s], sizes[s], sizes[s]);
          return 0;
        }
      else if (g_str_equal (argv[i], "--size") && i + 1 < argc)
        only_size = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--scene") && i + 1 < argc)
        {
          i++;
          only_scene = g_str_equal (argv[i], "isle") ? SCENE_ISLE :
                       g_str_equal (argv[i], "gtk") ? SCENE_GTK :
                       g_str_equal (argv[i], "gtk-bin") ? SCENE_GTK_BIN : -2;
          if (only_scene == -2)
            {
              g_printerr ("bench-islands: --scene takes isle, gtk or gtk-bin\n");
              return 2;
            }
        }
      else
        {
          g_printerr ("usage: bench-islands [--quick] [--list] [--size N] [--scene isle|gtk|gtk-bin]\n");
          return 2;
        }
    }

  if (!gtk_init_check ())
    {
      g_printerr ("bench-islands: no display; skipped\n");
      return 77;
    }

  shared_count = isle_atom_new_int ("bench-count", 0);
  isle_store_set_stop_delay (ISLE_STORE (shared_count), 0);

  /* Warm up: the first window pays for GTK's and Isle's one-time set-up
   * (themes, type classes, the frame clock), which is no island's cost. */
  {
    const gboolean all[N_SCENES] = { TRUE, TRUE, TRUE };
    Result ignored[N_SCENES] = { { 0 } };

    run_scenes (all, SCENE_ISLE, 10, 3, ignored);
  }

  if (!quick)
    printf ("#  islands | Isle: per update  per item  %% frame | GTK: per update  per item  %% frame "
            "| GTK+bin: per update | Isle/GTK | Isle/GTK+bin | heap per island / label / bin+label\n");

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int n = quick ? MIN (sizes[s], 10) : sizes[s];
      int reps = quick ? 3 : n >= 10000 ? 11 : 21;
      Result results[N_SCENES] = { { 0 } };
      gboolean ran[N_SCENES] = { FALSE };

      if (only_size != 0 && sizes[s] != only_size)
        continue;

      for (int kind = 0; kind < N_SCENES; kind++)
        ran[kind] = only_scene < 0 || only_scene == kind;

      /* Change which scene is built first, so none always gets the
       * others' freed pages. */
      run_scenes (ran, s % N_SCENES, n, reps, results);

      if (quick)
        continue;

      if (ran[SCENE_ISLE])
        print_result ("islands", "island", n, results[SCENE_ISLE]);
      if (ran[SCENE_GTK])
        print_result ("gtk_labels", "label", n, results[SCENE_GTK]);
      if (ran[SCENE_GTK_BIN])
        print_result ("gtk_bin_labels", "label", n, results[SCENE_GTK_BIN]);

      printf ("# %7d |", n);
      for (int kind = SCENE_ISLE; kind <= SCENE_GTK; kind++)
        {
          if (ran[kind])
            printf (" %10.3f ms %7.0f ns %7.1f %% |", results[kind].update_ns / 1e6,
                    results[kind].update_ns / n, 100.0 * results[kind].update_ns / (1e9 / 60.0));
          else
            printf (" %10s    %7s    %7s   |", "-", "-", "-");
        }
      if (ran[SCENE_GTK_BIN])
        printf (" %16.3f ms |", results[SCENE_GTK_BIN].update_ns / 1e6);
      else
        printf (" %19s |", "-");
      if (ran[SCENE_ISLE] && ran[SCENE_GTK])
        printf (" %7.2fx |", results[SCENE_ISLE].update_ns / results[SCENE_GTK].update_ns);
      else
        printf (" %8s |", "-");
      if (ran[SCENE_ISLE] && ran[SCENE_GTK_BIN])
        printf (" %11.2fx |", results[SCENE_ISLE].update_ns / results[SCENE_GTK_BIN].update_ns);
      else
        printf (" %12s |", "-");
      printf (" %6.0f B / %6.0f B / %6.0f B\n", results[SCENE_ISLE].heap_per_item,
              results[SCENE_GTK].heap_per_item, results[SCENE_GTK_BIN].heap_per_item);
    }

  g_object_unref (shared_count);

  if (quick)
    printf ("bench-islands: every check passed\n");

  return 0;
}
