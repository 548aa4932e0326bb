// The playground: a sweep over k with a progress bar, themes, the keyboard,
// and a phone-sized screen.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, screenshot, traces, waitForRun } from './support/harness.mjs';

describe('the playground', () => {
  const { server, browser } = browserSuite();

  test('a sweep over k = 1..16 shows its progress and feeds the speedup chart', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential,free&size=300000`);
    await page.waitForSelector('#pool[data-pool="ready"]');
    await page.click('#sweep-button');
    await page.waitForSelector('#sweep-progress');
    const label = await page.textContent('.sweep label');
    assert.match(label, /Sweep: run \d+ of 17/);
    await waitForRun(page, 'done', 180_000);
    const all = await traces(page);
    assert.equal(all.length, 17);
    assert.deepEqual(all.slice(1).map((t) => t.metadata.k), Array.from({ length: 16 }, (_, i) => i + 1));
    assert.equal(await page.locator('#sweep-progress').count(), 0, 'the bar goes when the sweep is done');
    // The timeline shows the baseline and the largest k; the table the same.
    assert.equal(await page.locator('#results tbody tr').count(), 2);
    await screenshot(page, 'playground-sweep');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('themes follow the menu and the URL; the timeline redraws dark', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
    await waitForRun(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.selectOption('#theme', 'dark');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    assert.match(page.url(), /theme=dark/);
    const [r, g, b] = (await background()).match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `a dark page: ${await background()}`);
    await screenshot(page, 'playground-dark');
    await page.selectOption('#theme', 'light');
    const [r2, g2, b2] = (await background()).match(/\d+/g).map(Number);
    assert.ok(r2 + g2 + b2 > 600, 'a light page');
    await page.selectOption('#theme', 'contrast');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'contrast');
    await page.reload();
    await page.waitForSelector('#pool[data-pool="ready"]');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'contrast', 'the theme is in the link');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('everything is reachable by keyboard, with a visible focus ring', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential,free&size=200000`);
    await page.waitForSelector('#pool[data-pool="ready"]');
    const reached = new Set();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return { id: el.id || el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      reached.add(focus.id);
      if (focus.id !== 'BODY') {
        assert.ok(focus.outline !== 'none' && focus.width >= 2, `a focus ring on ${focus.id}: ${JSON.stringify(focus)}`);
      }
    }
    for (const id of ['theme', 'model-free', 'k', 'sim', 'run-button', 'sweep-button']) {
      assert.ok(reached.has(id), `${id} is reachable by Tab (reached ${[...reached].join(', ')})`);
    }
    // Enter on Run runs.
    await page.focus('#run-button');
    await page.keyboard.press('Enter');
    await waitForRun(page);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a phone-sized screen: nothing wider than the screen, the table scrolls in its box', async () => {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 375, height: 667 });
    await page.goto(`${server.url}?lesson=4&run=1`);
    await waitForRun(page);
    const widths = await page.evaluate(() => ({ page: document.scrollingElement.scrollWidth, screen: innerWidth }));
    assert.ok(widths.page <= widths.screen + 1, `page ${widths.page}px on a ${widths.screen}px screen`);
    await screenshot(page, 'phone-lesson-4');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
