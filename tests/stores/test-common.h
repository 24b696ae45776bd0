/* test-common.h: helpers shared by the unit tests of the stores layer
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every test program includes this header once. Its helpers are static
 * inline, so a program that does not use one of them gets no warning.
 *
 * The graph fixture is not the same in every program, so it is opt-in:
 * define TEST_COMMON_FIXTURE before including this header for a Fixture
 * with a graph, or TEST_COMMON_FIXTURE_WITH_LOG for one with a graph and a
 * log.
 */

#pragma once

#include "isle-stores.h"

/* Fixture {{{ */

#if defined (TEST_COMMON_FIXTURE) || defined (TEST_COMMON_FIXTURE_WITH_LOG)

/* Every test gets a fresh named graph; the teardown proves that nothing kept
 * a reference to it. */
typedef struct {
  IsleGraph *graph;
#ifdef TEST_COMMON_FIXTURE_WITH_LOG
  GString   *log;
#endif
} Fixture;

static inline void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->graph = isle_graph_new ();
  isle_graph_set_name (fixture->graph, "test");
#ifdef TEST_COMMON_FIXTURE_WITH_LOG
  fixture->log = g_string_new (NULL);
#endif
}

static inline void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  isle_graph_flush (fixture->graph);
  g_assert_finalize_object (fixture->graph);
#ifdef TEST_COMMON_FIXTURE_WITH_LOG
  g_string_free (fixture->log, TRUE);
#endif
}

#endif

/* }}} */

/* Logs and counts {{{ */

/* Checks what a test logged so far, and empties the log. */
#define assert_log(log, expected) G_STMT_START {   \
  g_assert_cmpstr ((log)->str, ==, (expected));    \
  g_string_truncate ((log), 0);                    \
} G_STMT_END

static inline void
count_destroy (gpointer data)
{
  guint *count = data;

  (*count)++;
}

static inline void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* A notify handler that records the thread it ran on. */
static inline void
record_thread_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  GThread **notified_on = user_data;

  *notified_on = g_thread_self ();
}

/* An effect that reads one int state and counts its runs. */
typedef struct {
  IsleState *state;
  guint      runs;
  int        last;
} Counter;

static inline gboolean
counter_cb (IsleEffect  *self,
            gpointer     user_data,
            GError     **error)
{
  Counter *counter = user_data;

  counter->runs++;
  counter->last = isle_state_get_int (counter->state);

  return TRUE;
}

/* }}} */

/* Clean stores {{{ */

/* Between two tests (nanostores' cleanStores ()): empties the default
 * registry, every store it held losing its listeners and stopping at once,
 * so that the next test starts from nothing. */
static inline void
test_clean_stores (void)
{
  IsleRegistry *registry = isle_registry_get_default ();

  isle_registry_clean (registry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
}

/* }}} */

/* Tracked values {{{ */

/* A value whose memory is freed through a notify: proves that the store
 * dropped every reference it took. */
typedef struct
{
  gint32  value;
  guint  *freed;
} Tracked;

static inline void
tracked_free (gpointer data)
{
  Tracked *tracked = data;

  (*tracked->freed)++;
  g_free (tracked);
}

static inline GVariant *
tracked_int (gint32  value,
             guint  *freed)
{
  Tracked *tracked = g_new (Tracked, 1);

  tracked->value = value;
  tracked->freed = freed;

  return g_variant_new_from_data (G_VARIANT_TYPE_INT32, &tracked->value, sizeof (gint32),
                                  TRUE, tracked_free, tracked);
}

/* }}} */

/* Main loop guard {{{ */

/* A timeout that stops @loop and records that it had to. */
typedef struct
{
  GMainLoop *loop;
  gboolean   timed_out;
} Guard;

static inline gboolean
guard_cb (gpointer user_data)
{
  Guard *guard = user_data;

  guard->timed_out = TRUE;
  g_main_loop_quit (guard->loop);

  return G_SOURCE_REMOVE;
}

/* }}} */
