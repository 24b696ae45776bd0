/* isle-error.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "isle-error.h"

/* The D-Bus names of the errors, so that an error an IsleBusExport sends
 * arrives at an IsleBusMirror (or any GDBus client) as an ISLE_ERROR. */
static const GDBusErrorEntry error_entries[] = {
  { ISLE_ERROR_FAILED,       "org.isletoolkit.Isle.Error.Failed" },
  { ISLE_ERROR_CYCLE,        "org.isletoolkit.Isle.Error.Cycle" },
  { ISLE_ERROR_RUNAWAY,      "org.isletoolkit.Isle.Error.Runaway" },
  { ISLE_ERROR_TOO_DEEP,     "org.isletoolkit.Isle.Error.TooDeep" },
  { ISLE_ERROR_WRONG_TYPE,   "org.isletoolkit.Isle.Error.WrongType" },
  { ISLE_ERROR_DISPOSED,     "org.isletoolkit.Isle.Error.Disposed" },
  { ISLE_ERROR_REJECTED,     "org.isletoolkit.Isle.Error.Rejected" },
  { ISLE_ERROR_EXISTS,       "org.isletoolkit.Isle.Error.Exists" },
  { ISLE_ERROR_READ_ONLY,    "org.isletoolkit.Isle.Error.ReadOnly" },
  { ISLE_ERROR_NOT_FOUND,    "org.isletoolkit.Isle.Error.NotFound" },
  { ISLE_ERROR_DISCONNECTED, "org.isletoolkit.Isle.Error.Disconnected" },
};

/**
 * isle_error_quark:
 *
 * The error domain of Isle.
 *
 * Returns: the quark of [error@Isle.Error]
 *
 * Since: 1.0
 */
GQuark
isle_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("isle-error-quark", &quark, error_entries,
                                      G_N_ELEMENTS (error_entries));

  return (GQuark) quark;
}
