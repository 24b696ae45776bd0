/* isle-island-bindings.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Bindings from an island's states and deriveds to object properties, and
 * links from widget signals to actions. Touches only the island's graph
 * (an effect per binding) and its list of signal connections. */

#include "config.h"

#include "isle-island-private.h"
#include "isle-node-private.h"

typedef struct
{
  GWeakRef instance;
  gulong   handler;
} Connection;

void
_isle_island_connection_free (gpointer data)
{
  Connection *connection = data;
  g_autoptr(GObject) instance = g_weak_ref_get (&connection->instance);

  if (instance != NULL)
    g_signal_handler_disconnect (instance, connection->handler);
  g_weak_ref_clear (&connection->instance);
  g_free (connection);
}

typedef struct
{
  IsleNode          *node;
  GWeakRef           object;
  GParamSpec        *pspec;
  IsleBindTransform  transform;
  gpointer           user_data;
  GDestroyNotify     destroy;
  GClosure          *closure;    /* the transform of a language binding */
} Binding;

static void
binding_free (gpointer data)
{
  Binding *binding = data;

  if (binding->destroy != NULL)
    binding->destroy (binding->user_data);
  g_clear_pointer (&binding->closure, g_closure_unref);
  g_weak_ref_clear (&binding->object);
  g_param_spec_unref (binding->pspec);
  _isle_node_unref (binding->node);
  g_free (binding);
}

/* Calls the closure of a binding made by a language binding: it takes the
 * node's value and returns the property's (as a GValue holding a GValue,
 * so any type can come back; a value of another type is converted when
 * GLib knows how). No value back means the function raised or returned
 * nothing: a failure, reported like any failing callback. */
static gboolean
closure_transform (Binding       *binding,
                   const GValue  *from,
                   GValue        *to,
                   GError       **error)
{
  g_auto(GValue) ret = G_VALUE_INIT;
  const GValue *result;

  g_value_init (&ret, G_TYPE_VALUE);
  g_closure_invoke (binding->closure, &ret, 1, from, NULL);

  result = g_value_get_boxed (&ret);
  while (result != NULL && G_VALUE_HOLDS (result, G_TYPE_VALUE))
    result = g_value_get_boxed (result);

  if (result == NULL)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_FAILED,
                   "the transform for property “%s” raised an exception or returned no value",
                   binding->pspec->name);
      return FALSE;
    }

  if (g_value_type_compatible (G_VALUE_TYPE (result), G_VALUE_TYPE (to)))
    {
      g_value_copy (result, to);
      return TRUE;
    }

  if (g_value_type_transformable (G_VALUE_TYPE (result), G_VALUE_TYPE (to)) &&
      g_value_transform (result, to))
    return TRUE;

  g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
               "the transform for property “%s” returned a %s, not a %s",
               binding->pspec->name, G_VALUE_TYPE_NAME (result), G_VALUE_TYPE_NAME (to));
  return FALSE;
}

static gboolean
binding_cb (IsleEffect  *effect,
            gpointer     user_data,
            GError     **error)
{
  Binding *binding = user_data;
  g_autoptr(GObject) object = g_weak_ref_get (&binding->object);
  g_auto(GValue) from = G_VALUE_INIT;
  g_auto(GValue) to = G_VALUE_INIT;

  if (binding->node->kind == ISLE_NODE_STATE)
    isle_state_get_value ((IsleState *) binding->node, &from);
  else
    isle_derived_get_value ((IsleDerived *) binding->node, &from);

  /* The target went away: nothing to update (the dependency stays). */
  if (object == NULL || !G_IS_VALUE (&from))
    return TRUE;

  g_value_init (&to, binding->pspec->value_type);

  if (binding->closure != NULL)
    {
      if (!closure_transform (binding, &from, &to, error))
        return FALSE;
    }
  else if (binding->transform != NULL)
    {
      if (!binding->transform (&from, &to, binding->user_data))
        return TRUE;
    }
  else if (!g_value_transform (&from, &to))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "cannot turn a %s into the %s of property “%s”",
                   G_VALUE_TYPE_NAME (&from), g_type_name (binding->pspec->value_type),
                   binding->pspec->name);
      return FALSE;
    }

  g_object_set_property (object, binding->pspec->name, &to);

  return TRUE;
}

static void
bind_node (IsleIsland        *self,
           IsleNode          *node,
           gpointer           object,
           const char        *property,
           IsleBindTransform  transform,
           gpointer           user_data,
           GDestroyNotify     destroy,
           GClosure          *closure,
           const char        *func)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  g_autofree char *name = NULL;
  GParamSpec *pspec;
  Binding *binding;
  IsleEffect *effect;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE))
    {
      g_critical ("%s: %s has no writable property “%s”", func,
                  G_OBJECT_TYPE_NAME (object), property);
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  if (closure != NULL)
    {
      g_closure_ref (closure);
      g_closure_sink (closure);
      if (G_CLOSURE_NEEDS_MARSHAL (closure))
        g_closure_set_marshal (closure, g_cclosure_marshal_generic);
    }

  binding = g_new0 (Binding, 1);
  binding->node = _isle_node_ref (node);
  g_weak_ref_init (&binding->object, object);
  binding->pspec = g_param_spec_ref (pspec);
  binding->transform = transform;
  binding->user_data = user_data;
  binding->destroy = destroy;
  binding->closure = closure;

  effect = isle_effect_new (priv->graph, binding_cb, binding, binding_free);
  name = g_strdup_printf ("binding to %s:%s", G_OBJECT_TYPE_NAME (object), property);
  isle_effect_set_name (effect, name);
}

/**
 * isle_island_bind_state:
 * @self: an island
 * @state: a state of the island's graph
 * @object: (type GObject.Object): the target object
 * @property: a writable property of @object
 * @transform: (nullable) (scope notified) (closure user_data) (destroy destroy): turns
 *   the state's value into the property's, or %NULL for g_value_transform()
 * @user_data: data for @transform
 * @destroy: (nullable): frees @user_data
 *
 * Keeps @property of @object equal to @state (through @transform) for as
 * long as the island lives, updated on the island's frame clock.
 *
 * Since: 1.0
 */
void
isle_island_bind_state (IsleIsland        *self,
                        IsleState         *state,
                        gpointer           object,
                        const char        *property,
                        IsleBindTransform  transform,
                        gpointer           user_data,
                        GDestroyNotify     destroy)
{
  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (state != NULL);
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (property != NULL);

  bind_node (self, (IsleNode *) state, object, property, transform, user_data, destroy,
             NULL, G_STRFUNC);
}

/**
 * isle_island_bind_derived:
 * @self: an island
 * @derived: a derived of the island's graph
 * @object: (type GObject.Object): the target object
 * @property: a writable property of @object
 * @transform: (nullable) (scope notified) (closure user_data) (destroy destroy): turns
 *   the derived's value into the property's, or %NULL for g_value_transform()
 * @user_data: data for @transform
 * @destroy: (nullable): frees @user_data
 *
 * Keeps @property of @object equal to @derived (through @transform) for as
 * long as the island lives, updated on the island's frame clock.
 *
 * Since: 1.0
 */
void
isle_island_bind_derived (IsleIsland        *self,
                          IsleDerived       *derived,
                          gpointer           object,
                          const char        *property,
                          IsleBindTransform  transform,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (derived != NULL);
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (property != NULL);

  bind_node (self, (IsleNode *) derived, object, property, transform, user_data, destroy,
             NULL, G_STRFUNC);
}

typedef struct
{
  GClosure          closure;
  IsleIsland       *island;
  IsleIslandAction  action;
  gpointer          user_data;
  GDestroyNotify    destroy;
} ActionClosure;

static void
action_marshal (GClosure     *closure,
                GValue       *return_value,
                guint         n_param_values,
                const GValue *param_values,
                gpointer      invocation_hint,
                gpointer      marshal_data)
{
  ActionClosure *action = (ActionClosure *) closure;

  action->action (action->island, action->user_data);
}

static void
action_closure_finalize (gpointer  data,
                         GClosure *closure)
{
  ActionClosure *action = (ActionClosure *) closure;

  if (action->destroy != NULL)
    action->destroy (action->user_data);
}

/**
 * isle_island_connect_action:
 * @self: an island
 * @instance: (type GObject.Object): the object whose signal to connect to,
 *   usually a widget of the island
 * @detailed_signal: the signal, such as “clicked”
 * @action: (scope notified) (closure user_data) (destroy destroy): what to do, usually
 *   a change of a store
 * @user_data: data for @action
 * @destroy: (nullable): frees @user_data
 *
 * Runs @action whenever @instance emits @detailed_signal (its arguments
 * are ignored), for as long as the island lives: the link from a widget
 * signal to a store action, which is disconnected with the island.
 *
 * @action is given the island. Use it rather than capturing the island in
 * a closure: the island owns @instance, so a closure that holds the island
 * is a reference cycle that keeps it alive.
 *
 * Returns: the handler id, or 0 if the signal does not exist
 *
 * Since: 1.0
 */
gulong
isle_island_connect_action (IsleIsland       *self,
                            gpointer          instance,
                            const char       *detailed_signal,
                            IsleIslandAction  action,
                            gpointer          user_data,
                            GDestroyNotify    destroy)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  ActionClosure *closure;
  Connection *connection;
  guint signal_id;

  g_return_val_if_fail (ISLE_IS_ISLAND (self), 0);
  g_return_val_if_fail (G_IS_OBJECT (instance), 0);
  g_return_val_if_fail (detailed_signal != NULL, 0);
  g_return_val_if_fail (action != NULL, 0);

  if (!g_signal_parse_name (detailed_signal, G_OBJECT_TYPE (instance), &signal_id, NULL, FALSE))
    {
      g_critical ("%s: %s has no signal “%s”", G_STRFUNC, G_OBJECT_TYPE_NAME (instance),
                  detailed_signal);
      if (destroy != NULL)
        destroy (user_data);
      return 0;
    }

  closure = (ActionClosure *) g_closure_new_simple (sizeof (ActionClosure), NULL);
  closure->island = self;
  closure->action = action;
  closure->user_data = user_data;
  closure->destroy = destroy;
  g_closure_set_marshal (&closure->closure, action_marshal);
  g_closure_add_finalize_notifier (&closure->closure, NULL, action_closure_finalize);

  connection = g_new0 (Connection, 1);
  g_weak_ref_init (&connection->instance, instance);
  connection->handler = g_signal_connect_closure (instance, detailed_signal, &closure->closure, FALSE);
  g_ptr_array_add (priv->connections, connection);

  return connection->handler;
}

/**
 * isle_island_bind_state_closure: (rename-to isle_island_bind_state)
 * @self: an island
 * @state: a state of the island's graph
 * @object: (type GObject.Object): the target object
 * @property: a writable property of @object
 * @transform: (nullable): a closure that takes the state's value and
 *   returns the property's, or %NULL for g_value_transform()
 *
 * Keeps @property of @object equal to @state, like
 * [method@Isle.Island.bind_state], with a #GClosure as the transform: the
 * form for language bindings, where the function returns the new value.
 * In Python:
 *
 * ```python
 * self.bind_state(count, label, 'label', lambda n: '%d items' % n)
 * ```
 *
 * The returned value may be of any type that converts to the property's.
 * A transform that raises, or returns `None`, fails like any callback: the
 * failure is reported and the property keeps its value.
 *
 * Since: 1.0
 */
void
isle_island_bind_state_closure (IsleIsland  *self,
                                IsleState   *state,
                                gpointer     object,
                                const char  *property,
                                GClosure    *transform)
{
  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (state != NULL);
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (property != NULL);

  bind_node (self, (IsleNode *) state, object, property, NULL, NULL, NULL, transform,
             "isle_island_bind_state");
}

/**
 * isle_island_bind_derived_closure: (rename-to isle_island_bind_derived)
 * @self: an island
 * @derived: a derived of the island's graph
 * @object: (type GObject.Object): the target object
 * @property: a writable property of @object
 * @transform: (nullable): a closure that takes the derived's value and
 *   returns the property's, or %NULL for g_value_transform()
 *
 * Keeps @property of @object equal to @derived, like
 * [method@Isle.Island.bind_derived], with a #GClosure as the transform:
 * the form for language bindings (see
 * [method@Isle.Island.bind_state_closure]).
 *
 * Since: 1.0
 */
void
isle_island_bind_derived_closure (IsleIsland  *self,
                                  IsleDerived *derived,
                                  gpointer     object,
                                  const char  *property,
                                  GClosure    *transform)
{
  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (derived != NULL);
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (property != NULL);

  bind_node (self, (IsleNode *) derived, object, property, NULL, NULL, NULL, transform,
             "isle_island_bind_derived");
}
