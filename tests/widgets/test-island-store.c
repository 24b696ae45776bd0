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

typedef struct
{
  IsleAtom     *id;
  IsleResource *resource;
  IsleState    *mirror;
  GtkWidget    *spinner;
  GPtrArray    *tasks;
} ResourceFixture;

static void
keep_task_cb (IsleResource *resource,
              GVariant     *values,
              GTask        *task,
              gpointer      user_data)
{
  ResourceFixture *fixture = user_data;

  g_ptr_array_add (fixture->tasks, g_object_ref (task));
}

static void
resource_setup_cb (IsleIsland *island,
                   gpointer    user_data)
{
  ResourceFixture *fixture = user_data;

  fixture->mirror = isle_island_use_store (island, ISLE_STORE (fixture->resource));
  fixture->spinner = gtk_spinner_new ();
  g_object_bind_property (fixture->resource, "loading", fixture->spinner, "spinning",
                          G_BINDING_SYNC_CREATE);
  isle_island_set_child (island, fixture->spinner);
}

/* A pane over an async resource: the mirror state follows the newest
 * run's value only (a stale one never reaches the island), and a spinner
 * bound to loading spins while a run is pending. */
static void
test_use_store_resource (void)
{
  ResourceFixture fixture = { 0 };
  IsleStore *sources[1];
  GtkWidget *island;

  fixture.id = isle_atom_new_int ("profile-id", 1);
  fixture.tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sources[0] = ISLE_STORE (fixture.id);
  fixture.resource = isle_resource_new ("profile", G_VARIANT_TYPE_STRING, sources, 1,
                                        keep_task_cb, &fixture, NULL);
  island = g_object_ref_sink (isle_island_new_with_setup (ISLE_ACTIVATION_LOAD, resource_setup_cb,
                                                           &fixture, NULL));

  g_assert_cmpuint (fixture.tasks->len, ==, 1);
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (fixture.spinner)));
  g_assert_cmpstr (isle_state_get_string (fixture.mirror), ==, "");

  isle_atom_set_int (fixture.id, 2);
  g_assert_cmpuint (fixture.tasks->len, ==, 2);
  isle_resource_return_value (g_ptr_array_index (fixture.tasks, 1), g_variant_new_string ("Grace"));
  isle_resource_return_value (g_ptr_array_index (fixture.tasks, 0), g_variant_new_string ("Ada"));
  isle_task_wait_all (NULL);

  g_assert_cmpstr (isle_state_get_string (fixture.mirror), ==, "Grace");
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (fixture.spinner)));

  g_object_unref (island);
  g_assert_cmpuint (isle_store_get_n_listeners (ISLE_STORE (fixture.resource)), ==, 0);
  g_ptr_array_unref (fixture.tasks);
  g_assert_finalize_object (fixture.resource);
  g_assert_finalize_object (fixture.id);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Isle/Island/use-store/map", test_use_store_map);
  g_test_add_func ("/Isle/Island/use-store/resource", test_use_store_resource);

  return g_test_run ();
}
