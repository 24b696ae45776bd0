#!/usr/bin/env bash
# ab-engine.sh: two builds of Isle's engine, side by side
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: tests/bench/ab-engine.sh BUILDDIR_A BUILDDIR_B [ROUNDS] [CASE...]
#
# Runs tests/bench/bench-engine of build A, then of build B, ROUNDS times
# (4 by default) in turn, and prints for each case the best median of each
# build and the ratio B / A (below 1: B is faster). Taking turns and the
# best of the rounds keeps a slow spell of a shared machine from deciding
# the comparison. Both builds run on the same CPU (the first one this
# script may use, or ISLE_BENCH_CPU): on a shared virtual machine one CPU
# can be much slower than another for minutes, and a process stays where
# it started, so unpinned runs once put every run of one build on the slow
# one (1.7x "slower" for a build that was in fact 4% faster). It prints
# numbers, never verdicts.
#
# For a change: build the old commit in a worktree, e.g.
#   git worktree add /tmp/old HEAD && meson setup /tmp/old/_b /tmp/old -Dbuildtype=release -Dbenchmarks=true
#   ninja -C /tmp/old/_b tests/bench/bench-engine
#   tests/bench/ab-engine.sh /tmp/old/_b _build-bench 6 diamond mux

set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '6,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi

a="$1"
b="$2"
shift 2
rounds=4
if [[ $# -gt 0 && "$1" =~ ^[1-9][0-9]*$ ]]; then
  rounds="$1"
  shift
fi

for dir in "$a" "$b"; do
  if [[ ! -x "$dir/tests/bench/bench-engine" ]]; then
    echo "ab-engine.sh: no $dir/tests/bench/bench-engine (configure with -Dbenchmarks=true and build it)" >&2
    exit 2
  fi
done

pin=()
if command -v taskset >/dev/null 2>&1; then
  cpu="${ISLE_BENCH_CPU:-$(taskset -cp $$ | sed 's/.*: *//; s/[-,].*//')}"
  pin=(taskset -c "$cpu")
  echo "ab-engine.sh: both builds on CPU $cpu" >&2
fi

# Both builds run under paths of one length (links in a directory of our
# own): the path is copied onto the new process's stack, so paths of
# different lengths shift where the stack starts, and with it the
# alignment of every frame and of the engine's stack arrays. That alone
# once made an unchanged engine look 10% slower (main's build in a longer
# path: avoidablePropagation 41.6 against 38.5 ns/write).
links="$(mktemp -d "${TMPDIR:-/tmp}/ab-engine.XXXXXX")"
trap 'rm -rf "$links"' EXIT
mkdir "$links/A" "$links/B"
ln -s "$(realpath "$a/tests/bench/bench-engine")" "$links/A/bench-engine"
ln -s "$(realpath "$b/tests/bench/bench-engine")" "$links/B/bench-engine"

for ((i = 0; i < rounds; i++)); do
  for side in A B; do
    "${pin[@]}" "$links/$side/bench-engine" --reps 5 "$@" 2>/dev/null |
      grep -E '^[A-Za-z_0-9]+ +ns/' | sed "s/^/$side /"
  done
done | awk '
  { key = $2; unit[key] = $3; v = $4 + 0
    if ($1 == "A" && (!(key in a) || v < a[key])) a[key] = v
    if ($1 == "B" && (!(key in b) || v < b[key])) b[key] = v
    if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
  END {
    printf "%-24s %-12s %14s %14s %8s\n", "case", "unit", "A (best)", "B (best)", "B/A"
    for (i = 0; i < n; i++) {
      k = order[i]
      printf "%-24s %-12s %14.1f %14.1f %7.2fx\n", k, unit[k], a[k], b[k], (a[k] > 0 ? b[k] / a[k] : 0)
    }
  }'
