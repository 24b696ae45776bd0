/* test-deep-map.c: unit tests for the path keys of IsleMap (a deep map)
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The expectations of nanostores' deep-map/path.test.ts,
 * deep-map/index.test.ts and listen-keys/index.test.ts, each test naming
 * the peer test it comes from, written anew over GVariant values.
 */

#include <string.h>

#include "isle-stores.h"
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* Helpers {{{ */

static IsleMap *
map_from (const char *text)
{
  return isle_map_new (NULL, g_variant_new_parsed (text));
}

/* The value at @path, printed; "-" for none. */
static char *
path_text (IsleMap    *map,
           const char *path)
{
  g_autoptr(GVariant) value = isle_map_get_path (map, path);

  return value != NULL ? g_variant_print (value, FALSE) : g_strdup ("-");
}

#define assert_path(map, path, expected) G_STMT_START {  \
  g_autofree char *_text = path_text ((map), (path));   \
  g_assert_cmpstr (_text, ==, (expected));             \
} G_STMT_END

#define assert_map(map, expected) G_STMT_START {                           \
  g_autoptr(GVariant) _dict = isle_store_get_value (ISLE_STORE (map));     \
  g_autofree char *_text = g_variant_print (_dict, FALSE);                 \
  g_assert_cmpstr (_text, ==, (expected));                                \
} G_STMT_END

static void
set_path (IsleMap    *map,
          const char *path,
          GVariant   *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (isle_map_set_path (map, path, value, &error));
  g_assert_no_error (error);
}

static void
log_path_cb (IsleMap    *map,
             const char *path,
             GVariant   *value,
             GVariant   *old_value,
             gpointer    user_data)
{
  GString *log = user_data;
  g_autofree char *new_text = value != NULL ? g_variant_print (value, FALSE) : g_strdup ("-");
  g_autofree char *old_text = old_value != NULL ? g_variant_print (old_value, FALSE) : g_strdup ("-");

  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append_printf (log, "%s=%s<%s", path, new_text, old_text);
}

static void
log_change_cb (IsleMap    *map,
               GVariant   *value,
               GVariant   *old_value,
               const char *changed_key,
               gpointer    user_data)
{
  GString *log = user_data;
  g_autofree char *old_text = old_value != NULL ? g_variant_print (old_value, FALSE) : g_strdup ("-");

  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append_printf (log, "%s<%s", changed_key != NULL ? changed_key : "-", old_text);
}

/* }}} */

/* deep-map/path.test.ts "path evaluates correct value", "path returns
 * undefined for keys under null or undefined values"; deep-map/index.test.ts
 * "getKey returns correct value for simple keys / nested keys / array
 * indices", "getKey returns undefined for keys under a null value". */
static void
test_deep_map_get_path (void)
{
  IsleMap *map = map_from ("{'a': <'123'>, "
                           " 'b': <{'c': <123>, 'd': <[<{'e': <123>}>]>}>, "
                           " 'f': <[<[<1>, <2>]>, <[<{'g': <3>}>, <4>]>]>, "
                           " 'n': <@mv nothing>, "
                           " 'items': <['apple', 'banana']>, "
                           " 't': <(1, 'two')>}");

  assert_path (map, "a", "'123'");
  assert_path (map, "b.c", "123");
  assert_path (map, "b.d[0]", "{'e': <123>}");
  assert_path (map, "b.d[0].e", "123");
  assert_path (map, "f[0][1]", "2");
  assert_path (map, "f[1][0].g", "3");
  assert_path (map, "abra.cadabra.booms", "-");

  /* A typed array, a tuple, and a name of digits on an array. */
  assert_path (map, "items[0]", "'apple'");
  assert_path (map, "items[1]", "'banana'");
  assert_path (map, "items[2]", "-");
  assert_path (map, "items.1", "'banana'");
  assert_path (map, "t[1]", "'two'");

  /* Nothing below a null, a scalar, a missing key. */
  assert_path (map, "n", "-");
  assert_path (map, "n.b", "-");
  assert_path (map, "a.b", "-");
  assert_path (map, "b.c.d.e", "-");
  assert_path (map, "b[0]", "-");

  /* A malformed path reads as nothing. */
  assert_path (map, "", "-");
  assert_path (map, "a..b", "-");
  assert_path (map, "items[x]", "-");
  assert_path (map, "[0]", "-");

  g_assert_finalize_object (map);
}

/* deep-map/path.test.ts "simple path setting", "creating objects",
 * "creating arrays", "nested arrays path setting", "removes arrays",
 * "setting path with numbers inside does not produce any unnecessary
 * stuff inside"; deep-map/index.test.ts "keys starting with numbers do not
 * create unnecessary arrays", "setKey can set a deep key when an
 * intermediate value is null". */
static void
test_deep_map_set_path (void)
{
  IsleMap *map = map_from ("{'a': <{'e': <123>}>, 'f': <''>}");
  g_autoptr(GError) error = NULL;

  set_path (map, "f", g_variant_new_string ("hey"));
  assert_map (map, "{'a': <{'e': <123>}>, 'f': <'hey'>}");
  g_assert_finalize_object (map);

  map = map_from ("@a{sv} {}");
  set_path (map, "a.b.c.d", g_variant_new_string ("val"));
  assert_path (map, "a.b.c.d", "'val'");
  assert_map (map, "{'a': <{'b': <{'c': <{'d': <'val'>}>}>}>}");
  g_assert_finalize_object (map);

  /* A new array; past its end, nulls fill the gap. */
  map = map_from ("@a{sv} {}");
  set_path (map, "a[0]", g_variant_new_string ("val"));
  assert_map (map, "{'a': <[<'val'>]>}");
  set_path (map, "a[3]", g_variant_new_string ("val3"));
  assert_map (map, "{'a': <[<'val'>, <@mv nothing>, <@mv nothing>, <'val3'>]>}");
  assert_path (map, "a[1]", "-");

  /* A null is there: it can be removed. */
  set_path (map, "a[1]", NULL);
  assert_map (map, "{'a': <[<'val'>, <@mv nothing>, <'val3'>]>}");
  g_assert_finalize_object (map);

  map = map_from ("{'a': <[<{'b': <[<[<[<{'c': <1>}>]>]>]>, 'd': <[<[<{'e': <'val1'>}>]>]>}>]>}");
  set_path (map, "a[0].b[0][0][0].c", g_variant_new_int32 (2));
  set_path (map, "a[0].d[0][1]", g_variant_new_parsed ("{'e': <'val2'>}"));
  assert_map (map, "{'a': <[<{'b': <[<[<[<{'c': <2>}>]>]>]>, "
                   "'d': <[<[<{'e': <'val1'>}>, <{'e': <'val2'>}>]>]>}>]>}");
  g_assert_finalize_object (map);

  /* NULL removes an element; the later ones move up. */
  map = map_from ("{'a': <[<'a'>, <'b'>, <'c'>]>}");
  set_path (map, "a[1]", NULL);
  assert_map (map, "{'a': <[<'a'>, <'c'>]>}");
  set_path (map, "a[1]", NULL);
  set_path (map, "a[0]", NULL);
  assert_map (map, "{'a': <@av []>}");
  set_path (map, "a[5]", NULL);
  set_path (map, "x.y", NULL);
  assert_map (map, "{'a': <@av []>}");
  g_assert_finalize_object (map);

  /* Names with digits are keys, not indices. */
  map = map_from ("@a{sv} {}");
  set_path (map, "123key", g_variant_new_string ("value"));
  set_path (map, "key123", g_variant_new_string ("value"));
  set_path (map, "key.100key", g_variant_new_string ("value"));
  assert_map (map, "{'123key': <'value'>, 'key123': <'value'>, 'key': <{'100key': <'value'>}>}");
  g_assert_finalize_object (map);

  /* A null (an empty maybe) or a scalar on the way becomes a level. */
  map = map_from ("{'a': <@mv nothing>, 's': <1>}");
  set_path (map, "a.b", g_variant_new_int32 (1));
  set_path (map, "s[0]", g_variant_new_int32 (2));
  assert_map (map, "{'a': <{'b': <1>}>, 's': <[<2>]>}");
  g_assert_finalize_object (map);

  /* A typed array takes its own element type, and no gap. */
  map = map_from ("{'items': <['apple', 'banana']>}");
  set_path (map, "items[1]", g_variant_new_string ("cherry"));
  set_path (map, "items[2]", g_variant_new_string ("date"));
  assert_map (map, "{'items': <['apple', 'cherry', 'date']>}");
  g_assert_false (isle_map_set_path (map, "items[0]", g_variant_new_int32 (1), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  g_assert_false (isle_map_set_path (map, "items[9]", g_variant_new_string ("x"), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_FAILED);
  g_clear_error (&error);
  assert_map (map, "{'items': <['apple', 'cherry', 'date']>}");
  g_assert_finalize_object (map);
}

/* deep-map/path.test.ts "changes object reference at this level and
 * earlier levels when key is changed", "array items mutation changes
 * identity on the same and earlier levels": the levels above the change
 * are new values; a sibling is the same value, not a copy. */
static void
test_deep_map_identity (void)
{
  IsleMap *map = map_from ("{'a': <{'b': <{'c': <{'d': <[<{'a': <1>}>, <{'a': <2>}>]>}>}>}>, "
                           " 'z': <{'big': <'sibling'>}>}");
  g_autoptr(GVariant) before = isle_store_get_value (ISLE_STORE (map));
  g_autoptr(GVariant) after = NULL;
  g_autoptr(GVariant) z_before = NULL;
  g_autoptr(GVariant) z_after = NULL;
  guint64 version = isle_store_get_version (ISLE_STORE (map));

  set_path (map, "a.b.c.d[1].a", g_variant_new_int32 (3));
  after = isle_store_get_value (ISLE_STORE (map));
  g_assert_true (after != before);
  g_assert_false (g_variant_equal (after, before));
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (map)), ==, version + 1);
  assert_path (map, "a.b.c.d[1]", "{'a': <3>}");
  assert_path (map, "a.b.c.d[0]", "{'a': <1>}");

  /* The untouched sibling holds the same bytes (copied whole, not rebuilt). */
  z_before = g_variant_lookup_value (before, "z", NULL);
  z_after = g_variant_lookup_value (after, "z", NULL);
  g_assert_true (g_variant_equal (z_before, z_after));

  /* The same value at the path: no change, no new version. */
  set_path (map, "a.b.c.d[1].a", g_variant_new_int32 (3));
  g_assert_cmpuint (isle_store_get_version (ISLE_STORE (map)), ==, version + 1);

  g_assert_finalize_object (map);
}

/* deep-map/index.test.ts "notifies correct previous value from deep
 * store", "passes previous value to listeners", "deletes keys on undefined
 * value", "does not call listeners on no changes": whole-map listeners hear
 * the path as the changed key, with the whole old value. */
static void
test_deep_map_changed_path (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = map_from ("{'a': <0>, 'b': <{'nested': <{'deep': <0>}>}>}");

  isle_map_listen_changes (map, log_change_cb, log, NULL);

  set_path (map, "a", g_variant_new_int32 (1));
  set_path (map, "b.nested.deep", g_variant_new_int32 (1));
  set_path (map, "b.nested.deep", g_variant_new_int32 (2));
  assert_log (log, "a<{'a': <0>, 'b': <{'nested': <{'deep': <0>}>}>} "
                   "b.nested.deep<{'a': <1>, 'b': <{'nested': <{'deep': <0>}>}>} "
                   "b.nested.deep<{'a': <1>, 'b': <{'nested': <{'deep': <1>}>}>}");

  set_path (map, "b.nested.deep", g_variant_new_int32 (2));
  set_path (map, "a", g_variant_new_int32 (1));
  assert_log (log, "");

  set_path (map, "a", NULL);
  assert_log (log, "a<{'a': <1>, 'b': <{'nested': <{'deep': <2>}>}>}");
  assert_map (map, "{'b': <{'nested': <{'deep': <2>}>}>}");

  g_assert_finalize_object (map);
}

/* listen-keys/index.test.ts "listens for deep keys on whole-store set",
 * "listens for array paths on whole-store set"; a path is heard exactly
 * when its value changes, whichever key or path the change came through. */
static void
test_deep_map_listen_paths (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = map_from ("{'profile': <{'age': <1>, 'name': <'a'>}>, 'list': <[<1>, <2>]>}");
  guint handle;

  handle = isle_map_listen_paths (map, (const char *[]) { "profile.name", "list[1]", NULL },
                                  log_path_cb, log, NULL);
  assert_log (log, "");

  isle_map_replace (map, g_variant_new_parsed ("{'profile': <{'age': <1>, 'name': <'b'>}>, "
                                               "'list': <[<1>, <2>]>}"));
  assert_log (log, "profile.name='b'<'a'");
  isle_map_replace (map, g_variant_new_parsed ("{'profile': <{'age': <2>, 'name': <'b'>}>, "
                                               "'list': <[<1>, <2>]>}"));
  assert_log (log, "");
  isle_map_replace (map, g_variant_new_parsed ("{'profile': <{'age': <2>, 'name': <'b'>}>, "
                                               "'list': <[<1>, <3>]>}"));
  assert_log (log, "list[1]=3<2");
  isle_map_replace (map, g_variant_new_parsed ("{'profile': <{'age': <2>, 'name': <'b'>}>, "
                                               "'list': <[<9>, <3>]>}"));
  assert_log (log, "");

  /* Through a path, a parent, a sibling, a plain key. */
  set_path (map, "profile.name", g_variant_new_string ("c"));
  assert_log (log, "profile.name='c'<'b'");
  set_path (map, "profile.age", g_variant_new_int32 (3));
  assert_log (log, "");
  set_path (map, "profile", g_variant_new_parsed ("{'name': <'d'>}"));
  assert_log (log, "profile.name='d'<'c'");
  isle_map_set_key (map, "list", g_variant_new_parsed ("[<0>]"));
  assert_log (log, "list[1]=-<3");
  set_path (map, "list[1]", g_variant_new_int32 (5));
  assert_log (log, "list[1]=5<-");
  isle_map_delete_key (map, "profile");
  assert_log (log, "profile.name=-<'d'");

  isle_store_unsubscribe (ISLE_STORE (map), handle);
  set_path (map, "profile.name", g_variant_new_string ("e"));
  assert_log (log, "");

  g_assert_finalize_object (map);
}

/* subscribe_paths: called at once for each path (listen-keys/index.test.ts
 * "can subscribe to changes and call listener immediately", on paths). */
/* nanostores' notify (oldValue, changedKey) on a deep map: a notification
 * naming a key or a path reaches the path listeners at, under and above
 * it (with the value there as new and old), not the unrelated ones; one
 * naming nothing reaches every path that is set. */
static void
test_deep_map_notify_path (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = map_from ("{'a': <{'x': <1>}>, 'ab': <2>, 'b': <{'c': <3>}>, "
                           "'items': <[<4>, <5>]>}");
  guint handle;

  handle = isle_map_listen_paths (map, (const char *[]) { "a.x", "ab", "b.c", "items[1]", NULL },
                                  log_path_cb, log, NULL);

  isle_store_notify_listeners (ISLE_STORE (map), "a");
  assert_log (log, "a.x=1<1");
  isle_store_notify_listeners (ISLE_STORE (map), "a.x.deeper");
  assert_log (log, "a.x=1<1");
  isle_store_notify_listeners (ISLE_STORE (map), "items");
  assert_log (log, "items[1]=5<5");
  isle_store_notify_listeners (ISLE_STORE (map), "nothing");
  assert_log (log, "");
  isle_store_notify_listeners (ISLE_STORE (map), NULL);
  assert_log (log, "a.x=1<1 ab=2<2 b.c=3<3 items[1]=5<5");

  isle_store_unsubscribe (ISLE_STORE (map), handle);
  g_assert_finalize_object (map);
}

static void
test_deep_map_subscribe_paths (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = map_from ("{'a': <{'b': <1>}>}");

  isle_map_subscribe_paths (map, (const char *[]) { "a.b", "a.c", NULL }, log_path_cb, log, NULL);
  assert_log (log, "a.b=1<- a.c=-<-");
  set_path (map, "a.c", g_variant_new_int32 (2));
  assert_log (log, "a.c=2<-");

  g_assert_finalize_object (map);
}

static GVariant *
double_ints_cb (IsleMap    *map,
                const char *key,
                GVariant   *value,
                GVariant   *old_value,
                gpointer    user_data)
{
  GString *log = user_data;

  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append (log, key != NULL ? key : "-");

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_new_int32 (2 * g_variant_get_int32 (value));

  return value != NULL ? g_variant_ref (value) : NULL;
}

static gboolean
never_equal_cb (IsleMap *map, const char *key, GVariant *old_value, GVariant *value, gpointer data)
{
  GString *log = data;

  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append_printf (log, "eq(%s)", key);

  return FALSE;
}

/* The filter and the key equality see the path as the key. */
static void
test_deep_map_filter (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = map_from ("@a{sv} {}");

  isle_map_set_filter (map, double_ints_cb, log, NULL);
  isle_map_set_key_equal_func (map, never_equal_cb, log, NULL);
  set_path (map, "form.count", g_variant_new_int32 (4));
  assert_log (log, "form.count eq(form.count)");
  assert_path (map, "form.count", "8");

  g_assert_finalize_object (map);
}

static void
test_deep_map_bad_input (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  IsleMap *map = map_from ("{'s': <{'n': <1>}>, 'typed': <{'x': 1}>}");
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "", "a.", ".a", "a..b", "a[", "a[]", "a[-1]", "a[1", "a]b", "[0]", "a[0]b" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (isle_map_set_path (map, bad[i], g_variant_new_int32 (1), &error));
      g_assert_error (error, ISLE_ERROR, ISLE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "is not a path"));
      g_clear_error (&error);
    }

  /* A dictionary other than a{sv} is read, never written. */
  assert_path (map, "typed.x", "1");
  g_assert_false (isle_map_set_path (map, "typed.x", g_variant_new_int32 (2), &error));
  g_assert_error (error, ISLE_ERROR, ISLE_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  assert_map (map, "{'s': <{'n': <1>}>, 'typed': <{'x': 1}>}");

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*map*is not a path*");
  g_assert_cmpuint (isle_map_listen_paths (map, (const char *[]) { "ok", "a..b", NULL },
                                           log_path_cb, log, NULL), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (map)), ==, 0);

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*path != NULL*");
  g_assert_false (isle_map_set_path (map, NULL, g_variant_new_int32 (1), NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*path != NULL*");
  g_assert_null (isle_map_get_path (map, NULL));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (map);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/DeepMap/get-path", test_deep_map_get_path);
  g_test_add_func ("/Isle/DeepMap/set-path", test_deep_map_set_path);
  g_test_add_func ("/Isle/DeepMap/identity", test_deep_map_identity);
  g_test_add_func ("/Isle/DeepMap/changed-path", test_deep_map_changed_path);
  g_test_add_func ("/Isle/DeepMap/listen-paths", test_deep_map_listen_paths);
  g_test_add_func ("/Isle/DeepMap/notify-path", test_deep_map_notify_path);
  g_test_add_func ("/Isle/DeepMap/subscribe-paths", test_deep_map_subscribe_paths);
  g_test_add_func ("/Isle/DeepMap/filter", test_deep_map_filter);
  g_test_add_func ("/Isle/DeepMap/bad-input", test_deep_map_bad_input);

  return g_test_run ();
}

/* vim:set foldmethod=marker: */
