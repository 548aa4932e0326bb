// Lanes' service worker. It does two things.
//
// 1. Cross-origin isolation on a static host that cannot send headers (GitHub
//    Pages, say): it passes every same-origin request through and adds to the
//    response the three headers the host would have sent. Everything Lanes
//    loads is same-origin, so `require-corp` is enough; other origins'
//    requests are left alone. CORP is `cross-origin`, as in _headers, so an
//    isolated deck on another origin may frame a page this worker serves.
//    main.js registers it when the page is not isolated and reloads the page
//    once it is in control (see README "Deploy the static build").
//
// 2. Offline: once the page has been loaded online, it loads and runs with no
//    network. main.js registers this worker on every host (isolated by real
//    headers or not) and, once the page has started, asks it to keep the
//    app shell (the `lanes:keep-offline` message). The file names carry no
//    content hash, so nothing is served from the cache while the network
//    answers: every same-origin GET goes to the network first (the browser's
//    HTTP cache revalidates it, `Cache-Control: no-cache`), a successful
//    answer replaces the cached copy, and the cached copy is used only when
//    the network fails (offline, or the server is down). A deploy is
//    therefore picked up by the next online load, and the page's request
//    for the shell once it has started brings the files it did not load
//    (process-worker.js, say) up to date with the ones it did, so the cache
//    never mixes an old lanes.js with a new lanes_bg.wasm for long. An HTTP
//    error (a 404, a 500) is passed on as it is, never replaced by a cached
//    copy. Responses are cached whole, headers included, so a cached page
//    keeps the host's Content-Security-Policy; the isolation headers are
//    added on the way out to cached and network responses alike.
//
//    Only the top page registers the worker and asks for the shell, never a
//    slide's iframe (see main.js); a frame on an origin that has the worker
//    already is served by it like any page in its scope.
//
// 3. Out of the way of a page the network serves. A page whose host sent
//    the isolation headers itself, loaded from the network, needs neither
//    of the above for its own files while it is open: this worker lets the
//    browser fetch them directly (no respondWith), so a process's script
//    and the modules load as fast as without a service worker. The page is
//    still kept for offline use, by the shell refresh it asks for once it
//    is idle (main.js). A navigation uses the navigation preload, so the
//    page's own request never waits for this worker to start.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

// One cache per deployment (scope): two Lanes under different paths of one
// origin share Cache Storage but not their files. Bump the version when the
// cache's layout changes; activation deletes older ones.
const CACHE_PREFIX = 'lanes-offline-';
const CACHE = `${CACHE_PREFIX}v1 ${self.registration.scope}`;

// What the page needs to start and run every model with no network (and the
// recorder it offers for download), relative to this script (which lies beside index.html). Scripts are read for their
// static relative imports, which are kept too: that finds the thread pool's
// worker script under pkg/snippets/, whose folder name changes with the
// wasm-bindgen-rayon version.
const SHELL = [
  './',
  'main.js',
  'style.css',
  'favicon.svg',
  'pkg/lanes.js',
  'pkg/lanes_bg.wasm',
  'pkg/lanes_worker_bg.wasm',
  'process-worker.js',
  'audio-worklet.js',
  'lanes_record.py',
];
const MAX_SHELL_FILES = 32;

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  // No clients.claim(): a page takes this worker at its next load, never in
  // the middle of one. Taken mid-page, Firefox failed now and then to load
  // a worker's script started around that moment (a processes run at once,
  // `run=1`). The isolation reload and offline use need no claim.
  event.waitUntil(Promise.all([dropOldCaches(), self.registration.navigationPreload?.enable()]));
});

// The pages (client ids) loaded from the network with the host's own
// isolation headers: their requests go straight to the network. Kept in
// this worker's memory only: a restarted worker serves them again, which
// is correct, only slower.
const direct = new Set();

self.addEventListener('fetch', (event) => {
  const { request } = event;
  // Chromium throws on an only-if-cached fetch that is not same-origin mode.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.mode !== 'navigate' && direct.has(event.clientId)) return;
  event.respondWith(respond(event));
});

self.addEventListener('message', (event) => {
  const { data } = event;
  if (data?.type === 'lanes:keep-offline') event.waitUntil(keepShell(Number(data.since) || Infinity));
});

/** Network first; the cached copy when the network fails; isolation headers either way. */
async function respond(event) {
  const { request } = event;
  let response;
  try {
    response = (request.mode === 'navigate' && (await event.preloadResponse)) || (await fetch(request));
  } catch (error) {
    const cached = await fromCache(request);
    if (!cached) throw error;
    return withIsolationHeaders(cached);
  }
  if (request.method === 'GET' && !request.headers.has('range') && keepable(request.url, response)) {
    event.waitUntil(store(cacheKey(request), response.clone()));
  }
  if (request.mode === 'navigate' && event.resultingClientId && isolatedByHost(response)) {
    direct.add(event.resultingClientId);
    event.waitUntil(forgetClosedPages());
  }
  return withIsolationHeaders(response);
}

/** Whether a response carries the isolation headers already (its host sends them). */
function isolatedByHost(response) {
  return Object.entries(ISOLATION_HEADERS).every(([name, value]) => response.headers.get(name) === value);
}

/** Drops the pages that are gone from `direct`. */
async function forgetClosedPages() {
  const open = new Set((await self.clients.matchAll({ includeUncontrolled: true })).map((c) => c.id));
  for (const id of direct) if (!open.has(id)) direct.delete(id);
}

function withIsolationHeaders(response) {
  // An opaque or error response has no headers to add to. One that has them
  // (a host that sends them) is passed on as it came: rebuilt, one now and
  // then failed to load as a worker's script in WebKit.
  if (response.status === 0 || isolatedByHost(response)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * The key a response is kept under: its URL, except that a page is kept once
 * whatever its query (`?lesson=4`, `?model=free&run=1` are all index.html).
 */
function cacheKey(request) {
  const url = new URL(request.url);
  url.hash = '';
  if (request.mode === 'navigate') url.search = '';
  return url.href;
}

async function fromCache(request) {
  if (request.method !== 'GET') return undefined;
  const cache = await caches.open(CACHE);
  const key = cacheKey(request);
  const cached = await cache.match(key);
  if (cached || request.mode !== 'navigate') return cached;
  // The page asked for as index.html rather than its folder.
  const url = new URL(key);
  if (!url.pathname.endsWith('/index.html')) return undefined;
  url.pathname = url.pathname.slice(0, -'index.html'.length);
  return cache.match(url.href);
}

/** Whether a response is one to keep: a whole, plain 200 from inside the scope. */
function keepable(url, response) {
  return (
    url.startsWith(self.registration.scope) &&
    response.status === 200 &&
    response.type === 'basic' &&
    !response.redirected &&
    !/\bno-store\b/i.test(response.headers.get('Cache-Control') ?? '')
  );
}

// When each key was last stored from a network response, in this worker's
// life (ms since the epoch): the shell refresh a page asks for once it has
// loaded need not fetch again what that load fetched through this worker.
const storedAt = new Map();

/** Keeps `response` under `key` unless the cached copy is the same version. */
async function store(key, response) {
  try {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(key);
    if (cached && sameVersion(cached, response)) {
      await response.body?.cancel();
    } else {
      await cache.put(key, response);
    }
    storedAt.set(key, Date.now());
  } catch {
    // A full or unavailable cache costs the offline copy, never the page.
  }
}

/** Whether two responses carry the same validators (so the same file). */
function sameVersion(a, b) {
  const etag = b.headers.get('ETag');
  if (etag) return etag === a.headers.get('ETag');
  const modified = b.headers.get('Last-Modified');
  const length = b.headers.get('Content-Length');
  return (
    modified !== null &&
    length !== null &&
    modified === a.headers.get('Last-Modified') &&
    length === a.headers.get('Content-Length')
  );
}

/**
 * Fetches the app shell afresh (revalidating: 304s when nothing changed) and
 * keeps it. The page asks once it has started, so this never delays the
 * worker's activation, the isolation reload or the page's own start, and it
 * catches what the page loaded before this worker controlled it (the first
 * visit) and what it has not loaded (process-worker.js before a processes
 * run). What was stored from the network since `since` (the asking page's
 * time origin, so during its own load) is current and not fetched again.
 * Best effort: a file that cannot be fetched is skipped.
 */
async function keepShell(since) {
  const cache = await caches.open(CACHE);
  const queue = SHELL.map((file) => new URL(file, self.location.href).href);
  const seen = new Set(queue);
  while (queue.length > 0) {
    const url = queue.shift();
    // Stored from the network during the page's load: the cached copy is
    // current, and only read for its imports.
    const fresh = (storedAt.get(url) ?? -Infinity) >= since;
    let response = fresh ? await cache.match(url) : undefined;
    const fetched = response === undefined;
    if (fetched) {
      try {
        response = await fetch(url, { cache: 'no-cache' });
      } catch {
        continue;
      }
      if (!keepable(url, response)) {
        await response.body?.cancel();
        continue;
      }
    }
    if (/\.m?js$/.test(new URL(url).pathname)) {
      for (const found of relativeImports(await response.clone().text(), url)) {
        if (seen.size >= MAX_SHELL_FILES || seen.has(found)) continue;
        seen.add(found);
        queue.push(found);
      }
    }
    if (fetched) await store(url, response);
    else await response.body?.cancel();
  }
}

/** The same-scope URLs a module's static (and literal dynamic) relative imports name. */
function relativeImports(source, base) {
  const found = [];
  for (const [, , specifier] of source.matchAll(/\b(?:from|import)\s*\(?\s*(['"])(\.{1,2}\/[^'"\s]+)\1/g)) {
    const url = new URL(specifier, base).href;
    if (url.startsWith(self.registration.scope)) found.push(url);
  }
  return found;
}

/** Deletes this scope's caches of older layouts. */
async function dropOldCaches() {
  const scope = ` ${self.registration.scope}`;
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX) && name.endsWith(scope) && name !== CACHE) await caches.delete(name);
  }
}
