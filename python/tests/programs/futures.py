"""concurrent.futures: a ProcessPoolExecutor of 2 counting primes."""
import concurrent.futures
import sys


def count_primes(lo, hi):
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
    below = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        print(sum(pool.map(count_primes, [0, below // 2], [below // 2, below])))
