/* isle-delivery.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* IsleStore's listeners and the delivery of its changes to them: the
 * listener and change records, the per-thread round, and the queue of
 * changes other threads made. Touches the private struct's listeners,
 * next_id, pending queue (under the lock) and delivery_source; reads the
 * rest. */

#include "config.h"

#include <string.h>

#include "isle-node-private.h"
#include "isle-delivery-private.h"

typedef struct
{
  GVariant *value;
  GVariant *old_value;
  char     *key;
  gboolean  forced;    /* a notification (isle_store_notify_listeners ()) */
} Change;

static void thread_state_free (gpointer data);

/* The GPrivate frees a thread's state when the thread ends; the
 * thread-local pointer finds it without a call on every change. */
static GPrivate thread_state_key = G_PRIVATE_INIT (thread_state_free);
static _Thread_local ThreadState *thread_state;

static ThreadState *
get_thread_state (void)
{
  ThreadState *state = thread_state;

  if (G_UNLIKELY (state == NULL))
    {
      state = g_new0 (ThreadState, 1);
      g_private_set (&thread_state_key, state);
      thread_state = state;
    }

  return state;
}

/* For isle-store-batch.c; get_thread_state () stays static, to be inlined
 * on the way of every change. */
ThreadState *
_isle_store_get_thread_state (void)
{
  return get_thread_state ();
}

/* Listeners and delivery {{{ */

/* The variants of a change, made on first use. Inline: call_listener ()
 * asks for them once per listener (GCC stopped inlining them by itself
 * when the delivery left isle-store.c). */
static inline GVariant *
change_get_value (ChangeRecord *change)
{
  if (change->value == NULL && change->kind != ISLE_SCALAR_NONE)
    {
      change->value = scalar_to_variant (change->kind, change->scalar);

      /* Made once: the store keeps it as its value, and the next change
       * finds it as the old one. */
      if (change->version != 0)
        _isle_store_cache_value (change->store, change->version, change->value);
    }

  return change->value;
}

static inline GVariant *
change_get_old_value (ChangeRecord *change)
{
  if (change->old_value == NULL && change->kind != ISLE_SCALAR_NONE && change->has_old)
    change->old_value = scalar_to_variant (change->kind, change->old_scalar);

  return change->old_value;
}

/* Moves the contents of a change on the stack to a new one on the heap,
 * for deliveries that outlive the call that made it. */
static ChangeRecord *
change_record_move_to_heap (ChangeRecord *stacked)
{
  ChangeRecord *change = g_memdup2 (stacked, sizeof *stacked);

  change->ref_count = 1;
  change->on_heap = TRUE;
  g_object_ref (change->store);

  stacked->value = NULL;
  stacked->old_value = NULL;
  stacked->key = NULL;

  return change;
}

static void
delivery_clear (Delivery *delivery)
{
  g_clear_pointer (&delivery->listener, listener_unref);
  g_clear_pointer (&delivery->change, change_record_unref);
}

static void
thread_state_free (gpointer data)
{
  ThreadState *state = data;

  thread_state = NULL;

  for (guint i = 0; i < state->n_deliveries; i++)
    delivery_clear (&state->deliveries[i]);
  g_free (state->deliveries);
  if (state->batch_stores != NULL)
    g_ptr_array_free (state->batch_stores, TRUE);
  g_free (state);
}

static inline void
call_listener_now (Listener     *listener,
                   ChangeRecord *change)
{
  IsleStore *store = change->store;
  gpointer user_data = listener->user_data;

  switch (listener->kind)
    {
    case ISLE_LISTENER_STORE:
      ((IsleStoreListener) listener->func) (store, change_get_value (change),
                                            change_get_old_value (change), user_data);
      break;

    case ISLE_LISTENER_KEYS:
      listener->call_keys (store, listener->func, change->key, change->value,
                           change->old_value, user_data);
      break;

    case ISLE_LISTENER_BOOLEAN:
      ((IsleStoreBooleanListener) listener->func) (store, change->scalar.i != 0,
                                                   change->old_scalar.i != 0, user_data);
      break;

    case ISLE_LISTENER_INT:
      ((IsleStoreIntListener) listener->func) (store, (int) change->scalar.i,
                                               (int) change->old_scalar.i, user_data);
      break;

    case ISLE_LISTENER_INT64:
      ((IsleStoreInt64Listener) listener->func) (store, change->scalar.i,
                                                 change->old_scalar.i, user_data);
      break;

    case ISLE_LISTENER_DOUBLE:
      ((IsleStoreDoubleListener) listener->func) (store, change->scalar.d,
                                                  change->old_scalar.d, user_data);
      break;

    case ISLE_LISTENER_CHANGES:
      listener->call_keys (store, listener->func, change->key, change_get_value (change),
                           change_get_old_value (change), user_data);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Observed: what the listener sets has this change as its cause. Out of
 * line, so that the common path keeps nothing across the call. */
static void __attribute__ ((noinline, cold))
call_listener_inspected (Listener     *listener,
                         ChangeRecord *change)
{
  char *prev_cause = _isle_inspect_cause_push (change->store, change->key,
                                               change_get_old_value (change),
                                               change_get_value (change));

  call_listener_now (listener, change);
  _isle_inspect_cause_pop (prev_cause);
}

static void
call_listener (Listener     *listener,
               ChangeRecord *change)
{
  if (ISLE_INSPECTING ())
    {
      call_listener_inspected (listener, change);
      return;
    }

  call_listener_now (listener, change);
}

/* Makes the calls queued on this thread, in order; the caller has set
 * state->delivering. */
static void
run_queue (ThreadState *state)
{
  /* The array may grow (and move) while we walk it: index, and copy out.
   * Each entry's references are dropped here. */
  for (guint i = 0; i < state->n_deliveries; i++)
    {
      Delivery delivery = state->deliveries[i];

      if (!delivery.listener->removed)
        call_listener (delivery.listener, delivery.change);
      listener_unref (delivery.listener);
      change_record_unref (delivery.change);
    }

  state->n_deliveries = 0;
}

static void
run_deliveries (ThreadState *state)
{
  IsleComputation *active_sub;
  IsleFrame *frame;

  if (state->delivering)
    return;

  state->delivering = TRUE;
  state->round++;

  /* Atoms are how graphs meet: a listener runs outside whatever derived
   * or effect made the change (in its own graph), free to write the
   * states of another graph, and its reads are no dependency of it. */
  active_sub = _isle_tls.active_sub;
  frame = _isle_tls.frame;
  _isle_tls.active_sub = NULL;
  _isle_tls.frame = NULL;

  run_queue (state);

  state->delivering = FALSE;

  _isle_tls.active_sub = active_sub;
  _isle_tls.frame = frame;
}

/* Drops the listeners removed while their array was walked. */
static void
compact_listeners (IsleStorePrivate *priv)
{
  GPtrArray *listeners = priv->listeners;
  guint kept = 0;

  for (guint i = 0; i < listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (listeners, i);

      if (listener->removed)
        listener_unref (listener);
      else
        listeners->pdata[kept++] = listener;
    }

  /* The dropped ones were unreferenced above: shorten the array without
   * its free func. */
  listeners->len = kept;
  priv->n_dead_listeners = 0;
}

/* The round of a change made outside any round, on the owner thread, of
 * a store with no key listener and no signal handler, naming no key (the
 * usual case; a map's listeners are told the changed key on the queue):
 * its listeners are called straight from the store's array, in order,
 * with no delivery queued and no reference taken per listener. What the
 * queue's references otherwise guarantee holds as well: a listener
 * removed during the walk stays in the array (marked, not called again)
 * until the walk ends, one added is appended past the end the walk
 * stops at, and a store disposed by one of its listeners hands its array
 * to the walk. Changes made inside the listeners are queued as usual, and
 * delivered after the walk, in the same round. */
static void
walk_listeners (ThreadState      *state,
                IsleStorePrivate *priv,
                ChangeRecord     *change)
{
  GPtrArray *listeners = priv->listeners;
  guint n = listeners->len;
  IsleStore *store = change->store;
  GVariant *value = NULL;
  GVariant *old_value = NULL;
  gboolean have_variants = FALSE;
  IsleComputation *active_sub;
  IsleFrame *frame;

  state->delivering = TRUE;
  state->round++;

  /* As in run_deliveries (). */
  active_sub = _isle_tls.active_sub;
  frame = _isle_tls.frame;
  _isle_tls.active_sub = NULL;
  _isle_tls.frame = NULL;

  state->walking = listeners;
  state->walk_dirty = FALSE;
  state->walk_orphaned = FALSE;

  /* Indexed: an added listener may move the array's storage. The
   * variants of the change are asked for once, by the first GVariant
   * listener, and then handed to each such listener straight: the change
   * is on our stack and is not changed by the calls, so its variants stay
   * the same (and alive) for the whole walk. */
  for (guint i = 0; i < n; i++)
    {
      Listener *listener = g_ptr_array_index (listeners, i);

      if (G_UNLIKELY (listener->removed))
        continue;

      if (G_LIKELY (listener->kind == ISLE_LISTENER_STORE) && !ISLE_INSPECTING ())
        {
          if (G_UNLIKELY (!have_variants))
            {
              value = change_get_value (change);
              old_value = change_get_old_value (change);
              have_variants = TRUE;
            }
          ((IsleStoreListener) listener->func) (store, value, old_value, listener->user_data);
        }
      else
        {
          call_listener (listener, change);
        }
    }

  state->walking = NULL;

  /* @priv is gone with its store when the array was handed over. */
  if (G_UNLIKELY (state->walk_orphaned))
    g_ptr_array_unref (listeners);
  else if (G_UNLIKELY (state->walk_dirty))
    compact_listeners (priv);

  run_queue (state);

  state->delivering = FALSE;

  _isle_tls.active_sub = active_sub;
  _isle_tls.frame = frame;
}

/* Called by the store's dispose: marks every listener removed and drops
 * them, or, when they are being walked, hands them to the walk. */
void
_isle_store_drop_listeners (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  ThreadState *state = thread_state;

  for (guint i = 0; i < priv->listeners->len; i++)
    ((Listener *) g_ptr_array_index (priv->listeners, i))->removed = TRUE;

  if (state != NULL && state->walking == priv->listeners)
    {
      state->walk_orphaned = TRUE;
      priv->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_unref);
    }
  else
    {
      while (priv->listeners->len > 0)
        listener_unref (g_ptr_array_steal_index (priv->listeners, priv->listeners->len - 1));
    }

  priv->n_variant_listeners = 0;
  priv->n_key_listeners = 0;
  priv->n_dead_listeners = 0;
}

/* For isle-store-batch.c; run_deliveries () stays static, for
 * _isle_store_changed () to inline its first test. */
void
_isle_store_run_deliveries (ThreadState *state)
{
  run_deliveries (state);
}

static void
grow_deliveries (ThreadState *state)
{
  state->deliveries_size = MAX (state->deliveries_size * 2, 16);
  state->deliveries = g_renew (Delivery, state->deliveries, state->deliveries_size);
}

/* A round of a thousand listeners queues a thousand of these: inline, no
 * GArray call per entry. */
static inline void
queue_delivery (ThreadState  *state,
                Listener     *listener,
                ChangeRecord *change)
{
  Delivery *delivery;

  if (G_UNLIKELY (state->n_deliveries == state->deliveries_size))
    grow_deliveries (state);

  delivery = &state->deliveries[state->n_deliveries++];
  delivery->listener = listener_ref (listener);
  delivery->change = change;
  change->ref_count++;
}

static GVariant *
lookup_key (GVariant   *dict,
            const char *key)
{
  if (dict == NULL || !g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    return NULL;

  return g_variant_lookup_value (dict, key, NULL);
}

/* Whether @path is @key, lies under it or above it ("a" and "a.b",
 * "items" and "items[2]"): a notification naming @key concerns it. */
static gboolean
path_is_related (const char *path,
                 const char *key)
{
  size_t path_len = strlen (path);
  size_t key_len = strlen (key);
  const char *longer = path_len >= key_len ? path : key;
  const char *shorter = path_len >= key_len ? key : path;
  size_t n = MIN (path_len, key_len);

  return strncmp (longer, shorter, n) == 0 &&
         (longer[n] == '\0' || longer[n] == '.' || longer[n] == '[');
}

/* Queues the calls of a listener that hears keys: a whole-value listener
 * that is told the changed key, or a key listener, once per watched key
 * that changed. Out of line: the round's loop over plain listeners stays
 * as small as it was. */
G_NO_INLINE static void
queue_keyed_listener (ThreadState  *state,
                      Listener     *listener,
                      ChangeRecord *change,
                      const char   *changed_key)
{
  IsleKeyLookup lookup = lookup_key;

  if (listener->kind == ISLE_LISTENER_CHANGES)
    {
      ChangeRecord *keyed;

      if (changed_key == NULL)
        {
          queue_delivery (state, listener, change);
          return;
        }

      /* The key goes with a copy of the change (the one on a setter's
       * stack has none). */
      keyed = change_record_new (change->store, change_get_value (change),
                                 change_get_old_value (change), FALSE, changed_key);
      queue_delivery (state, listener, keyed);
      change_record_unref (keyed);
      return;
    }

  if (listener->paths)
    lookup = _isle_store_class_get_private (G_OBJECT_GET_CLASS (change->store))->lookup_path;

  for (guint i = 0; listener->keys[i] != NULL; i++)
    {
      const char *key = listener->keys[i];
      g_autoptr(GVariant) key_value = NULL;
      g_autoptr(GVariant) key_old = NULL;
      ChangeRecord *key_change;

      /* A path may be changed through a change of another one (its
       * parent, or a child): only plain keys can be skipped by name. */
      if (!listener->paths && changed_key != NULL && !g_str_equal (changed_key, key))
        continue;
      /* A notification (told even when equal) naming a key or a path
       * reaches the paths under it and above it, not the others. */
      if (listener->paths && change->forced && changed_key != NULL &&
          !path_is_related (key, changed_key))
        continue;

      key_value = lookup (change->value, key);
      key_old = lookup (change->old_value, key);
      /* A notification is told even though the key's value is equal. */
      if ((key_value == NULL && key_old == NULL) ||
          (!change->forced && key_value != NULL && key_old != NULL &&
           g_variant_equal (key_value, key_old)))
        continue;

      key_change = change_record_new (change->store, key_value, key_old, FALSE, key);
      queue_delivery (state, listener, key_change);
      change_record_unref (key_change);
    }
}

/* Queues the calls of @listener for @change: one call, or for a listener
 * that hears keys what queue_keyed_listener () says. */
static inline void
queue_listener (ThreadState  *state,
                Listener     *listener,
                ChangeRecord *change,
                const char   *changed_key)
{
  if (listener->removed)
    return;

  if (G_LIKELY (!listener->keyed))
    {
      queue_delivery (state, listener, change);
      return;
    }

  queue_keyed_listener (state, listener, change, changed_key);
}

/* For isle-store-batch.c; queue_listener () stays static, for the round
 * to inline what it can. */
void
_isle_store_queue_listener (ThreadState  *state,
                            Listener     *listener,
                            ChangeRecord *change,
                            const char   *changed_key)
{
  queue_listener (state, listener, change, changed_key);
}

/* Whether anyone listens to notify::value or before-notify: emitting a
 * signal nobody hears is most of the cost of a change otherwise. Each
 * check takes GObject's signal lock, so first one check for whether the
 * store has any handler at all (usually not: islands use listeners). */
static inline gboolean
has_any_handler (IsleStore *self)
{
  return g_signal_handler_find (self, G_SIGNAL_MATCH_UNBLOCKED, 0, 0, NULL, NULL, NULL) != 0;
}

static inline gboolean
has_handlers (IsleStore *self,
              guint      signal_id,
              GQuark     detail)
{
  return g_signal_has_handler_pending (self, signal_id, detail, FALSE);
}

static guint notify_signal_id;
static GQuark value_quark;

/* Called by isle_store_class_init (). */
void
_isle_store_delivery_class_init (void)
{
  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
  value_quark = g_quark_from_static_string ("value");
}

/* Announces @announced, a change of @self on the owner thread kept on the
 * caller's stack (with one reference, and emptied here): to the batch if
 * one is open, else to the before-notify hook, the listeners and
 * notify::value. */
static gboolean
runaway (IsleStore        *self,
         IsleStorePrivate *priv,
         ThreadState      *state)
{
  g_autofree char *label = NULL;

  if (priv->round != state->round)
    {
      priv->round = state->round;
      priv->round_changes = 0;
    }

  if (++priv->round_changes <= ISLE_MAX_STORE_CHANGES_IN_ROUND)
    return FALSE;

  if (priv->round_changes == ISLE_MAX_STORE_CHANGES_IN_ROUND + 1)
    {
      label = _isle_store_dup_label (self);
      g_critical ("%s was changed more than %d times by its listeners in one round of "
                  "delivery: a listener keeps setting it; the changes after that are not "
                  "announced in this round", label, ISLE_MAX_STORE_CHANGES_IN_ROUND);
    }

  return TRUE;
}

void
_isle_store_changed (IsleStore    *self,
                     ChangeRecord *announced,
                     const char   *changed_key)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  ThreadState *state = get_thread_state ();
  gboolean any_handler;

  /* A change made inside a listener: count it, and stop a store that
   * keeps changing itself from its listeners before it loops for ever.
   * Its value stays set; the store works as before from the next round. */
  if (G_UNLIKELY (state->delivering) && G_UNLIKELY (runaway (self, priv, state)))
    {
      change_record_clear (announced);
      return;
    }

  if (state->batch_depth > 0)
    {
      if (!priv->in_batch)
        {
          change_get_old_value (announced);
          _isle_store_batch_hold (state, self, g_steal_pointer (&announced->old_value));
        }
      if (announced->forced)
        priv->batch_forced = TRUE;
      change_record_clear (announced);
      return;
    }

  if (G_UNLIKELY (_isle_store_debug))
    _isle_store_debug_log (self, "change", change_get_old_value (announced),
                           change_get_value (announced));
  if (ISLE_INSPECTING ())
    _isle_inspect_store_changed (self, change_get_old_value (announced),
                                 change_get_value (announced));

  any_handler = has_any_handler (self);

  if (any_handler && has_handlers (self, _isle_store_signals[BEFORE_NOTIFY], 0))
    {
      gboolean cancelled = FALSE;

      g_signal_emit (self, _isle_store_signals[BEFORE_NOTIFY], 0, change_get_value (announced),
                     change_get_old_value (announced), &cancelled);
      if (cancelled)
        {
          change_record_clear (announced);
          return;
        }
    }

  /* With calls already queued (a handler of notify::value of another
   * store setting this one, before that store's round), ours go behind
   * them. */
  if (G_LIKELY (!any_handler) && G_LIKELY (!state->delivering) && G_LIKELY (state->n_deliveries == 0) &&
      priv->n_key_listeners == 0 && changed_key == NULL)
    {
      if (priv->listeners->len > 0)
        walk_listeners (state, priv, announced);

      /* Every call that had the change on our stack has been made. */
      g_assert (announced->ref_count == 1);
      change_record_clear (announced);
      return;
    }

  if (priv->listeners->len > 0)
    {
      /* Made inside a listener, the calls wait for the current round. */
      ChangeRecord *change = state->delivering ? change_record_move_to_heap (announced) : announced;

      for (guint i = 0; i < priv->listeners->len; i++)
        queue_listener (state, g_ptr_array_index (priv->listeners, i), change, changed_key);
      if (change != announced)
        change_record_unref (change);
    }

  if (any_handler && has_handlers (self, notify_signal_id, value_quark))
    g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_VALUE]);

  run_deliveries (state);

  /* Every call that had the change on our stack has been made. */
  g_assert (announced->ref_count == 1);
  change_record_clear (announced);
}

void
_isle_store_change_free (gpointer data)
{
  Change *change = data;

  g_clear_pointer (&change->value, g_variant_unref);
  g_clear_pointer (&change->old_value, g_variant_unref);
  g_free (change->key);
  g_free (change);
}

gboolean
_isle_store_deliver_pending (gpointer user_data)
{
  IsleStore *self = user_data;
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_object_ref (self);

  for (;;)
    {
      ChangeRecord announced = { .ref_count = 1, .has_old = TRUE, .store = self };
      Change *change;

      g_mutex_lock (&priv->lock);
      change = g_queue_pop_head (&priv->pending);
      g_mutex_unlock (&priv->lock);

      if (change == NULL)
        break;

      announced.value = g_steal_pointer (&change->value);
      announced.old_value = g_steal_pointer (&change->old_value);
      announced.forced = change->forced;
      change_record_set_scalars (&announced, priv->scalar_kind);
      _isle_store_changed (self, &announced, change->key);
      _isle_store_change_free (change);
    }

  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
delivery_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs delivery_source_funcs = {
  .dispatch = delivery_source_dispatch,
};

/* Queues a change made on another thread for the owner's main context.
 * Called with the store's lock held; takes the references. */
void
_isle_store_queue_pending_locked (IsleStore  *self,
                                  GVariant   *value,
                                  GVariant   *old_value,
                                  const char *changed_key,
                                  gboolean    forced)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  Change *change;

  /* A disposed store has no listener left to tell (and must not get a
   * delivery source, which holds no reference to it). */
  if (G_UNLIKELY (priv->disposed))
    {
      g_clear_pointer (&value, g_variant_unref);
      g_clear_pointer (&old_value, g_variant_unref);
      return;
    }

  change = g_new0 (Change, 1);
  change->value = value;
  change->old_value = old_value;
  change->key = g_strdup (changed_key);
  change->forced = forced;
  g_queue_push_tail (&priv->pending, change);

  if (priv->delivery_source == NULL)
    {
      priv->delivery_source = g_source_new (&delivery_source_funcs, sizeof (GSource));
      g_source_set_callback (priv->delivery_source, _isle_store_deliver_pending, self, NULL);
      g_source_set_static_name (priv->delivery_source, "[isle] store changes");
      g_source_attach (priv->delivery_source, priv->context);
    }
  g_source_set_ready_time (priv->delivery_source, 0);
}

/* }}} */

/* Adding listeners {{{ */

static guint
add_listener (IsleStore           *self,
              IsleListenerKind     kind,
              const char * const  *keys,
              gboolean             paths,
              IsleKeyListenerCall  call_keys,
              gboolean             call_now,
              gpointer             func,
              gpointer             user_data,
              GDestroyNotify       destroy)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  Listener *listener;
  guint id;

  /* Listeners live on the store's own thread, where they are called; a
   * list changed from another one would race with the delivery. */
  if (G_UNLIKELY (priv->owner_marker != &_isle_thread_marker))
    {
      g_autofree char *label = _isle_store_dup_label (self);

      g_critical ("%s: listeners are added on the thread that created the store, "
                  "where they are called (its main context's); not from another thread",
                  label);
      if (destroy != NULL)
        destroy (user_data);
      return 0;
    }

  listener = g_new0 (Listener, 1);
  listener->ref_count = 1;
  listener->id = id = ++priv->next_id;
  listener->kind = kind;
  listener->keys = g_strdupv ((char **) keys);
  listener->call_keys = call_keys;
  listener->paths = paths;
  listener->keyed = kind == ISLE_LISTENER_KEYS || kind == ISLE_LISTENER_CHANGES;
  listener->func = func;
  listener->user_data = user_data;
  listener->destroy = destroy;

  /* The start hook runs inside this call, before the first call of a
   * subscriber, so that a subscriber sees what it set. */
  _isle_store_start (self);

  g_ptr_array_add (priv->listeners, listener);
  if (kind == ISLE_LISTENER_STORE)
    priv->n_variant_listeners++;
  else if (kind == ISLE_LISTENER_KEYS)
    priv->n_key_listeners++;
  g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_N_LISTENERS]);

  if (call_now && kind == ISLE_LISTENER_KEYS)
    {
      g_autoptr(GVariant) dict = isle_store_get_value (self);
      IsleKeyLookup lookup = paths ? _isle_store_class_get_private (G_OBJECT_GET_CLASS (self))->lookup_path
                                   : lookup_key;

      /* Once for each key, with its value now (NULL if it is not set),
       * unless the listener removed itself meanwhile. */
      listener_ref (listener);
      for (guint i = 0; listener->keys[i] != NULL && !listener->removed; i++)
        {
          g_autoptr(GVariant) key_value = lookup (dict, listener->keys[i]);
          gboolean observed = ISLE_INSPECTING ();
          char *prev_cause = NULL;

          /* Observed, what it sets has this key as its cause, as for any
           * call of a listener. */
          if (G_UNLIKELY (observed))
            prev_cause = _isle_inspect_cause_push (self, listener->keys[i], NULL, key_value);
          call_keys (self, func, listener->keys[i], key_value, NULL, user_data);
          if (G_UNLIKELY (observed))
            _isle_inspect_cause_pop (prev_cause);
        }
      listener_unref (listener);
    }
  else if (call_now)
    {
      ChangeRecord now = { .ref_count = 1, .has_old = FALSE, .store = self };

      /* A typed listener gets the current value as the old one too. */
      now.value = isle_store_get_value (self);
      change_record_set_scalars (&now, priv->scalar_kind);

      listener_ref (listener);
      call_listener (listener, &now);
      listener_unref (listener);
      change_record_clear (&now);
    }

  return id;
}

guint
_isle_store_add_listener (IsleStore        *self,
                          IsleListenerKind  kind,
                          gboolean          call_now,
                          gpointer          func,
                          gpointer          user_data,
                          GDestroyNotify    destroy)
{
  return add_listener (self, kind, NULL, FALSE, NULL, call_now, func, user_data, destroy);
}

/*
 * _isle_store_add_key_listener:
 * @call: calls @func, of the subclass's listener type
 *
 * Adds a listener of changes of @keys of a store of type “a{sv}”: called
 * through @call once for each of them that changed, never at once.
 */
guint
_isle_store_add_key_listener (IsleStore           *self,
                              const char * const  *keys,
                              IsleKeyListenerCall  call,
                              gpointer             func,
                              gpointer             user_data,
                              GDestroyNotify       destroy)
{
  return add_listener (self, ISLE_LISTENER_KEYS, keys, FALSE, call, FALSE, func, user_data, destroy);
}

/*
 * _isle_store_add_key_listener_full:
 * @paths: whether @keys are paths, found by the class's lookup_path
 * @call_now: whether to call @func at once for each key, with its value
 *   now and no old value
 *
 * As _isle_store_add_key_listener(), for paths too, and optionally called
 * at once.
 */
guint
_isle_store_add_key_listener_full (IsleStore           *self,
                                   const char * const  *keys,
                                   gboolean             paths,
                                   gboolean             call_now,
                                   IsleKeyListenerCall  call,
                                   gpointer             func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy)
{
  return add_listener (self, ISLE_LISTENER_KEYS, keys, paths, call, call_now,
                       func, user_data, destroy);
}

/*
 * _isle_store_add_change_listener:
 * @call: calls @func, of the subclass's listener type, with the whole new
 *   and old value and the key the change was made to (%NULL for a change
 *   of the whole value, and for the first call of a subscription)
 *
 * Adds a listener of every change that also hears which key changed.
 */
guint
_isle_store_add_change_listener (IsleStore           *self,
                                 gboolean             call_now,
                                 IsleKeyListenerCall  call,
                                 gpointer             func,
                                 gpointer             user_data,
                                 GDestroyNotify       destroy)
{
  return add_listener (self, ISLE_LISTENER_CHANGES, NULL, FALSE, call, call_now,
                       func, user_data, destroy);
}

/* }}} */

/* Public API {{{ */

/**
 * isle_store_subscribe:
 * @self: a store
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Adds a listener that is called at once with the current value (and a
 * %NULL old value), then after every change. The first listener starts
 * the store.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_store_subscribe (IsleStore         *self,
                      IsleStoreListener  listener,
                      gpointer           user_data,
                      GDestroyNotify     destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return _isle_store_add_listener (self, ISLE_LISTENER_STORE, TRUE,
                                   listener, user_data, destroy);
}

/**
 * isle_store_listen:
 * @self: a store
 * @listener: (scope notified) (closure user_data) (destroy destroy): the listener
 * @user_data: data for @listener
 * @destroy: (nullable): frees @user_data once the listener is removed
 *
 * Adds a listener that is called after every change (not at once). The
 * first listener starts the store.
 *
 * Returns: a handle for [method@Isle.Store.unsubscribe]
 *
 * Since: 1.0
 */
guint
isle_store_listen (IsleStore         *self,
                   IsleStoreListener  listener,
                   gpointer           user_data,
                   GDestroyNotify     destroy)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), 0);
  g_return_val_if_fail (listener != NULL, 0);

  return _isle_store_add_listener (self, ISLE_LISTENER_STORE, FALSE,
                                   listener, user_data, destroy);
}

/* Removes the listener with @handle; FALSE when there is none. On the
 * owner thread. */
static gboolean
remove_listener (IsleStore *self,
                 guint      handle)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  for (guint i = 0; i < priv->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (priv->listeners, i);
      ThreadState *state;

      if (listener->id != handle || listener->removed)
        continue;

      listener->removed = TRUE;
      if (listener->kind == ISLE_LISTENER_STORE)
        priv->n_variant_listeners--;
      else if (listener->kind == ISLE_LISTENER_KEYS)
        priv->n_key_listeners--;

      /* Its array being walked, it stays there until the walk ends. */
      state = thread_state;
      if (state != NULL && state->walking == priv->listeners)
        {
          priv->n_dead_listeners++;
          state->walk_dirty = TRUE;
        }
      else
        {
          g_ptr_array_remove_index (priv->listeners, i);
        }
      g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_N_LISTENERS]);

      if (priv->listeners->len == priv->n_dead_listeners)
        _isle_store_schedule_stop (self);
      return TRUE;
    }

  return FALSE;
}

typedef struct
{
  IsleStore *store;
  guint      handle;
} ForeignRemoval;

static gboolean
foreign_removal_cb (gpointer user_data)
{
  ForeignRemoval *removal = user_data;

  /* Gone already (the store was cleaned or disposed since): nothing to do. */
  remove_listener (removal->store, removal->handle);

  return G_SOURCE_REMOVE;
}

static void
foreign_removal_free (gpointer data)
{
  ForeignRemoval *removal = data;

  g_object_unref (removal->store);
  g_free (removal);
}

/**
 * isle_store_unsubscribe:
 * @self: a store
 * @handle: a handle returned when a listener was added
 *
 * Removes a listener. It is not called again, even for a change that is
 * being delivered. When the last listener goes, the store stops after
 * [property@Isle.Store:stop-delay].
 *
 * Listeners are called on the thread that created @self, in its main
 * context. Removed from another thread, a listener is removed there, at
 * that context's next iteration (until then it may still be called), and
 * its destroy notify runs there.
 *
 * Since: 1.0
 */
void
isle_store_unsubscribe (IsleStore *self,
                        guint      handle)
{
  IsleStorePrivate *priv;

  g_return_if_fail (ISLE_IS_STORE (self));

  priv = _isle_store_get_private (self);

  /* The owner thread may be walking the array, with no reference on the
   * listener it is calling: the removal is its to make. An idle source,
   * not g_main_context_invoke (), which would run it here when nobody
   * holds the context. */
  if (G_UNLIKELY (priv->owner_marker != &_isle_thread_marker))
    {
      ForeignRemoval *removal = g_new (ForeignRemoval, 1);
      GSource *source = g_idle_source_new ();

      removal->store = g_object_ref (self);
      removal->handle = handle;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, foreign_removal_cb, removal, foreign_removal_free);
      g_source_set_static_name (source, "[isle] listener removal");
      g_source_attach (source, priv->context);
      g_source_unref (source);
      return;
    }

  if (!remove_listener (self, handle))
    {
      g_autofree char *label = _isle_store_dup_label (self);

      g_critical ("%s: %s has no listener with handle %u (removed twice?)",
                  G_STRFUNC, label, handle);
    }
}

/*
 * _isle_store_remove_listeners:
 *
 * Removes every listener of @self at once (isle_store_clean ()); a call
 * already queued for one of them is not made. Does not stop @self.
 */
void
_isle_store_remove_listeners (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  g_autoptr(GPtrArray) listeners = NULL;
  ThreadState *state;

  if (priv->listeners->len == 0)
    return;

  listeners = g_steal_pointer (&priv->listeners);
  priv->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_unref);
  for (guint i = 0; i < listeners->len; i++)
    ((Listener *) g_ptr_array_index (listeners, i))->removed = TRUE;
  priv->n_variant_listeners = 0;
  priv->n_key_listeners = 0;
  priv->n_dead_listeners = 0;

  /* Being walked (a listener cleans its store), the array holds the only
   * references to its listeners, the running one among them: the walk
   * drops it when it ends. */
  state = thread_state;
  if (state != NULL && state->walking == listeners)
    {
      state->walk_orphaned = TRUE;
      g_steal_pointer (&listeners);
    }

  g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_N_LISTENERS]);
}

/**
 * isle_store_get_n_listeners:
 * @self: a store
 *
 * Gets the number of listeners of @self.
 *
 * Returns: the number of listeners
 *
 * Since: 1.0
 */
guint
isle_store_get_n_listeners (IsleStore *self)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_return_val_if_fail (ISLE_IS_STORE (self), 0);

  return priv->listeners->len - priv->n_dead_listeners;
}

/* }}} */

/* vim:set foldmethod=marker: */
