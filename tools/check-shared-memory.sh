#!/usr/bin/env bash
# Fails unless the wasm module imports a shared memory: a threads build that
# silently lost its shared memory loads fine and then hangs (TOOLCHAIN.md).
set -euo pipefail
wasm="$1"
if ! node_modules/.bin/wasm-dis "$wasm" 2>/dev/null | grep -Eq '\(import "[^"]*" "memory" \(memory .* shared'; then
  echo "error: $wasm does not import a shared memory; check .cargo/config.toml's rustflags" >&2
  exit 1
fi
