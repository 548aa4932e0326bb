// Shared harness for the browser tests and benchmarks: serves dist/ (or
// $LANES_DIST) with or without COOP/COEP, drives Debian's Chromium through
// playwright-core, and collects every console error and uncaught exception a
// page produces.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // An AudioContext may start without a click (the audio lesson's tests).
  '--autoplay-policy=no-user-gesture-required',
];

/** The built folder the tests serve: $LANES_DIST, or dist/ (`make build DIST=...` writes another). */
export const DIST = process.env.LANES_DIST ? path.resolve(process.env.LANES_DIST) : path.join(ROOT, 'dist');

/**
 * Serves the built folder on a free port, with the headers of its _headers
 * file. `isolated: false` omits COOP/COEP. `serviceWorker` says what happens
 * to the page's service worker (isolation-sw.js): `true`, it may register;
 * `'refused'`, the server answers 404 to it; `false` (the default when not
 * isolated), refused here and absent from the browser too (see `launch`), so
 * a page that is not isolated stays so, with no error logged.
 * `recordErrors` puts serve.py's error recorder first in every HTML page
 * (see tests/support/engines.mjs).
 */
export async function serve({
  isolated = true, serviceWorker = isolated, dir = DIST, csp = false, recordErrors = false,
} = {}) {
  const args = [path.join(ROOT, 'tools', 'serve.py'), '--dir', dir, '--port', '0', '--quiet'];
  if (csp) args.push('--csp');
  if (recordErrors) args.push('--record-errors');
  if (!isolated) args.push('--no-isolation');
  if (serviceWorker !== true) args.push('--no-service-worker');
  const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/at (http:\/\/[^/]+\/)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, close: () => child.kill() };
}

/**
 * Launches headless Chromium with a fresh profile; `serviceWorkers: false`
 * takes navigator.serviceWorker away from its pages, as in a browser with
 * service workers turned off.
 */
export async function launch({ serviceWorkers = true } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'lanes-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 720 },
  });
  if (!serviceWorkers) {
    await browser.addInitScript(() => {
      delete Navigator.prototype.serviceWorker;
    });
  }
  return {
    context: browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One server and one browser for a `describe` block: started before its
 * tests, closed after them. `server.url` and `browser.context` are there
 * once the tests run.
 */
export function browserSuite(options = {}) {
  const server = {};
  const browser = {};
  const { isolated = true, serviceWorker = isolated } = options;
  before(async () => {
    Object.assign(server, await serve(options));
    Object.assign(browser, await launch({ serviceWorkers: serviceWorker !== false }));
  });
  after(async () => {
    await browser.close?.();
    server.close?.();
  });
  return { server, browser };
}

/**
 * Opens `url` in a new page that records console errors and page errors;
 * `navigations()` counts the page's loads (the first one and any reload).
 */
export async function open(context, url) {
  const page = await context.newPage();
  const errors = [];
  let loads = 0;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('domcontentloaded', () => {
    loads += 1;
  });
  await page.goto(url);
  return { page, errors, navigations: () => loads };
}

/** Waits until the run element says `state` (default "done"). */
export async function waitForRun(page, state = 'done', timeout = 120_000) {
  await page.waitForSelector(`#run[data-run-state="${state}"]`, { timeout });
}

/** The finished runs, as window.lanes.traces() gives them. */
export function traces(page) {
  return page.evaluate(() => window.lanes.traces());
}

/** Saves a full-page screenshot under tests/artifacts/. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The complete (`X`) events of a Chrome trace, grouped by thread id. */
export function spansByLane(trace) {
  const lanes = new Map();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X') continue;
    if (!lanes.has(e.tid)) lanes.set(e.tid, []);
    lanes.get(e.tid).push({ start: e.ts, end: e.ts + e.dur, name: e.name, task: e.args?.task });
  }
  for (const spans of lanes.values()) spans.sort((a, b) => a.start - b.start);
  return lanes;
}

/** Names of the thread lanes, from the `M` thread_name events. */
export function laneNames(trace) {
  return trace.traceEvents
    .filter((e) => e.ph === 'M' && e.name === 'thread_name')
    .map((e) => e.args.name);
}

/** Total time (µs) during which spans of two different lanes (lists of spans) overlap. */
function pairwiseOverlap(lanes) {
  let total = 0;
  for (let i = 0; i < lanes.length; i++) {
    for (let j = i + 1; j < lanes.length; j++) {
      for (const a of lanes[i]) {
        for (const b of lanes[j]) {
          total += Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
        }
      }
    }
  }
  return total;
}

/** Total time (µs) during which spans on two different lanes both run. */
export function crossLaneOverlap(trace) {
  return pairwiseOverlap([...spansByLane(trace).values()]);
}

/** Whether any two spans of one lane overlap (a thread does one thing at a time). */
export function sameLaneOverlaps(trace) {
  for (const spans of spansByLane(trace).values()) {
    for (let i = 1; i < spans.length; i++) {
      if (spans[i].start < spans[i - 1].end) return true;
    }
  }
  return false;
}

/** Lane kinds by thread id, from the `M` thread_name events ("thread" when not said). */
export function laneKinds(trace) {
  const kinds = new Map();
  for (const e of trace.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') kinds.set(e.tid, e.args.kind ?? 'thread');
  }
  return kinds;
}

/**
 * Total time (µs) during which two different thread lanes are both in
 * `state` (default: running). GIL lanes are left out.
 */
export function stateOverlap(trace, state = 'running') {
  const kinds = laneKinds(trace);
  return pairwiseOverlap(
    [...spansByLane(trace).entries()]
      .filter(([tid]) => kinds.get(tid) !== 'gil')
      .map(([, spans]) => spans.filter((s) => s.name === state)),
  );
}

/** The holders of the GIL lane's spans, in time order (lane names). */
export function gilHolders(trace) {
  const kinds = laneKinds(trace);
  const gil = [...kinds.entries()].find(([, k]) => k === 'gil')?.[0];
  if (gil === undefined) return [];
  return (spansByLane(trace).get(gil) ?? []).map((s) => s.task);
}
