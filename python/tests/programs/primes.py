"""The test programs' CPU-bound work: counting primes by plain trial
division (slower than the tour's 6k±1, so a few hundred thousand numbers
take a second or two)."""


def count_primes(lo, hi):
    """How many primes lie in [lo, hi)."""
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


def count_range(bounds):
    """count_primes over a (lo, hi) pair, for Pool.map."""
    return count_primes(*bounds)
