#!/usr/bin/env bash
# ab-atoms.sh: two builds of Isle's stores, side by side on bench-atoms
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: tests/bench/ab-atoms.sh BUILDDIR_A BUILDDIR_B [ROUNDS] [--impl NAME] [CASE...]
#
# The atoms counterpart of ab-engine.sh: runs tests/bench/bench-atoms of
# build A, then of build B, ROUNDS times (4 by default) in turn, on one CPU,
# and prints for each case and side (isle, isle-variant, gobject-notify) the
# best median of each build and the ratio B / A (below 1: B is faster).
# --impl NAME and the CASE names (a name ending in $ must end the case:
# atom_broadcast_N1$) go to bench-atoms. It prints numbers, never verdicts.
#
# For a change: build the old commit in a worktree, e.g.
#   git worktree add /tmp/old HEAD && meson setup /tmp/old/_b /tmp/old -Dbuildtype=release -Dbenchmarks=true
#   ninja -C /tmp/old/_b tests/bench/bench-atoms
#   tests/bench/ab-atoms.sh /tmp/old/_b _build-bench 6 --impl isle-variant

set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '6,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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
  if [[ ! -x "$dir/tests/bench/bench-atoms" ]]; then
    echo "ab-atoms.sh: no $dir/tests/bench/bench-atoms (configure with -Dbenchmarks=true and build it)" >&2
    exit 2
  fi
done

pin=()
if command -v taskset >/dev/null 2>&1; then
  cpu="${ISLE_BENCH_CPU:-$(taskset -cp $$ | sed 's/.*: *//; s/[-,].*//')}"
  pin=(taskset -c "$cpu")
  echo "ab-atoms.sh: both builds on CPU $cpu" >&2
fi

for ((i = 0; i < rounds; i++)); do
  for side in A B; do
    if [[ $side == A ]]; then dir="$a"; else dir="$b"; fi
    "${pin[@]}" "$dir/tests/bench/bench-atoms" --reps 5 "$@" 2>/dev/null |
      grep -E '^atom_[A-Za-z_0-9]+ +[a-z-]+ +ns/' | sed "s/^/$side /"
  done
done | awk '
  { key = $2 " " $3; unit[key] = $4; v = $5 + 0
    if ($1 == "A" && (!(key in a) || v < a[key])) a[key] = v
    if ($1 == "B" && (!(key in b) || v < b[key])) b[key] = v
    if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
  END {
    printf "%-34s %-15s %-12s %12s %12s %8s\n", "case", "impl", "unit", "A (best)", "B (best)", "B/A"
    for (i = 0; i < n; i++) {
      k = order[i]; split(k, p, " ")
      printf "%-34s %-15s %-12s %12.1f %12.1f %7.2fx\n", p[1], p[2], unit[k], a[k], b[k], (a[k] > 0 ? b[k] / a[k] : 0)
    }
  }'
