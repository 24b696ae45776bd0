/* isle-island-bridge.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The bridge between shared stores and an island's graph: use_store and
 * use_atom, the mirror states and their typed listeners, the write-back to
 * the atom. Touches only the island's graph and its subscriptions. */

#include "config.h"

#include "isle-island-private.h"
#include "isle-node-private.h"

static GType
gtype_for_variant_type (const GVariantType *type)
{
  if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
    return G_TYPE_BOOLEAN;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    return G_TYPE_INT;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
    return G_TYPE_INT64;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    return G_TYPE_DOUBLE;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
    return G_TYPE_STRING;

  return G_TYPE_VARIANT;
}

static void
set_state_from_variant (IsleState *state,
                        GVariant  *value)
{
  switch (isle_state_get_value_type (state))
    {
    case G_TYPE_BOOLEAN:
      isle_state_set_boolean (state, g_variant_get_boolean (value));
      break;

    case G_TYPE_INT:
      isle_state_set_int (state, g_variant_get_int32 (value));
      break;

    case G_TYPE_INT64:
      isle_state_set_int64 (state, g_variant_get_int64 (value));
      break;

    case G_TYPE_DOUBLE:
      isle_state_set_double (state, g_variant_get_double (value));
      break;

    case G_TYPE_STRING:
      isle_state_set_string (state, g_variant_get_string (value, NULL));
      break;

    default:
      isle_state_set_variant (state, value);
    }
}

static GVariant *
variant_from_state (IsleState *state)
{
  switch (isle_state_get_value_type (state))
    {
    case G_TYPE_BOOLEAN:
      return g_variant_new_boolean (isle_state_get_boolean (state));

    case G_TYPE_INT:
      return g_variant_new_int32 (isle_state_get_int (state));

    case G_TYPE_INT64:
      return g_variant_new_int64 (isle_state_get_int64 (state));

    case G_TYPE_DOUBLE:
      return g_variant_new_double (isle_state_get_double (state));

    case G_TYPE_STRING:
      return g_variant_new_string (isle_state_get_string (state) ? isle_state_get_string (state) : "");

    default:
      return isle_state_get_variant (state);
    }
}

/* The mirror hears the atom's changes. They are not the island's writes:
 * the hold keeps them from starting use_atom's write-back. */
static void
atom_changed_cb (IsleStore *store,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data)
{
  IsleState *state = user_data;
  gboolean held;

  if (isle_state_is_disposed (state))
    return;

  held = _isle_state_hold_write_hook (state);
  set_state_from_variant (state, value);
  _isle_state_release_write_hook (state, held);
}

/* The mirrors of scalar stores hear plain values: a change set with a
 * typed setter then makes no GVariant on its way into the island. */
static void
atom_boolean_changed_cb (IsleStore *store,
                         gboolean   value,
                         gboolean   old_value,
                         gpointer   user_data)
{
  gboolean held;

  if (isle_state_is_disposed (user_data))
    return;

  held = _isle_state_hold_write_hook (user_data);
  isle_state_set_boolean (user_data, value);
  _isle_state_release_write_hook (user_data, held);
}

static void
atom_int_changed_cb (IsleStore *store,
                     int        value,
                     int        old_value,
                     gpointer   user_data)
{
  gboolean held;

  if (isle_state_is_disposed (user_data))
    return;

  held = _isle_state_hold_write_hook (user_data);
  isle_state_set_int (user_data, value);
  _isle_state_release_write_hook (user_data, held);
}

static void
atom_int64_changed_cb (IsleStore *store,
                       gint64     value,
                       gint64     old_value,
                       gpointer   user_data)
{
  gboolean held;

  if (isle_state_is_disposed (user_data))
    return;

  held = _isle_state_hold_write_hook (user_data);
  isle_state_set_int64 (user_data, value);
  _isle_state_release_write_hook (user_data, held);
}

static void
atom_double_changed_cb (IsleStore *store,
                        double     value,
                        double     old_value,
                        gpointer   user_data)
{
  gboolean held;

  if (isle_state_is_disposed (user_data))
    return;

  held = _isle_state_hold_write_hook (user_data);
  isle_state_set_double (user_data, value);
  _isle_state_release_write_hook (user_data, held);
}

/* @state was made by gtype_for_variant_type () from the store's type: its
 * value type says which listener fits. */
static guint
listen_for_mirror (IsleStore *store,
                   IsleState *state)
{
  gpointer data = isle_state_ref (state);
  GDestroyNotify destroy = (GDestroyNotify) isle_state_unref;

  switch (isle_state_get_value_type (state))
    {
    case G_TYPE_BOOLEAN:
      return isle_store_listen_boolean (store, atom_boolean_changed_cb, data, destroy);

    case G_TYPE_INT:
      return isle_store_listen_int (store, atom_int_changed_cb, data, destroy);

    case G_TYPE_INT64:
      return isle_store_listen_int64 (store, atom_int64_changed_cb, data, destroy);

    case G_TYPE_DOUBLE:
      return isle_store_listen_double (store, atom_double_changed_cb, data, destroy);

    default:
      return isle_store_listen (store, atom_changed_cb, data, destroy);
    }
}

typedef struct
{
  IsleState *state;
  IsleAtom  *atom;
} WriteBack;

static void
write_back_free (gpointer data)
{
  WriteBack *write_back = data;

  isle_state_unref (write_back->state);
  g_object_unref (write_back->atom);
  g_free (write_back);
}

/* Whether a scalar mirror already holds the atom's value: then the island
 * has nothing to write back. This is every atom-originated change (the
 * mirror was just set from the atom), so the change neither makes a
 * variant nor runs the atom's filter once per island. Reads the state in
 * any case, so the write-back keeps depending on it. */
static gboolean
mirror_matches_atom (WriteBack *write_back)
{
  IsleStore *store = ISLE_STORE (write_back->atom);
  IsleState *state = write_back->state;

  switch (isle_state_get_value_type (state))
    {
    case G_TYPE_BOOLEAN:
      return !isle_state_get_boolean (state) == !isle_store_get_boolean (store);

    case G_TYPE_INT:
      return isle_state_get_int (state) == isle_store_get_int (store);

    case G_TYPE_INT64:
      return isle_state_get_int64 (state) == isle_store_get_int64 (store);

    case G_TYPE_DOUBLE:
      return _isle_double_is (isle_state_get_double (state), isle_store_get_double (store));

    default:
      return FALSE;
    }
}

/* Writes to the mirror go through the atom: the atom hears the island's
 * value, and equality stops the echo. */
static gboolean
write_back_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  WriteBack *write_back = user_data;
  g_autoptr(GError) local_error = NULL;
  GVariant *value;

  if (mirror_matches_atom (write_back))
    return TRUE;

  value = variant_from_state (write_back->state);

  if (value == NULL)
    return TRUE;

  g_variant_ref_sink (value);
  if (!isle_atom_try_set (write_back->atom, value, &local_error))
    {
      g_autoptr(GVariant) current = isle_store_get_value (ISLE_STORE (write_back->atom));

      /* The atom said no (its filter, usually): the island's mirror goes
       * back to what the atom holds, so the pane shows the truth. */
      g_warning ("An island's write to “%s” was refused: %s",
                 isle_store_get_name (ISLE_STORE (write_back->atom)), local_error->message);
      set_state_from_variant (write_back->state, current);
    }
  g_variant_unref (value);

  return TRUE;
}

/* The island wrote to its mirror for the first time: from now on an
 * effect writes the mirror through to the atom, at the island's next
 * flush. Most islands only show an atom and never get here: they carry no
 * write-back effect, and an atom's change runs nothing for it. The effect
 * is the graph's, even when the write came from a running computation,
 * which would otherwise own it and drop it on its next run. */
static void
start_write_back (IsleState *state,
                  gpointer   user_data)
{
  WriteBack *write_back = user_data;
  IsleEffect *effect;

  effect = _isle_effect_new_unowned (isle_state_get_graph (state), write_back_cb, write_back,
                                     write_back_free);
  isle_effect_set_name (effect, "use_atom write-back");
}

static IsleState *
mirror_store (IsleIsland *self,
              IsleStore  *store)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  g_autoptr(GVariant) value = NULL;
  Subscription subscription;
  IsleState *state;

  state = isle_state_new (priv->graph, gtype_for_variant_type (isle_store_get_value_type (store)));
  isle_state_set_name (state, isle_store_get_name (store));

  value = isle_store_get_value (store);
  set_state_from_variant (state, value);

  subscription.store = g_object_ref (store);
  subscription.handle = listen_for_mirror (store, state);
  if (priv->subscriptions == NULL)
    priv->subscriptions = g_array_sized_new (FALSE, FALSE, sizeof (Subscription), 1);
  g_array_append_val (priv->subscriptions, subscription);

  return state;
}

/**
 * isle_island_use_store:
 * @self: an island
 * @store: a shared store
 *
 * Returns a state of the island's graph that mirrors @store: seeded from
 * its current value and following every change of it while the island
 * lives; the subscription is dropped when the island is disposed. Writes
 * to the state stay in the island (use [method@Isle.Island.use_atom] for
 * an atom the island writes to).
 *
 * Stores of type “b”, “i”, “x”, “d” and “s” give states of
 * G_TYPE_BOOLEAN, G_TYPE_INT, G_TYPE_INT64, G_TYPE_DOUBLE and
 * G_TYPE_STRING; others (a map's “a{sv}”) give a state of G_TYPE_VARIANT.
 *
 * Returns: (transfer none): the mirror state, owned by the island's graph
 *
 * Since: 1.0
 */
IsleState *
isle_island_use_store (IsleIsland *self,
                       IsleStore  *store)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (ISLE_IS_STORE (store), NULL);
  g_return_val_if_fail (!priv->disposed, NULL);

  return mirror_store (self, store);
}

/**
 * isle_island_use_atom:
 * @self: an island
 * @atom: a shared atom
 *
 * The bridge between the stores that islands share and the island's own
 * graph: returns a state of the island's graph that mirrors @atom, like
 * [method@Isle.Island.use_store], and what the island writes to it is
 * written through to the atom (at the island's next flush; the effect
 * that does it is made by the island's first write, so an island that
 * only shows the atom carries none). The subscription is dropped when the
 * island is disposed.
 *
 * Returns: (transfer none): the mirror state, owned by the island's graph
 *
 * Since: 1.0
 */
IsleState *
isle_island_use_atom (IsleIsland *self,
                      IsleAtom   *atom)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  WriteBack *write_back;
  IsleState *state;

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (ISLE_IS_ATOM (atom), NULL);
  g_return_val_if_fail (!priv->disposed, NULL);

  state = mirror_store (self, ISLE_STORE (atom));

  write_back = g_new0 (WriteBack, 1);
  write_back->state = isle_state_ref (state);
  write_back->atom = g_object_ref (atom);
  _isle_state_set_first_write_func (state, start_write_back, write_back, write_back_free);

  return state;
}

/* Called from dispose, before the graph goes: no change may reach it
 * after this. */
void
_isle_island_drop_subscriptions (IsleIsland *self)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);

  if (priv->subscriptions == NULL)
    return;

  for (guint i = 0; i < priv->subscriptions->len; i++)
    {
      Subscription *subscription = &g_array_index (priv->subscriptions, Subscription, i);

      isle_store_unsubscribe (subscription->store, subscription->handle);
      g_clear_object (&subscription->store);
    }
  g_array_set_size (priv->subscriptions, 0);
}
