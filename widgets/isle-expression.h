/* isle-expression.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> can be included directly."
#endif

#include <gtk/gtk.h>

#include "isle-island.h"

G_BEGIN_DECLS

GType          isle_value_type_for_variant_type (const GVariantType *type);
GtkExpression *isle_expression_new_for_store    (IsleStore          *store);
GtkExpression *isle_island_state_expression     (IsleIsland         *self,
                                                 IsleState          *state);
GtkExpression *isle_island_derived_expression   (IsleIsland         *self,
                                                 IsleDerived        *derived);

G_END_DECLS
