/* isle-bus-mirror.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <gio/gio.h>

#include "isle-store.h"

G_BEGIN_DECLS

#define ISLE_TYPE_BUS_MIRROR (isle_bus_mirror_get_type ())

G_DECLARE_FINAL_TYPE (IsleBusMirror, isle_bus_mirror, ISLE, BUS_MIRROR, GObject)

IsleBusMirror   *isle_bus_mirror_new             (GDBusConnection *connection,
                                                  const char      *bus_name,
                                                  const char      *object_path);
gboolean         isle_bus_mirror_add_store       (IsleBusMirror   *self,
                                                  IsleStore       *store,
                                                  GError         **error);
gboolean         isle_bus_mirror_remove_store    (IsleBusMirror   *self,
                                                  const char      *name);
gboolean         isle_bus_mirror_get_connected   (IsleBusMirror   *self);
const char      *isle_bus_mirror_get_name_owner  (IsleBusMirror   *self);
GDBusConnection *isle_bus_mirror_get_connection  (IsleBusMirror   *self);
const char      *isle_bus_mirror_get_bus_name    (IsleBusMirror   *self);
const char      *isle_bus_mirror_get_object_path (IsleBusMirror   *self);

G_END_DECLS
