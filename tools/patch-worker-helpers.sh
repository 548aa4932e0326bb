#!/usr/bin/env bash
# Two patches to wasm-bindgen-rayon 1.3.0's worker script, each failing loudly
# if the upstream text changes, so they never silently rot:
# 1. It calls the wasm-bindgen 0.2.130 init function with the old positional
#    arguments, which logs a deprecation warning from each of the 16 workers:
#    pass the single object the glue asks for.
# 2. It starts each worker from a blob: copy of itself (for scripts on a CDN),
#    which a strict Content-Security-Policy (worker-src falling back to
#    script-src 'self') refuses: start it from its own same-origin URL.
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
