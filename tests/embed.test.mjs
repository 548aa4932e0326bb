// Embed mode (embed=1): a scenario in a slide's iframe. No page chrome, no
// scrollbars at 16:9 sizes, large type on request, keyboard control.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, screenshot, traces, waitForRun } from './support/harness.mjs';

async function fits(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('.timeline canvas').getBoundingClientRect();
    const root = document.scrollingElement;
    return {
      scrollsX: root.scrollWidth > innerWidth + 1,
      scrollsY: root.scrollHeight > innerHeight + 1,
      canvasBottom: canvas.bottom,
      height: innerHeight,
    };
  });
}

describe('embed mode', () => {
  const { server, browser } = browserSuite();

  for (const [width, height] of [[960, 540], [1920, 1080]]) {
    test(`fills a ${width}×${height} frame without scrollbars and runs from the keyboard`, async () => {
      const { page, errors } = await open(browser.context, 'about:blank');
      await page.setViewportSize({ width, height });
      await page.goto(`${server.url}?lesson=4&embed=1&scale=${width > 1000 ? 1.5 : 1}`);
      await page.waitForSelector('#pool[data-pool="ready"]', { state: 'attached' });
      assert.equal(await page.locator('#controls').count(), 0, 'no page chrome');
      assert.equal(await page.locator('.masthead').count(), 0);
      assert.match(await page.textContent('.embed-title'), /Step 4 · The GIL/);
      await page.keyboard.press('Space');
      await waitForRun(page);
      const all = await traces(page);
      assert.deepEqual(all.map((t) => t.metadata.model), ['sequential', 'gil', 'free']);
      const box = await fits(page);
      assert.ok(!box.scrollsX && !box.scrollsY, `no scrollbars: ${JSON.stringify(box)}`);
      assert.ok(box.canvasBottom <= box.height, `the timeline fits: ${JSON.stringify(box)}`);
      await screenshot(page, `embed-${width}`);
      // r resets, → goes to the next step, the link leads to the full page.
      await page.keyboard.press('r');
      await waitForRun(page, 'idle');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => /Step 5/.test(document.querySelector('.embed-title').textContent));
      assert.match(page.url(), /lesson=5/);
      const full = await page.getAttribute('#open-full', 'href');
      assert.match(full, /lesson=5/);
      assert.doesNotMatch(full, /embed=1/);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  test('the type grows with the scale control and stays in the link', async () => {
    const { page, errors } = await open(browser.context, 'about:blank');
    await page.setViewportSize({ width: 960, height: 540 });
    await page.goto(`${server.url}?model=sequential,free&k=2&size=1000000&embed=1&run=1`);
    await waitForRun(page);
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.embed-bar')).fontSize));
    const before = await size();
    await page.click('#scale-up');
    await page.waitForFunction(() => /scale=1.2/.test(location.search));
    assert.ok((await size()) > before, 'larger type');
    const box = await fits(page);
    assert.ok(!box.scrollsX && !box.scrollsY, `still no scrollbars: ${JSON.stringify(box)}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
