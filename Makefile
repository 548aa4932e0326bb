# Lanes — two commands matter: `make serve` and `make test`. Each installs
# what is missing first, and is quick the second time.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := serve

PORT ?= 8080
TOOLCHAIN := $(shell sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
WASM_BINDGEN_VERSION := 0.2.130
WASM_TARGET := wasm32-unknown-unknown
BUILD_STD := -Z build-std=panic_abort,std
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
WASM_OUT := $(CARGO_TARGET_DIR)/$(WASM_TARGET)/release/lanes_app.wasm
WORKER_WASM_OUT := $(CARGO_TARGET_DIR)/$(WASM_TARGET)/release/lanes_worker.wasm
WASM_FEATURES := --enable-threads --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue
# The built folder; `make build DIST=/tmp/lanes-dist` builds elsewhere (the
# browser tests serve $(LANES_DIST), set from it).
DIST ?= dist
export LANES_DIST := $(abspath $(DIST))
NPM_STAMP := node_modules/.installed
CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMEDRIVER

.PHONY: serve build dist test bench soak fuzz fuzz-short setup setup-rust setup-wasm-bindgen setup-npm setup-browser \
        fmt clippy unit deps wasm-test e2e clean python-test python-traces setup-python

## serve: build the release page and serve it with COOP/COEP at http://127.0.0.1:$(PORT)
serve: build
	python3 tools/serve.py --dir $(DIST) --port $(PORT)

## build: the static page in $(DIST)/ (release wasm, threads build, optimised;
## _headers and the service worker come with www/)
build: setup
	cargo build -p lanes-app -p lanes-worker --release --target $(WASM_TARGET) $(BUILD_STD)
	rm -rf $(DIST).tmp && mkdir -p $(DIST).tmp/pkg
	wasm-bindgen --target web --no-typescript --out-name lanes --out-dir $(DIST).tmp/pkg $(WASM_OUT)
	wasm-bindgen --target no-modules --no-typescript --out-name lanes_worker --out-dir $(DIST).tmp/pkg \
	  $(WORKER_WASM_OUT)
	tools/patch-worker-helpers.sh $(DIST).tmp/pkg
	for wasm in $(DIST).tmp/pkg/lanes_bg.wasm $(DIST).tmp/pkg/lanes_worker_bg.wasm; do \
	  node_modules/.bin/wasm-opt -O3 $(WASM_FEATURES) $$wasm -o $$wasm; \
	  tools/check-shared-memory.sh $$wasm; \
	done
	cp index.html $(DIST).tmp/
	cp -r www/. $(DIST).tmp/
	# A worker fetches one classic script: the worker module's glue, then its handler.
	cat $(DIST).tmp/pkg/lanes_worker.js www/process-worker.js > $(DIST).tmp/process-worker.js
	rm $(DIST).tmp/pkg/lanes_worker.js
	tools/vendor-reveal.sh $(DIST).tmp
	rm -rf $(DIST) && mv $(DIST).tmp $(DIST)
	@echo "Built $(DIST)/ ($$(du -sh $(DIST) | cut -f1)); page wasm $$(stat -c %s $(DIST)/pkg/lanes_bg.wasm) bytes, worker wasm $$(stat -c %s $(DIST)/pkg/lanes_worker_bg.wasm) bytes"

## dist: the folder to deploy to a static host (what `build` writes: the page,
## _headers, the service worker), with each file's size raw and gzipped
dist: build
	@printf '%-82s %9s %8s\n' file bytes gzip
	@cd $(DIST) && find . -type f | sort | while read -r f; do \
	  printf '%-82s %9d %8d\n' "$${f#./}" "$$(stat -c %s "$$f")" "$$(gzip -9 -c "$$f" | wc -c)"; \
	done

## test: everything CI checks — lint, native tests, a short fuzz, wasm tests,
## browser end-to-end (a 20-run soak included)
test: setup setup-browser fmt clippy unit deps fuzz-short wasm-test build e2e python-test
	@echo "make test: all checks passed"

## bench: figures, not pass/fail — wasm vs native, speedup against k, and
## per engine (Chromium, Firefox, WebKit): single thread, free threads, a process;
## the lean page per engine: first-load wasm, navigation to Run enabled (first
## and return visit), a cold process's start-up, the longest main-thread task;
## the audio lesson: underruns per model and buffer size (Chromium, Firefox);
## real Python: each tour step in Lanes beside CPython, the recorder's overhead,
## CPython's process start-up by start method
bench: setup setup-browser build
	cargo run -q --release -p lanes-bench -- --json target/bench-native.json
	cargo run -q --release -p lanes-render --example redraw > target/bench-render.json
	node tests/bench.mjs
	node tests/bench-engines.mjs
	node tests/bench-lean.mjs
	node tests/bench-audio.mjs
	node tests/bench-python.mjs
	python3 python/start_costs.py

## soak: 200 runs across every model in one page: wasm memory, heap and JS
## heap growth after the first ten, worker counts, console (make test runs 20)
soak: setup setup-browser build
	SOAK_RUNS=200 node --test tests/soak.test.mjs

## fuzz: each cargo-fuzz target (trace import, URL parser) for FUZZ_SECONDS
## (300) — executions and crashes per target; installs cargo-fuzz if missing
FUZZ_SECONDS ?= 300
fuzz: setup-rust
	tools/fuzz.sh $(FUZZ_SECONDS)

# The short run make test does: 20 s a target.
fuzz-short: setup-rust
	tools/fuzz.sh 20

setup: setup-rust setup-wasm-bindgen setup-npm

# The pinned nightly with rust-src and the wasm32 target (RUSTUP_AUTO_INSTALL
# may be 0, so install it explicitly; `rustup toolchain install` reads
# rust-toolchain.toml and is a no-op when everything is there).
setup-rust:
	@if ! rustup run $(TOOLCHAIN) rustc --version >/dev/null 2>&1 \
	   || ! rustup component list --toolchain $(TOOLCHAIN) --installed | grep -q '^rust-src' \
	   || ! rustup target list --toolchain $(TOOLCHAIN) --installed | grep -q '^$(WASM_TARGET)$$' \
	   || ! rustup component list --toolchain $(TOOLCHAIN) --installed | grep -q '^clippy' \
	   || ! rustup component list --toolchain $(TOOLCHAIN) --installed | grep -q '^rustfmt'; then \
	  echo "Installing Rust $(TOOLCHAIN) with rust-src, clippy, rustfmt and $(WASM_TARGET)"; \
	  rustup toolchain install; \
	fi

# wasm-bindgen-cli must equal the wasm-bindgen crate's version exactly.
setup-wasm-bindgen:
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about two minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup-npm: $(NPM_STAMP)

# The three engines the cross-engine suite drives, from Debian's packages:
# Chromium with ChromeDriver, Firefox ESR (over WebDriver BiDi), and WebKitGTK's
# WebKitWebDriver with its MiniBrowser under Xvfb.
BROWSER_PACKAGES := chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth
setup-browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/firefox-esr ] \
	   || [ ! -x /usr/bin/WebKitWebDriver ] || [ ! -x /usr/bin/xvfb-run ]; then \
	  echo "Installing the browsers from apt: $(BROWSER_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	fi

# The Python side: lanes_record.py's tests (pytest, on real programs) and the
# traces the browser tests open, from a venv of python/requirements-test.txt.
PY_VENV := $(CARGO_TARGET_DIR)/py-venv
# The real Python traces the browser tests open (`make python-traces`).
export LANES_PY_TRACES := $(CARGO_TARGET_DIR)/py-traces
PY_STAMP := $(PY_VENV)/.installed

$(PY_STAMP): python/requirements-test.txt
	@if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then \
	  echo "Installing python3-venv from apt"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	fi
	@if [ ! -x $(PY_VENV)/bin/python ]; then python3 -m venv $(PY_VENV); fi
	$(PY_VENV)/bin/pip install -q -r python/requirements-test.txt
	touch $@

setup-python: $(PY_STAMP)

## python-test: lanes_record.py on real programs (threads, sleeps, a pool,
## asyncio, a lock, bad input, the tour's steps), with pytest
python-test: setup-python
	$(PY_VENV)/bin/python -m pytest -q -p no:cacheprovider python/tests

## python-traces: the traces the browser tests open (lanes_record.py and a
## real VizTracer trace), into $(CARGO_TARGET_DIR)/py-traces
python-traces: setup-python
	$(PY_VENV)/bin/python python/make_traces.py $(LANES_PY_TRACES)

fmt:
	cargo fmt --all --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --lib --target $(WASM_TARGET) $(BUILD_STD) -- -D warnings
	cargo clippy -p lanes-web --tests --target $(WASM_TARGET) $(BUILD_STD) -- -D warnings

unit:
	cargo test --workspace

deps:
	python3 tools/check-pure-deps.py
	tools/check-no-atomics.sh

wasm-test:
	cd crates/web && cargo test --target $(WASM_TARGET) $(BUILD_STD) --tests

e2e: $(NPM_STAMP) python-traces
	node --test --test-concurrency=1 tests/*.test.mjs

clean:
	rm -rf $(DIST) $(DIST).tmp target/bench*.json tests/artifacts
