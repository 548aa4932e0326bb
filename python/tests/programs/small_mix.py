"""A small mix for the import tests: two CPU-bound threads, four threads
each sleeping 50 ms, then two multiprocessing.Process counting primes."""
import multiprocessing
import sys
import threading
import time
from primes import count_primes


def run(workers):
    for w in workers:
        w.start()
    for w in workers:
        w.join()


if __name__ == "__main__":
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    run([threading.Thread(target=count_primes, args=(0, below)) for _ in range(2)])
    run([threading.Thread(target=time.sleep, args=(0.05,)) for _ in range(4)])
    run([multiprocessing.Process(target=count_primes, args=(0, below)) for _ in range(2)])
