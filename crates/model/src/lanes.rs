//! Lane names, one spelling for live and simulated runs.

use lanes_trace::{Lane, LaneKind, Model, Scenario, Workload};

use crate::Role;

/// "Main thread" for sequential, else "Thread 1" to "Thread n".
pub fn threads(model: Model, n: u32) -> Vec<Lane> {
    if model == Model::Sequential {
        return vec![Lane::thread("Main thread")];
    }
    (1..=n)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect()
}

/// A mixed run's lanes, one per role: "CPU thread" and "I/O thread" (or
/// "task" for the event loop's coroutines, as `what` says).
pub fn roles(what: &str, roles: &[Role]) -> Vec<Lane> {
    roles
        .iter()
        .map(|role| match role {
            Role::Cpu => Lane::thread(format!("CPU {what}")),
            Role::Io => Lane::thread(format!("I/O {what}")),
        })
        .collect()
}

/// An event loop's coroutine `lane` (from 0): "Task 1" for lane 0.
pub fn task(lane: u32) -> Lane {
    Lane::thread(format!("Task {}", lane + 1))
}

/// The GIL's lane.
pub fn gil() -> Lane {
    Lane {
        kind: LaneKind::Gil,
        name: "GIL".to_owned(),
    }
}

/// A processes run: "Main process" (the page), then "Process 1" to
/// "Process n".
pub fn processes(n: u32) -> Vec<Lane> {
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

/// Every lane of a whole run of `scenario`, in order: the workers (threads,
/// coroutines, the page and its processes; a mixed run's two roles), then
/// the GIL's lane under the GIL.
pub fn of_run(scenario: &Scenario) -> Vec<Lane> {
    let (model, k) = (scenario.model, scenario.k);
    let both = [Role::Cpu, Role::Io];
    let mut lanes = match (model, scenario.workload) {
        (Model::Processes, _) => return processes(k),
        (Model::Sequential, _) => threads(model, 1),
        (Model::Asyncio, Workload::Mixed) => roles("task", &both),
        (Model::Asyncio, _) => (0..k).map(task).collect(),
        (_, Workload::Mixed) => roles("thread", &both),
        _ => threads(model, k),
    };
    if model == Model::Gil {
        lanes.push(gil());
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(scenario: Scenario) -> Vec<String> {
        of_run(&scenario).into_iter().map(|l| l.name).collect()
    }

    #[test]
    fn runs_name_their_lanes_as_the_page_shows_them() {
        let s = |model, workload, k| Scenario::new(model, workload, k, 1000, 4);
        assert_eq!(
            names(s(Model::Sequential, Workload::Mixed, 4)),
            ["Main thread"]
        );
        assert_eq!(
            names(s(Model::Free, Workload::Primes, 2)),
            ["Thread 1", "Thread 2"]
        );
        assert_eq!(names(s(Model::Gil, Workload::Io, 1)), ["Thread 1", "GIL"]);
        assert_eq!(
            names(s(Model::Gil, Workload::Mixed, 5)),
            ["CPU thread", "I/O thread", "GIL"]
        );
        assert_eq!(
            names(s(Model::Asyncio, Workload::Io, 2)),
            ["Task 1", "Task 2"]
        );
        assert_eq!(
            names(s(Model::Asyncio, Workload::Mixed, 2)),
            ["CPU task", "I/O task"]
        );
        assert_eq!(
            names(s(Model::Processes, Workload::Audio, 2)),
            ["Main process", "Process 1", "Process 2"]
        );
        assert_eq!(
            of_run(&s(Model::Gil, Workload::Primes, 1))[1].kind,
            LaneKind::Gil
        );
    }
}
