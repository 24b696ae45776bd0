/* isle-island.h
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (ISLE_INSIDE) && !defined (ISLE_COMPILATION)
#error "Only <isle.h> can be included directly."
#endif

#include <gtk/gtk.h>

#include "isle-stores.h"

G_BEGIN_DECLS

/**
 * IsleActivation:
 * @ISLE_ACTIVATION_LOAD: set up when constructed
 * @ISLE_ACTIVATION_IDLE: set up at the next idle moment of the main loop
 * @ISLE_ACTIVATION_VISIBLE: set up the first time the island is mapped
 * @ISLE_ACTIVATION_WHEN: set up the first time [property@Isle.Island:condition]
 *   is %TRUE
 *
 * When an island sets itself up, like Astro's `client:` directives.
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_ACTIVATION_LOAD,
  ISLE_ACTIVATION_IDLE,
  ISLE_ACTIVATION_VISIBLE,
  ISLE_ACTIVATION_WHEN,
} IsleActivation;

/**
 * IsleIslandPhase:
 * @ISLE_ISLAND_PHASE_WAITING: not activated yet; the placeholder shows
 * @ISLE_ISLAND_PHASE_LOADING: a deferred island computes its content; the
 *   fallback shows
 * @ISLE_ISLAND_PHASE_ACTIVE: set up; its content shows
 * @ISLE_ISLAND_PHASE_FAILED: a callback of the island failed; an error
 *   placeholder with the message shows
 *
 * Where an island is in its life.
 *
 * Since: 1.0
 */
typedef enum {
  ISLE_ISLAND_PHASE_WAITING,
  ISLE_ISLAND_PHASE_LOADING,
  ISLE_ISLAND_PHASE_ACTIVE,
  ISLE_ISLAND_PHASE_FAILED,
} IsleIslandPhase;

#define ISLE_TYPE_ACTIVATION (isle_activation_get_type ())
#define ISLE_TYPE_ISLAND_PHASE (isle_island_phase_get_type ())
GType isle_activation_get_type   (void) G_GNUC_CONST;
GType isle_island_phase_get_type (void) G_GNUC_CONST;

#define ISLE_TYPE_ISLAND (isle_island_get_type ())

G_DECLARE_DERIVABLE_TYPE (IsleIsland, isle_island, ISLE, ISLAND, GtkWidget)

/**
 * IsleIslandClass:
 * @parent_class: the parent class
 * @setup: builds the island: its states, effects and child. Runs once, at
 *   activation, with the island's graph ready.
 *
 * The class of [class@Isle.Island]; override @setup in a subclass.
 *
 * Since: 1.0
 */
/**
 * IsleIslandClass::setup:
 * @self: the island
 *
 * Builds the island: its states, deriveds, effects and child. Runs once,
 * when the island activates, with its graph ready; nodes created here are
 * owned by the island's graph.
 *
 * Since: 1.0
 */
struct _IsleIslandClass
{
  GtkWidgetClass parent_class;

  void (*setup) (IsleIsland *self);

  /*< private >*/
  gpointer padding[8];
};

/**
 * IsleBindTransform:
 * @from: the value of the state or derived
 * @to: a value initialized to the type of the target property; set it
 * @user_data: (closure): the data given with the transform
 *
 * Turns a node's value into a property's value for a binding.
 *
 * Returns: %TRUE if @to was set, %FALSE to leave the property as it is
 *
 * Since: 1.0
 */
typedef gboolean (*IsleBindTransform) (const GValue *from,
                                       GValue       *to,
                                       gpointer      user_data);

/**
 * IsleIslandAction:
 * @island: the island
 * @user_data: (closure): the data given with the action
 *
 * Runs when the signal connected with [method@Isle.Island.connect_action]
 * is emitted.
 *
 * Since: 1.0
 */
typedef void (*IsleIslandAction) (IsleIsland *island,
                                  gpointer    user_data);

/**
 * IsleDeferredFunc:
 * @snapshot: a dictionary (“a{sv}”) of the values of the stores the island
 *   named, taken on the main thread when it activated
 * @cancellable: cancelled if the island goes away first
 * @user_data: (closure): the data given with the function
 * @error: return location for a #GError
 *
 * Computes the content of a deferred island, in a worker thread. It must
 * not touch widgets or stores: everything it needs is in @snapshot.
 *
 * Returns: (transfer full) (nullable): the content's data, or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
typedef GVariant *(*IsleDeferredFunc) (GVariant      *snapshot,
                                       GCancellable  *cancellable,
                                       gpointer       user_data,
                                       GError       **error);

/**
 * IsleDeferredBuildFunc:
 * @island: the island
 * @data: what the #IsleDeferredFunc returned
 * @user_data: (closure): the data given with the function
 *
 * Builds the widget that shows a deferred island's content, on the main
 * thread.
 *
 * Returns: (transfer full): the content widget
 *
 * Since: 1.0
 */
typedef GtkWidget *(*IsleDeferredBuildFunc) (IsleIsland *island,
                                             GVariant   *data,
                                             gpointer    user_data);

/**
 * IsleIslandSetupFunc:
 * @island: the island being set up
 * @user_data: (closure): the data given with the function
 *
 * Builds an island created with [ctor@Isle.Island.new_with_setup].
 *
 * Since: 1.0
 */
typedef void (*IsleIslandSetupFunc) (IsleIsland *island,
                                     gpointer    user_data);

/**
 * IsleIslandEffectFunc:
 * @island: the island whose effect runs
 * @user_data: (closure): the data given with the function
 * @error: return location for a #GError
 *
 * The function of an effect made with [method@Isle.Island.add_effect]:
 * it gets the island, and finds the nodes it reads by their names.
 *
 * Returns: %TRUE on success, %FALSE with @error set on failure
 *
 * Since: 1.0
 */
typedef gboolean (*IsleIslandEffectFunc) (IsleIsland  *island,
                                          gpointer     user_data,
                                          GError     **error);

GtkWidget       *isle_island_new               (IsleActivation         activation);
GtkWidget       *isle_island_new_with_setup    (IsleActivation         activation,
                                                IsleIslandSetupFunc    setup,
                                                gpointer               user_data,
                                                GDestroyNotify         destroy);

IsleGraph       *isle_island_get_graph         (IsleIsland            *self);
GtkWidget       *isle_island_get_child         (IsleIsland            *self);
void             isle_island_set_child         (IsleIsland            *self,
                                                GtkWidget             *child);
GtkWidget       *isle_island_get_placeholder   (IsleIsland            *self);
void             isle_island_set_placeholder   (IsleIsland            *self,
                                                GtkWidget             *placeholder);
IsleActivation   isle_island_get_activation    (IsleIsland            *self);
void             isle_island_set_activation    (IsleIsland            *self,
                                                IsleActivation         activation);
gboolean         isle_island_get_condition     (IsleIsland            *self);
void             isle_island_set_condition     (IsleIsland            *self,
                                                gboolean               condition);
IsleIslandPhase  isle_island_get_phase         (IsleIsland            *self);
const GError    *isle_island_get_error         (IsleIsland            *self);
void             isle_island_fail              (IsleIsland            *self,
                                                const char            *message);
void             isle_island_activate          (IsleIsland            *self);
const char      *isle_island_get_store_name    (IsleIsland            *self);
void             isle_island_set_store_name    (IsleIsland            *self,
                                                const char            *store_name);
const char      *isle_island_get_format        (IsleIsland            *self);
void             isle_island_set_format        (IsleIsland            *self,
                                                const char            *format);
const char      *isle_island_get_text          (IsleIsland            *self);

IsleState       *isle_island_use_atom          (IsleIsland            *self,
                                                IsleAtom              *atom);
IsleState       *isle_island_use_store         (IsleIsland            *self,
                                                IsleStore             *store);
void             isle_island_bind_state        (IsleIsland            *self,
                                                IsleState             *state,
                                                gpointer               object,
                                                const char            *property,
                                                IsleBindTransform      transform,
                                                gpointer               user_data,
                                                GDestroyNotify         destroy);
void             isle_island_bind_derived      (IsleIsland            *self,
                                                IsleDerived           *derived,
                                                gpointer               object,
                                                const char            *property,
                                                IsleBindTransform      transform,
                                                gpointer               user_data,
                                                GDestroyNotify         destroy);
void             isle_island_bind_state_closure   (IsleIsland         *self,
                                                   IsleState          *state,
                                                   gpointer            object,
                                                   const char         *property,
                                                   GClosure           *transform);
void             isle_island_bind_derived_closure (IsleIsland         *self,
                                                   IsleDerived        *derived,
                                                   gpointer            object,
                                                   const char         *property,
                                                   GClosure           *transform);
void             isle_island_bind_state_format    (IsleIsland         *self,
                                                   IsleState          *state,
                                                   gpointer            object,
                                                   const char         *property,
                                                   const char         *format);
void             isle_island_bind_derived_format  (IsleIsland         *self,
                                                   IsleDerived        *derived,
                                                   gpointer            object,
                                                   const char         *property,
                                                   const char         *format);
IsleEffect      *isle_island_add_effect        (IsleIsland            *self,
                                                const char            *name,
                                                IsleIslandEffectFunc   func,
                                                gpointer               user_data,
                                                GDestroyNotify         destroy);
IsleEffect      *isle_island_add_effect_closure (IsleIsland           *self,
                                                 const char           *name,
                                                 GClosure             *closure);
IsleState       *isle_island_lookup_state      (IsleIsland            *self,
                                                const char            *name);
IsleDerived     *isle_island_lookup_derived    (IsleIsland            *self,
                                                const char            *name);
gulong           isle_island_connect_action    (IsleIsland            *self,
                                                gpointer               instance,
                                                const char            *detailed_signal,
                                                IsleIslandAction       action,
                                                gpointer               user_data,
                                                GDestroyNotify         destroy);

void             isle_island_set_deferred      (IsleIsland            *self,
                                                const char * const    *store_names,
                                                IsleDeferredFunc       func,
                                                gpointer               func_data,
                                                GDestroyNotify         func_destroy,
                                                IsleDeferredBuildFunc  build,
                                                gpointer               build_data,
                                                GDestroyNotify         build_destroy);

G_END_DECLS
