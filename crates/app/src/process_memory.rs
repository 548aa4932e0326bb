//! The memory of a processes run: the page's one memory, which its threads
//! share, against the k processes' memories, each its own copy of the
//! program and of its data ("entire memory copied in each subprocess"). The
//! figures travel with the run's trace; `ui::memory` draws them.

/// The memory figures of a processes run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessMemory {
    /// Each process's wasm memory after its run, by process (a warm
    /// process's is its high-water mark over every run it did).
    pub bytes_per_process: Vec<u64>,
    /// The page's own wasm memory, which its threads share.
    pub main_bytes: u64,
}

const MB: f64 = 1_048_576.0;

/// Bytes as megabytes with one decimal: "34.3 MB".
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MB)
}

impl ProcessMemory {
    /// The end of the bars' axis in MB: the smallest 1, 2, 2.5 or 5 × 10ⁿ
    /// at least the largest memory, so the scale reads in round numbers.
    pub fn axis_end_mb(&self) -> f64 {
        let largest = self
            .bytes_per_process
            .iter()
            .copied()
            .chain([self.main_bytes])
            .max();
        let max_mb = largest.unwrap_or(0) as f64 / MB;
        if !max_mb.is_finite() || max_mb <= 0.0 {
            return 1.0;
        }
        let magnitude = 10f64.powf(max_mb.log10().floor());
        [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|f| f * magnitude)
            .find(|end| *end >= max_mb)
            .unwrap_or(10.0 * magnitude)
    }

    /// A bar's length for `bytes`, as a share of the axis in percent.
    pub fn percent(&self, bytes: u64) -> f64 {
        (bytes as f64 / MB / self.axis_end_mb() * 100.0).clamp(0.0, 100.0)
    }

    /// The sentence that says what the bars show.
    pub fn summary(&self) -> String {
        let total: u64 = self.bytes_per_process.iter().sum();
        let each = self.bytes_per_process.iter().copied().max().unwrap_or(0);
        let shared = format!(
            "The page's threads share one memory of {}",
            mb(self.main_bytes)
        );
        match self.bytes_per_process.len() {
            0 => format!("{shared}; this run held no processes."),
            1 => format!(
                "{shared}; the 1 process holds {} — its own copy of the program and its data.",
                mb(total)
            ),
            k => format!(
                "{shared}; the {k} processes hold {} in all, up to {} each — every one its own copy of the program and its data.",
                mb(total),
                mb(each)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: u64 = 1_048_576;

    #[test]
    fn the_axis_ends_at_a_round_number_past_the_largest_memory() {
        let memory = |main_bytes, per: &[u64]| ProcessMemory {
            bytes_per_process: per.to_vec(),
            main_bytes,
        };
        assert_eq!(memory(0, &[]).axis_end_mb(), 1.0);
        assert_eq!(memory(34 * M, &[18 * M, 19 * M]).axis_end_mb(), 50.0);
        assert_eq!(memory(3 * M / 2, &[2 * M]).axis_end_mb(), 2.0);
        assert_eq!(memory(2 * M, &[21 * M / 10]).axis_end_mb(), 2.5);
        assert_eq!(memory(M, &[M]).percent(M), 100.0);
        assert_eq!(memory(2 * M, &[M]).percent(M), 50.0);
    }

    #[test]
    fn the_summary_says_one_shared_memory_against_k_copies() {
        let two = ProcessMemory {
            bytes_per_process: vec![18 * M, 20 * M],
            main_bytes: 34 * M,
        };
        assert_eq!(
            two.summary(),
            "The page's threads share one memory of 34.0 MB; the 2 processes hold 38.0 MB in all, \
             up to 20.0 MB each — every one its own copy of the program and its data."
        );
        let one = ProcessMemory {
            bytes_per_process: vec![18 * M],
            ..two
        };
        assert!(
            one.summary().ends_with(
                "the 1 process holds 18.0 MB — its own copy of the program and its data."
            )
        );
        assert_eq!(mb(M / 2), "0.5 MB");
    }
}
