#!/usr/bin/env bash
# wasm-bindgen-rayon 1.3.0's worker script calls the wasm-bindgen 0.2.130 init
# function with the old positional arguments, which logs a deprecation warning
# from each of the 16 workers. Pass the single object the glue asks for. Fails
# loudly if the upstream script changes, so the patch never silently rots.
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
if grep -qF "$new" "${files[0]}"; then exit 0; fi
if ! grep -qF "$old" "${files[0]}"; then
  echo "error: ${files[0]} no longer contains the init call this patch expects" >&2
  exit 1
fi
sed -i "s|$old|$new|" "${files[0]}"
