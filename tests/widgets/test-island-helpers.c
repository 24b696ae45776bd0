/* test-island-helpers.c: format bindings, island effects, names,
 * expressions and islands built from .ui files
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "widget-test-common.h"

static GtkWidget *
present (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  RUN_UNTIL (gtk_widget_get_mapped (child));

  return window;
}

#define LABEL_IS(label, text) \
  (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), (text)) == 0)

/* Format bindings {{{ */

static void
format_setup (IsleIsland *island,
              gpointer    user_data)
{
  GtkWidget **labels = user_data;
  IsleState *count = isle_state_new_int (isle_island_get_graph (island), 3);
  IsleState *price = isle_state_new_double (isle_island_get_graph (island), 2.5);
  IsleState *name = isle_state_new_string (isle_island_get_graph (island), "tea");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  isle_state_set_name (count, "count");
  isle_state_set_name (price, "price");
  isle_state_set_name (name, "name");
  for (guint i = 0; i < 3; i++)
    {
      labels[i] = gtk_label_new (NULL);
      gtk_box_append (GTK_BOX (box), labels[i]);
    }
  isle_island_bind_state_format (island, count, labels[0], "label", "%d items (100%%)");
  isle_island_bind_state_format (island, price, labels[1], "label", "%.2f €");
  isle_island_bind_state_format (island, name, labels[2], "label", "[%-5s]");
  isle_island_set_child (island, box);
}

static void
test_bind_format (void)
{
  GtkWidget *labels[3];
  GtkWidget *island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, format_setup, labels, NULL);
  GtkWidget *window = present (island);

  RUN_UNTIL (LABEL_IS (labels[0], "3 items (100%)"));
  RUN_UNTIL (LABEL_IS (labels[1], "2.50 €"));
  RUN_UNTIL (LABEL_IS (labels[2], "[tea  ]"));

  isle_state_set_int (isle_island_lookup_state (ISLE_ISLAND (island), "count"), 12);
  isle_state_set_double (isle_island_lookup_state (ISLE_ISLAND (island), "price"), 0.125);
  RUN_UNTIL (LABEL_IS (labels[0], "12 items (100%)"));
  RUN_UNTIL (LABEL_IS (labels[1], "0.12 €") || LABEL_IS (labels[1], "0.13 €"));

  destroy_window (window);
}

static void
bad_format_setup (IsleIsland *island,
                  gpointer    user_data)
{
  static const struct { const char *format; const char *message; } bad[] = {
    { "%s items", "*does not print a gint*" },
    { "%d of %d", "*more than one conversion*" },
    { "%n", "*does not print a gint*" },
    { "%*d", "*does not print a gint*" },
    { "%1$d", "*does not print a gint*" },
    { "%ld", "*does not print a gint*" },
    { "no conversion", "*has no conversion*" },
    { "%d%", "*more than one conversion*" },
    { "%99999d", "*wider than 999*" },
  };
  IsleState *count = isle_state_new_int (isle_island_get_graph (island), 3);
  IsleState *flag = isle_state_new_pointer (isle_island_get_graph (island), NULL);
  GtkWidget *label = gtk_label_new ("kept");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, bad[i].message);
      isle_island_bind_state_format (island, count, label, "label", bad[i].format);
      g_test_assert_expected_messages ();
    }

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*cannot format a value of type gpointer*");
  isle_island_bind_state_format (island, flag, label, "label", "%d");
  g_test_assert_expected_messages ();

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*property “visible” of GtkLabel holds a gboolean, not a string*");
  isle_island_bind_state_format (island, count, label, "visible", "%d");
  g_test_assert_expected_messages ();

  isle_island_set_child (island, label);
}

static void
test_bind_format_rejects (void)
{
  GtkWidget *island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, bad_format_setup, NULL, NULL);
  GtkWidget *window = present (island);

  run_frames (window, 2);
  g_assert_true (LABEL_IS (isle_island_get_child (ISLE_ISLAND (island)), "kept"));
  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (island)), ==, ISLE_ISLAND_PHASE_ACTIVE);

  destroy_window (window);
}

/* }}} */

/* Island effects and names {{{ */

static gboolean
show_total_cb (IsleIsland  *island,
               gpointer     user_data,
               GError     **error)
{
  IsleState *count = isle_island_lookup_state (island, "count");
  IsleDerived *twice = isle_island_lookup_derived (island, "twice");
  g_autofree char *text = NULL;

  if (isle_state_get_int (count) < 0)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED, "negative count");
      return FALSE;
    }

  text = g_strdup_printf ("%d/%d", isle_state_get_int (count), isle_derived_get_int (twice));
  gtk_label_set_label (GTK_LABEL (isle_island_get_child (island)), text);
  return TRUE;
}

static gboolean
twice_cb (IsleDerived  *derived,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  g_value_set_int (value, 2 * isle_state_get_int (user_data));
  return TRUE;
}

static void
effect_setup (IsleIsland *island,
              gpointer    user_data)
{
  IsleGraph *graph = isle_island_get_graph (island);
  IsleState *count = isle_state_new_int (graph, 1);

  isle_state_set_name (count, "count");
  isle_derived_set_name (isle_derived_new (graph, G_TYPE_INT, twice_cb, count, NULL), "twice");
  isle_island_set_child (island, gtk_label_new (NULL));
  isle_island_add_effect (island, "show total", show_total_cb, NULL, NULL);
}

typedef struct { IsleIsland parent_instance; } TestPane;
typedef struct { IsleIslandClass parent_class; } TestPaneClass;

static GType test_pane_get_type (void);
G_DEFINE_TYPE (TestPane, test_pane, ISLE_TYPE_ISLAND)

static void
test_pane_class_init (TestPaneClass *klass)
{
  ISLE_ISLAND_CLASS (klass)->setup = (void (*) (IsleIsland *)) effect_setup;
}

static void
test_pane_init (TestPane *self)
{
}

static void
test_island_effect (void)
{
  GtkWidget *island = g_object_new (test_pane_get_type (), NULL);
  GtkWidget *window = present (island);
  GtkWidget *label = isle_island_get_child (ISLE_ISLAND (island));
  IsleState *count;

  /* Named after its type, not after IsleIsland. */
  g_assert_cmpstr (isle_graph_get_name (isle_island_get_graph (ISLE_ISLAND (island))), ==, "TestPane");

  RUN_UNTIL (LABEL_IS (label, "1/2"));
  count = isle_island_lookup_state (ISLE_ISLAND (island), "count");
  isle_state_set_int (count, 5);
  RUN_UNTIL (LABEL_IS (label, "5/10"));

  /* A failure names the effect and the pane it belongs to. */
  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING,
                         "*effect “show total” in graph “TestPane” failed: negative count*");
  isle_state_set_int (count, -1);
  RUN_UNTIL (isle_island_get_phase (ISLE_ISLAND (island)) == ISLE_ISLAND_PHASE_FAILED);
  g_test_assert_expected_messages ();

  /* A widget name, once given, names the graph. */
  gtk_widget_set_name (island, "summary");
  g_assert_cmpstr (isle_graph_get_name (isle_island_get_graph (ISLE_ISLAND (island))), ==, "summary");

  g_assert_null (isle_island_lookup_state (ISLE_ISLAND (island), "nothing"));
  destroy_window (window);
}

/* }}} */

/* Expressions {{{ */

static void
expression_setup (IsleIsland *island,
                  gpointer    user_data)
{
  GtkWidget **labels = user_data;
  IsleState *count = isle_state_new_int (isle_island_get_graph (island), 4);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  isle_state_set_name (count, "count");
  labels[0] = gtk_label_new (NULL);
  labels[1] = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (box), labels[0]);
  gtk_box_append (GTK_BOX (box), labels[1]);
  gtk_expression_bind (isle_island_state_expression (island, count), labels[0], "label", NULL);
  gtk_expression_bind (isle_expression_new_for_store (ISLE_STORE (isle_registry_ensure_int (isle_registry_get_default (), "expr-count", 7))),
                       labels[1], "label", NULL);
  isle_island_set_child (island, box);
}

static void
test_expressions (void)
{
  GtkWidget *labels[2];
  GtkWidget *island = isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, expression_setup, labels, NULL);
  GtkWidget *window = present (island);
  IsleAtom *atom = ISLE_ATOM (isle_registry_lookup (isle_registry_get_default (), "expr-count"));
  g_auto(GValue) value = G_VALUE_INIT;
  GtkExpression *expression;

  /* Right at once, before any flush. */
  g_assert_true (LABEL_IS (labels[0], "4"));
  g_assert_true (LABEL_IS (labels[1], "7"));

  isle_state_set_int (isle_island_lookup_state (ISLE_ISLAND (island), "count"), 9);
  isle_atom_set_int (atom, 8);
  RUN_UNTIL (LABEL_IS (labels[0], "9"));
  RUN_UNTIL (LABEL_IS (labels[1], "8"));

  /* An expression evaluates to the store's value as an int. */
  expression = isle_expression_new_for_store (ISLE_STORE (atom));
  g_assert_cmpuint (gtk_expression_get_value_type (expression), ==, G_TYPE_INT);
  g_assert_true (gtk_expression_evaluate (expression, NULL, &value));
  g_assert_cmpint (g_value_get_int (&value), ==, 8);
  gtk_expression_unref (expression);

  destroy_window (window);
  g_assert_true (isle_registry_remove (isle_registry_get_default (), "expr-count"));
}

/* }}} */

/* .ui files {{{ */

static const char template_ui[] =
  "<interface>"
  "  <object class='GtkBox' id='box'>"
  "    <child>"
  "      <object class='IsleIsland' id='badge'>"
  "        <property name='store-name'>ui-cart</property>"
  "        <property name='format'>%d items</property>"
  "        <property name='child'>"
  "          <object class='GtkLabel' id='label'>"
  "            <binding name='label'>"
  "              <lookup name='text'>badge</lookup>"
  "            </binding>"
  "          </object>"
  "        </property>"
  "      </object>"
  "    </child>"
  "    <child>"
  "      <object class='GtkButton' id='add'>"
  "        <property name='label'>Add</property>"
  "        <property name='action-name'>shop.ui-cart</property>"
  "        <property name='action-target'>5</property>"
  "      </object>"
  "    </child>"
  "    <child>"
  "      <object class='GtkToggleButton' id='toggle'>"
  "        <property name='action-name'>shop.ui-dark</property>"
  "      </object>"
  "    </child>"
  "  </object>"
  "</interface>";

static void
test_ui_file (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  IsleAtom *cart = isle_registry_ensure_int (registry, "ui-cart", 2);
  IsleAtom *dark = isle_registry_ensure_boolean (registry, "ui-dark", FALSE);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) cart_action = isle_store_create_action (ISLE_STORE (cart));
  g_autoptr(GAction) dark_action = isle_store_create_action (ISLE_STORE (dark));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *box, *badge, *label, *window;

  g_action_map_add_action (G_ACTION_MAP (group), cart_action);
  g_action_map_add_action (G_ACTION_MAP (group), dark_action);

  builder = gtk_builder_new_from_string (template_ui, -1);
  box = GTK_WIDGET (gtk_builder_get_object (builder, "box"));
  badge = GTK_WIDGET (gtk_builder_get_object (builder, "badge"));
  label = GTK_WIDGET (gtk_builder_get_object (builder, "label"));
  gtk_widget_insert_action_group (box, "shop", G_ACTION_GROUP (group));
  window = present (box);

  g_assert_cmpstr (isle_island_get_text (ISLE_ISLAND (badge)), ==, "2 items");
  RUN_UNTIL (LABEL_IS (label, "2 items"));
  g_assert_true (isle_island_get_child (ISLE_ISLAND (badge)) == label);

  /* An atom set anywhere reaches the label through the expression. */
  isle_atom_set_int (cart, 3);
  RUN_UNTIL (LABEL_IS (label, "3 items"));

  /* The button's action-name sets the atom, with no code. */
  g_signal_emit_by_name (gtk_builder_get_object (builder, "add"), "clicked");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (cart)), ==, 5);
  RUN_UNTIL (LABEL_IS (label, "5 items"));

  /* A boolean atom is a toggle; the button shows its state. */
  g_signal_emit_by_name (gtk_builder_get_object (builder, "toggle"), "clicked");
  g_assert_true (isle_store_get_boolean (ISLE_STORE (dark)));
  RUN_UNTIL (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_builder_get_object (builder, "toggle"))));
  isle_atom_set_boolean (dark, FALSE);
  RUN_UNTIL (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_builder_get_object (builder, "toggle"))));

  destroy_window (window);
  g_clear_object (&builder);
  g_assert_true (isle_registry_remove (registry, "ui-cart"));
  g_assert_true (isle_registry_remove (registry, "ui-dark"));
}

/* An island subclass whose content comes from a template, and whose
 * label is bound to a store through a GtkExpression in that template. */
typedef struct { IsleIsland parent_instance; GtkLabel *label; } TestTemplatePane;
typedef struct { IsleIslandClass parent_class; } TestTemplatePaneClass;

static GType test_template_pane_get_type (void);
G_DEFINE_TYPE (TestTemplatePane, test_template_pane, ISLE_TYPE_ISLAND)

static const char template_pane_ui[] =
  "<interface>"
  "  <template class='TestTemplatePane' parent='IsleIsland'>"
  "    <property name='store-name'>tmpl-count</property>"
  "    <property name='child'>"
  "      <object class='GtkLabel' id='label'>"
  "        <binding name='label'>"
  "          <lookup name='text'>TestTemplatePane</lookup>"
  "        </binding>"
  "      </object>"
  "    </property>"
  "  </template>"
  "</interface>";

static void
test_template_pane_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), test_template_pane_get_type ());
  G_OBJECT_CLASS (test_template_pane_parent_class)->dispose (object);
}

static void
test_template_pane_class_init (TestTemplatePaneClass *klass)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (template_pane_ui, strlen (template_pane_ui));

  G_OBJECT_CLASS (klass)->dispose = test_template_pane_dispose;
  gtk_widget_class_set_template (GTK_WIDGET_CLASS (klass), bytes);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), TestTemplatePane, label);
}

static void
test_template_pane_init (TestTemplatePane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
test_template_subclass (void)
{
  IsleAtom *count = isle_registry_ensure_int (isle_registry_get_default (), "tmpl-count", 1);
  GtkWidget *pane = g_object_new (test_template_pane_get_type (), NULL);
  GtkWidget *window = present (pane);
  TestTemplatePane *self = (TestTemplatePane *) pane;

  g_assert_cmpint (isle_island_get_phase (ISLE_ISLAND (pane)), ==, ISLE_ISLAND_PHASE_ACTIVE);
  g_assert_true (isle_island_get_child (ISLE_ISLAND (pane)) == GTK_WIDGET (self->label));
  RUN_UNTIL (LABEL_IS (self->label, "1"));
  isle_atom_set_int (count, 42);
  RUN_UNTIL (LABEL_IS (self->label, "42"));

  destroy_window (window);
  g_assert_true (isle_registry_remove (isle_registry_get_default (), "tmpl-count"));
}

static void
test_store_name_unknown (void)
{
  GtkWidget *island = isle_island_new (ISLE_ACTIVATION_LOAD);

  g_object_ref_sink (island);
  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*no store named “missing”*");
  isle_island_set_store_name (ISLE_ISLAND (island), "missing");
  g_test_assert_expected_messages ();
  g_assert_null (isle_island_get_text (ISLE_ISLAND (island)));
  g_assert_finalize_object (island);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Island/bind-format", test_bind_format);
  g_test_add_func ("/Isle/Island/bind-format-rejects", test_bind_format_rejects);
  g_test_add_func ("/Isle/Island/add-effect", test_island_effect);
  g_test_add_func ("/Isle/Island/expressions", test_expressions);
  g_test_add_func ("/Isle/Island/ui-file", test_ui_file);
  g_test_add_func ("/Isle/Island/template-subclass", test_template_subclass);
  g_test_add_func ("/Isle/Island/store-name-unknown", test_store_name_unknown);

  return g_test_run ();
}
