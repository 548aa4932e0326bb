#!/usr/bin/env bash
# Runs each cargo-fuzz target in fuzz/ for SECONDS and reports, per target,
# one line: "fuzz NAME: N executions in T s, C crashes".
#
#   tools/fuzz.sh SECONDS [TARGET...]
#
# Installs cargo-fuzz if it is missing (from crates.io), builds every target
# once with the nightly pinned in rust-toolchain.toml (libFuzzer needs a
# nightly for its sanitizer flags), then runs the targets one after another,
# each on one core. Exits 1 if any target crashed (a panic, a timeout or
# running out of memory) and prints the input that did it and the command
# that replays it; exits 2 if the fuzzer could not be built or run.
# libFuzzer stops a target at its first crash, so each count is 0 or 1.
#
# The checked-in seeds (fuzz/corpus/NAME) are copied into a working corpus
# under the target directory, which keeps what earlier runs found, so the
# checked-in corpus does not grow with every run. The build, the working
# corpus, crash inputs and logs all go to $CARGO_TARGET_DIR when it is set,
# fuzz/target otherwise.
set -euo pipefail

usage() {
    echo "usage: tools/fuzz.sh SECONDS [TARGET...]  (SECONDS: a whole number, at least 1)" >&2
    exit 2
}

[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -ge 1 ]] || usage
seconds=$1
shift

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$repo/rust-toolchain.toml")
if [[ -z $toolchain ]]; then
    echo "fuzz: no channel in $repo/rust-toolchain.toml" >&2
    exit 2
fi

# A relative CARGO_TARGET_DIR means relative to where the script was called.
if [[ -n ${CARGO_TARGET_DIR:-} ]]; then
    [[ $CARGO_TARGET_DIR == /* ]] || CARGO_TARGET_DIR=$PWD/$CARGO_TARGET_DIR
    export CARGO_TARGET_DIR
    target_dir=$CARGO_TARGET_DIR
    reproduce_env="CARGO_TARGET_DIR=$CARGO_TARGET_DIR "
else
    target_dir=$repo/fuzz/target
    reproduce_env=
fi
work=$target_dir/fuzz-run

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=()
    for file in "$repo"/fuzz/fuzz_targets/*.rs; do
        name=$(basename "$file" .rs)
        targets+=("$name")
    done
fi
for name in "${targets[@]}"; do
    if [[ ! -f $repo/fuzz/fuzz_targets/$name.rs ]]; then
        echo "fuzz: no target $name (fuzz/fuzz_targets/$name.rs)" >&2
        exit 2
    fi
done

cd "$repo"
# Inside the repo, rustup installs the pinned toolchain if it is missing.
cargo --version >/dev/null
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz" >&2
    cargo +"$toolchain" install cargo-fuzz --locked
fi
if ! cargo +"$toolchain" fuzz build; then
    echo "fuzz: the fuzz targets did not build" >&2
    exit 2
fi

# The value after "prefix" on the last line of FILE that starts with it.
last_after() {
    sed -n "s/^$2//p" "$1" | tail -n 1
}

crashed=0
for name in "${targets[@]}"; do
    corpus=$work/corpus/$name
    artifacts=$work/artifacts/$name
    log=$work/$name.log
    mkdir -p "$corpus" "$artifacts"
    cp -R "fuzz/corpus/$name/." "$corpus/"
    options=(
        -max_total_time="$seconds"
        -print_final_stats=1
        -artifact_prefix="$artifacts/"
        # An input that takes seconds is a bug: the page would hang on it.
        -timeout=10
        -rss_limit_mb=2048
    )
    if [[ -f fuzz/dict/$name.dict ]]; then
        options+=(-dict="fuzz/dict/$name.dict")
    fi
    started=$SECONDS
    status=0
    cargo +"$toolchain" fuzz run "$name" "$corpus" -- "${options[@]}" >"$log" 2>&1 || status=$?
    elapsed=$((SECONDS - started))

    executions=$(last_after "$log" 'stat::number_of_executed_units: *')
    ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    crash=$(last_after "$log" '.*Test unit written to ')
    if [[ -z $executions ]]; then
        # No final stats: take the last progress line ("#1234 ...").
        executions=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    fi
    if [[ -n $crash ]]; then
        crashes="1 crash"
    else
        crashes="0 crashes"
    fi
    echo "fuzz $name: ${executions:-0} executions in ${ran:-$elapsed} s, $crashes"

    if [[ -n $crash ]]; then
        crashed=1
        echo "  what happened:"
        # A panic's message, or libFuzzer's and the sanitizer's report.
        awk '/panicked at/ { on = 1 } /stack backtrace|^note: / { on = 0 }
             on && shown < 8 { print "    " $0; shown++ }
             /ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|ALARM/ && !panic { print "    " $0 }
             /panicked at/ { panic = 1 }' "$log"
        # libFuzzer names the input after what happened: crash-, timeout-, oom-, leak-.
        echo "  input:     $crash ($(basename "$crash" | sed 's/-.*//'))"
        echo "  reproduce: cd $repo && ${reproduce_env}cargo +$toolchain fuzz run $name $crash"
        echo "  log:       $log"
    elif [[ $status -ne 0 ]]; then
        echo "fuzz: $name stopped with status $status and no crash input; see $log" >&2
        tail -n 20 "$log" >&2
        exit 2
    fi
done
exit "$crashed"
