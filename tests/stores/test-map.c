/* test-map.c: unit tests for IsleMap
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tests run with warnings and criticals fatal; every test ends with
 * g_assert_finalize_object() to prove that nothing kept a reference.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Helpers {{{ */

/* The listeners of a test share one log. A whole-map listener appends
 * "TAG:NEW<OLD", a key listener "TAG:KEY=NEW<OLD" ("-" for none). */
typedef struct
{
  GString    *log;
  const char *tag;
  guint       calls;
  guint       destroyed;

  /* For the reentrancy test: sets this key to the value + 1 when it hears
   * of a key other than it, with an int value below 3. */
  const char *set_key;
} Probe;

static char *
print_or_dash (GVariant *value)
{
  return value != NULL ? g_variant_print (value, FALSE) : g_strdup ("-");
}

static void
log_space (GString *log)
{
  if (log->len > 0)
    g_string_append_c (log, ' ');
}

static void
store_probe_cb (IsleStore *store,
                GVariant  *value,
                GVariant  *old_value,
                gpointer   user_data)
{
  Probe *probe = user_data;
  g_autofree char *new_text = print_or_dash (value);
  g_autofree char *old_text = print_or_dash (old_value);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT));

  probe->calls++;
  log_space (probe->log);
  g_string_append_printf (probe->log, "%s:%s<%s", probe->tag, new_text, old_text);
}

static void
key_probe_cb (IsleMap    *map,
              const char *key,
              GVariant   *value,
              GVariant   *old_value,
              gpointer    user_data)
{
  Probe *probe = user_data;
  g_autofree char *new_text = print_or_dash (value);
  g_autofree char *old_text = print_or_dash (old_value);

  g_assert_true (ISLE_IS_MAP (map));
  g_assert_nonnull (key);
  g_assert_true (value != NULL || old_value != NULL);

  probe->calls++;
  log_space (probe->log);
  g_string_append_printf (probe->log, "%s:%s=%s<%s", probe->tag, key, new_text, old_text);

  if (probe->set_key != NULL && !g_str_equal (key, probe->set_key) &&
      value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT32) &&
      g_variant_get_int32 (value) < 3)
    isle_map_set_key (map, probe->set_key, g_variant_new_int32 (g_variant_get_int32 (value) + 1));
}

static void
probe_destroy (gpointer user_data)
{
  Probe *probe = user_data;

  probe->destroyed++;
}

static void
assert_key_int (IsleMap    *map,
                const char *key,
                int         expected)
{
  g_autoptr(GVariant) value = isle_map_get_key (map, key);

  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32));
  g_assert_cmpint (g_variant_get_int32 (value), ==, expected);
}

static void
assert_key_unset (IsleMap    *map,
                  const char *key)
{
  g_autoptr(GVariant) value = isle_map_get_key (map, key);

  g_assert_null (value);
}

static guint
n_keys (IsleMap *map)
{
  g_autoptr(GVariant) dict = isle_store_get_value (ISLE_STORE (map));

  return g_variant_n_children (dict);
}

/* }}} */

static void
test_map_new (void)
{
  IsleMap *empty = isle_map_new ("empty", NULL);
  IsleMap *map;
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) name = NULL;
  GVariantDict initial;

  g_assert_cmpstr (isle_store_get_name (ISLE_STORE (empty)), ==, "empty");
  g_assert_true (g_variant_type_equal (isle_store_get_value_type (ISLE_STORE (empty)),
                                       G_VARIANT_TYPE_VARDICT));
  dict = isle_store_get_value (ISLE_STORE (empty));
  g_assert_true (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (dict), ==, 0);
  assert_key_unset (empty, "anything");

  g_variant_dict_init (&initial, NULL);
  g_variant_dict_insert (&initial, "name", "s", "Ada");
  g_variant_dict_insert (&initial, "age", "i", 36);
  map = isle_map_new ("profile", g_variant_dict_end (&initial));

  name = isle_map_get_key (map, "name");
  g_assert_cmpstr (g_variant_get_string (name, NULL), ==, "Ada");
  assert_key_int (map, "age", 36);
  assert_key_unset (map, "email");
  g_assert_cmpuint (n_keys (map), ==, 2);

  g_assert_finalize_object (empty);
  g_assert_finalize_object (map);
}

static void
test_map_set_key (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe whole = { .log = log, .tag = "W" };
  IsleMap *map = isle_map_new ("settings", NULL);
  g_autoptr(GVariant) value = NULL;
  guint notified = 0;

  g_signal_connect (map, "notify::value", G_CALLBACK (count_notify_cb), &notified);
  isle_store_subscribe (ISLE_STORE (map), store_probe_cb, &whole, NULL);
  assert_log (log, "W:{}<-");

  isle_map_set_key (map, "a", g_variant_new_int32 (1));
  assert_key_int (map, "a", 1);
  assert_log (log, "W:{'a': <1>}<{}");

  isle_map_set_key (map, "a", g_variant_new_int32 (2));
  assert_key_int (map, "a", 2);
  assert_log (log, "W:{'a': <2>}<{'a': <1>}");

  /* The same value again, or removing a key that is not there: nothing. */
  isle_map_set_key (map, "a", g_variant_new_int32 (2));
  isle_map_set_key (map, "missing", NULL);
  assert_log (log, "");
  g_assert_cmpuint (notified, ==, 2);

  /* Values of any type. */
  isle_map_set_key (map, "b", g_variant_new_string ("x"));
  value = isle_map_get_key (map, "b");
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "x");
  g_clear_pointer (&value, g_variant_unref);
  isle_map_set_key (map, "b", g_variant_new_boolean (TRUE));
  value = isle_map_get_key (map, "b");
  g_assert_true (g_variant_get_boolean (value));
  g_string_truncate (log, 0);
  g_assert_cmpuint (n_keys (map), ==, 2);

  /* NULL removes. */
  isle_map_set_key (map, "a", NULL);
  assert_key_unset (map, "a");
  assert_log (log, "W:{'b': <true>}<{'a': <2>, 'b': <true>}");
  g_assert_cmpuint (n_keys (map), ==, 1);
  g_assert_cmpuint (notified, ==, 5);

  g_assert_finalize_object (map);
}

static void
test_map_listen_keys (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };
  Probe c = { .log = log, .tag = "C" };
  IsleMap *map = isle_map_new ("keys", NULL);
  const char *ab[] = { "a", "b", NULL };
  const char *only_c[] = { "c", NULL };
  guint hk;

  /* Not called at once; starts the store. */
  hk = isle_map_listen_keys (map, ab, key_probe_cb, &k, probe_destroy);
  g_assert_cmpuint (hk, !=, 0);
  isle_map_listen_keys (map, only_c, key_probe_cb, &c, NULL);
  assert_log (log, "");
  g_assert_true (isle_store_get_started (ISLE_STORE (map)));
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (map)), ==, 2);

  /* Only the keys asked for, with the key's own new and old value. */
  isle_map_set_key (map, "c", g_variant_new_int32 (1));
  assert_log (log, "C:c=1<-");
  isle_map_set_key (map, "z", g_variant_new_int32 (1));
  assert_log (log, "");
  isle_map_set_key (map, "a", g_variant_new_int32 (1));
  assert_log (log, "K:a=1<-");
  isle_map_set_key (map, "a", g_variant_new_int32 (2));
  assert_log (log, "K:a=2<1");
  isle_map_set_key (map, "a", g_variant_new_int32 (2));
  assert_log (log, "");
  isle_map_set_key (map, "b", g_variant_new_string ("x"));
  assert_log (log, "K:b='x'<-");
  isle_map_set_key (map, "a", NULL);
  assert_log (log, "K:a=-<2");
  isle_map_set_key (map, "a", NULL);
  assert_log (log, "");

  /* A key that changes type is a change. */
  isle_map_set_key (map, "b", g_variant_new_int32 (7));
  assert_log (log, "K:b=7<'x'");

  isle_store_unsubscribe (ISLE_STORE (map), hk);
  g_assert_cmpuint (k.destroyed, ==, 1);
  isle_map_set_key (map, "a", g_variant_new_int32 (9));
  isle_map_set_key (map, "c", g_variant_new_int32 (9));
  assert_log (log, "C:c=9<1");

  g_assert_finalize_object (map);
}

/* A whole new dictionary at once: map listeners hear once, key listeners
 * only the watched keys that differ; an equal one is no change. */
static void
test_map_replace (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe m = { .log = log, .tag = "M" };
  Probe k = { .log = log, .tag = "K" };
  IsleMap *map = isle_map_new ("replace", g_variant_new_parsed ("{'a': <1>, 'b': <2>, 'c': <3>}"));
  const char *abd[] = { "a", "b", "d", NULL };
  guint64 version;

  isle_store_listen (ISLE_STORE (map), store_probe_cb, &m, NULL);
  isle_map_listen_keys (map, abd, key_probe_cb, &k, NULL);

  isle_map_replace (map, g_variant_new_parsed ("{'a': <1>, 'b': <5>, 'd': <4>}"));
  assert_log (log, "M:{'a': <1>, 'b': <5>, 'd': <4>}<{'a': <1>, 'b': <2>, 'c': <3>} "
                   "K:b=5<2 K:d=4<-");
  g_assert_cmpuint (m.calls, ==, 1);
  assert_key_unset (map, "c");
  assert_key_int (map, "d", 4);

  /* Equal: nothing. */
  version = isle_store_get_version (ISLE_STORE (map));
  isle_map_replace (map, g_variant_new_parsed ("{'a': <1>, 'b': <5>, 'd': <4>}"));
  assert_log (log, "");
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (map)), ==, version);

  /* Emptied. */
  isle_map_replace (map, g_variant_new_parsed ("@a{sv} {}"));
  assert_log (log, "M:{}<{'a': <1>, 'b': <5>, 'd': <4>} K:a=-<1 K:b=-<5 K:d=-<4");
  g_assert_cmpuint (n_keys (map), ==, 0);

  /* Wrong input: a critical, and the map keeps its value. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*VARDICT*");
  isle_map_replace (map, g_variant_new_int32 (3));
  g_test_assert_expected_messages ();
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*owned != NULL*");
  isle_map_replace (map, NULL);
  g_test_assert_expected_messages ();
  assert_log (log, "");
  g_assert_cmpuint (n_keys (map), ==, 0);

  g_assert_finalize_object (map);
}

/* In a batch, a key listener is called once per watched key that changed
 * over the whole batch, not for a key that changed back. */
static void
test_map_listen_keys_batch (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };
  Probe w = { .log = log, .tag = "W" };
  IsleMap *map = isle_map_new ("batched-keys", NULL);
  const char *keys[] = { "b", "a", "d", NULL };

  isle_map_set_key (map, "d", g_variant_new_int32 (0));
  isle_map_listen_keys (map, keys, key_probe_cb, &k, NULL);
  isle_store_listen (ISLE_STORE (map), store_probe_cb, &w, NULL);

  isle_store_batch_begin ();
  isle_map_set_key (map, "a", g_variant_new_int32 (1));
  isle_map_set_key (map, "a", g_variant_new_int32 (2));
  isle_map_set_key (map, "b", g_variant_new_int32 (3));
  isle_map_set_key (map, "c", g_variant_new_int32 (4));
  isle_map_set_key (map, "d", g_variant_new_int32 (5));
  isle_map_set_key (map, "d", g_variant_new_int32 (0));
  assert_log (log, "");
  isle_store_batch_end ();

  g_assert_cmpuint (k.calls, ==, 2);
  g_assert_cmpuint (w.calls, ==, 1);
  g_assert_true (g_str_has_prefix (log->str, "K:b=3<- K:a=2<- W:"));

  g_assert_finalize_object (map);
}

/* Key listeners and whole-map listeners are called in subscription order,
 * and a key set by a key listener is delivered after the current round. */
static void
test_map_order_and_reentrancy (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe first = { .log = log, .tag = "F", .set_key = "y" };
  Probe whole = { .log = log, .tag = "W" };
  Probe last = { .log = log, .tag = "L" };
  IsleMap *map = isle_map_new ("reentrant-keys", NULL);
  const char *xy[] = { "x", "y", NULL };

  isle_map_listen_keys (map, xy, key_probe_cb, &first, NULL);
  isle_store_listen (ISLE_STORE (map), store_probe_cb, &whole, NULL);
  isle_map_listen_keys (map, xy, key_probe_cb, &last, NULL);

  isle_map_set_key (map, "x", g_variant_new_int32 (1));
  assert_log (log,
              "F:x=1<- W:{'x': <1>}<{} L:x=1<- "
              "F:y=2<- W:{'x': <1>, 'y': <2>}<{'x': <1>} L:y=2<-");

  g_assert_finalize_object (map);
}

static GVariant *
add_to_key_cb (IsleMap    *map,
               const char *key,
               GVariant   *current,
               gpointer    user_data)
{
  int n = GPOINTER_TO_INT (user_data);
  int quantity = (current != NULL ? g_variant_get_int32 (current) : 0) + n;

  return quantity > 0 ? g_variant_new_int32 (quantity) : NULL;
}

/* update_key: the new value from the current one, NULL removes the key,
 * an equal value is no change; key listeners hear it as from set_key. */
static void
test_map_update_key (void)
{
  IsleMap *map = isle_map_new ("update-map", NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };

  isle_map_listen_keys (map, (const char *[]) { "tea", NULL }, key_probe_cb, &k, NULL);

  g_assert_true (isle_map_update_key (map, "tea", add_to_key_cb, GINT_TO_POINTER (2)));
  g_assert_true (isle_map_update_key (map, "tea", add_to_key_cb, GINT_TO_POINTER (3)));
  assert_key_int (map, "tea", 5);
  g_assert_false (isle_map_update_key (map, "tea", add_to_key_cb, GINT_TO_POINTER (0)));
  g_assert_true (isle_map_update_key (map, "tea", add_to_key_cb, GINT_TO_POINTER (-5)));
  g_assert_null (isle_map_get_key (map, "tea"));
  g_assert_false (isle_map_update_key (map, "tea", add_to_key_cb, GINT_TO_POINTER (-1)));
  g_assert_cmpuint (n_keys (map), ==, 0);
  g_assert_cmpuint (k.calls, ==, 3);

  g_assert_finalize_object (map);
}

static void
test_map_bad_input (void)
{
  IsleMap *map = isle_map_new ("bad-map", NULL);
  IsleMap *other;
  g_autoptr(GString) log = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_VARIANT_TYPE_VARDICT*");
  other = isle_map_new ("not-a-dict", g_variant_new_int32 (1));
  g_test_assert_expected_messages ();
  g_assert_null (other);

  isle_map_set_key (map, "a", g_variant_new_int32 (1));

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*key != NULL*");
  isle_map_set_key (map, NULL, g_variant_new_int32 (2));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*key != NULL*");
  g_assert_null (isle_map_get_key (map, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*keys != NULL*");
  g_assert_cmpuint (isle_map_listen_keys (map, NULL, key_probe_cb, &k, NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*key != NULL*");
  g_assert_false (isle_map_update_key (map, NULL, add_to_key_cb, GINT_TO_POINTER (1)));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*func != NULL*");
  g_assert_false (isle_map_update_key (map, "a", NULL, NULL));
  g_test_assert_expected_messages ();

  assert_key_int (map, "a", 1);
  g_assert_cmpuint (n_keys (map), ==, 1);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (map)), ==, 0);

  g_assert_finalize_object (map);
}

static void
count_key_cb (IsleMap    *map,
              const char *key,
              GVariant   *value,
              GVariant   *old_value,
              gpointer    user_data)
{
  int *calls = user_data;

  g_assert_cmpstr (key, ==, "b");
  (*calls)++;
}

/* The value property of a map replaces the whole dictionary, notifies
 * key listeners of the keys that changed, and refuses another type. */
static void
test_map_value_property (void)
{
  IsleMap *map = isle_map_new ("property-map",
                               g_variant_new_parsed ("{'a': <1>, 'b': <2>}"));
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) a = NULL;
  g_autoptr(GVariant) b = NULL;
  int key_calls = 0;

  isle_map_listen_keys (map, (const char *[]) { "b", NULL },
                        count_key_cb, &key_calls, NULL);

  g_object_set (map, "value", g_variant_new_parsed ("{'a': <1>, 'b': <3>}"), NULL);
  b = isle_map_get_key (map, "b");
  g_assert_cmpint (g_variant_get_int32 (b), ==, 3);
  g_assert_cmpint (key_calls, ==, 1);

  g_test_expect_message ("Isle", G_LOG_LEVEL_CRITICAL, "*map*property-map*a{sv}*not*i*");
  g_object_set (map, "value", g_variant_new_int32 (5), NULL);
  g_test_assert_expected_messages ();

  dict = isle_store_get_value (ISLE_STORE (map));
  g_assert_true (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT));
  a = isle_map_get_key (map, "a");
  g_assert_cmpint (g_variant_get_int32 (a), ==, 1);
  g_assert_cmpint (key_calls, ==, 1);

  g_assert_finalize_object (map);
}


/* nanostores' notify (oldValue, changedKey) on a map: a notification
 * naming a key reaches the listeners of that key (with its value as new
 * and old) and the whole-map listeners, not the listeners of other keys;
 * one without a key reaches every key listener whose key is set (as
 * nanostores' listenKeys hears an undefined key), inside a batch too. */
static void
test_map_notify_key (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe whole = { .log = log, .tag = "W" };
  Probe k = { .log = log, .tag = "K" };
  Probe c = { .log = log, .tag = "C" };
  IsleMap *map = isle_map_new ("notified", NULL);
  const char *only_a[] = { "a", NULL };
  const char *only_c[] = { "c", NULL };

  isle_map_set_key (map, "a", g_variant_new_int32 (1));
  isle_store_listen (ISLE_STORE (map), store_probe_cb, &whole, NULL);
  isle_map_listen_keys (map, only_a, key_probe_cb, &k, NULL);
  isle_map_listen_keys (map, only_c, key_probe_cb, &c, NULL);

  isle_store_notify_listeners (ISLE_STORE (map), "a");
  assert_log (log, "W:{'a': <1>}<{'a': <1>} K:a=1<1");

  isle_store_notify_listeners (ISLE_STORE (map), NULL);
  assert_log (log, "W:{'a': <1>}<{'a': <1>} K:a=1<1");
  assert_key_int (map, "a", 1);

  isle_store_batch_begin ();
  isle_store_notify_listeners (ISLE_STORE (map), "a");
  assert_log (log, "");
  isle_store_batch_end ();
  assert_log (log, "W:{'a': <1>}<{'a': <1>} K:a=1<1");

  g_assert_finalize_object (map);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Map/new", test_map_new);
  g_test_add_func ("/Isle/Map/set-key", test_map_set_key);
  g_test_add_func ("/Isle/Map/notify-key", test_map_notify_key);
  g_test_add_func ("/Isle/Map/listen-keys", test_map_listen_keys);
  g_test_add_func ("/Isle/Map/replace", test_map_replace);
  g_test_add_func ("/Isle/Map/value-property", test_map_value_property);
  g_test_add_func ("/Isle/Map/listen-keys-batch", test_map_listen_keys_batch);
  g_test_add_func ("/Isle/Map/order-and-reentrancy", test_map_order_and_reentrancy);
  g_test_add_func ("/Isle/Map/update-key", test_map_update_key);
  g_test_add_func ("/Isle/Map/bad-input", test_map_bad_input);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
