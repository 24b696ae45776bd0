/* isle.h: the umbrella header of Isle
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#define ISLE_INSIDE
# include "isle-stores.h"
# include "isle-island.h"
# include "isle-expression.h"
# include "isle-pane-provider.h"
# include "isle-inspector.h"
#undef ISLE_INSIDE
