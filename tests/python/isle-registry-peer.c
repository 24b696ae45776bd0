/* isle-registry-peer.c: the C side of the registry shared with Python
 *
 * Copyright 2026 The Isle Developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A small shared module that test_stores.py loads with ctypes into the
 * Python process, where it links the same libisle-1 as the typelib: C code
 * creates the atom "cart" in the default registry and listens to it, and
 * Python must find the very same object by name, and each side must hear
 * the sets made by the other.
 */

#include <isle.h>

/* Exported to Python (ctypes); declared here for -Wmissing-prototypes. */
extern int isle_test_peer_changes;

void isle_test_peer_create_cart     (void);
void isle_test_peer_set_cart        (int value);
int  isle_test_peer_get_changes     (void);
int  isle_test_peer_get_last_value  (void);
int  isle_test_peer_get_cart        (void);

/* The number of changes of "cart" the C listener heard. */
int isle_test_peer_changes = 0;

static int last_value = 0;

static IsleAtom *
lookup_cart (void)
{
  IsleStore *store = isle_registry_lookup (isle_registry_get_default (), "cart");

  if (!ISLE_IS_ATOM (store))
    {
      g_critical ("isle-registry-peer: no atom “cart” in the default registry");
      return NULL;
    }

  return ISLE_ATOM (store);
}

static void
cart_changed_cb (IsleStore *store,
                 GVariant  *value,
                 GVariant  *old_value,
                 gpointer   user_data)
{
  g_assert (ISLE_IS_ATOM (store));
  g_assert (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32));
  g_assert (old_value != NULL);

  isle_test_peer_changes++;
  last_value = g_variant_get_int32 (value);
}

/**
 * isle_test_peer_create_cart:
 *
 * Creates (or finds) the atom "cart" of type "i" with the value 7 in the
 * default registry, and adds a C listener that counts its changes.
 */
void
isle_test_peer_create_cart (void)
{
  g_autoptr(GError) error = NULL;
  IsleAtom *cart;

  cart = isle_registry_ensure_atom (isle_registry_get_default (), "cart",
                                    G_VARIANT_TYPE_INT32, g_variant_new_int32 (7),
                                    &error);
  if (cart == NULL)
    {
      g_critical ("isle-registry-peer: cannot create “cart”: %s", error->message);
      return;
    }

  isle_store_listen (ISLE_STORE (cart), cart_changed_cb, NULL, NULL);
}

/**
 * isle_test_peer_set_cart:
 * @value: the new value
 *
 * Sets "cart" from C.
 */
void
isle_test_peer_set_cart (int value)
{
  IsleAtom *cart = lookup_cart ();

  if (cart != NULL)
    isle_atom_set_int (cart, value);
}

/**
 * isle_test_peer_get_changes:
 *
 * Returns: the number of changes of "cart" the C listener heard
 */
int
isle_test_peer_get_changes (void)
{
  return isle_test_peer_changes;
}

/**
 * isle_test_peer_get_last_value:
 *
 * Returns: the value the C listener heard last
 */
int
isle_test_peer_get_last_value (void)
{
  return last_value;
}

/**
 * isle_test_peer_get_cart:
 *
 * Returns: the value of "cart" read from C
 */
int
isle_test_peer_get_cart (void)
{
  IsleAtom *cart = lookup_cart ();

  return cart != NULL ? isle_store_get_int (ISLE_STORE (cart)) : G_MININT;
}
