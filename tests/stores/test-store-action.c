/* test-store-action.c: unit tests for isle_store_create_action ()
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Store changes reach the action on this thread's context. */
static void
deliver (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_boolean_toggles (void)
{
  g_autoptr(IsleAtom) dark = isle_atom_new_boolean ("dark", FALSE);
  g_autoptr(GAction) action = isle_store_create_action (ISLE_STORE (dark));
  g_autoptr(GVariant) state = NULL;

  g_assert_cmpstr (g_action_get_name (action), ==, "dark");
  g_assert_null (g_action_get_parameter_type (action));
  g_assert_true (g_action_get_enabled (action));

  g_action_activate (action, NULL);
  g_assert_true (isle_store_get_boolean (ISLE_STORE (dark)));
  deliver ();
  state = g_action_get_state (action);
  g_assert_true (g_variant_get_boolean (state));

  /* The other way: the store changes, the state follows. */
  isle_atom_set_boolean (dark, FALSE);
  deliver ();
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_get_state (action);
  g_assert_false (g_variant_get_boolean (state));
}

static GVariant *
no_negatives (IsleAtom  *atom,
              GVariant  *value,
              GVariant  *old_value,
              gpointer   user_data,
              GError   **error)
{
  if (g_variant_get_int32 (value) < 0)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_REJECTED, "negative");
      return NULL;
    }

  return g_variant_ref (value);
}

static void
test_int_sets_through_filter (void)
{
  g_autoptr(IsleAtom) count = isle_atom_new_int ("count", 1);
  g_autoptr(GAction) action = isle_store_create_action (ISLE_STORE (count));
  g_autoptr(GVariant) state = NULL;

  isle_atom_set_filter (count, no_negatives, NULL, NULL);
  g_assert_true (g_variant_type_equal (g_action_get_parameter_type (action), G_VARIANT_TYPE_INT32));

  g_action_activate (action, g_variant_new_int32 (5));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 5);
  g_action_change_state (action, g_variant_new_int32 (6));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 6);
  deliver ();
  state = g_action_get_state (action);
  g_assert_cmpint (g_variant_get_int32 (state), ==, 6);

  /* Rejected by the filter: the store and the state keep their value. */
  g_action_change_state (action, g_variant_new_int32 (-1));
  g_action_activate (action, g_variant_new_int32 (-2));
  deliver ();
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 6);
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_get_state (action);
  g_assert_cmpint (g_variant_get_int32 (state), ==, 6);
}

static void
test_action_drops_listener (void)
{
  g_autoptr(IsleAtom) count = isle_atom_new_int ("dropped", 0);
  GAction *action = isle_store_create_action (ISLE_STORE (count));

  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (count)), ==, 1);
  g_assert_finalize_object (action);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (count)), ==, 0);
}

static void
test_invalid_name (void)
{
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("not an action name", 0);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*isle_store_create_action*“not an action name”*valid action name*");
  g_assert_null (isle_store_create_action (ISLE_STORE (atom)));
  g_test_assert_expected_messages ();
}

static void
test_in_action_group (void)
{
  g_autoptr(IsleAtom) count = isle_atom_new_int ("grouped", 0);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) action = isle_store_create_action (ISLE_STORE (count));

  g_action_map_add_action (G_ACTION_MAP (group), action);
  g_action_group_activate_action (G_ACTION_GROUP (group), "grouped", g_variant_new_int32 (3));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (count)), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/StoreAction/boolean-toggles", test_boolean_toggles);
  g_test_add_func ("/Isle/StoreAction/int-sets-through-filter", test_int_sets_through_filter);
  g_test_add_func ("/Isle/StoreAction/drops-listener", test_action_drops_listener);
  g_test_add_func ("/Isle/StoreAction/invalid-name", test_invalid_name);
  g_test_add_func ("/Isle/StoreAction/in-action-group", test_in_action_group);

  return g_test_run ();
}
