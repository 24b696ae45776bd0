/* isle-pane-provider.c: a plugin that gives a program a pane
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle.h"
#include "isle-pane-provider.h"

/**
 * IslePaneProvider:
 *
 * What a plugin implements to add a pane to a program built of islands:
 * it makes the pane (usually an [class@Isle.Island] that shares the
 * registry's stores with the program's own panes) and says where it goes.
 *
 * The same interface serves plugins written in C and in Python (loaded,
 * for instance, by libpeas), so the host treats both alike. In Python:
 *
 * ```python
 * class Provider(GObject.Object, Isle.PaneProvider):
 *     def do_create_pane(self):
 *         return MyPane()
 *
 *     def do_dup_placement(self):
 *         return "products"
 * ```
 *
 * Since: 1.0
 */

G_DEFINE_INTERFACE (IslePaneProvider, isle_pane_provider, G_TYPE_OBJECT)

static void
isle_pane_provider_default_init (IslePaneProviderInterface *iface)
{
}

/**
 * isle_pane_provider_create_pane:
 * @self: a pane provider
 *
 * Makes the provider's pane. Called once by the host, on the main thread:
 * a provider that blocks here blocks the program.
 *
 * Returns: (transfer full) (nullable): the pane, or %NULL if the provider
 *   could not make one
 *
 * Since: 1.0
 */
GtkWidget *
isle_pane_provider_create_pane (IslePaneProvider *self)
{
  IslePaneProviderInterface *iface;
  GtkWidget *pane;

  g_return_val_if_fail (ISLE_IS_PANE_PROVIDER (self), NULL);

  iface = ISLE_PANE_PROVIDER_GET_IFACE (self);
  if (iface->create_pane == NULL)
    return NULL;

  pane = iface->create_pane (self);
  if (pane != NULL && g_object_is_floating (pane))
    g_object_ref_sink (pane);

  return pane;
}

/**
 * isle_pane_provider_dup_placement:
 * @self: a pane provider
 *
 * Gets where the provider's pane should go: a name the host program
 * defines (Isle Shop knows `products` and `cart`).
 *
 * Returns: (transfer full) (nullable): the placement, or %NULL to let
 *   the host choose
 *
 * Since: 1.0
 */
char *
isle_pane_provider_dup_placement (IslePaneProvider *self)
{
  IslePaneProviderInterface *iface;

  g_return_val_if_fail (ISLE_IS_PANE_PROVIDER (self), NULL);

  iface = ISLE_PANE_PROVIDER_GET_IFACE (self);
  if (iface->dup_placement == NULL)
    return NULL;

  return iface->dup_placement (self);
}
