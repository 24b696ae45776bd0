/* test-inspect.c: the introspection API (node lists, edges, the why of a
 * run, events, the runaway loop, ISLE_DEBUG=trace)
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#define TEST_COMMON_FIXTURE
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* The engine's gate (stores/isle-inspect-private.h): what the hot paths
 * test. The tests link the static stores library, so they can read it. */
extern int _isle_inspect_active;

static void
drain_default_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* state “count” → derived “double” → derived “quad” → effect “log” */
typedef struct {
  IsleState   *count;
  IsleDerived *twice;
  IsleDerived *quad;
  IsleEffect  *log;
  int          seen;
  IsleState   *child;  /* made by the effect's run */
} Chain;

static gboolean
double_cb (IsleDerived  *self,
           GValue       *value,
           gpointer      user_data,
           GError      **error)
{
  Chain *chain = user_data;

  g_value_set_int (value, 2 * isle_state_get_int (chain->count));

  return TRUE;
}

static gboolean
quad_cb (IsleDerived  *self,
         GValue       *value,
         gpointer      user_data,
         GError      **error)
{
  Chain *chain = user_data;

  g_value_set_int (value, 2 * isle_derived_get_int (chain->twice));

  return TRUE;
}

static gboolean
log_cb (IsleEffect  *self,
        gpointer     user_data,
        GError     **error)
{
  Chain *chain = user_data;

  chain->seen = isle_derived_get_int (chain->quad);
  chain->child = isle_state_new_int (isle_effect_get_graph (self), chain->seen);
  isle_state_set_name (chain->child, "child");

  return TRUE;
}

static void
chain_init (Chain     *chain,
            IsleGraph *graph)
{
  chain->count = isle_state_new_int (graph, 1);
  isle_state_set_name (chain->count, "count");
  chain->twice = isle_derived_new (graph, G_TYPE_INT, double_cb, chain, NULL);
  isle_derived_set_name (chain->twice, "double");
  chain->quad = isle_derived_new (graph, G_TYPE_INT, quad_cb, chain, NULL);
  isle_derived_set_name (chain->quad, "quad");
  chain->log = isle_effect_new (graph, log_cb, chain, NULL);
  isle_effect_set_name (chain->log, "log");
  isle_graph_flush (graph);
  g_assert_cmpint (chain->seen, ==, 4);
}

static IsleNodeInfo *
find_info (GListModel *nodes,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(IsleNodeInfo) info = g_list_model_get_item (nodes, i);

      if (g_strcmp0 (isle_node_info_get_name (info), name) == 0)
        return info;  /* the list keeps it alive */
    }

  g_assert_not_reached ();
}

static void
assert_ids (const guint64 *ids,
            guint          n_ids,
            IsleNodeInfo  *first,
            IsleNodeInfo  *second)
{
  g_assert_cmpuint (n_ids, ==, (first != NULL) + (second != NULL));
  if (first != NULL)
    g_assert_cmpuint (ids[0], ==, isle_node_info_get_id (first));
  if (second != NULL)
    g_assert_cmpuint (ids[1], ==, isle_node_info_get_id (second));
}

static void
test_inspect_nodes (Fixture       *fixture,
                    gconstpointer  data)
{
  Chain chain = { 0, };
  g_autoptr(GListModel) nodes = NULL;
  IsleNodeInfo *count, *twice, *quad, *log, *child;
  const guint64 *ids;
  guint n_ids;

  chain_init (&chain, fixture->graph);

  nodes = isle_graph_inspect_nodes (fixture->graph);
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, isle_graph_get_n_nodes (fixture->graph));

  count = find_info (nodes, "count");
  twice = find_info (nodes, "double");
  quad = find_info (nodes, "quad");
  log = find_info (nodes, "log");
  child = find_info (nodes, "child");

  /* Creation order, each owner before what it owns. */
  g_assert_true (g_list_model_get_item (nodes, 0) == (gpointer) count && (g_object_unref (count), TRUE));
  g_assert_true (g_list_model_get_item (nodes, 4) == (gpointer) child && (g_object_unref (child), TRUE));

  g_assert_cmpint (isle_node_info_get_node_type (count), ==, ISLE_NODE_TYPE_STATE);
  g_assert_cmpint (isle_node_info_get_node_type (twice), ==, ISLE_NODE_TYPE_DERIVED);
  g_assert_cmpint (isle_node_info_get_node_type (log), ==, ISLE_NODE_TYPE_EFFECT);
  g_assert_cmpstr (isle_node_info_get_label (quad), ==, "derived “quad”");
  g_assert_cmpstr (isle_node_info_get_value_text (count), ==, "1");
  g_assert_cmpstr (isle_node_info_get_value_text (quad), ==, "4");
  g_assert_null (isle_node_info_get_value_text (log));
  g_assert_cmpuint (isle_node_info_get_run_count (log), ==, 1);
  g_assert_false (isle_node_info_get_stale (quad));
  g_assert_null (isle_node_info_get_error (log));
  g_assert_cmpuint (isle_node_info_get_id (count), !=, 0);

  /* Owners: the graph's own nodes have none; the child is the effect's. */
  g_assert_cmpuint (isle_node_info_get_owner (count), ==, 0);
  g_assert_cmpuint (isle_node_info_get_owner (log), ==, 0);
  g_assert_cmpuint (isle_node_info_get_owner (child), ==, isle_node_info_get_id (log));

  /* The edges, both ways. */
  ids = isle_node_info_get_dependencies (count, &n_ids);
  assert_ids (ids, n_ids, NULL, NULL);
  ids = isle_node_info_get_dependents (count, &n_ids);
  assert_ids (ids, n_ids, twice, NULL);
  ids = isle_node_info_get_dependencies (twice, &n_ids);
  assert_ids (ids, n_ids, count, NULL);
  ids = isle_node_info_get_dependents (twice, &n_ids);
  assert_ids (ids, n_ids, quad, NULL);
  ids = isle_node_info_get_dependencies (log, &n_ids);
  assert_ids (ids, n_ids, quad, NULL);
  ids = isle_node_info_get_dependents (log, &n_ids);
  assert_ids (ids, n_ids, NULL, NULL);

  /* A snapshot: the graph goes on, it does not; a new one sees the change,
   * a stale derived is not computed by being looked at. */
  isle_state_set_int (chain.count, 5);
  g_assert_cmpstr (isle_node_info_get_value_text (count), ==, "1");
  {
    g_autoptr(IsleNodeInfo) again = isle_node_info_new_for_state (chain.count);
    g_autoptr(IsleNodeInfo) stale = isle_node_info_new_for_derived (chain.quad);
    g_autoptr(IsleNodeInfo) effect = isle_node_info_new_for_effect (chain.log);

    g_assert_cmpstr (isle_node_info_get_value_text (again), ==, "5");
    g_assert_cmpuint (isle_node_info_get_id (again), ==, isle_node_info_get_id (count));
    g_assert_true (isle_node_info_get_stale (stale));
    g_assert_cmpstr (isle_node_info_get_value_text (stale), ==, "4");
    g_assert_true (isle_node_info_get_stale (effect));
    /* Not traced (nobody observes): no why. */
    g_assert_null (isle_node_info_get_why (effect));
  }
  g_assert_cmpint (chain.seen, ==, 4);

  isle_graph_dispose_nodes (fixture->graph);
  g_clear_object (&nodes);
  nodes = isle_graph_inspect_nodes (fixture->graph);
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, 0);
}

static void
test_inspect_bad_arguments (void)
{
  g_autoptr(IsleGraph) graph = isle_graph_new ();
  IsleState *state = isle_state_new_int (graph, 0);

  isle_state_ref (state);
  isle_state_dispose (state);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*was disposed*");
  g_assert_null (isle_node_info_new_for_state (state));
  g_test_assert_expected_messages ();
  isle_state_unref (state);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*func != NULL*");
  g_assert_cmpuint (isle_inspect_add_observer (NULL, NULL, NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*no observer has the handle 4242*");
  isle_inspect_remove_observer (4242);
  g_test_assert_expected_messages ();
}

/* An observer that writes each event as a line. */
static void
collect_cb (IsleInspectEvent *event,
            gpointer          user_data)
{
  GPtrArray *events = user_data;

  g_ptr_array_add (events, g_object_ref (event));
}

static char *
events_to_string (GPtrArray *events)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *line = isle_inspect_event_to_string (g_ptr_array_index (events, i));

      g_string_append_printf (text, "%s\n", line);
    }

  return g_string_free (text, FALSE);
}

static void
test_inspect_why (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  Chain chain = { 0, };
  g_autoptr(IsleNodeInfo) info = NULL;
  g_autofree char *text = NULL;
  const char * const *why;
  guint handle;

  chain_init (&chain, fixture->graph);

  handle = isle_inspect_add_observer (collect_cb, events, NULL);
  g_assert_true (isle_inspect_is_tracing ());

  isle_state_set_int (chain.count, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (chain.seen, ==, 8);

  /* The effect ran because “quad” changed, because “double” did, because
   * “count” was set. */
  info = isle_node_info_new_for_effect (chain.log);
  why = isle_node_info_get_why (info);
  g_assert_nonnull (why);
  g_assert_cmpuint (g_strv_length ((char **) why), ==, 3);
  g_assert_cmpstr (why[0], ==, "derived “quad”: 4 → 8");
  g_assert_cmpstr (why[1], ==, "derived “double”: 2 → 4");
  g_assert_cmpstr (why[2], ==, "state “count”: 1 → 2");
  text = isle_node_info_dup_why_text (info);
  g_assert_cmpstr (text, ==, "derived “quad”: 4 → 8 ← derived “double”: 2 → 4 ← state “count”: 1 → 2");
  g_clear_object (&info);

  /* A derived has its why too. */
  info = isle_node_info_new_for_derived (chain.twice);
  why = isle_node_info_get_why (info);
  g_assert_cmpuint (g_strv_length ((char **) why), ==, 1);
  g_assert_cmpstr (why[0], ==, "state “count”: 1 → 2");
  g_clear_object (&info);

  /* A state set to an equal value changes nothing, so nothing runs. */
  isle_state_set_int (chain.count, 2);
  isle_graph_flush (fixture->graph);
  info = isle_node_info_new_for_effect (chain.log);
  g_assert_cmpuint (isle_node_info_get_run_count (info), ==, 2);
  g_clear_object (&info);

  /* The why is forgotten when nobody observes any more. */
  isle_inspect_remove_observer (handle);
  g_assert_false (isle_inspect_is_tracing ());
  info = isle_node_info_new_for_effect (chain.log);
  g_assert_null (isle_node_info_get_why (info));

  isle_graph_dispose_nodes (fixture->graph);
}

/* The effect reads two states; only the second one changes. */
typedef struct {
  IsleState *a;
  IsleState *b;
} Pair;

static gboolean
pair_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Pair *pair = user_data;

  isle_state_get_int (pair->a);
  isle_state_get_string (pair->b);

  return TRUE;
}

static void
test_inspect_why_names_the_changed_one (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(IsleNodeInfo) info = NULL;
  Pair pair;
  IsleEffect *effect;
  guint handle;

  pair.a = isle_state_new_int (fixture->graph, 0);
  isle_state_set_name (pair.a, "a");
  pair.b = isle_state_new_string (fixture->graph, "x");
  isle_state_set_name (pair.b, "b");
  effect = isle_effect_new (fixture->graph, pair_cb, &pair, NULL);
  isle_effect_set_name (effect, "pair");

  handle = isle_inspect_add_observer (collect_cb, events, NULL);
  isle_graph_flush (fixture->graph);
  info = isle_node_info_new_for_effect (effect);
  g_assert_null (isle_node_info_get_why (info));
  g_clear_object (&info);
  g_assert_cmpuint (events->len, ==, 1);
  {
    g_autofree char *text = isle_inspect_event_to_string (events->pdata[0]);

    g_assert_cmpstr (text, ==, "effect “pair” in graph “test” runs for the first time");
  }

  isle_state_set_string (pair.b, "y");
  isle_graph_flush (fixture->graph);
  info = isle_node_info_new_for_effect (effect);
  g_assert_cmpstr (isle_node_info_get_why (info)[0], ==, "state “b”: \"x\" → \"y\"");
  g_assert_null (isle_node_info_get_why (info)[1]);

  isle_inspect_remove_observer (handle);
  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_inspect_events (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  Chain chain = { 0, };
  g_autofree char *text = NULL;
  guint handle;

  handle = isle_inspect_add_observer (collect_cb, events, NULL);
  chain_init (&chain, fixture->graph);
  isle_state_set_int (chain.count, 2);
  isle_graph_flush (fixture->graph);
  isle_effect_dispose (chain.log);
  isle_inspect_remove_observer (handle);

  /* Every event in the order it happened, numbered in that order. Nodes
   * are created before they are named; deriveds compute when the effect
   * first reads them (it is its own first run that reads them). */
  text = events_to_string (events);
  g_assert_cmpstr (text, ==,
                   "created unnamed state in graph “test”\n"
                   "created unnamed derived in graph “test”\n"
                   "created unnamed derived in graph “test”\n"
                   "created unnamed effect in graph “test”\n"
                   "effect “log” in graph “test” runs for the first time\n"
                   "derived “double” in graph “test”: (none) → 2\n"
                   "derived “quad” in graph “test”: (none) → 4\n"
                   "created unnamed state in graph “test”\n"
                   "state “count” in graph “test”: 1 → 2\n"
                   "derived “double” in graph “test”: 2 → 4, because state “count”: 1 → 2\n"
                   "derived “quad” in graph “test”: 4 → 8, because derived “double”: 2 → 4 ← state “count”: 1 → 2\n"
                   "disposed state “child” in graph “test”\n"
                   "effect “log” in graph “test” runs because derived “quad”: 4 → 8 ← derived “double”: 2 → 4 ← state “count”: 1 → 2\n"
                   "created unnamed state in graph “test”\n"
                   "disposed effect “log” in graph “test”\n"
                   "disposed state “child” in graph “test”\n");

  for (guint i = 1; i < events->len; i++)
    g_assert_cmpuint (isle_inspect_event_get_sequence (events->pdata[i]), >,
                      isle_inspect_event_get_sequence (events->pdata[i - 1]));

  /* The fields behind the text. */
  {
    IsleInspectEvent *set = events->pdata[8];
    IsleInspectEvent *ran = events->pdata[12];
    g_autoptr(IsleNodeInfo) count = isle_node_info_new_for_state (chain.count);

    g_assert_cmpint (isle_inspect_event_get_kind (set), ==, ISLE_INSPECT_EVENT_STATE_CHANGED);
    g_assert_cmpstr (isle_inspect_event_get_name (set), ==, "count");
    g_assert_cmpstr (isle_inspect_event_get_graph_name (set), ==, "test");
    g_assert_cmpstr (isle_inspect_event_get_old_value (set), ==, "1");
    g_assert_cmpstr (isle_inspect_event_get_new_value (set), ==, "2");
    g_assert_cmpuint (isle_inspect_event_get_node_id (set), ==, isle_node_info_get_id (count));
    g_assert_null (isle_inspect_event_get_store (set));
    g_assert_cmpint (isle_inspect_event_get_kind (ran), ==, ISLE_INSPECT_EVENT_EFFECT_RAN);
    g_assert_cmpstr (isle_inspect_event_get_why (ran)[2], ==, "state “count”: 1 → 2");
    g_assert_cmpstr (isle_inspect_event_get_label (ran), ==, "effect “log” in graph “test”");
  }

  isle_graph_dispose_nodes (fixture->graph);
}

static gboolean
failing_cb (IsleEffect  *self,
            gpointer     user_data,
            GError     **error)
{
  g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED, "no network");

  return FALSE;
}

static void
test_inspect_error_event (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) nodes = NULL;
  g_autoptr(IsleNodeInfo) info = NULL;
  IsleInspectEvent *error;
  IsleEffect *effect;
  guint handle;

  effect = isle_effect_new (fixture->graph, failing_cb, NULL, NULL);
  isle_effect_set_name (effect, "fetch");
  handle = isle_inspect_add_observer (collect_cb, events, NULL);
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*fetch*failed: no network*");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  isle_inspect_remove_observer (handle);

  g_assert_cmpuint (events->len, ==, 2);
  error = events->pdata[1];
  g_assert_cmpint (isle_inspect_event_get_kind (error), ==, ISLE_INSPECT_EVENT_ERROR);
  g_assert_cmpstr (isle_inspect_event_get_message (error), ==, "no network");

  nodes = isle_graph_inspect_nodes (fixture->graph);
  info = g_list_model_get_item (nodes, 0);
  g_assert_cmpstr (isle_node_info_get_error (info), ==, "no network");

  isle_graph_dispose_nodes (fixture->graph);
}

static void
count_events_cb (IsleInspectEvent *event,
                 gpointer          user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_inspect_unobserved (Fixture       *fixture,
                         gconstpointer  data)
{
  Chain chain = { 0, };
  guint count = 0;
  guint handle;

  /* Nothing looks: the engine's gate is shut. */
  g_assert_cmpint (_isle_inspect_active, ==, 0);
  g_assert_false (isle_inspect_is_tracing ());

  handle = isle_inspect_add_observer (count_events_cb, &count, NULL);
  g_assert_cmpint (_isle_inspect_active, ==, 1);
  chain_init (&chain, fixture->graph);
  g_assert_cmpuint (count, >, 0);
  isle_inspect_remove_observer (handle);
  g_assert_cmpint (_isle_inspect_active, ==, 0);

  /* Removed: not called again, whatever happens. */
  count = 0;
  isle_state_set_int (chain.count, 3);
  isle_graph_flush (fixture->graph);
  isle_effect_dispose (chain.log);
  g_assert_cmpint (chain.seen, ==, 12);
  g_assert_cmpuint (count, ==, 0);

  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_inspect_stores (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("inspected", 1);
  g_autofree char *text = NULL;
  IsleInspectEvent *changed;
  guint handle;

  handle = isle_inspect_add_observer (collect_cb, events, NULL);
  isle_atom_set_int (atom, 2);
  isle_inspect_remove_observer (handle);
  isle_atom_set_int (atom, 3);

  g_assert_cmpuint (events->len, ==, 1);
  changed = events->pdata[0];
  g_assert_cmpint (isle_inspect_event_get_kind (changed), ==, ISLE_INSPECT_EVENT_STORE_CHANGED);
  g_assert_true (isle_inspect_event_get_store (changed) == ISLE_STORE (atom));
  g_assert_cmpstr (isle_inspect_event_get_name (changed), ==, "inspected");
  g_assert_cmpuint (isle_inspect_event_get_node_id (changed), ==, 0);
  text = isle_inspect_event_to_string (changed);
  g_assert_cmpstr (text, ==, "store “inspected”: 1 → 2");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&atom));
}

static void
noop_listener_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
}

static void
test_inspect_store_lifecycle (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("watched", 1);
  g_autofree char *text = NULL;
  guint handle;
  guint listener;

  isle_store_set_stop_delay (ISLE_STORE (atom), 0);
  handle = isle_inspect_add_observer (collect_cb, events, NULL);

  /* What a devtool shows of a store: listeners, started, version. */
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));
  listener = isle_store_listen (ISLE_STORE (atom), noop_listener_cb, NULL, NULL);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);
  g_assert_true (isle_store_get_started (ISLE_STORE (atom)));
  isle_atom_set_int (atom, 5);
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (atom)), >, 0);
  isle_store_unsubscribe (ISLE_STORE (atom), listener);
  drain_default_context ();
  g_assert_false (isle_store_get_started (ISLE_STORE (atom)));

  isle_inspect_remove_observer (handle);
  text = events_to_string (events);
  g_assert_cmpstr (text, ==,
                   "store “watched” started\n"
                   "store “watched”: 1 → 5\n"
                   "store “watched” stopped\n");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&atom));
}

/* An atom's listener sets a state (what an island's bridge does): the why
 * of the runs it causes goes back to the atom's change. */
static void
mirror_cb (IsleStore *store,
           int        value,
           int        old_value,
           gpointer   user_data)
{
  isle_state_set_int (user_data, value);
}

static void
test_inspect_why_from_a_store (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(IsleAtom) atom = isle_atom_new_int ("source", 1);
  g_autoptr(IsleNodeInfo) info = NULL;
  Chain chain = { 0, };
  const char * const *why;
  guint listener;
  guint handle;

  chain_init (&chain, fixture->graph);
  listener = isle_store_listen_int (ISLE_STORE (atom), mirror_cb, chain.count, NULL);

  handle = isle_inspect_add_observer (collect_cb, events, NULL);
  isle_atom_set_int (atom, 2);
  isle_graph_flush (fixture->graph);

  info = isle_node_info_new_for_effect (chain.log);
  why = isle_node_info_get_why (info);
  g_assert_nonnull (why);
  g_assert_cmpuint (g_strv_length ((char **) why), ==, 4);
  g_assert_cmpstr (why[0], ==, "derived “quad”: 4 → 8");
  g_assert_cmpstr (why[1], ==, "derived “double”: 2 → 4");
  g_assert_cmpstr (why[2], ==, "state “count”: 1 → 2");
  g_assert_cmpstr (why[3], ==, "store “source”: 1 → 2");

  /* Outside a listener, a set is its own root again. */
  isle_state_set_int (chain.count, 3);
  isle_graph_flush (fixture->graph);
  g_clear_object (&info);
  info = isle_node_info_new_for_effect (chain.log);
  why = isle_node_info_get_why (info);
  g_assert_cmpuint (g_strv_length ((char **) why), ==, 3);
  g_assert_cmpstr (why[2], ==, "state “count”: 2 → 3");
  isle_inspect_remove_observer (handle);

  isle_store_unsubscribe (ISLE_STORE (atom), listener);
  isle_graph_dispose_nodes (fixture->graph);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&atom));
}

/* Runaway effects: the report names the loop, in order. */

typedef struct {
  IsleState *from;
  IsleState *to;
} Pass;

static gboolean
pass_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Pass *pass = user_data;

  isle_state_set_int (pass->to, isle_state_get_int (pass->from) + 1);

  return TRUE;
}

static gboolean
plus_one_cb (IsleDerived  *self,
             GValue       *value,
             gpointer      user_data,
             GError      **error)
{
  g_value_set_int (value, isle_state_get_int (user_data) + 1);

  return TRUE;
}

static gboolean
spin_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Pass *pass = user_data;

  /* Reads the state through a derived, writes the state. */
  isle_state_set_int (pass->to, isle_derived_get_int ((IsleDerived *) pass->from));

  return TRUE;
}

static void
test_inspect_runaway_self (Fixture       *fixture,
                           gconstpointer  data)
{
  IsleState *count = isle_state_new_int (fixture->graph, 0);
  IsleDerived *next = isle_derived_new (fixture->graph, G_TYPE_INT, plus_one_cb, count, NULL);
  Pass spin = { (IsleState *) next, count };

  isle_state_set_name (count, "count");
  isle_derived_set_name (next, "next");
  isle_effect_set_name (isle_effect_new (fixture->graph, spin_cb, &spin, NULL), "spin");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “spin”*failed: runaway: it re-triggered itself more than 100 "
                         "times in one flush; the loop: effect “spin” → state “count” → "
                         "derived “next” → effect “spin”");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();
  /* Nothing is left looking. */
  g_assert_cmpint (_isle_inspect_active, ==, 0);

  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_inspect_runaway_ping_pong (Fixture       *fixture,
                                gconstpointer  data)
{
  IsleState *a = isle_state_new_int (fixture->graph, 0);
  IsleState *b = isle_state_new_int (fixture->graph, 0);
  Pass ping = { a, b };
  Pass pong = { b, a };

  isle_state_set_name (a, "a");
  isle_state_set_name (b, "b");
  isle_effect_set_name (isle_effect_new (fixture->graph, pass_cb, &ping, NULL), "ping");
  isle_effect_set_name (isle_effect_new (fixture->graph, pass_cb, &pong, NULL), "pong");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*effect “ping”*failed: runaway*; the loop: effect “ping” → state “b” → "
                         "effect “pong” → state “a” → effect “ping”");
  isle_graph_flush (fixture->graph);
  g_test_assert_expected_messages ();

  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_inspect_trace (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(IsleGraph) graph = NULL;
      Chain chain = { 0, };

      /* Read once, when the first graph type is made: this process made
       * none yet. */
      g_setenv ("ISLE_DEBUG", "trace", TRUE);
      graph = isle_graph_new ();
      isle_graph_set_name (graph, "traced");
      g_assert_true (isle_inspect_is_tracing ());
      chain_init (&chain, graph);
      isle_state_set_int (chain.count, 2);
      isle_graph_flush (graph);
      isle_graph_dispose_nodes (graph);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* Each ? stands for a quote or an arrow, which GLib writes as ? in a
   * locale that has none. */
  g_test_trap_assert_stderr ("*trace: state ?count? in graph ?traced?: 1 ? 2*");
  g_test_trap_assert_stderr ("*trace: effect ?log? in graph ?traced? runs because "
                             "derived ?quad?: 4 ? 8 ? derived ?double?: 2 ? 4 ? "
                             "state ?count?: 1 ? 2*");
}

#define ADD(path, func) \
  g_test_add ("/Isle/Inspect/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First, so that its subprocess makes the first graph of its process. */
  g_test_add_func ("/Isle/Inspect/trace", test_inspect_trace);
  ADD ("nodes", test_inspect_nodes);
  g_test_add_func ("/Isle/Inspect/bad-arguments", test_inspect_bad_arguments);
  ADD ("why", test_inspect_why);
  ADD ("why-names-the-changed-one", test_inspect_why_names_the_changed_one);
  ADD ("why-from-a-store", test_inspect_why_from_a_store);
  ADD ("events", test_inspect_events);
  ADD ("error-event", test_inspect_error_event);
  ADD ("unobserved", test_inspect_unobserved);
  g_test_add_func ("/Isle/Inspect/stores", test_inspect_stores);
  g_test_add_func ("/Isle/Inspect/store-lifecycle", test_inspect_store_lifecycle);
  ADD ("runaway-self", test_inspect_runaway_self);
  ADD ("runaway-ping-pong", test_inspect_runaway_ping_pong);

  return g_test_run ();
}
