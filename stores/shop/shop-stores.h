/* shop-stores.h: the GTK-free stores of Isle Shop
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "isle-stores.h"

#include "shop-catalogue.h"
#include "shop-cart.h"
