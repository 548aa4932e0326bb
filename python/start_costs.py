"""What a CPython process costs to start, by start method, for `make bench`.

Times `multiprocessing`'s spawn, forkserver and fork from `Process.start()`
to the child's first line of its target running (it sends the time it
started back on a queue), the median of ten after two warm-ups, and prints
them beside the figures the page says (`lanes_sim::StartMethod`, measured
the same way on the reference machine).
"""

import multiprocessing as mp
import platform
import statistics
import sys
import time

RUNS = 12
WARM_UPS = 2
# What the page says (crates/sim/src/python_start.rs), in ms.
SAID_MS = {"spawn": 38.6, "forkserver": 7.5, "fork": 1.2}


def _report(queue, started):
    queue.put(time.perf_counter() - started)


def startup_ms(method):
    """The median start-up of `method`'s processes, in ms."""
    context = mp.get_context(method)
    times = []
    for _ in range(RUNS):
        queue = context.Queue()
        started = time.perf_counter()
        process = context.Process(target=_report, args=(queue, started))
        process.start()
        times.append(queue.get() * 1000)
        process.join()
    return statistics.median(times[WARM_UPS:])


def main():
    print(f"CPython {platform.python_version()} process start-up, {mp.cpu_count()} cores, {sys.platform}")
    print("method\tmeasured ms\tthe page says ms")
    for method in ("spawn", "forkserver", "fork"):
        if method not in mp.get_all_start_methods():
            print(f"{method}\t(not on this platform)\t{SAID_MS[method]}")
            continue
        print(f"{method}\t{startup_ms(method):.1f}\t{SAID_MS[method]}")


if __name__ == "__main__":
    main()
