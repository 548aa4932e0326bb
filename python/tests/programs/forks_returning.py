"""Forks with os.fork; the child runs on to the end of the script, as the
parent does."""
import os
import time

pid = os.fork()
time.sleep(0.03)
if pid:
    os.waitpid(pid, 0)
