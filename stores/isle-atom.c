/* isle-atom.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-store-private.h"

/**
 * IsleAtom:
 *
 * A store holding one value that anyone may set, like nanostores' `atom`:
 * the shared channel between islands that never reference each other.
 *
 * ```c
 * IsleAtom *cart_count = isle_atom_new_int ("cart-count", 0);
 *
 * isle_store_subscribe (ISLE_STORE (cart_count), update_badge_cb, badge, NULL);
 * isle_atom_set_int (cart_count, isle_store_get_int (ISLE_STORE (cart_count)) + 1);
 * ```
 *
 * A value of the wrong type, or %NULL, is reported (a critical from
 * [method@Isle.Atom.set], a #GError from [method@Isle.Atom.try_set]) and
 * the atom keeps its value. A filter ([method@Isle.Atom.set_filter]) may
 * reject or replace values before they are stored.
 *
 * Since: 1.0
 */

struct _IsleAtom
{
  IsleStore       parent_instance;

  IsleAtomFilter  filter;
  gpointer        filter_data;
  GDestroyNotify  filter_destroy;
};

G_DEFINE_FINAL_TYPE (IsleAtom, isle_atom, ISLE_TYPE_STORE)

static void
isle_atom_dispose (GObject *object)
{
  IsleAtom *self = ISLE_ATOM (object);

  isle_atom_set_filter (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (isle_atom_parent_class)->dispose (object);
}

/* IsleStore:value, written. */
static void
isle_atom_set_value (IsleStore *store,
                     GVariant  *value)
{
  isle_atom_set (ISLE_ATOM (store), value);
}

static void
isle_atom_class_init (IsleAtomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IsleStoreClassPrivate *store_class = _isle_store_class_get_private (klass);

  object_class->dispose = isle_atom_dispose;

  store_class->set_value = isle_atom_set_value;
  store_class->kind_name = "atom";
}

static void
isle_atom_init (IsleAtom *self)
{
}

/**
 * isle_atom_new:
 * @name: (nullable): the name of the atom, used in messages and by the
 *   registry
 * @value_type: the type of the atom's values
 * @initial: (nullable): the initial value, of @value_type; %NULL for the
 *   type's default (zero, empty); a floating reference is sunk
 *
 * Creates an atom. Its listeners are called on the thread-default main
 * context of the calling thread.
 *
 * Returns: (transfer full): a new atom
 *
 * Since: 1.0
 */
IsleAtom *
isle_atom_new (const char         *name,
               const GVariantType *value_type,
               GVariant           *initial)
{
  g_autoptr(GVariant) value = initial != NULL ? g_variant_ref_sink (initial) : NULL;
  IsleAtom *self;

  g_return_val_if_fail (value_type != NULL, NULL);
  g_return_val_if_fail (g_variant_type_is_definite (value_type), NULL);
  g_return_val_if_fail (value == NULL || g_variant_is_of_type (value, value_type), NULL);

  self = g_object_new (ISLE_TYPE_ATOM,
                       "name", name,
                       "value-type", value_type,
                       NULL);
  if (value != NULL)
    _isle_store_set_value_quietly (ISLE_STORE (self), g_steal_pointer (&value));

  return self;
}

/**
 * isle_atom_new_boolean:
 * @name: (nullable): the name of the atom
 * @initial: the initial value
 *
 * Creates an atom of type “b”.
 *
 * Returns: (transfer full): a new atom
 *
 * Since: 1.0
 */
IsleAtom *
isle_atom_new_boolean (const char *name,
                       gboolean    initial)
{
  return isle_atom_new (name, G_VARIANT_TYPE_BOOLEAN, g_variant_new_boolean (initial));
}

/**
 * isle_atom_new_int:
 * @name: (nullable): the name of the atom
 * @initial: the initial value
 *
 * Creates an atom of type “i”.
 *
 * Returns: (transfer full): a new atom
 *
 * Since: 1.0
 */
IsleAtom *
isle_atom_new_int (const char *name,
                   int         initial)
{
  return isle_atom_new (name, G_VARIANT_TYPE_INT32, g_variant_new_int32 (initial));
}

/**
 * isle_atom_new_int64:
 * @name: (nullable): the name of the atom
 * @initial: the initial value
 *
 * Creates an atom of type “x”.
 *
 * Returns: (transfer full): a new atom
 *
 * Since: 1.0
 */
IsleAtom *
isle_atom_new_int64 (const char *name,
                     gint64      initial)
{
  return isle_atom_new (name, G_VARIANT_TYPE_INT64, g_variant_new_int64 (initial));
}

/**
 * isle_atom_new_double:
 * @name: (nullable): the name of the atom
 * @initial: the initial value
 *
 * Creates an atom of type “d”.
 *
 * Returns: (transfer full): a new atom
 *
 * Since: 1.0
 */
IsleAtom *
isle_atom_new_double (const char *name,
                      double      initial)
{
  return isle_atom_new (name, G_VARIANT_TYPE_DOUBLE, g_variant_new_double (initial));
}

/**
 * isle_atom_new_string:
 * @name: (nullable): the name of the atom
 * @initial: (nullable): the initial value; %NULL for the empty string
 *
 * Creates an atom of type “s”.
 *
 * Returns: (transfer full): a new atom
 *
 * Since: 1.0
 */
IsleAtom *
isle_atom_new_string (const char *name,
                      const char *initial)
{
  return isle_atom_new (name, G_VARIANT_TYPE_STRING,
                        g_variant_new_string (initial != NULL ? initial : ""));
}

/* Checks @owned (a full, non-floating reference, or NULL; taken) and runs
 * it through the filter, which sees @old_value (or the current value, if
 * NULL). Returns the value to store (a full reference), or NULL with
 * @error set. */
static GVariant *
atom_accept (IsleAtom  *self,
             GVariant  *owned,
             GVariant  *old_value,
             GError   **error)
{
  g_autoptr(GVariant) peeked = NULL;
  g_autoptr(GError) local_error = NULL;
  GVariant *filtered;

  if (!_isle_store_check_value (ISLE_STORE (self), owned, error))
    {
      g_clear_pointer (&owned, g_variant_unref);
      return NULL;
    }

  if (self->filter == NULL)
    return owned;

  if (old_value == NULL)
    old_value = peeked = _isle_store_peek_value (ISLE_STORE (self));

  filtered = self->filter (self, owned, old_value, self->filter_data, &local_error);
  g_clear_pointer (&owned, g_variant_unref);

  if (filtered == NULL)
    {
      g_autofree char *label = _isle_store_dup_label (ISLE_STORE (self));

      g_set_error (error, ISLE_ERROR, ISLE_ERROR_REJECTED, "%s rejected the value: %s",
                   label, local_error != NULL ? local_error->message : "its filter said no");
      return NULL;
    }

  owned = g_variant_take_ref (filtered);
  if (!_isle_store_check_value (ISLE_STORE (self), owned, error))
    {
      g_prefix_error (error, "its filter returned a wrong value: ");
      g_variant_unref (owned);
      return NULL;
    }

  return owned;
}

/* Takes @owned (a full, non-floating reference, or NULL). */
static gboolean
atom_set_owned (IsleAtom  *self,
                GVariant  *owned,
                GError   **error)
{
  GVariant *accepted = atom_accept (self, owned, NULL, error);

  if (accepted == NULL)
    return FALSE;

  _isle_store_replace_value (ISLE_STORE (self), accepted, NULL);

  return TRUE;
}

/**
 * isle_atom_try_set:
 * @self: an atom
 * @value: the new value, of the atom's type; a floating reference is sunk
 * @error: return location for a #GError
 *
 * Sets the value of @self, unless it equals the current one. The atom's
 * filter runs first (in the calling thread) and may replace or reject the
 * value. Listeners are called at once when called on the atom's own
 * thread, else from its main context.
 *
 * Returns: %TRUE if @value was accepted (changed or equal); %FALSE with
 *   @error set if it had the wrong type or was rejected, in which case the
 *   atom keeps its value
 *
 * Since: 1.0
 */
gboolean
isle_atom_try_set (IsleAtom  *self,
                   GVariant  *value,
                   GError   **error)
{
  g_return_val_if_fail (ISLE_IS_ATOM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return atom_set_owned (self, value != NULL ? g_variant_ref_sink (value) : NULL, error);
}

/**
 * isle_atom_set:
 * @self: an atom
 * @value: the new value, of the atom's type; a floating reference is sunk
 *
 * Sets the value of @self, like [method@Isle.Atom.try_set]. A value of the
 * wrong type is reported as a critical; a value the filter rejects is
 * logged at debug level. Either way the atom keeps its value.
 *
 * Since: 1.0
 */
void
isle_atom_set (IsleAtom *self,
               GVariant *value)
{
  GVariant *owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  g_autoptr(GError) error = NULL;

  if (!ISLE_IS_ATOM (self))
    {
      g_clear_pointer (&owned, g_variant_unref);
      g_return_if_fail (ISLE_IS_ATOM (self));
    }

  if (atom_set_owned (self, owned, &error))
    return;

  if (g_error_matches (error, ISLE_ERROR, ISLE_ERROR_REJECTED))
    g_debug ("%s", error->message);
  else
    g_critical ("%s: %s", G_STRFUNC, error->message);
}

/* A typed set of an atom without a filter goes straight to the store,
 * which makes no variant unless someone needs one. Checked to be an atom,
 * @self is a store: a plain cast, not a second type check (a call into
 * GObject on every set). */
static inline gboolean
atom_set_scalar (IsleAtom       *self,
                 IsleScalarKind  kind,
                 IsleScalar      value)
{
  return ISLE_IS_ATOM (self) && self->filter == NULL &&
         _isle_store_set_scalar ((IsleStore *) self, kind, value);
}

/**
 * isle_atom_set_boolean:
 * @self: an atom of type “b”
 * @value: the new value
 *
 * Sets the boolean value of @self.
 *
 * Since: 1.0
 */
void
isle_atom_set_boolean (IsleAtom *self,
                       gboolean  value)
{
  if (!atom_set_scalar (self, ISLE_SCALAR_BOOLEAN, (IsleScalar) { .i = value != FALSE }))
    isle_atom_set (self, g_variant_new_boolean (value));
}

/**
 * isle_atom_set_int:
 * @self: an atom of type “i”
 * @value: the new value
 *
 * Sets the 32-bit integer value of @self.
 *
 * Since: 1.0
 */
void
isle_atom_set_int (IsleAtom *self,
                   int       value)
{
  if (!atom_set_scalar (self, ISLE_SCALAR_INT32, (IsleScalar) { .i = value }))
    isle_atom_set (self, g_variant_new_int32 (value));
}

/**
 * isle_atom_set_int64:
 * @self: an atom of type “x”
 * @value: the new value
 *
 * Sets the 64-bit integer value of @self.
 *
 * Since: 1.0
 */
void
isle_atom_set_int64 (IsleAtom *self,
                     gint64    value)
{
  if (!atom_set_scalar (self, ISLE_SCALAR_INT64, (IsleScalar) { .i = value }))
    isle_atom_set (self, g_variant_new_int64 (value));
}

/**
 * isle_atom_set_double:
 * @self: an atom of type “d”
 * @value: the new value
 *
 * Sets the double value of @self.
 *
 * Since: 1.0
 */
void
isle_atom_set_double (IsleAtom *self,
                      double    value)
{
  if (!atom_set_scalar (self, ISLE_SCALAR_DOUBLE, (IsleScalar) { .d = value }))
    isle_atom_set (self, g_variant_new_double (value));
}

/**
 * isle_atom_set_string:
 * @self: an atom of type “s”
 * @value: the new value
 *
 * Sets the string value of @self.
 *
 * Since: 1.0
 */
void
isle_atom_set_string (IsleAtom   *self,
                      const char *value)
{
  g_return_if_fail (value != NULL);

  isle_atom_set (self, g_variant_new_string (value));
}

/**
 * isle_atom_update:
 * @self: an atom
 * @func: (scope call) (closure user_data): computes the new value from the
 *   current one
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * Changes @self by a read-modify-write that no other thread can interleave
 * with: @func gets the current value and returns the new one, which goes
 * through the atom's filter and is stored only if the atom still holds the
 * value @func saw; otherwise @func runs again with the newer value. So
 * eight threads adding one to an atom ten thousand times each end with an
 * atom 80 000 higher. @func runs in the calling thread, with no lock held:
 * it may read this and other stores, but should only compute.
 *
 * ```c
 * static GVariant *
 * add_one_cb (IsleAtom *atom, GVariant *current, gpointer user_data)
 * {
 *   return g_variant_new_int32 (g_variant_get_int32 (current) + 1);
 * }
 *
 * isle_atom_update (count, add_one_cb, NULL, NULL);
 * ```
 *
 * Returns: %TRUE if the update was stored (or @func returned %NULL, or the
 *   value was equal); %FALSE with @error set if @func returned a value of
 *   the wrong type or the filter rejected it, in which case @self keeps
 *   its value
 *
 * Since: 1.0
 */
gboolean
isle_atom_update (IsleAtom            *self,
                  IsleAtomUpdateFunc   func,
                  gpointer             user_data,
                  GError             **error)
{
  g_return_val_if_fail (ISLE_IS_ATOM (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (;;)
    {
      g_autoptr(GVariant) current = _isle_store_peek_value (ISLE_STORE (self));
      GVariant *next = func (self, current, user_data);
      IsleExchange exchange = { current, NULL, FALSE };

      if (next == NULL)
        return TRUE;

      exchange.value = atom_accept (self, g_variant_take_ref (next), current, error);
      if (exchange.value == NULL)
        return FALSE;

      _isle_store_update_value (ISLE_STORE (self), _isle_store_exchange_if_current,
                                &exchange, NULL);
      g_clear_pointer (&exchange.value, g_variant_unref);
      if (!exchange.conflict)
        return TRUE;
    }
}

/**
 * isle_atom_set_filter:
 * @self: an atom
 * @filter: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   filter, or %NULL to remove it
 * @user_data: data for @filter
 * @destroy: (nullable): frees @user_data
 *
 * Sets the hook that runs before @self takes a new value and may accept,
 * replace or reject it.
 *
 * Since: 1.0
 */
void
isle_atom_set_filter (IsleAtom       *self,
                      IsleAtomFilter  filter,
                      gpointer        user_data,
                      GDestroyNotify  destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (ISLE_IS_ATOM (self));

  old_destroy = self->filter_destroy;
  old_data = self->filter_data;

  self->filter = filter;
  self->filter_data = user_data;
  self->filter_destroy = destroy;

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/* Typed read-modify-writes {{{ */

typedef GVariant *(*ScalarStep) (GVariant *current,
                                 gconstpointer operand);

/* The loop of isle_atom_update(), keeping the value that was stored (after
 * the filter), so that a typed helper can return exactly what the atom
 * took. Returns a full reference to the value the atom holds afterwards:
 * the stored one, or the unchanged current one if the change was refused
 * (reported with a critical naming the atom and @func). */
static GVariant *
atom_step (IsleAtom           *self,
           const GVariantType *type,
           ScalarStep          step,
           gconstpointer       operand,
           const char         *func)
{
  if (!g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (self)), type))
    {
      g_autofree char *label = _isle_store_dup_label (ISLE_STORE (self));
      g_autofree char *held = g_variant_type_dup_string (isle_store_get_value_type (ISLE_STORE (self)));

      g_critical ("%s: %s holds values of type “%s”, not “%.*s”", func, label, held,
                  (int) g_variant_type_get_string_length (type), g_variant_type_peek_string (type));
      return NULL;
    }

  for (;;)
    {
      g_autoptr(GVariant) current = _isle_store_peek_value (ISLE_STORE (self));
      g_autoptr(GError) error = NULL;
      IsleExchange exchange = { current, NULL, FALSE };
      GVariant *stored;

      exchange.value = atom_accept (self, g_variant_ref_sink (step (current, operand)),
                                    current, &error);
      if (exchange.value == NULL)
        {
          g_critical ("%s: %s", func, error->message);
          return g_steal_pointer (&current);
        }

      stored = g_variant_ref (exchange.value);
      _isle_store_update_value (ISLE_STORE (self), _isle_store_exchange_if_current,
                                &exchange, NULL);
      g_clear_pointer (&exchange.value, g_variant_unref);
      if (!exchange.conflict)
        return stored;
      g_variant_unref (stored);
    }
}

static GVariant *
add_int_step (GVariant      *current,
              gconstpointer  operand)
{
  /* Wraps around like unsigned arithmetic rather than overflowing. */
  return g_variant_new_int32 ((gint32) ((guint32) g_variant_get_int32 (current) +
                                        (guint32) *(const int *) operand));
}

static GVariant *
add_int64_step (GVariant      *current,
                gconstpointer  operand)
{
  return g_variant_new_int64 ((gint64) ((guint64) g_variant_get_int64 (current) +
                                        (guint64) *(const gint64 *) operand));
}

static GVariant *
add_double_step (GVariant      *current,
                 gconstpointer  operand)
{
  return g_variant_new_double (g_variant_get_double (current) + *(const double *) operand);
}

static GVariant *
toggle_step (GVariant      *current,
             gconstpointer  operand)
{
  return g_variant_new_boolean (!g_variant_get_boolean (current));
}

/**
 * isle_atom_add_int:
 * @self: an atom of type “i”
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to @self atomically, like [method@Isle.Atom.update] with a
 * function that adds: two threads adding at once never lose an update. The
 * sum wraps around at the limits of a 32-bit integer. The new value goes
 * through the atom's filter.
 *
 * ```c
 * int n = isle_atom_add_int (cart, 1);
 * ```
 *
 * An atom of another type is reported with a critical and left alone, as
 * is a value its filter rejects.
 *
 * Returns: the value @self holds afterwards (as the filter left it; the
 *   unchanged value if the filter rejected it), or 0 if @self is not of
 *   type “i”
 *
 * Since: 1.0
 */
int
isle_atom_add_int (IsleAtom *self,
                   int       delta)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (ISLE_IS_ATOM (self), 0);

  value = atom_step (self, G_VARIANT_TYPE_INT32, add_int_step, &delta, G_STRFUNC);
  return value != NULL ? g_variant_get_int32 (value) : 0;
}

/**
 * isle_atom_add_int64:
 * @self: an atom of type “x”
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to @self atomically: the 64-bit form of
 * [method@Isle.Atom.add_int].
 *
 * Returns: the value @self holds afterwards, or 0 if @self is not of type
 *   “x”
 *
 * Since: 1.0
 */
gint64
isle_atom_add_int64 (IsleAtom *self,
                     gint64    delta)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (ISLE_IS_ATOM (self), 0);

  value = atom_step (self, G_VARIANT_TYPE_INT64, add_int64_step, &delta, G_STRFUNC);
  return value != NULL ? g_variant_get_int64 (value) : 0;
}

/**
 * isle_atom_add_double:
 * @self: an atom of type “d”
 * @delta: what to add (negative to subtract)
 *
 * Adds @delta to @self atomically: the floating-point form of
 * [method@Isle.Atom.add_int].
 *
 * Returns: the value @self holds afterwards, or 0 if @self is not of type
 *   “d”
 *
 * Since: 1.0
 */
double
isle_atom_add_double (IsleAtom *self,
                      double    delta)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (ISLE_IS_ATOM (self), 0);

  value = atom_step (self, G_VARIANT_TYPE_DOUBLE, add_double_step, &delta, G_STRFUNC);
  return value != NULL ? g_variant_get_double (value) : 0;
}

/**
 * isle_atom_toggle:
 * @self: an atom of type “b”
 *
 * Negates @self atomically: two threads toggling at once leave it as it
 * was. The new value goes through the atom's filter.
 *
 * Returns: the value @self holds afterwards, or %FALSE if @self is not of
 *   type “b”
 *
 * Since: 1.0
 */
gboolean
isle_atom_toggle (IsleAtom *self)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (ISLE_IS_ATOM (self), FALSE);

  value = atom_step (self, G_VARIANT_TYPE_BOOLEAN, toggle_step, NULL, G_STRFUNC);
  return value != NULL ? g_variant_get_boolean (value) : FALSE;
}

/* }}} */
