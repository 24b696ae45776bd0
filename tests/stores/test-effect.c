/* test-effect.c: unit tests for IsleEffect
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "isle-stores.h"

#define TEST_COMMON_FIXTURE_WITH_LOG
#include "test-common.h"

/* Iterates @context without blocking until @done is TRUE or it gave up. */
static void
iterate_until (GMainContext   *context,
               const gboolean *done)
{
  guint i;

  for (i = 0; i < 1000 && !*done; i++)
    g_main_context_iteration (context, FALSE);
}

/* An effect that reads one int state, logs "NAME=VALUE;" and counts. */
typedef struct {
  GString    *log;
  const char *name;
  IsleState  *state;
  guint       runs;
  int         last;
  gboolean    done;
  int         done_at;
} Logger;

static gboolean
logger_cb (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  Logger *logger = user_data;

  logger->runs++;
  logger->last = isle_state_get_int (logger->state);
  if (logger->log != NULL)
    g_string_append_printf (logger->log, "%s=%d;", logger->name, logger->last);
  if (logger->last == logger->done_at)
    logger->done = TRUE;

  return TRUE;
}

static Logger *
logger_new (Fixture    *fixture,
            const char *name,
            IsleState  *state)
{
  Logger *logger = g_new0 (Logger, 1);

  logger->log = fixture->log;
  logger->name = name;
  logger->state = state;
  logger->done_at = G_MININT;

  return logger;
}

static void
test_effect_first_run_at_flush (Fixture       *fixture,
                                gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 1);
  Logger *logger = logger_new (fixture, "e", state);
  IsleEffect *effect;

  effect = isle_effect_new (fixture->graph, logger_cb, logger, g_free);
  g_assert_nonnull (effect);
  g_assert_true (isle_effect_get_graph (effect) == fixture->graph);
  g_assert_null (isle_effect_get_error (effect));

  /* Not synchronously at creation. */
  g_assert_cmpuint (logger->runs, ==, 0);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 0);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 1);

  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (logger->runs, ==, 1);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);

  /* Nothing changed: a flush does not rerun it. */
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (logger->runs, ==, 1);
}

static void
test_effect_many_writes_one_rerun (Fixture       *fixture,
                                   gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Logger *logger = logger_new (fixture, "e", state);
  IsleEffect *effect = isle_effect_new (fixture->graph, logger_cb, logger, g_free);
  int i;

  isle_graph_flush (fixture->graph);

  for (i = 1; i <= 50; i++)
    isle_state_set_int (state, i);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 1);
  isle_graph_flush (fixture->graph);

  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 2);
  g_assert_cmpstr (fixture->log->str, ==, "e=0;e=50;");
}

static void
test_effect_creation_order (Fixture       *fixture,
                            gconstpointer  data)
{
  IsleState *s1 = isle_state_new_int (fixture->graph, 0);
  IsleState *s2 = isle_state_new_int (fixture->graph, 0);
  IsleState *s3 = isle_state_new_int (fixture->graph, 0);

  isle_effect_new (fixture->graph, logger_cb, logger_new (fixture, "a", s1), g_free);
  isle_effect_new (fixture->graph, logger_cb, logger_new (fixture, "b", s2), g_free);
  isle_effect_new (fixture->graph, logger_cb, logger_new (fixture, "c", s3), g_free);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "a=0;b=0;c=0;");

  /* Written in reverse order, still run in creation order. */
  g_string_truncate (fixture->log, 0);
  isle_state_set_int (s3, 3);
  isle_state_set_int (s2, 2);
  isle_state_set_int (s1, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "a=1;b=2;c=3;");
}

/* Runs in creation order even when an older effect subscribed later. */
typedef struct {
  GString   *log;
  IsleState *flag;
  IsleState *state;
} Late;

static gboolean
late_cb (IsleEffect  *self,
         gpointer     user_data,
         GError     **error)
{
  Late *late = user_data;

  if (isle_state_get_boolean (late->flag))
    g_string_append_printf (late->log, "late=%d;", isle_state_get_int (late->state));
  else
    g_string_append (late->log, "late;");

  return TRUE;
}

static void
test_effect_creation_order_not_subscription_order (Fixture       *fixture,
                                                   gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Late late = { fixture->log, NULL, state };

  late.flag = isle_state_new_boolean (fixture->graph, FALSE);
  isle_effect_new (fixture->graph, late_cb, &late, NULL);
  isle_effect_new (fixture->graph, logger_cb, logger_new (fixture, "early", state), g_free);
  isle_graph_flush (fixture->graph);

  isle_state_set_boolean (late.flag, TRUE);
  isle_graph_flush (fixture->graph);
  g_string_truncate (fixture->log, 0);

  isle_state_set_int (state, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "late=1;early=1;");

  isle_graph_dispose_nodes (fixture->graph);
}

/* A parent effect that creates two child effects on each run. */
typedef struct {
  Fixture    *fixture;
  IsleState  *parent_state;
  IsleState  *child_state;
  IsleEffect *children[2];
  guint       runs;
  guint       children_destroyed;
} Parent;

typedef struct {
  Parent *parent;
  char    name[16];
} Child;

static gboolean
child_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  Child *child = user_data;

  g_string_append_printf (child->parent->fixture->log, "%s=%d;", child->name,
                          isle_state_get_int (child->parent->child_state));

  return TRUE;
}

static void
child_free (gpointer data)
{
  Child *child = data;

  child->parent->children_destroyed++;
  g_free (child);
}

static gboolean
parent_cb (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  Parent *parent = user_data;
  IsleGraph *graph = isle_effect_get_graph (self);
  guint i;

  parent->runs++;
  g_string_append_printf (parent->fixture->log, "parent=%d;",
                          isle_state_get_int (parent->parent_state));

  /* The children of the previous run are gone before this run. */
  for (i = 0; i < G_N_ELEMENTS (parent->children); i++)
    {
      if (parent->children[i] != NULL)
        {
          g_assert_true (isle_effect_is_disposed (parent->children[i]));
          isle_effect_unref (parent->children[i]);
        }
    }
  g_assert_cmpuint (parent->children_destroyed, ==, 2 * (parent->runs - 1));

  for (i = 0; i < G_N_ELEMENTS (parent->children); i++)
    {
      Child *child = g_new0 (Child, 1);

      child->parent = parent;
      g_snprintf (child->name, sizeof child->name, "child%u.%u", parent->runs, i);
      parent->children[i] = isle_effect_ref (isle_effect_new (graph, child_cb, child, child_free));
    }

  return TRUE;
}

static void
test_effect_parent_before_children (Fixture       *fixture,
                                    gconstpointer  data)
{
  Parent parent = { fixture, NULL, NULL, { NULL, NULL }, 0, 0 };
  IsleEffect *effect;
  guint i;

  parent.parent_state = isle_state_new_int (fixture->graph, 0);
  parent.child_state = isle_state_new_int (fixture->graph, 0);
  effect = isle_effect_new (fixture->graph, parent_cb, &parent, NULL);

  /* Children created during a flush run in that same flush, after their
   * parent, in creation order. */
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  g_assert_cmpstr (fixture->log->str, ==, "parent=0;child1.0=0;child1.1=0;");

  /* Only the children depend on child_state. */
  g_string_truncate (fixture->log, 0);
  isle_state_set_int (parent.child_state, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "child1.0=1;child1.1=1;");

  /* Both change: the parent reruns first; the old children, disposed by
   * that rerun, never run again; the new ones run after it. */
  g_string_truncate (fixture->log, 0);
  isle_state_set_int (parent.child_state, 2);
  isle_state_set_int (parent.parent_state, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "parent=2;child2.0=2;child2.1=2;");
  g_assert_cmpuint (parent.children_destroyed, ==, 2);

  /* Disposing the parent disposes its children. */
  isle_effect_dispose (effect);
  g_assert_cmpuint (parent.children_destroyed, ==, 4);
  for (i = 0; i < G_N_ELEMENTS (parent.children); i++)
    {
      g_assert_true (isle_effect_is_disposed (parent.children[i]));
      isle_effect_unref (parent.children[i]);
    }
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 2);
}

/* Cleanups: logged as "cleanup:NAME;" and released as "free:NAME;". */
typedef struct {
  GString *log;
  char     name[16];
  guint    calls;
} Cleanup;

static void
cleanup_cb (gpointer user_data)
{
  Cleanup *cleanup = user_data;

  cleanup->calls++;
  g_assert_cmpuint (cleanup->calls, ==, 1);
  g_string_append_printf (cleanup->log, "cleanup:%s;", cleanup->name);
}

static void
cleanup_free (gpointer user_data)
{
  Cleanup *cleanup = user_data;

  g_string_append_printf (cleanup->log, "free:%s;", cleanup->name);
  g_free (cleanup);
}

typedef struct {
  GString   *log;
  IsleState *state;
  guint      runs;
} WithCleanups;

static gboolean
with_cleanups_cb (IsleEffect  *self,
                  gpointer     user_data,
                  GError     **error)
{
  WithCleanups *with = user_data;
  guint i;

  with->runs++;
  g_string_append_printf (with->log, "run%u;", with->runs);
  (void) isle_state_get_int (with->state);

  for (i = 0; i < 2; i++)
    {
      Cleanup *cleanup = g_new0 (Cleanup, 1);

      cleanup->log = with->log;
      g_snprintf (cleanup->name, sizeof cleanup->name, "%u%c", with->runs, 'a' + i);
      isle_effect_add_cleanup (self, cleanup_cb, cleanup, cleanup_free);
    }

  return TRUE;
}

static void
test_effect_cleanups (Fixture       *fixture,
                      gconstpointer  data)
{
  WithCleanups with = { fixture->log, NULL, 0 };
  IsleEffect *effect;

  with.state = isle_state_new_int (fixture->graph, 0);
  effect = isle_effect_new (fixture->graph, with_cleanups_cb, &with, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "run1;");

  /* Before the next run, in reverse order, each once. */
  isle_state_set_int (with.state, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==,
                   "run1;cleanup:1b;free:1b;cleanup:1a;free:1a;run2;");

  /* On dispose, likewise; and never again. */
  g_string_truncate (fixture->log, 0);
  isle_effect_dispose (effect);
  g_assert_cmpstr (fixture->log->str, ==, "cleanup:2b;free:2b;cleanup:2a;free:2a;");
  isle_state_set_int (with.state, 2);
  isle_graph_flush (fixture->graph);
  isle_graph_dispose_nodes (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "cleanup:2b;free:2b;cleanup:2a;free:2a;");
}

static void
test_effect_cleanups_with_graph (void)
{
  IsleGraph *graph = isle_graph_new ();
  GString *log = g_string_new (NULL);
  WithCleanups with = { log, NULL, 0 };

  with.state = isle_state_new_int (graph, 0);
  isle_effect_new (graph, with_cleanups_cb, &with, NULL);
  isle_graph_flush (graph);

  g_assert_finalize_object (graph);
  g_assert_cmpstr (log->str, ==, "run1;cleanup:1b;free:1b;cleanup:1a;free:1a;");
  g_string_free (log, TRUE);
}

/* Teardown order: a tree of effects, each run logging "run:NAME;",
 * making a state of its own and (above the last level) two children
 * NAME.1 and NAME.2, and registering a cleanup that logs "cleanup:NAME;"
 * and reads the state its parent made. Children go first, in creation
 * order, then the parent's cleanups: "child1, child2, parent", as in
 * Svelte, at every level. */
typedef struct {
  GString   *log;
  IsleState *trigger;
  int        levels;
} Tree;

typedef struct {
  Tree      *tree;
  char       name[32];
  int        level;
  IsleState *parent_state;  /* made by the parent's run; NULL for a root */
  IsleState *own_state;     /* made by this effect's last run */
} TreeNode;

static gboolean tree_node_cb (IsleEffect  *self,
                              gpointer     user_data,
                              GError     **error);

static void
tree_node_cleanup_cb (gpointer user_data)
{
  TreeNode *node = user_data;

  /* What the parent's run made is still there for the child's cleanup. */
  if (node->parent_state != NULL)
    g_assert_cmpint (isle_state_get_int (node->parent_state), ==, node->level - 1);
  g_assert_cmpint (isle_state_get_int (node->own_state), ==, node->level);
  g_string_append_printf (node->tree->log, "cleanup:%s;", node->name);
}

static IsleEffect *
tree_node_new (IsleGraph  *graph,
               Tree       *tree,
               const char *name,
               int         level,
               IsleState  *parent_state)
{
  TreeNode *node = g_new0 (TreeNode, 1);

  node->tree = tree;
  g_strlcpy (node->name, name, sizeof node->name);
  node->level = level;
  node->parent_state = parent_state;

  return isle_effect_new (graph, tree_node_cb, node, g_free);
}

static gboolean
tree_node_cb (IsleEffect  *self,
              gpointer     user_data,
              GError     **error)
{
  TreeNode *node = user_data;
  IsleGraph *graph = isle_state_get_graph (node->tree->trigger);

  if (node->level == 0)
    (void) isle_state_get_int (node->tree->trigger);
  g_string_append_printf (node->tree->log, "run:%s;", node->name);

  node->own_state = isle_state_new_int (graph, node->level);
  if (node->level + 1 < node->tree->levels)
    {
      for (int i = 1; i <= 2; i++)
        {
          g_autofree char *child = g_strdup_printf ("%s.%d", node->name, i);

          tree_node_new (graph, node->tree, child, node->level + 1, node->own_state);
        }
    }
  isle_effect_add_cleanup (self, tree_node_cleanup_cb, node, NULL);

  return TRUE;
}

/* On a rerun: the children's cleanups, then the parent's; then the new
 * run makes new children. */
static void
test_effect_teardown_children_first_on_rerun (Fixture       *fixture,
                                              gconstpointer  data)
{
  Tree tree = { fixture->log, NULL, 2 };

  tree.trigger = isle_state_new_int (fixture->graph, 0);
  tree_node_new (fixture->graph, &tree, "p", 0, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "run:p;run:p.1;run:p.2;");

  g_string_truncate (fixture->log, 0);
  isle_state_set_int (tree.trigger, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==,
                   "cleanup:p.1;cleanup:p.2;cleanup:p;run:p;run:p.1;run:p.2;");
  /* The trigger, p, its state and its two new children with theirs. */
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1 + 2 + 2 * 2);

  /* The tree lives on this stack frame. */
  isle_graph_dispose_nodes (fixture->graph);
}

/* On dispose, likewise, and nothing runs again. */
static void
test_effect_teardown_children_first_on_dispose (Fixture       *fixture,
                                                gconstpointer  data)
{
  Tree tree = { fixture->log, NULL, 2 };
  IsleEffect *parent;

  tree.trigger = isle_state_new_int (fixture->graph, 0);
  parent = tree_node_new (fixture->graph, &tree, "p", 0, NULL);
  isle_graph_flush (fixture->graph);

  g_string_truncate (fixture->log, 0);
  isle_effect_dispose (parent);
  g_assert_cmpstr (fixture->log->str, ==, "cleanup:p.1;cleanup:p.2;cleanup:p;");
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);

  isle_state_set_int (tree.trigger, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "cleanup:p.1;cleanup:p.2;cleanup:p;");
}

/* Three levels: each effect's subtree goes before the effect itself, on
 * a rerun and on dispose (runs go in creation order, as always). */
static void
test_effect_teardown_three_levels (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *teardown = "cleanup:p.1.1;cleanup:p.1.2;cleanup:p.1;"
                         "cleanup:p.2.1;cleanup:p.2.2;cleanup:p.2;"
                         "cleanup:p;";
  Tree tree = { fixture->log, NULL, 3 };
  g_autofree char *rerun = NULL;
  IsleEffect *parent;

  tree.trigger = isle_state_new_int (fixture->graph, 0);
  parent = tree_node_new (fixture->graph, &tree, "p", 0, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==,
                   "run:p;run:p.1;run:p.2;run:p.1.1;run:p.1.2;run:p.2.1;run:p.2.2;");

  g_string_truncate (fixture->log, 0);
  isle_state_set_int (tree.trigger, 1);
  isle_graph_flush (fixture->graph);
  rerun = g_strconcat (teardown,
                       "run:p;run:p.1;run:p.2;run:p.1.1;run:p.1.2;run:p.2.1;run:p.2.2;",
                       NULL);
  g_assert_cmpstr (fixture->log->str, ==, rerun);

  g_string_truncate (fixture->log, 0);
  isle_effect_dispose (parent);
  g_assert_cmpstr (fixture->log->str, ==, teardown);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);
}

/* When the graph goes, its own effects go in creation order, each with
 * its children first. */
static void
test_effect_teardown_with_graph (void)
{
  IsleGraph *graph = isle_graph_new ();
  GString *log = g_string_new (NULL);
  Tree tree = { log, NULL, 2 };

  tree.trigger = isle_state_new_int (graph, 0);
  tree_node_new (graph, &tree, "a", 0, NULL);
  tree_node_new (graph, &tree, "b", 0, NULL);
  isle_graph_flush (graph);
  g_string_truncate (log, 0);

  g_assert_finalize_object (graph);
  g_assert_cmpstr (log->str, ==,
                   "cleanup:a.1;cleanup:a.2;cleanup:a;cleanup:b.1;cleanup:b.2;cleanup:b;");
  g_string_free (log, TRUE);
}

/* Ownership: a state, a derived and an effect created in each run. */
typedef struct {
  IsleState   *trigger;
  IsleState   *state;
  IsleDerived *derived;
  IsleEffect  *effect;
  guint        derived_destroyed;
  guint        effect_destroyed;
  guint        cleanups;
  guint        child_runs;
  guint        runs;
} Owner;

static gboolean
owned_derived_cb (IsleDerived  *self,
                  GValue       *value,
                  gpointer      user_data,
                  GError      **error)
{
  g_value_set_int (value, 1);
  return TRUE;
}

static gboolean
owned_effect_cb (IsleEffect  *self,
                 gpointer     user_data,
                 GError     **error)
{
  Owner *owner = user_data;

  owner->child_runs++;

  return TRUE;
}

static void
owned_effect_destroy (gpointer user_data)
{
  Owner *owner = user_data;

  owner->effect_destroyed++;
}

static void
owner_release (Owner *owner)
{
  if (owner->state == NULL)
    return;

  g_assert_true (isle_state_is_disposed (owner->state));
  g_assert_true (isle_derived_is_disposed (owner->derived));
  g_assert_true (isle_effect_is_disposed (owner->effect));
  g_clear_pointer (&owner->state, isle_state_unref);
  g_clear_pointer (&owner->derived, isle_derived_unref);
  g_clear_pointer (&owner->effect, isle_effect_unref);
}

static gboolean
owner_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  Owner *owner = user_data;
  IsleGraph *graph = isle_effect_get_graph (self);

  owner->runs++;
  (void) isle_state_get_int (owner->trigger);

  owner_release (owner);
  g_assert_cmpuint (owner->derived_destroyed, ==, owner->runs - 1);
  g_assert_cmpuint (owner->effect_destroyed, ==, owner->runs - 1);
  g_assert_cmpuint (owner->cleanups, ==, owner->runs - 1);

  owner->state = isle_state_ref (isle_state_new_int (graph, 0));
  owner->derived = isle_derived_ref (isle_derived_new (graph, G_TYPE_INT, owned_derived_cb,
                                                       &owner->derived_destroyed,
                                                       count_destroy));
  owner->effect = isle_effect_ref (isle_effect_new (graph, owned_effect_cb, owner,
                                                   owned_effect_destroy));
  isle_effect_add_cleanup (owner->effect, count_destroy, &owner->cleanups, NULL);

  return TRUE;
}

static void
test_effect_owns_nodes (Fixture       *fixture,
                        gconstpointer  data)
{
  Owner owner = { NULL, };
  IsleEffect *effect;
  guint n_nodes;

  owner.trigger = isle_state_new_int (fixture->graph, 0);
  effect = isle_effect_new (fixture->graph, owner_cb, &owner, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (owner.runs, ==, 1);
  g_assert_cmpuint (owner.child_runs, ==, 1);
  g_assert_false (isle_state_is_disposed (owner.state));
  n_nodes = isle_graph_get_n_nodes (fixture->graph);
  g_assert_cmpuint (n_nodes, ==, 5);

  /* Each rerun disposes the previous nodes: nothing piles up. */
  isle_state_set_int (owner.trigger, 1);
  isle_graph_flush (fixture->graph);
  isle_state_set_int (owner.trigger, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (owner.runs, ==, 3);
  g_assert_cmpuint (owner.child_runs, ==, 3);
  g_assert_cmpuint (owner.derived_destroyed, ==, 2);
  g_assert_cmpuint (owner.effect_destroyed, ==, 2);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, n_nodes);

  /* And they go with their owner. */
  isle_effect_dispose (effect);
  owner_release (&owner);
  g_assert_cmpuint (owner.derived_destroyed, ==, 3);
  g_assert_cmpuint (owner.effect_destroyed, ==, 3);
  g_assert_cmpuint (owner.cleanups, ==, 3);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);
}

static void
test_effect_owned_nodes_go_with_graph (void)
{
  IsleGraph *graph = isle_graph_new ();
  Owner owner = { NULL, };

  owner.trigger = isle_state_new_int (graph, 0);
  isle_effect_new (graph, owner_cb, &owner, NULL);
  isle_graph_flush (graph);

  g_assert_finalize_object (graph);
  owner_release (&owner);
  g_assert_cmpuint (owner.derived_destroyed, ==, 1);
  g_assert_cmpuint (owner.effect_destroyed, ==, 1);
  g_assert_cmpuint (owner.cleanups, ==, 1);
}

static gboolean
never_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  g_assert_not_reached ();
  return FALSE;
}

static void
test_effect_dispose (Fixture       *fixture,
                     gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Logger *logger = logger_new (fixture, "e", state);
  IsleEffect *effect;
  guint destroyed = 0;
  IsleEffect *pending;

  effect = isle_effect_new (fixture->graph, logger_cb, logger, g_free);
  isle_graph_flush (fixture->graph);
  isle_effect_ref (effect);

  isle_state_set_int (state, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 1);
  isle_effect_dispose (effect);
  g_assert_true (isle_effect_is_disposed (effect));
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);
  isle_effect_unref (effect);

  /* Disposed before its first run: it never runs. */
  pending = isle_effect_new (fixture->graph, never_cb, &destroyed, count_destroy);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 1);
  isle_effect_dispose (pending);
  g_assert_cmpuint (destroyed, ==, 1);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);
}

static gboolean
self_disposing_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Logger *logger = user_data;

  logger_cb (self, logger, error);
  if (logger->last == 1)
    isle_effect_dispose (self);

  return TRUE;
}

/* A child effect, with no destroy notify and no reference but its
 * owner's, that disposes its owner while it runs: the owner's reference
 * goes in the middle of the child's run, which must still end safely
 * (AddressSanitizer sees to it). */
typedef struct
{
  IsleState  *state;
  IsleEffect *parent;
  guint       child_runs;
  guint       parent_runs;
} Regicide;

static gboolean
regicide_child_cb (IsleEffect  *self,
                   gpointer     user_data,
                   GError     **error)
{
  Regicide *regicide = user_data;

  regicide->child_runs++;
  if (isle_state_get_int (regicide->state) == 1)
    {
      isle_effect_dispose (regicide->parent);
      g_assert_true (isle_effect_is_disposed (self));
    }

  return TRUE;
}

static gboolean
regicide_parent_cb (IsleEffect  *self,
                    gpointer     user_data,
                    GError     **error)
{
  Regicide *regicide = user_data;

  regicide->parent_runs++;
  isle_effect_new (isle_effect_get_graph (self), regicide_child_cb, regicide, NULL);

  return TRUE;
}

static void
test_effect_child_disposes_owner (Fixture       *fixture,
                                  gconstpointer  data)
{
  Regicide regicide = { 0 };

  regicide.state = isle_state_new_int (fixture->graph, 0);
  regicide.parent = isle_effect_new (fixture->graph, regicide_parent_cb, &regicide, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (regicide.parent_runs, ==, 1);
  g_assert_cmpuint (regicide.child_runs, ==, 1);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 3);

  isle_state_set_int (regicide.state, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (regicide.child_runs, ==, 2);
  g_assert_cmpuint (regicide.parent_runs, ==, 1);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);

  /* The graph goes on. */
  isle_state_set_int (regicide.state, 2);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (regicide.child_runs, ==, 2);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
}

static void
test_effect_dispose_self (Fixture       *fixture,
                          gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Logger *logger = logger_new (fixture, "e", state);
  IsleEffect *effect;

  effect = isle_effect_ref (isle_effect_new (fixture->graph, self_disposing_cb, logger, g_free));
  isle_graph_flush (fixture->graph);

  isle_state_set_int (state, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "e=0;e=1;");
  g_assert_true (isle_effect_is_disposed (effect));
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 2);
  isle_effect_unref (effect);

  /* It stays gone, and the graph keeps working. */
  isle_state_set_int (state, 2);
  isle_effect_new (fixture->graph, logger_cb, logger_new (fixture, "f", state), g_free);
  isle_graph_flush (fixture->graph);
  isle_state_set_int (state, 3);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "e=0;e=1;f=2;f=3;");
}

static void
test_effect_name (Fixture       *fixture,
                  gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  IsleEffect *effect = isle_effect_new (fixture->graph, logger_cb,
                                        logger_new (fixture, "e", state), g_free);

  g_assert_null (isle_effect_get_name (effect));
  isle_effect_set_name (effect, "render");
  g_assert_cmpstr (isle_effect_get_name (effect), ==, "render");
}

/* An effect writes a state another effect reads: one flush settles both. */
typedef struct {
  IsleState *input;
  IsleState *output;
} Writer;

static gboolean
writer_cb (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  Writer *writer = user_data;

  isle_state_set_int (writer->output, 10 * isle_state_get_int (writer->input));

  return TRUE;
}

static void
run_write_in_effect (Fixture  *fixture,
                     gboolean  reader_first)
{
  Writer writer;
  Logger *reader;

  writer.input = isle_state_new_int (fixture->graph, 0);
  writer.output = isle_state_new_int (fixture->graph, 0);
  reader = logger_new (fixture, "r", writer.output);

  if (reader_first)
    isle_effect_new (fixture->graph, logger_cb, reader, g_free);
  isle_effect_new (fixture->graph, writer_cb, &writer, NULL);
  if (!reader_first)
    isle_effect_new (fixture->graph, logger_cb, reader, g_free);
  isle_graph_flush (fixture->graph);
  g_assert_cmpstr (fixture->log->str, ==, "r=0;");

  isle_state_set_int (writer.input, 1);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  g_assert_cmpstr (fixture->log->str, ==, "r=0;r=10;");

  isle_graph_dispose_nodes (fixture->graph);
}

static void
test_effect_write_read_later (Fixture       *fixture,
                              gconstpointer  data)
{
  run_write_in_effect (fixture, FALSE);
}

static void
test_effect_write_read_earlier (Fixture       *fixture,
                                gconstpointer  data)
{
  run_write_in_effect (fixture, TRUE);
}

/* Dynamic dependencies of an effect. */
typedef struct {
  IsleState *flag;
  IsleState *a;
  IsleState *b;
  guint      runs;
} Branch;

static gboolean
branch_cb (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  Branch *branch = user_data;

  branch->runs++;
  if (isle_state_get_boolean (branch->flag))
    (void) isle_state_get_int (branch->a);
  else
    (void) isle_state_get_int (branch->b);

  return TRUE;
}

static void
test_effect_dynamic_dependencies (Fixture       *fixture,
                                  gconstpointer  data)
{
  Branch branch = { NULL, };

  branch.flag = isle_state_new_boolean (fixture->graph, TRUE);
  branch.a = isle_state_new_int (fixture->graph, 1);
  branch.b = isle_state_new_int (fixture->graph, 2);
  isle_effect_new (fixture->graph, branch_cb, &branch, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.runs, ==, 1);

  isle_state_set_int (branch.b, 3);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.runs, ==, 1);

  isle_state_set_boolean (branch.flag, FALSE);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.runs, ==, 2);

  /* a was dropped. */
  isle_state_set_int (branch.a, 3);
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.runs, ==, 2);

  isle_state_set_int (branch.b, 4);
  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (branch.runs, ==, 3);

  isle_graph_dispose_nodes (fixture->graph);
}

/* Headless scheduling: an idle on the graph's context flushes. */

static void
test_effect_headless_main_loop (Fixture       *fixture,
                                gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Logger *logger = logger_new (fixture, "e", state);
  IsleEffect *effect;

  g_assert_true (isle_graph_get_context (fixture->graph) == g_main_context_default ());

  effect = isle_effect_new (fixture->graph, logger_cb, logger, g_free);
  logger->done_at = 0;
  iterate_until (NULL, &logger->done);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);

  logger->done = FALSE;
  logger->done_at = 3;
  isle_state_set_int (state, 1);
  isle_state_set_int (state, 2);
  isle_state_set_int (state, 3);
  iterate_until (NULL, &logger->done);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 2);
  g_assert_cmpstr (fixture->log->str, ==, "e=0;e=3;");
}

typedef struct {
  IsleState *state;
  GMainLoop *loop;
} Quitter;

static gboolean
quitter_cb (IsleEffect  *self,
            gpointer     user_data,
            GError     **error)
{
  Quitter *quitter = user_data;

  if (isle_state_get_int (quitter->state) == 7)
    g_main_loop_quit (quitter->loop);

  return TRUE;
}

static gboolean
timeout_fail_cb (gpointer user_data)
{
  g_error ("timed out waiting for the graph to flush on its own");
  return G_SOURCE_REMOVE;
}

static void
test_effect_headless_g_main_loop (Fixture       *fixture,
                                  gconstpointer  data)
{
  Quitter quitter;
  guint timeout_id;

  quitter.state = isle_state_new_int (fixture->graph, 0);
  quitter.loop = g_main_loop_new (NULL, FALSE);
  isle_effect_new (fixture->graph, quitter_cb, &quitter, NULL);
  isle_state_set_int (quitter.state, 7);

  timeout_id = g_timeout_add_seconds (10, timeout_fail_cb, NULL);
  g_main_loop_run (quitter.loop);
  g_source_remove (timeout_id);

  g_main_loop_unref (quitter.loop);
  isle_graph_dispose_nodes (fixture->graph);
}

/* The flush runs at G_PRIORITY_HIGH_IDLE + 10: before a redraw-priority
 * idle (HIGH_IDLE + 20) and a default idle, after a default-priority source. */
typedef struct {
  IsleEffect *effect;
  guint       runs_seen;
  gboolean    done;
} Probe;

static gboolean
probe_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->runs_seen = isle_effect_get_run_count (probe->effect);
  probe->done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_effect_flush_priority (Fixture       *fixture,
                            gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);
  Probe before = { NULL, 0, FALSE };
  Probe redraw = { NULL, 0, FALSE };
  Probe idle = { NULL, 0, FALSE };

  /* The probes exist before the effect is queued. */
  g_idle_add_full (G_PRIORITY_DEFAULT, probe_cb, &before, NULL);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, probe_cb, &redraw, NULL);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, probe_cb, &idle, NULL);
  before.effect = redraw.effect = idle.effect =
    isle_effect_new (fixture->graph, logger_cb, logger_new (fixture, "e", state), g_free);

  iterate_until (NULL, &idle.done);
  g_assert_true (before.done);
  g_assert_true (redraw.done);
  g_assert_cmpuint (before.runs_seen, ==, 0);
  g_assert_cmpuint (redraw.runs_seen, ==, 1);
  g_assert_cmpuint (idle.runs_seen, ==, 1);
}

/* A graph made in a thread with its own thread-default context schedules its
 * flushes there, and its effects run in that thread. */
typedef struct {
  GThread  *ran_in;
  gboolean  done;
} ThreadRun;

static gboolean
thread_effect_cb (IsleEffect  *self,
                  gpointer     user_data,
                  GError     **error)
{
  ThreadRun *run = user_data;

  run->ran_in = g_thread_self ();
  run->done = TRUE;

  return TRUE;
}

static gpointer
thread_func (gpointer data)
{
  GMainContext *context = g_main_context_new ();
  ThreadRun run = { NULL, FALSE };
  IsleGraph *graph;
  IsleEffect *effect;

  g_main_context_push_thread_default (context);
  graph = isle_graph_new ();
  g_assert_true (isle_graph_get_context (graph) == context);

  effect = isle_effect_new (graph, thread_effect_cb, &run, NULL);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 0);
  g_assert_true (g_main_context_pending (context));

  iterate_until (context, &run.done);
  g_assert_true (run.done);
  g_assert_true (run.ran_in == g_thread_self ());

  g_assert_finalize_object (graph);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return GINT_TO_POINTER (TRUE);
}

static void
test_effect_thread_context (void)
{
  GThread *thread;

  /* Nothing of the worker's graph may land on the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  thread = g_thread_new ("isle-test", thread_func, NULL);
  g_assert_true (g_thread_join (thread));
  g_assert_false (g_main_context_pending (NULL));
}


/* Effect roots {{{ */

/* An effect logging "inner N;" for its state, with a cleanup logging
 * "inner destroyed;". */
typedef struct {
  GString   *log;
  IsleState *x;
} Inner;

static void
log_inner_destroyed (gpointer user_data)
{
  g_string_append (user_data, "inner destroyed;");
}

static gboolean
inner_effect_cb (IsleEffect  *self,
                 gpointer     user_data,
                 GError     **error)
{
  Inner *inner = user_data;

  g_string_append_printf (inner->log, "inner %d;", isle_state_get_int (inner->x));
  isle_effect_add_cleanup (self, log_inner_destroyed, inner->log, NULL);

  return TRUE;
}

typedef struct {
  GString   *log;
  IsleState *c;
  GPtrArray *roots;         /* IsleEffect, a reference each */
  GPtrArray *inner_states;  /* IsleState, owned by the roots */
} RootInDerived;

static gboolean
root_in_derived_root_cb (IsleEffect  *root,
                         gpointer     user_data,
                         GError     **error)
{
  RootInDerived *test = user_data;
  IsleGraph *graph = isle_effect_get_graph (root);
  Inner *inner = g_new0 (Inner, 1);

  inner->log = test->log;
  inner->x = isle_state_new_int (graph, 0);
  g_ptr_array_add (test->inner_states, inner->x);
  isle_effect_new (graph, inner_effect_cb, inner, g_free);

  return TRUE;
}

static gboolean
root_in_derived_cb (IsleDerived  *self,
                    GValue       *value,
                    gpointer      user_data,
                    GError      **error)
{
  RootInDerived *test = user_data;
  IsleEffect *root = isle_effect_new_root (isle_derived_get_graph (self),
                                           root_in_derived_root_cb, test, NULL);

  g_ptr_array_add (test->roots, isle_effect_ref (root));
  g_value_set_int (value, isle_state_get_int (test->c));

  return TRUE;
}

/* Svelte, tests/signals/test.ts, "$effect.root inside deriveds stay alive
 * independently". */
static void
test_effect_root_in_derived (Fixture       *fixture,
                             gconstpointer  data)
{
  RootInDerived test = { fixture->log, NULL, NULL, NULL };
  IsleDerived *d;

  test.c = isle_state_new_int (fixture->graph, 0);
  test.roots = g_ptr_array_new_with_free_func ((GDestroyNotify) isle_effect_unref);
  test.inner_states = g_ptr_array_new ();
  d = isle_derived_new (fixture->graph, G_TYPE_INT, root_in_derived_cb, &test, NULL);

  g_string_append_printf (fixture->log, "%d;", isle_derived_get_int (d));
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "0;inner 0;");

  isle_state_set_int (g_ptr_array_index (test.inner_states, 0), 1);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "inner destroyed;inner 1;");

  /* The derived's rerun does not tear the first root down. */
  isle_state_set_int (test.c, 1);
  g_string_append_printf (fixture->log, "%d;", isle_derived_get_int (d));
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "1;inner 0;");
  g_assert_cmpuint (test.roots->len, ==, 2);
  g_assert_false (isle_effect_is_disposed (g_ptr_array_index (test.roots, 0)));

  for (guint i = 0; i < test.roots->len; i++)
    isle_effect_dispose (g_ptr_array_index (test.roots, i));
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "inner destroyed;inner destroyed;");

  g_ptr_array_unref (test.roots);
  g_ptr_array_unref (test.inner_states);
}

/* Svelte, tests/runtime-runes/samples/effect-root: a root holding an
 * effect and a nested root; the root's cleanup disposes the nested one. */
typedef struct {
  GString    *log;
  IsleState  *x;
  IsleEffect *nested;
} Sample;

static gboolean
log_x_cb (IsleEffect  *self,
          gpointer     user_data,
          GError     **error)
{
  Sample *sample = user_data;

  g_string_append_printf (sample->log, "%d;", isle_state_get_int (sample->x));

  return TRUE;
}

static void
log_cleanup_2 (gpointer user_data)
{
  g_string_append (user_data, "cleanup 2;");
}

static gboolean
nested_root_cb (IsleEffect  *root,
                gpointer     user_data,
                GError     **error)
{
  Sample *sample = user_data;

  isle_effect_add_cleanup (root, log_cleanup_2, sample->log, NULL);

  return TRUE;
}

static void
log_cleanup_1 (gpointer user_data)
{
  Sample *sample = user_data;

  g_string_append (sample->log, "cleanup 1;");
  isle_effect_dispose (sample->nested);
}

static gboolean
sample_root_cb (IsleEffect  *root,
                gpointer     user_data,
                GError     **error)
{
  Sample *sample = user_data;
  IsleGraph *graph = isle_effect_get_graph (root);

  isle_effect_new (graph, log_x_cb, sample, NULL);
  sample->nested = isle_effect_new_root (graph, nested_root_cb, sample, NULL);
  isle_effect_add_cleanup (root, log_cleanup_1, sample, NULL);

  return TRUE;
}

static void
test_effect_root_nested (Fixture       *fixture,
                         gconstpointer  data)
{
  Sample sample = { fixture->log, NULL, NULL };
  IsleState *y;
  IsleEffect *root;

  sample.x = isle_state_new_int (fixture->graph, 0);
  y = isle_state_new_int (fixture->graph, 0);
  root = isle_effect_new_root (fixture->graph, sample_root_cb, &sample, NULL);
  g_assert_cmpuint (isle_effect_get_run_count (root), ==, 1);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "0;");

  isle_state_set_int (sample.x, 1);
  isle_state_set_int (y, 1);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "1;");

  isle_effect_dispose (root);
  assert_log (fixture->log, "cleanup 1;cleanup 2;");

  isle_state_set_int (sample.x, 2);
  isle_state_set_int (y, 2);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "");
}

/* Svelte, tests/runtime-runes/samples/effect-root-2: the root's own body
 * runs at once, once, and what it reads does not make it run again. */
static void
log_cleanup (gpointer user_data)
{
  g_string_append (user_data, "cleanup;");
}

static gboolean
untracked_root_cb (IsleEffect  *root,
                   gpointer     user_data,
                   GError     **error)
{
  Sample *sample = user_data;

  g_string_append_printf (sample->log, "%d;", isle_state_get_int (sample->x));
  isle_effect_add_cleanup (root, log_cleanup, sample->log, NULL);

  return TRUE;
}

static void
test_effect_root_untracked (Fixture       *fixture,
                            gconstpointer  data)
{
  Sample sample = { fixture->log, NULL, NULL };
  IsleEffect *root;

  sample.x = isle_state_new_int (fixture->graph, 0);
  root = isle_effect_new_root (fixture->graph, untracked_root_cb, &sample, NULL);
  assert_log (fixture->log, "0;");
  g_assert_cmpuint (isle_graph_get_n_pending (fixture->graph), ==, 0);

  isle_state_set_int (sample.x, 1);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "");
  g_assert_cmpuint (isle_effect_get_run_count (root), ==, 1);

  isle_effect_dispose (root);
  assert_log (fixture->log, "cleanup;");

  isle_state_set_int (sample.x, 2);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "");
}

/* Svelte, tests/runtime-runes/samples/effect-root-4: roots run at
 * creation, in order, whether or not their handle is kept; a root never
 * disposed goes with its graph's nodes. */
static gboolean
log_name_root_cb (IsleEffect  *root,
                  gpointer     user_data,
                  GError     **error)
{
  GString *log = user_data;

  g_string_append_printf (log, "%s;", isle_effect_get_name (root) != NULL
                                      ? isle_effect_get_name (root) : "effect");
  isle_effect_add_cleanup (root, log_cleanup, log, NULL);

  return TRUE;
}

static void
test_effect_root_runs_at_once (Fixture       *fixture,
                               gconstpointer  data)
{
  IsleEffect *cleanup;

  isle_effect_new_root (fixture->graph, log_name_root_cb, fixture->log, NULL);
  cleanup = isle_effect_new_root (fixture->graph, log_name_root_cb, fixture->log, NULL);
  assert_log (fixture->log, "effect;effect;");
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 2);

  isle_effect_dispose (cleanup);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "cleanup;");
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);

  isle_graph_dispose_nodes (fixture->graph);
  assert_log (fixture->log, "cleanup;");
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 0);
}

/* Svelte, tests/runtime-runes/samples/effect-root-5: an effect that
 * creates a root on demand and disposes it when its input goes; the root
 * survives the reruns of the effect that created it. */
typedef struct {
  GString    *log;
  IsleState  *obj;
  IsleState  *count;
  IsleEffect *teardown;
} OnDemand;

static gboolean
log_count_cb (IsleEffect  *self,
              gpointer     user_data,
              GError     **error)
{
  OnDemand *test = user_data;

  g_string_append_printf (test->log, "%d;", isle_state_get_int (test->count));

  return TRUE;
}

static gboolean
on_demand_inner_root_cb (IsleEffect  *root,
                         gpointer     user_data,
                         GError     **error)
{
  isle_effect_new (isle_effect_get_graph (root), log_count_cb, user_data, NULL);

  return TRUE;
}

static gboolean
on_demand_effect_cb (IsleEffect  *self,
                     gpointer     user_data,
                     GError     **error)
{
  OnDemand *test = user_data;

  if (isle_state_get_string (test->obj) != NULL)
    {
      if (test->teardown == NULL)
        test->teardown = isle_effect_ref (isle_effect_new_root (isle_effect_get_graph (self),
                                                                on_demand_inner_root_cb,
                                                                test, NULL));
    }
  else if (test->teardown != NULL)
    {
      isle_effect_dispose (test->teardown);
      g_clear_pointer (&test->teardown, isle_effect_unref);
    }

  return TRUE;
}

static gboolean
on_demand_outer_root_cb (IsleEffect  *root,
                         gpointer     user_data,
                         GError     **error)
{
  isle_effect_new (isle_effect_get_graph (root), on_demand_effect_cb, user_data, NULL);

  return TRUE;
}

static void
test_effect_root_on_demand (Fixture       *fixture,
                            gconstpointer  data)
{
  OnDemand test = { fixture->log, NULL, NULL, NULL };
  IsleEffect *outer;
  IsleEffect *inner;

  test.obj = isle_state_new_string (fixture->graph, "a");
  test.count = isle_state_new_int (fixture->graph, 0);
  outer = isle_effect_new_root (fixture->graph, on_demand_outer_root_cb, &test, NULL);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "0;");
  inner = test.teardown;
  g_assert_nonnull (inner);

  isle_state_set_int (test.count, 1);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "1;");

  /* The creating effect reruns; the root it made stays as it is. */
  isle_state_set_string (test.obj, "b");
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "");
  g_assert_true (test.teardown == inner);
  g_assert_false (isle_effect_is_disposed (inner));
  isle_state_set_int (test.count, 2);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "2;");

  isle_state_set_string (test.obj, NULL);
  isle_graph_flush (fixture->graph);
  g_assert_null (test.teardown);
  isle_state_set_int (test.count, 3);
  isle_graph_flush (fixture->graph);
  assert_log (fixture->log, "");

  isle_effect_dispose (outer);
}

/* Svelte, tests/runtime-runes/samples/effect-root-6: a root keeps working
 * after the effect that created it was disposed. */
typedef struct {
  IsleState   *count;
  IsleDerived *twice;
} RootCounter;

static gboolean
twice_count_cb (IsleDerived  *self,
                GValue       *value,
                gpointer      user_data,
                GError      **error)
{
  g_value_set_int (value, 2 * isle_state_get_int (user_data));

  return TRUE;
}

static gboolean
counter_root_cb (IsleEffect  *root,
                 gpointer     user_data,
                 GError     **error)
{
  RootCounter *counter = user_data;
  IsleGraph *graph = isle_effect_get_graph (root);

  counter->count = isle_state_new_int (graph, 0);
  counter->twice = isle_derived_new (graph, G_TYPE_INT, twice_count_cb, counter->count, NULL);

  return TRUE;
}

static gboolean
counter_creator_cb (IsleEffect  *self,
                    gpointer     user_data,
                    GError     **error)
{
  isle_effect_new_root (isle_effect_get_graph (self), counter_root_cb, user_data, NULL);

  return TRUE;
}

static void
test_effect_root_outlives_creator (Fixture       *fixture,
                                   gconstpointer  data)
{
  RootCounter counter = { NULL, NULL };
  IsleEffect *creator = isle_effect_new (fixture->graph, counter_creator_cb, &counter, NULL);

  isle_graph_flush (fixture->graph);
  g_assert_nonnull (counter.count);
  isle_effect_dispose (creator);

  g_assert_false (isle_state_is_disposed (counter.count));
  isle_state_set_int (counter.count, 1);
  g_assert_cmpint (isle_state_get_int (counter.count), ==, 1);
  g_assert_cmpint (isle_derived_get_int (counter.twice), ==, 2);
  /* The root, its state and its derived. */
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 3);
}

/* Svelte, tests/signals/test.ts, "deriveds read inside the root/branches
 * are cleaned up": a derived created and read in a root goes with it. */
typedef struct {
  IsleState   *a;
  IsleDerived *b;
} RootBranch;

static gboolean
branch_root_cb (IsleEffect  *root,
                gpointer     user_data,
                GError     **error)
{
  RootBranch *branch = user_data;

  branch->b = isle_derived_ref (isle_derived_new (isle_effect_get_graph (root), G_TYPE_INT,
                                                  twice_count_cb, branch->a, NULL));
  isle_derived_get_int (branch->b);

  return TRUE;
}

static void
test_effect_root_owns_deriveds (Fixture       *fixture,
                                gconstpointer  data)
{
  RootBranch branch = { NULL, NULL };
  IsleEffect *root;

  branch.a = isle_state_new_int (fixture->graph, 0);
  root = isle_effect_new_root (fixture->graph, branch_root_cb, &branch, NULL);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 3);

  isle_effect_dispose (root);
  g_assert_true (isle_derived_is_disposed (branch.b));
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);
  isle_derived_unref (branch.b);
}

/* Disposal goes children first, as for any effect: the root's effects in
 * creation order (each with its own children first), then its cleanups;
 * a root created inside it is not its child. */
typedef struct {
  GString    *log;
  const char *name;
  gboolean    with_child;
} Named;

static void
log_named_cleanup (gpointer user_data)
{
  Named *named = user_data;

  g_string_append_printf (named->log, "%s;", named->name);
}

static gboolean
named_effect_cb (IsleEffect  *self,
                 gpointer     user_data,
                 GError     **error)
{
  Named *named = user_data;

  if (named->with_child)
    {
      Named *child = g_new0 (Named, 1);

      child->log = named->log;
      child->name = "grandchild";
      isle_effect_new (isle_effect_get_graph (self), named_effect_cb, child, g_free);
    }
  isle_effect_add_cleanup (self, log_named_cleanup, named, NULL);

  return TRUE;
}

typedef struct {
  Named       child1;
  Named       child2;
  Named       self;
  Named       other;
  IsleEffect *other_root;
} RootTree;

static gboolean
other_root_cb (IsleEffect  *root,
               gpointer     user_data,
               GError     **error)
{
  isle_effect_add_cleanup (root, log_named_cleanup, user_data, NULL);

  return TRUE;
}

static gboolean
tree_root_cb (IsleEffect  *root,
              gpointer     user_data,
              GError     **error)
{
  RootTree *tree = user_data;
  IsleGraph *graph = isle_effect_get_graph (root);

  isle_effect_new (graph, named_effect_cb, &tree->child1, NULL);
  isle_effect_new (graph, named_effect_cb, &tree->child2, NULL);
  tree->other_root = isle_effect_ref (isle_effect_new_root (graph, other_root_cb, &tree->other, NULL));
  isle_effect_add_cleanup (root, log_named_cleanup, &tree->self, NULL);

  return TRUE;
}

static void
test_effect_root_teardown_order (Fixture       *fixture,
                                 gconstpointer  data)
{
  RootTree tree = {
    { fixture->log, "child1", TRUE },
    { fixture->log, "child2", FALSE },
    { fixture->log, "root", FALSE },
    { fixture->log, "other root", FALSE },
    NULL,
  };
  IsleEffect *root = isle_effect_new_root (fixture->graph, tree_root_cb, &tree, NULL);

  isle_graph_flush (fixture->graph);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 5);

  isle_effect_dispose (root);
  assert_log (fixture->log, "grandchild;child1;child2;root;");
  g_assert_false (isle_effect_is_disposed (tree.other_root));

  isle_effect_dispose (tree.other_root);
  assert_log (fixture->log, "other root;");
  isle_effect_unref (tree.other_root);
}

/* A failing root is reported once and keeps what it created. */
static gboolean
failing_root_cb (IsleEffect  *root,
                 gpointer     user_data,
                 GError     **error)
{
  isle_state_new_int (isle_effect_get_graph (root), 1);
  g_set_error_literal (error, ISLE_ERROR, ISLE_ERROR_FAILED, "no tooltip");

  return FALSE;
}

static void
test_effect_root_failure (Fixture       *fixture,
                          gconstpointer  data)
{
  IsleEffect *root;

  g_test_expect_message ("Isle", G_LOG_LEVEL_WARNING, "*failed: no tooltip*");
  root = isle_effect_new_root (fixture->graph, failing_root_cb, NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_nonnull (isle_effect_get_error (root));
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 2);

  isle_effect_dispose (root);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 0);

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*func != NULL*");
  g_assert_null (isle_effect_new_root (fixture->graph, NULL, NULL, NULL));
  g_test_assert_expected_messages ();
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Isle/Effect/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("first-run-at-flush", test_effect_first_run_at_flush);
  ADD ("many-writes-one-rerun", test_effect_many_writes_one_rerun);
  ADD ("creation-order", test_effect_creation_order);
  ADD ("creation-order-not-subscription-order",
       test_effect_creation_order_not_subscription_order);
  ADD ("parent-before-children", test_effect_parent_before_children);
  ADD ("cleanups", test_effect_cleanups);
  ADD ("teardown-children-first-on-rerun", test_effect_teardown_children_first_on_rerun);
  ADD ("teardown-children-first-on-dispose", test_effect_teardown_children_first_on_dispose);
  ADD ("teardown-three-levels", test_effect_teardown_three_levels);
  ADD ("owns-nodes", test_effect_owns_nodes);
  ADD ("dispose", test_effect_dispose);
  ADD ("dispose-self", test_effect_dispose_self);
  ADD ("child-disposes-owner", test_effect_child_disposes_owner);
  ADD ("name", test_effect_name);
  ADD ("write-read-later", test_effect_write_read_later);
  ADD ("write-read-earlier", test_effect_write_read_earlier);
  ADD ("dynamic-dependencies", test_effect_dynamic_dependencies);
  ADD ("headless-main-context", test_effect_headless_main_loop);
  ADD ("headless-main-loop", test_effect_headless_g_main_loop);
  ADD ("flush-priority", test_effect_flush_priority);
  ADD ("root/in-derived", test_effect_root_in_derived);
  ADD ("root/nested", test_effect_root_nested);
  ADD ("root/untracked", test_effect_root_untracked);
  ADD ("root/runs-at-once", test_effect_root_runs_at_once);
  ADD ("root/on-demand", test_effect_root_on_demand);
  ADD ("root/outlives-creator", test_effect_root_outlives_creator);
  ADD ("root/owns-deriveds", test_effect_root_owns_deriveds);
  ADD ("root/teardown-order", test_effect_root_teardown_order);
  ADD ("root/failure", test_effect_root_failure);

#undef ADD

  g_test_add_func ("/Isle/Effect/cleanups-with-graph", test_effect_cleanups_with_graph);
  g_test_add_func ("/Isle/Effect/teardown-with-graph", test_effect_teardown_with_graph);
  g_test_add_func ("/Isle/Effect/owned-nodes-go-with-graph", test_effect_owned_nodes_go_with_graph);
  g_test_add_func ("/Isle/Effect/thread-context", test_effect_thread_context);

  return g_test_run ();
}
