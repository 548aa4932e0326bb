// The example reveal.js deck (www/examples/, reveal.js vendored into
// dist/examples/vendor/reveal/ by tools/vendor-reveal.sh): its Lanes frames
// load only when their slide shows, run when the deck asks them to (the
// postMessage API of embed mode) and report back; live threads in an
// isolated deck, the fallback and its banner inside the frame in a deck
// that is not isolated. Screenshots of the deck at 960×540 and 1920×1080.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, open, screenshot } from './support/harness.mjs';

const DECK = 'examples/index.html';
/** The horizontal index of each Lanes slide in the deck. */
const SLIDE = { why: 1, process: 2, gil: 3, versus: 4, useCases: 5, isolation: 6 };

/** Opens the deck and waits until reveal.js is ready. */
async function openDeck(context, url) {
  const deck = await open(context, url);
  await deck.page.waitForSelector('html[data-deck="ready"]');
  return deck;
}

/** Shows slide `h` and returns its section's selector once it is the current one. */
async function goTo(page, h) {
  await page.evaluate((n) => window.Reveal.slide(n), h);
  await page.waitForFunction((n) => window.Reveal.getIndices().h === n, h);
  return 'section.present';
}

/** The Lanes frame of the slide on show, once reveal.js has loaded it. */
async function currentFrame(page) {
  const iframe = await page.waitForSelector('section.present iframe[src]');
  const frame = await iframe.contentFrame();
  await frame.waitForSelector('#run[data-run-state]');
  return frame;
}

/** Presses R (the deck's run key) and waits for the frame to report `done`. */
async function runFromDeck(page) {
  const output = 'section.present .lanes-state';
  // Embed mode: the frame says lanes:ready once it can take commands.
  await page.waitForSelector(`${output}[data-ready="true"]`, { timeout: 60_000 });
  await page.keyboard.press('r');
  // Embed mode: the frame reports lanes:state running, then done.
  await page.waitForSelector(`${output}[data-state="running"], ${output}[data-state="done"]`, { timeout: 30_000 });
  await page.waitForSelector(`${output}[data-state="done"]`, { timeout: 180_000 });
  return page.textContent(output);
}

const byModel = (all, model) => all.find((t) => t.metadata.model === model);
/** The URL parameters a frame's page has now (the page adds its scenario's own). */
const params = (frame) => Object.fromEntries(new URL(frame.url()).searchParams);

describe('the example deck, served cross-origin isolated', () => {
  const { server, browser } = browserSuite();

  test('frames load with their slide, run live threads when the deck says so, and report back', async () => {
    const { page, errors } = await openDeck(browser.context, `${server.url}${DECK}`);
    // Every state the frames report to the deck, as the deck receives them.
    await page.evaluate(() => {
      window.testStates = [];
      window.addEventListener('message', (e) => {
        if (e.data?.type === 'lanes:state') window.testStates.push(e.data.state);
      });
    });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the deck is isolated');
    assert.equal(await page.evaluate(() => window.Reveal.getConfig().width), 960);
    assert.equal(await page.evaluate(() => window.Reveal.getConfig().height), 540);
    const frames = page.locator('section.lanes iframe');
    assert.ok((await frames.count()) >= 4, 'at least four slides embed Lanes');
    for (const allow of await frames.evaluateAll((all) => all.map((f) => f.getAttribute('allow')))) {
      assert.equal(allow, 'cross-origin-isolated');
    }
    assert.equal(await page.locator('iframe[src]').count(), 0, 'no frame loads on the title slide');

    // Step 1, live: the deck's R key posts lanes:run to the slide's frame.
    await goTo(page, SLIDE.why);
    const frame = await currentFrame(page);
    assert.equal(params(frame).lesson, '1');
    assert.equal(params(frame).embed, '1');
    assert.equal(await page.locator('iframe[src]').count(), 1, 'only the slide on show has loaded its frame');
    assert.equal(await frame.evaluate(() => crossOriginIsolated), true, 'the frame is isolated');
    await frame.waitForSelector('#pool[data-pool="ready"]', { state: 'attached', timeout: 60_000 });
    assert.equal(await frame.isVisible('#pool'), false, 'no banner in an isolated frame');
    const said = await runFromDeck(page);
    assert.match(said, /done/);
    await frame.waitForSelector('#run[data-run-state="done"]');
    const live = await frame.evaluate(() => window.lanes.traces());
    const free = byModel(live, 'free');
    assert.ok(free, 'the lesson ran free threads');
    assert.equal(free.metadata.mode, 'live', 'free threads ran live');
    assert.equal(free.metadata.cross_origin_isolated, true);
    assert.equal(byModel(live, 'sequential').metadata.mode, 'live');

    // The 960×540 and 1920×1080 pictures of a slide after its run.
    await page.setViewportSize({ width: 960, height: 540 });
    await page.waitForTimeout(500);
    await screenshot(page, 'deck-960');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(500);
    await screenshot(page, 'deck-1920');
    await page.setViewportSize({ width: 1280, height: 720 });

    // reveal.js's own keys still move through the deck, even after a click
    // in the frame (its own Run button); the frame left behind is unloaded.
    const dones = () => page.evaluate(() => window.testStates.filter((s) => s === 'done').length);
    const donesBefore = await dones();
    await frame.click('#run-button');
    await page.waitForFunction((before) => window.testStates.filter((s) => s === 'done').length > before,
      donesBefore, { timeout: 120_000 });
    await page.waitForFunction(() => document.activeElement?.tagName !== 'IFRAME');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((n) => window.Reveal.getIndices().h === n, SLIDE.process);
    await page.waitForFunction(() => document.querySelectorAll('iframe[src]').length === 1);
    assert.match(await page.getAttribute('section.present iframe', 'src'), /lesson=2/);

    // Step 4 in lecture mode: simulated, the same picture every time.
    await goTo(page, SLIDE.gil);
    const sim = await currentFrame(page);
    assert.equal(params(sim).lesson, '4');
    assert.equal(params(sim).sim, '1');
    assert.equal(params(sim).seed, '1');
    await runFromDeck(page);
    const simulated = await sim.evaluate(() => window.lanes.traces());
    assert.ok(simulated.length >= 3, 'one thread, GIL threads, free threads');
    for (const t of simulated) {
      assert.equal(t.metadata.mode, 'simulated', `${t.metadata.model} simulated`);
      assert.equal(t.metadata.seed, 1);
    }

    // The isolation slide says this deck is isolated.
    await goTo(page, SLIDE.isolation);
    assert.equal(await page.getAttribute('#isolation-status', 'data-isolated'), 'true');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the example deck, served without COOP/COEP', () => {
  const { server, browser } = browserSuite({ isolated: false });

  test('still shows; each frame shows the fallback banner and runs, free threads simulated', async () => {
    const { page, errors } = await openDeck(browser.context, `${server.url}${DECK}`);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.ok(await page.isVisible('section.present h1'), 'the title slide shows');
    await goTo(page, SLIDE.why);
    const frame = await currentFrame(page);
    assert.equal(await frame.evaluate(() => crossOriginIsolated), false);
    await frame.waitForSelector('#pool[data-pool="unavailable"]', { timeout: 60_000 });
    const banner = await frame.textContent('#pool');
    assert.match(banner, /not cross-origin isolated/i);
    assert.match(banner, /free threads are simulated/);
    assert.ok(await frame.isVisible('#pool'), 'the banner shows inside the frame');
    await runFromDeck(page);
    await frame.waitForSelector('#run[data-run-state="done"]');
    const all = await frame.evaluate(() => window.lanes.traces());
    assert.equal(byModel(all, 'sequential').metadata.mode, 'live', 'one thread still runs live');
    assert.equal(byModel(all, 'free').metadata.mode, 'simulated', 'free threads are simulated');
    await screenshot(page, 'deck-not-isolated');
    await goTo(page, SLIDE.isolation);
    assert.equal(await page.getAttribute('#isolation-status', 'data-isolated'), 'false');
    assert.match(await page.textContent('#isolation-status'), /not cross-origin isolated/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
