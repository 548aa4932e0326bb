//! A mixed run's threads: each takes the items of its own role, the CPU
//! thread its prime counts and the I/O thread its rounds.

use super::io::Round;
use super::kernels::Primes;
use super::step::{Item, Threads};
use crate::mixed::{Mixed, Role};

/// One thread per role, each with its own items, in order.
pub(super) struct Roles<'a> {
    mixed: Mixed<'a>,
    roles: Vec<Role>,
    /// The next item of each thread.
    next: Vec<u32>,
}

impl<'a> Roles<'a> {
    pub(super) fn new(mixed: Mixed<'a>, roles: &[Role]) -> Self {
        Self {
            mixed,
            roles: roles.to_vec(),
            next: vec![0; roles.len()],
        }
    }
}

impl<'a> Threads<'a> for Roles<'a> {
    fn count(&self) -> u32 {
        u32::try_from(self.roles.len()).unwrap_or(u32::MAX)
    }

    fn next_item(&mut self, thread: u32) -> Option<(u32, Box<dyn Item + 'a>)> {
        let t = thread as usize;
        let (role, next) = (*self.roles.get(t)?, self.next.get_mut(t)?);
        if *next >= self.mixed.items() {
            return None;
        }
        let i = *next;
        *next += 1;
        Some(match role {
            Role::Cpu => (i, Box::new(Primes::new(self.mixed.cpu.task_range(i)))),
            Role::Io => (
                self.mixed.round_task(i),
                Box::new(Round::new(
                    self.mixed.latency_us,
                    crate::mixed::round_range(i),
                )),
            ),
        })
    }
}
