/* test-shortcuts.c: the typed atom updates, the registry's scalar
 * shortcuts and looking nodes up by name
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

static void
test_atom_add_int (void)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("count", 40);

  g_assert_cmpint (isle_atom_add_int (atom, 1), ==, 41);
  g_assert_cmpint (isle_atom_add_int (atom, -3), ==, 38);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 38);

  /* Wraps around rather than overflowing (no undefined behaviour). */
  isle_atom_set_int (atom, G_MAXINT);
  g_assert_cmpint (isle_atom_add_int (atom, 1), ==, G_MININT);
}

static void
test_atom_add_other_types (void)
{
  g_autoptr(IsleAtom) big = isle_atom_new_int64 ("big", G_GINT64_CONSTANT (1) << 40);
  g_autoptr(IsleAtom) price = isle_atom_new_double ("price", 1.5);
  g_autoptr(IsleAtom) dark = isle_atom_new_boolean ("dark", FALSE);

  g_assert_cmpint (isle_atom_add_int64 (big, 2), ==, (G_GINT64_CONSTANT (1) << 40) + 2);
  g_assert_cmpfloat (isle_atom_add_double (price, 0.25), ==, 1.75);
  g_assert_true (isle_atom_toggle (dark));
  g_assert_false (isle_atom_toggle (dark));
  g_assert_false (isle_store_get_boolean (ISLE_STORE (dark)));
}

static void
test_atom_add_wrong_type (void)
{
  g_autoptr(IsleAtom) name = isle_atom_new_string ("label", "x");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*isle_atom_add_int*atom “label”*type “s”, not “i”*");
  g_assert_cmpint (isle_atom_add_int (name, 1), ==, 0);
  g_test_assert_expected_messages ();
  {
    g_autofree char *kept = isle_store_dup_string (ISLE_STORE (name));

    g_assert_cmpstr (kept, ==, "x");
  }
}

static GVariant *
at_most_ten (IsleAtom  *atom,
             GVariant  *value,
             GVariant  *old_value,
             gpointer   user_data,
             GError   **error)
{
  if (g_variant_get_int32 (value) > 10)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_REJECTED, "%d is too many",
                   g_variant_get_int32 (value));
      return NULL;
    }

  return g_variant_ref (value);
}

static GVariant *
round_to_even (IsleAtom  *atom,
               GVariant  *value,
               GVariant  *old_value,
               gpointer   user_data,
               GError   **error)
{
  return g_variant_new_int32 (g_variant_get_int32 (value) & ~1);
}

static void
test_atom_add_goes_through_filter (void)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("bounded", 9);

  isle_atom_set_filter (atom, at_most_ten, NULL, NULL);
  g_assert_cmpint (isle_atom_add_int (atom, 1), ==, 10);

  /* Rejected: reported, and the unchanged value returned. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*11 is too many*");
  g_assert_cmpint (isle_atom_add_int (atom, 1), ==, 10);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 10);

  /* Replaced: the value the atom took is returned. */
  isle_atom_set_filter (atom, round_to_even, NULL, NULL);
  g_assert_cmpint (isle_atom_add_int (atom, 3), ==, 12);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 12);
}

#define N_THREADS 4
#define N_ADDS 5000

static gpointer
add_many (gpointer data)
{
  for (guint i = 0; i < N_ADDS; i++)
    isle_atom_add_int (data, 1);

  return NULL;
}

static void
test_atom_add_int_threads (void)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("shared", 0);
  GThread *threads[N_THREADS];

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("adder", add_many, atom);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, N_THREADS * N_ADDS);

  /* Deliveries queued for this thread's context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_registry_ensure_scalars (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  IsleAtom *count = isle_registry_ensure_int (registry, "shortcuts-count", 3);
  IsleAtom *flag = isle_registry_ensure_boolean (registry, "shortcuts-flag", TRUE);
  IsleAtom *big = isle_registry_ensure_int64 (registry, "shortcuts-big", 7);
  IsleAtom *ratio = isle_registry_ensure_double (registry, "shortcuts-ratio", 0.5);
  IsleAtom *label = isle_registry_ensure_string (registry, "shortcuts-label", "hi");

  g_assert_nonnull (count);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 3);
  g_assert_true (isle_store_get_boolean (ISLE_STORE (flag)));
  g_assert_cmpint (isle_store_get_int64 (ISLE_STORE (big)), ==, 7);
  g_assert_cmpfloat (isle_store_get_double (ISLE_STORE (ratio)), ==, 0.5);
  {
    g_autofree char *text = isle_store_dup_string (ISLE_STORE (label));

    g_assert_cmpstr (text, ==, "hi");
  }

  /* The same instance the second time; the initial value is ignored. */
  isle_atom_set_int (count, 5);
  g_assert_true (isle_registry_ensure_int (registry, "shortcuts-count", 0) == count);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 5);

  /* A name taken by another type: a critical naming it, and NULL. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*isle_registry_ensure_int*“shortcuts-label” is already registered*");
  g_assert_null (isle_registry_ensure_int (registry, "shortcuts-label", 0));
  g_test_assert_expected_messages ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 5);
  test_clean_stores ();
  g_assert_null (isle_registry_lookup (registry, "shortcuts-count"));
}

static gboolean
seven_cb (IsleDerived  *self,
          GValue       *value,
          gpointer      user_data,
          GError      **error)
{
  g_value_set_int (value, 7);
  return TRUE;
}

static void
test_graph_lookup (void)
{
  g_autoptr(IsleGraph) graph = isle_graph_new ();
  IsleState *count = isle_state_new_int (graph, 1);
  IsleState *other = isle_state_new_int (graph, 2);
  IsleDerived *total = isle_derived_new (graph, G_TYPE_INT, seven_cb, NULL, NULL);

  g_assert_null (isle_graph_lookup_state (graph, "count"));

  isle_state_set_name (count, "count");
  isle_derived_set_name (total, "total");
  g_assert_true (isle_graph_lookup_state (graph, "count") == count);
  g_assert_true (isle_graph_lookup_derived (graph, "total") == total);

  /* A name finds only a node of its kind. */
  g_assert_null (isle_graph_lookup_derived (graph, "count"));
  g_assert_null (isle_graph_lookup_state (graph, "total"));

  /* Renamed: the old name no longer finds it; the newest holder wins. */
  isle_state_set_name (count, "n");
  g_assert_null (isle_graph_lookup_state (graph, "count"));
  g_assert_true (isle_graph_lookup_state (graph, "n") == count);
  isle_state_set_name (other, "n");
  g_assert_true (isle_graph_lookup_state (graph, "n") == other);

  /* Disposed: the name goes back to the live node named before it, and
   * then to no one. */
  isle_state_dispose (other);
  g_assert_true (isle_graph_lookup_state (graph, "n") == count);
  isle_state_dispose (count);
  g_assert_null (isle_graph_lookup_state (graph, "n"));
  isle_derived_dispose (total);
  g_assert_null (isle_graph_lookup_derived (graph, "total"));
}

static gboolean
named_child_cb (IsleEffect  *effect,
                gpointer     user_data,
                GError     **error)
{
  IsleGraph *graph = user_data;
  IsleState *child = isle_state_new_int (graph, 5);

  isle_state_set_name (child, "child");
  return TRUE;
}

static gboolean
nothing_cb (IsleEffect  *effect,
            gpointer     user_data,
            GError     **error)
{
  return TRUE;
}

/* The table of names is made by the first lookup, from the nodes as they
 * are then: the names given before it, renames and disposals included,
 * nodes that computations own, and no effect. */
static void
test_graph_lookup_first (void)
{
  g_autoptr(IsleGraph) graph = isle_graph_new ();
  IsleState *a = isle_state_new_int (graph, 1);
  IsleState *b = isle_state_new_int (graph, 2);
  IsleState *c = isle_state_new_int (graph, 3);
  IsleEffect *effect;
  IsleEffect *owner;
  IsleState *child;

  isle_state_set_name (a, "x");
  isle_state_set_name (b, "x");
  isle_state_set_name (c, "old");
  isle_state_set_name (c, "y");
  /* An effect named last does not hide the state of that name. */
  effect = isle_effect_new (graph, nothing_cb, NULL, NULL);
  isle_effect_set_name (effect, "x");
  owner = isle_effect_new (graph, named_child_cb, graph, NULL);
  isle_graph_flush (graph);
  isle_state_dispose (b);

  g_assert_true (isle_graph_lookup_state (graph, "x") == a);
  g_assert_true (isle_graph_lookup_state (graph, "y") == c);
  g_assert_null (isle_graph_lookup_state (graph, "old"));
  child = isle_graph_lookup_state (graph, "child");
  g_assert_nonnull (child);
  g_assert_cmpint (isle_state_get_int (child), ==, 5);

  /* Once made, the table follows: a new holder, and a holder that goes. */
  isle_state_set_name (c, "x");
  g_assert_true (isle_graph_lookup_state (graph, "x") == c);
  isle_state_set_name (c, NULL);
  g_assert_true (isle_graph_lookup_state (graph, "x") == a);
  isle_effect_dispose (owner);
  g_assert_null (isle_graph_lookup_state (graph, "child"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Atom/add-int", test_atom_add_int);
  g_test_add_func ("/Isle/Atom/add-other-types", test_atom_add_other_types);
  g_test_add_func ("/Isle/Atom/add-wrong-type", test_atom_add_wrong_type);
  g_test_add_func ("/Isle/Atom/add-goes-through-filter", test_atom_add_goes_through_filter);
  g_test_add_func ("/Isle/Atom/add-int-threads", test_atom_add_int_threads);
  g_test_add_func ("/Isle/Registry/ensure-scalars", test_registry_ensure_scalars);
  g_test_add_func ("/Isle/Graph/lookup", test_graph_lookup);
  g_test_add_func ("/Isle/Graph/lookup-first", test_graph_lookup_first);

  return g_test_run ();
}
