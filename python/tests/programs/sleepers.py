"""Four threads each sleeping 50 ms at once."""
import threading
import time


def nap():
    time.sleep(0.05)


if __name__ == "__main__":
    threads = [threading.Thread(target=nap, name="sleeper-%d" % i) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
