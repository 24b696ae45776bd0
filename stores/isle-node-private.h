/* isle-node-private.h: the engine's node, link and graph internals
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <math.h>

#include "isle-stores.h"
#include "isle-inspect-private.h"

G_BEGIN_DECLS

typedef struct _IsleNode        IsleNode;
typedef struct _IsleComputation IsleComputation;
typedef struct _IsleLink        IsleLink;

typedef enum {
  ISLE_NODE_STATE,
  ISLE_NODE_DERIVED,
  ISLE_NODE_EFFECT,
} IsleNodeKind;

/* The propagation flags follow the push-pull scheme of alien-signals: a
 * write marks direct subscribers PENDING and queues effects; a read of a
 * PENDING node walks its dependencies (check_dirty) and recomputes only
 * what really changed. The remaining bits are Isle's own bookkeeping. */
typedef enum {
  ISLE_NODE_MUTABLE        = 1 << 0,  /* has a value others depend on */
  ISLE_NODE_WATCHING       = 1 << 1,  /* an effect */
  ISLE_NODE_RUNNING        = 1 << 2,  /* its callback is on the stack */
  ISLE_NODE_RECURSED       = 1 << 3,  /* notified while running */
  ISLE_NODE_DIRTY          = 1 << 4,  /* changed, or must recompute */
  ISLE_NODE_PENDING        = 1 << 5,  /* a dependency may have changed */
  ISLE_NODE_QUEUED         = 1 << 6,  /* an effect in the run queue */
  ISLE_NODE_DISPOSED       = 1 << 7,
  ISLE_NODE_FAILED         = 1 << 8,  /* last run failed, already reported */
  ISLE_NODE_INLINE         = 1 << 9,  /* value needs no copy or free */
  ISLE_NODE_POISONED       = 1 << 10, /* this run took part in a cycle */
  ISLE_NODE_HAS_VALUE      = 1 << 11, /* a derived computed successfully once */
  ISLE_NODE_ROOT_OWNED     = 1 << 12, /* owned by the graph, not a computation */
  ISLE_NODE_CUSTOM_EQUAL   = 1 << 13,
  ISLE_NODE_REFUSED        = 1 << 14, /* this run read something refused as too deep */
  ISLE_NODE_CYCLE_ROOT     = 1 << 15, /* the derived where a detected cycle closed */
} IsleNodeFlags;

/* How values of a node compare, worked out once from its value type. */
typedef enum {
  ISLE_EQUAL_POINTER,
  ISLE_EQUAL_BOOLEAN,
  ISLE_EQUAL_INT,     /* stored in v_int (or v_uint) alone */
  ISLE_EQUAL_ENUM,    /* compared like an int, stored in v_long (or v_ulong) */
  ISLE_EQUAL_LONG,
  ISLE_EQUAL_INT64,
  ISLE_EQUAL_FLOAT,
  ISLE_EQUAL_DOUBLE,
  ISLE_EQUAL_STRING,
  ISLE_EQUAL_VARIANT,
} IsleEqualKind;

#define ISLE_NODE_PROPAGATION_MASK \
  (ISLE_NODE_RUNNING | ISLE_NODE_RECURSED | ISLE_NODE_DIRTY | ISLE_NODE_PENDING)

/* One dependency edge: @sub read @dep. It sits in two lists at once:
 * @dep's subscribers (doubly linked, so it can leave from the middle; the
 * first one's @prev_sub is the last, so the node needs no tail pointer)
 * and @sub's dependencies (singly linked, in read order). 40 bytes. */
struct _IsleLink
{
  IsleNode *dep;
  IsleNode *sub;
  IsleLink *prev_sub;
  IsleLink *next_sub;
  IsleLink *next_dep;
};

typedef struct
{
  char           *name;
  IsleEqualFunc   equal;
  gpointer        equal_data;
  GDestroyNotify  equal_destroy;
  GError         *error;      /* a computation's last failure */
  guint64         name_serial; /* when it was named, in its graph: the newest name wins */
} IsleNodeExtra;

/* What only an effect needs, kept where a state or derived keeps its
 * link stamp and its value (an effect has neither: nothing reads it). */
typedef struct
{
  guint64        serial;         /* creation order */
  GArray        *cleanups;       /* IsleCleanup */
  guint          flush_id;
  guint          runs_in_flush;
  guint          run_count;
} IsleEffectPart;

/* A state is just this (64 bytes); deriveds and effects extend it. A
 * name or an equal func (rare) lives in a table beside the nodes
 * (IsleNodeExtra, found when @has_extra is set). */
struct _IsleNode
{
  guint16        flags;
  guint8         kind;
  guint8         equal_kind : 6;
  guint8         write_hooked : 1; /* a state with a first-write hook */
  guint8         has_extra : 1;
  int            ref_count;
  IsleGraph     *graph;
  IsleLink      *subs;           /* the first's prev_sub is the last */
  guint32        root_block;     /* where its graph holds it, if it is a root node */
  guint32        root_slot;
  union
  {
    struct
    {
      guint64    tracked;        /* the run (its version) that last linked it */
      GValue     value;
    };
    IsleEffectPart effect;       /* ISLE_NODE_EFFECT only */
  };
};

G_STATIC_ASSERT (sizeof (IsleNode) == 64);
G_STATIC_ASSERT (sizeof (IsleEffectPart) <= sizeof (guint64) + sizeof (GValue));
G_STATIC_ASSERT (sizeof (IsleLink) == 40);

typedef struct
{
  IsleCleanupFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} IsleCleanup;

struct _IsleComputation
{
  IsleNode        node;
  IsleLink       *deps;
  IsleLink       *deps_tail;
  gpointer        func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  GPtrArray      *owned;     /* nodes created while it ran */
  guint64         version;   /* this run's, unique in the process */
};

/* A computation fits a 128-byte malloc chunk, which glibc frees the fast
 * way. */
G_STATIC_ASSERT (sizeof (IsleComputation) == 120);

/* An effect waiting in the graph's heap, keyed by its serial. */
typedef struct _IsleHeapEntry
{
  guint64          serial;
  IsleComputation *effect;
} IsleHeapEntry;

/* The graph's root nodes (those no computation owns), one reference each,
 * in creation order: a list of blocks, oldest first, each a run of slots
 * handed out in order and never re-used. A node keeps its block's number
 * (the blocks are numbered in a table of the graph) and its slot, so it
 * leaves in O(1), in any order. Blocks grow from 256 bytes to 16 KiB (a
 * small graph stays small; a big one has few blocks). A block whose nodes
 * all went is kept aside for re-use: they are freed with the graph's
 * nodes, as freeing such chunks one by one among thousands of freed nodes
 * makes glibc gather its free chunks again and again. The few nodes left
 * in a nearly empty block move to the block before it, so a few
 * long-lived nodes do not pin many blocks. */
typedef struct _IsleRootBlock IsleRootBlock;

struct _IsleRootBlock
{
  IsleRootBlock *older;
  IsleRootBlock *newer;   /* or the next spare one */
  guint          id;      /* its index in the graph's table, for life */
  guint          size;    /* slots */
  guint          used;    /* slots handed out */
  guint          live;    /* of those, the ones still holding a node */
  IsleNode      *slots[];
};

/* The sizes of the malloc chunks blocks take (a power of two, less
 * malloc's header). The first holds 11 nodes: an island's graph has three
 * or four. */
#define ISLE_ROOT_BLOCK_MIN_BYTES 128
#define ISLE_ROOT_BLOCK_MAX_BYTES 16384

/* Asks an outside scheduler (an island's frame clock) for a flush. */
typedef void (*IsleGraphScheduleFunc) (IsleGraph *graph,
                                       gpointer   user_data);

/* Hears a failure of the graph's owner (an island) before ::failed does. */
typedef void (*IsleGraphFailureFunc)  (IsleGraph    *graph,
                                       const GError *error,
                                       gpointer      user_data);

/* Number of run-queue slots kept in the graph itself: an island's graph
 * queues one or two effects at a time, and a slot of its own costs it no
 * allocation and no cache line of its own on every write and flush. */
#define ISLE_GRAPH_INLINE_RUN 2

struct _IsleGraph
{
  GObject        parent_instance;

  /* What every write that queues an effect and every flush touch comes
   * first, next to the object header: with thousands of islands on a
   * window, each graph is far from the cache when a change reaches it,
   * and every cache line of it read is one more miss per island. */
  guint          batch_depth;
  guint          flush_id;
  gconstpointer  owner;          /* &_isle_thread_marker of its thread */
  guint          flushing : 1;
  guint          dispose_after_flush : 1;
  guint          disposing : 1;
  guint          schedule_requested : 1;

  /* Effects waiting to run, taken in order of serial: those queued in
   * creation order (the common case) are appended to a sorted run, the
   * others go to a binary heap; each step takes the smaller head. */
  guint          run_head;
  IsleComputation **run;         /* run_inline, or on the heap once it grew */
  guint          run_len;
  guint          run_size;
  guint          heap_len;
  /* Out of order and outside a flush: unsorted, sorted once (radix) and
   * merged into the run when the flush starts. */
  guint          unsorted_len;
  IsleGraphScheduleFunc schedule_func;
  gpointer       schedule_data;
  IsleComputation *run_inline[ISLE_GRAPH_INLINE_RUN];

  struct _IsleHeapEntry *heap;  /* the serial beside the effect: no pointer chasing */
  guint          heap_size;
  guint          unsorted_size;
  struct _IsleHeapEntry *unsorted;
  struct _IsleHeapEntry *scratch;
  guint          scratch_size;
  guint64        next_serial;
  GSource       *flush_source;

  char          *name;
  GMainContext  *context;
  IsleRootBlock *oldest_root;    /* root nodes, one reference each */
  IsleRootBlock *newest_root;
  IsleRootBlock *spare_roots;    /* empty blocks, linked by newer */
  IsleRootBlock *root_block0;    /* the first block made (id 0), or NULL */
  GPtrArray     *root_blocks;    /* every block above, by id, once there are two:
                                  * most graphs (an island's) never need a table */
  guint          n_nodes;        /* live nodes */
  GHashTable    *named;          /* name -> state or derived, not owned; the newest
                                  * wins; made by the first lookup */
  guint64        name_serial;    /* names given so far */

  guint          serial;         /* unique among the process's graphs, for life */

  /* Links are carved from blocks owned by the graph and recycled through
   * a free list threaded on next_dep. */
  IsleLink      *free_links;
  GSList        *link_blocks;
  guint          n_link_blocks;

  IsleGraphFailureFunc failure_func;
  gpointer       failure_data;
};

/* The engine's hottest functions (a write's propagation, the walk of a
 * flush, a recomputation, the reads that bring a node up to date): GCC
 * groups them (.text.hot) and starts each on a cache line, so that their
 * speed does not hang on where unrelated code happens to end. Pinned
 * timings moved by 10% with the size of a function these never call. */
#if defined (__GNUC__) && !defined (__clang__)
#define ISLE_HOT __attribute__ ((hot, aligned (64)))
#elif defined (__GNUC__)
#define ISLE_HOT __attribute__ ((hot))
#else
#define ISLE_HOT
#endif

/* isle-node.c */
IsleNode      *_isle_node_new            (IsleGraph       *graph,
                                          IsleNodeKind     kind,
                                          GType            value_type);
IsleNode      *_isle_node_new_unowned    (IsleGraph       *graph,
                                          IsleNodeKind     kind,
                                          GType            value_type);
IsleNode      *_isle_node_ref            (IsleNode        *node);
void           _isle_node_unref          (IsleNode        *node);
void           _isle_node_dispose        (IsleNode        *node);
char          *_isle_node_dup_label      (IsleNode        *node);
const GValue  *_isle_node_peek           (IsleNode        *node,
                                          const char      *func);
const char    *_isle_node_get_name       (IsleNode        *node);
const char    *_isle_node_get_name_and_serial (IsleNode   *node,
                                          guint64         *serial);
const GError  *_isle_node_get_error      (IsleNode        *node);
void           _isle_node_set_name       (IsleNode        *node,
                                          const char      *name);
void           _isle_node_set_equal_func (IsleNode        *node,
                                          IsleEqualFunc    func,
                                          gpointer         user_data,
                                          GDestroyNotify   destroy);
gboolean       _isle_node_check          (IsleNode        *node,
                                          IsleNodeKind     kind,
                                          GType            value_type,
                                          gboolean         write,
                                          const char      *func);
const GValue  *_isle_node_read_slow      (IsleNode        *node);
const GValue  *_isle_node_read_checked   (IsleNode        *node,
                                          IsleNodeKind     kind,
                                          GType            value_type,
                                          gboolean         linked,
                                          const char      *func);
void           _isle_node_track          (IsleNode        *node,
                                          IsleComputation *sub);
void           _isle_node_changed        (IsleNode        *node);
void           _isle_node_propagate      (IsleLink        *link);

/* A first-write hook: called once, on the first change of a state that is
 * not held (see _isle_state_hold_write_hook()), and then forgotten; it
 * takes @user_data. Never called, @destroy frees it when the state is
 * disposed. */
typedef void (*IsleStateWriteFunc)       (IsleState       *state,
                                          gpointer         user_data);
void           _isle_state_set_first_write_func (IsleState *state,
                                          IsleStateWriteFunc func,
                                          gpointer         user_data,
                                          GDestroyNotify   destroy);
gboolean       _isle_state_hold_write_hook (IsleState     *state);
void           _isle_state_release_write_hook (IsleState  *state,
                                          gboolean         held);
void           _isle_node_write_value    (IsleNode        *node,
                                          const GValue    *value,
                                          const char      *func);
void           _isle_node_take_value     (IsleNode        *node,
                                          GValue          *value);
void           _isle_derived_override    (IsleNode        *node,
                                          GValue          *value,
                                          const char      *func);
void           _isle_derived_write_value (IsleNode        *node,
                                          const GValue    *value,
                                          const char      *func);
gboolean       _isle_value_type_is_inline (GType           type);
gboolean       _isle_effect_deps_changed (IsleComputation *effect);
void           _isle_effect_run          (IsleComputation *effect,
                                          guint            flags);
void           _isle_computation_run_root (IsleComputation *root);
void           _isle_computation_fail    (IsleComputation *computation,
                                          GError          *error);
gboolean       _isle_computation_add_owned (IsleGraph     *graph,
                                          IsleNode        *node);

/* isle-effect.c */
IsleEffect    *_isle_effect_new_unowned  (IsleGraph       *graph,
                                          IsleEffectFunc   func,
                                          gpointer         user_data,
                                          GDestroyNotify   destroy);

/* isle-graph.c */
void           _isle_graph_set_scheduler (IsleGraph       *self,
                                          IsleGraphScheduleFunc func,
                                          gpointer         user_data);

/* Whether @graph asked @func with @user_data for a flush and was not
 * flushed since: a scheduler that keeps a list of graphs tells its live
 * entries by it. */
static inline gboolean
_isle_graph_is_scheduled_by (IsleGraph             *graph,
                             IsleGraphScheduleFunc  func,
                             gpointer               user_data)
{
  return graph->schedule_requested && graph->schedule_func == func &&
         graph->schedule_data == user_data;
}

void           _isle_graph_set_failure_func (IsleGraph    *self,
                                          IsleGraphFailureFunc func,
                                          gpointer         user_data);
void           _isle_graph_own           (IsleGraph       *self,
                                          IsleNode        *node,
                                          gboolean         unowned);
void           _isle_graph_queue_effect  (IsleGraph       *self,
                                          IsleComputation *effect);
void           _isle_graph_report        (IsleGraph       *self,
                                          const GError    *error);
IsleLink      *_isle_graph_alloc_link    (IsleGraph       *self);
void           _isle_node_free_graveyard (void);
void           _isle_graph_name_node     (IsleGraph       *self,
                                          IsleNode        *node,
                                          const char      *old_name,
                                          const char      *new_name);
guint64        _isle_graph_next_name_serial (IsleGraph  *self);
gboolean       _isle_graph_node_disposed (IsleGraph       *self,
                                          IsleNode        *node);

/* The engine's per-thread context: the computation whose dependencies are
 * being tracked, and the stack of computations whose callbacks run. */
typedef struct _IsleFrame IsleFrame;
struct _IsleFrame
{
  IsleComputation *computation;
  IsleFrame       *prev;
};

/* The engine's per-thread state, in one struct: a function that touches
 * several fields (a recomputation touches three) keeps one TLS offset in a
 * register, not one per variable. */
typedef struct
{
  IsleComputation *active_sub;   /* whose dependencies are tracked */
  IsleFrame       *frame;        /* the computations whose callbacks run */
  guint            depth;        /* of nested computations */
  /* Nodes whose last reference went during a flush, freed when the
   * outermost flush of the thread ends (isle-node.c). */
  guint            defer_depth;
  IsleNode        *graveyard;
  /* The thread's last run version. Its block of 2^32 versions (the high
   * half) is taken at once, so that a version is unique in the process
   * without an atomic per run; it starts at the end of a block. */
  guint64          version;
} IsleEngineTls;

extern __thread IsleEngineTls    _isle_tls __attribute__ ((tls_model ("initial-exec")));
/* One per thread: its address tells threads apart at the cost of a TLS
 * offset (g_thread_self () is a call). */
extern __thread char             _isle_thread_marker __attribute__ ((tls_model ("initial-exec")));

guint64        _isle_take_versions       (void);

/* A new run's version: unique in the process, never 0. */
static inline guint64
_isle_next_version (void)
{
  guint64 version = _isle_tls.version + 1;

  if (G_UNLIKELY ((guint32) version == 0))
    version = _isle_take_versions ();
  _isle_tls.version = version;

  return version;
}

static inline void
_isle_node_defer_frees_begin (void)
{
  _isle_tls.defer_depth++;
}

static inline void
_isle_node_defer_frees_end (void)
{
  g_assert (_isle_tls.defer_depth > 0);

  if (--_isle_tls.defer_depth == 0 && G_UNLIKELY (_isle_tls.graveyard != NULL))
    _isle_node_free_graveyard ();
}

/* A graph and its nodes belong to the thread that created it. */
static inline gboolean
_isle_graph_is_owner_thread (IsleGraph *graph)
{
  return graph->owner == &_isle_thread_marker;
}

void           _isle_graph_report_foreign_thread (IsleGraph  *graph,
                                                  const char *func);

/* For the entry points that change a graph: report a call from a thread
 * that does not own it, and do nothing. */
#define _ISLE_RETURN_IF_FOREIGN_THREAD(graph, val) \
  G_STMT_START { \
    if (G_UNLIKELY (!_isle_graph_is_owner_thread (graph))) \
      { \
        _isle_graph_report_foreign_thread ((graph), G_STRFUNC); \
        return val; \
      } \
  } G_STMT_END

/*
 * _isle_node_check_fast:
 *
 * The argument check of every hot entry point: the common, valid case is a
 * handful of compares; anything unusual goes to _isle_node_check(), which
 * says exactly what is wrong.
 */
static inline gboolean
_isle_node_check_fast (IsleNode     *node,
                       IsleNodeKind  kind,
                       GType         value_type,
                       gboolean      write,
                       const char   *func)
{
  if (G_LIKELY (node != NULL &&
                node->kind == kind &&
                !(node->flags & ISLE_NODE_DISPOSED) &&
                (value_type == G_TYPE_INVALID || G_VALUE_TYPE (&node->value) == value_type) &&
                (!write || _isle_graph_is_owner_thread (node->graph)) &&
                (_isle_tls.frame == NULL || _isle_tls.frame->computation->node.graph == node->graph)))
    return TRUE;

  return _isle_node_check (node, kind, value_type, write, func);
}

/*
 * _isle_computation_run_effect:
 *
 * Runs a queued effect if one of its dependencies really changed (or it
 * never ran). Called by the graph's flush.
 *
 * The check is inline in the flush and the run is a call of its own: an
 * effect whose dependencies did not really change (a cut-off upstream)
 * costs only its check, and one that runs no frame in between.
 */
static inline void
_isle_computation_run_effect (IsleComputation *effect)
{
  IsleNode *node = &effect->node;
  guint flags = node->flags;

  if ((flags & ISLE_NODE_DIRTY) ||
      ((flags & ISLE_NODE_PENDING) && effect->deps != NULL && _isle_effect_deps_changed (effect)))
    _isle_effect_run (effect, flags);
  else
    node->flags &= ~(ISLE_NODE_PENDING | ISLE_NODE_RECURSED);
}

/*
 * _isle_closure_invoke_value:
 * @what: names the function in messages ("its function", ...)
 *
 * Calls @closure, a language binding's function (the GClosure forms of
 * deriveds and bindings), and puts what it returned into @dest, which is
 * initialised to the type wanted. The closure returns a GValue holding a
 * GValue, so a binding can return a value of any type, converted here
 * when GLib knows how; none back means the function raised an exception
 * or returned nothing. Returns %FALSE with @error set on either failure.
 */
static inline gboolean
_isle_closure_invoke_value (GClosure      *closure,
                            guint          n_args,
                            const GValue  *args,
                            GValue        *dest,
                            const char    *what,
                            GError       **error)
{
  GValue ret = G_VALUE_INIT;
  const GValue *result;
  gboolean ok = FALSE;

  g_value_init (&ret, G_TYPE_VALUE);
  g_closure_invoke (closure, &ret, n_args, args, NULL);

  result = g_value_get_boxed (&ret);
  while (result != NULL && G_VALUE_HOLDS (result, G_TYPE_VALUE))
    result = g_value_get_boxed (result);

  if (result == NULL)
    g_set_error (error, ISLE_ERROR, ISLE_ERROR_FAILED,
                 "%s raised an exception or returned no value", what);
  else if (g_value_type_compatible (G_VALUE_TYPE (result), G_VALUE_TYPE (dest)))
    ok = (g_value_copy (result, dest), TRUE);
  else if (g_value_type_transformable (G_VALUE_TYPE (result), G_VALUE_TYPE (dest)) &&
           g_value_transform (result, dest))
    ok = TRUE;
  else
    g_set_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE,
                 "%s returned a value of type %s, not %s",
                 what, G_VALUE_TYPE_NAME (result), G_VALUE_TYPE_NAME (dest));

  g_value_unset (&ret);

  return ok;
}

/* Numbers compare like JavaScript's Object.is: NaN equals NaN, 0 and -0
 * differ. */
static inline gboolean
_isle_double_is (double a,
                 double b)
{
  if (a == b)
    return a != 0 || signbit (a) == signbit (b);

  return isnan (a) && isnan (b);
}

/* Equality of two scalars stored in the same GValue field: by value,
 * except doubles, which follow Object.is. */
#define ISLE_SCALAR_IS_EQUAL_v_int(a, b)     ((a) == (b))
#define ISLE_SCALAR_IS_EQUAL_v_int64(a, b)   ((a) == (b))
#define ISLE_SCALAR_IS_EQUAL_v_uint64(a, b)  ((a) == (b))
#define ISLE_SCALAR_IS_EQUAL_v_pointer(a, b) ((a) == (b))
#define ISLE_SCALAR_IS_EQUAL_v_double(a, b)  _isle_double_is ((a), (b))

/*
 * _isle_link_reuse:
 *
 * The two cheap cases of recording that @sub read @node: read again at
 * once (nothing to do), or read in the order of the last run (step onto
 * the link that is there, and stamp @node as linked in this run). Returns
 * whether one of them applied; link_dep() does the rest.
 */
static inline gboolean
_isle_link_reuse (IsleNode        *node,
                  IsleComputation *sub)
{
  IsleLink *tail = sub->deps_tail;
  IsleLink *next;

  if (tail != NULL && tail->dep == node)
    return TRUE;

  next = tail != NULL ? tail->next_dep : sub->deps;
  if (next != NULL && next->dep == node)
    {
      sub->deps_tail = next;
      node->tracked = sub->version;
      return TRUE;
    }

  return FALSE;
}

/*
 * _isle_node_read:
 *
 * Returns the value of a state or derived, recording the dependency of
 * the running computation on it. The caller checked @node with
 * _isle_node_check_fast(). The common case, a clean node read again by
 * the computation that read it last, is a few compares.
 */
static inline const GValue *
_isle_node_read (IsleNode *node)
{
  if (G_LIKELY (!(node->flags & (ISLE_NODE_DIRTY | ISLE_NODE_PENDING | ISLE_NODE_RUNNING))))
    {
      IsleComputation *sub = _isle_tls.active_sub;

      /* A link always joins nodes of one graph, and a disposed
       * computation has none: re-using one needs no other check. A node
       * stamped with this run's version is linked already (read again
       * later in the run, as a loop over a few nodes does): link_dep ()
       * would find the stamp and do nothing. */
      if (sub != NULL && node->tracked != sub->version && !_isle_link_reuse (node, sub))
        _isle_node_track (node, sub);

      return &node->value;
    }

  return _isle_node_read_slow (node);
}

/* Sets a scalar of a state: the common case writes in place and allocates
 * nothing. */
#define ISLE_STATE_SET_SCALAR(self, gtype, field, val)                        \
  G_STMT_START {                                                              \
    IsleNode *n_ = (IsleNode *) (self);                                       \
    if (!_isle_node_check_fast (n_, ISLE_NODE_STATE, gtype, TRUE, G_STRFUNC)) \
      return;                                                                 \
    /* An observer hears the old value too: the slow path keeps it. */      \
    if (G_UNLIKELY (n_->flags & ISLE_NODE_CUSTOM_EQUAL) || ISLE_INSPECTING ()) \
      {                                                                       \
        GValue v_ = G_VALUE_INIT;                                             \
        g_value_init (&v_, gtype);                                            \
        v_.data[0].field = (val);                                             \
        _isle_node_take_value (n_, &v_);                                      \
        return;                                                               \
      }                                                                       \
    if (ISLE_SCALAR_IS_EQUAL_##field (n_->value.data[0].field, (val)))        \
      return;                                                                 \
    n_->value.data[0].field = (val);                                          \
    /* _isle_node_changed () inline, but for a first-write hook. */          \
    if (G_UNLIKELY (n_->write_hooked))                                        \
      {                                                                       \
        _isle_node_changed (n_);                                              \
        return;                                                               \
      }                                                                       \
    n_->flags |= ISLE_NODE_DIRTY;                                             \
    if (n_->subs != NULL)                                                     \
      _isle_node_propagate (n_->subs);                                        \
  } G_STMT_END

/* What _isle_node_read_again() found. */
typedef enum {
  ISLE_READ_CHECK,   /* nothing known: check the node and read it */
  ISLE_READ_AGAIN,   /* a clean node, linked: take its value */
  ISLE_READ_STALE,   /* linked, but it may need bringing up to date */
} IsleReadKind;

/*
 * _isle_node_read_again:
 *
 * Whether @node is a node of @kind and @value_type that the running
 * computation read last, or the one it read next in its last run (the
 * common case of a computation that reads what it read before, in the
 * same order). The link proves that both are of one graph (and that
 * @node is alive), so the checks of _isle_node_check_fast() have nothing
 * left to say: a clean node is read by taking its value (after stepping
 * onto that link), a stale one (a write marked it) by
 * _isle_node_read_slow() at once.
 */
static inline IsleReadKind
_isle_node_read_again (IsleNode     *node,
                       IsleNodeKind  kind,
                       GType         value_type)
{
  IsleComputation *sub = _isle_tls.active_sub;
  IsleLink *tail;
  IsleLink *next;
  gboolean valid;

  if (sub == NULL)
    return ISLE_READ_CHECK;

  tail = sub->deps_tail;

  if (tail != NULL)
    {
      /* Read last, or linked earlier in this run: the stamp is this
       * run's version, which is unique in the process (an effect, which
       * has no stamp, fails the kind test after it). */
      if (tail->dep == node || node->tracked == sub->version)
        {
          valid = node->kind == kind && G_VALUE_TYPE (&node->value) == value_type;
          if (G_LIKELY (valid && !(node->flags & (ISLE_NODE_DISPOSED | ISLE_NODE_DIRTY |
                                                  ISLE_NODE_PENDING | ISLE_NODE_RUNNING))))
            return ISLE_READ_AGAIN;

          return valid && !(node->flags & ISLE_NODE_DISPOSED) ? ISLE_READ_STALE : ISLE_READ_CHECK;
        }

      next = tail->next_dep;
    }
  else
    {
      /* The run's first read: nothing is stamped with its version yet
       * (every link made or re-used moves the tail), so only the first
       * link of the last run can be it. */
      next = sub->deps;
    }

  if (next == NULL || next->dep != node)
    return ISLE_READ_CHECK;

  valid = node->kind == kind && G_VALUE_TYPE (&node->value) == value_type;
  if (G_LIKELY (valid && !(node->flags & (ISLE_NODE_DISPOSED | ISLE_NODE_DIRTY |
                                          ISLE_NODE_PENDING | ISLE_NODE_RUNNING))))
    {
      sub->deps_tail = next;
      node->tracked = sub->version;

      return ISLE_READ_AGAIN;
    }

  /* _isle_node_read_slow() steps onto the link after the update. */
  return valid && !(node->flags & ISLE_NODE_DISPOSED) ? ISLE_READ_STALE : ISLE_READ_CHECK;
}

/* Reads a scalar of a state or derived, tracking the dependency. Anything
 * but a read again goes through one call: the getter itself then needs no
 * stack frame. A failed check reads a zeroed value: 0, FALSE, 0.0 or
 * NULL. */
#define ISLE_NODE_GET_SCALAR(self, kind, gtype, field)                        \
  G_STMT_START {                                                              \
    IsleNode *n_ = (IsleNode *) (self);                                       \
    IsleReadKind r_ = _isle_node_read_again (n_, kind, gtype);                \
    if (G_LIKELY (r_ == ISLE_READ_AGAIN))                                     \
      return n_->value.data[0].field;                                         \
    return _isle_node_read_checked (n_, kind, gtype, r_ == ISLE_READ_STALE,  \
                                    G_STRFUNC)->data[0].field;                \
  } G_STMT_END

G_END_DECLS
