// The timeline's tools in headless Chromium: hover and keyboard details,
// zoom and pan, replay with a playhead, PNG/SVG export, trace download and
// import (file picker and drag and drop), bad files kept out.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS, launch, open, screenshot, serve, traces, waitForRun } from './support/harness.mjs';

const SIZE = 2_000_000;

/** Pixels of the canvas as a data URL, to tell whether a redraw changed it. */
const pixels = (page) => page.$eval('#timeline', (c) => c.toDataURL());

/** The centre of the first span of the given lane, found with the details line. */
async function hoverFirstSpan(page) {
  const box = await page.locator('#timeline').boundingBox();
  // Scan along the first lane row until a span is under the pointer.
  for (let y = 40; y < box.height; y += 6) {
    for (let x = box.width * 0.2; x < box.width * 0.9; x += box.width * 0.1) {
      await page.mouse.move(box.x + x, box.y + y);
      if (await page.$('#tooltip')) return { x: box.x + x, y: box.y + y };
    }
  }
  throw new Error('no span found under the pointer');
}

describe('the timeline tools', () => {
  let server;
  let browser;
  let page;
  let errors;
  before(async () => {
    server = await serve();
    browser = await launch();
    ({ page, errors } = await open(browser.context, `${server.url}?model=sequential,free&k=2&size=${SIZE}&run=1`));
    await waitForRun(page);
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('hovering a span shows its lane, state, task and times', async () => {
    await hoverFirstSpan(page);
    const tip = await page.textContent('#tooltip');
    assert.match(tip, /Thread|Main thread/);
    assert.match(tip, /running/);
    assert.match(tip, /task #\d+/);
    assert.match(tip, /ms/);
    assert.equal(await page.textContent('#span-details'), tip, 'the details line says the same, for screen readers');
    await screenshot(page, 'timeline-hover');
    await page.mouse.move(1, 1);
    await page.waitForSelector('#tooltip', { state: 'detached' });
  });

  test('the keyboard walks through spans and zooms and pans', async () => {
    await page.focus('#timeline');
    await page.keyboard.press(']');
    const first = await page.textContent('#span-details');
    assert.match(first, /Sequential · Main thread · running · task #0/);
    await page.keyboard.press(']');
    assert.match(await page.textContent('#span-details'), /task #1/);
    await page.keyboard.press('[');
    assert.equal(await page.textContent('#span-details'), first);
    const whole = await pixels(page);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    assert.equal(await page.isEnabled('#zoom-fit'), true, 'zoomed in');
    const zoomed = await pixels(page);
    assert.notEqual(zoomed, whole);
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await pixels(page), zoomed, 'panned');
    await page.keyboard.press('0');
    assert.equal(await page.isEnabled('#zoom-fit'), false, 'back to the whole run');
    assert.equal(await pixels(page), whole);
  });

  test('the wheel zooms around the pointer, dragging pans, Fit restores', async () => {
    const box = await page.locator('#timeline').boundingBox();
    const whole = await pixels(page);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => !document.querySelector('#zoom-fit').disabled);
    const zoomed = await pixels(page);
    assert.notEqual(zoomed, whole);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    assert.notEqual(await pixels(page), zoomed, 'dragging pans the zoomed view');
    await screenshot(page, 'timeline-zoomed');
    await page.click('#zoom-fit');
    assert.equal(await pixels(page), whole);
  });

  test('replay moves a playhead and steps from moment to moment', async () => {
    const whole = await pixels(page);
    await page.click('#replay-step');
    const t0 = await page.textContent('#replay-time');
    assert.match(t0, /^\d+\.\d+ ms$/, 'the first moment: the first span starts');
    await page.click('#replay-step');
    const t1 = await page.textContent('#replay-time');
    assert.ok(parseFloat(t1) > parseFloat(t0), `${t1} comes after ${t0}`);
    assert.notEqual(await pixels(page), whole, 'the future is hidden');
    await page.click('#replay-back');
    assert.equal(await page.textContent('#replay-time'), t0);
    await page.selectOption('#replay-speed', '0.1');
    await page.click('#replay-play');
    assert.match(await page.textContent('#replay-play'), /Pause/);
    await page.waitForFunction((t) => document.querySelector('#replay-time').textContent !== t, t0);
    await page.click('#replay-play');
    const paused = await page.textContent('#replay-time');
    await page.waitForTimeout(150);
    assert.equal(await page.textContent('#replay-time'), paused, 'paused means still');
    await screenshot(page, 'timeline-replay');
    await page.click('#replay-stop');
    assert.equal(await pixels(page), whole);
  });

  test('exports the view as PNG and SVG, and each run as Chrome JSON', async () => {
    const png = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    assert.equal(png[0].suggestedFilename(), 'lanes-timeline.png');
    const pngBytes = readFileSync(await png[0].path());
    assert.deepEqual([...pngBytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
    const svg = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    const svgText = readFileSync(await svg[0].path(), 'utf8');
    assert.match(svgText, /^<svg/);
    assert.match(svgText, /Main thread/);
    assert.match(svgText, /Thread 2/);
    const json = await Promise.all([page.waitForEvent('download'), page.click('#download-1')]);
    assert.equal(json[0].suggestedFilename(), `lanes-free-k2-primes-${SIZE}.json`);
    const trace = JSON.parse(readFileSync(await json[0].path(), 'utf8'));
    assert.equal(trace.metadata.model, 'free');
    assert.equal(trace.metadata.result, 148_933);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'free-k2.trace.json'), JSON.stringify(trace));
  });

  test('imports a trace file, from the picker or by dropping it, and refuses bad ones', async () => {
    const saved = path.join(ARTIFACTS, 'free-k2.trace.json');
    const before = (await traces(page)).length;
    await page.setInputFiles('#import-file', saved);
    await waitForRun(page, 'imported');
    assert.match(await page.textContent('.status'), /free-k2\.trace\.json/);
    const all = await traces(page);
    assert.equal(all.length, before + 1);
    assert.equal(all.at(-1).metadata.model, 'free');
    assert.equal(all.at(-1).metadata.result, 148_933);
    const rows = await page.$$eval('#results tbody tr', (trs) => trs.length);
    assert.equal(rows, 1, 'the imported run is shown like any run');

    // A foreign trace: B/E pairs and a counter event, in the array form.
    const foreign = [
      { name: 'thread_name', ph: 'M', pid: 7, tid: 1, args: { name: 'worker-1' } },
      { name: 'load', ph: 'B', pid: 7, tid: 1, ts: 1000 },
      { name: 'load', ph: 'E', pid: 7, tid: 1, ts: 5000 },
      { name: 'parse', ph: 'X', pid: 7, tid: 2, ts: 2000, dur: 2500 },
      { name: 'mem', ph: 'C', pid: 7, ts: 1500, args: { v: 1 } },
    ];
    const dropped = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'viztracer.json', { type: 'application/json' }));
      return dt;
    }, JSON.stringify(foreign));
    await page.dispatchEvent('main', 'drop', { dataTransfer: dropped });
    await page.waitForFunction(() => /viztracer\.json/.test(document.querySelector('.status').textContent));
    assert.match(await page.textContent('.status'), /Skipped 1/);
    await screenshot(page, 'timeline-imported');

    // A broken file: a notice, and the picture stays.
    const shown = await pixels(page);
    await page.setInputFiles('#import-file', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"traceEvents": [ {"ph": "X", "ts": 1, ') });
    await page.waitForSelector('#notices');
    assert.match(await page.textContent('#notices'), /broken\.json could not be opened: the file ends in the middle/);
    assert.equal(await pixels(page), shown, 'what was shown is kept');
    await page.setInputFiles('#import-file', { name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from('[{"ph":"X","name":"<img src=x onerror=alert(1)>","ts":0,"dur":5,"pid":1,"tid":1}]') });
    // The page was showing an imported file already: wait for this one.
    await page.waitForFunction(() => /evil\.json/.test(document.querySelector('.status').textContent));
    await page.focus('#timeline');
    await page.keyboard.press(']');
    assert.match(await page.textContent('#span-details'), /<img src=x onerror=alert\(1\)>/, 'names are text');
    assert.equal(await page.$('img[src="x"]'), null, 'never markup');
    assert.deepEqual(errors, []);
  });
});
