/* isle-store.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define ISLE_TYPE_STORE (isle_store_get_type ())

G_DECLARE_DERIVABLE_TYPE (IsleStore, isle_store, ISLE, STORE, GObject)

/**
 * IsleStoreListener:
 * @store: the store that changed
 * @value: the new value
 * @old_value: (nullable): the value before the change, or %NULL for the
 *   first call of a subscription
 * @user_data: (closure): the data given with the listener
 *
 * Hears the changes of an [class@Isle.Store].
 *
 * Since: 1.0
 */
typedef void (*IsleStoreListener) (IsleStore *store,
                                   GVariant  *value,
                                   GVariant  *old_value,
                                   gpointer   user_data);

/**
 * IsleStoreBooleanListener:
 * @store: the store that changed, of type “b”
 * @value: the new value
 * @old_value: the value before the change; for the first call of a
 *   subscription, the current value
 * @user_data: (closure): the data given with the listener
 *
 * Hears the changes of a boolean store, without variants: see
 * [method@Isle.Store.listen_boolean].
 *
 * Since: 1.0
 */
typedef void (*IsleStoreBooleanListener) (IsleStore *store,
                                          gboolean   value,
                                          gboolean   old_value,
                                          gpointer   user_data);

/**
 * IsleStoreIntListener:
 * @store: the store that changed, of type “i”
 * @value: the new value
 * @old_value: the value before the change; for the first call of a
 *   subscription, the current value
 * @user_data: (closure): the data given with the listener
 *
 * Hears the changes of a 32-bit integer store, without variants: see
 * [method@Isle.Store.listen_int].
 *
 * Since: 1.0
 */
typedef void (*IsleStoreIntListener) (IsleStore *store,
                                      int        value,
                                      int        old_value,
                                      gpointer   user_data);

/**
 * IsleStoreInt64Listener:
 * @store: the store that changed, of type “x”
 * @value: the new value
 * @old_value: the value before the change; for the first call of a
 *   subscription, the current value
 * @user_data: (closure): the data given with the listener
 *
 * Hears the changes of a 64-bit integer store, without variants: see
 * [method@Isle.Store.listen_int64].
 *
 * Since: 1.0
 */
typedef void (*IsleStoreInt64Listener) (IsleStore *store,
                                        gint64     value,
                                        gint64     old_value,
                                        gpointer   user_data);

/**
 * IsleStoreDoubleListener:
 * @store: the store that changed, of type “d”
 * @value: the new value
 * @old_value: the value before the change; for the first call of a
 *   subscription, the current value
 * @user_data: (closure): the data given with the listener
 *
 * Hears the changes of a double store, without variants: see
 * [method@Isle.Store.listen_double].
 *
 * Since: 1.0
 */
typedef void (*IsleStoreDoubleListener) (IsleStore *store,
                                         double     value,
                                         double     old_value,
                                         gpointer   user_data);

/**
 * IsleStoreFunc:
 * @user_data: (closure): the data given with the function
 *
 * A function run by [func@Isle.Store.batch].
 *
 * Since: 1.0
 */
typedef void (*IsleStoreFunc) (gpointer user_data);

/**
 * IsleVariantEqualFunc:
 * @a: a value
 * @b: another value of the same type
 * @user_data: (closure): the data given with the function
 *
 * Decides whether two values of a store are equal.
 *
 * Returns: %TRUE if @a and @b are equal
 *
 * Since: 1.0
 */
typedef gboolean (*IsleVariantEqualFunc) (GVariant *a,
                                          GVariant *b,
                                          gpointer  user_data);

/**
 * IsleStoreClass:
 * @parent_class: the parent class
 * @start: class handler of [signal@Isle.Store::start]
 * @stop: class handler of [signal@Isle.Store::stop]
 * @refresh: brings the value of a store that is derived from others up to
 *   date before it is read (see [class@Isle.Computed])
 *
 * The class of [class@Isle.Store].
 *
 * Since: 1.0
 */
/**
 * IsleStoreClass::start:
 * @self: the store
 *
 * Class handler of [signal@Isle.Store::start]: a subclass starts what
 * keeps its value current.
 *
 * Since: 1.0
 */

/**
 * IsleStoreClass::stop:
 * @self: the store
 *
 * Class handler of [signal@Isle.Store::stop]: a subclass stops what it
 * started.
 *
 * Since: 1.0
 */

/**
 * IsleStoreClass::refresh:
 * @self: the store
 *
 * Brings the value of a store that is derived from others up to date
 * before it is read.
 *
 * Since: 1.0
 */
struct _IsleStoreClass
{
  GObjectClass parent_class;

  void (*start)   (IsleStore *self);
  void (*stop)    (IsleStore *self);
  void (*refresh) (IsleStore *self);

  /*< private >*/
  gpointer padding[8];
};

const char         *isle_store_get_name          (IsleStore          *self);
const GVariantType *isle_store_get_value_type    (IsleStore          *self);
GVariant           *isle_store_get_value         (IsleStore          *self);
gboolean            isle_store_get_boolean       (IsleStore          *self);
int                 isle_store_get_int           (IsleStore          *self);
gint64              isle_store_get_int64         (IsleStore          *self);
double              isle_store_get_double        (IsleStore          *self);
char               *isle_store_dup_string        (IsleStore          *self);
guint               isle_store_subscribe         (IsleStore          *self,
                                                  IsleStoreListener   listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_listen            (IsleStore          *self,
                                                  IsleStoreListener   listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_subscribe_boolean (IsleStore          *self,
                                                  IsleStoreBooleanListener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_listen_boolean    (IsleStore          *self,
                                                  IsleStoreBooleanListener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_subscribe_int     (IsleStore          *self,
                                                  IsleStoreIntListener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_listen_int        (IsleStore          *self,
                                                  IsleStoreIntListener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_subscribe_int64   (IsleStore          *self,
                                                  IsleStoreInt64Listener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_listen_int64      (IsleStore          *self,
                                                  IsleStoreInt64Listener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_subscribe_double  (IsleStore          *self,
                                                  IsleStoreDoubleListener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint               isle_store_listen_double     (IsleStore          *self,
                                                  IsleStoreDoubleListener listener,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
void                isle_store_unsubscribe       (IsleStore          *self,
                                                  guint               handle);
guint               isle_store_get_n_listeners   (IsleStore          *self);
gboolean            isle_store_get_started       (IsleStore          *self);
guint               isle_store_get_stop_delay    (IsleStore          *self);
void                isle_store_set_stop_delay    (IsleStore          *self,
                                                  guint               stop_delay_ms);
GMainContext       *isle_store_get_context       (IsleStore          *self);

void                isle_store_set_equal_func    (IsleStore          *self,
                                                  IsleVariantEqualFunc func,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
guint64             isle_store_get_version       (IsleStore          *self);

void                isle_store_notify_listeners (IsleStore          *self,
                                                  const char         *changed_key);
IsleStore          *isle_store_create_readonly   (IsleStore          *self,
                                                  const char         *name);
guint               isle_store_keep_mount        (IsleStore          *self);
void                isle_store_clean             (IsleStore          *self);

void                isle_store_batch_begin       (void);
void                isle_store_batch_end         (void);
void                isle_store_batch             (IsleStoreFunc       func,
                                                  gpointer            user_data);

G_END_DECLS
