#!/usr/bin/env bash
# run-bench.sh: the Isle benchmarks, Isle against its peers
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: tests/bench/run-bench.sh [--rounds N] [BUILDDIR] [-- ARGS...]
#
# Builds bench-engine, bench-floor and bench-atoms in BUILDDIR (default: _build-bench in
# the source tree, set up with -Dbuildtype=release when it does not exist
# yet), installs the JS peers with `npm ci` into tests/bench/js/node_modules
# if they are missing, runs the engine cases on Isle (C), alien-signals and
# @preact/signals-core and their floor (bench-floor: the same graphs fixed in
# plain C, no tracking), and the atom broadcast cases on Isle, a GObject with
# notify::value handlers (both in bench-atoms) and nanostores, and prints
# the tables. ARGS go to every side: case names to run (substrings), --reps
# N, --quick; a side with no case matching the names does not run.
#
# The sides run one after the other, N rounds (3 by default) in turn, so a
# burst of other load on the machine hits one round of one side; the table
# shows, per case, the median over the rounds of each round's median.
#
# It prints numbers and ratios, never verdicts; it exits non-zero only when
# a side fails its value checks (a wrong engine or store) or cannot run.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
srcdir="$(cd "$here/../.." && pwd)"

builddir=""
bench_args=()
rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds)
      rounds="${2:-}"
      shift 2 || true
      ;;
    --rounds=*)
      rounds="${1#--rounds=}"
      shift
      ;;
    --)
      shift
      bench_args=("$@")
      break
      ;;
    -h|--help)
      sed -n '6,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      if [[ -n "$builddir" ]]; then
        echo "run-bench.sh: one build directory only (put benchmark arguments after --)" >&2
        exit 2
      fi
      builddir="$1"
      shift
      ;;
  esac
done
builddir="${builddir:-$srcdir/_build-bench}"
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "run-bench.sh: --rounds needs a positive number" >&2
  exit 2
fi

for tool in meson node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-bench.sh: $tool is not installed" >&2
    exit 2
  fi
done

# The C side.
if [[ ! -f "$builddir/build.ninja" ]]; then
  echo "run-bench.sh: setting up $builddir (release build)" >&2
  meson setup "$builddir" "$srcdir" -Dbuildtype=release -Dbenchmarks=true >&2
fi
builddir="$(cd "$builddir" && pwd)"

buildtype="$(meson introspect --buildoptions "$builddir" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);const f=(n)=>(o.find(x=>x.name===n)||{}).value;console.log(`${f("buildtype")} ${f("b_sanitize")} ${f("benchmarks")}`)})')"
read -r opt_buildtype opt_sanitize opt_benchmarks <<<"$buildtype"
if [[ "$opt_benchmarks" != "true" ]]; then
  meson configure "$builddir" -Dbenchmarks=true >&2
fi

# ninja, not meson compile: it regenerates a stale build directory before
# it looks the targets up.
ninja -C "$builddir" tests/bench/bench-engine tests/bench/bench-floor tests/bench/bench-atoms tests/bench/bench-islands \
  tests/bench/startup-baseline tests/bench/bench-bus app/isle-shop >&2

# The JS side.
if [[ ! -d "$here/js/node_modules/alien-signals" || ! -d "$here/js/node_modules/@preact/signals-core" ||
      ! -d "$here/js/node_modules/nanostores" ]]; then
  echo "run-bench.sh: installing the JS peers (npm ci)" >&2
  (cd "$here/js" && npm ci --no-audit --no-fund >&2)
fi

# Which benchmarks have a case matching the names in ARGS (the C program of
# each lists the cases both of its sides run).
filters=()
for ((i = 0; i < ${#bench_args[@]}; i++)); do
  case "${bench_args[$i]}" in
    --reps|-r) i=$((i + 1)) ;;
    -*) ;;
    *) filters+=("${bench_args[$i]}") ;;
  esac
done
has_match () {
  local name f
  [[ ${#filters[@]} -eq 0 ]] && return 0
  while read -r name; do
    for f in "${filters[@]}"; do
      [[ "$name" == *"$f"* ]] && return 0
    done
  done < <("$1" --list)
  return 1
}
run_engine=false
run_atoms=false
run_islands=false
if has_match "$builddir/tests/bench/bench-engine"; then run_engine=true; fi
if has_match "$builddir/tests/bench/bench-atoms"; then run_atoms=true; fi
if has_match "$builddir/tests/bench/bench-islands"; then run_islands=true; fi
run_startup=false
if [[ ${#filters[@]} -eq 0 ]] || printf '%s\n' "${filters[@]}" | grep -q startup; then
  run_startup=true
fi
run_bus=false
if [[ ${#filters[@]} -eq 0 ]] || printf '%s\n' "${filters[@]}" | grep -q bus; then
  run_bus=true
fi
if ! $run_engine && ! $run_atoms && ! $run_islands && ! $run_startup && ! $run_bus; then
  echo "run-bench.sh: no case matches ${filters[*]}" >&2
  exit 2
fi

outdir="$builddir/tests/bench/results"
rm -rf "$outdir"
mkdir -p "$outdir"

status=0
run_side () {
  local name="$1"
  shift
  echo "run-bench.sh: round $round/$rounds: $name" >&2
  if ! "$@" >"$outdir/$name.$round.jsonl" 2>"$outdir/$name.$round.log"; then
    echo "run-bench.sh: $name failed; see $outdir/$name.$round.log:" >&2
    sed -n '1,20p' "$outdir/$name.$round.log" >&2
    status=1
  fi
}

for ((round = 1; round <= rounds; round++)); do
  if $run_engine; then
    run_side isle "$builddir/tests/bench/bench-engine" "${bench_args[@]}"
    run_side alien-signals node --expose-gc "$here/js/bench.mjs" --impl alien-signals "${bench_args[@]}"
    run_side preact node --expose-gc "$here/js/bench.mjs" --impl preact "${bench_args[@]}"
    # The floor has the propagation cases only: it runs when one matches.
    if has_match "$builddir/tests/bench/bench-floor"; then
      run_side floor "$builddir/tests/bench/bench-floor" "${bench_args[@]}"
    fi
  fi
  if $run_atoms; then
    # Isle and the GObject peer, in one program.
    run_side isle-atoms "$builddir/tests/bench/bench-atoms" "${bench_args[@]}"
    run_side nanostores node --expose-gc "$here/js/bench-atoms.mjs" "${bench_args[@]}"
  fi
  # A wrong engine or store has no speed: stop at the first failed check.
  [[ $status -eq 0 ]] || break
done

echo
peers="$(cd "$here/js" && node -p 'const p = require("./package-lock.json").packages;
  `alien-signals ${p["node_modules/alien-signals"].version}, @preact/signals-core ${p["node_modules/@preact/signals-core"].version}, nanostores ${p["node_modules/nanostores"].version}`')"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)"
echo "Isle: $opt_buildtype build (sanitize: $opt_sanitize) in $builddir"
echo "JS: node $(node --version), $peers"
echo "CPU: ${cpu:-unknown}, $(nproc) threads"
echo "GObject notify peer: GLib $(pkg-config --modversion gobject-2.0 2>/dev/null || echo unknown), in bench-atoms"
if [[ "$opt_buildtype" != "release" ]]; then
  echo "note: $builddir is a $opt_buildtype build, not release: Isle's numbers are not representative"
fi
if [[ "$opt_sanitize" != "none" ]]; then
  echo "note: $builddir is built with -Db_sanitize=$opt_sanitize: Isle's numbers are meaningless"
fi
echo

if $run_engine || $run_atoms; then
  node "$here/js/merge.mjs" "$outdir"/*.jsonl || status=1
  echo
fi

# Islands against plain GTK: N badge islands bound to one atom in one window,
# the main thread's CPU time from a set through the frame that shows it
# (update, layout, paint), against N bare labels and N labels each in a
# wrapper widget, and memory per island. GTK
# needs a display; without one, a virtual one.
if $run_islands; then
  echo "Islands: N badge islands bound to one atom, against N labels updated from one notify handler each in plain GTK, bare or each in a wrapper widget (GTK+bin); the set and its whole frame (a 60 Hz frame is 16.7 ms)"
  islands=("$builddir/tests/bench/bench-islands")
  if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    islands=(xvfb-run -a "${islands[@]}")
  fi
  if GSK_RENDERER=cairo NO_AT_BRIDGE=1 "${islands[@]}" >"$outdir/islands.jsonl" 2>"$outdir/islands.log"; then
    sed -n 's/^# //p' "$outdir/islands.jsonl"
  else
    echo "run-bench.sh: bench-islands failed; see $outdir/islands.log:" >&2
    sed -n '1,20p' "$outdir/islands.log" >&2
    status=1
  fi
  echo
fi

if $run_startup; then
  echo "Startup: launch to first frame, and resident memory then"
  startup=(/usr/bin/python3 "$here/startup.py" "$builddir" 10)
  if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    startup=(xvfb-run -a "${startup[@]}")
  fi
  if GSK_RENDERER=cairo NO_AT_BRIDGE=1 "${startup[@]}" >"$outdir/startup.jsonl" 2>"$outdir/startup.log"; then
    sed -n 's/^# //p' "$outdir/startup.jsonl"
  else
    echo "run-bench.sh: startup failed; see $outdir/startup.log:" >&2
    sed -n '1,20p' "$outdir/startup.log" >&2
    status=1
  fi
  echo
fi
# Stores over D-Bus, beside bare D-Bus signals (a bus of its own).
if $run_bus; then
  if "$builddir/tests/bench/bench-bus" >"$outdir/bus.txt" 2>"$outdir/bus.log"; then
    cat "$outdir/bus.txt"
  else
    echo "run-bench.sh: bench-bus failed; see $outdir/bus.log:" >&2
    sed -n '1,20p' "$outdir/bus.log" >&2
    status=1
  fi
  echo
fi
echo "(raw results and per-side tables: $outdir)"

exit "$status"
