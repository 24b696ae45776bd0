/* isle-store.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The IsleStore object: its properties and signals, the value slot (the
 * variant, its scalar cache and the version), setting and reading it, and
 * equality. The other parts of IsleStore are isle-store-lifecycle.c,
 * isle-store-typed.c, isle-store-batch.c and isle-delivery.c. */

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
 * g_object_bind_property() and [class@Gtk.Expression] work unchanged.
 * g_settings_bind() does not (GLib's default mapping knows no #GVariant
 * properties): bind a store to a setting with
 * [method@Isle.Store.bind_setting].
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

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (IsleStore, isle_store, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (IsleStore)
                                  g_type_add_class_private (g_define_type_id,
                                                            sizeof (IsleStoreClassPrivate)))

GParamSpec *_isle_store_props[N_PROPS];
guint _isle_store_signals[N_SIGNALS];

gboolean _isle_store_debug;

int _isle_store_private_offset;

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

  /* A container made by a builder is kept as a tree until someone needs
   * its bytes; GVariant then serialises it in place, under a lock of its
   * own, on whichever thread asks first. Serialise it before it is
   * published, so that the value every thread reads is never written
   * again (and ThreadSanitizer, which cannot see that lock, agrees). */
  if (priv->scalar_kind == ISLE_SCALAR_NONE && g_variant_is_container (value))
    (void) g_variant_get_data (value);

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

/* Setting the value {{{ */

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
static gboolean
update_value (IsleStore           *self,
              IsleStoreUpdateFunc  update,
              gpointer             data,
              const char          *changed_key,
              gboolean             redirectable)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  ChangeRecord announced = { .ref_count = 1, .has_old = TRUE, .store = self };
  gboolean owner;
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

  /* A mirror: the owner decides, so the value goes there, and the store
   * changes only when the owner's answer comes back. */
  if (redirectable && priv->redirect != NULL)
    {
      IsleStoreRedirect redirect = priv->redirect;
      gpointer redirect_data = priv->redirect_data;

      g_mutex_unlock (&priv->lock);
      redirect (self, value, changed_key, redirect_data);
      g_variant_unref (value);
      return FALSE;
    }

  announced.old_value = exchange_value_locked (priv, value, &announced.old_scalar);

  /* Made on another thread, or on ours while changes of other threads
   * still wait for delivery: into the queue, in the order the store took
   * them, so that every listener hears every change in that order (each
   * call's old value the previous call's new one) and ends on the store's
   * value. Announcing ours after a drain instead would deliver changes
   * other threads made after ours before it. */
  owner = priv->owner_marker == &_isle_thread_marker;
  if (!owner || G_UNLIKELY (priv->pending.length > 0))
    {
      _isle_store_queue_pending_locked (self, g_variant_ref (value), announced.old_value,
                                        changed_key, FALSE);
      g_mutex_unlock (&priv->lock);
      if (owner)
        _isle_store_deliver_pending (self);
      return TRUE;
    }

  announced.kind = priv->scalar_kind;
  announced.scalar = priv->scalar;
  announced.value = g_variant_ref (value);
  g_mutex_unlock (&priv->lock);

  _isle_store_changed (self, &announced, changed_key);

  return TRUE;
}

gboolean
_isle_store_update_value (IsleStore           *self,
                          IsleStoreUpdateFunc  update,
                          gpointer             data,
                          const char          *changed_key)
{
  return update_value (self, update, data, changed_key, TRUE);
}

/**
 * isle_store_notify_listeners:
 * @self: a store
 * @changed_key: (nullable): the key that changed, for a map's key
 *   listeners, or %NULL for the whole value
 *
 * Tells the listeners of @self that its value changed although it is the
 * same value, like nanostores' `notify ()`: for a value that was changed
 * in place (a mutable object reached through the value) or a change only
 * the listeners care about. Each listener is called with the current
 * value as both the new and the old value. The whole-value listeners
 * always hear it; a map's key listeners hear it for @changed_key only,
 * or without one for each of their keys that is set (as nanostores'
 * `listenKeys` hears an undefined key). A notification follows the rules
 * of a change: inside a batch it waits for the batch's end (and is told
 * even if the batch changed nothing), made from another thread it is
 * delivered on the store's main context, in order with the changes.
 *
 * Since: 1.0
 */
void
isle_store_notify_listeners (IsleStore  *self,
                             const char *changed_key)
{
  IsleStorePrivate *priv;
  ChangeRecord announced = { .ref_count = 1, .has_old = TRUE };
  GVariant *current;

  g_return_if_fail (ISLE_IS_STORE (self));

  priv = isle_store_get_instance_private (self);
  announced.store = self;

  g_mutex_lock (&priv->lock);
  current = g_variant_ref (ensure_value_locked (priv));

  if (g_thread_self () != priv->owner || G_UNLIKELY (priv->pending.length > 0))
    {
      gboolean owner = g_thread_self () == priv->owner;

      _isle_store_queue_pending_locked (self, g_variant_ref (current), current, changed_key, TRUE);
      g_mutex_unlock (&priv->lock);
      if (owner)
        _isle_store_deliver_pending (self);
      return;
    }

  g_mutex_unlock (&priv->lock);

  announced.value = g_variant_ref (current);
  announced.old_value = current;
  announced.forced = TRUE;
  change_record_set_scalars (&announced, priv->scalar_kind);
  _isle_store_changed (self, &announced, changed_key);
}

/*
 * _isle_store_apply_value:
 * @value: (transfer full): the new value, of the store's type
 *
 * Like _isle_store_replace_value(), but never redirected: how a mirror
 * takes the owner's value.
 */
gboolean
_isle_store_apply_value (IsleStore  *self,
                         GVariant   *value,
                         const char *changed_key)
{
  return update_value (self, NULL, value, changed_key, FALSE);
}

/*
 * _isle_store_set_redirect:
 * @redirect: (nullable): where the values @self is asked to take go
 *
 * Makes @self a mirror: see IsleStoreRedirect. @destroy frees @user_data
 * when the redirect is replaced or the store finalized.
 */
void
_isle_store_set_redirect (IsleStore         *self,
                          IsleStoreRedirect  redirect,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  IsleStorePrivate *priv = isle_store_get_instance_private (self);
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_mutex_lock (&priv->lock);
  old_destroy = priv->redirect_destroy;
  old_data = priv->redirect_data;
  priv->redirect = redirect;
  priv->redirect_data = user_data;
  priv->redirect_destroy = destroy;
  g_mutex_unlock (&priv->lock);

  if (old_destroy != NULL)
    old_destroy (old_data);
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
  gboolean owner;

  if (kind == ISLE_SCALAR_NONE || priv->scalar_kind != kind || priv->equal != NULL)
    return FALSE;

  g_mutex_lock (&priv->lock);

  /* A mirror sends its values to the owner as variants. */
  if (G_UNLIKELY (priv->redirect != NULL))
    {
      g_mutex_unlock (&priv->lock);
      return FALSE;
    }

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

  /* As in _isle_store_update_value (): queued in the store's order when
   * made on another thread, or while others' changes wait. */
  owner = priv->owner_marker == &_isle_thread_marker;
  if (G_LIKELY (owner) && priv->n_variant_listeners > 0 && G_LIKELY (priv->pending.length == 0))
    {
      /* Someone will ask for the variant: make it here, once for every
       * listener, and keep it as the store's value in the same critical
       * section (not in a second one once the first listener asks). */
      announced.value = scalar_to_variant (kind, value);
      priv->value = g_variant_ref (announced.value);
      announced.version = 0;
    }
  else if (!owner || G_UNLIKELY (priv->pending.length > 0))
    {
      GVariant *old_value = announced.old_value;

      if (old_value == NULL)
        old_value = scalar_to_variant (kind, announced.old_scalar);
      _isle_store_queue_pending_locked (self, scalar_to_variant (kind, value), old_value, NULL,
                                        FALSE);
      g_mutex_unlock (&priv->lock);
      if (owner)
        _isle_store_deliver_pending (self);
      return TRUE;
    }

  g_mutex_unlock (&priv->lock);

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
  GSource *delivery_source;

  if (priv->stop_source != NULL)
    {
      g_source_destroy (priv->stop_source);
      g_clear_pointer (&priv->stop_source, g_source_unref);
    }

  /* Under the lock: a thread that holds a reference may still set the
   * store, and must not make a new delivery source, which holds none and
   * could dispatch on the store once it is freed. */
  g_mutex_lock (&priv->lock);
  priv->disposed = TRUE;
  delivery_source = g_steal_pointer (&priv->delivery_source);
  g_mutex_unlock (&priv->lock);
  if (delivery_source != NULL)
    {
      g_source_destroy (delivery_source);
      g_source_unref (delivery_source);
    }

  /* No listener is called after the store is disposed. */
  _isle_store_drop_listeners (self);

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

  _isle_store_set_redirect (self, NULL, NULL, NULL);
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
  _isle_inspect_init ();
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
  priv->owner_marker = &_isle_thread_marker;
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

  return priv->owner_marker == &_isle_thread_marker;
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
