// merge.mjs: the tables from the JSON lines of bench-engine and bench.mjs,
// and of bench-atoms and bench-atoms.mjs
//
// Copyright 2026 The Isle Developers
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Usage: node merge.mjs FILE.jsonl...
//
// Each file holds one run of one side (the impl is in every record); a case
// measured in several runs (rounds) shows the median of the runs' medians.
// Ratios are peer / Isle: above 1, Isle takes less time (or memory) than the
// peer. The median ratio is taken over the main cases (not the detail rows,
// which split "create" into its parts, and not the rows a peer lacks).
//
// The atom cases (names starting with "atom_") have their own peers,
// nanostores and a GObject with notify::value handlers, and their own table
// in the same output; their ratios leave out the per-listener rows (the
// same numbers divided by N). Isle runs them twice: with typed listeners
// (plain ints, as nanostores passes plain numbers and the GObject handlers
// read a C int: "isle") and with GVariant listeners ("isle-variant").

import fs from 'node:fs';
import process from 'node:process';

const IMPLS = ['isle', 'isle-variant', 'alien-signals', 'preact', 'floor', 'nanostores', 'gobject-notify'];
const LABELS = {
  isle: 'Isle',
  'isle-variant': 'Isle (GVariant listeners)',
  'alien-signals': 'alien-signals',
  preact: 'preact',
  floor: 'floor',
  nanostores: 'nanostores',
  'gobject-notify': 'GObject notify',
};
// Rows that detail another row; shown, but kept out of the median.
const DETAIL = new Set(['create_state', 'create_derived', 'create_effect', 'dispose_by_kind', 'dispose_graph']);
const isAtomCase = (c) => c.startsWith('atom_');
const isAtomDetail = (c) => c.endsWith('_per_listener');

const runs = Object.fromEntries(IMPLS.map((impl) => [impl, new Map()]));
const notes = [];
const order = [];

for (const file of process.argv.slice(2)) {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    notes.push(`cannot read ${file}: ${e.message}`);
    continue;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let r;
    try {
      r = JSON.parse(line);
    } catch {
      continue;
    }
    if (!(r.impl in runs)) continue;
    if (r.note) {
      const note = `${LABELS[r.impl]}: ${r.note}`;
      if (!notes.includes(note)) notes.push(note);
      continue;
    }
    if (!r.case) continue;
    if (!runs[r.impl].has(r.case)) runs[r.impl].set(r.case, []);
    runs[r.impl].get(r.case).push(r);
    if (!order.includes(r.case)) order.push(r.case);
  }
}

function median (xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return undefined;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

// One record per impl and case: failed if any run failed, else the median
// of the runs' values.
const data = Object.fromEntries(IMPLS.map((impl) => [impl, new Map()]));
let nRounds = 0;
for (const impl of IMPLS) {
  for (const [c, rs] of runs[impl]) {
    nRounds = Math.max(nRounds, rs.length);
    const unit = rs[0].unit;
    if (rs.some((r) => r.failed)) {
      data[impl].set(c, { case: c, unit, failed: true });
    } else if (rs.some((r) => r.value === undefined)) {
      data[impl].set(c, { case: c, unit, checked: true });
    } else {
      data[impl].set(c, { case: c, unit, value: median(rs.map((r) => r.value)), rounds: rs.length });
    }
  }
}

const fmt = (r) => {
  if (r === undefined) return '-';
  if (r.failed) return 'FAILED';
  if (r.value === undefined) return 'checked';
  return r.value >= 1000 ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(1);
};

const ratio = (peer, isle) => {
  if (!peer || !isle || peer.value === undefined || isle.value === undefined || !(isle.value > 0)) return undefined;
  return peer.value / isle.value;
};

const fmtRatio = (x) => (x === undefined ? '-' : `${x.toFixed(2)}x`);

function geomean (xs) {
  if (xs.length === 0) return undefined;
  return Math.exp(xs.reduce((acc, x) => acc + Math.log(x), 0) / xs.length);
}

function printTable (header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const timeCases = order.filter((c) => {
  if (isAtomCase(c)) return false;
  const r = IMPLS.map((impl) => data[impl].get(c)).find((x) => x && x.unit);
  return !r || !r.unit.startsWith('bytes');
});
const atomCases = order.filter(isAtomCase);
const memCases = order.filter((c) => !timeCases.includes(c) && !atomCases.includes(c));

// The floor (bench-floor: the same graph fixed in plain C, no tracking)
// is no peer: its column says how far Isle is from it (Isle / floor, 1 at
// best), and it stays out of the medians.
const ratios = { 'alien-signals': [], preact: [] };
const floorRatios = [];
const rows = [];
for (const c of timeCases) {
  const isle = data.isle.get(c);
  const alien = data['alien-signals'].get(c);
  const preact = data.preact.get(c);
  const floor = data.floor.get(c);
  const unit = (isle ?? alien ?? preact)?.unit ?? '';
  const ra = ratio(alien, isle);
  const rp = ratio(preact, isle);
  const rf = ratio(isle, floor);
  if (!DETAIL.has(c)) {
    if (ra !== undefined) ratios['alien-signals'].push(ra);
    if (rp !== undefined) ratios.preact.push(rp);
    if (rf !== undefined) floorRatios.push(rf);
  }
  rows.push([DETAIL.has(c) ? `  ${c}` : c, unit.replace(/^ns\//, ''), fmt(isle), fmt(alien), fmt(preact), fmt(floor),
             fmtRatio(ra), fmtRatio(rp), fmtRatio(rf)]);
}

if (rows.length > 0) {
  console.log('Time: median ns per op (op: a head write, a batch, an update, or a node)' +
              (nRounds > 1 ? `, median over ${nRounds} rounds` : '') +
              '; ratio = peer / Isle, above 1 means Isle is faster; Isle/floor = how many times the floor' +
              ' (the same graph fixed in plain C, no tracking: bench-floor) Isle takes.\n');
  printTable(['case', 'op', 'Isle ns/op', 'alien-signals ns/op', 'preact ns/op', 'floor ns/op', 'alien/Isle', 'preact/Isle',
              'Isle/floor'], rows);
}

if (memCases.length > 0) {
  const memRows = memCases.map((c) => {
    const isle = data.isle.get(c);
    const alien = data['alien-signals'].get(c);
    const preact = data.preact.get(c);
    const unit = (isle ?? alien ?? preact)?.unit ?? '';
    return [c, unit, fmt(isle), fmt(alien), fmt(preact), fmtRatio(ratio(alien, isle)), fmtRatio(ratio(preact, isle))];
  });
  console.log('\nMemory (Isle: mallinfo2 () deltas, malloc overhead included; JS: V8 heapUsed deltas after gc ()):\n');
  printTable(['memory', 'unit', 'Isle', 'alien-signals', 'preact', 'alien/Isle', 'preact/Isle'], memRows);
}

const atomRatios = { nanostores: [], 'gobject-notify': [] };
const atomVariantRatios = { nanostores: [], 'gobject-notify': [] };
if (atomCases.length > 0) {
  const atomRows = atomCases.map((c) => {
    const isle = data.isle.get(c);
    const isleVariant = data['isle-variant'].get(c);
    const nano = data.nanostores.get(c);
    const gobj = data['gobject-notify'].get(c);
    const unit = (isle ?? isleVariant ?? nano ?? gobj)?.unit ?? '';
    const rn = ratio(nano, isle);
    const rg = ratio(gobj, isle);
    const rvn = ratio(nano, isleVariant);
    const rvg = ratio(gobj, isleVariant);
    if (!isAtomDetail(c)) {
      if (rn !== undefined) atomRatios.nanostores.push(rn);
      if (rg !== undefined) atomRatios['gobject-notify'].push(rg);
      if (rvn !== undefined) atomVariantRatios.nanostores.push(rvn);
      if (rvg !== undefined) atomVariantRatios['gobject-notify'].push(rvg);
    }
    return [isAtomDetail(c) ? `  ${c}` : c, unit.replace(/^ns\//, ''), fmt(isle), fmt(isleVariant), fmt(nano), fmt(gobj),
            fmtRatio(rn), fmtRatio(rg), fmtRatio(rvn), fmtRatio(rvg)];
  });
  console.log(`${rows.length > 0 ? '\n' : ''}Atom broadcast: median ns per set of one atom with N listeners, and per listener (per set / N)` +
              (nRounds > 1 ? `, median over ${nRounds} rounds` : '') +
              '; Isle with typed listeners (isle_store_listen_int) and with GVariant listeners (isle_store_listen);' +
              ' ratio = peer / Isle, above 1 means Isle is faster.\n');
  printTable(['atom case', 'op', 'Isle ns/op', 'Isle GVariant ns/op', 'nanostores ns/op', 'GObject notify ns/op',
              'nanostores/Isle', 'GObject/Isle', 'nanostores/Isle GVariant', 'GObject/Isle GVariant'], atomRows);
}

console.log('');
for (const impl of ['alien-signals', 'preact']) {
  const xs = ratios[impl];
  if (xs.length === 0 && rows.length === 0) continue;
  const m = median(xs);
  const g = geomean(xs);
  console.log(`median ${LABELS[impl]}/Isle time ratio over ${xs.length} cases: ${fmtRatio(m)}` +
              (g === undefined ? '' : ` (geometric mean ${fmtRatio(g)})`));
}

if (floorRatios.length > 0) {
  console.log(`median Isle/floor time ratio over ${floorRatios.length} cases: ${fmtRatio(median(floorRatios))}` +
              ` (geometric mean ${fmtRatio(geomean(floorRatios))})`);
}

for (const [isleLabel, table] of [['Isle', atomRatios], ['Isle (GVariant listeners)', atomVariantRatios]]) {
  for (const impl of ['nanostores', 'gobject-notify']) {
    const xs = table[impl];
    if (atomCases.length === 0 || xs.length === 0) continue;
    const m = median(xs);
    const g = geomean(xs);
    console.log(`median ${LABELS[impl]}/${isleLabel} atom broadcast time ratio over ${xs.length} cases: ${fmtRatio(m)}` +
                (g === undefined ? '' : ` (geometric mean ${fmtRatio(g)})`));
  }
}

for (const n of notes) console.log(`note: ${n}`);

const failed = IMPLS.flatMap((impl) => [...data[impl].values()].filter((r) => r.failed).map((r) => `${LABELS[impl]}: ${r.case}`));
if (failed.length > 0) {
  console.log(`\nFAILED checks (no time reported): ${failed.join(', ')}`);
  process.exitCode = 1;
}
