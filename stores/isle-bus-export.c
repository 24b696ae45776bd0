/* isle-bus-export.c: stores exported on D-Bus
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The owner's half of org.isletoolkit.Isle.Stores1 (the interface is
 * described, with its documentation, in org.isletoolkit.Isle.Stores1.xml,
 * from which gdbus-codegen makes the introspection data used here). It
 * uses only the stores' public API and their class's kind name.
 */

#include "config.h"

#include <unistd.h>

#include "isle-bus-export.h"
#include "isle-bus-iface.h"
#include "isle-store-private.h"

/**
 * IsleBusExport:
 *
 * Exports a chosen set of stores on a D-Bus connection, so that other
 * processes read them, set them and hear their changes: the owner's half
 * of [class@Isle.BusMirror].
 *
 * ```c
 * g_autoptr(IsleBusExport) export = NULL;
 *
 * export = isle_bus_export_new (connection, "/org/example/App/stores", &error);
 * isle_bus_export_add_store (export, ISLE_STORE (cart), ISLE_BUS_EXPORT_DEFAULT, &error);
 * isle_bus_export_add_store (export, ISLE_STORE (total), ISLE_BUS_EXPORT_READ_ONLY, &error);
 * ```
 *
 * Nothing is exported unless it is added: a registry's stores stay
 * private until each is named. The object at the path implements
 * `org.isletoolkit.Isle.Stores1`, Isle's own interface, so
 * `gdbus introspect` shows it and `gdbus call` drives it:
 *
 * ```sh
 * gdbus call --session --dest org.example.App --object-path /org/example/App/stores \
 *   --method org.isletoolkit.Isle.Stores1.Set zoom '<150>'
 * ```
 *
 * Its methods: `List` (names, types, kinds, and whether each may be set),
 * `GetAll` (a snapshot, with the serial of the last change sent before
 * it), `Get`, `Set`, `SetKey` and `RemoveKey` (one key of a map); its
 * signal `Changed` (new values, and a serial that grows by one with each
 * signal) is sent from the stores' listeners, so other processes hear
 * the changes in the order this process's listeners did.
 *
 * The owner is authoritative. A value from another process goes through
 * the store's own rules, as a local set would: its type, an atom's
 * filter, its equality. A call that breaks one fails with a D-Bus error
 * from the [error@Isle.Error] domain naming the store
 * (`org.isletoolkit.Isle.Error.NotFound`, `.WrongType`, `.ReadOnly` for a
 * computed store or one exported with %ISLE_BUS_EXPORT_READ_ONLY,
 * `.Rejected`), and the store keeps its value. A call whose arguments do
 * not have the method's signature is refused by GDBus itself
 * (`org.freedesktop.DBus.Error.InvalidArgs`) before any store is touched.
 *
 * Who may call: export on the session bus, which only processes of the
 * same user can join. On a peer-to-peer connection, calls from a peer
 * whose credentials are of another user are refused.
 *
 * Why an interface of Isle's own, not g_dbus_connection_export_action_group():
 * an action's activation has no reply, so a rejected value could not be
 * reported to the caller; action groups carry no serial to resynchronise
 * a mirror with; and a map could only be set as a whole, so two
 * processes adding different lines to a cart would undo each other. A
 * store can still be an action for menus: see
 * [method@Isle.Store.create_action].
 *
 * The export handles calls in the thread-default main context of the
 * thread that made it, which should be the stores' own.
 *
 * Since: 1.0
 */

struct _IsleBusExport
{
  GObject          parent_instance;

  GDBusConnection *connection;
  char            *object_path;
  guint            registration_id;
  GHashTable      *entries;  /* name → Entry */
  guint64          serial;
};

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_OBJECT_PATH,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FLAGS_TYPE (IsleBusExportFlags, isle_bus_export_flags,
                     G_DEFINE_ENUM_VALUE (ISLE_BUS_EXPORT_DEFAULT, "default"),
                     G_DEFINE_ENUM_VALUE (ISLE_BUS_EXPORT_READ_ONLY, "read-only"))

G_DEFINE_FINAL_TYPE (IsleBusExport, isle_bus_export, G_TYPE_OBJECT)

/* One exported store. */
typedef struct
{
  IsleBusExport      *self;       /* unowned: the export frees its entries */
  IsleStore          *store;
  char               *name;
  IsleBusExportFlags  flags;
  guint               handle;
  GVariant           *announced;  /* the last value sent, or the first */
  GVariantType       *key_type;   /* of a map's values set over the bus */
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  isle_store_unsubscribe (entry->store, entry->handle);
  g_clear_object (&entry->store);
  g_clear_pointer (&entry->announced, g_variant_unref);
  g_clear_pointer (&entry->key_type, g_variant_type_free);
  g_free (entry->name);
  g_free (entry);
}

static gboolean
entry_is_writable (Entry *entry)
{
  return (entry->flags & ISLE_BUS_EXPORT_READ_ONLY) == 0 &&
         _isle_store_class_get_private (G_OBJECT_GET_CLASS (entry->store))->set_value != NULL;
}

/* Sent from the store's listener: in the order the store's listeners hear
 * the changes, each with the next serial. */
static void
store_changed_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  Entry *entry = user_data;
  IsleBusExport *self = entry->self;
  GVariantBuilder builder;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&entry->announced, g_variant_unref);
  entry->announced = g_variant_ref (value);

  if (self->registration_id == 0)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", entry->name, value);
  self->serial++;
  if (!g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                      ISLE_BUS_INTERFACE, "Changed",
                                      g_variant_new ("(a{sv}t)", &builder, self->serial),
                                      &error))
    g_debug ("Could not announce the change of store “%s”: %s", entry->name, error->message);
}

/* The method calls {{{ */

static Entry *
lookup_entry (IsleBusExport         *self,
              GDBusMethodInvocation *invocation,
              const char            *name)
{
  Entry *entry = g_hash_table_lookup (self->entries, name);

  if (entry == NULL)
    g_dbus_method_invocation_return_error (invocation, ISLE_ERROR, ISLE_ERROR_NOT_FOUND,
                                           "No store “%s” is exported at %s",
                                           name, self->object_path);
  return entry;
}

static gboolean
check_writable (Entry                 *entry,
                GDBusMethodInvocation *invocation)
{
  if (entry_is_writable (entry))
    return TRUE;

  g_dbus_method_invocation_return_error (invocation, ISLE_ERROR, ISLE_ERROR_READ_ONLY,
                                         "Store “%s” is read-only to other processes",
                                         entry->name);
  return FALSE;
}

static gboolean
check_map (Entry                 *entry,
           GDBusMethodInvocation *invocation)
{
  if (ISLE_IS_MAP (entry->store))
    return TRUE;

  g_dbus_method_invocation_return_error (invocation, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                                         "Store “%s” is not a map: it has no keys",
                                         entry->name);
  return FALSE;
}

/* A value for a key of a map exported with a key type. */
static gboolean
check_key_value (Entry                 *entry,
                 const char            *key,
                 GVariant              *value,
                 GDBusMethodInvocation *invocation)
{
  g_autofree char *expected = NULL;

  if (entry->key_type == NULL || g_variant_is_of_type (value, entry->key_type))
    return TRUE;

  expected = g_variant_type_dup_string (entry->key_type);
  g_dbus_method_invocation_return_error (invocation, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                                         "Store “%s” holds values of type “%s” in its keys; "
                                         "key “%s” cannot take one of type “%s”",
                                         entry->name, expected, key,
                                         g_variant_get_type_string (value));
  return FALSE;
}

static void
handle_set (IsleBusExport         *self,
            Entry                 *entry,
            GVariant              *value,
            GDBusMethodInvocation *invocation)
{
  const GVariantType *type = isle_store_get_value_type (entry->store);
  g_autoptr(GError) error = NULL;

  if (!g_variant_is_of_type (value, type))
    {
      g_autofree char *expected = g_variant_type_dup_string (type);

      g_dbus_method_invocation_return_error (invocation, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                                             "Store “%s” holds values of type “%s”, not “%s”",
                                             entry->name, expected,
                                             g_variant_get_type_string (value));
      return;
    }

  if (ISLE_IS_ATOM (entry->store))
    {
      if (!isle_atom_try_set (ISLE_ATOM (entry->store), value, &error))
        {
          g_prefix_error (&error, "Store “%s” refused the value: ", entry->name);
          g_dbus_method_invocation_take_error (invocation, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      GVariantIter iter;
      const char *key;
      GVariant *key_value;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &key_value))
        if (!check_key_value (entry, key, key_value, invocation))
          {
            g_variant_unref (key_value);
            return;
          }

      isle_map_replace (ISLE_MAP (entry->store), value);
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  IsleBusExport *self = user_data;
  GCredentials *credentials = g_dbus_connection_get_peer_credentials (connection);
  const char *name = NULL;
  Entry *entry;

  /* A message bus admits whom its policy admits (the session bus: its
   * user); a direct peer must be of this process's user. */
  if (credentials != NULL &&
      (g_dbus_connection_get_flags (connection) & G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION) == 0 &&
      g_credentials_get_unix_user (credentials, NULL) != getuid ())
    {
      g_dbus_method_invocation_return_dbus_error (invocation,
                                                  "org.freedesktop.DBus.Error.AccessDenied",
                                                  "Stores are shared with processes of the same user only");
      return;
    }

  if (g_str_equal (method_name, "List"))
    {
      g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (self->entries),
                                            (GCompareFunc) g_strcmp0);
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssb)"));
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *type = NULL;

          entry = g_hash_table_lookup (self->entries, l->data);
          type = g_variant_type_dup_string (isle_store_get_value_type (entry->store));
          g_variant_builder_add (&builder, "(sssb)", entry->name, type,
                                 _isle_store_class_get_private (G_OBJECT_GET_CLASS (entry->store))->kind_name,
                                 entry_is_writable (entry));
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(sssb))", &builder));
      return;
    }

  if (g_str_equal (method_name, "GetAll"))
    {
      GVariantBuilder builder;
      GHashTableIter iter;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        g_variant_builder_add (&builder, "{sv}", entry->name, entry->announced);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(a{sv}t)", &builder, self->serial));
      return;
    }

  g_variant_get_child (parameters, 0, "&s", &name);
  entry = lookup_entry (self, invocation, name);
  if (entry == NULL)
    return;

  if (g_str_equal (method_name, "Get"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(v)", entry->announced));
    }
  else if (g_str_equal (method_name, "Set"))
    {
      g_autoptr(GVariant) value = NULL;

      g_variant_get_child (parameters, 1, "v", &value);
      if (check_writable (entry, invocation))
        handle_set (self, entry, value, invocation);
    }
  else if (g_str_equal (method_name, "SetKey"))
    {
      g_autoptr(GVariant) value = NULL;
      const char *key;

      g_variant_get (parameters, "(&s&sv)", NULL, &key, &value);
      if (check_map (entry, invocation) && check_writable (entry, invocation) &&
          check_key_value (entry, key, value, invocation))
        {
          isle_map_set_key (ISLE_MAP (entry->store), key, value);
          g_dbus_method_invocation_return_value (invocation, NULL);
        }
    }
  else if (g_str_equal (method_name, "RemoveKey"))
    {
      const char *key;

      g_variant_get (parameters, "(&s&s)", NULL, &key);
      if (check_map (entry, invocation) && check_writable (entry, invocation))
        {
          isle_map_set_key (ISLE_MAP (entry->store), key, NULL);
          g_dbus_method_invocation_return_value (invocation, NULL);
        }
    }
  else
    g_assert_not_reached ();
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

/* }}} */

/* GObject {{{ */

static void
isle_bus_export_dispose (GObject *object)
{
  IsleBusExport *self = ISLE_BUS_EXPORT (object);

  isle_bus_export_unexport (self);
  g_hash_table_remove_all (self->entries);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (isle_bus_export_parent_class)->dispose (object);
}

static void
isle_bus_export_finalize (GObject *object)
{
  IsleBusExport *self = ISLE_BUS_EXPORT (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->object_path, g_free);

  G_OBJECT_CLASS (isle_bus_export_parent_class)->finalize (object);
}

static void
isle_bus_export_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IsleBusExport *self = ISLE_BUS_EXPORT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, isle_bus_export_get_connection (self));
      break;

    case PROP_OBJECT_PATH:
      g_value_set_string (value, isle_bus_export_get_object_path (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_bus_export_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  IsleBusExport *self = ISLE_BUS_EXPORT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_OBJECT_PATH:
      self->object_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_bus_export_class_init (IsleBusExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* Registers the D-Bus names of Isle's errors: a refusal from another
   * process then arrives as an ISLE_ERROR. */
  (void) ISLE_ERROR;

  object_class->dispose = isle_bus_export_dispose;
  object_class->finalize = isle_bus_export_finalize;
  object_class->get_property = isle_bus_export_get_property;
  object_class->set_property = isle_bus_export_set_property;

  /**
   * IsleBusExport:connection:
   *
   * The connection the stores are exported on.
   *
   * Since: 1.0
   */
  props[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleBusExport:object-path:
   *
   * The object path the stores are exported at.
   *
   * Since: 1.0
   */
  props[PROP_OBJECT_PATH] =
    g_param_spec_string ("object-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
isle_bus_export_init (IsleBusExport *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
}

/* }}} */

/* Public API {{{ */

/**
 * isle_bus_export_new:
 * @connection: a D-Bus connection, usually the session bus
 * @object_path: the object path to export the stores at
 * @error: return location for a #GError
 *
 * Exports the `org.isletoolkit.Isle.Stores1` interface at @object_path on
 * @connection, with no store yet: add them with
 * [method@Isle.BusExport.add_store]. Calls are handled in the
 * thread-default main context of the caller.
 *
 * Returns: (transfer full) (nullable): the new export, or %NULL with
 *   @error set if @object_path is taken on @connection
 *
 * Since: 1.0
 */
IsleBusExport *
isle_bus_export_new (GDBusConnection  *connection,
                     const char       *object_path,
                     GError          **error)
{
  g_autoptr(IsleBusExport) self = NULL;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (object_path != NULL && g_variant_is_object_path (object_path), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ISLE_TYPE_BUS_EXPORT,
                       "connection", connection,
                       "object-path", object_path,
                       NULL);

  self->registration_id =
    g_dbus_connection_register_object (connection, object_path,
                                       (GDBusInterfaceInfo *) &_isle_bus_stores1_interface,
                                       &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * isle_bus_export_add_store:
 * @self: an export
 * @store: a named atom, map or computed store
 * @flags: %ISLE_BUS_EXPORT_READ_ONLY to keep other processes from setting it
 * @error: return location for a #GError
 *
 * Exports @store under its name. From now on its changes are announced
 * to other processes; the export listens to @store (which keeps a store
 * with lifecycle hooks, or a computed store, started) and holds a
 * reference to it until it is removed or the export is disposed. A
 * computed store is always read-only to other processes.
 *
 * Returns: %TRUE if @store is exported; %FALSE with @error set if it has
 *   no name (%ISLE_ERROR_NOT_FOUND) or a store of that name is already
 *   exported here (%ISLE_ERROR_EXISTS)
 *
 * Since: 1.0
 */
gboolean
isle_bus_export_add_store (IsleBusExport       *self,
                           IsleStore           *store,
                           IsleBusExportFlags   flags,
                           GError             **error)
{
  const char *name;
  Entry *entry;

  g_return_val_if_fail (ISLE_IS_BUS_EXPORT (self), FALSE);
  g_return_val_if_fail (ISLE_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = isle_store_get_name (store);
  if (name == NULL)
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_NOT_FOUND,
                   "Cannot export a store without a name at %s", self->object_path);
      return FALSE;
    }

  if (g_hash_table_contains (self->entries, name))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS,
                   "A store named “%s” is already exported at %s", name, self->object_path);
      return FALSE;
    }

  entry = g_new0 (Entry, 1);
  entry->self = self;
  entry->store = g_object_ref (store);
  entry->name = g_strdup (name);
  entry->flags = flags;
  entry->handle = isle_store_listen (store, store_changed_cb, entry, NULL);
  /* Read after listening: a change made in between is not lost. */
  entry->announced = isle_store_get_value (store);
  g_hash_table_insert (self->entries, entry->name, entry);

  return TRUE;
}

/**
 * isle_bus_export_add_map:
 * @self: an export
 * @map: a named map
 * @key_type: (nullable): the type every value of a key set by another
 *   process must have, or %NULL for any
 * @flags: %ISLE_BUS_EXPORT_READ_ONLY to keep other processes from setting it
 * @error: return location for a #GError
 *
 * Exports @map as [method@Isle.BusExport.add_store] does, and checks the
 * values other processes give its keys: a map holds variants of any type,
 * but most maps mean one (a cart's quantities are “i”). A `SetKey` with a
 * value of another type, or a `Set` of a dictionary holding one, fails
 * with `org.isletoolkit.Isle.Error.WrongType` naming the store and the
 * key, and the map keeps its value.
 *
 * Returns: %TRUE if @map is exported; %FALSE with @error set as for
 *   [method@Isle.BusExport.add_store]
 *
 * Since: 1.0
 */
gboolean
isle_bus_export_add_map (IsleBusExport       *self,
                         IsleMap             *map,
                         const GVariantType  *key_type,
                         IsleBusExportFlags   flags,
                         GError             **error)
{
  Entry *entry;

  g_return_val_if_fail (ISLE_IS_BUS_EXPORT (self), FALSE);
  g_return_val_if_fail (ISLE_IS_MAP (map), FALSE);
  g_return_val_if_fail (key_type == NULL || g_variant_type_is_definite (key_type), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isle_bus_export_add_store (self, ISLE_STORE (map), flags, error))
    return FALSE;

  entry = g_hash_table_lookup (self->entries, isle_store_get_name (ISLE_STORE (map)));
  entry->key_type = key_type != NULL ? g_variant_type_copy (key_type) : NULL;

  return TRUE;
}

/**
 * isle_bus_export_remove_store:
 * @self: an export
 * @name: the name of an exported store
 *
 * Stops exporting the store named @name: other processes no longer reach
 * it (their mirrors keep their last value).
 *
 * Returns: %TRUE if a store of that name was exported
 *
 * Since: 1.0
 */
gboolean
isle_bus_export_remove_store (IsleBusExport *self,
                              const char    *name)
{
  g_return_val_if_fail (ISLE_IS_BUS_EXPORT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return g_hash_table_remove (self->entries, name);
}

/**
 * isle_bus_export_unexport:
 * @self: an export
 *
 * Takes the object off the bus: other processes can no longer reach the
 * stores, and their mirrors of them go offline if the process leaves the
 * bus too. Disposing the export does this as well.
 *
 * Since: 1.0
 */
void
isle_bus_export_unexport (IsleBusExport *self)
{
  g_return_if_fail (ISLE_IS_BUS_EXPORT (self));

  if (self->registration_id != 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->registration_id);
      self->registration_id = 0;
    }
}

/**
 * isle_bus_export_get_connection:
 * @self: an export
 *
 * Gets the connection the stores are exported on.
 *
 * Returns: (transfer none): the connection
 *
 * Since: 1.0
 */
GDBusConnection *
isle_bus_export_get_connection (IsleBusExport *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_EXPORT (self), NULL);

  return self->connection;
}

/**
 * isle_bus_export_get_object_path:
 * @self: an export
 *
 * Gets the object path the stores are exported at.
 *
 * Returns: the object path
 *
 * Since: 1.0
 */
const char *
isle_bus_export_get_object_path (IsleBusExport *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_EXPORT (self), NULL);

  return self->object_path;
}

/**
 * isle_bus_export_get_serial:
 * @self: an export
 *
 * Gets the serial of the last `Changed` signal sent: how many changes
 * have been announced.
 *
 * Returns: the serial, 0 before the first change
 *
 * Since: 1.0
 */
guint64
isle_bus_export_get_serial (IsleBusExport *self)
{
  g_return_val_if_fail (ISLE_IS_BUS_EXPORT (self), 0);

  return self->serial;
}

/* }}} */
