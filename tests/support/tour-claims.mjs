// What each step of the tour claims, checked against its batch's traces
// (not against the page's own verdict): the tour test and the cross-engine
// suite hold every engine to the same claims.
import assert from 'node:assert/strict';
import { gilHolders, stateOverlap } from './harness.mjs';

export const ms = (t) => t.metadata.makespan_ms;
export const byModel = (all, model, workload) =>
  all.find((t) => t.metadata.model === model && (!workload || t.metadata.workload === workload));
const spanNames = (t) => new Set(t.traceEvents.filter((e) => e.ph === 'X').map((e) => e.name));

/** What each step's text claims, checked against its batch. */
export const CLAIMS = {
  1: (all) => {
    const seq = byModel(all, 'sequential');
    const par = all.find((t) => t.metadata.model !== 'sequential');
    assert.ok(ms(seq) / ms(par) > 1.3, `parallel ${(ms(seq) / ms(par)).toFixed(2)}× faster than sequential`);
  },
  2: (all) => {
    const proc = byModel(all, 'processes');
    const names = spanNames(proc);
    for (const s of ['startup', 'copy_in', 'running', 'copy_out']) assert.ok(names.has(s), `processes have ${s}`);
    assert.ok(stateOverlap(proc) > 0, 'processes run at the same time');
  },
  3: (all) => {
    const racy = byModel(all, undefined, 'counter') ?? all.find((t) => t.metadata.workload === 'counter');
    const locked = all.find((t) => t.metadata.workload === 'counter-locked');
    assert.ok(racy.metadata.result < racy.metadata.size, `lost updates: ${racy.metadata.result} of ${racy.metadata.size}`);
    assert.equal(locked.metadata.result, locked.metadata.size, 'none lost with a lock');
  },
  4: (all) => {
    const gil = byModel(all, 'gil');
    const free = byModel(all, 'free');
    assert.equal(stateOverlap(gil), 0, 'under the GIL running spans never overlap');
    assert.ok(stateOverlap(free) > 0, 'free threads overlap');
    const holders = gilHolders(gil);
    assert.ok(holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length >= 4, 'the GIL changes hands');
  },
  5: (all) => {
    const gil = byModel(all, 'gil');
    const proc = byModel(all, 'processes');
    assert.equal(stateOverlap(gil), 0);
    assert.ok(stateOverlap(proc) > 0, 'processes run in parallel');
    assert.ok(ms(proc) < ms(gil), `processes ${ms(proc).toFixed(0)} ms beat GIL threads ${ms(gil).toFixed(0)} ms`);
  },
  6: (all) => {
    const procs = all.filter((t) => t.metadata.model === 'processes').sort((a, b) => a.metadata.size - b.metadata.size);
    assert.ok(procs.length >= 2, 'a sweep of sizes');
    const copy = (t) => t.traceEvents.filter((e) => e.ph === 'X' && e.name === 'copy_in').reduce((a, e) => a + e.dur, 0);
    assert.ok(copy(procs.at(-1)) > copy(procs[0]), 'copying grows with the data');
    for (const t of procs) assert.ok(spanNames(t).has('startup'), 'every process starts up');
  },
  7: (all) => {
    const io = all.filter((t) => t.metadata.workload === 'io');
    const seq = byModel(io, 'sequential');
    const threads = io.find((t) => t.metadata.model === 'gil') ?? io.find((t) => t.metadata.model === 'free');
    const k = threads.metadata.k;
    assert.ok(ms(seq) / ms(threads) >= k / 2,
      `I/O-bound threads ${(ms(seq) / ms(threads)).toFixed(2)}× faster than sequential, k=${k}`);
    const cpu = all.filter((t) => t.metadata.workload !== 'io');
    const proc = byModel(cpu, 'processes');
    const gil = byModel(cpu, 'gil');
    if (proc && gil) assert.ok(ms(proc) < ms(gil), 'CPU-bound: processes beat GIL threads');
  },
  8: (all) => {
    const late = (t) => {
      const events = t.traceEvents.filter((e) => e.cat === 'lanes.audio');
      return {
        blocks: events.filter((e) => e.name === 'block due').length,
        underruns: events.filter((e) => e.name === 'underrun').length,
      };
    };
    const gil = late(byModel(all, 'gil', 'playback'));
    const free = late(byModel(all, 'free', 'playback'));
    assert.ok(gil.blocks > 100 && free.blocks > 100, 'the melody played in both');
    assert.ok(gil.underruns >= 1, `under the GIL blocks come late: ${gil.underruns} of ${gil.blocks}`);
    assert.ok(free.underruns <= Math.max(1, free.blocks / 100),
      `free threads keep up: ${free.underruns} of ${free.blocks} late`);
  },
};

