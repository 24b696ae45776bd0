/* test-inspector-page.c: Isle's page in GTK Inspector
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs with GTK_PATH=<builddir>/widgets, where the page's GIO module is
 * built (widgets/inspector/).
 */

#include "config.h"

#include "widget-test-common.h"

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

static GIOExtension *
find_isle_extension (void)
{
  GIOExtensionPoint *point = g_io_extension_point_lookup ("gtk-inspector-page");

  if (point == NULL)
    return NULL;

  return g_io_extension_point_get_extension_by_name (point, "isle");
}

static void
setup_cb (IsleIsland *island,
          gpointer    user_data)
{
  IsleState *state = isle_state_new_int (isle_island_get_graph (island), 3);

  isle_state_set_name (state, "paged");
}

static void
test_inspector_page (void)
{
  g_autoptr(GtkWidget) page = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, setup_cb, NULL, NULL);
  GtkWidget *label = gtk_label_new ("inside");
  GIOExtension *extension;
  GtkWidget *inspector;
  g_autofree char *title = NULL;

  /* Nothing of the page is loaded before GTK Inspector opens (GTK may
   * register the extension point itself at startup). */
  g_assert_null (find_isle_extension ());
  g_assert_cmpuint (g_type_from_name ("IsleInspectorPage"), ==, 0);

  gtk_widget_set_name (island, "paged island");
  isle_island_set_child (ISLE_ISLAND (island), label);
  gtk_window_set_child (GTK_WINDOW (window), island);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (island)) == ISLE_ISLAND_PHASE_ACTIVE);

  /* Opening it loads the module, which registers the page... */
  gtk_window_set_interactive_debugging (TRUE);
  extension = find_isle_extension ();
  g_assert_nonnull (extension);
  g_assert_cmpstr (g_type_name (g_io_extension_get_type (extension)), ==, "IsleInspectorPage");
  g_assert_true (g_type_is_a (g_io_extension_get_type (extension), GTK_TYPE_WIDGET));

  /* ...which can be created as GTK Inspector creates it: titled, holding
   * an inspector, following the object selected in GTK Inspector. */
  page = g_object_ref_sink (g_object_new (g_io_extension_get_type (extension), NULL));
  g_object_get (page, "title", &title, NULL);
  g_assert_cmpstr (title, ==, "Isle");
  inspector = find_type (page, ISLE_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  g_object_set (page, "object", label, NULL);
  g_assert_true (isle_inspector_get_island (ISLE_INSPECTOR (inspector)) == ISLE_ISLAND (island));

  gtk_window_set_interactive_debugging (FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
  run_pending ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/InspectorPage/registered-and-created", test_inspector_page);

  return g_test_run ();
}
