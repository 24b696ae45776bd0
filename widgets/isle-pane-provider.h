/* isle-pane-provider.h: a plugin that gives a program a pane
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> can be included directly."
#endif

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ISLE_TYPE_PANE_PROVIDER (isle_pane_provider_get_type ())

G_DECLARE_INTERFACE (IslePaneProvider, isle_pane_provider, ISLE, PANE_PROVIDER, GObject)

/**
 * IslePaneProviderInterface:
 * @parent_iface: the parent interface
 * @create_pane: makes the pane, usually an [class@Isle.Island]
 * @dup_placement: says where the program should put it
 *
 * The virtual functions of [iface@Isle.PaneProvider].
 *
 * Since: 1.0
 */
struct _IslePaneProviderInterface
{
  GTypeInterface parent_iface;

  GtkWidget *(*create_pane)   (IslePaneProvider *self);
  char      *(*dup_placement) (IslePaneProvider *self);
};

GtkWidget *isle_pane_provider_create_pane   (IslePaneProvider *self);
char      *isle_pane_provider_dup_placement (IslePaneProvider *self);

G_END_DECLS
