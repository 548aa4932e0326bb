//! A time-ordered queue of what happens next: a binary heap with ties
//! broken by insertion order, so runs are deterministic.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Something due at `at`, with a payload.
#[derive(Clone, Copy, Debug)]
struct Entry<T> {
    at: f64,
    seq: u64,
    what: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Entry<T> {}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Entry<T> {
    /// Reversed, so that the heap pops the earliest, then the first pushed.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.total_cmp(&self.at).then(other.seq.cmp(&self.seq))
    }
}

/// A min-queue by time; equal times come out in the order they went in.
#[derive(Debug)]
pub(crate) struct Queue<T> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T: Copy> Queue<T> {
    /// An empty queue with room for `capacity` entries.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            seq: 0,
        }
    }

    /// Adds `what`, due at `at`.
    pub(crate) fn push(&mut self, at: f64, what: T) {
        self.heap.push(Entry {
            at,
            seq: self.seq,
            what,
        });
        self.seq += 1;
    }

    /// The earliest entry's time, if any.
    pub(crate) fn peek_at(&self) -> Option<f64> {
        self.heap.peek().map(|e| e.at)
    }

    /// Removes and returns the earliest entry.
    pub(crate) fn pop(&mut self) -> Option<(f64, T)> {
        self.heap.pop().map(|e| (e.at, e.what))
    }

    /// How many entries are queued.
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion() {
        let mut q = Queue::with_capacity(4);
        q.push(2.0, 'a');
        q.push(1.0, 'b');
        q.push(2.0, 'c');
        q.push(0.5, 'd');
        assert_eq!(q.len(), 4);
        assert_eq!(q.peek_at(), Some(0.5));
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, w)| w)).collect();
        assert_eq!(order, ['d', 'b', 'a', 'c']);
    }
}
