#!/usr/bin/env python3
"""lanes_record: record what a Python program's threads and processes did,
for Lanes (download it from the Lanes page as /lanes_record.py).

One file, Python 3.9+ standard library only.

    python lanes_record.py [-o trace.json] prog.py args...
    python lanes_record.py --lesson 4 [-o trace.json] [--k K] [--size S]

or, as a library:

    import lanes_record
    with lanes_record.record("trace.json"):
        ...

It writes a Chrome trace (JSON) that Lanes opens with its own lanes: one lane
per thread and per child process (multiprocessing with fork, spawn or
forkserver, concurrent.futures, a bare os.fork), the program's own function
calls as call stacks, blocking calls (sleep, select and selectors, sockets,
locks, events, conditions, semaphores, joins, queues, process waits) drawn as
waiting, and each thread's time split into running and waiting for the GIL,
measured from the threads' CPU clocks.

How the GIL is measured: on Linux a helper process (it needs no GIL of the
program) reads every thread's on-CPU time from
/proc/<pid>/task/<tid>/schedstat about every millisecond; elsewhere
time.thread_time_ns() is read at each blocking call's edges and each traced
call's end. Time a thread spends off the CPU, outside a blocking call, while
another thread of its process is on the CPU is drawn as waiting for the GIL
(never on a free-threaded build with the GIL off). Off the CPU with nobody
else of its process running is the OS's doing, or a wait this recorder does
not wrap, and is left as a gap: nothing is invented. The resolution is about
half a sample interval.

How calls are traced: run as a command, the program's own files (by
--include; default its folder, without the standard library and
site-packages) are compiled with a decorator on each function that records
its calls, to --depth; the interpreter keeps its fast paths. Generators and
coroutines are not drawn as calls. In the library form, the functions exist
before recording starts, so calls are traced with sys.setprofile, which
slows tight Python loops (about 2x on CPython 3.11). The recording stops
adding call slices at --max-events (per process) and says so.

Limits: a child process still running when the program ends, or one killed
with SIGKILL, contributes nothing; a SIGINT ignored by the shell (a
background job) stays ignored.
"""

import argparse
import fnmatch
import json
import math
import os
import platform
import queue
import select
import selectors
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import traceback

RECORDER_VERSION = "1"
_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DEPTH = 20
DEFAULT_MAX_EVENTS = 1_000_000
# Lanes opens at most 5 000 000 events (and 200 MB): a file keeps below.
FILE_MAX_EVENTS = 4_000_000
SAMPLE_INTERVAL_S = 0.001

_perf_ns = time.perf_counter_ns
_sleep = time.sleep
_real_exit = os._exit
_get_native_id = threading.get_native_id
_thread_time_ns = time.thread_time_ns


def _now_us():
    """The recording's clock, in µs: CLOCK_MONOTONIC on Linux, shared by
    every process of the recording."""
    return _perf_ns() / 1000.0


# --------------------------------------------------------------------------
# The interpreter's facts


def gil_enabled():
    """Whether this interpreter runs with a GIL."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def interpreter_facts():
    """The metadata that describes the interpreter and the machine."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": "enabled" if gil_enabled() else "disabled",
        "switch_interval_us": round(sys.getswitchinterval() * 1e6),
        "cores": os.cpu_count(),
        "platform": sys.platform,
    }


def _schedstat_available():
    return sys.platform.startswith("linux") and os.path.exists(
        "/proc/self/task/%d/schedstat" % _get_native_id()
    )


# --------------------------------------------------------------------------
# The sampler: a separate small Python process that reads every registered
# process's threads' on-CPU time. Each tick is one line "T <ts_us>" followed
# by "<pid> <tid> <cpu_ns>" lines. It stops when its stdin closes.

SAMPLER_SOURCE = r"""
import os, select, sys, time
pids_dir, out_path, interval = sys.argv[1], sys.argv[2], float(sys.argv[3])
out = open(out_path, "w", buffering=1 << 16)
fds = {}
known = set()
tick = 0
stdin = sys.stdin.fileno()
def rescan():
    for name in os.listdir(pids_dir):
        if name.isdigit():
            known.add(int(name))
    for pid in list(known):
        try:
            tids = os.listdir("/proc/%d/task" % pid)
        except OSError:
            known.discard(pid)
            continue
        for tid in tids:
            key = (pid, int(tid))
            if key not in fds:
                try:
                    fds[key] = os.open("/proc/%d/task/%s/schedstat" % (pid, tid), os.O_RDONLY)
                except OSError:
                    pass
while True:
    if tick % 10 == 0:
        rescan()
    tick += 1
    ts = time.perf_counter_ns() / 1000.0
    lines = ["T %.1f\n" % ts]
    for key, fd in list(fds.items()):
        try:
            data = os.pread(fd, 128, 0)
        except OSError:
            data = b""
        if not data:
            os.close(fd)
            del fds[key]
            continue
        lines.append("%d %d %s\n" % (key[0], key[1], data.split(b" ", 1)[0].decode()))
    out.write("".join(lines))
    ready, _, _ = select.select([stdin], [], [], interval)
    if ready and not os.read(stdin, 4096):
        break
out.close()
"""


# --------------------------------------------------------------------------
# The recorder of one process


class _Thread:
    """What one thread of this process did: its life, its blocking calls and,
    without schedstat, its CPU clock at their edges."""

    __slots__ = ("tid", "name", "start", "end", "kind", "cpu")

    def __init__(self, tid, name, start, kind):
        self.tid = tid
        self.name = name
        self.start = start
        self.end = None
        self.kind = kind
        self.cpu = []  # (ts_us, thread_time_ns), only without schedstat


class _Process:
    """The recorder's state in one process (the main one or a child)."""

    def __init__(self, config, child, start_requested=None):
        self.config = config
        self.child = child
        self.pid = os.getpid()
        self.started = _now_us()
        self.start_requested = start_requested
        self.threads = {}
        self.calls = []  # (tid, name, start, end, file, line, cat)
        self.blocks = []  # (tid, state, start, end)
        self.count = 0
        self.capped = False
        self.overhead_ns = 0
        self.flushed = False

    def thread(self, kind="thread"):
        tid = _get_native_id()
        t = self.threads.get(tid)
        if t is None:
            kind = "process" if (self.child and threading.current_thread() is threading.main_thread()) else kind
            t = _Thread(tid, threading.current_thread().name, _now_us(), kind)
            if self.config["clock"] == "thread_time":
                t.cpu.append((t.start, _thread_time_ns()))
            self.threads[tid] = t
        return t

    def add_call(self, item):
        if self.count >= self.config["max_events"]:
            self.capped = True
            return
        self.count += 1
        self.calls.append(item)


_P = None  # this process's _Process while recording
_CONFIG = None
_PATCHES = []  # (owner, attribute, original)


# --------------------------------------------------------------------------
# Function calls: a profile function per thread


def _include_filter(config):
    """Whether a code object's calls are recorded (by its file, as
    `_path_filter` says), as (name, file, line) or False, once per code."""
    path_included = _path_filter(config)
    cache = {}

    def included(code):
        hit = cache.get(code)
        if hit is None:
            path = code.co_filename
            ok = path_included(path)
            hit = (code.co_name, os.path.basename(path), code.co_firstlineno) if ok else False
            cache[code] = hit
        return hit

    return included


def _profiler(proc):
    """A profile function for the calling thread: the program's own calls,
    to the depth limit, as call slices."""
    included = _include_filter(proc.config)
    depth = proc.config["depth"]
    stack = []
    tid = _get_native_id()
    calls = proc.calls
    perf = _perf_ns

    def profile(frame, event, arg):
        if event == "call":
            hit = included(frame.f_code)
            if hit and len(stack) < depth:
                stack.append((frame, hit, perf()))
        elif event == "return":
            if stack and stack[-1][0] is frame:
                t1 = perf()
                _, hit, t0 = stack.pop()
                if proc.count < proc.config["max_events"]:
                    proc.count += 1
                    calls.append((tid, hit[0], t0 / 1000.0, t1 / 1000.0, hit[1], hit[2], "python"))
                else:
                    proc.capped = True
                proc.overhead_ns += perf() - t1

    return profile


def _start_thread_profile():
    proc = _P
    if proc is None:
        return
    proc.thread()
    if proc.config["depth"] > 0 and proc.config["calls"] == "profile":
        sys.setprofile(_profiler(proc))


# Function calls, the cheap way: the program's own functions are compiled
# with a decorator that records each call. Only they pay (a wrapper call);
# the interpreter keeps its fast paths, which a profile function (above)
# turns off for every line of the thread (about 2x on a tight loop).

_DEPTH = threading.local()


def _traced(fn):
    """Record each call of `fn` (not generators or coroutines, whose calls
    return before their work is done) as a call slice."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_flags & (0x20 | 0x80 | 0x100 | 0x200):
        return fn  # generator, coroutine, async generator, iterable coroutine
    name, file, line = code.co_name, os.path.basename(code.co_filename), code.co_firstlineno
    perf = _perf_ns

    def wrapper(*args, **kwargs):
        proc = _P
        if proc is None:
            return fn(*args, **kwargs)
        depth = getattr(_DEPTH, "d", 0)
        if depth >= proc.config["depth"]:
            return fn(*args, **kwargs)
        _DEPTH.d = depth + 1
        t0 = perf()
        try:
            return fn(*args, **kwargs)
        finally:
            t1 = perf()
            _DEPTH.d = depth
            tid = _get_native_id()
            if proc.config["clock"] == "thread_time":
                proc.thread().cpu.append((t1 / 1000.0, _thread_time_ns()))
            if proc.count < proc.config["max_events"]:
                proc.count += 1
                proc.calls.append((tid, name, t0 / 1000.0, t1 / 1000.0, file, line, "python"))
            else:
                proc.capped = True
            proc.overhead_ns += perf() - t1

    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except (AttributeError, TypeError):
            pass
    wrapper.__dict__.update(getattr(fn, "__dict__", {}))
    wrapper.__wrapped__ = fn
    return wrapper


_DECORATOR = "__import__('sys').modules['lanes_record']._traced"


def _decorated_code(source, path):
    """`source` compiled with every function definition decorated."""
    import ast

    tree = ast.parse(source, path)

    class Decorate(ast.NodeTransformer):
        def visit_FunctionDef(self, node):
            self.generic_visit(node)
            node.decorator_list.append(ast.parse(_DECORATOR, mode="eval").body)
            return node

    tree = ast.fix_missing_locations(Decorate().visit(tree))
    return compile(tree, path, "exec", dont_inherit=True)


def _install_import_hook(included):
    """Modules of the program's own files (by the include filter) are
    compiled decorated too."""
    import importlib.abc
    import importlib.machinery

    class Loader(importlib.machinery.SourceFileLoader):
        def get_code(self, fullname):
            source = self.get_data(self.path)
            return _decorated_code(source, self.path)

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            if (spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader)
                    and spec.origin and included(spec.origin)):
                spec.loader = Loader(spec.loader.name, spec.loader.path)
            return spec

    finder = Finder()
    sys.meta_path.insert(0, finder)
    return finder


def _path_filter(config):
    """Whether a file's functions are recorded: it matches an --include
    pattern and lies outside the standard library, site-packages and the
    recorder itself."""
    patterns, excluded = config["include"], config["excluded_dirs"]

    def included(path):
        return (bool(patterns) and any(fnmatch.fnmatch(path, p) for p in patterns)
                and not any(path.startswith(d) for d in excluded))

    return included


# --------------------------------------------------------------------------
# Blocking calls: wrappers that record a call slice and a waiting state


def _polls(name, args):
    """Whether this call only asks, without waiting: os.waitpid(pid,
    WNOHANG) and its kin (multiprocessing polls its children that way)."""
    if name in ("os.waitpid", "os.wait4") and len(args) >= 2:
        return bool(args[1] & getattr(os, "WNOHANG", 1))
    if name == "os.wait3" and args:
        return bool(args[0] & getattr(os, "WNOHANG", 1))
    return False


def _blocking(name, state, original):
    asks = name.startswith("os.wait")

    def wrapper(*args, **kwargs):
        proc = _P
        if proc is None or (asks and _polls(name, args)):
            return original(*args, **kwargs)
        t = proc.thread()
        cpu = proc.config["clock"] == "thread_time"
        if cpu:
            t.cpu.append((_now_us(), _thread_time_ns()))
        t0 = _now_us()
        try:
            return original(*args, **kwargs)
        finally:
            t1 = _now_us()
            if cpu:
                t.cpu.append((t1, _thread_time_ns()))
            st = state
            if proc.child and name.startswith("multiprocessing."):
                st = "idle"
            proc.blocks.append((t.tid, st, t0, t1))
            proc.add_call((t.tid, name, t0, t1, None, None, "python.block"))

    wrapper.__name__ = getattr(original, "__name__", name)
    wrapper.__qualname__ = getattr(original, "__qualname__", name)
    wrapper.__doc__ = getattr(original, "__doc__", None)
    wrapper._lanes_original = original
    return wrapper


def _patch(owner, attr, name, state):
    original = getattr(owner, attr, None)
    if original is None or hasattr(original, "_lanes_original"):
        return
    _PATCHES.append((owner, attr, original))
    setattr(owner, attr, _blocking(name, state, original))


class _LockProxy:
    """threading.Lock / RLock made by the program while recording: the real
    lock, with acquire recorded as a wait."""

    __slots__ = ("_lock", "__weakref__")

    def __init__(self, lock):
        self._lock = lock

    def acquire(self, blocking=True, timeout=-1):
        if self._lock.acquire(False):
            return True
        if not blocking:
            return False
        return self._wait(timeout)

    def _wait(self, timeout):
        return self._lock.acquire(True, timeout)

    def release(self):
        self._lock.release()

    def locked(self):
        return self._lock.locked()

    def __enter__(self):
        self.acquire()
        return True

    def __exit__(self, *exc):
        self.release()

    def __getattr__(self, name):
        return getattr(self._lock, name)

    def __repr__(self):
        return repr(self._lock)


def _lock_factory(make, name):
    def factory(*args, **kwargs):
        proxy = _LockProxy(make(*args, **kwargs))
        return proxy

    factory._lanes_original = make
    factory._lanes_name = name
    return factory


def _install_lock_proxies():
    for attr, qual in (("Lock", "threading.Lock.acquire"), ("RLock", "threading.RLock.acquire")):
        original = getattr(threading, attr)
        if hasattr(original, "_lanes_original"):
            continue
        _PATCHES.append((threading, attr, original))
        setattr(threading, attr, _lock_factory(original, qual))
    if not hasattr(_LockProxy._wait, "_lanes_original"):
        _PATCHES.append((_LockProxy, "_wait", _LockProxy._wait))
        _LockProxy._wait = _blocking("threading.Lock.acquire", "lock_wait", _LockProxy._wait)


def _patch_blocking_calls():
    _patch(time, "sleep", "time.sleep", "io_wait")
    _patch(select, "select", "select.select", "io_wait")
    for cls in ("SelectSelector", "PollSelector", "EpollSelector", "DevpollSelector", "KqueueSelector"):
        klass = getattr(selectors, cls, None)
        if klass is not None:
            _patch(klass, "select", "selectors.%s.select" % cls, "io_wait")
    for attr in ("recv", "recv_into", "recvfrom", "recvfrom_into", "send", "sendall", "sendto",
                 "accept", "connect", "connect_ex", "sendfile"):
        _patch(socket.socket, attr, "socket.socket.%s" % attr, "io_wait")
    _install_lock_proxies()
    _patch(threading.Event, "wait", "threading.Event.wait", "lock_wait")
    _patch(threading.Condition, "wait", "threading.Condition.wait", "lock_wait")
    _patch(threading.Semaphore, "acquire", "threading.Semaphore.acquire", "lock_wait")
    _patch(threading.Thread, "join", "threading.Thread.join", "lock_wait")
    _patch(threading.Barrier, "wait", "threading.Barrier.wait", "lock_wait")
    _patch(queue.Queue, "get", "queue.Queue.get", "lock_wait")
    _patch(queue.Queue, "put", "queue.Queue.put", "lock_wait")
    _patch(subprocess.Popen, "wait", "subprocess.Popen.wait", "io_wait")
    _patch(subprocess.Popen, "communicate", "subprocess.Popen.communicate", "io_wait")
    for attr in ("wait", "waitpid", "wait3", "wait4", "waitid"):
        _patch(os, attr, "os.%s" % attr, "io_wait")
    _patch_multiprocessing()


def _patch_multiprocessing():
    try:
        import multiprocessing.connection
        import multiprocessing.process
        import multiprocessing.queues
    except ImportError:
        return
    _patch(multiprocessing.queues.SimpleQueue, "get", "multiprocessing.SimpleQueue.get", "io_wait")
    _patch(multiprocessing.queues.Queue, "get", "multiprocessing.Queue.get", "io_wait")
    _patch(multiprocessing.connection.Connection, "recv", "multiprocessing.Connection.recv", "io_wait")
    _patch(multiprocessing.connection.Connection, "recv_bytes",
           "multiprocessing.Connection.recv_bytes", "io_wait")
    _patch(multiprocessing.connection.Connection, "poll", "multiprocessing.Connection.poll", "io_wait")
    base = multiprocessing.process.BaseProcess
    if not hasattr(base.start, "_lanes_original"):
        original_start = base.start

        def start(self):
            ts = _now_us()
            if _CONFIG is not None:
                self.__dict__["_lanes_activator"] = _Activator(dict(_CONFIG), ts)
                _CONFIG["_pending_start"] = ts
            return original_start(self)

        start._lanes_original = original_start
        _PATCHES.append((base, "start", original_start))
        base.start = start
    if not hasattr(base._bootstrap, "_lanes_original"):
        original_bootstrap = base._bootstrap

        def _bootstrap(self, *args, **kwargs):
            try:
                return original_bootstrap(self, *args, **kwargs)
            finally:
                if _P is not None and _P.child:
                    _flush_child()

        _bootstrap._lanes_original = original_bootstrap
        _PATCHES.append((base, "_bootstrap", original_bootstrap))
        base._bootstrap = _bootstrap


def _patch_threads():
    original = threading.Thread._bootstrap_inner
    if hasattr(original, "_lanes_original"):
        return

    def _bootstrap_inner(self):
        if self.name.startswith("lanes_record"):
            return original(self)  # the recorder's own timer
        _start_thread_profile()
        try:
            original(self)
        finally:
            proc = _P
            if proc is not None:
                sys.setprofile(None)
                t = proc.threads.get(_get_native_id())
                if t is not None:
                    t.end = _now_us()
                    t.name = self.name
                    if proc.config["clock"] == "thread_time":
                        t.cpu.append((t.end, _thread_time_ns()))

    _bootstrap_inner._lanes_original = original
    _PATCHES.append((threading.Thread, "_bootstrap_inner", original))
    threading.Thread._bootstrap_inner = _bootstrap_inner


def _patch_exit():
    if hasattr(os._exit, "_lanes_original"):
        return

    def _exit(status):
        proc = _P
        if proc is not None:
            if proc.child:
                _flush_child()
            else:
                _finish_main("os._exit(%d)" % status, status)
        _real_exit(status)

    _exit._lanes_original = _real_exit
    _PATCHES.append((os, "_exit", _real_exit))
    os._exit = _exit


def _unpatch():
    while _PATCHES:
        owner, attr, original = _PATCHES.pop()
        try:
            setattr(owner, attr, original)
        except (AttributeError, TypeError):
            pass


# --------------------------------------------------------------------------
# Child processes


class _Activator:
    """Rides inside a multiprocessing Process object: unpickled in a spawn or
    forkserver child, it starts the child's recorder."""

    def __init__(self, config, start_ts):
        self.config = config
        self.start_ts = start_ts

    def __reduce__(self):
        # Unpickled by exec of plain source, so that a child which cannot
        # import the recorder runs on unrecorded instead of failing.
        config = {k: v for k, v in self.config.items() if k != "_pending_start"}
        source = (
            "try:\n"
            "    import sys\n"
            "    if %r not in sys.path:\n"
            "        sys.path.append(%r)\n"
            "    import lanes_record\n"
            "    lanes_record._activate_child(%r, %r)\n"
            "except Exception:\n"
            "    pass\n"
        ) % (_HERE, _HERE, config, self.start_ts)
        return (exec, (source,))


def _activate_child(config, start_ts):
    """Start recording in a fresh child (spawn, forkserver)."""
    global _P, _CONFIG
    if _P is not None and _P.pid == os.getpid():
        return None
    _CONFIG = dict(config)
    _begin(child=True, start_requested=start_ts)
    if _CONFIG.get("calls") == "decorate" and _CONFIG["depth"] > 0:
        # multiprocessing ran the program's main module again, undecorated,
        # before this, and with it imported the program's other modules:
        # their top-level functions get the decorator now, and modules
        # imported from here on are compiled decorated.
        included = _path_filter(_CONFIG)
        _install_import_hook(included)
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if not (path and included(path)):
                continue
            for name, obj in list(vars(module).items()):
                code = getattr(obj, "__code__", None)
                if (callable(obj) and code is not None and not hasattr(obj, "__wrapped__")
                        and included(code.co_filename)):
                    setattr(module, name, _traced(obj))
    return None


def _after_fork_in_child():
    """A forked child (multiprocessing's fork or a bare os.fork): a fresh
    recorder for it, with only its own thread."""
    global _P
    if _P is None or _CONFIG is None:
        return
    start = _CONFIG.pop("_pending_start", None)
    _P = None
    _PATCHES.clear()  # inherited patches stay; they belong to the parent's list
    _begin(child=True, start_requested=start, patch=False)


def _after_fork_in_parent():
    if _CONFIG is not None:
        _CONFIG.pop("_pending_start", None)


def _register_pid(pid):
    if _CONFIG and _CONFIG.get("clock") == "schedstat":
        try:
            open(os.path.join(_CONFIG["dir"], "pids", str(pid)), "w").close()
        except OSError:
            pass


_FLUSH = {"busy": False, "signal": None}


def _on_child_signal(signum, frame):
    if _FLUSH["busy"]:
        _FLUSH["signal"] = signum  # the flush under way finishes first
        return
    _flush_child()
    _die(signum)


def _die(signum):
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _flush_child():
    """Write this child's events next to the parent's, whole or not at all."""
    proc = _P
    if proc is None or proc.flushed:
        return
    proc.flushed = True
    _FLUSH["busy"] = True
    try:
        _write_child(proc)
    finally:
        _FLUSH["busy"] = False
    if _FLUSH["signal"] is not None:
        _die(_FLUSH["signal"])


def _write_child(proc):
    sys.setprofile(None)
    threading.setprofile(None)
    try:
        import multiprocessing

        pname = multiprocessing.current_process().name
        if pname == "MainProcess":
            pname = "os.fork child %d" % proc.pid
    except Exception:  # noqa: BLE001 - a name is a nicety
        pname = "Process-%d" % proc.pid
    end = _now_us()
    main = proc.threads.get(_get_native_id())
    for t in list(proc.threads.values()):
        if t.end is None:
            t.end = end
            if proc.config["clock"] == "thread_time":
                t.cpu.append((end, _thread_time_ns()))
    data = _process_data(proc, pname)
    if main is not None:
        main.name = "MainThread"
    path = os.path.join(proc.config["dir"], "child-%d.json" % proc.pid)
    try:
        with open(path + ".tmp", "w") as f:
            json.dump(data, f)
        os.replace(path + ".tmp", path)
    except OSError:
        pass


def _process_data(proc, pname):
    return {
        "pid": proc.pid,
        "name": pname,
        "child": proc.child,
        "started": proc.started,
        "start_requested": proc.start_requested,
        "threads": [
            {"tid": t.tid, "name": t.name, "start": t.start, "end": t.end, "kind": t.kind, "cpu": t.cpu}
            for t in proc.threads.values()
        ],
        "calls": proc.calls,
        "blocks": proc.blocks,
        "capped": proc.capped,
        "overhead_ns": proc.overhead_ns,
    }


# --------------------------------------------------------------------------
# Starting and finishing


def _default_excluded():
    dirs = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p:
            dirs.add(os.path.realpath(p))
            dirs.add(p)
    dirs.add(os.path.abspath(__file__))
    dirs.add(os.path.realpath(__file__))
    return sorted(dirs)


def _begin(child, start_requested=None, patch=True):
    global _P
    proc = _Process(_CONFIG, child, start_requested)
    _P = proc
    proc.thread("process" if child else "thread")
    if threading.current_thread() is threading.main_thread():
        proc.threads[_get_native_id()].name = "MainThread"
    _register_pid(proc.pid)
    if patch:
        _patch_blocking_calls()
        _patch_threads()
        _patch_exit()
    if child:
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                signal.signal(sig, _on_child_signal)
            except (ValueError, OSError):
                pass
    if proc.config["depth"] > 0 and proc.config["calls"] == "profile":
        sys.setprofile(_profiler(proc))
    return proc


class Recording:
    """One recording, from start() to stop(): the main process's side."""

    def __init__(self, path, include=None, depth=DEFAULT_DEPTH, max_events=DEFAULT_MAX_EVENTS,
                 program="", argv="", quiet=False, calls="profile"):
        self.path = os.path.abspath(path)
        self.include = include
        self.depth = depth
        self.max_events = max_events
        self.program = program
        self.argv = argv
        self.quiet = quiet
        self.calls = calls
        self.sampler = None
        self.dir = None
        self.extra = {}
        self.done = False
        self.written = None
        self.wall_start = None

    def start(self):
        global _CONFIG
        self.dir = tempfile.mkdtemp(prefix="lanes_record-")
        os.mkdir(os.path.join(self.dir, "pids"))
        clock = "schedstat" if _schedstat_available() else "thread_time"
        include = self.include
        if include is None:
            here = os.path.dirname(os.path.abspath(self.program)) if self.program else os.getcwd()
            include = [os.path.join(here, "*")]
        _CONFIG = {
            "dir": self.dir,
            "clock": clock,
            "include": list(include),
            "excluded_dirs": _default_excluded(),
            "depth": self.depth,
            "max_events": self.max_events,
            "root": os.getpid(),
            "calls": self.calls,
        }
        if clock == "schedstat":
            self.sampler_out = os.path.join(self.dir, "samples.txt")
            self.sampler = subprocess.Popen(
                [sys.executable, "-S", "-c", SAMPLER_SOURCE, os.path.join(self.dir, "pids"),
                 self.sampler_out, str(SAMPLE_INTERVAL_S)],
                stdin=subprocess.PIPE, close_fds=True,
            )
        _register_pid(os.getpid())
        self.wall_start = _now_us()
        _begin(child=False)
        if self.sampler is not None:
            _sleep(0.012)  # the sampler's first scan
        return self

    def stop(self, exit_text=None, status=None):
        """Stop, gather the children's events and write the trace."""
        global _P, _CONFIG
        if self.done:
            return self.written
        proc = _P
        if proc is None or proc.child or os.getpid() != _CONFIG["root"]:
            _flush_child()  # a bare os.fork child that got here: its events only
            return None
        self.done = True
        sys.setprofile(None)
        threading.setprofile(None)
        end = _now_us()
        _P = None
        _unpatch()
        for t in list(proc.threads.values()):
            if t.end is None:
                t.end = end
                if proc.config["clock"] == "thread_time":
                    t.cpu.append((end, _thread_time_ns()))
        samples_text = ""
        self.sampler_cpu_s = None
        if self.sampler is not None:
            try:
                with open("/proc/%d/stat" % self.sampler.pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                self.sampler_cpu_s = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                pass
            try:
                self.sampler.stdin.close()
                self.sampler.wait(timeout=5)
                with open(self.sampler_out) as f:
                    samples_text = f.read()
            except (OSError, subprocess.TimeoutExpired):
                self.sampler.kill()
        datas = [_process_data(proc, "MainProcess")]
        missing = 0
        for name in sorted(os.listdir(self.dir)):
            if name.startswith("child-") and name.endswith(".json"):
                try:
                    with open(os.path.join(self.dir, name)) as f:
                        datas.append(json.load(f))
                except (OSError, ValueError):
                    missing += 1
        pids_seen = {int(n) for n in os.listdir(os.path.join(self.dir, "pids")) if n.isdigit()}
        missing += len(pids_seen - {d["pid"] for d in datas})
        config = _CONFIG
        _CONFIG = None
        trace, report = _build_trace(datas, samples_text, config, self, exit_text, end, missing)
        _write_json(self.path, trace)
        self.written = self.path
        if not self.quiet:
            for line in report:
                print("lanes_record: " + line, file=sys.stderr)
            print("lanes_record: wrote %s" % self.path, file=sys.stderr)
        _rmtree(self.dir)
        return self.path


def _rmtree(path):
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            try:
                os.unlink(os.path.join(root, name))
            except OSError:
                pass
        for name in dirs:
            try:
                os.rmdir(os.path.join(root, name))
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def _write_json(path, trace):
    """Write whole or not at all: a temporary file, then a rename."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".lanes_record-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(trace, f, separators=(",", ":"))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_ACTIVE = None  # the main process's Recording


def _finish_main(exit_text, status):
    rec = _ACTIVE
    if rec is not None and _P is not None and os.getpid() == _P.pid and not _P.child:
        try:
            rec.stop(exit_text, status)
        except Exception:  # noqa: BLE001 - never hide the program's own exit
            traceback.print_exc()


class record:
    """`with lanes_record.record("trace.json"):` records the block."""

    def __init__(self, path="trace.json", **options):
        self.rec = Recording(path, program=options.pop("program", ""), **options)

    def __enter__(self):
        global _ACTIVE
        if _ACTIVE is not None:
            raise RuntimeError("lanes_record: a recording is already running")
        _ACTIVE = self.rec
        self.rec.start()
        return self.rec

    def __exit__(self, kind, value, tb):
        global _ACTIVE
        text = None
        if kind is not None:
            text = "exception (%s: %s)" % (kind.__name__, value)
        self.rec.stop(text)
        _ACTIVE = None
        return False


# --------------------------------------------------------------------------
# From raw records to Chrome JSON


def _parse_samples(text):
    """{(pid, tid): [(ts_us, cpu_ns), ...]} and the tick times."""
    series = {}
    ticks = []
    ts = 0.0
    for line in text.splitlines():
        if line.startswith("T "):
            try:
                ts = float(line[2:])
            except ValueError:
                continue
            ticks.append(ts)
            continue
        parts = line.split()
        if len(parts) != 3:
            continue
        try:
            key = (int(parts[0]), int(parts[1]))
            series.setdefault(key, []).append((ts, int(parts[2])))
        except ValueError:
            continue
    return series, ticks


def _run_stretches(points):
    """A thread's on-CPU stretches from its schedstat samples.

    The kernel adds to a thread's run time only at an update: when it leaves
    the CPU, at a scheduler tick, and at a few other events. Between two
    updates a thread was on the CPU at most once, until the second update
    (leaving the CPU is itself an update). So each rise of the counter, Δ ns
    seen between samples j−1 and j, is one stretch of Δ ending at the update,
    which happened between those two samples: placed at their midpoint, good
    to half a sample interval (~0.5 ms)."""
    out = []
    for (t0, c0), (t1, c1) in zip(points, points[1:]):
        if c1 <= c0 or t1 <= t0:
            continue
        end = (t0 + t1) / 2.0
        start = end - (c1 - c0) / 1000.0
        if out and start < out[-1][1]:
            start = out[-1][1]
        if out and start - out[-1][1] < 1e-6:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif end > start:
            out.append((start, end))
    return out


def _settle_handoffs(stretches, tolerance_us):
    """Under the GIL two threads of one process are on the CPU at once only
    while one runs C code that let the GIL go. An overlap no longer than the
    samples' error at a hand-off (each end placed within half a sample
    interval) is that error, not such code: it is split at its middle.
    Longer overlaps are kept as measured."""
    by_pid = {}
    for (pid, tid), ivs in stretches.items():
        for a, b in ivs:
            by_pid.setdefault(pid, []).append([a, b, tid])
    out = {key: [] for key in stretches}
    for pid, items in by_pid.items():
        items.sort()
        for prev, cur in zip(items, items[1:]):
            if prev[2] != cur[2] and cur[0] < prev[1] < cur[1] and prev[1] - cur[0] <= tolerance_us:
                prev[1] = cur[0] = (cur[0] + prev[1]) / 2.0
        for a, b, tid in items:
            if b > a:
                out[(pid, tid)].append((a, b))
    return out


def _union(intervals):
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _intersect(xs, ys):
    """Where the sorted, disjoint interval lists xs and ys both hold."""
    out, i, j = [], 0, 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if b > a:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def _merge(slices):
    """Adjacent slices of one state become one."""
    out = []
    for s, a, b in slices:
        if b <= a:
            continue
        if out and out[-1][0] == s and abs(out[-1][2] - a) < 1e-6:
            out[-1] = (s, out[-1][1], b)
        else:
            out.append((s, a, b))
    return out


def _subtract(slices, holes):
    """Cut the (state, start, end) slices where the sorted holes are."""
    out = []
    for s, a, b in slices:
        cur = a
        for h0, h1 in holes:
            if h1 <= cur or h0 >= b:
                continue
            if h0 > cur:
                out.append((s, cur, h0))
            cur = max(cur, h1)
            if cur >= b:
                break
        if cur < b:
            out.append((s, cur, b))
    return out


def _outermost(blocks):
    """Blocking intervals of one thread, nested ones folded into the
    outermost (its state wins), sorted."""
    out = []
    for st, a, b in sorted(blocks, key=lambda x: (x[1], -x[2])):
        if out and a < out[-1][2]:
            if b > out[-1][2]:
                out[-1] = (out[-1][0], out[-1][1], b)
            continue
        out.append((st, a, b))
    return out


def _thread_states(t, blocks, running, others, gil, clock, cpu_points):
    """A thread's state slices: blocking calls as waits; elsewhere running
    where it was on the CPU and, on a GIL build, waiting for the GIL where it
    was off the CPU while another thread of its process was on it; nothing
    where nothing explains it (the OS's doing, or an unwrapped wait)."""
    life0, life1 = t["start"], t["end"]
    waits = [(st, max(a, life0), min(b, life1)) for st, a, b in _outermost(blocks)]
    waits = [w for w in waits if w[2] > w[1]]
    measured = []
    if clock == "schedstat":
        mine = _intersect(running, [(life0, life1)])
        measured = [("running", a, b) for a, b in mine]
        if gil:
            off = _subtract([("x", life0, life1)], mine)
            gaps = [(a, b) for _, a, b in off]
            measured += [("gil_wait", a, b) for a, b in _intersect(gaps, others)]
    else:
        points = sorted(cpu_points)
        for (t0, c0), (t1, c1) in zip(points, points[1:]):
            if t1 <= t0:
                continue
            share = max(0.0, min(1.0, (c1 - c0) / 1000.0 / (t1 - t0)))
            mid = t0 + share * (t1 - t0)
            measured.append(("running", t0, mid))
            if gil:
                measured.append(("gil_wait", mid, t1))
    free = _subtract(sorted(measured, key=lambda x: x[1]), [(a, b) for _, a, b in waits])
    return _merge(sorted(free + waits, key=lambda x: x[1]))


def _build_trace(datas, samples_text, config, rec, exit_text, end, missing):
    gil = gil_enabled()
    clock = config["clock"]
    series, _ticks = _parse_samples(samples_text)
    events = []
    report = []
    total_calls = 0
    capped = any(d["capped"] for d in datas)
    overhead_ns = sum(d["overhead_ns"] for d in datas)
    # Running intervals per process for the "a sibling ran" test.
    stretches = {key: _run_stretches(pts) for key, pts in series.items()}
    if gil:
        stretches = _settle_handoffs(stretches, SAMPLE_INTERVAL_S * 1e6)
    sort_index = 0
    for d in sorted(datas, key=lambda d: (d["child"], d["started"])):
        pid = d["pid"]
        events.append({"ph": "M", "name": "process_name", "pid": pid, "args": {"name": d["name"]}})
        blocks_by_tid = {}
        for tid, st, a, b in d["blocks"]:
            blocks_by_tid.setdefault(tid, []).append((st, a, b))
        threads = sorted(d["threads"], key=lambda t: t["start"])
        for t in threads:
            tid = t["tid"]
            kind = t["kind"]
            name = t["name"] if kind == "thread" else d["name"]
            events.append({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid,
                           "args": {"name": name, "kind": kind}})
            events.append({"ph": "M", "name": "thread_sort_index", "pid": pid, "tid": tid,
                           "args": {"sort_index": sort_index}})
            sort_index += 1
            running = stretches.get((pid, tid), [])
            others = _union(iv for (p, other), ivs in stretches.items() if p == pid and other != tid
                            for iv in ivs)
            if kind == "process" and d.get("start_requested") and d["start_requested"] < t["start"]:
                events.append({"ph": "X", "cat": "lanes", "name": "startup", "pid": pid, "tid": tid,
                               "ts": round(d["start_requested"], 1),
                               "dur": round(t["start"] - d["start_requested"], 1)})
            for st, a, b in _thread_states(t, blocks_by_tid.get(tid, []), running, others, gil, clock,
                                           t["cpu"]):
                events.append({"ph": "X", "cat": "lanes", "name": st, "pid": pid, "tid": tid,
                               "ts": round(a, 1), "dur": round(b - a, 1)})
        for tid, name, a, b, file, line, cat in d["calls"]:
            ev = {"ph": "X", "cat": cat, "name": name, "pid": pid, "tid": tid,
                  "ts": round(a, 1), "dur": round(b - a, 1)}
            if file is not None:
                ev["args"] = {"file": file, "line": line}
            events.append(ev)
            total_calls += 1
    if len(events) > FILE_MAX_EVENTS:
        # Several processes each below their cap can still make too many:
        # the latest call slices go, states and metadata stay.
        spare = FILE_MAX_EVENTS - sum(1 for e in events if not e.get("cat", "").startswith("python"))
        calls = sorted((e for e in events if e.get("cat", "").startswith("python")), key=lambda e: e["ts"])
        kept = set(map(id, calls[:max(spare, 0)]))
        events = [e for e in events if not e.get("cat", "").startswith("python") or id(e) in kept]
        capped = True
        total_calls = len(kept)
    wall = end - rec.wall_start
    meta = {"source": "lanes_record", "recorder_version": RECORDER_VERSION}
    meta.update(interpreter_facts())
    meta.update({
        "gil_evidence": "measured",
        "clock": clock,
        "program": os.path.basename(rec.program) if rec.program.endswith(".py") else rec.program,
        "argv": rec.argv,
    })
    share = overhead_ns / 1e3 / wall if wall > 0 else 0.0
    overhead = "recorder callbacks %.1f ms in %d call slices over %.0f ms of run time (%.1f %%)" % (
        overhead_ns / 1e6, total_calls, wall / 1e3, 100 * share)
    sampler_cpu = getattr(rec, "sampler_cpu_s", None)
    if clock == "schedstat" and sampler_cpu is not None:
        overhead += "; the sampler process (1 ms ticks) used %.0f ms of CPU (%.1f %% of one core)" % (
            sampler_cpu * 1e3, 100 * sampler_cpu * 1e6 / wall if wall > 0 else 0.0)
    elif clock != "schedstat":
        overhead += "; CPU clocks read at each blocking call"
    meta["overhead"] = overhead
    report.append("overhead: " + overhead)
    if capped:
        meta["capped"] = ("the event cap (%d per process, --max-events, and %d in the file) was reached: "
                          "later function calls were not recorded; states were" % (
                              config["max_events"], FILE_MAX_EVENTS))
        report.append("warning: " + meta["capped"])
    if missing:
        report.append("note: %d child process(es) left no events (still running, or killed hard)" % missing)
    if exit_text:
        meta["exit"] = exit_text
    meta.update(rec.extra)
    return {"traceEvents": events, "displayTimeUnit": "ms", "metadata": meta}, report


# --------------------------------------------------------------------------
# The command line: run a program under the recorder


def _run_program(args):
    global _ACTIVE
    program = args.program
    if not os.path.isfile(program):
        print("lanes_record: no such program: %s" % program, file=sys.stderr)
        return 2
    out = args.output or (os.path.splitext(os.path.basename(program))[0] + ".trace.json")
    program_path = os.path.abspath(program)
    sys.argv = [program] + list(args.args)
    sys.path[0] = os.path.dirname(program_path)
    if _HERE not in sys.path:
        sys.path.append(_HERE)  # spawned children import the recorder by name
    include = args.include or None
    rec = Recording(out, include=include, depth=args.depth, max_events=args.max_events,
                    program=program, argv=" ".join([program] + list(args.args)), calls="decorate")
    _ACTIVE = rec
    state = {"signal": None}

    def on_signal(signum, frame):
        state["signal"] = signum
        _finish_main("killed by %s" % signal.Signals(signum).name, None)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, on_signal)
    if args.max_seconds:

        def stop_now():
            _finish_main("stopped after %g s (--max-seconds)" % args.max_seconds, 124)
            sys.stderr.flush()
            _real_exit(124)

        timer = threading.Timer(args.max_seconds, stop_now)
        timer.name = "lanes_record --max-seconds"
        timer.daemon = True
        state["timer"] = timer
    status = 0
    text = None
    try:
        with open(program_path, "rb") as f:
            code = _decorated_code(f.read(), program_path) if args.depth > 0 else compile(
                f.read(), program_path, "exec", dont_inherit=True)
    except SyntaxError:
        traceback.print_exc()
        return 1
    import types

    module = types.ModuleType("__main__")
    module.__file__ = program_path
    module.__builtins__ = __builtins__
    root = os.getpid()
    rec.start()
    if args.depth > 0:
        _install_import_hook(_path_filter(_CONFIG))
    main_module = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    if args.max_seconds:
        state["timer"].start()
    try:
        exec(code, module.__dict__)
    except SystemExit as e:
        code = e.code
        status = code if isinstance(code, int) else (0 if code is None else 1)
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
        if status:
            text = "exit status %d (SystemExit)" % status
    except KeyboardInterrupt:
        text = "killed by SIGINT"
        status = -signal.SIGINT
        traceback.print_exc()
    except BaseException as e:  # noqa: BLE001 - the program's exception, reported
        status = 1
        text = "exit status 1 (%s: %s)" % (type(e).__name__, e)
        traceback.print_exc()
    if args.max_seconds:
        state["timer"].cancel()
    if main_module is not None:
        sys.modules["__main__"] = main_module
    if os.getpid() != root:
        rec.stop(text, status)  # a bare os.fork child: keeps its events, writes no trace
        sys.stdout.flush()
        sys.stderr.flush()
        _real_exit(status if status >= 0 else 1)
    _stop_children()
    rec.stop(text, status)
    _ACTIVE = None
    if status == -signal.SIGINT:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return status


def _stop_children():
    """Let multiprocessing end its children (as it does at exit) while the
    recorder still listens, so their events are in the file."""
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        finish = getattr(util, "_exit_function", None)
        if finish is not None:
            try:
                finish()
            except Exception:  # noqa: BLE001
                pass


# --------------------------------------------------------------------------
# The tour's steps in CPython: the same algorithms as Lanes' workloads


TASKS = 32  # Lanes cuts every job into 32 work items (crates/app/src/url.rs TASKS)


def count_primes_in(lo, hi):
    """How many primes in [lo, hi), by trial division over 6k ± 1
    (crates/workloads/src/primes.rs)."""
    count = 0
    for n in range(lo, hi):
        if n < 4:
            if n >= 2:
                count += 1
            continue
        if n % 2 == 0 or n % 3 == 0:
            continue
        d = 5
        prime = True
        while d * d <= n:
            if n % d == 0 or n % (d + 2) == 0:
                prime = False
                break
            d += 6
        if prime:
            count += 1
    return count


def task_range(below, tasks, task):
    """The numbers work item `task` of `tasks` tests (equal widths)."""
    def edge(i):
        return below * min(i, tasks) // tasks
    return edge(task), edge(task + 1)


def primes_task(below, tasks, task):
    """One prime-counting work item."""
    return count_primes_in(*task_range(below, tasks, task))


# Audio: a port of crates/workloads/src/audio (synth.rs, features.rs).
SAMPLE_RATE = 16000
FRAME = 1024
HOP = 256
MEL_BANDS = 40
# Python is ~50x slower than the wasm build at this; the port analyses the
# first PY_CLIP_SAMPLES samples of each clip (3 frames) instead of the whole
# second (59 frames), so 384 clips take seconds, not minutes.
PY_CLIP_SAMPLES = 1536
_MASK64 = (1 << 64) - 1


def _splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


class _Lcg:
    def __init__(self, seed):
        self.state = seed & _MASK64

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & _MASK64
        return self.state

    def unit(self):
        return (self.next() >> 11) / float(1 << 53)


def clip_samples(index, count):
    """Clip `index`'s first `count` samples: a repeated plucked note with
    three harmonics over a little noise (synth.rs's recipe)."""
    lcg = _Lcg(((index * 0x9E3779B97F4A7C15) & _MASK64) ^ 0x5EED)
    pitch = 110.0 * 2.0 ** (3.0 * lcg.unit())
    amps = [(0.2 + 0.3 * lcg.unit()) / (k + 1) for k in range(3)]
    period = SAMPLE_RATE // 10 + int(lcg.unit() * SAMPLE_RATE * 0.4)
    seed = lcg.next()
    decay = 3.0 + 9.0 * lcg.unit()
    noise = 0.01 + 0.05 * lcg.unit()
    out = []
    tau = 2.0 * math.pi
    for n in range(count):
        env = math.exp(-decay * ((n % period) / SAMPLE_RATE))
        cycles = (pitch * n / SAMPLE_RATE) % 1.0
        s, c = math.sin(tau * cycles), math.cos(tau * cycles)
        prev, cur, tone = 0.0, s, 0.0
        for a in amps:
            tone += a * cur
            prev, cur = cur, 2.0 * c * cur - prev
        white = (_splitmix64((seed + n) & _MASK64) >> 40) / float(1 << 23) - 1.0
        out.append(env * tone + noise * white)
    return out


def _fft(re, im):
    """In-place iterative radix-2 FFT."""
    n = len(re)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            re[i], re[j] = re[j], re[i]
            im[i], im[j] = im[j], im[i]
    size = 2
    while size <= n:
        half = size // 2
        ang = -2.0 * math.pi / size
        wr = [math.cos(ang * k) for k in range(half)]
        wi = [math.sin(ang * k) for k in range(half)]
        for start in range(0, n, size):
            for k in range(half):
                a, b = start + k, start + k + half
                tr = re[b] * wr[k] - im[b] * wi[k]
                ti = re[b] * wi[k] + im[b] * wr[k]
                re[b], im[b] = re[a] - tr, im[a] - ti
                re[a], im[a] = re[a] + tr, im[a] + ti
        size *= 2


def _mel(hz):
    return 2595.0 * math.log10(1.0 + hz / 700.0)


def _mel_edges():
    lo, hi = _mel(0.0), _mel(SAMPLE_RATE / 2.0)
    mels = [lo + (hi - lo) * i / (MEL_BANDS + 1) for i in range(MEL_BANDS + 2)]
    return [700.0 * (10 ** (m / 2595.0) - 1.0) * FRAME / SAMPLE_RATE for m in mels]


_HANN = [0.5 - 0.5 * math.cos(2.0 * math.pi * i / FRAME) for i in range(FRAME)]
_EDGES = _mel_edges()


def frame_features(frame):
    """RMS, spectral centroid and 40 triangular mel bands of one frame."""
    rms = math.sqrt(sum(x * x for x in frame) / len(frame))
    re = [x * w for x, w in zip(frame, _HANN)]
    im = [0.0] * FRAME
    _fft(re, im)
    power = [re[k] * re[k] + im[k] * im[k] for k in range(FRAME // 2 + 1)]
    total = sum(power)
    centroid = (sum(k * p for k, p in enumerate(power)) / total * SAMPLE_RATE / FRAME) if total > 0 else 0.0
    bands = []
    for b in range(MEL_BANDS):
        lo, mid, hi = _EDGES[b], _EDGES[b + 1], _EDGES[b + 2]
        acc = 0.0
        for k in range(int(lo), min(int(hi) + 1, len(power))):
            w = (k - lo) / (mid - lo) if k <= mid else (hi - k) / (hi - mid)
            if w > 0:
                acc += w * power[k]
        bands.append(math.log(acc + 1e-10))
    return rms, centroid, bands


def clip_digest(index):
    """A clip's features folded into 32 bits (quantised, FNV-1a)."""
    samples = clip_samples(index, PY_CLIP_SAMPLES)
    h = 0x811C9DC5 ^ index
    for start in range(0, PY_CLIP_SAMPLES - FRAME + 1, HOP):
        rms, centroid, bands = frame_features(samples[start:start + FRAME])
        for v in [rms * 1000.0, centroid] + bands:
            h = ((h ^ (int(round(v)) & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
    return h


def audio_task(clips, tasks, task):
    """One audio work item: the clips it covers, their digests summed."""
    lo, hi = task_range(clips, tasks, task)
    return sum(clip_digest(c) for c in range(lo, hi)) & _MASK64


def io_task(below, tasks, task, latency_s):
    """One request: wait for the answer, then parse it (count its share of
    the primes), as crates/runtime/src/io.rs does."""
    time.sleep(latency_s)
    return primes_task(below, tasks, task)


async def io_task_async(below, tasks, task, latency_s):
    """One request in an event loop: the wait yields to the loop."""
    import asyncio

    await asyncio.sleep(latency_s)
    return primes_task(below, tasks, task)


def _work_fn(workload):
    return {"primes": primes_task, "audio": audio_task}[workload]


def _share(workload, size, tasks, share, shares, latency_s):
    """Process `share` of `shares`: items share, share+shares, ... (Lanes
    deals them round-robin: lanes_model::share_tasks)."""
    total = 0
    for task in range(share, tasks, shares):
        if workload == "io":
            total += io_task(size, tasks, task, latency_s)
        else:
            total += _work_fn(workload)(size, tasks, task)
    return total


def _run_sequential(workload, size, tasks, latency_s):
    total = 0
    for task in range(tasks):
        if workload == "io":
            total += io_task(size, tasks, task, latency_s)
        else:
            total += _work_fn(workload)(size, tasks, task)
    return total


def _run_threads(workload, size, tasks, k, latency_s):
    pending = queue.SimpleQueue()
    for task in range(tasks):
        pending.put(task)
    totals = []

    def worker():
        total = 0
        while True:
            try:
                task = pending.get_nowait()
            except queue.Empty:
                break
            if workload == "io":
                total += io_task(size, tasks, task, latency_s)
            else:
                total += _work_fn(workload)(size, tasks, task)
        totals.append(total)

    threads = [threading.Thread(target=worker, name="thread %d" % i) for i in range(k)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(totals)


def _run_processes(workload, size, tasks, k, latency_s):
    import multiprocessing

    with multiprocessing.Pool(k) as pool:
        parts = pool.starmap(_share, [(workload, size, tasks, s, k, latency_s) for s in range(k)], chunksize=1)
        pool.close()
        pool.join()
    return sum(parts)


def _run_asyncio(size, tasks, k, latency_s):
    import asyncio

    async def main():
        items = list(range(tasks))
        totals = []

        async def coroutine():
            total = 0
            while items:
                task = items.pop(0)
                total += await io_task_async(size, tasks, task, latency_s)
            totals.append(total)

        await asyncio.gather(*(coroutine() for _ in range(k)))
        return sum(totals)

    return asyncio.run(main())


# Each real-Python step: its runs (model, workload, k), its size and latency,
# as crates/app/src/lessons/content.rs's query and runs say. "threads" is
# CPython's threads: model "gil" with a GIL, "free" without.
LESSONS = {
    1: {"runs": [("sequential", "primes", 1), ("threads", "primes", None)], "k": 4,
        "size": 5_000_000, "workload": "primes"},
    2: {"runs": [("sequential", "primes", 1), ("processes", "primes", None)], "k": 4,
        "size": 5_000_000, "workload": "primes"},
    4: {"runs": [("sequential", "primes", 1), ("gil", "primes", None), ("free", "primes", None)], "k": 4,
        "size": 5_000_000, "workload": "primes", "interval_us": 5000},
    5: {"runs": [("gil", "primes", None), ("processes", "primes", None)], "k": 2,
        "size": 5_000_000, "workload": "primes"},
    7: {"runs": [("processes", "audio", None), ("gil", "audio", None), ("sequential", "io", 1),
                 ("gil", "io", None), ("asyncio", "io", None)], "k": 4,
        "size": 384, "workload": "audio", "latency_us": 20000},
}
DEFAULT_SIZES = {"primes": 5_000_000, "audio": 384, "io": 200_000}
# The lesson's functions drawn as call slices (an async one is not).
LESSON_FUNCTIONS = (primes_task, audio_task, io_task, clip_digest, _share, _run_sequential, _run_threads,
                    _run_processes, _run_asyncio)


def lesson_plan(n, k=None, size=None):
    """The runs of step `n` that this CPython can do, and the ones it
    cannot (with why)."""
    step = LESSONS[n]
    gil = gil_enabled()
    k = k or step["k"]
    plan, skipped = [], []
    seen = set()
    for model, workload, run_k in step["runs"]:
        if model == "threads":
            model = "gil" if gil else "free"
        if (model == "gil") != gil and model in ("gil", "free"):
            skipped.append("%s threads (this CPython %s a GIL)" % (model, "has" if gil else "has no"))
            continue
        if (model, workload) in seen:
            continue
        seen.add((model, workload))
        run_size = size if (size and workload == step["workload"]) else (
            step["size"] if workload == step["workload"] else DEFAULT_SIZES[workload])
        plan.append({
            "model": model, "workload": workload, "k": run_k or k, "size": run_size, "tasks": TASKS,
            "interval_us": round(sys.getswitchinterval() * 1e6),
            "latency_us": step.get("latency_us", 20000),
        })
    return plan, skipped


def run_scenario(run):
    """Run one planned scenario; its result."""
    latency_s = run["latency_us"] / 1e6
    model, workload, size, k = run["model"], run["workload"], run["size"], run["k"]
    if model == "sequential":
        return _run_sequential(workload, size, TASKS, latency_s)
    if model in ("gil", "free"):
        return _run_threads(workload, size, TASKS, k, latency_s)
    if model == "processes":
        return _run_processes(workload, size, TASKS, k, latency_s)
    if model == "asyncio":
        return _run_asyncio(size, TASKS, k, latency_s)
    raise ValueError(model)


def _run_lesson(args):
    global _ACTIVE
    n = args.lesson
    if n not in LESSONS:
        print("lanes_record: --lesson takes 1, 2, 4, 5 or 7 (the real-Python steps)", file=sys.stderr)
        return 2
    plan, skipped = lesson_plan(n, args.k, args.size)
    out = args.output or "lesson%d.trace.json" % n
    argv = "lanes_record.py --lesson %d" % n + ("" if not args.k else " --k %d" % args.k) + (
        "" if not args.size else " --size %d" % args.size)
    rec = Recording(out, include=args.include or [], depth=args.depth, max_events=args.max_events,
                    program="lanes_record.py --lesson %d" % n, argv=argv, calls="decorate")
    if args.depth > 0:
        module = sys.modules[__name__]
        for fn in LESSON_FUNCTIONS:
            setattr(module, fn.__name__, _traced(fn))
    _ACTIVE = rec
    for note in skipped:
        print("lanes_record: step %d also runs %s: CPython here cannot, so it is not recorded" % (n, note),
              file=sys.stderr)
    rec.start()
    runs = []
    try:
        for run in plan:
            start = _now_us()
            result = run_scenario(run)
            runs.append(dict(run, start_us=round(start, 1), end_us=round(_now_us(), 1), result=result))
            print("lanes_record: %-10s %-6s k=%d size=%d: %.3f s, result %d" % (
                run["model"], run["workload"], run["k"], run["size"],
                (runs[-1]["end_us"] - start) / 1e6, result), file=sys.stderr)
    finally:
        rec.extra = {"lesson": n, "runs": runs}
        if skipped:
            rec.extra["skipped"] = "; ".join(skipped)
        _stop_children()
        rec.stop()
        _ACTIVE = None
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="lanes_record.py",
        description="Record a Python program's threads, processes, calls, waits and GIL for Lanes.",
    )
    parser.add_argument("-o", "--output", help="the trace file (default: <program>.trace.json here)")
    parser.add_argument("--include", action="append", metavar="PATTERN",
                        help="trace calls in files matching this glob (repeatable; default: the "
                             "program's folder, without the standard library and site-packages)")
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH,
                        help="deepest call nesting recorded (default %d; 0: no calls)" % DEFAULT_DEPTH)
    parser.add_argument("--max-events", type=int, default=DEFAULT_MAX_EVENTS,
                        help="stop recording calls after this many per process (default %d)" % DEFAULT_MAX_EVENTS)
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop the program after this long and write what was recorded")
    parser.add_argument("--lesson", type=int, help="record a tour step's scenarios (1, 2, 4, 5, 7)")
    parser.add_argument("--k", type=int, help="with --lesson: workers (default: the step's)")
    parser.add_argument("--size", type=int, help="with --lesson: the size of the step's own workload (default: "
                        "the step's; step 7: its audio clips, its requests keep 200000)")
    parser.add_argument("program", nargs="?", help="the Python program to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    args = parser.parse_args(argv)
    if args.lesson is not None:
        return _run_lesson(args)
    if not args.program:
        parser.print_usage(sys.stderr)
        print("lanes_record: name a program to run, or --lesson N", file=sys.stderr)
        return 2
    return _run_program(args)


os.register_at_fork(after_in_child=_after_fork_in_child, after_in_parent=_after_fork_in_parent)


if __name__ == "__main__":
    # Run as the importable module `lanes_record`, so that spawned children
    # find the same functions by name.
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.append(here)
    import lanes_record as _self

    status = _self.main()
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(status if isinstance(status, int) and status >= 0 else 1)
