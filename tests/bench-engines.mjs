// `make bench`, per engine: in Chromium, Firefox and WebKit (as the
// cross-engine suite drives them), the warm single-thread prime count
// against native, the free-thread speedup at k = cores, and one cold
// process's start-up. Figures only, never pass/fail; one engine at a time,
// nothing else running. Adds `engine_<name>_…` figures to target/bench.json
// and prints a table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, serve } from './support/harness.mjs';
import { ENGINES, launchEngine } from './support/engines.mjs';

const REPS = 5;
const SIZE = 5_000_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = path.join(ROOT, 'target', 'bench.json');
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
const nativeFile = path.join(ROOT, 'target', 'bench-native.json');
const native = existsSync(nativeFile) ? JSON.parse(readFileSync(nativeFile, 'utf8')) : {};

/** Loads `query` with run=1, presses Run `reps` more times; resolves to every batch's traces. */
async function batches(page, base, query, reps) {
  await page.goto(`${base}?${query}&run=1`);
  const settled = () => ['done', 'error'].includes(document.querySelector('#run')?.dataset.runState);
  const all = [];
  for (let i = 0; i <= reps; i++) {
    if (i > 0) {
      await page.waitFor(() => !document.querySelector('#run-button')?.disabled, { what: 'Run enabled' });
      const before = await page.evaluate(() => window.lanes.traces().length);
      await page.click('#run-button');
      await page.waitFor((b) => window.lanes.traces().length > b, { args: [before], what: 'a new run' });
    }
    await page.waitFor(settled, { timeout: 300_000, what: query });
    const state = await page.evaluate(() => document.querySelector('#run').dataset.runState);
    if (state !== 'done') throw new Error(`${page.engine}: ${query}: ${await page.text('.status')}`);
    all.push((await page.evaluate(() => window.lanes.traces())).at(-1));
  }
  return all;
}

const figures = {};
const rows = [];
const server = await serve();
for (const engine of ENGINES) {
  const browser = await launchEngine(engine);
  try {
    const page = await browser.open(`${server.url}?model=sequential&size=1000`);
    const pool = await page.waitFor(() => {
      const p = document.querySelector('#pool')?.dataset.pool;
      return p && p !== 'starting' ? p : null;
    });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const k = Math.min(cores, 16);
    // The first batch of each is a warm-up, left out.
    const seq = (await batches(page, server.url, `model=sequential&size=${SIZE}`, REPS)).slice(1);
    const single = median(seq.map((t) => t.metadata.makespan_ms));
    const f = { single_ms: single, pool_ready: pool === 'ready' ? 1 : 0, cores };
    if (native.native_single_ms) f.single_over_native = single / native.native_single_ms;
    const free = (await batches(page, server.url, `model=free&k=${k}&size=${SIZE}`, REPS)).slice(1);
    if (free.every((t) => t.metadata.mode === 'live')) {
      f[`free_speedup_k${k}`] = single / median(free.map((t) => t.metadata.makespan_ms));
    }
    const procs = await batches(page, server.url, 'model=processes&k=1&size=100000', REPS);
    const startups = procs.flatMap((t) => t.traceEvents.filter((e) => e.ph === 'X' && e.name === 'startup').map((e) => e.dur / 1000));
    f.process_startup_ms = median(startups);
    for (const [name, value] of Object.entries(f)) figures[`engine_${engine}_${name}`] = value;
    const fmt = (x) => (x === undefined ? '– (no threads: simulated)' : x.toFixed(2));
    rows.push([engine, fmt(single), fmt(f.single_over_native), `k=${k}: ${fmt(f[`free_speedup_k${k}`])}`, fmt(f.process_startup_ms)]);
  } catch (e) {
    rows.push([engine, `failed: ${e.message}`]);
  } finally {
    await browser.close();
  }
}
server.close();

console.log(`\nPer engine — primes below ${SIZE}, medians of ${REPS} warm runs, measured in one run`);
console.log(['engine', 'single thread ms', 'wasm/native', 'free-thread speedup', 'process start-up ms'].join('\t'));
for (const r of rows) console.log(r.join('\t'));
writeFileSync(out, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
