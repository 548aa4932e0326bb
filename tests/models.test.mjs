// Each execution model's defining shape, in the page, through the
// automation surface: what the course claims must show in the trace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  browserSuite,
  gilHolders, laneNames, open, screenshot, stateOverlap, traces, waitForRun,
} from './support/harness.mjs';

describe('the execution models', () => {
  const { server, browser } = browserSuite();

  async function run(query) {
    const { page, errors } = await open(browser.context, `${server.url}?${query}&run=1`);
    await waitForRun(page);
    const all = await traces(page);
    return { page, errors, all };
  }

  test('under the GIL running spans never overlap and the GIL changes hands; free threads overlap', async () => {
    const { page, errors, all } = await run('model=sequential,gil,free&k=4&size=2000000');
    const [seq, gil, free] = all;
    assert.equal(gil.metadata.model, 'gil');
    assert.deepEqual(laneNames(gil), ['Thread 1', 'Thread 2', 'Thread 3', 'Thread 4', 'GIL']);
    assert.equal(stateOverlap(gil), 0, 'one thread runs at a time under the GIL');
    assert.ok(stateOverlap(gil, 'gil_wait') > 0, 'the others wait for it');
    const holders = gilHolders(gil);
    const changes = holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length;
    assert.ok(changes >= 4, `the GIL changed hands ${changes} times`);
    assert.ok(gil.traceEvents.some((e) => e.cat === 'lanes.gil'), 'hand-offs are in the trace');
    assert.ok(stateOverlap(free) > 0, 'free threads run at the same time');
    for (const t of all) assert.equal(t.metadata.result, seq.metadata.result, `${t.metadata.model} agrees with the twin`);
    await screenshot(page, 'model-gil');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('I/O-bound threads wait at the same time, GIL or not, and so do coroutines', async () => {
    const { page, errors, all } = await run('model=sequential,gil,free,asyncio&workload=io&k=8&latency=20');
    const [seq, gil, free, loop] = all;
    for (const t of [gil, free, loop]) {
      assert.ok(stateOverlap(t, t.metadata.model === 'asyncio' ? 'awaiting' : 'io_wait') > 0,
        `${t.metadata.model}: waits overlap`);
      assert.equal(t.metadata.result, seq.metadata.result);
    }
    assert.equal(stateOverlap(loop), 0, 'the event loop runs one coroutine at a time');
    assert.equal(stateOverlap(gil), 0);
    assert.equal(gil.metadata.latency_us, 20_000);
    // The latency field is on show now; Run must still start a run.
    await page.fill('#latency', '5');
    await page.dispatchEvent('#latency', 'change');
    await page.click('#run-button');
    await page.waitForFunction(() => window.lanes.traces().length === 8);
    await waitForRun(page);
    assert.equal((await traces(page)).at(-1).metadata.latency_us, 5_000);
    await screenshot(page, 'model-io');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a shared counter loses updates without a lock and none with one', async () => {
    const { page, errors, all } = await run('model=free,gil&workload=counter&k=4&size=1000000');
    const lost = all.map((t) => t.metadata.size - t.metadata.result);
    assert.ok(lost.some((n) => n > 0), `updates lost: ${lost}`);
    assert.match(await page.textContent('#results'), /lost/);
    await page.close();
    const locked = await run('model=free,gil&workload=counter-locked&k=4&size=200000');
    for (const t of locked.all) assert.equal(t.metadata.result, 200_000, `${t.metadata.model} with a lock`);
    assert.deepEqual([...errors, ...locked.errors], []);
    await locked.page.close();
  });

  test('the convoy effect: an I/O thread beside a CPU thread under the GIL', async () => {
    const { page, errors, all } = await run('model=gil,free&workload=mixed&size=2000000');
    const [gil, free] = all;
    assert.deepEqual(laneNames(gil), ['CPU thread', 'I/O thread', 'GIL']);
    assert.equal(stateOverlap(gil), 0);
    assert.ok(stateOverlap(free) > 0);
    await screenshot(page, 'model-mixed');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Mandelbrot rows and audio features give the twin’s answer on every model', async () => {
    for (const q of ['workload=mandelbrot&size=400', 'workload=audio&size=32']) {
      const { page, errors, all } = await run(`model=sequential,gil,free,asyncio&k=2&${q}`);
      assert.equal(all.length, 4);
      for (const t of all) assert.equal(t.metadata.result, all[0].metadata.result, `${q}: ${t.metadata.model}`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
});
