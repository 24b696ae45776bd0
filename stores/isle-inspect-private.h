/* isle-inspect-private.h: the hooks the engine and the stores call
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _IsleNode        IsleNode;
typedef struct _IsleComputation IsleComputation;
typedef struct _IsleStore       IsleStore;

/* Non-zero while anything looks (an observer, ISLE_DEBUG=trace, the
 * runaway probe): the only thing the hot paths test. A relaxed load is a
 * plain move, and the branch is always predicted (nobody looks). Hidden:
 * the move reads it where it is, not through the GOT first. */
G_GNUC_INTERNAL extern int _isle_inspect_active;

#define ISLE_INSPECTING() \
  G_UNLIKELY (__atomic_load_n (&_isle_inspect_active, __ATOMIC_RELAXED) != 0)

/* The hooks are cold: the compiler keeps their calls out of the hot
 * paths' code, so that a hook costs the engine its test and nothing else
 * (no register kept for it, no spill). */
#define ISLE_INSPECT_HOOK __attribute__ ((cold))

void   _isle_inspect_init             (void);

/* The engine's hooks: called only when ISLE_INSPECTING (). */
ISLE_INSPECT_HOOK
void   _isle_inspect_node_created     (IsleNode        *node);
ISLE_INSPECT_HOOK
void   _isle_inspect_node_disposed    (IsleNode        *node);
ISLE_INSPECT_HOOK
void   _isle_inspect_value_changed    (IsleNode        *node,
                                       const GValue    *old_value,
                                       const GValue    *new_value);
ISLE_INSPECT_HOOK
void   _isle_inspect_will_run         (IsleComputation *computation);
ISLE_INSPECT_HOOK
void   _isle_inspect_node_failed      (IsleNode        *node,
                                       const GError    *error);

/* The runaway probe (not gated: a runaway effect is rare). */
void   _isle_inspect_probe_begin      (IsleComputation *effect);
void   _isle_inspect_probe_end        (IsleComputation *effect);
char  *_isle_inspect_dup_loop         (IsleComputation *effect);

/* The stores' hooks: called only when ISLE_INSPECTING (). */
ISLE_INSPECT_HOOK
void   _isle_inspect_store_changed    (IsleStore       *store,
                                       GVariant        *old_value,
                                       GVariant        *new_value);
ISLE_INSPECT_HOOK
char  *_isle_inspect_cause_push       (IsleStore       *store,
                                       const char      *key,
                                       GVariant        *old_value,
                                       GVariant        *new_value);
ISLE_INSPECT_HOOK
void   _isle_inspect_cause_pop        (char            *prev_cause);
ISLE_INSPECT_HOOK
void   _isle_inspect_store_lifecycle  (IsleStore       *store,
                                       gboolean         started);

G_END_DECLS
