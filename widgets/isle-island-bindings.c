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
#include "isle-format-private.h"

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

/* Sets the property of a binding straight through its widget's own
 * setter: what the class's set_property () calls, without the name
 * lookup, the notify freeze and thaw and the value copy that
 * g_object_set_property () adds around it. */
typedef void (*BindingSetter) (GObject      *object,
                               const GValue *value);

/* One cache line, allocated on one (see bind_node ()). */
typedef struct
{
  IsleNode          *node;
  GWeakRef           object;
  GParamSpec        *pspec;
  BindingSetter      setter;     /* or NULL: g_object_set_property () */
  IsleBindTransform  transform;
  gpointer           user_data;
  GDestroyNotify     destroy;
  GClosure          *closure;    /* the transform of a language binding */
} Binding;

G_STATIC_ASSERT (sizeof (Binding) <= 64);

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
  g_aligned_free (binding);
}

/* Calls the closure of a binding made by a language binding: it takes the
 * node's value and returns the property's. No value back, or one that does
 * not convert, is a failure, reported like any failing callback. */
static gboolean
closure_transform (Binding       *binding,
                   const GValue  *from,
                   GValue        *to,
                   GError       **error)
{
  g_autofree char *what = g_strdup_printf ("the transform for property “%s”",
                                           binding->pspec->name);

  return _isle_closure_invoke_value (binding->closure, 1, from, to, what, error);
}

static void
set_label_label (GObject      *object,
                 const GValue *value)
{
  gtk_label_set_label (GTK_LABEL (object), g_value_get_string (value));
}

static void
set_widget_visible (GObject      *object,
                    const GValue *value)
{
  gtk_widget_set_visible (GTK_WIDGET (object), g_value_get_boolean (value));
}

static void
set_widget_sensitive (GObject      *object,
                      const GValue *value)
{
  gtk_widget_set_sensitive (GTK_WIDGET (object), g_value_get_boolean (value));
}

/* The setter for @pspec of @object, when @pspec is the very property
 * whose class setter is known (a subclass that overrides the property
 * gets a pspec of its own, and the general path). */
static BindingSetter
find_setter (GObject    *object,
             GParamSpec *pspec)
{
  static gsize initialized;
  static GParamSpec *label_label, *widget_visible, *widget_sensitive;

  if (g_once_init_enter (&initialized))
    {
      GObjectClass *widget_class = g_type_class_ref (GTK_TYPE_WIDGET);
      GObjectClass *label_class = g_type_class_ref (GTK_TYPE_LABEL);

      /* The classes stay: GTK never unloads its types. */
      widget_visible = g_object_class_find_property (widget_class, "visible");
      widget_sensitive = g_object_class_find_property (widget_class, "sensitive");
      label_label = g_object_class_find_property (label_class, "label");
      g_type_class_unref (label_class);
      g_type_class_unref (widget_class);
      g_once_init_leave (&initialized, 1);
    }

  if (pspec == label_label && GTK_IS_LABEL (object))
    return set_label_label;
  if (pspec == widget_visible && GTK_IS_WIDGET (object))
    return set_widget_visible;
  if (pspec == widget_sensitive && GTK_IS_WIDGET (object))
    return set_widget_sensitive;

  return NULL;
}

/* A value held by value in the GValue itself: nothing for a setter to
 * free under a reader. */
static gboolean
value_is_scalar (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
binding_cb (IsleEffect  *effect,
            gpointer     user_data,
            GError     **error)
{
  Binding *binding = user_data;
  IsleNode *node = binding->node;
  g_autoptr(GObject) object = NULL;
  g_auto(GValue) copy = G_VALUE_INIT;
  g_auto(GValue) to = G_VALUE_INIT;
  const GValue *from;

  /* Read in place (the dependency recorded, a derived computed) when the
   * value is a plain scalar; a string, boxed or object value is copied,
   * so that a transform or setter that sets the node cannot free what it
   * is reading. */
  from = _isle_node_peek (node, G_STRFUNC);
  if (from == NULL)
    return TRUE;
  if (!value_is_scalar (G_VALUE_TYPE (from)))
    {
      g_value_init (&copy, G_VALUE_TYPE (from));
      g_value_copy (from, &copy);
      from = &copy;
    }

  /* The target went away: nothing to update (the dependency stays). */
  object = g_weak_ref_get (&binding->object);
  if (object == NULL)
    return TRUE;

  /* The node holds the property's own type: no conversion to make. */
  if (binding->closure == NULL && binding->transform == NULL &&
      G_VALUE_TYPE (from) == binding->pspec->value_type)
    {
      if (binding->setter != NULL)
        binding->setter (object, from);
      else
        g_object_set_property (object, binding->pspec->name, from);
      return TRUE;
    }

  g_value_init (&to, binding->pspec->value_type);

  if (binding->closure != NULL)
    {
      if (!closure_transform (binding, from, &to, error))
        return FALSE;
    }
  else if (binding->transform != NULL)
    {
      if (!binding->transform (from, &to, binding->user_data))
        return TRUE;
    }
  else if (!g_value_transform (from, &to))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "cannot turn a %s into the %s of property “%s”",
                   G_VALUE_TYPE_NAME (from), g_type_name (binding->pspec->value_type),
                   binding->pspec->name);
      return FALSE;
    }

  if (binding->setter != NULL)
    binding->setter (object, &to);
  else
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

  /* On a cache line of its own: every change runs the binding of each
   * island it reaches, and a binding of malloc's usual 16-byte alignment
   * spans two lines three times out of four, one more miss per island on
   * a window too large for the caches. */
  binding = g_aligned_alloc0 (1, sizeof (Binding), 64);
  binding->node = _isle_node_ref (node);
  g_weak_ref_init (&binding->object, object);
  binding->pspec = g_param_spec_ref (pspec);
  binding->setter = find_setter (object, pspec);
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
  if (priv->connections == NULL)
    priv->connections = g_ptr_array_new_with_free_func (_isle_island_connection_free);
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

/* Format bindings {{{ */

static gboolean
format_transform (const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_take_string (to, _isle_format_print (user_data, from));
  return TRUE;
}

static void
bind_format (IsleIsland *self,
             IsleNode   *node,
             GType       value_type,
             gpointer    object,
             const char *property,
             const char *format,
             const char *func)
{
  g_autoptr(GError) error = NULL;
  IsleFormat *compiled;
  GParamSpec *pspec;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  if (pspec != NULL && !g_type_is_a (G_TYPE_STRING, pspec->value_type))
    {
      g_critical ("%s: property “%s” of %s holds a %s, not a string", func, property,
                  G_OBJECT_TYPE_NAME (object), g_type_name (pspec->value_type));
      return;
    }

  compiled = _isle_format_new (format, value_type, &error);
  if (compiled == NULL)
    {
      g_autofree char *label = _isle_node_dup_label (node);

      g_critical ("%s: cannot bind %s: %s", func, label, error->message);
      return;
    }

  bind_node (self, node, object, property, format_transform, compiled,
             (GDestroyNotify) _isle_format_free, NULL, func);
}

/**
 * isle_island_bind_state_format:
 * @self: an island
 * @state: a state of the island's graph
 * @object: (type GObject.Object): the target object
 * @property: a writable string property of @object, such as “label”
 * @format: a printf-like format with exactly one conversion for the
 *   state's value
 *
 * Keeps @property of @object equal to @state printed through @format, for
 * as long as the island lives: the common binding of a number to a label,
 * with no transform to write.
 *
 * ```c
 * isle_island_bind_state_format (island, count, label, "label", "%d items");
 * ```
 *
 * @format is checked against the state's value type when the binding is
 * made: it must hold literal text (“%%” for a percent sign) and exactly
 * one conversion of the kind the type needs, with flags, a width and a
 * precision (up to 999) but no `*` or positional arguments: `d i o u x X`
 * for integers, enumerations and booleans, `o u x X` for unsigned ones,
 * `f F e E g G a A` for floating-point values, and `s` for strings. A
 * length modifier (`l`, `ll`) is accepted for 64-bit integers only. Any
 * other format, or a state of another type, is reported with a critical
 * and nothing is bound, so a format never reads an argument it was not
 * given.
 *
 * Since: 1.0
 */
void
isle_island_bind_state_format (IsleIsland *self,
                               IsleState  *state,
                               gpointer    object,
                               const char *property,
                               const char *format)
{
  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (state != NULL);
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (property != NULL);
  g_return_if_fail (format != NULL);

  bind_format (self, (IsleNode *) state, isle_state_get_value_type (state), object, property,
               format, G_STRFUNC);
}

/**
 * isle_island_bind_derived_format:
 * @self: an island
 * @derived: a derived of the island's graph
 * @object: (type GObject.Object): the target object
 * @property: a writable string property of @object, such as “label”
 * @format: a printf-like format with exactly one conversion for the
 *   derived's value
 *
 * Keeps @property of @object equal to @derived printed through @format,
 * for as long as the island lives. @format is checked as
 * [method@Isle.Island.bind_state_format] describes.
 *
 * Since: 1.0
 */
void
isle_island_bind_derived_format (IsleIsland  *self,
                                 IsleDerived *derived,
                                 gpointer     object,
                                 const char  *property,
                                 const char  *format)
{
  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (derived != NULL);
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (property != NULL);
  g_return_if_fail (format != NULL);

  bind_format (self, (IsleNode *) derived, isle_derived_get_value_type (derived), object,
               property, format, G_STRFUNC);
}

/* }}} */

/* Island effects {{{ */

typedef struct
{
  IsleIsland           *island;   /* owns the graph that owns the effect */
  IsleIslandEffectFunc  func;
  gpointer              user_data;
  GDestroyNotify        destroy;
  GClosure             *closure;
} IslandEffect;

static void
island_effect_free (gpointer data)
{
  IslandEffect *effect = data;

  if (effect->destroy != NULL)
    effect->destroy (effect->user_data);
  g_clear_pointer (&effect->closure, g_closure_unref);
  g_free (effect);
}

static gboolean
island_effect_cb (IsleEffect  *self,
                  gpointer     user_data,
                  GError     **error)
{
  IslandEffect *effect = user_data;
  g_auto(GValue) ret = G_VALUE_INIT;
  g_auto(GValue) arg = G_VALUE_INIT;

  if (effect->func != NULL)
    return effect->func (effect->island, effect->user_data, error);

  /* A language binding's function returns nothing (NULL); one that
   * raises leaves the return value as it was set here. */
  g_value_init (&ret, G_TYPE_POINTER);
  g_value_set_pointer (&ret, effect);
  g_value_init (&arg, ISLE_TYPE_ISLAND);
  g_value_set_object (&arg, effect->island);
  g_closure_invoke (effect->closure, &ret, 1, &arg, NULL);

  if (g_value_get_pointer (&ret) == effect)
    {
      g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED,
                           "its function raised an exception");
      return FALSE;
    }

  return TRUE;
}

static IsleEffect *
add_island_effect (IsleIsland   *self,
                   IslandEffect *effect,
                   const char   *name)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  IsleEffect *node;

  effect->island = self;
  node = isle_effect_new (priv->graph, island_effect_cb, effect, island_effect_free);
  if (name != NULL)
    isle_effect_set_name (node, name);

  return node;
}

/**
 * isle_island_add_effect:
 * @self: an island
 * @name: (nullable): a name for the effect, used in messages
 * @func: (scope notified) (closure user_data) (destroy destroy): the effect's
 *   function; it gets the island
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Creates an effect in the island's graph whose function is given the
 * island, so that it can find the nodes it reads by their names
 * ([method@Isle.Island.lookup_state]) and needs no struct of its own:
 *
 * ```c
 * static gboolean
 * show_total_cb (IsleIsland *island, gpointer user_data, GError **error)
 * {
 *   IsleState *count = isle_island_lookup_state (island, "count");
 *
 *   g_print ("%d\n", isle_state_get_int (count));
 *   return TRUE;
 * }
 *
 * isle_island_add_effect (island, "show total", show_total_cb, NULL, NULL);
 * ```
 *
 * Like any effect it runs at the next flush and again after what it read
 * changed; it goes with the island (or with the effect that created it).
 *
 * Returns: (transfer none): the effect
 *
 * Since: 1.0
 */
IsleEffect *
isle_island_add_effect (IsleIsland           *self,
                        const char           *name,
                        IsleIslandEffectFunc  func,
                        gpointer              user_data,
                        GDestroyNotify        destroy)
{
  IslandEffect *effect;

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  effect = g_new0 (IslandEffect, 1);
  effect->func = func;
  effect->user_data = user_data;
  effect->destroy = destroy;

  return add_island_effect (self, effect, name);
}

/**
 * isle_island_add_effect_closure: (rename-to isle_island_add_effect)
 * @self: an island
 * @name: (nullable): a name for the effect, used in messages
 * @closure: a closure that takes the island and returns nothing
 *
 * Creates an effect in the island's graph that calls @closure with the
 * island: the form of [method@Isle.Island.add_effect] for language
 * bindings. In Python the function returns nothing; one that raises fails
 * like any callback, and the island shows its error placeholder:
 *
 * ```python
 * island.add_effect('show total', lambda island: label.set_text(...))
 * ```
 *
 * Returns: (transfer none): the effect
 *
 * Since: 1.0
 */
IsleEffect *
isle_island_add_effect_closure (IsleIsland *self,
                                const char *name,
                                GClosure   *closure)
{
  IslandEffect *effect;

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (closure != NULL, NULL);

  g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);

  effect = g_new0 (IslandEffect, 1);
  effect->closure = closure;

  return add_island_effect (self, effect, name);
}

/**
 * isle_island_lookup_state:
 * @self: an island
 * @name: the name of a state of the island's graph
 *
 * Finds a state of the island by the name it was given
 * ([method@Isle.State.set_name]): [method@Isle.Graph.lookup_state] on the
 * island's graph.
 *
 * Returns: (transfer none) (nullable): the state, or %NULL if the island
 *   has no live state of that name
 *
 * Since: 1.0
 */
IsleState *
isle_island_lookup_state (IsleIsland *self,
                          const char *name)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return priv->graph != NULL ? isle_graph_lookup_state (priv->graph, name) : NULL;
}

/**
 * isle_island_lookup_derived:
 * @self: an island
 * @name: the name of a derived of the island's graph
 *
 * Finds a derived of the island by the name it was given
 * ([method@Isle.Derived.set_name]).
 *
 * Returns: (transfer none) (nullable): the derived, or %NULL if the
 *   island has no live derived of that name
 *
 * Since: 1.0
 */
IsleDerived *
isle_island_lookup_derived (IsleIsland *self,
                            const char *name)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return priv->graph != NULL ? isle_graph_lookup_derived (priv->graph, name) : NULL;
}

/* }}} */
