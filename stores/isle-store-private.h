/* isle-store-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "isle-stores.h"

G_BEGIN_DECLS

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

/* Calls @func, a key listener of the subclass's own type, for a change of
 * @key: the subclass's trampoline, kept with the listener, so that the
 * base class never casts to a subclass's listener type. */
typedef void (*IsleKeyListenerCall) (IsleStore  *store,
                                     gpointer    func,
                                     const char *key,
                                     GVariant   *value,
                                     GVariant   *old_value,
                                     gpointer    user_data);

/* What a subclass tells the base class about itself, in the class's
 * private data (filled in by its class_init; a subclass inherits its
 * parent's): the base class never names its subclasses. */
typedef struct
{
  /* Sets the value from the IsleStore:value property; %NULL for a
   * read-only store. @value is the property's, not floating. */
  void       (*set_value) (IsleStore *self,
                           GVariant  *value);

  /* What the store is called in messages: “atom”, “map” ... */
  const char  *kind_name;
  /* Forgets what a store caches, for isle_store_clean (); may be %NULL. */
  void       (*clean)     (IsleStore *self);
} IsleStoreClassPrivate;

static inline IsleStoreClassPrivate *
_isle_store_class_get_private (gpointer klass)
{
  return G_TYPE_CLASS_GET_PRIVATE (klass, ISLE_TYPE_STORE, IsleStoreClassPrivate);
}

/* Takes the value a store mirrored from another process was asked to take
 * (by any set, from any thread), instead of the store: the owner decides,
 * and the mirror hears its answer through _isle_store_apply_value ().
 * @value is the store's whole new value; @changed_key the key of a map
 * that changed (%NULL for the whole value). */
typedef void (*IsleStoreRedirect) (IsleStore  *store,
                                   GVariant   *value,
                                   const char *changed_key,
                                   gpointer    user_data);

GVariant *_isle_store_peek_value       (IsleStore          *self);
void      _isle_store_set_redirect     (IsleStore          *self,
                                        IsleStoreRedirect   redirect,
                                        gpointer            user_data,
                                        GDestroyNotify      destroy);
gboolean  _isle_store_apply_value      (IsleStore          *self,
                                        GVariant           *value,
                                        const char         *changed_key);
gboolean  _isle_store_update_value     (IsleStore          *self,
                                        IsleStoreUpdateFunc update,
                                        gpointer            data,
                                        const char         *changed_key);
gboolean  _isle_store_replace_value    (IsleStore          *self,
                                        GVariant           *value,
                                        const char         *changed_key);
void      _isle_store_set_value_quietly (IsleStore         *self,
                                        GVariant           *value);
guint     _isle_store_add_key_listener (IsleStore          *self,
                                        const char * const *keys,
                                        IsleKeyListenerCall call,
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
