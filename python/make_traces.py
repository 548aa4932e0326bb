#!/usr/bin/env python3
"""Write the traces Lanes' browser tests open, into OUTDIR:

- two_threads.json, sleepers.json, pool.json, asyncio.json, lock_counter.json:
  lanes_record.py on python/tests/programs/*.py;
- viztracer.json: a real VizTracer trace (with C functions, so time.sleep is
  a slice of its own) of programs/mixed.py (two CPU-bound threads, four
  sleeping threads, a Pool(2));
- lesson4.json: `lanes_record.py --lesson 4 --size 200000`.

Run it with a Python that has viztracer installed (make python-traces uses
the test venv). `--data DIR` also writes the small copies the Rust import
tests read: viztracer_small.json and recorder_small.json (VizTracer and
lanes_record.py on programs/small_mix.py: two CPU-bound threads, four
sleeping threads, two multiprocessing.Process), recorder_lesson4.json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RECORDER = os.path.join(REPO, "www", "lanes_record.py")
PROGRAMS = os.path.join(HERE, "tests", "programs")

RECORDED = [
    ("two_threads.json", "two_threads.py", ["200000"]),
    ("sleepers.json", "sleepers.py", []),
    ("pool.json", "pool.py", ["300000"]),
    ("asyncio.json", "asyncio_sleeps.py", []),
    ("lock_counter.json", "lock_counter.py", []),
]


def record(out, program, args):
    subprocess.run([sys.executable, RECORDER, "-o", os.path.abspath(out), program] + args,
                   check=True, cwd=PROGRAMS)


def viztracer(out, program, below):
    exe = os.path.join(os.path.dirname(sys.executable), "viztracer")
    command = [exe] if os.path.exists(exe) else [sys.executable, "-m", "viztracer"]
    subprocess.run(command + ["--quiet", "-o", os.path.abspath(out), program, str(below)], check=True,
                   cwd=PROGRAMS)


def without_sources(path):
    """VizTracer embeds the traced files' source ("file_info"); the small
    copy drops it (the events stay as written)."""
    with open(path) as f:
        trace = json.load(f)
    trace.pop("file_info", None)
    with open(path, "w") as f:
        json.dump(trace, f)


def lesson4(out):
    subprocess.run([sys.executable, RECORDER, "--lesson", "4", "--size", "200000", "-o", out], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--data", help="also write the small copies for crates/trace/tests/data here")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for name, program, extra in RECORDED:
        record(os.path.join(args.outdir, name), program, extra)
    viztracer(os.path.join(args.outdir, "viztracer.json"), "mixed.py", 100_000)
    lesson4(os.path.join(args.outdir, "lesson4.json"))
    if args.data:
        os.makedirs(args.data, exist_ok=True)
        small = os.path.join(args.data, "viztracer_small.json")
        viztracer(small, "small_mix.py", 50_000)
        without_sources(small)
        record(os.path.join(args.data, "recorder_small.json"), "small_mix.py", ["50000"])
        shutil.copy(os.path.join(args.outdir, "lesson4.json"), os.path.join(args.data, "recorder_lesson4.json"))
    print("wrote the traces into %s" % args.outdir)


if __name__ == "__main__":
    main()
