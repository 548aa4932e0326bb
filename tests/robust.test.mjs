// What the page does when a run is too big, is cancelled, or loses its
// worker: it refuses before starting and says how big a run may be, stops
// within a few tens of ms under every model, gives back what a run took,
// and reports a worker that died and starts a new one — keeping what it
// showed before every time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, screenshot, traces, waitForRun } from './support/harness.mjs';

/** Goes to `query` as the browser's back button would (the form takes it, runs stay). */
async function navigate(page, query) {
  await page.evaluate((q) => {
    history.pushState(null, '', `?${q}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, query);
}

/** Presses Run and waits for the batch to end in `state`. */
async function runAgain(page, state = 'done') {
  await page.click('#run-button');
  await waitForRun(page, state);
}

/** Starts a long run of `query`, cancels it, and says how long it took to stop. */
async function cancelMidRun(page, query) {
  await navigate(page, query);
  await page.click('#run-button');
  await waitForRun(page, 'running');
  // Let the workers get going: a cancel at the very start proves less.
  await page.waitForTimeout(300);
  await page.click('#cancel-button');
  await waitForRun(page, 'cancelled');
  await page.waitForFunction(() => window.lanes.cancelLatencyMs() !== null, null, { timeout: 10_000 });
  return page.evaluate(() => window.lanes.cancelLatencyMs());
}

/** Loose: a run that waits for whole work items (seconds here) fails it; noise does not. */
const STOPS_SOON_MS = 1_000;

describe('runs that are too big, cancelled or whose worker dies (isolated page)', () => {
  const { server, browser } = browserSuite();

  test('a run over the memory cap is refused before it starts, says how big it may be, and keeps the last run', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
    await waitForRun(page);
    const shown = await page.textContent('#results tbody');
    const memory = await page.evaluate(() => window.lanes.memory());
    assert.equal(memory.run_cap_bytes, 256_000_000);

    await navigate(page, 'model=sequential,gil&workload=mandelbrot&size=16384&interval=0.1&k=4');
    await page.click('#run-button');
    const notice = page.locator('#notices');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, /Threads \+ GIL run was not started/);
    assert.match(text, /at most 256\.0 MB/);
    assert.match(text, /set image width \(pixels\) to [\d\u2009]+ or less/);
    assert.match(text, /longer switch interval/);
    // Nothing started, nothing lost.
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'done');
    assert.equal((await traces(page)).length, 1);
    assert.equal(await page.textContent('#results tbody'), shown);
    await screenshot(page, 'over-the-memory-cap');

    // The size it names is the real limit: one more is refused, it starts.
    const largest = Number(text.match(/to ([\d\u2009]+) or less/)[1].replaceAll('\u2009', ''));
    assert.ok(largest >= 1_000 && largest < 16_384, `${largest}`);
    await page.click('#notices button');
    await navigate(page, `model=gil&workload=mandelbrot&size=${largest + 1}&interval=0.1&k=4`);
    await page.click('#run-button');
    await page.locator('#notices').waitFor();
    assert.match(await page.textContent('#notices'), /was not started/);
    await page.click('#notices button');
    await navigate(page, `model=gil&workload=mandelbrot&size=${largest}&interval=0.1&k=4`);
    await page.click('#run-button');
    await waitForRun(page, 'running');
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled');
    assert.equal(await page.locator('#notices').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an over-cap URL with run=1 starts nothing and says why', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=gil&workload=mandelbrot&size=16384&interval=0.1&k=8&run=1`,
    );
    await page.locator('#notices').waitFor();
    assert.match(await page.textContent('#notices'), /was not started/);
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'idle');
    assert.equal((await traces(page)).length, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Cancel stops every model within a few tens of ms, and the pool and workers run again after', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=100000`);
    await page.waitForSelector('#pool[data-pool="ready"]');
    const latencies = {};
    const long = {
      sequential: 'model=sequential&size=100000000',
      gil: 'model=gil&k=4&size=100000000',
      free: 'model=free&k=4&size=100000000',
      asyncio: 'model=asyncio&workload=io&k=4&latency=5000',
      processes: 'model=processes&k=2&workload=mandelbrot&size=16000',
    };
    const short = {
      sequential: 'model=sequential&size=200000',
      gil: 'model=gil&k=4&size=200000',
      free: 'model=free&k=4&size=200000',
      asyncio: 'model=asyncio&workload=io&k=4&latency=5',
      processes: 'model=processes&k=2&size=200000',
    };
    for (const [model, query] of Object.entries(long)) {
      latencies[model] = await cancelMidRun(page, query);
      // The same model runs to the end right after: nothing was left broken.
      await navigate(page, short[model]);
      await runAgain(page);
      assert.equal((await traces(page)).at(-1).metadata.model, model);
    }
    console.log(`cancel to stopped (ms): ${JSON.stringify(latencies)}`);
    for (const [model, ms] of Object.entries(latencies)) {
      assert.ok(ms >= 0 && ms < STOPS_SOON_MS, `${model} stopped ${ms} ms after Cancel`);
    }
    // No process worker is left behind by a cancelled run.
    assert.equal((await page.evaluate(() => window.lanes.memory())).workers.processes, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a process that traps is reported, its workers ended, and the next run starts new ones', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=processes&k=2&size=200000&run=1`);
    await waitForRun(page);
    const before = page.workers().length;
    assert.equal(await page.evaluate(() => window.lanes.injectFault('process-trap')), true);
    assert.equal(await page.evaluate(() => window.lanes.injectFault('no-such-fault')), false);
    await runAgain(page, 'error');
    const status = await page.textContent('.status');
    assert.match(status, /process 1 died: its WebAssembly trapped \(.*unreachable.*\)/i);
    assert.match(status, /next run starts a new one/);
    // The earlier run is still shown: its timeline and its row.
    assert.equal((await traces(page)).length, 1);
    assert.equal(await page.locator('#results tbody tr').count(), 1);
    assert.match(await page.getAttribute('#timeline', 'aria-label'), /Processes/);
    await screenshot(page, 'process-died');
    await runAgain(page);
    const last = (await traces(page)).at(-1);
    assert.equal(last.metadata.model, 'processes');
    assert.equal(last.metadata.result, 17_984);
    await page.waitForTimeout(200);
    assert.equal(page.workers().length, before, 'as many workers as before the trap');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a pool thread that traps is reported; the page goes on without the pool, and a reload brings new threads', async () => {
    const { page, errors, navigations } = await open(browser.context, `${server.url}?model=free&k=2&size=200000&run=1`);
    await waitForRun(page);
    assert.equal(await page.evaluate(() => window.lanes.injectFault('thread-trap')), true);
    await page.click('#run-button');
    await page.waitForSelector('#pool[data-pool="died"]');
    await page.waitForFunction(() => window.lanes.runState() !== 'running');
    const banner = await page.textContent('#pool');
    assert.match(banner, /A worker thread died: .*unreachable/i);
    assert.match(banner, /free threads are simulated/);
    assert.equal(await page.evaluate(() => window.lanes.memory().workers.pool), 0);
    // Everything still runs: the GIL's threads on the solo worker, free
    // threads simulated, processes as always.
    await navigate(page, 'model=sequential,gil,free,processes&k=2&size=200000');
    await runAgain(page);
    const modes = (await traces(page)).slice(-4).map((t) => `${t.metadata.model}:${t.metadata.mode}`);
    assert.deepEqual(modes, ['sequential:live', 'gil:live', 'free:simulated', 'processes:live']);
    await screenshot(page, 'pool-thread-died');
    // The reload keeps the scenario and starts a new pool.
    await page.click('#reload-button');
    await page.waitForSelector('#pool[data-pool="ready"]');
    assert.equal(navigations(), 2);
    assert.match(page.url(), /model=sequential%2Cgil%2Cfree%2Cprocesses|model=sequential,gil,free,processes/);
    await runAgain(page);
    assert.deepEqual((await traces(page)).map((t) => t.metadata.mode), ['live', 'live', 'live', 'live']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('what a run allocates is given back when it ends', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
    await waitForRun(page);
    const memory = () => page.evaluate(() => window.lanes.memory());
    const start = await memory();
    assert.equal(start.workers.pool, 16);
    const runs = [
      'model=free&k=8&workload=audio&size=64',
      'model=gil&k=8&workload=mandelbrot&size=800',
      'model=processes&k=4&workload=primes&size=2000000',
      'model=asyncio&workload=io&k=8&latency=5',
    ];
    const rows = [];
    for (const query of runs) {
      const before = await memory();
      await navigate(page, query);
      await runAgain(page);
      const after = await memory();
      const trace = (await traces(page)).at(-1);
      const kept = JSON.stringify(trace).length;
      rows.push({ query, before: before.heap_bytes, peak: after.heap_peak_bytes, after: after.heap_bytes, kept });
      assert.ok(after.heap_peak_bytes >= after.heap_bytes, 'the peak is of this run');
      // What stays is the finished run (its trace, twice: the page's and
      // window.lanes' JSON) and a little bookkeeping, not the run's buffers.
      assert.ok(
        after.heap_bytes - before.heap_bytes < 4 * kept + 512 * 1024,
        `${query}: the heap grew by ${after.heap_bytes - before.heap_bytes} bytes for a ${kept}-byte trace`,
      );
      assert.equal(after.workers.processes, 0, 'cold processes are ended');
      assert.equal(after.workers.pool, 16);
    }
    console.log(`heap around runs: ${JSON.stringify(rows)}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('a worker that dies on a page without a pool', () => {
  const { server, browser } = browserSuite({ isolated: false });

  test('the solo worker that traps is reported and replaced, and Cancel stops it', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
    await waitForRun(page);
    await page.evaluate(() => window.lanes.injectFault('solo-trap'));
    await runAgain(page, 'error');
    assert.match(await page.textContent('.status'), /worker running this scenario died: its WebAssembly trapped/);
    await runAgain(page);
    assert.equal((await traces(page)).length, 2);
    const gil = await cancelMidRun(page, 'model=gil&k=4&size=100000000');
    console.log(`cancel to stopped without a pool (ms): gil ${gil}`);
    assert.ok(gil < STOPS_SOON_MS, `stopped ${gil} ms after Cancel`);
    await navigate(page, 'model=gil&k=2&size=200000');
    await runAgain(page);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
