//! A mixed run's threads: each takes the items of its own role, the CPU
//! thread its prime counts and the I/O thread its rounds.

use std::sync::atomic::{AtomicU32, Ordering};

use super::io::Round;
use super::kernels::Primes;
use super::{Item, Threads};
use crate::mixed::{Mixed, Role, round_range};

/// One thread per role, each with its own items, in order.
pub(crate) struct Roles<'a> {
    mixed: Mixed<'a>,
    roles: Vec<Role>,
    /// The next item of each thread.
    next: Vec<AtomicU32>,
}

impl<'a> Roles<'a> {
    pub(crate) fn new(mixed: Mixed<'a>, roles: &[Role]) -> Self {
        Self {
            mixed,
            roles: roles.to_vec(),
            next: roles.iter().map(|_| AtomicU32::new(0)).collect(),
        }
    }
}

impl<'a> Threads<'a> for Roles<'a> {
    fn count(&self) -> u32 {
        u32::try_from(self.roles.len()).unwrap_or(u32::MAX)
    }

    fn next_item(&self, thread: u32) -> Option<(u32, Box<dyn Item + 'a>)> {
        let t = thread as usize;
        let (role, next) = (*self.roles.get(t)?, self.next.get(t)?);
        // Only thread `thread` takes from its own counter.
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= self.mixed.items() {
            return None;
        }
        Some(match role {
            Role::Cpu => (i, Box::new(Primes::new(self.mixed.cpu.task_range(i)))),
            Role::Io => (
                self.mixed.round_task(i),
                Box::new(Round::new(self.mixed.latency_us, round_range(i))),
            ),
        })
    }
}
