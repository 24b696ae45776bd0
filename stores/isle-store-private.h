/* isle-store-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "isle-stores.h"

G_BEGIN_DECLS

typedef enum {
  ISLE_LISTENER_STORE,
  ISLE_LISTENER_KEYS,
  ISLE_LISTENER_BOOLEAN,
  ISLE_LISTENER_INT,
  ISLE_LISTENER_INT64,
  ISLE_LISTENER_DOUBLE,
} IsleListenerKind;

/* The value types a store also keeps unboxed, next to (or instead of) its
 * variant: typed sets, gets and listeners then need no GVariant. */
typedef enum {
  ISLE_SCALAR_NONE,
  ISLE_SCALAR_BOOLEAN,
  ISLE_SCALAR_INT32,
  ISLE_SCALAR_INT64,
  ISLE_SCALAR_DOUBLE,
} IsleScalarKind;

typedef union {
  gint64 i;      /* booleans, 32- and 64-bit integers */
  double d;
} IsleScalar;

typedef GVariant *(*IsleStoreUpdateFunc) (GVariant *current,
                                          gpointer  user_data);

/* For a read-modify-write without a lock held while the new value is
 * computed: see _isle_store_exchange_if_current(). */
typedef struct {
  GVariant *expected;  /* the value the new one was computed from */
  GVariant *value;     /* (transfer full): taken if stored */
  gboolean  conflict;  /* set if the store held another value */
} IsleExchange;

/* An IsleStoreUpdateFunc: the new value goes in only if the store still
 * holds the value it was computed from. A value a store holds is never
 * freed while someone has a reference to it, so an unchanged pointer means
 * an unchanged value (and if the same value came back meanwhile, what was
 * computed from it still holds). */
static inline GVariant *
_isle_store_exchange_if_current (GVariant *current,
                                 gpointer  user_data)
{
  IsleExchange *exchange = user_data;

  if (current != exchange->expected)
    {
      exchange->conflict = TRUE;
      return NULL;
    }

  return g_steal_pointer (&exchange->value);
}

GVariant *_isle_store_peek_value       (IsleStore          *self);
gboolean  _isle_store_update_value     (IsleStore          *self,
                                        IsleStoreUpdateFunc update,
                                        gpointer            data,
                                        const char         *changed_key);
gboolean  _isle_store_replace_value    (IsleStore          *self,
                                        GVariant           *value,
                                        const char         *changed_key);
void      _isle_store_set_value_quietly (IsleStore         *self,
                                        GVariant           *value);
guint     _isle_store_add_listener     (IsleStore          *self,
                                        IsleListenerKind    kind,
                                        const char * const *keys,
                                        gboolean            call_now,
                                        gpointer            func,
                                        gpointer            user_data,
                                        GDestroyNotify      destroy);
char     *_isle_store_dup_label        (IsleStore          *self);
GVariant *_isle_variant_zero           (const GVariantType *type);
gboolean  _isle_store_is_owner_thread  (IsleStore          *self);
gboolean  _isle_store_check_value      (IsleStore          *self,
                                        GVariant           *value,
                                        GError            **error);
gboolean  _isle_store_set_scalar       (IsleStore          *self,
                                        IsleScalarKind      kind,
                                        IsleScalar          value);

G_END_DECLS
