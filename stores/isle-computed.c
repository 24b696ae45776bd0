/* isle-computed.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-store-private.h"

/**
 * IsleComputed:
 *
 * A read-only store whose value is computed from other stores, like
 * nanostores' `computed`.
 *
 * It is lazy: it listens to its sources only while it has listeners of
 * its own, and computes nothing before it is read or listened to. Read
 * without listeners, it recomputes only when a source changed since its
 * last computation (it compares the sources' versions), so
 * [method@Isle.Store.get_value] is always right.
 *
 * ```c
 * static GVariant *
 * total_cb (GVariant *values, gpointer user_data)
 * {
 *   int count;
 *   double price;
 *
 *   g_variant_get (values, "(id)", &count, &price);
 *   return g_variant_new_double (count * price);
 * }
 *
 * IsleStore *sources[] = { ISLE_STORE (count), ISLE_STORE (price) };
 * IsleComputed *total = isle_computed_new ("total", G_VARIANT_TYPE_DOUBLE,
 *                                          sources, 2, total_cb, NULL, NULL);
 * ```
 *
 * In Python:
 *
 * ```python
 * total = Isle.Computed.new("total", GLib.VariantType("d"), [count, price],
 *                           lambda values: GLib.Variant("d", values[0] * values[1]))
 * ```
 *
 * A *batched* computed store ([property@Isle.Computed:batched]) coalesces
 * the changes its sources make in one main-loop turn into one
 * recomputation, run from its main context before the frame is drawn.
 *
 * A function that fails (returns %NULL or a value of the wrong type) is
 * reported once, and the store keeps its last good value.
 *
 * Since: 1.0
 */

struct _IsleComputed
{
  IsleStore        parent_instance;

  GPtrArray       *sources;
  GArray          *handles;    /* listen handles while started */
  guint64         *versions;   /* of the sources at the last computation */
  IsleComputeFunc  func;
  gpointer         user_data;
  GDestroyNotify   destroy;
  GSource         *recompute_source;

  guint            batched : 1;
  guint            computed : 1;
  guint            failed : 1;
};

enum {
  PROP_0,
  PROP_BATCHED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (IsleComputed, isle_computed, ISLE_TYPE_STORE)

/* Runs the function on the sources' current values. Returns the new value,
 * or NULL if the function failed (reported once). */
static GVariant *
compute (IsleComputed *self)
{
  IsleStore *store = ISLE_STORE (self);
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_TUPLE);
  for (guint i = 0; i < self->sources->len; i++)
    {
      IsleStore *source = g_ptr_array_index (self->sources, i);

      /* Versions first: a change racing in from another thread then
       * shows up as a newer version next time. */
      g_autoptr(GVariant) value = NULL;

      self->versions[i] = isle_store_get_version (source);
      value = isle_store_get_value (source);
      g_variant_builder_add_value (&builder, value);
    }
  values = g_variant_ref_sink (g_variant_builder_end (&builder));

  result = self->func (values, self->user_data);
  self->computed = TRUE;

  if (result != NULL)
    g_variant_take_ref (result);
  else
    g_set_error_literal (&error, ISLE_ERROR, ISLE_ERROR_FAILED, "its function returned no value");

  if (result != NULL && !_isle_store_check_value (store, result, &error))
    g_clear_pointer (&result, g_variant_unref);

  if (result == NULL)
    {
      if (!self->failed)
        {
          g_autofree char *label = _isle_store_dup_label (store);

          g_warning ("%s failed: %s", label, error->message);
        }
      self->failed = TRUE;
      return NULL;
    }

  self->failed = FALSE;
  return g_steal_pointer (&result);
}

static gboolean
sources_changed (IsleComputed *self)
{
  gboolean changed = !self->computed;

  for (guint i = 0; i < self->sources->len; i++)
    {
      IsleStore *source = g_ptr_array_index (self->sources, i);
      IsleStoreClass *klass = ISLE_STORE_GET_CLASS (source);

      /* A source computed from others is brought up to date first, or its
       * version would say nothing changed. */
      if (klass->refresh != NULL)
        klass->refresh (source);

      if (isle_store_get_version (source) != self->versions[i])
        changed = TRUE;
    }

  return changed;
}

static void
recompute_and_notify (IsleComputed *self)
{
  GVariant *value = compute (self);

  if (value != NULL)
    _isle_store_replace_value (ISLE_STORE (self), value, NULL);
}

static gboolean
recompute_source_cb (gpointer user_data)
{
  IsleComputed *self = user_data;

  g_clear_pointer (&self->recompute_source, g_source_unref);
  recompute_and_notify (self);

  return G_SOURCE_REMOVE;
}

static void
source_changed_cb (IsleStore *source,
                   GVariant  *value,
                   GVariant  *old_value,
                   gpointer   user_data)
{
  IsleComputed *self = user_data;

  /* Already recomputed by a read since this change. */
  if (!sources_changed (self))
    return;

  if (!self->batched)
    {
      recompute_and_notify (self);
      return;
    }

  if (self->recompute_source != NULL)
    return;

  self->recompute_source = g_idle_source_new ();
  /* After the atoms' own deliveries, before graphs flush their effects. */
  g_source_set_priority (self->recompute_source, G_PRIORITY_HIGH_IDLE + 5);
  g_source_set_callback (self->recompute_source, recompute_source_cb, self, NULL);
  g_source_set_static_name (self->recompute_source, "[isle] batched computed");
  g_source_attach (self->recompute_source, isle_store_get_context (ISLE_STORE (self)));
}

static void
cancel_recompute (IsleComputed *self)
{
  if (self->recompute_source == NULL)
    return;

  g_source_destroy (self->recompute_source);
  g_clear_pointer (&self->recompute_source, g_source_unref);
}

static void
isle_computed_refresh (IsleStore *store)
{
  IsleComputed *self = ISLE_COMPUTED (store);
  GVariant *value;

  /* Only the store's own thread computes; others read the last value. */
  if (!_isle_store_is_owner_thread (store))
    return;

  if (isle_store_get_started (store))
    {
      /* Listening, but a source may have changed without our listener
       * having heard yet (a listener of that source, called first, reads
       * us), or a batched recomputation may be due: recompute now, and
       * tell our listeners; the source's call then finds nothing new. */
      if (self->recompute_source != NULL || sources_changed (self))
        {
          cancel_recompute (self);
          recompute_and_notify (self);
        }
      return;
    }

  if (!sources_changed (self))
    return;

  value = compute (self);
  if (value != NULL)
    _isle_store_set_value_quietly (store, value);
}

static void
isle_computed_start (IsleStore *store)
{
  IsleComputed *self = ISLE_COMPUTED (store);

  /* Up to date before the first listener is called. */
  if (sources_changed (self))
    {
      GVariant *value = compute (self);

      if (value != NULL)
        _isle_store_set_value_quietly (store, value);
    }

  for (guint i = 0; i < self->sources->len; i++)
    {
      guint handle = isle_store_listen (g_ptr_array_index (self->sources, i),
                                        source_changed_cb, self, NULL);

      g_array_append_val (self->handles, handle);
    }
}

static void
isle_computed_stop (IsleStore *store)
{
  IsleComputed *self = ISLE_COMPUTED (store);

  cancel_recompute (self);

  for (guint i = 0; i < self->handles->len; i++)
    isle_store_unsubscribe (g_ptr_array_index (self->sources, i),
                            g_array_index (self->handles, guint, i));
  g_array_set_size (self->handles, 0);
}

/* Cleaned (isle_store_clean ()), it computes again when it is next read
 * or started, as nanostores resets a computed store's cache. */
static void
isle_computed_clean (IsleStore *store)
{
  IsleComputed *self = ISLE_COMPUTED (store);

  self->computed = FALSE;
}

static void
isle_computed_dispose (GObject *object)
{
  IsleComputed *self = ISLE_COMPUTED (object);

  G_OBJECT_CLASS (isle_computed_parent_class)->dispose (object);

  /* The parent stopped us, which dropped our listeners on the sources. */
  cancel_recompute (self);
  g_clear_pointer (&self->sources, g_ptr_array_unref);

  if (self->destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&self->destroy);

      destroy (g_steal_pointer (&self->user_data));
    }
}

static void
isle_computed_finalize (GObject *object)
{
  IsleComputed *self = ISLE_COMPUTED (object);

  g_clear_pointer (&self->handles, g_array_unref);
  g_clear_pointer (&self->versions, g_free);

  G_OBJECT_CLASS (isle_computed_parent_class)->finalize (object);
}

static void
isle_computed_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  IsleComputed *self = ISLE_COMPUTED (object);

  switch (prop_id)
    {
    case PROP_BATCHED:
      g_value_set_boolean (value, isle_computed_get_batched (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_computed_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  IsleComputed *self = ISLE_COMPUTED (object);

  switch (prop_id)
    {
    case PROP_BATCHED:
      isle_computed_set_batched (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_computed_class_init (IsleComputedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  IsleStoreClass *store_class = ISLE_STORE_CLASS (klass);

  object_class->dispose = isle_computed_dispose;
  object_class->finalize = isle_computed_finalize;
  object_class->get_property = isle_computed_get_property;
  object_class->set_property = isle_computed_set_property;

  store_class->start = isle_computed_start;
  store_class->stop = isle_computed_stop;
  store_class->refresh = isle_computed_refresh;

  /* No set_value: read-only. */
  _isle_store_class_get_private (klass)->kind_name = "computed store";
  _isle_store_class_get_private (klass)->clean = isle_computed_clean;

  /**
   * IsleComputed:batched:
   *
   * Whether changes of the sources made in one main-loop turn are
   * coalesced into one recomputation.
   *
   * Since: 1.0
   */
  props[PROP_BATCHED] =
    g_param_spec_boolean ("batched", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
isle_computed_init (IsleComputed *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->handles = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * isle_computed_new:
 * @name: (nullable): the name of the store
 * @value_type: the type of the computed values
 * @sources: (array length=n_sources): the stores it is computed from
 * @n_sources: the number of sources
 * @func: (scope notified) (closure user_data) (destroy destroy): computes the value
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the store is disposed
 *
 * Creates a computed store. Nothing is computed until it is read or
 * listened to.
 *
 * Returns: (transfer full): a new computed store
 *
 * Since: 1.0
 */
IsleComputed *
isle_computed_new (const char         *name,
                   const GVariantType *value_type,
                   IsleStore         **sources,
                   guint               n_sources,
                   IsleComputeFunc     func,
                   gpointer            user_data,
                   GDestroyNotify      destroy)
{
  IsleComputed *self;

  g_return_val_if_fail (value_type != NULL, NULL);
  g_return_val_if_fail (g_variant_type_is_definite (value_type), NULL);
  g_return_val_if_fail (sources != NULL || n_sources == 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  for (guint i = 0; i < n_sources; i++)
    g_return_val_if_fail (ISLE_IS_STORE (sources[i]), NULL);

  self = g_object_new (ISLE_TYPE_COMPUTED,
                       "name", name,
                       "value-type", value_type,
                       NULL);

  for (guint i = 0; i < n_sources; i++)
    g_ptr_array_add (self->sources, g_object_ref (sources[i]));
  self->versions = g_new0 (guint64, MAX (n_sources, 1));
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;

  return self;
}

/**
 * isle_computed_get_batched:
 * @self: a computed store
 *
 * Gets whether @self is batched.
 *
 * Returns: %TRUE if @self is batched
 *
 * Since: 1.0
 */
gboolean
isle_computed_get_batched (IsleComputed *self)
{
  g_return_val_if_fail (ISLE_IS_COMPUTED (self), FALSE);

  return self->batched;
}

/**
 * isle_computed_set_batched:
 * @self: a computed store
 * @batched: whether to coalesce changes
 *
 * Sets whether the changes of the sources made in one main-loop turn are
 * coalesced into one recomputation.
 *
 * Since: 1.0
 */
void
isle_computed_set_batched (IsleComputed *self,
                           gboolean      batched)
{
  g_return_if_fail (ISLE_IS_COMPUTED (self));

  batched = !!batched;
  if (self->batched == batched)
    return;

  self->batched = batched;
  if (!batched && self->recompute_source != NULL)
    {
      cancel_recompute (self);
      recompute_and_notify (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BATCHED]);
}

/* Read-only views {{{ */

/* A method of IsleStore, kept here beside the computed stores it makes, so
 * that the base class names no subclass. */

static GVariant *
readonly_identity (GVariant *values,
                   gpointer  user_data)
{
  return g_variant_get_child_value (values, 0);
}

/**
 * isle_store_create_readonly:
 * @self: a store
 * @name: (nullable): the name of the view, e.g. to register it
 *
 * Creates a read-only view of @self, for nanostores' `readonlyType`: a
 * module exports (or registers) the view, keeps the writable store to
 * itself, and only its own functions can change the value. The view
 * always has the value of @self and tells its listeners about every
 * change of it; setting it is refused with a critical, as for any
 * computed store. It is an [class@Isle.Computed] of @self alone, so it
 * listens to @self only while it has listeners itself.
 *
 * ```c
 * cart = isle_atom_new ("cart-writable", G_VARIANT_TYPE ("a{si}"), NULL);  // private
 * g_autoptr(IsleStore) view = isle_store_create_readonly (ISLE_STORE (cart), "cart");
 * isle_registry_add (isle_registry_get_default (), view, NULL);           // public
 * ```
 *
 * Returns: (transfer full): a new read-only store with the value of @self
 *
 * Since: 1.0
 */
IsleStore *
isle_store_create_readonly (IsleStore  *self,
                            const char *name)
{
  g_return_val_if_fail (ISLE_IS_STORE (self), NULL);

  return ISLE_STORE (isle_computed_new (name, isle_store_get_value_type (self), &self, 1,
                                        readonly_identity, NULL, NULL));
}

/* }}} */
