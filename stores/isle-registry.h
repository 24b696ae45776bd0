/* isle-registry.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include "isle-atom.h"

G_BEGIN_DECLS

#define ISLE_TYPE_REGISTRY (isle_registry_get_type ())

G_DECLARE_FINAL_TYPE (IsleRegistry, isle_registry, ISLE, REGISTRY, GObject)

IsleRegistry *isle_registry_get_default  (void);
IsleStore    *isle_registry_lookup       (IsleRegistry       *self,
                                          const char         *name);
gboolean      isle_registry_add          (IsleRegistry       *self,
                                          IsleStore          *store,
                                          GError            **error);
gboolean      isle_registry_remove       (IsleRegistry       *self,
                                          const char         *name);
void          isle_registry_clean        (IsleRegistry       *self);
IsleAtom     *isle_registry_ensure_atom  (IsleRegistry       *self,
                                          const char         *name,
                                          const GVariantType *value_type,
                                          GVariant           *initial,
                                          GError            **error);
IsleAtom     *isle_registry_ensure_boolean (IsleRegistry     *self,
                                            const char       *name,
                                            gboolean          initial);
IsleAtom     *isle_registry_ensure_int     (IsleRegistry     *self,
                                            const char       *name,
                                            int               initial);
IsleAtom     *isle_registry_ensure_int64   (IsleRegistry     *self,
                                            const char       *name,
                                            gint64            initial);
IsleAtom     *isle_registry_ensure_double  (IsleRegistry     *self,
                                            const char       *name,
                                            double            initial);
IsleAtom     *isle_registry_ensure_string  (IsleRegistry     *self,
                                            const char       *name,
                                            const char       *initial);

G_END_DECLS
