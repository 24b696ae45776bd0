/* isle-delivery-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The records of IsleStore's listeners and changes, and the per-thread
 * state of the delivery round (isle-delivery.c), for the files of IsleStore;
 * with the small helpers of the records inline, for the delivery's hot
 * loop. */

#pragma once

#include "isle-store-impl-private.h"

G_BEGIN_DECLS

typedef enum {
  ISLE_LISTENER_STORE,
  ISLE_LISTENER_KEYS,
  ISLE_LISTENER_BOOLEAN,
  ISLE_LISTENER_INT,
  ISLE_LISTENER_INT64,
  ISLE_LISTENER_DOUBLE,
  ISLE_LISTENER_CHANGES,  /* the whole value and the changed key, through call_keys */
} IsleListenerKind;

/* What a change reads of each listener (whether it was removed, its
 * kind, its function and data) comes first, in 32 bytes: a store with
 * thousands of listeners (an atom every island mirrors) has most of them
 * out of the cache, and at malloc's 16-byte alignment those bytes share
 * one cache line far more often than the whole record would. */
typedef struct
{
  guint                removed : 1;
  guint                keyed : 1;  /* ISLE_LISTENER_KEYS or _CHANGES: hears the key */
  guint                paths : 1;  /* ISLE_LISTENER_KEYS of paths: the class's lookup_path */
  IsleListenerKind     kind;
  gpointer             func;
  gpointer             user_data;
  int                  ref_count;
  guint                id;
  char               **keys;       /* for ISLE_LISTENER_KEYS */
  IsleKeyListenerCall  call_keys;  /* likewise, and ISLE_LISTENER_CHANGES */
  GDestroyNotify       destroy;
} Listener;

/* One change, shared by every call it causes; owner thread only, so its
 * count needs no atomics.
 *
 * The change a set announces lives on the stack of that set whenever it
 * is delivered before the set returns (always, unless the set is made
 * inside a listener), and moves to the heap only when it has to wait.
 * For a store of a scalar type ("b", "i", "x", "d") the values are kept
 * unboxed as well, and the variants are made only when someone asks for
 * them: a typed listener needs none. */
typedef struct
{
  int             ref_count;
  guint           on_heap : 1;
  guint           has_old : 1;  /* with @kind: whether there is an old value */
  guint           forced : 1;   /* a notification: told even if equal */
  IsleScalarKind  kind;
  IsleStore      *store;        /* a reference when on the heap */
  guint64         version;      /* the store's version it made, or 0 */
  GVariant       *value;        /* with @kind: NULL until needed */
  GVariant       *old_value;    /* likewise; else NULL for none */
  char           *key;
  IsleScalar      scalar;
  IsleScalar      old_scalar;
} ChangeRecord;

/* A listener call waiting to be made on this thread: a change made inside
 * a listener queues its calls behind the current round. */
typedef struct
{
  Listener     *listener;
  ChangeRecord *change;
} Delivery;

/* A thread's part in the delivery: its round, and its open batch. */
typedef struct
{
  Delivery  *deliveries;     /* the calls of the current round, in order */
  guint      n_deliveries;
  guint      deliveries_size;
  GPtrArray *batch_stores;
  guint      batch_depth;
  gboolean   delivering;
  guint64    round;          /* counts the outermost rounds */

  /* The listener array of the store whose listeners are being called
   * straight from it (see walk_listeners ()), if any: while it is, a
   * listener removed from it stays in it, marked, until the walk ends
   * (@walk_dirty), and a store disposed hands it to the walk
   * (@walk_orphaned). */
  GPtrArray *walking;
  guint      walk_dirty : 1;
  guint      walk_orphaned : 1;
} ThreadState;

/* How many changes a store may make from inside the listeners of one
 * round before it is stopped as a runaway, as effects are after
 * ISLE_MAX_EFFECT_RUNS runs in one flush. */
#define ISLE_MAX_STORE_CHANGES_IN_ROUND 100

static inline Listener *
listener_ref (Listener *listener)
{
  listener->ref_count++;

  return listener;
}

static inline void
listener_unref (Listener *listener)
{
  if (--listener->ref_count > 0)
    return;

  /* The data goes only with the last reference: a listener that removes
   * itself is still running when it does. */
  if (listener->destroy != NULL)
    listener->destroy (listener->user_data);
  g_strfreev (listener->keys);
  g_free (listener);
}

/* A change on the heap, for a map key or a batch. Takes a reference on
 * each value, or, with @take_old, the caller's reference on @old_value. */
static inline ChangeRecord *
change_record_new (IsleStore  *store,
                   GVariant   *value,
                   GVariant   *old_value,
                   gboolean    take_old,
                   const char *key)
{
  ChangeRecord *change = g_new0 (ChangeRecord, 1);

  change->ref_count = 1;
  change->on_heap = TRUE;
  change->has_old = old_value != NULL;
  change->kind = ISLE_SCALAR_NONE;
  change->store = g_object_ref (store);
  change->value = value != NULL ? g_variant_ref (value) : NULL;
  change->old_value = old_value != NULL && !take_old ? g_variant_ref (old_value) : old_value;
  change->key = key != NULL ? g_strdup (key) : NULL;

  return change;
}

/* Gives a change of a scalar store its unboxed values, for its typed
 * listeners. */
static inline void
change_record_set_scalars (ChangeRecord   *change,
                           IsleScalarKind  kind)
{
  if (kind == ISLE_SCALAR_NONE || change->value == NULL)
    return;

  change->kind = kind;
  change->scalar = scalar_from_variant (kind, change->value);
  change->old_scalar = change->old_value != NULL ? scalar_from_variant (kind, change->old_value)
                                                 : change->scalar;
}

static inline void
change_record_clear (ChangeRecord *change)
{
  g_clear_pointer (&change->value, g_variant_unref);
  g_clear_pointer (&change->old_value, g_variant_unref);
  g_clear_pointer (&change->key, g_free);
}

static inline void
change_record_unref (ChangeRecord *change)
{
  if (--change->ref_count > 0)
    return;

  /* Whoever put a change on its stack holds a reference until the end. */
  g_assert (change->on_heap);

  change_record_clear (change);
  g_object_unref (change->store);
  g_free (change);
}

/* isle-delivery.c */
void         _isle_store_delivery_class_init  (void);
guint        _isle_store_add_listener         (IsleStore        *self,
                                               IsleListenerKind  kind,
                                               gboolean          call_now,
                                               gpointer          func,
                                               gpointer          user_data,
                                               GDestroyNotify    destroy);
void         _isle_store_changed              (IsleStore        *self,
                                               ChangeRecord     *announced,
                                               const char       *changed_key);
gboolean     _isle_store_deliver_pending      (gpointer          user_data);
void         _isle_store_queue_pending_locked (IsleStore        *self,
                                               GVariant         *value,
                                               GVariant         *old_value,
                                               const char       *changed_key,
                                               gboolean          forced);
void         _isle_store_change_free          (gpointer          data);
void         _isle_store_drop_listeners       (IsleStore        *self);

/* The round's own, for the batch. */
ThreadState *_isle_store_get_thread_state     (void);
void         _isle_store_queue_listener       (ThreadState      *state,
                                               Listener         *listener,
                                               ChangeRecord     *change,
                                               const char       *changed_key);
void         _isle_store_run_deliveries       (ThreadState      *state);

/* isle-store-batch.c */
void         _isle_store_batch_hold           (ThreadState      *state,
                                               IsleStore        *self,
                                               GVariant         *old_value);

G_END_DECLS
