// Lecture mode (sim=1): every run computed by the simulator, the same
// picture for the same seed, on as many virtual cores as asked for.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  browserSuite, gilHolders, laneNames, open, screenshot, stateOverlap, traces, waitForRun,
} from './support/harness.mjs';

/** A trace without what may differ between two pages (the browser's name). */
function comparable(trace) {
  const { environment, ...metadata } = trace.metadata;
  return { ...trace, metadata };
}

function makespan(trace) {
  return trace.metadata.makespan_ms;
}

describe('lecture mode', () => {
  const { server, browser } = browserSuite();

  test('simulates every model, labels it, and draws the same picture for the same seed', async () => {
    const query = 'model=sequential,gil,free,processes,asyncio&k=8&sim=1&cores=8&seed=5&run=1';
    const first = await open(browser.context, `${server.url}?${query}`);
    await waitForRun(first.page);
    const a = await traces(first.page);
    assert.equal(a.length, 5);
    for (const t of a) {
      assert.equal(t.metadata.mode, 'simulated', t.metadata.model);
      assert.equal(t.metadata.cores, 8);
      assert.equal(t.metadata.seed, 5);
    }
    const [seq, gil, free, processes] = a;
    assert.equal(stateOverlap(gil), 0, 'one thread runs at a time under the GIL');
    const holders = gilHolders(gil);
    assert.ok(holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length >= 4);
    assert.ok(stateOverlap(free) > 0 && stateOverlap(processes) > 0);
    const speedup = makespan(seq) / makespan(free);
    assert.ok(speedup > 4, `8 threads on 8 virtual cores: ${speedup.toFixed(2)}× faster`);
    assert.match(await first.page.textContent('#results'), /simulated/);
    assert.match(await first.page.textContent('.status'), /Done/);
    await screenshot(first.page, 'lecture-mode');

    const second = await open(browser.context, `${server.url}?${query}`);
    await waitForRun(second.page);
    const b = await traces(second.page);
    assert.deepEqual(b.map(comparable), a.map(comparable), 'the same seed, the same trace');
    assert.deepEqual(first.errors, []);
    assert.deepEqual(second.errors, []);
    await first.page.close();
    await second.page.close();
  });

  test('answers what 64 cores would do, and k beyond the live limit', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=sequential,free&k=64&sim=1&cores=64&run=1`,
    );
    await waitForRun(page);
    const [seq, free] = await traces(page);
    assert.equal(laneNames(free).length, 64);
    const speedup = makespan(seq) / makespan(free);
    assert.ok(speedup > 8, `64 threads on 64 virtual cores: ${speedup.toFixed(2)}×`);
    // The controls show the simulation's knobs; leaving it brings k back to 16.
    assert.equal(await page.inputValue('#cores'), '64');
    await page.uncheck('#sim');
    assert.equal(await page.inputValue('#k'), '16');
    assert.match(await page.textContent('#notices'), /at most 16 threads/);
    assert.equal(await page.locator('#cores').count(), 0);
    assert.doesNotMatch(page.url(), /sim=1/);
    await screenshot(page, 'lecture-64-cores');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('bad simulation parameters get a notice and a usable value', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?sim=1&cores=500&seed=abc&k=0&model=free&run=1`,
    );
    await waitForRun(page);
    const notices = await page.textContent('#notices');
    assert.match(notices, /cores=“500” is too large: using 64/);
    assert.match(notices, /seed=“abc” is not a whole number/);
    const [free] = await traces(page);
    assert.equal(free.metadata.cores, 64);
    assert.equal(free.metadata.k, 1);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
