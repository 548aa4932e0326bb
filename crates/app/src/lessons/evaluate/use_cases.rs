//! Step 7, "Use cases": CPU-bound audio preprocessing in processes and in
//! threads under the GIL, then I/O-bound requests on one thread, in
//! threads under the GIL and in an event loop.

use lanes_trace::{LaneKind, State, Trace};

use super::measure::{at_once, times_faster, took};
use super::{Claim, Outcome};
use crate::format::ratio;
use crate::lessons::content::ids::use_cases as id;

/// Threads "speed up" the requests from this speedup on.
const SPEEDS_UP_FROM: f64 = 1.25;

/// Reads `[processes audio, gil audio, sequential io, gil io, asyncio io]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[procs, gil_audio, seq_io, gil_io, event_loop] = runs else {
        return None;
    };
    let cpu = times_faster(procs, gil_audio);
    let io = times_faster(gil_io, seq_io);
    let looped = times_faster(event_loop, seq_io);
    let k = gil_io.meta()?.scenario.k;
    let half = f64::from(k) / 2.0;
    let (waiting, _) = at_once(gil_io, LaneKind::Thread, State::IoWait);
    let claims = vec![
        Claim::new(
            cpu > 1.0,
            format!(
                "Processes computed the audio features {} faster than threads under the GIL ({} against {}).",
                ratio(cpu),
                took(procs),
                took(gil_audio)
            ),
        ),
        Claim::new(
            io >= half,
            format!(
                "{k} threads under the GIL finished the requests {} faster than one thread ({} against {}): at least k/2 = {half}.",
                ratio(io),
                took(gil_io),
                took(seq_io)
            ),
        ),
        Claim::new(
            waiting >= 2,
            format!(
                "Their waits overlapped: up to {waiting} threads were waiting for the network at the same moment."
            ),
        ),
        Claim::new(
            looped >= f64::from(event_loop.meta()?.scenario.k) / 2.0,
            format!(
                "The event loop, on one thread, finished them {} faster than one thread too ({}).",
                ratio(looped),
                took(event_loop)
            ),
        ),
    ];
    Some(Outcome {
        answer: answer(cpu, io),
        summary: format!(
            "Audio: processes {}, threads under the GIL {}. Requests: one thread {}, threads under the GIL {}, event loop {}.",
            took(procs),
            took(gil_audio),
            took(seq_io),
            took(gil_io),
            took(event_loop)
        ),
        claims,
    })
}

/// The choice borne out by how much faster processes computed the audio
/// than GIL threads (`cpu`) and GIL threads ran the requests than one
/// thread (`io`).
pub(super) fn answer(cpu: f64, io: f64) -> &'static str {
    match (cpu > 1.0, io >= SPEEDS_UP_FROM) {
        (true, true) => id::PROCESSES_THEN_THREADS,
        (false, true) => id::THREADS_BOTH,
        (true, false) => id::PROCESSES_ONLY,
        (false, false) => id::THREADS_ONLY,
    }
}
