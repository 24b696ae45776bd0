/* isle-store-action.h
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

GAction *isle_store_create_action (IsleStore *self);

G_END_DECLS
