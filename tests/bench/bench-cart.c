/* bench-cart.c: Isle Shop's cart on disk
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Times loading a saved cart of 1 000, 10 000 and 100 000 lines (read,
 * parse, validate and one change of the map: shop_cart_load ()), saving
 * it, and one "Add" into a 10 000-line cart; and, for comparison, the
 * way the cart loaded before (one isle_map_set_key () per line, each
 * copying the whole map) at 1 000 and 2 000 lines. Prints medians; it
 * asserts nothing about time. --quick (the smoke test of the suite) runs
 * the small sizes once and checks the loaded values.
 */

#include <glib/gstdio.h>
#include <stdio.h>

#include "shop-stores.h"

static gboolean quick = FALSE;

static GVariant *
make_cart (guint n_lines)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < n_lines; i++)
    {
      char id[32];

      g_snprintf (id, sizeof id, "product-%06u", i);
      g_variant_builder_add (&builder, "{sv}", id, g_variant_new_int32 ((int) (i % 999) + 1));
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *samples,
        guint   n)
{
  qsort (samples, n, sizeof (double), compare_doubles);
  return samples[n / 2];
}

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    {
      g_printerr ("bench-cart: %s\n", what);
      exit (1);
    }
}

static void
empty_cart (ShopCart *cart)
{
  isle_map_replace (shop_cart_get_map (cart), g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

static void
bench_load (ShopCart   *cart,
            const char *dir,
            guint       n_lines)
{
  g_autoptr(GVariant) lines = make_cart (n_lines);
  g_autofree char *path = g_build_filename (dir, "cart.gvariant", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint n_runs = quick ? 1 : 7;
  double load[7], save[7];
  gint64 start;

  isle_map_replace (shop_cart_get_map (cart), lines);
  check (shop_cart_save (cart, file, &error), "the cart could not be saved");

  for (guint run = 0; run < n_runs; run++)
    {
      empty_cart (cart);

      start = g_get_monotonic_time ();
      check (shop_cart_load (cart, file, &error), "the cart could not be loaded");
      load[run] = (g_get_monotonic_time () - start) / 1000.0;
      check (shop_cart_get_quantity (cart, "product-000000") == 1, "wrong first line");
      check (g_variant_n_children (lines) == (gsize) n_lines, "wrong number of lines");
      {
        g_autoptr(GVariant) loaded = isle_store_get_value (ISLE_STORE (shop_cart_get_map (cart)));

        check (g_variant_n_children (loaded) == n_lines, "the loaded cart lost lines");
      }

      start = g_get_monotonic_time ();
      check (shop_cart_save (cart, file, &error), "the cart could not be saved");
      save[run] = (g_get_monotonic_time () - start) / 1000.0;
    }

  {
    GStatBuf buf;

    g_stat (path, &buf);
    printf ("cart_load_%-6u  load %9.2f ms   save %9.2f ms   (%u lines, %lld bytes, median of %u)\n",
            n_lines, median (load, n_runs), median (save, n_runs), n_lines,
            (long long) buf.st_size, n_runs);
  }
  g_unlink (path);
}

/* The old way: one set_key per line, in one batch. */
static void
bench_load_per_key (ShopCart *cart,
                    guint     n_lines)
{
  g_autoptr(GVariant) lines = make_cart (n_lines);
  IsleMap *map = shop_cart_get_map (cart);
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gint64 start;

  empty_cart (cart);
  start = g_get_monotonic_time ();
  isle_store_batch_begin ();
  g_variant_iter_init (&iter, lines);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      isle_map_set_key (map, key, value);
      g_variant_unref (value);
    }
  isle_store_batch_end ();
  printf ("cart_load_per_key_%-6u  %9.2f ms   (the way before isle_map_replace (), for comparison)\n",
          n_lines, (g_get_monotonic_time () - start) / 1000.0);
}

static void
bench_add (ShopCart *cart,
           guint     n_lines)
{
  g_autoptr(GVariant) lines = make_cart (n_lines);
  guint n_adds = quick ? 3 : 51;
  double samples[51];

  isle_map_replace (shop_cart_get_map (cart), lines);
  for (guint i = 0; i < n_adds; i++)
    {
      gint64 start = g_get_monotonic_time ();

      shop_cart_add (cart, "tea-green", 1);
      samples[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  check (shop_cart_get_quantity (cart, "tea-green") == (int) n_adds, "an add was lost");
  printf ("cart_add_%-6u    add %9.3f ms   (one shop_cart_add () into a %u-line cart, median of %u)\n",
          n_lines, median (samples, n_adds), n_lines, n_adds);
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "Small sizes, once: check values only", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  ShopCart *cart;

  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-cart: %s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("bench-cart-XXXXXX", &error);
  check (dir != NULL, "no temporary folder");
  cart = shop_cart_new ();

  bench_load (cart, dir, 1000);
  bench_load (cart, dir, 10000);
  if (!quick)
    bench_load (cart, dir, 100000);
  bench_add (cart, quick ? 1000 : 10000);
  bench_load_per_key (cart, 1000);
  if (!quick)
    bench_load_per_key (cart, 2000);

  g_object_unref (cart);
  g_rmdir (dir);

  return 0;
}
