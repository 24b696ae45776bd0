/* widget-test-common.h: helpers shared by the tests of the GTK layer
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every test program includes this header once. Its helpers are static
 * inline, so a program that does not use one of them gets no warning.
 */

#pragma once

#include "isle.h"

/* Main loop {{{ */

static inline gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @cond holds, and fails (naming @cond) if it
 * does not within ten seconds. */
#define RUN_UNTIL(cond) \
  G_STMT_START { \
    gboolean run_until_timed_out_ = FALSE; \
    guint run_until_id_ = g_timeout_add_seconds (10, timed_out_cb, &run_until_timed_out_); \
    while (!(cond) && !run_until_timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!run_until_timed_out_) \
      g_source_remove (run_until_id_); \
    g_assert_true (cond); \
  } G_STMT_END

/* Runs every source that is ready now (idles included), a bounded number
 * of times. */
static inline void
run_pending (void)
{
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static inline gboolean
stop_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static inline void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, stop_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* }}} */

/* Frames and windows {{{ */

static inline void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *n_painted = user_data;

  (*n_painted)++;
}

/* Makes @widget's frame clock paint @n_frames more frames (frames that
 * redraw only what is invalid), and waits for them. */
static inline void
run_frames (GtkWidget *widget,
            guint      n_frames)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);
  guint n_painted = 0;
  gulong handler;

  g_assert_nonnull (frame_clock);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &n_painted);

  for (guint i = 0; i < n_frames; i++)
    {
      gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
      RUN_UNTIL (n_painted > i);
    }

  g_signal_handler_disconnect (frame_clock, handler);
}

static inline void
destroy_window (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  RUN_UNTIL (window == NULL);
}

/* }}} */

/* Islands {{{ */

/* The one child of @island that is visible; fails if there are several. */
static inline GtkWidget *
get_shown (IsleIsland *island)
{
  GtkWidget *shown = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (island));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;

      g_assert_null (shown);
      shown = child;
    }

  return shown;
}

/* }}} */

/* Counts {{{ */

static inline void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* }}} */
