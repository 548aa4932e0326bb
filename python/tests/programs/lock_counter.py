"""Four threads adding to one counter under one lock, each holding it for a
few milliseconds at a time, so the others queue for it."""
import threading

lock = threading.Lock()
counter = [0]


def add(times):
    for _ in range(times):
        with lock:
            value = counter[0]
            for _ in range(30_000):
                value += 1
            counter[0] = value - 29_999


if __name__ == "__main__":
    threads = [threading.Thread(target=add, args=(25,), name="adder-%d" % i) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counter[0])
