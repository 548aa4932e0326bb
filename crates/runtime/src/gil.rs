//! Threads under a global interpreter lock, as CPython runs them since 3.2.
//!
//! One [`Gil`] is shared by the threads of a run; each thread computes only
//! while it holds it, through its own [`GilThread`] handle, which also records
//! what the thread did: running while it holds the lock, waiting for the GIL,
//! I/O wait. A thread that wants the lock waits for at most one
//! [`SwitchInterval`]; if the lock has not changed hands by then, it asks the
//! holder to drop it, and the holder does at its next [`GilThread::check`].
//! [`run_gil`] runs the items of [`crate::steps`] that way on k threads of
//! the current rayon pool, a check between two steps; the GIL lane comes
//! from the lock's holdings.

mod interval;
mod lock;
mod run;
#[cfg(test)]
mod tests;
mod threads;

pub use interval::{GilError, SwitchInterval};
pub use lock::{Gil, GilThread};
pub(crate) use run::{GilRecorded, run_gil};
pub(crate) use threads::run_python_threads;
