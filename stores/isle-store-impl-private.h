/* isle-store-impl-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The insides of IsleStore, shared by the files that make it up
 * (isle-store.c, isle-store-lifecycle.c, isle-store-typed.c,
 * isle-store-batch.c, isle-delivery.c) and by nothing else: a subclass
 * sees isle-store-private.h only. */

#pragma once

#include "isle-store-private.h"

G_BEGIN_DECLS

typedef struct
{
  char                 *name;
  GVariantType         *value_type;

  GMutex                lock;
  GVariant             *value;       /* under @lock; see @scalar */
  IsleScalar            scalar;      /* under @lock */
  IsleScalarKind        scalar_kind;
  guint64               version;     /* under @lock */
  GQueue                pending;     /* Change, under @lock: from other threads */
  GSource              *delivery_source;  /* under @lock */
  guint                 disposed : 1;     /* under @lock: no more sources */

  GMainContext         *context;
  GThread              *owner;
  gconstpointer         owner_marker;  /* &_isle_thread_marker of @owner: one TLS address to compare */

  GPtrArray            *listeners;   /* Listener, owner thread only */
  guint                 n_variant_listeners;  /* of them, those called with variants */
  guint                 n_key_listeners;      /* those of keys */
  guint                 n_dead_listeners;     /* removed during a walk, still in the array */
  guint                 next_id;
  guint                 stop_delay;
  GSource              *stop_source;
  guint                 started : 1;
  guint                 in_batch : 1;
  guint                 batch_forced : 1;  /* notified inside the batch */
  GVariant             *batch_old;
  guint64               round;          /* of round_changes; owner thread only */
  guint                 round_changes;  /* made inside listeners in that round */

  IsleVariantEqualFunc  equal;
  gpointer              equal_data;
  GDestroyNotify        equal_destroy;

  /* Under @lock: where a store mirrored from another process sends the
   * values it is asked to take (see _isle_store_set_redirect ()). */
  IsleStoreRedirect     redirect;
  gpointer              redirect_data;
  GDestroyNotify        redirect_destroy;
} IsleStorePrivate;

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE_TYPE,
  PROP_VALUE,
  PROP_N_LISTENERS,
  PROP_STARTED,
  PROP_STOP_DELAY,
  N_PROPS
};

enum {
  START,
  STOP,
  BEFORE_NOTIFY,
  N_SIGNALS
};

/* The data the files share is G_GNUC_INTERNAL: not exported, so that a read
 * is one instruction, as it was when it was static.
 *
 * The properties and signals of IsleStore, made by isle_store_class_init (). */
G_GNUC_INTERNAL extern GParamSpec *_isle_store_props[N_PROPS];
G_GNUC_INTERNAL extern guint _isle_store_signals[N_SIGNALS];

/* Whether ISLE_DEBUG has “stores”: every change, start and stop is logged
 * with _isle_store_debug_log (), which does nothing otherwise. */
G_GNUC_INTERNAL extern gboolean _isle_store_debug;

/* isle-store.c */
void _isle_store_debug_log (IsleStore  *self,
                            const char *event,
                            GVariant   *old_value,
                            GVariant   *value);

/* Whether @a and @b are the same value for the store: its equal func, or
 * values_equal ()'s own rules. */
gboolean _isle_store_values_equal (IsleStorePrivate *priv,
                                   GVariant         *a,
                                   GVariant         *b);

/* Keeps @value, made for the change to @version, as the variant of the
 * store's value, unless the value has changed again since. */
void _isle_store_cache_value (IsleStore *self,
                              guint64    version,
                              GVariant  *value);

/* isle-store-lifecycle.c: a store starts with its first listener and stops
 * a while after its last one went. */
void _isle_store_start         (IsleStore *self);
void _isle_store_stop          (IsleStore *self);
void _isle_store_schedule_stop (IsleStore *self);
void _isle_store_remove_listeners (IsleStore *self);

/* Where IsleStorePrivate is in an instance: set by isle_store_class_init ()
 * for the files other than isle-store.c, which has
 * isle_store_get_instance_private (). */
G_GNUC_INTERNAL extern int _isle_store_private_offset;

static inline IsleStorePrivate *
_isle_store_get_private (IsleStore *self)
{
  return G_STRUCT_MEMBER_P (self, _isle_store_private_offset);
}

/* The unboxed value of a store of a scalar type, from and to a variant. */
static inline IsleScalar
scalar_from_variant (IsleScalarKind  kind,
                     GVariant       *value)
{
  IsleScalar scalar = { 0 };

  switch (kind)
    {
    case ISLE_SCALAR_BOOLEAN:
      scalar.i = g_variant_get_boolean (value);
      break;

    case ISLE_SCALAR_INT32:
      scalar.i = g_variant_get_int32 (value);
      break;

    case ISLE_SCALAR_INT64:
      scalar.i = g_variant_get_int64 (value);
      break;

    case ISLE_SCALAR_DOUBLE:
      scalar.d = g_variant_get_double (value);
      break;

    case ISLE_SCALAR_NONE:
    default:
      g_assert_not_reached ();
    }

  return scalar;
}

/* Returns: (transfer full): a new, non-floating variant */
static inline GVariant *
scalar_to_variant (IsleScalarKind kind,
                   IsleScalar     scalar)
{
  GVariant *value;

  switch (kind)
    {
    case ISLE_SCALAR_BOOLEAN:
      value = g_variant_new_boolean (scalar.i != 0);
      break;

    case ISLE_SCALAR_INT32:
      value = g_variant_new_int32 ((gint32) scalar.i);
      break;

    case ISLE_SCALAR_INT64:
      value = g_variant_new_int64 (scalar.i);
      break;

    case ISLE_SCALAR_DOUBLE:
      value = g_variant_new_double (scalar.d);
      break;

    case ISLE_SCALAR_NONE:
    default:
      g_assert_not_reached ();
    }

  return g_variant_ref_sink (value);
}

G_END_DECLS
