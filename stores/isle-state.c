/* isle-state.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-node-private.h"

/**
 * IsleState:
 *
 * A value in a signal graph that can be read and written.
 *
 * A state has a value type, fixed when it is created; its value is held in
 * a [struct@GObject.Value], which stores scalars (booleans, integers,
 * doubles, pointers) inline, so reading and writing them allocates
 * nothing, while strings, [struct@GLib.Variant]s, objects and boxed values
 * are copied or referenced as GValue does. GValue is GObject's own typed
 * container: the same values then bind to properties, and convert to and
 * from Python without any glue.
 *
 * Reading a state while a derived or effect runs makes it a dependency of
 * that derived or effect. Writing a value equal to the current one does
 * nothing: numbers compare like JavaScript's `Object.is` (NaN equals NaN,
 * 0 and -0 differ), strings and variants by value, objects, boxed values
 * and pointers by identity, unless [method@Isle.State.set_equal_func] gave
 * the state its own equality.
 *
 * ```c
 * IsleState *count = isle_state_new_int (graph, 0);
 *
 * isle_state_set_int (count, isle_state_get_int (count) + 1);
 * ```
 *
 * A state is owned by its graph, or by the derived or effect that was
 * running when it was created, and disposed with it; the pointer the
 * constructors return is not a new reference.
 *
 * Since: 1.0
 */

G_DEFINE_BOXED_TYPE (IsleState, isle_state, isle_state_ref, isle_state_unref)

static IsleState *
state_new (IsleGraph *graph,
           GType      value_type)
{
  return (IsleState *) _isle_node_new (graph, ISLE_NODE_STATE, value_type);
}

/**
 * isle_state_new:
 * @graph: a graph
 * @value_type: the type of the values the state holds
 *
 * Creates a state holding the default value of @value_type (zero, %FALSE
 * or %NULL).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new (IsleGraph *graph,
                GType      value_type)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);

  return state_new (graph, value_type);
}

/**
 * isle_state_new_value:
 * @graph: a graph
 * @value: the initial value, whose type becomes the state's value type
 *
 * Creates a state holding a copy of @value.
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_value (IsleGraph    *graph,
                      const GValue *value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  node = (IsleNode *) state_new (graph, G_VALUE_TYPE (value));
  g_value_copy (value, &node->value);

  return (IsleState *) node;
}

/**
 * isle_state_new_boolean:
 * @graph: a graph
 * @value: the initial value
 *
 * Creates a state holding a boolean (G_TYPE_BOOLEAN).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_boolean (IsleGraph *graph,
                        gboolean  value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_BOOLEAN);
  node->value.data[0].v_int = !!value;

  return (IsleState *) node;
}

/**
 * isle_state_new_int:
 * @graph: a graph
 * @value: the initial value
 *
 * Creates a state holding a integer (G_TYPE_INT).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_int (IsleGraph *graph,
                    int       value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_INT);
  node->value.data[0].v_int = value;

  return (IsleState *) node;
}

/**
 * isle_state_new_int64:
 * @graph: a graph
 * @value: the initial value
 *
 * Creates a state holding a 64-bit integer (G_TYPE_INT64).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_int64 (IsleGraph *graph,
                      gint64    value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_INT64);
  node->value.data[0].v_int64 = value;

  return (IsleState *) node;
}

/**
 * isle_state_new_uint64:
 * @graph: a graph
 * @value: the initial value
 *
 * Creates a state holding a unsigned 64-bit integer (G_TYPE_UINT64).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_uint64 (IsleGraph *graph,
                       guint64   value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_UINT64);
  node->value.data[0].v_uint64 = value;

  return (IsleState *) node;
}

/**
 * isle_state_new_double:
 * @graph: a graph
 * @value: the initial value
 *
 * Creates a state holding a double (G_TYPE_DOUBLE).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_double (IsleGraph *graph,
                       double    value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_DOUBLE);
  node->value.data[0].v_double = value;

  return (IsleState *) node;
}

/**
 * isle_state_new_pointer: (skip)
 * @graph: a graph
 * @value: (nullable): the initial value
 *
 * Creates a state holding a pointer (G_TYPE_POINTER).
 *
 * Bindings, which cannot use raw pointers, use [ctor@Isle.State.new_value] instead.
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_pointer (IsleGraph *graph,
                        gpointer  value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_POINTER);
  node->value.data[0].v_pointer = value;

  return (IsleState *) node;
}

/**
 * isle_state_new_string:
 * @graph: a graph
 * @value: (nullable): the initial value
 *
 * Creates a state holding a string (G_TYPE_STRING).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_string (IsleGraph  *graph,
                       const char *value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_STRING);
  g_value_set_string (&node->value, value);

  return (IsleState *) node;
}

/**
 * isle_state_new_variant:
 * @graph: a graph
 * @value: (nullable): the initial value; a floating reference is sunk
 *
 * Creates a state holding a [struct@GLib.Variant] (G_TYPE_VARIANT).
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_variant (IsleGraph *graph,
                        GVariant  *value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);

  node = (IsleNode *) state_new (graph, G_TYPE_VARIANT);
  if (value != NULL)
    g_value_take_variant (&node->value, g_variant_ref_sink (value));

  return (IsleState *) node;
}

/**
 * isle_state_new_object:
 * @graph: a graph
 * @object_type: the type of the objects the state holds
 * @value: (type GObject.Object) (nullable): the initial object
 *
 * Creates a state holding an object of @object_type.
 *
 * Returns: (transfer none): a new state, owned by @graph or by the running
 *   computation
 *
 * Since: 1.0
 */
IsleState *
isle_state_new_object (IsleGraph *graph,
                       GType      object_type,
                       gpointer   value)
{
  IsleNode *node;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (g_type_is_a (object_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (value == NULL || g_type_is_a (G_OBJECT_TYPE (value), object_type), NULL);

  node = (IsleNode *) state_new (graph, object_type);
  g_value_set_object (&node->value, value);

  return (IsleState *) node;
}

/**
 * isle_state_ref:
 * @self: a state
 *
 * Acquires a reference on @self, to keep it past its owner.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
IsleState *
isle_state_ref (IsleState *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (IsleState *) _isle_node_ref ((IsleNode *) self);
}

/**
 * isle_state_unref:
 * @self: (transfer full): a state
 *
 * Releases a reference on @self.
 *
 * Since: 1.0
 */
void
isle_state_unref (IsleState *self)
{
  g_return_if_fail (self != NULL);

  _isle_node_unref ((IsleNode *) self);
}

/**
 * isle_state_dispose:
 * @self: a state
 *
 * Disposes @self: it leaves its graph and its value is dropped. Deriveds
 * and effects that depended on it no longer do.
 *
 * The graph holds the only reference to a node its constructor returned
 * (they are `(transfer none)`), and disposing drops it: unless you hold a
 * reference of your own ([method@Isle.State.ref]), @self is freed here and
 * must not be used again. With a reference held, any further use is
 * reported as a critical and does nothing, disposing again does nothing,
 * and [method@Isle.State.is_disposed] says %TRUE until you drop it.
 *
 * Since: 1.0
 */
void
isle_state_dispose (IsleState *self)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (self != NULL);
  g_return_if_fail (node->kind == ISLE_NODE_STATE);

  _isle_node_dispose (node);
}

/**
 * isle_state_is_disposed:
 * @self: a state
 *
 * Gets whether @self was disposed, by itself, with its owner or with its
 * graph.
 *
 * Returns: %TRUE if @self was disposed
 *
 * Since: 1.0
 */
gboolean
isle_state_is_disposed (IsleState *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return (((IsleNode *) self)->flags & ISLE_NODE_DISPOSED) != 0;
}

/**
 * isle_state_get_graph:
 * @self: a state
 *
 * Gets the graph @self belongs to.
 *
 * Returns: (transfer none) (nullable): the graph, or %NULL once @self was
 *   disposed
 *
 * Since: 1.0
 */
IsleGraph *
isle_state_get_graph (IsleState *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ((IsleNode *) self)->graph;
}

/**
 * isle_state_get_name:
 * @self: a state
 *
 * Gets the name of @self.
 *
 * Returns: (nullable): the name of @self
 *
 * Since: 1.0
 */
const char *
isle_state_get_name (IsleState *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return _isle_node_get_name ((IsleNode *) self);
}

/**
 * isle_state_set_name:
 * @self: a state
 * @name: (nullable): the new name
 *
 * Names @self; the name appears in every message about it.
 *
 * Since: 1.0
 */
void
isle_state_set_name (IsleState  *self,
                     const char *name)
{
  g_return_if_fail (self != NULL);

  _isle_node_set_name ((IsleNode *) self, name);
}

/**
 * isle_state_get_value_type:
 * @self: a state
 *
 * Gets the type of the values @self holds.
 *
 * Returns: the value type
 *
 * Since: 1.0
 */
GType
isle_state_get_value_type (IsleState *self)
{
  g_return_val_if_fail (self != NULL, G_TYPE_INVALID);
  g_return_val_if_fail (((IsleNode *) self)->kind == ISLE_NODE_STATE, G_TYPE_INVALID);

  return G_VALUE_TYPE (&((IsleNode *) self)->value);
}

/**
 * isle_state_set_equal_func:
 * @self: a state
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   equality function, or %NULL for the default one
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Gives @self its own equality: a write that @func judges equal to the
 * current value keeps the current value and notifies nobody.
 *
 * Since: 1.0
 */
void
isle_state_set_equal_func (IsleState      *self,
                           IsleEqualFunc   func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  IsleNode *node = (IsleNode *) self;

  if (!_isle_node_check (node, ISLE_NODE_STATE, G_TYPE_INVALID, TRUE, G_STRFUNC))
    {
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  _isle_node_set_equal_func (node, func, user_data, destroy);
}

/**
 * isle_state_get_value:
 * @self: a state
 * @value: (out caller-allocates): an uninitialized value to receive a copy
 *
 * Reads the value of @self into @value, which is initialized to the
 * state's value type.
 *
 * Since: 1.0
 */
void
isle_state_get_value (IsleState *self,
                      GValue    *value)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (value != NULL);
  g_return_if_fail (!G_IS_VALUE (value));

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_INVALID, FALSE, G_STRFUNC))
    return;

  g_value_init (value, G_VALUE_TYPE (&node->value));
  g_value_copy (_isle_node_read (node), value);
}

/**
 * isle_state_set_value:
 * @self: a state
 * @value: the new value: of the state's value type, or of a type that
 *   converts to it
 *
 * Sets @self to a copy of @value (converted with g_value_transform() if
 * needed). A value of a type that does not convert is reported and
 * changes nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_value (IsleState    *self,
                      const GValue *value)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (G_IS_VALUE (value));

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_INVALID, TRUE, G_STRFUNC))
    return;

  _isle_node_write_value (node, value, G_STRFUNC);
}

/**
 * isle_state_get_boolean:
 * @self: a state holding G_TYPE_BOOLEAN
 *
 * Reads the boolean held by @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
gboolean
isle_state_get_boolean (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_BOOLEAN, v_int);
}

/**
 * isle_state_set_boolean:
 * @self: a state holding G_TYPE_BOOLEAN
 * @value: the new value
 *
 * Sets the boolean held by @self. This allocates nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_boolean (IsleState *self,
                        gboolean value)
{
  ISLE_STATE_SET_SCALAR (self, G_TYPE_BOOLEAN, v_int, !!value);
}

/**
 * isle_state_get_int:
 * @self: a state holding G_TYPE_INT
 *
 * Reads the integer held by @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
int
isle_state_get_int (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_INT, v_int);
}

/**
 * isle_state_set_int:
 * @self: a state holding G_TYPE_INT
 * @value: the new value
 *
 * Sets the integer held by @self. This allocates nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_int (IsleState *self,
                    int      value)
{
  ISLE_STATE_SET_SCALAR (self, G_TYPE_INT, v_int, value);
}

/**
 * isle_state_get_int64:
 * @self: a state holding G_TYPE_INT64
 *
 * Reads the 64-bit integer held by @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
gint64
isle_state_get_int64 (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_INT64, v_int64);
}

/**
 * isle_state_set_int64:
 * @self: a state holding G_TYPE_INT64
 * @value: the new value
 *
 * Sets the 64-bit integer held by @self. This allocates nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_int64 (IsleState *self,
                      gint64   value)
{
  ISLE_STATE_SET_SCALAR (self, G_TYPE_INT64, v_int64, value);
}

/**
 * isle_state_get_uint64:
 * @self: a state holding G_TYPE_UINT64
 *
 * Reads the unsigned 64-bit integer held by @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
guint64
isle_state_get_uint64 (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_UINT64, v_uint64);
}

/**
 * isle_state_set_uint64:
 * @self: a state holding G_TYPE_UINT64
 * @value: the new value
 *
 * Sets the unsigned 64-bit integer held by @self. This allocates nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_uint64 (IsleState *self,
                       guint64  value)
{
  ISLE_STATE_SET_SCALAR (self, G_TYPE_UINT64, v_uint64, value);
}

/**
 * isle_state_get_double:
 * @self: a state holding G_TYPE_DOUBLE
 *
 * Reads the double held by @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
double
isle_state_get_double (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_DOUBLE, v_double);
}

/**
 * isle_state_set_double:
 * @self: a state holding G_TYPE_DOUBLE
 * @value: the new value
 *
 * Sets the double held by @self. This allocates nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_double (IsleState *self,
                       double   value)
{
  ISLE_STATE_SET_SCALAR (self, G_TYPE_DOUBLE, v_double, value);
}

/**
 * isle_state_get_pointer: (skip)
 * @self: a state holding G_TYPE_POINTER
 *
 * Reads the pointer held by @self.
 *
 * Bindings, which cannot use raw pointers, use [method@Isle.State.get_value] instead.
 *
 * Returns: (nullable) (transfer none): the value
 *
 * Since: 1.0
 */
gpointer
isle_state_get_pointer (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_POINTER, v_pointer);
}

/**
 * isle_state_set_pointer: (skip)
 * @self: a state holding G_TYPE_POINTER
 * @value: (nullable): the new value
 *
 * Sets the pointer held by @self. This allocates nothing.
 *
 * Bindings, which cannot use raw pointers, use [method@Isle.State.set_value] instead.
 *
 * Since: 1.0
 */
void
isle_state_set_pointer (IsleState *self,
                        gpointer value)
{
  ISLE_STATE_SET_SCALAR (self, G_TYPE_POINTER, v_pointer, value);
}

/**
 * isle_state_get_string:
 * @self: a state holding G_TYPE_STRING
 *
 * Reads the string held by @self.
 *
 * Returns: (nullable) (transfer none): the string, valid until @self changes
 *
 * Since: 1.0
 */
const char *
isle_state_get_string (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_STRING, v_pointer);
}

/**
 * isle_state_set_string:
 * @self: a state holding G_TYPE_STRING
 * @value: (nullable): the new string
 *
 * Sets @self to a copy of @value; an equal string changes nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_string (IsleState  *self,
                       const char *value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_STRING, TRUE, G_STRFUNC))
    return;

  if (!(node->flags & ISLE_NODE_CUSTOM_EQUAL) &&
      g_strcmp0 (node->value.data[0].v_pointer, value) == 0)
    return;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  _isle_node_take_value (node, &v);
}

/**
 * isle_state_get_variant:
 * @self: a state holding G_TYPE_VARIANT
 *
 * Reads the variant held by @self.
 *
 * Returns: (nullable) (transfer none): the variant, valid until @self changes
 *
 * Since: 1.0
 */
GVariant *
isle_state_get_variant (IsleState *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_STATE, G_TYPE_VARIANT, v_pointer);
}

/**
 * isle_state_set_variant:
 * @self: a state holding G_TYPE_VARIANT
 * @value: (nullable): the new variant; a floating reference is sunk
 *
 * Sets @self to @value; a variant equal by value changes nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_variant (IsleState *self,
                        GVariant  *value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (value != NULL)
    g_variant_ref_sink (value);

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_VARIANT, TRUE, G_STRFUNC))
    {
      g_clear_pointer (&value, g_variant_unref);
      return;
    }

  g_value_init (&v, G_TYPE_VARIANT);
  g_value_take_variant (&v, value);
  _isle_node_take_value (node, &v);
}

/**
 * isle_state_get_object:
 * @self: a state holding objects
 *
 * Reads the object held by @self.
 *
 * Returns: (type GObject.Object) (nullable) (transfer none): the object
 *
 * Since: 1.0
 */
gpointer
isle_state_get_object (IsleState *self)
{
  IsleNode *node = (IsleNode *) self;

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_INVALID, FALSE, G_STRFUNC))
    return NULL;

  if (!G_VALUE_HOLDS_OBJECT (&node->value))
    {
      _isle_node_check (node, ISLE_NODE_STATE, G_TYPE_OBJECT, FALSE, G_STRFUNC);
      return NULL;
    }

  return _isle_node_read (node)->data[0].v_pointer;
}

/**
 * isle_state_set_object:
 * @self: a state holding objects
 * @value: (type GObject.Object) (nullable): the new object, of the state's
 *   value type
 *
 * Sets @self to @value (adding a reference). The same object changes
 * nothing.
 *
 * Since: 1.0
 */
void
isle_state_set_object (IsleState *self,
                       gpointer   value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_INVALID, TRUE, G_STRFUNC))
    return;

  if (!G_VALUE_HOLDS_OBJECT (&node->value) ||
      (value != NULL && !g_type_is_a (G_OBJECT_TYPE (value), G_VALUE_TYPE (&node->value))))
    {
      g_autofree char *label = _isle_node_dup_label (node);

      g_critical ("%s: %s holds values of type %s, not %s", G_STRFUNC, label,
                  g_type_name (G_VALUE_TYPE (&node->value)),
                  value != NULL ? G_OBJECT_TYPE_NAME (value) : "GObject");
      return;
    }

  g_value_init (&v, G_VALUE_TYPE (&node->value));
  g_value_set_object (&v, value);
  _isle_node_take_value (node, &v);
}

/**
 * isle_state_get_boxed: (skip)
 * @self: a state holding a boxed type
 *
 * Reads the boxed value held by @self.
 *
 * Bindings, which cannot use raw pointers, use [method@Isle.State.get_value] instead.
 *
 * Returns: (nullable) (transfer none): the boxed value
 *
 * Since: 1.0
 */
gpointer
isle_state_get_boxed (IsleState *self)
{
  IsleNode *node = (IsleNode *) self;

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_INVALID, FALSE, G_STRFUNC))
    return NULL;

  if (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (&node->value)) != G_TYPE_BOXED)
    {
      _isle_node_check (node, ISLE_NODE_STATE, G_TYPE_BOXED, FALSE, G_STRFUNC);
      return NULL;
    }

  return _isle_node_read (node)->data[0].v_pointer;
}

/**
 * isle_state_set_boxed: (skip)
 * @self: a state holding a boxed type
 * @value: (nullable): the new boxed value, copied
 *
 * Sets @self to a copy of @value. Boxed values compare by identity unless
 * the state has an equality function, so without one every set notifies.
 *
 * Bindings, which cannot use raw pointers, use [method@Isle.State.set_value] instead.
 *
 * Since: 1.0
 */
void
isle_state_set_boxed (IsleState     *self,
                      gconstpointer  value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (!_isle_node_check_fast (node, ISLE_NODE_STATE, G_TYPE_INVALID, TRUE, G_STRFUNC))
    return;

  if (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (&node->value)) != G_TYPE_BOXED)
    {
      _isle_node_check (node, ISLE_NODE_STATE, G_TYPE_BOXED, TRUE, G_STRFUNC);
      return;
    }

  g_value_init (&v, G_VALUE_TYPE (&node->value));
  g_value_set_boxed (&v, value);
  _isle_node_take_value (node, &v);
}

/* Increments {{{ */

/* Svelte's update () and update_pre (): the read takes the value in place,
 * without tracking, and the write is an ordinary set (equal: nothing). */
#define ISLE_STATE_UPDATE(self, gtype, field, ctype, delta, pre)              \
  G_STMT_START {                                                              \
    IsleNode *n_ = (IsleNode *) (self);                                       \
    ctype old_;                                                               \
    if (!_isle_node_check_fast (n_, ISLE_NODE_STATE, gtype, TRUE, G_STRFUNC)) \
      return 0;                                                               \
    old_ = n_->value.data[0].field;                                           \
    set_##field (self, add_##field (old_, (delta)));                          \
    return (pre) ? n_->value.data[0].field : old_;                            \
  } G_STMT_END

/* Integers wrap around instead of overflowing (which C leaves undefined). */
static inline int
add_v_int (int a,
           int b)
{
  return (int) ((guint) a + (guint) b);
}

static inline gint64
add_v_int64 (gint64 a,
             gint64 b)
{
  return (gint64) ((guint64) a + (guint64) b);
}

static inline double
add_v_double (double a,
              double b)
{
  return a + b;
}

#define set_v_int isle_state_set_int
#define set_v_int64 isle_state_set_int64
#define set_v_double isle_state_set_double

/**
 * isle_state_update_int:
 * @self: a state holding G_TYPE_INT
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to the integer held by @self and returns the value it had
 * before, like `count++` on a Svelte `$state` (Svelte's `update ()`). The
 * read does not make @self a dependency of the running computation, so an
 * effect may count without running itself again.
 *
 * ```c
 * int ticket = isle_state_update_int (next_ticket, 1);  // ticket = n++
 * ```
 *
 * Returns: the value before the update
 *
 * Since: 1.0
 */
int
isle_state_update_int (IsleState *self,
                       int        delta)
{
  ISLE_STATE_UPDATE (self, G_TYPE_INT, v_int, int, delta, FALSE);
}

/**
 * isle_state_update_pre_int:
 * @self: a state holding G_TYPE_INT
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to the integer held by @self and returns the new value,
 * like `++count` (Svelte's `update_pre ()`); see
 * [method@Isle.State.update_int].
 *
 * Returns: the value after the update (the old one, if an equality
 *   function judged the new one equal)
 *
 * Since: 1.0
 */
int
isle_state_update_pre_int (IsleState *self,
                           int        delta)
{
  ISLE_STATE_UPDATE (self, G_TYPE_INT, v_int, int, delta, TRUE);
}

/**
 * isle_state_update_int64:
 * @self: a state holding G_TYPE_INT64
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to the 64-bit integer held by @self and returns the value
 * it had before; see [method@Isle.State.update_int].
 *
 * Returns: the value before the update
 *
 * Since: 1.0
 */
gint64
isle_state_update_int64 (IsleState *self,
                         gint64     delta)
{
  ISLE_STATE_UPDATE (self, G_TYPE_INT64, v_int64, gint64, delta, FALSE);
}

/**
 * isle_state_update_pre_int64:
 * @self: a state holding G_TYPE_INT64
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to the 64-bit integer held by @self and returns the new
 * value; see [method@Isle.State.update_pre_int].
 *
 * Returns: the value after the update
 *
 * Since: 1.0
 */
gint64
isle_state_update_pre_int64 (IsleState *self,
                             gint64     delta)
{
  ISLE_STATE_UPDATE (self, G_TYPE_INT64, v_int64, gint64, delta, TRUE);
}

/**
 * isle_state_update_double:
 * @self: a state holding G_TYPE_DOUBLE
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to the double held by @self and returns the value it had
 * before; see [method@Isle.State.update_int].
 *
 * Returns: the value before the update
 *
 * Since: 1.0
 */
double
isle_state_update_double (IsleState *self,
                          double     delta)
{
  ISLE_STATE_UPDATE (self, G_TYPE_DOUBLE, v_double, double, delta, FALSE);
}

/**
 * isle_state_update_pre_double:
 * @self: a state holding G_TYPE_DOUBLE
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to the double held by @self and returns the new value; see
 * [method@Isle.State.update_pre_int].
 *
 * Returns: the value after the update
 *
 * Since: 1.0
 */
double
isle_state_update_pre_double (IsleState *self,
                              double     delta)
{
  ISLE_STATE_UPDATE (self, G_TYPE_DOUBLE, v_double, double, delta, TRUE);
}

/* }}} */
