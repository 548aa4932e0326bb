"""Makes many small calls: more than a small event cap."""


def tiny(i):
    return i + 1


def main():
    total = 0
    for i in range(50_000):
        total = tiny(total)
    print(total)


main()
