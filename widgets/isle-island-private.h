/* isle-island-private.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* What the island's own files share, and nothing more: the instance data
 * and the few calls between isle-island.c and its bridge, bindings and
 * deferred parts. Only isle-island*.c include it. */

#include "isle-island.h"

G_BEGIN_DECLS

typedef struct
{
  IsleStore *store;
  guint      handle;
} Subscription;

/* A deferred island's job: see isle-island-deferred.c. */
typedef struct _DeferredJob DeferredJob;

typedef struct
{
  IsleGraph             *graph;

  GtkWidget             *child;
  GtkWidget             *placeholder;
  GtkWidget             *fallback;
  GtkWidget             *error_view;

  IsleActivation         activation;
  IsleIslandPhase        phase;
  GError                *error;
  guint                  condition : 1;
  guint                  activated : 1;
  guint                  constructed : 1;
  guint                  disposed : 1;
  guint                  placeholder_set : 1;  /* by isle_island_set_placeholder () */

  guint                  activate_idle;
  guint                  flush_idle;
  GdkFrameClock         *frame_clock;

  /* isle_island_new_with_setup (): called by the class's setup, which
   * costs no closure and no handler per island */
  IsleIslandSetupFunc    setup_func;
  gpointer               setup_data;
  GDestroyNotify         setup_destroy;

  GArray                *subscriptions;  /* Subscription, or NULL before the first */
  GPtrArray             *connections;    /* Connection, on the heap: a GWeakRef cannot move; or NULL */

  char                 **deferred_stores;
  DeferredJob           *deferred_job;
  IsleDeferredBuildFunc  build;
  gpointer               build_data;
  GDestroyNotify         build_destroy;
  GCancellable          *cancellable;

  /* isle-island-text.c: the store a template names, shown as text */
  char                  *store_name;
  char                  *format;
  char                  *text;
  IsleStore             *text_store;
  guint                  text_handle;
} IsleIslandPrivate;

IsleIslandPrivate *_isle_island_get_private        (IsleIsland      *self);
void               _isle_island_set_phase          (IsleIsland      *self,
                                                    IsleIslandPhase  phase);
void               _isle_island_show_failure       (IsleIsland      *self,
                                                    const GError    *error);

char              *_isle_island_dup_default_name   (IsleIsland      *self);

/* isle-island-bridge.c */
void               _isle_island_drop_subscriptions (IsleIsland      *self);

/* isle-island-bindings.c */
void               _isle_island_connection_free    (gpointer         data);

/* isle-island-text.c */
void               _isle_island_clear_text         (IsleIsland      *self);
void               _isle_island_notify_text        (IsleIsland      *self);

/* isle-expression.c */
void               _isle_value_set_from_variant    (GValue          *value,
                                                    GVariant        *variant);

/* isle-island-deferred.c */
void               _isle_island_start_deferred     (IsleIsland      *self);
void               _isle_island_dispose_deferred   (IsleIsland      *self);

G_END_DECLS
