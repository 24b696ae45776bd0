/* isle-derived.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-node-private.h"

/**
 * IsleDerived:
 *
 * A value computed from other states and deriveds, like Svelte's
 * `$derived`.
 *
 * A derived is lazy: its function does not run before someone reads it,
 * and never while nobody depends on it. It caches its value and
 * recomputes only when one of the nodes it read last time really changed;
 * when it recomputes to a value equal to the one it had, the deriveds and
 * effects that depend on it do not run. Its dependencies are the nodes its
 * function read on its last run, so a branch not taken drops its
 * dependencies. No derived ever sees a mix of old and new values: in a
 * diamond (A → B, A → C, B + C → D) one change of A recomputes D once.
 *
 * ```c
 * static gboolean
 * total_cb (IsleDerived *derived, GValue *value, gpointer user_data, GError **error)
 * {
 *   Cart *cart = user_data;
 *
 *   g_value_set_double (value, isle_state_get_int (cart->count) *
 *                              isle_state_get_double (cart->price));
 *   return TRUE;
 * }
 *
 * IsleDerived *total = isle_derived_new (graph, G_TYPE_DOUBLE, total_cb, cart, NULL);
 * ```
 *
 * If the function fails (returns %FALSE, reads the derived itself, or
 * nests too deeply), the failure is reported once, the derived keeps its
 * last good value and the graph goes on; see [method@Isle.Derived.get_error].
 *
 * A derived is also writable, as in Svelte 5.25 (an "optimistic" value
 * shown at once): [method@Isle.Derived.set_value] and the typed setters
 * override its value until one of its dependencies changes; then it
 * recomputes as before. Setting an equal value does nothing, and the
 * nodes depending on it see the set value as they see a recomputed one,
 * glitch-free.
 *
 * ```c
 * // the stepper shows the quantity the user asked for at once; the
 * // cart's confirmation (a change of `cart_quantity`) recomputes it
 * IsleDerived *shown = isle_derived_new (graph, G_TYPE_INT, quantity_cb, cart_quantity, NULL);
 * isle_derived_set_int (shown, 3);
 * ```
 *
 * Since: 1.0
 */

G_DEFINE_BOXED_TYPE (IsleDerived, isle_derived, isle_derived_ref, isle_derived_unref)

/**
 * isle_derived_new: (skip)
 * @graph: a graph
 * @value_type: the type of the derived's values
 * @func: (scope notified) (closure user_data) (destroy destroy): computes the value
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the derived is disposed
 *
 * Creates a derived computed by @func. Nothing is computed until the
 * derived is first read.
 *
 * Bindings use [ctor@Isle.Derived.new_closure], which appears under this
 * name.
 *
 * Returns: (transfer none): a new derived, owned by @graph or by the
 *   running computation
 *
 * Since: 1.0
 */
IsleDerived *
isle_derived_new (IsleGraph      *graph,
                  GType           value_type,
                  IsleDeriveFunc  func,
                  gpointer        user_data,
                  GDestroyNotify  destroy)
{
  IsleComputation *computation;

  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  computation = (IsleComputation *) _isle_node_new (graph, ISLE_NODE_DERIVED, value_type);
  computation->func = func;
  computation->user_data = user_data;
  computation->destroy = destroy;

  return (IsleDerived *) computation;
}

static gboolean
closure_derive_cb (IsleDerived  *self,
                   GValue       *value,
                   gpointer      user_data,
                   GError      **error)
{
  GValue arg = G_VALUE_INIT;
  gboolean ok;

  g_value_init (&arg, ISLE_TYPE_DERIVED);
  g_value_set_boxed (&arg, self);
  ok = _isle_closure_invoke_value (user_data, 1, &arg, value, "its function", error);
  g_value_unset (&arg);

  return ok;
}

/**
 * isle_derived_new_closure: (rename-to isle_derived_new)
 * @graph: a graph
 * @value_type: the type of the derived's values
 * @closure: a closure that takes the derived and returns its value (a
 *   #GValue of any type that converts to @value_type)
 *
 * Creates a derived computed by @closure, the form for language bindings.
 *
 * In Python:
 *
 * ```python
 * total = Isle.Derived.new(graph, GObject.TYPE_INT, lambda d: count.get_int() * 2)
 * ```
 *
 * Python integers arrive as `gint`; return `GObject.Value(GObject.TYPE_INT64, n)`
 * for larger ones. A function that raises or returns `None` fails: the
 * failure is reported and the derived keeps its last good value.
 *
 * Returns: (transfer none): a new derived, owned by @graph or by the
 *   running computation
 *
 * Since: 1.0
 */
IsleDerived *
isle_derived_new_closure (IsleGraph *graph,
                          GType      value_type,
                          GClosure  *closure)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (graph), NULL);
  _ISLE_RETURN_IF_FOREIGN_THREAD (graph, NULL);
  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (closure != NULL, NULL);

  g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);

  return isle_derived_new (graph, value_type, closure_derive_cb, closure,
                           (GDestroyNotify) g_closure_unref);
}

/**
 * isle_derived_ref:
 * @self: a derived
 *
 * Acquires a reference on @self, to keep it past its owner.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
IsleDerived *
isle_derived_ref (IsleDerived *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (IsleDerived *) _isle_node_ref ((IsleNode *) self);
}

/**
 * isle_derived_unref:
 * @self: (transfer full): a derived
 *
 * Releases a reference on @self.
 *
 * Since: 1.0
 */
void
isle_derived_unref (IsleDerived *self)
{
  g_return_if_fail (self != NULL);

  _isle_node_unref ((IsleNode *) self);
}

/**
 * isle_derived_dispose:
 * @self: a derived
 *
 * Disposes @self: it leaves its graph, lets go of its dependencies, frees
 * its function's data, and disposes the nodes it created.
 *
 * Unless you hold a reference of your own ([method@Isle.Derived.ref]),
 * the graph's was the only one and @self is freed here: it must not be
 * used again. With a reference held, any further use is reported and does
 * nothing, and disposing again does nothing.
 *
 * Since: 1.0
 */
void
isle_derived_dispose (IsleDerived *self)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (self != NULL);
  g_return_if_fail (node->kind == ISLE_NODE_DERIVED);

  _isle_node_dispose (node);
}

/**
 * isle_derived_is_disposed:
 * @self: a derived
 *
 * Gets whether @self was disposed.
 *
 * Returns: %TRUE if @self was disposed
 *
 * Since: 1.0
 */
gboolean
isle_derived_is_disposed (IsleDerived *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return (((IsleNode *) self)->flags & ISLE_NODE_DISPOSED) != 0;
}

/**
 * isle_derived_get_graph:
 * @self: a derived
 *
 * Gets the graph @self belongs to.
 *
 * Returns: (transfer none) (nullable): the graph, or %NULL once @self was
 *   disposed
 *
 * Since: 1.0
 */
IsleGraph *
isle_derived_get_graph (IsleDerived *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ((IsleNode *) self)->graph;
}

/**
 * isle_derived_get_name:
 * @self: a derived
 *
 * Gets the name of @self.
 *
 * Returns: (nullable): the name of @self
 *
 * Since: 1.0
 */
const char *
isle_derived_get_name (IsleDerived *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return _isle_node_get_name ((IsleNode *) self);
}

/**
 * isle_derived_set_name:
 * @self: a derived
 * @name: (nullable): the new name
 *
 * Names @self; the name appears in every message about it.
 *
 * Since: 1.0
 */
void
isle_derived_set_name (IsleDerived *self,
                       const char  *name)
{
  g_return_if_fail (self != NULL);

  _isle_node_set_name ((IsleNode *) self, name);
}

/**
 * isle_derived_get_value_type:
 * @self: a derived
 *
 * Gets the type of the values @self holds.
 *
 * Returns: the value type
 *
 * Since: 1.0
 */
GType
isle_derived_get_value_type (IsleDerived *self)
{
  g_return_val_if_fail (self != NULL, G_TYPE_INVALID);
  g_return_val_if_fail (((IsleNode *) self)->kind == ISLE_NODE_DERIVED, G_TYPE_INVALID);

  return G_VALUE_TYPE (&((IsleNode *) self)->value);
}

/**
 * isle_derived_set_equal_func:
 * @self: a derived
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   equality function, or %NULL for the default one
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Gives @self its own equality: a recomputation that @func judges equal to
 * the current value keeps the current value, and the nodes depending on
 * @self do not run.
 *
 * Since: 1.0
 */
void
isle_derived_set_equal_func (IsleDerived    *self,
                             IsleEqualFunc   func,
                             gpointer        user_data,
                             GDestroyNotify  destroy)
{
  IsleNode *node = (IsleNode *) self;

  if (!_isle_node_check (node, ISLE_NODE_DERIVED, G_TYPE_INVALID, FALSE, G_STRFUNC))
    {
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  _isle_node_set_equal_func (node, func, user_data, destroy);
}

/**
 * isle_derived_get_error:
 * @self: a derived
 *
 * Gets why the last computation of @self failed.
 *
 * Returns: (nullable) (transfer none): the error of the last computation,
 *   or %NULL if it succeeded
 *
 * Since: 1.0
 */
const GError *
isle_derived_get_error (IsleDerived *self)
{
  IsleNode *node = (IsleNode *) self;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (node->kind == ISLE_NODE_DERIVED, NULL);

  return _isle_node_get_error (node);
}

/**
 * isle_derived_get_value:
 * @self: a derived
 * @value: (out caller-allocates): an uninitialized value to receive a copy
 *
 * Reads the value of @self into @value, computing it if needed.
 *
 * Since: 1.0
 */
void
isle_derived_get_value (IsleDerived *self,
                        GValue      *value)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (value != NULL);
  g_return_if_fail (!G_IS_VALUE (value));

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_INVALID, FALSE, G_STRFUNC))
    return;

  g_value_init (value, G_VALUE_TYPE (&node->value));
  g_value_copy (_isle_node_read (node), value);
}

/**
 * isle_derived_get_boolean:
 * @self: a derived holding G_TYPE_BOOLEAN
 *
 * Reads the boolean held by @self, computing it if needed.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
gboolean 
isle_derived_get_boolean (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_BOOLEAN, v_int);
}

/**
 * isle_derived_get_int:
 * @self: a derived holding G_TYPE_INT
 *
 * Reads the integer held by @self, computing it if needed.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
int 
isle_derived_get_int (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_INT, v_int);
}

/**
 * isle_derived_get_int64:
 * @self: a derived holding G_TYPE_INT64
 *
 * Reads the 64-bit integer held by @self, computing it if needed.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
gint64 
isle_derived_get_int64 (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_INT64, v_int64);
}

/**
 * isle_derived_get_uint64:
 * @self: a derived holding G_TYPE_UINT64
 *
 * Reads the unsigned 64-bit integer held by @self, computing it if needed.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
guint64 
isle_derived_get_uint64 (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_UINT64, v_uint64);
}

/**
 * isle_derived_get_double:
 * @self: a derived holding G_TYPE_DOUBLE
 *
 * Reads the double held by @self, computing it if needed.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
double 
isle_derived_get_double (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_DOUBLE, v_double);
}

/**
 * isle_derived_get_pointer: (skip)
 * @self: a derived holding G_TYPE_POINTER
 *
 * Reads the pointer held by @self, computing it if needed.
 *
 * Bindings, which cannot use raw pointers, use [method@Isle.Derived.get_value] instead.
 *
 * Returns: (nullable) (transfer none): the value
 *
 * Since: 1.0
 */
gpointer 
isle_derived_get_pointer (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_POINTER, v_pointer);
}

/**
 * isle_derived_get_string:
 * @self: a derived holding G_TYPE_STRING
 *
 * Reads the string held by @self, computing it if needed.
 *
 * Returns: (nullable) (transfer none): the value, valid until @self changes
 *
 * Since: 1.0
 */
const char *
isle_derived_get_string (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_STRING, v_pointer);
}

/**
 * isle_derived_get_variant:
 * @self: a derived holding G_TYPE_VARIANT
 *
 * Reads the variant held by @self, computing it if needed.
 *
 * Returns: (nullable) (transfer none): the value, valid until @self changes
 *
 * Since: 1.0
 */
GVariant *
isle_derived_get_variant (IsleDerived *self)
{
  ISLE_NODE_GET_SCALAR (self, ISLE_NODE_DERIVED, G_TYPE_VARIANT, v_pointer);
}

/**
 * isle_derived_get_object:
 * @self: a derived holding objects
 *
 * Reads the object held by @self, computing it if needed.
 *
 * Returns: (type GObject.Object) (nullable) (transfer none): the object
 *
 * Since: 1.0
 */
gpointer
isle_derived_get_object (IsleDerived *self)
{
  IsleNode *node = (IsleNode *) self;

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_INVALID, FALSE, G_STRFUNC))
    return NULL;

  if (!G_VALUE_HOLDS_OBJECT (&node->value))
    {
      _isle_node_check (node, ISLE_NODE_DERIVED, G_TYPE_OBJECT, FALSE, G_STRFUNC);
      return NULL;
    }

  return _isle_node_read (node)->data[0].v_pointer;
}

/**
 * isle_derived_get_boxed: (skip)
 * @self: a derived holding a boxed type
 *
 * Reads the boxed value held by @self, computing it if needed.
 *
 * Bindings, which cannot use raw pointers, use [method@Isle.Derived.get_value] instead.
 *
 * Returns: (nullable) (transfer none): the boxed value
 *
 * Since: 1.0
 */
gpointer
isle_derived_get_boxed (IsleDerived *self)
{
  IsleNode *node = (IsleNode *) self;

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_INVALID, FALSE, G_STRFUNC))
    return NULL;

  if (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (&node->value)) != G_TYPE_BOXED)
    {
      _isle_node_check (node, ISLE_NODE_DERIVED, G_TYPE_BOXED, FALSE, G_STRFUNC);
      return NULL;
    }

  return _isle_node_read (node)->data[0].v_pointer;
}

/* Writable deriveds {{{ */

/* Overrides a scalar of a derived: the value is built inline, so setting
 * allocates nothing. */
#define ISLE_DERIVED_SET_SCALAR(self, gtype, field, val)                        \
  G_STMT_START {                                                                \
    IsleNode *n_ = (IsleNode *) (self);                                         \
    GValue v_ = G_VALUE_INIT;                                                   \
    if (!_isle_node_check_fast (n_, ISLE_NODE_DERIVED, gtype, TRUE, G_STRFUNC)) \
      return;                                                                   \
    v_.g_type = gtype;                                                          \
    v_.data[0].field = (val);                                                   \
    _isle_derived_override (n_, &v_, G_STRFUNC);                                \
  } G_STMT_END

/**
 * isle_derived_set_value:
 * @self: a derived
 * @value: the new value: of the derived's value type, or of a type that
 *   converts to it
 *
 * Overrides the value of @self with a copy of @value (converted with
 * g_value_transform() if needed), like an assignment to a Svelte
 * `$derived`: @self holds it until one of its dependencies changes, then
 * it recomputes. A value equal to the current one changes nothing; the
 * nodes that depend on @self otherwise run as after a recomputation.
 *
 * A derived not computed yet (or whose dependencies may have changed) is
 * computed first, so that it knows its dependencies. Setting a derived
 * from its own function is reported and changes nothing, as is a value of
 * a type that does not convert.
 *
 * Since: 1.0
 */
void
isle_derived_set_value (IsleDerived  *self,
                        const GValue *value)
{
  IsleNode *node = (IsleNode *) self;

  g_return_if_fail (G_IS_VALUE (value));

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_INVALID, TRUE, G_STRFUNC))
    return;

  _isle_derived_write_value (node, value, G_STRFUNC);
}

/**
 * isle_derived_set_boolean:
 * @self: a derived holding G_TYPE_BOOLEAN
 * @value: the new value
 *
 * Overrides the boolean held by @self until a dependency changes; see
 * [method@Isle.Derived.set_value].
 *
 * Since: 1.0
 */
void
isle_derived_set_boolean (IsleDerived *self,
                          gboolean     value)
{
  ISLE_DERIVED_SET_SCALAR (self, G_TYPE_BOOLEAN, v_int, value != FALSE);
}

/**
 * isle_derived_set_int:
 * @self: a derived holding G_TYPE_INT
 * @value: the new value
 *
 * Overrides the integer held by @self until a dependency changes; see
 * [method@Isle.Derived.set_value]. This allocates nothing.
 *
 * Since: 1.0
 */
void
isle_derived_set_int (IsleDerived *self,
                      int          value)
{
  ISLE_DERIVED_SET_SCALAR (self, G_TYPE_INT, v_int, value);
}

/**
 * isle_derived_set_int64:
 * @self: a derived holding G_TYPE_INT64
 * @value: the new value
 *
 * Overrides the 64-bit integer held by @self until a dependency changes;
 * see [method@Isle.Derived.set_value].
 *
 * Since: 1.0
 */
void
isle_derived_set_int64 (IsleDerived *self,
                        gint64       value)
{
  ISLE_DERIVED_SET_SCALAR (self, G_TYPE_INT64, v_int64, value);
}

/**
 * isle_derived_set_uint64:
 * @self: a derived holding G_TYPE_UINT64
 * @value: the new value
 *
 * Overrides the unsigned 64-bit integer held by @self until a dependency
 * changes; see [method@Isle.Derived.set_value].
 *
 * Since: 1.0
 */
void
isle_derived_set_uint64 (IsleDerived *self,
                         guint64      value)
{
  ISLE_DERIVED_SET_SCALAR (self, G_TYPE_UINT64, v_uint64, value);
}

/**
 * isle_derived_set_double:
 * @self: a derived holding G_TYPE_DOUBLE
 * @value: the new value
 *
 * Overrides the double held by @self until a dependency changes; see
 * [method@Isle.Derived.set_value]. Values compare like JavaScript's
 * `Object.is`.
 *
 * Since: 1.0
 */
void
isle_derived_set_double (IsleDerived *self,
                         double       value)
{
  ISLE_DERIVED_SET_SCALAR (self, G_TYPE_DOUBLE, v_double, value);
}

/**
 * isle_derived_set_string:
 * @self: a derived holding G_TYPE_STRING
 * @value: (nullable): the new string
 *
 * Overrides the string held by @self with a copy of @value until a
 * dependency changes; see [method@Isle.Derived.set_value].
 *
 * Since: 1.0
 */
void
isle_derived_set_string (IsleDerived *self,
                         const char  *value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_STRING, TRUE, G_STRFUNC))
    return;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  _isle_derived_override (node, &v, G_STRFUNC);
}

/**
 * isle_derived_set_variant:
 * @self: a derived holding G_TYPE_VARIANT
 * @value: (nullable): the new variant; a floating reference is sunk
 *
 * Overrides the variant held by @self until a dependency changes; see
 * [method@Isle.Derived.set_value]. A variant equal by value changes
 * nothing.
 *
 * Since: 1.0
 */
void
isle_derived_set_variant (IsleDerived *self,
                          GVariant    *value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (value != NULL)
    g_variant_ref_sink (value);

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_VARIANT, TRUE, G_STRFUNC))
    {
      g_clear_pointer (&value, g_variant_unref);
      return;
    }

  g_value_init (&v, G_TYPE_VARIANT);
  g_value_take_variant (&v, value);
  _isle_derived_override (node, &v, G_STRFUNC);
}

/**
 * isle_derived_set_object:
 * @self: a derived holding objects
 * @value: (type GObject.Object) (nullable): the new object, of the
 *   derived's value type
 *
 * Overrides the object held by @self (adding a reference) until a
 * dependency changes; see [method@Isle.Derived.set_value]. The same
 * object changes nothing.
 *
 * Since: 1.0
 */
void
isle_derived_set_object (IsleDerived *self,
                         gpointer     value)
{
  IsleNode *node = (IsleNode *) self;
  GValue v = G_VALUE_INIT;

  if (!_isle_node_check_fast (node, ISLE_NODE_DERIVED, G_TYPE_INVALID, TRUE, G_STRFUNC))
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
  _isle_derived_override (node, &v, G_STRFUNC);
}

/* }}} */
