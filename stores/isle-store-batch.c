/* isle-store-batch.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Batches of store changes (isle_store_batch_begin () ... _end ()): the
 * stores a batch changed, and the one call per listener at its end. Touches
 * the private struct's in_batch and batch_old, and the thread's batch. */

#include "config.h"

#include "isle-delivery-private.h"
#include "isle-inspect-private.h"

/*
 * _isle_store_batch_hold:
 * @old_value: (transfer full): the value before the change
 *
 * Called on the first change of @self inside a batch, instead of telling
 * its listeners: the end of the batch tells them, with @old_value.
 */
void
_isle_store_batch_hold (ThreadState *state,
                        IsleStore   *self,
                        GVariant    *old_value)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  priv->in_batch = TRUE;
  priv->batch_old = old_value;
  if (state->batch_stores == NULL)
    state->batch_stores = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (state->batch_stores, g_object_ref (self));
}

/**
 * isle_store_batch_begin:
 *
 * Starts a batch of store changes on this thread: listeners are not called
 * until the outermost batch ends. Batches nest; each call must be matched
 * by [func@Isle.Store.batch_end].
 *
 * Since: 1.0
 */
void
isle_store_batch_begin (void)
{
  _isle_store_get_thread_state ()->batch_depth++;
}

typedef struct
{
  gpointer   func;
  gpointer   user_data;
  IsleStore *store;
} ListenerKey;

/* A listener (function and data) registered on several stores that
 * changed in one batch is called for the first of them only; registered
 * twice on one store, it is called twice, as outside a batch. */
static gboolean
heard_on_another_store (GArray    *seen,
                        Listener  *listener,
                        IsleStore *store)
{
  ListenerKey key = { listener->func, listener->user_data, store };

  for (guint i = 0; i < seen->len; i++)
    {
      ListenerKey *other = &g_array_index (seen, ListenerKey, i);

      if (other->func == key.func && other->user_data == key.user_data)
        return other->store != store;
    }

  g_array_append_val (seen, key);
  return FALSE;
}

/**
 * isle_store_batch_end:
 *
 * Ends a batch started with [func@Isle.Store.batch_begin]. When the
 * outermost batch ends, each listener of a store that changed is called
 * once, with the final value and the value from before the batch; a
 * listener (the same function and data) registered on several stores that
 * changed is called once.
 *
 * Since: 1.0
 */
void
isle_store_batch_end (void)
{
  ThreadState *state = _isle_store_get_thread_state ();
  g_autoptr(GPtrArray) stores = NULL;
  g_autoptr(GArray) seen = NULL;

  g_return_if_fail (state->batch_depth > 0);

  if (--state->batch_depth > 0 || state->batch_stores == NULL)
    return;

  stores = g_steal_pointer (&state->batch_stores);
  seen = g_array_new (FALSE, FALSE, sizeof (ListenerKey));

  for (guint i = 0; i < stores->len; i++)
    {
      IsleStore *store = g_ptr_array_index (stores, i);
      IsleStorePrivate *priv = _isle_store_get_private (store);
      g_autoptr(GVariant) old_value = g_steal_pointer (&priv->batch_old);
      g_autoptr(GVariant) value = _isle_store_peek_value (store);
      gboolean cancelled = FALSE;
      ChangeRecord *change;
      gboolean forced;
      gboolean equal;

      forced = priv->batch_forced;
      priv->in_batch = FALSE;
      priv->batch_forced = FALSE;

      /* Changed and changed back: nothing to tell (unless it was notified,
       * isle_store_notify_listeners ()). Under the lock, as in a set: the equality
       * function is set under it. */
      g_mutex_lock (&priv->lock);
      equal = _isle_store_values_equal (priv, old_value, value);
      g_mutex_unlock (&priv->lock);
      if (equal && !forced)
        continue;

      _isle_store_debug_log (store, "change", old_value, value);
      if (ISLE_INSPECTING ())
        _isle_inspect_store_changed (store, old_value, value);

      g_signal_emit (store, _isle_store_signals[BEFORE_NOTIFY], 0, value, old_value, &cancelled);
      if (cancelled)
        continue;

      change = change_record_new (store, value, old_value, FALSE, NULL);
      change->forced = forced;
      change_record_set_scalars (change, priv->scalar_kind);
      for (guint j = 0; j < priv->listeners->len; j++)
        {
          Listener *listener = g_ptr_array_index (priv->listeners, j);

          if (!heard_on_another_store (seen, listener, store))
            _isle_store_queue_listener (state, listener, change, NULL);
        }
      change_record_unref (change);

      g_object_notify_by_pspec (G_OBJECT (store), _isle_store_props[PROP_VALUE]);
    }

  _isle_store_run_deliveries (state);
}

/**
 * isle_store_batch:
 * @func: (scope call) (closure user_data): the function to run
 * @user_data: data for @func
 *
 * Runs @func inside a batch of store changes. The batch ends when @func
 * returns, also when it failed (a Python exception).
 *
 * Since: 1.0
 */
void
isle_store_batch (IsleStoreFunc func,
                  gpointer      user_data)
{
  g_return_if_fail (func != NULL);

  isle_store_batch_begin ();
  func (user_data);
  isle_store_batch_end ();
}
