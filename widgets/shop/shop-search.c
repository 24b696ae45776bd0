/* shop-search.c: the search field of the catalogue
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "shop-catalogue.h"
#include "shop-search.h"

/* An island with a search entry. It writes what the user types to the
 * registry's SHOP_CATALOGUE_QUERY atom, and shows what the atom holds (so
 * a query set elsewhere shows here too); it knows nothing of the
 * catalogue pane, which reads the same atom. */

struct _ShopSearch
{
  IsleIsland      parent_instance;

  IsleState      *query;
  GtkSearchEntry *entry;
  gboolean        showing_query;  /* in show_query_cb's set_text */
};

G_DEFINE_FINAL_TYPE (ShopSearch, shop_search, ISLE_TYPE_ISLAND)

static void
search_changed_cb (GtkSearchEntry *entry,
                   ShopSearch     *self)
{
  if (self->showing_query)
    return;

  isle_state_set_string (self->query, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static gboolean
show_query_cb (IsleEffect  *effect,
               gpointer     user_data,
               GError     **error)
{
  ShopSearch *self = user_data;
  g_autofree char *query = g_strdup (isle_state_get_string (self->query));

  /* gtk_editable_set_text() deletes the old text before it inserts the
   * new, and GtkSearchEntry says "search-changed" at once when the text
   * is empty: search_changed_cb would then set the state to "" (freeing
   * the string it returned, hence the copy) and write the "" through to
   * the atom before the query that came from it. So a change made here
   * is not written back. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), query) != 0)
    {
      self->showing_query = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->entry), query != NULL ? query : "");
      self->showing_query = FALSE;
    }

  return TRUE;
}

static void
shop_search_setup (IsleIsland *island)
{
  ShopSearch *self = SHOP_SEARCH (island);
  IsleAtom *atom = isle_registry_ensure_string (isle_registry_get_default (), SHOP_CATALOGUE_QUERY, "");

  self->query = isle_island_use_atom (island, atom);

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->entry), TRUE);
  g_object_set (self->entry, "placeholder-text", _("Search products"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search products"),
                                  -1);
  g_signal_connect_object (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self, 0);
  isle_island_set_child (island, GTK_WIDGET (self->entry));

  isle_effect_set_name (isle_effect_new (isle_island_get_graph (island), show_query_cb, self, NULL),
                        "show query");
}

static void
shop_search_class_init (ShopSearchClass *klass)
{
  ISLE_ISLAND_CLASS (klass)->setup = shop_search_setup;
}

static void
shop_search_init (ShopSearch *self)
{
}

GtkWidget *
shop_search_new (void)
{
  return g_object_new (SHOP_TYPE_SEARCH,
                       "activation", ISLE_ACTIVATION_LOAD,
                       "name", "search",
                       NULL);
}

/*
 * shop_search_get_entry:
 *
 * The entry, for a GtkSearchBar to connect to (type-to-search, Escape).
 */
GtkEditable *
shop_search_get_entry (ShopSearch *self)
{
  g_return_val_if_fail (SHOP_IS_SEARCH (self), NULL);

  return GTK_EDITABLE (self->entry);
}
