"""The issue's program: two CPU-bound threads counting primes, four threads
each sleeping 50 ms, then a multiprocessing.Pool(2)."""
import multiprocessing
import sys
import threading
import time
from primes import count_range


def run(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    run([threading.Thread(target=count_range, args=((0, below),)) for _ in range(2)])
    run([threading.Thread(target=time.sleep, args=(0.05,)) for _ in range(4)])
    with multiprocessing.Pool(2) as pool:
        print(sum(pool.map(count_range, [(0, below // 2), (below // 2, below)], chunksize=1)))
