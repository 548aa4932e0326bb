//! One CPU-bound thread beside one I/O-bound thread: the convoy effect.
//!
//! The CPU thread counts the primes below `size` in `tasks` items (tasks
//! `0..tasks`). The I/O thread makes `tasks` rounds (tasks `tasks..2·tasks`),
//! each a wait of `latency_us` followed by a little computing: counting the
//! primes among `lanes_model::PARSE_NUMBERS` small numbers. Under the GIL the I/O thread
//! must take the lock back after every wait, and with the CPU thread holding
//! it, that takes up to a switch interval each time: the I/O thread is far
//! slower beside the CPU thread than alone. With free threads it is not.

use lanes_model::PARSE_NUMBERS;
pub(crate) use lanes_model::{Role, round_range};
use lanes_trace::{Scenario, State, Trace};
use lanes_workloads::{Job, PrimeCount, count_primes_in};

use crate::event_loop::Coroutines;
use crate::record::Recorder;
use crate::threads::{Recorded, record_on_threads};
use crate::{Cancel, Clock, RunError, Sleeper};

/// A mixed scenario's two halves.
#[derive(Clone, Copy)]
pub(crate) struct Mixed<'a> {
    pub(crate) cpu: PrimeCount,
    pub(crate) latency_us: f64,
    sleeper: &'a dyn Sleeper,
}

impl<'a> Mixed<'a> {
    pub(crate) fn new(scenario: &Scenario, sleeper: &'a dyn Sleeper) -> Self {
        Self {
            cpu: PrimeCount::new(scenario.size, scenario.tasks),
            latency_us: f64::from(scenario.latency_us),
            sleeper,
        }
    }

    /// How many items the CPU thread has, and rounds the I/O thread makes.
    pub(crate) fn items(&self) -> u32 {
        self.cpu.tasks()
    }

    /// The task number of round `round`.
    pub(crate) fn round_task(&self, round: u32) -> u32 {
        self.items().saturating_add(round)
    }

    /// The answer of both threads together, computed in one plain pass.
    pub(crate) fn sequential_twin(&self) -> u64 {
        self.cpu.sequential_twin() + self.io_twin()
    }

    /// The I/O thread's part of the answer.
    fn io_twin(&self) -> u64 {
        count_primes_in(0..u64::from(self.items()) * PARSE_NUMBERS)
    }

    /// Runs `roles` one after another on one plain thread.
    pub(crate) fn run_plain(
        &self,
        roles: &[Role],
        lane: &mut Recorder<'_>,
        cancel: &Cancel,
    ) -> u64 {
        let mut sum = 0;
        for &role in roles {
            for i in 0..self.items() {
                if cancel.is_cancelled() {
                    return sum;
                }
                sum += match role {
                    Role::Cpu => lane.record(State::Running, Some(i), || self.cpu.run_task(i)),
                    Role::Io => {
                        let task = Some(self.round_task(i));
                        lane.record(State::IoWait, task, || {
                            self.sleeper.sleep_us(self.latency_us);
                        });
                        lane.record(State::Running, task, || count_primes_in(round_range(i)))
                    }
                };
            }
        }
        sum
    }
}

/// Runs the roles of each lane on plain threads (no GIL), one distinct
/// thread per lane; the lanes are numbered by position in `lanes`.
pub(crate) fn run_plain(
    mixed: &Mixed<'_>,
    lanes: &[&[Role]],
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<Recorded, RunError> {
    let threads = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
    record_on_threads(threads, clock, clock.now_us(), cancel, |lane, rec| {
        let roles = lanes.get(lane as usize).copied().unwrap_or_default();
        mixed.run_plain(roles, rec, cancel)
    })
}

/// The coroutines of a mixed run under an event loop: one per role.
pub(crate) struct MixedCoroutines<'m, 'a> {
    mixed: &'m Mixed<'a>,
    roles: Vec<Role>,
    /// The next item of each coroutine.
    next: Vec<u32>,
}

impl<'m, 'a> MixedCoroutines<'m, 'a> {
    pub(crate) fn new(mixed: &'m Mixed<'a>, roles: &[Role]) -> Self {
        Self {
            mixed,
            roles: roles.to_vec(),
            next: vec![0; roles.len()],
        }
    }
}

impl Coroutines for MixedCoroutines<'_, '_> {
    fn count(&self) -> u32 {
        u32::try_from(self.roles.len()).unwrap_or(u32::MAX)
    }

    fn next_item(&mut self, coroutine: u32) -> Option<u32> {
        let c = coroutine as usize;
        let (role, next) = (*self.roles.get(c)?, self.next.get_mut(c)?);
        if *next >= self.mixed.items() {
            return None;
        }
        let i = *next;
        *next += 1;
        Some(match role {
            Role::Cpu => i,
            Role::Io => self.mixed.round_task(i),
        })
    }

    fn await_us(&self, task: u32) -> f64 {
        if task < self.mixed.items() {
            0.0
        } else {
            self.mixed.latency_us
        }
    }

    fn compute(&self, task: u32) -> u64 {
        match task.checked_sub(self.mixed.items()) {
            None => self.mixed.cpu.run_task(task),
            Some(round) => count_primes_in(round_range(round)),
        }
    }
}

/// How long the I/O thread of a mixed trace took, in µs: from the start of
/// its first round to the end of its last (the spans of tasks `tasks..`).
/// `None` if the trace has no such spans.
pub fn io_time_us(trace: &Trace) -> Option<f64> {
    let first_round = trace.meta()?.scenario.tasks.max(1);
    let rounds = trace
        .spans()
        .iter()
        .filter(|s| s.task.is_some_and(|t| t >= first_round));
    let (start, end) = rounds.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), s| {
        (a.min(s.start_us), b.max(s.end_us))
    });
    (end >= start).then_some(end - start)
}

/// The I/O thread of a mixed scenario alone, and beside the CPU thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Convoy {
    /// The I/O thread by itself (its result is that thread's part only).
    pub alone: Trace,
    /// Both threads, as [`crate::run`] runs the scenario.
    pub beside: Trace,
}

impl Convoy {
    /// The I/O thread's time alone, in µs (see [`io_time_us`]).
    pub fn alone_us(&self) -> f64 {
        io_time_us(&self.alone).unwrap_or(f64::NAN)
    }

    /// The I/O thread's time beside the CPU thread, in µs.
    pub fn beside_us(&self) -> f64 {
        io_time_us(&self.beside).unwrap_or(f64::NAN)
    }

    /// How many times slower the I/O thread was beside the CPU thread.
    pub fn slowdown(&self) -> f64 {
        self.beside_us() / self.alone_us()
    }
}
