/* isle-widgets-init.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle.h"

/* The GTK layer (islands, bindings, the inspector) joins this library in
 * later work; for now the library is the signal engine of stores/. */
