/* test-island-errors.c: isolation, error boundaries and disposal of islands
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "isle.h"
#include "widget-test-common.h"

/* Helpers {{{ */

static gboolean
int_to_text (const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("%d", g_value_get_int (from)));

  return TRUE;
}

static void
count_destroy (gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* }}} */

/* Isolation {{{ */

/* Island “alpha” owns a state; island “beta” has an effect that misuses
 * it. The islands are named before they activate. */
typedef struct
{
  IsleState  *count;
  guint       alpha_runs;
  guint       beta_runs;
  gboolean    beta_writes;
  int         beta_seen;
} Pair;

static gboolean
alpha_effect_cb (IsleEffect  *effect,
                 gpointer     user_data,
                 GError     **error)
{
  Pair *pair = user_data;

  pair->alpha_runs++;
  (void) isle_state_get_int (pair->count);

  return TRUE;
}

static void
alpha_setup_cb (IsleIsland *island,
                gpointer    user_data)
{
  Pair *pair = user_data;
  IsleGraph *graph = isle_island_get_graph (island);

  pair->count = isle_state_new_int (graph, 1);
  isle_state_set_name (pair->count, "count");
  isle_effect_new (graph, alpha_effect_cb, pair, NULL);
}

static gboolean
beta_effect_cb (IsleEffect  *effect,
                gpointer     user_data,
                GError     **error)
{
  Pair *pair = user_data;

  pair->beta_runs++;

  if (pair->beta_writes)
    isle_state_set_int (pair->count, 2);
  else
    pair->beta_seen = isle_state_get_int (pair->count);

  return TRUE;
}

static void
beta_setup_cb (IsleIsland *island,
               gpointer    user_data)
{
  Pair *pair = user_data;
  IsleEffect *effect;

  effect = isle_effect_new (isle_island_get_graph (island), beta_effect_cb, pair, NULL);
  isle_effect_set_name (effect, "misuse");
}

static GtkWidget *
named_island (const char          *name,
              IsleIslandSetupFunc  setup,
              gpointer             user_data)
{
  GtkWidget *island;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, setup, user_data, NULL));
  gtk_widget_set_name (island, name);
  isle_island_set_condition (ISLE_ISLAND (island), TRUE);

  return island;
}

static void
test_isolation_write (void)
{
  Pair pair = { .beta_writes = TRUE };
  GtkWidget *alpha;
  GtkWidget *beta;

  alpha = named_island ("alpha", alpha_setup_cb, &pair);
  beta = named_island ("beta", beta_setup_cb, &pair);
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (alpha)));
  g_assert_cmpuint (pair.alpha_runs, ==, 1);

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL,
                         "*state “count” in graph “alpha” was written from "
                         "effect “misuse” in graph “beta”*");
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (beta)));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (pair.beta_runs, ==, 1);

  /* Nothing changed. */
  g_assert_cmpint (isle_state_get_int (pair.count), ==, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (isle_island_get_graph (ISLE_ISLAND (alpha))), ==, 0);
  run_for (20);
  g_assert_cmpuint (pair.alpha_runs, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (alpha)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  g_assert_finalize_object (beta);
  g_assert_finalize_object (alpha);
}

static void
test_isolation_read (void)
{
  Pair pair = { .beta_writes = FALSE };
  GtkWidget *alpha;
  GtkWidget *beta;

  alpha = named_island ("alpha", alpha_setup_cb, &pair);
  beta = named_island ("beta", beta_setup_cb, &pair);
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (alpha)));

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL,
                         "*state “count” in graph “alpha” was read from "
                         "effect “misuse” in graph “beta”*");
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (beta)));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (pair.beta_runs, ==, 1);
  g_assert_cmpint (pair.beta_seen, ==, 1);

  /* The read subscribed to nothing: a change of the state does not rerun
   * beta's effect. */
  isle_state_set_int (pair.count, 5);
  g_assert_cmpuint (isle_graph_get_n_pending (isle_island_get_graph (ISLE_ISLAND (beta))), ==, 0);
  run_for (20);
  g_assert_cmpuint (pair.alpha_runs, ==, 2);
  g_assert_cmpuint (pair.beta_runs, ==, 1);

  g_assert_finalize_object (beta);
  g_assert_finalize_object (alpha);
}

/* }}} */

/* Error boundary {{{ */

/* A pane that mirrors the shared atom into a label; “fragile” panes have
 * an effect that fails once the count reaches 2. */
typedef struct
{
  IsleAtom   *atom;
  gboolean    fragile;
  IsleState  *count;
  GtkWidget  *label;
  guint       fragile_runs;
} Pane;

static gboolean
fragile_cb (IsleEffect  *effect,
            gpointer     user_data,
            GError     **error)
{
  Pane *pane = user_data;

  pane->fragile_runs++;

  if (isle_state_get_int (pane->count) >= 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
      return FALSE;
    }

  return TRUE;
}

static void
pane_setup_cb (IsleIsland *island,
               gpointer    user_data)
{
  Pane *pane = user_data;

  pane->count = isle_island_use_atom (island, pane->atom);
  pane->label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (pane->label), 10);
  isle_island_bind_state (island, pane->count, pane->label, "label", int_to_text, NULL, NULL);

  if (pane->fragile)
    {
      IsleEffect *effect = isle_effect_new (isle_island_get_graph (island), fragile_cb, pane, NULL);

      isle_effect_set_name (effect, "fragile");
    }

  isle_island_set_child (island, pane->label);
}

static GtkWidget *
pane_island (const char *name,
             Pane       *pane)
{
  GtkWidget *island;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_WHEN, pane_setup_cb, pane, NULL);
  gtk_widget_set_name (island, name);
  isle_island_set_condition (ISLE_ISLAND (island), TRUE);

  return island;
}

static void
test_boundary (void)
{
  IsleAtom *atom = isle_atom_new_int ("boundary", 0);
  Pane alpha_pane = { .atom = atom, .fragile = TRUE };
  Pane beta_pane = { .atom = atom };
  GtkWidget *alpha;
  GtkWidget *beta;
  GtkWidget *box;
  GtkWidget *window;
  GtkWidget *shown;
  guint n_phase_notify = 0;

  alpha = pane_island ("alpha", &alpha_pane);
  beta = pane_island ("beta", &beta_pane);
  g_object_add_weak_pointer (G_OBJECT (alpha), (gpointer *) &alpha);
  g_object_add_weak_pointer (G_OBJECT (beta), (gpointer *) &beta);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_box_append (GTK_BOX (box), alpha);
  gtk_box_append (GTK_BOX (box), beta);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 100);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (alpha) && gtk_widget_get_mapped (beta));

  isle_atom_set_int (atom, 1);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (alpha_pane.label)), "1") == 0 &&
             g_strcmp0 (gtk_label_get_label (GTK_LABEL (beta_pane.label)), "1") == 0);
  g_signal_connect (alpha, "notify::phase", G_CALLBACK (count_notify_cb), &n_phase_notify);

  /* The effect of alpha fails: reported once, naming the effect and its
   * island. */
  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING,
                         "*effect “fragile” in graph “alpha” failed: boom*");
  isle_atom_set_int (atom, 2);
  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (alpha)) == ISLE_ISLAND_PHASE_FAILED);
  run_frames (window, 1);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (n_phase_notify, ==, 1);

  /* Only alpha failed; its error label shows the message, alone. */
  shown = get_shown (ISLE_ISLAND (alpha));
  g_assert_true (GTK_IS_LABEL (shown));
  g_assert_true (shown != alpha_pane.label);
  g_assert_true (gtk_widget_get_mapped (shown));
  g_assert_false (gtk_widget_get_visible (alpha_pane.label));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (shown)),
                                   "This part of the window stopped working: "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (shown)), "boom"));
  g_assert_nonnull (isle_island_get_error (ISLE_ISLAND (alpha)));
  g_assert_nonnull (strstr (isle_island_get_error (ISLE_ISLAND (alpha))->message, "boom"));

  /* The sibling goes on. */
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (beta)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_null (isle_island_get_error (ISLE_ISLAND (beta)));
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (beta_pane.label)), "2") == 0);
  g_assert_true (get_shown (ISLE_ISLAND (beta)) == beta_pane.label);

  /* And keeps going; alpha is not reported again. */
  isle_atom_set_int (atom, 3);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (beta_pane.label)), "3") == 0);
  isle_atom_set_int (atom, 4);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (beta_pane.label)), "4") == 0);
  run_frames (window, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (alpha)), ==, ISLE_ISLAND_PHASE_FAILED);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (beta)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (window == NULL && alpha == NULL && beta == NULL);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_object_unref (atom);
}

/* A failing derived, read by an effect, fails its island too. */
typedef struct
{
  IsleState   *input;
  IsleDerived *checked;
  GtkWidget   *label;
} Checked;

static gboolean
checked_cb (IsleDerived  *derived,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  Checked *checked = user_data;
  int input = isle_state_get_int (checked->input);

  if (input < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "negative: %d", input);
      return FALSE;
    }

  g_value_set_int (value, input);

  return TRUE;
}

static void
checked_setup_cb (IsleIsland *island,
                  gpointer    user_data)
{
  Checked *checked = user_data;
  IsleGraph *graph = isle_island_get_graph (island);

  checked->input = isle_state_new_int (graph, 1);
  checked->checked = isle_derived_new (graph, G_TYPE_INT, checked_cb, checked, NULL);
  isle_derived_set_name (checked->checked, "checked");
  checked->label = gtk_label_new (NULL);
  isle_island_bind_derived (island, checked->checked, checked->label, "label", int_to_text, NULL, NULL);
  isle_island_set_child (island, checked->label);
}

static void
test_boundary_derived (void)
{
  Checked checked = { 0 };
  GtkWidget *island;
  IsleGraph *graph;
  GtkWidget *shown;

  island = named_island ("checker", checked_setup_cb, &checked);
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  isle_graph_flush (graph);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (checked.label)), ==, "1");

  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING,
                         "*derived “checked” in graph “checker” failed: negative: -3*");
  isle_state_set_int (checked.input, -3);
  isle_graph_flush (graph);
  g_test_assert_expected_messages ();

  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_FAILED);
  shown = get_shown (ISLE_ISLAND (island));
  g_assert_true (GTK_IS_LABEL (shown) && shown != checked.label);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (shown)), "negative: -3"));
  /* The derived kept its last good value. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (checked.label)), ==, "1");

  g_assert_finalize_object (island);
}

/* A failure inside setup (a derived read there) fails the island at once. */
static void
failing_setup_cb (IsleIsland *island,
                  gpointer    user_data)
{
  Checked *checked = user_data;
  IsleGraph *graph = isle_island_get_graph (island);

  checked->input = isle_state_new_int (graph, -1);
  checked->checked = isle_derived_new (graph, G_TYPE_INT, checked_cb, checked, NULL);
  isle_derived_set_name (checked->checked, "checked");
  checked->label = gtk_label_new ("content");
  isle_island_set_child (island, checked->label);
  (void) isle_derived_get_int (checked->checked);
}

static void
test_boundary_setup (void)
{
  Checked checked = { 0 };
  GtkWidget *island;
  GtkWidget *shown;

  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING,
                         "*derived “checked” in graph “setup-fails” failed: negative: -1*");
  island = named_island ("setup-fails", failing_setup_cb, &checked);
  g_test_assert_expected_messages ();

  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_FAILED);
  shown = get_shown (ISLE_ISLAND (island));
  g_assert_true (GTK_IS_LABEL (shown) && shown != checked.label);
  g_assert_false (gtk_widget_get_visible (checked.label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (shown)), "negative: -1"));

  g_assert_finalize_object (island);
}

/* A binding whose value cannot be turned into the property's type. */
static void
bad_binding_setup_cb (IsleIsland *island,
                      gpointer    user_data)
{
  IsleState *text = isle_state_new_string (isle_island_get_graph (island), "yes");
  GtkWidget *label = gtk_label_new (NULL);

  isle_island_bind_state (island, text, label, "sensitive", NULL, NULL, NULL);
  isle_island_set_child (island, label);
}

static void
test_boundary_binding_type (void)
{
  GtkWidget *island;

  island = named_island ("binder", bad_binding_setup_cb, NULL);
  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING,
                         "*graph “binder” failed: cannot turn a gchararray into the gboolean "
                         "of property “sensitive”*");
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (island)));
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_FAILED);

  g_assert_finalize_object (island);
}

/* }}} */

/* Disposal {{{ */

typedef struct
{
  IsleAtom   *atom;
  IsleState  *count;
  IsleState  *count_again;
  GtkWidget  *button;
  GtkWidget  *label;
  guint       effect_runs;
  guint       n_effect_destroyed;
  guint       n_action_destroyed;
  guint       n_transform_destroyed;
  guint       n_actions;
} Doomed;

static gboolean
doomed_effect_cb (IsleEffect  *effect,
                  gpointer     user_data,
                  GError     **error)
{
  Doomed *doomed = user_data;

  doomed->effect_runs++;
  (void) isle_state_get_int (doomed->count);
  (void) isle_state_get_int (doomed->count_again);

  return TRUE;
}

static void
doomed_action_cb (IsleIsland *island,
                  gpointer    user_data)
{
  Doomed *doomed = user_data;

  doomed->n_actions++;
  isle_state_set_int (doomed->count, isle_state_get_int (doomed->count) + 1);
}

static gboolean
doomed_transform (const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  return int_to_text (from, to, user_data);
}

/* The effect's destroy notify gets the Doomed: count in it. */
static void
doomed_effect_destroy (gpointer user_data)
{
  Doomed *doomed = user_data;

  doomed->n_effect_destroyed++;
}

static void
doomed_setup_cb (IsleIsland *island,
                       gpointer    user_data)
{
  Doomed *doomed = user_data;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  doomed->count = isle_island_use_atom (island, doomed->atom);
  doomed->count_again = isle_island_use_atom (island, doomed->atom);
  isle_effect_new (isle_island_get_graph (island), doomed_effect_cb, doomed, doomed_effect_destroy);

  doomed->button = gtk_button_new_with_label ("+1");
  doomed->label = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (box), doomed->button);
  gtk_box_append (GTK_BOX (box), doomed->label);
  isle_island_connect_action (island, doomed->button, "clicked", doomed_action_cb, doomed, NULL);
  isle_island_bind_state (island, doomed->count, doomed->label, "label",
                          doomed_transform, &doomed->n_transform_destroyed, count_destroy);
  isle_island_set_child (island, box);
}

static void
test_disposal_window (void)
{
  IsleAtom *atom = isle_atom_new_int ("doomed", 0);
  Doomed doomed = { .atom = atom };
  GtkWidget *island;
  GtkWidget *window;
  IsleGraph *graph;
  guint runs;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_VISIBLE, doomed_setup_cb, &doomed, NULL);
  gtk_widget_set_name (island, "doomed");
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  g_object_add_weak_pointer (G_OBJECT (island), (gpointer *) &island);
  g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);

  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), island);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (island));
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 2);
  RUN_UNTIL (doomed.effect_runs == 1);

  isle_atom_set_int (atom, 1);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (doomed.label)), "1") == 0);
  runs = doomed.effect_runs;

  /* A change is pending (a frame is requested) when the window goes. */
  isle_atom_set_int (atom, 2);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), >, 0);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (window == NULL && island == NULL && graph == NULL);

  /* Every subscription and every callback's data went with it. */
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_assert_cmpuint (doomed.n_effect_destroyed, ==, 1);
  g_assert_cmpuint (doomed.n_transform_destroyed, ==, 1);
  g_assert_cmpuint (doomed.effect_runs, ==, runs);

  /* Nothing reaches the freed island. */
  isle_atom_set_int (atom, 3);
  isle_atom_set_int (atom, 4);
  run_for (50);
  g_assert_cmpuint (doomed.effect_runs, ==, runs);

  g_object_unref (atom);
}

/* Removing one island from a live window. */
static void
test_disposal_remove (void)
{
  IsleAtom *atom = isle_atom_new_int ("removed", 0);
  Doomed doomed = { .atom = atom };
  Pane pane = { .atom = atom };
  GtkWidget *island;
  GtkWidget *sibling;
  GtkWidget *box;
  GtkWidget *window;
  GtkWidget *button;
  IsleGraph *graph;
  guint runs;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, doomed_setup_cb, &doomed, NULL);
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  g_object_add_weak_pointer (G_OBJECT (island), (gpointer *) &island);
  g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);
  sibling = pane_island ("sibling", &pane);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_append (GTK_BOX (box), island);
  gtk_box_append (GTK_BOX (box), sibling);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (island));
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 3);
  RUN_UNTIL (doomed.effect_runs == 1);

  /* Keep the button alive past the island: its action must be gone. */
  button = g_object_ref (doomed.button);
  isle_atom_set_int (atom, 1);

  /* (Until it is finalized the island may still flush what is pending.) */
  gtk_box_remove (GTK_BOX (box), island);
  RUN_UNTIL (island == NULL && graph == NULL);
  runs = doomed.effect_runs;
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);
  g_assert_cmpuint (doomed.n_effect_destroyed, ==, 1);

  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (doomed.n_actions, ==, 0);
  g_assert_finalize_object (button);

  /* The sibling still follows the atom; the removed island hears
   * nothing. */
  isle_atom_set_int (atom, 7);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (pane.label)), "7") == 0);
  g_assert_cmpuint (doomed.effect_runs, ==, runs);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (window == NULL);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_object_unref (atom);
}

/* An unmapped island with a flush idle pending, unreferenced. */
static void
test_disposal_pending_idle (void)
{
  IsleAtom *atom = isle_atom_new_int ("pending", 0);
  Doomed doomed = { .atom = atom };
  GtkWidget *island;
  IsleGraph *graph;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, doomed_setup_cb,
                                                          &doomed, NULL));
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);
  g_assert_cmpuint (isle_graph_get_n_pending (graph), >, 0);

  isle_atom_set_int (atom, 5);
  g_assert_finalize_object (island);
  g_assert_null (graph);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);

  isle_atom_set_int (atom, 6);
  run_for (50);
  g_assert_cmpuint (doomed.effect_runs, ==, 0);
  g_assert_cmpuint (doomed.n_effect_destroyed, ==, 1);

  g_object_unref (atom);
}

/* }}} */

/* isle_island_fail () {{{ */

typedef struct
{
  guint      n_setups;
  guint      n_effect_runs;
  GtkWidget *content;
  IsleState *count;
} Failing;

static gboolean
count_effect_cb (IsleEffect  *effect,
                 gpointer     user_data,
                 GError     **error)
{
  Failing *failing = user_data;

  (void) isle_state_get_int (failing->count);
  failing->n_effect_runs++;

  return TRUE;
}

static void
failing_content_setup_cb (IsleIsland *island,
                          gpointer    user_data)
{
  Failing *failing = user_data;

  failing->n_setups++;
  failing->content = gtk_label_new ("content");
  isle_island_set_child (island, failing->content);
  failing->count = isle_state_new_int (isle_island_get_graph (island), 0);
  isle_effect_new (isle_island_get_graph (island), count_effect_cb, failing, NULL);
}

/* The failure shown: phase, error (ISLE_ERROR_FAILED, the message as
 * given) and a label in place of the content that says it. */
static void
assert_failed (GtkWidget  *island,
               const char *message)
{
  const GError *error = isle_island_get_error (ISLE_ISLAND (island));
  GtkWidget *shown = get_shown (ISLE_ISLAND (island));

  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_FAILED);
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_true (GTK_IS_LABEL (shown));
  g_assert_true (gtk_widget_has_css_class (shown, "isle-error"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (shown)), message));
}

/* Failed before it was activated (a plugin that did not load): the
 * island never sets itself up, not even when its activation comes. */
static void
test_fail_before_activation (void)
{
  Failing failing = { 0 };
  guint n_phase_notified = 0;
  GtkWidget *island;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_IDLE,
                                                          failing_content_setup_cb,
                                                          &failing, NULL));
  g_signal_connect (island, "notify::phase", G_CALLBACK (count_notify_cb), &n_phase_notified);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_WAITING);
  g_assert_null (isle_island_get_error (ISLE_ISLAND (island)));

  isle_island_fail (ISLE_ISLAND (island), "the plugin did not load");
  assert_failed (island, "the plugin did not load");
  g_assert_cmpuint (n_phase_notified, ==, 1);

  /* The idle that would have activated it is gone. */
  run_pending ();
  run_for (50);
  g_assert_cmpuint (failing.n_setups, ==, 0);
  assert_failed (island, "the plugin did not load");

  g_assert_finalize_object (island);
}

/* Failed once set up: the content goes, the island's graph stops
 * mattering, and a sibling island goes on. */
static void
test_fail_active (void)
{
  Failing failing = { 0 };
  Failing sibling = { 0 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *island;
  GtkWidget *other;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, failing_content_setup_cb, &failing,
                                       NULL);
  other = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, failing_content_setup_cb, &sibling,
                                      NULL);
  gtk_box_append (GTK_BOX (box), island);
  gtk_box_append (GTK_BOX (box), other);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (failing.n_effect_runs == 1 && sibling.n_effect_runs == 1);
  g_assert_true (get_shown (ISLE_ISLAND (island)) == failing.content);

  isle_island_fail (ISLE_ISLAND (island), "setup raised RuntimeError");
  assert_failed (island, "setup raised RuntimeError");
  g_assert_false (gtk_widget_get_visible (failing.content));

  /* Failing again replaces the message. */
  isle_island_fail (ISLE_ISLAND (island), "and again");
  assert_failed (island, "and again");

  /* The sibling's graph goes on. */
  isle_state_set_int (sibling.count, 1);
  RUN_UNTIL (sibling.n_effect_runs == 2);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (other)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (get_shown (ISLE_ISLAND (other)) == sibling.content);
  g_assert_cmpuint (failing.n_setups, ==, 1);

  destroy_window (window);
}

static void
test_fail_bad_input (void)
{
  GtkWidget *island = g_object_ref_sink (isle_island_new (ISLE_ACTIVATION_IDLE));
  GtkWidget *label = g_object_ref_sink (gtk_label_new ("not an island"));

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*message != NULL*");
  isle_island_fail (ISLE_ISLAND (island), NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_WAITING);
  g_assert_null (isle_island_get_error (ISLE_ISLAND (island)));

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*ISLE_IS_ISLAND*");
  isle_island_fail ((IsleIsland *) label, "no");
  g_test_assert_expected_messages ();

  g_assert_finalize_object (island);
  g_assert_finalize_object (label);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Island/errors/isolation-write", test_isolation_write);
  g_test_add_func ("/Isle/Island/errors/isolation-read", test_isolation_read);
  g_test_add_func ("/Isle/Island/errors/boundary", test_boundary);
  g_test_add_func ("/Isle/Island/errors/boundary-derived", test_boundary_derived);
  g_test_add_func ("/Isle/Island/errors/boundary-setup", test_boundary_setup);
  g_test_add_func ("/Isle/Island/errors/boundary-binding-type", test_boundary_binding_type);
  g_test_add_func ("/Isle/Island/errors/disposal-window", test_disposal_window);
  g_test_add_func ("/Isle/Island/errors/disposal-remove", test_disposal_remove);
  g_test_add_func ("/Isle/Island/errors/disposal-pending-idle", test_disposal_pending_idle);
  g_test_add_func ("/Isle/Island/errors/fail-before-activation", test_fail_before_activation);
  g_test_add_func ("/Isle/Island/errors/fail-active", test_fail_active);
  g_test_add_func ("/Isle/Island/errors/fail-bad-input", test_fail_bad_input);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
