// Real Python in headless Chromium: traces that lanes_record.py and
// VizTracer wrote of real CPython programs (made by `make python-traces`
// into $LANES_PY_TRACES) open and are drawn as CPython ran them; the
// recorder is served; a tour step's recording opens beside its runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, launch, open, screenshot, serve, traces, waitForRun } from './support/harness.mjs';

const TRACES = process.env.LANES_PY_TRACES ?? path.join(ROOT, 'target', 'py-traces');

/** The state spans (`cat` "lanes") of a Chrome trace, by thread id, in time order. */
function states(trace) {
  const lanes = new Map();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || e.cat !== 'lanes') continue;
    if (!lanes.has(e.tid)) lanes.set(e.tid, []);
    lanes.get(e.tid).push({ start: e.ts, end: e.ts + e.dur, state: e.name });
  }
  for (const spans of lanes.values()) spans.sort((a, b) => a.start - b.start);
  return lanes;
}

/** Lanes by thread id: `{ name, kind }` from the `M` thread_name events. */
function lanes(trace) {
  const out = new Map();
  for (const e of trace.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') out.set(e.tid, { name: e.args.name, kind: e.args.kind ?? 'thread' });
  }
  return out;
}

/** µs during which spans of two lists overlap. */
function overlap(a, b) {
  let total = 0;
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j].end <= x.start) j++;
    for (let k = j; k < b.length && b[k].start < x.end; k++) {
      total += Math.max(0, Math.min(x.end, b[k].end) - Math.max(x.start, b[k].start));
    }
  }
  return total;
}

const total = (spans) => spans.reduce((t, s) => t + (s.end - s.start), 0);
const only = (spans, state) => spans.filter((s) => s.state === state);

/** The work lanes (not GIL lanes) of a trace, with their state spans. */
function workLanes(trace) {
  const byTid = states(trace);
  return [...lanes(trace).entries()]
    .filter(([, lane]) => lane.kind !== 'gil')
    .map(([tid, lane]) => ({ tid, ...lane, spans: byTid.get(tid) ?? [] }));
}

/** Opens a file of $LANES_PY_TRACES with the file picker; resolves to the status line. */
async function openTrace(page, name) {
  await page.setInputFiles('#import-file', path.join(TRACES, name));
  await page.waitForFunction(
    (file) => document.querySelector('#run')?.dataset.runState === 'imported'
      && document.querySelector('.status')?.textContent.includes(file),
    name,
    { timeout: 60_000 },
  );
  return page.textContent('.status');
}

describe('real Python traces', () => {
  let server;
  let browser;
  let page;
  let errors;
  before(async () => {
    server = await serve();
    browser = await launch();
    ({ page, errors } = await open(browser.context, `${server.url}?model=sequential`));
    await page.waitForSelector('#run-button:not([disabled])');
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('the page serves the recorder, and says how to run it', async () => {
    await page.click('#record summary');
    const text = await page.textContent('#record');
    assert.match(text, /lanes_record\.py -o trace\.json your_program\.py/);
    const href = await page.getAttribute('#record a.download', 'href');
    const served = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    assert.equal(served, readFileSync(path.join(ROOT, 'www', 'lanes_record.py'), 'utf8'));
  });

  test('two CPU-bound threads under the GIL take turns, measured', async () => {
    const status = await openTrace(page, 'two_threads.json');
    assert.match(status, /two_threads\.json/);
    const trace = (await traces(page)).at(-1);
    const work = workLanes(trace).filter((l) => only(l.spans, 'running').length > 0);
    const workers = work.filter((l) => only(l.spans, 'gil_wait').length > 0);
    assert.ok(workers.length >= 2, `two threads wait for the GIL (${work.map((l) => l.name)})`);
    const [a, b] = workers;
    const both = overlap(only(a.spans, 'running'), only(b.spans, 'running'));
    const life = Math.max(...[a, b].map((l) => l.spans.at(-1).end)) - Math.min(...[a, b].map((l) => l.spans[0].start));
    assert.ok(both <= 0.05 * life, `their running overlaps ${(100 * both / life).toFixed(1)} % of the time`);
    const gil = [...lanes(trace).values()].find((l) => l.kind === 'gil');
    assert.ok(gil, 'a GIL lane is drawn');
    assert.match(JSON.stringify(trace.metadata), /measured/, 'the export says how the GIL was known');
    assert.match(await page.textContent('#run'), /measured from CPU clocks/, 'the page says so too');
    await screenshot(page, 'python-two-threads');
  });

  test('four sleeping threads wait at once, and none is drawn running while it sleeps', async () => {
    await openTrace(page, 'sleepers.json');
    const trace = (await traces(page)).at(-1);
    const sleepers = workLanes(trace).filter((l) => total(only(l.spans, 'io_wait')) > 40_000);
    assert.equal(sleepers.length, 4, 'four lanes sleep about 50 ms each');
    const waits = sleepers.map((l) => only(l.spans, 'io_wait'));
    assert.ok(overlap(waits[0], waits[1]) > 20_000, 'their waits overlap');
    for (const l of sleepers) {
      assert.ok(overlap(only(l.spans, 'running'), only(l.spans, 'io_wait')) === 0, `${l.name}: not running while waiting`);
    }
  });

  test('a Pool(2) on 2 cores: two process lanes whose running overlaps', async () => {
    await openTrace(page, 'pool.json');
    const trace = (await traces(page)).at(-1);
    const procs = workLanes(trace).filter((l) => l.kind === 'process' && only(l.spans, 'running').length > 0);
    assert.ok(procs.length >= 2, `two process lanes (${workLanes(trace).map((l) => `${l.name}:${l.kind}`)})`);
    assert.ok(overlap(only(procs[0].spans, 'running'), only(procs[1].spans, 'running')) > 0, 'in parallel');
  });

  test('asyncio.gather of sleeps: one thread, waiting in the loop\'s select', async () => {
    await openTrace(page, 'asyncio.json');
    const trace = (await traces(page)).at(-1);
    const work = workLanes(trace).filter((l) => l.spans.length > 0);
    assert.ok(work.some((l) => only(l.spans, 'io_wait').some((s) => s.end - s.start >= 40_000)), 'a wait of 40 ms or more');
    assert.ok(!work.some((l) => l.kind === 'gil'), 'no GIL lane for one thread');
  });

  test('a lock-contended counter: the threads wait for the lock', async () => {
    await openTrace(page, 'lock_counter.json');
    const trace = (await traces(page)).at(-1);
    const waiting = workLanes(trace).filter((l) => only(l.spans, 'lock_wait').length > 0);
    assert.ok(waiting.length >= 1, 'lock waits are drawn');
  });

  test('a VizTracer trace keeps its call stacks, draws sleeps as waits, and infers the GIL', async () => {
    const status = await openTrace(page, 'viztracer.json');
    const skipped = /Skipped ([\d,]+) slices inside/.exec(status);
    assert.equal(skipped, null, `nested slices are kept: ${status}`);
    const trace = (await traces(page)).at(-1);
    const file = JSON.parse(readFileSync(path.join(TRACES, 'viztracer.json'), 'utf8'));
    const slices = (file.traceEvents ?? file).filter((e) => e.ph === 'X').length;
    const calls = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'lanes.call').length;
    assert.ok(calls >= 0.99 * slices, `${calls} of ${slices} slices kept as calls`);
    const work = workLanes(trace);
    assert.ok(work.some((l) => total(only(l.spans, 'io_wait')) > 40_000), 'the sleeps are waits');
    assert.ok(work.some((l) => only(l.spans, 'gil_wait').length > 0), 'threads wait for the GIL');
    assert.ok([...lanes(trace).values()].some((l) => l.kind === 'gil'), 'a GIL lane is drawn');
    assert.match(JSON.stringify(trace.metadata), /inferred/);
    assert.match(await page.textContent('#run'), /inferred/);
    await screenshot(page, 'python-viztracer');
  });

  test('hovering a call row shows the whole stack', async () => {
    const box = await page.locator('#timeline').boundingBox();
    let stack = [];
    for (let y = 30; y < Math.min(box.height, 900) && stack.length < 2; y += 8) {
      for (let x = box.width * 0.3; x < box.width * 0.95 && stack.length < 2; x += box.width * 0.1) {
        await page.mouse.move(box.x + x, box.y + y);
        stack = await page.$$eval('#tooltip ol.stack li', (lis) => lis.map((li) => li.textContent));
      }
    }
    assert.ok(stack.length >= 2, 'some point of the timeline shows a stack of at least two calls');
    const outermost = stack[0].split(' (')[0];
    assert.ok((await page.textContent('#span-details')).includes(outermost), 'the details line carries the stack too');
    await screenshot(page, 'python-stack-hover');
    await page.mouse.move(1, 1);
  });

  test('no console errors', () => {
    assert.deepEqual(errors, []);
  });
});

describe('the same in real Python, in the tour', () => {
  let server;
  let browser;
  let page;
  let errors;
  before(async () => {
    server = await serve();
    browser = await launch();
    ({ page, errors } = await open(browser.context, `${server.url}?lesson=4&size=200000&run=1`));
    await waitForRun(page);
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test("step 4 shows the command, and its recording opens beside Lanes' runs", async () => {
    assert.equal(
      await page.textContent('#real-python-command'),
      'python3 lanes_record.py --lesson 4 --size 200000 -o lesson4.json',
    );
    const before = (await traces(page)).length;
    await page.setInputFiles('#import-file', path.join(TRACES, 'lesson4.json'));
    await waitForRun(page, 'imported', 60_000);
    const all = await traces(page);
    const recorded = all.filter((t) => t.metadata?.mode === 'recorded');
    assert.ok(recorded.length >= 2, 'CPython\'s sequential and threads runs');
    assert.ok(all.length >= before + 2);
    const table = await page.textContent('#real-python-table');
    assert.match(table, /Threads \+ GIL, count primes/);
    assert.match(table, /\d\.\d\d×/);
    assert.ok(await page.$('#outcome'), "the step's verdict stays");
    await screenshot(page, 'python-tour-step-4');
    assert.deepEqual(errors, []);
  });
});
