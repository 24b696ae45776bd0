/* test-state.c: unit tests for IsleState
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include "isle-stores.h"

#define TEST_COMMON_FIXTURE
#include "test-common.h"

#define ISLE_LOG_DOMAIN "Isle"

/* A watch is an effect that reads one state (through the generic getter, so
 * it works for every type) and counts its runs. The effect owns the watch. */
typedef struct {
  IsleState *state;
  guint      runs;
} Watch;

static gboolean
watch_cb (IsleEffect  *effect,
          gpointer     user_data,
          GError     **error)
{
  Watch *watch = user_data;
  GValue value = G_VALUE_INIT;

  isle_state_get_value (watch->state, &value);
  g_value_unset (&value);
  watch->runs++;

  return TRUE;
}

static Watch *
watch_new (IsleGraph *graph,
           IsleState *state)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->state = state;
  isle_effect_new (graph, watch_cb, watch, g_free);
  isle_graph_flush (graph);
  g_assert_cmpuint (watch->runs, ==, 1);

  return watch;
}

/* The last set must not have queued anything; a flush must not rerun. */
static void
assert_silent (IsleGraph *graph,
               Watch     *watch)
{
  guint runs = watch->runs;

  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 0);
  isle_graph_flush (graph);
  g_assert_cmpuint (watch->runs, ==, runs);
}

/* The last set(s) must have queued the watch once; a flush reruns it once. */
static void
assert_rerun (IsleGraph *graph,
              Watch     *watch)
{
  guint runs = watch->runs;

  g_assert_cmpuint (isle_graph_get_n_pending (graph), ==, 1);
  isle_graph_flush (graph);
  g_assert_cmpuint (watch->runs, ==, runs + 1);
}

static gboolean
same_id_equal (const GValue *a,
               const GValue *b,
               gpointer      user_data)
{
  GObject *oa = g_value_get_object (a);
  GObject *ob = g_value_get_object (b);

  if (oa == NULL || ob == NULL)
    return oa == ob;

  return g_object_get_data (oa, "id") == g_object_get_data (ob, "id");
}

static gboolean
same_tens_equal (const GValue *a,
                 const GValue *b,
                 gpointer      user_data)
{
  return g_value_get_int (a) / 10 == g_value_get_int (b) / 10;
}

static GObject *
object_with_id (const char *id)
{
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (object, "id", (gpointer) id);

  return object;
}

/* Constructors, defaults and the plain accessors. */

static void
test_state_new (Fixture       *fixture,
                gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  IsleState *state;

  state = isle_state_new (graph, G_TYPE_INT);
  g_assert_nonnull (state);
  g_assert_true (isle_state_get_graph (state) == graph);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_INT);
  g_assert_cmpint (isle_state_get_int (state), ==, 0);
  g_assert_false (isle_state_is_disposed (state));
  g_assert_null (isle_state_get_name (state));
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 1);

  isle_state_set_name (state, "count");
  g_assert_cmpstr (isle_state_get_name (state), ==, "count");
  isle_state_set_name (state, NULL);
  g_assert_null (isle_state_get_name (state));

  /* Each type starts from its default. */
  g_assert_false (isle_state_get_boolean (isle_state_new (graph, G_TYPE_BOOLEAN)));
  g_assert_cmpint (isle_state_get_int64 (isle_state_new (graph, G_TYPE_INT64)), ==, 0);
  g_assert_cmpuint (isle_state_get_uint64 (isle_state_new (graph, G_TYPE_UINT64)), ==, 0);
  g_assert_cmpfloat (isle_state_get_double (isle_state_new (graph, G_TYPE_DOUBLE)), ==, 0.0);
  g_assert_null (isle_state_get_pointer (isle_state_new (graph, G_TYPE_POINTER)));
  g_assert_null (isle_state_get_string (isle_state_new (graph, G_TYPE_STRING)));
  g_assert_null (isle_state_get_variant (isle_state_new (graph, G_TYPE_VARIANT)));
  g_assert_null (isle_state_get_object (isle_state_new (graph, G_TYPE_OBJECT)));
  g_assert_null (isle_state_get_boxed (isle_state_new (graph, G_TYPE_BYTES)));
  g_assert_cmpuint (isle_graph_get_n_nodes (graph), ==, 10);
}

static void
test_state_new_typed (Fixture       *fixture,
                      gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  IsleState *state;
  GObject *object;
  int dummy;

  state = isle_state_new_boolean (graph, TRUE);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_BOOLEAN);
  g_assert_true (isle_state_get_boolean (state));

  state = isle_state_new_int (graph, -42);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_INT);
  g_assert_cmpint (isle_state_get_int (state), ==, -42);

  state = isle_state_new_int64 (graph, G_MININT64);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_INT64);
  g_assert_cmpint (isle_state_get_int64 (state), ==, G_MININT64);

  state = isle_state_new_uint64 (graph, G_MAXUINT64);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_UINT64);
  g_assert_cmpuint (isle_state_get_uint64 (state), ==, G_MAXUINT64);

  state = isle_state_new_double (graph, 0.25);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (isle_state_get_double (state), ==, 0.25);

  state = isle_state_new_pointer (graph, &dummy);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_POINTER);
  g_assert_true (isle_state_get_pointer (state) == &dummy);

  state = isle_state_new_string (graph, "hello");
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_STRING);
  g_assert_cmpstr (isle_state_get_string (state), ==, "hello");

  state = isle_state_new_variant (graph, g_variant_new_int32 (7));
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_VARIANT);
  g_assert_cmpint (g_variant_get_int32 (isle_state_get_variant (state)), ==, 7);

  object = g_object_new (G_TYPE_OBJECT, NULL);
  state = isle_state_new_object (graph, G_TYPE_OBJECT, object);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_OBJECT);
  g_assert_true (isle_state_get_object (state) == object);
  g_object_unref (object);

  state = isle_state_new_object (graph, G_TYPE_SIMPLE_ACTION, NULL);
  g_assert_true (isle_state_get_value_type (state) == G_TYPE_SIMPLE_ACTION);
  g_assert_null (isle_state_get_object (state));
}

static void
test_state_new_value (Fixture       *fixture,
                      gconstpointer  data)
{
  IsleState *state;
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "copied");
  state = isle_state_new_value (fixture->graph, &value);

  /* The state holds its own copy. */
  g_value_set_string (&value, "changed");
  g_value_unset (&value);

  g_assert_true (isle_state_get_value_type (state) == G_TYPE_STRING);
  g_assert_cmpstr (isle_state_get_string (state), ==, "copied");
}

/* Typed get and set round trips. */

static void
test_state_boolean (Fixture       *fixture,
                    gconstpointer  data)
{
  IsleState *state = isle_state_new_boolean (fixture->graph, FALSE);

  isle_state_set_boolean (state, TRUE);
  g_assert_true (isle_state_get_boolean (state));
  isle_state_set_boolean (state, FALSE);
  g_assert_false (isle_state_get_boolean (state));
}

static void
test_state_int (Fixture       *fixture,
                gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 0);

  isle_state_set_int (state, G_MAXINT);
  g_assert_cmpint (isle_state_get_int (state), ==, G_MAXINT);
  isle_state_set_int (state, G_MININT);
  g_assert_cmpint (isle_state_get_int (state), ==, G_MININT);
}

static void
test_state_int64 (Fixture       *fixture,
                  gconstpointer  data)
{
  IsleState *state = isle_state_new_int64 (fixture->graph, 0);

  isle_state_set_int64 (state, G_MAXINT64);
  g_assert_cmpint (isle_state_get_int64 (state), ==, G_MAXINT64);
  isle_state_set_int64 (state, G_MININT64);
  g_assert_cmpint (isle_state_get_int64 (state), ==, G_MININT64);
}

static void
test_state_uint64 (Fixture       *fixture,
                   gconstpointer  data)
{
  IsleState *state = isle_state_new_uint64 (fixture->graph, 0);

  isle_state_set_uint64 (state, G_MAXUINT64);
  g_assert_cmpuint (isle_state_get_uint64 (state), ==, G_MAXUINT64);
  isle_state_set_uint64 (state, 1);
  g_assert_cmpuint (isle_state_get_uint64 (state), ==, 1);
}

static void
test_state_double (Fixture       *fixture,
                   gconstpointer  data)
{
  IsleState *state = isle_state_new_double (fixture->graph, 0.0);

  isle_state_set_double (state, -1.5e300);
  g_assert_cmpfloat (isle_state_get_double (state), ==, -1.5e300);
  isle_state_set_double (state, INFINITY);
  g_assert_true (isinf (isle_state_get_double (state)));
  isle_state_set_double (state, NAN);
  g_assert_true (isnan (isle_state_get_double (state)));
}

static void
test_state_pointer (Fixture       *fixture,
                    gconstpointer  data)
{
  IsleState *state = isle_state_new_pointer (fixture->graph, NULL);
  int a, b;

  isle_state_set_pointer (state, &a);
  g_assert_true (isle_state_get_pointer (state) == &a);
  isle_state_set_pointer (state, &b);
  g_assert_true (isle_state_get_pointer (state) == &b);
  isle_state_set_pointer (state, NULL);
  g_assert_null (isle_state_get_pointer (state));
}

static void
test_state_string (Fixture       *fixture,
                   gconstpointer  data)
{
  IsleState *state = isle_state_new_string (fixture->graph, NULL);
  char buffer[] = "abc";

  g_assert_null (isle_state_get_string (state));

  /* The state copies the string. */
  isle_state_set_string (state, buffer);
  buffer[0] = 'x';
  g_assert_cmpstr (isle_state_get_string (state), ==, "abc");

  isle_state_set_string (state, "");
  g_assert_cmpstr (isle_state_get_string (state), ==, "");
  isle_state_set_string (state, NULL);
  g_assert_null (isle_state_get_string (state));
}

static void
test_state_variant (Fixture       *fixture,
                    gconstpointer  data)
{
  IsleState *state = isle_state_new_variant (fixture->graph, NULL);
  GVariant *variant;

  g_assert_null (isle_state_get_variant (state));

  /* A floating variant is sunk by the state. */
  isle_state_set_variant (state, g_variant_new_string ("floating"));
  g_assert_cmpstr (g_variant_get_string (isle_state_get_variant (state), NULL), ==, "floating");

  /* A variant we own is referenced, not stolen. */
  variant = g_variant_ref_sink (g_variant_new ("(ii)", 1, 2));
  isle_state_set_variant (state, variant);
  g_assert_true (isle_state_get_variant (state) == variant);
  g_variant_unref (variant);
  g_assert_true (g_variant_is_of_type (isle_state_get_variant (state), G_VARIANT_TYPE ("(ii)")));

  isle_state_set_variant (state, NULL);
  g_assert_null (isle_state_get_variant (state));
}

static void
test_state_object (Fixture       *fixture,
                   gconstpointer  data)
{
  IsleState *state = isle_state_new_object (fixture->graph, G_TYPE_OBJECT, NULL);
  GObject *a = g_object_new (G_TYPE_OBJECT, NULL);
  GObject *b = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_add_weak_pointer (a, (gpointer *) &a);
  g_object_add_weak_pointer (b, (gpointer *) &b);

  /* The state holds a reference of its own. */
  isle_state_set_object (state, a);
  g_object_unref (a);
  g_assert_nonnull (a);
  g_assert_true (isle_state_get_object (state) == a);

  /* Replacing the object drops that reference. */
  isle_state_set_object (state, b);
  g_assert_null (a);
  g_assert_true (isle_state_get_object (state) == b);

  isle_state_set_object (state, NULL);
  g_assert_null (isle_state_get_object (state));
  g_assert_finalize_object (b);
}

static void
test_state_object_subtype (Fixture       *fixture,
                           gconstpointer  data)
{
  IsleState *state = isle_state_new_object (fixture->graph, G_TYPE_OBJECT, NULL);
  GSimpleAction *action = g_simple_action_new ("act", NULL);

  isle_state_set_object (state, action);
  g_assert_true (isle_state_get_object (state) == action);
  isle_state_set_object (state, NULL);
  g_assert_finalize_object (action);
}

static void
test_state_boxed (Fixture       *fixture,
                  gconstpointer  data)
{
  IsleState *state = isle_state_new (fixture->graph, G_TYPE_BYTES);
  GBytes *bytes = g_bytes_new_static ("abc", 3);
  GBytes *held;

  /* GBytes is refcounted, so the state's copy is the same pointer. */
  isle_state_set_boxed (state, bytes);
  g_bytes_unref (bytes);
  held = isle_state_get_boxed (state);
  g_assert_true (held == bytes);
  g_assert_cmpuint (g_bytes_get_size (held), ==, 3);

  isle_state_set_boxed (state, NULL);
  g_assert_null (isle_state_get_boxed (state));

  /* A non-refcounted boxed type is copied. */
  {
    const char * const strv[] = { "a", "b", NULL };
    IsleState *strings = isle_state_new (fixture->graph, G_TYPE_STRV);
    char **copy;

    isle_state_set_boxed (strings, strv);
    copy = isle_state_get_boxed (strings);
    g_assert_true ((gpointer) copy != (gpointer) strv);
    g_assert_true (g_strv_equal ((const char * const *) copy, strv));
  }
}

static void
test_state_value (Fixture       *fixture,
                  gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 3);
  GValue value = G_VALUE_INIT;

  isle_state_get_value (state, &value);
  g_assert_true (G_VALUE_HOLDS_INT (&value));
  g_assert_cmpint (g_value_get_int (&value), ==, 3);

  g_value_set_int (&value, 9);
  isle_state_set_value (state, &value);
  g_assert_cmpint (isle_state_get_int (state), ==, 9);
  g_value_unset (&value);

  /* Reading a string state gives a copy the caller owns. */
  state = isle_state_new_string (fixture->graph, "text");
  isle_state_get_value (state, &value);
  g_assert_cmpstr (g_value_get_string (&value), ==, "text");
  g_value_unset (&value);
  g_assert_cmpstr (isle_state_get_string (state), ==, "text");
}

static void
test_state_set_value_transforms (Fixture       *fixture,
                                 gconstpointer  data)
{
  IsleState *wide = isle_state_new_int64 (fixture->graph, 0);
  IsleState *real = isle_state_new_double (fixture->graph, 0.0);
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, -7);
  isle_state_set_value (wide, &value);
  isle_state_set_value (real, &value);
  g_value_unset (&value);

  g_assert_cmpint (isle_state_get_int64 (wide), ==, -7);
  g_assert_true (isle_state_get_value_type (wide) == G_TYPE_INT64);
  g_assert_cmpfloat (isle_state_get_double (real), ==, -7.0);
}

static void
test_state_set_value_subtype (Fixture       *fixture,
                              gconstpointer  data)
{
  IsleState *state = isle_state_new_object (fixture->graph, G_TYPE_OBJECT, NULL);
  GSimpleAction *action = g_simple_action_new ("act", NULL);
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_SIMPLE_ACTION);
  g_value_set_object (&value, action);
  isle_state_set_value (state, &value);
  g_value_unset (&value);

  g_assert_true (isle_state_get_object (state) == action);
  isle_state_set_object (state, NULL);
  g_assert_finalize_object (action);
}

static void
test_state_set_value_untransformable (Fixture       *fixture,
                                      gconstpointer  data)
{
  IsleState *state = isle_state_new_int64 (fixture->graph, 5);
  Watch *watch;
  GValue value = G_VALUE_INIT;

  isle_state_set_name (state, "wide");
  watch = watch_new (fixture->graph, state);

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "12");
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
                         "*state “wide”*holds*gint64*not*gchararray*");
  isle_state_set_value (state, &value);
  g_test_assert_expected_messages ();
  g_value_unset (&value);

  g_assert_cmpint (isle_state_get_int64 (state), ==, 5);
  assert_silent (fixture->graph, watch);
}

/* Equality: an equal set does nothing. */

static void
test_state_set_equal_is_silent (Fixture       *fixture,
                                gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 5);
  Watch *watch = watch_new (fixture->graph, state);

  isle_state_set_int (state, 5);
  assert_silent (fixture->graph, watch);

  isle_state_set_int (state, 6);
  assert_rerun (fixture->graph, watch);

  /* Many writes before a flush give one rerun. */
  isle_state_set_int (state, 7);
  isle_state_set_int (state, 8);
  isle_state_set_int (state, 9);
  assert_rerun (fixture->graph, watch);
  g_assert_cmpint (isle_state_get_int (state), ==, 9);
}

static void
test_state_scalars_equal_is_silent (Fixture       *fixture,
                                    gconstpointer  data)
{
  IsleGraph *graph = fixture->graph;
  IsleState *flag = isle_state_new_boolean (graph, TRUE);
  IsleState *wide = isle_state_new_int64 (graph, G_MAXINT64);
  IsleState *uwide = isle_state_new_uint64 (graph, G_MAXUINT64);
  IsleState *pointer = isle_state_new_pointer (graph, &graph);
  Watch *watch_flag = watch_new (graph, flag);
  Watch *watch_wide = watch_new (graph, wide);
  Watch *watch_uwide = watch_new (graph, uwide);
  Watch *watch_pointer = watch_new (graph, pointer);

  isle_state_set_boolean (flag, TRUE);
  assert_silent (graph, watch_flag);
  isle_state_set_boolean (flag, FALSE);
  assert_rerun (graph, watch_flag);

  isle_state_set_int64 (wide, G_MAXINT64);
  assert_silent (graph, watch_wide);
  isle_state_set_int64 (wide, G_MAXINT64 - 1);
  assert_rerun (graph, watch_wide);

  isle_state_set_uint64 (uwide, G_MAXUINT64);
  assert_silent (graph, watch_uwide);
  isle_state_set_uint64 (uwide, G_MAXUINT64 - 1);
  assert_rerun (graph, watch_uwide);

  /* Pointers compare by identity. */
  isle_state_set_pointer (pointer, &graph);
  assert_silent (graph, watch_pointer);
  isle_state_set_pointer (pointer, &fixture->graph);
  assert_rerun (graph, watch_pointer);
}

static void
test_state_boolean_by_value (Fixture       *fixture,
                             gconstpointer  data)
{
  IsleState *state = isle_state_new_boolean (fixture->graph, TRUE);
  Watch *watch = watch_new (fixture->graph, state);

  /* Any non-zero gboolean is TRUE, as g_value_set_boolean() has it: the
   * same value, no change, and reads give TRUE itself. */
  isle_state_set_boolean (state, 2);
  assert_silent (fixture->graph, watch);
  g_assert_cmpint (isle_state_get_boolean (state), ==, TRUE);

  isle_state_set_boolean (state, FALSE);
  assert_rerun (fixture->graph, watch);
  isle_state_set_boolean (state, -1);
  assert_rerun (fixture->graph, watch);
  g_assert_cmpint (isle_state_get_boolean (state), ==, TRUE);
}

static void
test_state_double_nan_equals_nan (Fixture       *fixture,
                                  gconstpointer  data)
{
  IsleState *state = isle_state_new_double (fixture->graph, NAN);
  Watch *watch = watch_new (fixture->graph, state);

  /* Like Object.is: NaN is NaN, whatever its sign or payload. */
  isle_state_set_double (state, NAN);
  assert_silent (fixture->graph, watch);
  isle_state_set_double (state, -NAN);
  assert_silent (fixture->graph, watch);
  isle_state_set_double (state, nan ("0x1234"));
  assert_silent (fixture->graph, watch);
  g_assert_true (isnan (isle_state_get_double (state)));

  isle_state_set_double (state, 1.0);
  assert_rerun (fixture->graph, watch);
  isle_state_set_double (state, 1.0);
  assert_silent (fixture->graph, watch);
  isle_state_set_double (state, NAN);
  assert_rerun (fixture->graph, watch);
}

static void
test_state_double_zero_signs_differ (Fixture       *fixture,
                                     gconstpointer  data)
{
  IsleState *state = isle_state_new_double (fixture->graph, 0.0);
  Watch *watch = watch_new (fixture->graph, state);

  isle_state_set_double (state, 0.0);
  assert_silent (fixture->graph, watch);

  isle_state_set_double (state, -0.0);
  assert_rerun (fixture->graph, watch);
  g_assert_true (signbit (isle_state_get_double (state)));

  isle_state_set_double (state, -0.0);
  assert_silent (fixture->graph, watch);

  isle_state_set_double (state, 0.0);
  assert_rerun (fixture->graph, watch);
  g_assert_false (signbit (isle_state_get_double (state)));
}

static void
test_state_string_equal_by_value (Fixture       *fixture,
                                  gconstpointer  data)
{
  IsleState *state = isle_state_new_string (fixture->graph, "same");
  Watch *watch = watch_new (fixture->graph, state);
  const char *held = isle_state_get_string (state);
  char *copy = g_strdup ("same");

  /* Another pointer with the same text is equal: nothing changes, not even
   * the stored pointer. */
  isle_state_set_string (state, copy);
  assert_silent (fixture->graph, watch);
  g_assert_true (isle_state_get_string (state) == held);
  g_free (copy);

  isle_state_set_string (state, "other");
  assert_rerun (fixture->graph, watch);

  /* NULL and "" are different values. */
  isle_state_set_string (state, NULL);
  assert_rerun (fixture->graph, watch);
  isle_state_set_string (state, NULL);
  assert_silent (fixture->graph, watch);
  isle_state_set_string (state, "");
  assert_rerun (fixture->graph, watch);
  isle_state_set_string (state, "");
  assert_silent (fixture->graph, watch);
}

static void
test_state_variant_equal_by_value (Fixture       *fixture,
                                   gconstpointer  data)
{
  IsleState *state = isle_state_new_variant (fixture->graph, g_variant_new ("(si)", "a", 1));
  Watch *watch = watch_new (fixture->graph, state);
  GVariant *held = isle_state_get_variant (state);
  GVariant *equal = g_variant_ref_sink (g_variant_new ("(si)", "a", 1));

  g_assert_true (equal != held);
  isle_state_set_variant (state, equal);
  assert_silent (fixture->graph, watch);
  g_assert_true (isle_state_get_variant (state) == held);
  g_variant_unref (equal);

  /* A floating equal variant is consumed and changes nothing. */
  isle_state_set_variant (state, g_variant_new ("(si)", "a", 1));
  assert_silent (fixture->graph, watch);
  g_assert_true (isle_state_get_variant (state) == held);

  isle_state_set_variant (state, g_variant_new ("(si)", "a", 2));
  assert_rerun (fixture->graph, watch);

  /* Same number, other variant type: not equal. */
  isle_state_set_variant (state, g_variant_new_int32 (1));
  assert_rerun (fixture->graph, watch);
  isle_state_set_variant (state, g_variant_new_uint32 (1));
  assert_rerun (fixture->graph, watch);

  isle_state_set_variant (state, NULL);
  assert_rerun (fixture->graph, watch);
  isle_state_set_variant (state, NULL);
  assert_silent (fixture->graph, watch);
}

static void
test_state_object_equal_by_identity (Fixture       *fixture,
                                     gconstpointer  data)
{
  GObject *a = object_with_id ("one");
  GObject *b = object_with_id ("one");
  IsleState *state = isle_state_new_object (fixture->graph, G_TYPE_OBJECT, a);
  Watch *watch = watch_new (fixture->graph, state);

  isle_state_set_object (state, a);
  assert_silent (fixture->graph, watch);

  /* Another object, even an "equal" one, is a change. */
  isle_state_set_object (state, b);
  assert_rerun (fixture->graph, watch);
  g_assert_true (isle_state_get_object (state) == b);

  isle_state_set_object (state, NULL);
  assert_rerun (fixture->graph, watch);
  isle_state_set_object (state, NULL);
  assert_silent (fixture->graph, watch);

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

static void
test_state_object_equal_func_keeps_old (Fixture       *fixture,
                                        gconstpointer  data)
{
  GObject *old = object_with_id ("one");
  GObject *equal = object_with_id ("one");
  GObject *other = object_with_id ("two");
  IsleState *state = isle_state_new_object (fixture->graph, G_TYPE_OBJECT, old);
  Watch *watch;
  guint destroyed = 0;

  isle_state_set_equal_func (state, same_id_equal, &destroyed, count_destroy);
  watch = watch_new (fixture->graph, state);

  /* Equal by the function: the state keeps the old object and does not
   * keep a reference to the new one. */
  isle_state_set_object (state, equal);
  assert_silent (fixture->graph, watch);
  g_assert_true (isle_state_get_object (state) == old);
  g_assert_finalize_object (equal);

  isle_state_set_object (state, other);
  assert_rerun (fixture->graph, watch);
  g_assert_true (isle_state_get_object (state) == other);
  g_assert_finalize_object (old);

  isle_state_set_object (state, NULL);
  assert_rerun (fixture->graph, watch);
  g_assert_finalize_object (other);

  /* Resetting the function releases its data (on the stack here). */
  g_assert_cmpuint (destroyed, ==, 0);
  isle_state_set_equal_func (state, NULL, NULL, NULL);
  g_assert_cmpuint (destroyed, ==, 1);
}

static void
test_state_equal_func_destroyed_with_graph (void)
{
  IsleGraph *graph = isle_graph_new ();
  IsleState *disposed = isle_state_new_int (graph, 0);
  guint destroyed = 0;

  isle_state_set_equal_func (disposed, same_tens_equal, &destroyed, count_destroy);
  isle_state_set_equal_func (isle_state_new_int (graph, 0), same_tens_equal,
                             &destroyed, count_destroy);

  isle_state_dispose (disposed);
  g_assert_cmpuint (destroyed, ==, 1);
  g_assert_finalize_object (graph);
  g_assert_cmpuint (destroyed, ==, 2);
}

static gboolean
bytes_equal (const GValue *a,
             const GValue *b,
             gpointer      user_data)
{
  GBytes *ba = g_value_get_boxed (a);
  GBytes *bb = g_value_get_boxed (b);

  if (ba == NULL || bb == NULL)
    return ba == bb;

  return g_bytes_equal (ba, bb);
}

static void
test_state_boxed_equal_by_identity (Fixture       *fixture,
                                    gconstpointer  data)
{
  IsleState *state = isle_state_new (fixture->graph, G_TYPE_BYTES);
  GBytes *a = g_bytes_new ("xyz", 3);
  GBytes *b = g_bytes_new ("xyz", 3);
  Watch *watch;

  isle_state_set_boxed (state, a);
  watch = watch_new (fixture->graph, state);

  isle_state_set_boxed (state, a);
  assert_silent (fixture->graph, watch);

  isle_state_set_boxed (state, b);
  assert_rerun (fixture->graph, watch);
  g_assert_true (isle_state_get_boxed (state) == b);

  g_bytes_unref (a);
  g_bytes_unref (b);
}

static void
test_state_boxed_equal_func_keeps_old (Fixture       *fixture,
                                       gconstpointer  data)
{
  IsleState *state = isle_state_new (fixture->graph, G_TYPE_BYTES);
  GBytes *a = g_bytes_new ("xyz", 3);
  GBytes *b = g_bytes_new ("xyz", 3);
  GBytes *c = g_bytes_new ("uvw", 3);
  Watch *watch;

  isle_state_set_boxed (state, a);
  isle_state_set_equal_func (state, bytes_equal, NULL, NULL);
  watch = watch_new (fixture->graph, state);

  isle_state_set_boxed (state, b);
  assert_silent (fixture->graph, watch);
  g_assert_true (isle_state_get_boxed (state) == a);

  isle_state_set_boxed (state, c);
  assert_rerun (fixture->graph, watch);
  g_assert_true (isle_state_get_boxed (state) == c);

  g_bytes_unref (a);
  g_bytes_unref (b);
  g_bytes_unref (c);
}

static void
test_state_equal_func (Fixture       *fixture,
                       gconstpointer  data)
{
  IsleState *state = isle_state_new_int (fixture->graph, 11);
  Watch *watch = watch_new (fixture->graph, state);
  guint destroyed_first = 0;
  guint destroyed_second = 0;

  isle_state_set_equal_func (state, same_tens_equal, &destroyed_first, count_destroy);

  isle_state_set_int (state, 19);
  assert_silent (fixture->graph, watch);
  g_assert_cmpint (isle_state_get_int (state), ==, 11);

  isle_state_set_int (state, 21);
  assert_rerun (fixture->graph, watch);
  g_assert_cmpint (isle_state_get_int (state), ==, 21);

  /* Replacing the function releases the old one's data. */
  isle_state_set_equal_func (state, same_tens_equal, &destroyed_second, count_destroy);
  g_assert_cmpuint (destroyed_first, ==, 1);
  g_assert_cmpuint (destroyed_second, ==, 0);

  /* Back to the default equality. */
  isle_state_set_equal_func (state, NULL, NULL, NULL);
  g_assert_cmpuint (destroyed_second, ==, 1);
  isle_state_set_int (state, 22);
  assert_rerun (fixture->graph, watch);
  isle_state_set_int (state, 22);
  assert_silent (fixture->graph, watch);

  g_assert_cmpuint (destroyed_first, ==, 1);
  g_assert_cmpuint (destroyed_second, ==, 1);
}

static void
test_state_set_value_equal_is_silent (Fixture       *fixture,
                                      gconstpointer  data)
{
  IsleState *state = isle_state_new_string (fixture->graph, "v");
  Watch *watch = watch_new (fixture->graph, state);
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "v");
  isle_state_set_value (state, &value);
  assert_silent (fixture->graph, watch);

  g_value_set_string (&value, "w");
  isle_state_set_value (state, &value);
  assert_rerun (fixture->graph, watch);
  g_value_unset (&value);

  g_assert_cmpstr (isle_state_get_string (state), ==, "w");
}

/* Lifecycle. */

static void
test_state_dispose (Fixture       *fixture,
                    gconstpointer  data)
{
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);
  IsleState *state = isle_state_new_object (fixture->graph, G_TYPE_OBJECT, object);
  IsleState *kept;

  g_object_add_weak_pointer (object, (gpointer *) &object);
  g_object_unref (object);
  g_assert_nonnull (object);

  kept = isle_state_ref (state);
  g_assert_true (kept == state);
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 1);

  isle_state_dispose (state);
  g_assert_true (isle_state_is_disposed (state));
  g_assert_cmpuint (isle_graph_get_n_nodes (fixture->graph), ==, 0);

  isle_state_unref (kept);
  g_assert_null (object);
}

static void
test_state_graph_unref_disposes (void)
{
  IsleGraph *graph = isle_graph_new ();
  IsleState *state = isle_state_ref (isle_state_new_string (graph, "kept"));
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_add_weak_pointer (object, (gpointer *) &object);
  isle_state_new_object (graph, G_TYPE_OBJECT, object);
  g_object_unref (object);

  g_assert_false (isle_state_is_disposed (state));
  g_assert_finalize_object (graph);
  g_assert_true (isle_state_is_disposed (state));
  g_assert_null (object);
  isle_state_unref (state);
}

static void
test_state_autoptr (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr (IsleState) state = isle_state_ref (isle_state_new_int (fixture->graph, 1));

  g_assert_cmpint (isle_state_get_int (state), ==, 1);
}


/* Svelte, tests/signals/test.ts, "bigint states update correctly": update
 * is count++ (it returns the value before), update_pre is ++count (the
 * value after); neither makes the state a dependency. */
static gboolean
count_run_cb (IsleEffect  *self,
              gpointer     user_data,
              GError     **error)
{
  IsleState *runs = user_data;

  isle_state_update_int (runs, 1);

  return TRUE;
}

static void
test_state_update (Fixture       *fixture,
                   gconstpointer  data)
{
  IsleState *count = isle_state_new_int (fixture->graph, 0);
  IsleState *big = isle_state_new_int64 (fixture->graph, G_GINT64_CONSTANT (1) << 40);
  IsleState *ratio = isle_state_new_double (fixture->graph, 0.5);
  IsleState *runs = isle_state_new_int (fixture->graph, 0);
  IsleEffect *effect;

  g_assert_cmpint (isle_state_update_int (count, 1), ==, 0);
  g_assert_cmpint (isle_state_get_int (count), ==, 1);
  g_assert_cmpint (isle_state_update_int (count, -1), ==, 1);
  g_assert_cmpint (isle_state_get_int (count), ==, 0);

  g_assert_cmpint (isle_state_update_pre_int (count, 1), ==, 1);
  g_assert_cmpint (isle_state_get_int (count), ==, 1);
  g_assert_cmpint (isle_state_update_pre_int (count, -1), ==, 0);
  g_assert_cmpint (isle_state_get_int (count), ==, 0);

  g_assert_cmpint (isle_state_update_int64 (big, 1), ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_cmpint (isle_state_update_pre_int64 (big, -2), ==, (G_GINT64_CONSTANT (1) << 40) - 1);
  g_assert_cmpfloat (isle_state_update_double (ratio, 0.25), ==, 0.5);
  g_assert_cmpfloat (isle_state_update_pre_double (ratio, 0.25), ==, 1.0);

  /* Wraps around rather than overflowing. */
  isle_state_set_int (count, G_MAXINT);
  g_assert_cmpint (isle_state_update_pre_int (count, 1), ==, G_MININT);

  /* An effect that counts its own runs does not run itself again. */
  effect = isle_effect_new (fixture->graph, count_run_cb, runs, NULL);
  isle_graph_flush (fixture->graph);
  isle_graph_flush (fixture->graph);
  g_assert_cmpint (isle_state_get_int (runs), ==, 1);
  g_assert_cmpuint (isle_effect_get_run_count (effect), ==, 1);

  /* A state of another type: reported, nothing changes. */
  g_test_expect_message (ISLE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*holds values of type gdouble, not gint*");
  g_assert_cmpint (isle_state_update_int (ratio, 1), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpfloat (isle_state_get_double (ratio), ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Isle/State/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("new", test_state_new);
  ADD ("new-typed", test_state_new_typed);
  ADD ("new-value", test_state_new_value);
  ADD ("boolean", test_state_boolean);
  ADD ("int", test_state_int);
  ADD ("int64", test_state_int64);
  ADD ("uint64", test_state_uint64);
  ADD ("double", test_state_double);
  ADD ("pointer", test_state_pointer);
  ADD ("string", test_state_string);
  ADD ("variant", test_state_variant);
  ADD ("object", test_state_object);
  ADD ("object-subtype", test_state_object_subtype);
  ADD ("boxed", test_state_boxed);
  ADD ("value", test_state_value);
  ADD ("set-value-transforms", test_state_set_value_transforms);
  ADD ("set-value-subtype", test_state_set_value_subtype);
  ADD ("set-value-untransformable", test_state_set_value_untransformable);
  ADD ("set-equal-is-silent", test_state_set_equal_is_silent);
  ADD ("scalars-equal-is-silent", test_state_scalars_equal_is_silent);
  ADD ("boolean-by-value", test_state_boolean_by_value);
  ADD ("double-nan-equals-nan", test_state_double_nan_equals_nan);
  ADD ("double-zero-signs-differ", test_state_double_zero_signs_differ);
  ADD ("string-equal-by-value", test_state_string_equal_by_value);
  ADD ("variant-equal-by-value", test_state_variant_equal_by_value);
  ADD ("object-equal-by-identity", test_state_object_equal_by_identity);
  ADD ("object-equal-func-keeps-old", test_state_object_equal_func_keeps_old);
  ADD ("boxed-equal-by-identity", test_state_boxed_equal_by_identity);
  ADD ("boxed-equal-func-keeps-old", test_state_boxed_equal_func_keeps_old);
  ADD ("equal-func", test_state_equal_func);
  ADD ("set-value-equal-is-silent", test_state_set_value_equal_is_silent);
  ADD ("dispose", test_state_dispose);
  ADD ("autoptr", test_state_autoptr);
  ADD ("update", test_state_update);

#undef ADD

  g_test_add_func ("/Isle/State/graph-unref-disposes", test_state_graph_unref_disposes);
  g_test_add_func ("/Isle/State/equal-func-destroyed-with-graph",
                   test_state_equal_func_destroyed_with_graph);

  return g_test_run ();
}
