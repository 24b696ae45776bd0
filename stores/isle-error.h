/* isle-error.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * ISLE_ERROR:
 *
 * The error domain of Isle. Errors in this domain are from the
 * [error@Isle.Error] enumeration.
 *
 * Since: 1.0
 */
#define ISLE_ERROR (isle_error_quark ())

/**
 * IsleError:
 * @ISLE_ERROR_FAILED: a callback failed without saying why
 * @ISLE_ERROR_CYCLE: a derived depends on itself
 * @ISLE_ERROR_RUNAWAY: an effect kept re-triggering itself
 * @ISLE_ERROR_TOO_DEEP: derived computations nested too deeply
 * @ISLE_ERROR_WRONG_TYPE: a value of the wrong type was given
 * @ISLE_ERROR_DISPOSED: a disposed node or store was used
 * @ISLE_ERROR_REJECTED: a store's filter rejected a value
 * @ISLE_ERROR_EXISTS: a store of that name is already registered
 * @ISLE_ERROR_READ_ONLY: a read-only store was asked to take a value
 * @ISLE_ERROR_NOT_FOUND: a store, key or setting of that name does not exist
 * @ISLE_ERROR_DISCONNECTED: the process that owns a mirrored store is not
 *   on the bus (see [class@Isle.BusMirror])
 *
 * Errors reported by Isle. Over D-Bus each is the error
 * `org.isletoolkit.Isle.Error.` followed by its name in CamelCase
 * (`org.isletoolkit.Isle.Error.WrongType`), so that a #GError sent by an
 * [class@Isle.BusExport] arrives in this domain again.
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_ERROR_FAILED,
  ISLE_ERROR_CYCLE,
  ISLE_ERROR_RUNAWAY,
  ISLE_ERROR_TOO_DEEP,
  ISLE_ERROR_WRONG_TYPE,
  ISLE_ERROR_DISPOSED,
  ISLE_ERROR_REJECTED,
  ISLE_ERROR_EXISTS,
  ISLE_ERROR_READ_ONLY,
  ISLE_ERROR_NOT_FOUND,
  ISLE_ERROR_DISCONNECTED,
} IsleError;

GQuark isle_error_quark (void);

G_END_DECLS
