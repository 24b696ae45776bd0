/* test-model.c: a model-based random test of the signal engine
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Every round builds a random graph of integer states, deriveds and
 * effects, then applies random operations to it (set, batch, read, flush,
 * an idle flush through the main loop, dispose, add a node). A naive model
 * recomputes every derived from scratch after every write, and every read
 * the engine hands to the test or to a callback is compared with it.
 *
 * Each derived and effect runs a random "program": a sum of reads, some of
 * them behind a condition on another node, so dependencies change with the
 * values, taken modulo a small number so equal results are frequent. The
 * callbacks record what they read; from that the test knows, at any time,
 * which values each node depended on in its last run, and checks:
 *
 *  - values: every read, anywhere, equals the model (glitch-free);
 *  - laziness: a derived is computed only while something reads it (or,
 *    during a flush, while an effect may depend on it), never before it was
 *    first read, never when none of the values it read last time changed,
 *    and always when one of them did;
 *  - effects: run only inside a flush (explicit, at the end of the
 *    outermost batch, or the idle one from the main loop), in creation
 *    order, at most once per flush; run at the first flush after creation
 *    and whenever a value they read changed, also through a write made by
 *    an earlier effect in the same flush; never run when none changed;
 *    after a flush every effect is up to date and nothing is pending;
 *  - untracked reads create no dependencies; a disposed node never runs;
 *  - is_disposed(), get_n_nodes(), get_n_pending() and run counts agree
 *    with the model; releasing the graph disposes every node, frees every
 *    callback's data once and finalizes the graph.
 *
 * A value that changes and changes back (A to B to A) before anyone looks
 * may or may not cause a rerun; the test allows either and counts them
 * (ISLE_MODEL_STRICT_ABA=1 makes such a rerun a failure).
 *
 * The seed is printed at the start. Replay with ISLE_MODEL_SEED=N or
 * --seed N; ISLE_MODEL_ROUND=R runs only round R, ISLE_MODEL_VERBOSE=1
 * prints every operation, ISLE_MODEL_ROUNDS and ISLE_MODEL_OPS change the
 * amount of work; ISLE_MODEL_TOTAL_OPS=N runs rounds until N operations
 * (model steps, a batch counting as one) are done, whatever
 * ISLE_MODEL_ROUNDS says (the long run of the sanitizer build).
 *
 * Effects also nest and clean up: a run may create child effects (owned
 * by it, up to MAX_DEPTH levels) and register cleanups, and may dispose
 * something while it runs: itself, another effect (its own ancestor, or
 * one still pending in the flush) or a node nothing reads. The test logs
 * every cleanup that runs and every effect whose data is freed, and checks
 * that log against the teardown order of DESIGN.md wherever the engine
 * tears down: before each rerun, at each dispose (from the test or from a
 * callback) and when the graph goes: the effects a run created first, in
 * creation order, each torn down the same way and freed; then the
 * effect's own cleanups, newest first (isle_effect_add_cleanup ()). Each
 * cleanup runs once and its data is freed once, after it ran.
 */

#include <stdlib.h>
#include <string.h>

#include "isle-stores.h"

#define MAX_CLAUSES     3
#define MAX_READS       4
#define MAX_LIVE_NODES  60
#define MIN_VALUE       0
#define MAX_VALUE       4
#define MAX_DEPTH       2
#define MAX_ACTIONS     4

typedef enum {
  NODE_STATE,
  NODE_DERIVED,
  NODE_EFFECT,
} NodeKind;

typedef struct {
  guint id;
  int value;
} Read;

/* A clause adds its reads to the sum; with a condition, it reads the
 * condition node first and picks the "then" or the "else" reads. */
typedef struct {
  int cond;
  int pick;
  guint n_then;
  guint n_else;
  guint then_reads[MAX_READS];
  guint else_reads[MAX_READS];
} Clause;

typedef struct {
  int constant;
  int modulo;
  guint n_clauses;
  Clause clauses[MAX_CLAUSES];
  /* Reads made through isle_graph_untrack(), before clause untrack_at. */
  guint untrack_at;
  guint n_untracked;
  guint untracked[MAX_READS];
  /* An effect may write its result to a state of its own, created just
   * before it: only newer nodes can read that state, so the graph stays
   * acyclic and a flush still runs effects once each, in creation order. */
  int write_target;
  /* What an effect does on every run after its reads and its write, in
   * this order: create a child effect (owned by it) or register a
   * cleanup; n_actions of them. Then, with dispose_percent chance,
   * dispose something: itself, another effect (maybe its own ancestor,
   * maybe one still pending in this flush) or a node nothing reads. */
  guint n_actions;
  gboolean action_is_child[MAX_ACTIONS];
  int dispose_percent;
} Program;

typedef struct {
  guint64 rounds;
  guint64 ops;
  guint64 sets;
  guint64 reads;
  guint64 flushes;
  guint64 added;
  guint64 disposed;
  guint64 derived_runs;
  guint64 effect_runs;
  guint64 aba_derived_runs;
  guint64 aba_effect_runs;
  guint64 children;
  guint64 cleanups;
  guint64 teardowns;
  guint64 callback_disposes;
  guint64 self_disposes;
} Stats;

typedef struct _Model Model;

typedef struct {
  Model *model;
  NodeKind kind;
  guint id;
  gpointer handle;
  gboolean disposed;

  /* What the model says the value is (states and deriveds). */
  int value;
  Program program;

  /* What the callbacks observed. last_deps holds the tracked reads of the
   * last completed run; touched is set when one of those nodes changed
   * value at any point since (even if it changed back). */
  GArray *last_deps;
  gboolean has_run;
  gboolean touched;

  /* n_subs counts the live nodes that read this one in their last run
   * (those whose deps_counted is set); unwatched records that a derived
   * lost its last such reader since its own last run. Only used to explain
   * a failure. */
  guint n_subs;
  gboolean deps_counted;
  gboolean unwatched;

  /* ever_read: some read asked for it; reading: reads of it in progress. */
  gboolean ever_read;
  guint reading;
  guint n_runs;
  guint n_flush_runs;
  guint n_destroyed;

  /* Ownership (effects): the effect whose run created it (-1: none), its
   * nesting depth, and what its current run made so far: child effects
   * in creation order, cleanups (serials) in registration order. */
  int owner;
  guint depth;
  GArray *children;
  GArray *cleanups;
} ModelNode;

/* One registered cleanup. */
typedef struct {
  Model *model;
  guint serial;
  guint effect;
  guint n_ran;
  guint n_destroyed;
} CleanupData;

typedef struct {
  ModelNode *node;
  guint untracked;
  GArray *deps;
} Frame;

struct _Model {
  guint64 seed;
  guint round_index;
  guint step;
  gboolean verbose;
  gboolean strict_aba;
  gboolean eager;
  GString *op;
  GRand *rng;
  GMainContext *context;
  IsleGraph *graph;
  GPtrArray *nodes;
  GPtrArray *frames;
  gboolean in_flush;
  int last_effect_run;
  guint read_counter;
  Stats *stats;

  /* Teardown events as the engine performs them: a cleanup ran (its
   * serial, from 1) or an effect's user_data was freed (-1 - its id).
   * Every operation that may tear something down takes what it expects
   * from here; anything else found here is a failure. */
  GArray *events;
  GPtrArray *cleanup_data;
};

static void model_fail (Model      *model,
                        const char *format,
                        ...) G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN;

static int program_eval (Model         *model,
                         const Program *program,
                         gboolean       engine);
static void model_update (Model    *model,
                          gboolean *changed);

static guint64  option_seed;
static gboolean option_seed_set;

/* Printing */

static const char *
kind_name (NodeKind kind)
{
  switch (kind) {
  case NODE_STATE:
    return "state";
  case NODE_DERIVED:
    return "derived";
  case NODE_EFFECT:
    return "effect";
  default:
    g_assert_not_reached ();
  }
}

static void
append_reads (GString     *string,
              const guint *reads,
              guint        n_reads)
{
  guint i;

  if (n_reads == 0) {
    g_string_append (string, "0");
    return;
  }

  for (i = 0; i < n_reads; i++)
    g_string_append_printf (string, "%sn%u", i > 0 ? " + " : "", reads[i]);
}

static void
append_program (GString       *string,
                const Program *program)
{
  guint i;

  g_string_append_printf (string, "(%d", program->constant);
  for (i = 0; i < program->n_clauses; i++) {
    const Clause *clause = &program->clauses[i];

    if (program->n_untracked > 0 && program->untrack_at == i)
      g_string_append (string, " + untracked {...}");

    g_string_append (string, " + ");
    if (clause->cond >= 0) {
      g_string_append_printf (string, "(n%d %% 3 != %d ? ", clause->cond, clause->pick);
      append_reads (string, clause->then_reads, clause->n_then);
      g_string_append (string, " : ");
      append_reads (string, clause->else_reads, clause->n_else);
      g_string_append (string, ")");
    } else {
      g_string_append (string, "(");
      append_reads (string, clause->then_reads, clause->n_then);
      g_string_append (string, ")");
    }
  }
  if (program->n_untracked > 0 && program->untrack_at == program->n_clauses)
    g_string_append (string, " + untracked {...}");
  g_string_append_printf (string, ") %% %d", program->modulo);

  if (program->n_untracked > 0) {
    g_string_append (string, "; untracked {");
    append_reads (string, program->untracked, program->n_untracked);
    g_string_append (string, "} (not summed)");
  }
  if (program->write_target >= 0)
    g_string_append_printf (string, "; writes the result %% %d to n%d", MAX_VALUE + 1,
                            program->write_target);
  if (program->n_actions > 0) {
    g_string_append (string, "; then");
    for (i = 0; i < program->n_actions; i++)
      g_string_append (string, program->action_is_child[i] ? " child" : " cleanup");
  }
  if (program->dispose_percent > 0)
    g_string_append_printf (string, "; disposes something in %d%% of its runs",
                            program->dispose_percent);
}

static char *
model_dump (Model *model)
{
  GString *string = g_string_new ("graph:\n");
  guint i, j;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = g_ptr_array_index (model->nodes, i);

    g_string_append_printf (string, "  n%u %s%s", node->id, kind_name (node->kind),
                            node->disposed ? " (disposed)" : "");
    if (node->kind != NODE_EFFECT)
      g_string_append_printf (string, " model=%d readers=%u", node->value, node->n_subs);
    if (node->kind != NODE_STATE) {
      g_string_append_printf (string, " runs=%u%s%s%s: ", node->n_runs,
                              node->touched ? " touched" : "",
                              node->unwatched ? " unwatched" : "",
                              node->ever_read ? " ever-read" : "");
      append_program (string, &node->program);
      g_string_append (string, "; last deps {");
      for (j = 0; j < node->last_deps->len; j++) {
        Read *read = &g_array_index (node->last_deps, Read, j);

        g_string_append_printf (string, "%sn%u=%d", j > 0 ? " " : "", read->id, read->value);
      }
      g_string_append (string, "}");
    }
    g_string_append_c (string, '\n');
  }

  return g_string_free (string, FALSE);
}

static void
model_fail (Model      *model,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  g_autofree char *dump = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  dump = model_dump (model);
  g_test_message ("MODEL MISMATCH: %s", message);
  g_test_message ("seed %" G_GUINT64_FORMAT ", round %u, step %u, operation: %s",
                  model->seed, model->round_index, model->step, model->op->str);
  g_test_message ("replay: ISLE_MODEL_SEED=%" G_GUINT64_FORMAT " ISLE_MODEL_ROUND=%u "
                  "ISLE_MODEL_VERBOSE=1 test-model",
                  model->seed, model->round_index);
  g_test_message ("%s", dump);
  g_error ("model mismatch (seed %" G_GUINT64_FORMAT ", round %u, step %u, %s): %s; replay with "
           "ISLE_MODEL_SEED=%" G_GUINT64_FORMAT " ISLE_MODEL_ROUND=%u ISLE_MODEL_VERBOSE=1",
           model->seed, model->round_index, model->step, model->op->str, message,
           model->seed, model->round_index);
}

static void
model_log (Model *model)
{
  if (model->verbose)
    g_test_message ("round %u step %u: %s", model->round_index, model->step, model->op->str);
}

/* Nodes */

static ModelNode *
model_node (Model *model,
            guint  id)
{
  return g_ptr_array_index (model->nodes, id);
}

static gboolean
node_is_live (ModelNode *node,
              NodeKind   kind)
{
  return !node->disposed && node->kind == kind;
}

static guint
model_count_live (Model *model)
{
  guint i, n = 0;

  for (i = 0; i < model->nodes->len; i++)
    if (!model_node (model, i)->disposed)
      n++;

  return n;
}

/* TRUE if a value that @node read in its last run differs from the model
 * now; the id of that node goes to @which. */
static gboolean
deps_differ (Model     *model,
             ModelNode *node,
             Read      *which)
{
  guint i;

  for (i = 0; i < node->last_deps->len; i++) {
    Read *read = &g_array_index (node->last_deps, Read, i);

    if (model_node (model, read->id)->value != read->value) {
      if (which)
        *which = *read;
      return TRUE;
    }
  }

  return FALSE;
}

static void node_unwatched (Model     *model,
                            ModelNode *node);

/* Adds @delta to the reader count of every node in @deps, once per node. */
static void
deps_count (Model  *model,
            GArray *deps,
            int     delta)
{
  guint i, j;

  for (i = 0; i < deps->len; i++) {
    guint id = g_array_index (deps, Read, i).id;
    ModelNode *dep = model_node (model, id);
    gboolean seen = FALSE;

    for (j = 0; j < i && !seen; j++)
      seen = g_array_index (deps, Read, j).id == id;
    if (seen)
      continue;

    dep->n_subs += delta;
    if (dep->n_subs == 0)
      node_unwatched (model, dep);
  }
}

static void
node_unwatched (Model     *model,
                ModelNode *node)
{
  if (node->kind != NODE_DERIVED || node->disposed || !node->deps_counted)
    return;

  node->unwatched = TRUE;
  node->deps_counted = FALSE;
  deps_count (model, node->last_deps, -1);
}

static Frame *
model_frame (Model *model)
{
  if (model->frames->len == 0)
    return NULL;

  return g_ptr_array_index (model->frames, model->frames->len - 1);
}

/* Reads through the engine, checking the value against the model and
 * recording the dependency in the running callback's frame. */
static int
engine_read (Model *model,
             guint  id)
{
  ModelNode *node = model_node (model, id);
  Frame *frame = model_frame (model);
  gboolean must_compute = FALSE;
  gboolean by_value;
  Read changed = { 0, 0 };
  guint runs_before;
  int value;

  if (node->disposed || node->kind == NODE_EFFECT)
    model_fail (model, "test bug: a program reads %s n%u", kind_name (node->kind), id);

  node->ever_read = TRUE;
  runs_before = node->n_runs;
  if (node->kind == NODE_DERIVED)
    must_compute = !node->has_run || deps_differ (model, node, &changed);

  /* Use both accessors, on a fixed pattern that does not disturb the
   * random operations. */
  by_value = (model->read_counter++ % 5) == 0;

  node->reading++;
  if (by_value) {
    GValue gvalue = G_VALUE_INIT;

    if (node->kind == NODE_STATE)
      isle_state_get_value (node->handle, &gvalue);
    else
      isle_derived_get_value (node->handle, &gvalue);
    if (!G_VALUE_HOLDS_INT (&gvalue))
      model_fail (model, "get_value of n%u returned a %s", id, G_VALUE_TYPE_NAME (&gvalue));
    value = g_value_get_int (&gvalue);
    g_value_unset (&gvalue);
  } else if (node->kind == NODE_STATE) {
    value = isle_state_get_int (node->handle);
  } else {
    value = isle_derived_get_int (node->handle);
  }
  node->reading--;

  model->stats->reads++;

  if (node->kind == NODE_DERIVED) {
    if (must_compute && node->n_runs == runs_before) {
      if (runs_before == 0)
        model_fail (model, "reading derived n%u for the first time did not compute it", id);
      else
        model_fail (model, "reading derived n%u did not recompute it although n%u changed "
                    "from %d to %d since its last run", id, changed.id, changed.value,
                    model_node (model, changed.id)->value);
    }
    if (node->n_runs > runs_before + 1)
      model_fail (model, "reading derived n%u computed it %u times", id,
                  node->n_runs - runs_before);
  }

  if (value != node->value)
    model_fail (model, "%s n%u read %d but the model says %d (%s)", kind_name (node->kind),
                id, value, node->value,
                frame ? (frame->untracked ? "untracked read in a callback" : "read in a callback")
                      : "read by the test");

  if (frame && frame->untracked == 0) {
    Read read = { id, value };

    g_array_append_val (frame->deps, read);
  }

  return value;
}

static int
node_read (Model    *model,
           guint     id,
           gboolean  engine)
{
  ModelNode *node;

  if (engine)
    return engine_read (model, id);

  node = model_node (model, id);
  g_assert (!node->disposed && node->kind != NODE_EFFECT);

  return node->value;
}

typedef struct {
  Model *model;
  const Program *program;
  gboolean ran;
} UntrackData;

static void
untracked_reads_cb (gpointer user_data)
{
  UntrackData *data = user_data;
  Frame *frame = model_frame (data->model);
  guint i;

  data->ran = TRUE;
  if (frame)
    frame->untracked++;
  for (i = 0; i < data->program->n_untracked; i++)
    engine_read (data->model, data->program->untracked[i]);
  if (frame)
    frame->untracked--;
}

static void
run_untracked (Model         *model,
               const Program *program)
{
  UntrackData data = { model, program, FALSE };

  isle_graph_untrack (model->graph, untracked_reads_cb, &data);
  if (!data.ran)
    model_fail (model, "isle_graph_untrack() did not call its function");
}

static int
program_eval (Model         *model,
              const Program *program,
              gboolean       engine)
{
  int sum = program->constant;
  guint i, j;

  for (i = 0; i <= program->n_clauses; i++) {
    const Clause *clause;
    const guint *reads;
    guint n_reads;

    if (engine && program->n_untracked > 0 && program->untrack_at == i)
      run_untracked (model, program);
    if (i == program->n_clauses)
      break;

    clause = &program->clauses[i];
    reads = clause->then_reads;
    n_reads = clause->n_then;
    if (clause->cond >= 0 && node_read (model, clause->cond, engine) % 3 == clause->pick) {
      reads = clause->else_reads;
      n_reads = clause->n_else;
    }
    for (j = 0; j < n_reads; j++)
      sum += node_read (model, reads[j], engine);
  }

  return sum % program->modulo;
}

/* A derived may only be computed while it is read, or while something
 * that read it in its last run (transitively) is being read, or during a
 * flush while an effect may depend on it. */
static gboolean
derived_may_compute (Model     *model,
                     ModelNode *node)
{
  guint n_nodes = model->nodes->len;
  g_autofree guint *start = NULL;
  g_autofree guint *fill = NULL;
  g_autofree guint *edges = NULL;
  g_autofree guint *queue = NULL;
  g_autofree gboolean *seen = NULL;
  guint i, j, n_edges = 0, head = 0, tail = 0;

  if (node->reading > 0)
    return TRUE;

  start = g_new0 (guint, n_nodes + 1);
  for (i = 0; i < n_nodes; i++) {
    ModelNode *other = model_node (model, i);

    if (other->disposed || other->kind == NODE_STATE)
      continue;
    for (j = 0; j < other->last_deps->len; j++)
      start[g_array_index (other->last_deps, Read, j).id + 1]++;
  }
  for (i = 0; i < n_nodes; i++)
    start[i + 1] += start[i];
  n_edges = start[n_nodes];
  edges = g_new (guint, MAX (n_edges, 1));
  fill = g_memdup2 (start, sizeof (guint) * n_nodes);
  for (i = 0; i < n_nodes; i++) {
    ModelNode *other = model_node (model, i);

    if (other->disposed || other->kind == NODE_STATE)
      continue;
    for (j = 0; j < other->last_deps->len; j++)
      edges[fill[g_array_index (other->last_deps, Read, j).id]++] = i;
  }

  queue = g_new (guint, n_nodes);
  seen = g_new0 (gboolean, n_nodes);
  queue[tail++] = node->id;
  seen[node->id] = TRUE;
  while (head < tail) {
    ModelNode *current = model_node (model, queue[head++]);

    if (current->reading > 0)
      return TRUE;
    if (current->kind == NODE_EFFECT && model->in_flush)
      return TRUE;
    for (i = start[current->id]; i < start[current->id + 1]; i++) {
      if (!seen[edges[i]]) {
        seen[edges[i]] = TRUE;
        queue[tail++] = edges[i];
      }
    }
  }

  return FALSE;
}

static void
frame_push (Model     *model,
            Frame     *frame,
            ModelNode *node)
{
  frame->node = node;
  frame->untracked = 0;
  frame->deps = g_array_sized_new (FALSE, FALSE, sizeof (Read), 8);
  g_ptr_array_add (model->frames, frame);
}

static void
frame_pop (Model *model,
           Frame *frame)
{
  if (model_frame (model) != frame)
    model_fail (model, "test bug: callback frames out of order");
  g_ptr_array_set_size (model->frames, model->frames->len - 1);

  /* Count the new readers before dropping the old ones, as the engine
   * re-uses the links a run reads again. A node disposed while its
   * callback ran (by itself, or by disposing an ancestor) reads nothing
   * any more: dispose already dropped its old readers. */
  if (!frame->node->disposed) {
    deps_count (model, frame->deps, +1);
    if (frame->node->deps_counted)
      deps_count (model, frame->node->last_deps, -1);
    frame->node->deps_counted = TRUE;
  }

  g_array_unref (frame->node->last_deps);
  frame->node->last_deps = frame->deps;
  frame->node->has_run = TRUE;
}

/* Writes a state through the engine and updates the model. */
static void
model_write (Model     *model,
             ModelNode *state,
             int        value,
             gboolean   by_value)
{
  if (by_value) {
    GValue gvalue = G_VALUE_INIT;

    g_value_init (&gvalue, G_TYPE_INT);
    g_value_set_int (&gvalue, value);
    isle_state_set_value (state->handle, &gvalue);
    g_value_unset (&gvalue);
  } else {
    isle_state_set_int (state->handle, value);
  }
  model->stats->sets++;

  if (value != state->value) {
    g_autofree gboolean *changed = g_new0 (gboolean, model->nodes->len);

    state->value = value;
    changed[state->id] = TRUE;
    model_update (model, changed);
  }
}

/* Teardown */

static void
mark_disposed (Model     *model,
               ModelNode *node)
{
  node->disposed = TRUE;
  model->stats->disposed++;
  if (node->deps_counted) {
    node->deps_counted = FALSE;
    deps_count (model, node->last_deps, -1);
  }
}

static void expect_dispose (Model     *model,
                            ModelNode *node,
                            GArray    *expected);

/* What the engine does to an effect before it reruns and when it is
 * disposed (DESIGN.md, "Teardown order"): first the effects its current
 * run created, in creation order, each torn down the same way and then
 * freed; then its own cleanups, newest first (isle_effect_add_cleanup ()).
 * Appends the events that gives to @expected and applies it to the model. */
static void
expect_teardown (Model     *model,
                 ModelNode *node,
                 GArray    *expected)
{
  g_autoptr(GArray) children = node->children;
  g_autoptr(GArray) cleanups = node->cleanups;
  guint i;

  node->children = g_array_new (FALSE, FALSE, sizeof (guint));
  node->cleanups = g_array_new (FALSE, FALSE, sizeof (guint));

  for (i = 0; i < children->len; i++) {
    ModelNode *child = model_node (model, g_array_index (children, guint, i));

    if (!child->disposed)
      expect_dispose (model, child, expected);
  }
  for (i = cleanups->len; i > 0; i--) {
    int event = (int) g_array_index (cleanups, guint, i - 1);

    g_array_append_val (expected, event);
  }
  if (children->len > 0 || cleanups->len > 0)
    model->stats->teardowns++;
}

/* Disposing a node: an effect is torn down, then its user_data freed. */
static void
expect_dispose (Model     *model,
                ModelNode *node,
                GArray    *expected)
{
  mark_disposed (model, node);
  if (node->kind == NODE_EFFECT) {
    int event = -1 - (int) node->id;

    expect_teardown (model, node, expected);
    g_array_append_val (expected, event);
  }
}

static void
append_events (Model   *model,
               GString *string,
               GArray  *events)
{
  guint i;

  g_string_append_c (string, '[');
  for (i = 0; i < events->len; i++) {
    int event = g_array_index (events, int, i);

    if (i > 0)
      g_string_append (string, ", ");
    if (event > 0) {
      CleanupData *data = g_ptr_array_index (model->cleanup_data, event - 1);

      g_string_append_printf (string, "cleanup %d of n%u", event, data->effect);
    } else {
      g_string_append_printf (string, "n%d freed", -1 - event);
    }
  }
  g_string_append_c (string, ']');
}

/* The events since the last check must be exactly @expected. */
static void
check_events (Model      *model,
              GArray     *expected,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
check_events (Model      *model,
              GArray     *expected,
              const char *format,
              ...)
{
  gboolean same = expected->len == model->events->len &&
                  (expected->len == 0 ||
                   memcmp (expected->data, model->events->data, sizeof (int) * expected->len) == 0);

  if (!same) {
    g_autoptr(GString) message = g_string_new (NULL);
    va_list args;

    va_start (args, format);
    g_string_append_vprintf (message, format, args);
    va_end (args);
    g_string_append (message, ": the engine did ");
    append_events (model, message, model->events);
    g_string_append (message, ", the model expects ");
    append_events (model, message, expected);
    model_fail (model, "teardown order %s", message->str);
  }

  g_array_set_size (model->events, 0);
}

static void
cleanup_cb (gpointer user_data)
{
  CleanupData *data = user_data;
  Model *model = data->model;
  int event = (int) data->serial;

  if (data->n_destroyed > 0)
    model_fail (model, "cleanup %u of n%u ran after its data was freed", data->serial,
                data->effect);
  if (data->n_ran++ > 0)
    model_fail (model, "cleanup %u of n%u ran twice", data->serial, data->effect);
  g_array_append_val (model->events, event);
}

static void
cleanup_destroy_cb (gpointer user_data)
{
  CleanupData *data = user_data;

  if (data->n_ran != 1)
    model_fail (data->model, "cleanup %u of n%u: its data was freed after %u runs, not 1",
                data->serial, data->effect, data->n_ran);
  if (data->n_destroyed++ > 0)
    model_fail (data->model, "cleanup %u of n%u: its data was freed twice", data->serial,
                data->effect);
}

static ModelNode *model_add_node   (Model     *model,
                                    NodeKind   kind,
                                    ModelNode *owner);
static ModelNode *random_leaf      (Model     *model);
static ModelNode *random_live_node (Model     *model,
                                    gboolean   states,
                                    gboolean   deriveds,
                                    gboolean   effects);
static gboolean   random_percent   (Model     *model,
                                    int        percent);

static void
engine_dispose (ModelNode *node)
{
  switch (node->kind) {
  case NODE_STATE:
    isle_state_dispose (node->handle);
    break;
  case NODE_DERIVED:
    isle_derived_dispose (node->handle);
    break;
  case NODE_EFFECT:
    isle_effect_dispose (node->handle);
    break;
  default:
    g_assert_not_reached ();
  }
}

/* The last part of an effect's run: child effects and cleanups, then
 * maybe a dispose. */
static void
effect_actions (Model     *model,
                ModelNode *node)
{
  const Program *program = &node->program;
  guint i;

  for (i = 0; i < program->n_actions; i++) {
    if (program->action_is_child[i]) {
      ModelNode *child;

      /* Bounded, so that a round's graph stays small. */
      if (model_count_live (model) >= MAX_LIVE_NODES + 20)
        continue;
      child = model_add_node (model, NODE_EFFECT, node);
      g_array_append_val (node->children, child->id);
      model->stats->children++;
    } else {
      CleanupData *data = g_new0 (CleanupData, 1);

      data->model = model;
      data->effect = node->id;
      g_ptr_array_add (model->cleanup_data, data);
      data->serial = model->cleanup_data->len;
      g_array_append_val (node->cleanups, data->serial);
      isle_effect_add_cleanup (node->handle, cleanup_cb, data, cleanup_destroy_cb);
      model->stats->cleanups++;
    }
  }

  if (program->dispose_percent > 0 && random_percent (model, program->dispose_percent)) {
    g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (int));
    int r = g_rand_int_range (model->rng, 0, 100);
    ModelNode *target;

    if (r < 35)
      target = node;
    else if (r < 70)
      target = random_live_node (model, FALSE, FALSE, TRUE);
    else
      target = random_leaf (model);
    if (target == NULL)
      return;

    g_string_append_printf (model->op, "; n%u disposes %s n%u while it runs", node->id,
                            kind_name (target->kind), target->id);
    model->stats->callback_disposes++;
    if (target == node)
      model->stats->self_disposes++;

    expect_dispose (model, target, expected);
    engine_dispose (target);
    check_events (model, expected, "when effect n%u disposed %s n%u while running", node->id,
                  kind_name (target->kind), target->id);
  }
}

static gboolean
derived_cb (IsleDerived  *self,
            GValue       *value,
            gpointer      user_data,
            GError      **error)
{
  ModelNode *node = user_data;
  Model *model = node->model;
  Frame frame;
  int result;

  model->stats->derived_runs++;

  if (self != node->handle)
    model_fail (model, "derived n%u: callback called with another derived", node->id);
  if (node->disposed)
    model_fail (model, "derived n%u was computed after it was disposed", node->id);
  if (!G_VALUE_HOLDS_INT (value))
    model_fail (model, "derived n%u: callback got a %s value, not a gint", node->id,
                G_VALUE_TYPE_NAME (value));
  if (g_value_get_int (value) != 0)
    model_fail (model, "derived n%u: callback got value %d, not the default 0", node->id,
                g_value_get_int (value));
  if (!node->ever_read)
    model_fail (model, "derived n%u was computed although nobody ever read it", node->id);
  if (!derived_may_compute (model, node))
    model_fail (model, "derived n%u was computed although nothing that depends on it is "
                "being read%s", node->id, model->in_flush ? "" : " and no flush is running");
  if (node->has_run && !node->touched)
    model_fail (model, "derived n%u was recomputed although none of the values it read in its "
                "last run changed%s", node->id,
                node->unwatched ? " (in between, the last node that depended on it stopped "
                                  "depending on it)" : "");
  if (node->has_run && !deps_differ (model, node, NULL)) {
    if (model->strict_aba)
      model_fail (model, "derived n%u was recomputed although the values it read are those of "
                  "its last run (they changed and changed back)", node->id);
    model->stats->aba_derived_runs++;
  }

  node->touched = FALSE;
  node->unwatched = FALSE;
  node->n_runs++;

  frame_push (model, &frame, node);
  result = program_eval (model, &node->program, TRUE);
  frame_pop (model, &frame);

  if (result != node->value)
    model_fail (model, "derived n%u computed %d but the model says %d", node->id, result,
                node->value);

  g_value_set_int (value, result);
  return TRUE;
}

static gboolean
effect_cb (IsleEffect  *self,
           gpointer     user_data,
           GError     **error)
{
  ModelNode *node = user_data;
  Model *model = node->model;
  Frame frame;
  int result;

  model->stats->effect_runs++;

  if (self != node->handle)
    model_fail (model, "effect n%u: callback called with another effect", node->id);
  if (node->disposed)
    model_fail (model, "effect n%u ran after it was disposed", node->id);
  if (!model->in_flush)
    model_fail (model, "effect n%u ran outside a flush", node->id);
  if ((int) node->id <= model->last_effect_run)
    model_fail (model, "effect n%u ran after effect n%d in the same flush (creation order, "
                "at most once per flush)", node->id, model->last_effect_run);
  if (node->has_run && !node->touched)
    model_fail (model, "effect n%u re-ran although none of the values it read in its last run "
                "changed", node->id);
  if (node->has_run && !deps_differ (model, node, NULL)) {
    if (model->strict_aba)
      model_fail (model, "effect n%u re-ran although the values it read are those of its last "
                  "run (they changed and changed back)", node->id);
    model->stats->aba_effect_runs++;
  }
  if (isle_effect_get_run_count (self) != node->n_runs)
    model_fail (model, "effect n%u: run count %u while starting run %u", node->id,
                isle_effect_get_run_count (self), node->n_runs + 1);

  /* The engine tore down what the last run made just before calling us. */
  {
    g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (int));

    expect_teardown (model, node, expected);
    check_events (model, expected, "before run %u of effect n%u", node->n_runs + 1, node->id);
  }

  model->last_effect_run = node->id;
  node->touched = FALSE;
  node->n_runs++;
  node->n_flush_runs++;

  frame_push (model, &frame, node);
  result = program_eval (model, &node->program, TRUE);
  if (node->program.write_target >= 0) {
    ModelNode *target = model_node (model, node->program.write_target);

    if (target->disposed)
      model_fail (model, "test bug: effect n%u writes disposed n%u", node->id, target->id);
    model_write (model, target, result % (MAX_VALUE + 1), (model->read_counter++ % 3) == 0);
  }
  effect_actions (model, node);
  frame_pop (model, &frame);

  return TRUE;
}

static void
node_destroy_cb (gpointer user_data)
{
  ModelNode *node = user_data;

  node->n_destroyed++;
  if (node->kind == NODE_EFFECT) {
    int event = -1 - (int) node->id;

    g_array_append_val (node->model->events, event);
  }
}

/* Random programs */

static guint
random_index (Model *model,
              guint  n)
{
  return (guint) g_rand_int_range (model->rng, 0, (gint32) n);
}

static gboolean
random_percent (Model *model,
                int    percent)
{
  return g_rand_int_range (model->rng, 0, 100) < percent;
}

static int
random_value (Model *model)
{
  return g_rand_int_range (model->rng, MIN_VALUE, MAX_VALUE + 1);
}

static void
fill_reads (Model  *model,
            GArray *readable,
            guint  *reads,
            guint  *n_reads,
            guint   max)
{
  guint i;

  *n_reads = readable->len > 0 ? random_index (model, max + 1) : 0;
  for (i = 0; i < *n_reads; i++)
    reads[i] = g_array_index (readable, guint, random_index (model, readable->len));
}

static void
program_generate (Model    *model,
                  Program  *program,
                  gboolean  for_effect,
                  guint     depth)
{
  static const int moduli[] = { 2, 2, 3, 3, 4, 5, 7, 101 };
  g_autoptr(GArray) readable = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (!node->disposed && node->kind != NODE_EFFECT)
      g_array_append_val (readable, node->id);
  }

  memset (program, 0, sizeof *program);
  program->write_target = -1;
  program->constant = g_rand_int_range (model->rng, 0, 4);
  program->modulo = moduli[random_index (model, G_N_ELEMENTS (moduli))];
  program->n_clauses = 1 + random_index (model, MAX_CLAUSES);
  for (i = 0; i < program->n_clauses; i++) {
    Clause *clause = &program->clauses[i];

    clause->cond = -1;
    if (readable->len > 0 && random_percent (model, 50))
      clause->cond = g_array_index (readable, guint, random_index (model, readable->len));
    clause->pick = g_rand_int_range (model->rng, 0, 3);
    fill_reads (model, readable, clause->then_reads, &clause->n_then, 3);
    if (clause->cond >= 0)
      fill_reads (model, readable, clause->else_reads, &clause->n_else, 3);
  }

  if (readable->len > 0 && random_percent (model, for_effect ? 40 : 15)) {
    fill_reads (model, readable, program->untracked, &program->n_untracked, MAX_READS);
    program->untrack_at = random_index (model, program->n_clauses + 1);
  }

  if (for_effect && random_percent (model, 45)) {
    gboolean may_nest = depth < MAX_DEPTH && random_percent (model, 50);

    program->n_actions = 1 + random_index (model, MAX_ACTIONS);
    for (i = 0; i < program->n_actions; i++)
      program->action_is_child[i] = may_nest && random_percent (model, 50);
  }
  if (for_effect && random_percent (model, 10))
    program->dispose_percent = 10 + random_index (model, 30);
}

static gboolean
program_references (const Program  *program,
                    const gboolean *set)
{
  guint i, j;

  for (i = 0; i < program->n_clauses; i++) {
    const Clause *clause = &program->clauses[i];

    if (clause->cond >= 0 && set[clause->cond])
      return TRUE;
    for (j = 0; j < clause->n_then; j++)
      if (set[clause->then_reads[j]])
        return TRUE;
    for (j = 0; j < clause->n_else; j++)
      if (set[clause->else_reads[j]])
        return TRUE;
  }
  for (j = 0; j < program->n_untracked; j++)
    if (set[program->untracked[j]])
      return TRUE;
  if (program->write_target >= 0 && set[program->write_target])
    return TRUE;

  return FALSE;
}

/* The model */

/* Recomputes every derived from scratch (they only read older nodes, so
 * one pass in creation order does it), then marks every derived and
 * effect that read a node which changed. */
static void
model_update (Model    *model,
              gboolean *changed)
{
  guint i, j;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);
    int value;

    if (!node_is_live (node, NODE_DERIVED))
      continue;

    value = program_eval (model, &node->program, FALSE);
    if (value != node->value) {
      node->value = value;
      changed[i] = TRUE;
    }
  }

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (node->disposed || node->kind == NODE_STATE || !node->has_run)
      continue;
    for (j = 0; j < node->last_deps->len && !node->touched; j++)
      if (changed[g_array_index (node->last_deps, Read, j).id])
        node->touched = TRUE;
  }
}

/* @owner: the effect whose run creates the node, or %NULL. */
static ModelNode *
model_add_node (Model     *model,
                NodeKind   kind,
                ModelNode *owner)
{
  ModelNode *node = g_new0 (ModelNode, 1);
  g_autofree char *name = NULL;

  node->model = model;
  node->kind = kind;
  node->last_deps = g_array_new (FALSE, FALSE, sizeof (Read));
  node->children = g_array_new (FALSE, FALSE, sizeof (guint));
  node->cleanups = g_array_new (FALSE, FALSE, sizeof (guint));
  node->owner = owner != NULL ? (int) owner->id : -1;
  node->depth = owner != NULL ? owner->depth + 1 : 0;
  if (kind != NODE_STATE)
    program_generate (model, &node->program, kind == NODE_EFFECT, node->depth);
  /* A state made inside an effect's run would be owned by it: only
   * effects made outside callbacks get a state to write to. */
  if (kind == NODE_EFFECT && owner == NULL && random_percent (model, 30)) {
    ModelNode *target = model_add_node (model, NODE_STATE, NULL);

    node->program.write_target = target->id;
    g_string_append (model->op, "; ");
  }
  node->id = model->nodes->len;
  name = g_strdup_printf ("n%u", node->id);

  switch (kind) {
  case NODE_STATE:
    node->value = random_value (model);
    if (random_percent (model, 80)) {
      node->handle = isle_state_new_int (model->graph, node->value);
    } else {
      node->handle = isle_state_new (model->graph, G_TYPE_INT);
      if (node->value != 0)
        isle_state_set_int (node->handle, node->value);
    }
    isle_state_ref (node->handle);
    isle_state_set_name (node->handle, name);
    g_string_append_printf (model->op, "n%u = state (%d)", node->id, node->value);
    break;

  case NODE_DERIVED:
    node->value = program_eval (model, &node->program, FALSE);
    node->handle = isle_derived_new (model->graph, G_TYPE_INT, derived_cb, node,
                                     node_destroy_cb);
    isle_derived_ref (node->handle);
    isle_derived_set_name (node->handle, name);
    g_string_append_printf (model->op, "n%u = derived ", node->id);
    append_program (model->op, &node->program);
    break;

  case NODE_EFFECT:
    node->handle = isle_effect_new (model->graph, effect_cb, node, node_destroy_cb);
    isle_effect_ref (node->handle);
    isle_effect_set_name (node->handle, name);
    g_string_append_printf (model->op, "n%u = effect ", node->id);
    append_program (model->op, &node->program);
    break;

  default:
    g_assert_not_reached ();
  }

  if (node->handle == NULL)
    model_fail (model, "creating %s n%u returned NULL", kind_name (kind), node->id);

  g_ptr_array_add (model->nodes, node);
  model->stats->added++;

  return node;
}

static NodeKind
random_kind (Model *model)
{
  int r = g_rand_int_range (model->rng, 0, 100);

  if (r < 40)
    return NODE_STATE;
  if (r < 75)
    return NODE_DERIVED;
  return NODE_EFFECT;
}

static ModelNode *
random_live_node (Model    *model,
                  gboolean  states,
                  gboolean  deriveds,
                  gboolean  effects)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  guint i;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (node->disposed)
      continue;
    if ((node->kind == NODE_STATE && states) ||
        (node->kind == NODE_DERIVED && deriveds) ||
        (node->kind == NODE_EFFECT && effects))
      g_ptr_array_add (candidates, node);
  }

  if (candidates->len == 0)
    return NULL;

  return g_ptr_array_index (candidates, random_index (model, candidates->len));
}

/* Operations */

static void
model_set (Model     *model,
           ModelNode *state,
           int        value)
{
  g_string_append_printf (model->op, "set n%u = %d%s", state->id, value,
                          value == state->value ? " (equal)" : "");
  model_write (model, state, value, random_percent (model, 20));
}

static void
op_set (Model *model)
{
  ModelNode *state = random_live_node (model, TRUE, FALSE, FALSE);

  if (state == NULL) {
    g_string_append (model->op, "set (no state)");
    return;
  }

  /* Often write the value the state already has. */
  model_set (model, state, random_percent (model, 30) ? state->value : random_value (model));
}

static void
op_read (Model *model)
{
  ModelNode *node = random_live_node (model, TRUE, TRUE, FALSE);

  if (node == NULL) {
    g_string_append (model->op, "read (nothing)");
    return;
  }

  g_string_append_printf (model->op, "read n%u", node->id);
  engine_read (model, node->id);
}

typedef struct {
  Model *model;
  guint id;
} TopUntrackData;

static void
top_untracked_read_cb (gpointer user_data)
{
  TopUntrackData *data = user_data;

  engine_read (data->model, data->id);
}

static void
op_read_untracked (Model *model)
{
  ModelNode *node = random_live_node (model, TRUE, TRUE, FALSE);
  TopUntrackData data;

  if (node == NULL) {
    g_string_append (model->op, "untracked read (nothing)");
    return;
  }

  g_string_append_printf (model->op, "untracked read n%u", node->id);
  data.model = model;
  data.id = node->id;
  isle_graph_untrack (model->graph, top_untracked_read_cb, &data);
}

static void
model_read_all (Model *model)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (!node->disposed && node->kind != NODE_EFFECT)
      g_array_append_val (order, i);
  }
  for (i = order->len; i > 1; i--) {
    guint j = random_index (model, i);
    guint tmp = g_array_index (order, guint, i - 1);

    g_array_index (order, guint, i - 1) = g_array_index (order, guint, j);
    g_array_index (order, guint, j) = tmp;
  }
  for (i = 0; i < order->len; i++)
    engine_read (model, g_array_index (order, guint, i));
}

/* Before a flush: which effects must run, and is the pending count sane. */
static GPtrArray *
flush_prepare (Model *model)
{
  GPtrArray *must = g_ptr_array_new ();
  guint i, n_live = 0, n_pending;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (!node_is_live (node, NODE_EFFECT))
      continue;
    n_live++;
    node->n_flush_runs = 0;
    if (!node->has_run || deps_differ (model, node, NULL))
      g_ptr_array_add (must, node);
  }

  n_pending = isle_graph_get_n_pending (model->graph);
  if (n_pending < must->len)
    model_fail (model, "%u effects must run at the next flush but only %u are pending",
                must->len, n_pending);
  if (n_pending > n_live)
    model_fail (model, "%u effects are pending but only %u are alive", n_pending, n_live);

  model->in_flush = TRUE;
  model->last_effect_run = -1;

  return must;
}

static void
flush_finish (Model      *model,
              GPtrArray  *must,
              const char *how)
{
  guint i;

  model->in_flush = FALSE;
  model->stats->flushes++;

  /* Every effect is up to date after a flush: it ran at least once, and
   * the values it read in its last run are the current ones. That covers
   * the effects that had to run before the flush (must) and those that
   * writes made during the flush triggered. */
  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);
    Read changed = { 0, 0 };

    if (!node_is_live (node, NODE_EFFECT))
      continue;
    if (!node->has_run)
      model_fail (model, "effect n%u did not run at the first %s after its creation",
                  node->id, how);
    if (deps_differ (model, node, &changed))
      model_fail (model, "effect n%u did not run at the %s although n%u changed from %d to %d%s",
                  node->id, how, changed.id, changed.value,
                  model_node (model, changed.id)->value,
                  g_ptr_array_find (must, node, NULL) ? "" : " (a write during the flush)");
    if (isle_effect_get_run_count (node->handle) != node->n_runs)
      model_fail (model, "effect n%u: run count %u, but it ran %u times", node->id,
                  isle_effect_get_run_count (node->handle), node->n_runs);
  }

  if (isle_graph_get_n_pending (model->graph) != 0)
    model_fail (model, "%u effects still pending after the %s",
                isle_graph_get_n_pending (model->graph), how);

  g_ptr_array_unref (must);
}

static void
op_flush (Model *model)
{
  GPtrArray *must;

  g_string_append (model->op, "flush");
  must = flush_prepare (model);
  isle_graph_flush (model->graph);
  flush_finish (model, must, "flush");
}

static void
op_idle (Model *model)
{
  GPtrArray *must;
  guint i;

  g_string_append (model->op, "main loop iteration");
  must = flush_prepare (model);
  for (i = 0; i < 100 && g_main_context_pending (model->context); i++)
    g_main_context_iteration (model->context, FALSE);
  flush_finish (model, must, "idle flush");
}

/* The body of a batch: writes, reads, nested batches, a flush that must be
 * deferred. Effects must not run in here (in_flush is FALSE). */
static void
batch_body (Model *model,
            guint  depth)
{
  guint n = 1 + random_index (model, 6);
  guint i;

  for (i = 0; i < n; i++) {
    int r = g_rand_int_range (model->rng, 0, 100);

    g_string_append (model->op, "; ");
    if (r < 70) {
      op_set (model);
    } else if (r < 85) {
      op_read (model);
    } else if (r < 95 && depth < 3) {
      g_string_append (model->op, "begin { ");
      isle_graph_batch_begin (model->graph);
      batch_body (model, depth + 1);
      isle_graph_batch_end (model->graph);
      g_string_append (model->op, " } end");
    } else {
      g_string_append (model->op, "flush (deferred)");
      isle_graph_flush (model->graph);
    }
  }
}

typedef struct {
  Model *model;
  GPtrArray *must;
} BatchData;

static void
batch_cb (gpointer user_data)
{
  BatchData *data = user_data;

  /* Effects may run only once the function returns, when the batch ends:
   * flush_prepare() sets in_flush for that. */
  batch_body (data->model, 1);
  data->must = flush_prepare (data->model);
}

static void
op_batch (Model *model)
{
  if (random_percent (model, 50)) {
    GPtrArray *must;

    g_string_append (model->op, "batch_begin");
    isle_graph_batch_begin (model->graph);
    batch_body (model, 1);
    g_string_append (model->op, "; batch_end (flushes)");
    must = flush_prepare (model);
    isle_graph_batch_end (model->graph);
    flush_finish (model, must, "end of a batch");
  } else {
    BatchData data = { model, NULL };

    g_string_append (model->op, "isle_graph_batch {");
    isle_graph_batch (model->graph, batch_cb, &data);
    g_string_append (model->op, " } (flushes)");
    if (data.must == NULL)
      model_fail (model, "isle_graph_batch() did not call its function");
    flush_finish (model, data.must, "end of isle_graph_batch()");
  }
}

static void
op_writes (Model *model)
{
  guint n = 2 + random_index (model, 4);
  guint i;

  g_string_append (model->op, "writes without batch");
  for (i = 0; i < n; i++) {
    g_string_append (model->op, "; ");
    op_set (model);
  }
}

static gboolean
engine_is_disposed (ModelNode *node)
{
  switch (node->kind) {
  case NODE_STATE:
    return isle_state_is_disposed (node->handle);
  case NODE_DERIVED:
    return isle_derived_is_disposed (node->handle);
  case NODE_EFFECT:
    return isle_effect_is_disposed (node->handle);
  default:
    g_assert_not_reached ();
  }
}

/* Disposes @node (again, if an earlier victim's teardown disposed it:
 * that must do nothing). */
static void
dispose_node (Model     *model,
              ModelNode *node)
{
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (int));

  /* Mark it first: its callbacks must not run from now on. */
  if (!node->disposed)
    expect_dispose (model, node, expected);
  engine_dispose (node);
  check_events (model, expected, "when %s n%u was disposed", kind_name (node->kind), node->id);

  if (!engine_is_disposed (node))
    model_fail (model, "%s n%u is not disposed after dispose", kind_name (node->kind), node->id);
}

/* A live node no live node's program mentions (every effect is one). */
static ModelNode *
random_leaf (Model *model)
{
  g_autofree gboolean *set = g_new0 (gboolean, model->nodes->len);
  g_autoptr(GPtrArray) leaves = g_ptr_array_new ();
  guint i;

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);
    guint j;
    gboolean referenced = FALSE;

    if (node->disposed)
      continue;
    set[i] = TRUE;
    for (j = i + 1; j < model->nodes->len && !referenced; j++) {
      ModelNode *other = model_node (model, j);

      referenced = !other->disposed && other->kind != NODE_STATE &&
                   program_references (&other->program, set);
    }
    set[i] = FALSE;
    if (!referenced)
      g_ptr_array_add (leaves, node);
  }

  if (leaves->len == 0)
    return NULL;

  return g_ptr_array_index (leaves, random_index (model, leaves->len));
}

static void
op_dispose (Model *model)
{
  g_autofree gboolean *set = g_new0 (gboolean, model->nodes->len);
  g_autoptr(GPtrArray) victims = g_ptr_array_new ();
  ModelNode *target = NULL;
  guint i;

  /* Mostly leaves (no live node's program mentions them); sometimes any
   * node, with every node that mentions it, directly or not. */
  if (random_percent (model, 70)) {
    target = random_leaf (model);
  } else {
    target = random_live_node (model, TRUE, TRUE, TRUE);
  }

  if (target == NULL) {
    g_string_append (model->op, "dispose (nothing)");
    return;
  }

  set[target->id] = TRUE;
  g_ptr_array_add (victims, target);
  for (i = target->id + 1; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (!node->disposed && node->kind != NODE_STATE &&
        program_references (&node->program, set)) {
      set[i] = TRUE;
      g_ptr_array_add (victims, node);
    }
  }

  /* Either the target first (its dependents briefly point at a disposed
   * node) or its dependents first. */
  if (random_percent (model, 50)) {
    g_string_append (model->op, "dispose");
    for (i = 0; i < victims->len; i++) {
      ModelNode *node = g_ptr_array_index (victims, i);

      g_string_append_printf (model->op, " n%u", node->id);
      dispose_node (model, node);
    }
  } else {
    g_string_append (model->op, "dispose");
    for (i = victims->len; i > 0; i--) {
      ModelNode *node = g_ptr_array_index (victims, i - 1);

      g_string_append_printf (model->op, " n%u", node->id);
      dispose_node (model, node);
    }
  }
}

static void
op_add (Model *model)
{
  if (model_count_live (model) >= MAX_LIVE_NODES) {
    g_string_append (model->op, "add (full); ");
    op_read (model);
    return;
  }

  g_string_append (model->op, "add ");
  model_add_node (model, random_kind (model), NULL);
}

static void
check_graph (Model *model)
{
  guint i, n_live = 0;

  if (model->events->len > 0) {
    g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (int));

    check_events (model, none, "outside any teardown");
  }

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);
    gboolean disposed = engine_is_disposed (node);

    if (disposed != node->disposed)
      model_fail (model, "%s n%u: is_disposed () is %d, expected %d", kind_name (node->kind),
                  node->id, disposed, node->disposed);
    if (node->disposed)
      continue;

    n_live++;
    /* Reading a state outside callbacks changes nothing. */
    if (node->kind == NODE_STATE)
      engine_read (model, node->id);
  }

  if (isle_graph_get_n_nodes (model->graph) != n_live)
    model_fail (model, "the graph has %u nodes, the model %u",
                isle_graph_get_n_nodes (model->graph), n_live);

  if (model->eager)
    model_read_all (model);
}

static void
model_step (Model *model)
{
  int r = g_rand_int_range (model->rng, 0, 100);

  g_string_truncate (model->op, 0);

  if (r < 30)
    op_set (model);
  else if (r < 36)
    op_writes (model);
  else if (r < 44)
    op_batch (model);
  else if (r < 64)
    op_read (model);
  else if (r < 67)
    op_read_untracked (model);
  else if (r < 79)
    op_flush (model);
  else if (r < 83)
    op_idle (model);
  else if (r < 88)
    op_dispose (model);
  else if (r < 95)
    op_add (model);
  else {
    g_string_append (model->op, "read all");
    model_read_all (model);
  }

  model_log (model);
  check_graph (model);
  model->stats->ops++;
}

static void
model_teardown (Model *model)
{
  gpointer graph_pointer = model->graph;
  gboolean dispose_first = random_percent (model, 50);
  g_autoptr(GArray) expected = NULL;
  guint i;

  g_string_printf (model->op, "teardown (%s)",
                   dispose_first ? "isle_graph_dispose_nodes, then unref" : "unref the graph");
  model_log (model);

  /* The graph disposes its effects first, in creation order, each one's
   * children with it (DESIGN.md); the other nodes log nothing. */
  expected = g_array_new (FALSE, FALSE, sizeof (int));
  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (node_is_live (node, NODE_EFFECT) && node->owner < 0)
      expect_dispose (model, node, expected);
  }

  /* Nothing may run from here on: in_flush is FALSE and nothing is read. */
  g_object_add_weak_pointer (G_OBJECT (model->graph), &graph_pointer);
  if (dispose_first) {
    isle_graph_dispose_nodes (model->graph);
    if (isle_graph_get_n_nodes (model->graph) != 0)
      model_fail (model, "%u nodes left after isle_graph_dispose_nodes()",
                  isle_graph_get_n_nodes (model->graph));
  }
  g_clear_object (&model->graph);

  for (i = 0; i < 100 && g_main_context_pending (model->context); i++)
    g_main_context_iteration (model->context, FALSE);

  check_events (model, expected, "when the graph was %s",
                dispose_first ? "emptied and released" : "released");

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);
    gboolean disposed = engine_is_disposed (node);

    if (!disposed)
      model_fail (model, "%s n%u is not disposed after the graph was %s",
                  kind_name (node->kind), node->id,
                  dispose_first ? "emptied and released" : "released");
    node->disposed = TRUE;
  }

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    switch (node->kind) {
    case NODE_STATE:
      isle_state_unref (node->handle);
      break;
    case NODE_DERIVED:
      isle_derived_unref (node->handle);
      break;
    case NODE_EFFECT:
      isle_effect_unref (node->handle);
      break;
    default:
      g_assert_not_reached ();
    }
    node->handle = NULL;
  }

  for (i = 0; i < 100 && g_main_context_pending (model->context); i++)
    g_main_context_iteration (model->context, FALSE);

  if (graph_pointer != NULL)
    model_fail (model, "the graph was not finalized after its last reference was dropped");

  for (i = 0; i < model->nodes->len; i++) {
    ModelNode *node = model_node (model, i);

    if (node->kind != NODE_STATE && node->n_destroyed != 1)
      model_fail (model, "%s n%u: user_data destroyed %u times", kind_name (node->kind),
                  node->id, node->n_destroyed);
  }

  for (i = 0; i < model->cleanup_data->len; i++) {
    CleanupData *data = g_ptr_array_index (model->cleanup_data, i);

    if (data->n_ran != 1 || data->n_destroyed != 1)
      model_fail (model, "cleanup %u of n%u ran %u times and was freed %u times, not once",
                  data->serial, data->effect, data->n_ran, data->n_destroyed);
  }
}

static void
model_node_free (gpointer data)
{
  ModelNode *node = data;

  g_array_unref (node->last_deps);
  g_array_unref (node->children);
  g_array_unref (node->cleanups);
  g_free (node);
}

static void
run_round (guint64   seed,
           guint     round_index,
           guint     n_ops,
           gboolean  verbose,
           gboolean  strict_aba,
           Stats    *stats)
{
  guint32 seeds[3] = { (guint32) seed, (guint32) (seed >> 32), round_index };
  g_autofree char *name = NULL;
  Model model = { 0, };
  guint i, n_initial;

  model.seed = seed;
  model.round_index = round_index;
  model.verbose = verbose;
  model.strict_aba = strict_aba;
  model.stats = stats;
  model.op = g_string_new (NULL);
  model.rng = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  model.nodes = g_ptr_array_new_with_free_func (model_node_free);
  model.frames = g_ptr_array_new ();
  model.events = g_array_new (FALSE, FALSE, sizeof (int));
  model.cleanup_data = g_ptr_array_new_with_free_func (g_free);
  model.last_effect_run = -1;
  model.context = g_main_context_new ();
  g_main_context_push_thread_default (model.context);

  model.graph = isle_graph_new ();
  name = g_strdup_printf ("model-%u", round_index);
  isle_graph_set_name (model.graph, name);
  if (isle_graph_get_context (model.graph) != model.context)
    model_fail (&model, "the graph is not bound to the thread-default main context");

  model.eager = random_percent (&model, 30);
  n_initial = 3 + random_index (&model, 38);
  if (verbose)
    g_test_message ("round %u: %u initial nodes%s", round_index, n_initial,
                    model.eager ? ", reading every derived after every step" : "");

  for (i = 0; i < n_initial; i++) {
    g_string_truncate (model.op, 0);
    g_string_append (model.op, "initial ");
    model_add_node (&model, i == 0 ? NODE_STATE : random_kind (&model), NULL);
    model_log (&model);
    check_graph (&model);
  }

  for (model.step = 0; model.step < n_ops; model.step++)
    model_step (&model);

  model_teardown (&model);

  g_main_context_pop_thread_default (model.context);
  g_main_context_unref (model.context);
  g_ptr_array_unref (model.frames);
  g_ptr_array_unref (model.nodes);
  g_ptr_array_unref (model.cleanup_data);
  g_array_unref (model.events);
  g_rand_free (model.rng);
  g_string_free (model.op, TRUE);

  stats->rounds++;
}

static guint64
env_number (const char *variable,
            guint64     fallback)
{
  const char *text = g_getenv (variable);
  guint64 number;
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return fallback;

  number = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0')
    g_error ("%s=%s is not a number", variable, text);

  return number;
}

static void
test_random_operations (void)
{
  Stats stats = { 0, };
  guint64 seed;
  guint n_rounds, n_ops, round_index;
  guint64 total_ops;
  gint64 only_round;
  gboolean verbose, strict_aba;
  gint64 start;

  if (option_seed_set)
    seed = option_seed;
  else
    seed = env_number ("ISLE_MODEL_SEED", (guint32) g_test_rand_int ());

  n_rounds = env_number ("ISLE_MODEL_ROUNDS", g_test_thorough () ? 10000 : 1000);
  n_ops = env_number ("ISLE_MODEL_OPS", 500);
  total_ops = env_number ("ISLE_MODEL_TOTAL_OPS", 0);
  if (total_ops > 0)
    n_rounds = (guint) MIN ((total_ops + n_ops - 1) / MAX (n_ops, 1), G_MAXUINT);
  only_round = g_getenv ("ISLE_MODEL_ROUND") ? (gint64) env_number ("ISLE_MODEL_ROUND", 0) : -1;
  verbose = env_number ("ISLE_MODEL_VERBOSE", 0) != 0;
  strict_aba = env_number ("ISLE_MODEL_STRICT_ABA", 0) != 0;

  g_test_message ("seed %" G_GUINT64_FORMAT " (replay with ISLE_MODEL_SEED=%" G_GUINT64_FORMAT
                  " or --seed %" G_GUINT64_FORMAT "); %u rounds of %u operations%s",
                  seed, seed, seed, n_rounds, n_ops,
                  total_ops > 0 ? " (ISLE_MODEL_TOTAL_OPS)" : "");

  start = g_get_monotonic_time ();
  for (round_index = 0; round_index < n_rounds; round_index++) {
    if (only_round >= 0 && round_index != only_round)
      continue;
    run_round (seed, round_index, n_ops, verbose, strict_aba, &stats);
  }

  g_test_message ("%" G_GUINT64_FORMAT " rounds, %" G_GUINT64_FORMAT " operations in %.1f s: "
                  "%" G_GUINT64_FORMAT " sets, %" G_GUINT64_FORMAT " reads, "
                  "%" G_GUINT64_FORMAT " flushes, %" G_GUINT64_FORMAT " nodes added, "
                  "%" G_GUINT64_FORMAT " disposed, %" G_GUINT64_FORMAT " derived runs, "
                  "%" G_GUINT64_FORMAT " effect runs; reruns after a value changed and changed "
                  "back: %" G_GUINT64_FORMAT " derived, %" G_GUINT64_FORMAT " effect; "
                  "%" G_GUINT64_FORMAT " child effects, %" G_GUINT64_FORMAT " cleanups, "
                  "%" G_GUINT64_FORMAT " teardowns checked, %" G_GUINT64_FORMAT " disposes "
                  "from inside effects (%" G_GUINT64_FORMAT " of the effect itself)",
                  stats.rounds, stats.ops, (g_get_monotonic_time () - start) / 1e6,
                  stats.sets, stats.reads, stats.flushes, stats.added, stats.disposed,
                  stats.derived_runs, stats.effect_runs, stats.aba_derived_runs,
                  stats.aba_effect_runs, stats.children, stats.cleanups, stats.teardowns,
                  stats.callback_disposes, stats.self_disposes);

  if (only_round < 0 && n_rounds * (guint64) n_ops >= 100000)
    g_assert_cmpuint (stats.ops, >=, 100000);
  if (only_round < 0 && total_ops > 0)
    g_assert_cmpuint (stats.ops, >=, total_ops);
}

/* --seed N (or --seed=N) with a decimal N is ours; GTest's own --seed
 * takes an "R02S..." string and is left alone. */
static void
parse_seed_option (int    *argc,
                   char ***argv)
{
  int i, j;

  for (i = 1; i < *argc; i++) {
    const char *arg = (*argv)[i];
    const char *text = NULL;
    int n_used = 0;
    char *end = NULL;
    guint64 value;

    if (g_str_equal (arg, "--seed") && i + 1 < *argc) {
      text = (*argv)[i + 1];
      n_used = 2;
    } else if (g_str_has_prefix (arg, "--seed=")) {
      text = arg + strlen ("--seed=");
      n_used = 1;
    } else {
      continue;
    }

    if (!g_ascii_isdigit (*text))
      continue;
    value = g_ascii_strtoull (text, &end, 10);
    if (*end != '\0')
      continue;

    option_seed = value;
    option_seed_set = TRUE;
    for (j = i; j + n_used < *argc; j++)
      (*argv)[j] = (*argv)[j + n_used];
    *argc -= n_used;
    (*argv)[*argc] = NULL;
    i--;
  }
}

int
main (int   argc,
      char *argv[])
{
  parse_seed_option (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Model/random-operations", test_random_operations);

  return g_test_run ();
}
