"""Two CPU-bound threads each counting the primes below N: under the GIL
they take turns."""
import threading
from primes import count_primes


def work(lo, hi, out, i):
    out[i] = count_primes(lo, hi)


if __name__ == "__main__":
    import sys
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    out = [0, 0]
    threads = [threading.Thread(target=work, args=(0, below, out, i),
                                name="cpu-%d" % i) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sum(out))
