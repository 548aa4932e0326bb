// Opening a big trace file: read as bytes and parsed in a worker, with a
// progress bar and Cancel; the page answers clicks while it reads, a
// cancelled file changes nothing, and the same file opened again is shown.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { browserSuite, open, screenshot, traces, waitForRun } from './support/harness.mjs';
import { bigTraceJson } from './support/longtasks.mjs';

describe('opening a big trace file', () => {
  const { server, browser } = browserSuite();
  let dir;
  let file;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lanes-import-'));
    file = path.join(dir, 'big.json');
    // About 40 MB: 400 000 slices on four threads.
    writeFileSync(file, bigTraceJson(400_000));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('shows its progress with Cancel, answers clicks meanwhile, and Cancel keeps what was shown', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
    await waitForRun(page);
    const shown = (await traces(page)).length;

    await page.setInputFiles('#import-file', file);
    await page.waitForSelector('#import-progress');
    assert.match(await page.textContent('.import-progress label'), /^Opening big\.json: /);
    // The main thread is free: a control answers while the worker reads.
    await page.check('#model-free');
    assert.equal(await page.isChecked('#model-free'), true);
    await page.waitForFunction(() => Number(document.querySelector('#import-progress')?.value ?? 100) > 5);
    await screenshot(page, 'import-progress');
    await page.click('#import-cancel');
    await page.waitForSelector('#import-progress', { state: 'detached' });
    assert.match(await page.textContent('#notices'), /Opening big\.json was cancelled\. What was shown before is kept\./);
    assert.equal(await page.getAttribute('#run', 'data-run-state'), 'done', 'the runs on show stay');
    assert.equal((await traces(page)).length, shown);

    // Opened again and left to finish, it is shown whole.
    await page.setInputFiles('#import-file', file);
    await waitForRun(page, 'imported');
    assert.equal(await page.$('#import-progress'), null, 'the bar is gone once the file is shown');
    // Counted in the page: the trace as JSON is too big to be worth sending here.
    const calls = await page.evaluate(() =>
      window.lanes.traces().at(-1).traceEvents.filter((e) => e.cat === 'lanes.call').length);
    assert.ok(calls >= 0.99 * 400_000, `every slice kept as a call (${calls})`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
