/* isle-expression.c: GtkExpressions that follow a store, a state or a derived
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GtkExpression cannot be subclassed outside GTK, so these are built from
 * what GTK 4.8 offers: a property expression watches a notifying property
 * (the store's "value", or that of a small hidden object an island keeps
 * equal to a node), and a closure expression turns the value into the
 * GType a widget property wants.
 */

#include "config.h"

#include "isle-expression.h"
#include "isle-island-private.h"
#include "isle-node-private.h"

/**
 * isle_value_type_for_variant_type:
 * @type: a variant type
 *
 * Gets the #GType a value of @type is given as by
 * [func@Isle.expression_new_for_store] and the island's
 * [property@Isle.Island:text]: %G_TYPE_BOOLEAN for “b”, %G_TYPE_INT for “i”,
 * %G_TYPE_UINT for “u”, %G_TYPE_INT64 for “x”, %G_TYPE_UINT64 for “t”,
 * %G_TYPE_DOUBLE for “d”, %G_TYPE_STRING for “s”, “o” and “g”, and
 * %G_TYPE_VARIANT for the others.
 *
 * Returns: the #GType
 *
 * Since: 1.0
 */
GType
isle_value_type_for_variant_type (const GVariantType *type)
{
  g_return_val_if_fail (type != NULL, G_TYPE_INVALID);

  if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
    return G_TYPE_BOOLEAN;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    return G_TYPE_INT;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT32))
    return G_TYPE_UINT;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
    return G_TYPE_INT64;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT64))
    return G_TYPE_UINT64;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    return G_TYPE_DOUBLE;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING) ||
      g_variant_type_equal (type, G_VARIANT_TYPE_OBJECT_PATH) ||
      g_variant_type_equal (type, G_VARIANT_TYPE_SIGNATURE))
    return G_TYPE_STRING;

  return G_TYPE_VARIANT;
}

/* Sets @value (initialized to the type above) from @variant. */
void
_isle_value_set_from_variant (GValue   *value,
                              GVariant *variant)
{
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_BOOLEAN: g_value_set_boolean (value, g_variant_get_boolean (variant)); break;
    case G_TYPE_INT: g_value_set_int (value, g_variant_get_int32 (variant)); break;
    case G_TYPE_UINT: g_value_set_uint (value, g_variant_get_uint32 (variant)); break;
    case G_TYPE_INT64: g_value_set_int64 (value, g_variant_get_int64 (variant)); break;
    case G_TYPE_UINT64: g_value_set_uint64 (value, g_variant_get_uint64 (variant)); break;
    case G_TYPE_DOUBLE: g_value_set_double (value, g_variant_get_double (variant)); break;
    case G_TYPE_STRING: g_value_set_string (value, g_variant_get_string (variant, NULL)); break;
    default: g_value_set_variant (value, variant); break;
    }
}

/* The closure of a closure expression: its one parameter (after the
 * expression's “this”) is a GVariant, or a boxed GValue, to unwrap. */
static void
unwrap_marshal (GClosure     *closure,
                GValue       *return_value,
                guint         n_param_values,
                const GValue *param_values,
                gpointer      invocation_hint,
                gpointer      marshal_data)
{
  const GValue *param = &param_values[n_param_values - 1];

  if (G_VALUE_HOLDS (param, G_TYPE_VALUE))
    {
      const GValue *inner = g_value_get_boxed (param);

      if (inner != NULL && G_VALUE_TYPE (inner) == G_VALUE_TYPE (return_value))
        g_value_copy (inner, return_value);
    }
  else if (G_VALUE_HOLDS_VARIANT (param) && g_value_get_variant (param) != NULL)
    {
      _isle_value_set_from_variant (return_value, g_value_get_variant (param));
    }
}

static GtkExpression *
unwrap_expression_new (GType          value_type,
                       GtkExpression *param)
{
  GClosure *closure = g_closure_new_simple (sizeof (GClosure), NULL);

  g_closure_set_marshal (closure, unwrap_marshal);

  return gtk_closure_expression_new (value_type, closure, 1, &param);
}

/**
 * isle_expression_new_for_store:
 * @store: a store
 *
 * Creates an expression whose value is the value of @store, given as the
 * #GType [func@Isle.value_type_for_variant_type] names (an int for an atom
 * of type “i”), and which notifies when the store changes: what
 * gtk_expression_bind() and a list's sorters and filters take.
 *
 * ```c
 * gtk_expression_bind (isle_expression_new_for_store (ISLE_STORE (cart)),
 *                      label, "label", NULL);
 * ```
 *
 * The expression watches the store's [property@Isle.Store:value] and
 * holds a reference to @store.
 *
 * PyGObject 3.42 cannot hand a #GtkExpression of this kind to Python: from
 * Python, bind with [method@Isle.Island.bind_state_format] or a transform
 * ([method@Isle.Island.bind_state_closure]), or in a `.ui` file through
 * the island's [property@Isle.Island:text] property.
 *
 * Returns: (transfer full): a new expression
 *
 * Since: 1.0
 */
GtkExpression *
isle_expression_new_for_store (IsleStore *store)
{
  GtkExpression *object;

  g_return_val_if_fail (ISLE_IS_STORE (store), NULL);

  object = gtk_constant_expression_new (G_OBJECT_TYPE (store), store);

  return unwrap_expression_new (isle_value_type_for_variant_type (isle_store_get_value_type (store)),
                                gtk_property_expression_new (ISLE_TYPE_STORE, object, "value"));
}

/* A GObject that an island's effect keeps equal to one node: its "value"
 * (a boxed GValue) is what a property expression can watch. */

G_DECLARE_FINAL_TYPE (IsleNodeValue, _isle_node_value, ISLE, NODE_VALUE, GObject)

struct _IsleNodeValue
{
  GObject  parent_instance;
  GValue   value;
};

G_DEFINE_FINAL_TYPE (IsleNodeValue, _isle_node_value, G_TYPE_OBJECT)

enum {
  NODE_VALUE_PROP_0,
  NODE_VALUE_PROP_VALUE,
  NODE_VALUE_N_PROPS
};

static GParamSpec *node_value_props[NODE_VALUE_N_PROPS];

static void
_isle_node_value_finalize (GObject *object)
{
  IsleNodeValue *self = (IsleNodeValue *) object;

  if (G_IS_VALUE (&self->value))
    g_value_unset (&self->value);

  G_OBJECT_CLASS (_isle_node_value_parent_class)->finalize (object);
}

static void
_isle_node_value_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  IsleNodeValue *self = (IsleNodeValue *) object;

  g_value_set_boxed (value, G_IS_VALUE (&self->value) ? &self->value : NULL);
}

static void
_isle_node_value_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  IsleNodeValue *self = (IsleNodeValue *) object;
  const GValue *inner = g_value_get_boxed (value);

  if (inner == NULL)
    return;

  if (G_IS_VALUE (&self->value))
    g_value_unset (&self->value);
  g_value_init (&self->value, G_VALUE_TYPE (inner));
  g_value_copy (inner, &self->value);
  g_object_notify_by_pspec (object, pspec);
}

static void
_isle_node_value_class_init (IsleNodeValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = _isle_node_value_finalize;
  object_class->get_property = _isle_node_value_get_property;
  object_class->set_property = _isle_node_value_set_property;

  node_value_props[NODE_VALUE_PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL,
                        G_TYPE_VALUE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, NODE_VALUE_N_PROPS, node_value_props);
}

static void
_isle_node_value_init (IsleNodeValue *self)
{
}

static gboolean
wrap_value (const GValue *from,
            GValue       *to,
            gpointer      user_data)
{
  g_value_set_boxed (to, from);
  return TRUE;
}

static GtkExpression *
node_expression (IsleIsland *self,
                 IsleNode   *node,
                 GType       value_type,
                 GValue     *current)
{
  g_autoptr(IsleNodeValue) proxy = g_object_new (_isle_node_value_get_type (), NULL);
  GtkExpression *object;

  /* The value now, so that the expression is right before the first
   * flush; the island's effect keeps it so. */
  if (G_IS_VALUE (current))
    g_object_set (proxy, "value", current, NULL);
  if (node->kind == ISLE_NODE_STATE)
    isle_island_bind_state (self, (IsleState *) node, proxy, "value", wrap_value, NULL, NULL);
  else
    isle_island_bind_derived (self, (IsleDerived *) node, proxy, "value", wrap_value, NULL, NULL);

  object = gtk_constant_expression_new (G_OBJECT_TYPE (proxy), proxy);

  return unwrap_expression_new (value_type,
                                gtk_property_expression_new (G_OBJECT_TYPE (proxy), object, "value"));
}

/**
 * isle_island_state_expression:
 * @self: an island
 * @state: a state of the island's graph
 *
 * Creates an expression whose value is the value of @state and which
 * notifies when the island's effects bring it up to date (on the island's
 * frame clock): the way to hand a state to gtk_expression_bind(), a
 * #GtkStringSorter or a `<binding>` of a #GtkBuilderScope.
 *
 * Returns: (transfer full): a new expression of the state's value type
 *
 * Since: 1.0
 */
GtkExpression *
isle_island_state_expression (IsleIsland *self,
                              IsleState  *state)
{
  g_auto(GValue) current = G_VALUE_INIT;

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (state != NULL, NULL);

  isle_state_get_value (state, &current);

  return node_expression (self, (IsleNode *) state, isle_state_get_value_type (state), &current);
}

/**
 * isle_island_derived_expression:
 * @self: an island
 * @derived: a derived of the island's graph
 *
 * Creates an expression whose value is the value of @derived: see
 * [method@Isle.Island.state_expression].
 *
 * Returns: (transfer full): a new expression of the derived's value type
 *
 * Since: 1.0
 */
GtkExpression *
isle_island_derived_expression (IsleIsland  *self,
                                IsleDerived *derived)
{
  g_auto(GValue) current = G_VALUE_INIT;

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (derived != NULL, NULL);

  isle_derived_get_value (derived, &current);

  return node_expression (self, (IsleNode *) derived, isle_derived_get_value_type (derived),
                          &current);
}
