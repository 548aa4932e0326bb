"""lanes_record.py on real programs, checked against what is known to be
true of them: two CPU-bound threads under the GIL take turns, sleeping
threads wait side by side, two processes run side by side on two cores, a
lock makes threads queue, and the tour's scenarios count the known number of
primes. Timing bounds are generous: the machine is shared and noisy."""
import json
import os
import signal
import statistics
import subprocess
import sys
import time

import pytest

import traces as T

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
RECORDER = os.path.join(os.path.dirname(os.path.dirname(HERE)), "www", "lanes_record.py")
PRIMES_BELOW_200000 = 17984


def record(tmp_path, program, *args, options=(), name="trace.json", timeout=120):
    """Run the recorder on programs/<program>; (trace, completed process)."""
    out = tmp_path / name
    done = subprocess.run(
        [sys.executable, RECORDER, "-o", str(out), *options, os.path.join(PROGRAMS, program), *args],
        capture_output=True, text=True, timeout=timeout, cwd=str(tmp_path),
    )
    trace = T.load(str(out)) if out.exists() else None
    return trace, done


def lesson(tmp_path, n, *options, timeout=180):
    out = tmp_path / ("lesson%d.json" % n)
    done = subprocess.run([sys.executable, RECORDER, "--lesson", str(n), "-o", str(out), *options],
                          capture_output=True, text=True, timeout=timeout, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    return T.load(str(out)), done


def life(slices):
    return slices[-1][2] - slices[0][1]


def check_well_formed(trace):
    """The format's promises: metadata fields, non-overlapping state slices
    per lane, properly nested call slices per lane."""
    meta = trace["metadata"]
    for field in ("source", "recorder_version", "python", "implementation", "gil", "switch_interval_us",
                  "cores", "platform", "gil_evidence", "clock", "program", "argv"):
        assert field in meta, field
    assert meta["source"] == "lanes_record" and meta["gil_evidence"] == "measured"
    assert meta["gil"] in ("enabled", "disabled")
    states = {"running", "gil_wait", "io_wait", "lock_wait", "startup", "copy_in", "copy_out", "idle", "awaiting"}
    for lane in T.lanes(trace):
        slices = T.states(trace, lane)
        assert all(s in states for s, _, _ in slices)
        for (_, _, b), (_, c, _) in zip(slices, slices[1:]):
            assert c >= b - 0.2, (lane, b, c)  # rounding to 0.1 µs
        calls = sorted(((e["ts"], -(e["ts"] + e["dur"]), e["ts"] + e["dur"]) for e in T.calls(trace, lane)))
        open_ends = []
        for start, _, end in calls:
            while open_ends and open_ends[-1] <= start + 0.2:
                open_ends.pop()
            if open_ends:
                assert end <= open_ends[-1] + 0.2, (lane, start, end, open_ends[-1])
            open_ends.append(end)


def test_two_cpu_bound_threads_take_turns_under_the_gil(tmp_path):
    trace, done = record(tmp_path, "two_threads.py", "260000")
    assert done.returncode == 0, done.stderr
    check_well_formed(trace)
    if trace["metadata"]["gil"] != "enabled" or trace["metadata"]["clock"] != "schedstat":
        pytest.skip("needs a GIL and Linux schedstat")
    workers = T.lane_named(trace, "cpu-")
    assert len(workers) == 2
    running = []
    for lane in workers:
        slices = T.states(trace, lane)
        share = T.total(T.states(trace, lane, "gil_wait")) / life(slices)
        assert 0.35 <= share <= 0.65, (lane, share)
        running.append(T.states(trace, lane, "running"))
    span = max(r[-1][2] for r in running) - min(r[0][1] for r in running)
    assert T.overlap(*running) <= 0.05 * span
    stretch = statistics.median(b - a for r in running for _, a, b in r)
    interval = trace["metadata"]["switch_interval_us"]
    assert interval / 5 <= stretch <= interval * 5, (stretch, interval)
    assert [e["name"] for e in T.calls(trace, workers[0], "python")] == ["count_primes", "work"]


def test_four_sleeping_threads_wait_side_by_side(tmp_path):
    trace, done = record(tmp_path, "sleepers.py")
    assert done.returncode == 0, done.stderr
    check_well_formed(trace)
    sleepers = T.lane_named(trace, "sleeper-")
    assert len(sleepers) == 4
    waits = [T.states(trace, lane, "io_wait") for lane in sleepers]
    for lane, wait in zip(sleepers, waits):
        assert 45_000 <= T.total(wait) <= 200_000
        sleeps = [e for e in T.calls(trace, lane, "python.block") if e["name"] == "time.sleep"]
        assert len(sleeps) == 1
        during = [("s", sleeps[0]["ts"], sleeps[0]["ts"] + sleeps[0]["dur"])]
        assert T.overlap(T.states(trace, lane, "running"), during) == 0
        assert T.total(T.states(trace, lane, "running")) < 10_000
    for i in range(4):
        for j in range(i + 1, 4):
            assert T.overlap(waits[i], waits[j]) >= 25_000


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_pool_of_two_runs_two_processes_side_by_side(tmp_path, method):
    trace, done = record(tmp_path, "pool.py", "300000", method)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "25997"
    check_well_formed(trace)
    workers = sorted(k for k, v in T.lanes(trace).items() if v["kind"] == "process")
    assert len(workers) == 2
    assert len({pid for pid, _ in workers}) == 2
    names = [T.lanes(trace)[w]["name"] for w in workers]
    assert all("PoolWorker" in n for n in names), names
    running = [T.states(trace, w, "running") for w in workers]
    assert all(T.total(r) > 50_000 for r in running)
    if (os.cpu_count() or 1) >= 2:
        assert T.overlap(*running) >= 0.1 * min(T.total(r) for r in running)
    for w in workers:
        assert T.states(trace, w)[0][0] == "startup"
        assert sorted(e["name"] for e in T.calls(trace, w, "python")) == ["count_primes", "count_range"]


def test_a_process_pool_executor_is_two_process_lanes(tmp_path):
    trace, done = record(tmp_path, "futures.py", "100000")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "9592"
    check_well_formed(trace)
    workers = [k for k, v in T.lanes(trace).items() if v["kind"] == "process"]
    assert len(workers) == 2
    assert sum(len(T.calls(trace, w, "python")) for w in workers) == 2


def test_asyncio_gather_of_sleeps_waits_in_the_loops_select(tmp_path):
    trace, done = record(tmp_path, "asyncio_sleeps.py")
    assert done.returncode == 0, done.stderr
    check_well_formed(trace)
    lanes = T.lanes(trace)
    assert len(lanes) == 1
    (main,) = lanes
    selects = [e for e in T.calls(trace, main, "python.block") if e["name"].startswith("selectors.")]
    assert selects and max(e["dur"] for e in selects) >= 40_000
    assert 40_000 <= T.total(T.states(trace, main, "io_wait")) <= 500_000


def test_a_contended_lock_shows_lock_waits(tmp_path):
    trace, done = record(tmp_path, "lock_counter.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "100"
    check_well_formed(trace)
    adders = T.lane_named(trace, "adder-")
    waits = [T.states(trace, lane, "lock_wait") for lane in adders]
    assert sum(1 for w in waits if w) >= 2
    acquires = [e for lane in adders for e in T.calls(trace, lane, "python.block")
                if e["name"] == "threading.Lock.acquire"]
    assert len(acquires) >= 3


def test_a_script_that_raises_still_leaves_its_trace(tmp_path):
    trace, done = record(tmp_path, "raises.py")
    assert done.returncode == 1
    assert "ValueError: boom" in done.stderr and "Traceback" in done.stderr
    assert trace["metadata"]["exit"] == "exit status 1 (ValueError: boom)"
    check_well_formed(trace)


def test_os_exit_still_leaves_its_trace(tmp_path):
    trace, done = record(tmp_path, "exits.py")
    assert done.returncode == 3
    assert trace["metadata"]["exit"] == "os._exit(3)"
    (main,) = T.lanes(trace)
    assert [e["name"] for e in T.calls(trace, main, "python.block")] == ["time.sleep"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_killed_program_leaves_what_was_recorded(tmp_path, sig):
    out = tmp_path / "trace.json"
    proc = subprocess.Popen([sys.executable, RECORDER, "-o", str(out), os.path.join(PROGRAMS, "forever.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.0)
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    assert proc.returncode == -sig
    trace = T.load(str(out))
    assert trace["metadata"]["exit"] == "killed by %s" % signal.Signals(sig).name
    assert len(T.lanes(trace)) == 2
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".lanes_record")]


def test_max_seconds_stops_a_program_that_runs_on(tmp_path):
    start = time.monotonic()
    trace, done = record(tmp_path, "forever.py", options=["--max-seconds", "1"])
    assert time.monotonic() - start < 20
    assert done.returncode == 124
    assert trace["metadata"]["exit"] == "stopped after 1 s (--max-seconds)"


@pytest.mark.parametrize("program", ["forks.py", "forks_returning.py"])
def test_a_bare_os_fork_child_is_a_lane_of_its_own(tmp_path, program):
    trace, done = record(tmp_path, program)
    assert done.returncode == 0, done.stderr
    check_well_formed(trace)
    processes = {v["process"] for v in T.lanes(trace).values()}
    assert "MainProcess" in processes
    children = [p for p in processes if p.startswith("os.fork child")]
    assert len(children) == 1
    assert len(list(tmp_path.glob("*.json"))) == 1  # the child wrote no trace of its own


def test_a_missing_script_is_a_clear_message(tmp_path):
    done = subprocess.run([sys.executable, RECORDER, "no_such_program.py"], capture_output=True, text=True,
                          cwd=str(tmp_path))
    assert done.returncode == 2
    assert "no such program: no_such_program.py" in done.stderr
    assert not list(tmp_path.iterdir())


def test_the_event_cap_stops_call_slices_with_a_warning(tmp_path):
    trace, done = record(tmp_path, "many_calls.py", options=["--max-events", "1000"])
    assert done.returncode == 0, done.stderr
    assert "warning: the event cap" in done.stderr
    assert "1000" in trace["metadata"]["capped"]
    assert len(T.calls(trace)) <= 1000


def test_without_o_the_file_is_named_after_the_program(tmp_path):
    done = subprocess.run([sys.executable, RECORDER, os.path.join(PROGRAMS, "exits.py")],
                          capture_output=True, text=True, cwd=str(tmp_path))
    assert done.returncode == 3
    assert (tmp_path / "exits.trace.json").exists()
    assert "wrote %s" % (tmp_path / "exits.trace.json") in done.stderr


def test_the_library_form_records_a_block(tmp_path):
    script = (
        "import sys, threading, time\n"
        "sys.path.insert(0, %r)\n"
        "import lanes_record\n"
        "with lanes_record.record(%r):\n"
        "    t = threading.Thread(target=time.sleep, args=(0.03,), name='napper')\n"
        "    t.start()\n"
        "    t.join()\n"
    ) % (os.path.dirname(RECORDER), str(tmp_path / "lib.json"))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    trace = T.load(str(tmp_path / "lib.json"))
    (napper,) = T.lane_named(trace, "napper")
    assert T.total(T.states(trace, napper, "io_wait")) >= 25_000


LESSON_RUNS = {
    1: [("sequential", "primes", 1), ("gil", "primes", 4)],
    2: [("sequential", "primes", 1), ("processes", "primes", 4)],
    4: [("sequential", "primes", 1), ("gil", "primes", 4)],
    5: [("gil", "primes", 2), ("processes", "primes", 2)],
    7: [("processes", "audio", 4), ("gil", "audio", 4), ("sequential", "io", 1), ("gil", "io", 4),
        ("asyncio", "io", 4)],
}


@pytest.mark.parametrize("n", sorted(LESSON_RUNS))
def test_a_lesson_records_the_steps_scenarios(tmp_path, n):
    size = "8" if n == 7 else "200000"  # step 7's size is its clips; its requests keep 200 000
    trace, done = lesson(tmp_path, n, "--size", size)
    meta = trace["metadata"]
    check_well_formed(trace)
    if meta["gil"] != "enabled":
        pytest.skip("the expected runs are a GIL build's")
    assert meta["lesson"] == n
    runs = meta["runs"]
    assert [(r["model"], r["workload"], r["k"]) for r in runs] == LESSON_RUNS[n]
    for r in runs:
        assert r["tasks"] == 32 and r["start_us"] < r["end_us"]
        assert r["interval_us"] == meta["switch_interval_us"] and r["latency_us"] == 20_000
        if r["workload"] in ("primes", "io"):
            assert r["size"] == 200_000 and r["result"] == PRIMES_BELOW_200000
        else:
            assert r["size"] == 8
    audio = [r["result"] for r in runs if r["workload"] == "audio"]
    assert len(set(audio)) <= 1  # one algorithm, two schedules
    for a, b in zip(runs, runs[1:]):
        assert a["end_us"] <= b["start_us"]
    if n == 4:
        assert "free threads" in done.stderr and "not recorded" in done.stderr
    if any(r["model"] == "processes" for r in runs):
        assert any(v["kind"] == "process" for v in T.lanes(trace).values())


def test_the_recorder_says_what_it_cost(tmp_path):
    """It prints its own overhead (how much is measured by `make bench`,
    python/overhead.py: timed figures are never test assertions here)."""
    trace, done = record(tmp_path, "two_threads.py", "50000")
    assert done.returncode == 0, done.stderr
    assert "recorder callbacks" in done.stdout + done.stderr
    assert "recorder callbacks" in trace["metadata"]["overhead"]


def test_without_schedstat_the_thread_cpu_clocks_split_running_from_waiting(tmp_path):
    """Where /proc/<pid>/task/<tid>/schedstat is missing (macOS, Windows),
    time.thread_time_ns() at the edges of calls and waits measures the
    share each thread was on the CPU."""
    script = (
        "import sys, threading\n"
        "sys.path.insert(0, %r)\n"
        "import lanes_record\n"
        "lanes_record._schedstat_available = lambda: False\n"
        "def spin(n):\n"
        "    x = 0\n"
        "    for i in range(n):\n"
        "        x += i\n"
        "with lanes_record.record(%r, quiet=True):\n"
        "    ts = [threading.Thread(target=spin, args=(4_000_000,), name='cpu-%%d' %% i) for i in range(2)]\n"
        "    for t in ts:\n"
        "        t.start()\n"
        "    for t in ts:\n"
        "        t.join()\n"
    ) % (os.path.dirname(RECORDER), str(tmp_path / "fb.json"))
    subprocess.run([sys.executable, "-c", script], check=True)
    trace = T.load(str(tmp_path / "fb.json"))
    assert trace["metadata"]["clock"] == "thread_time"
    check_well_formed(trace)
    if trace["metadata"]["gil"] != "enabled":
        pytest.skip("needs a GIL")
    for lane in T.lane_named(trace, "cpu-"):
        slices = T.states(trace, lane)
        share = T.total(T.states(trace, lane, "gil_wait")) / life(slices)
        assert 0.2 <= share <= 0.8, share


def test_under_the_gil_an_overlap_within_the_samples_error_is_split_at_its_middle():
    """Each measured stretch's end is placed within half a sample interval,
    so two threads handing the GIL over can seem to overlap by up to one:
    that is split; a longer overlap (C code without the GIL) is kept."""
    sys.path.insert(0, os.path.dirname(RECORDER))
    import lanes_record as L

    settled = L._settle_handoffs(
        {(1, 10): [(0.0, 5000.0), (20000.0, 30000.0)], (1, 11): [(4600.0, 9000.0), (25000.0, 40000.0)],
         (2, 20): [(4000.0, 6000.0)]},
        1000.0,
    )
    assert settled[(1, 10)] == [(0.0, 4800.0), (20000.0, 30000.0)]
    assert settled[(1, 11)] == [(4800.0, 9000.0), (25000.0, 40000.0)]
    assert settled[(2, 20)] == [(4000.0, 6000.0)], "another process is not touched"
