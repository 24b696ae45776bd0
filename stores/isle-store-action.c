/* isle-store-action.c: a store as a stateful GAction
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Holds isle_store_create_action (), the store's g_settings_create_action:
 * a GSimpleAction whose state follows the store through a listener, and
 * whose activations set the store through its filter. It uses only the
 * store's public API.
 */

#include "config.h"

#include "isle-store-private.h"

/* What an action needs of its store; freed with the action. */
typedef struct
{
  IsleStore *store;
  guint      handle;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action_data = data;

  isle_store_unsubscribe (action_data->store, action_data->handle);
  g_object_unref (action_data->store);
  g_free (action_data);
}

static void
weak_ref_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The state follows the store, whoever changed it: the action never sets
 * its own state, so a value the store refused never shows. */
static void
store_changed_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  g_autoptr(GSimpleAction) action = g_weak_ref_get (user_data);

  if (action != NULL)
    g_simple_action_set_state (action, value);
}

static void
set_store (IsleStore *store,
           GVariant  *value)
{
  g_autoptr(GError) error = NULL;

  /* Refused by the store's filter, or of the wrong type: the store keeps
   * its value, and so does the action's state. */
  if (!isle_atom_try_set (ISLE_ATOM (store), value, &error))
    g_debug ("action “%s” did not change the store: %s", isle_store_get_name (store),
             error->message);
}

static void
change_state_cb (GSimpleAction *action,
                 GVariant      *value,
                 ActionData    *data)
{
  set_store (data->store, value);
}

static void
activate_cb (GSimpleAction *action,
             GVariant      *parameter,
             ActionData    *data)
{
  if (parameter != NULL)
    set_store (data->store, parameter);
  else
    isle_atom_toggle (ISLE_ATOM (data->store));
}

/**
 * isle_store_create_action:
 * @self: a store whose name is a valid action name
 *   (see g_action_name_is_valid())
 *
 * Creates a stateful action named after @self whose state is the store's
 * value, the way g_settings_create_action() does for a settings key: a
 * button's `action-name` (in a `.ui` file too) then changes an atom with
 * no code at all.
 *
 * For an [class@Isle.Atom] of type “b” the action has no parameter and
 * activating it toggles the atom (a toggle button or a check menu item).
 * For an atom of another type the parameter type is the atom's: activating
 * the action with a value, or asking it to change its state, sets the
 * atom. Either way the value goes through the atom's filter, and a value
 * it rejects (or one of the wrong type) leaves both the atom and the
 * action's state as they were. Other stores (maps, computed stores) give a
 * disabled action whose state follows them.
 *
 * ```c
 * g_action_map_add_action (G_ACTION_MAP (app), isle_store_create_action (ISLE_STORE (dark)));
 * // <object class="GtkToggleButton"><property name="action-name">app.dark</property>
 * ```
 *
 * The action holds a reference to @self and listens to it (which keeps a
 * store with lifecycle hooks started) until the action is finalized. Its
 * state changes on the store's main context.
 *
 * Returns: (transfer full) (nullable): a new action, or %NULL (with a
 *   critical) if the name of @self is not a valid action name
 *
 * Since: 1.0
 */
GAction *
isle_store_create_action (IsleStore *self)
{
  g_autoptr(GVariant) value = NULL;
  const GVariantType *parameter_type = NULL;
  const char *name;
  GSimpleAction *action;
  ActionData *data;
  GWeakRef *ref;

  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  name = isle_store_get_name (self);
  if (name == NULL || !g_action_name_is_valid (name))
    {
      g_autofree char *label = _isle_store_dup_label (self);

      g_critical ("%s: %s has no name that is a valid action name", G_STRFUNC, label);
      return NULL;
    }

  value = isle_store_get_value (self);
  if (ISLE_IS_ATOM (self) &&
      !g_variant_type_equal (isle_store_get_value_type (self), G_VARIANT_TYPE_BOOLEAN))
    parameter_type = isle_store_get_value_type (self);

  action = g_simple_action_new_stateful (name, parameter_type, value);
  g_simple_action_set_enabled (action, ISLE_IS_ATOM (self));

  data = g_new0 (ActionData, 1);
  data->store = g_object_ref (self);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, action);
  data->handle = isle_store_listen (self, store_changed_cb, ref, weak_ref_free);
  g_object_set_data_full (G_OBJECT (action), "isle-store-action", data, action_data_free);

  /* A change made between the read above and the listener is not lost. */
  g_clear_pointer (&value, g_variant_unref);
  value = isle_store_get_value (self);
  g_simple_action_set_state (action, value);

  g_signal_connect (action, "change-state", G_CALLBACK (change_state_cb), data);
  g_signal_connect (action, "activate", G_CALLBACK (activate_cb), data);

  return G_ACTION (action);
}
