/* examples.h: the two panes of the seed, as shipped examples
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <isle.h>

GtkWidget *example_add_button_new (void);
GtkWidget *example_cart_badge_new (void);
