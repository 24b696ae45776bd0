#!/usr/bin/env bash
# tests/data/check-stores-pc.sh: the GTK-free half stands on its own.
# Through the uninstalled isle-stores-1.pc, its flags name no GTK library,
# and a program that uses only GLib and the stores compiles, links, runs,
# and loads no GTK.
#
#   check-stores-pc.sh CC BUILDDIR
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

set -euo pipefail

cc="$1" builddir="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/isle-stores-pc-XXXXXX")"
trap 'rm -rf "$work"' EXIT

export PKG_CONFIG_PATH="$builddir/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

libs="$(pkg-config --libs isle-stores-1)"
cflags="$(pkg-config --cflags isle-stores-1)"
printf 'pkg-config --libs isle-stores-1: %s\n' "$libs"
if grep -Eq 'gtk|gdk|pango|cairo|graphene' <<<"$libs $(pkg-config --print-requires isle-stores-1)"; then
  echo "FAIL: isle-stores-1 names a GTK library" >&2
  exit 1
fi

cat >"$work/headless.c" <<'C'
#include <isle-stores.h>

int
main (void)
{
  IsleAtom *cart = isle_registry_ensure_int (isle_registry_get_default (), "cart", 0);
  IsleGraph *graph = isle_graph_new ();
  IsleState *count = isle_state_new_int (graph, 1);

  isle_atom_add_int (cart, 2);
  isle_state_set_int (count, isle_store_get_int (ISLE_STORE (cart)));
  g_print ("cart %d, state %d\n", isle_store_get_int (ISLE_STORE (cart)), isle_state_get_int (count));
  g_object_unref (graph);

  return isle_store_get_int (ISLE_STORE (cart)) == 2 ? 0 : 1;
}
C

# shellcheck disable=SC2086 # the flags are words
"$cc" -o "$work/headless" "$work/headless.c" $cflags $libs

loaded="$(LD_LIBRARY_PATH="$builddir/stores" ldd "$work/headless")"
if grep -Eq 'libgtk|libgdk' <<<"$loaded"; then
  printf '%s\n' "$loaded" >&2
  echo "FAIL: a GTK-free program linked against isle-stores-1 loads GTK" >&2
  exit 1
fi

LD_LIBRARY_PATH="$builddir/stores" "$work/headless"
echo "ok: a GTK-free program links against isle-stores-1 and runs"
