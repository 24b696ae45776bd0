/* isle-graph.c
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "isle-node-private.h"

/**
 * IsleGraph:
 *
 * A signal graph: the states, deriveds and effects of one island, and the
 * scheduler that runs its effects.
 *
 * A graph belongs to the thread whose thread-default main context was
 * current when it was created; its nodes are used from that thread only.
 * Effects do not run when they are created or when a dependency changes:
 * they are queued, and the queue is flushed once per main-loop turn, from
 * an idle source on the graph's main context (an island flushes on its
 * frame clock instead, before the frame is drawn). [method@Isle.Graph.flush]
 * flushes at once, for tests and for code that must see the result.
 *
 * ```c
 * g_autoptr(IsleGraph) graph = isle_graph_new ();
 * IsleState *count = isle_state_new_int (graph, 0);
 *
 * isle_effect_new (graph, print_count_cb, count, NULL);
 * isle_state_set_int (count, 1);
 * isle_state_set_int (count, 2);
 * isle_graph_flush (graph); // print_count_cb runs once, and sees 2
 * ```
 *
 * Every node belongs to exactly one graph; using a node of one graph
 * while a computation of another graph runs is a programming error,
 * reported with both names. Only atoms cross graphs.
 *
 * Disposing the graph (dropping its last reference) disposes every node in
 * it: effects' cleanups run, callbacks' data is freed, and references to
 * nodes that are still held elsewhere become inert.
 *
 * Since: 1.0
 */

/* Effects re-triggering themselves more often than this in one flush are
 * stopped and reported. */
#define ISLE_MAX_EFFECT_RUNS 100

/* Link blocks start small and double, up to the largest size: most
 * graphs (an island's) hold a handful of links, and a first block of the
 * largest size made every island carry 10 KiB it never used. An island
 * bound to one atom holds two links; a first block of eight was 240
 * bytes per island never used. */
#define LINKS_FIRST_BLOCK 2
#define LINKS_PER_BLOCK   256

/* The first allocation of the run queue, once it outgrows the graph's own
 * ISLE_GRAPH_INLINE_RUN slots (an island queues one or two effects at a
 * time). */
#define RUN_QUEUE_FIRST_SIZE 4

enum {
  PROP_0,
  PROP_NAME,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  FAILED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (IsleGraph, isle_graph, G_TYPE_OBJECT)

/* The type, once its class exists (no graph exists before). */
static GType graph_type;

/* ISLE_IS_GRAPH () for the flush, which runs after every write: the type
 * is final, so an exact compare says it, without the call to
 * isle_graph_get_type (). Anything else is left to ISLE_IS_GRAPH (). */
static inline gboolean
is_graph_fast (gconstpointer instance)
{
  const GTypeInstance *ti = instance;

  return G_LIKELY (ti != NULL && ti->g_class != NULL && ti->g_class->g_type == graph_type);
}

static inline guint
queue_length (IsleGraph *self)
{
  return self->run_len - self->run_head + self->heap_len + self->unsorted_len;
}

/* Root nodes {{{ */

/* The blocks made so far (spare ones too). */
static inline guint
root_blocks_count (IsleGraph *self)
{
  if (self->root_blocks != NULL)
    return self->root_blocks->len;

  return self->root_block0 != NULL ? 1 : 0;
}

static inline IsleRootBlock *
root_block_by_id (IsleGraph *self,
                  guint      id)
{
  return id == 0 ? self->root_block0 : self->root_blocks->pdata[id];
}

static IsleRootBlock *
root_block_append (IsleGraph *self)
{
  IsleRootBlock *block = self->spare_roots;

  if (block != NULL)
    {
      self->spare_roots = block->newer;
    }
  else
    {
      gsize bytes = ISLE_ROOT_BLOCK_MIN_BYTES;

      /* Each new block twice the last, up to the largest size. */
      if (self->newest_root != NULL)
        {
          bytes = (sizeof (IsleRootBlock) + self->newest_root->size * sizeof (IsleNode *) +
                   2 * sizeof (gsize)) * 2;
          bytes = MIN (bytes, ISLE_ROOT_BLOCK_MAX_BYTES);
        }
      bytes -= 2 * sizeof (gsize);
      block = g_malloc (bytes);
      block->size = (bytes - sizeof (IsleRootBlock)) / sizeof (IsleNode *);
      block->id = root_blocks_count (self);
      if (block->id == 0)
        {
          self->root_block0 = block;
        }
      else
        {
          if (self->root_blocks == NULL)
            {
              self->root_blocks = g_ptr_array_new ();
              g_ptr_array_add (self->root_blocks, self->root_block0);
            }
          g_ptr_array_add (self->root_blocks, block);
        }
    }

  block->older = self->newest_root;
  block->newer = NULL;
  block->used = 0;
  block->live = 0;
  if (block->older != NULL)
    block->older->newer = block;
  else
    self->oldest_root = block;
  self->newest_root = block;

  return block;
}

/* Takes @block out of the list and keeps it aside. */
static void
root_block_remove (IsleGraph     *self,
                   IsleRootBlock *block)
{
  if (block->older != NULL)
    block->older->newer = block->newer;
  else
    self->oldest_root = block->newer;
  if (block->newer != NULL)
    block->newer->older = block->older;
  else
    self->newest_root = block->older;

  block->older = NULL;
  block->newer = self->spare_roots;
  self->spare_roots = block;
}

static inline void
root_place (IsleRootBlock *block,
            guint          slot,
            IsleNode      *node)
{
  block->slots[slot] = node;
  node->root_block = block->id;
  node->root_slot = slot;
}

/* Closes the holes of @block, keeping the order of its nodes. */
static void
root_block_compact (IsleRootBlock *block)
{
  guint kept = 0;

  for (guint i = 0; i < block->used; i++)
    {
      if (block->slots[i] != NULL)
        root_place (block, kept++, block->slots[i]);
    }
  block->used = kept;
}

/* Moves the nodes of @block, in order, after those of the block before
 * it, which has the room, and sets @block aside. */
static void
root_block_fold (IsleGraph     *self,
                 IsleRootBlock *block)
{
  IsleRootBlock *older = block->older;

  g_assert (older->used + block->live <= older->size);

  for (guint i = 0; i < block->used; i++)
    {
      if (block->slots[i] != NULL)
        root_place (older, older->used++, block->slots[i]);
    }
  older->live += block->live;
  block->live = 0;
  block->used = 0;

  root_block_remove (self, block);
}

static void
root_add (IsleGraph *self,
          IsleNode  *node)
{
  IsleRootBlock *block = self->newest_root;

  if (G_UNLIKELY (block == NULL || block->used == block->size))
    block = root_block_append (self);

  root_place (block, block->used++, node);
  block->live++;
}

/* Takes @node out of the root nodes: its slot stays empty (slots are
 * handed out in creation order only), except at the end of a block,
 * which shrinks. A block left empty is set aside (the newest one stays,
 * for the next nodes). The few nodes left in a block that was emptied to
 * an eighth move to the free end of the block before it, which is
 * compacted first if half of it is holes: a node moves at most once per
 * few hundred disposals around it, and a few long-lived nodes do not pin
 * a block each. O(1) amortised, whatever the order. */
static void
root_remove (IsleGraph *self,
             IsleNode  *node)
{
  IsleRootBlock *block = root_block_by_id (self, node->root_block);
  guint slot = node->root_slot;
  IsleRootBlock *older;

  block->slots[slot] = NULL;

  if (--block->live == 0)
    {
      if (block == self->newest_root)
        block->used = 0;
      else
        root_block_remove (self, block);
      return;
    }

  if (slot + 1 == block->used)
    {
      do
        block->used--;
      while (block->slots[block->used - 1] == NULL);
    }

  older = block->older;
  if (block->live > block->size / 8 || block == self->newest_root || older == NULL)
    return;

  if (older->used + block->live > older->size &&
      older->used - older->live >= older->size / 2)
    root_block_compact (older);
  if (older->used + block->live <= older->size)
    root_block_fold (self, block);
}

/* The graph's root nodes, taken out of it for root_blocks_free(). */
typedef struct
{
  IsleRootBlock *oldest;
  IsleRootBlock *newest;
  IsleRootBlock *block0;
  GPtrArray     *blocks;   /* all of them, spare ones too, or NULL: block0 alone */
} IsleRootList;

static IsleRootList
root_blocks_steal (IsleGraph *self)
{
  IsleRootList list = { self->oldest_root, self->newest_root, self->root_block0, self->root_blocks };

  self->oldest_root = NULL;
  self->newest_root = NULL;
  self->spare_roots = NULL;
  self->root_block0 = NULL;
  self->root_blocks = NULL;

  return list;
}

/* Drops the graph's reference to each node of @list, oldest first, then
 * frees the blocks (in that order: see IsleRootBlock). */
static void
root_blocks_free (IsleRootList *list)
{
  for (IsleRootBlock *block = list->oldest; block != NULL; block = block->newer)
    {
      for (guint i = 0; i < block->used; i++)
        {
          if (block->slots[i] != NULL)
            _isle_node_unref (block->slots[i]);
        }
    }

  if (list->blocks != NULL)
    {
      g_ptr_array_set_free_func (list->blocks, g_free);
      g_clear_pointer (&list->blocks, g_ptr_array_unref);
    }
  else
    {
      g_free (list->block0);
    }
  list->block0 = NULL;
}

/* }}} */

static void
isle_graph_dispose (GObject *object)
{
  IsleGraph *self = (IsleGraph *) object;

  /* Disposed inside a flush (an effect dropped the last reference, or
   * ran g_object_run_dispose ()): the graph lives on, with this new
   * reference, until the flush ends, disposes its nodes and drops it. A
   * flush takes no reference of its own: that would cost two atomic
   * operations and GObject's type checks on every write. */
  if (self->flushing && !self->dispose_after_flush)
    {
      self->dispose_after_flush = TRUE;
      g_object_ref (self);
      return;
    }

  isle_graph_dispose_nodes (self);

  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }

  G_OBJECT_CLASS (isle_graph_parent_class)->dispose (object);
}

static void
isle_graph_finalize (GObject *object)
{
  IsleGraph *self = (IsleGraph *) object;
  IsleRootList roots;

  g_assert (queue_length (self) == 0);

  /* Nodes made after the graph was disposed, if any. */
  roots = root_blocks_steal (self);
  root_blocks_free (&roots);
  if (self->run != self->run_inline)
    g_free (self->run);
  self->run = NULL;
  g_clear_pointer (&self->heap, g_free);
  g_clear_pointer (&self->unsorted, g_free);
  g_clear_pointer (&self->scratch, g_free);
  g_slist_free_full (self->link_blocks, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->named, g_hash_table_unref);

  G_OBJECT_CLASS (isle_graph_parent_class)->finalize (object);
}

static void
isle_graph_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  IsleGraph *self = ISLE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, isle_graph_get_name (self));
      break;

    case PROP_CONTEXT:
      g_value_set_boxed (value, isle_graph_get_context (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_graph_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  IsleGraph *self = ISLE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_NAME:
      isle_graph_set_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isle_graph_class_init (IsleGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  graph_type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = isle_graph_dispose;
  object_class->finalize = isle_graph_finalize;
  object_class->get_property = isle_graph_get_property;
  object_class->set_property = isle_graph_set_property;

  _isle_inspect_init ();

  /**
   * IsleGraph:name:
   *
   * The name of the graph, used in messages (an island names its graph
   * after itself).
   *
   * Since: 1.0
   */
  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * IsleGraph:context:
   *
   * The main context the graph's effects run on: the thread-default main
   * context of the thread that created the graph.
   *
   * Since: 1.0
   */
  props[PROP_CONTEXT] =
    g_param_spec_boxed ("context", NULL, NULL,
                        G_TYPE_MAIN_CONTEXT,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * IsleGraph::failed:
   * @self: the graph
   * @error: what failed: the message names the node
   *
   * Emitted when a derived or effect of the graph fails (its callback
   * failed, it is part of a cycle, or it kept re-triggering itself). It is
   * emitted once when the node enters its failed state, not again until
   * it succeeded. The node keeps its last good value.
   *
   * Since: 1.0
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
isle_graph_init (IsleGraph *self)
{
  /* A graph made where a freed one was has its address, and its flush
   * ids start again: what keeps notes on a graph needs this to tell them
   * apart. */
  static int last_serial;

  self->serial = (guint) g_atomic_int_add (&last_serial, 1) + 1;
  self->context = g_main_context_ref_thread_default ();
  self->owner = &_isle_thread_marker;
  self->run = self->run_inline;
  self->run_size = ISLE_GRAPH_INLINE_RUN;
}

/**
 * isle_graph_new:
 *
 * Creates a new, empty graph bound to the thread-default main context.
 *
 * Returns: (transfer full): a new graph
 *
 * Since: 1.0
 */
IsleGraph *
isle_graph_new (void)
{
  return g_object_new (ISLE_TYPE_GRAPH, NULL);
}

/**
 * isle_graph_get_name:
 * @self: a graph
 *
 * Gets the name of @self.
 *
 * Returns: (nullable): the name of @self
 *
 * Since: 1.0
 */
const char *
isle_graph_get_name (IsleGraph *self)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (self), NULL);

  return self->name;
}

/**
 * isle_graph_set_name:
 * @self: a graph
 * @name: (nullable): the new name
 *
 * Sets the name of @self, used in messages.
 *
 * Since: 1.0
 */
void
isle_graph_set_name (IsleGraph  *self,
                     const char *name)
{
  g_return_if_fail (ISLE_IS_GRAPH (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME]);
}

/**
 * isle_graph_get_context:
 * @self: a graph
 *
 * Gets the main context @self runs its effects on.
 *
 * Returns: (transfer none): the main context of @self
 *
 * Since: 1.0
 */
GMainContext *
isle_graph_get_context (IsleGraph *self)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (self), NULL);

  return self->context;
}

/**
 * isle_graph_get_n_nodes:
 * @self: a graph
 *
 * Gets the number of live (not disposed) states, deriveds and effects in
 * @self.
 *
 * Returns: the number of nodes
 *
 * Since: 1.0
 */
guint
isle_graph_get_n_nodes (IsleGraph *self)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (self), 0);

  return self->n_nodes;
}

/**
 * isle_graph_get_n_pending:
 * @self: a graph
 *
 * Gets the number of effects queued to run at the next flush.
 *
 * Returns: the number of queued effects
 *
 * Since: 1.0
 */
guint
isle_graph_get_n_pending (IsleGraph *self)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (self), 0);

  return queue_length (self);
}

static void
heap_sift_up (IsleGraph *self,
              guint      i)
{
  IsleHeapEntry entry = self->heap[i];

  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (self->heap[parent].serial <= entry.serial)
        break;
      self->heap[i] = self->heap[parent];
      i = parent;
    }
  self->heap[i] = entry;
}

static void
heap_sift_down (IsleGraph *self,
                guint      i)
{
  IsleHeapEntry entry = self->heap[i];

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= self->heap_len)
        break;
      if (child + 1 < self->heap_len && self->heap[child + 1].serial < self->heap[child].serial)
        child++;
      if (entry.serial <= self->heap[child].serial)
        break;
      self->heap[i] = self->heap[child];
      i = child;
    }
  self->heap[i] = entry;
}

static void
heap_remove_at (IsleGraph *self,
                guint      i)
{
  self->heap_len--;
  if (i == self->heap_len)
    return;

  self->heap[i] = self->heap[self->heap_len];
  heap_sift_down (self, i);
  heap_sift_up (self, i);
}

/* Makes room for @size effects in the run, which starts in the graph's
 * own slots and moves to the heap when it outgrows them. */
G_GNUC_NO_INLINE static void
run_reserve (IsleGraph *self,
             guint      size)
{
  if (self->run == self->run_inline)
    {
      self->run = g_new (IsleComputation *, size);
      memcpy (self->run, self->run_inline, self->run_len * sizeof (IsleComputation *));
    }
  else
    {
      self->run = g_renew (IsleComputation *, self->run, size);
    }
  self->run_size = size;
}

static void
queue_push (IsleGraph       *self,
            IsleComputation *effect)
{
  if (self->run_head == self->run_len)
    self->run_head = self->run_len = 0;

  if (self->run_len == 0 || self->run[self->run_len - 1]->node.effect.serial < effect->node.effect.serial)
    {
      if (self->run_len == self->run_size)
        run_reserve (self, MAX (RUN_QUEUE_FIRST_SIZE, self->run_size * 2));
      self->run[self->run_len++] = effect;
      return;
    }

  /* Propagation reaches effects depth first, far out of creation order
   * in a wide graph: outside a flush, collect them and sort them once. */
  if (!self->flushing)
    {
      if (self->unsorted_len == self->unsorted_size)
        {
          self->unsorted_size = MAX (16, self->unsorted_size * 2);
          self->unsorted = g_renew (IsleHeapEntry, self->unsorted, self->unsorted_size);
        }
      self->unsorted[self->unsorted_len].serial = effect->node.effect.serial;
      self->unsorted[self->unsorted_len].effect = effect;
      self->unsorted_len++;
      return;
    }

  if (self->heap_len == self->heap_size)
    {
      self->heap_size = MAX (16, self->heap_size * 2);
      self->heap = g_renew (IsleHeapEntry, self->heap, self->heap_size);
    }
  self->heap[self->heap_len].serial = effect->node.effect.serial;
  self->heap[self->heap_len].effect = effect;
  self->heap_len++;
  heap_sift_up (self, self->heap_len - 1);
}

static IsleHeapEntry *
ensure_scratch (IsleGraph *self,
                guint      n)
{
  if (self->scratch_size < n)
    {
      self->scratch_size = MAX (n, self->scratch_size * 2);
      self->scratch = g_renew (IsleHeapEntry, self->scratch, self->scratch_size);
    }

  return self->scratch;
}

/* Sorts @entries by serial: insertion for a few, else an LSD radix sort
 * on the serials' range, one byte a pass (a wide graph's thousands of
 * effects take a few passes, not n log n comparisons). */
static void
sort_entries (IsleGraph     *self,
              IsleHeapEntry *entries,
              guint          n)
{
  IsleHeapEntry *from = entries;
  IsleHeapEntry *to;
  guint64 min, range;

  if (n < 32)
    {
      for (guint i = 1; i < n; i++)
        {
          IsleHeapEntry entry = entries[i];
          guint j = i;

          while (j > 0 && entries[j - 1].serial > entry.serial)
            {
              entries[j] = entries[j - 1];
              j--;
            }
          entries[j] = entry;
        }
      return;
    }

  min = range = entries[0].serial;
  for (guint i = 1; i < n; i++)
    {
      min = MIN (min, entries[i].serial);
      range = MAX (range, entries[i].serial);
    }
  range -= min;

  to = ensure_scratch (self, n);
  for (guint shift = 0; shift < 64 && (range >> shift) != 0; shift += 8)
    {
      guint count[257] = { 0 };
      IsleHeapEntry *swap;

      for (guint i = 0; i < n; i++)
        count[(((from[i].serial - min) >> shift) & 0xff) + 1]++;
      for (guint d = 1; d < 257; d++)
        count[d] += count[d - 1];
      for (guint i = 0; i < n; i++)
        to[count[((from[i].serial - min) >> shift) & 0xff]++] = from[i];

      swap = from;
      from = to;
      to = swap;
    }

  if (from != entries)
    memcpy (entries, from, n * sizeof (IsleHeapEntry));
}

/* Merges the sorted unsorted-list into the run, before a flush. */
static void
merge_unsorted (IsleGraph *self)
{
  guint n_run = self->run_len - self->run_head;
  guint n_new = self->unsorted_len;
  guint total = n_run + n_new;
  IsleHeapEntry *merged;
  guint i = 0, j = 0, k = 0;

  if (n_new == 0)
    return;

  sort_entries (self, self->unsorted, n_new);

  merged = ensure_scratch (self, total);
  while (i < n_run || j < n_new)
    {
      if (j >= n_new ||
          (i < n_run && self->run[self->run_head + i]->node.effect.serial < self->unsorted[j].serial))
        {
          merged[k].effect = self->run[self->run_head + i];
          merged[k++].serial = self->run[self->run_head + i++]->node.effect.serial;
        }
      else
        {
          merged[k++] = self->unsorted[j++];
        }
    }

  if (self->run_size < total)
    run_reserve (self, MAX (total, self->run_size * 2));
  for (k = 0; k < total; k++)
    self->run[k] = merged[k].effect;
  self->run_head = 0;
  self->run_len = total;
  self->unsorted_len = 0;
}

G_NO_INLINE static IsleComputation *
queue_pop (IsleGraph *self)
{
  gboolean have_run;
  IsleComputation *effect;

  if (G_UNLIKELY (self->unsorted_len > 0))
    merge_unsorted (self);

  have_run = self->run_head < self->run_len;

  if (self->heap_len > 0 &&
      (!have_run || self->heap[0].serial < self->run[self->run_head]->node.effect.serial))
    {
      effect = self->heap[0].effect;
      heap_remove_at (self, 0);
      return effect;
    }

  if (!have_run)
    return NULL;

  return self->run[self->run_head++];
}

static void
queue_remove (IsleGraph       *self,
              IsleComputation *effect)
{
  for (guint i = self->run_head; i < self->run_len; i++)
    {
      if (self->run[i] == effect)
        {
          memmove (self->run + i, self->run + i + 1,
                   (self->run_len - i - 1) * sizeof (IsleComputation *));
          self->run_len--;
          return;
        }
    }

  for (guint i = 0; i < self->heap_len; i++)
    {
      if (self->heap[i].effect == effect)
        {
          heap_remove_at (self, i);
          return;
        }
    }

  for (guint i = 0; i < self->unsorted_len; i++)
    {
      if (self->unsorted[i].effect == effect)
        {
          self->unsorted[i] = self->unsorted[--self->unsorted_len];
          return;
        }
    }

  g_assert_not_reached ();
}

/* The flush source lives as long as the graph and is ready whenever
 * effects are queued. Writes happen on the graph's own thread, which is
 * then not blocked in poll(), so its next prepare() sees them: queuing an
 * effect costs no wakeup and allocates nothing. */
typedef struct
{
  GSource    source;
  IsleGraph *graph;
} FlushSource;

static gboolean
flush_source_prepare (GSource *source,
                      int     *timeout)
{
  IsleGraph *self = ((FlushSource *) source)->graph;

  *timeout = -1;

  return self->schedule_func == NULL &&
         queue_length (self) > 0 && self->batch_depth == 0 && !self->flushing;
}

static gboolean
flush_source_check (GSource *source)
{
  int timeout;

  return flush_source_prepare (source, &timeout);
}

static gboolean
flush_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  isle_graph_flush (((FlushSource *) source)->graph);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  .prepare = flush_source_prepare,
  .check = flush_source_check,
  .dispatch = flush_source_dispatch,
};

static void
schedule_flush (IsleGraph *self)
{
  if (G_UNLIKELY (self->schedule_func != NULL))
    {
      if (!self->schedule_requested && !self->flushing && !self->disposing)
        {
          self->schedule_requested = TRUE;
          self->schedule_func (self, self->schedule_data);
        }
      return;
    }

  if (G_LIKELY (self->flush_source != NULL) || self->disposing)
    return;

  self->flush_source = g_source_new (&flush_source_funcs, sizeof (FlushSource));
  ((FlushSource *) self->flush_source)->graph = self;
  /* Before GTK's layout and paint (G_PRIORITY_HIGH_IDLE + 20). */
  g_source_set_priority (self->flush_source, G_PRIORITY_HIGH_IDLE + 10);
  g_source_set_static_name (self->flush_source, "[isle] flush effects");
  g_source_attach (self->flush_source, self->context);
}

ISLE_HOT void
_isle_graph_queue_effect (IsleGraph       *self,
                          IsleComputation *effect)
{
  if (self == NULL || self->disposing)
    return;

  /* No reference: a queued effect is alive (its owner holds it), and
   * leaves the queue when it is disposed. */
  effect->node.flags |= ISLE_NODE_QUEUED;
  queue_push (self, effect);
  schedule_flush (self);
}

/* An effect at the bound of its runs in one flush: its last run allowed
 * is probed (the states it writes are noted); past it, it is stopped, and
 * the report names the loop that brought it back. */
static void
run_at_bound (IsleComputation *effect)
{
  g_autofree char *loop = NULL;

  if (effect->node.effect.runs_in_flush == ISLE_MAX_EFFECT_RUNS)
    {
      _isle_inspect_probe_begin (effect);
      _isle_computation_run_effect (effect);
      _isle_inspect_probe_end (effect);
      return;
    }

  loop = _isle_inspect_dup_loop (effect);
  _isle_computation_fail (effect,
                          g_error_new (ISLE_ERROR, ISLE_ERROR_RUNAWAY,
                                       "runaway: it re-triggered itself more than "
                                       "%d times in one flush%s%s",
                                       ISLE_MAX_EFFECT_RUNS,
                                       loop != NULL ? "; the loop: " : "",
                                       loop != NULL ? loop : ""));
}

/**
 * isle_graph_flush:
 * @self: a graph
 *
 * Runs every queued effect whose dependencies really changed, in creation
 * order, and the effects those runs queue in turn, until none is left.
 *
 * Inside a batch the flush is deferred to the end of the outermost batch;
 * called from an effect, it returns at once (the running flush goes on).
 *
 * Since: 1.0
 */
ISLE_HOT void
isle_graph_flush (IsleGraph *self)
{
  IsleComputation *effect;

  if (G_UNLIKELY (!is_graph_fast (self)))
    g_return_if_fail (ISLE_IS_GRAPH (self));
  _ISLE_RETURN_IF_FOREIGN_THREAD (self, );

  /* The end of the outermost batch flushes. */
  if (self->batch_depth > 0)
    return;

  self->schedule_requested = FALSE;

  if (self->flushing || queue_length (self) == 0)
    return;

  self->flushing = TRUE;
  self->flush_id++;
  _isle_node_defer_frees_begin ();

  for (;;)
    {
      IsleNode *node;
      guint flags;

      /* The common case, effects queued in creation order, takes the
       * next one of the run; the others go the general way. */
      if (G_LIKELY ((self->heap_len | self->unsorted_len) == 0))
        {
          if (self->run_head == self->run_len)
            break;
          effect = self->run[self->run_head++];
        }
      else if ((effect = queue_pop (self)) == NULL)
        {
          break;
        }

      node = &effect->node;
      flags = node->flags & ~ISLE_NODE_QUEUED;
      node->flags = flags;

      if (!(flags & ISLE_NODE_DISPOSED))
        {
          if (effect->node.effect.flush_id != self->flush_id)
            {
              effect->node.effect.flush_id = self->flush_id;
              effect->node.effect.runs_in_flush = 0;
            }

          if (G_UNLIKELY (++effect->node.effect.runs_in_flush >= ISLE_MAX_EFFECT_RUNS))
            run_at_bound (effect);
          else
            _isle_computation_run_effect (effect);
        }
    }

  _isle_node_defer_frees_end ();
  self->flushing = FALSE;

  /* Disposed during the flush (its last reference went, say): what the
   * postponed dispose would have done, then its reference goes. */
  if (G_UNLIKELY (self->dispose_after_flush))
    {
      self->dispose_after_flush = FALSE;
      isle_graph_dispose_nodes (self);
      g_object_unref (self);
    }
}

/**
 * isle_graph_batch_begin:
 * @self: a graph
 *
 * Starts a batch: effects do not run until the outermost batch ends,
 * even if [method@Isle.Graph.flush] is called. Batches nest; each
 * call must be matched by [method@Isle.Graph.batch_end].
 *
 * Since: 1.0
 */
void
isle_graph_batch_begin (IsleGraph *self)
{
  g_return_if_fail (ISLE_IS_GRAPH (self));
  _ISLE_RETURN_IF_FOREIGN_THREAD (self, );

  self->batch_depth++;
}

/**
 * isle_graph_batch_end:
 * @self: a graph
 *
 * Ends a batch started with [method@Isle.Graph.batch_begin]. When the
 * outermost batch ends, the queued effects run at once.
 *
 * Since: 1.0
 */
void
isle_graph_batch_end (IsleGraph *self)
{
  g_return_if_fail (ISLE_IS_GRAPH (self));
  _ISLE_RETURN_IF_FOREIGN_THREAD (self, );
  g_return_if_fail (self->batch_depth > 0);

  if (--self->batch_depth > 0)
    return;

  isle_graph_flush (self);
}

/**
 * isle_graph_batch:
 * @self: a graph
 * @func: (scope call) (closure user_data): the function to run
 * @user_data: data for @func
 *
 * Runs @func inside a batch: the effects its writes trigger run once, when
 * it returns.
 *
 * Since: 1.0
 */
void
isle_graph_batch (IsleGraph     *self,
                  IsleGraphFunc  func,
                  gpointer       user_data)
{
  g_return_if_fail (ISLE_IS_GRAPH (self));
  _ISLE_RETURN_IF_FOREIGN_THREAD (self, );
  g_return_if_fail (func != NULL);

  isle_graph_batch_begin (self);
  func (user_data);
  isle_graph_batch_end (self);
}

/**
 * isle_graph_untrack:
 * @self: a graph
 * @func: (scope call) (closure user_data): the function to run
 * @user_data: data for @func
 *
 * Runs @func without dependency tracking: what it reads does not become a
 * dependency of the derived or effect that is running.
 *
 * Since: 1.0
 */
void
isle_graph_untrack (IsleGraph     *self,
                    IsleGraphFunc  func,
                    gpointer       user_data)
{
  IsleComputation *prev_sub;

  g_return_if_fail (ISLE_IS_GRAPH (self));
  g_return_if_fail (func != NULL);

  prev_sub = _isle_tls.active_sub;
  _isle_tls.active_sub = NULL;
  func (user_data);
  _isle_tls.active_sub = prev_sub;
}

/**
 * isle_graph_dispose_nodes:
 * @self: a graph
 *
 * Disposes every node of @self: its effects first, in creation order
 * (each with the effects it owns before its own cleanups, see
 * [method@Isle.Effect.dispose]), then the other nodes, newest first. The
 * graph stays usable: new nodes may be created afterwards.
 *
 * Since: 1.0
 */
void
isle_graph_dispose_nodes (IsleGraph *self)
{
  gboolean was_disposing;

  g_return_if_fail (ISLE_IS_GRAPH (self));

  was_disposing = self->disposing;
  self->disposing = TRUE;

  /* Nodes created by cleanups while we dispose land in a new list and go
   * in the next round. The graph lets go of a round's nodes only once
   * they are all disposed: until then a cleanup may still reach any of
   * them through a link. */
  while (root_blocks_count (self) > 0)
    {
      IsleRootList roots = root_blocks_steal (self);

      /* As an effect tears down what it owns: the effects first, in
       * creation order, then the rest newest first. */
      for (IsleRootBlock *block = roots.oldest; block != NULL; block = block->newer)
        {
          for (guint i = 0; i < block->used; i++)
            {
              IsleNode *node = block->slots[i];

              if (node != NULL && node->kind == ISLE_NODE_EFFECT)
                _isle_node_dispose (node);
            }
        }

      for (IsleRootBlock *block = roots.newest; block != NULL; block = block->older)
        {
          for (guint i = block->used; i > 0; i--)
            {
              IsleNode *node = block->slots[i - 1];

              if (node != NULL)
                _isle_node_dispose (node);
            }
        }

      root_blocks_free (&roots);
    }

  /* No node is left to hold a link: free them all at once. */
  if (self->n_nodes == 0)
    {
      g_slist_free_full (g_steal_pointer (&self->link_blocks), g_free);
      self->free_links = NULL;
      self->n_link_blocks = 0;
    }

  /* Drop queued effects: they are all disposed now. */
  while (queue_length (self) > 0)
    {
      IsleComputation *effect = queue_pop (self);

      effect->node.flags &= ~ISLE_NODE_QUEUED;
    }

  self->disposing = was_disposing;
}

/*
 * _isle_graph_set_scheduler:
 *
 * Hands the scheduling of flushes to @func, called once whenever effects
 * are queued and no flush is requested yet; the scheduler must then call
 * isle_graph_flush(). %NULL returns to the graph's own idle source.
 */
void
_isle_graph_set_scheduler (IsleGraph             *self,
                           IsleGraphScheduleFunc  func,
                           gpointer               user_data)
{
  self->schedule_func = func;
  self->schedule_data = user_data;
  self->schedule_requested = FALSE;

  if (queue_length (self) > 0)
    schedule_flush (self);
}

/*
 * _isle_graph_set_failure_func:
 *
 * Hands every failure of the graph to @func first, then to ::failed: the
 * graph's owner (an island) hears its graph without a signal handler of
 * its own, which costs a closure and a handler per island. %NULL stops.
 */
void
_isle_graph_set_failure_func (IsleGraph            *self,
                              IsleGraphFailureFunc  func,
                              gpointer              user_data)
{
  self->failure_func = func;
  self->failure_data = user_data;
}

void
_isle_graph_own (IsleGraph *self,
                 IsleNode  *node,
                 gboolean   unowned)
{
  self->n_nodes++;

  if (node->kind == ISLE_NODE_EFFECT)
    node->effect.serial = ++self->next_serial;

  /* An effect root is the graph's even inside a running computation:
   * nothing but its handle (or the graph's end) disposes it. */
  if (unowned || !_isle_computation_add_owned (self, node))
    {
      node->flags |= ISLE_NODE_ROOT_OWNED;
      root_add (self, node);
    }
}

/*
 * _isle_graph_node_disposed:
 *
 * Forgets @node, which is being disposed. Returns %TRUE when the graph
 * dropped its reference to @node as its owner: the caller then drops it
 * (last, as it may be the last one).
 */
gboolean
_isle_graph_node_disposed (IsleGraph *self,
                           IsleNode  *node)
{
  self->n_nodes--;

  /* A disposed effect leaves the queue at once, so the pending count is
   * right, and the queue holds only live effects. */
  if (node->flags & ISLE_NODE_QUEUED)
    {
      queue_remove (self, (IsleComputation *) node);
      node->flags &= ~ISLE_NODE_QUEUED;
    }

  if (!(node->flags & ISLE_NODE_ROOT_OWNED) || self->disposing)
    return FALSE;

  root_remove (self, node);

  return TRUE;
}

void
_isle_graph_report_foreign_thread (IsleGraph  *self,
                                   const char *func)
{
  g_autofree char *label = self->name != NULL ? g_strdup_printf ("graph “%s”", self->name)
                                              : g_strdup ("an unnamed graph");

  g_critical ("%s: %s was used from a thread that did not create it; a graph and its "
              "states, deriveds and effects belong to the thread that created it "
              "(only atoms may be set from any thread)", func, label);
}

void
_isle_graph_report (IsleGraph    *self,
                    const GError *error)
{
  if (self->failure_func != NULL)
    self->failure_func (self, error, self->failure_data);
  g_signal_emit (self, signals[FAILED], 0, error);
}

/* Only states and deriveds can be looked up by name. */
static inline gboolean
findable_by_name (IsleNode *node)
{
  return node->kind == ISLE_NODE_STATE || node->kind == ISLE_NODE_DERIVED;
}

/* Keeps the graph's table of names current, once a lookup made it: @node
 * was called @old_name (or nothing) and is now called @new_name (or
 * nothing). Until then naming costs nothing here: most graphs (an
 * island's) are never searched, and the table was 300 bytes per island.
 * A name whose holder lost it stays in the table with no node: the next
 * lookup of that name looks for the live node named last. */
void
_isle_graph_name_node (IsleGraph  *self,
                       IsleNode   *node,
                       const char *old_name,
                       const char *new_name)
{
  if (self->named == NULL || !findable_by_name (node))
    return;

  if (old_name != NULL && g_hash_table_lookup (self->named, old_name) == node)
    g_hash_table_replace (self->named, g_strdup (old_name), NULL);

  if (new_name != NULL)
    g_hash_table_replace (self->named, g_strdup (new_name), node);
}

guint64
_isle_graph_next_name_serial (IsleGraph *self)
{
  return ++self->name_serial;
}

/* Puts in the table @node and the live nodes it owns (only those called
 * @only, unless it is %NULL), each name going to whoever was given it
 * last. */
static void
index_names (IsleGraph  *self,
             IsleNode   *node,
             const char *only)
{
  guint64 serial;
  const char *name;
  GPtrArray *owned;

  if (node->flags & ISLE_NODE_DISPOSED)
    return;

  name = _isle_node_get_name_and_serial (node, &serial);
  if (name != NULL && findable_by_name (node) && (only == NULL || g_str_equal (name, only)))
    {
      IsleNode *other = g_hash_table_lookup (self->named, name);
      guint64 other_serial = 0;

      if (other != NULL)
        (void) _isle_node_get_name_and_serial (other, &other_serial);
      if (other == NULL || other_serial < serial)
        g_hash_table_replace (self->named, g_strdup (name), node);
    }

  if (node->kind == ISLE_NODE_STATE)
    return;

  owned = ((IsleComputation *) node)->owned;
  for (guint i = 0; owned != NULL && i < owned->len; i++)
    index_names (self, g_ptr_array_index (owned, i), only);
}

static void
index_graph_names (IsleGraph  *self,
                   const char *only)
{
  for (IsleRootBlock *block = self->oldest_root; block != NULL; block = block->newer)
    {
      for (guint i = 0; i < block->used; i++)
        {
          if (block->slots[i] != NULL)
            index_names (self, block->slots[i], only);
        }
      if (block == self->newest_root)
        break;
    }
}

static IsleNode *
lookup_node (IsleGraph    *self,
             const char   *name,
             IsleNodeKind  kind)
{
  gpointer found = NULL;

  if (self->named == NULL)
    {
      self->named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      index_graph_names (self, NULL);
    }

  if (g_hash_table_lookup_extended (self->named, name, NULL, &found) && found == NULL)
    {
      /* Its holder lost the name: it goes to the live node named last. */
      g_hash_table_remove (self->named, name);
      index_graph_names (self, name);
      found = g_hash_table_lookup (self->named, name);
    }

  if (found == NULL || ((IsleNode *) found)->kind != kind ||
      (((IsleNode *) found)->flags & ISLE_NODE_DISPOSED))
    return NULL;

  return found;
}

/**
 * isle_graph_lookup_state:
 * @self: a graph
 * @name: the name of a state, as given to [method@Isle.State.set_name]
 *
 * Finds the state of @self named @name, so that a callback can reach the
 * nodes it needs by name instead of through its data. If several live
 * states and deriveds have the name, the one named last holds it (a state
 * or derived that goes, or is renamed, hands it back to the one named
 * before); effects' names are never found.
 *
 * Returns: (transfer none) (nullable): the state, or %NULL if no live
 *   state of @self holds that name
 *
 * Since: 1.0
 */
IsleState *
isle_graph_lookup_state (IsleGraph  *self,
                         const char *name)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return (IsleState *) lookup_node (self, name, ISLE_NODE_STATE);
}

/**
 * isle_graph_lookup_derived:
 * @self: a graph
 * @name: the name of a derived, as given to [method@Isle.Derived.set_name]
 *
 * Finds the derived of @self named @name (see
 * [method@Isle.Graph.lookup_state]).
 *
 * Returns: (transfer none) (nullable): the derived, or %NULL if no live
 *   derived of @self has that name
 *
 * Since: 1.0
 */
IsleDerived *
isle_graph_lookup_derived (IsleGraph  *self,
                           const char *name)
{
  g_return_val_if_fail (ISLE_IS_GRAPH (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return (IsleDerived *) lookup_node (self, name, ISLE_NODE_DERIVED);
}

IsleLink *
_isle_graph_alloc_link (IsleGraph *self)
{
  IsleLink *link = self->free_links;

  if (G_UNLIKELY (link == NULL))
    {
      guint n = LINKS_FIRST_BLOCK << MIN (self->n_link_blocks, 7);
      IsleLink *block;

      n = MIN (n, LINKS_PER_BLOCK);
      block = g_new (IsleLink, n);
      self->link_blocks = g_slist_prepend (self->link_blocks, block);
      self->n_link_blocks++;
      for (guint i = 0; i < n - 1; i++)
        block[i].next_dep = &block[i + 1];
      block[n - 1].next_dep = NULL;
      link = block;
    }

  self->free_links = link->next_dep;

  return link;
}
