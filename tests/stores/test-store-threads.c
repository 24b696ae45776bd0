/* test-store-threads.c: stores set and read from many threads
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The thread rule: a store may be read and set from any thread; a read
 * always returns a whole value; a change is delivered to the listeners on
 * the store's own main context (the thread-default one of the thread that
 * created it), in the order each thread made its changes.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

#define N_WRITERS 4
#define N_SETS    10000

/* Helpers {{{ */

/* Runs @loop, failing if it does not quit within @guard_s seconds. */
static void
run_loop_guarded (GMainLoop *loop,
                  guint      guard_s)
{
  Guard guard = { loop, FALSE };
  guint id = g_timeout_add_seconds (guard_s, guard_cb, &guard);

  g_main_loop_run (loop);

  g_assert_false (guard.timed_out);
  g_source_remove (id);
}

/* }}} */

/* Ordered delivery {{{ */

typedef struct
{
  IsleAtom      *atom;
  int            id;
  gint          *go;
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *writer = user_data;

  while (!g_atomic_int_get (writer->go))
    g_thread_yield ();

  for (int seq = 1; seq <= N_SETS; seq++)
    isle_atom_set (writer->atom, g_variant_new ("(ii)", writer->id, seq));

  return NULL;
}

typedef struct
{
  IsleAtom *atom;
  gint      stop;
  guint     reads;
  guint     bad_type;
  guint     bad_value;
  guint     went_back;
} Reader;

static gpointer
reader_thread (gpointer user_data)
{
  Reader *reader = user_data;
  int last_seq[N_WRITERS] = { 0 };

  while (!g_atomic_int_get (&reader->stop))
    {
      g_autoptr(GVariant) value = isle_store_get_value (ISLE_STORE (reader->atom));
      int id, seq;

      reader->reads++;
      if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE ("(ii)")) ||
          g_variant_n_children (value) != 2)
        {
          reader->bad_type++;
          continue;
        }

      g_variant_get (value, "(ii)", &id, &seq);
      if (id == -1 && seq == 0)
        continue;
      if (id < 0 || id >= N_WRITERS || seq < 1 || seq > N_SETS)
        {
          reader->bad_value++;
          continue;
        }

      /* Values are read in the order they were stored. */
      if (seq < last_seq[id])
        reader->went_back++;
      last_seq[id] = seq;
    }

  return NULL;
}

typedef struct
{
  GThread   *main_thread;
  GMainLoop *loop;
  int        last_seq[N_WRITERS];
  guint      received;
  guint      notified;
  GVariant  *last_value;
} Collector;

static void
collect_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
  Collector *collector = user_data;
  int id, seq;

  g_assert_true (g_thread_self () == collector->main_thread);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE ("(ii)")));
  g_variant_get (value, "(ii)", &id, &seq);
  g_assert_cmpint (id, >=, 0);
  g_assert_cmpint (id, <, N_WRITERS);

  /* Each thread's changes, in its order, none lost. */
  g_assert_cmpint (seq, ==, collector->last_seq[id] + 1);
  collector->last_seq[id] = seq;

  /* The changes form one chain: each one's old value is the value the
   * previous call brought. */
  g_assert_nonnull (old_value);
  g_assert_true (g_variant_equal (old_value, collector->last_value));
  g_clear_pointer (&collector->last_value, g_variant_unref);
  collector->last_value = g_variant_ref (value);

  if (++collector->received == N_WRITERS * N_SETS)
    g_main_loop_quit (collector->loop);
}

static void
collect_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Collector *collector = user_data;

  g_assert_true (g_thread_self () == collector->main_thread);
  collector->notified++;
}

static void
test_threads_ordered_delivery (void)
{
  IsleAtom *atom = isle_atom_new ("positions", G_VARIANT_TYPE ("(ii)"), g_variant_new ("(ii)", -1, 0));
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Collector collector = { g_thread_self (), loop };
  Reader reader = { atom };
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  GThread *reader_handle;
  g_autoptr(GVariant) final = NULL;
  gint go = 0;
  int id, seq;

  collector.last_value = isle_store_get_value (ISLE_STORE (atom));
  isle_store_listen (ISLE_STORE (atom), collect_cb, &collector, NULL);
  g_signal_connect (atom, "notify::value", G_CALLBACK (collect_notify_cb), &collector);

  reader_handle = g_thread_new ("reader", reader_thread, &reader);
  for (int i = 0; i < N_WRITERS; i++)
    {
      writers[i].atom = atom;
      writers[i].id = i;
      writers[i].go = &go;
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  g_atomic_int_set (&go, 1);

  run_loop_guarded (loop, 120);

  for (int i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  g_atomic_int_set (&reader.stop, 1);
  g_thread_join (reader_handle);

  g_assert_cmpuint (collector.received, ==, N_WRITERS * N_SETS);
  g_assert_cmpuint (collector.notified, ==, N_WRITERS * N_SETS);
  for (int i = 0; i < N_WRITERS; i++)
    g_assert_cmpint (collector.last_seq[i], ==, N_SETS);

  /* The final value is the last one set, which is the last delivered, and
   * some thread's last. */
  final = isle_store_get_value (ISLE_STORE (atom));
  g_assert_true (g_variant_equal (final, collector.last_value));
  g_variant_get (final, "(ii)", &id, &seq);
  g_assert_cmpint (seq, ==, N_SETS);

  g_assert_cmpuint (reader.reads, >, 0);
  g_assert_cmpuint (reader.bad_type, ==, 0);
  g_assert_cmpuint (reader.bad_value, ==, 0);
  g_assert_cmpuint (reader.went_back, ==, 0);

  /* Nothing more is due. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (collector.received, ==, N_WRITERS * N_SETS);

  g_clear_pointer (&collector.last_value, g_variant_unref);
  g_assert_finalize_object (atom);
}

/* }}} */

/* The store's own context {{{ */

typedef struct
{
  GThread *main_thread;
  GString *log;
} ContextProbe;

static void
context_probe_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  ContextProbe *probe = user_data;

  g_assert_true (g_thread_self () == probe->main_thread);
  if (probe->log->len > 0)
    g_string_append_c (probe->log, ' ');
  g_string_append_printf (probe->log, "%d<%d", g_variant_get_int32 (value),
                          g_variant_get_int32 (old_value));
}

static gpointer
set_three_thread (gpointer user_data)
{
  IsleAtom *atom = user_data;

  isle_atom_set_int (atom, 1);
  isle_atom_set_int (atom, 2);
  isle_atom_set_int (atom, 3);

  return NULL;
}

/* A change made in another thread: the value is there at once for every
 * reader, and the listeners hear of it only from the store's own context,
 * the thread-default one where it was made. */
static void
test_threads_own_context (void)
{
  GMainContext *context = g_main_context_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  ContextProbe probe = { g_thread_self (), log };
  IsleAtom *atom;
  GThread *thread;

  g_main_context_push_thread_default (context);
  atom = isle_atom_new_int ("own-context", 0);
  g_main_context_pop_thread_default (context);

  g_assert_true (isle_store_get_context (ISLE_STORE (atom)) == context);
  isle_store_listen (ISLE_STORE (atom), context_probe_cb, &probe, NULL);

  thread = g_thread_new ("setter", set_three_thread, atom);
  g_thread_join (thread);

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 3);
  g_assert_cmpstr (log->str, ==, "");

  /* Not from the default context ... */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (log->str, ==, "");

  /* ... from its own, in order. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpstr (log->str, ==, "1<0 2<1 3<2");

  g_assert_finalize_object (atom);
  g_main_context_unref (context);
}

/* A store set from another thread and dropped before its changes were
 * delivered: no listener runs on a dead store, nothing leaks. */
static void
test_threads_dispose_pending (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  ContextProbe probe = { g_thread_self (), log };
  IsleAtom *atom = isle_atom_new_int ("pending", 0);
  GThread *thread;

  isle_store_listen (ISLE_STORE (atom), context_probe_cb, &probe, NULL);
  thread = g_thread_new ("setter", set_three_thread, atom);
  g_thread_join (thread);

  g_assert_finalize_object (atom);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (log->str, ==, "");
}

/* A thread that holds a reference sets the store after it was disposed,
 * then drops it: no delivery source is left to dispatch on the freed store
 * (AddressSanitizer sees to it), and nothing is heard. */
static gpointer
set_and_drop_thread (gpointer user_data)
{
  IsleAtom *atom = user_data;

  for (int i = 1; i <= 100; i++)
    isle_atom_set_int (atom, i);
  g_object_unref (atom);

  return NULL;
}

static void
test_threads_set_after_dispose (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  ContextProbe probe = { g_thread_self (), log };
  IsleAtom *atom = isle_atom_new_int ("disposed", 0);
  GWeakRef weak;

  g_weak_ref_init (&weak, atom);
  isle_store_listen (ISLE_STORE (atom), context_probe_cb, &probe, NULL);
  g_object_run_dispose (G_OBJECT (atom));
  g_thread_join (g_thread_new ("setter", set_and_drop_thread, atom));

  g_assert_null (g_weak_ref_get (&weak));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (log->str, ==, "");
  g_weak_ref_clear (&weak);
}

static void
never_called_cb (IsleStore *store,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data)
{
  g_assert_not_reached ();
}

static void
count_destroy_cb (gpointer user_data)
{
  guint *destroyed = user_data;

  (*destroyed)++;
}

static gpointer
listen_thread (gpointer user_data)
{
  IsleAtom *atom = user_data;
  guint *destroyed = g_object_get_data (G_OBJECT (atom), "destroyed");

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL,
                         "*atom “foreign-listen”*listeners are added on the thread that created*");
  g_assert_cmpuint (isle_store_listen (ISLE_STORE (atom), never_called_cb, destroyed,
                                       count_destroy_cb), ==, 0);
  g_test_assert_expected_messages ();

  return NULL;
}

/* A listener added from another thread is refused, with a critical; the
 * store's listeners are untouched. */
static void
test_threads_listen_from_another_thread (void)
{
  IsleAtom *atom = isle_atom_new_int ("foreign-listen", 0);
  guint destroyed = 0;

  g_object_set_data (G_OBJECT (atom), "destroyed", &destroyed);
  g_thread_join (g_thread_new ("listener", listen_thread, atom));
  g_assert_cmpuint (destroyed, ==, 1);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  isle_atom_set_int (atom, 1);
  g_assert_finalize_object (atom);
}

/* Removing a listener from another thread, while the owner thread is
 * calling the store's listeners (from one of them: the owner waits for the
 * other thread) and while it is not: the removal is made on the owner
 * thread, at its context's next iteration, where the listener's data is
 * freed, once; until then the listener still hears. */
typedef struct
{
  IsleStore *store;
  guint      handle;   /* of the listener the other thread removes */
  guint      calls;
  guint      destroyed;
  GThread   *owner;
} Foreign;

static gpointer
unsubscribe_thread (gpointer user_data)
{
  Foreign *foreign = user_data;

  isle_store_unsubscribe (foreign->store, foreign->handle);

  return NULL;
}

static void
unsubscribe_elsewhere_cb (IsleStore *store,
                          GVariant  *value,
                          GVariant  *old_value,
                          gpointer   user_data)
{
  Foreign *foreign = user_data;

  g_thread_join (g_thread_new ("unsubscriber", unsubscribe_thread, foreign));
}

static void
foreign_target_cb (IsleStore *store,
                   GVariant  *value,
                   GVariant  *old_value,
                   gpointer   user_data)
{
  Foreign *foreign = user_data;

  g_assert_true (g_thread_self () == foreign->owner);
  foreign->calls++;
}

static void
foreign_destroy_cb (gpointer user_data)
{
  Foreign *foreign = user_data;

  g_assert_true (g_thread_self () == foreign->owner);
  foreign->destroyed++;
}

static void
test_threads_unsubscribe_from_another_thread (void)
{
  IsleAtom *atom = isle_atom_new_int ("foreign-unsubscribe", 0);
  Foreign foreign = { .store = ISLE_STORE (atom), .owner = g_thread_self () };
  guint trigger;

  /* During the walk of the listeners, a later one: still called for this
   * change, freed on the owner thread once its context runs. */
  trigger = isle_store_listen (ISLE_STORE (atom), unsubscribe_elsewhere_cb, &foreign, NULL);
  foreign.handle = isle_store_listen (ISLE_STORE (atom), foreign_target_cb, &foreign,
                                      foreign_destroy_cb);
  isle_atom_set_int (atom, 1);
  g_assert_cmpuint (foreign.calls, ==, 1);
  g_assert_cmpuint (foreign.destroyed, ==, 0);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 2);

  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (foreign.destroyed, ==, 1);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 1);
  isle_store_unsubscribe (ISLE_STORE (atom), trigger);
  isle_atom_set_int (atom, 2);
  g_assert_cmpuint (foreign.calls, ==, 1);

  /* Outside any delivery. */
  foreign.handle = isle_store_listen (ISLE_STORE (atom), foreign_target_cb, &foreign,
                                      foreign_destroy_cb);
  g_thread_join (g_thread_new ("unsubscriber", unsubscribe_thread, &foreign));
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (foreign.destroyed, ==, 2);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (atom)), ==, 0);
  isle_atom_set_int (atom, 3);
  g_assert_cmpuint (foreign.calls, ==, 1);

  /* The last reference to the store may be the removal's: the store goes
   * on the owner thread when it has run. */
  foreign.handle = isle_store_listen (ISLE_STORE (atom), foreign_target_cb, &foreign,
                                      foreign_destroy_cb);
  g_thread_join (g_thread_new ("unsubscriber", unsubscribe_thread, &foreign));
  g_object_add_weak_pointer (G_OBJECT (atom), (gpointer *) &atom);
  g_object_unref (atom);
  g_assert_nonnull (atom);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_null (atom);
  g_assert_cmpuint (foreign.destroyed, ==, 3);
}

static gpointer
set_one_thread (gpointer user_data)
{
  IsleAtom *atom = user_data;

  isle_atom_set_int (atom, 1);

  return NULL;
}

/* A change from another thread, then one from the store's own thread:
 * the listeners hear both in the order they were made, each call's old
 * value is the previous call's value, and they end with the store's
 * value (a mirror of the atom stays in sync with it). */
static void
test_threads_owner_after_thread (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  ContextProbe probe = { g_thread_self (), log };
  IsleAtom *atom = isle_atom_new_int ("mixed", 0);
  GThread *thread;

  isle_store_listen (ISLE_STORE (atom), context_probe_cb, &probe, NULL);

  thread = g_thread_new ("setter", set_one_thread, atom);
  g_thread_join (thread);
  isle_atom_set_int (atom, 2);

  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 2);
  g_assert_cmpstr (log->str, ==, "1<0 2<1");

  g_assert_finalize_object (atom);
}

/* }}} */

/* Maps from many threads {{{ */

typedef struct
{
  IsleMap       *map;
  char           key[8];
  gint          *go;
} KeyWriter;

static gpointer
key_writer_thread (gpointer user_data)
{
  KeyWriter *writer = user_data;

  while (!g_atomic_int_get (writer->go))
    g_thread_yield ();

  for (int seq = 1; seq <= 2000; seq++)
    isle_map_set_key (writer->map, writer->key, g_variant_new_int32 (seq));

  return NULL;
}

/* Threads that each set their own key of one map: no thread's change is
 * lost to another's. */
static void
test_threads_map_keys (void)
{
  IsleMap *map = isle_map_new ("shared-map", NULL);
  KeyWriter writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  gint go = 0;

  for (int i = 0; i < N_WRITERS; i++)
    {
      writers[i].map = map;
      g_snprintf (writers[i].key, sizeof writers[i].key, "k%d", i);
      writers[i].go = &go;
      threads[i] = g_thread_new ("key-writer", key_writer_thread, &writers[i]);
    }
  g_atomic_int_set (&go, 1);
  for (int i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);

  for (int i = 0; i < N_WRITERS; i++)
    {
      g_autoptr(GVariant) value = isle_map_get_key (map, writers[i].key);

      g_test_message ("key %s", writers[i].key);
      g_assert_nonnull (value);
      g_assert_cmpint (g_variant_get_int32 (value), ==, 2000);
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (map);
}

/* The owner setting while others' changes wait {{{ */

/* What one listener heard: the chain of old -> new values must be
 * unbroken, and end on the store's value. */
typedef struct
{
  gint64 last;     /* the new value of the last call, or -1 */
  guint  calls;
  guint  breaks;   /* calls whose old value was not the last new one */
} Chain;

static void
chain_int_cb (IsleStore *store,
              int        value,
              int        old_value,
              gpointer   user_data)
{
  Chain *chain = user_data;

  if (chain->last >= 0 && old_value != chain->last)
    chain->breaks++;
  chain->last = value;
  chain->calls++;
}

static void
chain_variant_cb (IsleStore *store,
                  GVariant  *value,
                  GVariant  *old_value,
                  gpointer   user_data)
{
  chain_int_cb (store, g_variant_get_int32 (value), g_variant_get_int32 (old_value), user_data);
}

typedef struct
{
  IsleAtom *atom;
  int       value;
  gint     *go;
  guint     n_sets;   /* for the bursts */
  int       base;
  gint     *finished;
} Setter;

/* The other thread of owner-sets-while-queued: in round r it sets 2r + 1,
 * as soon as the owner opens the round. */
typedef struct
{
  IsleAtom *atom;
  gint      round;  /* opened by the owner */
  gint      done;   /* the last round this thread set in */
  int       rounds;
} Partner;

static gpointer
partner_thread (gpointer user_data)
{
  Partner *partner = user_data;

  for (int round = 1; round <= partner->rounds; round++)
    {
      /* A busy wait: a thread woken late would miss the race. */
      while (g_atomic_int_get (&partner->round) < round)
        ;
      isle_atom_set_int (partner->atom, 2 * round + 1);
      g_atomic_int_set (&partner->done, round);
    }

  return NULL;
}

/* Rounds of one other thread and the owner each setting once, racing,
 * with the main context drained every fourth round: both listeners (typed
 * and variant) hear an unbroken chain, and after each drain the store's
 * value. */
static void
test_threads_owner_sets_while_queued (void)
{
  enum { ROUNDS = 5000 };
  IsleAtom *atom = isle_atom_new_int ("racing-owner", 0);
  Partner partner = { atom, 0, 0, ROUNDS };
  Chain typed = { 0, 0, 0 };
  Chain variant = { 0, 0, 0 };
  GThread *thread;
  guint stale = 0;

  isle_store_listen_int (ISLE_STORE (atom), chain_int_cb, &typed, NULL);
  isle_store_listen (ISLE_STORE (atom), chain_variant_cb, &variant, NULL);
  thread = g_thread_new ("partner", partner_thread, &partner);

  for (int round = 1; round <= ROUNDS; round++)
    {
      int value;

      g_atomic_int_set (&partner.round, round);
      for (volatile int spin = 0; spin < round % 97; spin++)
        ;
      isle_atom_set_int (atom, 2 * round + 2);
      while (g_atomic_int_get (&partner.done) < round)
        g_thread_yield ();

      /* Between drains, the other thread's changes wait in the queue
       * while the owner sets: the case that went wrong. */
      if (round % 4 != 0)
        continue;

      while (g_main_context_iteration (NULL, FALSE))
        ;

      value = isle_store_get_int (ISLE_STORE (atom));
      if (typed.last != value || variant.last != value)
        stale++;
    }
  g_thread_join (thread);

  g_test_message ("%u rounds, %u drains stale, %u/%u breaks", ROUNDS, stale,
                  typed.breaks, variant.breaks);
  g_assert_cmpuint (stale, ==, 0);
  g_assert_cmpuint (typed.breaks, ==, 0);
  g_assert_cmpuint (variant.breaks, ==, 0);
  g_assert_cmpuint (typed.calls, ==, 2 * ROUNDS);
  g_assert_cmpuint (variant.calls, ==, 2 * ROUNDS);

  g_assert_finalize_object (atom);
}

static gpointer
burst_thread (gpointer user_data)
{
  Setter *setter = user_data;

  while (!g_atomic_int_get (setter->go))
    g_thread_yield ();

  for (guint i = 1; i <= setter->n_sets; i++)
    {
      isle_atom_set_int (setter->atom, setter->base + (int) i);
      /* Bursts, not one flood: the owner sets in between. */
      if (i % 16 == 0)
        g_usleep (20);
    }
  g_atomic_int_inc (setter->finished);

  return NULL;
}

/* Eight threads set in bursts while the owner sets too, between
 * iterations of its main context: every listener's chain stays unbroken
 * and ends on the store's value. */
static void
test_threads_owner_sets_during_bursts (void)
{
  enum { THREADS = 8, SETS = 5000 };
  IsleAtom *atom = isle_atom_new_int ("bursts", 0);
  Chain typed = { 0, 0, 0 };
  Chain variant = { 0, 0, 0 };
  Setter setters[THREADS];
  GThread *threads[THREADS];
  gint go = 0;
  gint finished = 0;
  int owner_value = -1;

  isle_store_listen_int (ISLE_STORE (atom), chain_int_cb, &typed, NULL);
  isle_store_listen (ISLE_STORE (atom), chain_variant_cb, &variant, NULL);

  for (int i = 0; i < THREADS; i++)
    {
      setters[i] = (Setter) { atom, 0, &go, SETS, (i + 1) * 1000000, &finished };
      threads[i] = g_thread_new ("burst", burst_thread, &setters[i]);
    }
  g_atomic_int_set (&go, 1);

  /* The owner sets several times between two iterations of its context,
   * so its sets often find other threads' changes still queued. */
  for (guint step = 0; g_atomic_int_get (&finished) < THREADS; step++)
    {
      isle_atom_set_int (atom, owner_value--);
      if (step % 8 == 7)
        g_main_context_iteration (NULL, FALSE);
    }
  for (int i = 0; i < THREADS; i++)
    g_thread_join (threads[i]);
  isle_atom_set_int (atom, owner_value--);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_test_message ("%u calls, %u/%u breaks, %d sets by the owner", typed.calls, typed.breaks,
                  variant.breaks, -owner_value - 1);
  g_assert_cmpuint (typed.breaks, ==, 0);
  g_assert_cmpuint (variant.breaks, ==, 0);
  g_assert_cmpint (typed.last, ==, isle_store_get_int (ISLE_STORE (atom)));
  g_assert_cmpint (variant.last, ==, isle_store_get_int (ISLE_STORE (atom)));

  g_assert_finalize_object (atom);
}

/* }}} */

/* Read-modify-writes from many threads {{{ */

/* Each change is one more than the last one heard. */
static void
heard_key_cb (IsleMap    *map,
              const char *key,
              GVariant   *value,
              GVariant   *old_value,
              gpointer    user_data)
{
  int *heard = user_data;

  g_assert_cmpint (old_value != NULL ? g_variant_get_int32 (old_value) : 0, ==,
                   *heard < 0 ? 0 : *heard);
  *heard = g_variant_get_int32 (value);
  g_assert_cmpint (*heard, ==, (old_value != NULL ? g_variant_get_int32 (old_value) : 0) + 1);
}

static void
heard_int_cb (IsleStore *store,
              int        value,
              int        old_value,
              gpointer   user_data)
{
  int *heard = user_data;

  g_assert_cmpint (old_value, ==, *heard < 0 ? 0 : *heard);
  g_assert_cmpint (value, ==, old_value + 1);
  *heard = value;
}

#define N_RACERS     8
#define N_INCREMENTS 10000

typedef struct
{
  IsleMap  *map;
  IsleAtom *atom;
  gint     *go;
  guint     calls;  /* of the update functions, retries included */
} Racer;

static GVariant *
add_one_to_key_cb (IsleMap    *map,
                   const char *key,
                   GVariant   *current,
                   gpointer    user_data)
{
  Racer *racer = user_data;

  racer->calls++;
  return g_variant_new_int32 ((current != NULL ? g_variant_get_int32 (current) : 0) + 1);
}

static GVariant *
add_one_cb (IsleAtom *atom,
            GVariant *current,
            gpointer  user_data)
{
  Racer *racer = user_data;

  racer->calls++;
  return g_variant_new_int32 (g_variant_get_int32 (current) + 1);
}

static gpointer
racer_thread (gpointer user_data)
{
  Racer *racer = user_data;

  while (!g_atomic_int_get (racer->go))
    g_thread_yield ();

  for (int i = 0; i < N_INCREMENTS; i++)
    {
      g_assert_true (isle_map_update_key (racer->map, "tea", add_one_to_key_cb, racer));
      g_assert_true (isle_atom_update (racer->atom, add_one_cb, racer, NULL));
    }

  return NULL;
}

/* Eight threads add one to the same key of a map and to the same atom ten
 * thousand times each: not one update is lost, and the main context hears
 * every change, in order, ending on the stores' values. */
static void
test_threads_update_one_key (void)
{
  IsleMap *map = isle_map_new ("racing-map", NULL);
  IsleAtom *atom = isle_atom_new_int ("racing-atom", 0);
  g_autoptr(GVariant) tea = NULL;
  Racer racers[N_RACERS];
  GThread *threads[N_RACERS];
  int heard[2] = { -1, -1 };
  guint calls = 0;
  gint go = 0;

  isle_map_listen_keys (map, (const char *[]) { "tea", NULL }, heard_key_cb, &heard[0], NULL);
  isle_store_listen_int (ISLE_STORE (atom), heard_int_cb, &heard[1], NULL);

  for (int i = 0; i < N_RACERS; i++)
    {
      racers[i] = (Racer) { map, atom, &go, 0 };
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }
  g_atomic_int_set (&go, 1);
  for (int i = 0; i < N_RACERS; i++)
    {
      g_thread_join (threads[i]);
      calls += racers[i].calls;
    }
  g_test_message ("%u calls of the update functions for %u updates", calls,
                  2 * N_RACERS * N_INCREMENTS);
  g_assert_cmpuint (calls, >=, 2 * N_RACERS * N_INCREMENTS);

  tea = isle_map_get_key (map, "tea");
  g_assert_cmpint (g_variant_get_int32 (tea), ==, N_RACERS * N_INCREMENTS);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, N_RACERS * N_INCREMENTS);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (heard[0], ==, N_RACERS * N_INCREMENTS);
  g_assert_cmpint (heard[1], ==, N_RACERS * N_INCREMENTS);

  g_assert_finalize_object (map);
  g_assert_finalize_object (atom);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/StoreThreads/ordered-delivery", test_threads_ordered_delivery);
  g_test_add_func ("/Isle/StoreThreads/own-context", test_threads_own_context);
  g_test_add_func ("/Isle/StoreThreads/dispose-pending", test_threads_dispose_pending);
  g_test_add_func ("/Isle/StoreThreads/set-after-dispose", test_threads_set_after_dispose);
  g_test_add_func ("/Isle/StoreThreads/listen-from-another-thread",
                   test_threads_listen_from_another_thread);
  g_test_add_func ("/Isle/StoreThreads/unsubscribe-from-another-thread",
                   test_threads_unsubscribe_from_another_thread);
  g_test_add_func ("/Isle/StoreThreads/owner-after-thread", test_threads_owner_after_thread);
  g_test_add_func ("/Isle/StoreThreads/map-keys", test_threads_map_keys);
  g_test_add_func ("/Isle/StoreThreads/update-one-key", test_threads_update_one_key);
  g_test_add_func ("/Isle/StoreThreads/owner-sets-while-queued", test_threads_owner_sets_while_queued);
  g_test_add_func ("/Isle/StoreThreads/owner-sets-during-bursts", test_threads_owner_sets_during_bursts);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
