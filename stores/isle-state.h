/* isle-state.h
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

#define ISLE_TYPE_STATE (isle_state_get_type ())

GType        isle_state_get_type        (void) G_GNUC_CONST;

IsleState   *isle_state_new             (IsleGraph      *graph,
                                         GType           value_type);
IsleState   *isle_state_new_value       (IsleGraph      *graph,
                                         const GValue   *value);
IsleState   *isle_state_new_boolean     (IsleGraph      *graph,
                                         gboolean        value);
IsleState   *isle_state_new_int         (IsleGraph      *graph,
                                         int             value);
IsleState   *isle_state_new_int64       (IsleGraph      *graph,
                                         gint64          value);
IsleState   *isle_state_new_uint64      (IsleGraph      *graph,
                                         guint64         value);
IsleState   *isle_state_new_double      (IsleGraph      *graph,
                                         double          value);
IsleState   *isle_state_new_pointer     (IsleGraph      *graph,
                                         gpointer        value);
IsleState   *isle_state_new_string      (IsleGraph      *graph,
                                         const char     *value);
IsleState   *isle_state_new_variant     (IsleGraph      *graph,
                                         GVariant       *value);
IsleState   *isle_state_new_object      (IsleGraph      *graph,
                                         GType           object_type,
                                         gpointer        value);

IsleState   *isle_state_ref             (IsleState      *self);
void         isle_state_unref           (IsleState      *self);
void         isle_state_dispose         (IsleState      *self);
gboolean     isle_state_is_disposed     (IsleState      *self);
IsleGraph   *isle_state_get_graph       (IsleState      *self);
const char  *isle_state_get_name        (IsleState      *self);
void         isle_state_set_name        (IsleState      *self,
                                         const char     *name);
GType        isle_state_get_value_type  (IsleState      *self);
void         isle_state_set_equal_func  (IsleState      *self,
                                         IsleEqualFunc   func,
                                         gpointer        user_data,
                                         GDestroyNotify  destroy);

void         isle_state_get_value       (IsleState      *self,
                                         GValue         *value);
void         isle_state_set_value       (IsleState      *self,
                                         const GValue   *value);
gboolean     isle_state_get_boolean     (IsleState      *self);
void         isle_state_set_boolean     (IsleState      *self,
                                         gboolean        value);
int          isle_state_get_int         (IsleState      *self);
void         isle_state_set_int         (IsleState      *self,
                                         int             value);
gint64       isle_state_get_int64       (IsleState      *self);
void         isle_state_set_int64       (IsleState      *self,
                                         gint64          value);
guint64      isle_state_get_uint64      (IsleState      *self);
void         isle_state_set_uint64      (IsleState      *self,
                                         guint64         value);
double       isle_state_get_double      (IsleState      *self);
void         isle_state_set_double      (IsleState      *self,
                                         double          value);
gpointer     isle_state_get_pointer     (IsleState      *self);
void         isle_state_set_pointer     (IsleState      *self,
                                         gpointer        value);
const char  *isle_state_get_string      (IsleState      *self);
void         isle_state_set_string      (IsleState      *self,
                                         const char     *value);
GVariant    *isle_state_get_variant     (IsleState      *self);
void         isle_state_set_variant     (IsleState      *self,
                                         GVariant       *value);
gpointer     isle_state_get_object      (IsleState      *self);
void         isle_state_set_object      (IsleState      *self,
                                         gpointer        value);
gpointer     isle_state_get_boxed       (IsleState      *self);
void         isle_state_set_boxed       (IsleState      *self,
                                         gconstpointer   value);

int          isle_state_update_int      (IsleState      *self,
                                         int             delta);
int          isle_state_update_pre_int  (IsleState      *self,
                                         int             delta);
gint64       isle_state_update_int64    (IsleState      *self,
                                         gint64          delta);
gint64       isle_state_update_pre_int64 (IsleState     *self,
                                         gint64          delta);
double       isle_state_update_double   (IsleState      *self,
                                         double          delta);
double       isle_state_update_pre_double (IsleState    *self,
                                         double          delta);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsleState, isle_state_unref)

G_END_DECLS
