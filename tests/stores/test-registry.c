/* test-registry.c: unit tests for IsleRegistry
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The default registry lives as long as the process, so every test that
 * uses it removes what it added, and checks that the stores it removed are
 * finalized: the registry keeps one reference, and gives it back.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Helpers {{{ */

/* Records items-changed as "POSITION-REMOVED+ADDED". */
typedef struct
{
  GString *log;
  int      emissions;  /* atomic: may be emitted from other threads */
} ItemsLog;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ItemsLog *items = user_data;

  g_atomic_int_inc (&items->emissions);
  if (items->log != NULL)
    {
      if (items->log->len > 0)
        g_string_append_c (items->log, ' ');
      g_string_append_printf (items->log, "%u-%u+%u", position, removed, added);
    }
}

/* }}} */

static void
test_registry_default (void)
{
  IsleRegistry *registry = isle_registry_get_default ();

  g_assert_true (ISLE_IS_REGISTRY (registry));
  g_assert_true (isle_registry_get_default () == registry);
  g_assert_true (G_IS_LIST_MODEL (registry));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (registry)) == ISLE_TYPE_STORE);
}

static void
test_registry_add_lookup_remove (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  GListModel *model = G_LIST_MODEL (registry);
  g_autoptr(GString) log = g_string_new (NULL);
  ItemsLog items = { log };
  IsleAtom *cart = isle_atom_new_int ("test-cart", 0);
  IsleAtom *impostor = isle_atom_new_string ("test-cart", "no");
  guint base = g_list_model_get_n_items (model);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) item = NULL;
  g_autofree char *expected = NULL;
  gulong handler;

  handler = g_signal_connect (registry, "items-changed", G_CALLBACK (items_changed_cb), &items);

  g_assert_null (isle_registry_lookup (registry, "test-cart"));
  g_assert_true (isle_registry_add (registry, ISLE_STORE (cart), &error));
  g_assert_no_error (error);

  expected = g_strdup_printf ("%u-0+1", base);
  assert_log (log, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, base + 1);
  item = g_list_model_get_item (model, base);
  g_assert_true (item == G_OBJECT (cart));
  g_clear_object (&item);
  g_assert_null (g_list_model_get_item (model, base + 1));

  g_assert_true (isle_registry_lookup (registry, "test-cart") == ISLE_STORE (cart));

  /* Names are unique. */
  g_assert_false (isle_registry_add (registry, ISLE_STORE (impostor), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "test-cart"));
  g_clear_error (&error);
  g_assert_false (isle_registry_add (registry, ISLE_STORE (cart), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_EXISTS);
  g_clear_error (&error);
  assert_log (log, "");
  g_assert_true (isle_registry_lookup (registry, "test-cart") == ISLE_STORE (cart));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, base + 1);

  g_assert_true (isle_registry_remove (registry, "test-cart"));
  expected = g_strdup_printf ("%u-1+0", base);
  assert_log (log, expected);
  g_assert_null (isle_registry_lookup (registry, "test-cart"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, base);

  g_assert_false (isle_registry_remove (registry, "test-cart"));
  assert_log (log, "");

  g_signal_handler_disconnect (registry, handler);
  g_assert_finalize_object (cart);
  g_assert_finalize_object (impostor);
}

/* The list keeps the order of addition; removing one shifts the rest. */
static void
test_registry_order (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  GListModel *model = G_LIST_MODEL (registry);
  g_autoptr(GString) log = g_string_new (NULL);
  ItemsLog items = { log };
  IsleAtom *atoms[3];
  guint base = g_list_model_get_n_items (model);
  g_autofree char *expected = NULL;
  g_autoptr(GObject) item = NULL;
  gulong handler;

  handler = g_signal_connect (registry, "items-changed", G_CALLBACK (items_changed_cb), &items);

  for (guint i = 0; i < G_N_ELEMENTS (atoms); i++)
    {
      g_autofree char *name = g_strdup_printf ("test-order-%u", i);

      atoms[i] = isle_atom_new_int (name, i);
      g_assert_true (isle_registry_add (registry, ISLE_STORE (atoms[i]), NULL));
    }
  expected = g_strdup_printf ("%u-0+1 %u-0+1 %u-0+1", base, base + 1, base + 2);
  assert_log (log, expected);
  g_clear_pointer (&expected, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (atoms); i++)
    {
      item = g_list_model_get_item (model, base + i);
      g_assert_true (item == G_OBJECT (atoms[i]));
      g_clear_object (&item);
    }

  g_assert_true (isle_registry_remove (registry, "test-order-1"));
  expected = g_strdup_printf ("%u-1+0", base + 1);
  assert_log (log, expected);
  item = g_list_model_get_item (model, base + 1);
  g_assert_true (item == G_OBJECT (atoms[2]));
  g_clear_object (&item);

  g_assert_true (isle_registry_remove (registry, "test-order-0"));
  g_assert_true (isle_registry_remove (registry, "test-order-2"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, base);

  g_signal_handler_disconnect (registry, handler);
  for (guint i = 0; i < G_N_ELEMENTS (atoms); i++)
    g_assert_finalize_object (atoms[i]);
}

/* The registry holds its own reference: a store added and dropped by its
 * maker lives on until it is removed. */
static void
test_registry_keeps_reference (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  IsleAtom *atom = isle_atom_new_int ("test-kept", 3);

  g_object_add_weak_pointer (G_OBJECT (atom), (gpointer *) &atom);
  g_assert_true (isle_registry_add (registry, ISLE_STORE (atom), NULL));
  g_object_unref (atom);
  g_assert_nonnull (atom);

  g_assert_cmpint (isle_store_get_int (isle_registry_lookup (registry, "test-kept")), ==, 3);

  g_assert_true (isle_registry_remove (registry, "test-kept"));
  g_assert_null (atom);
}

static void
test_registry_ensure_atom (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  GListModel *model = G_LIST_MODEL (registry);
  g_autoptr(GString) log = g_string_new (NULL);
  ItemsLog items = { log };
  guint base = g_list_model_get_n_items (model);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  IsleAtom *atom;
  IsleAtom *again;
  IsleAtom *typeless;
  gulong handler;

  handler = g_signal_connect (registry, "items-changed", G_CALLBACK (items_changed_cb), &items);

  /* Created and registered, with its initial value ... */
  atom = isle_registry_ensure_atom (registry, "test-count", G_VARIANT_TYPE_INT32,
                                    g_variant_new_int32 (5), &error);
  g_assert_no_error (error);
  g_assert_true (ISLE_IS_ATOM (atom));
  g_assert_cmpstr (isle_store_get_name (ISLE_STORE (atom)), ==, "test-count");
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 5);
  g_assert_true (isle_registry_lookup (registry, "test-count") == ISLE_STORE (atom));
  expected = g_strdup_printf ("%u-0+1", base);
  assert_log (log, expected);

  /* ... and the same object for the same name and type; the initial value
   * of a later call does not reset it. */
  isle_atom_set_int (atom, 6);
  again = isle_registry_ensure_atom (registry, "test-count", G_VARIANT_TYPE_INT32,
                                     g_variant_new_int32 (9), &error);
  g_assert_no_error (error);
  g_assert_true (again == atom);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 6);
  again = isle_registry_ensure_atom (registry, "test-count", G_VARIANT_TYPE_INT32, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (again == atom);
  assert_log (log, "");

  /* Another type: an error, and the registered atom is untouched. */
  again = isle_registry_ensure_atom (registry, "test-count", G_VARIANT_TYPE_STRING, NULL, &error);
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "test-count"));
  g_assert_null (again);
  g_clear_error (&error);
  g_assert_true (isle_registry_lookup (registry, "test-count") == ISLE_STORE (atom));
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (atom)), ==, 6);

  /* An initial value not of the type: an error, nothing registered. */
  typeless = isle_registry_ensure_atom (registry, "test-typeless", G_VARIANT_TYPE_INT32,
                                        g_variant_new_string ("x"), &error);
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_null (typeless);
  g_clear_error (&error);
  g_assert_null (isle_registry_lookup (registry, "test-typeless"));
  assert_log (log, "");

  /* An indefinite type: an error, nothing registered, no abort. */
  typeless = isle_registry_ensure_atom (registry, "test-typeless", G_VARIANT_TYPE_ANY, NULL, &error);
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "definite"));
  g_assert_null (typeless);
  g_clear_error (&error);
  typeless = isle_registry_ensure_atom (registry, "test-typeless", G_VARIANT_TYPE ("a?"), NULL, NULL);
  g_assert_null (typeless);
  g_assert_null (isle_registry_lookup (registry, "test-typeless"));
  assert_log (log, "");

  /* Without an initial value: the type's default. */
  typeless = isle_registry_ensure_atom (registry, "test-typeless", G_VARIANT_TYPE ("(si)"), NULL,
                                        &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) value = isle_store_get_value (ISLE_STORE (typeless));
    g_autoptr(GVariant) zero = g_variant_new_parsed ("('', 0)");

    g_assert_true (g_variant_equal (value, zero));
  }

  g_object_ref (atom);
  g_object_ref (typeless);
  g_assert_true (isle_registry_remove (registry, "test-count"));
  g_assert_true (isle_registry_remove (registry, "test-typeless"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, base);
  g_signal_handler_disconnect (registry, handler);
  g_assert_finalize_object (atom);
  g_assert_finalize_object (typeless);
}

/* A store of that name that is not an atom is not an atom of any type. */
static void
test_registry_ensure_atom_not_atom (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  IsleMap *map = isle_map_new ("test-profile", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (isle_registry_add (registry, ISLE_STORE (map), &error));
  g_assert_no_error (error);

  g_assert_null (isle_registry_ensure_atom (registry, "test-profile", G_VARIANT_TYPE_VARDICT,
                                            NULL, &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  g_assert_true (isle_registry_lookup (registry, "test-profile") == ISLE_STORE (map));

  g_assert_true (isle_registry_remove (registry, "test-profile"));
  g_assert_finalize_object (map);
}

static void
test_registry_bad_input (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  guint base = g_list_model_get_n_items (G_LIST_MODEL (registry));
  IsleAtom *unnamed = isle_atom_new_int (NULL, 0);
  g_autoptr(GError) error = NULL;

  /* Only named stores can be registered. */
  g_assert_false (isle_registry_add (registry, ISLE_STORE (unnamed), &error));
  g_assert_true (error != NULL && error->domain == ISLE_ERROR);
  g_clear_error (&error);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_null (isle_registry_lookup (registry, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_false (isle_registry_remove (registry, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_null (isle_registry_ensure_atom (registry, NULL, G_VARIANT_TYPE_INT32, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*ISLE_IS_STORE*");
  g_assert_false (isle_registry_add (registry, NULL, &error));
  g_test_assert_expected_messages ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, base);
  g_assert_finalize_object (unnamed);
}

/* A registry of its own drops its stores when it goes. */
static void
test_registry_finalize (void)
{
  IsleRegistry *registry = g_object_new (ISLE_TYPE_REGISTRY, NULL);
  IsleAtom *atom;

  g_assert_true (registry != isle_registry_get_default ());
  atom = isle_registry_ensure_atom (registry, "own", G_VARIANT_TYPE_BOOLEAN, NULL, NULL);
  g_assert_nonnull (atom);
  g_assert_null (isle_registry_lookup (isle_registry_get_default (), "own"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (atom), (gpointer *) &atom);
  g_assert_finalize_object (registry);
  g_assert_null (atom);
}

/* Threads {{{ */

#define N_THREADS 8
#define N_ROUNDS  200

typedef struct
{
  GMutex    lock;
  GCond     cond;
  gboolean  go;
  IsleAtom *seen[N_THREADS];
  guint     mismatches;  /* under lock */
} Race;

typedef struct
{
  Race *race;
  guint index;
} Racer;

static gpointer
racer_thread (gpointer user_data)
{
  Racer *racer = user_data;
  Race *race = racer->race;
  IsleRegistry *registry = isle_registry_get_default ();
  IsleAtom *first = NULL;

  g_mutex_lock (&race->lock);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);

  for (guint i = 0; i < N_ROUNDS; i++)
    {
      IsleAtom *atom = isle_registry_ensure_atom (registry, "test-raced", G_VARIANT_TYPE_INT32,
                                                  NULL, NULL);

      if (first == NULL)
        first = atom;
      if (atom == NULL || atom != first ||
          isle_registry_lookup (registry, "test-raced") != ISLE_STORE (atom))
        {
          g_mutex_lock (&race->lock);
          race->mismatches++;
          g_mutex_unlock (&race->lock);
        }
    }

  race->seen[racer->index] = first;

  return NULL;
}

/* Many threads ensuring the same atom at once all get one object, and the
 * registry announces one addition. */
static void
test_registry_threads (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  guint base = g_list_model_get_n_items (G_LIST_MODEL (registry));
  ItemsLog items = { NULL };
  Race race = { 0 };
  Racer racers[N_THREADS];
  GThread *threads[N_THREADS];
  IsleAtom *atom;
  gulong handler;

  g_mutex_init (&race.lock);
  g_cond_init (&race.cond);
  handler = g_signal_connect (registry, "items-changed", G_CALLBACK (items_changed_cb), &items);

  for (guint i = 0; i < N_THREADS; i++)
    {
      racers[i].race = &race;
      racers[i].index = i;
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }

  g_mutex_lock (&race.lock);
  race.go = TRUE;
  g_cond_broadcast (&race.cond);
  g_mutex_unlock (&race.lock);

  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  atom = ISLE_ATOM (isle_registry_lookup (registry, "test-raced"));
  g_assert_nonnull (atom);
  g_assert_cmpuint (race.mismatches, ==, 0);
  for (guint i = 0; i < N_THREADS; i++)
    g_assert_true (race.seen[i] == atom);
  g_assert_cmpint (g_atomic_int_get (&items.emissions), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, base + 1);

  g_signal_handler_disconnect (registry, handler);
  g_object_ref (atom);
  g_assert_true (isle_registry_remove (registry, "test-raced"));
  g_assert_finalize_object (atom);

  g_mutex_clear (&race.lock);
  g_cond_clear (&race.cond);
}

/* }}} */


/* Cleaning {{{ */

typedef struct
{
  GString    *log;
  const char *name;
} Hooks;

static void
hook_start_cb (IsleStore *store,
               gpointer   user_data)
{
  Hooks *hooks = user_data;

  g_string_append_printf (hooks->log, "%s loaded;", hooks->name);
}

static void
hook_stop_cb (IsleStore *store,
              gpointer   user_data)
{
  Hooks *hooks = user_data;

  g_string_append_printf (hooks->log, "%s unloaded;", hooks->name);
}

static void
nothing_cb (IsleStore *store,
            GVariant  *value,
            GVariant  *old_value,
            gpointer   user_data)
{
}

static void
count_destroy_cb (gpointer data)
{
  (*(guint *) data)++;
}

/* nanostores, clean-stores/index.test.ts, "cleans stores" and "allows to
 * call multiple times": every registered store loses its listeners and
 * stops at once (its stop delay is not waited for), a store never started
 * is left alone, the registry is empty, and a store cleaned starts again
 * with its next listener. */
static void
test_registry_clean (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GString) log = g_string_new (NULL);
  Hooks loaded_hooks = { log, "loaded" };
  Hooks idle_hooks = { log, "not-loaded" };
  IsleAtom *loaded = isle_atom_new_int ("clean-loaded", 0);
  IsleAtom *no_hooks = isle_atom_new_int ("clean-no-hooks", 0);
  IsleAtom *not_loaded = isle_atom_new_int ("clean-not-loaded", 0);
  guint destroyed = 0;

  g_signal_connect (loaded, "start", G_CALLBACK (hook_start_cb), &loaded_hooks);
  g_signal_connect (loaded, "stop", G_CALLBACK (hook_stop_cb), &loaded_hooks);
  g_signal_connect (not_loaded, "start", G_CALLBACK (hook_start_cb), &idle_hooks);
  g_signal_connect (not_loaded, "stop", G_CALLBACK (hook_stop_cb), &idle_hooks);
  g_assert_true (isle_registry_add (registry, ISLE_STORE (loaded), NULL));
  g_assert_true (isle_registry_add (registry, ISLE_STORE (no_hooks), NULL));
  g_assert_true (isle_registry_add (registry, ISLE_STORE (not_loaded), NULL));

  isle_store_listen (ISLE_STORE (loaded), nothing_cb, &destroyed, count_destroy_cb);
  isle_store_listen (ISLE_STORE (no_hooks), nothing_cb, &destroyed, count_destroy_cb);
  g_assert_cmpstr (log->str, ==, "loaded loaded;");

  isle_registry_clean (registry);
  isle_registry_clean (registry);
  g_assert_cmpstr (log->str, ==, "loaded loaded;loaded unloaded;");
  g_assert_cmpuint (destroyed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
  g_assert_null (isle_registry_lookup (registry, "clean-loaded"));
  g_assert_false (isle_store_get_started (ISLE_STORE (loaded)));
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (no_hooks)), ==, 0);

  /* Cleaning a store again does nothing; it starts with its next listener. */
  isle_store_clean (ISLE_STORE (loaded));
  isle_store_listen (ISLE_STORE (loaded), nothing_cb, NULL, NULL);
  g_assert_cmpstr (log->str, ==, "loaded loaded;loaded unloaded;loaded loaded;");
  isle_store_clean (ISLE_STORE (loaded));

  /* The name can be registered again. */
  g_assert_true (isle_registry_add (registry, ISLE_STORE (loaded), NULL));
  test_clean_stores ();

  g_assert_finalize_object (loaded);
  g_assert_finalize_object (no_hooks);
  g_assert_finalize_object (not_loaded);
}

/* nanostores, clean-stores/index.test.ts, "resets computed cache": a
 * computed store cleaned recomputes when it starts again. */
typedef struct
{
  int   multiplier;
  guint computations;
} Scale;

static GVariant *
scale_cb (GVariant *values,
          gpointer  user_data)
{
  Scale *scale = user_data;
  g_autoptr(GVariant) source = g_variant_get_child_value (values, 0);

  scale->computations++;

  return g_variant_new_int32 (g_variant_get_int32 (source) * scale->multiplier);
}

static void
test_registry_clean_computed (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  Scale scale = { 2, 0 };
  IsleAtom *source = isle_atom_new_int ("clean-source", 1);
  IsleComputed *computed = isle_computed_new ("clean-computed", G_VARIANT_TYPE_INT32,
                                              (IsleStore **) &source, 1, scale_cb, &scale, NULL);
  guint handle;

  g_assert_true (isle_registry_add (registry, ISLE_STORE (source), NULL));
  g_assert_true (isle_registry_add (registry, ISLE_STORE (computed), NULL));

  handle = isle_store_subscribe (ISLE_STORE (computed), nothing_cb, NULL, NULL);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (computed)), ==, 2);
  g_assert_cmpuint (scale.computations, ==, 1);
  isle_store_unsubscribe (ISLE_STORE (computed), handle);

  test_clean_stores ();

  scale.multiplier = 10;
  handle = isle_store_subscribe (ISLE_STORE (computed), nothing_cb, NULL, NULL);
  g_assert_cmpint (isle_store_get_int (ISLE_STORE (computed)), ==, 10);
  g_assert_cmpuint (scale.computations, ==, 2);
  isle_store_unsubscribe (ISLE_STORE (computed), handle);
  isle_store_clean (ISLE_STORE (computed));

  g_assert_finalize_object (computed);
  g_assert_finalize_object (source);
}

/* nanostores, clean-stores/index.test.ts, "cleans stores without
 * events": a store cleaned before it had hooks starts with them later. */
static void
test_registry_clean_without_events (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GString) log = g_string_new (NULL);
  Hooks hooks = { log, "store" };
  IsleAtom *store = isle_atom_new_string ("clean-store", "");

  g_assert_true (isle_registry_add (registry, ISLE_STORE (store), NULL));
  isle_store_listen (ISLE_STORE (store), nothing_cb, NULL, NULL);
  test_clean_stores ();

  g_signal_connect (store, "start", G_CALLBACK (hook_start_cb), &hooks);
  isle_store_listen (ISLE_STORE (store), nothing_cb, NULL, NULL);
  g_assert_cmpstr (log->str, ==, "store loaded;");

  isle_store_clean (ISLE_STORE (store));
  g_assert_finalize_object (store);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Registry/default", test_registry_default);
  g_test_add_func ("/Isle/Registry/add-lookup-remove", test_registry_add_lookup_remove);
  g_test_add_func ("/Isle/Registry/order", test_registry_order);
  g_test_add_func ("/Isle/Registry/keeps-reference", test_registry_keeps_reference);
  g_test_add_func ("/Isle/Registry/ensure-atom", test_registry_ensure_atom);
  g_test_add_func ("/Isle/Registry/ensure-atom-not-atom", test_registry_ensure_atom_not_atom);
  g_test_add_func ("/Isle/Registry/bad-input", test_registry_bad_input);
  g_test_add_func ("/Isle/Registry/finalize", test_registry_finalize);
  g_test_add_func ("/Isle/Registry/threads", test_registry_threads);
  g_test_add_func ("/Isle/Registry/clean", test_registry_clean);
  g_test_add_func ("/Isle/Registry/clean-computed", test_registry_clean_computed);
  g_test_add_func ("/Isle/Registry/clean-without-events", test_registry_clean_without_events);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
