#!/usr/bin/env python3
"""Fails when a pure crate depends on browser crates (STYLE.md rule 1).

The model crates (trace, model, workloads, sim, runtime, render) must build and test
natively, so they may not depend on web-sys, js-sys, wasm-bindgen, gloo or
yew: not directly on any target, and not even transitively on the host.

On wasm32 one transitive path is allowed: plotters itself measures text with
the browser's canvas there, so `render` reaches web-sys through plotters. That
is plotters' code, not ours; the direct-dependency check still holds for it.
"""

import subprocess
import sys

PURE = ["lanes-trace", "lanes-model", "lanes-sim", "lanes-workloads", "lanes-runtime", "lanes-render"]
FORBIDDEN = ("web-sys", "js-sys", "wasm-bindgen", "gloo", "yew")


def tree(crate, *extra):
    out = subprocess.run(
        ["cargo", "tree", "-p", crate, "-e", "normal,build", "--prefix", "none", "--format", "{p}", *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted({line.split()[0] for line in out.splitlines() if line.strip()})


def forbidden(names):
    return [n for n in names if n.startswith(FORBIDDEN)]


def main():
    failures = []
    for crate in PURE:
        host = forbidden(tree(crate))
        if host:
            failures.append(f"{crate} depends on {', '.join(host)} (host build)")
        direct = forbidden(tree(crate, "--depth", "1", "--target", "all"))
        if direct:
            failures.append(f"{crate} directly depends on {', '.join(direct)} (some target)")
    for f in failures:
        print(f"error: {f}", file=sys.stderr)
    if failures:
        print("The model crates must stay free of browser crates: see STYLE.md, rule 1.", file=sys.stderr)
        return 1
    print(f"pure crates free of {', '.join(FORBIDDEN)}: {', '.join(PURE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
