#!/usr/bin/env python3
"""Serve a folder over HTTP with the headers Lanes needs, as a static host would.

The headers come from the folder's _headers file (the Netlify / Cloudflare
Pages format that `make dist` writes: a path pattern, then indented
`Name: value` lines; `*` matches anything), so the browser tests check the
file a host will read. Without one, every response gets the same headers it
sets: Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
require-corp, which make the page cross-origin isolated (shared memory, so
real threads), Cross-Origin-Resource-Policy: cross-origin (so a COEP page on
any origin, a slide deck say, may frame Lanes or load its files) and
Cache-Control: no-cache.

--no-isolation leaves out COOP and COEP, as a host that cannot set headers
does; the page's service worker (isolation-sw.js) may still isolate it.
--no-service-worker also answers 404 to service-worker script requests (those
a browser marks `Service-Worker: script`), as a host that refuses them: with
both, the page is not isolated at all and shows its fallback.

--record-errors is for the browser tests: every HTML page gets, as its first
script, a same-origin recorder of console.error calls, uncaught errors and
unhandled rejections (window.__lanesTestErrors), so a test can read them in
an engine whose driver cannot (WebDriver classic, in WebKit).
"""

import argparse
import functools
import http.server
import io
import os
import re
import sys
import urllib.parse

DEFAULT_RULES = [
    (
        re.compile(r"/.*"),
        [
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Embedder-Policy", "require-corp"),
            ("Cross-Origin-Resource-Policy", "cross-origin"),
            ("Cache-Control", "no-cache"),
        ],
    )
]
ISOLATION_HEADERS = {"cross-origin-opener-policy", "cross-origin-embedder-policy"}


def parse_headers_file(text):
    """Rules of a _headers file: [(compiled path pattern, [(name, value)])]."""
    rules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = re.escape(line.strip()).replace(r"\*", ".*")
            rules.append((re.compile(pattern), []))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            raise ValueError(f"_headers line {number}: expected a path or `Name: value`: {line!r}")
    return rules


def headers_for(rules, url_path):
    """The headers for one path: every matching rule's, a repeated name joined by commas."""
    merged = {}
    for pattern, headers in rules:
        if pattern.fullmatch(url_path):
            for name, value in headers:
                key = name.lower()
                merged[key] = (name, f"{merged[key][1]}, {value}" if key in merged else value)
    return list(merged.values())


# What --record-errors serves at RECORDER_PATH and puts first in every HTML page.
RECORDER_PATH = "/__lanes-test__/record-errors.js"
RECORDER = b"""// Added by tools/serve.py --record-errors (tests only): the page's errors.
(() => {
  const errors = (window.__lanesTestErrors = []);
  const text = (v) => (v && v.stack) || (v && v.message) || String(v);
  const original = console.error;
  console.error = function (...args) {
    errors.push('console: ' + args.map(text).join(' '));
    return original.apply(this, args);
  };
  addEventListener('error', (e) => {
    if (e.target && e.target !== window) {
      errors.push('failed to load: ' + (e.target.src || e.target.href || e.target.tagName));
    } else {
      errors.push('uncaught: ' + (e.message || text(e.error)));
    }
  }, true);
  addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + text(e.reason)));
})();
"""
RECORDER_TAG = f'<script src="{RECORDER_PATH}"></script>'.encode()


class Handler(http.server.SimpleHTTPRequestHandler):
    isolate = True
    csp = False
    service_worker = True
    record_errors = False
    rules = DEFAULT_RULES

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".css": "text/css",
    }

    def rule_headers(self):
        url_path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        headers = headers_for(self.rules, url_path)
        if not self.isolate:
            headers = [(n, v) for n, v in headers if n.lower() not in ISOLATION_HEADERS]
        return headers

    def send_head(self):
        url_path = urllib.parse.urlsplit(self.path).path
        if url_path.rstrip("/").endswith("/_headers"):
            self.send_error(404, "A host does not serve its _headers file")
            return None
        if not self.service_worker and self.headers.get("Service-Worker") == "script":
            self.send_error(404, "This server refuses service workers (--no-service-worker)")
            return None
        self._overrides = {n.lower() for n, _ in self.rule_headers()}
        if self.record_errors:
            body, content_type = self.recorded_body(url_path)
            if body is not None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
        return super().send_head()

    def recorded_body(self, url_path):
        """With --record-errors: the recorder itself, or an HTML page with it first in <head>."""
        if url_path == RECORDER_PATH:
            return RECORDER, "text/javascript"
        local = self.translate_path(url_path)
        if os.path.isdir(local):
            local = os.path.join(local, "index.html")
        if not local.endswith(".html") or not os.path.isfile(local):
            return None, None
        with open(local, "rb") as f:
            page = f.read()
        head = page.find(b"<head>")
        at = head + len(b"<head>") if head >= 0 else 0
        return page[:at] + RECORDER_TAG + page[at:], "text/html; charset=utf-8"

    def send_header(self, keyword, value):
        # A rule's header (a Content-Type, say) replaces the server's own.
        if keyword.lower() in getattr(self, "_overrides", ()):
            return
        super().send_header(keyword, value)

    def end_headers(self):
        for name, value in self.rule_headers():
            super().send_header(name, value)
        if self.csp:
            super().send_header("Content-Security-Policy", STRICT_CSP)
        self._overrides = set()
        super().end_headers()

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


# The policy the page must work under: nothing from other origins, no inline
# script or style, no eval; compiling WebAssembly is allowed.
STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", default="dist", help="folder to serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--no-isolation", action="store_true", help="omit COOP/COEP")
    parser.add_argument(
        "--no-service-worker", action="store_true", help="answer 404 to service-worker scripts"
    )
    parser.add_argument(
        "--csp", action="store_true", help="send a strict Content-Security-Policy on every response"
    )
    parser.add_argument(
        "--record-errors",
        action="store_true",
        help="put a recorder of console errors first in every HTML page (for tests)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args()

    headers_file = os.path.join(args.dir, "_headers")
    if os.path.isfile(headers_file):
        with open(headers_file, encoding="utf-8") as f:
            Handler.rules = parse_headers_file(f.read())
        source = headers_file
    else:
        source = "built-in headers"
    handler = functools.partial(Handler, directory=args.dir)
    Handler.isolate = not args.no_isolation
    Handler.service_worker = not args.no_service_worker
    Handler.csp = args.csp
    Handler.record_errors = args.record_errors
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        server.verbose = not args.quiet
        mode = "cross-origin isolated" if Handler.isolate else "NOT cross-origin isolated"
        if not Handler.service_worker:
            mode += ", service workers refused"
        print(
            f"Lanes: serving {args.dir} at http://{args.host}:{server.server_port}/ ({mode}; {source})",
            flush=True,
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
