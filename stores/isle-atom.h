/* isle-atom.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include "isle-store.h"

G_BEGIN_DECLS

#define ISLE_TYPE_ATOM (isle_atom_get_type ())

G_DECLARE_FINAL_TYPE (IsleAtom, isle_atom, ISLE, ATOM, IsleStore)

/**
 * IsleAtomFilter:
 * @atom: the atom about to change
 * @value: the value being set
 * @old_value: the current value
 * @user_data: (closure): the data given with the filter
 * @error: return location for a #GError
 *
 * Runs before an [class@Isle.Atom] takes a new value: it may accept it
 * (return a reference to @value), replace it (return another value of the
 * atom's type) or reject it (return %NULL and set @error).
 *
 * Returns: (transfer full) (nullable): the value to store, or %NULL to
 *   reject the change
 *
 * Since: 1.0
 */
typedef GVariant *(*IsleAtomFilter) (IsleAtom  *atom,
                                     GVariant  *value,
                                     GVariant  *old_value,
                                     gpointer   user_data,
                                     GError   **error);

/**
 * IsleAtomUpdateFunc:
 * @atom: the atom being updated
 * @current: the atom's current value
 * @user_data: (closure): the data given to [method@Isle.Atom.update]
 *
 * Computes the new value of an atom from its current one, for
 * [method@Isle.Atom.update]. It may be called more than once (when another
 * thread changed the atom meanwhile), so it should only compute.
 *
 * Returns: (transfer full) (nullable): the new value, of the atom's type
 *   (a floating reference is sunk), or %NULL to leave the atom unchanged
 *
 * Since: 1.0
 */
typedef GVariant *(*IsleAtomUpdateFunc) (IsleAtom  *atom,
                                         GVariant  *current,
                                         gpointer   user_data);

IsleAtom *isle_atom_new             (const char         *name,
                                     const GVariantType *value_type,
                                     GVariant           *initial);
IsleAtom *isle_atom_new_boolean     (const char         *name,
                                     gboolean            initial);
IsleAtom *isle_atom_new_int         (const char         *name,
                                     int                 initial);
IsleAtom *isle_atom_new_int64       (const char         *name,
                                     gint64              initial);
IsleAtom *isle_atom_new_double      (const char         *name,
                                     double              initial);
IsleAtom *isle_atom_new_string      (const char         *name,
                                     const char         *initial);

void      isle_atom_set             (IsleAtom           *self,
                                     GVariant           *value);
gboolean  isle_atom_try_set         (IsleAtom           *self,
                                     GVariant           *value,
                                     GError            **error);
void      isle_atom_set_boolean     (IsleAtom           *self,
                                     gboolean            value);
void      isle_atom_set_int         (IsleAtom           *self,
                                     int                 value);
void      isle_atom_set_int64       (IsleAtom           *self,
                                     gint64              value);
void      isle_atom_set_double      (IsleAtom           *self,
                                     double              value);
void      isle_atom_set_string      (IsleAtom           *self,
                                     const char         *value);
gboolean  isle_atom_update          (IsleAtom           *self,
                                     IsleAtomUpdateFunc  func,
                                     gpointer            user_data,
                                     GError            **error);
int       isle_atom_add_int         (IsleAtom           *self,
                                     int                 delta);
gint64    isle_atom_add_int64       (IsleAtom           *self,
                                     gint64              delta);
double    isle_atom_add_double      (IsleAtom           *self,
                                     double              delta);
gboolean  isle_atom_toggle          (IsleAtom           *self);
void      isle_atom_set_filter      (IsleAtom           *self,
                                     IsleAtomFilter      filter,
                                     gpointer            user_data,
                                     GDestroyNotify      destroy);

G_END_DECLS
