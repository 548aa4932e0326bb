// `make bench`, real-Python half: for each tour step CPython can run (1, 2,
// 4, 5, 7), records the step in CPython with lanes_record.py --lesson N, then
// runs the step live in headless Chromium, opens the recording beside it and
// prints the page's own table: Lanes' ratio beside CPython's, and the shares
// of waiting for the GIL and of overhead. One thing at a time: the recording
// runs alone, then the browser. Also the recorder's overhead on the course's
// prime counting (traced against untraced). Figures only, never pass/fail;
// adds python_* names to target/bench.json.
//
// LANES_PY_SIZE=1000000 shrinks every step's work (the steps' own sizes
// take minutes in CPython); LANES_PY_STEPS=4,5 picks steps.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, launch, open, serve, traces, waitForRun } from './support/harness.mjs';

const OUT = path.join(ROOT, 'target', 'bench-python');
const RECORDER = path.join(ROOT, 'www', 'lanes_record.py');
const STEPS = (process.env.LANES_PY_STEPS ?? '1,2,4,5,7').split(',').map(Number);
const SIZE = process.env.LANES_PY_SIZE;
const PYTHON = process.env.PYTHON ?? 'python3';
mkdirSync(OUT, { recursive: true });

const figures = {};
const key = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** Records step `n` in CPython; returns the file and what the recorder printed. */
function record(n) {
  const file = path.join(OUT, `lesson${n}.json`);
  const args = [RECORDER, '--lesson', String(n), '-o', file];
  if (SIZE && n !== 7) args.push('--size', SIZE);
  const started = Date.now();
  const printed = execFileSync(PYTHON, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  console.log(`step ${n}: recorded in CPython in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { file, printed };
}

const server = await serve();
const browser = await launch();
try {
  for (const n of STEPS) {
    const { file } = record(n);
    const query = `lesson=${n}${SIZE && n !== 7 ? `&size=${SIZE}` : ''}&run=1`;
    const { page, errors } = await open(browser.context, `${server.url}?${query}`);
    await waitForRun(page, 'done', 600_000);
    await page.setInputFiles('#import-file', file);
    await waitForRun(page, 'imported', 120_000);
    const rows = await page.$$eval('#real-python-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    const recorded = (await traces(page)).filter((t) => t.metadata?.mode === 'recorded');
    console.log(`\nStep ${n}: Lanes (live, this machine) beside CPython ${recorded[0]?.metadata?.environment ?? ''}`);
    console.log(['run', 'Lanes ×', 'CPython ×', 'GIL wait L', 'GIL wait C', 'overhead L', 'overhead C']
      .map((h, i) => (i ? h.padStart(11) : h.padEnd(44))).join(''));
    for (const row of rows) {
      console.log(row.map((c, i) => (i ? c.padStart(11) : c.padEnd(44))).join(''));
      const name = `python_step${n}_${key(row[0])}`;
      const num = (c) => (/^[\d.]+/.test(c) ? Number.parseFloat(c) : null);
      if (num(row[1]) !== null) figures[`${name}_lanes_ratio`] = num(row[1]);
      if (num(row[2]) !== null) figures[`${name}_cpython_ratio`] = num(row[2]);
    }
    if (errors.length) console.log(`console errors: ${errors.join('; ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

// The recorder's overhead on the course's prime counting, alone.
const overhead = path.join(ROOT, 'python', 'overhead.py');
if (existsSync(overhead)) {
  const printed = execFileSync(PYTHON, [overhead], { encoding: 'utf8' });
  console.log(`\n${printed.trim()}`);
  for (const m of printed.matchAll(/^(\w+)=([\d.]+)$/gm)) figures[`python_${m[1]}`] = Number(m[2]);
}

const out = path.join(ROOT, 'target', 'bench.json');
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
writeFileSync(out, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
console.log(`\nwrote ${Object.keys(figures).length} python_* figures to ${out}`);
