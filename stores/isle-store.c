/* isle-store.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "isle-node-private.h"
#include "isle-delivery-private.h"

/**
 * IsleStore:
 *
 * The base class of the shared stores that carry state between islands,
 * in the spirit of nanostores: [class@Isle.Atom], [class@Isle.Map] and
 * [class@Isle.Computed].
 *
 * A store holds a [struct@GLib.Variant] of a type fixed when it is
 * created. GVariant is GLib's own typed value: the same values work with
 * [class@Gio.Settings], stateful [iface@Gio.Action]s, D-Bus and files
 * without conversion, and a variant is immutable, so a value read from
 * any thread is always whole.
 *
 * [method@Isle.Store.subscribe] calls its listener at once with the
 * current value, then on every change; [method@Isle.Store.listen] only on
 * changes. Listeners get the new and the old value; each registration
 * returns a handle for [method@Isle.Store.unsubscribe]. Listeners are
 * called in the order they subscribed. A listener added while listeners
 * are being called does not hear that change; one removed is not called
 * afterwards, even if it was already due; a change made inside a listener
 * is delivered after the current round, so that every listener sees every
 * value in order.
 *
 * The [property@Isle.Store:value] property notifies too, so
 * g_object_bind_property(), [class@Gtk.Expression] and
 * g_settings_bind() work unchanged.
 *
 * A store starts when it gains its first listener ([signal@Isle.Store::start]
 * runs inside the call that adds it, so a subscriber already sees what
 * the handler set) and stops [property@Isle.Store:stop-delay] milliseconds
 * after it lost its last one, so that a quick re-subscription does not
 * restart it.
 *
 * Stores may be set from any thread; listeners are always called on the
 * store's main context (the thread-default one where it was created), in
 * the order each thread made its changes.
 *
 * With `ISLE_DEBUG=stores` in the environment every change, start and stop
 * is logged through GLib's structured logging, with the fields
 * `ISLE_STORE`, `ISLE_EVENT`, `ISLE_OLD` and `ISLE_NEW`.
 *
 * Since: 1.0
 */

#define DEFAULT_STOP_DELAY_MS 1000

typedef struct
{
  GVariant *value;
  GVariant *old_value;
  char     *key;
} Change;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (IsleStore, isle_store, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (IsleStore)
                                  g_type_add_class_private (g_define_type_id,
                                                            sizeof (IsleStoreClassPrivate)))

GParamSpec *_isle_store_props[N_PROPS];
guint _isle_store_signals[N_SIGNALS];

gboolean _isle_store_debug;

int _isle_store_private_offset;

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

/* Values {{{ */

/*
 * _isle_variant_zero:
 *
 * The default value of @type: zeros, empty strings, empty containers.
 * A serialisation that does not fit its type reads as the default value,
 * so the normal form of an empty one is exactly that.
 */
GVariant *
_isle_variant_zero (const GVariantType *type)
{
  g_autoptr(GVariant) empty = g_variant_new_from_data (type, NULL, 0, FALSE, NULL, NULL);

  /* The normal form may come back floating (when it had to be built). */
  return g_variant_take_ref (g_variant_get_normal_form (empty));
}

/* Called with the store's lock held. */
static gboolean
values_equal (IsleStorePrivate *priv,
              GVariant         *a,
              GVariant         *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  if (priv->equal != NULL)
    return priv->equal (a, b, priv->equal_data);

  /* The common scalars, without serialising. */
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (a) == g_variant_get_int32 (b);
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (a) == g_variant_get_boolean (b);
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (a) == g_variant_get_int64 (b);

  /* Numbers compare like JavaScript's Object.is, as in the engine: NaN
   * equals NaN, 0 and -0 differ. Elsewhere byte equality does the same for
   * nested doubles. */
  if (g_variant_is_of_type (a, G_VARIANT_TYPE_DOUBLE))
    return _isle_double_is (g_variant_get_double (a), g_variant_get_double (b));

  return g_variant_equal (a, b);
}

/* For isle-store-batch.c; values_equal () stays static for the set's sake. */
gboolean
_isle_store_values_equal (IsleStorePrivate *priv,
                          GVariant         *a,
                          GVariant         *b)
{
  return values_equal (priv, a, b);
}

static IsleScalarKind
scalar_kind_for_type (const GVariantType *type)
{
  if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
    return ISLE_SCALAR_BOOLEAN;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    return ISLE_SCALAR_INT32;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
    return ISLE_SCALAR_INT64;
  if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    return ISLE_SCALAR_DOUBLE;

  return ISLE_SCALAR_NONE;
}

/* The equality of values_equal (), unboxed. */
static inline gboolean
scalars_equal (IsleScalarKind kind,
               IsleScalar     a,
               IsleScalar     b)
{
  if (kind == ISLE_SCALAR_DOUBLE)
    return _isle_double_is (a.d, b.d);

  return a.i == b.i;
}

/* The value of a store as a variant, made from the scalar on first use
 * and kept until the value changes. Called with the store's lock held. */
static GVariant *
ensure_value_locked (IsleStorePrivate *priv)
{
  if (priv->value == NULL)
    priv->value = scalar_to_variant (priv->scalar_kind, priv->scalar);

  return priv->value;
}

/* Keeps @value, made for a change, as the variant of the store's value,
 * unless the value has changed again since. */
void
_isle_store_cache_value (IsleStore *self,
                         guint64    version,
                         GVariant  *value)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  g_mutex_lock (&priv->lock);
  if (priv->version == version && priv->value == NULL)
    priv->value = g_variant_ref (value);
  g_mutex_unlock (&priv->lock);
}

/* Stores @value (taking the reference), and its scalar. Called with the
 * store's lock held; returns the old variant (transfer full, %NULL when
 * it was never made) and its scalar in @old_scalar. */
static GVariant *
exchange_value_locked (IsleStorePrivate *priv,
                       GVariant         *value,
                       IsleScalar       *old_scalar)
{
  GVariant *old_value = priv->value;

  *old_scalar = priv->scalar;
  priv->value = value;
  if (priv->scalar_kind != ISLE_SCALAR_NONE)
    priv->scalar = scalar_from_variant (priv->scalar_kind, value);
  priv->version++;

  return old_value;
}

static char *
print_value (GVariant *value)
{
  return value != NULL ? g_variant_print (value, FALSE) : g_strdup ("(none)");
}

void
_isle_store_debug_log (IsleStore  *self,
                       const char *event,
                       GVariant   *old_value,
                       GVariant   *value)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  const char *name = priv->name != NULL ? priv->name : "(unnamed)";

  if (G_LIKELY (!_isle_store_debug))
    return;

  old_text = print_value (old_value);
  new_text = print_value (value);

  if (g_str_equal (event, "change"))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "ISLE_STORE", name,
                      "ISLE_EVENT", event,
                      "ISLE_OLD", old_text,
                      "ISLE_NEW", new_text,
                      "MESSAGE", "store %s: %s → %s", name, old_text, new_text);
  else
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "ISLE_STORE", name,
                      "ISLE_EVENT", event,
                      "MESSAGE", "store %s: %s", name, event);
}

/* }}} */

/* Listeners and delivery {{{ */

static GVariant *
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

static GVariant *
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

static void
call_listener (Listener     *listener,
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

    default:
      g_assert_not_reached ();
    }
}

static void
run_deliveries (ThreadState *state)
{
  IsleComputation *active_sub;
  IsleFrame *frame;

  if (state->delivering)
    return;

  state->delivering = TRUE;

  /* Atoms are how graphs meet: a listener runs outside whatever derived
   * or effect made the change (in its own graph), free to write the
   * states of another graph, and its reads are no dependency of it. */
  active_sub = _isle_active_sub;
  frame = _isle_frame;
  _isle_active_sub = NULL;
  _isle_frame = NULL;

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
  state->delivering = FALSE;

  _isle_active_sub = active_sub;
  _isle_frame = frame;
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

/* Queues the calls of @listener for @change: one call, or for a key
 * listener one per watched key that changed. */
static void
queue_listener (ThreadState  *state,
                Listener     *listener,
                ChangeRecord *change,
                const char   *changed_key)
{
  if (listener->removed)
    return;

  if (G_LIKELY (listener->kind != ISLE_LISTENER_KEYS))
    {
      queue_delivery (state, listener, change);
      return;
    }

  for (guint i = 0; listener->keys[i] != NULL; i++)
    {
      const char *key = listener->keys[i];
      g_autoptr(GVariant) key_value = NULL;
      g_autoptr(GVariant) key_old = NULL;
      ChangeRecord *key_change;

      if (changed_key != NULL && !g_str_equal (changed_key, key))
        continue;

      key_value = lookup_key (change->value, key);
      key_old = lookup_key (change->old_value, key);
      if ((key_value == NULL && key_old == NULL) ||
          (key_value != NULL && key_old != NULL && g_variant_equal (key_value, key_old)))
        continue;

      key_change = change_record_new (change->store, key_value, key_old, FALSE, key);
      queue_delivery (state, listener, key_change);
      change_record_unref (key_change);
    }
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
void
_isle_store_changed (IsleStore    *self,
                     ChangeRecord *announced,
                     const char   *changed_key)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  ThreadState *state = get_thread_state ();
  gboolean any_handler;

  if (state->batch_depth > 0)
    {
      if (!priv->in_batch)
        {
          change_get_old_value (announced);
          _isle_store_batch_hold (state, self, g_steal_pointer (&announced->old_value));
        }
      change_record_clear (announced);
      return;
    }

  if (G_UNLIKELY (_isle_store_debug))
    _isle_store_debug_log (self, "change", change_get_old_value (announced),
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
                                  const char *changed_key)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  Change *change = g_new0 (Change, 1);

  change->value = value;
  change->old_value = old_value;
  change->key = g_strdup (changed_key);
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

/*
 * _isle_store_replace_value:
 * @value: (transfer full): the new value, of the store's type
 *
 * Stores @value unless it equals the current one, and announces the
 * change: at once on the owner thread, else through the store's main
 * context. Returns whether the value changed.
 */
gboolean
_isle_store_replace_value (IsleStore  *self,
                           GVariant   *value,
                           const char *changed_key)
{
  return _isle_store_update_value (self, NULL, value, changed_key);
}

/*
 * _isle_store_update_value:
 * @update: (nullable): computes the new value from the current one, under
 *   the store's lock (so concurrent updates from several threads are not
 *   lost); returns it (transfer full), or %NULL for no change
 * @data: (transfer full): the new value when @update is %NULL, else data
 *   for @update
 *
 * Stores a new value unless it equals the current one, and announces the
 * change: at once on the owner thread, else through the store's main
 * context. Returns whether the value changed.
 */
gboolean
_isle_store_update_value (IsleStore           *self,
                          IsleStoreUpdateFunc  update,
                          gpointer             data,
                          const char          *changed_key)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  ChangeRecord announced = { .ref_count = 1, .has_old = TRUE, .store = self };
  gboolean have_pending;
  GVariant *current;
  GVariant *value;

  g_mutex_lock (&priv->lock);

  current = ensure_value_locked (priv);
  value = update != NULL ? update (current, data) : data;
  if (value == NULL)
    {
      g_mutex_unlock (&priv->lock);
      return FALSE;
    }

  g_variant_take_ref (value);

  if (values_equal (priv, current, value))
    {
      g_mutex_unlock (&priv->lock);
      g_variant_unref (value);
      return FALSE;
    }

  announced.old_value = exchange_value_locked (priv, value, &announced.old_scalar);

  if (g_thread_self () != priv->owner)
    {
      _isle_store_queue_pending_locked (self, g_variant_ref (value), announced.old_value,
                                        changed_key);
      g_mutex_unlock (&priv->lock);
      return TRUE;
    }

  announced.kind = priv->scalar_kind;
  announced.scalar = priv->scalar;
  announced.value = g_variant_ref (value);
  have_pending = priv->pending.length > 0;
  g_mutex_unlock (&priv->lock);

  /* Changes other threads made earlier are told first, so listeners hear
   * every change in the order it was made, and end with the store's
   * value. */
  if (G_UNLIKELY (have_pending))
    _isle_store_deliver_pending (self);

  _isle_store_changed (self, &announced, changed_key);

  return TRUE;
}

/*
 * _isle_store_set_scalar:
 * @kind: the kind of @value
 *
 * Sets a store of a scalar type from an unboxed value, like
 * _isle_store_replace_value() but making no variant unless someone needs
 * one. Returns %FALSE, having done nothing, when this way does not apply
 * (@kind is not the store's, or the store has an equal func, which
 * compares variants): the caller then sets a variant.
 */
gboolean
_isle_store_set_scalar (IsleStore      *self,
                        IsleScalarKind  kind,
                        IsleScalar      value)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  ChangeRecord announced = { .ref_count = 1, .has_old = TRUE, .store = self, .kind = kind };
  gboolean have_pending;

  if (kind == ISLE_SCALAR_NONE || priv->scalar_kind != kind || priv->equal != NULL)
    return FALSE;

  g_mutex_lock (&priv->lock);

  if (scalars_equal (kind, priv->scalar, value))
    {
      g_mutex_unlock (&priv->lock);
      return TRUE;
    }

  announced.old_scalar = priv->scalar;
  announced.old_value = g_steal_pointer (&priv->value);
  announced.scalar = value;
  priv->scalar = value;
  announced.version = ++priv->version;

  if (g_thread_self () != priv->owner)
    {
      GVariant *old_value = announced.old_value;

      if (old_value == NULL)
        old_value = scalar_to_variant (kind, announced.old_scalar);
      _isle_store_queue_pending_locked (self, scalar_to_variant (kind, value), old_value, NULL);
      g_mutex_unlock (&priv->lock);
      return TRUE;
    }

  have_pending = priv->pending.length > 0;
  g_mutex_unlock (&priv->lock);

  if (G_UNLIKELY (have_pending))
    _isle_store_deliver_pending (self);

  _isle_store_changed (self, &announced, NULL);

  return TRUE;
}

/*
 * _isle_store_set_value_quietly:
 * @value: (transfer full): the new value
 *
 * Stores @value without telling anyone: for a store nobody listens to.
 */
void
_isle_store_set_value_quietly (IsleStore *self,
                               GVariant  *value)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  GVariant *old_value;
  IsleScalar old_scalar;

  g_variant_take_ref (value);

  g_mutex_lock (&priv->lock);
  old_value = exchange_value_locked (priv, value, &old_scalar);
  g_mutex_unlock (&priv->lock);

  g_clear_pointer (&old_value, g_variant_unref);
}

/* }}} */

/* GObject {{{ */

static void
isle_store_dispose (GObject *object)
{
  IsleStore *self = ISLE_STORE (object);
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  if (priv->stop_source != NULL)
    {
      g_source_destroy (priv->stop_source);
      g_clear_pointer (&priv->stop_source, g_source_unref);
    }

  if (priv->delivery_source != NULL)
    {
      g_source_destroy (priv->delivery_source);
      g_clear_pointer (&priv->delivery_source, g_source_unref);
    }

  /* No listener is called after the store is disposed. */
  while (priv->listeners->len > 0)
    {
      Listener *listener = g_ptr_array_steal_index (priv->listeners, priv->listeners->len - 1);

      listener->removed = TRUE;
      listener_unref (listener);
    }

  if (priv->started)
    _isle_store_stop (self);

  if (priv->equal_destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&priv->equal_destroy);

      priv->equal = NULL;
      destroy (g_steal_pointer (&priv->equal_data));
    }

  G_OBJECT_CLASS (isle_store_parent_class)->dispose (object);
}

static void
isle_store_finalize (GObject *object)
{
  IsleStore *self = ISLE_STORE (object);
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  g_queue_clear_full (&priv->pending, _isle_store_change_free);
  g_clear_pointer (&priv->listeners, g_ptr_array_unref);
  g_clear_pointer (&priv->value, g_variant_unref);
  g_clear_pointer (&priv->batch_old, g_variant_unref);
  g_clear_pointer (&priv->value_type, g_variant_type_free);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->name, g_free);
  g_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (isle_store_parent_class)->finalize (object);
}

static void
isle_store_constructed (GObject *object)
{
  IsleStore *self = ISLE_STORE (object);
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  G_OBJECT_CLASS (isle_store_parent_class)->constructed (object);

  if (priv->value_type == NULL)
    priv->value_type = g_variant_type_copy (G_VARIANT_TYPE_UNIT);

  priv->scalar_kind = scalar_kind_for_type (priv->value_type);
  if (priv->value == NULL)
    priv->value = _isle_variant_zero (priv->value_type);
  if (priv->scalar_kind != ISLE_SCALAR_NONE)
    priv->scalar = scalar_from_variant (priv->scalar_kind, priv->value);
}

static void
isle_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  IsleStore *self = ISLE_STORE (object);
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;

    case PROP_VALUE_TYPE:
      g_value_set_boxed (value, priv->value_type);
      break;

    case PROP_VALUE:
      g_value_take_variant (value, isle_store_get_value (self));
      break;

    case PROP_N_LISTENERS:
      g_value_set_uint (value, isle_store_get_n_listeners (self));
      break;

    case PROP_STARTED:
      g_value_set_boolean (value, isle_store_get_started (self));
      break;

    case PROP_STOP_DELAY:
      g_value_set_uint (value, isle_store_get_stop_delay (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_store_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  IsleStore *self = ISLE_STORE (object);
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;

    case PROP_VALUE_TYPE:
      priv->value_type = g_value_dup_boxed (value);
      break;

    case PROP_VALUE:
      {
        IsleStoreClassPrivate *class_priv =
          _isle_store_class_get_private (ISLE_STORE_GET_CLASS (self));

        if (class_priv->set_value != NULL)
          {
            class_priv->set_value (self, g_value_get_variant (value));
          }
        else
          {
            g_autofree char *label = _isle_store_dup_label (self);

            g_critical ("%s is read-only: its value cannot be set", label);
          }
      }
      break;

    case PROP_STOP_DELAY:
      isle_store_set_stop_delay (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_store_class_init (IsleStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GDebugKey debug_keys[] = { { "stores", 1 } };

  object_class->dispose = isle_store_dispose;
  object_class->finalize = isle_store_finalize;
  object_class->constructed = isle_store_constructed;
  object_class->get_property = isle_store_get_property;
  object_class->set_property = isle_store_set_property;

  _isle_store_private_offset = g_type_class_get_instance_private_offset (klass);
  _isle_store_class_get_private (klass)->kind_name = "store";

  _isle_store_debug = g_parse_debug_string (g_getenv ("ISLE_DEBUG"), debug_keys,
                                       G_N_ELEMENTS (debug_keys)) != 0;
  _isle_store_delivery_class_init ();

  /**
   * IsleStore:name:
   *
   * The name of the store, used in messages and by [class@Isle.Registry].
   *
   * Since: 1.0
   */
  _isle_store_props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleStore:value-type:
   *
   * The type of the store's values, fixed when it is created.
   *
   * Since: 1.0
   */
  _isle_store_props[PROP_VALUE_TYPE] =
    g_param_spec_boxed ("value-type", NULL, NULL,
                        G_TYPE_VARIANT_TYPE,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleStore:value:
   *
   * The value of the store. Setting it is the same as
   * [method@Isle.Atom.set] (for a map, it replaces the whole dictionary);
   * computed stores are read-only.
   *
   * Since: 1.0
   */
  _isle_store_props[PROP_VALUE] =
    g_param_spec_variant ("value", NULL, NULL,
                          G_VARIANT_TYPE_ANY, NULL,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleStore:n-listeners:
   *
   * The number of listeners of the store.
   *
   * Since: 1.0
   */
  _isle_store_props[PROP_N_LISTENERS] =
    g_param_spec_uint ("n-listeners", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * IsleStore:started:
   *
   * Whether the store is started: it has listeners, or lost the last one
   * less than [property@Isle.Store:stop-delay] ago.
   *
   * Since: 1.0
   */
  _isle_store_props[PROP_STARTED] =
    g_param_spec_boolean ("started", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleStore:stop-delay:
   *
   * How long, in milliseconds, the store stays started after it lost its
   * last listener. 0 stops it at once.
   *
   * Since: 1.0
   */
  _isle_store_props[PROP_STOP_DELAY] =
    g_param_spec_uint ("stop-delay", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_STOP_DELAY_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, _isle_store_props);

  /**
   * IsleStore::start:
   * @self: the store
   *
   * Emitted when the store gains its first listener, inside the call that
   * adds it and before a subscriber is first called: a handler may set the
   * value (start a file monitor, a D-Bus watch, a timer).
   *
   * Since: 1.0
   */
  _isle_store_signals[START] =
    g_signal_new ("start",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (IsleStoreClass, start),
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  /**
   * IsleStore::stop:
   * @self: the store
   *
   * Emitted [property@Isle.Store:stop-delay] milliseconds after the store
   * lost its last listener, unless it gained one in between.
   *
   * Since: 1.0
   */
  _isle_store_signals[STOP] =
    g_signal_new ("stop",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (IsleStoreClass, stop),
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  /**
   * IsleStore::before-notify:
   * @self: the store
   * @value: the new value
   * @old_value: (nullable): the value before
   *
   * Emitted after the value changed and before the listeners hear of it.
   *
   * Returns: %TRUE to keep the listeners from hearing of this change
   *
   * Since: 1.0
   */
  _isle_store_signals[BEFORE_NOTIFY] =
    g_signal_new ("before-notify",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_VARIANT, G_TYPE_VARIANT);
}

static void
isle_store_init (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  g_mutex_init (&priv->lock);
  g_queue_init (&priv->pending);
  priv->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_unref);
  priv->context = g_main_context_ref_thread_default ();
  priv->owner = g_thread_self ();
  priv->stop_delay = DEFAULT_STOP_DELAY_MS;
}

/* }}} */

/* Internal API {{{ */

char *
_isle_store_dup_label (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  const char *kind = _isle_store_class_get_private (ISLE_STORE_GET_CLASS (self))->kind_name;

  if (priv->name != NULL)
    return g_strdup_printf ("%s “%s”", kind, priv->name);

  return g_strdup_printf ("unnamed %s", kind);
}

/*
 * _isle_store_check_value:
 *
 * Whether @value may become the value of @self: not %NULL, of its type.
 */
gboolean
_isle_store_check_value (IsleStore  *self,
                         GVariant   *value,
                         GError    **error)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;

  if (value != NULL && g_variant_is_of_type (value, priv->value_type))
    return TRUE;

  label = _isle_store_dup_label (self);
  expected = g_variant_type_dup_string (priv->value_type);

  if (value == NULL)
    g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                 "%s holds values of type “%s”, not NULL", label, expected);
  else
    g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                 "%s holds values of type “%s”, not “%s”", label, expected,
                 g_variant_get_type_string (value));

  return FALSE;
}

gboolean
_isle_store_is_owner_thread (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  return g_thread_self () == priv->owner;
}

/*
 * _isle_store_peek_value:
 *
 * The current value, without bringing a derived store up to date.
 * Returns: (transfer full)
 */
GVariant *
_isle_store_peek_value (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  GVariant *value;

  g_mutex_lock (&priv->lock);
  value = g_variant_ref (ensure_value_locked (priv));
  g_mutex_unlock (&priv->lock);

  return value;
}

static guint
add_listener (IsleStore           *self,
              IsleListenerKind     kind,
              const char * const  *keys,
              IsleKeyListenerCall  call_keys,
              gboolean             call_now,
              gpointer             func,
              gpointer             user_data,
              GDestroyNotify       destroy)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);
  Listener *listener = g_new0 (Listener, 1);
  guint id;

  listener->ref_count = 1;
  listener->id = id = ++priv->next_id;
  listener->kind = kind;
  listener->keys = g_strdupv ((char **) keys);
  listener->call_keys = call_keys;
  listener->func = func;
  listener->user_data = user_data;
  listener->destroy = destroy;

  /* The start hook runs inside this call, before the first call of a
   * subscriber, so that a subscriber sees what it set. */
  _isle_store_start (self);

  g_ptr_array_add (priv->listeners, listener);
  g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_N_LISTENERS]);

  if (call_now)
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
  return add_listener (self, kind, NULL, NULL, call_now, func, user_data, destroy);
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
  return add_listener (self, ISLE_LISTENER_KEYS, keys, call, FALSE, func, user_data, destroy);
}

/* }}} */

/* Public API {{{ */

/**
 * isle_store_get_name:
 * @self: a store
 *
 * Gets the name of @self.
 *
 * Returns: (nullable): the name
 *
 * Since: 1.0
 */
const char *
isle_store_get_name (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  return priv->name;
}

/**
 * isle_store_get_value_type:
 * @self: a store
 *
 * Gets the type of the values of @self.
 *
 * Returns: (transfer none): the value type
 *
 * Since: 1.0
 */
const GVariantType *
isle_store_get_value_type (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  return priv->value_type;
}

/**
 * isle_store_get_value:
 * @self: a store
 *
 * Gets the value of @self. This may be called from any thread and always
 * returns a whole value. A computed store that nobody listens to is
 * brought up to date first.
 *
 * Returns: (transfer full): the value
 *
 * Since: 1.0
 */
GVariant *
isle_store_get_value (IsleStore *self)
{
  IsleStoreClass *klass;

  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  klass = ISLE_STORE_GET_CLASS (self);
  if (klass->refresh != NULL)
    klass->refresh (self);

  return _isle_store_peek_value (self);
}

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

/**
 * isle_store_unsubscribe:
 * @self: a store
 * @handle: a handle returned when a listener was added
 *
 * Removes a listener. It is not called again, even for a change that is
 * being delivered. When the last listener goes, the store stops after
 * [property@Isle.Store:stop-delay].
 *
 * Since: 1.0
 */
void
isle_store_unsubscribe (IsleStore *self,
                        guint      handle)
{
  IsleStorePrivate *priv = _isle_store_get_private (self);

  g_return_if_fail (ISLE_IS_STORE (self));

  for (guint i = 0; i < priv->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (priv->listeners, i);

      if (listener->id != handle)
        continue;

      listener->removed = TRUE;
      g_ptr_array_remove_index (priv->listeners, i);
      g_object_notify_by_pspec (G_OBJECT (self), _isle_store_props[PROP_N_LISTENERS]);

      if (priv->listeners->len == 0)
        _isle_store_schedule_stop (self);
      return;
    }

  {
    g_autofree char *label = _isle_store_dup_label (self);

    g_critical ("%s: %s has no listener with handle %u (removed twice?)",
                G_STRFUNC, label, handle);
  }
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

  return priv->listeners->len;
}

/**
 * isle_store_get_context:
 * @self: a store
 *
 * Gets the main context the listeners of @self are called on.
 *
 * Returns: (transfer none): the main context
 *
 * Since: 1.0
 */
GMainContext *
isle_store_get_context (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  return priv->context;
}

/**
 * isle_store_set_equal_func:
 * @self: a store
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   equality function, or %NULL for the default one
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Gives @self its own equality: a new value that @func judges equal to
 * the current one is dropped (the old value is kept) and nobody is
 * notified. By default numbers compare like JavaScript's `Object.is`, and
 * everything else by value. @func is called with the store locked (so that
 * writers on several threads see one order): it must not use the store.
 *
 * Since: 1.0
 */
void
isle_store_set_equal_func (IsleStore            *self,
                           IsleVariantEqualFunc  func,
                           gpointer              user_data,
                           GDestroyNotify        destroy)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (ISLE_IS_STORE (self));

  g_mutex_lock (&priv->lock);
  old_destroy = priv->equal_destroy;
  old_data = priv->equal_data;
  priv->equal = func;
  priv->equal_data = user_data;
  priv->equal_destroy = destroy;
  g_mutex_unlock (&priv->lock);

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/**
 * isle_store_get_version:
 * @self: a store
 *
 * Gets the version of the value of @self: a counter that grows by one on
 * every change.
 *
 * Returns: the version
 *
 * Since: 1.0
 */
guint64
isle_store_get_version (IsleStore *self)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  guint64 version;

  g_return_val_if_fail (ISLE_IS_STORE (self), 0);

  g_mutex_lock (&priv->lock);
  version = priv->version;
  g_mutex_unlock (&priv->lock);

  return version;
}

/* }}} */

/* vim:set foldmethod=marker: */
