/* isle-inspector.h: a devtools widget for stores, islands and their graphs
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> can be included directly."
#endif

#include <gtk/gtk.h>

#include "isle-stores.h"
#include "isle-island.h"

G_BEGIN_DECLS

#define ISLE_TYPE_INSPECTOR (isle_inspector_get_type ())

G_DECLARE_FINAL_TYPE (IsleInspector, isle_inspector, ISLE, INSPECTOR, GtkWidget)

GtkWidget    *isle_inspector_new          (void);
IsleRegistry *isle_inspector_get_registry (IsleInspector *self);
void          isle_inspector_set_registry (IsleInspector *self,
                                           IsleRegistry  *registry);
const char   *isle_inspector_get_filter   (IsleInspector *self);
void          isle_inspector_set_filter   (IsleInspector *self,
                                           const char    *filter);
IsleIsland   *isle_inspector_get_island   (IsleInspector *self);
void          isle_inspector_set_island   (IsleInspector *self,
                                           IsleIsland    *island);
guint         isle_inspector_get_n_events (IsleInspector *self);
void          isle_inspector_refresh      (IsleInspector *self);

G_END_DECLS
