"""Forks with os.fork, without multiprocessing: the child sleeps and
leaves through os._exit, the parent waits for it."""
import os
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.05)
    os._exit(0)
time.sleep(0.01)
os.waitpid(pid, 0)
print("parent done")
