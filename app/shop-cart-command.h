/* shop-cart-command.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int shop_cart_command_run (int    argc,
                           char **argv);

G_END_DECLS
