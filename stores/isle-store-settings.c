/* isle-store-settings.c: a store bound to a GSettings key
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Holds isle_store_bind_setting (): g_settings_bind_with_mapping () on the
 * store's "value" property, with the schema's type checked first. It uses
 * only the store's public API.
 */

#include "config.h"

#include "isle-store-private.h"

/* GLib's default mapping knows no GVariant properties: a store's value is
 * already the variant GSettings holds, so both mappings pass it through. */
static gboolean
value_from_setting (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_variant (value, variant);
  return TRUE;
}

static GVariant *
setting_from_value (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  GVariant *variant = g_value_get_variant (value);

  if (variant == NULL || !g_variant_is_of_type (variant, expected_type))
    return NULL;

  return g_variant_ref (variant);
}

/* A binding is a user of the store: it keeps it started (a computed store
 * follows its sources only while someone listens) until GSettings drops
 * the binding, on g_settings_unbind () or when the store goes. */
typedef struct
{
  GWeakRef store;
  guint    handle;
} BindingUse;

static void
binding_use_cb (IsleStore *store,
                GVariant  *value,
                GVariant  *old_value,
                gpointer   user_data)
{
}

static void
binding_use_free (gpointer data)
{
  BindingUse *use = data;
  g_autoptr(IsleStore) store = g_weak_ref_get (&use->store);

  if (store != NULL)
    isle_store_unsubscribe (store, use->handle);
  g_weak_ref_clear (&use->store);
  g_free (use);
}

/**
 * isle_store_bind_setting:
 * @self: a store
 * @settings: the settings holding @key
 * @key: a key of @settings' schema, of the store's value type
 * @flags: the direction, as for g_settings_bind():
 *   %G_SETTINGS_BIND_DEFAULT binds both ways, %G_SETTINGS_BIND_GET only
 *   from the setting to the store, %G_SETTINGS_BIND_SET only from the
 *   store to the setting
 * @error: return location for a #GError
 *
 * Binds the value of @self to @key, the way g_settings_bind() binds a
 * widget property: the store takes the setting's value at once (unless
 * @flags has %G_SETTINGS_BIND_SET only, or %G_SETTINGS_BIND_GET_NO_CHANGES),
 * and then each follows the other. The binding counts as a listener of
 * the store (so a computed store keeps following its sources) until it is
 * removed. The store keeps all its rules: a value
 * from the setting goes through an atom's filter (a rejected one leaves
 * the atom as it was), and an equal value changes nothing.
 *
 * g_settings_bind() itself cannot bind the store's
 * [property@Isle.Store:value]: GLib's default mapping handles no
 * #GVariant properties. This function binds it with
 * g_settings_bind_with_mapping() and two mappings that pass the variant
 * through, after checking that the key exists and has the store's type.
 * Remove the binding with `g_settings_unbind (store, "value")`.
 *
 * ```c
 * g_autoptr(GSettings) settings = g_settings_new ("org.example.App");
 * IsleAtom *zoom = isle_atom_new_int ("zoom", 100);
 *
 * isle_store_bind_setting (ISLE_STORE (zoom), settings, "zoom",
 *                          G_SETTINGS_BIND_DEFAULT, NULL);
 * ```
 *
 * Returns: %TRUE if the binding was made; %FALSE with @error set if @key
 *   is not in the schema (%ISLE_ERROR_NOT_FOUND), has another type
 *   (%ISLE_ERROR_WRONG_TYPE), or @self is read-only (a computed store) and
 *   @flags asks for the setting's value (%ISLE_ERROR_READ_ONLY)
 *
 * Since: 1.0
 */
gboolean
isle_store_bind_setting (IsleStore           *self,
                         GSettings           *settings,
                         const char          *key,
                         GSettingsBindFlags   flags,
                         GError             **error)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autofree char *label = NULL;
  const GVariantType *key_type;
  BindingUse *use;
  gboolean get;

  g_return_val_if_fail (ISLE_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  label = _isle_store_dup_label (self);
  g_object_get (settings, "settings-schema", &schema, NULL);

  if (!g_settings_schema_has_key (schema, key))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_NOT_FOUND,
                   "Cannot bind %s to the setting “%s”: schema “%s” has no such key",
                   label, key, g_settings_schema_get_id (schema));
      return FALSE;
    }

  schema_key = g_settings_schema_get_key (schema, key);
  key_type = g_settings_schema_key_get_value_type (schema_key);
  if (!g_variant_type_equal (key_type, isle_store_get_value_type (self)))
    {
      g_autofree char *store_type = g_variant_type_dup_string (isle_store_get_value_type (self));
      g_autofree char *setting_type = g_variant_type_dup_string (key_type);

      g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                   "Cannot bind %s (of type “%s”) to the setting “%s” of schema “%s”, "
                   "of type “%s”", label, store_type, key, g_settings_schema_get_id (schema),
                   setting_type);
      return FALSE;
    }

  /* As g_settings_bind (): no direction given means both. */
  if ((flags & (G_SETTINGS_BIND_GET | G_SETTINGS_BIND_SET)) == 0)
    flags |= G_SETTINGS_BIND_GET | G_SETTINGS_BIND_SET;
  get = (flags & G_SETTINGS_BIND_GET) != 0;

  if (get && ISLE_IS_COMPUTED (self))
    {
      g_set_error (error, ISLE_ERROR, ISLE_ERROR_READ_ONLY,
                   "Cannot bind %s to the setting “%s”: the store is read-only, "
                   "so it can only be bound with G_SETTINGS_BIND_SET", label, key);
      return FALSE;
    }

  use = g_new0 (BindingUse, 1);
  g_weak_ref_init (&use->store, self);
  use->handle = isle_store_listen (self, binding_use_cb, NULL, NULL);
  g_settings_bind_with_mapping (settings, key, self, "value", flags,
                                value_from_setting, setting_from_value, use, binding_use_free);

  return TRUE;
}
