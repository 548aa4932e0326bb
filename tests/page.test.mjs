// End-to-end tests of the built page in headless Chromium, through the
// automation surface that slide tools and benchmarks rely on: URL parameters,
// #run[data-run-state] and window.lanes.traces().
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  browserSuite,
  crossLaneOverlap,
  laneNames,
  open,
  sameLaneOverlaps,
  screenshot,
  spansByLane,
  traces,
  waitForRun,
} from './support/harness.mjs';

// π(2 000 000): the sequential twin's answer, checked natively too.
const SIZE = 2_000_000;
const PRIMES = 148_933;

describe('a cross-origin isolated page', () => {
  const { server, browser } = browserSuite();

  test('is isolated, starts its threads and shows the controls', async () => {
    const { page, errors } = await open(browser.context, server.url);
    await page.waitForSelector('#pool[data-pool="ready"]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.match(await page.textContent('#pool'), /16 worker threads/);
    assert.equal(await page.isEnabled('#run-button'), true);
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'idle');
    assert.deepEqual(await traces(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('free threads with k=2 run on 2 lanes that overlap in time', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=free&k=2&size=${SIZE}&run=1`);
    await waitForRun(page);
    const [trace] = await traces(page);
    assert.equal(trace.metadata.model, 'free');
    assert.equal(trace.metadata.workload, 'primes');
    assert.equal(trace.metadata.k, 2);
    assert.equal(trace.metadata.size, SIZE);
    assert.equal(trace.metadata.mode, 'live');
    assert.equal(trace.metadata.cross_origin_isolated, true);
    assert.equal(trace.metadata.result, PRIMES);
    assert.ok(trace.metadata.makespan_ms > 0);
    assert.deepEqual(laneNames(trace), ['Thread 1', 'Thread 2']);
    const lanes = spansByLane(trace);
    assert.equal(lanes.size, 2, 'both lanes ran work');
    const tasks = [...lanes.values()].flat().map((s) => s.task).sort((a, b) => a - b);
    assert.deepEqual(tasks, [...Array(trace.metadata.tasks).keys()], 'every chunk ran exactly once');
    assert.ok(trace.metadata.tasks >= 16);
    assert.ok(crossLaneOverlap(trace) > 0, 'spans on different lanes overlap');
    assert.equal(sameLaneOverlaps(trace), false);
    await screenshot(page, 'free-k2');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('free threads with k=8 run on 8 lanes, on 2 cores or not', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=free&k=8&size=${SIZE}&run=1`);
    await waitForRun(page);
    const [trace] = await traces(page);
    assert.equal(laneNames(trace).length, 8);
    assert.equal(spansByLane(trace).size, 8, 'each of the 8 threads took work');
    assert.equal(trace.metadata.result, PRIMES);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('sequential then free threads stack on one axis, with a speedup', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=sequential,free&k=2&size=${SIZE}&run=1`,
    );
    await waitForRun(page);
    const [seq, free] = await traces(page);
    assert.equal(seq.metadata.model, 'sequential');
    assert.equal(free.metadata.model, 'free');
    assert.deepEqual(laneNames(seq), ['Main thread']);
    assert.equal(crossLaneOverlap(seq), 0);
    assert.equal(sameLaneOverlaps(seq), false, 'sequential spans never overlap');
    assert.ok(crossLaneOverlap(free) > 0);
    assert.equal(seq.metadata.result, PRIMES);
    assert.equal(free.metadata.result, seq.metadata.result, 'the twins agree');
    // What a person sees: two rows in the table, the second with a speedup.
    const rows = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.innerText));
    assert.equal(rows.length, 2);
    assert.match(rows[1], /\d\.\d\d×/);
    assert.match(await page.getAttribute('#timeline', 'aria-label'), /faster than sequential/);
    // The speedup chart plots the run against the ideal line, with its figures as text.
    assert.match(await page.getAttribute('#speedup-chart', 'aria-label'), /Free threads: k=2: \d\.\d\d×/);
    const box = await page.locator('#timeline').boundingBox();
    assert.ok(box.height >= 200, `the timeline has room for its lanes (${box.height}px)`);
    await screenshot(page, 'sequential-and-free');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the page stays responsive: Cancel stops a long run, and the next run works', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=100000000&run=1`);
    await waitForRun(page, 'running');
    // A click that the main thread handles while the workers compute.
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled');
    assert.match(await page.textContent('.status'), /Cancelled/);
    // The run really stops (its threads return) and the page says how soon.
    await page.waitForFunction(() => window.lanes.cancelLatencyMs() !== null);
    await page.fill('#size', '100000');
    await page.dispatchEvent('#size', 'change');
    await page.check('#model-free');
    await page.uncheck('#model-sequential');
    await page.click('#run-button');
    await waitForRun(page);
    const all = await traces(page);
    assert.equal(all.at(-1).metadata.model, 'free');
    assert.equal(all.at(-1).metadata.size, 100_000);
    assert.equal(all.at(-1).metadata.result, 9_592);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('bad URL parameters give visible notices and clamped values, never a blank page', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?k=0&size=-5&model=nonsense&workload=%3Cscript%3E`,
    );
    await page.waitForSelector('#notices');
    const notices = await page.textContent('#notices');
    assert.match(notices, /k=“0” is too small: using 1/);
    assert.match(notices, /size=“-5” is too small: using 1000/);
    assert.match(notices, /model=“nonsense” names no known model/);
    assert.match(notices, /Unknown workload “<script>”/, 'shown as text, not markup');
    assert.equal(await page.inputValue('#k'), '1');
    assert.equal(await page.inputValue('#size'), '1000');
    assert.equal(await page.$('script:not([src])'), null);
    await page.goto(`${server.url}?k=999&model=free&run=1&size=1000`);
    await waitForRun(page);
    assert.match(await page.textContent('#notices'), /k=“999” is too large: using 16/);
    const [trace] = await traces(page);
    assert.equal(laneNames(trace).length, 16);
    assert.equal(trace.metadata.result, 168);
    await screenshot(page, 'bad-parameters');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
