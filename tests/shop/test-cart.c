/* test-cart.c: unit tests for ShopCart
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A ShopCart registers the map "cart" in the process's registry, which
 * outlives every test: the fixture removes it again, and checks that the
 * cart and its map are finalized, so that each test starts from nothing.
 * Files go to a fresh g_dir_make_tmp() folder, removed afterwards.
 */

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "shop-stores.h"

#define SHOP_LOG_DOMAIN "IsleShop"

/* Fixture {{{ */

typedef struct
{
  ShopCart *cart;
  IsleMap  *map;
  char     *dir;   /* a temporary folder */
  GFile    *file;  /* dir/cart.gvariant, not created */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GError) error = NULL;

  g_assert_null (isle_registry_lookup (registry, "cart"));

  fixture->cart = shop_cart_new ();
  fixture->map = g_object_ref (shop_cart_get_map (fixture->cart));
  g_assert_true (ISLE_STORE (fixture->map) == isle_registry_lookup (registry, "cart"));

  fixture->dir = g_dir_make_tmp ("shop-cart-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->file = g_file_new_build_filename (fixture->dir, "cart.gvariant", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          g_chmod (child, 0700);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_assert_no_errno (g_unlink (child));
        }
    }

  g_assert_no_errno (g_rmdir (path));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->cart);
  g_assert_true (isle_registry_remove (isle_registry_get_default (), "cart"));
  g_assert_finalize_object (fixture->map);

  g_clear_object (&fixture->file);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

/* }}} */

/* Helpers {{{ */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_strings_with_data (gconstpointer a,
                           gconstpointer b,
                           gpointer      user_data)
{
  return compare_strings (a, b);
}

/* The cart as text, in a stable order: "a=1 b=2" sorted by id. */
static char *
cart_text (ShopCart *cart)
{
  g_auto(GStrv) ids = shop_cart_dup_ids (cart);
  g_autoptr(GString) text = g_string_new (NULL);

  g_qsort_with_data (ids, g_strv_length (ids), sizeof (char *),
                     compare_strings_with_data, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%s=%d", ids[i], shop_cart_get_quantity (cart, ids[i]));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_cart(cart, expected) G_STMT_START {        \
  g_autofree char *assert_cart_text = cart_text (cart);   \
  g_assert_cmpstr (assert_cart_text, ==, (expected));     \
} G_STMT_END

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Logs map changes: whole-map listeners as "MAP", key listeners as
 * "KEY=NEW" ("-" for a removal). */
static void
map_changed_cb (IsleStore *store,
                GVariant  *value,
                GVariant  *old_value,
                gpointer   user_data)
{
  GString *log = user_data;

  if (log->len > 0)
    g_string_append_c (log, ' ');
  g_string_append (log, "MAP");
}

static void
key_changed_cb (IsleMap    *map,
                const char *key,
                GVariant   *value,
                GVariant   *old_value,
                gpointer    user_data)
{
  GString *log = user_data;

  if (log->len > 0)
    g_string_append_c (log, ' ');
  if (value != NULL)
    g_string_append_printf (log, "%s=%d", key, g_variant_get_int32 (value));
  else
    g_string_append_printf (log, "%s=-", key);
}

#define assert_log(log, expected) G_STMT_START {   \
  g_assert_cmpstr ((log)->str, ==, (expected));    \
  g_string_truncate ((log), 0);                    \
} G_STMT_END

static void
write_file (GFile      *file,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (g_file_peek_path (file), contents, length, &error);
  g_assert_no_error (error);
}

/* The names in the folder @path, sorted. */
static char **
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static gboolean
is_corrupt_name (const char *name)
{
  /* cart.gvariant.corrupt-YYYYmmdd-HHMMSS, maybe with a counter */
  const char *stamp;

  if (!g_str_has_prefix (name, "cart.gvariant.corrupt-"))
    return FALSE;

  stamp = name + strlen ("cart.gvariant.corrupt-");
  if (strlen (stamp) < 15 || stamp[8] != '-')
    return FALSE;
  for (guint i = 0; i < 15; i++)
    {
      if (i != 8 && !g_ascii_isdigit (stamp[i]))
        return FALSE;
    }

  return TRUE;
}

/* }}} */

/* Tests {{{ */

static void
test_cart_registry (Fixture       *fixture,
                    gconstpointer  data)
{
  IsleRegistry *registry = isle_registry_get_default ();
  ShopCart *other;
  IsleMap *map = NULL;

  /* A second cart shares the registered map, not the undo history. */
  other = shop_cart_new ();
  g_assert_true (shop_cart_get_map (other) == fixture->map);
  g_object_get (other, "map", &map, NULL);
  g_assert_true (map == fixture->map);
  g_clear_object (&map);

  shop_cart_add (other, "tea-green", 2);
  g_assert_cmpint (shop_cart_get_quantity (fixture->cart, "tea-green"), ==, 2);
  g_assert_true (shop_cart_get_can_undo (other));
  g_assert_false (shop_cart_get_can_undo (fixture->cart));
  g_assert_finalize_object (other);

  /* The map is an “a{sv}” of int32 quantities. */
  {
    g_autoptr(GVariant) value = isle_store_get_value (ISLE_STORE (fixture->map));
    g_autoptr(GVariant) line = NULL;

    g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT));
    line = g_variant_lookup_value (value, "tea-green", NULL);
    g_assert_true (g_variant_is_of_type (line, G_VARIANT_TYPE_INT32));
    g_assert_cmpint (g_variant_get_int32 (line), ==, 2);
  }

  g_assert_cmpstr (isle_store_get_name (ISLE_STORE (fixture->map)), ==, "cart");
  g_assert_true (isle_registry_lookup (registry, "cart") == ISLE_STORE (fixture->map));
}

static void
test_cart_existing_map (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  g_autoptr(GError) error = NULL;
  IsleMap *map;
  ShopCart *cart;

  /* A cart registered before (by Python, say) is used as it is. */
  map = isle_map_new ("cart", g_variant_new_parsed ("{'sea-salt': <3>}"));
  g_assert_true (isle_registry_add (registry, ISLE_STORE (map), &error));
  g_assert_no_error (error);

  cart = shop_cart_new ();
  g_assert_true (shop_cart_get_map (cart) == map);
  g_assert_cmpint (shop_cart_get_quantity (cart, "sea-salt"), ==, 3);
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 3);

  g_assert_finalize_object (cart);
  g_assert_true (isle_registry_remove (registry, "cart"));
  g_assert_finalize_object (map);
}

static void
test_cart_add (Fixture       *fixture,
               gconstpointer  data)
{
  ShopCart *cart = fixture->cart;

  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 0);
  g_assert_cmpint (shop_cart_get_quantity (cart, "tea-green"), ==, 0);
  assert_cart (cart, "");

  shop_cart_add (cart, "tea-green", 1);
  shop_cart_add (cart, "tea-green", 2);
  shop_cart_add (cart, "island-atlas", 1);
  assert_cart (cart, "island-atlas=1 tea-green=3");
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 4);

  /* Taking away, down to nothing, removes the line. */
  shop_cart_add (cart, "tea-green", -1);
  assert_cart (cart, "island-atlas=1 tea-green=2");
  shop_cart_add (cart, "tea-green", -5);
  assert_cart (cart, "island-atlas=1");
  g_assert_null (isle_map_get_key (fixture->map, "tea-green"));

  /* Clamped at the maximum, without overflow. */
  shop_cart_add (cart, "sea-salt", SHOP_CART_MAX_QUANTITY - 1);
  shop_cart_add (cart, "sea-salt", G_MAXINT);
  g_assert_cmpint (shop_cart_get_quantity (cart, "sea-salt"), ==, SHOP_CART_MAX_QUANTITY);
  shop_cart_add (cart, "sea-salt", G_MININT);
  g_assert_cmpint (shop_cart_get_quantity (cart, "sea-salt"), ==, 0);

  /* Adding nothing changes nothing. */
  shop_cart_add (cart, "wind-chime", 0);
  assert_cart (cart, "island-atlas=1");
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 1);

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*id != NULL*");
  shop_cart_add (cart, NULL, 1);
  g_test_assert_expected_messages ();
  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*id != NULL*");
  shop_cart_add (cart, "", 1);
  g_test_assert_expected_messages ();
}

static void
test_cart_remove (Fixture       *fixture,
                  gconstpointer  data)
{
  ShopCart *cart = fixture->cart;

  shop_cart_add (cart, "tea-green", 5);
  shop_cart_add (cart, "wind-chime", 1);

  shop_cart_remove (cart, "tea-green");
  assert_cart (cart, "wind-chime=1");
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 1);

  /* Removing what is not there is no change, and no undo step. */
  shop_cart_undo (cart);
  shop_cart_undo (cart);
  shop_cart_undo (cart);
  assert_cart (cart, "");
  g_assert_false (shop_cart_get_can_undo (cart));
  shop_cart_remove (cart, "tea-green");
  g_assert_false (shop_cart_get_can_undo (cart));
}

static void
test_cart_set_quantity (Fixture       *fixture,
                        gconstpointer  data)
{
  ShopCart *cart = fixture->cart;

  shop_cart_set_quantity (cart, "palm-seedling", 4);
  assert_cart (cart, "palm-seedling=4");
  shop_cart_set_quantity (cart, "palm-seedling", 2);
  assert_cart (cart, "palm-seedling=2");
  shop_cart_set_quantity (cart, "palm-seedling", SHOP_CART_MAX_QUANTITY + 10);
  g_assert_cmpint (shop_cart_get_quantity (cart, "palm-seedling"), ==, SHOP_CART_MAX_QUANTITY);
  shop_cart_set_quantity (cart, "palm-seedling", 0);
  assert_cart (cart, "");

  /* Four steps; the same quantity again is no step to undo. */
  g_assert_true (shop_cart_undo (cart));
  g_assert_true (shop_cart_undo (cart));
  g_assert_true (shop_cart_undo (cart));
  g_assert_true (shop_cart_undo (cart));
  g_assert_false (shop_cart_undo (cart));
  shop_cart_set_quantity (cart, "tide-clock", 0);
  g_assert_false (shop_cart_get_can_undo (cart));
  shop_cart_set_quantity (cart, "tide-clock", 1);
  shop_cart_set_quantity (cart, "tide-clock", 1);
  g_assert_true (shop_cart_undo (cart));
  g_assert_false (shop_cart_undo (cart));

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*quantity >= 0*");
  shop_cart_set_quantity (cart, "tide-clock", -1);
  g_test_assert_expected_messages ();
  assert_cart (cart, "");
}

static void
test_cart_undo (Fixture       *fixture,
                gconstpointer  data)
{
  ShopCart *cart = fixture->cart;

  g_assert_false (shop_cart_get_can_undo (cart));
  g_assert_false (shop_cart_undo (cart));

  shop_cart_add (cart, "tea-green", 1);
  shop_cart_add (cart, "sea-salt", 2);
  shop_cart_set_quantity (cart, "tea-green", 7);
  shop_cart_remove (cart, "sea-salt");
  assert_cart (cart, "tea-green=7");

  g_assert_true (shop_cart_undo (cart));
  assert_cart (cart, "sea-salt=2 tea-green=7");
  g_assert_true (shop_cart_undo (cart));
  assert_cart (cart, "sea-salt=2 tea-green=1");
  g_assert_true (shop_cart_undo (cart));
  assert_cart (cart, "tea-green=1");
  g_assert_true (shop_cart_undo (cart));
  assert_cart (cart, "");
  g_assert_false (shop_cart_get_can_undo (cart));
  g_assert_false (shop_cart_undo (cart));

  /* Undo restores the whole cart, changes made around the cart too. */
  shop_cart_add (cart, "tea-green", 1);
  isle_map_set_key (fixture->map, "beach-radio", g_variant_new_int32 (1));
  g_assert_true (shop_cart_undo (cart));
  assert_cart (cart, "");
}

/* Threads adding to and taking from the same line at once: the cart's
 * read-modify-write is one atomic step of the map, so no change is lost
 * (each thread adds one, then takes it back: the line ends where it
 * began, and never goes below it, so nothing is clamped). */
#define N_CART_THREADS 8
#define N_CART_ROUNDS  10000

typedef struct
{
  ShopCart *cart;
  gint     *go;
} CartRacer;

static gpointer
cart_racer_thread (gpointer user_data)
{
  CartRacer *racer = user_data;

  while (!g_atomic_int_get (racer->go))
    g_thread_yield ();

  for (int i = 0; i < N_CART_ROUNDS; i++)
    {
      shop_cart_add (racer->cart, "tea-green", 1);
      shop_cart_add (racer->cart, "tea-green", -1);
      if (i % 100 == 0)
        shop_cart_add (racer->cart, "sea-salt", 1);
    }

  return NULL;
}

static void
test_cart_add_from_threads (Fixture       *fixture,
                            gconstpointer  data)
{
  CartRacer racer = { fixture->cart, NULL };
  GThread *threads[N_CART_THREADS];
  gint go = 0;

  shop_cart_add (fixture->cart, "tea-green", 3);
  racer.go = &go;
  for (int i = 0; i < N_CART_THREADS; i++)
    threads[i] = g_thread_new ("cart-racer", cart_racer_thread, &racer);
  g_atomic_int_set (&go, 1);
  for (int i = 0; i < N_CART_THREADS; i++)
    g_thread_join (threads[i]);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (shop_cart_get_quantity (fixture->cart, "tea-green"), ==, 3);
  g_assert_cmpint (shop_cart_get_quantity (fixture->cart, "sea-salt"), ==,
                   N_CART_THREADS * N_CART_ROUNDS / 100);
  g_assert_true (shop_cart_get_can_undo (fixture->cart));
}

static void
test_cart_undo_limit (Fixture       *fixture,
                      gconstpointer  data)
{
  ShopCart *cart = fixture->cart;
  guint undone = 0;

  for (int i = 1; i <= SHOP_CART_MAX_UNDO + 20; i++)
    shop_cart_set_quantity (cart, "tea-green", i);

  while (shop_cart_undo (cart))
    undone++;

  /* The oldest 20 steps were forgotten. */
  g_assert_cmpuint (undone, ==, SHOP_CART_MAX_UNDO);
  g_assert_cmpint (shop_cart_get_quantity (cart, "tea-green"), ==, 20);
}

static void
test_cart_can_undo_notify (Fixture       *fixture,
                           gconstpointer  data)
{
  ShopCart *cart = fixture->cart;
  gboolean can_undo = TRUE;
  guint notified = 0;

  g_signal_connect (cart, "notify::can-undo", G_CALLBACK (count_notify_cb), &notified);

  /* Only when it flips. */
  shop_cart_add (cart, "tea-green", 1);
  g_assert_cmpuint (notified, ==, 1);
  shop_cart_add (cart, "tea-green", 1);
  shop_cart_add (cart, "sea-salt", 1);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (cart, "can-undo", &can_undo, NULL);
  g_assert_true (can_undo);

  g_assert_true (shop_cart_undo (cart));
  g_assert_true (shop_cart_undo (cart));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (shop_cart_undo (cart));
  g_assert_cmpuint (notified, ==, 2);
  g_object_get (cart, "can-undo", &can_undo, NULL);
  g_assert_false (can_undo);

  /* No change, no notification. */
  g_assert_false (shop_cart_undo (cart));
  shop_cart_remove (cart, "tea-green");
  shop_cart_clear (cart);
  g_assert_cmpuint (notified, ==, 2);

  /* A load forgets the history. */
  shop_cart_add (cart, "tea-green", 1);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_true (shop_cart_load (cart, fixture->file, NULL));
  g_assert_cmpuint (notified, ==, 4);
  g_assert_false (shop_cart_get_can_undo (cart));
}

static void
test_cart_clear (Fixture       *fixture,
                 gconstpointer  data)
{
  ShopCart *cart = fixture->cart;
  g_autoptr(GString) log = g_string_new (NULL);
  const char *keys[] = { "tea-green", "sea-salt", "beach-radio", NULL };
  guint map_handle, keys_handle;

  shop_cart_add (cart, "tea-green", 2);
  shop_cart_add (cart, "sea-salt", 1);
  shop_cart_add (cart, "beach-radio", 3);

  map_handle = isle_store_listen (ISLE_STORE (fixture->map), map_changed_cb, log, NULL);
  keys_handle = isle_map_listen_keys (fixture->map, keys, key_changed_cb, log, NULL);

  /* One step, one change for the map's listeners. */
  shop_cart_clear (cart);
  assert_cart (cart, "");
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 0);
  g_assert_nonnull (strstr (log->str, "tea-green=-"));
  g_assert_nonnull (strstr (log->str, "sea-salt=-"));
  g_assert_nonnull (strstr (log->str, "beach-radio=-"));
  g_test_message ("clear: %s", log->str);
  g_assert_cmpuint (strlen (log->str), ==, strlen ("MAP tea-green=- sea-salt=- beach-radio=-"));
  g_string_truncate (log, 0);

  /* Clearing an empty cart is nothing. */
  shop_cart_clear (cart);
  assert_log (log, "");

  g_assert_true (shop_cart_undo (cart));
  assert_cart (cart, "beach-radio=3 sea-salt=1 tea-green=2");
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 6);
  g_string_truncate (log, 0);

  /* Undo tells only the lines that changed. */
  shop_cart_set_quantity (cart, "sea-salt", 5);
  assert_log (log, "MAP sea-salt=5");
  g_assert_true (shop_cart_undo (cart));
  assert_log (log, "MAP sea-salt=1");

  isle_store_unsubscribe (ISLE_STORE (fixture->map), map_handle);
  isle_store_unsubscribe (ISLE_STORE (fixture->map), keys_handle);
}

/* The same arithmetic on a cart's value, as a pane computes it from its
 * mirror of the map: a foreign or negative quantity counts for nothing,
 * an unknown product costs nothing, another type is refused. */
static void
test_cart_value_functions (void)
{
  const char *text =
    "[Product tea]\nName=Tea\nDescription=D\nPrice=4.50\nIcon=emoji-food-symbolic\nCategory=Food\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cart = NULL;
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GVariant) wrong = NULL;
  ShopCatalogue *catalogue;

  catalogue = shop_catalogue_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  cart = g_variant_ref_sink (g_variant_new_parsed ("{'tea': <3>, 'gone': <2>, 'minus': <-5>, "
                                                   "'text': <'x'>}"));
  g_assert_cmpuint (shop_cart_count_items (cart), ==, 5);
  g_assert_cmpfloat_with_epsilon (shop_cart_total_of (cart, catalogue), 13.5, 1e-9);

  empty = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));
  g_assert_cmpuint (shop_cart_count_items (empty), ==, 0);
  g_assert_cmpfloat (shop_cart_total_of (empty, catalogue), ==, 0.0);

  wrong = g_variant_ref_sink (g_variant_new_int32 (3));
  g_test_expect_message ("IsleShop", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (shop_cart_count_items (wrong), ==, 0);
  g_test_assert_expected_messages ();
  g_test_expect_message ("IsleShop", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpfloat (shop_cart_total_of (wrong, catalogue), ==, 0.0);
  g_test_assert_expected_messages ();

  g_assert_finalize_object (catalogue);
}

/* "Recommended for you": never what the cart holds, first the categories
 * it holds, then any, in catalogue order, at most max; a line of 0 or
 * less is not held. */
static void
test_cart_recommend (void)
{
  const char *text =
    "[Product tea]\nName=Tea\nDescription=D\nPrice=4.50\nIcon=i\nCategory=Food\n"
    "[Product lamp]\nName=Lamp\nDescription=D\nPrice=24\nIcon=i\nCategory=Home\n"
    "[Product salt]\nName=Salt\nDescription=D\nPrice=3.20\nIcon=i\nCategory=Food\n"
    "[Product clock]\nName=Clock\nDescription=D\nPrice=32.50\nIcon=i\nCategory=Home\n"
    "[Product mango]\nName=Mango\nDescription=D\nPrice=5.75\nIcon=i\nCategory=Food\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;
  struct {
    const char *cart;
    guint max;
    const char *expected;
  } cases[] = {
    { "@a{sv} {}", 3, "tea lamp salt" },
    { "{'tea': <1>}", 3, "salt mango lamp" },
    { "{'tea': <1>, 'salt': <2>}", 3, "mango lamp clock" },
    { "{'lamp': <1>}", 2, "clock tea" },
    { "{'tea': <0>, 'lamp': <-1>}", 3, "tea lamp salt" },
    { "{'tea': <1>, 'lamp': <1>, 'salt': <1>, 'clock': <1>}", 3, "mango" },
    { "{'tea': <1>, 'lamp': <1>, 'salt': <1>, 'clock': <1>, 'mango': <9>}", 3, "" },
    { "{'gone': <3>}", 1, "tea" },
    { "{'tea': <1>}", 0, "" },
  };

  catalogue = shop_catalogue_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) cart = g_variant_ref_sink (g_variant_new_parsed (cases[i].cart));
      g_auto(GStrv) picked = shop_cart_recommend (cart, catalogue, cases[i].max);
      g_autofree char *joined = g_strjoinv (" ", picked);

      g_test_message ("%s, at most %u: %s", cases[i].cart, cases[i].max, joined);
      g_assert_cmpstr (joined, ==, cases[i].expected);
    }

  g_test_expect_message ("IsleShop", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_null (shop_cart_recommend (NULL, catalogue, 3));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (catalogue);
}

/* The rule every pane applies to a line of a product that left the
 * catalogue: kept, listed (by id) as no longer available, and left out
 * of the count and of the total. */
static void
test_cart_unavailable (void)
{
  const char *text =
    "[Product tea]\nName=Tea\nDescription=D\nPrice=4.50\nIcon=emoji-food-symbolic\nCategory=Food\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) cart = NULL;
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GVariant) wrong = NULL;
  g_auto(GStrv) unavailable = NULL;
  g_auto(GStrv) none = NULL;
  ShopCatalogue *catalogue;

  catalogue = shop_catalogue_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  cart = g_variant_ref_sink (g_variant_new_parsed ("{'zeta-gone': <3>, 'tea': <1>, 'alpha-gone': <2>, "
                                                   "'minus-gone': <-5>, 'text-gone': <'x'>}"));
  g_assert_cmpuint (shop_cart_count_available (cart, catalogue), ==, 1);
  g_assert_cmpfloat_with_epsilon (shop_cart_total_of (cart, catalogue), 4.5, 1e-9);
  /* The raw count still sees every valid line. */
  g_assert_cmpuint (shop_cart_count_items (cart), ==, 6);

  /* Sorted by id; a line with no valid quantity is no line. */
  unavailable = shop_cart_dup_unavailable (cart, catalogue);
  g_assert_nonnull (unavailable);
  g_assert_cmpuint (g_strv_length (unavailable), ==, 2);
  g_assert_cmpstr (unavailable[0], ==, "alpha-gone");
  g_assert_cmpstr (unavailable[1], ==, "zeta-gone");

  empty = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));
  g_assert_cmpuint (shop_cart_count_available (empty, catalogue), ==, 0);
  none = shop_cart_dup_unavailable (empty, catalogue);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  wrong = g_variant_ref_sink (g_variant_new_int32 (3));
  g_test_expect_message ("IsleShop", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (shop_cart_count_available (wrong, catalogue), ==, 0);
  g_test_assert_expected_messages ();
  g_test_expect_message ("IsleShop", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_null (shop_cart_dup_unavailable (wrong, catalogue));
  g_test_assert_expected_messages ();
  g_test_expect_message ("IsleShop", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (shop_cart_count_available (cart, NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_assert_finalize_object (catalogue);
}

static void
test_cart_total (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *text =
    "[Product tea]\nName=Tea\nDescription=D\nPrice=4.50\nIcon=emoji-food-symbolic\nCategory=Food\n"
    "[Product atlas]\nName=Atlas\nDescription=D\nPrice=29\nIcon=mark-location-symbolic\nCategory=Books\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  ShopCatalogue *catalogue;

  catalogue = shop_catalogue_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  g_assert_cmpfloat (shop_cart_get_total (fixture->cart, catalogue), ==, 0.0);
  shop_cart_add (fixture->cart, "tea", 3);
  shop_cart_add (fixture->cart, "atlas", 1);
  shop_cart_add (fixture->cart, "discontinued", 2);  /* not in the catalogue */
  g_assert_cmpfloat_with_epsilon (shop_cart_get_total (fixture->cart, catalogue), 42.5, 1e-9);

  ids = shop_cart_dup_ids (fixture->cart);
  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) ids, "discontinued"));

  g_assert_finalize_object (catalogue);
}

static void
test_cart_foreign_values (Fixture       *fixture,
                          gconstpointer  data)
{
  ShopCart *cart = fixture->cart;

  /* Someone else wrote nonsense to the map: it counts for nothing, and
   * is not saved. */
  isle_map_set_key (fixture->map, "bad-type", g_variant_new_string ("many"));
  isle_map_set_key (fixture->map, "bad-count", g_variant_new_int32 (-4));
  shop_cart_add (cart, "tea-green", 2);

  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 2);
  g_assert_cmpint (shop_cart_get_quantity (cart, "bad-type"), ==, 0);
  assert_cart (cart, "tea-green=2");

  g_assert_true (shop_cart_save (cart, fixture->file, NULL));
  shop_cart_clear (cart);
  g_assert_true (shop_cart_load (cart, fixture->file, NULL));
  assert_cart (cart, "tea-green=2");
  g_assert_null (isle_map_get_key (fixture->map, "bad-type"));

  /* Adding to a nonsense line replaces it. */
  isle_map_set_key (fixture->map, "bad-type", g_variant_new_string ("many"));
  shop_cart_add (cart, "bad-type", 1);
  g_assert_cmpint (shop_cart_get_quantity (cart, "bad-type"), ==, 1);
  shop_cart_remove (cart, "bad-type");
  g_assert_null (isle_map_get_key (fixture->map, "bad-type"));
}

static void
test_cart_save_load (Fixture       *fixture,
                     gconstpointer  data)
{
  ShopCart *cart = fixture->cart;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GVariant) parsed = NULL;
  g_auto(GStrv) names = NULL;
  GStatBuf buf;

  shop_cart_add (cart, "tea-green", 2);
  shop_cart_add (cart, "island-atlas", 1);
  shop_cart_add (cart, "wind-chime", SHOP_CART_MAX_QUANTITY);

  g_assert_true (shop_cart_save (cart, fixture->file, &error));
  g_assert_no_error (error);

  /* The documented format: the text form of the “a{sv}”. */
  g_assert_true (g_file_get_contents (g_file_peek_path (fixture->file), &contents, NULL, NULL));
  g_assert_true (g_str_has_suffix (contents, "\n"));
  parsed = g_variant_parse (G_VARIANT_TYPE_VARDICT, contents, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (parsed), ==, 3);

  /* Private, and no temporary file left behind. */
  g_assert_no_errno (g_stat (g_file_peek_path (fixture->file), &buf));
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  names = list_dir (fixture->dir);
  g_assert_cmpstrv (names, ((const char * const []) { "cart.gvariant", NULL }));

  /* Into an emptied cart, as at the next start. */
  shop_cart_clear (cart);
  g_assert_true (shop_cart_get_can_undo (cart));
  g_assert_true (shop_cart_load (cart, fixture->file, &error));
  g_assert_no_error (error);
  assert_cart (cart, "island-atlas=1 tea-green=2 wind-chime=999");
  g_assert_false (shop_cart_get_can_undo (cart));

  /* Load replaces what the cart held. */
  shop_cart_add (cart, "sea-salt", 1);
  shop_cart_remove (cart, "tea-green");
  g_assert_true (shop_cart_load (cart, fixture->file, &error));
  assert_cart (cart, "island-atlas=1 tea-green=2 wind-chime=999");

  /* Saving again replaces the file. */
  shop_cart_clear (cart);
  g_assert_true (shop_cart_save (cart, fixture->file, &error));
  g_assert_no_error (error);
  shop_cart_add (cart, "sea-salt", 1);
  g_assert_true (shop_cart_load (cart, fixture->file, &error));
  g_assert_no_error (error);
  assert_cart (cart, "");
}

static void
test_cart_save_creates_folder (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "a", "b", "cart.gvariant", NULL);
  g_autoptr(GError) error = NULL;

  shop_cart_add (fixture->cart, "tea-green", 1);
  g_assert_true (shop_cart_save (fixture->cart, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (file, NULL));
}

static void
test_cart_save_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) blocker = g_file_new_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autoptr(GFile) file = g_file_get_child (blocker, "cart.gvariant");
  g_autoptr(GError) error = NULL;

  /* The folder to save in is a file: an error, not a crash. */
  write_file (blocker, "x", -1);
  g_assert_false (shop_cart_save (fixture->cart, file, &error));
  g_assert_nonnull (error);
}

static void
test_cart_load_missing (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (shop_cart_load (fixture->cart, fixture->file, &error));
  g_assert_no_error (error);
  assert_cart (fixture->cart, "");

  /* Nothing saved is an empty cart. */
  shop_cart_add (fixture->cart, "tea-green", 1);
  g_assert_true (shop_cart_load (fixture->cart, fixture->file, &error));
  g_assert_no_error (error);
  assert_cart (fixture->cart, "");
  g_assert_false (g_file_query_exists (fixture->file, NULL));
}

static void
test_cart_load_corrupt (Fixture       *fixture,
                        gconstpointer  data)
{
#define CASE(text) { text, sizeof (text) - 1 }
  const struct {
    const char *contents;
    gsize       length;
  } cases[] = {
    CASE ("garbage {"),
    CASE (""),
    CASE ("[1, 2, 3]\n"),                              /* the wrong type */
    CASE ("{'tea-green': 2}\n"),                       /* “a{si}”, not “a{sv}” */
    CASE ("{'tea-green': <'two'>}\n"),                 /* not a quantity */
    CASE ("{'tea-green': <int64 2>}\n"),               /* not an int32 */
    CASE ("{'tea-green': <0>}\n"),                     /* not at least 1 */
    CASE ("{'tea-green': <-3>}\n"),
    CASE ("{'tea-green': <1000>}\n"),                  /* above the maximum */
    CASE ("{'': <1>}\n"),                              /* no id */
    CASE ("{'tea-green': <2>} trailing\n"),
    CASE ("{'tea-\xff\xfe': <2>}\n"),                  /* not UTF-8 */
    CASE ("{'tea-green': <2>}\0{'sea-salt': <1>}\n"),  /* a NUL inside */
    CASE ("{'tea-green': <2>, 'tea-green': <3>}\n"),  /* an id twice */
  };
#undef CASE

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;
      g_autofree char *aside = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      g_test_message ("Case %u", i);
      write_file (fixture->file, cases[i].contents, cases[i].length);

      g_assert_false (shop_cart_load (fixture->cart, fixture->file, &error));
      g_assert_error (error, SHOP_CART_ERROR, SHOP_CART_ERROR_CORRUPT);
      g_test_message ("%s", error->message);
      assert_cart (fixture->cart, "");
      g_assert_false (shop_cart_get_can_undo (fixture->cart));

      /* The original is gone, kept aside under a dated name. */
      g_assert_false (g_file_query_exists (fixture->file, NULL));
      names = list_dir (fixture->dir);
      g_assert_cmpuint (g_strv_length (names), ==, 1);
      g_assert_true (is_corrupt_name (names[0]));

      /* The message says where, and the bytes are kept as they were. */
      aside = g_build_filename (fixture->dir, names[0], NULL);
      if (strstr (error->message, aside) == NULL)
        g_error ("“%s” does not say “%s”", error->message, aside);
      g_assert_true (g_file_get_contents (aside, &contents, &length, NULL));
      g_assert_cmpmem (contents, length, cases[i].contents, cases[i].length);
      g_assert_no_errno (g_unlink (aside));

      /* The next save goes where the bad file was. */
      g_assert_true (shop_cart_save (fixture->cart, fixture->file, NULL));
      g_assert_true (shop_cart_load (fixture->cart, fixture->file, NULL));
      g_assert_no_errno (g_unlink (g_file_peek_path (fixture->file)));
    }
}

static void
test_cart_load_corrupt_keeps_cart (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* On error, what the cart holds stays. */
  shop_cart_add (fixture->cart, "tea-green", 2);
  write_file (fixture->file, "nonsense", -1);
  g_assert_false (shop_cart_load (fixture->cart, fixture->file, &error));
  g_assert_error (error, SHOP_CART_ERROR, SHOP_CART_ERROR_CORRUPT);
  assert_cart (fixture->cart, "tea-green=2");
  g_assert_true (shop_cart_get_can_undo (fixture->cart));
}

static void
test_cart_load_corrupt_twice (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(GStrv) names = NULL;

  /* Two bad files within a second: neither overwrites the other. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      write_file (fixture->file, "nonsense", -1);
      g_assert_false (shop_cart_load (fixture->cart, fixture->file, &error));
      g_assert_error (error, SHOP_CART_ERROR, SHOP_CART_ERROR_CORRUPT);
    }

  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_true (is_corrupt_name (names[i]));
}

static void
test_cart_load_unreadable (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root can read a file of mode 000");
      return;
    }

  shop_cart_add (fixture->cart, "tea-green", 2);
  g_assert_true (shop_cart_save (fixture->cart, fixture->file, NULL));
  shop_cart_clear (fixture->cart);
  g_assert_no_errno (g_chmod (g_file_peek_path (fixture->file), 0));

  g_assert_false (shop_cart_load (fixture->cart, fixture->file, &error));
  g_assert_error (error, SHOP_CART_ERROR, SHOP_CART_ERROR_UNREADABLE);
  g_test_message ("%s", error->message);
  assert_cart (fixture->cart, "");

  /* Kept aside too, so that the next save does not destroy it. */
  g_assert_false (g_file_query_exists (fixture->file, NULL));
  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (is_corrupt_name (names[0]));
  {
    g_autofree char *aside = g_build_filename (fixture->dir, names[0], NULL);

    g_assert_nonnull (strstr (error->message, aside));
  }
}

static void
test_cart_load_unmovable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root can write to a folder of mode 500");
      return;
    }

  /* A bad file in a read-only folder stays, and the message says so. */
  write_file (fixture->file, "nonsense", -1);
  g_assert_no_errno (g_chmod (fixture->dir, 0500));
  g_assert_false (shop_cart_load (fixture->cart, fixture->file, &error));
  g_assert_no_errno (g_chmod (fixture->dir, 0700));

  g_assert_error (error, SHOP_CART_ERROR, SHOP_CART_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, g_file_peek_path (fixture->file)));
  g_assert_true (g_file_query_exists (fixture->file, NULL));
  assert_cart (fixture->cart, "");
}

static void
test_cart_bad_arguments (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*SHOP_IS_CART*");
  g_assert_cmpuint (shop_cart_get_n_items (NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_IS_FILE*");
  g_assert_false (shop_cart_load (fixture->cart, NULL, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_IS_FILE*");
  g_assert_false (shop_cart_save (fixture->cart, NULL, &error));
  g_test_assert_expected_messages ();

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*SHOP_IS_CATALOGUE*");
  g_assert_cmpfloat (shop_cart_get_total (fixture->cart, NULL), ==, 0.0);
  g_test_assert_expected_messages ();

  g_assert_no_error (error);
}

/* Last: the default cart lives as long as the process. */
static void
test_cart_default (void)
{
  IsleRegistry *registry = isle_registry_get_default ();
  ShopCart *cart = shop_cart_get_default ();

  g_assert_true (SHOP_IS_CART (cart));
  g_assert_true (shop_cart_get_default () == cart);
  g_assert_true (isle_registry_lookup (registry, "cart") == ISLE_STORE (shop_cart_get_map (cart)));

  shop_cart_add (cart, "tea-green", 1);
  g_assert_cmpuint (shop_cart_get_n_items (cart), ==, 1);
  shop_cart_clear (cart);

  g_assert_true (isle_registry_remove (registry, "cart"));
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  /* Only GIO's built-in local files: the modules it would otherwise load
   * (gvfs) are never freed, and valgrind would count them as leaks. */
  g_setenv ("GIO_MODULE_DIR", "", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Shop/Cart/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("registry", test_cart_registry);
  g_test_add_func ("/Shop/Cart/existing-map", test_cart_existing_map);
  ADD ("add", test_cart_add);
  ADD ("remove", test_cart_remove);
  ADD ("set-quantity", test_cart_set_quantity);
  ADD ("undo", test_cart_undo);
  ADD ("undo-limit", test_cart_undo_limit);
  ADD ("add-from-threads", test_cart_add_from_threads);
  ADD ("can-undo-notify", test_cart_can_undo_notify);
  ADD ("clear", test_cart_clear);
  ADD ("total", test_cart_total);
  g_test_add_func ("/Shop/Cart/value-functions", test_cart_value_functions);
  g_test_add_func ("/Shop/Cart/unavailable", test_cart_unavailable);
  g_test_add_func ("/Shop/Cart/recommend", test_cart_recommend);
  ADD ("foreign-values", test_cart_foreign_values);
  ADD ("save-load", test_cart_save_load);
  ADD ("save-creates-folder", test_cart_save_creates_folder);
  ADD ("save-error", test_cart_save_error);
  ADD ("load-missing", test_cart_load_missing);
  ADD ("load-corrupt", test_cart_load_corrupt);
  ADD ("load-corrupt-keeps-cart", test_cart_load_corrupt_keeps_cart);
  ADD ("load-corrupt-twice", test_cart_load_corrupt_twice);
  ADD ("load-unreadable", test_cart_load_unreadable);
  ADD ("load-unmovable", test_cart_load_unmovable);
  ADD ("bad-arguments", test_cart_bad_arguments);
  g_test_add_func ("/Shop/Cart/default", test_cart_default);

#undef ADD

  return g_test_run ();
}
