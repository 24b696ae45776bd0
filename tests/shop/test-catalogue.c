/* test-catalogue.c: unit tests for ShopCatalogue and ShopProduct
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The real catalogue is read from the source tree (data/), as shipped;
 * the errors are checked on small catalogues written inline. Tests run
 * with warnings and criticals fatal, and end with
 * g_assert_finalize_object() to prove that nothing kept a reference.
 */

#include <locale.h>
#include <math.h>
#include <string.h>

#include "shop-stores.h"

#define SHOP_LOG_DOMAIN "IsleShop"

/* Helpers {{{ */

static ShopCatalogue *
catalogue_from_string (const char  *text,
                       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return shop_catalogue_new_from_bytes (bytes, error);
}

/* Loads @text, which must fail with @code, and checks that the message
 * names every string of @words. */
static void
assert_catalogue_error (const char          *text,
                        ShopCatalogueError   code,
                        const char * const  *words)
{
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;

  catalogue = catalogue_from_string (text, &error);
  g_assert_null (catalogue);
  g_assert_error (error, SHOP_CATALOGUE_ERROR, (int) code);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      if (strstr (error->message, words[i]) == NULL)
        g_error ("“%s” does not name “%s”", error->message, words[i]);
    }
}

static const char * const categories[] = { "Food", "Home", "Books", "Garden", NULL };

/* Everything a product of the shipped catalogue must have. */
static void
assert_product_valid (ShopProduct *product)
{
  const char *icon_name = shop_product_get_icon_name (product);

  g_assert_true (SHOP_IS_PRODUCT (product));
  g_assert_nonnull (shop_product_get_id (product));
  g_assert_null (strchr (shop_product_get_id (product), ' '));
  g_assert_cmpstr (shop_product_get_name (product), !=, "");
  g_assert_cmpstr (shop_product_get_description (product), !=, "");
  g_assert_cmpfloat (shop_product_get_price (product), >, 0.0);
  g_assert_true (isfinite (shop_product_get_price (product)));
  g_assert_true (g_strv_contains (categories, shop_product_get_category (product)));
  g_assert_true (g_str_has_suffix (icon_name, "-symbolic"));

  /* The icon must exist in Adwaita, when Adwaita is there to ask. */
  if (g_file_test ("/usr/share/icons/Adwaita/scalable", G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open ("/usr/share/icons/Adwaita/scalable", 0, NULL);
      g_autofree char *file_name = g_strconcat (icon_name, ".svg", NULL);
      gboolean found = FALSE;
      const char *context;

      g_assert_nonnull (dir);
      while (!found && (context = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename ("/usr/share/icons/Adwaita/scalable",
                                                    context, file_name, NULL);
          found = g_file_test (path, G_FILE_TEST_EXISTS);
        }
      if (!found)
        g_error ("Adwaita has no icon “%s” (product “%s”)", icon_name,
                 shop_product_get_id (product));
    }
}

static void
assert_catalogue_valid (ShopCatalogue *catalogue)
{
  GListModel *model = G_LIST_MODEL (catalogue);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_categories = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_products = g_list_model_get_n_items (model);

  g_assert_true (g_list_model_get_item_type (model) == SHOP_TYPE_PRODUCT);
  g_assert_cmpuint (n_products, >=, 12);
  g_assert_null (g_list_model_get_item (model, n_products));

  for (guint i = 0; i < n_products; i++)
    {
      g_autoptr(ShopProduct) product = g_list_model_get_item (model, i);
      const char *id = shop_product_get_id (product);

      assert_product_valid (product);
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
      g_hash_table_add (seen_categories, (gpointer) shop_product_get_category (product));

      /* Lookup gives the very object the model holds. */
      g_assert_true (shop_catalogue_lookup (catalogue, id) == product);
    }

  /* Every category has something in it. */
  g_assert_cmpuint (g_hash_table_size (seen_categories), ==, g_strv_length ((char **) categories));
}

/* }}} */

/* Tests {{{ */

static void
test_catalogue_data_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "shop-catalogue.desktop.in", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  ShopCatalogue *catalogue;
  ShopProduct *tea;
  char *contents;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("Could not read %s: %s", path, error->message);
  bytes = g_bytes_new_take (contents, length);

  catalogue = shop_catalogue_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (SHOP_IS_CATALOGUE (catalogue));

  assert_catalogue_valid (catalogue);

  /* The first product, in file order, and one looked up by id. */
  tea = shop_catalogue_lookup (catalogue, "tea-green");
  g_assert_nonnull (tea);
  g_assert_cmpstr (shop_product_get_name (tea), ==, "Green Tea");
  g_assert_cmpfloat_with_epsilon (shop_product_get_price (tea), 4.50, 1e-9);
  g_assert_cmpstr (shop_product_get_category (tea), ==, "Food");
  g_assert_cmpstr (shop_product_get_icon_name (tea), ==, "emoji-food-symbolic");
  {
    g_autoptr(ShopProduct) first = g_list_model_get_item (G_LIST_MODEL (catalogue), 0);

    g_assert_true (first == tea);
  }

  g_assert_null (shop_catalogue_lookup (catalogue, "no-such-product"));
  g_assert_null (shop_catalogue_lookup (catalogue, ""));

  g_assert_finalize_object (catalogue);
}

static void
test_catalogue_resource (void)
{
#ifdef SHOP_HAVE_DATA_RESOURCES
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;

  /* As the program loads it: translations merged in, in the GResource. */
  catalogue = shop_catalogue_new_from_resource ("/org/isletoolkit/IsleShop/catalogue.ini", &error);
  g_assert_no_error (error);
  assert_catalogue_valid (catalogue);
  g_assert_cmpstr (shop_product_get_name (shop_catalogue_lookup (catalogue, "tea-green")), ==,
                   "Green Tea");
  g_assert_finalize_object (catalogue);
#else
  g_test_skip ("The data GResource is not built");
#endif
}

static void
test_catalogue_resource_missing (void)
{
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;

  catalogue = shop_catalogue_new_from_resource ("/org/isletoolkit/IsleShop/no-such-file.ini", &error);
  g_assert_null (catalogue);
  g_assert_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
}

static void
test_catalogue_inline (void)
{
  const char *text =
    "# A comment, and a group that is not a product, are ignored.\n"
    "[Desktop Entry]\n"
    "Type=Application\n"
    "\n"
    "[Product b-second]\n"
    "Name=Second\n"
    "Description=The second one.\n"
    "Price=0.99\n"
    "Icon=weather-windy-symbolic\n"
    "Category=Garden\n"
    "\n"
    "[Product a-first]\n"
    "Name=First\n"
    "Description=The first one.\n"
    "Price=  12 \n"
    "Icon=alarm-symbolic\n"
    "Category=Home\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(ShopProduct) first = NULL;
  g_autoptr(ShopProduct) second = NULL;
  ShopCatalogue *catalogue;

  catalogue = catalogue_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalogue)), ==, 2);

  /* File order, not sorted. */
  second = g_list_model_get_item (G_LIST_MODEL (catalogue), 0);
  first = g_list_model_get_item (G_LIST_MODEL (catalogue), 1);
  g_assert_cmpstr (shop_product_get_id (second), ==, "b-second");
  g_assert_cmpstr (shop_product_get_id (first), ==, "a-first");
  g_assert_cmpfloat_with_epsilon (shop_product_get_price (second), 0.99, 1e-9);
  g_assert_cmpfloat_with_epsilon (shop_product_get_price (first), 12.0, 1e-9);
  g_assert_null (shop_catalogue_lookup (catalogue, "Desktop Entry"));

  g_assert_finalize_object (catalogue);
  /* The products outlive the catalogue while someone holds them. */
  g_assert_cmpstr (shop_product_get_name (first), ==, "First");
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
}

/* Prices are C-locale data, whatever the user's locale. */
static void
test_catalogue_price_c_locale (void)
{
  const char *text =
    "[Product p]\nName=P\nDescription=D\nPrice=4.50\nIcon=alarm-symbolic\nCategory=Home\n";
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;

  /* A locale with a decimal comma, if the system has one. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL &&
      setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("No locale with a decimal comma is installed");
      return;
    }

  catalogue = catalogue_from_string (text, &error);
  setlocale (LC_NUMERIC, "C");
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (shop_product_get_price (shop_catalogue_lookup (catalogue, "p")),
                                  4.5, 1e-9);
  g_assert_finalize_object (catalogue);
}

static void
test_catalogue_localized (void)
{
  const char *text =
    "[Product tea]\n"
    "Name=Tea\n"
    "Name[de]=Tee\n"
    "Name[fr]=Thé\n"
    "Description=Leaves.\n"
    "Description[de]=Blätter.\n"
    "Price=4.50\n"
    "Icon=emoji-food-symbolic\n"
    "Category=Food\n";
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;
  ShopProduct *tea;

  /* GLib's language list puts LANGUAGE first, and notices its change. */
  g_setenv ("LANGUAGE", "de", TRUE);
  catalogue = catalogue_from_string (text, &error);
  g_assert_no_error (error);
  tea = shop_catalogue_lookup (catalogue, "tea");
  g_assert_cmpstr (shop_product_get_name (tea), ==, "Tee");
  g_assert_cmpstr (shop_product_get_description (tea), ==, "Blätter.");
  g_assert_finalize_object (catalogue);

  /* No French description: the untranslated one. */
  g_setenv ("LANGUAGE", "fr", TRUE);
  catalogue = catalogue_from_string (text, &error);
  g_assert_no_error (error);
  tea = shop_catalogue_lookup (catalogue, "tea");
  g_assert_cmpstr (shop_product_get_name (tea), ==, "Thé");
  g_assert_cmpstr (shop_product_get_description (tea), ==, "Leaves.");
  g_assert_finalize_object (catalogue);

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

static void
test_catalogue_missing_key (void)
{
  const char *keys[] = { "Name", "Description", "Price", "Icon", "Category" };
  const char *lines[] = {
    "Name=Tea\n",
    "Description=Leaves.\n",
    "Price=4.50\n",
    "Icon=emoji-food-symbolic\n",
    "Category=Food\n",
  };

  /* Each key left out in turn: the error names the group and the key. */
  for (guint skip = 0; skip < G_N_ELEMENTS (keys); skip++)
    {
      g_autoptr(GString) text = g_string_new ("[Product fine]\n");
      const char *words[] = { "Product broken", keys[skip], NULL };

      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        g_string_append (text, lines[i]);
      g_string_append (text, "\n[Product broken]\n");
      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        {
          if (i != skip)
            g_string_append (text, lines[i]);
        }

      assert_catalogue_error (text->str, SHOP_CATALOGUE_ERROR_MISSING_KEY, words);
    }

  /* Present but empty is invalid rather than missing. */
  {
    const char *words[] = { "Product tea", "Name", NULL };

    assert_catalogue_error ("[Product tea]\nName=  \nDescription=D\nPrice=1\n"
                            "Icon=alarm-symbolic\nCategory=Home\n",
                            SHOP_CATALOGUE_ERROR_INVALID_VALUE, words);
  }
}

static void
test_catalogue_bad_price (void)
{
  const char *prices[] = { "4,50", "abc", "-1", "0", "0.00", "4.50 EUR", "€4.50", "nan", "inf",
                           "1e999", "", "0x10", "0x1p3", "1e308", "1e3", "4.505", "+4.50",
                           ".50", "4.", "100000", "99999.991", "4.50.1", "INFINITY", "4 50" };

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text =
        g_strdup_printf ("[Product tea]\nName=Tea\nDescription=Leaves.\nPrice=%s\n"
                         "Icon=emoji-food-symbolic\nCategory=Food\n", prices[i]);
      const char *words[] = { "Product tea", "Price", NULL };

      g_test_message ("Price=%s", prices[i]);
      assert_catalogue_error (text, SHOP_CATALOGUE_ERROR_INVALID_VALUE, words);
    }
}

/* Prices the parser takes, exactly, in cents. */
static void
test_catalogue_good_prices (void)
{
  const struct { const char *text; double price; } prices[] = {
    { "0.01", 0.01 }, { "0.1", 0.10 }, { "4.5", 4.50 }, { "12", 12.0 },
    { "99999.99", 99999.99 }, { "007.25", 7.25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text =
        g_strdup_printf ("[Product tea]\nName=Tea\nDescription=Leaves.\nPrice=%s\n"
                         "Icon=emoji-food-symbolic\nCategory=Food\n", prices[i].text);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(ShopCatalogue) catalogue = shop_catalogue_new_from_bytes (bytes, &error);

      g_test_message ("Price=%s", prices[i].text);
      g_assert_no_error (error);
      g_assert_cmpfloat (shop_product_get_price (shop_catalogue_lookup (catalogue, "tea")), ==,
                         prices[i].price);
    }
}

static void
test_catalogue_bad_id (void)
{
  const char *words[] = { "Product ", NULL };

  assert_catalogue_error ("[Product ]\nName=Tea\nDescription=Leaves.\nPrice=1\n"
                          "Icon=emoji-food-symbolic\nCategory=Food\n",
                          SHOP_CATALOGUE_ERROR_INVALID_VALUE, words);
  assert_catalogue_error ("[Product two words]\nName=Tea\nDescription=Leaves.\nPrice=1\n"
                          "Icon=emoji-food-symbolic\nCategory=Food\n",
                          SHOP_CATALOGUE_ERROR_INVALID_VALUE, words);
}

static void
test_catalogue_parse_error (void)
{
  assert_catalogue_error ("this is not a key file\n", SHOP_CATALOGUE_ERROR_PARSE, NULL);
  assert_catalogue_error ("[Product tea\nName=Tea\n", SHOP_CATALOGUE_ERROR_PARSE, NULL);
}

static void
test_catalogue_empty (void)
{
  assert_catalogue_error ("", SHOP_CATALOGUE_ERROR_EMPTY, NULL);
  assert_catalogue_error ("# nothing\n[Desktop Entry]\nType=Application\n",
                          SHOP_CATALOGUE_ERROR_EMPTY, NULL);
}

static void
test_catalogue_bad_arguments (void)
{
  g_autoptr(GError) error = NULL;
  ShopCatalogue *catalogue;

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*bytes != NULL*");
  g_assert_null (shop_catalogue_new_from_bytes (NULL, &error));
  g_test_assert_expected_messages ();

  catalogue = catalogue_from_string ("[Product p]\nName=P\nDescription=D\nPrice=1\n"
                                     "Icon=alarm-symbolic\nCategory=Home\n", &error);
  g_assert_no_error (error);

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*id != NULL*");
  g_assert_null (shop_catalogue_lookup (catalogue, NULL));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (catalogue);
}

static void
test_product_properties (void)
{
  ShopProduct *product;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  g_autofree char *icon_name = NULL;
  g_autofree char *category = NULL;
  double price;

  product = shop_product_new ("wind-chime", "Wind Chime", "Sings.", 14.5,
                              "weather-windy-symbolic", "Garden");
  g_object_get (product,
                "id", &id,
                "name", &name,
                "description", &description,
                "price", &price,
                "icon-name", &icon_name,
                "category", &category,
                NULL);
  g_assert_cmpstr (id, ==, "wind-chime");
  g_assert_cmpstr (name, ==, "Wind Chime");
  g_assert_cmpstr (description, ==, "Sings.");
  g_assert_cmpfloat (price, ==, 14.5);
  g_assert_cmpstr (icon_name, ==, "weather-windy-symbolic");
  g_assert_cmpstr (category, ==, "Garden");
  g_assert_finalize_object (product);

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*price*");
  g_assert_null (shop_product_new ("x", "X", "", -1.0, "alarm-symbolic", "Home"));
  g_test_assert_expected_messages ();

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*id != NULL*");
  g_assert_null (shop_product_new ("", "X", "", 1.0, "alarm-symbolic", "Home"));
  g_test_assert_expected_messages ();
}

/* }}} */

/* The search: every word starts a word of the name, description or
 * category, whatever the case and accents; blanks match everything. */
static void
test_product_matches (void)
{
  g_autoptr(ShopProduct) product = shop_product_new ("tea", "Green Tea", "Loose leaves from the hills",
                                                     4.5, "i", "Food");
  g_autoptr(ShopProduct) accented = shop_product_new ("creme", "Crème brûlée", "Sweet", 3.0, "i",
                                                      "Food");

  g_assert_true (shop_product_matches (product, ""));
  g_assert_true (shop_product_matches (product, "   "));
  g_assert_true (shop_product_matches (product, "green"));
  g_assert_true (shop_product_matches (product, "TEA"));
  g_assert_true (shop_product_matches (product, "te"));
  g_assert_true (shop_product_matches (product, "tea green"));
  g_assert_true (shop_product_matches (product, "hills"));
  g_assert_true (shop_product_matches (product, "food"));
  g_assert_false (shop_product_matches (product, "coffee"));
  g_assert_false (shop_product_matches (product, "green coffee"));
  g_assert_false (shop_product_matches (product, "ea"));
  g_assert_true (shop_product_matches (accented, "creme"));
  g_assert_true (shop_product_matches (accented, "brulee"));

  g_test_expect_message (SHOP_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_false (shop_product_matches (product, NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Shop/Catalogue/data-file", test_catalogue_data_file);
  g_test_add_func ("/Shop/Catalogue/resource", test_catalogue_resource);
  g_test_add_func ("/Shop/Catalogue/resource-missing", test_catalogue_resource_missing);
  g_test_add_func ("/Shop/Catalogue/inline", test_catalogue_inline);
  g_test_add_func ("/Shop/Catalogue/price-c-locale", test_catalogue_price_c_locale);
  g_test_add_func ("/Shop/Catalogue/localized", test_catalogue_localized);
  g_test_add_func ("/Shop/Catalogue/missing-key", test_catalogue_missing_key);
  g_test_add_func ("/Shop/Catalogue/bad-price", test_catalogue_bad_price);
  g_test_add_func ("/Shop/Catalogue/good-prices", test_catalogue_good_prices);
  g_test_add_func ("/Shop/Catalogue/bad-id", test_catalogue_bad_id);
  g_test_add_func ("/Shop/Catalogue/parse-error", test_catalogue_parse_error);
  g_test_add_func ("/Shop/Catalogue/empty", test_catalogue_empty);
  g_test_add_func ("/Shop/Catalogue/bad-arguments", test_catalogue_bad_arguments);
  g_test_add_func ("/Shop/Product/properties", test_product_properties);
  g_test_add_func ("/Shop/Product/matches", test_product_matches);

  return g_test_run ();
}
