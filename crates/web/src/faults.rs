//! Faults injected on purpose, for the tests that check what the page does
//! when a worker dies: `window.lanes.injectFault(kind)` arms one, and the
//! next run of that kind meets it (once). Nothing arms them otherwise.
//!
//! A trap is the real thing: the worker's wasm executes `unreachable`, as a
//! bug or an allocation that fails would, and the page must report it and
//! start a new worker for the next run.

use std::cell::Cell;

/// A fault to inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The first process of the next processes run traps.
    ProcessTrap,
    /// The solo worker (a page without a pool) traps in the next run.
    SoloTrap,
    /// A thread of the pool traps as the next run on the pool starts.
    ThreadTrap,
}

impl Fault {
    /// Its name in `window.lanes.injectFault`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "process-trap" => Some(Self::ProcessTrap),
            "solo-trap" => Some(Self::SoloTrap),
            "thread-trap" => Some(Self::ThreadTrap),
            _ => None,
        }
    }
}

thread_local! {
    static ARMED: Cell<Option<Fault>> = const { Cell::new(None) };
}

/// Arms `fault` for the next run it applies to.
pub fn arm(fault: Fault) {
    ARMED.set(Some(fault));
}

/// Whether `fault` was armed; disarms it.
pub(crate) fn take(fault: Fault) -> bool {
    let armed = ARMED.get() == Some(fault);
    if armed {
        ARMED.set(None);
    }
    armed
}

/// Traps the calling thread's wasm instance (a pool thread's, for
/// [`Fault::ThreadTrap`]); a worker traps in the worker module's own
/// `lanes_trap`.
pub(crate) fn trap() {
    core::arch::wasm32::unreachable()
}
