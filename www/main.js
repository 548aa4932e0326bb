// Loads the Lanes wasm module. The module's start function mounts the page;
// the rayon worker threads import the same glue file and skip it.
//
// Shared memory (the thread pool) needs a cross-origin isolated page. Where
// the host sends COOP/COEP itself, that is all. Where it does not, the page
// registers isolation-sw.js, a service worker that adds those headers, and
// reloads once it is in control. Where that cannot work either (no service
// workers, not a secure context, a host that refuses the script, an iframe)
// the page starts without isolation and its banner says so.
//
// Offline: once the page has started and is quiet (no run in progress), a
// top-level page registers the same service worker on any host (never
// reloading for it) and asks it to keep the files the page needs, so the
// next load works with no network. Asked any earlier, the worker's fetching
// and storing would compete with the page's first run for the CPU.
import init from './pkg/lanes.js';

// Set just before the page reloads itself, so the load after it never does.
const RELOADED = 'lanes-isolation-reload';
// How long to wait for the service worker to be active before giving up.
const ACTIVATION_TIMEOUT_MS = 5000;
// The offline copy is refreshed this long after the page started, at the
// earliest, and once no run is in progress.
const QUIET_AFTER_MS = 2000;
const RUN_CHECK_MS = 500;

function fail(error) {
  const app = document.getElementById('app');
  const message = document.createElement('p');
  message.className = 'banner warn';
  message.setAttribute('role', 'alert');
  message.textContent =
    'Lanes could not start: ' + (error && error.message ? error.message : String(error)) +
    '. It needs a browser with WebAssembly threads (a recent Chrome, Edge or Firefox) and must be served over HTTP, not opened as a file.';
  app.replaceChildren(message);
}

/** Whether this load is the one a reload of ours started (and clears the mark). */
function takeReloadMark() {
  try {
    const marked = sessionStorage.getItem(RELOADED) !== null;
    sessionStorage.removeItem(RELOADED);
    return marked;
  } catch {
    return null; // no session storage: no way to guard a reload, so never reload
  }
}

let registration = null;

/**
 * Registers isolation-sw.js, once per load: a second caller gets the first
 * call's outcome, so a host that refuses the script is asked (and the
 * browser logs its refusal) once.
 */
function registerServiceWorker() {
  registration ??= navigator.serviceWorker.register(new URL('./isolation-sw.js', import.meta.url));
  return registration;
}

/**
 * Tries to make the page cross-origin isolated with the service worker.
 * Resolves true when the page is about to reload (do not start it), false
 * when it should start as it is.
 */
async function isolateWithServiceWorker() {
  const reloaded = takeReloadMark();
  if (window.crossOriginIsolated) return false;
  if (reloaded !== false) return false; // reloaded once already, or cannot tell
  if (!window.isSecureContext || !('serviceWorker' in navigator)) return false;
  if (window.top !== window) return false; // a frame cannot isolate its parent
  // This load already went through the service worker and is still not
  // isolated: the browser does not honour its headers, and a reload would not help.
  if (navigator.serviceWorker.controller) return false;
  try {
    await registerServiceWorker();
  } catch {
    return false; // the host refuses it (404, wrong type) or the browser does
  }
  const active = await Promise.race([
    navigator.serviceWorker.ready.then(() => true),
    new Promise((resolve) => setTimeout(resolve, ACTIVATION_TIMEOUT_MS, false)),
  ]);
  if (!active) return false;
  try {
    sessionStorage.setItem(RELOADED, '1');
  } catch {
    return false;
  }
  window.location.reload();
  return true;
}

/**
 * Asks the service worker to keep what the page needs for offline use,
 * registering it first where this load has not (a host that sends the
 * headers itself). Only the top page does: in a slide's iframe the worker
 * would also control the deck around it (same origin, inside its scope) and
 * add COOP/COEP to it on its next load. A frame whose origin has the worker
 * already (from a visit to the page itself) is served by it all the same.
 * Best effort and silent: the page works without it.
 */
async function keepForOffline() {
  if (window.top !== window) return;
  if (!window.isSecureContext || !('serviceWorker' in navigator)) return;
  await quiet();
  if (!navigator.serviceWorker.controller) await registerServiceWorker();
  const { active } = await navigator.serviceWorker.ready;
  // `since`: what the worker fetched from the network after this load began
  // is current already.
  active?.postMessage({ type: 'lanes:keep-offline', since: performance.timeOrigin });
}

/** Resolves once the page has been up a while, no run is in progress and the browser is idle. */
async function quiet() {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(QUIET_AFTER_MS);
  while (document.querySelector('#run')?.dataset.runState === 'running') await sleep(RUN_CHECK_MS);
  if ('requestIdleCallback' in window) await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
}

isolateWithServiceWorker()
  .catch(() => false)
  .then(async (reloading) => {
    if (reloading) return;
    await init();
    keepForOffline().catch(() => {});
  })
  .catch(fail);
