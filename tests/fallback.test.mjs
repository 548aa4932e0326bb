// A page served without COOP/COEP (a static host that cannot set headers):
// no shared memory, so no thread pool. The page must still teach: one clear
// banner, sequential, GIL threads (interleaved on one worker), processes and
// the event loop live, free threads simulated and labelled so, and nothing
// that waits on a pool that could not start.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  browserSuite, gilHolders, laneNames, open, screenshot, stateOverlap, traces, waitForRun,
} from './support/harness.mjs';

describe('a page served without COOP/COEP', () => {
  const { server, browser } = browserSuite({ isolated: false });

  test('says in one banner what is missing and what still works, and runs every model', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=sequential,gil,free,processes,asyncio&k=2&size=2000000&interval=1&run=1`,
    );
    await page.waitForSelector('#pool[data-pool="unavailable"]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    const banner = await page.textContent('#pool');
    assert.match(banner, /not cross-origin isolated/);
    assert.match(banner, /Cross-Origin-Opener-Policy: same-origin/);
    assert.match(banner, /interleaved for real on one worker/);
    assert.match(banner, /simulated/);
    assert.equal(await page.locator('.banner').count(), 1, 'one banner, not several');
    await waitForRun(page);
    const [seq, gil, free, processes, loop] = await traces(page);
    const modes = [seq, gil, free, processes, loop].map((t) => `${t.metadata.model}:${t.metadata.mode}`);
    assert.deepEqual(modes, [
      'sequential:live', 'gil:live', 'free:simulated', 'processes:live', 'asyncio:live',
    ]);
    for (const t of [seq, gil, processes, loop]) {
      assert.equal(t.metadata.cross_origin_isolated, false);
      assert.equal(t.metadata.result, seq.metadata.result, `${t.metadata.model} agrees with the twin`);
    }
    // GIL threads interleave for real on the one worker.
    assert.deepEqual(laneNames(gil), ['Thread 1', 'Thread 2', 'GIL']);
    assert.equal(stateOverlap(gil), 0, 'one thread runs at a time under the GIL');
    const holders = gilHolders(gil);
    const changes = holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length;
    assert.ok(changes >= 4, `the GIL changed hands ${changes} times`);
    // Processes are workers of their own: they need no shared memory.
    assert.ok(stateOverlap(processes) > 0, 'processes run at the same time');
    // Free threads are simulated on this machine's cores, and say so.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(free.metadata.cores, cores);
    assert.ok(stateOverlap(free) > 0, 'simulated free threads run at the same time');
    const rows = await page.locator('#results tbody tr').allTextContents();
    assert.ok(rows.some((r) => /Free threads/.test(r) && /simulated/.test(r)), rows.join('\n'));
    await screenshot(page, 'not-isolated');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('I/O waits overlap under the GIL on the one worker, and Cancel stops a run', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=gil&workload=io&k=4&latency=20&run=1`,
    );
    await waitForRun(page);
    const [gil] = await traces(page);
    assert.ok(stateOverlap(gil, 'io_wait') > 0, 'I/O waits overlap');
    assert.equal(stateOverlap(gil), 0);
    // A long run, cancelled: the worker is ended and the page is usable.
    await page.selectOption('#workload', 'primes');
    await page.fill('#size', '100000000');
    await page.dispatchEvent('#size', 'change');
    await page.click('#run-button');
    await waitForRun(page, 'running');
    await page.waitForTimeout(200);
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled', 5_000);
    await page.fill('#size', '200000');
    await page.dispatchEvent('#size', 'change');
    await page.click('#run-button');
    await waitForRun(page);
    assert.equal((await traces(page)).at(-1).metadata.size, 200_000);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
