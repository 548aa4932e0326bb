// Accessibility, checked by a well-kept library: an axe-core audit of the
// playground, every step of the tour, embed mode and the fallback page (no
// cross-origin isolation), each once ready and some once a run is done (so
// the timeline, the results table and the tour's verdict are audited too).
// Any serious or critical violation fails; the lesser ones are printed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, browserSuite, open, waitForRun } from './support/harness.mjs';

const AXE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const FAIL_ON = new Set(['serious', 'critical']);

/** Waits until the pool is no longer starting (it may be hidden in embed mode). */
async function ready(page) {
  await page.waitForSelector('#pool:not([data-pool="starting"])', { state: 'attached', timeout: 30_000 });
}

/** Runs axe on the whole document; returns its violations. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: AXE });
  }
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

function describeViolations(violations) {
  return violations
    .map((v) => `  ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`)
    .join('\n');
}

/** Fails on serious or critical violations; prints the others. */
function check(where, violations) {
  const lesser = violations.filter((v) => !FAIL_ON.has(v.impact));
  if (lesser.length > 0) console.log(`${where}: lesser violations\n${describeViolations(lesser)}`);
  const bad = violations.filter((v) => FAIL_ON.has(v.impact));
  assert.equal(bad.length, 0, `${where}: serious or critical violations\n${describeViolations(bad)}`);
}

/** Opens `query`, audits it ready and, with `run`, once its run is done. */
async function auditPage(context, base, query, { run = false } = {}) {
  const { page, errors } = await open(context, `${base}?${query}`);
  try {
    await ready(page);
    check(`?${query} (ready)`, await audit(page));
    if (run) {
      if ((await page.getAttribute('#run', 'data-run-state')) !== 'done') {
        await page.click('#run-button');
      }
      await waitForRun(page, 'done', 60_000);
      check(`?${query} (run done)`, await audit(page));
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

describe('accessibility (axe-core), cross-origin isolated', () => {
  const { server, browser } = browserSuite();

  test('the playground, ready and after a run', async () => {
    await auditPage(browser.context, server.url, 'model=sequential,gil,free&k=2&size=100000', { run: true });
  });

  test('the dark and high-contrast themes, after a run', async () => {
    for (const theme of ['dark', 'contrast']) {
      await auditPage(browser.context, server.url, `theme=${theme}&model=sequential,free&k=2&size=100000`, { run: true });
    }
  });

  test('every step of the tour; steps 3, 4 and 7 after their runs too', async () => {
    for (let n = 1; n <= 8; n++) {
      await auditPage(browser.context, server.url, `lesson=${n}&sim=1`, { run: [3, 4, 7].includes(n) });
    }
  });

  test('embed mode, ready and after a run', async () => {
    await auditPage(browser.context, server.url, 'lesson=4&embed=1&sim=1', { run: true });
    await auditPage(browser.context, server.url, 'model=sequential,free&k=2&size=100000&embed=1', { run: true });
  });
});

describe('accessibility (axe-core), the fallback page without isolation', () => {
  const { server, browser } = browserSuite({ isolated: false });

  test('the fallback page, ready and after a run', async () => {
    await auditPage(browser.context, server.url, 'model=sequential,free&k=2&size=100000', { run: true });
  });

  test('the fallback page in embed mode', async () => {
    await auditPage(browser.context, server.url, 'lesson=4&embed=1&sim=1', { run: true });
  });
});
