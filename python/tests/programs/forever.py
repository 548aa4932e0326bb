"""Counts forever (until killed), in two threads."""
import threading


def spin():
    n = 0
    while True:
        n += 1


threading.Thread(target=spin, daemon=True, name="spinner").start()
spin()
