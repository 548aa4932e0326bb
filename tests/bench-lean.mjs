// `make bench`, the lean page: per engine, in a fresh profile as a new user
// has it, what a first visit downloads and waits for, what a return visit
// waits for, what one cold process takes to start, and the longest
// main-thread task during each kind of work. Figures only, never
// pass/fail; one engine at a time, nothing else running. Adds `lean_…`
// figures to target/bench.json and prints a table with the targets.
//
// - first-load wasm: the wasm files the page fetched before Run was first
//   enabled (the resource timing entries that ended before the page's
//   `lanes:run-enabled` mark), at their gzip -9 size.
// - navigation to Run enabled: the mark's time, first visit (fresh
//   profile) and return visit (the same profile, its service worker
//   active and its offline copy kept), the median of a few; in Chromium
//   also with service workers blocked, to show what the worker costs.
// - one cold process, worker created to ready: the `startup` spans of
//   processes runs (k = 1: the median of several runs; k = 4: every
//   process of several runs).
// - the longest main-thread task: tests/support/longtasks.mjs (Chromium's
//   Long Tasks API; elsewhere a late timer's estimate).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { DIST, ROOT, launch, serve } from './support/harness.mjs';
import { ENGINES, launchEngine } from './support/engines.mjs';
import {
  LONG_TASK_RECORDER, LONG_TASK_WORK, bigTraceJson, goAndWatchRun, runEnabled, runSettled,
} from './support/longtasks.mjs';

const RETURN_VISITS = 3;
const PROCESS_RUNS = 7;
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined);
const out = path.join(ROOT, 'target', 'bench.json');
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
const gzipOf = (file) => gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;

/** When the page first enabled Run (ms since navigation), waiting for it. */
async function runEnabledAt(page) {
  return page.waitFor(() => performance.getEntriesByName('lanes:run-enabled')[0]?.startTime ?? null, {
    what: 'the lanes:run-enabled mark',
  });
}

/** The wasm files (paths under the page) fetched before `until` ms. */
function wasmFetchedBefore(page, until) {
  return page.evaluate((t) => performance.getEntriesByType('resource')
    .filter((e) => /\.wasm$/.test(new URL(e.name).pathname) && e.responseEnd <= t)
    .map((e) => new URL(e.name).pathname.replace(/^\//, '')), until);
}

/** Waits until a service worker is active and its cache holds the page's shell. */
async function offlineCopyKept(page) {
  return page.waitFor(async () => {
    const active = (await navigator.serviceWorker?.getRegistration())?.active;
    if (!active) return false;
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      if (keys.some((r) => r.url.endsWith('lanes_worker_bg.wasm'))) return true;
    }
    return false;
  }, { timeout: 60_000, what: 'the offline copy' }).catch(() => false);
}

/** Runs `query` `runs` times in `page` (settled: its own start-up over); resolves to the startup span lengths (ms) per run. */
async function processStartups(page, query, runs) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    await runHere(page, query);
    const trace = (await page.evaluate(() => window.lanes.traces())).at(-1);
    all.push(trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'startup').map((e) => e.dur / 1000));
  }
  return all;
}

/** The longest main-thread task (ms) during `work`, with the recorder's method and how long the work took (ms). */
async function longestDuring(page, work) {
  const since = await page.evaluate(() => performance.now());
  await work();
  return page.evaluate((s) => {
    const { tasks, method } = window.__lanesLongTasks;
    const ms = Math.max(0, ...tasks.filter((t) => t.start >= s).map((t) => t.duration));
    return { ms, method, elapsed: performance.now() - s };
  }, since);
}

/** Goes to `query` (as the back button would), presses `button` (Run), waits for the batch to settle. */
async function runHere(page, query, button = '#run-button') {
  await page.evaluate(goAndWatchRun, query);
  await page.waitFor(runEnabled, { what: 'Run enabled' });
  await page.click(button);
  await page.waitFor(runSettled, { timeout: 300_000, what: query });
}

/** Makes a trace file of `events` slices in the page, to drop later (making it is not the page's work). */
async function makeBigTrace(page, events) {
  await page.evaluate((source, n) => {
    const make = new Function(`return (${source})`)();
    window.__bigTrace = new File([make(n)], 'big.json', { type: 'application/json' });
  }, String(bigTraceJson), events);
}

/** Drops the file makeBigTrace made on the page and waits until it is shown. */
async function dropBigTrace(page) {
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(window.__bigTrace);
    document.querySelector('main').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.waitFor(() => document.querySelector('#run')?.dataset.runState === 'imported', { timeout: 300_000, what: 'the import' });
}

const figures = {};
const rows = [];
const server = await serve();
const url = `${server.url}?model=sequential&k=2&size=2000000`;
for (const engine of ENGINES) {
  const browser = await launchEngine(engine);
  const f = {};
  try {
    // First visit, fresh profile.
    const page = await browser.open(url);
    f.first_visit_ms = await runEnabledAt(page);
    const wasm = await wasmFetchedBefore(page, f.first_visit_ms);
    f.first_load_wasm_gzip_kb = wasm.reduce((sum, file) => sum + gzipOf(file), 0) / 1024;
    f.first_load_wasm_files = wasm.join(' ');
    // Return visits, once the service worker keeps the page.
    f.service_worker = (await offlineCopyKept(page)) ? 1 : 0;
    const returns = [];
    for (let i = 0; i < RETURN_VISITS; i++) {
      await page.goto(url);
      returns.push(await runEnabledAt(page));
    }
    f.return_visit_ms = median(returns);
    // One cold process, created to ready.
    const k1 = await processStartups(page, 'model=processes&k=1&size=1000', PROCESS_RUNS);
    f.process_k1_median_ms = median(k1.flat());
    const k4 = await processStartups(page, 'model=processes&k=4&size=1000', 3);
    f.process_k4_max_ms = Math.max(...k4.flat());
    f.process_k4_median_ms = median(k4.flat());
    // The longest main-thread task during each kind of work.
    await page.goto(url);
    await runEnabledAt(page);
    await page.evaluate(new Function(LONG_TASK_RECORDER));
    for (const { name, query, button } of LONG_TASK_WORK) {
      const { ms, method } = await longestDuring(page, () => runHere(page, query, button));
      f[`longest_task_${name}_ms`] = ms;
      f.long_task_method = method;
    }
    await makeBigTrace(page, 400_000);
    const imported = await longestDuring(page, () => dropBigTrace(page));
    f.longest_task_import_ms = imported.ms;
    f.import_40mb_ms = imported.elapsed;
    const errors = await page.errors();
    if (errors.length) console.warn(`${engine}: console errors:`, errors);
  } catch (e) {
    console.warn(`${engine}: ${e.stack ?? e}`);
    f.failed = String(e.message ?? e);
  } finally {
    await browser.close();
  }
  for (const [name, value] of Object.entries(f)) figures[`lean_${engine}_${name}`] = value;
  rows.push([engine, f]);
}

// Chromium with service workers blocked: what the worker costs a page the network serves.
{
  const browser = await launch({ serviceWorkers: false });
  try {
    const times = [];
    for (let i = 0; i <= RETURN_VISITS; i++) {
      const page = await browser.context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('lanes:run-enabled').length > 0, null, { timeout: 60_000 });
      const at = await page.evaluate(() => performance.getEntriesByName('lanes:run-enabled')[0].startTime);
      if (i === 0) figures.lean_chromium_no_sw_first_visit_ms = at;
      else times.push(at);
      await page.close();
    }
    figures.lean_chromium_no_sw_return_visit_ms = median(times);
    const page = await browser.context.newPage();
    const all = [];
    for (let i = 0; i < PROCESS_RUNS; i++) {
      await page.goto(`${server.url}?model=processes&k=1&size=1000&run=1`);
      await page.waitForSelector('#run[data-run-state="done"]', { timeout: 60_000 });
      const trace = (await page.evaluate(() => window.lanes.traces())).at(-1);
      all.push(...trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'startup').map((e) => e.dur / 1000));
    }
    figures.lean_chromium_no_sw_process_k1_median_ms = median(all);
  } finally {
    await browser.close();
  }
}
server.close();

const fmt = (x) => (x === undefined ? '–' : typeof x === 'number' ? x.toFixed(1) : String(x));
const table = [
  ['wasm downloaded before the first control works, gzip', 'KB', 'first_load_wasm_gzip_kb', '≤ 200'],
  ['navigation to Run enabled, first visit (fresh profile)', 'ms', 'first_visit_ms', '≤ 500'],
  ['navigation to Run enabled, return visit', 'ms', 'return_visit_ms', '≤ 500'],
  ['one cold process, created to ready, k = 1 (median)', 'ms', 'process_k1_median_ms', '≤ 10'],
  ['one cold process, created to ready, k = 4 (slowest of all)', 'ms', 'process_k4_max_ms', '≤ 20'],
  ['one cold process, created to ready, k = 4 (median)', 'ms', 'process_k4_median_ms', ''],
  ...LONG_TASK_WORK.map(({ name, query }) => [`longest main-thread task, ${name} (${query})`, 'ms', `longest_task_${name}_ms`, '≤ 50']),
  ['longest main-thread task, opening a 40 MB trace', 'ms', 'longest_task_import_ms', '≤ 50'],
  ['opening a 40 MB trace, drop to shown (off the main thread)', 'ms', 'import_40mb_ms', ''],
];
console.log('\nThe lean page — per engine, fresh profile, localhost, measured in one run');
console.log(['what', 'unit', ...rows.map(([e]) => e), 'target'].join('\t'));
for (const [what, unit, key, target] of table) {
  console.log([what, unit, ...rows.map(([, f]) => fmt(f[key])), target].join('\t'));
}
for (const [engine, f] of rows) {
  console.log(`${engine}: first-load wasm: ${f.first_load_wasm_files ?? '–'}; long tasks by ${f.long_task_method ?? '–'}` +
    `${f.failed ? `; failed: ${f.failed}` : ''}`);
}
console.log(`chromium, service workers blocked: first visit ${fmt(figures.lean_chromium_no_sw_first_visit_ms)} ms, ` +
  `return visit ${fmt(figures.lean_chromium_no_sw_return_visit_ms)} ms, one process ${fmt(figures.lean_chromium_no_sw_process_k1_median_ms)} ms`);
writeFileSync(out, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
