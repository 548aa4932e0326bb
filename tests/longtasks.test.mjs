// The page's main thread during every kind of work: each model's run, a
// simulated run, a sweep, and opening a big trace file. Chromium's
// performance timeline records every main-thread task and animation frame
// over 50 ms (tests/support/longtasks.mjs); this test reports the longest
// of each (figures, never a timed assertion: `make bench` prints them too)
// and checks that the recorder works, with the one freeze the page makes
// on purpose: the UI lesson's main-thread run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { browserSuite, waitForRun } from './support/harness.mjs';
import { bigTraceJson, longTasksSince, recordLongTasks } from './support/longtasks.mjs';

const SIZE = 2_000_000;
const MODELS = ['sequential', 'gil', 'free', 'processes', 'asyncio'];

describe('the main thread during runs, imports and sweeps (Chromium, long tasks and long animation frames)', () => {
  const { server, browser } = browserSuite();

  test('every model, a simulation, a sweep and a big import: long tasks reported; the UI lesson freeze is seen', async (t) => {
    const page = await browser.context.newPage();
    await recordLongTasks(page);
    const { errors } = await openRecorded(page, `${server.url}?model=sequential&k=2&size=${SIZE}`);
    await page.waitForSelector('#pool[data-pool="ready"]');
    const report = {};
    const during = async (name, work) => {
      const since = await page.evaluate(() => performance.now());
      await work();
      const tasks = await longTasksSince(page, since);
      report[name] = tasks;
      t.diagnostic(`${name}: ${tasks.length} long task(s) or frame(s), longest ${longest(tasks).toFixed(0)} ms` +
        (tasks.length ? ` (${tasks.map((x) => `${x.kind} ${x.duration.toFixed(0)}`).join(', ')})` : ''));
    };
    for (const model of MODELS) {
      const workload = model === 'asyncio' ? 'workload=io&latency=20&k=4' : `k=2&size=${SIZE}`;
      await during(model, () => runQuery(page, `model=${model}&${workload}`));
    }
    await during('simulated (sim=1, k=4, size 20 000 000)', () =>
      runQuery(page, `model=sequential,gil,free,processes&sim=1&cores=4&k=4&size=20000000`));
    await during('sweep (simulated)', () => runQuery(page, `model=free&sim=1&cores=4&size=${SIZE}`, '#sweep-button'));
    // The positive control: the UI lesson blocks the main thread on purpose.
    await during('UI lesson (main thread on purpose)', () =>
      runQuery(page, `model=sequential,free&workload=ui&k=2&size=3000000`));
    const dir = mkdtempSync(path.join(tmpdir(), 'lanes-longtasks-'));
    try {
      const file = path.join(dir, 'big.json');
      writeFileSync(file, bigTraceJson(400_000));
      await during('import (a 40 MB trace)', async () => {
        await page.setInputFiles('#import-file', file);
        await waitForRun(page, 'imported', 120_000);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const freeze = longest(report['UI lesson (main thread on purpose)']);
    assert.ok(freeze > 50, `the UI lesson's freeze is recorded as a long task (longest ${freeze} ms)`);
    for (const [name, tasks] of Object.entries(report)) {
      for (const task of tasks) {
        assert.ok(Number.isFinite(task.duration) && task.duration > 50, `${name}: a recorded long task has a duration`);
      }
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});

/** Loads `url` in `page` (already recording), collecting console errors. */
async function openRecorded(page, url) {
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.goto(url);
  return { errors };
}

/** Goes to `query` as the back button would, then presses Run and waits for the batch. */
async function runQuery(page, query, button = '#run-button') {
  await navigate(page, query);
  await page.evaluate(() => {
    // Every state the run goes through (the kept runs' count may stay at its bound).
    window.__runStates = [];
    new MutationObserver(() => window.__runStates.push(document.querySelector('#run').dataset.runState))
      .observe(document.querySelector('#run'), { attributes: true, attributeFilter: ['data-run-state'] });
  });
  await page.click(button);
  await page.waitForFunction(() => window.__runStates.includes('running') &&
    ['done', 'error'].includes(document.querySelector('#run').dataset.runState), null, { timeout: 120_000 });
  assert.equal(await page.getAttribute('#run', 'data-run-state'), 'done', `${query}: ${await page.textContent('.status')}`);
}

async function navigate(page, query) {
  await page.evaluate((q) => {
    history.pushState(null, '', `?${q}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, query);
  await page.waitForSelector('#run-button:not([disabled])');
}

const longest = (tasks) => Math.max(0, ...tasks.map((x) => x.duration));
