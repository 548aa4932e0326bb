// The page under a strict Content-Security-Policy: no inline scripts or
// styles, no eval, nothing from another origin. Every violation is a console
// error, and the harness collects them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, stateOverlap, traces, waitForRun } from './support/harness.mjs';

describe('a strict Content-Security-Policy', () => {
  const { server, browser } = browserSuite({ csp: true });

  test('the page starts its threads, runs, draws and hovers with no violation', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=sequential,free,processes&k=2&size=1000000&run=1`,
    );
    const policy = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    assert.match(policy, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
    await page.waitForSelector('#pool[data-pool="ready"]');
    await waitForRun(page);
    const [, free, processes] = await traces(page);
    assert.equal(free.metadata.mode, 'live');
    assert.ok(stateOverlap(free) > 0, 'free threads ran at once');
    assert.equal(processes.metadata.mode, 'live');
    // The tooltip and the memory bars are placed through the CSSOM.
    const box = await page.locator('#timeline').boundingBox();
    let shown = false;
    for (let y = 40; y < box.height && !shown; y += 6) {
      await page.mouse.move(box.x + box.width * 0.3, box.y + y);
      shown = (await page.$('#tooltip')) !== null;
    }
    assert.ok(shown, 'a span under the pointer shows its tooltip');
    const left = await page.evaluate(() => document.querySelector('#tooltip').style.left);
    assert.match(left, /px$/, 'placed through the CSSOM');
    await page.waitForSelector('#memory .memory-bar');
    const width = await page.evaluate(() => document.querySelector('#memory .memory-bar').style.width);
    assert.match(width, /%$/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
