/* tsan-locks.c: GLib's locks on pthreads, for the ThreadSanitizer build
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Linked into the tests of the -Db_sanitize=thread build only (see
 * tests/meson.build and tests/stores/tsan.supp).
 *
 * GLib on Linux (Debian 12's 2.74 included) builds GMutex, GRecMutex's
 * and GCond's fast paths on a bare atomic word and the futex system call
 * (gthread-posix.c, USE_NATIVE_MUTEX): the lock is a `lock cmpxchg` on
 * the mutex's own int, the wait a raw syscall. ThreadSanitizer only sees
 * synchronization it instruments or intercepts (pthread_*, atomics in
 * instrumented code), and Debian's libglib is not instrumented, so every
 * access that a GMutex protects looks like a race to it.
 *
 * The remedies: rebuild GLib with -Db_sanitize=thread (GLib's own CI
 * does; too slow for ours), or give the tests GMutex, GRecMutex, GRWLock
 * and GCond on pthreads, which TSan intercepts. This file does the
 * latter, the way GLib's own non-futex fallback does: each lock lazily
 * allocates its pthread object and keeps it in the lock's pointer slot.
 * These definitions in the test executable take the place of libglib's
 * for every caller outside libglib (Isle, libgobject, libgio, the tests):
 * the dynamic linker binds their calls to the executable's symbols.
 * libglib's own calls stay inside it (it is linked with
 * -Bsymbolic-functions: `call g_mutex_lock` is direct), so the locks GLib
 * keeps to itself (GMainContext, GAsyncQueue, g_once) stay futexes and
 * stay invisible; tsan.supp lists what that leaves, each entry checked.
 * A lock is only ever used by one side, so the two kinds never meet.
 */

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

#define IMPL(type, lock, init)                                                  \
  static type *                                                                 \
  lock##_impl (gpointer *slot)                                                  \
  {                                                                             \
    type *impl = __atomic_load_n ((type **) slot, __ATOMIC_ACQUIRE);            \
                                                                                \
    if (G_UNLIKELY (impl == NULL))                                              \
      {                                                                         \
        type *fresh = malloc (sizeof *fresh);                                   \
                                                                                \
        if (fresh == NULL)                                                      \
          abort ();                                                             \
        init;                                                                   \
        if (__atomic_compare_exchange_n ((type **) slot, &impl, fresh, FALSE,  \
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))   \
          impl = fresh;                                                         \
        else                                                                    \
          free (fresh);                                                         \
      }                                                                         \
                                                                                \
    return impl;                                                                \
  }

IMPL (pthread_mutex_t, mutex, pthread_mutex_init (fresh, NULL))
IMPL (pthread_mutex_t, rec_mutex, {
  pthread_mutexattr_t attr;

  pthread_mutexattr_init (&attr);
  pthread_mutexattr_settype (&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init (fresh, &attr);
  pthread_mutexattr_destroy (&attr);
})
IMPL (pthread_rwlock_t, rw_lock, pthread_rwlock_init (fresh, NULL))
IMPL (pthread_cond_t, cond, {
  pthread_condattr_t attr;

  /* g_cond_wait_until() takes a g_get_monotonic_time() deadline. */
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (fresh, &attr);
  pthread_condattr_destroy (&attr);
})

static gpointer
steal_slot (gpointer *slot)
{
  return __atomic_exchange_n (slot, NULL, __ATOMIC_ACQ_REL);
}

/* GMutex */

void
g_mutex_init (GMutex *mutex)
{
  mutex->p = NULL;
}

void
g_mutex_clear (GMutex *mutex)
{
  pthread_mutex_t *impl = steal_slot (&mutex->p);

  if (impl != NULL)
    {
      pthread_mutex_destroy (impl);
      free (impl);
    }
}

void
g_mutex_lock (GMutex *mutex)
{
  if (pthread_mutex_lock (mutex_impl (&mutex->p)) != 0)
    abort ();
}

void
g_mutex_unlock (GMutex *mutex)
{
  if (pthread_mutex_unlock (mutex_impl (&mutex->p)) != 0)
    abort ();
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  return pthread_mutex_trylock (mutex_impl (&mutex->p)) == 0;
}

/* GRecMutex */

void
g_rec_mutex_init (GRecMutex *rec_mutex)
{
  rec_mutex->p = NULL;
}

void
g_rec_mutex_clear (GRecMutex *rec_mutex)
{
  pthread_mutex_t *impl = steal_slot (&rec_mutex->p);

  if (impl != NULL)
    {
      pthread_mutex_destroy (impl);
      free (impl);
    }
}

void
g_rec_mutex_lock (GRecMutex *rec_mutex)
{
  if (pthread_mutex_lock (rec_mutex_impl (&rec_mutex->p)) != 0)
    abort ();
}

void
g_rec_mutex_unlock (GRecMutex *rec_mutex)
{
  if (pthread_mutex_unlock (rec_mutex_impl (&rec_mutex->p)) != 0)
    abort ();
}

gboolean
g_rec_mutex_trylock (GRecMutex *rec_mutex)
{
  return pthread_mutex_trylock (rec_mutex_impl (&rec_mutex->p)) == 0;
}

/* GRWLock */

void
g_rw_lock_init (GRWLock *rw_lock)
{
  rw_lock->p = NULL;
}

void
g_rw_lock_clear (GRWLock *rw_lock)
{
  pthread_rwlock_t *impl = steal_slot (&rw_lock->p);

  if (impl != NULL)
    {
      pthread_rwlock_destroy (impl);
      free (impl);
    }
}

void
g_rw_lock_writer_lock (GRWLock *rw_lock)
{
  if (pthread_rwlock_wrlock (rw_lock_impl (&rw_lock->p)) != 0)
    abort ();
}

gboolean
g_rw_lock_writer_trylock (GRWLock *rw_lock)
{
  return pthread_rwlock_trywrlock (rw_lock_impl (&rw_lock->p)) == 0;
}

void
g_rw_lock_writer_unlock (GRWLock *rw_lock)
{
  if (pthread_rwlock_unlock (rw_lock_impl (&rw_lock->p)) != 0)
    abort ();
}

void
g_rw_lock_reader_lock (GRWLock *rw_lock)
{
  if (pthread_rwlock_rdlock (rw_lock_impl (&rw_lock->p)) != 0)
    abort ();
}

gboolean
g_rw_lock_reader_trylock (GRWLock *rw_lock)
{
  return pthread_rwlock_tryrdlock (rw_lock_impl (&rw_lock->p)) == 0;
}

void
g_rw_lock_reader_unlock (GRWLock *rw_lock)
{
  if (pthread_rwlock_unlock (rw_lock_impl (&rw_lock->p)) != 0)
    abort ();
}

/* GCond */

void
g_cond_init (GCond *cond)
{
  cond->p = NULL;
}

void
g_cond_clear (GCond *cond)
{
  pthread_cond_t *impl = steal_slot (&cond->p);

  if (impl != NULL)
    {
      pthread_cond_destroy (impl);
      free (impl);
    }
}

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  if (pthread_cond_wait (cond_impl (&cond->p), mutex_impl (&mutex->p)) != 0)
    abort ();
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  struct timespec deadline;

  deadline.tv_sec = end_time / G_USEC_PER_SEC;
  deadline.tv_nsec = (end_time % G_USEC_PER_SEC) * 1000;

  return pthread_cond_timedwait (cond_impl (&cond->p), mutex_impl (&mutex->p), &deadline) == 0;
}

void
g_cond_signal (GCond *cond)
{
  pthread_cond_signal (cond_impl (&cond->p));
}

void
g_cond_broadcast (GCond *cond)
{
  pthread_cond_broadcast (cond_impl (&cond->p));
}
