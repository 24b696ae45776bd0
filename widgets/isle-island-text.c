/* isle-island-text.c: an island that shows a named store as text
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The properties a `.ui` file reaches without code: store-name picks a
 * store of the default registry, format prints its value, and text (read
 * only, notifying) is what a <binding> of a child's property looks up.
 */

#include "config.h"

#include "isle-island-private.h"
#include "isle-expression.h"
#include "isle-format-private.h"

static void
update_text (IsleIsland *self,
             GVariant   *value)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  g_auto(GValue) gvalue = G_VALUE_INIT;
  g_autofree char *text = NULL;

  if (value != NULL)
    {
      g_value_init (&gvalue, isle_value_type_for_variant_type (g_variant_get_type (value)));
      _isle_value_set_from_variant (&gvalue, value);
    }

  if (value == NULL)
    {
      text = NULL;
    }
  else if (priv->format != NULL && G_VALUE_TYPE (&gvalue) != G_TYPE_VARIANT)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IsleFormat) format = _isle_format_new (priv->format, G_VALUE_TYPE (&gvalue), &error);

      if (format == NULL)
        {
          g_autofree char *label = NULL;

          label = g_strdup_printf ("island “%s”", isle_graph_get_name (priv->graph));
          g_critical ("%s: cannot show store “%s”: %s", label, priv->store_name, error->message);
          return;
        }
      text = _isle_format_print (format, &gvalue);
    }
  else if (G_VALUE_HOLDS_STRING (&gvalue))
    {
      text = g_value_dup_string (&gvalue);
    }
  else
    {
      text = g_variant_print (value, FALSE);
    }

  if (g_strcmp0 (text, priv->text) == 0)
    return;

  g_free (priv->text);
  priv->text = g_steal_pointer (&text);
  _isle_island_notify_text (self);
}

static void
store_changed_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  update_text (user_data, value);
}

void
_isle_island_clear_text (IsleIsland *self)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);

  if (priv->text_store != NULL)
    {
      isle_store_unsubscribe (priv->text_store, priv->text_handle);
      priv->text_handle = 0;
      g_clear_object (&priv->text_store);
    }
}

static void
refresh (IsleIsland *self)
{
  IsleIslandPrivate *priv = _isle_island_get_private (self);
  IsleStore *store = NULL;

  _isle_island_clear_text (self);

  if (priv->store_name != NULL && !priv->disposed)
    {
      store = isle_registry_lookup (isle_registry_get_default (), priv->store_name);
      if (store == NULL)
        g_critical ("island “%s”: the default registry has no store named “%s”",
                    priv->graph != NULL ? isle_graph_get_name (priv->graph) : "?",
                    priv->store_name);
    }

  if (store == NULL)
    {
      update_text (self, NULL);
      return;
    }

  priv->text_store = g_object_ref (store);
  /* Subscribing calls back at once with the current value. */
  priv->text_handle = isle_store_subscribe (store, store_changed_cb, self, NULL);
}

/**
 * isle_island_get_store_name:
 * @self: an island
 *
 * Gets the name of the store whose value [property@Isle.Island:text]
 * shows.
 *
 * Returns: (nullable): the name, or %NULL
 *
 * Since: 1.0
 */
const char *
isle_island_get_store_name (IsleIsland *self)
{
  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  return _isle_island_get_private (self)->store_name;
}

/**
 * isle_island_set_store_name:
 * @self: an island
 * @store_name: (nullable): the name of a store of the default registry,
 *   or %NULL
 *
 * Makes [property@Isle.Island:text] show the value of the store of the
 * default [class@Isle.Registry] named @store_name (printed through
 * [property@Isle.Island:format]), for as long as the island lives. A name
 * the registry does not know is reported with a critical.
 *
 * Since: 1.0
 */
void
isle_island_set_store_name (IsleIsland *self,
                            const char *store_name)
{
  IsleIslandPrivate *priv;

  g_return_if_fail (ISLE_IS_ISLAND (self));

  priv = _isle_island_get_private (self);
  if (g_strcmp0 (priv->store_name, store_name) == 0)
    return;

  g_free (priv->store_name);
  priv->store_name = g_strdup (store_name);
  refresh (self);
  g_object_notify (G_OBJECT (self), "store-name");
}

/**
 * isle_island_get_format:
 * @self: an island
 *
 * Gets the format [property@Isle.Island:text] prints the store's value
 * with.
 *
 * Returns: (nullable): the format, or %NULL
 *
 * Since: 1.0
 */
const char *
isle_island_get_format (IsleIsland *self)
{
  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  return _isle_island_get_private (self)->format;
}

/**
 * isle_island_set_format:
 * @self: an island
 * @format: (nullable): a printf-like format with one conversion for the
 *   store's value, checked as [method@Isle.Island.bind_state_format]
 *   describes, or %NULL to show the value as it is
 *
 * Sets how [property@Isle.Island:text] prints the value of the store
 * named by [property@Isle.Island:store-name]. A format that does not fit
 * the store's type is reported with a critical, and the text stays.
 *
 * Since: 1.0
 */
void
isle_island_set_format (IsleIsland *self,
                        const char *format)
{
  IsleIslandPrivate *priv;

  g_return_if_fail (ISLE_IS_ISLAND (self));

  priv = _isle_island_get_private (self);
  if (g_strcmp0 (priv->format, format) == 0)
    return;

  g_free (priv->format);
  priv->format = g_strdup (format);
  refresh (self);
  g_object_notify (G_OBJECT (self), "format");
}

/**
 * isle_island_get_text:
 * @self: an island
 *
 * Gets the value of the store named by [property@Isle.Island:store-name]
 * as text.
 *
 * Returns: (nullable): the text, or %NULL if no store is named
 *
 * Since: 1.0
 */
const char *
isle_island_get_text (IsleIsland *self)
{
  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  return _isle_island_get_private (self)->text;
}
