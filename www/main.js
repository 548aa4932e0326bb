// Loads the Lanes wasm module. The module's start function mounts the page;
// the rayon worker threads import the same glue file and skip it.
//
// Shared memory (the thread pool) needs a cross-origin isolated page. Where
// the host sends COOP/COEP itself, that is all. Where it does not, the page
// registers isolation-sw.js, a service worker that adds those headers, and
// reloads once it is in control. Where that cannot work either (no service
// workers, not a secure context, a host that refuses the script, an iframe)
// the page starts without isolation and its banner says so.
import init from './pkg/lanes.js';

// Set just before the page reloads itself, so the load after it never does.
const RELOADED = 'lanes-isolation-reload';
// How long to wait for the service worker to be active before giving up.
const ACTIVATION_TIMEOUT_MS = 5000;

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
    await navigator.serviceWorker.register(new URL('./isolation-sw.js', import.meta.url));
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

isolateWithServiceWorker()
  .catch(() => false)
  .then((reloading) => {
    if (!reloading) return init();
  })
  .catch(fail);
