#!/usr/bin/env bash
# tests/data/check-install.sh: `meson install` into a temporary directory,
# then check that every file the project promises is there.
#
#   check-install.sh MESON BUILDDIR PREFIX BINDIR LIBDIR INCLUDEDIR DATADIR
#                    LOCALEDIR APP_ID LIBRARY_NAME LINGUAS HEADER...
#
# The directories are meson's options: relative to PREFIX, or absolute.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

set -euo pipefail

if [[ $# -lt 11 ]]; then
  echo "usage: $0 MESON BUILDDIR PREFIX BINDIR LIBDIR INCLUDEDIR DATADIR LOCALEDIR APP_ID LIBRARY_NAME LINGUAS HEADER..." >&2
  exit 2
fi

meson="$1" builddir="$2" prefix="$3" bindir="$4" libdir="$5" includedir="$6"
datadir="$7" localedir="$8" app_id="$9" library="${10}" linguas="${11}"
shift 11
headers=("$@")

destdir="$(mktemp -d "${TMPDIR:-/tmp}/isle-install-XXXXXX")"
log="$destdir.log"
trap 'rm -rf "$destdir" "$log"' EXIT

# target DIR: the absolute path of meson directory option DIR.
target () {
  if [[ "$1" == /* ]]; then
    printf '%s' "$1"
  else
    printf '%s/%s' "$prefix" "$1"
  fi
}

# installed DIR: where meson directory option DIR ends up under the destdir.
installed () {
  printf '%s%s' "$destdir" "$(target "$1")"
}

if ! "$meson" install -C "$builddir" --destdir "$destdir" --no-rebuild >"$log" 2>&1; then
  cat "$log" >&2
  echo "FAIL: meson install failed" >&2
  exit 1
fi

bin="$(installed "$bindir")"
lib="$(installed "$libdir")"
include="$(installed "$includedir")"
data="$(installed "$datadir")"
locale="$(installed "$localedir")"

missing=0
checked=0

# expect PATTERN: at least one file matches the glob PATTERN.
expect () {
  checked=$((checked + 1))
  if compgen -G "$1" >/dev/null; then
    printf 'ok: %s\n' "${1#"$destdir"}"
  else
    printf 'MISSING: %s\n' "${1#"$destdir"}"
    missing=$((missing + 1))
  fi
}

expect "$bin/isle-shop"
expect "$lib/lib$library.so"
expect "$lib/lib$library.so.*"
expect "$lib/girepository-1.0/Isle-1.typelib"
expect "$data/gir-1.0/Isle-1.gir"
expect "$lib/pkgconfig/$library.pc"
# The GTK-free half on its own (isle-stores-1 for isle-1).
expect "$lib/lib${library/isle-/isle-stores-}.so.*"
expect "$lib/pkgconfig/${library/isle-/isle-stores-}.pc"

for header in "${headers[@]}"; do
  expect "$include/$library/$header"
done

expect "$data/applications/$app_id.desktop"
expect "$data/metainfo/$app_id.metainfo.xml"
expect "$data/glib-2.0/schemas/$app_id.gschema.xml"
expect "$data/icons/hicolor/scalable/apps/$app_id.svg"
expect "$data/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
expect "$data/dbus-1/services/$app_id.service"

# One catalogue per language in po/LINGUAS (comments and blank lines aside).
while read -r line || [[ -n "$line" ]]; do
  line="${line%%#*}"
  for lang in $line; do
    expect "$locale/$lang/LC_MESSAGES/isle.mo"
  done
done <"$linguas"

# The service must start the installed program.
service="$data/dbus-1/services/$app_id.service"
exec_line="Exec=$(target "$bindir")/isle-shop --gapplication-service"
if [[ -f "$service" ]] && ! grep -qxF "$exec_line" "$service"; then
  printf 'WRONG: %s lacks the line %s\n' "${service#"$destdir"}" "$exec_line"
  missing=$((missing + 1))
fi

if [[ $missing -ne 0 ]]; then
  printf 'FAIL: %d of %d installed files missing or wrong\n' "$missing" "$checked"
  exit 1
fi
printf 'PASS: all %d files installed\n' "$checked"
