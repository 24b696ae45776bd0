/* test-inspector.c: IsleInspector, the devtools widget
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "widget-test-common.h"

/* The first descendant of @widget (itself included) of @type. */
static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first mapped label under @widget whose text is @text (or, with
 * @prefix, starts with it). */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text,
            gboolean    prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      const char *label = gtk_label_get_label (GTK_LABEL (widget));

      if (prefix ? g_str_has_prefix (label, text) : g_str_equal (label, text))
        return GTK_LABEL (widget);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A label in the same row of the column view as @cell_label. */
static GtkLabel *
find_in_row (GtkLabel   *cell_label,
             const char *text)
{
  GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (cell_label)));

  return find_label (row, text, FALSE);
}

static GtkWidget *
show_in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 700);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
noop_listener_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
}

static void
test_inspector_store_live (void)
{
  IsleAtom *atom = isle_registry_ensure_int (isle_registry_get_default (), "inspector-count", 77);
  GtkWidget *inspector = isle_inspector_new ();
  GtkWidget *window = show_in_window (inspector);
  GtkWidget *stores;
  g_autofree char *version = NULL;
  GtkLabel *name;
  guint handle;

  g_assert_true (isle_inspector_get_registry (ISLE_INSPECTOR (inspector)) == isle_registry_get_default ());
  stores = find_type (inspector, GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (stores);

  /* Listed, with its value, no listener, stopped. */
  RUN_UNTIL ((name = find_label (stores, "inspector-count", FALSE)) != NULL);
  RUN_UNTIL (find_in_row (name, "77") != NULL);
  g_assert_nonnull (find_in_row (name, "0"));
  g_assert_nonnull (find_in_row (name, "stopped"));

  /* A set shows at once, with no refresh asked for, and so does the new
   * version. */
  version = g_strdup_printf ("%" G_GUINT64_FORMAT, isle_store_get_version (ISLE_STORE (atom)) + 1);
  g_assert_cmpstr (version, !=, "4242");
  g_assert_cmpstr (version, !=, "1");  /* the listeners are counted in the same row */
  isle_atom_set_int (atom, 4242);
  RUN_UNTIL (find_in_row (name, "4242") != NULL);
  g_assert_null (find_in_row (name, "77"));
  g_assert_nonnull (find_in_row (name, version));

  /* So do a listener and the start it causes. */
  handle = isle_store_listen (ISLE_STORE (atom), noop_listener_cb, NULL, NULL);
  RUN_UNTIL (find_in_row (name, "1") != NULL && find_in_row (name, "started") != NULL);
  isle_store_unsubscribe (ISLE_STORE (atom), handle);

  /* Filtered by name. */
  isle_inspector_set_filter (ISLE_INSPECTOR (inspector), "nothing-is-called-this");
  RUN_UNTIL (find_label (stores, "inspector-count", FALSE) == NULL);
  isle_inspector_set_filter (ISLE_INSPECTOR (inspector), "INSPECTOR-c");
  RUN_UNTIL (find_label (stores, "inspector-count", FALSE) != NULL);
  g_assert_cmpstr (isle_inspector_get_filter (ISLE_INSPECTOR (inspector)), ==, "INSPECTOR-c");

  destroy_window (window);
  isle_registry_remove (isle_registry_get_default (), "inspector-count");
}

static void
failing_setup (IsleIsland *island,
               gpointer    user_data)
{
  isle_island_fail (island, "the network is down");
}

static void
test_inspector_island_error (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, failing_setup, NULL, NULL);
  GtkWidget *inspector = isle_inspector_new ();
  GtkWidget *islands;
  GtkWidget *window;

  gtk_widget_set_name (island, "failing pane");
  gtk_box_append (GTK_BOX (box), island);
  gtk_box_append (GTK_BOX (box), inspector);
  window = show_in_window (box);

  islands = find_type (inspector, GTK_TYPE_LIST_BOX);
  RUN_UNTIL (find_label (islands, "failing pane: failed, on load, ", TRUE) != NULL);
  RUN_UNTIL (find_label (islands, "the network is down", FALSE) != NULL);

  destroy_window (window);
}

typedef struct {
  IsleState *count;
  int        seen;
} Counter;

static gboolean
show_count_cb (IsleIsland  *island,
               gpointer     user_data,
               GError     **error)
{
  Counter *counter = user_data;

  counter->seen = isle_state_get_int (counter->count);

  return TRUE;
}

static void
counter_setup (IsleIsland *island,
               gpointer    user_data)
{
  Counter *counter = user_data;

  counter->count = isle_state_new_int (isle_island_get_graph (island), 1);
  isle_state_set_name (counter->count, "count");
  isle_island_add_effect (island, "show", show_count_cb, counter, NULL);
}

static void
test_inspector_graph_and_events (void)
{
  Counter counter = { NULL, 0 };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, counter_setup, &counter, NULL);
  GtkWidget *inspector = isle_inspector_new ();
  GtkWidget *events;
  GtkWidget *window;
  guint n_events;

  gtk_widget_set_name (island, "counter");
  gtk_box_append (GTK_BOX (box), island);
  gtk_box_append (GTK_BOX (box), inspector);
  window = show_in_window (box);
  RUN_UNTIL (counter.seen == 1);

  isle_inspector_set_island (ISLE_INSPECTOR (inspector), ISLE_ISLAND (island));
  g_assert_true (isle_inspector_get_island (ISLE_INSPECTOR (inspector)) == ISLE_ISLAND (island));
  RUN_UNTIL (find_label (inspector, "state “count” = 1", FALSE) != NULL);
  g_assert_nonnull (find_label (inspector, "state “count” → effect “show”", FALSE));
  g_assert_nonnull (find_label (inspector, "Graph of counter", FALSE));

  /* A set: the event log says why the effect ran, the graph shows the
   * new value and the why. */
  n_events = isle_inspector_get_n_events (ISLE_INSPECTOR (inspector));
  isle_state_set_int (counter.count, 2);
  RUN_UNTIL (counter.seen == 2);
  /* The log (the column view of the stores holds a list view too). */
  events = gtk_widget_get_last_child (inspector);
  g_assert_true (GTK_IS_SCROLLED_WINDOW (events));
  RUN_UNTIL (find_label (events, "effect “show” in graph “counter” runs because state “count”: 1 → 2",
                         FALSE) != NULL);
  g_assert_cmpuint (isle_inspector_get_n_events (ISLE_INSPECTOR (inspector)), >, n_events);
  RUN_UNTIL (find_label (inspector, "state “count” = 2", FALSE) != NULL);
  g_assert_nonnull (find_label (inspector, "effect “show”, ran 2 times (because state “count”: 1 → 2)",
                                FALSE));

  destroy_window (window);
}

static void
test_inspector_observes_when_mapped (void)
{
  GtkWidget *inspector = isle_inspector_new ();
  GtkWidget *window;

  g_object_ref_sink (inspector);
  g_assert_false (isle_inspect_is_tracing ());
  window = show_in_window (inspector);
  RUN_UNTIL (gtk_widget_get_mapped (inspector));
  g_assert_true (isle_inspect_is_tracing ());

  gtk_widget_set_visible (inspector, FALSE);
  g_assert_false (isle_inspect_is_tracing ());
  gtk_widget_set_visible (inspector, TRUE);
  RUN_UNTIL (gtk_widget_get_mapped (inspector));
  g_assert_true (isle_inspect_is_tracing ());

  destroy_window (window);
  g_assert_false (isle_inspect_is_tracing ());
  g_assert_finalize_object (inspector);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Inspector/store-live", test_inspector_store_live);
  g_test_add_func ("/Isle/Inspector/island-error", test_inspector_island_error);
  g_test_add_func ("/Isle/Inspector/graph-and-events", test_inspector_graph_and_events);
  g_test_add_func ("/Isle/Inspector/observes-when-mapped", test_inspector_observes_when_mapped);

  return g_test_run ();
}
