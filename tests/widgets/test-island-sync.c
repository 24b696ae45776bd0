/* test-island-sync.c: islands in sync through atoms, and the bindings
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The main scenario of the islands: an “add” island with a button and a
 * “badge” island with a label sit side by side in one window, never
 * reference each other, and stay in sync through one registered atom.
 */

#include <math.h>

#include "isle.h"
#include "widget-test-common.h"

#define CART_ATOM "test-sync-cart"

/* Helpers {{{ */

static void
present_and_wait (GtkWidget *window)
{
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (window));
  run_frames (window, 1);
}

/* }}} */

/* A bin that counts its snapshots {{{ */

#define TEST_TYPE_COUNTING_BIN (test_counting_bin_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingBin, test_counting_bin, TEST, COUNTING_BIN, GtkWidget)

struct _TestCountingBin
{
  GtkWidget parent_instance;

  guint     n_snapshots;
};

G_DEFINE_FINAL_TYPE (TestCountingBin, test_counting_bin, GTK_TYPE_WIDGET)

static void
test_counting_bin_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TEST_COUNTING_BIN (widget)->n_snapshots++;

  GTK_WIDGET_CLASS (test_counting_bin_parent_class)->snapshot (widget, snapshot);
}

static void
test_counting_bin_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (test_counting_bin_parent_class)->dispose (object);
}

static void
test_counting_bin_class_init (TestCountingBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = test_counting_bin_dispose;
  widget_class->snapshot = test_counting_bin_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
test_counting_bin_init (TestCountingBin *self)
{
}

/* }}} */

/* The two panes {{{ */

/* The “add” pane: a button that adds one to the cart, through the state
 * that mirrors the cart atom (the write goes back at the next flush). */
typedef struct
{
  IsleState *count;
  GtkWidget *button;
  guint      n_clicked;
  gulong     handler;
} AddPane;

static void
add_clicked_cb (IsleIsland *island,
                gpointer    user_data)
{
  AddPane *pane = user_data;

  pane->n_clicked++;
  isle_state_set_int (pane->count, isle_state_get_int (pane->count) + 1);
}

static void
add_setup_cb (IsleIsland *island,
              gpointer    user_data)
{
  AddPane *pane = user_data;
  IsleStore *cart = isle_registry_lookup (isle_registry_get_default (), CART_ATOM);

  pane->count = isle_island_use_atom (island, ISLE_ATOM (cart));
  pane->button = gtk_button_new_with_label ("Add to cart");
  pane->handler = isle_island_connect_action (island, pane->button, "clicked",
                                              add_clicked_cb, pane, NULL);
  isle_island_set_child (island, pane->button);
}

/* The “badge” pane: a label with the number of items, inside a bin that
 * counts its repaints, and an effect that counts its runs. */
typedef enum
{
  OUTSIDE_FRAME,
  BEFORE_LAYOUT,
  AFTER_LAYOUT,
} FrameState;

typedef struct
{
  IsleState        *count;
  TestCountingBin  *bin;
  GtkWidget        *label;
  guint             effect_runs;
  int               effect_seen;

  /* Where the window's frame clock is, and how many runs were not in
   * the update phase of a frame (before its layout and paint). */
  const FrameState *frame_state;
  guint             runs_outside_update;
} BadgePane;

static gboolean
count_to_text (const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("%d", g_value_get_int (from)));

  return TRUE;
}

static gboolean
badge_effect_cb (IsleEffect  *effect,
                 gpointer     user_data,
                 GError     **error)
{
  BadgePane *pane = user_data;

  pane->effect_runs++;
  pane->effect_seen = isle_state_get_int (pane->count);
  if (pane->frame_state != NULL && *pane->frame_state != BEFORE_LAYOUT)
    pane->runs_outside_update++;

  return TRUE;
}

static void
badge_setup_cb (IsleIsland *island,
                gpointer    user_data)
{
  BadgePane *pane = user_data;
  IsleStore *cart = isle_registry_lookup (isle_registry_get_default (), CART_ATOM);

  pane->count = isle_island_use_atom (island, ISLE_ATOM (cart));

  pane->label = gtk_label_new (NULL);
  /* A fixed width: a longer number does not resize the window. */
  gtk_label_set_width_chars (GTK_LABEL (pane->label), 10);
  pane->bin = g_object_new (TEST_TYPE_COUNTING_BIN, NULL);
  gtk_widget_set_parent (pane->label, GTK_WIDGET (pane->bin));

  isle_island_bind_state (island, pane->count, pane->label, "label", count_to_text, NULL, NULL);
  isle_effect_new (isle_island_get_graph (island), badge_effect_cb, pane, NULL);
  isle_island_set_child (island, GTK_WIDGET (pane->bin));
}

/* What the frame clock painted: the badge's text at each after-paint. */
typedef struct
{
  GtkLabel *label;
  char     *painted_text;
  guint     n_painted;
} PaintWatch;

static void
watch_after_paint_cb (GdkFrameClock *frame_clock,
                      gpointer       user_data)
{
  PaintWatch *watch = user_data;

  watch->n_painted++;
  g_free (watch->painted_text);
  watch->painted_text = g_strdup (gtk_label_get_label (watch->label));
}

typedef struct
{
  IsleAtom   *cart;
  GtkWidget  *window;
  GtkWidget  *add;
  GtkWidget  *badge;
  AddPane     add_pane;
  BadgePane   badge_pane;
  PaintWatch  watch;
  gulong      watch_handler;
  FrameState  frame_state;
  gulong      frame_handlers[3];
} Shop;

static void
before_paint_cb (GdkFrameClock *frame_clock,
                 FrameState    *state)
{
  *state = BEFORE_LAYOUT;
}

static void
layout_cb (GdkFrameClock *frame_clock,
           FrameState    *state)
{
  *state = AFTER_LAYOUT;
}

static void
frame_done_cb (GdkFrameClock *frame_clock,
               FrameState    *state)
{
  *state = OUTSIDE_FRAME;
}

static void
shop_setup (Shop          *shop,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *box;

  memset (shop, 0, sizeof *shop);

  /* One registered atom, reset for each test. */
  shop->cart = isle_registry_ensure_atom (isle_registry_get_default (), CART_ATOM,
                                          G_VARIANT_TYPE_INT32, g_variant_new_int32 (0),
                                          &error);
  g_assert_no_error (error);
  isle_atom_set_int (shop->cart, 0);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (shop->cart)), ==, 0);

  /* Two siblings; neither knows the other. */
  shop->add = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, add_setup_cb, &shop->add_pane, NULL);
  gtk_widget_set_name (shop->add, "add");
  shop->badge = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, badge_setup_cb, &shop->badge_pane, NULL);
  gtk_widget_set_name (shop->badge, "badge");
  g_object_add_weak_pointer (G_OBJECT (shop->add), (gpointer *) &shop->add);
  g_object_add_weak_pointer (G_OBJECT (shop->badge), (gpointer *) &shop->badge);

  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (shop->cart)), ==, 2);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_box_append (GTK_BOX (box), shop->add);
  gtk_box_append (GTK_BOX (box), shop->badge);

  shop->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (shop->window), 400, 100);
  gtk_window_set_child (GTK_WINDOW (shop->window), box);
  present_and_wait (shop->window);

  shop->watch.label = GTK_LABEL (shop->badge_pane.label);
  shop->watch_handler = g_signal_connect (gtk_widget_get_frame_clock (shop->window), "after-paint",
                                          G_CALLBACK (watch_after_paint_cb), &shop->watch);

  /* From now on the badge's effect must run inside frames, before their
   * layout. */
  shop->frame_handlers[0] = g_signal_connect (gtk_widget_get_frame_clock (shop->window), "before-paint",
                                              G_CALLBACK (before_paint_cb), &shop->frame_state);
  shop->frame_handlers[1] = g_signal_connect (gtk_widget_get_frame_clock (shop->window), "layout",
                                              G_CALLBACK (layout_cb), &shop->frame_state);
  shop->frame_handlers[2] = g_signal_connect (gtk_widget_get_frame_clock (shop->window), "after-paint",
                                              G_CALLBACK (frame_done_cb), &shop->frame_state);
  shop->badge_pane.frame_state = &shop->frame_state;

  /* The badge shows the cart from its first frame. */
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (shop->badge_pane.label)), "0") == 0);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (shop->add)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (shop->badge)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  shop->badge_pane.runs_outside_update = 0;
}

static void
shop_teardown (Shop          *shop,
               gconstpointer  data)
{
  /* Every run of the badge's effect was in a frame's update phase. */
  g_assert_cmpuint (shop->badge_pane.runs_outside_update, ==, 0);
  shop->badge_pane.frame_state = NULL;

  g_signal_handler_disconnect (gtk_widget_get_frame_clock (shop->window), shop->watch_handler);
  for (guint i = 0; i < G_N_ELEMENTS (shop->frame_handlers); i++)
    g_signal_handler_disconnect (gtk_widget_get_frame_clock (shop->window), shop->frame_handlers[i]);
  destroy_window (shop->window);
  RUN_UNTIL (shop->add == NULL && shop->badge == NULL);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (shop->cart)), ==, 0);
  g_free (shop->watch.painted_text);
}

/* Waits until a frame was painted with @text in the badge. */
static void
wait_painted (Shop       *shop,
              const char *text)
{
  RUN_UNTIL (g_strcmp0 (shop->watch.painted_text, text) == 0);
}

/* }}} */

/* The main scenario {{{ */

static void
test_sync_click (Shop          *shop,
                 gconstpointer  data)
{
  /* A real activation of the button (GtkButton clicks after its
   * activate timeout). */
  g_assert_true (gtk_widget_activate (shop->add_pane.button));
  RUN_UNTIL (shop->add_pane.n_clicked == 1);
  wait_painted (shop, "1");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (shop->cart)), ==, 1);
  g_assert_cmpint (shop->badge_pane.effect_seen, ==, 1);

  g_assert_true (gtk_widget_activate (shop->add_pane.button));
  RUN_UNTIL (shop->add_pane.n_clicked == 2);
  wait_painted (shop, "2");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (shop->cart)), ==, 2);
  g_assert_cmpint (isle_state_get_int (shop->add_pane.count), ==, 2);
  g_assert_cmpint (isle_state_get_int (shop->badge_pane.count), ==, 2);

  /* The badge follows the atom, whoever sets it. */
  isle_atom_set_int (shop->cart, 10);
  wait_painted (shop, "10");
  g_assert_cmpint (isle_state_get_int (shop->add_pane.count), ==, 10);

  /* And the add pane goes on from there. */
  g_assert_true (gtk_widget_activate (shop->add_pane.button));
  RUN_UNTIL (shop->add_pane.n_clicked == 3);
  wait_painted (shop, "11");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (shop->cart)), ==, 11);
}

/* 1000 clicks in one main-loop turn: one write of the atom, one run of
 * the badge's effect, one repaint of the badge. */
static void
test_sync_thousand_clicks (Shop          *shop,
                           gconstpointer  data)
{
  guint64 version = isle_store_get_version (ISLE_STORE (shop->cart));
  guint runs = shop->badge_pane.effect_runs;
  guint snapshots = shop->badge_pane.bin->n_snapshots;

  for (guint i = 0; i < 1000; i++)
    g_signal_emit_by_name (shop->add_pane.button, "clicked");

  /* Nothing is flushed synchronously. */
  g_assert_cmpuint (shop->add_pane.n_clicked, ==, 1000);
  g_assert_cmpint (isle_state_get_int (shop->add_pane.count), ==, 1000);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (shop->cart)), ==, 0);
  g_assert_cmpuint (shop->badge_pane.effect_runs, ==, runs);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (shop->badge_pane.label)), ==, "0");

  wait_painted (shop, "1000");
  /* A few more frames: nothing else is redrawn. */
  run_frames (shop->window, 3);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (shop->cart)), ==, 1000);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (shop->cart)), ==, version + 1);
  g_assert_cmpuint (shop->badge_pane.effect_runs, ==, runs + 1);
  g_assert_cmpint (shop->badge_pane.effect_seen, ==, 1000);
  g_assert_cmpuint (shop->badge_pane.bin->n_snapshots, ==, snapshots + 1);
}

/* 1000 writes of the atom in one turn: one run, one repaint, flushed on
 * the frame clock (before the frame is painted, not synchronously). */
static void
test_sync_thousand_writes (Shop          *shop,
                           gconstpointer  data)
{
  guint64 version = isle_store_get_version (ISLE_STORE (shop->cart));
  guint runs = shop->badge_pane.effect_runs;
  guint snapshots = shop->badge_pane.bin->n_snapshots;
  guint n_painted = shop->watch.n_painted;

  for (int i = 1; i <= 1000; i++)
    isle_atom_set_int (shop->cart, i);

  /* The states follow at once; effects wait for the frame. */
  g_assert_cmpint (isle_state_get_int (shop->badge_pane.count), ==, 1000);
  g_assert_cmpint (isle_state_get_int (shop->add_pane.count), ==, 1000);
  g_assert_cmpuint (shop->badge_pane.effect_runs, ==, runs);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (shop->badge_pane.label)), ==, "0");

  /* The very next frame shows it. */
  RUN_UNTIL (shop->watch.n_painted > n_painted);
  g_assert_cmpstr (shop->watch.painted_text, ==, "1000");
  run_frames (shop->window, 3);

  g_assert_cmpuint (shop->badge_pane.effect_runs, ==, runs + 1);
  g_assert_cmpint (shop->badge_pane.effect_seen, ==, 1000);
  g_assert_cmpuint (shop->badge_pane.bin->n_snapshots, ==, snapshots + 1);
  /* No echo from the mirrors' write-back. */
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (shop->cart)), ==, version + 1000);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (shop->cart)), ==, 1000);
}

/* Nothing changes: no run, no repaint. */
static void
test_sync_idle_frames (Shop          *shop,
                       gconstpointer  data)
{
  guint runs = shop->badge_pane.effect_runs;
  guint snapshots = shop->badge_pane.bin->n_snapshots;

  run_frames (shop->window, 3);
  isle_atom_set_int (shop->cart, 0);
  run_frames (shop->window, 2);

  g_assert_cmpuint (shop->badge_pane.effect_runs, ==, runs);
  g_assert_cmpuint (shop->badge_pane.bin->n_snapshots, ==, snapshots);
}

/* Removing the badge leaves the add pane working, and the atom with one
 * listener fewer. */
static void
test_sync_remove_badge (Shop          *shop,
                        gconstpointer  data)
{
  IsleGraph *graph = isle_island_get_graph (ISLE_ISLAND (shop->badge));
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (shop->window);

  /* The paint watch looks at the badge's label: now it only counts. */
  g_signal_handler_disconnect (frame_clock, shop->watch_handler);
  shop->watch_handler = g_signal_connect (frame_clock, "after-paint",
                                          G_CALLBACK (after_paint_cb), &shop->watch.n_painted);

  g_object_add_weak_pointer (G_OBJECT (graph), (gpointer *) &graph);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (shop->badge)), shop->badge);
  RUN_UNTIL (shop->badge == NULL && graph == NULL);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (shop->cart)), ==, 1);

  g_assert_true (gtk_widget_activate (shop->add_pane.button));
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (shop->cart)) == 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (shop->add)), ==, ISLE_ISLAND_PHASE_ACTIVE);
}

/* }}} */

/* The bridge: use_atom {{{ */

typedef struct
{
  IsleAtom  *atoms[6];
  IsleState *states[6];
} Bridge;

static void
bridge_setup_cb (IsleIsland *island,
                 gpointer    user_data)
{
  Bridge *bridge = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (bridge->atoms); i++)
    bridge->states[i] = isle_island_use_atom (island, bridge->atoms[i]);
}

static void
test_use_atom_types (void)
{
  const char *strv[] = { "a", "b", NULL };
  Bridge bridge = { 0 };
  GtkWidget *island;
  g_autoptr(GVariant) variant = NULL;

  bridge.atoms[0] = isle_atom_new_int ("i", 3);
  bridge.atoms[1] = isle_atom_new_boolean ("b", TRUE);
  bridge.atoms[2] = isle_atom_new_int64 ("x", G_GINT64_CONSTANT (1) << 40);
  bridge.atoms[3] = isle_atom_new_double ("d", 0.5);
  bridge.atoms[4] = isle_atom_new_string ("s", "hello");
  bridge.atoms[5] = isle_atom_new ("as", G_VARIANT_TYPE_STRING_ARRAY, g_variant_new_strv (strv, -1));

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, bridge_setup_cb, &bridge, NULL);
  g_object_ref_sink (island);

  for (guint i = 0; i < G_N_ELEMENTS (bridge.atoms); i++)
    {
      g_assert_nonnull (bridge.states[i]);
      g_assert_true (isle_state_get_graph (bridge.states[i]) == isle_island_get_graph (ISLE_ISLAND (island)));
      g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (bridge.atoms[i])), ==, 1);
    }

  /* Typed states, seeded from the atoms. */
  g_assert_cmpuint (isle_state_get_value_type (bridge.states[0]), ==, G_TYPE_INT);
  g_assert_cmpuint (isle_state_get_value_type (bridge.states[1]), ==, G_TYPE_BOOLEAN);
  g_assert_cmpuint (isle_state_get_value_type (bridge.states[2]), ==, G_TYPE_INT64);
  g_assert_cmpuint (isle_state_get_value_type (bridge.states[3]), ==, G_TYPE_DOUBLE);
  g_assert_cmpuint (isle_state_get_value_type (bridge.states[4]), ==, G_TYPE_STRING);
  g_assert_cmpuint (isle_state_get_value_type (bridge.states[5]), ==, G_TYPE_VARIANT);

  g_assert_cmpint (isle_state_get_int (bridge.states[0]), ==, 3);
  g_assert_true (isle_state_get_boolean (bridge.states[1]));
  g_assert_cmpint (isle_state_get_int64 (bridge.states[2]), ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_cmpfloat (isle_state_get_double (bridge.states[3]), ==, 0.5);
  g_assert_cmpstr (isle_state_get_string (bridge.states[4]), ==, "hello");
  variant = g_variant_new_strv (strv, -1);
  g_assert_true (g_variant_equal (isle_state_get_variant (bridge.states[5]), variant));
  g_clear_pointer (&variant, g_variant_unref);

  /* Following the atoms. */
  isle_atom_set_int (bridge.atoms[0], -4);
  isle_atom_set_boolean (bridge.atoms[1], FALSE);
  isle_atom_set_int64 (bridge.atoms[2], -1);
  isle_atom_set_double (bridge.atoms[3], -2.25);
  isle_atom_set_string (bridge.atoms[4], "world");
  variant = g_variant_ref_sink (g_variant_new_strv ((const char *[]) { "c", NULL }, -1));
  isle_atom_set (bridge.atoms[5], variant);

  g_assert_cmpint (isle_state_get_int (bridge.states[0]), ==, -4);
  g_assert_false (isle_state_get_boolean (bridge.states[1]));
  g_assert_cmpint (isle_state_get_int64 (bridge.states[2]), ==, -1);
  g_assert_cmpfloat (isle_state_get_double (bridge.states[3]), ==, -2.25);
  g_assert_cmpstr (isle_state_get_string (bridge.states[4]), ==, "world");
  g_assert_true (g_variant_equal (isle_state_get_variant (bridge.states[5]), variant));
  g_clear_pointer (&variant, g_variant_unref);

  run_pending ();

  /* Disposing the island unsubscribes every mirror. */
  g_assert_finalize_object (island);
  for (guint i = 0; i < G_N_ELEMENTS (bridge.atoms); i++)
    {
      g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (bridge.atoms[i])), ==, 0);
      g_object_unref (bridge.atoms[i]);
    }
}

/* Writes to the mirror go back to the atom at the island's next flush. */
static void
test_use_atom_write_back (void)
{
  Bridge bridge = { 0 };
  GtkWidget *island;
  guint64 versions[6];
  g_autoptr(GVariant) variant = NULL;
  g_autofree char *text = NULL;

  bridge.atoms[0] = isle_atom_new_int ("i", 3);
  bridge.atoms[1] = isle_atom_new_boolean ("b", TRUE);
  bridge.atoms[2] = isle_atom_new_int64 ("x", 5);
  bridge.atoms[3] = isle_atom_new_double ("d", 0.5);
  bridge.atoms[4] = isle_atom_new_string ("s", "hello");
  bridge.atoms[5] = isle_atom_new ("ai", G_VARIANT_TYPE ("ai"), g_variant_new_parsed ("[1, 2]"));

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, bridge_setup_cb, &bridge, NULL);
  g_object_ref_sink (island);
  run_pending ();

  for (guint i = 0; i < G_N_ELEMENTS (bridge.atoms); i++)
    versions[i] = isle_store_get_version (ISLE_STORE (bridge.atoms[i]));

  isle_state_set_int (bridge.states[0], 4);
  isle_state_set_int (bridge.states[0], 40);
  isle_state_set_boolean (bridge.states[1], FALSE);
  isle_state_set_int64 (bridge.states[2], G_MININT64);
  isle_state_set_double (bridge.states[3], 1e100);
  isle_state_set_string (bridge.states[4], "from the island");
  variant = g_variant_ref_sink (g_variant_new_parsed ("[3, 4, 5]"));
  isle_state_set_variant (bridge.states[5], variant);

  /* Not yet. */
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (bridge.atoms[0])), ==, 3);
  g_assert_cmpstr ((text = isle_store_dup_string (ISLE_STORE (bridge.atoms[4]))), ==, "hello");
  g_clear_pointer (&text, g_free);

  /* The island's next flush (an idle: it is not mapped). */
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (bridge.atoms[0])) == 40);
  g_assert_false (isle_store_get_boolean (ISLE_STORE (bridge.atoms[1])));
  g_assert_cmpint (isle_store_get_int64 (ISLE_STORE (bridge.atoms[2])), ==, G_MININT64);
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (bridge.atoms[3])), ==, 1e100);
  g_assert_cmpstr ((text = isle_store_dup_string (ISLE_STORE (bridge.atoms[4]))), ==, "from the island");
  {
    g_autoptr(GVariant) value = isle_store_get_value (ISLE_STORE (bridge.atoms[5]));

    g_assert_true (g_variant_equal (value, variant));
  }

  /* One write each, whatever the number of writes to the state. */
  run_pending ();
  for (guint i = 0; i < G_N_ELEMENTS (bridge.atoms); i++)
    g_assert_cmpuint (isle_store_get_version (ISLE_STORE (bridge.atoms[i])), ==, versions[i] + 1);

  g_assert_finalize_object (island);
  for (guint i = 0; i < G_N_ELEMENTS (bridge.atoms); i++)
    {
      g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (bridge.atoms[i])), ==, 0);
      g_object_unref (bridge.atoms[i]);
    }
}

/* use_atom's write-back starts with the island's first write: an island
 * that only shows the atom carries no effect for it, and an atom's change
 * runs nothing for it; a write from inside one of the island's effects
 * starts one that outlives that effect's reruns. */
typedef struct
{
  IsleAtom  *atom;
  IsleState *count;
  IsleState *trigger;
  guint      effect_runs;
} OnDemand;

static gboolean
on_demand_effect_cb (IsleEffect  *effect,
                     gpointer     user_data,
                     GError     **error)
{
  OnDemand *on_demand = user_data;
  int trigger = isle_state_get_int (on_demand->trigger);

  on_demand->effect_runs++;
  if (trigger > 0)
    isle_state_set_int (on_demand->count, trigger * 10);

  return TRUE;
}

static void
on_demand_setup_cb (IsleIsland *island,
                    gpointer    user_data)
{
  OnDemand *on_demand = user_data;
  IsleGraph *graph = isle_island_get_graph (island);

  on_demand->count = isle_island_use_atom (island, on_demand->atom);
  on_demand->trigger = isle_state_new_int (graph, 0);
  isle_effect_new (graph, on_demand_effect_cb, on_demand, NULL);
}

static void
test_use_atom_write_back_on_demand (void)
{
  OnDemand on_demand = { 0 };
  GtkWidget *island;
  IsleGraph *graph;
  guint atom_refs;
  guint64 version;

  on_demand.atom = isle_atom_new_int ("on-demand", 1);
  atom_refs = G_OBJECT (on_demand.atom)->ref_count;

  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, on_demand_setup_cb, &on_demand, NULL);
  g_object_ref_sink (island);
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  RUN_UNTIL (on_demand.effect_runs == 1);

  /* Showing the atom: the mirror, the trigger and the island's effect. */
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 3);
  for (int i = 2; i <= 6; i++)
    {
      isle_atom_set_int (on_demand.atom, i);
      run_pending ();
      g_assert_cmpint (isle_state_get_int (on_demand.count), ==, i);
    }
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 3);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (on_demand.atom)), ==, 6);

  /* The first write, from inside the island's effect, starts it. */
  isle_state_set_int (on_demand.trigger, 1);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (on_demand.atom)) == 10);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 4);

  /* The effect runs again (and drops what it owns): the write-back stays. */
  isle_state_set_int (on_demand.trigger, 2);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (on_demand.atom)) == 20);
  g_assert_cmpuint (on_demand.effect_runs, ==, 3);
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 4);

  /* A write from outside any computation, then the atom's own change:
   * one version each, no echo. */
  version = isle_store_get_version (ISLE_STORE (on_demand.atom));
  isle_state_set_int (on_demand.count, 7);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (on_demand.atom)) == 7);
  isle_atom_set_int (on_demand.atom, 99);
  run_pending ();
  g_assert_cmpint (isle_state_get_int (on_demand.count), ==, 99);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (on_demand.atom)), ==, version + 2);

  g_assert_finalize_object (island);
  g_assert_cmpuint (G_OBJECT (on_demand.atom)->ref_count, ==, atom_refs);

  /* An island that never wrote lets go of the atom too. */
  island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, on_demand_setup_cb, &on_demand, NULL);
  g_object_ref_sink (island);
  g_assert_cmpuint (G_OBJECT (on_demand.atom)->ref_count, >, atom_refs);
  g_assert_finalize_object (island);
  g_assert_cmpuint (G_OBJECT (on_demand.atom)->ref_count, ==, atom_refs);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (on_demand.atom)), ==, 0);

  g_object_unref (on_demand.atom);
}

/* Two islands mirror one atom: a write in one reaches the other, through
 * the atom only. */
typedef struct
{
  IsleAtom  *atom;
  IsleState *state;
} Mirror;

static void
mirror_setup_cb (IsleIsland *island,
                 gpointer    user_data)
{
  Mirror *mirror = user_data;

  mirror->state = isle_island_use_atom (island, mirror->atom);
}

/* An atom-originated change reaches every island's mirror, and no island
 * writes it back: the atom's filter sees each outside set once, not once
 * per island. What an island writes still goes through the filter. */
typedef struct
{
  IsleAtom  *atom;
  IsleState *states[3];
  guint      n_islands;
} EchoBridge;

static GVariant *
counting_filter (IsleAtom  *atom,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data,
                 GError   **error)
{
  guint *n_calls = user_data;

  (*n_calls)++;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32) && g_variant_get_int32 (value) < 0)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_REJECTED, "no negative counts");
      return NULL;
    }

  return g_variant_ref (value);
}

static void
echo_setup_cb (IsleIsland *island,
               gpointer    user_data)
{
  EchoBridge *bridge = user_data;

  bridge->states[bridge->n_islands++] = isle_island_use_atom (island, bridge->atom);
}

static void
test_use_atom_no_echo (void)
{
  EchoBridge int_bridge = { 0 }, double_bridge = { 0 };
  GtkWidget *islands[6];
  guint n_int_calls = 0, n_double_calls = 0;

  int_bridge.atom = isle_atom_new_int ("echo-int", 0);
  double_bridge.atom = isle_atom_new_double ("echo-double", 0.0);
  isle_atom_set_filter (int_bridge.atom, counting_filter, &n_int_calls, NULL);
  isle_atom_set_filter (double_bridge.atom, counting_filter, &n_double_calls, NULL);

  for (guint i = 0; i < 3; i++)
    {
      islands[i] = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, echo_setup_cb,
                                                                  &int_bridge, NULL));
      islands[3 + i] = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, echo_setup_cb,
                                                                      &double_bridge, NULL));
    }
  run_pending ();
  g_assert_cmpuint (int_bridge.n_islands, ==, 3);
  g_assert_cmpuint (double_bridge.n_islands, ==, 3);
  n_int_calls = n_double_calls = 0;

  /* Five outside sets: five filter calls, every mirror follows. */
  for (int v = 1; v <= 5; v++)
    {
      isle_atom_set_int (int_bridge.atom, v);
      isle_atom_set_double (double_bridge.atom, v / 2.0);
      run_pending ();
      for (guint i = 0; i < 3; i++)
        {
          g_assert_cmpint (isle_state_get_int (int_bridge.states[i]), ==, v);
          g_assert_cmpfloat (isle_state_get_double (double_bridge.states[i]), ==, v / 2.0);
        }
    }
  g_assert_cmpuint (n_int_calls, ==, 5);
  g_assert_cmpuint (n_double_calls, ==, 5);

  /* An island's write goes through the filter once and reaches the others. */
  isle_state_set_int (int_bridge.states[1], 42);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (int_bridge.atom)) == 42);
  run_pending ();
  g_assert_cmpuint (n_int_calls, ==, 6);
  g_assert_cmpint (isle_state_get_int (int_bridge.states[0]), ==, 42);
  g_assert_cmpint (isle_state_get_int (int_bridge.states[2]), ==, 42);

  /* A rejected write leaves the atom as it was. */
  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING, "*no negative counts*");
  isle_state_set_int (int_bridge.states[0], -1);
  RUN_UNTIL (n_int_calls == 7);
  run_pending ();
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (int_bridge.atom)), ==, 42);
  /* ...and the island's mirror shows the atom's value again. */
  RUN_UNTIL (isle_state_get_int (int_bridge.states[0]) == 42);
  g_assert_cmpuint (n_int_calls, ==, 7);

  /* Doubles compare as Object.is: -0 is a change from 0, NaN is a value. */
  isle_atom_set_double (double_bridge.atom, 0.0);
  run_pending ();
  n_double_calls = 0;
  isle_state_set_double (double_bridge.states[2], -0.0);
  RUN_UNTIL (signbit (isle_store_get_double (ISLE_STORE (double_bridge.atom))));
  run_pending ();
  g_assert_cmpuint (n_double_calls, ==, 1);
  isle_atom_set_double (double_bridge.atom, NAN);
  run_pending ();
  for (guint i = 0; i < 3; i++)
    g_assert_true (isnan (isle_state_get_double (double_bridge.states[i])));
  g_assert_cmpuint (n_double_calls, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (islands); i++)
    g_assert_finalize_object (islands[i]);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (int_bridge.atom)), ==, 0);
  g_object_unref (int_bridge.atom);
  g_object_unref (double_bridge.atom);
}

static void
test_use_atom_between_islands (void)
{
  IsleAtom *atom = isle_atom_new_int ("shared", 0);
  Mirror a = { atom, NULL };
  Mirror b = { atom, NULL };
  GtkWidget *island_a;
  GtkWidget *island_b;

  island_a = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, mirror_setup_cb, &a, NULL));
  gtk_widget_set_name (island_a, "a");
  island_b = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, mirror_setup_cb, &b, NULL));
  gtk_widget_set_name (island_b, "b");
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 2);
  run_pending ();

  isle_state_set_int (a.state, 8);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (atom)) == 8);
  g_assert_cmpint (isle_state_get_int (b.state), ==, 8);
  run_pending ();

  isle_state_set_int (b.state, 9);
  RUN_UNTIL (isle_store_get_int (ISLE_STORE (atom)) == 9);
  g_assert_cmpint (isle_state_get_int (a.state), ==, 9);
  run_pending ();

  g_assert_finalize_object (island_a);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);
  g_assert_finalize_object (island_b);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_object_unref (atom);
}

/* }}} */

/* Bindings {{{ */

typedef struct
{
  IsleState   *count;
  IsleState   *flag;
  IsleDerived *doubled;
  GtkWidget   *box;
  GtkWidget   *plain;
  GtkWidget   *transformed;
  GtkWidget   *derived_plain;
  GtkWidget   *derived_transformed;
  guint        n_destroyed;
  guint        n_transforms;
} Bindings;

static gboolean
items_transform (const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  Bindings *bindings = user_data;
  int count = g_value_get_int (from);

  bindings->n_transforms++;

  /* Negative counts leave the property as it is. */
  if (count < 0)
    return FALSE;

  g_value_take_string (to, g_strdup_printf ("%d items", count));

  return TRUE;
}

static gboolean
doubled_transform (const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("twice: %d", g_value_get_int (from)));

  return TRUE;
}

static void
bindings_destroy (gpointer user_data)
{
  Bindings *bindings = user_data;

  bindings->n_destroyed++;
}

static gboolean
double_cb (IsleDerived  *derived,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Bindings *bindings = user_data;

  g_value_set_int (value, 2 * isle_state_get_int (bindings->count));

  return TRUE;
}

static void
bindings_setup_cb (IsleIsland *island,
                   gpointer    user_data)
{
  Bindings *bindings = user_data;
  IsleGraph *graph = isle_island_get_graph (island);

  bindings->count = isle_state_new_int (graph, 5);
  bindings->flag = isle_state_new_boolean (graph, FALSE);
  bindings->doubled = isle_derived_new (graph, G_TYPE_INT, double_cb, bindings, NULL);

  bindings->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  bindings->plain = gtk_label_new (NULL);
  bindings->transformed = gtk_label_new (NULL);
  bindings->derived_plain = gtk_label_new (NULL);
  bindings->derived_transformed = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (bindings->box), bindings->plain);
  gtk_box_append (GTK_BOX (bindings->box), bindings->transformed);
  gtk_box_append (GTK_BOX (bindings->box), bindings->derived_plain);
  gtk_box_append (GTK_BOX (bindings->box), bindings->derived_transformed);

  /* Without a transform: g_value_transform(), int → string. */
  isle_island_bind_state (island, bindings->count, bindings->plain, "label", NULL, NULL, NULL);
  isle_island_bind_state (island, bindings->count, bindings->transformed, "label",
                          items_transform, bindings, bindings_destroy);
  isle_island_bind_state (island, bindings->flag, bindings->plain, "sensitive", NULL, NULL, NULL);
  isle_island_bind_derived (island, bindings->doubled, bindings->derived_plain, "label",
                            NULL, NULL, NULL);
  isle_island_bind_derived (island, bindings->doubled, bindings->derived_transformed, "label",
                            doubled_transform, bindings, bindings_destroy);

  isle_island_set_child (island, bindings->box);
}

static void
test_bind (void)
{
  Bindings bindings = { 0 };
  GtkWidget *island;
  IsleGraph *graph;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, bindings_setup_cb,
                                                          &bindings, NULL));
  graph = isle_island_get_graph (ISLE_ISLAND (island));

  /* Bound at the first flush. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.plain)), ==, "");
  RUN_UNTIL (isle_graph_get_n_pending (graph) == 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.plain)), ==, "5");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.transformed)), ==, "5 items");
  g_assert_false (gtk_widget_get_sensitive (bindings.plain));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.derived_plain)), ==, "10");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.derived_transformed)), ==, "twice: 10");

  isle_state_set_int (bindings.count, 6);
  isle_state_set_boolean (bindings.flag, TRUE);
  /* On the island's flush, not before. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.plain)), ==, "5");
  isle_graph_flush (graph);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.plain)), ==, "6");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.transformed)), ==, "6 items");
  g_assert_true (gtk_widget_get_sensitive (bindings.plain));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.derived_plain)), ==, "12");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.derived_transformed)), ==, "twice: 12");

  /* A transform that declines leaves the property alone; the others
   * still follow. */
  isle_state_set_int (bindings.count, -1);
  isle_graph_flush (graph);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.transformed)), ==, "6 items");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.plain)), ==, "-1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.derived_transformed)), ==, "twice: -2");
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  /* The transforms' data goes with the island. */
  g_assert_cmpuint (bindings.n_destroyed, ==, 0);
  g_assert_finalize_object (island);
  g_assert_cmpuint (bindings.n_destroyed, ==, 2);
}

/* The bound widget may go first: the binding does nothing then. */
static void
gone_setup_cb (IsleIsland *island,
               gpointer    user_data)
{
  Bindings *bindings = user_data;

  bindings->count = isle_state_new_int (isle_island_get_graph (island), 1);
  bindings->plain = g_object_ref_sink (gtk_label_new (NULL));
  isle_island_bind_state (island, bindings->count, bindings->plain, "label",
                          items_transform, bindings, bindings_destroy);
}

/* The properties bound through the widget's own setter (GtkLabel:label,
 * GtkWidget:visible and :sensitive) behave as through
 * g_object_set_property (): the value, one notify per change; a property of the same name elsewhere (GtkButton:label) takes the
 * general path. */
typedef struct
{
  IsleState *text;
  IsleState *shown;
  GtkWidget *label;
  GtkWidget *button;
  guint      n_label_notifies;
} Setters;

static void
count_label_notify_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  Setters *setters = user_data;

  setters->n_label_notifies++;
}

static void
setters_setup_cb (IsleIsland *island,
                  gpointer    user_data)
{
  Setters *setters = user_data;
  IsleGraph *graph = isle_island_get_graph (island);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  setters->text = isle_state_new_string (graph, "tea");
  setters->shown = isle_state_new_boolean (graph, TRUE);
  setters->label = gtk_label_new (NULL);
  setters->button = gtk_button_new ();
  gtk_box_append (GTK_BOX (box), setters->label);
  gtk_box_append (GTK_BOX (box), setters->button);
  g_signal_connect (setters->label, "notify::label", G_CALLBACK (count_label_notify_cb), setters);

  isle_island_bind_state (island, setters->text, setters->label, "label", NULL, NULL, NULL);
  isle_island_bind_state (island, setters->text, setters->button, "label", NULL, NULL, NULL);
  isle_island_bind_state (island, setters->shown, setters->label, "visible", NULL, NULL, NULL);
  isle_island_bind_state (island, setters->shown, setters->button, "sensitive", NULL, NULL, NULL);
  isle_island_set_child (island, box);
}

static void
test_bind_setters (void)
{
  Setters setters = { 0 };
  GtkWidget *island;
  IsleGraph *graph;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, setters_setup_cb,
                                                          &setters, NULL));
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  RUN_UNTIL (isle_graph_get_n_pending (graph) == 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (setters.label)), ==, "tea");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (setters.button)), ==, "tea");
  g_assert_cmpuint (setters.n_label_notifies, ==, 1);

  isle_state_set_string (setters.text, "green <b>tea</b>");
  isle_state_set_boolean (setters.shown, FALSE);
  isle_graph_flush (graph);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (setters.label)), ==, "green <b>tea</b>");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (setters.label)), ==, "green <b>tea</b>");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (setters.button)), ==, "green <b>tea</b>");
  g_assert_false (gtk_widget_get_visible (setters.label));
  g_assert_false (gtk_widget_get_sensitive (setters.button));
  g_assert_cmpuint (setters.n_label_notifies, ==, 2);

  isle_state_set_string (setters.text, NULL);
  isle_state_set_boolean (setters.shown, TRUE);
  isle_graph_flush (graph);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (setters.label)), ==, "");
  g_assert_true (gtk_widget_get_visible (setters.label));
  g_assert_true (gtk_widget_get_sensitive (setters.button));
  g_assert_cmpuint (setters.n_label_notifies, ==, 3);

  g_assert_finalize_object (island);
}

/* The frame queue {{{ */

/* A chain of islands in one window: the "double" island's effect sets atom
 * "doubled" from atom "base"; the "shown" island, earlier in the window,
 * mirrors "doubled" into its label. One frame carries the change through
 * both, whichever island the window holds first. */
typedef struct
{
  IsleAtom  *base;
  IsleAtom  *doubled;
  IsleState *base_state;
  GtkWidget *label;
  gint64     label_frame;
  gint64     double_frame;
} Chain;

static gboolean
double_effect_cb (IsleIsland  *island,
                  gpointer     user_data,
                  GError     **error)
{
  Chain *chain = user_data;
  int base = isle_state_get_int (chain->base_state);

  isle_atom_set_int (chain->doubled, 2 * base);
  chain->double_frame =
    gdk_frame_clock_get_frame_counter (gtk_widget_get_frame_clock (GTK_WIDGET (island)));

  return TRUE;
}

static void
double_setup_cb (IsleIsland *island,
                 gpointer    user_data)
{
  Chain *chain = user_data;

  chain->base_state = isle_island_use_atom (island, chain->base);
  isle_island_add_effect (island, "double", double_effect_cb, chain, NULL);
  isle_island_set_child (island, gtk_label_new ("double"));
}

static void
shown_setup_cb (IsleIsland *island,
                gpointer    user_data)
{
  Chain *chain = user_data;
  IsleState *doubled = isle_island_use_atom (island, chain->doubled);

  chain->label = gtk_label_new (NULL);
  isle_island_bind_state (island, doubled, chain->label, "label", NULL, NULL, NULL);
  isle_island_set_child (island, chain->label);
}

static void
label_changed_cb (GObject    *label,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Chain *chain = user_data;

  chain->label_frame = gdk_frame_clock_get_frame_counter (gtk_widget_get_frame_clock (GTK_WIDGET (label)));
}

static void
test_frame_queue_chain (void)
{
  Chain chain = { 0 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *shown, *twice;

  chain.base = isle_atom_new_int ("test-frame-base", 1);
  chain.doubled = isle_atom_new_int ("test-frame-doubled", 0);
  shown = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, shown_setup_cb, &chain, NULL);
  twice = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, double_setup_cb, &chain, NULL);
  gtk_box_append (GTK_BOX (box), shown);
  gtk_box_append (GTK_BOX (box), twice);
  gtk_window_set_child (GTK_WINDOW (window), box);
  present_and_wait (window);
  RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (chain.label)), "2") == 0);
  g_signal_connect (chain.label, "notify::label", G_CALLBACK (label_changed_cb), &chain);

  for (int i = 2; i < 6; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%d", 2 * i);

      isle_atom_set_int (chain.base, i);
      RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (chain.label)), expected) == 0);
      g_assert_cmpint (chain.label_frame, ==, chain.double_frame);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (chain.base);
  g_assert_finalize_object (chain.doubled);
}

/* An island with work queued for the next frame that leaves the window
 * before it: it leaves the queue, goes, and the islands still there update. */
static void
count_setup_cb (IsleIsland *island,
                gpointer    user_data)
{
  IsleAtom *atom = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  isle_island_bind_state (island, isle_island_use_atom (island, atom), label, "label",
                          NULL, NULL, NULL);
  isle_island_set_child (island, label);
}

static void
test_frame_queue_leave (void)
{
  g_autoptr(IsleAtom) count = isle_atom_new_int ("test-frame-count", 0);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *islands[20];
  GtkWidget *leaving;

  for (guint i = 0; i < G_N_ELEMENTS (islands); i++)
    {
      islands[i] = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, count_setup_cb, count, NULL);
      gtk_box_append (GTK_BOX (box), islands[i]);
    }
  gtk_window_set_child (GTK_WINDOW (window), box);
  present_and_wait (window);

  for (int value = 1; value <= 3; value++)
    {
      g_autofree char *expected = g_strdup_printf ("%d", value);

      /* Queued by the change, then gone before the frame. */
      isle_atom_set_int (count, value);
      leaving = g_object_ref (islands[value]);
      gtk_box_remove (GTK_BOX (box), leaving);
      g_assert_finalize_object (leaving);

      for (guint i = 4; i < G_N_ELEMENTS (islands); i++)
        RUN_UNTIL (g_strcmp0 (gtk_label_get_label (GTK_LABEL (isle_island_get_child (ISLE_ISLAND (islands[i])))),
                              expected) == 0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (isle_store_get_n_listeners (ISLE_STORE (count)) == 0);
}

/* The queue's entries after their island moved on: an island unmapped
 * and mapped again before the frame, one flushed synchronously while it
 * waits, one disposed while it waits. Each runs its binding once per
 * change, in the frame (or in the synchronous flush), and a disposed one
 * runs nothing and leaves nothing behind. */
static gboolean
counting_transform (const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  guint *n_runs = user_data;

  (*n_runs)++;
  g_value_take_string (to, g_strdup_printf ("%d", g_value_get_int (from)));
  return TRUE;
}

typedef struct
{
  IsleAtom *atom;
  guint     n_runs;
} CountingSetup;

static void
counting_setup_cb (IsleIsland *island,
                   gpointer    user_data)
{
  CountingSetup *setup = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  isle_island_bind_state (island, isle_island_use_atom (island, setup->atom), label, "label",
                          counting_transform, &setup->n_runs, NULL);
  isle_island_set_child (island, label);
}

static const char *
island_text (GtkWidget *island)
{
  return gtk_label_get_label (GTK_LABEL (isle_island_get_child (ISLE_ISLAND (island))));
}

static void
test_frame_queue_moved_on (void)
{
  g_autoptr(IsleAtom) count = isle_atom_new_int ("test-frame-moved-on", 0);
  CountingSetup setups[4] = { { count, 0 }, { count, 0 }, { count, 0 }, { count, 0 } };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *islands[4];
  IsleGraph *gone_graph;

  for (guint i = 0; i < G_N_ELEMENTS (islands); i++)
    {
      islands[i] = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, counting_setup_cb,
                                               &setups[i], NULL);
      gtk_box_append (GTK_BOX (box), islands[i]);
    }
  gtk_window_set_child (GTK_WINDOW (window), box);
  present_and_wait (window);
  for (guint i = 0; i < G_N_ELEMENTS (islands); i++)
    {
      g_assert_cmpstr (island_text (islands[i]), ==, "0");
      g_assert_cmpuint (setups[i].n_runs, ==, 1);
    }

  for (int value = 1; value <= 3; value++)
    {
      g_autofree char *expected = g_strdup_printf ("%d", value);
      GtkWidget *moving = g_object_ref (islands[0]);

      /* All four queued for the next frame by the change. */
      isle_atom_set_int (count, value);

      /* 0: out of the window and back in before the frame. */
      gtk_box_remove (GTK_BOX (box), moving);
      g_assert_false (gtk_widget_get_mapped (moving));
      gtk_box_prepend (GTK_BOX (box), moving);
      g_object_unref (moving);
      g_assert_true (gtk_widget_get_mapped (islands[0]));

      /* 1: flushed at once, then still in the queue. */
      isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (islands[1])));
      g_assert_cmpstr (island_text (islands[1]), ==, expected);
      g_assert_cmpuint (setups[1].n_runs, ==, 1 + value);

      /* Nothing ran outside the frame but that flush. */
      g_assert_cmpuint (setups[0].n_runs, ==, (guint) value);
      g_assert_cmpuint (setups[3].n_runs, ==, (guint) value);

      run_frames (window, 2);
      for (guint i = 0; i < G_N_ELEMENTS (islands); i++)
        {
          g_assert_cmpstr (island_text (islands[i]), ==, expected);
          g_assert_cmpuint (setups[i].n_runs, ==, 1 + value);
        }
    }

  /* 2: disposed while it waits: its binding never runs again, and its
   * graph goes with the frame at the latest. */
  gone_graph = isle_island_get_graph (ISLE_ISLAND (islands[2]));
  g_object_add_weak_pointer (G_OBJECT (gone_graph), (gpointer *) &gone_graph);
  isle_atom_set_int (count, 4);
  gtk_box_remove (GTK_BOX (box), islands[2]);
  run_frames (window, 2);
  g_assert_null (gone_graph);
  g_assert_cmpuint (setups[2].n_runs, ==, 4);
  g_assert_cmpstr (island_text (islands[0]), ==, "4");
  g_assert_cmpstr (island_text (islands[3]), ==, "4");

  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (isle_store_get_n_listeners (ISLE_STORE (count)) == 0);
}

/* }}} */

static void
test_bind_target_gone (void)
{
  Bindings bindings = { 0 };
  GtkWidget *island;
  IsleGraph *graph;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, gone_setup_cb,
                                                          &bindings, NULL));
  graph = isle_island_get_graph (ISLE_ISLAND (island));
  isle_graph_flush (graph);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bindings.plain)), ==, "1 items");
  g_assert_cmpuint (bindings.n_transforms, ==, 1);

  g_assert_finalize_object (bindings.plain);
  isle_state_set_int (bindings.count, 2);
  isle_graph_flush (graph);
  g_assert_cmpuint (bindings.n_transforms, ==, 1);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  g_assert_finalize_object (island);
  g_assert_cmpuint (bindings.n_destroyed, ==, 1);
}

static void
bad_bind_setup_cb (IsleIsland *island,
                   gpointer    user_data)
{
  Bindings *bindings = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  bindings->count = isle_state_new_int (isle_island_get_graph (island), 1);
  isle_island_set_child (island, label);

  /* A read-only property: refused, and the data freed at once. */
  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL,
                         "*GtkLabel has no writable property “scale-factor”*");
  isle_island_bind_state (island, bindings->count, label, "scale-factor",
                          items_transform, bindings, bindings_destroy);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (bindings->n_destroyed, ==, 1);

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL,
                         "*GtkLabel has no writable property “no-such-property”*");
  isle_island_bind_state (island, bindings->count, label, "no-such-property",
                          NULL, bindings, bindings_destroy);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (bindings->n_destroyed, ==, 2);
}

static void
test_bind_bad_property (void)
{
  Bindings bindings = { 0 };
  GtkWidget *island;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, bad_bind_setup_cb,
                                                          &bindings, NULL));
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (island)));
  g_assert_cmpuint (bindings.n_transforms, ==, 0);
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_finalize_object (island);
  g_assert_cmpuint (bindings.n_destroyed, ==, 2);
}

/* }}} */

/* Actions {{{ */

typedef struct
{
  GtkWidget  *button;
  IsleIsland *island_seen;
  guint       n_actions;
  guint       n_destroyed;
  gulong      handler;
} Action;

static void
action_cb (IsleIsland *island,
           gpointer    user_data)
{
  Action *action = user_data;

  action->island_seen = island;
  action->n_actions++;
}

static void
action_destroy (gpointer user_data)
{
  Action *action = user_data;

  action->n_destroyed++;
}

static void
action_setup_cb (IsleIsland *island,
                 gpointer    user_data)
{
  Action *action = user_data;

  action->button = g_object_ref_sink (gtk_button_new_with_label ("Go"));
  action->handler = isle_island_connect_action (island, action->button, "clicked",
                                                action_cb, action, action_destroy);
  isle_island_set_child (island, action->button);
}

static void
test_connect_action (void)
{
  Action action = { 0 };
  GtkWidget *island;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, action_setup_cb,
                                                          &action, NULL));
  g_assert_cmpuint (action.handler, >, 0);
  g_assert_true (g_signal_handler_is_connected (action.button, action.handler));

  g_signal_emit_by_name (action.button, "clicked");
  g_assert_cmpuint (action.n_actions, ==, 1);
  g_assert_true (action.island_seen == ISLE_ISLAND (island));
  g_signal_emit_by_name (action.button, "clicked");
  g_assert_cmpuint (action.n_actions, ==, 2);

  /* The island goes; the button (still referenced) stays. */
  g_assert_cmpuint (action.n_destroyed, ==, 0);
  g_assert_finalize_object (island);
  g_assert_false (g_signal_handler_is_connected (action.button, action.handler));
  g_assert_cmpuint (action.n_destroyed, ==, 1);

  g_signal_emit_by_name (action.button, "clicked");
  g_assert_cmpuint (action.n_actions, ==, 2);

  g_assert_finalize_object (action.button);
  g_assert_cmpuint (action.n_destroyed, ==, 1);
}

/* The widget goes first: nothing to disconnect, no crash. */
static void
test_connect_action_widget_first (void)
{
  Action action = { 0 };
  GtkWidget *island;

  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, action_setup_cb,
                                                          &action, NULL));
  isle_island_set_child (ISLE_ISLAND (island), NULL);
  g_assert_finalize_object (action.button);
  g_assert_cmpuint (action.n_destroyed, ==, 1);

  g_assert_finalize_object (island);
  g_assert_cmpuint (action.n_actions, ==, 0);
  g_assert_cmpuint (action.n_destroyed, ==, 1);
}

static void
test_connect_action_bad_signal (void)
{
  Action action = { 0 };
  GtkWidget *island;
  GtkWidget *button = g_object_ref_sink (gtk_button_new ());
  gulong handler;

  island = g_object_ref_sink (isle_island_new (ISLE_ACTIVATION_LOAD));

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*GtkButton has no signal “no-such-signal”*");
  handler = isle_island_connect_action (ISLE_ISLAND (island), button, "no-such-signal",
                                        action_cb, &action, action_destroy);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (handler, ==, 0);
  g_assert_cmpuint (action.n_destroyed, ==, 1);

  g_assert_finalize_object (island);
  g_assert_finalize_object (button);
  g_assert_cmpuint (action.n_destroyed, ==, 1);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/Isle/Island/sync/click", Shop, NULL, shop_setup, test_sync_click, shop_teardown);
  g_test_add ("/Isle/Island/sync/thousand-clicks", Shop, NULL,
              shop_setup, test_sync_thousand_clicks, shop_teardown);
  g_test_add ("/Isle/Island/sync/thousand-writes", Shop, NULL,
              shop_setup, test_sync_thousand_writes, shop_teardown);
  g_test_add ("/Isle/Island/sync/idle-frames", Shop, NULL,
              shop_setup, test_sync_idle_frames, shop_teardown);
  g_test_add ("/Isle/Island/sync/remove-badge", Shop, NULL,
              shop_setup, test_sync_remove_badge, shop_teardown);
  g_test_add_func ("/Isle/Island/use-atom/types", test_use_atom_types);
  g_test_add_func ("/Isle/Island/use-atom/write-back", test_use_atom_write_back);
  g_test_add_func ("/Isle/Island/use-atom/write-back-on-demand", test_use_atom_write_back_on_demand);
  g_test_add_func ("/Isle/Island/use-atom/no-echo", test_use_atom_no_echo);
  g_test_add_func ("/Isle/Island/use-atom/between-islands", test_use_atom_between_islands);
  g_test_add_func ("/Isle/Island/bind/state-and-derived", test_bind);
  g_test_add_func ("/Isle/Island/bind/setters", test_bind_setters);
  g_test_add_func ("/Isle/Island/frame-queue/chain", test_frame_queue_chain);
  g_test_add_func ("/Isle/Island/frame-queue/leave", test_frame_queue_leave);
  g_test_add_func ("/Isle/Island/frame-queue/moved-on", test_frame_queue_moved_on);
  g_test_add_func ("/Isle/Island/bind/target-gone", test_bind_target_gone);
  g_test_add_func ("/Isle/Island/bind/bad-property", test_bind_bad_property);
  g_test_add_func ("/Isle/Island/action/connect", test_connect_action);
  g_test_add_func ("/Isle/Island/action/widget-first", test_connect_action_widget_first);
  g_test_add_func ("/Isle/Island/action/bad-signal", test_connect_action_bad_signal);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
