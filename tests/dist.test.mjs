// The built folder (`make dist`) on a static host, the ways it can go: the
// host sends COOP/COEP (from the folder's _headers file); the host sends none
// but the page's service worker adds them (one reload, no loop); neither (a
// browser without service workers, or a host that refuses the script), and
// the page falls back. Each checks what runs live, the banner, and the
// page's console errors.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DIST, browserSuite, open, stateOverlap, traces, waitForRun } from './support/harness.mjs';

// Sequential, free threads and processes, k = 2, started as soon as the page can.
const RUN = '?model=sequential,free,processes&k=2&size=2000000&run=1';

/** How many service workers the page's origin has registered. */
function registrations(page) {
  return page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length);
}

/** The fallback: one banner that says so, sequential and processes live, free threads simulated. */
async function checkFallback(page) {
  assert.match(await page.textContent('#pool'), /not cross-origin isolated/);
  assert.equal(await page.locator('.banner').count(), 1, 'one banner, not several');
  await checkRuns(page, 'simulated');
}

/** Waits for the run and checks the models; `free` is 'live' or 'simulated'. */
async function checkRuns(page, free) {
  await waitForRun(page);
  const [seqTrace, freeTrace, processesTrace] = await traces(page);
  assert.equal(`${seqTrace.metadata.model}:${seqTrace.metadata.mode}`, 'sequential:live');
  assert.equal(`${freeTrace.metadata.model}:${freeTrace.metadata.mode}`, `free:${free}`);
  assert.equal(`${processesTrace.metadata.model}:${processesTrace.metadata.mode}`, 'processes:live');
  assert.equal(processesTrace.metadata.result, seqTrace.metadata.result, 'processes agree with the twin');
  assert.ok(stateOverlap(processesTrace) > 0, 'the two processes run at the same time');
  if (free === 'live') {
    assert.equal(freeTrace.metadata.result, seqTrace.metadata.result, 'free threads agree with the twin');
  }
  assert.ok(stateOverlap(freeTrace) > 0, 'the two free threads run at the same time');
}

describe('the built folder', () => {
  test('holds the _headers file with COOP/COEP and the service worker', () => {
    const headers = readFileSync(path.join(DIST, '_headers'), 'utf8');
    assert.match(headers, /^\/\*$/m);
    assert.match(headers, /^\s+Cross-Origin-Opener-Policy: same-origin$/m);
    assert.match(headers, /^\s+Cross-Origin-Embedder-Policy: require-corp$/m);
    // Any COEP page may load Lanes: a deck on another origin frames it (embed-origins.test.mjs).
    assert.match(headers, /^\s+Cross-Origin-Resource-Policy: cross-origin$/m);
    assert.match(headers, /^\s+X-Content-Type-Options: nosniff$/m);
    assert.doesNotMatch(headers, /^\s+(X-Frame-Options|Content-Security-Policy):/im, 'nothing restricts framing');
    assert.match(headers, /^\/\*\.wasm\n\s+Content-Type: application\/wasm$/m);
    assert.ok(existsSync(path.join(DIST, 'isolation-sw.js')), 'isolation-sw.js is there');
  });
});

describe('a host that sends the headers of _headers', () => {
  const { server, browser } = browserSuite();

  test('answers with them: COOP/COEP, CORP cross-origin, nosniff, revalidation, application/wasm', async () => {
    for (const file of ['', 'main.js', 'pkg/lanes.js', 'pkg/lanes_bg.wasm', 'isolation-sw.js']) {
      const response = await fetch(server.url + file, { method: 'HEAD' });
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin', file);
      assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp', file);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin', file);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', file);
      assert.equal(response.headers.get('cache-control'), 'no-cache', file);
    }
    const wasm = await fetch(`${server.url}pkg/lanes_bg.wasm`, { method: 'HEAD' });
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  });

  test('is isolated by the headers alone, with no reload, and free threads run live', async () => {
    const { page, errors, navigations } = await open(browser.context, server.url + RUN);
    await page.waitForSelector('#pool[data-pool="ready"]');
    // A fresh profile's first load: no service worker had a say in it.
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.match(await page.textContent('#pool'), /Cross-origin isolated: \d+ worker threads/);
    await checkRuns(page, 'live');
    // Registered once the page has started, for offline use only (offline.test.mjs).
    // It takes no page in the middle of its load (no clients.claim): the next load is its.
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, 'not taken mid-page');
    assert.equal(await registrations(page), 1, 'the service worker, for offline use');
    assert.equal(navigations(), 1, 'no reload');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('a host without headers that allows the service worker', () => {
  const { server, browser } = browserSuite({ isolated: false, serviceWorker: true });

  test('reloads once under the service worker, then is isolated and free threads run live', async () => {
    const { page, errors, navigations } = await open(browser.context, server.url + RUN);
    await page.waitForSelector('#pool[data-pool="ready"]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    assert.match(await page.textContent('#pool'), /Cross-origin isolated: \d+ worker threads/);
    await checkRuns(page, 'live');
    await page.waitForTimeout(500);
    assert.equal(navigations(), 2, 'the first load and one reload, no more');
    assert.equal(await registrations(page), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a second visit is isolated at once, without a reload', async () => {
    const { page, errors, navigations } = await open(browser.context, server.url);
    await page.waitForSelector('#pool[data-pool="ready"]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(navigations(), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('a host without headers, in a browser without service workers', () => {
  const { server, browser } = browserSuite({ isolated: false });

  test('shows the fallback banner once, runs sequential live and free threads simulated', async () => {
    const { page, errors, navigations } = await open(browser.context, server.url + RUN);
    await page.waitForSelector('#pool[data-pool="unavailable"]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.equal(await page.evaluate(() => 'serviceWorker' in navigator), false);
    await checkFallback(page);
    assert.equal(navigations(), 1, 'no reload');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('a host without headers that refuses the service worker script', () => {
  const { server, browser } = browserSuite({ isolated: false, serviceWorker: 'refused' });

  test('falls back without a reload; the browser logs the refused script once', async () => {
    const { page, errors, navigations } = await open(browser.context, server.url + RUN);
    await page.waitForSelector('#pool[data-pool="unavailable"]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    await checkFallback(page);
    assert.equal(await registrations(page), 0);
    assert.equal(navigations(), 1, 'no reload');
    // Chromium reports a failed registration itself, caught or not.
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^console: .*\(404\).*fetching the script/);
    await page.close();
  });
});
