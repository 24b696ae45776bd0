#!/usr/bin/env bash
# .ci/dev.sh: one entry point for people and CI.
#
#   bash .ci/dev.sh setup   install what is missing (Debian 12), nothing else
#   bash .ci/dev.sh run     setup, build _build and start Isle Shop uninstalled
#   bash .ci/dev.sh test    setup, build and run the whole suite in _build
#                             (-Dwerror=true -Ddocs=true) and its Python
#                             suites under valgrind, then the C suites
#                             again in _build-asan (AddressSanitizer +
#                             UBSan), the GTK-free ones in _build-tsan
#                             (ThreadSanitizer)
#
# Idempotent, and never asks anything: CI runs it as root with no stdin.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$srcdir"

build_dir="_build"
asan_dir="_build-asan"
tsan_dir="_build-tsan"

# Debian 12 (bookworm) package names. gcc brings libasan and libubsan for the
# sanitizer build; nodejs/npm are only needed by the benchmarks' JS side.
packages=(
  meson
  ninja-build
  pkg-config
  gcc
  libglib2.0-dev
  libgtk-4-dev
  gobject-introspection
  libgirepository1.0-dev
  gir1.2-gtk-4.0
  python3-gi
  gettext
  xvfb
  xdotool
  xauth
  dbus
  dbus-x11
  at-spi2-core
  gir1.2-atspi-2.0
  imagemagick
  desktop-file-utils
  appstream
  libglib2.0-bin
  valgrind
  gi-docgen
  libpeas-dev
  gir1.2-peas-1.0
  libadwaita-1-dev
  gir1.2-adw-1
)

log () {
  printf '[dev.sh] %s\n' "$*" >&2
}

die () {
  printf '[dev.sh] error: %s\n' "$*" >&2
  exit 1
}

is_installed () {
  local status
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)"
  [[ "$status" == ii* ]]
}

cmd_setup () {
  local missing=() pkg
  local -a as_root=()

  command -v dpkg-query >/dev/null 2>&1 ||
    die "dpkg-query not found: setup supports Debian 12 (bookworm) only; install these by hand: ${packages[*]}"

  for pkg in "${packages[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
  done

  if [[ ${#missing[@]} -eq 0 ]]; then
    return 0
  fi

  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      # -n: never prompt; without a cached credential this fails clearly.
      as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
    else
      die "missing packages (${missing[*]}) and not root, and sudo is not available; run as root: apt-get install ${missing[*]}"
    fi
  else
    as_root=(env DEBIAN_FRONTEND=noninteractive)
  fi

  log "installing: ${missing[*]}"
  "${as_root[@]}" apt-get update ||
    die "apt-get update failed (as root, or with passwordless sudo?)"
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null ||
    die "apt-get install failed for: ${missing[*]}"
}

# options_differ DIR -Dname=value...: true if any of the options has another
# value in DIR (or DIR cannot tell).
options_differ () {
  local dir="$1"
  shift

  meson introspect "$dir" --buildoptions 2>/dev/null | /usr/bin/python3 -c '
import json, sys

try:
    current = {o["name"]: o["value"] for o in json.load(sys.stdin)}
except ValueError:
    sys.exit(0)

def text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)

for arg in sys.argv[1:]:
    name, _, wanted = arg[2:].partition("=")
    if name not in current or text(current[name]) != wanted:
        sys.exit(0)
sys.exit(1)
' "$@"
}

# configure DIR [-Dname=value...]: set DIR up if it is not a meson build
# directory yet, else make sure the given options are in force (only when
# one differs: "meson configure" always makes the next build regenerate).
configure () {
  local dir="$1"
  shift

  if [[ -f "$dir/meson-private/coredata.dat" ]]; then
    if [[ $# -gt 0 ]] && options_differ "$dir" "$@"; then
      meson configure "$dir" "$@"
    fi
  else
    meson setup "$dir" "$@"
  fi
}

cmd_run () {
  cmd_setup
  configure "$build_dir"
  ninja -C "$build_dir"

  if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    die "no display (neither DISPLAY nor WAYLAND_DISPLAY is set); to try it headless: xvfb-run -a bash .ci/dev.sh run"
  fi

  # meson devenv prepends the uninstalled library, typelib and data paths.
  exec meson devenv -C "$build_dir" "$srcdir/$build_dir/app/isle-shop" "$@"
}

cmd_test () {
  local status=0

  cmd_setup

  export GSK_RENDERER=cairo
  export NO_AT_BRIDGE="${NO_AT_BRIDGE:-1}"

  # 1. The whole suite, warnings as errors, under a session bus and a
  #    virtual X server.
  log "build and test: $build_dir"
  if configure "$build_dir" -Dwerror=true -Ddocs=true && ninja -C "$build_dir"; then
    dbus-run-session -- xvfb-run -a -s '-screen 0 1280x1024x24 -nolisten tcp -noreset' \
      meson test -C "$build_dir" --print-errorlogs || status=1

    # 1b. The Python suites again under valgrind memcheck (the 'valgrind'
    #     test setup, tests/meson.build: PYTHONMALLOC=malloc, suppressions
    #     in tests/python/valgrind.supp). A definite leak or a memory error
    #     fails them. About 100 s on two cores (python-stores, the
    #     longest, 97 s). bad-arguments is left out: under valgrind it
    #     takes 230 s and shows definite leaks below GLib's main loop and
    #     g_object_new () not yet sorted into Isle's or not.
    log "test: $build_dir, the Python suites under valgrind"
    dbus-run-session -- xvfb-run -a -s '-screen 0 1280x1024x24 -nolisten tcp -noreset' \
      meson test -C "$build_dir" --no-rebuild --print-errorlogs --setup valgrind \
        --logbase testlog-python \
        python-engine python-islands python-stores python-persist || status=1
  else
    log "building $build_dir failed"
    status=1
  fi

  # 2. The C suites again with AddressSanitizer and UBSan. The python suite
  #    is left out: /usr/bin/python3 is not built with ASan. Leak checking is
  #    off while building (g-ir-scanner's dumper links the sanitized library
  #    and must not fail the build on its leaks) and on for the tests, with
  #    fontconfig's never-freed caches suppressed (tests/widgets/lsan.supp).
  log "build and test: $asan_dir (AddressSanitizer, UBSan)"
  if configure "$asan_dir" -Db_sanitize=address,undefined -Db_lundef=false &&
     ASAN_OPTIONS=detect_leaks=0 ninja -C "$asan_dir"; then
    # KNOWN DEFECT (issue 14, open): bench-bus --quick (suite bench+bus)
    # hangs here, with full stack unwinding under xvfb; by hand without
    # xvfb it passes in 4 s. test-bus runs in the unit run above. Remove
    # the --no-suite bus below with the fix.
    # GTK's stack (GIO modules, fontconfig) keeps some allocations for
    # good; the suppressions name their frames, which needs full stack
    # unwinding (slow) where GTK runs: the gui and bench suites.
    ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      meson test -C "$asan_dir" --no-rebuild --print-errorlogs \
        --timeout-multiplier 3 --logbase testlog-asan-unit --suite unit || status=1
    ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
    LSAN_OPTIONS="suppressions=$srcdir/tests/widgets/lsan.supp" \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      dbus-run-session -- xvfb-run -a -s '-screen 0 1280x1024x24 -nolisten tcp -noreset' \
        meson test -C "$asan_dir" --no-rebuild --print-errorlogs \
          --timeout-multiplier 5 --logbase testlog-asan-gui --suite gui --suite bench --no-suite bus || status=1
  else
    log "building $asan_dir failed"
    status=1
  fi

  # 3. The GTK-free suite (stores, the demo's stores: every thread test)
  #    with ThreadSanitizer. GTK under TSan is noise, so only suite 'unit'
  #    is built and run (meson test builds just what those tests need).
  #    GLib's futex-based locks are made visible to TSan by the tests
  #    themselves (tests/stores/tsan-locks.c); tests/stores/tsan.supp
  #    lists the GLib-internal reports left, each one explained. Tests
  #    in suite 'gio-worker' (test-persist, test-bus) are left out: they
  #    hand data to GIO's worker threads (GTask's pool, GDBus's 'gdbus'
  #    thread) through GLib's own locks (GThreadPool, GAsyncQueue,
  #    GMainContext), which stay invisible, so every handoff is reported.
  #    Both run under ASan/UBSan above.
  log "build and test: $tsan_dir (ThreadSanitizer, suite unit)"
  if configure "$tsan_dir" -Db_sanitize=thread -Db_lundef=false -Dbenchmarks=false; then
    TSAN_OPTIONS="suppressions=$srcdir/tests/stores/tsan.supp:second_deadlock_stack=1:history_size=4" \
      meson test -C "$tsan_dir" --print-errorlogs --timeout-multiplier 3 \
        --logbase testlog-tsan --suite unit --no-suite gio-worker || status=1
  else
    log "configuring $tsan_dir failed"
    status=1
  fi

  if [[ $status -ne 0 ]]; then
    log "FAILED (see the test logs in $build_dir/meson-logs, $asan_dir/meson-logs and $tsan_dir/meson-logs)"
  else
    log "all tests passed"
  fi
  return "$status"
}

usage () {
  cat <<EOF
usage: bash .ci/dev.sh COMMAND

  setup   install the Debian 12 packages that are missing (as root or with sudo)
  run     setup, build $build_dir and start Isle Shop uninstalled
  test    setup, build and run the whole suite in $build_dir (-Dwerror=true)
          and its Python suites under valgrind, then the C suites in
          $asan_dir with AddressSanitizer and UBSan,
          and the GTK-free ones in $tsan_dir with ThreadSanitizer
EOF
}

case "${1:-}" in
  setup) shift; cmd_setup "$@" ;;
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
