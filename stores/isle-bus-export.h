/* isle-bus-export.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <gio/gio.h>

#include "isle-map.h"

G_BEGIN_DECLS

/**
 * ISLE_BUS_INTERFACE:
 *
 * The name of the D-Bus interface by which [class@Isle.BusExport] exports
 * stores and [class@Isle.BusMirror] mirrors them.
 *
 * Since: 1.0
 */
#define ISLE_BUS_INTERFACE "org.isletoolkit.Isle.Stores1"

/**
 * IsleBusExportFlags:
 * @ISLE_BUS_EXPORT_DEFAULT: other processes may read and set the store
 * @ISLE_BUS_EXPORT_READ_ONLY: other processes may only read the store
 *
 * How [method@Isle.BusExport.add_store] exports a store.
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_BUS_EXPORT_DEFAULT   = 0,
  ISLE_BUS_EXPORT_READ_ONLY = 1 << 0,
} IsleBusExportFlags;

GType isle_bus_export_flags_get_type (void) G_GNUC_CONST;
#define ISLE_TYPE_BUS_EXPORT_FLAGS (isle_bus_export_flags_get_type ())

#define ISLE_TYPE_BUS_EXPORT (isle_bus_export_get_type ())

G_DECLARE_FINAL_TYPE (IsleBusExport, isle_bus_export, ISLE, BUS_EXPORT, GObject)

IsleBusExport   *isle_bus_export_new             (GDBusConnection    *connection,
                                                  const char         *object_path,
                                                  GError            **error);
gboolean         isle_bus_export_add_store       (IsleBusExport      *self,
                                                  IsleStore          *store,
                                                  IsleBusExportFlags  flags,
                                                  GError            **error);
gboolean         isle_bus_export_add_map         (IsleBusExport      *self,
                                                  IsleMap            *map,
                                                  const GVariantType *key_type,
                                                  IsleBusExportFlags  flags,
                                                  GError            **error);
gboolean         isle_bus_export_remove_store    (IsleBusExport      *self,
                                                  const char         *name);
void             isle_bus_export_unexport        (IsleBusExport      *self);
GDBusConnection *isle_bus_export_get_connection  (IsleBusExport      *self);
const char      *isle_bus_export_get_object_path (IsleBusExport      *self);
guint64          isle_bus_export_get_serial      (IsleBusExport      *self);

G_END_DECLS
