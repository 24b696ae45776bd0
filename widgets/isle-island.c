/* isle-island.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The island widget itself: its child slots and phases, activation,
 * flushing its graph on the frame clock, and the GObject plumbing. The
 * bridge, the bindings and deferred islands are in isle-island-*.c. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "isle-island.h"
#include "isle-island-private.h"
#include "isle-node-private.h"

/**
 * IsleIsland:
 *
 * One pane of a window that owns its own signal graph: an island.
 *
 * An island has one child and an [class@Isle.Graph]. Its setup (the
 * [vfunc@Isle.Island.setup] virtual function, or the
 * [signal@Isle.Island::setup] signal for islands built without
 * subclassing) creates its states, deriveds and effects and its child.
 * Islands never reference each other: they meet only through atoms, which
 * [method@Isle.Island.use_atom] mirrors into the island's graph.
 *
 * ```c
 * static void
 * badge_setup_cb (IsleIsland *island, gpointer user_data)
 * {
 *   IsleState *count = isle_island_use_atom (island, cart_count);
 *   GtkWidget *label = gtk_label_new (NULL);
 *
 *   isle_island_bind_state (island, count, label, "label", int_to_text, NULL, NULL);
 *   isle_island_set_child (island, label);
 * }
 * ```
 *
 * The island's effects run on its frame clock, in the update phase before
 * layout and paint: many writes in one main-loop turn give one run and one
 * repaint, and a user never sees a half-updated pane. An island that is
 * not mapped flushes from an idle instead.
 *
 * [property@Isle.Island:activation] says when the island sets itself up:
 * at once, at idle, when first shown, or when
 * [property@Isle.Island:condition] first holds; until then it shows its
 * placeholder. A *deferred* island ([method@Isle.Island.set_deferred])
 * computes its content in a worker thread from a snapshot of the stores it
 * names, shows a spinner meanwhile, and then a static view of the result.
 *
 * An island is an error boundary: when one of its callbacks fails, it
 * shows an error placeholder with the message, and its siblings go on.
 * Disposing an island disposes its graph and drops every atom
 * subscription it held, so nothing ever calls into a freed island.
 *
 * Since: 1.0
 */

G_DEFINE_TYPE_WITH_PRIVATE (IsleIsland, isle_island, GTK_TYPE_WIDGET)

IsleIslandPrivate *
_isle_island_get_private (IsleIsland *self)
{
  return isle_island_get_instance_private (self);
}

G_DEFINE_ENUM_TYPE (IsleActivation, isle_activation,
  G_DEFINE_ENUM_VALUE (ISLE_ACTIVATION_LOAD, "load"),
  G_DEFINE_ENUM_VALUE (ISLE_ACTIVATION_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (ISLE_ACTIVATION_VISIBLE, "visible"),
  G_DEFINE_ENUM_VALUE (ISLE_ACTIVATION_WHEN, "when"))

G_DEFINE_ENUM_TYPE (IsleIslandPhase, isle_island_phase,
  G_DEFINE_ENUM_VALUE (ISLE_ISLAND_PHASE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (ISLE_ISLAND_PHASE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (ISLE_ISLAND_PHASE_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (ISLE_ISLAND_PHASE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_CHILD,
  PROP_PLACEHOLDER,
  PROP_ACTIVATION,
  PROP_CONDITION,
  PROP_PHASE,
  PROP_STORE_NAME,
  PROP_FORMAT,
  PROP_TEXT,
  N_PROPS
};

enum {
  SETUP,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];

/* Set by isle_island_new_with_setup () around its g_object_new (), read
 * (and cleared) by that island's constructed (): its activation comes
 * after, so whether it waits is not known there yet. Widgets are made on
 * GTK's thread only. */
static gboolean holding_back;
static guint signals[N_SIGNALS];

/* Showing the right child {{{ */

/* Shows the child of @phase and hides the others. */
static void
show_phase_child (IsleIsland      *self,
                  IsleIslandPhase  phase)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);
  GtkWidget *shown;

  switch (phase)
    {
    case ISLE_ISLAND_PHASE_LOADING:
      shown = priv->fallback;
      break;

    case ISLE_ISLAND_PHASE_ACTIVE:
      shown = priv->child;
      break;

    case ISLE_ISLAND_PHASE_FAILED:
      shown = priv->error_view;
      break;

    case ISLE_ISLAND_PHASE_WAITING:
    default:
      shown = priv->placeholder;
      break;
    }

  /* Hidden, not just child-invisible: out of measuring and out of the
   * accessibility tree. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_visible (child, child == shown);

  if (priv->fallback != NULL)
    gtk_spinner_set_spinning (GTK_SPINNER (priv->fallback), phase == ISLE_ISLAND_PHASE_LOADING);

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The default placeholder and fallback are made when first shown (or
 * asked for): most islands are activated at once and never show either,
 * and two more widgets each cost an island 5.7 KB of heap and their share
 * of every style and layout pass. */
static void
adopt_child (IsleIsland  *self,
             GtkWidget  **slot,
             GtkWidget   *widget)
{
  *slot = g_object_ref_sink (widget);
  gtk_widget_set_parent (widget, GTK_WIDGET (self));
}

/* Makes the default placeholder unless there is one (or one was set);
 * TRUE when it did. */
static gboolean
ensure_placeholder (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (priv->placeholder != NULL || priv->placeholder_set || priv->disposed)
    return FALSE;

  adopt_child (self, &priv->placeholder, gtk_label_new (NULL));
  return TRUE;
}

static void
ensure_fallback (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);
  GtkWidget *fallback;

  if (priv->fallback != NULL || priv->disposed)
    return;

  fallback = gtk_spinner_new ();
  gtk_widget_set_halign (fallback, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (fallback, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (fallback),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading…"),
                                  -1);
  adopt_child (self, &priv->fallback, fallback);
}

void
_isle_island_set_phase (IsleIsland      *self,
                        IsleIslandPhase  phase)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (priv->disposed)
    return;

  if (phase == ISLE_ISLAND_PHASE_WAITING)
    ensure_placeholder (self);
  else if (phase == ISLE_ISLAND_PHASE_LOADING)
    ensure_fallback (self);

  show_phase_child (self, phase);

  if (priv->phase == phase)
    return;

  priv->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PHASE]);
}

/* A slot holds a reference of its own besides the parent-child link: a
 * template's gtk_widget_dispose_template() may unparent the child before
 * the island's own dispose runs, and the slot must not dangle then. */
static void
clear_slot (IsleIsland  *self,
            GtkWidget  **slot)
{
  GtkWidget *widget = *slot;

  if (widget == NULL)
    return;

  *slot = NULL;
  if (gtk_widget_get_parent (widget) == GTK_WIDGET (self))
    gtk_widget_unparent (widget);
  g_object_unref (widget);
}

static void
replace_child (IsleIsland  *self,
               GtkWidget  **slot,
               GtkWidget   *widget)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (*slot == widget)
    return;

  if (widget != NULL)
    g_return_if_fail (gtk_widget_get_parent (widget) == NULL);

  clear_slot (self, slot);

  if (widget != NULL)
    adopt_child (self, slot, widget);

  if (!priv->disposed)
    show_phase_child (self, priv->phase);
}

void
_isle_island_show_failure (IsleIsland   *self,
                           const GError *error)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (priv->disposed)
    return;

  g_clear_error (&priv->error);
  priv->error = g_error_copy (error);

  /* Translators: shown in place of a pane whose code failed; %s is the
   * technical reason. */
  text = g_strdup_printf (_("This part of the window stopped working: %s"), error->message);
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "isle-error");
  replace_child (self, &priv->error_view, label);

  _isle_island_set_phase (self, ISLE_ISLAND_PHASE_FAILED);
}

static void
graph_failed_cb (IsleGraph    *graph,
                 const GError *error,
                 gpointer      user_data)
{
  _isle_island_show_failure (user_data, error);
}

/* }}} */

/* Flushing on the frame clock {{{ */

/* One queue per frame clock: the graphs of its islands with work for its
 * next update phase, flushed from one handler. A frame costs what changed,
 * not one signal handler per island on the window, and a burst of changes
 * asks the clock for its update phase once.
 *
 * The queue holds graphs, not islands: a mapped island hands its graph the
 * queue as its scheduler, so that a change reaching thousands of islands
 * touches, for each, only the graph it writes anyway, not the island
 * widget as well (a window of ten thousand islands is far larger than the
 * processor's caches, and each cache line an island's update reads is one
 * more trip to memory per island). A graph is in the queue for as long as
 * it asked this queue for a flush and has not been flushed since: entries
 * of graphs flushed some other way, or handed to another scheduler (the
 * island was unmapped, or disposed), are skipped. The queue holds a
 * reference on each graph in it. */
typedef struct
{
  GPtrArray     *graphs;       /* IsleGraph, owned */
  GPtrArray     *batch;        /* the graphs being flushed */
  GdkFrameClock *frame_clock;  /* not owned: the queue is its data */
  gboolean       dispatching;
} FrameQueue;

/* Islands queued by the flushes of others (an effect that sets an atom)
 * are flushed in the same frame, up to this many rounds; the rest wait for
 * the next frame, so that two islands feeding each other cannot hold the
 * frame clock. */
#define FRAME_QUEUE_MAX_ROUNDS 16

static void frame_schedule_cb (IsleGraph *graph,
                               gpointer   user_data);

static void
frame_queue_free (gpointer data)
{
  FrameQueue *queue = data;

  g_ptr_array_unref (queue->graphs);
  g_ptr_array_unref (queue->batch);
  g_free (queue);
}

/* Whether @graph still waits for a flush from @queue. */
static inline gboolean
frame_queue_holds (FrameQueue *queue,
                   IsleGraph  *graph)
{
  return _isle_graph_is_scheduled_by (graph, frame_schedule_cb, queue);
}

static void
frame_queue_update_cb (GdkFrameClock *frame_clock,
                       FrameQueue    *queue)
{
  queue->dispatching = TRUE;

  for (guint round = 0; round < FRAME_QUEUE_MAX_ROUNDS && queue->graphs->len > 0; round++)
    {
      GPtrArray *batch = queue->graphs;

      queue->graphs = queue->batch;
      queue->batch = batch;

      for (guint i = 0; i < batch->len; i++)
        {
          IsleGraph *graph = g_ptr_array_index (batch, i);

          /* Flushed, unmapped or disposed since: not this queue's any
           * more. */
          if (frame_queue_holds (queue, graph))
            isle_graph_flush (graph);
        }

      g_ptr_array_set_size (batch, 0);
    }

  queue->dispatching = FALSE;

  if (queue->graphs->len > 0)
    gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_UPDATE);
}

static FrameQueue *
frame_queue_get (GdkFrameClock *frame_clock)
{
  static GQuark quark;
  FrameQueue *queue;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("isle-island-frame-queue");

  queue = g_object_get_qdata (G_OBJECT (frame_clock), quark);
  if (queue != NULL)
    return queue;

  queue = g_new0 (FrameQueue, 1);
  queue->graphs = g_ptr_array_new_with_free_func (g_object_unref);
  queue->batch = g_ptr_array_new_with_free_func (g_object_unref);
  queue->frame_clock = frame_clock;
  g_object_set_qdata_full (G_OBJECT (frame_clock), quark, queue, frame_queue_free);
  g_signal_connect (frame_clock, "update", G_CALLBACK (frame_queue_update_cb), queue);

  return queue;
}

/* The scheduler of a mapped island's graph: the graph asks once, when its
 * first effect of a flush is queued (see schedule_flush ()). */
static void
frame_schedule_cb (IsleGraph *graph,
                   gpointer   user_data)
{
  FrameQueue *queue = user_data;

  g_ptr_array_add (queue->graphs, g_object_ref (graph));

  /* The first of a frame asks for it; during the update phase, the
   * dispatch takes the newcomers in a round of their own. */
  if (queue->graphs->len == 1 && !queue->dispatching)
    gdk_frame_clock_request_phase (queue->frame_clock, GDK_FRAME_CLOCK_PHASE_UPDATE);
}

static gboolean
flush_idle_cb (gpointer user_data)
{
  IsleIsland *self = user_data;
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  priv->flush_idle = 0;
  isle_graph_flush (priv->graph);

  return G_SOURCE_REMOVE;
}

/* The scheduler of an island that is not mapped: no frames come; before
 * GTK's layout and paint. */
static void
idle_schedule_cb (IsleGraph *graph,
                  gpointer   user_data)
{
  IsleIsland *self = user_data;
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (priv->flush_idle == 0)
    priv->flush_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, flush_idle_cb, self, NULL);
}

static void
attach_frame_clock (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (frame_clock == NULL || frame_clock == priv->frame_clock)
    return;

  g_set_object (&priv->frame_clock, frame_clock);

  /* What is pending is queued for the clock's next update phase. */
  _isle_graph_set_scheduler (priv->graph, frame_schedule_cb, frame_queue_get (frame_clock));
}

static void
detach_frame_clock (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (priv->frame_clock == NULL)
    return;

  /* Whatever was waiting for a frame now waits for an idle (the queue
   * skips the graph from now on). */
  _isle_graph_set_scheduler (priv->graph, idle_schedule_cb, self);
  g_clear_object (&priv->frame_clock);
}

/* }}} */

/* Activation {{{ */

/**
 * isle_island_activate:
 * @self: an island
 *
 * Sets @self up now, whatever its activation mode: runs its setup (or, for
 * a deferred island, starts computing its content). Activating twice does
 * nothing.
 *
 * Since: 1.0
 */
void
isle_island_activate (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_if_fail (ISLE_IS_ISLAND (self));

  if (priv->activated || priv->disposed)
    return;

  priv->activated = TRUE;
  g_clear_handle_id (&priv->activate_idle, g_source_remove);

  if (priv->deferred_job != NULL)
    {
      _isle_island_start_deferred (self);
      return;
    }

  g_object_ref (self);

  _isle_island_set_phase (self, ISLE_ISLAND_PHASE_ACTIVE);
  g_signal_emit (self, signals[SETUP], 0);

  /* A failure during setup already showed the error placeholder. */
  if (priv->error != NULL)
    _isle_island_set_phase (self, ISLE_ISLAND_PHASE_FAILED);

  g_object_unref (self);
}

/* The class's setup: runs the function of isle_island_new_with_setup ()
 * (before the handlers of ::setup, as its handler did). */
static void
isle_island_real_setup (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (priv->setup_func != NULL)
    priv->setup_func (self, priv->setup_data);
}

static gboolean
activate_idle_cb (gpointer user_data)
{
  IsleIsland *self = user_data;
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  priv->activate_idle = 0;
  isle_island_activate (self);

  return G_SOURCE_REMOVE;
}

static void
maybe_activate (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  if (priv->activated || priv->disposed)
    return;

  switch (priv->activation)
    {
    case ISLE_ACTIVATION_LOAD:
      isle_island_activate (self);
      break;

    case ISLE_ACTIVATION_IDLE:
      if (priv->activate_idle == 0)
        priv->activate_idle = g_idle_add (activate_idle_cb, self);
      break;

    case ISLE_ACTIVATION_VISIBLE:
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        isle_island_activate (self);
      break;

    case ISLE_ACTIVATION_WHEN:
      if (priv->condition)
        isle_island_activate (self);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* }}} */

void
_isle_island_notify_text (IsleIsland *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TEXT]);
}

/* Names {{{ */

/* The graph is named after the island, so that every message names the
 * pane: its widget name if it was given one, else its type (for a Python
 * class, PyGObject's “module+Class” without the module). */
char *
_isle_island_dup_default_name (IsleIsland *self)
{
  const char *type_name = G_OBJECT_TYPE_NAME (self);
  const char *widget_name = gtk_widget_get_name (GTK_WIDGET (self));
  const char *plus = strrchr (type_name, '+');

  if (plus != NULL && plus[1] != '\0')
    type_name = plus + 1;

  /* Without a name of its own, a widget's name is its type's. */
  if (widget_name == NULL || *widget_name == '\0' ||
      g_strcmp0 (widget_name, G_OBJECT_TYPE_NAME (self)) == 0)
    return g_strdup (type_name);

  return g_strdup (widget_name);
}

static void
name_changed_cb (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);
  g_autofree char *name = NULL;

  if (priv->graph == NULL)
    return;

  name = _isle_island_dup_default_name (self);
  isle_graph_set_name (priv->graph, name);
}

/* }}} */

/* GObject and GtkWidget {{{ */

/* The widget name names the graph: one check in the class's notify, not a
 * notify::name handler (and its closure) on every island. */
static void
isle_island_notify (GObject    *object,
                    GParamSpec *pspec)
{
  static GParamSpec *name_pspec;

  if (G_UNLIKELY (name_pspec == NULL))
    name_pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), "name");

  if (pspec == name_pspec)
    name_changed_cb (ISLE_ISLAND (object));

  if (G_OBJECT_CLASS (isle_island_parent_class)->notify != NULL)
    G_OBJECT_CLASS (isle_island_parent_class)->notify (object, pspec);
}

/* Measuring and allocating {{{ */

/* What GtkBinLayout does, without a layout manager object per island and
 * its call in every measure and allocation: every shown child (there is
 * one, the others are hidden) gets the whole island, and the island asks
 * for the size the shown child asks for, in the shown child's way
 * (height-for-width for a wrapping label). */
static GtkSizeRequestMode
isle_island_get_request_mode (GtkWidget *widget)
{
  int hfw = 0, wfh = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_should_layout (child))
        continue;

      switch (gtk_widget_get_request_mode (child))
        {
        case GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH:
          hfw++;
          break;

        case GTK_SIZE_REQUEST_WIDTH_FOR_HEIGHT:
          wfh++;
          break;

        case GTK_SIZE_REQUEST_CONSTANT_SIZE:
        default:
          break;
        }
    }

  if (hfw == 0 && wfh == 0)
    return GTK_SIZE_REQUEST_CONSTANT_SIZE;

  return wfh > hfw ? GTK_SIZE_REQUEST_WIDTH_FOR_HEIGHT : GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
isle_island_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0;
      int child_min_baseline = -1, child_nat_baseline = -1;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, orientation, for_size,
                          &child_min, &child_nat,
                          &child_min_baseline, &child_nat_baseline);

      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);

      if (child_min_baseline > -1)
        *minimum_baseline = MAX (*minimum_baseline, child_min_baseline);
      if (child_nat_baseline > -1)
        *natural_baseline = MAX (*natural_baseline, child_nat_baseline);
    }
}

static void
isle_island_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_should_layout (child))
        gtk_widget_allocate (child, width, height, baseline, NULL);
    }
}

/* }}} */

static void
isle_island_constructed (GObject *object)
{
  IsleIsland *self = ISLE_ISLAND (object);
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  G_OBJECT_CLASS (isle_island_parent_class)->constructed (object);

  /* In instance init the type is still IsleIsland's; now it is the real one. */
  name_changed_cb (self);

  priv->constructed = TRUE;
  maybe_activate (self);

  /* Not activated at once: the placeholder shows until it is (for
   * isle_island_new_with_setup (), once its activation is set). */
  if (holding_back)
    holding_back = FALSE;
  else if (priv->phase == ISLE_ISLAND_PHASE_WAITING)
    _isle_island_set_phase (self, ISLE_ISLAND_PHASE_WAITING);
}

static void
isle_island_map (GtkWidget *widget)
{
  IsleIsland *self = ISLE_ISLAND (widget);

  GTK_WIDGET_CLASS (isle_island_parent_class)->map (widget);

  attach_frame_clock (self);
  maybe_activate (self);
}

static void
isle_island_unmap (GtkWidget *widget)
{
  detach_frame_clock (ISLE_ISLAND (widget));

  GTK_WIDGET_CLASS (isle_island_parent_class)->unmap (widget);
}

static void
isle_island_dispose (GObject *object)
{
  IsleIsland *self = ISLE_ISLAND (object);
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  priv->disposed = TRUE;

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);

  g_clear_handle_id (&priv->activate_idle, g_source_remove);
  /* Detaching may hand pending effects to an idle: remove that after. */
  detach_frame_clock (self);
  g_clear_handle_id (&priv->flush_idle, g_source_remove);

  /* Atoms first: no change may reach the graph while it goes. */
  _isle_island_drop_subscriptions (self);
  _isle_island_clear_text (self);

  if (priv->connections != NULL)
    g_ptr_array_set_size (priv->connections, 0);

  if (priv->graph != NULL)
    {
      _isle_graph_set_failure_func (priv->graph, NULL, NULL);
      _isle_graph_set_scheduler (priv->graph, NULL, NULL);
      isle_graph_dispose_nodes (priv->graph);
      g_clear_object (&priv->graph);
    }

  clear_slot (self, &priv->child);
  clear_slot (self, &priv->placeholder);
  clear_slot (self, &priv->fallback);
  clear_slot (self, &priv->error_view);

  _isle_island_dispose_deferred (self);

  priv->setup_func = NULL;
  if (priv->setup_destroy != NULL)
    g_clear_pointer (&priv->setup_data, priv->setup_destroy);
  priv->setup_destroy = NULL;

  G_OBJECT_CLASS (isle_island_parent_class)->dispose (object);
}

static void
isle_island_finalize (GObject *object)
{
  IsleIsland *self = ISLE_ISLAND (object);
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_clear_pointer (&priv->store_name, g_free);
  g_clear_pointer (&priv->format, g_free);
  g_clear_pointer (&priv->text, g_free);

  g_clear_pointer (&priv->subscriptions, g_array_unref);
  g_clear_pointer (&priv->connections, g_ptr_array_unref);
  g_clear_pointer (&priv->deferred_stores, g_strfreev);
  g_clear_error (&priv->error);

  G_OBJECT_CLASS (isle_island_parent_class)->finalize (object);
}

static void
isle_island_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  IsleIsland *self = ISLE_ISLAND (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, isle_island_get_graph (self));
      break;

    case PROP_CHILD:
      g_value_set_object (value, isle_island_get_child (self));
      break;

    case PROP_PLACEHOLDER:
      g_value_set_object (value, isle_island_get_placeholder (self));
      break;

    case PROP_ACTIVATION:
      g_value_set_enum (value, isle_island_get_activation (self));
      break;

    case PROP_CONDITION:
      g_value_set_boolean (value, isle_island_get_condition (self));
      break;

    case PROP_PHASE:
      g_value_set_enum (value, isle_island_get_phase (self));
      break;

    case PROP_STORE_NAME:
      g_value_set_string (value, isle_island_get_store_name (self));
      break;

    case PROP_FORMAT:
      g_value_set_string (value, isle_island_get_format (self));
      break;

    case PROP_TEXT:
      g_value_set_string (value, isle_island_get_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_island_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  IsleIsland *self = ISLE_ISLAND (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      isle_island_set_child (self, g_value_get_object (value));
      break;

    case PROP_PLACEHOLDER:
      isle_island_set_placeholder (self, g_value_get_object (value));
      break;

    case PROP_ACTIVATION:
      isle_island_set_activation (self, g_value_get_enum (value));
      break;

    case PROP_CONDITION:
      isle_island_set_condition (self, g_value_get_boolean (value));
      break;

    case PROP_STORE_NAME:
      isle_island_set_store_name (self, g_value_get_string (value));
      break;

    case PROP_FORMAT:
      isle_island_set_format (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_island_class_init (IsleIslandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = isle_island_constructed;
  object_class->dispose = isle_island_dispose;
  object_class->finalize = isle_island_finalize;
  object_class->get_property = isle_island_get_property;
  object_class->set_property = isle_island_set_property;
  object_class->notify = isle_island_notify;

  klass->setup = isle_island_real_setup;

  widget_class->get_request_mode = isle_island_get_request_mode;
  widget_class->measure = isle_island_measure;
  widget_class->size_allocate = isle_island_size_allocate;
  widget_class->map = isle_island_map;
  widget_class->unmap = isle_island_unmap;

  /**
   * IsleIsland:graph:
   *
   * The island's own signal graph.
   *
   * Since: 1.0
   */
  props[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL,
                         ISLE_TYPE_GRAPH,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:child:
   *
   * The content of the island, shown once it is set up.
   *
   * Since: 1.0
   */
  props[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:placeholder:
   *
   * What the island shows until it is activated.
   *
   * Since: 1.0
   */
  props[PROP_PLACEHOLDER] =
    g_param_spec_object ("placeholder", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:activation:
   *
   * When the island sets itself up.
   *
   * Since: 1.0
   */
  props[PROP_ACTIVATION] =
    g_param_spec_enum ("activation", NULL, NULL,
                       ISLE_TYPE_ACTIVATION, ISLE_ACTIVATION_LOAD,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:condition:
   *
   * With %ISLE_ACTIVATION_WHEN, the island activates the first time this
   * is %TRUE; bind it to whatever should wake the island (a window-width
   * breakpoint, a setting).
   *
   * Since: 1.0
   */
  props[PROP_CONDITION] =
    g_param_spec_boolean ("condition", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:phase:
   *
   * Where the island is in its life.
   *
   * Since: 1.0
   */
  props[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL,
                       ISLE_TYPE_ISLAND_PHASE, ISLE_ISLAND_PHASE_WAITING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:store-name:
   *
   * The name of a store of the default [class@Isle.Registry] whose value
   * [property@Isle.Island:text] shows: with it, a `.ui` file binds a
   * widget to a shared store with no code.
   *
   * ```xml
   * <object class="IsleIsland" id="badge">
   *   <property name="store-name">cart</property>
   *   <property name="format">%d items</property>
   *   <property name="child">
   *     <object class="GtkLabel">
   *       <binding name="label">
   *         <lookup name="text">badge</lookup>
   *       </binding>
   *     </object>
   *   </property>
   * </object>
   * ```
   *
   * Since: 1.0
   */
  props[PROP_STORE_NAME] =
    g_param_spec_string ("store-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:format:
   *
   * How [property@Isle.Island:text] prints the value of the store named
   * by [property@Isle.Island:store-name]: a printf-like format with one
   * conversion of the store's type, or %NULL for the value as it is.
   *
   * Since: 1.0
   */
  props[PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleIsland:text:
   *
   * The value of the store named by [property@Isle.Island:store-name], as
   * text: what a `<binding>` in a `.ui` file looks up. It notifies when
   * the store changes.
   *
   * Since: 1.0
   */
  props[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * IsleIsland::setup:
   * @self: the island
   *
   * Emitted once, when the island activates: build the island's states,
   * effects and child here, for islands built without subclassing.
   * Subclasses override [vfunc@Isle.Island.setup] instead.
   *
   * Since: 1.0
   */
  signals[SETUP] =
    g_signal_new ("setup",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_FIRST,
                  G_STRUCT_OFFSET (IsleIslandClass, setup),
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "island");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
isle_island_init (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  priv->graph = isle_graph_new ();
  isle_graph_set_name (priv->graph, G_OBJECT_TYPE_NAME (self));
  _isle_graph_set_scheduler (priv->graph, idle_schedule_cb, self);
  _isle_graph_set_failure_func (priv->graph, graph_failed_cb, self);

  /* The lists of subscriptions and connections are made on first use:
   * many islands have none of one or the other. */
}

/* }}} */

/* Public API {{{ */

/**
 * isle_island_new:
 * @activation: when the island sets itself up
 *
 * Creates an island. A subclass builds itself in
 * [vfunc@Isle.Island.setup]; otherwise use
 * [ctor@Isle.Island.new_with_setup], or connect to
 * [signal@Isle.Island::setup] (which, with %ISLE_ACTIVATION_LOAD, has
 * already been emitted when this returns).
 *
 * Returns: (transfer floating): a new island
 *
 * Since: 1.0
 */
GtkWidget *
isle_island_new (IsleActivation activation)
{
  return g_object_new (ISLE_TYPE_ISLAND,
                       "activation", activation,
                       NULL);
}

/**
 * isle_island_new_with_setup:
 * @activation: when the island sets itself up
 * @setup: (scope notified) (closure user_data) (destroy destroy): builds the island
 * @user_data: data for @setup
 * @destroy: (nullable): frees @user_data when the island is finalized
 *
 * Creates an island that @setup builds when it activates: the way to
 * make an island without subclassing, in every activation mode.
 *
 * With %ISLE_ACTIVATION_LOAD, @setup runs before this returns, while the
 * island is still floating: a binding's setup function should use the
 * island it is given and not keep it (PyGObject, given the floating island
 * there and the same island again as the return value, keeps one
 * reference too many, and the island is never freed).
 *
 * ```python
 * def setup(island):
 *     count = island.use_atom(cart)
 *     ...
 * badge = Isle.Island.new_with_setup(Isle.Activation.LOAD, setup)
 * ```
 *
 * Returns: (transfer floating): a new island
 *
 * Since: 1.0
 */
GtkWidget *
isle_island_new_with_setup (IsleActivation      activation,
                            IsleIslandSetupFunc setup,
                            gpointer            user_data,
                            GDestroyNotify      destroy)
{
  IsleIslandPrivate *priv;
  GtkWidget *self;

  g_return_val_if_fail (activation <= ISLE_ACTIVATION_WHEN, NULL);
  g_return_val_if_fail (setup != NULL, NULL);

  /* Held back until @setup is in place, then released. */
  holding_back = TRUE;
  self = g_object_new (ISLE_TYPE_ISLAND,
                       "activation", ISLE_ACTIVATION_WHEN,
                       NULL);
  priv = isle_island_get_instance_private (ISLE_ISLAND (self));
  priv->setup_func = setup;
  priv->setup_data = user_data;
  priv->setup_destroy = destroy;
  isle_island_set_activation (ISLE_ISLAND (self), activation);
  if (isle_island_get_phase (ISLE_ISLAND (self)) == ISLE_ISLAND_PHASE_WAITING)
    _isle_island_set_phase (ISLE_ISLAND (self), ISLE_ISLAND_PHASE_WAITING);

  return self;
}

/**
 * isle_island_get_graph:
 * @self: an island
 *
 * Gets the island's signal graph, named after the island's widget name
 * ([property@Gtk.Widget:name]) if it has one, else after its type (for a
 * Python subclass, its class name), so that every message about its nodes
 * names the pane.
 *
 * Returns: (transfer none) (nullable): the graph, or %NULL once the island
 *   was disposed
 *
 * Since: 1.0
 */
IsleGraph *
isle_island_get_graph (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  return priv->graph;
}

/**
 * isle_island_get_child:
 * @self: an island
 *
 * Gets the content of @self.
 *
 * Returns: (transfer none) (nullable): the child
 *
 * Since: 1.0
 */
GtkWidget *
isle_island_get_child (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  return priv->child;
}

/**
 * isle_island_set_child:
 * @self: an island
 * @child: (nullable): the new content
 *
 * Sets the content of @self, shown while the island is active.
 *
 * Since: 1.0
 */
void
isle_island_set_child (IsleIsland *self,
                       GtkWidget  *child)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (priv->child == child)
    return;

  replace_child (self, &priv->child, child);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHILD]);
}

/**
 * isle_island_get_placeholder:
 * @self: an island
 *
 * Gets what @self shows until it is activated. Unless one was set, this is
 * an empty label, made when the island first waits or when asked for here
 * (an island activated at once never makes it).
 *
 * Returns: (transfer none) (nullable): the placeholder, or %NULL when it
 *   was set to %NULL
 *
 * Since: 1.0
 */
GtkWidget *
isle_island_get_placeholder (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  /* Made here, it shows only if the island waits. */
  if (ensure_placeholder (self))
    show_phase_child (self, priv->phase);

  return priv->placeholder;
}

/**
 * isle_island_set_placeholder:
 * @self: an island
 * @placeholder: (nullable): what to show until the island is activated
 *
 * Sets what @self shows until it is activated.
 *
 * Since: 1.0
 */
void
isle_island_set_placeholder (IsleIsland *self,
                             GtkWidget  *placeholder)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (placeholder == NULL || GTK_IS_WIDGET (placeholder));

  priv->placeholder_set = TRUE;
  if (priv->placeholder == placeholder)
    return;

  replace_child (self, &priv->placeholder, placeholder);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLACEHOLDER]);
}

/**
 * isle_island_get_activation:
 * @self: an island
 *
 * Gets when @self sets itself up.
 *
 * Returns: the activation mode
 *
 * Since: 1.0
 */
IsleActivation
isle_island_get_activation (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), ISLE_ACTIVATION_LOAD);

  return priv->activation;
}

/**
 * isle_island_set_activation:
 * @self: an island
 * @activation: when the island sets itself up
 *
 * Sets when @self sets itself up. It has no effect once the island is
 * activated.
 *
 * Since: 1.0
 */
void
isle_island_set_activation (IsleIsland     *self,
                            IsleActivation  activation)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (activation <= ISLE_ACTIVATION_WHEN);

  if (priv->activation == activation)
    return;

  priv->activation = activation;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVATION]);

  /* During construction, constructed() decides. */
  if (priv->constructed)
    maybe_activate (self);
}

/**
 * isle_island_get_condition:
 * @self: an island
 *
 * Gets the activation condition of @self.
 *
 * Returns: the condition
 *
 * Since: 1.0
 */
gboolean
isle_island_get_condition (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), FALSE);

  return priv->condition;
}

/**
 * isle_island_set_condition:
 * @self: an island
 * @condition: whether the condition holds
 *
 * Sets the activation condition of @self: with %ISLE_ACTIVATION_WHEN the
 * island activates the first time it is %TRUE.
 *
 * Since: 1.0
 */
void
isle_island_set_condition (IsleIsland *self,
                           gboolean    condition)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_if_fail (ISLE_IS_ISLAND (self));

  condition = !!condition;
  if (priv->condition == condition)
    return;

  priv->condition = condition;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONDITION]);

  if (condition && priv->activation == ISLE_ACTIVATION_WHEN)
    maybe_activate (self);
}

/**
 * isle_island_get_phase:
 * @self: an island
 *
 * Gets where @self is in its life.
 *
 * Returns: the phase
 *
 * Since: 1.0
 */
IsleIslandPhase
isle_island_get_phase (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), ISLE_ISLAND_PHASE_WAITING);

  return priv->phase;
}

/**
 * isle_island_get_error:
 * @self: an island
 *
 * Gets why @self failed.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL if the island
 *   did not fail
 *
 * Since: 1.0
 */
const GError *
isle_island_get_error (IsleIsland *self)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);

  g_return_val_if_fail (ISLE_IS_ISLAND (self), NULL);

  return priv->error;
}

/**
 * isle_island_fail:
 * @self: an island
 * @message: why it failed, for people: shown in the island and kept in
 *   [method@Isle.Island.get_error] (an %ISLE_ERROR_FAILED error)
 *
 * Puts @self in its error state, as a callback of its graph that fails
 * does: its child is replaced by a message, its phase becomes
 * %ISLE_ISLAND_PHASE_FAILED, and its siblings go on. For the code that
 * sets an island up and meets a failure the graph cannot see: a language
 * binding's setup that raised, a plugin that did not load.
 *
 * Since: 1.0
 */
void
isle_island_fail (IsleIsland *self,
                  const char *message)
{
  IsleIslandPrivate *priv = isle_island_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ISLE_IS_ISLAND (self));
  g_return_if_fail (message != NULL);

  error = g_error_new_literal (ISLE_ERROR, ISLE_ERROR_FAILED, message);
  _isle_island_show_failure (self, error);
  /* Not set up yet: it never will be now. */
  priv->activated = TRUE;
  g_clear_handle_id (&priv->activate_idle, g_source_remove);
}

/* }}} */

/* vim:set foldmethod=marker: */
