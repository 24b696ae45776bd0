/* test-island-store.c: isle_island_use_store()
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "isle.h"

typedef struct
{
  IsleMap   *map;
  IsleState *mirror;
} Fixture;

static void
setup_cb (IsleIsland *island,
          gpointer    user_data)
{
  Fixture *fixture = user_data;

  fixture->mirror = isle_island_use_store (island, ISLE_STORE (fixture->map));
}

/* A map mirrored into an island: seeded, following changes, read-only
 * towards the store, and let go with the island. */
static void
test_use_store_map (void)
{
  Fixture fixture = { 0 };
  GtkWidget *island;
  GVariant *mirrored;
  g_autoptr(GVariant) key = NULL;

  fixture.map = isle_map_new ("shop-like-cart", g_variant_new_parsed ("{'tea': <2>}"));
  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, setup_cb,
                                                           &fixture, NULL));

  g_assert_nonnull (fixture.mirror);
  g_assert_cmpuint (isle_state_get_value_type (fixture.mirror), ==, G_TYPE_VARIANT);
  mirrored = isle_state_get_variant (fixture.mirror);
  g_assert_true (g_variant_lookup (mirrored, "tea", "i", NULL));
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (fixture.map)), ==, 1);

  isle_map_set_key (fixture.map, "cake", g_variant_new_int32 (1));
  mirrored = isle_state_get_variant (fixture.mirror);
  g_assert_true (g_variant_lookup (mirrored, "cake", "i", NULL));

  /* Writes to the mirror stay in the island. */
  isle_state_set_variant (fixture.mirror, g_variant_new_parsed ("@a{sv} {}"));
  isle_graph_flush (isle_island_get_graph (ISLE_ISLAND (island)));
  key = isle_map_get_key (fixture.map, "tea");
  g_assert_nonnull (key);

  g_object_unref (island);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (fixture.map)), ==, 0);
  g_assert_finalize_object (fixture.map);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Island/use-store/map", test_use_store_map);

  return g_test_run ();
}
