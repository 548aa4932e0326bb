//! Which calls block: the one table of blocking function names, matched
//! against the names the tools write.
//!
//! A thread whose innermost call is one of these is waiting, not running:
//! for I/O (sleeps, sockets, selectors, subprocess and os waits) or for
//! another thread (locks, events, conditions, semaphores, joins, queues).
//!
//! Tools name a call in one of three ways, all read here:
//! - `lanes_record.py`: `module.qualname`, e.g. `threading.Lock.acquire`;
//! - VizTracer, a C function: `module.qualname` of the object's type, e.g.
//!   `time.sleep`, `_thread.lock.acquire`, `select.epoll.poll`,
//!   `posix.waitpid`, `socket.recv`;
//! - VizTracer (and py-spy-style tools), a Python function: `qualname (file:line)`,
//!   e.g. `Queue.get (/usr/lib/python3.11/queue.py:154)`, read as
//!   `queue.Queue.get` (the file's name stands for the module).
//!
//! A pattern matches the last dot-separated parts of the name so read, part
//! by part; `*` matches any one part. So `socket.recv` matches VizTracer's
//! `socket.recv` and the recorder's `socket.socket.recv`, and `lock.acquire`
//! matches `_thread.lock.acquire` but not `_ModuleLock.acquire`.

use crate::State;

/// The blocking calls, as dotted name endings, and what their thread waits for.
const BLOCKING: &[(&str, State)] = &[
    // Sleeps.
    ("time.sleep", State::IoWait),
    // Selectors and polls (asyncio's event loop waits in its selector).
    ("select.select", State::IoWait),
    ("select.poll.poll", State::IoWait),
    ("select.epoll.poll", State::IoWait),
    ("select.devpoll.poll", State::IoWait),
    ("select.kqueue.control", State::IoWait),
    ("selectors.*.select", State::IoWait),
    ("connection.wait", State::IoWait),
    ("Connection._poll", State::IoWait),
    ("Connection._recv", State::IoWait),
    ("Connection._recv_bytes", State::IoWait),
    // Sockets.
    ("socket.recv", State::IoWait),
    ("socket.recv_into", State::IoWait),
    ("socket.recvfrom", State::IoWait),
    ("socket.recvfrom_into", State::IoWait),
    ("socket.recvmsg", State::IoWait),
    ("socket.send", State::IoWait),
    ("socket.sendall", State::IoWait),
    ("socket.sendto", State::IoWait),
    ("socket.sendmsg", State::IoWait),
    ("socket.sendfile", State::IoWait),
    ("socket.accept", State::IoWait),
    ("socket._accept", State::IoWait),
    ("socket.connect", State::IoWait),
    ("socket.connect_ex", State::IoWait),
    ("socket.create_connection", State::IoWait),
    ("socket.getaddrinfo", State::IoWait),
    // Subprocesses and the os's waits and reads.
    ("subprocess.Popen.wait", State::IoWait),
    ("subprocess.Popen._wait", State::IoWait),
    ("subprocess.Popen._try_wait", State::IoWait),
    ("subprocess.Popen.communicate", State::IoWait),
    ("subprocess.Popen._communicate", State::IoWait),
    ("popen_fork.Popen.wait", State::IoWait),
    ("process.BaseProcess.join", State::IoWait),
    ("os.wait", State::IoWait),
    ("os.waitpid", State::IoWait),
    ("os.wait3", State::IoWait),
    ("os.wait4", State::IoWait),
    ("os.waitid", State::IoWait),
    ("os.read", State::IoWait),
    ("os.write", State::IoWait),
    ("posix.wait", State::IoWait),
    ("posix.waitpid", State::IoWait),
    ("posix.wait3", State::IoWait),
    ("posix.wait4", State::IoWait),
    ("posix.waitid", State::IoWait),
    ("posix.read", State::IoWait),
    ("posix.write", State::IoWait),
    // Locks.
    ("lock.acquire", State::LockWait),
    ("lock.__enter__", State::LockWait),
    ("Lock.acquire", State::LockWait),
    ("Lock.__enter__", State::LockWait),
    ("RLock.acquire", State::LockWait),
    ("RLock.__enter__", State::LockWait),
    ("_RLock.acquire", State::LockWait),
    ("_RLock.__enter__", State::LockWait),
    ("SemLock.acquire", State::LockWait),
    ("SemLock.__enter__", State::LockWait),
    ("Semaphore.acquire", State::LockWait),
    ("Semaphore.__enter__", State::LockWait),
    ("BoundedSemaphore.acquire", State::LockWait),
    // Events, conditions, barriers, joins.
    ("threading.Event.wait", State::LockWait),
    ("threading.Condition.wait", State::LockWait),
    ("threading.Condition.wait_for", State::LockWait),
    ("threading.Condition.__enter__", State::LockWait),
    ("threading.Barrier.wait", State::LockWait),
    ("threading.Thread.join", State::LockWait),
    ("threading.Thread._wait_for_tstate_lock", State::LockWait),
    // Queues and results handed over by other threads.
    ("queue.Queue.get", State::LockWait),
    ("queue.Queue.put", State::LockWait),
    ("queue.Queue.join", State::LockWait),
    ("queue.SimpleQueue.get", State::LockWait),
    ("_queue.SimpleQueue.get", State::LockWait),
    ("queues.Queue.get", State::LockWait),
    ("queues.Queue.put", State::LockWait),
    ("queues.SimpleQueue.get", State::LockWait),
    ("pool.ApplyResult.wait", State::LockWait),
    ("pool.ApplyResult.get", State::LockWait),
    ("_base.Future.result", State::LockWait),
    ("_base.Future.exception", State::LockWait),
    ("_base.wait", State::LockWait),
    ("_base.as_completed", State::LockWait),
];

/// What a thread waits for while `name` is its innermost call: I/O or
/// another thread; `None` for a call that computes.
pub(crate) fn blocking_state(name: &str) -> Option<State> {
    let dotted = dotted(name);
    let parts: Vec<&str> = dotted.split('.').collect();
    BLOCKING
        .iter()
        .find(|(pattern, _)| ends_with(&parts, pattern))
        .map(|&(_, state)| state)
}

/// The name as `module.qualname`: `qualname (dir/module.py:12)` becomes
/// `module.qualname`, `qualname (<frozen importlib._bootstrap>:12)` becomes
/// `importlib._bootstrap.qualname`; any other name is kept.
fn dotted(name: &str) -> String {
    let name = name.trim();
    let Some((qualname, place)) = name
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
    else {
        return name.to_owned();
    };
    // Drop the line number, then the directories and the `.py`.
    let file = place.rsplit_once(':').map_or(place, |(file, _)| file);
    let module = match file.strip_prefix("<frozen ") {
        Some(frozen) => frozen.trim_end_matches('>'),
        None => {
            let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
            base.strip_suffix(".py").unwrap_or(base)
        }
    };
    if module.is_empty() {
        qualname.to_owned()
    } else {
        format!("{module}.{qualname}")
    }
}

/// Whether the last parts of a name are those of `pattern` (`*` matching any one).
fn ends_with(parts: &[&str], pattern: &str) -> bool {
    let wanted: Vec<&str> = pattern.split('.').collect();
    parts.len() >= wanted.len()
        && parts[parts.len() - wanted.len()..]
            .iter()
            .zip(&wanted)
            .all(|(part, want)| *want == "*" || part == want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_names_each_tool_writes() {
        let io = Some(State::IoWait);
        let lock = Some(State::LockWait);
        // lanes_record.py: module.qualname.
        for (name, want) in [
            ("time.sleep", io),
            ("threading.Lock.acquire", lock),
            ("queue.Queue.get", lock),
            ("queue.Queue.put", lock),
            ("socket.socket.recv", io),
            ("threading.Event.wait", lock),
            ("threading.Thread.join", lock),
            ("subprocess.Popen.wait", io),
            ("os.waitpid", io),
            ("selectors.EpollSelector.select", io),
            ("multiprocessing.connection.wait", io),
            ("concurrent.futures._base.Future.result", lock),
        ] {
            assert_eq!(blocking_state(name), want, "{name}");
        }
        // VizTracer 1.1.1's names of C functions (seen in a real trace).
        for (name, want) in [
            ("time.sleep", io),
            ("_thread.lock.acquire", lock),
            ("_thread.lock.__enter__", lock),
            ("_thread.RLock.acquire", lock),
            ("select.poll.poll", io),
            ("select.epoll.poll", io),
            ("posix.waitpid", io),
            ("posix.read", io),
            ("socket.recv", io),
            ("socket.sendall", io),
            ("_multiprocessing.SemLock.acquire", lock),
            ("_queue.SimpleQueue.get", lock),
        ] {
            assert_eq!(blocking_state(name), want, "{name}");
        }
        // VizTracer's names of Python functions: qualname (file:line).
        for (name, want) in [
            ("Queue.get (/usr/lib/python3.11/queue.py:154)", lock),
            ("Event.wait (/usr/lib/python3.11/threading.py:611)", lock),
            (
                "Condition.wait (/usr/lib/python3.11/threading.py:295)",
                lock,
            ),
            ("Thread.join (/usr/lib/python3.11/threading.py:1087)", lock),
            (
                "Semaphore.acquire (/usr/lib/python3.11/threading.py:440)",
                lock,
            ),
            (
                "EpollSelector.select (/usr/lib/python3.11/selectors.py:451)",
                io,
            ),
            (
                "_PollLikeSelector.select (/usr/lib/python3.11/selectors.py:402)",
                io,
            ),
            ("Popen.wait (/usr/lib/python3.11/subprocess.py:1259)", io),
            (
                "wait (/usr/lib/python3.11/multiprocessing/connection.py:933)",
                io,
            ),
        ] {
            assert_eq!(blocking_state(name), want, "{name}");
        }
    }

    #[test]
    fn computing_calls_and_look_alikes_do_not_block() {
        for name in [
            "count_primes",
            "count_primes (prog.py:12)",
            "<module> (prog.py:1)",
            "_ModuleLock.acquire (<frozen importlib._bootstrap>:100)",
            "_thread.lock.release",
            "sleep (/usr/lib/python3.11/asyncio/tasks.py:637)",
            "mymodule.sleep",
            "Queue.qsize (/usr/lib/python3.11/queue.py:92)",
            "Event.is_set (/usr/lib/python3.11/threading.py:575)",
            "builtins.sum",
            "",
        ] {
            assert_eq!(blocking_state(name), None, "{name}");
        }
    }

    #[test]
    fn a_python_name_reads_as_module_and_qualname() {
        assert_eq!(dotted("Queue.get (/x/queue.py:154)"), "queue.Queue.get");
        assert_eq!(
            dotted("_ModuleLock.acquire (<frozen importlib._bootstrap>:100)"),
            "importlib._bootstrap._ModuleLock.acquire"
        );
        assert_eq!(dotted("f (C:\\py\\mod.py:3)"), "mod.f");
        assert_eq!(dotted("time.sleep"), "time.sleep");
    }
}
