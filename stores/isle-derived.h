/* isle-derived.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include "isle-graph.h"

G_BEGIN_DECLS

#define ISLE_TYPE_DERIVED (isle_derived_get_type ())

GType         isle_derived_get_type        (void) G_GNUC_CONST;

IsleDerived  *isle_derived_new             (IsleGraph      *graph,
                                            GType           value_type,
                                            IsleDeriveFunc  func,
                                            gpointer        user_data,
                                            GDestroyNotify  destroy);
IsleDerived  *isle_derived_new_closure     (IsleGraph      *graph,
                                            GType           value_type,
                                            GClosure       *closure);

IsleDerived  *isle_derived_ref             (IsleDerived    *self);
void          isle_derived_unref           (IsleDerived    *self);
void          isle_derived_dispose         (IsleDerived    *self);
gboolean      isle_derived_is_disposed     (IsleDerived    *self);
IsleGraph    *isle_derived_get_graph       (IsleDerived    *self);
const char   *isle_derived_get_name        (IsleDerived    *self);
void          isle_derived_set_name        (IsleDerived    *self,
                                            const char     *name);
GType         isle_derived_get_value_type  (IsleDerived    *self);
void          isle_derived_set_equal_func  (IsleDerived    *self,
                                            IsleEqualFunc   func,
                                            gpointer        user_data,
                                            GDestroyNotify  destroy);
const GError *isle_derived_get_error       (IsleDerived    *self);

void          isle_derived_get_value       (IsleDerived    *self,
                                            GValue         *value);
gboolean      isle_derived_get_boolean     (IsleDerived    *self);
int           isle_derived_get_int         (IsleDerived    *self);
gint64        isle_derived_get_int64       (IsleDerived    *self);
guint64       isle_derived_get_uint64      (IsleDerived    *self);
double        isle_derived_get_double      (IsleDerived    *self);
gpointer      isle_derived_get_pointer     (IsleDerived    *self);
const char   *isle_derived_get_string      (IsleDerived    *self);
GVariant     *isle_derived_get_variant     (IsleDerived    *self);
gpointer      isle_derived_get_object      (IsleDerived    *self);
gpointer      isle_derived_get_boxed       (IsleDerived    *self);

void          isle_derived_set_value       (IsleDerived    *self,
                                            const GValue   *value);
void          isle_derived_set_boolean     (IsleDerived    *self,
                                            gboolean        value);
void          isle_derived_set_int         (IsleDerived    *self,
                                            int             value);
void          isle_derived_set_int64       (IsleDerived    *self,
                                            gint64          value);
void          isle_derived_set_uint64      (IsleDerived    *self,
                                            guint64         value);
void          isle_derived_set_double      (IsleDerived    *self,
                                            double          value);
void          isle_derived_set_string      (IsleDerived    *self,
                                            const char     *value);
void          isle_derived_set_variant     (IsleDerived    *self,
                                            GVariant       *value);
void          isle_derived_set_object      (IsleDerived    *self,
                                            gpointer        value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsleDerived, isle_derived_unref)

G_END_DECLS
