/* isle-store-typed.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* IsleStore's typed getters (isle_store_get_int () ...) and typed listeners
 * (isle_store_listen_int () ...), which spare their callers the GVariant.
 * Reads the private struct's value type and scalar (under its lock), and
 * adds listeners through _isle_store_add_listener (); writes nothing. */

#include "config.h"

#include "isle-delivery-private.h"

/* Typed getters {{{ */

/* The value of a store of scalar type @kind, with no variant made: for a
 * store that needs no refresh before it is read. */
static gboolean
get_scalar (IsleStore      *self,
            IsleScalarKind  kind,
            IsleScalar     *scalar)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  if (priv->scalar_kind != kind || ISLE_STORE_GET_CLASS (self)->refresh != NULL)
    return FALSE;

  g_mutex_lock (&priv->lock);
  *scalar = priv->scalar;
  g_mutex_unlock (&priv->lock);

  return TRUE;
}

/* Whether @self holds values of @type; a critical naming both if not. */
static gboolean
check_type (IsleStore          *self,
            const GVariantType *type,
            const char         *func)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;

  if (g_variant_type_equal (priv->value_type, type))
    return TRUE;

  label = _isle_store_dup_label (self);
  expected = g_variant_type_dup_string (priv->value_type);
  g_critical ("%s: %s holds values of type “%s”, not “%.*s”", func, label, expected,
              (int) g_variant_type_get_string_length (type), g_variant_type_peek_string (type));

  return FALSE;
}

static GVariant *
get_typed (IsleStore          *self,
           const GVariantType *type,
           const char         *func)
{
  if (!check_type (self, type, func))
    return NULL;

  return isle_store_get_value (self);
}

/**
 * isle_store_get_boolean:
 * @self: a store of type “b”
 *
 * Gets the boolean value of @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
gboolean
isle_store_get_boolean (IsleStore *self)
{
  g_autoptr(GVariant) value = NULL;
  IsleScalar scalar;

  g_return_val_if_fail (ISLE_IS_STORE (self), FALSE);

  if (get_scalar (self, ISLE_SCALAR_BOOLEAN, &scalar))
    return scalar.i != 0;

  value = get_typed (self, G_VARIANT_TYPE_BOOLEAN, G_STRFUNC);
  return value != NULL ? g_variant_get_boolean (value) : FALSE;
}

/**
 * isle_store_get_int:
 * @self: a store of type “i”
 *
 * Gets the 32-bit integer value of @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
int
isle_store_get_int (IsleStore *self)
{
  g_autoptr(GVariant) value = NULL;
  IsleScalar scalar;

  g_return_val_if_fail (ISLE_IS_STORE (self), 0);

  if (get_scalar (self, ISLE_SCALAR_INT32, &scalar))
    return (int) scalar.i;

  value = get_typed (self, G_VARIANT_TYPE_INT32, G_STRFUNC);
  return value != NULL ? g_variant_get_int32 (value) : 0;
}

/**
 * isle_store_get_int64:
 * @self: a store of type “x”
 *
 * Gets the 64-bit integer value of @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
gint64
isle_store_get_int64 (IsleStore *self)
{
  g_autoptr(GVariant) value = NULL;
  IsleScalar scalar;

  g_return_val_if_fail (ISLE_IS_STORE (self), 0);

  if (get_scalar (self, ISLE_SCALAR_INT64, &scalar))
    return scalar.i;

  value = get_typed (self, G_VARIANT_TYPE_INT64, G_STRFUNC);
  return value != NULL ? g_variant_get_int64 (value) : 0;
}

/**
 * isle_store_get_double:
 * @self: a store of type “d”
 *
 * Gets the double value of @self.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
double
isle_store_get_double (IsleStore *self)
{
  g_autoptr(GVariant) value = NULL;
  IsleScalar scalar;

  g_return_val_if_fail (ISLE_IS_STORE (self), 0.0);

  if (get_scalar (self, ISLE_SCALAR_DOUBLE, &scalar))
    return scalar.d;

  value = get_typed (self, G_VARIANT_TYPE_DOUBLE, G_STRFUNC);
  return value != NULL ? g_variant_get_double (value) : 0.0;
}

/**
 * isle_store_dup_string:
 * @self: a store of type “s”
 *
 * Gets a copy of the string value of @self.
 *
 * Returns: (transfer full) (nullable): the value
 *
 * Since: 1.0
 */
char *
isle_store_dup_string (IsleStore *self)
{
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  value = get_typed (self, G_VARIANT_TYPE_STRING, G_STRFUNC);
  return value != NULL ? g_variant_dup_string (value, NULL) : NULL;
}

/* }}} */

/* Typed listeners {{{ */

/* Adds a typed listener, after checking that @self holds values of its
 * type. On a wrong type @destroy runs at once (a binding's closure is not
 * leaked) and 0 is returned. */
static guint
add_typed_listener (IsleStore          *self,
                    IsleListenerKind    kind,
                    const GVariantType *type,
                    gboolean            call_now,
                    gpointer            func,
                    gpointer            user_data,
                    GDestroyNotify      destroy,
                    const char         *caller)
{
  if (!check_type (self, type, caller))
    {
      if (destroy != NULL)
        destroy (user_data);
      return 0;
    }

  return _isle_store_add_listener (self, kind, call_now, func, user_data, destroy);
}

/**
 * isle_store_subscribe_boolean:
 * @self: a store of type “b”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.subscribe], for a boolean store, with a listener
 * that gets plain booleans: no [struct@GLib.Variant] is made for it. The
 * first call gets the current value as both values.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_subscribe_boolean (IsleStore                *self,
                              IsleStoreBooleanListener  listener,
                              gpointer                  user_data,
                              GDestroyNotify            destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_BOOLEAN, G_VARIANT_TYPE_BOOLEAN, TRUE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_listen_boolean:
 * @self: a store of type “b”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.listen], for a boolean store, with a listener
 * that gets plain booleans: no [struct@GLib.Variant] is made for it.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_listen_boolean (IsleStore                *self,
                           IsleStoreBooleanListener  listener,
                           gpointer                  user_data,
                           GDestroyNotify            destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_BOOLEAN, G_VARIANT_TYPE_BOOLEAN, FALSE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_subscribe_int:
 * @self: a store of type “i”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.subscribe], for a 32-bit integer store, with a
 * listener that gets plain integers: no [struct@GLib.Variant] is made for
 * it. The first call gets the current value as both values.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_subscribe_int (IsleStore            *self,
                          IsleStoreIntListener  listener,
                          gpointer              user_data,
                          GDestroyNotify        destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_INT, G_VARIANT_TYPE_INT32, TRUE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_listen_int:
 * @self: a store of type “i”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.listen], for a 32-bit integer store, with a
 * listener that gets plain integers: no [struct@GLib.Variant] is made for
 * it. Set with [method@Isle.Atom.set_int] and heard only by such
 * listeners, a change makes no variant at all.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_listen_int (IsleStore            *self,
                       IsleStoreIntListener  listener,
                       gpointer              user_data,
                       GDestroyNotify        destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_INT, G_VARIANT_TYPE_INT32, FALSE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_subscribe_int64:
 * @self: a store of type “x”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.subscribe], for a 64-bit integer store, with a
 * listener that gets plain integers: no [struct@GLib.Variant] is made for
 * it. The first call gets the current value as both values.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_subscribe_int64 (IsleStore              *self,
                            IsleStoreInt64Listener  listener,
                            gpointer                user_data,
                            GDestroyNotify          destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_INT64, G_VARIANT_TYPE_INT64, TRUE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_listen_int64:
 * @self: a store of type “x”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.listen], for a 64-bit integer store, with a
 * listener that gets plain integers: no [struct@GLib.Variant] is made for
 * it.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_listen_int64 (IsleStore              *self,
                         IsleStoreInt64Listener  listener,
                         gpointer                user_data,
                         GDestroyNotify          destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_INT64, G_VARIANT_TYPE_INT64, FALSE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_subscribe_double:
 * @self: a store of type “d”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.subscribe], for a double store, with a listener
 * that gets plain doubles: no [struct@GLib.Variant] is made for it. The
 * first call gets the current value as both values.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_subscribe_double (IsleStore               *self,
                             IsleStoreDoubleListener  listener,
                             gpointer                 user_data,
                             GDestroyNotify           destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_DOUBLE, G_VARIANT_TYPE_DOUBLE, TRUE,
                             listener, user_data, destroy, G_STRFUNC);
}

/**
 * isle_store_listen_double:
 * @self: a store of type “d”
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Like [method@Isle.Store.listen], for a double store, with a listener
 * that gets plain doubles: no [struct@GLib.Variant] is made for it.
 *
 * On a store of another type this is a critical, @destroy runs at once
 * and no listener is added.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe], or 0
 *
 * Since: 1.0
 */
guint
isle_store_listen_double (IsleStore               *self,
                          IsleStoreDoubleListener  listener,
                          gpointer                 user_data,
                          GDestroyNotify           destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return add_typed_listener (self, ISLE_LISTENER_DOUBLE, G_VARIANT_TYPE_DOUBLE, FALSE,
                             listener, user_data, destroy, G_STRFUNC);
}

/* }}} */

/* vim:set foldmethod=marker: */
