// `make bench`, browser half: the same figures as the native benchmark,
// measured in headless Chromium through the page's automation surface, then
// the table of wasm against native. Figures only: it never fails the build on
// a slow result. Writes target/bench.json, a flat object of name -> number.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { ROOT, laneKinds, launch, open, serve, traces, waitForRun } from './support/harness.mjs';

const REPS = 5;
const REPS_MODELS = 3;
const readJson = (name) => {
  const file = path.join(ROOT, 'target', name);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};
const native = { ...readJson('bench-native.json'), ...readJson('bench-render.json') };
const size = native.size ?? 5_000_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs one model with k threads from the page's controls; returns makespan ms. */
async function runOnce(page, model, k) {
  for (const m of ['sequential', 'free']) {
    if (m === model) await page.check(`#model-${m}`);
  }
  for (const m of ['sequential', 'free']) {
    if (m !== model) await page.uncheck(`#model-${m}`);
  }
  await page.fill('#k', String(k));
  await page.dispatchEvent('#k', 'change');
  const before = (await traces(page)).length;
  await page.click('#run-button');
  await page.waitForFunction((n) => window.lanes.traces().length > n, before, { timeout: 120_000 });
  await waitForRun(page);
  const trace = (await traces(page)).at(-1);
  if (trace.metadata.model !== model || trace.metadata.k !== (model === 'sequential' ? 1 : k)) {
    throw new Error(`ran ${trace.metadata.model} k=${trace.metadata.k}, wanted ${model} k=${k}`);
  }
  return trace.metadata.makespan_ms;
}

async function timed(page, model, k) {
  await runOnce(page, model, k); // warm-up: V8 tiers up on the first runs
  const times = [];
  for (let i = 0; i < REPS; i++) times.push(await runOnce(page, model, k));
  return median(times);
}

const server = await serve();
const browser = await launch();
const figures = { ...native };
try {
  const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=${size}`);
  await page.waitForSelector('#pool[data-pool="ready"]');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  figures.wasm_cores = cores;
  await runOnce(page, 'sequential', 1); // extra warm-up
  figures.wasm_single_ms = await timed(page, 'sequential', 1);
  let base;
  for (let k = 1; k <= Math.min(cores, 16); k++) {
    const ms = await timed(page, 'free', k);
    base ??= ms;
    figures[`wasm_free_k${k}_ms`] = ms;
    figures[`wasm_speedup_k${k}`] = base / ms;
  }
  // Timeline redraw on the page's canvas and trace import, in the page's wasm.
  for (const [name, n] of [['1e3', 1e3], ['1e5', 1e5], ['1e6', 1e6]]) {
    figures[`render_canvas_${name}_ms`] = await page.evaluate((n) => window.lanes.bench.redraw(n, 5), n);
  }
  figures.import_wasm_1e6_ms = await page.evaluate(() => window.lanes.bench.importTrace(1e6, 3));
  const tracing = await page.evaluate(([n, k]) => window.lanes.bench.tracing(n, k, 5), [size, cores]);
  figures.wasm_traced_ms = tracing.traced_ms;
  figures.wasm_untraced_ms = tracing.untraced_ms;
  figures.wasm_tracing_overhead = tracing.traced_ms / tracing.untraced_ms;
  if (errors.length) console.warn('console errors during the benchmark:', errors);
  await page.close();

  // The course's models in the page: each query runs a batch (models one
  // after another); the median of REPS_MODELS batches after a warm-up.
  const batch = async (query) => {
    const { page: p, errors: errs } = await open(browser.context, `${server.url}?${query}&run=1`);
    await waitForRun(p);
    const runs = [];
    for (let i = 0; i < REPS_MODELS; i++) {
      const before = (await traces(p)).length;
      await p.click('#run-button');
      await p.waitForFunction((n) => window.lanes.traces().length > n, before, { timeout: 120_000 });
      await waitForRun(p);
      runs.push((await traces(p)).slice(before));
    }
    if (errs.length) console.warn(`console errors in ${query}:`, errs);
    await p.close();
    return runs;
  };
  const medianOf = (runs, f) => median(runs.map(f));
  const ms = (t) => t.metadata.makespan_ms;
  for (const k of [2, 4]) {
    const runs = await batch(`model=sequential,gil,free&k=${k}&size=${size}`);
    figures[`gil_cpu_speedup_k${k}`] = medianOf(runs, ([s, g]) => ms(s) / ms(g));
    figures[`free_cpu_speedup_k${k}`] = medianOf(runs, ([s, , f]) => ms(s) / ms(f));
  }
  for (const k of [2, 4, 8, 16]) {
    const runs = await batch(`model=sequential,gil&workload=io&k=${k}&latency=20`);
    figures[`gil_io_speedup_k${k}`] = medianOf(runs, ([s, g]) => ms(s) / ms(g));
  }
  // The convoy effect: how long the I/O thread takes beside a CPU-bound
  // thread, under the GIL and with free threads.
  const ioThread = (t) => {
    const tid = t.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'I/O thread').tid;
    const spans = t.traceEvents.filter((e) => e.ph === 'X' && e.tid === tid);
    return (Math.max(...spans.map((e) => e.ts + e.dur)) - Math.min(...spans.map((e) => e.ts))) / 1000;
  };
  const mixed = await batch(`model=gil,free&workload=mixed&size=${size}`);
  figures.convoy_io_thread_gil_ms = medianOf(mixed, ([g]) => ioThread(g));
  figures.convoy_io_thread_free_ms = medianOf(mixed, ([, f]) => ioThread(f));
  figures.convoy_slowdown_gil_over_free = figures.convoy_io_thread_gil_ms / figures.convoy_io_thread_free_ms;

  // Processes, CPU-bound, k = cores: cold (every run starts its workers, so
  // start-up is in the makespan) and warm (warm=1: the batch's first run,
  // the warm-up, starts the workers; the later ones reuse them), with free
  // threads on the same work. Primes copy real numbers in, 4 bytes each.
  const kp = Math.min(cores, 16);
  const processLanes = (t) => [...laneKinds(t)].filter(([, kind]) => kind === 'process').map(([tid]) => tid);
  const spansOf = (t, name) => t.traceEvents.filter((e) => e.ph === 'X' && e.name === name);
  // Bytes copied in / copy-in span, per process, in GB/s (bytes per µs / 1000).
  const copyIn = (t) => processLanes(t).map((tid) => {
    const span = spansOf(t, 'copy_in').find((e) => e.tid === tid);
    const sent = t.traceEvents.find((e) => e.cat === 'lanes.message' && e.ph === 's' && e.args.to === tid - 1);
    return sent.args.bytes / Math.max(span.dur, 1) / 1000;
  });
  const cold = await batch(`model=sequential,processes&k=${kp}&size=${size}`);
  figures[`proc_cpu_speedup_cold_k${kp}`] = medianOf(cold, ([s, p]) => ms(s) / ms(p));
  figures.proc_startup_ms = median(cold.flatMap(([, p]) => spansOf(p, 'startup').map((e) => e.dur / 1000)));
  figures.proc_copy_in_gbps = median(cold.flatMap(([, p]) => copyIn(p)));
  const warm = await batch(`model=sequential,processes,free&k=${kp}&size=${size}&warm=1`);
  const reused = warm.every(([, p]) => spansOf(p, 'startup').length === 0);
  if (!reused) console.warn('warm processes runs started workers: the figures are not warm');
  figures[`proc_cpu_speedup_warm_k${kp}`] = medianOf(warm, ([s, p]) => ms(s) / ms(p));
  figures.proc_copy_in_warm_gbps = median(warm.flatMap(([, p]) => copyIn(p)));
  figures[`free_vs_proc_k${kp}`] = medianOf(warm, ([, p, f]) => ms(p) / ms(f));

  // Live against simulated: in one page, live batches calibrate the
  // simulator's costs (every live run teaches it); then the same batch is
  // simulated with "Costs measured here" on this machine's cores, and each
  // model's simulated makespan is compared with the median of its live ones.
  const predicted = async (name, query) => {
    const { page: p, errors: errs } = await open(browser.context, `${server.url}?${query}&run=1`);
    await waitForRun(p);
    const live = [];
    for (let i = 0; i < REPS_MODELS; i++) {
      const before = (await traces(p)).length;
      await p.click('#run-button');
      await p.waitForFunction((n) => window.lanes.traces().length > n, before, { timeout: 120_000 });
      await waitForRun(p);
      live.push((await traces(p)).slice(before));
    }
    await p.check('#sim');
    await p.fill('#cores', String(cores));
    await p.dispatchEvent('#cores', 'change');
    await p.check('#calibrated');
    const before = (await traces(p)).length;
    await p.click('#run-button');
    await p.waitForFunction((n) => window.lanes.traces().length > n, before, { timeout: 120_000 });
    await waitForRun(p);
    const sim = (await traces(p)).slice(before);
    if (errs.length) console.warn(`console errors in ${query}:`, errs);
    await p.close();
    sim.forEach((t, i) => {
      const model = t.metadata.model;
      const liveMs = median(live.map((batchRuns) => ms(batchRuns[i])));
      figures[`sim_${name}_${model}_live_ms`] = liveMs;
      figures[`sim_${name}_${model}_sim_ms`] = ms(t);
      figures[`sim_${name}_${model}_error`] = ms(t) / liveMs - 1;
    });
  };
  await predicted('primes', `model=sequential,gil,free,processes,asyncio&k=${Math.min(cores, 16)}&size=${size}`);
  await predicted('io', 'model=sequential,gil,free,asyncio&workload=io&k=4&latency=20');
  await predicted('mixed', `model=sequential,gil,free&workload=mixed&size=${size}`);

  // Start-up: from navigation to the first control a person can use (Run
  // enabled: the module loaded, the app mounted, the pool up), a fresh
  // page each time; and embed mode's first frame (its bar drawn) and first
  // picture (a simulated run drawn, as a slide in lecture mode shows it).
  const startup = async (query, selector) => {
    const times = [];
    for (let i = 0; i < REPS; i++) {
      const p = await browser.context.newPage();
      await p.goto(`${server.url}?${query}`);
      await p.waitForSelector(selector, { timeout: 60_000 });
      times.push(await p.evaluate(() => performance.now()));
      await p.close();
    }
    return median(times);
  };
  figures.tti_ms = await startup('model=sequential', '#run-button:not([disabled])');
  figures.embed_first_frame_ms = await startup('lesson=4&embed=1', '.embed-bar #run-button');
  figures.embed_first_picture_ms = await startup('lesson=4&embed=1&sim=1&run=1', '#run[data-run-state="done"]');

  // Cancel: from the click to the run really stopping, per model.
  const cancelLatency = async (query) => {
    const { page: p } = await open(browser.context, `${server.url}?${query}&run=1`);
    await waitForRun(p, 'running');
    await p.waitForTimeout(400);
    await p.click('#cancel-button');
    await p.waitForFunction(() => window.lanes.cancelLatencyMs() !== null, null, { timeout: 60_000 });
    const ms = await p.evaluate(() => window.lanes.cancelLatencyMs());
    await p.close();
    return ms;
  };
  figures.cancel_sequential_ms = await cancelLatency('model=sequential&size=100000000');
  figures.cancel_free_ms = await cancelLatency('model=free&k=4&size=100000000');
  figures.cancel_gil_ms = await cancelLatency('model=gil&k=4&size=100000000');
  figures.cancel_asyncio_ms = await cancelLatency('model=asyncio&workload=io&k=4&latency=5000');
  figures.cancel_processes_ms = await cancelLatency('model=processes&k=2&workload=mandelbrot&size=16000');
} finally {
  await browser.close();
  server.close();
}

const wasm = readFileSync(path.join(ROOT, 'dist', 'pkg', 'lanes_bg.wasm'));
figures.wasm_bytes = wasm.length;
figures.wasm_gzip_bytes = gzipSync(wasm, { level: 9 }).length;

if (figures.native_single_ms) {
  figures.wasm_over_native_single = figures.wasm_single_ms / figures.native_single_ms;
}
const k = Math.min(figures.wasm_cores, figures.native_cores ?? figures.wasm_cores);
if (figures[`native_speedup_k${k}`]) {
  figures.wasm_speedup_over_native_speedup = figures[`wasm_speedup_k${k}`] / figures[`native_speedup_k${k}`];
}

const fmt = (x) => (x === undefined ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(3));
const rows = [
  ['single thread, primes below ' + size, 'ms', figures.wasm_single_ms, figures.native_single_ms, figures.wasm_over_native_single, '≤ 1.10'],
];
for (let j = 1; j <= k; j++) {
  rows.push([`free threads k=${j}`, 'speedup', figures[`wasm_speedup_k${j}`], figures[`native_speedup_k${j}`],
    figures[`wasm_speedup_k${j}`] / figures[`native_speedup_k${j}`], j === k ? '≥ 0.95' : '']);
}
for (const n of ['1e3', '1e5', '1e6']) {
  const page = figures[`render_canvas_${n}_ms`];
  const nat = figures[`render_native_${n}_ms`];
  rows.push([`timeline redraw, ${n} spans, 1280×720`, 'ms', page, nat, page / nat,
    n === '1e5' ? 'canvas ≤ 16' : n === '1e6' ? 'canvas ≤ 100' : '']);
}
for (const k of [2, 4]) {
  rows.push([`threads + GIL, CPU-bound, k=${k}`, 'speedup', figures[`gil_cpu_speedup_k${k}`], undefined, undefined, '0.9–1.05']);
  rows.push([`free threads, CPU-bound, k=${k}`, 'speedup', figures[`free_cpu_speedup_k${k}`], undefined, undefined, '']);
}
for (const k of [2, 4, 8, 16]) {
  rows.push([`threads + GIL, I/O-bound, k=${k}`, 'speedup', figures[`gil_io_speedup_k${k}`], undefined, undefined, `≥ ${(0.9 * k).toFixed(1)}`]);
}
rows.push(['convoy: I/O thread beside a CPU thread, GIL / free', 'ratio', figures.convoy_slowdown_gil_over_free, undefined, undefined, '']);
rows.push(['tracing cost: traced / untraced run, free threads k=cores', 'ratio', figures.wasm_tracing_overhead,
  figures.native_tracing_overhead, undefined, '≤ 1.02']);
const kp = Math.min(figures.wasm_cores, 16);
rows.push([`processes, CPU-bound, k=${kp}, cold (start-up included)`, 'speedup', figures[`proc_cpu_speedup_cold_k${kp}`], undefined, undefined, '']);
rows.push([`processes, CPU-bound, k=${kp}, warm (warm=1)`, 'speedup', figures[`proc_cpu_speedup_warm_k${kp}`], undefined, undefined, '']);
rows.push(['processes: start-up per process (cold)', 'ms', figures.proc_startup_ms, undefined, undefined, '≤ 30']);
rows.push(['processes: copy in, primes, cold', 'GB/s', figures.proc_copy_in_gbps, undefined, undefined, '≥ 0.5']);
rows.push(['processes: copy in, primes, warm', 'GB/s', figures.proc_copy_in_warm_gbps, undefined, undefined, '']);
rows.push([`processes (warm) / free threads, same work, k=${kp}`, 'ratio', figures[`free_vs_proc_k${kp}`], undefined, undefined, '']);
for (const m of ['sequential', 'free', 'gil', 'asyncio', 'processes']) {
  rows.push([`cancel to stopped, ${m}`, 'ms', figures[`cancel_${m}_ms`], undefined, undefined, '≤ 100']);
}
for (const [name, label] of [['primes', 'primes (CPU-bound)'], ['io', 'io, k=4'], ['mixed', 'mixed (convoy)']]) {
  for (const m of ['sequential', 'gil', 'free', 'processes', 'asyncio']) {
    const error = figures[`sim_${name}_${m}_error`];
    if (error === undefined) continue;
    rows.push([`simulated vs live makespan, ${label}, ${m} (live ${fmt(figures[`sim_${name}_${m}_live_ms`])} ms, sim ${fmt(figures[`sim_${name}_${m}_sim_ms`])} ms)`,
      'error %', 100 * error, undefined, undefined, '|error| ≤ 15']);
  }
}
if (figures.sim_1e6_spans_ms !== undefined) {
  rows.push([`simulate a trace of ${figures.sim_1e6_spans_count ?? '1e6'} spans`, 'ms', undefined, figures.sim_1e6_spans_ms, undefined, 'native ≤ 200']);
}
rows.push(['wasm module, raw', 'KB', figures.wasm_bytes / 1024, undefined, undefined, '']);
rows.push(['wasm module, gzip -9', 'KB', figures.wasm_gzip_bytes / 1024, undefined, undefined, '≤ 200']);
rows.push(['navigation to first interactive control (Run enabled), localhost', 'ms', figures.tti_ms, undefined, undefined, '≤ 1000']);
rows.push(['embed mode: navigation to first frame (its bar)', 'ms', figures.embed_first_frame_ms, undefined, undefined, '']);
rows.push(['embed mode: navigation to a simulated step drawn', 'ms', figures.embed_first_picture_ms, undefined, undefined, '']);
rows.push(['import a Chrome trace of 1e6 events', 'ms', figures.import_wasm_1e6_ms, figures.import_native_1e6_ms,
  figures.import_wasm_1e6_ms / figures.import_native_1e6_ms, '']);
console.log(`\nLanes benchmark — medians of warm runs, ${figures.wasm_cores} cores, measured in one run`);
console.log(['what', 'unit', 'wasm (page)', 'native', 'wasm/native', 'target'].join('\t'));
for (const r of rows) console.log(r.map((c) => (typeof c === 'number' ? fmt(c) : c)).join('\t'));

const out = path.join(ROOT, 'target', 'bench.json');
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
writeFileSync(out, JSON.stringify({ ...previous, ...figures }, null, 2) + '\n');
console.log(`\nwrote ${path.relative(ROOT, out)}`);
