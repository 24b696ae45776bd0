/* isle-stores.h: the GTK-free half of Isle
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* Included on its own (a headless program, a test of the stores) or by
 * isle.h; undo only what this header did. */
#ifndef ISLE_INSIDE
# define ISLE_INSIDE
# define ISLE_STORES_INSIDE_SET
#endif

#include "isle-types.h"
#include "isle-error.h"
#include "isle-graph.h"
#include "isle-state.h"
#include "isle-derived.h"
#include "isle-effect.h"
#include "isle-store.h"
#include "isle-atom.h"
#include "isle-map.h"
#include "isle-computed.h"
#include "isle-registry.h"
#include "isle-store-action.h"
#include "isle-store-settings.h"
#include "isle-persist.h"
#include "isle-bus-export.h"
#include "isle-bus-mirror.h"
#include "isle-inspect.h"

#ifdef ISLE_STORES_INSIDE_SET
# undef ISLE_INSIDE
# undef ISLE_STORES_INSIDE_SET
#endif
