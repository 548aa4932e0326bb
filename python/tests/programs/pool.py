"""A Pool(2) counting primes in two halves."""
import multiprocessing
import sys
from primes import count_range


if __name__ == "__main__":
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    method = sys.argv[2] if len(sys.argv) > 2 else None
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as pool:
        print(sum(pool.map(count_range, [(0, below // 2), (below // 2, below)], chunksize=1)))
