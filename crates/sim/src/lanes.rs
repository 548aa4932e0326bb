//! Lane names, as live runs name them.

use lanes_trace::{Lane, LaneKind, Model};

/// "Main thread" for sequential, else "Thread 1" to "Thread n".
pub(crate) fn threads(model: Model, n: u32) -> Vec<Lane> {
    if model == Model::Sequential {
        return vec![Lane::thread("Main thread")];
    }
    (1..=n)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect()
}

/// A mixed run's two lanes: "CPU thread" and "I/O thread" (or "task" for
/// the event loop's coroutines).
pub(crate) fn mixed(what: &str) -> Vec<Lane> {
    vec![
        Lane::thread(format!("CPU {what}")),
        Lane::thread(format!("I/O {what}")),
    ]
}

/// An event loop's coroutines: "Task 1" to "Task n".
pub(crate) fn tasks(n: u32) -> Vec<Lane> {
    (1..=n).map(|i| Lane::thread(format!("Task {i}"))).collect()
}

/// The GIL's lane.
pub(crate) fn gil() -> Lane {
    Lane {
        kind: LaneKind::Gil,
        name: "GIL".to_owned(),
    }
}

/// A processes run: "Main process" (the page), then "Process 1" to
/// "Process n".
pub(crate) fn processes(n: u32) -> Vec<Lane> {
    let mut lanes = vec![Lane {
        kind: LaneKind::Ui,
        name: "Main process".to_owned(),
    }];
    lanes.extend((1..=n).map(|i| Lane {
        kind: LaneKind::Process,
        name: format!("Process {i}"),
    }));
    lanes
}
