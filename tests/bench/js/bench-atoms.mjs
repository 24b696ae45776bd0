// bench-atoms.mjs: the nanostores peer of tests/bench/bench-atoms.c
//
// Copyright 2026 The Isle Developers
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The very same case as bench-atoms.c: one nanostores `atom` with N = 1,
// 100 and 10 000 `listen` listeners, set to a new integer again and again;
// ns per set and per listener (per set / N). The same sets per repetition,
// warm-ups and repetitions (7 by default), and the same checks: after every
// repetition each listener must have been called exactly once per set, and
// the values it was given must add up to the sum of the values set.
//
// Output: one JSON object per line on stdout (impl "nanostores"), then a
// table for people. --quick: tiny repetition counts, checks only.

import process from 'node:process';

import { atom } from 'nanostores';

const IMPL = 'nanostores';
const LISTENER_COUNTS = [1, 100, 10000];
const CALLS_PER_REP = 1000000;
const MAX_SETS_PER_REP = 200000;
const QUICK_SETS_PER_REP = 5;

// {{{ Arguments

let quick = false;
let list = false;
let nWarmups = 2;
let nReps = 7;
const filters = [];

{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick' || arg === '-q') quick = true;
    else if (arg === '--list' || arg === '-l') list = true;
    else if (arg === '--reps' || arg === '-r') nReps = Number(argv[++i]);
    else if (arg.startsWith('--reps=')) nReps = Number(arg.slice(7));
    else if (arg.startsWith('-')) {
      console.error(`bench-atoms.mjs: unknown option ${arg}`);
      process.exit(2);
    } else filters.push(arg);
  }
  if (quick) {
    nWarmups = 1;
    nReps = 1;
  } else if (!(nReps >= 5)) {
    console.error('bench-atoms.mjs: --reps must be at least 5');
    process.exit(2);
  }
}

if (list) {
  for (const n of LISTENER_COUNTS) console.log(`atom_broadcast_N${n}`);
  process.exit(0);
}

// }}}

// {{{ Helpers

let currentCase = null;
let caseFailures = 0;
let totalFailures = 0;
let nCasesRun = 0;
const results = [];

const nowNs = () => process.hrtime.bigint();
const round1 = (x) => Math.round(x * 10) / 10;

function fail (message) {
  caseFailures++;
  totalFailures++;
  if (caseFailures > 5) return;
  console.error(`bench-atoms.mjs (${IMPL}): ${currentCase}: FAIL: ${message}`);
}

function selected (name) {
  return filters.length === 0 || filters.some((f) => name.includes(f));
}

function report (name, unit, samples) {
  if (caseFailures > 0) {
    console.log(JSON.stringify({ impl: IMPL, case: name, unit, failed: true }));
    return;
  }
  if (quick) {
    console.log(JSON.stringify({ impl: IMPL, case: name, unit, checked: true }));
    return;
  }
  const s = [...samples].sort((x, y) => x - y);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const r = { impl: IMPL, case: name, unit, value: round1(median), min: round1(s[0]), max: round1(s[n - 1]), reps: n };
  results.push(r);
  console.log(JSON.stringify(r));
}

// Every listener was called once per set, with the values set.
function checkSlots (slots, sets, valueSum) {
  for (let i = 0; i < slots.length; i++) {
    if (slots[i].calls !== sets) {
      fail(`listener ${i} was called ${slots[i].calls} times for ${sets} sets`);
    } else if (slots[i].sum !== valueSum) {
      fail(`listener ${i} saw values adding up to ${slots[i].sum}, expected ${valueSum}`);
    }
  }
}

// }}}

// {{{ The case

function runBroadcast (n) {
  const name = `atom_broadcast_N${n}`;
  const setsPerRep = quick ? QUICK_SETS_PER_REP : Math.min(MAX_SETS_PER_REP, Math.floor(CALLS_PER_REP / n));
  const perSet = [];
  const perListener = [];

  if (globalThis.gc) globalThis.gc();
  currentCase = name;
  caseFailures = 0;
  nCasesRun++;

  const $store = atom(0);
  const slots = [];
  const unbinds = [];
  for (let i = 0; i < n; i++) {
    const slot = { calls: 0, sum: 0 };
    slots.push(slot);
    unbinds.push($store.listen((value) => {
      slot.calls++;
      slot.sum += value;
    }));
  }
  checkSlots(slots, 0, 0);

  let value = 0;
  let sets = 0;
  let valueSum = 0;
  for (let r = -nWarmups; r < nReps; r++) {
    const first = value + 1;
    const t0 = nowNs();
    for (let k = 0; k < setsPerRep; k++) $store.set(++value);
    const t1 = nowNs();

    // Outside the timing: the values set were first..value.
    sets += setsPerRep;
    valueSum += setsPerRep * (first + value) / 2;
    checkSlots(slots, sets, valueSum);
    if ($store.get() !== value) fail(`the store holds ${$store.get()} after setting ${value}`);

    if (r >= 0) {
      const ns = Number(t1 - t0) / setsPerRep;
      perSet.push(ns);
      perListener.push(ns / n);
    }
  }

  for (const unbind of unbinds) unbind();

  report(name, 'ns/set', perSet);
  report(`${name}_per_listener`, 'ns/listener', perListener);
}

// }}}

for (const n of LISTENER_COUNTS) {
  if (selected(`atom_broadcast_N${n}`)) runBroadcast(n);
}

if (!quick) {
  console.log(`\n${'case'.padEnd(34)} ${'unit'.padEnd(12)} ${'median'.padStart(12)} ${'min'.padStart(12)} ${'max'.padStart(12)}  (${IMPL}, ${nReps} reps after ${nWarmups} warm-ups)`);
  for (const r of results) {
    console.log(`${r.case.padEnd(34)} ${r.unit.padEnd(12)} ${[r.value, r.min, r.max].map((x) => x.toFixed(1).padStart(12)).join(' ')}`);
  }
}

if (nCasesRun === 0) {
  console.error('bench-atoms.mjs: no case matches');
  process.exit(2);
}
if (totalFailures > 0) {
  console.error(`bench-atoms.mjs (${IMPL}): ${totalFailures} check(s) failed`);
  process.exit(1);
}
if (quick) console.log(`bench-atoms.mjs (${IMPL}): all checks passed (${nCasesRun} cases)`);
