//! Who does what in a playback run: the producer's blocks on one thread,
//! the neighbours' prime counts on the others, and how a plain thread (no
//! GIL) drives its items.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use lanes_model::playback::NEIGHBOUR_ITEM_NUMBERS;
use lanes_trace::State;
use lanes_workloads::PrimeCount;

use super::blocks::Producer;
use crate::cpu::Kernel;
use crate::record::Recorder;
use crate::steps::{Item, Step, Threads, start};
use crate::{Cancel, Sleeper};

/// The producer's thread among [`Playback`]'s.
pub(super) const PRODUCER: u32 = 0;

/// The most items a neighbour run counts: far more than a melody lasts
/// (about a millisecond each), and within 32-bit numbers.
const NEIGHBOUR_ITEMS: u32 = 1 << 20;

/// The threads of a playback run: the producer (thread [`PRODUCER`]),
/// taking its blocks in order, and `neighbours` threads taking prime counts
/// of [`NEIGHBOUR_ITEM_NUMBERS`] numbers each from one shared queue until
/// the producer has made its last block.
pub(super) struct Playback<'a> {
    producer: &'a Producer<'a>,
    neighbours: u32,
    primes: Kernel,
    next: AtomicU32,
    done: AtomicBool,
}

impl<'a> Playback<'a> {
    pub(super) fn new(producer: &'a Producer<'a>, neighbours: u32) -> Self {
        let numbers = NEIGHBOUR_ITEM_NUMBERS * u64::from(NEIGHBOUR_ITEMS);
        Self {
            producer,
            neighbours,
            primes: Kernel::Primes(PrimeCount::new(numbers, NEIGHBOUR_ITEMS)),
            next: AtomicU32::new(0),
            done: AtomicBool::new(false),
        }
    }
}

impl<'a> Threads<'a> for Playback<'a> {
    fn count(&self) -> u32 {
        self.neighbours + 1
    }

    fn next_item(&self, thread: u32) -> Option<(u32, Box<dyn Item + 'a>)> {
        if thread == PRODUCER {
            let next = self.producer.next_item();
            if next.is_none() {
                self.done.store(true, Ordering::SeqCst);
                self.producer.ring().finish();
            }
            return next;
        }
        if self.done.load(Ordering::SeqCst) {
            return None;
        }
        let task = self.next.fetch_add(1, Ordering::Relaxed);
        (task < NEIGHBOUR_ITEMS).then(|| (task, start(&self.primes, task)))
    }
}

/// Runs thread `thread`'s items of `work` on the calling thread without a
/// GIL, recording onto `lane`: each wait an I/O-wait span, the computing
/// around it running spans, named by the item. Stops between two steps
/// once `cancel` is raised. Returns the sum of the finished items' results.
pub(super) fn run_plain(
    work: &dyn Threads<'_>,
    thread: u32,
    lane: &mut Recorder<'_>,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> u64 {
    let mut sum = 0_u64;
    while !cancel.is_cancelled() {
        let Some((task, mut item)) = work.next_item(thread) else {
            break;
        };
        let task = Some(task);
        let mut from_us = lane.now_us();
        let running = |lane: &mut Recorder<'_>, from_us: f64| {
            let now = lane.now_us();
            if now > from_us {
                lane.push(State::Running, task, from_us, now);
            }
        };
        loop {
            match item.step() {
                Step::Ran if cancel.is_cancelled() => break,
                Step::Ran => {}
                Step::Io(us) => {
                    running(lane, from_us);
                    lane.record(State::IoWait, task, || sleeper.sleep_us(us));
                    from_us = lane.now_us();
                }
                Step::Done(part) => {
                    sum = sum.wrapping_add(part);
                    break;
                }
            }
        }
        running(lane, from_us);
    }
    sum
}
