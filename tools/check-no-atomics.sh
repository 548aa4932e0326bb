#!/usr/bin/env bash
# A wasm32 build without atomics must stop with Lanes' own compile_error!, not
# build a page that hangs (STYLE.md rule 10). RUSTFLAGS overrides the threads
# flags of .cargo/config.toml; a separate target dir keeps the main build warm.
set -euo pipefail
out=$(RUSTFLAGS="-Cdebuginfo=0" cargo check -p lanes-runtime --target wasm32-unknown-unknown \
  --target-dir target/no-atomics 2>&1) && {
  echo "error: a wasm32 build without atomics succeeded; it must fail" >&2
  exit 1
}
if ! grep -q "lanes-runtime needs shared memory on wasm32" <<<"$out"; then
  echo "error: the wasm32 build without atomics failed, but not with Lanes' message:" >&2
  echo "$out" | tail -20 >&2
  exit 1
fi
echo "wasm32 without atomics: refused with a clear compile error, as it should be"
