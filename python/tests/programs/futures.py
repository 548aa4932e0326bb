"""concurrent.futures: a ProcessPoolExecutor of 2 counting primes."""
import concurrent.futures
import sys
from primes import count_primes


if __name__ == "__main__":
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        print(sum(pool.map(count_primes, [0, below // 2], [below // 2, below])))
