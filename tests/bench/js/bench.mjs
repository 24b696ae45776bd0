// bench.mjs: the JS peers of tests/bench/bench-engine.c
//
// Copyright 2026 The Isle Developers
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The very same cases as bench-engine.c (shapes, write sequences, checks,
// callback counts, repetitions), on alien-signals or @preact/signals-core.
// One library per process (node --expose-gc bench.mjs --impl NAME), so the
// adapter's call sites stay monomorphic. Times: process.hrtime.bigint (),
// median of the timed repetitions (7 by default) after 2 warm-ups.
//
// Effects run synchronously after each write in both libraries (at the end
// of the batch in a batch), which is what bench-engine.c reproduces with a
// flush after each write.
//
// Output: one JSON object per line on stdout, then a table for people.
// --quick: tiny repetition counts, checks only.

import process from 'node:process';

const IMPLS = {
  async 'alien-signals' () {
    const a = await import('alien-signals');
    return {
      signal (v) {
        const s = a.signal(v);
        return { read: () => s(), write: (x) => s(x) };
      },
      computed (fn) {
        const c = a.computed(() => fn());
        return { read: () => c() };
      },
      effect (fn) {
        return a.effect(() => { fn(); });
      },
      batch (fn) {
        a.startBatch();
        try {
          fn();
        } finally {
          a.endBatch();
        }
      },
      // The library's own objects, without the adapter's: for create/dispose
      // and memory, where the adapter's wrappers would be counted.
      raw: {
        signal: (v) => a.signal(v),
        computedPlusOne: (s) => a.computed(() => s() + 1),
        effectSum: (c, acc) => a.effect(() => {
          acc.effectSum += c();
          acc.effectRuns++;
        }),
        read: (c) => c(),
      },
    };
  },
  async preact () {
    const p = await import('@preact/signals-core');
    return {
      signal (v) {
        const s = p.signal(v);
        return { read: () => s.value, write: (x) => { s.value = x; } };
      },
      computed (fn) {
        const c = p.computed(fn);
        return { read: () => c.value };
      },
      effect (fn) {
        return p.effect(() => { fn(); });
      },
      batch (fn) {
        p.batch(fn);
      },
      raw: {
        signal: (v) => p.signal(v),
        computedPlusOne: (s) => p.computed(() => s.value + 1),
        effectSum: (c, acc) => p.effect(() => {
          acc.effectSum += c.value;
          acc.effectRuns++;
        }),
        read: (c) => c.value,
      },
    };
  },
};

// {{{ Arguments

let implName = 'alien-signals';
let quick = false;
let nWarmups = 2;
let nReps = 7;
const filters = [];

{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--impl') implName = argv[++i];
    else if (arg.startsWith('--impl=')) implName = arg.slice(7);
    else if (arg === '--quick' || arg === '-q') quick = true;
    else if (arg === '--reps') nReps = Number(argv[++i]);
    else if (arg.startsWith('--reps=')) nReps = Number(arg.slice(7));
    else if (arg.startsWith('-')) {
      console.error(`bench.mjs: unknown option ${arg}`);
      process.exit(2);
    } else filters.push(arg);
  }
  if (implName === 'alien') implName = 'alien-signals';
  if (!(implName in IMPLS)) {
    console.error(`bench.mjs: --impl must be one of ${Object.keys(IMPLS).join(', ')}`);
    process.exit(2);
  }
  if (quick) {
    nWarmups = 1;
    nReps = 1;
  } else if (!(nReps >= 5)) {
    console.error('bench.mjs: --reps must be at least 5');
    process.exit(2);
  }
}

const fw = await IMPLS[implName]();

// }}}

// {{{ Helpers

let currentCase = null;
let caseFailures = 0;
let totalFailures = 0;
let nCasesRun = 0;
const results = [];

const nowNs = () => process.hrtime.bigint();

function busy () {
  let acc = 0;
  for (let i = 0; i < 100; i++) acc += i;
  return acc;
}

function fail (message) {
  caseFailures++;
  totalFailures++;
  if (caseFailures > 5) return;
  console.error(`bench.mjs (${implName}): ${currentCase}: FAIL: ${message}`);
}

// Checks a number; builds the message only when the check fails.
function expect (got, want, what, arg) {
  if (got !== want) {
    fail(`${what}${arg === undefined ? '' : ` (${arg})`}: got ${got}, expected ${want}`);
  }
}

function selected (name) {
  return filters.length === 0 || filters.some((f) => name.includes(f));
}

function beginCase (name) {
  // Start each case on a clean heap, so one case's garbage does not land in the next.
  if (globalThis.gc) globalThis.gc();
  currentCase = name;
  caseFailures = 0;
  nCasesRun++;
}

function report (name, unit, samples) {
  if (caseFailures > 0) {
    console.log(JSON.stringify({ impl: implName, case: name, unit, failed: true }));
    return;
  }
  if (quick) {
    console.log(JSON.stringify({ impl: implName, case: name, unit, checked: true }));
    return;
  }
  const s = [...samples].sort((x, y) => x - y);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const r = { impl: implName, case: name, unit, value: round1(median), min: round1(s[0]), max: round1(s[n - 1]), reps: n };
  results.push(r);
  console.log(JSON.stringify(r));
}

const round1 = (x) => Math.round(x * 10) / 10;

function runTimedCase (tc) {
  if (!selected(tc.name)) return;
  const iters = quick ? 1 : tc.itersPerRep;
  const samples = [];

  beginCase(tc.name);
  const c = tc.setup();

  for (let w = 0; w < nWarmups; w++) {
    for (let k = 0; k < iters; k++) c.iter();
  }
  for (let r = 0; r < nReps; r++) {
    const t0 = nowNs();
    for (let k = 0; k < iters; k++) c.iter();
    samples.push(Number(nowNs() - t0) / (iters * tc.opsPerIter));
  }
  c.teardown();
  report(tc.name, tc.unit, samples);
}

// }}}

// {{{ avoidablePropagation: equality cut-off

function avoidablePropagation () {
  const counts = { c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, e: 0 };
  let writes = 0;
  const head = fw.signal(0);
  const c1 = fw.computed(() => { counts.c1++; return head.read(); });
  const c2 = fw.computed(() => { counts.c2++; c1.read(); return 0; });
  const c3 = fw.computed(() => { counts.c3++; busy(); return c2.read() + 1; });
  const c4 = fw.computed(() => { counts.c4++; return c3.read() + 2; });
  const c5 = fw.computed(() => { counts.c5++; return c4.read() + 3; });
  fw.effect(() => {
    counts.e++;
    expect(c5.read(), 6, 'effect saw c5');
    busy();
  });
  expect(counts.e, 1, 'effect runs after construction');

  const write = (v) => {
    head.write(v);
    writes++;
    expect(c5.read(), 6, 'c5 after head =', v);
  };

  return {
    iter () {
      write(1);
      for (let i = 0; i < 1000; i++) write(i);
    },
    teardown () {
      expect(counts.c3, 1, "c3 runs in total (c2's constant result cuts propagation)");
      expect(counts.c4, 1, 'c4 runs in total');
      expect(counts.c5, 1, 'c5 runs in total');
      expect(counts.e, 1, 'effect runs in total');
      expect(counts.c1, 1 + writes, 'c1 runs (once per write)');
      expect(counts.c2, 1 + writes, 'c2 runs (once per write)');
    },
  };
}

// }}}

// {{{ broadPropagation: wide fan-out

function broadPropagation () {
  const N = 50;
  const head = fw.signal(0);
  const b = [];
  const eRuns = new Array(N).fill(0);
  let count = 0;
  let writes = 0;
  let expectHead = 0;

  for (let i = 0; i < N; i++) {
    const ai = fw.computed(() => head.read() + i);
    const bi = fw.computed(() => ai.read() + 1);
    b.push(bi);
    fw.effect(() => {
      expect(bi.read(), expectHead + i + 1, 'effect saw b_i, i =', i);
      eRuns[i]++;
      count++;
    });
  }
  expect(count, N, 'effect runs after construction');
  const last = b[N - 1];

  const write = (v) => {
    expectHead = v;
    head.write(v);
    writes++;
  };

  return {
    iter () {
      write(1);
      count = 0;
      for (let i = 0; i < N; i++) {
        write(i);
        expect(last.read(), i + N, 'last after head =', i);
      }
      expect(count, N * N, 'effect runs in one iter');
    },
    teardown () {
      for (let i = 0; i < N; i++) expect(eRuns[i], 1 + writes, 'runs of effect (once per write)', i);
    },
  };
}

// }}}

// {{{ deepPropagation: a chain of 50 computeds, +1 each; effect on the last

function deepPropagation () {
  const N = 50;
  const head = fw.signal(0);
  let current = fw.computed(() => head.read() + 1);
  for (let i = 1; i < N; i++) {
    const prev = current;
    current = fw.computed(() => prev.read() + 1);
  }
  const last = current;
  let count = 0;
  let eRuns = 0;
  let writes = 0;
  let expectHead = 0;

  fw.effect(() => {
    expect(last.read(), expectHead + N, 'effect saw the last, head =', expectHead);
    count++;
    eRuns++;
  });
  expect(eRuns, 1, 'effect runs after construction');

  const write = (v) => {
    expectHead = v;
    head.write(v);
    writes++;
  };

  return {
    iter () {
      write(1);
      count = 0;
      for (let i = 0; i < 50; i++) {
        write(i);
        expect(last.read(), N + i, 'last after head =', i);
      }
      expect(count, 50, 'effect runs in one iter');
    },
    teardown () {
      expect(eRuns, 1 + writes, 'effect runs in total');
    },
  };
}

// }}}

// {{{ diamond: 5 computeds head + 1; their sum; effect on the sum

function diamond () {
  const W = 5;
  const head = fw.signal(0);
  const m = [];
  for (let j = 0; j < W; j++) m.push(fw.computed(() => head.read() + 1));
  let sumRuns = 0;
  let count = 0;
  let expectHead = 0;
  const sum = fw.computed(() => {
    sumRuns++;
    let s = 0;
    for (let j = 0; j < W; j++) s += m[j].read();
    return s;
  });
  fw.effect(() => {
    expect(sum.read(), W * (expectHead + 1), 'effect saw sum, head =', expectHead);
    count++;
  });
  expect(count, 1, 'effect runs after construction');
  expect(sumRuns, 1, 'sum runs after construction');

  const write = (v) => {
    expectHead = v;
    head.write(v);
  };

  return {
    iter () {
      const sumRunsBefore = sumRuns;
      write(1);
      expect(sum.read(), 10, 'sum after head = 1');
      count = 0;
      for (let i = 0; i < 500; i++) {
        write(i);
        expect(sum.read(), W * (i + 1), 'sum after head =', i);
      }
      expect(count, 500, 'effect runs in one iter');
      expect(sumRuns - sumRunsBefore, 501, 'sum runs in one iter (once per write)');
    },
    teardown () {},
  };
}

// }}}

// {{{ mux: 100 heads gathered into a fresh array, then split again

function mux () {
  const N = 100;
  const h = [];
  for (let i = 0; i < N; i++) h.push(fw.signal(0));
  const model = new Array(N).fill(0);
  let muxRuns = 0;
  let pRuns = 0;
  let qRuns = 0;
  let eRuns = 0;
  const mx = fw.computed(() => {
    muxRuns++;
    const array = new Array(N);
    for (let i = 0; i < N; i++) array[i] = h[i].read();
    return array;
  });
  const q = [];
  for (let i = 0; i < N; i++) {
    const pi = fw.computed(() => { pRuns++; return mx.read()[i]; });
    const qi = fw.computed(() => { qRuns++; return pi.read() + 1; });
    q.push(qi);
    fw.effect(() => {
      expect(qi.read(), model[i] + 1, 'effect saw q_i, i =', i);
      eRuns++;
    });
  }
  expect(eRuns, N, 'effect runs after construction');
  expect(muxRuns, 1, 'mux runs after construction');

  const write = (i, v) => {
    model[i] = v;
    h[i].write(v);
    expect(q[i].read(), v + 1, 'q_i after h_i = v, i =', i);
  };

  return {
    iter () {
      const muxBefore = muxRuns;
      const pBefore = pRuns;
      const qBefore = qRuns;
      const eBefore = eRuns;
      for (let i = 0; i < 10; i++) write(i, i);
      for (let i = 0; i < 10; i++) write(i, 2 * i);
      // 18 real writes (the two writes of h_0 = 0 change nothing).
      expect(muxRuns - muxBefore, 18, 'mux runs in one iter (once per real write)');
      expect(pRuns - pBefore, 18 * N, 'p runs in one iter (all 100 per real write)');
      expect(qRuns - qBefore, 18, 'q runs in one iter (one per real write)');
      expect(eRuns - eBefore, 18, 'effect runs in one iter (one per real write)');
    },
    teardown () {},
  };
}

// }}}

// {{{ repeatedObservers: one computed reads head 30 times

function repeatedObservers () {
  const head = fw.signal(0);
  let cRuns = 0;
  let count = 0;
  let expectHead = 0;
  const c = fw.computed(() => {
    cRuns++;
    let s = 0;
    for (let i = 0; i < 30; i++) s += head.read();
    return s;
  });
  fw.effect(() => {
    expect(c.read(), 30 * expectHead, 'effect saw c, head =', expectHead);
    count++;
  });
  expect(count, 1, 'effect runs after construction');

  const write = (v) => {
    expectHead = v;
    head.write(v);
  };

  return {
    iter () {
      const cBefore = cRuns;
      write(1);
      expect(c.read(), 30, 'c after head = 1');
      count = 0;
      for (let i = 0; i < 100; i++) {
        write(i);
        expect(c.read(), 30 * i, 'c after head =', i);
      }
      expect(count, 100, 'effect runs in one iter');
      expect(cRuns - cBefore, 101, 'c runs in one iter (once per write)');
    },
    teardown () {},
  };
}

// }}}

// {{{ triangle: a chain of 10 whose every element feeds one sum

function triangle () {
  const N = 10;
  const head = fw.signal(0);
  const n = [head];
  let n10Runs = 0;
  for (let k = 1; k <= N; k++) {
    const prev = n[k - 1];
    if (k === N) n.push(fw.computed(() => { n10Runs++; return prev.read() + 1; }));
    else n.push(fw.computed(() => prev.read() + 1));
  }
  let count = 0;
  let expectHead = 0;
  const sum = fw.computed(() => {
    let s = 0;
    for (let k = 0; k < N; k++) s += n[k].read();
    return s;
  });
  fw.effect(() => {
    expect(sum.read(), 45 + 10 * expectHead, 'effect saw sum, head =', expectHead);
    count++;
  });
  expect(count, 1, 'effect runs after construction');

  const write = (v) => {
    expectHead = v;
    head.write(v);
  };

  return {
    iter () {
      write(1);
      expect(sum.read(), 55, 'sum after head = 1');
      count = 0;
      for (let i = 0; i < 100; i++) {
        write(i);
        expect(sum.read(), 45 + 10 * i, 'sum after head =', i);
      }
      expect(count, 100, 'effect runs in one iter');
    },
    teardown () {
      expect(n10Runs, 0, 'runs of n_10, which nobody reads (computeds are lazy)');
    },
  };
}

// }}}

// {{{ unstable: the dependency set changes on every write

function unstable () {
  const head = fw.signal(0);
  const dbl = fw.computed(() => head.read() * 2);
  const inverse = fw.computed(() => -head.read());
  let curRuns = 0;
  let count = 0;
  let expectHead = 0;
  const expected = (v) => (v % 2 ? 40 * v : -20 * v);
  const current = fw.computed(() => {
    curRuns++;
    let result = 0;
    for (let i = 0; i < 20; i++) result += head.read() % 2 ? dbl.read() : inverse.read();
    return result;
  });
  fw.effect(() => {
    expect(current.read(), expected(expectHead), 'effect saw current, head =', expectHead);
    count++;
  });
  expect(count, 1, 'effect runs after construction');

  const write = (v) => {
    expectHead = v;
    head.write(v);
  };

  return {
    iter () {
      const curBefore = curRuns;
      write(1);
      expect(current.read(), 40, 'current after head = 1');
      count = 0;
      for (let i = 0; i < 100; i++) {
        write(i);
        expect(current.read(), expected(i), 'current after head =', i);
      }
      expect(count, 100, 'effect runs in one iter');
      expect(curRuns - curBefore, 101, 'current runs in one iter (once per write)');
    },
    teardown () {},
  };
}

// }}}

// {{{ molBench (from $mol_wire): a mixed graph with expensive nodes

function fib (n) {
  if (n < 2) return 1;
  return fib(n - 1) + fib(n - 2);
}

function hard (n) {
  return n + fib(16);
}

function molBench () {
  const numbers = Array.from({ length: 5 }, (_, i) => i);
  const res = [];
  let jRuns = 0;
  let i = 0;
  const A = fw.signal(0);
  const B = fw.signal(0);
  const C = fw.computed(() => (A.read() % 2) + (B.read() % 2));
  const D = fw.computed(() => numbers.map((k) => ({ x: k + (A.read() % 2) - (B.read() % 2) })));
  const E = fw.computed(() => hard(C.read() + A.read() + D.read()[0].x));
  const F = fw.computed(() => hard(D.read()[2].x || B.read()));
  const G = fw.computed(() => C.read() + (C.read() || E.read() % 2) + D.read()[4].x + F.read());
  fw.effect(() => { res.push(hard(G.read())); });
  fw.effect(() => { res.push(G.read()); });
  fw.effect(() => { jRuns++; res.push(hard(F.read())); });
  expect(res.length, 3, 'effect pushes after construction');
  expect(G.read(), 1604, 'G after construction');

  // What H and I push (J never reruns), sorted.
  const expected = [1604, 1607, 1604 + 1597, 1607 + 1597];

  return {
    iter () {
      i++;
      res.length = 0;
      fw.batch(() => {
        B.write(1);
        A.write(1 + i * 2);
      });
      fw.batch(() => {
        A.write(2 + i * 2);
        B.write(2);
      });
      expect(G.read(), 1604, 'G at the end of iter', i);
      expect(F.read(), 1599, 'F at the end of iter', i);
      expect(res.length, 4, 'effect pushes in iter (H and I twice, J never)', i);
      if (res.length === 4) {
        res.sort((x, y) => x - y);
        for (let k = 0; k < 4; k++) expect(res[k], expected[k], 'sorted push in iter', i);
      }
    },
    teardown () {
      expect(jRuns, 1, 'runs of J in total (F never changes)');
    },
  };
}

// }}}

// {{{ cellx: 1000 layers of 4 computeds, each with its own effect

const CELLX_LAYERS = 1000;
const cellxInA = [1, 2, 3, 4];
const cellxInB = [4, 3, 2, 1];
const cellx1000A = [-3, -6, -2, 2];
const cellx1000B = [-2, -4, 2, 3];
let cellxEffectRuns = 0;

function cellxBuild (nLayers) {
  const start = [fw.signal(1), fw.signal(2), fw.signal(3), fw.signal(4)];
  let layer = start;
  for (let l = 0; l < nLayers; l++) {
    const m = layer;
    const s = [
      fw.computed(() => m[1].read()),
      fw.computed(() => m[0].read() - m[2].read()),
      fw.computed(() => m[1].read() + m[3].read()),
      fw.computed(() => m[2].read()),
    ];
    for (let k = 0; k < 4; k++) {
      const sk = s[k];
      fw.effect(() => { sk.read(); cellxEffectRuns++; });
    }
    for (let k = 0; k < 4; k++) s[k].read();
    layer = s;
  }
  return { start, end: layer };
}

function cellxSet (cx, input) {
  fw.batch(() => {
    for (let k = 0; k < 4; k++) cx.start[k].write(input[k]);
  });
}

const cellxReadEnds = (cx) => cx.end.map((p) => p.read());

function cellxStep (v) {
  return [v[1], v[0] - v[2], v[1] + v[3], v[2]];
}

function cellxExpect (input, nLayers) {
  let v = input;
  for (let l = 0; l < nLayers; l++) v = cellxStep(v);
  return v;
}

function cellxNChanged (x, y, nLayers) {
  let u = x;
  let v = y;
  let n = 0;
  for (let l = 0; l < nLayers; l++) {
    u = cellxStep(u);
    v = cellxStep(v);
    for (let k = 0; k < 4; k++) n += u[k] !== v[k] ? 1 : 0;
  }
  return n;
}

function cellxCheckEnds (got, want, when) {
  for (let k = 0; k < 4; k++) expect(got[k], want[k], `end p${k + 1} ${when}`);
}

function cellxSelfCheck () {
  const a = cellxExpect(cellxInA, 1000);
  const b = cellxExpect(cellxInB, 1000);
  for (let k = 0; k < 4; k++) {
    if (a[k] !== cellx1000A[k] || b[k] !== cellx1000B[k]) {
      console.error("bench.mjs: harness bug: the cellx recurrence does not give upstream's values");
      process.exit(2);
    }
  }
}

function runCellxBuild () {
  if (!selected('cellx1000_build') && !selected('cellx1000_cold')) return;
  beginCase('cellx1000_build');
  const wantA = cellxExpect(cellxInA, CELLX_LAYERS);
  const wantB = cellxExpect(cellxInB, CELLX_LAYERS);
  const nChanged = cellxNChanged(cellxInA, cellxInB, CELLX_LAYERS);
  const build = [];
  const cold = [];

  for (let r = 0; r < nWarmups + nReps; r++) {
    const runsBefore = cellxEffectRuns;
    const t0 = nowNs();
    const cx = cellxBuild(CELLX_LAYERS);
    const t1 = nowNs();
    const before = cellxReadEnds(cx);
    cellxSet(cx, cellxInB);
    const after = cellxReadEnds(cx);
    const t2 = nowNs();
    if (r >= nWarmups) {
      build.push(Number(t1 - t0) / (8 * CELLX_LAYERS));
      cold.push(Number(t2 - t1));
    }
    expect(cellxEffectRuns - runsBefore, 4 * CELLX_LAYERS + nChanged, 'effect runs in build and first update');
    cellxCheckEnds(before, wantA, 'before the update');
    cellxCheckEnds(after, wantB, 'after the update');
  }
  report('cellx1000_build', 'ns/node', build);
  report('cellx1000_cold', 'ns/update', cold);
}

function cellxToggle () {
  const cx = cellxBuild(CELLX_LAYERS);
  const wantA = cellxExpect(cellxInA, CELLX_LAYERS);
  const wantB = cellxExpect(cellxInB, CELLX_LAYERS);
  const nChanged = cellxNChanged(cellxInA, cellxInB, CELLX_LAYERS);
  let toggles = 0;
  cellxCheckEnds(cellxReadEnds(cx), wantA, 'after the build');

  return {
    iter () {
      const runsBefore = cellxEffectRuns;
      const toB = toggles % 2 === 0;
      cellxSet(cx, toB ? cellxInB : cellxInA);
      cellxCheckEnds(cellxReadEnds(cx), toB ? wantB : wantA, toB ? 'after (4,3,2,1)' : 'after (1,2,3,4)');
      expect(cellxEffectRuns - runsBefore, nChanged, 'effect runs in toggle (one per changed computed)', toggles);
      toggles++;
    },
    teardown () {},
  };
}

// }}}

// {{{ create/dispose: 100 000 signals, computeds and effects

const cd = { effectRuns: 0, effectSum: 0 };

// These use the libraries' own objects (fw.raw), not the adapter's wrappers.
function cdCreate (n, states, computeds, disposers) {
  const raw = fw.raw;
  cd.effectRuns = 0;
  cd.effectSum = 0;
  const t0 = nowNs();
  for (let i = 0; i < n; i++) states[i] = raw.signal(i);
  const t1 = nowNs();
  for (let i = 0; i < n; i++) computeds[i] = raw.computedPlusOne(states[i]);
  const t2 = nowNs();
  for (let i = 0; i < n; i++) disposers[i] = raw.effectSum(computeds[i], cd);
  const t3 = nowNs();
  expect(cd.effectRuns, n, 'effect runs after creation');
  expect(cd.effectSum, n * (n + 1) / 2, 'sum of the values the effects saw');
  return [t0, t1, t2, t3];
}

function runCreateDispose () {
  if (!selected('create_dispose')) return;
  beginCase('create_dispose');
  const n = quick ? 1000 : 100000;
  const samples = { create: [], dispose: [], create_state: [], create_derived: [], create_effect: [] };

  for (let r = 0; r < nWarmups + nReps; r++) {
    const states = new Array(n).fill(null);
    const computeds = new Array(n).fill(null);
    const disposers = new Array(n).fill(null);
    const t = cdCreate(n, states, computeds, disposers);
    // Disposing the effects unlinks the computeds and signals; then nothing
    // refers to any node, and the garbage collector frees them later (not
    // timed; there is nothing else to call).
    const d0 = nowNs();
    for (let i = 0; i < n; i++) disposers[i]();
    states.fill(null);
    computeds.fill(null);
    disposers.fill(null);
    const d1 = nowNs();
    if (r >= nWarmups) {
      samples.create.push(Number(t[3] - t[0]) / (3 * n));
      samples.create_state.push(Number(t[1] - t[0]) / n);
      samples.create_derived.push(Number(t[2] - t[1]) / n);
      samples.create_effect.push(Number(t[3] - t[2]) / n);
      samples.dispose.push(Number(d1 - d0) / (3 * n));
    }
    if (globalThis.gc) globalThis.gc();
  }
  for (const [name, s] of Object.entries(samples)) report(name, 'ns/node', s);
}

// Memory: V8 heap deltas after a full garbage collection (the libraries' own
// objects, with the closure each computed and effect needs).
function runMemory () {
  if (!selected('memory')) return;
  beginCase('memory');
  if (!globalThis.gc) {
    console.log(JSON.stringify({ impl: implName, note: 'run node with --expose-gc to measure memory' }));
    return;
  }
  const n = quick ? 1000 : 100000;
  const used = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  const states = new Array(n).fill(null);
  const computeds = new Array(n).fill(null);
  const disposers = new Array(n).fill(null);
  cd.effectRuns = 0;
  cd.effectSum = 0;

  const raw = fw.raw;
  const m0 = used();
  for (let i = 0; i < n; i++) states[i] = raw.signal(i);
  const m1 = used();
  for (let i = 0; i < n; i++) computeds[i] = raw.computedPlusOne(states[i]);
  const m2 = used();
  for (let i = 0; i < n; i++) expect(raw.read(computeds[i]), i + 1, 'computed', i);
  const m3 = used();
  for (let i = 0; i < n; i++) disposers[i] = raw.effectSum(computeds[i], cd);
  const m4 = used();
  expect(cd.effectRuns, n, 'effect runs');
  for (let i = 0; i < n; i++) disposers[i]();

  report('mem_state', 'bytes/node', [(m1 - m0) / n]);
  report('mem_derived', 'bytes/node', [(m2 - m1) / n]);
  report('mem_edge', 'bytes/edge', [(m3 - m2) / n]);
  report('mem_effect', 'bytes/node', [(m4 - m3) / n]);
  report('mem_derived_with_edge', 'bytes/node', [(m3 - m1) / n]);
}

// }}}

const timedCases = [
  { name: 'avoidablePropagation', unit: 'ns/write', opsPerIter: 1001, itersPerRep: 20, setup: avoidablePropagation },
  { name: 'broadPropagation', unit: 'ns/write', opsPerIter: 51, itersPerRep: 100, setup: broadPropagation },
  { name: 'deepPropagation', unit: 'ns/write', opsPerIter: 51, itersPerRep: 200, setup: deepPropagation },
  { name: 'diamond', unit: 'ns/write', opsPerIter: 501, itersPerRep: 20, setup: diamond },
  { name: 'mux', unit: 'ns/write', opsPerIter: 20, itersPerRep: 250, setup: mux },
  { name: 'repeatedObservers', unit: 'ns/write', opsPerIter: 101, itersPerRep: 100, setup: repeatedObservers },
  { name: 'triangle', unit: 'ns/write', opsPerIter: 101, itersPerRep: 100, setup: triangle },
  { name: 'unstable', unit: 'ns/write', opsPerIter: 101, itersPerRep: 100, setup: unstable },
  { name: 'molBench', unit: 'ns/batch', opsPerIter: 2, itersPerRep: 200, setup: molBench },
  { name: 'cellx1000_toggle', unit: 'ns/update', opsPerIter: 1, itersPerRep: 20, setup: cellxToggle },
];

cellxSelfCheck();
for (const tc of timedCases) runTimedCase(tc);
runCellxBuild();
runCreateDispose();
runMemory();

if (!quick) {
  console.log(`\n${'case'.padEnd(24)} ${'unit'.padEnd(11)} ${'median'.padStart(12)} ${'min'.padStart(12)} ${'max'.padStart(12)}  (${implName}, ${nReps} reps after ${nWarmups} warm-ups)`);
  for (const r of results) {
    const cols = r.unit.startsWith('bytes') ? [r.value] : [r.value, r.min, r.max];
    console.log(`${r.case.padEnd(24)} ${r.unit.padEnd(11)} ${cols.map((x) => x.toFixed(1).padStart(12)).join(' ')}`);
  }
}

if (nCasesRun === 0) {
  console.error('bench.mjs: no case matches');
  process.exit(2);
}
if (totalFailures > 0) {
  console.error(`bench.mjs (${implName}): ${totalFailures} check(s) failed`);
  process.exit(1);
}
if (quick) console.log(`bench.mjs (${implName}): all checks passed (${nCasesRun} cases)`);
