/* isle-types.h: the types shared by every part of the signal engine
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> or <isle-stores.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _IsleState   IsleState;
typedef struct _IsleDerived IsleDerived;
typedef struct _IsleEffect  IsleEffect;

/**
 * IsleDeriveFunc:
 * @self: the derived being computed
 * @value: (out caller-allocates): a value already initialized to the derived's
 *   value type, holding that type's default; store the result in it
 * @user_data: (closure): the data given when the derived was created
 * @error: return location for a #GError
 *
 * Computes the value of an [struct@Isle.Derived].
 *
 * Every state and derived read while the function runs becomes a dependency
 * of @self; dependencies are collected anew on every run, so a branch that
 * is not taken drops its dependencies.
 *
 * Returns: %TRUE on success; %FALSE (with @error set) if the computation
 *   failed, in which case the derived keeps its last good value
 *
 * Since: 1.0
 */
typedef gboolean (*IsleDeriveFunc) (IsleDerived  *self,
                                    GValue       *value,
                                    gpointer      user_data,
                                    GError      **error);

/**
 * IsleEffectFunc:
 * @self: the effect being run
 * @user_data: (closure): the data given when the effect was created
 * @error: return location for a #GError
 *
 * The body of an [struct@Isle.Effect].
 *
 * Every state and derived read while the function runs becomes a
 * dependency of @self. Nodes created while it runs are owned by @self and
 * disposed before its next run.
 *
 * Returns: %TRUE on success; %FALSE (with @error set) if the run failed
 *
 * Since: 1.0
 */
typedef gboolean (*IsleEffectFunc) (IsleEffect  *self,
                                    gpointer     user_data,
                                    GError     **error);

/**
 * IsleCleanupFunc:
 * @user_data: (closure): the data given with the cleanup
 *
 * A cleanup registered with [method@Isle.Effect.add_cleanup].
 *
 * Since: 1.0
 */
typedef void (*IsleCleanupFunc) (gpointer user_data);

/**
 * IsleEqualFunc:
 * @a: a value
 * @b: another value of the same type
 * @user_data: (closure): the data given with the function
 *
 * Decides whether two values of a state or derived are equal. A write or
 * recomputation that produces a value equal to the current one changes
 * nothing and notifies nobody.
 *
 * Returns: %TRUE if @a and @b are equal
 *
 * Since: 1.0
 */
typedef gboolean (*IsleEqualFunc) (const GValue *a,
                                   const GValue *b,
                                   gpointer      user_data);

/**
 * IsleGraphFunc:
 * @user_data: (closure): the data given with the function
 *
 * A function run by [method@Isle.Graph.batch] or [method@Isle.Graph.untrack].
 *
 * Since: 1.0
 */
typedef void (*IsleGraphFunc) (gpointer user_data);

G_END_DECLS
