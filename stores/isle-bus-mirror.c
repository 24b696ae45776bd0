/* isle-bus-mirror.c: stores of another process, mirrored over D-Bus
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The other half of isle-bus-export.c. A mirrored store is a plain
 * IsleAtom or IsleMap whose sets are redirected to the owner (see
 * _isle_store_set_redirect ()); it changes only when the owner says so,
 * through _isle_store_apply_value ().
 */

#include "config.h"

#include <string.h>

#include "isle-bus-export.h"
#include "isle-bus-mirror.h"
#include "isle-store-private.h"

/**
 * IsleBusMirror:
 *
 * Mirrors stores that another process exports with an
 * [class@Isle.BusExport]: each local store added to the mirror follows
 * the remote store of the same name.
 *
 * ```c
 * IsleBusMirror *mirror = isle_bus_mirror_new (connection, "org.example.App",
 *                                              "/org/example/App/stores");
 * IsleAtom *zoom = isle_atom_new_int ("zoom", 100);
 *
 * isle_bus_mirror_add_store (mirror, ISLE_STORE (zoom), &error);
 * isle_atom_set_int (zoom, 150);  // asks the owner; zoom changes when it answers
 * ```
 *
 * The owner is authoritative. Reading a mirrored store answers at once
 * from its local copy: the last value the owner announced. Setting it (by
 * any means: [method@Isle.Atom.set], [method@Isle.Map.set_key], a
 * binding, from any thread) sends the value to the owner and leaves the
 * local copy as it is; the store changes when the owner's `Changed`
 * signal comes back, so its listeners hear only the owner's values, in
 * the owner's order, with the usual rules (old and new values, batches:
 * the changes of one signal are delivered in one batch). A process never
 * sees its own value flicker back: a value another process set in
 * between is simply the next one it hears. One key of a map is sent as
 * such (`SetKey`), so processes setting different keys never undo each
 * other; a read-modify-write of a mirror ([method@Isle.Map.update_key],
 * [method@Isle.Atom.add_int]) is computed locally, so two processes
 * adding to one key at once may lose one addition.
 *
 * The owner may come and go. Until its name has an owner, and whenever
 * that owner leaves the bus, [property@Isle.BusMirror:connected] is
 * %FALSE and the stores keep their last values; when an owner appears the
 * mirror asks it for every value (asynchronously: the mirror never blocks
 * its main context) and goes online. An owner that has its name but
 * exports nothing yet is asked again, less and less often (up to every
 * 2 s), until it does. A set made while offline is not
 * sent: [signal@Isle.BusMirror::store-error] reports it with
 * %ISLE_ERROR_DISCONNECTED.
 *
 * Values are checked: a value from the owner of another type than the
 * local store's is ignored with one warning naming the store, and a set
 * the owner refuses comes back as a [signal@Isle.BusMirror::store-error]
 * (from the [error@Isle.Error] domain: %ISLE_ERROR_REJECTED,
 * %ISLE_ERROR_READ_ONLY ...). A set waits for the owner's answer as long
 * as the owner is on the bus, without a timeout: an owner that is slow to
 * answer has not refused the value. Signals are accepted only from the
 * current owner of the name.
 *
 * A mirror works in the thread-default main context of the thread that
 * made it, which should be its stores' own.
 *
 * Since: 1.0
 */

struct _IsleBusMirror
{
  GObject          parent_instance;

  GDBusConnection *connection;
  char            *bus_name;
  char            *object_path;
  GMainContext    *context;

  guint            watch_id;
  guint            signal_id;
  char            *name_owner;
  GCancellable    *sync_cancellable;
  guint64          serial;      /* of the last change applied */
  guint            syncing : 1; /* a GetAll is on its way */
  GSource         *retry;       /* a GetAll to try again */
  guint            retry_delay; /* ms, doubled up to RETRY_MAX_MS */
  guint            connected : 1;

  GHashTable      *entries;     /* name → Entry */
};

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_BUS_NAME,
  PROP_OBJECT_PATH,
  PROP_CONNECTED,
  PROP_NAME_OWNER,
  N_PROPS
};

enum {
  STORE_ERROR,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (IsleBusMirror, isle_bus_mirror, G_TYPE_OBJECT)

/* An owner may take its name before it exports its stores: the snapshot
 * is asked for again, after 50 ms, then less and less often. */
#define RETRY_FIRST_MS 50
#define RETRY_MAX_MS   2000

static void start_sync (IsleBusMirror *self);

static void
cancel_retry (IsleBusMirror *self)
{
  if (self->retry != NULL)
    {
      g_source_destroy (self->retry);
      g_clear_pointer (&self->retry, g_source_unref);
    }
}

/* A mirrored store. */
typedef struct
{
  IsleStore *store;
  char      *name;
  guint      reported : 1;  /* a bad value from this owner was reported */
} Entry;

/* What the store keeps to reach its mirror, from any thread. */
typedef struct
{
  GWeakRef  mirror;
  char     *name;
} Redirect;

/* A set on its way to the owner. */
typedef struct
{
  IsleBusMirror *mirror;
  IsleStore     *store;
  const char    *method;
  GVariant      *parameters;
} Outgoing;

static void
redirect_free (gpointer data)
{
  Redirect *redirect = data;

  g_weak_ref_clear (&redirect->mirror);
  g_free (redirect->name);
  g_free (redirect);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  _isle_store_set_redirect (entry->store, NULL, NULL, NULL);
  g_object_set_data (G_OBJECT (entry->store), "isle-bus-mirror", NULL);
  g_clear_object (&entry->store);
  g_free (entry->name);
  g_free (entry);
}

static void
outgoing_free (gpointer data)
{
  Outgoing *outgoing = data;

  g_clear_object (&outgoing->mirror);
  g_clear_object (&outgoing->store);
  g_clear_pointer (&outgoing->parameters, g_variant_unref);
  g_free (outgoing);
}

static void
store_error (IsleBusMirror *self,
             IsleStore     *store,
             GError        *error)
{
  g_debug ("%s", error->message);
  g_signal_emit (self, signals[STORE_ERROR], 0, store, error);
}

static void
set_connected (IsleBusMirror *self,
               gboolean       connected)
{
  if (self->connected == !!connected)
    return;

  self->connected = !!connected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTED]);
}

/* Values from the owner {{{ */

static void
apply_value (IsleBusMirror *self,
             Entry         *entry,
             GVariant      *value)
{
  const GVariantType *type = isle_store_get_value_type (entry->store);

  if (!g_variant_is_of_type (value, type))
    {
      g_autofree char *expected = g_variant_type_dup_string (type);
      g_autoptr(GError) error = NULL;

      /* Once per owner: a hostile or mismatched owner should not flood
       * the log. */
      if (!entry->reported)
        g_warning ("Store “%s” mirrored from %s holds values of type “%s”, "
                   "but its owner sent one of type “%s”: the value is ignored",
                   entry->name, self->bus_name, expected, g_variant_get_type_string (value));
      entry->reported = TRUE;
      error = g_error_new (ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                           "Store “%s” mirrored from %s holds values of type “%s”, not “%s”",
                           entry->name, self->bus_name, expected,
                           g_variant_get_type_string (value));
      store_error (self, entry->store, error);
      return;
    }

  _isle_store_apply_value (entry->store, g_variant_ref (value), NULL);
}

static void
apply_values (IsleBusMirror *self,
              GVariant      *values)
{
  GVariantIter iter;
  const char *name;
  GVariant *value;

  isle_store_batch_begin ();
  g_variant_iter_init (&iter, values);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
    {
      Entry *entry = g_hash_table_lookup (self->entries, name);

      if (entry != NULL)
        apply_value (self, entry, value);
    }
  isle_store_batch_end ();
}

static void
changed_cb (GDBusConnection *connection,
            const char      *sender_name,
            const char      *object_path,
            const char      *interface_name,
            const char      *signal_name,
            GVariant        *parameters,
            gpointer         user_data)
{
  IsleBusMirror *self = user_data;
  g_autoptr(GVariant) values = NULL;
  guint64 serial;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(a{sv}t)")))
    {
      g_debug ("Ignored a Changed signal of type “%s” from %s",
               g_variant_get_type_string (parameters), sender_name);
      return;
    }

  /* Before the snapshot arrives, every change is in it already; and a
   * serial never goes back. */
  g_variant_get (parameters, "(@a{sv}t)", &values, &serial);
  if (self->syncing || !self->connected || serial <= self->serial)
    return;

  self->serial = serial;
  apply_values (self, values);
}

static gboolean
retry_cb (gpointer user_data)
{
  IsleBusMirror *self = user_data;

  g_clear_pointer (&self->retry, g_source_unref);
  if (self->name_owner != NULL)
    start_sync (self);

  return G_SOURCE_REMOVE;
}

static void
get_all_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(IsleBusMirror) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Entry *entry;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->sync_cancellable);
  self->syncing = FALSE;

  if (reply == NULL)
    {
      /* Reported once per owner; tried again while it is on the bus. */
      if (self->retry_delay == 0)
        {
          g_dbus_error_strip_remote_error (error);
          g_prefix_error (&error, "Could not read the stores at %s of %s (tried again "
                          "while it is on the bus): ", self->object_path, self->bus_name);
          store_error (self, NULL, error);
        }
      self->retry_delay = CLAMP (self->retry_delay * 2, RETRY_FIRST_MS, RETRY_MAX_MS);
      cancel_retry (self);
      self->retry = g_timeout_source_new (self->retry_delay);
      g_source_set_callback (self->retry, retry_cb, self, NULL);
      g_source_set_static_name (self->retry, "[isle] IsleBusMirror retry");
      g_source_attach (self->retry, self->context);
      return;
    }

  self->retry_delay = 0;

  g_variant_get (reply, "(@a{sv}t)", &values, &self->serial);
  apply_values (self, values);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      g_autoptr(GVariant) value = g_variant_lookup_value (values, entry->name, NULL);

      if (value == NULL && !entry->reported)
        {
          g_autoptr(GError) missing = NULL;

          entry->reported = TRUE;
          missing = g_error_new (ISLE_ERROR, ISLE_ERROR_NOT_FOUND,
                                 "No store “%s” is exported at %s by %s",
                                 entry->name, self->object_path, self->bus_name);
          store_error (self, entry->store, missing);
        }
    }

  set_connected (self, TRUE);
}

static void
start_sync (IsleBusMirror *self)
{
  cancel_retry (self);
  if (self->sync_cancellable != NULL)
    g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);

  self->sync_cancellable = g_cancellable_new ();
  self->syncing = TRUE;
  g_dbus_connection_call (self->connection, self->name_owner, self->object_path,
                          ISLE_BUS_INTERFACE, "GetAll", NULL, G_VARIANT_TYPE ("(a{sv}t)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->sync_cancellable,
                          get_all_cb, g_object_ref (self));
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  IsleBusMirror *self = user_data;
  GHashTableIter iter;
  Entry *entry;

  if (g_strcmp0 (self->name_owner, name_owner) == 0)
    return;

  if (self->signal_id != 0)
    g_dbus_connection_signal_unsubscribe (connection, self->signal_id);

  g_free (self->name_owner);
  self->name_owner = g_strdup (name_owner);
  self->serial = 0;
  self->retry_delay = 0;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    entry->reported = FALSE;

  /* Subscribed before GetAll is sent: the bus then routes every change
   * made after the snapshot to us. By unique name, so that nobody else
   * can speak for the owner. */
  self->signal_id = g_dbus_connection_signal_subscribe (connection, name_owner,
                                                        ISLE_BUS_INTERFACE, "Changed",
                                                        self->object_path, NULL,
                                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                                        changed_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME_OWNER]);
  start_sync (self);
}

static void
name_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  IsleBusMirror *self = user_data;

  if (self->signal_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->connection, self->signal_id);
      self->signal_id = 0;
    }

  if (self->sync_cancellable != NULL)
    g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  self->syncing = FALSE;
  cancel_retry (self);

  if (self->name_owner != NULL)
    {
      g_clear_pointer (&self->name_owner, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME_OWNER]);
    }
  set_connected (self, FALSE);
}

/* }}} */

/* Values to the owner {{{ */

static void
set_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Outgoing *outgoing = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      store_error (outgoing->mirror, outgoing->store, error);
    }

  outgoing_free (outgoing);
}

static gboolean
send_cb (gpointer user_data)
{
  Outgoing *outgoing = user_data;
  IsleBusMirror *self = outgoing->mirror;

  if (self->name_owner == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new (ISLE_ERROR, ISLE_ERROR_DISCONNECTED,
                           "Store “%s” is mirrored from %s, which is not on the bus: "
                           "the value was not sent", isle_store_get_name (outgoing->store),
                           self->bus_name);
      store_error (self, outgoing->store, error);
      outgoing_free (outgoing);
      return G_SOURCE_REMOVE;
    }

  /* The parameters are not floating: the call takes a reference of its
   * own, and outgoing_free () drops ours.
   *
   * No timeout: an owner that is slow to answer (busy, or with thousands of
   * sets queued before this one) has not refused the value, and will apply
   * it when it gets to it; D-Bus's default 25 s would report an error for a
   * set that then happens. An owner that leaves the bus ends the call with
   * an error from the bus itself. */
  g_dbus_connection_call (self->connection, self->name_owner, self->object_path,
                          ISLE_BUS_INTERFACE, outgoing->method,
                          outgoing->parameters, G_VARIANT_TYPE_UNIT,
                          G_DBUS_CALL_FLAGS_NONE, G_MAXINT, NULL, set_done_cb, outgoing);

  return G_SOURCE_REMOVE;
}

/* The store's redirect: may run on any thread. The call is made on the
 * mirror's context, in the order each thread set. */
static void
redirect_cb (IsleStore  *store,
             GVariant   *value,
             const char *changed_key,
             gpointer    user_data)
{
  Redirect *redirect = user_data;
  IsleBusMirror *self = g_weak_ref_get (&redirect->mirror);
  Outgoing *outgoing;

  if (self == NULL)
    return;

  outgoing = g_new0 (Outgoing, 1);
  outgoing->mirror = self;
  outgoing->store = g_object_ref (store);

  /* A change made through a path (isle_map_set_path ()) goes whole: the
   * owner knows keys, not paths (a plain key with a dot in it goes whole
   * too, which is correct, only larger). */
  if (ISLE_IS_MAP (store) && changed_key != NULL && strpbrk (changed_key, ".[") == NULL)
    {
      g_autoptr(GVariant) key_value = g_variant_lookup_value (value, changed_key, NULL);

      if (key_value != NULL)
        {
          outgoing->method = "SetKey";
          outgoing->parameters = g_variant_new ("(ssv)", redirect->name, changed_key, key_value);
        }
      else
        {
          outgoing->method = "RemoveKey";
          outgoing->parameters = g_variant_new ("(ss)", redirect->name, changed_key);
        }
    }
  else
    {
      outgoing->method = "Set";
      outgoing->parameters = g_variant_new ("(sv)", redirect->name, value);
    }
  g_variant_ref_sink (outgoing->parameters);

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, send_cb, outgoing, NULL);
}

/* }}} */

/* GObject {{{ */

static void
isle_bus_mirror_constructed (GObject *object)
{
  IsleBusMirror *self = ISLE_BUS_MIRROR (object);

  G_OBJECT_CLASS (isle_bus_mirror_parent_class)->constructed (object);

  self->context = g_main_context_ref_thread_default ();
  self->watch_id = g_bus_watch_name_on_connection (self->connection, self->bus_name,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   name_appeared_cb, name_vanished_cb,
                                                   self, NULL);
}

static void
isle_bus_mirror_dispose (GObject *object)
{
  IsleBusMirror *self = ISLE_BUS_MIRROR (object);

  if (self->watch_id != 0)
    {
      g_bus_unwatch_name (self->watch_id);
      self->watch_id = 0;
    }
  if (self->signal_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->connection, self->signal_id);
      self->signal_id = 0;
    }
  if (self->sync_cancellable != NULL)
    g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  cancel_retry (self);
  if (self->entries != NULL)
    g_hash_table_remove_all (self->entries);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (isle_bus_mirror_parent_class)->dispose (object);
}

static void
isle_bus_mirror_finalize (GObject *object)
{
  IsleBusMirror *self = ISLE_BUS_MIRROR (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->name_owner, g_free);
  g_clear_pointer (&self->bus_name, g_free);
  g_clear_pointer (&self->object_path, g_free);

  G_OBJECT_CLASS (isle_bus_mirror_parent_class)->finalize (object);
}

static void
isle_bus_mirror_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IsleBusMirror *self = ISLE_BUS_MIRROR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, isle_bus_mirror_get_connection (self));
      break;

    case PROP_BUS_NAME:
      g_value_set_string (value, isle_bus_mirror_get_bus_name (self));
      break;

    case PROP_OBJECT_PATH:
      g_value_set_string (value, isle_bus_mirror_get_object_path (self));
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, isle_bus_mirror_get_connected (self));
      break;

    case PROP_NAME_OWNER:
      g_value_set_string (value, isle_bus_mirror_get_name_owner (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_bus_mirror_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  IsleBusMirror *self = ISLE_BUS_MIRROR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_BUS_NAME:
      self->bus_name = g_value_dup_string (value);
      break;

    case PROP_OBJECT_PATH:
      self->object_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_bus_mirror_class_init (IsleBusMirrorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* Registers the D-Bus names of Isle's errors: a refusal from another
   * process then arrives as an ISLE_ERROR. */
  (void) ISLE_ERROR;

  object_class->constructed = isle_bus_mirror_constructed;
  object_class->dispose = isle_bus_mirror_dispose;
  object_class->finalize = isle_bus_mirror_finalize;
  object_class->get_property = isle_bus_mirror_get_property;
  object_class->set_property = isle_bus_mirror_set_property;

  /**
   * IsleBusMirror:connection:
   *
   * The connection to the bus the owner is on.
   *
   * Since: 1.0
   */
  props[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleBusMirror:bus-name:
   *
   * The bus name of the owner: a well-known name (followed from one
   * owner to the next) or a unique one.
   *
   * Since: 1.0
   */
  props[PROP_BUS_NAME] =
    g_param_spec_string ("bus-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleBusMirror:object-path:
   *
   * The object path the owner exports its stores at.
   *
   * Since: 1.0
   */
  props[PROP_OBJECT_PATH] =
    g_param_spec_string ("object-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleBusMirror:connected:
   *
   * Whether the mirror follows a live owner: %TRUE once the owner's
   * values have arrived, %FALSE before that and after the owner left the
   * bus (the stores then keep their last values).
   *
   * Since: 1.0
   */
  props[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleBusMirror:name-owner:
   *
   * The unique name of the owner's connection, or %NULL while the bus
   * name has no owner.
   *
   * Since: 1.0
   */
  props[PROP_NAME_OWNER] =
    g_param_spec_string ("name-owner", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * IsleBusMirror::store-error:
   * @self: the mirror
   * @store: (nullable): the store concerned, or %NULL for the whole mirror
   * @error: what went wrong
   *
   * Emitted when a value could not reach the owner (it refused it, or it
   * was not on the bus), when the owner sent a value of the wrong type,
   * when it exports no store of a mirrored store's name, or when its
   * stores could not be read. The store keeps its value.
   *
   * Since: 1.0
   */
  signals[STORE_ERROR] =
    g_signal_new ("store-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, ISLE_TYPE_STORE, G_TYPE_ERROR);
}

static void
isle_bus_mirror_init (IsleBusMirror *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
}

/* }}} */

/* Public API {{{ */

/**
 * isle_bus_mirror_new:
 * @connection: a D-Bus connection, usually the session bus
 * @bus_name: the bus name of the process that exports the stores
 * @object_path: the object path it exports them at
 *
 * Creates a mirror of the stores @bus_name exports at @object_path, with
 * no store yet: add them with [method@Isle.BusMirror.add_store]. The
 * mirror watches @bus_name and goes online (see
 * [property@Isle.BusMirror:connected]) once its owner's values arrive.
 *
 * Returns: (transfer full): the new mirror
 *
 * Since: 1.0
 */
IsleBusMirror *
isle_bus_mirror_new (GDBusConnection *connection,
                     const char      *bus_name,
                     const char      *object_path)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (bus_name != NULL && g_dbus_is_name (bus_name), NULL);
  g_return_val_if_fail (object_path != NULL && g_variant_is_object_path (object_path), NULL);

  return g_object_new (ISLE_TYPE_BUS_MIRROR,
                       "connection", connection,
                       "bus-name", bus_name,
                       "object-path", object_path,
                       NULL);
}

/**
 * isle_bus_mirror_add_store:
 * @self: a mirror
 * @store: a named atom or map, of the type of the remote store of its name
 * @error: return location for a #GError
 *
 * Makes @store follow the remote store of the same name: from now on its
 * value is the owner's, and its sets go to the owner. The store keeps its
 * value until the owner's arrives. The mirror holds a reference to
 * @store until it is removed or the mirror is disposed.
 *
 * Returns: %TRUE if @store is mirrored; %FALSE with @error set if it has
 *   no name (%ISLE_ERROR_NOT_FOUND), is read-only (a computed store:
 *   %ISLE_ERROR_READ_ONLY; mirror its sources instead), or is mirrored
 *   already, by this or another mirror (%ISLE_ERROR_EXISTS)
 *
 * Since: 1.0
 */
gboolean
isle_bus_mirror_add_store (IsleBusMirror  *self,
                           IsleStore      *store,
                           GError        **error)
{
  g_autofree char *label = NULL;
  Redirect *redirect;
  const char *name;
  Entry *entry;

  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), FALSE);
  g_return_val_if_fail (ISLE_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  label = _isle_store_dup_label (store);
  name = isle_store_get_name (store);
  if (name == NULL)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_NOT_FOUND,
                   "Cannot mirror %s: a mirrored store needs the name of the remote one", label);
      return FALSE;
    }

  if (!ISLE_IS_ATOM (store) && !ISLE_IS_MAP (store))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_READ_ONLY,
                   "Cannot mirror %s: only atoms and maps take values from another process",
                   label);
      return FALSE;
    }

  if (g_hash_table_contains (self->entries, name) ||
      g_object_get_data (G_OBJECT (store), "isle-bus-mirror") != NULL)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS,
                   "Cannot mirror %s: a store of that name is mirrored already", label);
      return FALSE;
    }

  entry = g_new0 (Entry, 1);
  entry->store = g_object_ref (store);
  entry->name = g_strdup (name);
  g_hash_table_insert (self->entries, entry->name, entry);
  g_object_set_data (G_OBJECT (store), "isle-bus-mirror", self);

  redirect = g_new0 (Redirect, 1);
  g_weak_ref_init (&redirect->mirror, self);
  redirect->name = g_strdup (name);
  _isle_store_set_redirect (store, redirect_cb, redirect, redirect_free);

  /* Online already: ask for the new store's value (the snapshot also
   * brings the others, which equal what they hold, so nobody hears). */
  if (self->name_owner != NULL)
    start_sync (self);

  return TRUE;
}

/**
 * isle_bus_mirror_remove_store:
 * @self: a mirror
 * @name: the name of a mirrored store
 *
 * Stops mirroring the store named @name: it keeps its value and becomes
 * a store of this process again, whose sets are its own.
 *
 * Returns: %TRUE if a store of that name was mirrored
 *
 * Since: 1.0
 */
gboolean
isle_bus_mirror_remove_store (IsleBusMirror *self,
                              const char    *name)
{
  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return g_hash_table_remove (self->entries, name);
}

/**
 * isle_bus_mirror_get_connected:
 * @self: a mirror
 *
 * Gets whether the mirror follows a live owner: see
 * [property@Isle.BusMirror:connected].
 *
 * Returns: %TRUE if the owner's values have arrived and it is still on
 *   the bus
 *
 * Since: 1.0
 */
gboolean
isle_bus_mirror_get_connected (IsleBusMirror *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), FALSE);

  return self->connected;
}

/**
 * isle_bus_mirror_get_name_owner:
 * @self: a mirror
 *
 * Gets the unique name of the owner's connection.
 *
 * Returns: (nullable): the unique name, or %NULL while the bus name has
 *   no owner
 *
 * Since: 1.0
 */
const char *
isle_bus_mirror_get_name_owner (IsleBusMirror *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), NULL);

  return self->name_owner;
}

/**
 * isle_bus_mirror_get_connection:
 * @self: a mirror
 *
 * Gets the connection the mirror uses.
 *
 * Returns: (transfer none): the connection
 *
 * Since: 1.0
 */
GDBusConnection *
isle_bus_mirror_get_connection (IsleBusMirror *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), NULL);

  return self->connection;
}

/**
 * isle_bus_mirror_get_bus_name:
 * @self: a mirror
 *
 * Gets the bus name of the owner.
 *
 * Returns: the bus name
 *
 * Since: 1.0
 */
const char *
isle_bus_mirror_get_bus_name (IsleBusMirror *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), NULL);

  return self->bus_name;
}

/**
 * isle_bus_mirror_get_object_path:
 * @self: a mirror
 *
 * Gets the object path of the owner's stores.
 *
 * Returns: the object path
 *
 * Since: 1.0
 */
const char *
isle_bus_mirror_get_object_path (IsleBusMirror *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_MIRROR (self), NULL);

  return self->object_path;
}

/* }}} */
