/* isle-format-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* A printf-like format checked once against the type of the value it will
 * print: literal text, “%%”, and exactly one conversion of the kind that
 * type needs. Nothing the caller wrote reaches printf unchecked. */

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _IsleFormat IsleFormat;

IsleFormat *_isle_format_new    (const char    *format,
                                 GType          value_type,
                                 GError       **error);
void        _isle_format_free   (IsleFormat    *self);
char       *_isle_format_print  (IsleFormat    *self,
                                 const GValue  *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsleFormat, _isle_format_free)

G_END_DECLS
