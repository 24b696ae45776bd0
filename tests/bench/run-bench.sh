#!/usr/bin/env bash
# run-bench.sh: the signal engine benchmark, Isle against its JS peers
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: tests/bench/run-bench.sh [--rounds N] [BUILDDIR] [-- ARGS...]
#
# Builds bench-engine in BUILDDIR (default: _build-bench in the source tree,
# set up with -Dbuildtype=release when it does not exist yet), installs the
# JS peers with `npm ci` into tests/bench/js/node_modules if they are
# missing, runs the same cases on Isle (C), alien-signals and
# @preact/signals-core, and prints one table. ARGS go to both sides: case
# names to run (substrings), --reps N, --quick.
#
# The three sides run one after the other, N rounds (3 by default) in turn,
# so a burst of other load on the machine hits one round of one side; the
# table shows, per case, the median over the rounds of each round's median.
#
# It prints numbers and ratios, never verdicts; it exits non-zero only when
# a side fails its value checks (a wrong engine) or cannot run.

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
      sed -n '6,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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

meson compile -C "$builddir" bench-engine >&2

# The JS side.
if [[ ! -d "$here/js/node_modules/alien-signals" || ! -d "$here/js/node_modules/@preact/signals-core" ]]; then
  echo "run-bench.sh: installing the JS peers (npm ci)" >&2
  (cd "$here/js" && npm ci --no-audit --no-fund >&2)
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
  run_side isle "$builddir/tests/bench/bench-engine" "${bench_args[@]}"
  run_side alien-signals node --expose-gc "$here/js/bench.mjs" --impl alien-signals "${bench_args[@]}"
  run_side preact node --expose-gc "$here/js/bench.mjs" --impl preact "${bench_args[@]}"
  # A wrong engine has no speed: stop at the first failed check.
  [[ $status -eq 0 ]] || break
done

echo
peers="$(cd "$here/js" && node -p 'const p = require("./package-lock.json").packages;
  `alien-signals ${p["node_modules/alien-signals"].version}, @preact/signals-core ${p["node_modules/@preact/signals-core"].version}`')"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)"
echo "Isle: $opt_buildtype build (sanitize: $opt_sanitize) in $builddir"
echo "JS: node $(node --version), $peers"
echo "CPU: ${cpu:-unknown}, $(nproc) threads"
if [[ "$opt_buildtype" != "release" ]]; then
  echo "note: $builddir is a $opt_buildtype build, not release: Isle's numbers are not representative"
fi
if [[ "$opt_sanitize" != "none" ]]; then
  echo "note: $builddir is built with -Db_sanitize=$opt_sanitize: Isle's numbers are meaningless"
fi
echo

node "$here/js/merge.mjs" "$outdir"/*.jsonl || status=1
echo
echo "(raw results and per-side tables: $outdir)"

exit "$status"
