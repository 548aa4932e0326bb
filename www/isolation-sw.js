// A service worker that makes the page cross-origin isolated on a static host
// that cannot send headers (GitHub Pages, say): it passes every same-origin
// request through and adds to the response the three headers the host would
// have sent. main.js registers it only when the page is not isolated already,
// and reloads the page once it is in control (see README "Deploy the static
// build"). Everything Lanes loads is same-origin, so `require-corp` is enough;
// other origins' requests are left alone.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  // Chromium throws on an only-if-cached fetch that is not same-origin mode.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(withIsolationHeaders(request));
});

async function withIsolationHeaders(request) {
  const response = await fetch(request);
  // An opaque or error response has no headers to add to.
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
