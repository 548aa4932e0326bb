"""`make bench`: what lanes_record.py costs a program, traced against
untraced, each timed alone (best of three), on the course's prime counting:

- a program: python/tests/programs/two_threads.py (two CPU-bound threads
  counting primes, functions of its own traced), run as
  `python3 prog.py N` and as `python3 lanes_record.py -o t.json prog.py N`;
- a tour step: `--lesson 4` (sequential, then 4 threads) against the same
  scenarios run by lanes_record's own code without recording.

Prints figures as `name=value` lines (read by tests/bench-python.mjs) with a
sentence each. Never fails on a slow result."""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RECORDER = os.path.join(os.path.dirname(HERE), "www", "lanes_record.py")
PROGRAM = os.path.join(HERE, "tests", "programs", "two_threads.py")
REPS = 3
# Two threads by plain trial division below 200 000 take a few seconds;
# step 4's 6k±1 division below 1 000 000 about one.
PROGRAM_SIZE = os.environ.get("LANES_PY_OVERHEAD_PROGRAM_SIZE", "200000")
SIZE = os.environ.get("LANES_PY_OVERHEAD_SIZE", "1000000")


def best(command):
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return min(times)


def lesson_runs(size, traced, out):
    """Step 4's runs' summed time (s), recorded or not."""
    if traced:
        subprocess.run([sys.executable, RECORDER, "--lesson", "4", "--size", size, "-o", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            runs = json.load(f)["metadata"]["runs"]
        return sum(r["end_us"] - r["start_us"] for r in runs) / 1e6
    script = (
        "import sys, time, json\nsys.path.insert(0, %r)\nimport lanes_record as L\n"
        "plan, _ = L.lesson_plan(4, None, %s)\nout = []\n"
        "for run in plan:\n    t0 = time.perf_counter()\n    L.run_scenario(run)\n"
        "    out.append(time.perf_counter() - t0)\nprint(json.dumps(out))\n"
    ) % (os.path.dirname(RECORDER), size)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return sum(json.loads(done.stdout))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "t.json")
        untraced = best([sys.executable, PROGRAM, PROGRAM_SIZE])
        traced = best([sys.executable, RECORDER, "-o", out, PROGRAM, PROGRAM_SIZE])
        print("Recorder overhead, two CPU-bound threads counting primes below %s: "
              "%.2f s traced against %.2f s untraced (whole process, start-up and writing included)"
              % (PROGRAM_SIZE, traced, untraced))
        print("recorder_overhead_program=%.3f" % (traced / untraced))
        untraced = min(lesson_runs(SIZE, False, out) for _ in range(REPS))
        traced = min(lesson_runs(SIZE, True, out) for _ in range(REPS))
        print("Recorder overhead, tour step 4 (sequential, then 4 threads) below %s: "
              "%.2f s traced against %.2f s untraced (the runs themselves)" % (SIZE, traced, untraced))
        print("recorder_overhead_lesson4=%.3f" % (traced / untraced))


if __name__ == "__main__":
    main()
