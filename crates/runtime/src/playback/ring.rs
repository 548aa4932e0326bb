//! The ring buffer between the producer and the player, in shared memory.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::Cancel;

/// How long [`AudioRing::wait_for_room`] sleeps between two looks.
const POLL: Duration = Duration::from_micros(200);

/// A single-producer, single-consumer ring of mono `f32` frames that the
/// producer (in this wasm instance) writes and the player (an AudioWorklet,
/// which sees this instance's memory as a `SharedArrayBuffer`) reads.
///
/// # Layout
///
/// A header of [`Self::HEADER_SLOTS`] `u32` slots, 4-byte aligned, at
/// [`Self::header_ptr`]:
///
/// | slot | name | written by | meaning |
/// | --- | --- | --- | --- |
/// | 0 [`Self::WRITE`] | WRITE | producer | frames written so far, in all (wraps at 2³²) |
/// | 1 [`Self::READ`] | READ | player | frames the player consumed so far (wraps at 2³²) |
/// | 2 [`Self::CAPACITY`] | CAPACITY | nobody after [`Self::new`] | frames the ring holds |
/// | 3 [`Self::BLOCK`] | BLOCK | nobody after [`Self::new`] | frames in one block |
/// | 4 [`Self::DONE`] | DONE | producer | 1 once it published its last block, or gave up |
/// | 5 [`Self::STARTED`] | STARTED | player | 1 once it started playing |
/// | 6 [`Self::FINISHED`] | FINISHED | player | 1 once it stopped reading the ring for good |
/// | 7 | | | reserved, 0 |
///
/// Then `capacity` samples, `f32`, at [`Self::data_ptr`]: frame `i`
/// (counted modulo 2³², like WRITE) lives at `data[i % capacity]`. The
/// ring holds `WRITE - READ` frames (wrapping arithmetic), at most
/// `capacity`.
///
/// The producer stores a block's samples (relaxed) and then WRITE
/// (sequentially consistent), so a player that loads WRITE sees the
/// samples before it; the player reads samples below WRITE and then
/// stores READ. `capacity` need not be a multiple of the block: a block
/// may wrap around the end of the data.
#[derive(Debug)]
pub struct AudioRing {
    header: Box<[AtomicU32; AudioRing::HEADER_SLOTS]>,
    /// The samples, as their `f32` bits.
    data: Box<[AtomicU32]>,
}

impl AudioRing {
    /// Header slot: frames written so far.
    pub const WRITE: usize = 0;
    /// Header slot: frames the player consumed so far.
    pub const READ: usize = 1;
    /// Header slot: frames the ring holds.
    pub const CAPACITY: usize = 2;
    /// Header slot: frames in one block.
    pub const BLOCK: usize = 3;
    /// Header slot: 1 once the producer is done.
    pub const DONE: usize = 4;
    /// Header slot: 1 once the player started playing.
    pub const STARTED: usize = 5;
    /// Header slot: 1 once the player will not read the ring again.
    pub const FINISHED: usize = 6;
    /// Slots in the header, reserved ones included.
    pub const HEADER_SLOTS: usize = 8;

    /// An empty ring of `capacity` frames (at least 1) for blocks of
    /// `block` frames (at least 1, at most `capacity`).
    pub fn new(capacity: u32, block: u32) -> Self {
        let capacity = capacity.max(1);
        let header: Box<[AtomicU32; Self::HEADER_SLOTS]> =
            Box::new(std::array::from_fn(|_| AtomicU32::new(0)));
        header[Self::CAPACITY].store(capacity, Ordering::Relaxed);
        header[Self::BLOCK].store(block.clamp(1, capacity), Ordering::Relaxed);
        let data = (0..capacity).map(|_| AtomicU32::new(0)).collect();
        Self { header, data }
    }

    /// Frames the ring holds.
    pub fn capacity(&self) -> u32 {
        self.slot(Self::CAPACITY)
    }

    /// Frames in one block.
    pub fn block(&self) -> u32 {
        self.slot(Self::BLOCK)
    }

    /// Frames written so far (modulo 2³²).
    pub fn written(&self) -> u32 {
        self.slot(Self::WRITE)
    }

    /// Frames the player consumed so far (modulo 2³²).
    pub fn consumed(&self) -> u32 {
        self.slot(Self::READ)
    }

    /// Frames in the ring, written and not yet consumed.
    pub fn filled(&self) -> u32 {
        let (write, read) = (self.slot(Self::WRITE), self.slot(Self::READ));
        write.wrapping_sub(read).min(self.capacity())
    }

    /// Frames that may be written without overwriting unread ones.
    pub fn room(&self) -> u32 {
        self.capacity() - self.filled()
    }

    /// Writes one block and publishes it: as many of `samples` as there is
    /// room for (all of them when the caller waited for room for them),
    /// then WRITE. Returns how many it wrote; frames that do not fit are
    /// dropped rather than overwrite unread ones, and it never panics.
    pub fn publish(&self, samples: &[f32]) -> u32 {
        let fits = u32::try_from(samples.len())
            .unwrap_or(u32::MAX)
            .min(self.room());
        let write = self.slot(Self::WRITE);
        let capacity = self.data.len();
        let mut at = write as usize % capacity;
        for &sample in samples.iter().take(fits as usize) {
            if let Some(slot) = self.data.get(at) {
                slot.store(sample.to_bits(), Ordering::Relaxed);
            }
            at = (at + 1) % capacity;
        }
        self.header[Self::WRITE].store(write.wrapping_add(fits), Ordering::SeqCst);
        fits
    }

    /// Says that no more blocks will come (DONE).
    pub fn finish(&self) {
        self.header[Self::DONE].store(1, Ordering::SeqCst);
    }

    /// Whether the producer said it is done.
    pub fn done(&self) -> bool {
        self.slot(Self::DONE) != 0
    }

    /// Whether the player said it started playing (STARTED).
    pub fn started(&self) -> bool {
        self.slot(Self::STARTED) != 0
    }

    /// Blocks until the ring has room for `frames` (at most its capacity)
    /// or `cancel` is raised, looking every 200 µs; returns whether there
    /// is room.
    ///
    /// It sleeps with [`std::thread::sleep`]: on the web that is an
    /// `Atomics.wait`, which only worker threads may do. Never call it on
    /// the page's main thread; there, write while [`Self::room`] allows.
    pub fn wait_for_room(&self, frames: u32, cancel: &Cancel) -> bool {
        let frames = frames.min(self.capacity());
        loop {
            if self.room() >= frames {
                return true;
            }
            if cancel.is_cancelled() {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Blocks until the player says it will not read the ring again
    /// (FINISHED), or `cancel` is raised, looking every 200 µs; returns
    /// whether it said so. A ring in a process's own memory must live until
    /// then: the player reads it after the producer's last block, and one
    /// more time to see that nothing is left. Worker threads only, as
    /// [`Self::wait_for_room`].
    pub fn wait_finished(&self, cancel: &Cancel) -> bool {
        loop {
            if self.slot(Self::FINISHED) != 0 {
                return true;
            }
            if cancel.is_cancelled() {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }

    /// The player's side, as the AudioWorklet does it in JavaScript (here
    /// for native tests): marks the player started, copies up to
    /// `out.len()` frames out of the ring, consumes them and returns how
    /// many it took.
    pub fn take(&self, out: &mut [f32]) -> u32 {
        self.header[Self::STARTED].store(1, Ordering::Relaxed);
        let read = self.slot(Self::READ);
        let available = self.header[Self::WRITE]
            .load(Ordering::SeqCst)
            .wrapping_sub(read)
            .min(self.capacity());
        let took = u32::try_from(out.len()).unwrap_or(u32::MAX).min(available);
        let capacity = self.data.len();
        let mut at = read as usize % capacity;
        for sample in out.iter_mut().take(took as usize) {
            let bits = self.data.get(at).map_or(0, |s| s.load(Ordering::Relaxed));
            *sample = f32::from_bits(bits);
            at = (at + 1) % capacity;
        }
        self.header[Self::READ].store(read.wrapping_add(took), Ordering::SeqCst);
        took
    }

    /// The header's address in this instance's memory, bytes (natively a
    /// truncated address, only good for comparing).
    pub fn header_ptr(&self) -> u32 {
        self.header.as_ptr() as usize as u32
    }

    /// The samples' address in this instance's memory, bytes.
    pub fn data_ptr(&self) -> u32 {
        self.data.as_ptr() as usize as u32
    }

    fn slot(&self, slot: usize) -> u32 {
        self.header
            .get(slot)
            .map_or(0, |s| s.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;

    #[test]
    fn the_header_says_what_the_ring_holds() {
        let ring = AudioRing::new(768, 128);
        assert_eq!((ring.capacity(), ring.block()), (768, 128));
        assert_eq!((ring.filled(), ring.room()), (0, 768));
        assert!(!ring.done() && !ring.started());
        assert_eq!(ring.header_ptr() % 4, 0);
        assert_eq!(ring.data_ptr() % 4, 0);
        assert_eq!(ring.publish(&[0.25; 128]), 128);
        assert_eq!(
            (ring.written(), ring.filled(), ring.room()),
            (128, 128, 640)
        );
        let mut out = [0.0; 100];
        assert_eq!(ring.take(&mut out), 100);
        assert!(ring.started());
        assert_eq!(out, [0.25; 100]);
        assert_eq!(
            (ring.consumed(), ring.filled(), ring.room()),
            (100, 28, 740)
        );
        ring.finish();
        assert!(ring.done());
    }

    #[test]
    fn blocks_wrap_around_a_capacity_that_is_not_a_multiple() {
        // Three blocks of 3 in a ring of 7: the third wraps.
        let ring = AudioRing::new(7, 3);
        let mut out = [0.0; 7];
        for block in 0..20_u16 {
            let samples: Vec<f32> = (0..3).map(|i| f32::from(block * 3 + i)).collect();
            assert_eq!(ring.publish(&samples), 3);
            assert_eq!(ring.take(&mut out[..3]), 3);
            assert_eq!(out[..3], samples[..], "block {block}");
        }
        // A full ring drops what does not fit rather than overwrite.
        assert_eq!(ring.publish(&[1.0; 3]), 3);
        assert_eq!(ring.publish(&[2.0; 3]), 3);
        assert_eq!(ring.publish(&[3.0; 3]), 1);
        assert_eq!((ring.filled(), ring.room()), (7, 0));
        assert_eq!(ring.publish(&[4.0; 3]), 0);
        assert_eq!(ring.take(&mut out), 7);
        assert_eq!(out, [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0]);
        assert_eq!(ring.take(&mut out), 0);
    }

    #[test]
    fn the_counts_wrap_at_two_to_the_32() {
        let ring = AudioRing::new(8, 4);
        ring.header[AudioRing::WRITE].store(u32::MAX - 1, Ordering::SeqCst);
        ring.header[AudioRing::READ].store(u32::MAX - 1, Ordering::SeqCst);
        assert_eq!(ring.room(), 8);
        assert_eq!(ring.publish(&[1.0, 2.0, 3.0, 4.0]), 4);
        assert_eq!((ring.written(), ring.filled()), (2, 4));
        let mut out = [0.0; 4];
        assert_eq!(ring.take(&mut out), 4);
        assert_eq!(out, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(ring.filled(), 0);
    }

    #[test]
    fn waiting_for_room_ends_with_room_or_a_cancel() {
        let ring = AudioRing::new(4, 4);
        ring.publish(&[0.5; 4]);
        let cancel = Cancel::new();
        thread::scope(|s| {
            let waiter = s.spawn(|| ring.wait_for_room(4, &cancel));
            thread::sleep(Duration::from_millis(5));
            cancel.cancel();
            assert!(!waiter.join().unwrap());
        });
        let cancel = Cancel::new();
        thread::scope(|s| {
            let waiter = s.spawn(|| ring.wait_for_room(2, &cancel));
            thread::sleep(Duration::from_millis(5));
            ring.take(&mut [0.0; 2]);
            assert!(waiter.join().unwrap());
        });
        // Asking for more than the ring holds waits for an empty ring.
        ring.take(&mut [0.0; 4]);
        assert!(ring.wait_for_room(100, &Cancel::new()));
        let cancelled = Cancel::new();
        cancelled.cancel();
        assert!(
            !ring.wait_finished(&cancelled),
            "the player is not done: the wait was cancelled"
        );
        ring.header[AudioRing::FINISHED].store(1, Ordering::SeqCst);
        assert!(
            ring.wait_finished(&cancelled),
            "the player is done: no wait"
        );
    }
}
