// The audio lesson, heard: an AudioWorklet plays what a producer computes
// into a ring buffer, and counts the blocks it had to wait for (underruns).
// Under the GIL beside two CPU-bound threads, with 128-frame blocks, the
// producer misses deadlines; as a free thread or in a process it does not.
// Counted by the worklet itself (window.lanes.audio()), the same count the
// trace carries and the results table shows. Silent mode (sound=0): the
// same deadlines, nothing heard. Chromium's autoplay flag lets the context
// start without a click (tests/support/harness.mjs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, screenshot, traces, waitForRun } from './support/harness.mjs';

/** The audio track of a run, from its Chrome JSON: blocks due and underruns. */
export function audioOf(trace) {
  const events = trace.traceEvents.filter((e) => e.cat === 'lanes.audio');
  const due = events.filter((e) => e.name === 'block due');
  const underruns = events.filter((e) => e.name === 'underrun');
  const fill = events.filter((e) => e.name === 'audio buffer');
  return { facts: trace.metadata.audio, due, underruns, fill };
}

/** Plays `query` silently and returns the last run's audio, the worklet's count and the table's. */
async function play(page, server, query) {
  await page.goto(`${server.url}?workload=playback&sound=0&run=1&${query}`);
  await waitForRun(page);
  const all = await traces(page);
  const audio = audioOf(all[all.length - 1]);
  const worklet = await page.evaluate(() => window.lanes.audio().underruns);
  const shown = Number(await page.getAttribute('#results tbody tr:last-child td.underruns', 'data-underruns'));
  return { audio, worklet, shown };
}

describe('audio lesson', () => {
  const { server, browser } = browserSuite();

  test('under the GIL beside two CPU-bound threads a 128-frame buffer underruns; free threads and processes do not', async () => {
    const { page, errors } = await open(browser.context, 'about:blank');
    const counts = {};
    for (const model of ['gil', 'free', 'processes']) {
      const { audio, worklet, shown } = await play(page, server, `model=${model}&k=2&size=128&notes=4`);
      const blocks = audio.due.length;
      assert.ok(blocks > 100, `${model}: ${blocks} blocks played`);
      assert.equal(audio.facts.block_frames, 128);
      assert.equal(audio.facts.audible, false, 'silent mode');
      assert.ok(audio.fill.length > blocks, `${model}: the fill level is recorded`);
      assert.equal(audio.underruns.length, worklet, `${model}: the trace's underruns are the worklet's own count`);
      assert.equal(shown, worklet, `${model}: the table shows the worklet's count`);
      counts[model] = { underruns: worklet, blocks };
    }
    console.log(`underruns (128 frames, k = 2): ${JSON.stringify(counts)}`);
    assert.ok(counts.gil.underruns >= 2, `under the GIL the producer misses deadlines: ${JSON.stringify(counts.gil)}`);
    for (const model of ['free', 'processes']) {
      const { underruns, blocks } = counts[model];
      assert.ok(underruns <= Math.max(1, blocks / 100), `${model}: none or nearly none: ${underruns} of ${blocks}`);
    }
    await screenshot(page, 'audio-lesson');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('while it plays, the page counts the underruns as they happen, then the table has them', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?workload=playback&sound=0&model=gil&k=2&size=128&notes=8`);
    await page.waitForSelector('#run-button:not([disabled])');
    await page.evaluate(() => {
      window.__seen = [];
      window.__watch = setInterval(() => {
        const line = document.querySelector('#live-underruns');
        window.__seen.push({
          state: document.querySelector('#run').dataset.runState,
          count: line ? Number(line.dataset.underruns) : null,
          text: line?.textContent ?? null,
        });
      }, 50);
    });
    await page.click('#run-button');
    await waitForRun(page);
    const seen = await page.evaluate(() => { clearInterval(window.__watch); return window.__seen; });
    const final = await page.evaluate(() => window.lanes.audio().underruns);
    const shown = seen.filter((s) => s.count !== null);
    assert.ok(shown.length > 20, `the line was there while it played (${shown.length} looks)`);
    assert.ok(shown.every((s) => s.state === 'running'), 'only while it ran');
    const counts = shown.map((s) => s.count);
    assert.ok(counts.every((c, i) => i === 0 || c >= counts[i - 1]), `the count only grows: ${counts.join(' ')}`);
    assert.ok(final >= 2, `under the GIL the producer misses deadlines: ${final}`);
    assert.ok(counts.at(-1) > 0 && counts.at(-1) <= final, `it counted during the playback: ${counts.at(-1)} of ${final}`);
    assert.match(shown.at(-1).text, /^Playing: \d+ underruns? so far/);
    assert.equal(await page.locator('#live-underruns').count(), 0, 'gone once it ended');
    const inTable = Number(await page.getAttribute('#results tbody tr:last-child td.underruns', 'data-underruns'));
    assert.equal(inTable, final, 'the table has the final count');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a 4096-frame buffer keeps the sound clean under the GIL', async () => {
    const { page, errors } = await open(browser.context, 'about:blank');
    const { audio, worklet } = await play(page, server, 'model=gil&k=2&size=4096&notes=4');
    assert.equal(audio.facts.block_frames, 4096);
    assert.ok(worklet <= 1, `${worklet} underruns with 93 ms blocks`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Cancel stops a playback in every model at once, and the next one plays', async () => {
    const { page, errors } = await open(browser.context, 'about:blank');
    for (const model of ['gil', 'sequential', 'processes']) {
      await page.goto(`${server.url}?workload=playback&sound=0&run=1&model=${model}&k=2&size=256&notes=16`);
      await waitForRun(page, 'running');
      await page.waitForTimeout(1500);
      await page.click('#cancel-button');
      await waitForRun(page, 'cancelled', 10_000);
    }
    const { audio, worklet } = await play(page, server, 'model=free&k=2&size=256&notes=2');
    assert.ok(audio.due.length > 100, 'the next playback played');
    assert.equal(audio.underruns.length, worklet);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('on the main thread beside the page\'s own work the producer misses its turns', async () => {
    const { page, errors } = await open(browser.context, 'about:blank');
    const { audio, worklet } = await play(page, server, 'model=sequential&size=256&notes=4');
    assert.ok(worklet >= 2, `the page's 100 ms tasks starve the callback: ${worklet} underruns`);
    const late = audio.due.map((e) => e.args.late_ms).filter((ms) => ms > 0);
    assert.ok(Math.max(...late) >= 20, `the worst silence is long: ${Math.max(...late)} ms`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
