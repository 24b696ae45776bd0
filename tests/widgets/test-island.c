/* test-island.c: tests of IsleIsland: activation, phases, setup
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "isle.h"
#include "widget-test-common.h"

/* Helpers {{{ */

static GtkWidget *
present_in_window (GtkWidget *island)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 300, 200);
  gtk_window_set_child (GTK_WINDOW (window), island);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (island));

  return window;
}

/* What a setup function saw. */
typedef struct
{
  guint       n_setup;
  guint       n_destroyed;
  IsleIsland *island;
  IsleState  *count;
  GtkWidget  *label;
  guint       effect_runs;
  int         effect_seen;
} Setup;

static gboolean
setup_effect_cb (IsleEffect  *effect,
                 gpointer     user_data,
                 GError     **error)
{
  Setup *setup = user_data;

  setup->effect_runs++;
  setup->effect_seen = isle_state_get_int (setup->count);

  return TRUE;
}

static void
setup_cb (IsleIsland *island,
          gpointer    user_data)
{
  Setup *setup = user_data;
  IsleGraph *graph = isle_island_get_graph (island);

  g_assert_true (ISLE_IS_ISLAND (island));
  g_assert_nonnull (graph);

  setup->n_setup++;
  setup->island = island;
  setup->count = isle_state_new_int (graph, 1);
  isle_state_set_name (setup->count, "count");
  isle_effect_new (graph, setup_effect_cb, setup, NULL);

  setup->label = gtk_label_new ("content");
  isle_island_set_child (island, setup->label);
}

static void
setup_destroy (gpointer user_data)
{
  Setup *setup = user_data;

  setup->n_destroyed++;
}

/* }}} */

/* A C subclass that overrides setup {{{ */

#define TEST_TYPE_ISLAND (test_island_get_type ())
G_DECLARE_FINAL_TYPE (TestIsland, test_island, TEST, ISLAND, IsleIsland)

struct _TestIsland
{
  IsleIsland  parent_instance;

  guint       n_setup;
  IsleState  *count;
  GtkWidget  *label;
  guint       effect_runs;
  int         effect_seen;
};

G_DEFINE_FINAL_TYPE (TestIsland, test_island, ISLE_TYPE_ISLAND)

static gboolean
test_island_effect_cb (IsleEffect  *effect,
                       gpointer     user_data,
                       GError     **error)
{
  TestIsland *self = user_data;
  char text[32];

  self->effect_runs++;
  self->effect_seen = isle_state_get_int (self->count);
  g_snprintf (text, sizeof text, "%d", self->effect_seen);
  gtk_label_set_label (GTK_LABEL (self->label), text);

  return TRUE;
}

static void
test_island_setup (IsleIsland *island)
{
  TestIsland *self = TEST_ISLAND (island);
  IsleGraph *graph = isle_island_get_graph (island);

  self->n_setup++;
  self->count = isle_state_new_int (graph, 7);
  isle_state_set_name (self->count, "count");
  self->label = gtk_label_new (NULL);
  isle_effect_new (graph, test_island_effect_cb, self, NULL);
  isle_island_set_child (island, self->label);
}

static void
test_island_class_init (TestIslandClass *klass)
{
  IsleIslandClass *island_class = ISLE_ISLAND_CLASS (klass);

  island_class->setup = test_island_setup;
}

static void
test_island_init (TestIsland *self)
{
}

/* }}} */

/* Activation modes {{{ */

static void
test_activation_load (void)
{
  Setup setup = { 0 };
  GtkWidget *island;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, setup_cb, &setup, setup_destroy);
  g_object_ref_sink (island);

  /* Set up inside the constructor. */
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_true (setup.island == ISLE_ISLAND (island));
  g_assert_cmpint (isle_island_get_activation (ISLE_ISLAND (island)), ==, ISLE_ACTIVATION_LOAD);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (isle_island_get_child (ISLE_ISLAND (island)) == setup.label);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);

  /* Activated at once, it never made a placeholder or a fallback: its
   * content is its only child (each default one cost 5.7 KB and a place
   * in every style and layout pass). Asked for, the placeholder is made,
   * hidden. */
  g_assert_true (gtk_widget_get_first_child (island) == setup.label);
  g_assert_null (gtk_widget_get_next_sibling (setup.label));
  g_assert_false (gtk_widget_get_visible (isle_island_get_placeholder (ISLE_ISLAND (island))));
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);
  g_assert_null (isle_island_get_error (ISLE_ISLAND (island)));

  /* Activating again does nothing. */
  isle_island_activate (ISLE_ISLAND (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);

  g_assert_cmpuint (setup.n_destroyed, ==, 0);
  g_assert_finalize_object (island);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

typedef struct
{
  IsleIsland      *island;
  IsleIslandPhase  phase;
  gboolean         ran;
} PhaseProbe;

static gboolean
probe_phase_cb (gpointer user_data)
{
  PhaseProbe *probe = user_data;

  probe->phase = isle_island_get_phase (probe->island);
  probe->ran = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_activation_idle (void)
{
  Setup setup = { 0 };
  PhaseProbe probe = { 0 };
  GtkWidget *island;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_IDLE, setup_cb, &setup, setup_destroy);
  g_object_ref_sink (island);

  /* Not yet: the placeholder shows. */
  g_assert_cmpuint (setup.n_setup, ==, 0);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_WAITING);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == isle_island_get_placeholder (ISLE_ISLAND (island)));
  g_assert_null (isle_island_get_child (ISLE_ISLAND (island)));

  /* At the default idle priority: before a low-priority idle. */
  probe.island = ISLE_ISLAND (island);
  g_idle_add_full (G_PRIORITY_LOW, probe_phase_cb, &probe, NULL);
  RUN_UNTIL (probe.ran);

  g_assert_cmpint (probe.phase, ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);
  g_assert_false (gtk_widget_get_visible (isle_island_get_placeholder (ISLE_ISLAND (island))));

  run_pending ();
  g_assert_cmpuint (setup.n_setup, ==, 1);

  g_assert_finalize_object (island);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

static void
test_activation_idle_destroyed_first (void)
{
  Setup setup = { 0 };
  GtkWidget *island;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_IDLE, setup_cb, &setup, setup_destroy);
  g_object_ref_sink (island);
  g_assert_finalize_object (island);

  /* The idle went with the island. */
  run_pending ();
  g_assert_cmpuint (setup.n_setup, ==, 0);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

static void
test_activation_visible (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  GtkWidget *window;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_VISIBLE, setup_cb, &setup, setup_destroy);
  g_object_add_weak_pointer (G_OBJECT (island), (gpointer *) &island);

  /* In a window that is not shown: no activation, even at idle. */
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), island);
  run_pending ();
  g_assert_false (gtk_widget_get_mapped (island));
  g_assert_cmpuint (setup.n_setup, ==, 0);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_WAITING);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == isle_island_get_placeholder (ISLE_ISLAND (island)));

  /* The first map activates it. */
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);
  g_assert_true (gtk_widget_get_mapped (setup.label));

  /* Hiding and showing again does not set it up twice. */
  gtk_widget_set_visible (window, FALSE);
  g_assert_false (gtk_widget_get_mapped (island));
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);

  destroy_window (window);
  RUN_UNTIL (island == NULL);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

static void
test_activation_when (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  GtkWidget *window;
  guint n_condition_notify = 0;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, setup_destroy);
  g_object_add_weak_pointer (G_OBJECT (island), (gpointer *) &island);
  g_signal_connect (island, "notify::condition", G_CALLBACK (count_notify_cb), &n_condition_notify);

  /* Shown and idle, but the condition does not hold. */
  window = present_in_window (island);
  run_pending ();
  g_assert_false (isle_island_get_condition (ISLE_ISLAND (island)));
  g_assert_cmpuint (setup.n_setup, ==, 0);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_WAITING);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == isle_island_get_placeholder (ISLE_ISLAND (island)));

  /* FALSE again: nothing. */
  isle_island_set_condition (ISLE_ISLAND (island), FALSE);
  g_assert_cmpuint (n_condition_notify, ==, 0);

  /* It holds: activated at once. */
  g_object_set (island, "condition", TRUE, NULL);
  g_assert_cmpuint (n_condition_notify, ==, 1);
  g_assert_true (isle_island_get_condition (ISLE_ISLAND (island)));
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);

  /* Only the first time. */
  isle_island_set_condition (ISLE_ISLAND (island), FALSE);
  isle_island_set_condition (ISLE_ISLAND (island), TRUE);
  g_assert_cmpuint (n_condition_notify, ==, 3);
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  destroy_window (window);
  RUN_UNTIL (island == NULL);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

/* The condition holds for an island that is not in any window. */
static void
test_activation_when_unmapped (void)
{
  Setup setup = { 0 };
  GtkWidget *island;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, setup_destroy);
  g_object_ref_sink (island);
  isle_island_set_condition (ISLE_ISLAND (island), TRUE);
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_finalize_object (island);
}

static void
test_activate_explicitly (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  guint n_phase_notify = 0;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_VISIBLE, setup_cb, &setup, setup_destroy);
  g_object_ref_sink (island);
  g_signal_connect (island, "notify::phase", G_CALLBACK (count_notify_cb), &n_phase_notify);

  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_WAITING);
  isle_island_activate (ISLE_ISLAND (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_cmpuint (n_phase_notify, ==, 1);

  isle_island_activate (ISLE_ISLAND (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpuint (n_phase_notify, ==, 1);

  g_assert_finalize_object (island);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

/* Changing the mode of a waiting island to LOAD activates it. */
static void
test_activation_change (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  guint n_activation_notify = 0;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, NULL);
  g_object_ref_sink (island);
  g_signal_connect (island, "notify::activation", G_CALLBACK (count_notify_cb), &n_activation_notify);

  isle_island_set_activation (ISLE_ISLAND (island), ISLE_ACTIVATION_WHEN);
  g_assert_cmpuint (n_activation_notify, ==, 0);
  g_assert_cmpuint (setup.n_setup, ==, 0);

  g_object_set (island, "activation", ISLE_ACTIVATION_LOAD, NULL);
  g_assert_cmpuint (n_activation_notify, ==, 1);
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  g_assert_finalize_object (island);
}

/* }}} */

/* Phases and what shows {{{ */

static void
test_phase_placeholder (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  GtkWidget *placeholder;
  GtkWidget *early_child;
  IsleIslandPhase phase;
  guint n_placeholder_notify = 0;
  guint n_child_notify = 0;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, NULL);
  g_object_ref_sink (island);
  g_signal_connect (island, "notify::placeholder", G_CALLBACK (count_notify_cb), &n_placeholder_notify);
  g_signal_connect (island, "notify::child", G_CALLBACK (count_notify_cb), &n_child_notify);

  /* A default placeholder exists, and shows. */
  g_assert_nonnull (isle_island_get_placeholder (ISLE_ISLAND (island)));
  g_object_get (island, "phase", &phase, NULL);
  g_assert_cmpint (phase, ==, ISLE_ISLAND_PHASE_WAITING);

  placeholder = gtk_label_new ("Waiting…");
  g_object_set (island, "placeholder", placeholder, NULL);
  g_assert_cmpuint (n_placeholder_notify, ==, 1);
  g_assert_true (isle_island_get_placeholder (ISLE_ISLAND (island)) == placeholder);
  g_assert_true (gtk_widget_get_parent (placeholder) == island);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == placeholder);

  /* Same placeholder: nothing. */
  isle_island_set_placeholder (ISLE_ISLAND (island), placeholder);
  g_assert_cmpuint (n_placeholder_notify, ==, 1);

  /* A child set before activation stays hidden. */
  early_child = g_object_ref_sink (gtk_label_new ("early"));
  isle_island_set_child (ISLE_ISLAND (island), early_child);
  g_assert_cmpuint (n_child_notify, ==, 1);
  g_assert_false (gtk_widget_get_visible (early_child));
  g_assert_true (get_shown (ISLE_ISLAND (island)) == placeholder);

  /* Activation: the setup's child replaces it and shows alone. */
  isle_island_set_condition (ISLE_ISLAND (island), TRUE);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_cmpuint (n_child_notify, ==, 2);
  g_assert_null (gtk_widget_get_parent (early_child));
  g_assert_finalize_object (early_child);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);
  g_assert_false (gtk_widget_get_visible (placeholder));

  /* A new child of an active island shows at once. */
  {
    GtkWidget *late_child = gtk_label_new ("late");
    GtkWidget *child = NULL;

    isle_island_set_child (ISLE_ISLAND (island), late_child);
    g_assert_true (get_shown (ISLE_ISLAND (island)) == late_child);
    g_object_get (island, "child", &child, NULL);
    g_assert_true (child == late_child);
    g_object_unref (child);
  }

  /* No child: nothing shows. */
  isle_island_set_child (ISLE_ISLAND (island), NULL);
  g_assert_null (isle_island_get_child (ISLE_ISLAND (island)));
  g_assert_null (get_shown (ISLE_ISLAND (island)));

  g_assert_finalize_object (island);
}

/* Only the widget of the current phase is visible, in a mapped window. */
static void
test_phase_mapped (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  GtkWidget *window;
  GtkWidget *placeholder = gtk_label_new ("Waiting…");

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, NULL);
  isle_island_set_placeholder (ISLE_ISLAND (island), placeholder);
  window = present_in_window (island);

  g_assert_true (gtk_widget_get_mapped (placeholder));

  isle_island_activate (ISLE_ISLAND (island));
  g_assert_true (gtk_widget_get_mapped (setup.label));
  g_assert_false (gtk_widget_get_mapped (placeholder));
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);

  destroy_window (window);
}

/* }}} */

/* Setup: vfunc, signal, new_with_setup {{{ */

static void
test_setup_vfunc (void)
{
  TestIsland *island;

  island = g_object_new (TEST_TYPE_ISLAND, "activation", ISLE_ACTIVATION_LOAD, NULL);
  g_object_ref_sink (island);

  /* The vfunc ran at construction, once, with the graph ready. */
  g_assert_cmpuint (island->n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (isle_island_get_child (ISLE_ISLAND (island)) == island->label);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == island->label);
  g_assert_true (isle_state_get_graph (island->count) == isle_island_get_graph (ISLE_ISLAND (island)));
  g_assert_cmpuint (isle_graph_get_n_nodes (isle_island_get_graph (ISLE_ISLAND (island))), >=, 2);

  /* Effects run at the next flush, not inside setup; unmapped, the flush
   * is an idle that runs before default-priority idles. */
  g_assert_cmpuint (island->effect_runs, ==, 0);
  g_assert_cmpuint (isle_graph_get_n_pending (isle_island_get_graph (ISLE_ISLAND (island))), ==, 1);
  RUN_UNTIL (island->effect_runs == 1);
  g_assert_cmpint (island->effect_seen, ==, 7);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (island->label)), ==, "7");

  /* Many writes in one turn: one run. */
  for (int i = 0; i < 100; i++)
    isle_state_set_int (island->count, i);
  g_assert_cmpuint (island->effect_runs, ==, 1);
  RUN_UNTIL (island->effect_runs == 2);
  run_pending ();
  g_assert_cmpuint (island->effect_runs, ==, 2);
  g_assert_cmpint (island->effect_seen, ==, 99);

  g_assert_finalize_object (island);
}

/* The flush of an unmapped island is an idle above the default idle
 * priority: it beats a default idle added after the write. */
typedef struct
{
  TestIsland *island;
  guint       runs_seen;
  gboolean    ran;
} FlushProbe;

static gboolean
flush_probe_cb (gpointer user_data)
{
  FlushProbe *probe = user_data;

  probe->runs_seen = probe->island->effect_runs;
  probe->ran = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_setup_vfunc_flush_priority (void)
{
  TestIsland *island;
  FlushProbe probe = { 0 };

  island = g_object_new (TEST_TYPE_ISLAND, "activation", ISLE_ACTIVATION_LOAD, NULL);
  g_object_ref_sink (island);
  probe.island = island;

  g_idle_add (flush_probe_cb, &probe);
  RUN_UNTIL (probe.ran);
  g_assert_cmpuint (probe.runs_seen, ==, 1);

  isle_state_set_int (island->count, 42);
  probe.ran = FALSE;
  g_idle_add (flush_probe_cb, &probe);
  RUN_UNTIL (probe.ran);
  g_assert_cmpuint (probe.runs_seen, ==, 2);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (island->label)), ==, "42");

  g_assert_finalize_object (island);
}

/* A subclass with VISIBLE activation is set up on first map. */
static void
test_setup_vfunc_visible (void)
{
  TestIsland *island;
  GtkWidget *window;

  island = g_object_new (TEST_TYPE_ISLAND, "activation", ISLE_ACTIVATION_VISIBLE, NULL);
  g_object_add_weak_pointer (G_OBJECT (island), (gpointer *) &island);
  g_assert_cmpuint (island->n_setup, ==, 0);

  window = present_in_window (GTK_WIDGET (island));
  g_assert_cmpuint (island->n_setup, ==, 1);
  RUN_UNTIL (island->effect_runs == 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (island->label)), ==, "7");

  destroy_window (window);
  RUN_UNTIL (island == NULL);
}

static void
signal_setup_cb (IsleIsland *island,
                 gpointer    user_data)
{
  Setup *setup = user_data;

  setup_cb (island, setup);
}

static void
test_setup_signal (void)
{
  Setup setup = { 0 };
  GtkWidget *island;

  island = isle_island_new (ISLE_ACTIVATION_VISIBLE);
  g_object_ref_sink (island);
  g_signal_connect (island, "setup", G_CALLBACK (signal_setup_cb), &setup);
  g_assert_cmpuint (setup.n_setup, ==, 0);

  isle_island_activate (ISLE_ISLAND (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);

  RUN_UNTIL (setup.effect_runs == 1);
  g_assert_cmpint (setup.effect_seen, ==, 1);

  g_assert_finalize_object (island);
}

/* With LOAD and isle_island_new(), "setup" already fired on return. */
static void
test_setup_signal_load (void)
{
  Setup setup = { 0 };
  GtkWidget *island;

  island = isle_island_new (ISLE_ACTIVATION_LOAD);
  g_object_ref_sink (island);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  g_signal_connect (island, "setup", G_CALLBACK (signal_setup_cb), &setup);
  isle_island_activate (ISLE_ISLAND (island));
  run_pending ();
  g_assert_cmpuint (setup.n_setup, ==, 0);
  g_assert_null (isle_island_get_child (ISLE_ISLAND (island)));

  g_assert_finalize_object (island);
}

/* The vfunc runs before handlers of "setup" (RUN_FIRST), both once. */
static void
after_vfunc_cb (IsleIsland *island,
                gpointer    user_data)
{
  guint *n_setup_in_vfunc = user_data;

  *n_setup_in_vfunc = TEST_ISLAND (island)->n_setup;
}

static void
test_setup_vfunc_and_signal (void)
{
  TestIsland *island;
  guint n_setup_in_vfunc = G_MAXUINT;

  island = g_object_new (TEST_TYPE_ISLAND, "activation", ISLE_ACTIVATION_WHEN, NULL);
  g_object_ref_sink (island);
  g_signal_connect (island, "setup", G_CALLBACK (after_vfunc_cb), &n_setup_in_vfunc);

  isle_island_set_condition (ISLE_ISLAND (island), TRUE);
  g_assert_cmpuint (island->n_setup, ==, 1);
  g_assert_cmpuint (n_setup_in_vfunc, ==, 1);

  g_assert_finalize_object (island);
}

/* The function of isle_island_new_with_setup () runs once, before the
 * handlers of "setup", and its data lives (and is used by the island's
 * effect) until the island is disposed. */
static void
after_setup_func_cb (IsleIsland *island,
                     gpointer    user_data)
{
  Setup *setup = user_data;

  /* The handler sees what the setup function built. */
  g_assert_cmpuint (setup->n_setup, ==, 1);
  g_assert_nonnull (isle_graph_lookup_state (isle_island_get_graph (island), "count"));
  setup->effect_seen = -1;
}

static void
test_new_with_setup_before_handlers (void)
{
  Setup setup = { 0 };
  GtkWidget *island;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, setup_destroy);
  g_object_ref_sink (island);
  g_signal_connect (island, "setup", G_CALLBACK (after_setup_func_cb), &setup);

  isle_island_set_condition (ISLE_ISLAND (island), TRUE);
  g_assert_cmpuint (setup.n_setup, ==, 1);
  g_assert_cmpint (setup.effect_seen, ==, -1);

  /* Activating again runs nothing twice. */
  isle_island_activate (ISLE_ISLAND (island));
  g_assert_cmpuint (setup.n_setup, ==, 1);

  RUN_UNTIL (setup.effect_runs == 1);
  g_assert_cmpint (setup.effect_seen, ==, 1);
  g_assert_cmpuint (setup.n_destroyed, ==, 0);

  g_object_run_dispose (G_OBJECT (island));
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
  g_assert_finalize_object (island);
  g_assert_cmpuint (setup.n_destroyed, ==, 1);
}

static void
test_new_with_setup_modes (void)
{
  static const IsleActivation modes[] = {
    ISLE_ACTIVATION_LOAD,
    ISLE_ACTIVATION_IDLE,
    ISLE_ACTIVATION_VISIBLE,
    ISLE_ACTIVATION_WHEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      Setup setup = { 0 };
      GtkWidget *island;
      GtkWidget *window = NULL;

      g_test_message ("activation %u", modes[i]);

      island = isle_island_new_with_setup (modes[i], setup_cb, &setup, setup_destroy);
      g_object_add_weak_pointer (G_OBJECT (island), (gpointer *) &island);
      g_assert_cmpint (isle_island_get_activation (ISLE_ISLAND (island)), ==, modes[i]);
      g_assert_cmpuint (setup.n_setup, ==, modes[i] == ISLE_ACTIVATION_LOAD ? 1 : 0);

      switch (modes[i])
        {
        case ISLE_ACTIVATION_LOAD:
          break;

        case ISLE_ACTIVATION_IDLE:
          RUN_UNTIL (setup.n_setup == 1);
          break;

        case ISLE_ACTIVATION_VISIBLE:
          window = present_in_window (island);
          break;

        case ISLE_ACTIVATION_WHEN:
          isle_island_set_condition (ISLE_ISLAND (island), TRUE);
          break;

        default:
          g_assert_not_reached ();
        }

      g_assert_cmpuint (setup.n_setup, ==, 1);
      g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
      g_assert_true (get_shown (ISLE_ISLAND (island)) == setup.label);
      RUN_UNTIL (setup.effect_runs == 1);

      if (window != NULL)
        {
          destroy_window (window);
        }
      else
        {
          g_object_ref_sink (island);
          g_object_unref (island);
        }

      RUN_UNTIL (island == NULL);
      g_assert_cmpuint (setup.n_setup, ==, 1);
      g_assert_cmpuint (setup.n_destroyed, ==, 1);
    }
}

/* }}} */

/* Layout {{{ */

static void
assert_measures_like (GtkWidget *island,
                      GtkWidget *child)
{
  for (int o = GTK_ORIENTATION_HORIZONTAL; o <= GTK_ORIENTATION_VERTICAL; o++)
    {
      const int for_sizes[] = { -1, 80, 400 };

      for (guint i = 0; i < G_N_ELEMENTS (for_sizes); i++)
        {
          int island_min, island_nat, child_min, child_nat;

          gtk_widget_measure (island, o, for_sizes[i], &island_min, &island_nat, NULL, NULL);
          gtk_widget_measure (child, o, for_sizes[i], &child_min, &child_nat, NULL, NULL);
          g_assert_cmpint (island_min, ==, child_min);
          g_assert_cmpint (island_nat, ==, child_nat);
        }
    }
}

/* An island is as big as what it shows: it measures as its shown child
 * (height-for-width included, for a wrapping label), the hidden ones do
 * not count, and the shown child gets the island's whole allocation. */
static void
test_layout_like_child (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *island = isle_island_new (ISLE_ACTIVATION_WHEN);
  GtkWidget *placeholder = gtk_label_new (NULL);
  GtkWidget *child = gtk_label_new ("An island measures as the child it shows, wrapped "
                                    "to the width it is given, and no more.");
  int width, height;

  gtk_widget_set_size_request (placeholder, 333, 222);
  isle_island_set_placeholder (ISLE_ISLAND (island), placeholder);
  gtk_label_set_wrap (GTK_LABEL (child), TRUE);
  isle_island_set_child (ISLE_ISLAND (island), child);

  /* Waiting: the placeholder's size. */
  g_assert_cmpint (gtk_widget_get_request_mode (island), ==, GTK_SIZE_REQUEST_CONSTANT_SIZE);
  gtk_widget_measure (island, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
  gtk_widget_measure (island, GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  g_assert_cmpint (width, ==, 333);
  g_assert_cmpint (height, ==, 222);

  /* Active: the wrapping label's, for every width. */
  isle_island_activate (ISLE_ISLAND (island));
  g_assert_true (get_shown (ISLE_ISLAND (island)) == child);
  g_assert_cmpint (gtk_widget_get_request_mode (island), ==, GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH);
  assert_measures_like (island, child);

  gtk_widget_set_valign (island, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), island);
  gtk_window_set_default_size (GTK_WINDOW (window), 160, 300);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (island) && gtk_widget_get_width (island) > 0);
  run_frames (window, 1);

  g_assert_cmpint (gtk_widget_get_width (child), ==, gtk_widget_get_width (island));
  g_assert_cmpint (gtk_widget_get_height (child), ==, gtk_widget_get_height (island));
  g_assert_cmpint (gtk_widget_get_width (island), >, 0);

  /* A new text is a new size, all the way up. */
  height = gtk_widget_get_height (island);
  gtk_label_set_label (GTK_LABEL (child), "Short.");
  run_frames (window, 1);
  g_assert_cmpint (gtk_widget_get_height (island), <, height);
  g_assert_cmpint (gtk_widget_get_height (child), ==, gtk_widget_get_height (island));
  assert_measures_like (island, child);

  destroy_window (window);
}

/* }}} */

/* The graph {{{ */

static void
test_graph_named_after_widget (void)
{
  Setup setup = { 0 };
  GtkWidget *island;
  IsleGraph *graph;
  IsleGraph *graph_prop = NULL;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup_cb, &setup, NULL);
  g_object_ref_sink (island);

  graph = isle_island_get_graph (ISLE_ISLAND (island));
  g_assert_true (ISLE_IS_GRAPH (graph));
  g_object_get (island, "graph", &graph_prop, NULL);
  g_assert_true (graph_prop == graph);
  g_object_unref (graph_prop);

  gtk_widget_set_name (island, "cart-badge");
  g_assert_cmpstr (isle_graph_get_name (graph), ==, "cart-badge");

  gtk_widget_set_name (island, "catalogue");
  g_assert_cmpstr (isle_graph_get_name (graph), ==, "catalogue");

  /* The graph stays the same through activation; setup's nodes are in it. */
  isle_island_activate (ISLE_ISLAND (island));
  g_assert_true (isle_island_get_graph (ISLE_ISLAND (island)) == graph);
  g_assert_true (isle_state_get_graph (setup.count) == graph);

  /* Disposed with the island, and gone from it. */
  g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);
  g_object_run_dispose (G_OBJECT (island));
  g_assert_null (isle_island_get_graph (ISLE_ISLAND (island)));
  g_assert_null (graph);

  g_assert_finalize_object (island);
}

static void
test_graph_named_at_construction (void)
{
  GtkWidget *island;

  island = g_object_new (ISLE_TYPE_ISLAND,
                         "name", "sidebar",
                         "activation", ISLE_ACTIVATION_WHEN,
                         NULL);
  g_object_ref_sink (island);
  g_assert_cmpstr (isle_graph_get_name (isle_island_get_graph (ISLE_ISLAND (island))), ==, "sidebar");
  g_assert_finalize_object (island);
}

/* }}} */

/* Teardown order when an island goes: the effects its setup made go in
 * creation order, each with its own children first ("child1, child2,
 * parent"), as inside any effect. */
typedef struct
{
  GString *log;
  char     name[16];
  int      level;
} TeardownNode;

static gboolean teardown_node_cb (IsleEffect  *effect,
                                  gpointer     user_data,
                                  GError     **error);

static void
teardown_node_cleanup_cb (gpointer user_data)
{
  TeardownNode *node = user_data;

  g_string_append_printf (node->log, "cleanup:%s;", node->name);
}

static void
teardown_node_new (IsleGraph  *graph,
                   GString    *log,
                   const char *name,
                   int         level)
{
  TeardownNode *node = g_new0 (TeardownNode, 1);

  node->log = log;
  g_strlcpy (node->name, name, sizeof node->name);
  node->level = level;
  isle_effect_new (graph, teardown_node_cb, node, g_free);
}

static gboolean
teardown_node_cb (IsleEffect  *effect,
                  gpointer     user_data,
                  GError     **error)
{
  TeardownNode *node = user_data;

  if (node->level < 2)
    {
      for (int i = 1; i <= 2; i++)
        {
          g_autofree char *child = g_strdup_printf ("%s.%d", node->name, i);

          teardown_node_new (isle_effect_get_graph (effect), node->log, child, node->level + 1);
        }
    }
  isle_effect_add_cleanup (effect, teardown_node_cleanup_cb, node, NULL);

  return TRUE;
}

static void
teardown_setup_cb (IsleIsland *island,
                   gpointer    user_data)
{
  IsleGraph *graph = isle_island_get_graph (island);

  teardown_node_new (graph, user_data, "a", 1);
  teardown_node_new (graph, user_data, "b", 0);
  isle_island_set_child (island, gtk_label_new ("tree"));
}

static void
test_teardown_children_first (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  GtkWidget *island;
  GtkWidget *window;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, teardown_setup_cb, log, NULL);
  window = present_in_window (island);
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (island)));
  g_assert_cmpstr (log->str, ==, "");

  /* a has two children; b has two, and each of those two more. */
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (strlen (log->str) > 0);
  g_assert_cmpstr (log->str, ==,
                   "cleanup:a.1;cleanup:a.2;cleanup:a;"
                   "cleanup:b.1.1;cleanup:b.1.2;cleanup:b.1;"
                   "cleanup:b.2.1;cleanup:b.2.2;cleanup:b.2;"
                   "cleanup:b;");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Island/activation/load", test_activation_load);
  g_test_add_func ("/Isle/Island/activation/idle", test_activation_idle);
  g_test_add_func ("/Isle/Island/activation/idle-destroyed-first", test_activation_idle_destroyed_first);
  g_test_add_func ("/Isle/Island/activation/visible", test_activation_visible);
  g_test_add_func ("/Isle/Island/activation/when", test_activation_when);
  g_test_add_func ("/Isle/Island/activation/when-unmapped", test_activation_when_unmapped);
  g_test_add_func ("/Isle/Island/activation/activate", test_activate_explicitly);
  g_test_add_func ("/Isle/Island/activation/change", test_activation_change);
  g_test_add_func ("/Isle/Island/phase/placeholder", test_phase_placeholder);
  g_test_add_func ("/Isle/Island/phase/mapped", test_phase_mapped);
  g_test_add_func ("/Isle/Island/setup/vfunc", test_setup_vfunc);
  g_test_add_func ("/Isle/Island/setup/vfunc-flush-priority", test_setup_vfunc_flush_priority);
  g_test_add_func ("/Isle/Island/setup/vfunc-visible", test_setup_vfunc_visible);
  g_test_add_func ("/Isle/Island/setup/signal", test_setup_signal);
  g_test_add_func ("/Isle/Island/setup/signal-load", test_setup_signal_load);
  g_test_add_func ("/Isle/Island/setup/vfunc-and-signal", test_setup_vfunc_and_signal);
  g_test_add_func ("/Isle/Island/setup/new-with-setup", test_new_with_setup_modes);
  g_test_add_func ("/Isle/Island/setup/new-with-setup-before-handlers",
                   test_new_with_setup_before_handlers);
  g_test_add_func ("/Isle/Island/layout/like-child", test_layout_like_child);
  g_test_add_func ("/Isle/Island/graph/named-after-widget", test_graph_named_after_widget);
  g_test_add_func ("/Isle/Island/graph/named-at-construction", test_graph_named_at_construction);
  g_test_add_func ("/Isle/Island/teardown/children-first", test_teardown_children_first);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
