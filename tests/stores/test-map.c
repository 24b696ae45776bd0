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

/* Complete maps (issue 21): the peers' expectations {{{ */

/* A whole-map listener that hears the changed key: "TAG:KEY:NEW<OLD",
 * "-" for a NULL key or value. */
static void
change_probe_cb (IsleMap    *map,
                 GVariant   *value,
                 GVariant   *old_value,
                 const char *changed_key,
                 gpointer    user_data)
{
  Probe *probe = user_data;
  g_autofree char *new_text = print_or_dash (value);
  g_autofree char *old_text = print_or_dash (old_value);

  g_assert_true (ISLE_IS_MAP (map));
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT));

  probe->calls++;
  log_space (probe->log);
  g_string_append_printf (probe->log, "%s:%s:%s<%s", probe->tag,
                          changed_key != NULL ? changed_key : "-", new_text, old_text);
}

/* A key listener that logs every call, also one with two NULL values (the
 * first call of subscribe_keys for a key that is not set). */
static void
any_key_probe_cb (IsleMap    *map,
                  const char *key,
                  GVariant   *value,
                  GVariant   *old_value,
                  gpointer    user_data)
{
  Probe *probe = user_data;
  g_autofree char *new_text = print_or_dash (value);
  g_autofree char *old_text = print_or_dash (old_value);

  probe->calls++;
  log_space (probe->log);
  g_string_append_printf (probe->log, "%s:%s=%s<%s", probe->tag, key, new_text, old_text);
}

static void
set_int (IsleMap    *map,
         const char *key,
         int         value)
{
  isle_map_set_key (map, key, g_variant_new_int32 (value));
}

static void
start_ab_cb (IsleStore *store,
             gpointer   user_data)
{
  GString *events = user_data;

  set_int (ISLE_MAP (store), "a", 0);
  set_int (ISLE_MAP (store), "b", 0);
  log_space (events);
  g_string_append (events, "init");
}

static gpointer
set_a_in_thread (gpointer data)
{
  set_int (data, "a", 6);

  return NULL;
}

/* nanostores map/index.test.ts: "initializes store when it has listeners",
 * "works without initializer", "can subscribe to changes and call listener
 * immediately": whole-map listeners get the changed key, a subscriber's
 * first call none. */
static void
test_map_changed_key (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe one = { .log = log, .tag = "1" };
  Probe two = { .log = log, .tag = "2" };
  Probe sub = { .log = log, .tag = "S" };
  IsleMap *map = isle_map_new ("changed-key", NULL);
  guint h1, h2, hs;

  isle_store_set_stop_delay (ISLE_STORE (map), 0);
  g_signal_connect (map, "start", G_CALLBACK (start_ab_cb), log);

  h1 = isle_map_listen_changes (map, change_probe_cb, &one, NULL);
  assert_log (log, "init");
  h2 = isle_map_listen_changes (map, change_probe_cb, &two, NULL);
  assert_log (log, "");

  set_int (map, "a", 1);
  assert_log (log, "1:a:{'a': <1>, 'b': <0>}<{'a': <0>, 'b': <0>} "
                   "2:a:{'a': <1>, 'b': <0>}<{'a': <0>, 'b': <0>}");

  isle_store_unsubscribe (ISLE_STORE (map), h1);
  set_int (map, "b", 1);
  assert_log (log, "2:b:{'a': <1>, 'b': <1>}<{'a': <1>, 'b': <0>}");

  /* The first call of a subscription has no key and no old value. */
  hs = isle_map_subscribe_changes (map, change_probe_cb, &sub, NULL);
  assert_log (log, "S:-:{'a': <1>, 'b': <1>}<-");

  /* "changes the whole object": a whole-map set has no key. */
  isle_map_replace (map, g_variant_new_parsed ("{'a': <1>, 'b': <0>, 'c': <0>}"));
  assert_log (log, "2:-:{'a': <1>, 'b': <0>, 'c': <0>}<{'a': <1>, 'b': <1>} "
                   "S:-:{'a': <1>, 'b': <0>, 'c': <0>}<{'a': <1>, 'b': <1>}");

  /* A removal names its key; a batch of several keys names none. */
  isle_map_delete_key (map, "c");
  assert_log (log, "2:c:{'a': <1>, 'b': <0>}<{'a': <1>, 'b': <0>, 'c': <0>} "
                   "S:c:{'a': <1>, 'b': <0>}<{'a': <1>, 'b': <0>, 'c': <0>}");
  isle_store_unsubscribe (ISLE_STORE (map), hs);
  isle_store_batch_begin ();
  set_int (map, "a", 5);
  set_int (map, "b", 5);
  isle_store_batch_end ();
  assert_log (log, "2:-:{'a': <5>, 'b': <5>}<{'a': <1>, 'b': <0>}");

  /* A key set from another thread names its key too. */
  {
    GThread *thread = g_thread_new ("set-key", set_a_in_thread, map);

    g_thread_join (thread);
    while (two.calls < 6)
      g_main_context_iteration (NULL, TRUE);
    assert_log (log, "2:a:{'a': <6>, 'b': <5>}<{'a': <5>, 'b': <5>}");
  }

  isle_store_unsubscribe (ISLE_STORE (map), h2);
  g_assert_false (isle_store_get_started (ISLE_STORE (map)));

  g_assert_finalize_object (map);
}

/* nanostores map/index.test.ts "does not call listeners on no changes",
 * "can use previous value in listeners", "can use previous value in
 * subscribers", "supports the same listeners". */
static void
test_map_changes_peer (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe p = { .log = log, .tag = "P" };
  IsleMap *map = isle_map_new ("changes-peer", g_variant_new_parsed ("{'one': <1>}"));
  guint first, second;

  isle_map_listen_changes (map, change_probe_cb, &p, NULL);
  set_int (map, "one", 1);
  isle_map_replace (map, g_variant_new_parsed ("{'one': <1>}"));
  assert_log (log, "");
  g_assert_finalize_object (map);

  map = isle_map_new ("previous", g_variant_new_parsed ("{'a': <0>}"));
  isle_map_subscribe_changes (map, change_probe_cb, &p, NULL);
  set_int (map, "a", 1);
  set_int (map, "a", 2);
  assert_log (log, "P:-:{'a': <0>}<- P:a:{'a': <1>}<{'a': <0>} P:a:{'a': <2>}<{'a': <1>}");
  g_assert_finalize_object (map);

  /* The same listener twice is called twice; removing one leaves one. */
  map = isle_map_new ("same-listeners", NULL);
  first = isle_map_listen_changes (map, change_probe_cb, &p, NULL);
  second = isle_map_listen_changes (map, change_probe_cb, &p, NULL);
  g_assert_cmpuint (first, !=, second);
  set_int (map, "a", 1);
  assert_log (log, "P:a:{'a': <1>}<{} P:a:{'a': <1>}<{}");
  isle_store_unsubscribe (ISLE_STORE (map), first);
  set_int (map, "a", 2);
  assert_log (log, "P:a:{'a': <2>}<{'a': <1>}");
  g_assert_finalize_object (map);
}

typedef struct
{
  GString *log;
  IsleMap *map;
  guint    unbind_b;
} QueuedData;

static void
queued_c_cb (IsleMap *map, GVariant *value, GVariant *old_value, const char *key, gpointer data)
{
  QueuedData *q = data;
  g_autoptr(GVariant) a = g_variant_lookup_value (value, "a", NULL);

  log_space (q->log);
  g_string_append_printf (q->log, "c%d", g_variant_get_int32 (a));
}

static void
queued_b_cb (IsleMap *map, GVariant *value, GVariant *old_value, const char *key, gpointer data)
{
  QueuedData *q = data;
  g_autoptr(GVariant) a = g_variant_lookup_value (value, "a", NULL);

  log_space (q->log);
  g_string_append_printf (q->log, "b%d", g_variant_get_int32 (a));
}

static void
queued_a_cb (IsleMap *map, GVariant *value, GVariant *old_value, const char *key, gpointer data)
{
  QueuedData *q = data;
  g_autoptr(GVariant) a = g_variant_lookup_value (value, "a", NULL);

  log_space (q->log);
  g_string_append_printf (q->log, "a%d", g_variant_get_int32 (a));
  isle_map_listen_changes (map, queued_c_cb, q, NULL);
  if (g_variant_get_int32 (a) > 1)
    isle_store_unsubscribe (ISLE_STORE (map), q->unbind_b);
}

/* nanostores map/index.test.ts "does not run queued listeners after they
 * are unsubscribed"; a listener added in a round does not hear it. */
static void
test_map_queued_unsubscribed (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = isle_map_new ("queued", g_variant_new_parsed ("{'a': <0>}"));
  QueuedData q = { log, map, 0 };

  isle_map_listen_changes (map, queued_a_cb, &q, NULL);
  q.unbind_b = isle_map_listen_changes (map, queued_b_cb, &q, NULL);

  set_int (map, "a", 1);
  assert_log (log, "a1 b1");
  set_int (map, "a", 2);
  assert_log (log, "a2 c2");

  g_assert_finalize_object (map);
}

typedef struct
{
  GPtrArray *compared;   /* "key:old" */
} EqData;

static gboolean
same_case_insensitive_cb (IsleMap    *map,
                          const char *key,
                          GVariant   *old_value,
                          GVariant   *value,
                          gpointer    user_data)
{
  EqData *eq = user_data;

  g_ptr_array_add (eq->compared, g_strdup_printf ("%s:%s", key,
                   old_value != NULL ? g_variant_get_string (old_value, NULL) : "-"));

  return old_value != NULL &&
         g_ascii_strcasecmp (g_variant_get_string (old_value, NULL),
                             g_variant_get_string (value, NULL)) == 0;
}

static GVariant *
shout_cb (IsleMap *map, const char *key, GVariant *current, gpointer user_data)
{
  g_autofree char *upper = g_ascii_strup (g_variant_get_string (current, NULL), -1);

  return g_variant_new_string (upper);
}

static gboolean
always_equal_cb (IsleMap *map, const char *key, GVariant *old_value, GVariant *value, gpointer data)
{
  guint *calls = data;

  (*calls)++;
  return TRUE;
}

static gboolean
never_equal_cb (IsleMap *map, const char *key, GVariant *old_value, GVariant *value, gpointer data)
{
  guint *calls = data;

  (*calls)++;
  return FALSE;
}

static gboolean
count_equal_cb (GVariant *a, GVariant *b, gpointer user_data)
{
  g_autoptr(GVariant) ca = g_variant_lookup_value (a, "count", NULL);
  g_autoptr(GVariant) cb = g_variant_lookup_value (b, "count", NULL);

  return ca != NULL && cb != NULL && g_variant_equal (ca, cb);
}

/* nanostores map/index.test.ts: "uses custom eqKey to skip equal key
 * writes", "passes undefined to eqKey for a key that is not set yet",
 * "deletes keys even when eqKey says values are equal", "uses eq for whole
 * value writes and eqKey only for key writes". */
static void
test_map_key_equal (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe p = { .log = log, .tag = "P" };
  EqData eq = { g_ptr_array_new_with_free_func (g_free) };
  IsleMap *map = isle_map_new ("eq-key", g_variant_new_parsed ("{'name': <'Ada'>}"));
  g_autoptr(GVariant) name = NULL;
  guint destroyed = 0;
  guint calls = 0;

  isle_map_set_key_equal_func (map, same_case_insensitive_cb, &eq, NULL);
  isle_map_listen_changes (map, change_probe_cb, &p, NULL);

  isle_map_set_key (map, "name", g_variant_new_string ("ADA"));
  assert_log (log, "");
  g_assert_cmpuint (eq.compared->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (eq.compared, 0), ==, "name:Ada");
  name = isle_map_get_key (map, "name");
  g_assert_cmpstr (g_variant_get_string (name, NULL), ==, "Ada");

  isle_map_set_key (map, "name", g_variant_new_string ("Grace"));
  assert_log (log, "P:name:{'name': <'Grace'>}<{'name': <'Ada'>}");
  g_assert_cmpuint (eq.compared->len, ==, 2);

  /* A key not set yet: the old value is NULL. */
  isle_map_set_key (map, "nick", g_variant_new_string ("g"));
  g_assert_cmpuint (eq.compared->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (eq.compared, 2), ==, "nick:-");
  assert_log (log, "P:nick:{'name': <'Grace'>, 'nick': <'g'>}<{'name': <'Grace'>}");

  /* update_key asks it as well. */
  g_assert_false (isle_map_update_key (map, "name", shout_cb, NULL));
  g_assert_cmpuint (eq.compared->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (eq.compared, 3), ==, "name:Grace");
  g_clear_pointer (&name, g_variant_unref);
  name = isle_map_get_key (map, "name");
  g_assert_cmpstr (g_variant_get_string (name, NULL), ==, "Grace");
  assert_log (log, "");

  /* Replacing the equality frees the old data; the map frees the last. */
  isle_map_set_key_equal_func (map, always_equal_cb, &calls, count_destroy);
  isle_map_set_key_equal_func (map, always_equal_cb, &destroyed, count_destroy);
  g_assert_cmpuint (calls, ==, 1);
  g_ptr_array_unref (eq.compared);
  g_assert_finalize_object (map);
  g_assert_cmpuint (destroyed, ==, 1);

  /* Removing a key never asks it: a removal is always a change. */
  map = isle_map_new ("eq-delete", g_variant_new_parsed ("{'a': <1>}"));
  calls = 0;
  isle_map_set_key_equal_func (map, always_equal_cb, &calls, NULL);
  isle_map_listen_changes (map, change_probe_cb, &p, NULL);
  set_int (map, "a", 2);
  g_assert_cmpuint (calls, ==, 1);
  assert_log (log, "");
  g_assert_true (isle_map_delete_key (map, "a"));
  g_assert_cmpuint (calls, ==, 1);
  assert_log (log, "P:a:{}<{'a': <1>}");
  g_assert_finalize_object (map);

  /* The whole value: the store's equality, never the key one. */
  map = isle_map_new ("eq-whole", g_variant_new_parsed ("{'count': <1>}"));
  calls = 0;
  isle_store_set_equal_func (ISLE_STORE (map), count_equal_cb, NULL, NULL);
  isle_map_set_key_equal_func (map, never_equal_cb, &calls, NULL);
  isle_map_listen_changes (map, change_probe_cb, &p, NULL);
  isle_map_replace (map, g_variant_new_parsed ("{'count': <1>, 'extra': <0>}"));
  assert_log (log, "");
  assert_key_unset (map, "extra");
  isle_map_replace (map, g_variant_new_parsed ("{'count': <2>}"));
  assert_log (log, "P:-:{'count': <2>}<{'count': <1>}");
  g_assert_cmpuint (calls, ==, 0);
  g_assert_finalize_object (map);
}

static void
key_names_cb (IsleMap *map, GVariant *value, GVariant *old_value, const char *key, gpointer data)
{
  GString *log = data;
  GVariantIter iter;
  const char *name;

  log_space (log);
  g_string_append_c (log, '[');
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    g_string_append (log, name);
  g_string_append_c (log, ']');
}

/* nanostores map/index.test.ts "deletes keys on undefined value". */
static void
test_map_delete_key (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GString) keys = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };
  IsleMap *map = isle_map_new ("delete", NULL);

  isle_map_listen_changes (map, key_names_cb, keys, NULL);
  isle_map_listen_keys (map, (const char *[]) { "a", NULL }, key_probe_cb, &k, NULL);

  set_int (map, "a", 1);
  g_assert_true (isle_map_delete_key (map, "a"));
  assert_log (keys, "[a] []");
  assert_log (log, "K:a=1<- K:a=-<1");

  /* Not there: FALSE, and nobody hears anything. */
  g_assert_false (isle_map_delete_key (map, "a"));
  g_assert_false (isle_map_delete_key (map, "never"));
  assert_log (keys, "");
  assert_log (log, "");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*key != NULL*");
  g_assert_false (isle_map_delete_key (map, NULL));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (map);
}

typedef struct
{
  GString *log;
  guint    destroyed;
} FilterData;

/* Quantities are clamped to 0..9; "locked" cannot change; "gone" cannot be
 * set (setting it removes it); a whole dictionary with "reject" is
 * refused, one with "wrong" becomes a wrong type. */
static GVariant *
filter_cb (IsleMap    *map,
           const char *key,
           GVariant   *value,
           GVariant   *old_value,
           gpointer    user_data)
{
  FilterData *data = user_data;
  g_autofree char *new_text = print_or_dash (value);
  g_autofree char *old_text = print_or_dash (old_value);

  log_space (data->log);
  g_string_append_printf (data->log, "F(%s:%s<%s)", key != NULL ? key : "-", new_text, old_text);

  if (key == NULL)
    {
      if (g_variant_lookup (value, "reject", "b", NULL))
        return NULL;
      if (g_variant_lookup (value, "wrong", "b", NULL))
        return g_variant_new_int32 (1);
      return g_variant_ref (value);
    }

  if (g_str_equal (key, "locked"))
    return old_value != NULL ? g_variant_ref (old_value) : NULL;
  if (g_str_equal (key, "gone"))
    return NULL;
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_new_int32 (CLAMP (g_variant_get_int32 (value), 0, 9));

  return value != NULL ? g_variant_ref (value) : NULL;
}

static void
filter_destroy (gpointer user_data)
{
  FilterData *data = user_data;

  data->destroyed++;
}

static GVariant *
add_five_cb (IsleMap *map, const char *key, GVariant *current, gpointer user_data)
{
  return g_variant_new_int32 ((current != NULL ? g_variant_get_int32 (current) : 0) + 5);
}

/* nanostores lifecycle/index.test.ts "onSet" ("can cancel changes",
 * "can change the value") for a map: per key and for the whole map. */
static void
test_map_filter (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GString) heard = g_string_new (NULL);
  FilterData data = { log, 0 };
  Probe p = { .log = heard, .tag = "P" };
  IsleMap *map = isle_map_new ("filtered", g_variant_new_parsed ("{'locked': <1>}"));
  g_autoptr(GVariant) dict = NULL;

  isle_map_set_filter (map, filter_cb, &data, filter_destroy);
  isle_map_listen_changes (map, change_probe_cb, &p, NULL);

  /* Replaced: clamped. */
  set_int (map, "q", 42);
  assert_log (log, "F(q:42<-)");
  assert_key_int (map, "q", 9);
  assert_log (heard, "P:q:{'locked': <1>, 'q': <9>}<{'locked': <1>}");

  /* Rejected: the filter returns the old value, nothing changes. */
  set_int (map, "locked", 2);
  assert_log (log, "F(locked:2<1)");
  assert_key_int (map, "locked", 1);
  g_assert_false (isle_map_delete_key (map, "locked"));
  assert_log (log, "F(locked:-<1)");
  assert_key_int (map, "locked", 1);
  assert_log (heard, "");

  /* NULL removes (or keeps a key away). */
  isle_map_set_key (map, "gone", g_variant_new_string ("x"));
  assert_log (log, "F(gone:'x'<-)");
  assert_key_unset (map, "gone");
  assert_log (heard, "");

  /* update_key goes through it too. */
  g_assert_true (isle_map_update_key (map, "q", add_five_cb, NULL) == FALSE);
  assert_log (log, "F(q:14<9)");
  set_int (map, "q", 1);
  g_string_truncate (log, 0);
  g_string_truncate (heard, 0);
  g_assert_true (isle_map_update_key (map, "q", add_five_cb, NULL));
  assert_log (log, "F(q:6<1)");
  assert_key_int (map, "q", 6);
  g_string_truncate (heard, 0);

  /* The whole dictionary: key NULL; NULL rejects. */
  isle_map_replace (map, g_variant_new_parsed ("{'reject': <true>}"));
  assert_log (log, "F(-:{'reject': <true>}<{'locked': <1>, 'q': <6>})");
  assert_key_int (map, "q", 6);
  g_object_set (map, "value", g_variant_new_parsed ("{'z': <0>}"), NULL);
  assert_log (log, "F(-:{'z': <0>}<{'locked': <1>, 'q': <6>})");
  assert_key_int (map, "z", 0);
  assert_log (heard, "P:-:{'z': <0>}<{'locked': <1>, 'q': <6>}");

  /* A filter that returns no dictionary: a critical, no change. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*filter*map “filtered”*not a dictionary*");
  isle_map_replace (map, g_variant_new_parsed ("{'wrong': <true>}"));
  g_test_assert_expected_messages ();
  g_string_truncate (log, 0);
  dict = isle_store_get_value (ISLE_STORE (map));
  g_assert_cmpuint (g_variant_n_children (dict), ==, 1);
  assert_log (heard, "");

  /* Removed: the data is freed, sets go straight in. */
  isle_map_set_filter (map, NULL, NULL, NULL);
  g_assert_cmpuint (data.destroyed, ==, 1);
  set_int (map, "q", 42);
  assert_key_int (map, "q", 42);
  assert_log (log, "");

  isle_map_set_filter (map, filter_cb, &data, filter_destroy);
  g_assert_finalize_object (map);
  g_assert_cmpuint (data.destroyed, ==, 2);
}

/* nanostores listen-keys/index.test.ts "can subscribe to changes and call
 * listener immediately". */
static void
test_map_subscribe_keys (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };
  IsleMap *map = isle_map_new ("subscribe-keys", g_variant_new_parsed ("{'a': <1>, 'b': <1>}"));
  guint handle;

  handle = isle_map_subscribe_keys (map, (const char *[]) { "a", "unset", NULL },
                                    any_key_probe_cb, &k, NULL);
  assert_log (log, "K:a=1<- K:unset=-<-");

  set_int (map, "b", 2);
  assert_log (log, "");
  set_int (map, "a", 2);
  assert_log (log, "K:a=2<1");
  set_int (map, "a", 3);
  assert_log (log, "K:a=3<2");
  set_int (map, "b", 3);
  assert_log (log, "");

  isle_store_unsubscribe (ISLE_STORE (map), handle);
  set_int (map, "a", 4);
  assert_log (log, "");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*keys != NULL*");
  g_assert_cmpuint (isle_map_subscribe_keys (map, NULL, any_key_probe_cb, &k, NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_assert_finalize_object (map);
}

/* nanostores listen-keys/index.test.ts: "does not fire when whole-store
 * set leaves watched keys unchanged", "fires for whole-store set when a
 * watched key is newly added", "... is removed", "never fires without
 * watched keys", "keeps plain map keys containing a dot working". */
static void
test_map_listen_keys_peer (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  Probe k = { .log = log, .tag = "K" };
  Probe none = { .log = log, .tag = "N" };
  IsleMap *map = isle_map_new ("listen-keys-peer",
                               g_variant_new_parsed ("{'a': <1>, 'b': <2>, 'c': <3>}"));

  isle_map_listen_keys (map, (const char *[]) { "a", "b", NULL }, key_probe_cb, &k, NULL);
  isle_map_listen_keys (map, (const char *[]) { NULL }, key_probe_cb, &none, NULL);

  isle_map_replace (map, g_variant_new_parsed ("{'a': <1>, 'b': <2>, 'c': <99>}"));
  assert_log (log, "");
  isle_map_replace (map, g_variant_new_parsed ("{'a': <1>, 'b': <99>, 'c': <99>}"));
  assert_log (log, "K:b=99<2");
  isle_map_replace (map, g_variant_new_parsed ("{'a': <99>, 'b': <99>, 'c': <99>}"));
  assert_log (log, "K:a=99<1");
  g_assert_finalize_object (map);

  map = isle_map_new ("added-removed", g_variant_new_parsed ("{'b': <1>}"));
  isle_map_listen_keys (map, (const char *[]) { "a", NULL }, key_probe_cb, &k, NULL);
  isle_map_replace (map, g_variant_new_parsed ("{'a': <1>, 'b': <1>}"));
  assert_log (log, "K:a=1<-");
  isle_map_replace (map, g_variant_new_parsed ("{'b': <1>}"));
  assert_log (log, "K:a=-<1");
  g_assert_finalize_object (map);

  /* A dot in a plain key is part of the key. */
  map = isle_map_new ("dotted", g_variant_new_parsed ("{'a.b': <'one'>}"));
  isle_map_listen_keys (map, (const char *[]) { "a.b", NULL }, key_probe_cb, &k, NULL);
  isle_map_replace (map, g_variant_new_parsed ("{'a.b': <'two'>}"));
  assert_log (log, "K:a.b='two'<'one'");
  isle_map_replace (map, g_variant_new_parsed ("{'a.b': <'two'>}"));
  isle_map_set_key (map, "a.b", g_variant_new_string ("two"));
  assert_log (log, "");
  isle_map_set_key (map, "a.b", g_variant_new_string ("three"));
  assert_log (log, "K:a.b='three'<'two'");
  g_assert_null (isle_map_get_path (map, "a.b"));
  g_assert_finalize_object (map);
}

/* }}} */

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
  g_test_add_func ("/Isle/Map/changed-key", test_map_changed_key);
  g_test_add_func ("/Isle/Map/changes-peer", test_map_changes_peer);
  g_test_add_func ("/Isle/Map/queued-unsubscribed", test_map_queued_unsubscribed);
  g_test_add_func ("/Isle/Map/key-equal", test_map_key_equal);
  g_test_add_func ("/Isle/Map/delete-key", test_map_delete_key);
  g_test_add_func ("/Isle/Map/filter", test_map_filter);
  g_test_add_func ("/Isle/Map/subscribe-keys", test_map_subscribe_keys);
  g_test_add_func ("/Isle/Map/listen-keys-peer", test_map_listen_keys_peer);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
