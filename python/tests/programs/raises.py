"""Works a little in a thread, then raises."""
import threading
import time

t = threading.Thread(target=time.sleep, args=(0.02,))
t.start()
t.join()
raise ValueError("boom")
