// The cross-engine suite: the same checks in Chromium, Firefox and WebKit
// (tests/support/engines.mjs drives each). The page loads with the isolation
// the engine allows and says in plain words what it lacks; every model and
// workload runs to "done", live or labelled simulated; every step of the
// tour holds its claims; embed mode runs; a trace exports and imports; the
// page served without isolation still teaches; no console errors anywhere.
// What each engine offered is written to tests/artifacts/engines.json (the
// README's engine table follows it).
//
// LANES_ENGINES=firefox node --test tests/engines.test.mjs runs one engine.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS, ROOT, crossLaneOverlap, gilHolders, serve, stateOverlap } from './support/harness.mjs';
import { ENGINES, launchEngine } from './support/engines.mjs';
import { CLAIMS } from './support/tour-claims.mjs';

const REPORT = path.join(ARTIFACTS, 'engines.json');
const PY_TRACES = process.env.LANES_PY_TRACES ?? path.join(ROOT, 'target', 'py-traces');

/** Adds what `engine` showed to tests/artifacts/engines.json. */
function report(engine, facts) {
  mkdirSync(ARTIFACTS, { recursive: true });
  let all = {};
  try {
    all = JSON.parse(readFileSync(REPORT, 'utf8'));
  } catch {
    // first engine
  }
  all[engine] = { ...all[engine], ...facts };
  writeFileSync(REPORT, `${JSON.stringify(all, null, 2)}\n`);
}

const runState = () => document.querySelector('#run')?.dataset.runState;
const settled = () => {
  const s = document.querySelector('#run')?.dataset.runState;
  return ['done', 'error', 'cancelled'].includes(s) ? s : null;
};
const poolState = () => {
  const p = document.querySelector('#pool')?.dataset.pool;
  return p && p !== 'starting' ? p : null;
};

/** Loads `query`, waits for the pool to settle, runs if asked, and returns the new traces. */
async function runBatch(page, url, { timeout = 180_000 } = {}) {
  await page.goto(url);
  const pool = await page.waitFor(poolState, { what: 'the pool to settle' });
  const state = await page.waitFor(settled, { timeout, what: `${url} to finish` });
  const status = await page.text('.status');
  assert.equal(state, 'done', `${page.engine}: ${url} ended "${state}": ${status}`);
  return { pool, traces: await page.evaluate(() => window.lanes.traces()) };
}

/** Checks that every trace of a batch is live, or simulated where threads are missing, and agrees. */
function checkBatch(engine, pool, all, models) {
  assert.deepEqual(all.map((t) => t.metadata.model), models, `${engine}: every model ran`);
  const reference = all.find((t) => t.metadata.model === 'sequential') ?? all[0];
  for (const t of all) {
    const { model, mode, workload } = t.metadata;
    const simulated = pool !== 'ready' && model === 'free' && workload !== 'ui';
    assert.equal(mode, simulated ? 'simulated' : 'live', `${engine}: ${model} ${workload} is ${mode}`);
    // A simulated run computes no answer (its result is absent).
    if (!simulated && !workload.startsWith('counter') && workload !== 'ui') {
      assert.equal(t.metadata.result, reference.metadata.result, `${engine}: ${model} ${workload} agrees`);
    }
  }
}

// Steps whose claims time processes, against threads or against each
// other, and do not hold reliably in an engine: recorded (engines.json) and
// shown on the page as failing, never asserted there. In WebKitGTK 2.50 two
// wasm instances running at once each ran at about 57 % of the speed of one
// alone (two processes: 880 ms of running for the work one process did in
// 485–574 ms), while plain JavaScript workers ran in parallel at full speed;
// so its processes only tie with GIL threads (step 5: 570 against 561 ms),
// and its copy times are noise (step 6).
const UNRELIABLE_STEPS = { webkit: new Set([5, 6, 7]) };

// Small sizes: every engine, every model, a few seconds a workload. The
// CPU-bound ones last some 30–50 ms with free threads in Chromium: at a few
// ms (mandelbrot at 200 pixels took 3–6) a pool thread that wakes late on
// a busy machine can find the work done, and the free threads' overlap,
// which the test asserts, is gone.
const WORKLOADS = [
  ['primes', 'sequential,gil,free,processes,asyncio', 'k=2&size=2000000'],
  ['mandelbrot', 'sequential,gil,free,processes,asyncio', 'k=2&size=800'],
  ['audio', 'sequential,gil,free,processes,asyncio', 'k=2&size=32'],
  ['io', 'sequential,gil,free,processes,asyncio', 'k=4&latency=5&size=20000'],
  ['mixed', 'sequential,gil,free,asyncio', 'size=300000&latency=5'],
  ['counter', 'sequential,gil,free,processes', 'k=2&size=200000'],
  ['counter-locked', 'sequential,gil,free,processes', 'k=2&size=20000'],
  ['ui', 'sequential,free', 'size=300000'],
];

for (const engine of ENGINES) {
  describe(`in ${engine}`, () => {
    let browser;
    let server;
    let plain;
    let page;
    before(async () => {
      server = await serve({ recordErrors: true });
      plain = await serve({ recordErrors: true, isolated: false, serviceWorker: false });
      browser = await launchEngine(engine);
      page = await browser.open(`${server.url}?model=sequential&size=1000`);
    });
    after(async () => {
      await browser?.close();
      server?.close();
      plain?.close();
    });

    test('loads with the isolation the engine allows, and says what it lacks in plain words', async () => {
      const pool = await page.waitFor(poolState, { what: 'the pool to settle' });
      const facts = await page.evaluate(() => ({
        userAgent: navigator.userAgent,
        crossOriginIsolated: window.crossOriginIsolated,
        sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
        cores: navigator.hardwareConcurrency,
        audioWorklet: typeof AudioWorkletNode !== 'undefined',
        banner: document.querySelector('#pool')?.textContent ?? '',
      }));
      report(engine, { ...facts, pool });
      assert.equal(facts.crossOriginIsolated, true, 'served with COOP/COEP, every engine isolates the page');
      if (pool === 'ready') {
        assert.match(facts.banner, /Cross-origin isolated: \d+ worker threads share one memory/);
      } else {
        assert.equal(pool, 'unavailable');
        // What is missing and what still runs, in words, not an exception.
        assert.match(facts.banner, /No worker threads here/);
        assert.match(facts.banner, /What still works/);
        assert.doesNotMatch(facts.banner, /\.\.|DataCloneError|can not be cloned|undefined/);
      }
      assert.deepEqual(await page.errors(), []);
      await page.screenshot(`engine-${engine}-start`);
    });

    for (const [workload, models, params] of WORKLOADS) {
      test(`every model runs ${workload} to done, live or labelled simulated`, async () => {
        const url = `${server.url}?model=${models}&workload=${workload}&${params}&run=1`;
        const { pool, traces } = await runBatch(page, url);
        checkBatch(engine, pool, traces, models.split(','));
        const byModel = Object.fromEntries(traces.map((t) => [t.metadata.model, t]));
        if (byModel.gil && workload !== 'io') {
          assert.equal(stateOverlap(byModel.gil), 0, `${engine}: under the GIL running spans never overlap`);
        }
        // (Processes overlap at the tour's sizes, steps 2 and 5; at these
        // their start-up can outlast their work.)
        if (byModel.free && ['primes', 'mandelbrot', 'audio'].includes(workload)) {
          assert.ok(stateOverlap(byModel.free) > 0, `${engine}: free threads run at the same time`);
        }
        if (workload === 'primes') {
          report(engine, {
            makespans_ms: Object.fromEntries(traces.map((t) => [t.metadata.model, Math.round(t.metadata.makespan_ms)])),
            modes: Object.fromEntries(traces.map((t) => [t.metadata.model, t.metadata.mode])),
          });
          await page.screenshot(`engine-${engine}-primes`);
        }
        assert.deepEqual(await page.errors(), []);
      });
    }

    test('every step of the tour: predict, run, every claim holds', async (t) => {
      const held = {};
      const unreliable = UNRELIABLE_STEPS[engine] ?? new Set();
      for (let n = 1; n <= 8; n++) {
        await page.goto(`${server.url}?lesson=${n}`);
        await page.waitFor(poolState, { what: 'the pool to settle' });
        await page.waitForSelector(`#tour[data-lesson="${n}"] button.choice`);
        await page.click('#tour button.choice');
        assert.equal(await page.attr('#tour button.choice', 'aria-pressed'), 'true');
        // Claims are about timing on a shared machine: a step whose run does
        // not bear out every claim gets one more run, as in tour.test.mjs.
        let failing = [];
        for (let attempt = 1; attempt <= 2; attempt++) {
          const before = await page.evaluate(() => window.lanes.traces().length);
          await page.waitFor(() => !document.querySelector('#run-button')?.disabled, { what: 'Run enabled' });
          await page.click('#run-button');
          await page.waitFor((b) => window.lanes.traces().length > b && ['done', 'error'].includes(document.querySelector('#run')?.dataset.runState), {
            args: [before], timeout: 240_000, what: `step ${n} to finish`,
          });
          assert.equal(await page.evaluate(runState), 'done', `${engine} step ${n}: ${await page.text('.status')}`);
          await page.waitForSelector('#outcome');
          const all = (await page.evaluate(() => window.lanes.traces())).slice(before);
          failing = await page.evaluate(() => [...document.querySelectorAll('#outcome li[data-holds="false"]')].map((li) => li.textContent));
          if (failing.length === 0 || attempt === 2) {
            try {
              CLAIMS[n](all);
            } catch (e) {
              if (!unreliable.has(n)) throw e;
              failing.push(`in the traces: ${e.message}`);
            }
            break;
          }
        }
        held[n] = failing.length === 0;
        if (unreliable.has(n) && failing.length > 0) {
          t.diagnostic(`${engine} step ${n} did not bear out: ${failing.join('; ')} (known, see UNRELIABLE_STEPS)`);
        } else {
          assert.deepEqual(failing, [], `${engine} step ${n}: every claim holds on screen`);
        }
        await page.screenshot(`engine-${engine}-tour-${n}`);
      }
      report(engine, { tour: held });
      assert.deepEqual(await page.errors(), []);
    });

    test('embed mode runs a step and fits its frame', async () => {
      await page.goto(`${server.url}?lesson=4&embed=1&sim=1&seed=1`);
      await page.waitFor(poolState, { what: 'the pool to settle' });
      assert.equal(await page.evaluate(() => document.querySelector('#controls')), null, 'no page chrome');
      await page.waitFor(() => !document.querySelector('#run-button')?.disabled, { what: 'Run enabled' });
      await page.click('#run-button');
      await page.waitFor(settled, { what: 'the embedded run' });
      assert.equal(await page.evaluate(runState), 'done');
      const all = await page.evaluate(() => window.lanes.traces());
      const gil = all.find((t) => t.metadata.model === 'gil');
      assert.equal(stateOverlap(gil), 0, 'one thread at a time under the GIL');
      assert.ok(gilHolders(gil).length > 1, 'the GIL lane is drawn');
      const scrolls = await page.evaluate(() => document.scrollingElement.scrollHeight > innerHeight + 1);
      assert.equal(scrolls, false, 'no vertical scrollbar');
      await page.screenshot(`engine-${engine}-embed`);
      assert.deepEqual(await page.errors(), []);
    });

    test('a run exports as a Chrome trace and opens again', async () => {
      const { traces } = await runBatch(page, `${server.url}?model=sequential,gil&k=2&size=200000&run=1`);
      const json = JSON.stringify(traces.at(-1));
      const imported = await page.evaluate(async (text) => {
        const input = document.querySelector('#import-file');
        const files = new DataTransfer();
        files.items.add(new File([text], 'gil-run.json', { type: 'application/json' }));
        input.files = files.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
        const until = Date.now() + 30_000;
        while (document.querySelector('#run')?.dataset.runState !== 'imported') {
          if (Date.now() > until) return null;
          await new Promise((r) => setTimeout(r, 50));
        }
        return window.lanes.traces().at(-1);
      }, json);
      assert.ok(imported, `${engine}: the file opened (${await page.text('.status')})`);
      const spans = (t) => t.traceEvents.filter((e) => e.ph === 'X').length;
      assert.equal(spans(imported), spans(traces.at(-1)), 'every span came back');
      assert.equal(crossLaneOverlap(imported) > 0, crossLaneOverlap(traces.at(-1)) > 0);
      assert.deepEqual(await page.errors(), []);
    });

    test("a real Python program's trace opens with its GIL measured and its stacks", async () => {
      const file = readFileSync(path.join(PY_TRACES, 'two_threads.json'), 'utf8');
      await page.goto(`${server.url}?model=sequential`);
      await page.waitFor(poolState, { what: 'the pool to settle' });
      const imported = await page.evaluate(async (text) => {
        const input = document.querySelector('#import-file');
        const files = new DataTransfer();
        files.items.add(new File([text], 'two_threads.json', { type: 'application/json' }));
        input.files = files.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
        const until = Date.now() + 60_000;
        while (document.querySelector('#run')?.dataset.runState !== 'imported') {
          if (Date.now() > until) return null;
          await new Promise((r) => setTimeout(r, 50));
        }
        return window.lanes.traces().at(-1);
      }, file);
      assert.ok(imported, `${engine}: the file opened (${await page.text('.status')})`);
      assert.ok(gilHolders(imported).length > 1, `${engine}: the GIL lane is drawn`);
      const waits = imported.traceEvents.filter((e) => e.cat === 'lanes' && e.name === 'gil_wait');
      assert.ok(waits.length > 0, `${engine}: the threads wait for the GIL`);
      assert.ok(imported.traceEvents.some((e) => e.cat === 'lanes.call'), `${engine}: calls kept`);
      assert.match(await page.text('#run'), /measured from CPU clocks/);
      await page.screenshot(`engine-${engine}-python`);
      assert.deepEqual(await page.errors(), []);
    });

    test('served without isolation: one banner says so, and every model still runs', async () => {
      const models = 'sequential,gil,free,processes,asyncio';
      const { pool, traces } = await runBatch(page, `${plain.url}?model=${models}&k=2&size=300000&run=1`);
      assert.equal(pool, 'unavailable');
      assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
      const banner = await page.text('#pool');
      assert.match(banner, /not cross-origin isolated/i);
      assert.match(banner, /What still works/);
      checkBatch(engine, pool, traces, models.split(','));
      assert.equal(stateOverlap(traces[1]), 0, 'GIL threads interleave on one worker');
      await page.screenshot(`engine-${engine}-not-isolated`);
      // This host refuses the service worker (a 404), which the page tries
      // once; the browser itself logs that refusal, and nothing else may show.
      const errors = (await page.errors()).filter((e) => !/\(404\).*fetching the script|isolation-sw\.js/.test(e));
      assert.deepEqual(errors, []);
    });
  });
}
