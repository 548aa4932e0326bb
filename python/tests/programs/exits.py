"""Leaves through os._exit(3) after a short sleep."""
import os
import time

time.sleep(0.02)
os._exit(3)
