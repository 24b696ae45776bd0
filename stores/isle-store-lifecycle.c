/* isle-store-lifecycle.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* When a store runs: it starts with its first listener and stops
 * stop-delay milliseconds after its last one went. Touches the private
 * struct's started, stop_source and stop_delay; reads the rest. */

#include "config.h"

#include "isle-store-impl-private.h"
#include "isle-inspect-private.h"

/* Lifecycle {{{ */

void
_isle_store_start (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  if (priv->stop_source != NULL)
    {
      g_source_destroy (priv->stop_source);
      g_clear_pointer (&priv->stop_source, g_source_unref);
    }

  if (priv->started)
    return;

  priv->started = TRUE;
  _isle_store_debug_log (self, "start", NULL, NULL);
  if (ISLE_INSPECTING ())
    _isle_inspect_store_lifecycle (self, TRUE);
  g_signal_emit (self, _isle_store_signals[START], 0);
  g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_STARTED]);
}

void
_isle_store_stop (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  if (!priv->started)
    return;

  priv->started = FALSE;
  _isle_store_debug_log (self, "stop", NULL, NULL);
  if (ISLE_INSPECTING ())
    _isle_inspect_store_lifecycle (self, FALSE);
  g_signal_emit (self, _isle_store_signals[STOP], 0);
  g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_STARTED]);
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  IsleStore *self = user_data;
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_clear_pointer (&priv->stop_source, g_source_unref);
  if (priv->listeners->len == priv->n_dead_listeners)
    _isle_store_stop (self);

  return G_SOURCE_REMOVE;
}

void
_isle_store_schedule_stop (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  if (!priv->started || priv->stop_source != NULL)
    return;

  if (priv->stop_delay == 0)
    {
      _isle_store_stop (self);
      return;
    }

  priv->stop_source = g_timeout_source_new (priv->stop_delay);
  g_source_set_callback (priv->stop_source, stop_timeout_cb, self, NULL);
  g_source_set_static_name (priv->stop_source, "[isle] store stop");
  g_source_attach (priv->stop_source, priv->context);
}

/* }}} */


/* Public API {{{ */

/**
 * isle_store_get_started:
 * @self: a store
 *
 * Gets whether @self is started.
 *
 * Returns: %TRUE if @self is started
 *
 * Since: 1.0
 */
gboolean
isle_store_get_started (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_return_val_if_fail (ISLE_IS_STORE (self), FALSE);

  return priv->started;
}

/**
 * isle_store_get_stop_delay:
 * @self: a store
 *
 * Gets how long @self stays started after it lost its last listener.
 *
 * Returns: the delay in milliseconds
 *
 * Since: 1.0
 */
guint
isle_store_get_stop_delay (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_return_val_if_fail (ISLE_IS_STORE (self), 0);

  return priv->stop_delay;
}

/**
 * isle_store_set_stop_delay:
 * @self: a store
 * @stop_delay_ms: the delay in milliseconds; 0 stops at once
 *
 * Sets how long @self stays started after it lost its last listener. A
 * stop already scheduled is scheduled again, @stop_delay_ms from now (so 0
 * stops the store at once).
 *
 * Since: 1.0
 */
void
isle_store_set_stop_delay (IsleStore *self,
                           guint      stop_delay_ms)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_return_if_fail (ISLE_IS_STORE (self));

  if (priv->stop_delay == stop_delay_ms)
    return;

  priv->stop_delay = stop_delay_ms;

  /* A stop already on its way waits the new delay, from now. */
  if (priv->stop_source != NULL)
    {
      g_source_destroy (priv->stop_source);
      g_clear_pointer (&priv->stop_source, g_source_unref);
      _isle_store_schedule_stop (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_STOP_DELAY]);
}

/* }}} */

/* vim:set foldmethod=marker: */

/* Helpers {{{ */

static void
keep_mount_cb (IsleStore *store,
               GVariant  *value,
               GVariant  *old_value,
               gpointer   user_data)
{
}

/**
 * isle_store_keep_mount:
 * @self: a store
 *
 * Keeps @self started, like nanostores' `keepMount ()`: adds a listener
 * that does nothing, so the store starts now (its start hook runs before
 * this returns) and does not stop while that listener is there, even when
 * all the others go.
 *
 * Returns: the handle of the listener, for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_store_keep_mount (IsleStore *self)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);

  return isle_store_listen (self, keep_mount_cb, NULL, NULL);
}

/**
 * isle_store_clean:
 * @self: a store
 *
 * Returns @self to the state it had before anyone listened, for tests
 * (nanostores' `cleanStores ()`): every listener is removed (its destroy
 * notify runs), and a started store stops at once, without waiting for
 * its stop delay (its stop hook runs before this returns). The value is
 * kept, but a computed store forgets it computed it: it computes again
 * when it is next read or started. The next listener starts it again.
 * Cleaning a clean store does nothing.
 *
 * Since: 1.0
 */
void
isle_store_clean (IsleStore *self)
{
  IsleStorePrivate *priv;

  g_return_if_fail (ISLE_IS_STORE (self));
  g_return_if_fail (_isle_store_is_owner_thread (self));

  priv = _isle_store_get_private (self);

  g_object_ref (self);

  _isle_store_remove_listeners (self);

  if (priv->stop_source != NULL)
    {
      g_source_destroy (priv->stop_source);
      g_clear_pointer (&priv->stop_source, g_source_unref);
    }
  _isle_store_stop (self);

  if (_isle_store_class_get_private (G_OBJECT_GET_CLASS (self))->clean != NULL)
    _isle_store_class_get_private (G_OBJECT_GET_CLASS (self))->clean (self);

  g_object_unref (self);
}

/* }}} */
