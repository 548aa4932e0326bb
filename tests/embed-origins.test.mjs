// Lanes embedded from another origin, as deployed: Lanes served with the
// headers of its _headers file on one origin (http://127.0.0.1:PORT1), a
// small slide deck on another (http://localhost:PORT2: another host and
// another port, so another origin and another site) that frames it with
// allow="cross-origin-isolated". An isolated deck (COOP/COEP) gets live
// threads in the frame; a plain deck gets the fallback, free threads
// simulated and labelled so. In Chromium and Firefox, one browser each.
//
// The deck hears the frame's state through Lanes' postMessage protocol
// (lanes:ready, lanes:state), the same in every engine; what only the frame
// knows (crossOriginIsolated, the pool, the traces, its recorded errors) is
// read through the driver's frame API.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchEngine } from './support/engines.mjs';
import { serve, stateOverlap } from './support/harness.mjs';

// Sequential and two free threads, small, started at once, in embed mode.
const SCENARIO = '?model=sequential,free&k=2&size=300000&run=1&embed=1';

/** The deck's script: keeps every message the Lanes frame posts, with its origin. */
const DECK_JS = `window.lanesMessages = [];
addEventListener('message', (e) => {
  const frame = document.getElementById('lanes');
  if (frame && e.source === frame.contentWindow) {
    window.lanesMessages.push({ origin: e.origin, data: e.data });
  }
});
`;

/**
 * A deck page with one Lanes frame, as the README tells teachers to write it
 * (`allow: false` leaves out the frame's allow="cross-origin-isolated").
 */
function deckHtml(lanesUrl, { allow = true } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A deck on another origin</title>
<link rel="icon" href="data:,">
<script src="deck.js"></script>
</head>
<body>
<iframe id="lanes" src="${lanesUrl}${SCENARIO}"${allow ? ' allow="cross-origin-isolated"' : ''}
        width="960" height="540" title="Lanes"></iframe>
</body>
</html>
`;
}

/** The same server on another origin: `localhost` for serve.py's 127.0.0.1. */
const onLocalhost = (url) => url.replace('//127.0.0.1:', '//localhost:');

/** The messages the deck has had from the frame. */
const messages = (deck) => deck.evaluate(() => window.lanesMessages);

/**
 * The Lanes frame as the driver sees it (playwright's Frame in Chromium,
 * puppeteer's in Firefox: both have url() and evaluate()), once it has its
 * run element. `evaluate(fn)` runs `fn` in the frame.
 */
async function lanesFrame(deck, lanesUrl) {
  const until = Date.now() + 60_000;
  for (;;) {
    const frame = deck.raw.frames().find((f) => f.url().startsWith(lanesUrl));
    if (frame) {
      const evaluate = (fn) => frame.evaluate(`(${String(fn)})()`);
      const ready = await evaluate(() => !!document.querySelector('#run[data-run-state]')).catch(() => false);
      if (ready) return { url: () => frame.url(), evaluate };
    }
    if (Date.now() > until) throw new Error(`${deck.engine}: no Lanes frame at ${lanesUrl}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the frame has told the deck its run is done; checks what the
 * deck heard: lanes:ready, then states ending in done, from Lanes' origin.
 */
async function doneFromDeck(deck, lanesOrigin) {
  // A frame the deck's COEP blocks (a Lanes without CORP cross-origin) never
  // loads, so never says anything: fail early, and say so.
  await deck.waitFor(() => (window.lanesMessages ?? []).length > 0, {
    what: 'the Lanes frame to load and post to the deck (a frame blocked by COEP never does)',
    timeout: 60_000,
  });
  await deck.waitFor(
    () => (window.lanesMessages ?? []).some((m) => m.data?.type === 'lanes:state' && m.data.state === 'done'),
    { what: 'lanes:state done posted to the deck', timeout: 180_000 },
  );
  const heard = await messages(deck);
  for (const m of heard) assert.equal(m.origin, lanesOrigin, 'every message comes from Lanes\' origin');
  const types = heard.map((m) => m.data.type);
  assert.ok(types.includes('lanes:ready'), `lanes:ready posted: ${JSON.stringify(types)}`);
  const done = heard.find((m) => m.data.type === 'lanes:state' && m.data.state === 'done');
  assert.equal(done.data.runs, 2, 'the batch: the sequential twin and free threads');
}

/** What the frame reports about itself once its run is done. */
function frameFacts(frame) {
  return frame.evaluate(() => ({
    isolated: window.crossOriginIsolated,
    pool: document.querySelector('#pool')?.dataset.pool ?? null,
    poolText: document.querySelector('#pool')?.textContent ?? '',
    runState: document.querySelector('#run')?.dataset.runState ?? null,
    inFrame: window.top !== window,
    recorder: Array.isArray(window.__lanesTestErrors),
    errors: (window.__lanesTestErrors ?? []).slice(),
    traces: window.lanes.traces(),
  }));
}

/**
 * Checks, once the deck heard its frame finish, what the frame ran: `live`
 * (isolated, the pool ready, free threads live and overlapping) or
 * `fallback` (not isolated, no pool, free threads simulated and labelled
 * so); and that neither the deck nor the frame logged an error.
 */
async function checkFrame(deck, lanesUrl, expected) {
  await doneFromDeck(deck, new URL(lanesUrl).origin);
  const frame = await lanesFrame(deck, lanesUrl);
  const facts = await frameFacts(frame);
  assert.equal(facts.inFrame, true);
  assert.equal(facts.runState, 'done');
  const [seq, free] = facts.traces;
  assert.equal(`${seq.metadata.model}:${seq.metadata.mode}`, 'sequential:live');
  if (expected === 'live') {
    assert.equal(facts.isolated, true, 'the cross-origin frame is isolated');
    assert.equal(facts.pool, 'ready', facts.poolText);
    assert.equal(`${free.metadata.model}:${free.metadata.mode}`, 'free:live');
    assert.equal(free.metadata.cross_origin_isolated, true);
    assert.equal(free.metadata.result, seq.metadata.result, 'free threads agree with the twin');
    assert.ok(stateOverlap(free) > 0, 'the two free threads ran at the same time');
  } else {
    assert.equal(facts.isolated, false, 'the frame is not isolated');
    assert.equal(facts.pool, 'unavailable', facts.poolText);
    assert.match(facts.poolText, /not cross-origin isolated/i);
    assert.equal(`${free.metadata.model}:${free.metadata.mode}`, 'free:simulated', 'free threads simulated, and labelled so');
    assert.equal(free.metadata.cross_origin_isolated, false);
  }
  assert.equal(facts.recorder, true, "the frame has serve.py's error recorder");
  assert.deepEqual(facts.errors, [], 'no errors in the frame');
  assert.deepEqual(await deck.errors(), [], 'no errors in the deck');
}

describe('Lanes on another origin than the deck', () => {
  const lanes = {};
  const isolatedDeck = {};
  const plainDeck = {};
  let deckDir;

  before(async () => {
    // Lanes as deployed: the built folder with its own _headers.
    Object.assign(lanes, await serve({ recordErrors: true }));
    deckDir = mkdtempSync(path.join(tmpdir(), 'lanes-deck-'));
    writeFileSync(path.join(deckDir, 'index.html'), deckHtml(lanes.url));
    writeFileSync(path.join(deckDir, 'no-allow.html'), deckHtml(lanes.url, { allow: false }));
    writeFileSync(path.join(deckDir, 'deck.js'), DECK_JS);
    // The deck folder has no _headers: serve.py's built-in headers, the same
    // COOP/COEP as Lanes' (isolated), or none of them (plain, and no service
    // worker to add them).
    Object.assign(isolatedDeck, await serve({ dir: deckDir, isolated: true, serviceWorker: false, recordErrors: true }));
    Object.assign(plainDeck, await serve({ dir: deckDir, isolated: false, serviceWorker: false, recordErrors: true }));
    isolatedDeck.url = onLocalhost(isolatedDeck.url);
    plainDeck.url = onLocalhost(plainDeck.url);
  });

  after(() => {
    lanes.close?.();
    isolatedDeck.close?.();
    plainDeck.close?.();
    if (deckDir) rmSync(deckDir, { recursive: true, force: true });
  });

  test('the deck and Lanes are different origins and different sites', () => {
    const lanesUrl = new URL(lanes.url);
    for (const deck of [isolatedDeck, plainDeck]) {
      const deckUrl = new URL(deck.url);
      assert.notEqual(deckUrl.origin, lanesUrl.origin);
      assert.notEqual(deckUrl.hostname, lanesUrl.hostname, 'another host: another site, not just another port');
    }
  });

  test('Lanes answers with headers that let any COEP page frame it, and keeps its own isolation', async () => {
    for (const file of ['', '?lesson=4&embed=1', 'main.js', 'pkg/lanes.js', 'pkg/lanes_bg.wasm', 'process-worker.js', 'isolation-sw.js']) {
      const response = await fetch(lanes.url + file, { method: 'HEAD' });
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin', file);
      assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin', file);
      assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp', file);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', file);
      assert.equal(response.headers.get('cache-control'), 'no-cache', file);
      assert.equal(response.headers.get('x-frame-options'), null, `${file}: no X-Frame-Options`);
      assert.equal(response.headers.get('content-security-policy'), null, `${file}: no CSP unless asked`);
    }
  });

  test('the strict CSP mode does not forbid framing either', async () => {
    const strict = await serve({ csp: true });
    try {
      const response = await fetch(strict.url, { method: 'HEAD' });
      const policy = response.headers.get('content-security-policy');
      assert.match(policy, /default-src 'self'/);
      assert.doesNotMatch(policy, /frame-ancestors/, 'default-src does not cover frame-ancestors, and it is not set');
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
      assert.equal(response.headers.get('x-frame-options'), null);
    } finally {
      strict.close();
    }
  });

  for (const engine of ['chromium', 'firefox']) {
    describe(engine, () => {
      let browser;
      before(async () => {
        browser = await launchEngine(engine);
      });
      after(async () => {
        await browser?.close();
      });

      test('an isolated deck on another origin runs Lanes with live threads', async () => {
        const deck = await browser.open(isolatedDeck.url);
        assert.equal(await deck.evaluate(() => window.crossOriginIsolated), true, 'the deck is isolated');
        await checkFrame(deck, lanes.url, 'live');
        await deck.close();
      });

      test('a plain deck on another origin runs Lanes with its fallback', async () => {
        const deck = await browser.open(plainDeck.url);
        assert.equal(await deck.evaluate(() => window.crossOriginIsolated), false, 'the deck is not isolated');
        await checkFrame(deck, lanes.url, 'fallback');
        await deck.close();
      });

      // Chromium gates a cross-origin frame's isolation on the
      // cross-origin-isolated permission, whose default allowlist is the
      // deck's own origin: without allow="cross-origin-isolated" the frame
      // is not isolated and shows the fallback. Firefox (ESR 153) does not
      // implement that permission (no document.featurePolicy, the attribute
      // is ignored): every frame of an isolated page that itself sends COEP
      // is isolated, so the frame runs live threads all the same. The
      // README asks for the attribute, which both engines accept.
      test('an isolated deck whose frame lacks allow="cross-origin-isolated"', async () => {
        const deck = await browser.open(`${isolatedDeck.url}no-allow.html`);
        assert.equal(await deck.evaluate(() => window.crossOriginIsolated), true, 'the deck is isolated');
        await checkFrame(deck, lanes.url, engine === 'firefox' ? 'live' : 'fallback');
        await deck.close();
      });
    });
  }
});
