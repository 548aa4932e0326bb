#!/usr/bin/env bash
# Two patches to wasm-bindgen-rayon 1.3.0's worker script, each failing loudly
# if the upstream text changes, so they never silently rot:
# 1. It calls the wasm-bindgen 0.2.130 init function with the old positional
#    arguments, which logs a deprecation warning from each of the 16 workers:
#    pass the single object the glue asks for.
# 2. It starts each worker from a blob: copy of itself (for scripts on a CDN),
#    which a strict Content-Security-Policy (worker-src falling back to
#    script-src 'self') refuses: start it from its own same-origin URL.
# 3. A thread whose wasm traps dies silently inside an async callback (an
#    unhandled rejection in the worker, no error event on the page): catch
#    it in the worker, post {type: 'lanes_thread_died', message}, and have
#    the page's side dispatch a `lanes-pool-thread-died` event on window
#    (detail: the message), which the page reports (crates/web/src/pool.rs).
set -euo pipefail
pkg="$1"
shopt -s nullglob
files=("$pkg"/snippets/wasm-bindgen-rayon-*/src/workerHelpers.no-bundler.js)
if [ ${#files[@]} -ne 1 ]; then
  echo "error: expected one wasm-bindgen-rayon worker script under $pkg/snippets, found ${#files[@]}" >&2
  exit 1
fi
old='await pkg.default(data.module, data.memory);'
new='await pkg.default({ module_or_path: data.module, memory: data.memory });'
file="${files[0]}"
if ! grep -qF "$new" "$file"; then
  if ! grep -qF "$old" "$file"; then
    echo "error: $file no longer contains the init call this patch expects" >&2
    exit 1
  fi
  sed -i "s|$old|$new|" "$file"
fi

python3 - "$file" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
blob = """      let scriptBlob = await fetch(import.meta.url).then(r => r.blob());
      let url = URL.createObjectURL(scriptBlob);
      const worker = new Worker(url, {"""
direct = """      const worker = new Worker(new URL(import.meta.url), {"""
revoke = """      URL.revokeObjectURL(url);
"""
if direct in text and blob not in text:
    sys.exit(0)
if blob not in text or revoke not in text:
    sys.exit(f"error: {path} no longer starts its workers from a blob: URL as this patch expects")
text = text.replace(blob, direct).replace(revoke, "")
open(path, "w").write(text)
PY

python3 - "$file" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
start = """  pkg.wbg_rayon_start_worker(data.receiver);
});"""
caught = """  try {
    pkg.wbg_rayon_start_worker(data.receiver);
  } catch (error) {
    postMessage({ type: 'lanes_thread_died', message: String(error && error.message || error) });
  }
});"""
spawned = """      worker.postMessage(workerInit);
      await waitForMsgType(worker, 'wasm_bindgen_worker_ready');"""
reported = """      worker.addEventListener('message', ({ data }) => {
        if (data && data.type === 'lanes_thread_died') {
          dispatchEvent(new CustomEvent('lanes-pool-thread-died', { detail: data.message }));
        }
      });
      worker.postMessage(workerInit);
      await waitForMsgType(worker, 'wasm_bindgen_worker_ready');"""
if caught in text and reported in text:
    sys.exit(0)
if start not in text or spawned not in text:
    sys.exit(f"error: {path} no longer starts and spawns its workers as this patch expects")
text = text.replace(start, caught).replace(spawned, reported)
open(path, "w").write(text)
PY
