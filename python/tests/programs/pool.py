"""A Pool(2) counting primes in two halves."""
import multiprocessing
import sys


def count_primes(bounds):
    lo, hi = bounds
    count = 0
    for n in range(lo, hi):
        if n < 2:
            continue
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


if __name__ == "__main__":
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    method = sys.argv[2] if len(sys.argv) > 2 else None
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as pool:
        print(sum(pool.map(count_primes, [(0, below // 2), (below // 2, below)], chunksize=1)))
