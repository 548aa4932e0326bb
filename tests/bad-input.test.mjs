// Bad inputs, as a person meets them: a link with bad parameters, a trace
// file that is broken, huge or hostile, and a run asked for at a bad
// moment. Each test is a row of docs/bad-inputs.md (its number leads the
// test's name) and checks what a person would see: the message in the
// page, that what it showed before is still there, that names from a file
// stay text (no element made, no script run), and no error in the console.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launch, open, screenshot, serve, traces, waitForRun } from './support/harness.mjs';

/** The text of the notices (role=alert), or '' when there are none. */
async function notices(page) {
  return (await page.$('#notices')) ? page.textContent('#notices ul') : '';
}

/** Closes the notices, as a person reading them would. */
async function dismiss(page) {
  if (await page.$('#notices')) {
    await page.click('#notices button');
    await page.waitForSelector('#notices', { state: 'detached' });
  }
}

/** Waits for a notice that holds `text` and returns that notice. */
async function noticeAbout(page, text, timeout = 30_000) {
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('#notices li')].some((li) => li.textContent.includes(t)),
    text,
    { timeout },
  );
  return page.$$eval('#notices li', (lis, t) => lis.map((li) => li.textContent).find((s) => s.includes(t)), text);
}

/** What a person sees of the runs and the form: must not change when an input is refused. */
async function shown(page) {
  return {
    state: await page.getAttribute('#run', 'data-run-state'),
    status: await page.textContent('#run .status'),
    table: await page.textContent('#results tbody'),
    timeline: await page.getAttribute('#timeline', 'aria-label'),
    pixels: await page.$eval('#timeline', (c) => c.toDataURL()),
    runs: (await traces(page)).length,
    form: await page.$$eval('#controls input, #controls select', (els) =>
      els.map((e) => `${e.id}=${e.type === 'checkbox' ? e.checked : e.value}`).join(' '),
    ),
  };
}

/** Elements that hostile names could have made, and the flag their scripts would set. */
async function injected(page) {
  return page.evaluate(() => ({
    flag: window.__pwn ?? null,
    elements: document.querySelectorAll(
      'img, iframe, object, embed, svg, script:not([src]), [onerror], [onload], [onmouseover], [onfocus]',
    ).length,
  }));
}
const CLEAN = { flag: null, elements: 0 };

/** Chooses a file in "Open trace…", as a person does: `body` in memory, or a path on disk. */
async function pick(page, name, body) {
  const files = typeof body === 'string' || Buffer.isBuffer(body)
    ? { name, mimeType: 'application/json', buffer: Buffer.from(body) }
    : body.path;
  await page.setInputFiles('#import-file', files);
}

/** Drops a file on the page, as dragging it from the desktop does. */
async function drop(page, name, text) {
  const data = await page.evaluateHandle(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'application/json' }));
    return dt;
  }, [name, text]);
  await page.dispatchEvent('main', 'dragover', { dataTransfer: data });
  await page.dispatchEvent('main', 'drop', { dataTransfer: data });
}

/** Goes to `query` as Back or Forward would: the address changes under the page. */
async function navigate(page, query) {
  await page.evaluate((q) => {
    history.pushState(null, '', `?${q}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, query);
}

/** Records the longest time the page's main thread did not answer a 10 ms timer. */
async function watchStalls(page) {
  await page.evaluate(() => {
    window.__stall = 0;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      window.__stall = Math.max(window.__stall, now - last);
      last = now;
      window.__stallTimer = setTimeout(tick, 10);
    };
    tick();
  });
  return async () =>
    page.evaluate(() => {
      clearTimeout(window.__stallTimer);
      return Math.round(window.__stall);
    });
}

/** Writes a bare list of `count` copies of `event` to `file`, a chunk at a time. */
function writeEvents(file, count, event) {
  const per = 100_000;
  const chunk = Buffer.from(`${event},`.repeat(per));
  const fd = openSync(file, 'w');
  writeSync(fd, '[');
  for (let i = 0; i < Math.floor((count - 1) / per); i++) writeSync(fd, chunk);
  writeSync(fd, `${event},`.repeat((count - 1) % per));
  writeSync(fd, `${event}]`);
  closeSync(fd);
}

/** One server, one browser and one page for a describe block, opened at `query`. */
function pageSuite(query, { state } = {}) {
  const s = { errors: [], dialogs: [] };
  before(async () => {
    s.server = await serve();
    s.browser = await launch();
    ({ page: s.page, errors: s.errors } = await open(s.browser.context, `${s.server.url}${query}`));
    s.page.on('dialog', (d) => {
      s.dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    if (state) await waitForRun(s.page, state);
  });
  after(async () => {
    await s.browser?.close();
    s.server?.close();
  });
  return s;
}

// ---------------------------------------------------------------------------
// URL parameters: each link opens the page with a notice and a usable value.

/** Rows 1–22: the query (`title` names a long one), what the notices must say, and the form fields after. */
const LINKS = [
  { n: 1, q: 'k=0', says: [/k=“0” is too small: using 1 \(k goes from 1 to 16\)\./], form: { '#k': '1' } },
  {
    n: 2,
    q: 'k=999',
    says: [/k=“999” is too large: using 16 \(k goes from 1 to 16\)\./],
    form: { '#k': '16' },
  },
  {
    n: 3,
    q: 'k=abc',
    says: [/k=“abc” is not a whole number: k is unchanged \(k goes from 1 to 16\)\./],
    form: { '#k': '4' },
  },
  { n: 4, q: 'k=2.5', says: [/k=“2\.5” is not a whole number: k is unchanged/], form: { '#k': '4' } },
  {
    n: 5,
    q: 'size=-5',
    says: [/size=“-5” is too small: using 1000 \(size goes from 1000 to 100000000\)\./],
    form: { '#size': '1000' },
  },
  {
    n: 6,
    q: `size=${'9'.repeat(60)}`,
    title: 'size=9×60',
    says: [/size=“9{40}…” is too large: using 100000000/],
    form: { '#size': '100000000' },
  },
  {
    n: 7,
    q: 'model=gil&interval=NaN',
    says: [/interval=“NaN” is not a number: interval is unchanged \(interval goes from 0\.1 to 100 ms\)\./],
    form: { '#interval': '5' },
  },
  {
    n: 8,
    q: 'workload=io&latency=1e999',
    says: [/latency=“1e999” is too large: using 10000/],
    form: { '#latency': '10000' },
  },
  {
    n: 9,
    q: 'model=nonsense',
    says: [/model=“nonsense” names no known model: using the default \(models: sequential, gil, free, processes, asyncio\)\./],
    form: { '#model-sequential': true, '#model-free': true, '#model-gil': false },
  },
  {
    n: 10,
    q: 'model=free,quantum',
    says: [/Unknown model “quantum” was left out/],
    form: { '#model-free': true, '#model-sequential': false },
  },
  {
    n: 11,
    q: `workload=${encodeURIComponent('<script>__pwn=1</script>')}`,
    says: [/Unknown workload “<script>__pwn=1<\/script>”: using the default/],
    form: { '#workload': 'primes' },
  },
  {
    n: 12,
    q: `theme=${encodeURIComponent('<img src=x onerror=__pwn=1>')}`,
    says: [/theme=“<img src=x onerror=__pwn=1>” is not one of auto, light, dark, contrast: the theme is unchanged\./],
    form: { '#theme': 'auto' },
  },
  {
    n: 13,
    q: 'k=2&k=8',
    says: [/“k” is given more than once: the last value counts\./],
    form: { '#k': '8' },
  },
  { n: 14, q: 'k=%EF%BC%98', says: [/k=“８” is not a whole number: k is unchanged/], form: { '#k': '4' } },
  {
    n: 15,
    q: 'workload=%E3%83%97%E3%83%A9%E3%82%A4%E3%83%A0',
    says: [/Unknown workload “プライム”: using the default/],
    form: { '#workload': 'primes' },
  },
  {
    n: 16,
    q: 'k=%FF%FE',
    says: [/k=“\uFFFD\uFFFD” is not a whole number: k is unchanged/],
    form: { '#k': '4' },
  },
  {
    n: 17,
    q: 'k=%E2%80%AE61%20si',
    says: [/^k=“\[U\+202E\]61 si” is not a whole number: k is unchanged \(k goes from 1 to 16\)\.$/],
    form: { '#k': '4' },
  },
  { n: 18, q: '%F0%9F%8E%A8=1', says: [/Unknown URL parameter “🎨” was ignored\./], form: {} },
  {
    n: 19,
    q: 'lesson=99',
    says: [/lesson=“99” is not a step of the tour \(steps 1 to 8\): showing the playground\./],
    form: {},
    check: async (page) => assert.equal(await page.$('#tour'), null, 'the playground, no tour step'),
  },
  {
    n: 20,
    q: 'sim=1&k=65&cores=1000',
    says: [/k=“65” is too large: using 64 \(k goes from 1 to 64\)\./, /cores=“1000” is too large: using 64/],
    form: { '#k': '64', '#cores': '64', '#sim': true },
  },
  {
    n: 21,
    q: 'sim=1&seed=-1',
    says: [/seed=“-1” is not a whole number from 0 to 18446744073709551615: the seed is unchanged\./],
    form: { '#seed': '1' },
  },
  {
    n: 22,
    q: `model=${'x'.repeat(50_000)}`,
    title: 'model=x×50000',
    says: [/^model=“x{40}…” names no known model: using the default/],
    form: { '#model-sequential': true, '#model-free': true },
  },
];

describe('bad URL parameters', () => {
  const s = pageSuite('?model=sequential&size=200000');

  for (const row of LINKS) {
    test(`#${row.n} ?${row.title ?? row.q}: a notice, and a usable value`, async () => {
      const { page } = s;
      await page.goto(`${s.server.url}?${row.q}`);
      await page.waitForSelector('#notices');
      // The page is there and usable, never blank.
      await page.waitForSelector('#pool[data-pool="ready"]');
      assert.equal(await page.isEnabled('#run-button'), true);
      const items = await page.$$eval('#notices li', (lis) => lis.map((li) => li.textContent));
      for (const says of row.says) {
        assert.ok(items.some((t) => says.test(t)), `${says} in ${JSON.stringify(items)}`);
      }
      assert.equal(items.length, row.says.length, `one notice each: ${JSON.stringify(items)}`);
      for (const [selector, value] of Object.entries(row.form)) {
        const got = typeof value === 'boolean' ? await page.isChecked(selector) : await page.inputValue(selector);
        assert.equal(got, value, selector);
      }
      await row.check?.(page);
      assert.deepEqual(await injected(page), CLEAN, 'values are text, never markup');
      assert.deepEqual(s.errors, []);
      assert.deepEqual(s.dialogs, []);
    });
  }

  test('#23 Back or Forward to a bad link after a run: a notice, the finished runs kept', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}?model=sequential&size=200000&run=1`);
    await waitForRun(page);
    const before = await shown(page);
    await navigate(page, 'model=sequential&size=200000&k=-3');
    assert.match(await noticeAbout(page, 'k=“-3”'), /k=“-3” is too small: using 1/);
    const after = await shown(page);
    assert.equal(after.table, before.table, 'the results table is kept');
    assert.equal(after.pixels, before.pixels, 'the timeline is kept');
    assert.equal(after.runs, before.runs);
    assert.equal(await page.inputValue('#k'), '1');
    assert.deepEqual(s.errors, []);
  });
});

// ---------------------------------------------------------------------------
// Trace files: each is refused with a notice that names the file and says
// what is wrong and where, and the runs on screen stay as they were.

const SLICE = { ph: 'X', name: 'a', ts: 0, dur: 5, pid: 1, tid: 1 };
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const DEEP = 100_000;

/** Rows 24–41: files that are refused, and what the notice says after "<name> could not be opened: ". */
const REFUSED = [
  {
    n: 24,
    what: 'an empty file (0 bytes)',
    name: 'empty.json',
    body: '',
    says: /the file is empty: it holds no JSON at all/,
  },
  {
    n: 25,
    what: 'a text that is not JSON',
    name: 'notes.txt',
    body: 'hello, world',
    says: /the file is not valid JSON: expected value, at line 1, column 1/,
  },
  {
    n: 26,
    what: 'a PNG picture named .json',
    name: 'picture.json',
    body: PNG,
    says: /the file is not valid JSON: expected value, at line 1, column 1/,
  },
  {
    n: 27,
    what: 'JSON of the wrong shape: a text',
    name: 'text.json',
    body: '"a trace"',
    says: /this JSON is not a trace: a trace is a list of events or an object with a "traceEvents" list, but the file holds a text/,
  },
  {
    n: 28,
    what: 'an object without traceEvents',
    name: 'package.json',
    body: '{"name": "lanes", "events": []}',
    says: /this JSON object is not a trace: it has no "traceEvents" list/,
  },
  {
    n: 29,
    what: 'traceEvents that is not a list',
    name: 'object.json',
    body: '{"traceEvents": {"0": {"ph": "X"}}}',
    says: /"traceEvents" should be a list of events, but it is an object/,
  },
  {
    n: 30,
    what: 'a list of numbers',
    name: 'numbers.json',
    body: '[1, 2, 3]',
    says: /event 0 \(the 1st\) is a number, not an object like \{"ph": "X", \.\.\.\}/,
  },
  {
    n: 31,
    what: 'only counter events (nothing to draw)',
    name: 'counters.json',
    body: JSON.stringify([{ ph: 'C', name: 'memory', ts: 0, pid: 1, args: { bytes: 1 } }]),
    says: /the file holds no slices, instants or named threads to show/,
  },
  {
    n: 32,
    what: 'a slice without its start time',
    name: 'no-ts.json',
    body: JSON.stringify([SLICE, { ph: 'X', name: 'b', dur: 3, pid: 1, tid: 1 }]),
    says: /event 1 \(the 2nd\) has no "ts" \(its start time in µs\)/,
  },
  {
    n: 33,
    what: 'a negative duration',
    name: 'negative.json',
    body: JSON.stringify([SLICE, { ...SLICE, ts: 10, dur: -5 }]),
    says: /event 1 \(the 2nd\) lasts -5 µs, so it ends before it starts: a duration cannot be negative/,
  },
  {
    n: 34,
    what: 'a NaN duration',
    name: 'nan.json',
    body: '[{"ph": "X", "name": "a", "ts": 10, "dur": NaN, "pid": 1, "tid": 1}]',
    says: /the file is not valid JSON: expected value, at line 1, column 44, in event 0 \(the 1st\)/,
  },
  {
    n: 35,
    what: 'a duration written "NaN"',
    name: 'nan-text.json',
    body: JSON.stringify([{ ...SLICE, dur: 'NaN' }]),
    says: /event 0 \(the 1st\): "dur" is not a finite number of microseconds/,
  },
  {
    n: 36,
    what: 'a duration too large for a number',
    name: 'huge.json',
    body: '[{"ph": "X", "name": "a", "ts": 0, "dur": 1e400, "pid": 1, "tid": 1}]',
    says: /the file is not valid JSON: number out of range, at line 1, column 47, in event 0 \(the 1st\)/,
  },
  {
    n: 37,
    what: 'a start and duration whose end overflows',
    name: 'overflow.json',
    body: JSON.stringify([{ ...SLICE, ts: 1e308, dur: 1e308 }]),
    says: /event 0 \(the 1st\): "dur" is not a finite number of microseconds/,
  },
  {
    n: 38,
    what: 'a file cut short in the middle of an event',
    name: 'cut.json',
    body: '{"traceEvents": [{"ph": "X", "name": "a", "ts": 0, "dur": 5}, {"ph": "X", "ts": ',
    says: /the file ends in the middle of the JSON, at line 1, column 80, in event 1 \(the 2nd\): it may have been cut short/,
  },
  {
    n: 39,
    what: '100 000 nested lists',
    name: 'nested.json',
    body: `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`,
    says: /event 0 \(the 1st\) is a list, not an object like \{"ph": "X", \.\.\.\}/,
  },
  {
    n: 40,
    what: 'metadata nested 100 000 objects deep',
    name: 'deep-metadata.json',
    body: `{"traceEvents": [${JSON.stringify(SLICE)}], "metadata": ${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}}`,
    says: /the JSON nests lists and objects more than 128 deep, at line 1, column 715; a trace never needs that/,
  },
  {
    n: 41,
    what: 'text after the end of the JSON',
    name: 'trailing.json',
    body: `${JSON.stringify([SLICE])}\n<script>__pwn=1</script>`,
    says: /the file is not valid JSON: trailing characters, at line 2, column 1/,
  },
];

/** The foreign file whose names are markup: every name a file can give is tried. */
const HOSTILE = {
  traceEvents: [
    { ph: 'M', name: 'process_name', pid: 1, args: { name: '<iframe src="javascript:parent.__pwn=1"></iframe>' } },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: '<script>__pwn=2</script>' } },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: { name: '<b onmouseover=__pwn=3>bold</b>' } },
    { ph: 'X', name: '<img src=x onerror=__pwn=4>', ts: 0, dur: 400, pid: 1, tid: 1 },
    { ph: 'X', name: '"><svg onload=__pwn=5>', ts: 100, dur: 300, pid: 1, tid: 2 },
    { ph: 'i', name: '<a href="javascript:__pwn=6">click</a>', ts: 200, pid: 1, tid: 1, s: 't' },
  ],
  metadata: { source: '<img src=y onerror=__pwn=7>' },
};
const HOSTILE_FILE = '<img src=z onerror=__pwn=8>.json';

describe('bad trace files', () => {
  const s = pageSuite('?model=sequential,free&k=2&size=300000&run=1', { state: 'done' });
  let dir;
  let kept;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lanes-bad-input-'));
    kept = await shown(s.page);
    assert.deepEqual(await injected(s.page), CLEAN, 'nothing to begin with');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const row of REFUSED) {
    test(`#${row.n} ${row.what}: refused in words, the runs kept`, async () => {
      const { page } = s;
      await dismiss(page);
      await pick(page, row.name, row.body);
      const notice = await noticeAbout(page, `${row.name} could not be opened`);
      assert.match(notice, row.says);
      assert.match(notice, /What was shown before is kept\.$/);
      assert.deepEqual(await shown(page), kept, 'the runs, the picture and the form are as they were');
      assert.deepEqual(await injected(page), CLEAN);
      assert.deepEqual(s.errors, []);
    });
  }

  test('#42 10 million slices as a tool writes them (260 MB): refused before reading', async () => {
    const { page } = s;
    const file = path.join(dir, 'ten-million.json');
    writeEvents(file, 10_000_000, '{"ph":"X","ts":0,"dur":1}');
    await dismiss(page);
    const stalls = await watchStalls(page);
    const start = Date.now();
    await pick(page, 'ten-million.json', { path: file });
    const notice = await noticeAbout(page, 'ten-million.json could not be opened');
    const ms = Date.now() - start;
    assert.match(notice, /ten-million\.json is 2\d\d\.\d MB; the page reads trace files up to 200\.0 MB/);
    const stall = await stalls();
    console.log(`260 MB file refused in ${ms} ms; longest stall ${stall} ms`);
    assert.ok(stall < 1_000, `the page kept answering (longest stall ${stall} ms)`);
    assert.deepEqual(await shown(page), kept);
    rmSync(file);
  });

  test('#43 10 million small events (180 MB, under the size limit): counted and refused', async () => {
    const { page } = s;
    const file = path.join(dir, 'ten-million-small.json');
    writeEvents(file, 10_000_000, '{"ph":"i","ts":0}');
    await dismiss(page);
    const stalls = await watchStalls(page);
    const start = Date.now();
    await pick(page, 'ten-million-small.json', { path: file });
    const notice = await noticeAbout(page, 'ten-million-small.json could not be opened', 60_000);
    const ms = Date.now() - start;
    assert.match(notice, /the file holds 10,000,000 events, more than the 5,000,000 that Lanes opens/);
    const stall = await stalls();
    console.log(`180 MB file of 10 M events refused in ${ms} ms; longest stall ${stall} ms`);
    // The page reads a file on its main thread: about a second here (the
    // text copied into wasm, then a quick count of its events), where reading
    // the first five million events took three; never a hang or a crash.
    assert.ok(stall < 5_000, `the page answered again soon (longest stall ${stall} ms)`);
    assert.deepEqual(await shown(page), kept);
    await screenshot(page, 'bad-input-refused');
    rmSync(file);
    assert.deepEqual(s.errors, []);
  });

  test('#44 a bad file dropped on the page: the same notice, the runs kept', async () => {
    const { page } = s;
    await dismiss(page);
    await drop(page, 'dropped.json', '{"traceEvents": [');
    const notice = await noticeAbout(page, 'dropped.json could not be opened');
    assert.match(
      notice,
      /the file ends in the middle of the JSON, at line 1, column 17, in event 0 \(the 1st\): it may have been cut short/,
    );
    assert.deepEqual(await shown(page), kept);
    assert.deepEqual(s.errors, []);
  });

  // Files that open: what is odd in them is said, not fatal.

  test('#45 events out of order: opened, drawn in time order', async () => {
    const { page } = s;
    await dismiss(page);
    const events = [
      { ...SLICE, name: 'third', ts: 400, dur: 50 },
      { ...SLICE, name: 'first', ts: 0, dur: 50 },
      { ...SLICE, name: 'second', ts: 200, dur: 50 },
    ];
    await pick(page, 'shuffled.json', JSON.stringify(events));
    await page.waitForFunction(() => /shuffled\.json/.test(document.querySelector('#run .status').textContent));
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'imported');
    assert.match(
      await page.textContent('#run .status'),
      /^Showing shuffled\.json \(imported from another tool\)\. Read 3 events\./,
    );
    const trace = (await traces(page)).at(-1);
    // The spans drawn (the calls they were made from are kept beside them, cat "lanes.call").
    const names = trace.traceEvents
      .filter((e) => e.ph === 'X' && e.cat !== 'lanes.call')
      .sort((a, b) => a.ts - b.ts)
      .map((e) => e.args?.label ?? e.name);
    assert.deepEqual(names, ['first', 'second', 'third']);
    // The keyboard walks the spans in time order too.
    await page.focus('#timeline');
    await page.keyboard.press(']');
    assert.match(await page.textContent('#span-details'), /first/);
    assert.equal(await notices(page), '', 'nothing wrong to say');
    assert.deepEqual(s.errors, []);
  });

  test('#46 an end ("E") before its begin: opened, the lone end skipped and counted', async () => {
    const { page } = s;
    const events = [
      { ph: 'E', ts: 5, pid: 1, tid: 1 },
      { ph: 'B', name: 'load', ts: 10, pid: 1, tid: 1 },
      { ph: 'E', ts: 20, pid: 1, tid: 1 },
    ];
    await pick(page, 'unmatched.json', JSON.stringify(events));
    await page.waitForFunction(() => /unmatched\.json/.test(document.querySelector('#run .status').textContent));
    assert.match(
      await page.textContent('#run .status'),
      /Read 3 events\. Skipped 1 "E" \(end\) events with no open "B" \(begin\) on their thread\./,
    );
    assert.deepEqual(s.errors, []);
  });

  test('#47 a file that says Lanes wrote it but whose metadata is broken: opened as another tool\'s, and said so', async () => {
    const { page } = s;
    const text = JSON.stringify({ traceEvents: [SLICE], metadata: { source: 'lanes', model: 'warp drive' } });
    await pick(page, 'edited.json', text);
    await page.waitForFunction(() => /edited\.json/.test(document.querySelector('#run .status').textContent));
    assert.match(
      await page.textContent('#run .status'),
      /The metadata says Lanes wrote this file, but it could not be read \(.+\); the file was read as one from another tool\./,
    );
    assert.deepEqual(s.errors, []);
  });

  test('#48 names with HTML and script tags: shown as text everywhere, nothing made, nothing run', async () => {
    const { page } = s;
    await pick(page, HOSTILE_FILE, JSON.stringify(HOSTILE));
    await page.waitForFunction((f) => document.querySelector('#run .status').textContent.includes(f), HOSTILE_FILE);
    // The status line, the results table and the timeline's text alternative.
    assert.equal(
      await page.textContent('#run .status'),
      `Showing ${HOSTILE_FILE} (imported from <img src=y onerror=__pwn=7>). Read 6 events.`,
    );
    assert.match(await page.textContent('#results tbody th'), /^imported from <img src=y onerror=__pwn=7>$/);
    assert.match(await page.getAttribute('#timeline', 'aria-label'), /<img src=y onerror=__pwn=7>/);
    // The details line, walking the spans with the keyboard.
    await page.focus('#timeline');
    await page.keyboard.press(']');
    const first = await page.textContent('#span-details');
    assert.match(first, /<script>__pwn=2<\/script>/);
    assert.match(first, /<img src=x onerror=__pwn=4>/);
    await page.keyboard.press(']');
    const second = await page.textContent('#span-details');
    assert.match(second, /<b onmouseover=__pwn=3>bold<\/b>/);
    assert.match(second, /"><svg onload=__pwn=5>/);
    // The hover tooltip over the first lane's span.
    const box = await page.locator('#timeline').boundingBox();
    let tip = null;
    for (let y = 30; y < box.height && !tip; y += 6) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + y);
      if (await page.$('#tooltip')) tip = await page.textContent('#tooltip');
    }
    assert.ok(tip, 'a tooltip over a span');
    assert.match(tip, /<(script|b onmouseover)/);
    await screenshot(page, 'bad-input-names');
    await page.mouse.move(1, 1);
    // The SVG export writes the names escaped, so the file is safe to open.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    const svg = readFileSync(await download.path(), 'utf8');
    assert.match(svg, /&lt;script&gt;__pwn=2&lt;\/script&gt;/);
    assert.doesNotMatch(svg, /<(script|img|iframe|b )/);
    // Nothing was made of them, and no script ran.
    assert.deepEqual(await injected(page), CLEAN);
    assert.deepEqual(s.dialogs, []);
    assert.deepEqual(s.errors, []);
  });

  test('#49 a bad file after an opened one: refused, the opened trace kept', async () => {
    const { page } = s;
    const before = await shown(page);
    assert.equal(before.state, 'imported');
    await pick(page, 'second.json', '{"traceEvents": 5}');
    const notice = await noticeAbout(page, 'second.json could not be opened');
    assert.match(notice, /"traceEvents" should be a list of events, but it is a number/);
    assert.deepEqual(await shown(page), before, 'the opened trace is still shown');
    assert.deepEqual(s.errors, []);
  });
});

describe('names that would turn the page\'s text around', () => {
  const s = pageSuite('?model=sequential&size=300000&run=1', { state: 'done' });

  test('#60 right-to-left overrides in a file name and a lane name: shown as [U+202E], not obeyed', async () => {
    const { page } = s;
    const events = [
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'Worker\u202E 1' } },
      { ph: 'X', name: 'running', ts: 0, dur: 100, pid: 1, tid: 1 },
    ];
    await pick(page, 'evil\u202Enosj.json', JSON.stringify(events));
    await page.waitForFunction(() => window.lanes.runState() === 'imported');
    const status = await page.textContent('#run .status');
    assert.match(status, /^Showing evil\[U\+202E\]nosj\.json /);
    await page.focus('#timeline');
    await page.keyboard.press(']');
    assert.match(await page.textContent('#span-details'), /Worker\[U\+202E\] 1/);
    // A refused file's notice too.
    await pick(page, 'bad\u202Ename.json', 'not json');
    const notice = await noticeAbout(page, 'bad[U+202E]name.json could not be opened');
    assert.doesNotMatch(notice + status, /\u202E/);
    assert.deepEqual(s.errors, []);
  });
});

// ---------------------------------------------------------------------------
// Runs: a value over the limit typed in the form, Cancel in the middle, and a
// second start (a key, a dropped file, Back) while one runs.

/** An I/O batch: the event loop's 16 coroutines end in about 0.5 s, then the sequential run takes about 6 s. */
const IO_BATCH = 'model=asyncio,sequential&workload=io&k=16&latency=200&size=1000';

describe('bad moments and values for a run', () => {
  const s = pageSuite('?model=asyncio&workload=io&k=4&latency=5&size=1000&run=1', { state: 'done' });

  /** Types `text` into a field and leaves it, as a person does. */
  async function type(selector, text) {
    await s.page.fill(selector, text);
    await s.page.dispatchEvent(selector, 'change');
  }

  test('#50 k typed above the limit (17): a notice, k is 16, the finished run kept', async () => {
    const { page } = s;
    const before = await shown(page);
    await type('#k', '17');
    assert.match(await noticeAbout(page, 'k=“17”'), /k=“17” is too large: using 16 \(k goes from 1 to 16\)\./);
    assert.equal(await page.inputValue('#k'), '16');
    const after = await shown(page);
    assert.equal(after.table, before.table);
    assert.equal(after.pixels, before.pixels);
    assert.deepEqual(s.errors, []);
  });

  test('#51 k emptied: a notice that k is unchanged, and the field shows it again', async () => {
    const { page } = s;
    await dismiss(page);
    await type('#k', '');
    assert.match(await noticeAbout(page, 'k=“”'), /k=“” is not a whole number: k is unchanged \(k goes from 1 to 16\)\./);
    assert.equal(await page.inputValue('#k'), '16', 'the value it had, not a blank');
  });

  test('#52 k typed above the simulated limit (100): a notice, k is 64', async () => {
    const { page } = s;
    await dismiss(page);
    await page.check('#sim');
    await type('#k', '100');
    assert.match(await noticeAbout(page, 'k=“100”'), /k=“100” is too large: using 64 \(k goes from 1 to 64\)\./);
    assert.equal(await page.inputValue('#k'), '64');
    await type('#seed', '42');
    await type('#seed', '-1');
    assert.match(
      await noticeAbout(page, 'seed=“-1”'),
      /seed=“-1” is not a whole number from 0 to 18446744073709551615: the seed is unchanged\./,
    );
    assert.equal(await page.inputValue('#seed'), '42');
    // Back to live runs: k comes down to the live limit, and says so.
    await page.uncheck('#sim');
    assert.match(await noticeAbout(page, 'A live run has at most 16 threads'), /k is now 16/);
    assert.equal(await page.inputValue('#k'), '16');
  });

  test('#53 a size typed far above the limit (1e12): a notice, the largest size', async () => {
    const { page } = s;
    await dismiss(page);
    await type('#size', '1e12');
    assert.match(await noticeAbout(page, 'size=“1e12”'), /size=“1e12” is too large: using 100000000/);
    assert.equal(await page.inputValue('#size'), '100000000');
    assert.deepEqual(s.errors, []);
  });

  test('#54 Run while a run is running: Run, Sweep, Open trace and the form are disabled', async () => {
    const { page } = s;
    await dismiss(page);
    await navigate(page, IO_BATCH);
    await page.click('#run-button');
    // Once the event loop's run is done, the sequential one runs for seconds.
    await page.waitForFunction(() => window.lanes.traces().length === 2, null, { timeout: 30_000 });
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'running');
    for (const control of ['#run-button', '#sweep-button', '#import-file', '#k', '#size', '#workload', '#model-free']) {
      assert.equal(await page.isDisabled(control), true, `${control} is disabled during a run`);
    }
    assert.equal(await page.isEnabled('#cancel-button'), true);
  });

  test('#55 a trace dropped during a run: "not opened", the run goes on', async () => {
    const { page } = s;
    const before = (await traces(page)).length;
    await drop(page, 'during.json', JSON.stringify([SLICE]));
    assert.match(
      await noticeAbout(page, 'during.json'),
      /^during\.json was not opened: a run is in progress; wait for it or cancel it\.$/,
    );
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'running');
    assert.equal((await traces(page)).length, before, 'the refused file is not among the runs');
  });

  test('#56 Back or Forward during a run: a notice, the address put back, the run goes on', async () => {
    const { page } = s;
    const url = page.url();
    await navigate(page, 'model=free&k=3');
    assert.match(await noticeAbout(page, 'address was put back'), /A run is in progress: the address was put back/);
    assert.equal(page.url(), url, 'the address shows the scenario that runs');
    assert.equal(await page.inputValue('#k'), '16');
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'running');
  });

  test('#57 Cancel in the middle of a batch: "Cancelled", the finished run kept, the next run works', async () => {
    const { page } = s;
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled');
    assert.equal(await page.textContent('#run .status'), 'Cancelled. Finished runs are kept below.');
    const rows = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.model));
    assert.deepEqual(rows, ['asyncio'], 'the event loop run that finished is kept');
    assert.equal(await page.isEnabled('#run-button'), true);
    await dismiss(page);
    await navigate(page, 'model=sequential&size=200000');
    await page.click('#run-button');
    await waitForRun(page);
    assert.equal((await traces(page)).at(-1).metadata.result, 17_984);
    assert.deepEqual(s.errors, []);
  });

  test('#58 Run pressed again during a run (embed mode, space): a notice, the run goes on', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}?embed=1&${IO_BATCH.replace('asyncio,', '')}`);
    await page.waitForSelector('#run-button:enabled');
    await page.keyboard.press(' ');
    await waitForRun(page, 'running');
    await page.keyboard.press(' ');
    assert.match(
      await noticeAbout(page, 'already in progress'),
      /^A run is already in progress: wait for it or cancel it\.$/,
    );
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'running');
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled');
    assert.deepEqual(s.errors, []);
  });
});
