// One way to drive each engine a class uses, for the cross-engine suite:
// Chromium through playwright-core, Firefox (Debian's firefox-esr) over
// WebDriver BiDi through puppeteer-core, WebKit (WebKitGTK's MiniBrowser)
// through WebKitWebDriver's W3C WebDriver, under Xvfb. Each gives the same
// small page interface, so a test is written once and runs in every engine:
//
//   const browser = await launchEngine('firefox');
//   const page = await browser.open(url);
//   await page.waitFor(() => document.querySelector('#run')?.dataset.runState === 'done');
//   const traces = await page.evaluate(() => window.lanes.traces());
//   page.errors()  // console errors and uncaught exceptions, in every engine
//
// Console errors: Chromium and Firefox report them through their drivers;
// WebDriver classic cannot, so every engine's pages are served with
// `--record-errors` (tools/serve.py), whose first script records
// console.error, uncaught errors and unhandled rejections in the page, and
// `errors()` reads both.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { ARTIFACTS, launch } from './harness.mjs';

/** The engines the cross-engine suite runs in: $LANES_ENGINES (comma-separated), or all three. */
export const ENGINES = (process.env.LANES_ENGINES ?? 'chromium,firefox,webkit')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';

/** Reads what the page's error recorder (serve.py --record-errors) holds. */
const RECORDED = () => (window.__lanesTestErrors ?? []).slice();

/**
 * Launches `engine` ('chromium', 'firefox' or 'webkit') with a fresh
 * profile. `open(url)` loads a page; `close()` ends the browser.
 */
export async function launchEngine(engine) {
  switch (engine) {
    case 'chromium': return launchChromium();
    case 'firefox': return launchFirefox();
    case 'webkit': return launchWebKit();
    default: throw new Error(`unknown engine ${engine}`);
  }
}

/** A page's shared half: polling, clicking and reading by selector, on top of `evaluate`. */
function withHelpers(page) {
  const driverErrors = page.driverErrors ?? [];
  return Object.assign(page, {
    /** Polls `fn(...args)` in the page until it is truthy; resolves to its value. */
    async waitFor(fn, { timeout = 120_000, args = [], what = String(fn) } = {}) {
      const until = Date.now() + timeout;
      for (;;) {
        const value = await page.evaluate(fn, ...args).catch((e) => {
          // A navigation in progress destroys the context: try again.
          if (/context|navigat|destroyed|detached|no such window|unload/i.test(String(e))) return undefined;
          throw e;
        });
        if (value) return value;
        if (Date.now() > until) throw new Error(`${page.engine}: timed out after ${timeout} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Waits for an element matching `selector`. */
    waitForSelector(selector, options = {}) {
      return page.waitFor((s) => !!document.querySelector(s), { ...options, args: [selector], what: selector });
    },
    /** Clicks the element matching `selector` (a DOM click: the same in every engine). */
    click(selector) {
      return page.evaluate((s) => {
        const el = document.querySelector(s);
        if (!el) throw new Error(`no element ${s}`);
        el.click();
      }, selector);
    },
    /** The text of the element matching `selector`, or null. */
    text(selector) {
      return page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
    },
    /** An attribute of the element matching `selector`, or null. */
    attr(selector, name) {
      return page.evaluate((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name);
    },
    /** Console errors and uncaught exceptions so far: the driver's and the page's recorder's. */
    async errors() {
      const recorded = await page.evaluate(RECORDED).catch(() => []);
      return [...new Set([...driverErrors, ...recorded])];
    },
    /** Saves a screenshot of the viewport under tests/artifacts/; resolves to its path. */
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name}.png`);
      writeFileSync(file, await page.png());
      return file;
    },
  });
}

/**
 * A page of playwright-core (Chromium) or puppeteer-core (Firefox): the two
 * drivers share the calls used here, and both report console errors.
 */
async function driverPage(engine, p, url) {
  const driverErrors = [];
  p.on('console', (m) => m.type() === 'error' && driverErrors.push(`console: ${m.text()}`));
  p.on('pageerror', (e) => driverErrors.push(`uncaught: ${e.message ?? e}`));
  await p.goto(url);
  return withHelpers({
    engine,
    driverErrors,
    raw: p,
    goto: (u) => p.goto(u),
    // An expression, evaluated by the driver (never the page's eval, which a CSP may forbid).
    evaluate: (fn, ...args) => p.evaluate(`(${String(fn)})(...${JSON.stringify(args)})`),
    png: () => p.screenshot({ fullPage: true }),
    url: () => p.url(),
    close: () => p.close(),
  });
}

/** Chromium as the other browser tests launch it (tests/support/harness.mjs). */
async function launchChromium() {
  const browser = await launch();
  return {
    engine: 'chromium',
    open: async (url) => driverPage('chromium', await browser.context.newPage(), url),
    close: () => browser.close(),
  };
}

async function launchFirefox() {
  const profile = mkdtempSync(path.join(tmpdir(), 'lanes-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 720 },
    extraPrefsFirefox: {
      // A closed network here: no update checks, telemetry or captive-portal probes.
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'toolkit.telemetry.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      // Sound may start without a click, as Chromium's --autoplay-policy flag allows it.
      'media.autoplay.default': 0,
      'media.autoplay.block-webaudio': false,
      'media.cubeb.force_mock_context': true,
    },
  });
  return {
    engine: 'firefox',
    open: async (url) => driverPage('firefox', await browser.newPage(), url),
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** WebKitWebDriver under xvfb-run, spoken to over W3C WebDriver (plain HTTP and JSON). */
async function launchWebKit() {
  const port = await freePort();
  const driver = spawn('xvfb-run', ['-a', WEBKIT_DRIVER, `--port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let driverLog = '';
  driver.stderr.on('data', (d) => { driverLog = (driverLog + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  async function call(method, route, body) {
    const r = await fetch(base + route, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    if (json.value && json.value.error) {
      throw new Error(`WebKitWebDriver ${route}: ${json.value.error}: ${json.value.message}`);
    }
    return json.value;
  }
  // The driver takes a moment to listen.
  for (let i = 0; ; i++) {
    try {
      await call('GET', '/status');
      break;
    } catch (e) {
      if (i > 100) throw new Error(`WebKitWebDriver did not start: ${e.message}\n${driverLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const session = await call('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
        timeouts: { script: 300_000, pageLoad: 120_000, implicit: 0 },
      },
    },
  });
  const s = `/session/${session.sessionId}`;
  await call('POST', `${s}/window/rect`, { width: 1280, height: 800 }).catch(() => {});
  let opened = false;
  return {
    engine: 'webkit',
    async open(url) {
      // One window a session: a second `open` reuses it, as a new tab would.
      if (opened) await call('POST', `${s}/url`, { url: 'about:blank' });
      opened = true;
      await call('POST', `${s}/url`, { url });
      return withHelpers({
        engine: 'webkit',
        goto: (u) => call('POST', `${s}/url`, { url: u }),
        async evaluate(fn, ...args) {
          const out = await call('POST', `${s}/execute/async`, {
            script: `const done = arguments[arguments.length - 1];
              Promise.resolve().then(() => (${String(fn)})(...arguments[0]))
                .then((v) => done({ ok: v === undefined ? null : v }),
                      (e) => done({ err: String(e && e.stack || e) }));`,
            args: [args],
          });
          if (out && 'err' in out) throw new Error(out.err);
          return out?.ok;
        },
        png: async () => Buffer.from(await call('GET', `${s}/screenshot`), 'base64'),
        url: () => call('GET', `${s}/url`),
        close: async () => {},
      });
    },
    async close() {
      await call('DELETE', s).catch(() => {});
      try {
        process.kill(-driver.pid);
      } catch {
        // already gone
      }
    },
  };
}
