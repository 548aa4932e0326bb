// The page asks nothing of any other origin, and works offline once it has
// been loaded: every request the browser makes for it (the page, its workers,
// the thread pool's workers, the process workers and the service worker) is
// recorded and must be same-origin; after one online load the service worker
// (isolation-sw.js) holds the app shell, and with the network off, or the
// server gone, the page loads from it, is cross-origin isolated as it was, and
// runs free threads and processes live, under the strict CSP, with no console
// error. Both ways a host can isolate: real headers, and the service worker
// alone. And a deploy is picked up by the next online load, not kept stale.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DIST, launch, open, screenshot, serve, traces, waitForRun,
} from './support/harness.mjs';

// Sequential, free threads and processes, k = 2, started as soon as the page can.
const RUN = '?model=sequential,free,processes&k=2&size=1000000&run=1';
// The files the page needs to start and run every model, relative to the page.
const SHELL = ['', 'main.js', 'style.css', 'favicon.svg', 'pkg/lanes.js', 'pkg/lanes_bg.wasm', 'pkg/lanes_worker_bg.wasm', 'process-worker.js', 'lanes_record.py'];
const POOL_WORKER = /^pkg\/snippets\/[^/]+\/src\/workerHelpers[^/]*\.js$/;

/** Records every request of the context, the service worker's included. */
function recordRequests(context) {
  const seen = [];
  context.on('request', (r) => seen.push({ url: r.url(), sw: r.serviceWorker() !== null }));
  return seen;
}

/** Asserts that every recorded request went to `origin`, with none to data: or blob: either. */
function assertSameOrigin(requests, origin) {
  assert.ok(requests.length > 0, 'requests were recorded');
  const others = requests.filter((r) => new URL(r.url).origin !== origin);
  assert.deepEqual(others, [], `requests beyond ${origin}`);
}

/** The paths (relative to `base`) the service worker's cache for `base` holds. */
function cachedPaths(page, base) {
  return page.evaluate(async (scope) => {
    const names = (await caches.keys()).filter((n) => n.endsWith(` ${scope}`));
    const paths = [];
    for (const name of names) {
      for (const request of await (await caches.open(name)).keys()) paths.push(request.url.slice(scope.length));
    }
    return paths.sort();
  }, base);
}

/**
 * Waits until a service worker is active for `page` and its cache holds the
 * whole shell. It need not control the page: it takes none mid-load (no
 * clients.claim), only the next load.
 */
async function waitUntilKept(page, base) {
  const deadline = Date.now() + 60_000;
  let paths = [];
  for (;;) {
    const controlled = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active != null);
    paths = await cachedPaths(page, base);
    const missing = SHELL.filter((p) => !paths.includes(p));
    if (controlled && missing.length === 0 && paths.some((p) => POOL_WORKER.test(p))) return paths;
    if (Date.now() > deadline) {
      assert.fail(`not kept for offline use (active: ${controlled}; cached: ${paths.join(', ')})`);
    }
    await page.waitForTimeout(250);
  }
}

/** What a cached file's body holds, read from the page's origin. */
function cachedText(page, url) {
  return page.evaluate(async (u) => (await caches.match(u))?.text(), url);
}

/** Checks a finished batch of RUN: every model ran live and got the sequential twin's answer. */
async function checkLiveRuns(page) {
  await waitForRun(page);
  const [seq, free, processes] = await traces(page);
  assert.equal(`${seq.metadata.model}:${seq.metadata.mode}`, 'sequential:live');
  assert.equal(`${free.metadata.model}:${free.metadata.mode}`, 'free:live');
  assert.equal(`${processes.metadata.model}:${processes.metadata.mode}`, 'processes:live');
  assert.equal(free.metadata.result, seq.metadata.result, 'free threads agree with the twin');
  assert.equal(processes.metadata.result, seq.metadata.result, 'processes agree with the twin');
}

/** The strict policy, on a response the service worker served from its cache. */
function assertCspFromCache(response) {
  assert.ok(response.fromServiceWorker(), 'the service worker answered');
  assert.match(
    response.headers()['content-security-policy'] ?? '',
    /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/,
  );
}

describe('requests', () => {
  let server;
  let browser;
  before(async () => {
    server = await serve({ csp: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('go to the page\'s own origin only: the page, its workers, the service worker, the tour and embed mode', async () => {
    const requests = recordRequests(browser.context);
    const origin = new URL(server.url).origin;
    const { page, errors } = await open(browser.context, server.url + RUN);
    await page.waitForSelector('#pool[data-pool="ready"]');
    await checkLiveRuns(page);
    await waitUntilKept(page, server.url);
    // A second load, under the service worker, whose requests it makes itself.
    await page.goto(`${server.url}?model=gil,processes&k=2&size=200000&run=1`);
    await waitForRun(page);
    await page.goto(`${server.url}?lesson=1`);
    await page.waitForSelector('#tour[data-lesson="1"]');
    await page.goto(`${server.url}?lesson=4&embed=1&sim=1&run=1`);
    await waitForRun(page);
    await page.waitForTimeout(500);
    const paths = requests.map((r) => r.url.slice(server.url.length).replace(/\?.*/, ''));
    // The recorder sees the workers' and the service worker's requests, too.
    assert.ok(paths.includes('process-worker.js'), 'a process worker was recorded');
    assert.ok(paths.filter((p) => POOL_WORKER.test(p)).length > 2, 'the pool\'s workers were recorded');
    assert.ok(requests.some((r) => r.sw), 'the service worker\'s own requests were recorded');
    assertSameOrigin(requests, origin);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

for (const [name, options] of [
  ['a host that sends the headers', {}],
  ['a host without headers, isolated by the service worker', { isolated: false, serviceWorker: true }],
]) {
  describe(`offline, on ${name}`, () => {
    let dir;
    let server;
    let browser;
    let requests;
    before(async () => {
      // A copy of the built folder, so a test can deploy a change to it.
      dir = mkdtempSync(path.join(tmpdir(), 'lanes-offline-'));
      cpSync(DIST, dir, { recursive: true });
      server = await serve({ ...options, csp: true, dir });
      browser = await launch();
      requests = recordRequests(browser.context);
    });
    after(async () => {
      await browser?.close();
      server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('after one online load, the page loads and runs with the network off', async () => {
      const { page, errors, navigations } = await open(browser.context, server.url + RUN);
      await page.waitForSelector('#pool[data-pool="ready"]');
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await checkLiveRuns(page);
      const kept = await waitUntilKept(page, server.url);
      assert.ok(kept.every((p) => !p.includes('?')), `one copy of the page, whatever its query: ${kept}`);
      const loads = navigations();

      await browser.context.setOffline(true);
      assert.equal(await page.evaluate(() => navigator.onLine), false);
      // Another scenario than the one loaded online: the page is kept once.
      const response = await page.goto(`${server.url}?model=sequential,free,processes&k=2&size=2000000&run=1`);
      assertCspFromCache(response);
      await page.waitForSelector('#pool[data-pool="ready"]');
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'isolated offline too');
      assert.match(await page.textContent('#pool'), /Cross-origin isolated: \d+ worker threads/);
      await checkLiveRuns(page);
      await page.waitForTimeout(500);
      assert.equal(navigations(), loads + 1, 'one load, no reload');
      await screenshot(page, `offline-${options.isolated === false ? 'service-worker' : 'headers'}`);
      assert.deepEqual(errors, []);
      await browser.context.setOffline(false);
      await page.close();
    });

    test('a deploy is picked up by the next online load, and kept for offline use', async () => {
      const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
      await waitForRun(page);
      await waitUntilKept(page, server.url);
      // A new build: a style sheet the page loads, and the process worker it has not loaded.
      appendFileSync(path.join(dir, 'style.css'), '\n/* deploy 2 */\n');
      appendFileSync(path.join(dir, 'process-worker.js'), '\n// deploy 2\n');
      await page.reload();
      await waitForRun(page);
      for (const file of ['style.css', 'process-worker.js']) {
        const deadline = Date.now() + 30_000;
        while (!/deploy 2/.test((await cachedText(page, server.url + file)) ?? '') && Date.now() < deadline) {
          await page.waitForTimeout(250);
        }
        assert.equal(await cachedText(page, server.url + file), readFileSync(path.join(dir, file), 'utf8'), file);
      }
      await browser.context.setOffline(true);
      await page.reload();
      await page.waitForSelector('#pool[data-pool="ready"]');
      const sheet = await page.evaluate(async () => (await fetch('style.css')).text());
      assert.match(sheet, /deploy 2/, 'offline, the new style sheet');
      assert.deepEqual(errors, []);
      await browser.context.setOffline(false);
      await page.close();
    });

    test('with the server gone, the page still loads and runs', async () => {
      const { page, errors } = await open(browser.context, `${server.url}?model=sequential&size=200000&run=1`);
      await waitForRun(page);
      await waitUntilKept(page, server.url);
      server.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await assert.rejects(fetch(server.url), 'the server is down');
      const response = await page.goto(server.url + RUN);
      assertCspFromCache(response);
      await page.waitForSelector('#pool[data-pool="ready"]');
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await checkLiveRuns(page);
      assert.deepEqual(errors, []);
      assertSameOrigin(requests, new URL(server.url).origin);
      await page.close();
    });
  });
}
