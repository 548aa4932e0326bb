// Soak: many consecutive runs across every model in one page, as a lecture
// that runs scenarios for an hour would. After the first ten runs (the page
// warming up: the pool's stacks, the JIT, the kept runs filling) the wasm
// memory, what is allocated in it, and the JS heap may not grow by 5 % or
// more; the number of workers stays the same; no console error.
//
// `make test` runs 20; `make soak` runs 200 (SOAK_RUNS).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, traces, waitForRun } from './support/harness.mjs';

const RUNS = Number(process.env.SOAK_RUNS ?? 20);
const WARM_UP = 10;
const MAX_GROWTH = 0.05;

// Small runs of every model and most workloads: enough to exercise each
// path (threads, the GIL's hand-offs, process workers started and ended,
// the event loop) without keeping much per run.
const SCENARIOS = [
  'model=sequential&workload=primes&size=200000',
  'model=gil&k=2&workload=primes&size=300000&interval=1',
  'model=free&k=4&workload=mandelbrot&size=200',
  'model=processes&k=2&workload=primes&size=200000',
  'model=asyncio&k=4&workload=io&latency=2',
  'model=free&k=2&workload=audio&size=8',
  'model=gil&k=4&workload=counter&size=100000',
  'model=processes&k=3&workload=mandelbrot&size=160',
  'model=gil&k=2&workload=io&latency=2',
  'model=free&k=4&workload=counter-locked&size=100000',
];

async function settle(page, workers, timeoutMs = 3_000) {
  const until = Date.now() + timeoutMs;
  while (page.workers().length !== workers && Date.now() < until) await page.waitForTimeout(50);
  return page.workers().length;
}

const growth = (from, to) => (to - from) / from;
const mb = (bytes) => (bytes / 1e6).toFixed(2);

describe(`soak: ${RUNS} runs across every model in one page`, () => {
  const { server, browser } = browserSuite();

  test(`memory and workers hold steady over ${RUNS} runs, with no console error`, async () => {
    assert.ok(RUNS > WARM_UP, `SOAK_RUNS must be over ${WARM_UP}`);
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=100000&run=1`);
    await waitForRun(page);
    const cdp = await browser.context.newCDPSession(page);
    const workers = page.workers().length;
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const m = await page.evaluate(() => window.lanes.memory());
      return { wasm: m.wasm_bytes, heap: m.heap_bytes, js: usedSize, workers: await settle(page, workers) };
    };
    const samples = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const query = SCENARIOS[(run - 1) % SCENARIOS.length];
      await page.evaluate((q) => {
        history.replaceState(null, '', `?${q}`);
        dispatchEvent(new PopStateEvent('popstate'));
      }, query);
      // The Run button's own handler, clicked from script: a trusted click
      // from the test driver would also make Chromium buffer performance
      // entries for it (largest contentful paint, interaction and event
      // timing), which stop at the browser's caps but on a 3 MB heap weigh
      // more than anything the page keeps.
      await page.evaluate(() => document.getElementById('run-button').click());
      await waitForRun(page);
      const model = new URLSearchParams(query).get('model');
      assert.equal((await traces(page)).at(-1).metadata.model, model, `run ${run}: ${query}`);
      const sample = { run, ...(await measure()) };
      samples.push(sample);
      assert.equal(sample.workers, workers, `run ${run} (${query}): workers ${sample.workers}, not ${workers}`);
      if (run % 20 === 0 || run === RUNS) {
        console.log(`soak run ${run}: wasm ${mb(sample.wasm)} MB, heap in use ${mb(sample.heap)} MB, JS heap ${mb(sample.js)} MB, workers ${sample.workers}`);
      }
    }
    const base = samples[WARM_UP - 1];
    const last = samples.at(-1);
    const figures = {
      wasm: growth(base.wasm, last.wasm),
      heap: growth(base.heap, last.heap),
      js: growth(base.js, last.js),
    };
    console.log(
      `soak growth from run ${WARM_UP} to run ${RUNS}: wasm memory ${(100 * figures.wasm).toFixed(2)} %, ` +
        `heap in use ${(100 * figures.heap).toFixed(2)} %, JS heap ${(100 * figures.js).toFixed(2)} %`,
    );
    for (const [what, g] of Object.entries(figures)) {
      assert.ok(g < MAX_GROWTH, `${what} grew ${(100 * g).toFixed(2)} % from run ${WARM_UP} to run ${RUNS}`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});
