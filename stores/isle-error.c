/* isle-error.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle-error.h"

/**
 * isle_error_quark:
 *
 * The error domain of Isle.
 *
 * Returns: the quark of [error@Isle.Error]
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (isle-error-quark, isle_error)
