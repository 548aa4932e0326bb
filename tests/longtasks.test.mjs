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
import {
  LONG_TASK_WORK, bigTraceJson, goAndWatchRun, longTasksSince, recordLongTasks, runEnabled, runSettled,
} from './support/longtasks.mjs';


describe('the main thread during runs, imports and sweeps (Chromium, long tasks and long animation frames)', () => {
  const { server, browser } = browserSuite();

  test('every model, a simulation, a sweep and a big import: long tasks reported; the UI lesson freeze is seen', async (t) => {
    const page = await browser.context.newPage();
    await recordLongTasks(page);
    const { errors } = await openRecorded(page, `${server.url}?model=sequential&k=2&size=2000000`);
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
    for (const { name, query, button } of LONG_TASK_WORK) {
      await during(name, () => runQuery(page, query, button));
    }
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

/** Goes to `query` as the back button would, then presses `button` (Run) and waits for the batch. */
async function runQuery(page, query, button = '#run-button') {
  await page.evaluate(goAndWatchRun, query);
  await page.waitForFunction(runEnabled);
  await page.click(button);
  await page.waitForFunction(runSettled, null, { timeout: 120_000 });
  assert.equal(await page.getAttribute('#run', 'data-run-state'), 'done', `${query}: ${await page.textContent('.status')}`);
}

const longest = (tasks) => Math.max(0, ...tasks.map((x) => x.duration));
