/* isle-stores.h: the GTK-free half of Isle
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define ISLE_INSIDE
# include "isle-types.h"
# include "isle-error.h"
# include "isle-graph.h"
# include "isle-state.h"
# include "isle-derived.h"
# include "isle-effect.h"
#undef ISLE_INSIDE
