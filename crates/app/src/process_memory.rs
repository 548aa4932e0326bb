//! The memory of a processes run: the page's one memory, which its threads
//! share, against the k processes' memories, each its own copy of the
//! program and of its data ("entire memory copied in each subprocess"). The
//! figures travel with the run's trace; `ui::memory` draws them.

pub use lanes_runtime::processes::ProcessMemory;

const MB: f64 = 1_048_576.0;

/// Bytes as megabytes with one decimal: "34.3 MB".
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MB)
}

/// The end of the bars' axis in MB: the smallest 1, 2, 2.5 or 5 × 10ⁿ at
/// least the largest memory, so the scale reads in round numbers.
pub fn axis_end_mb(m: &ProcessMemory) -> f64 {
    let largest = m
        .bytes_per_process
        .iter()
        .copied()
        .chain([m.main_bytes])
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
pub fn percent(m: &ProcessMemory, bytes: u64) -> f64 {
    (bytes as f64 / MB / axis_end_mb(m) * 100.0).clamp(0.0, 100.0)
}

/// The sentence that says what the bars show.
pub fn summary(m: &ProcessMemory) -> String {
    let total: u64 = m.bytes_per_process.iter().sum();
    let each = m.bytes_per_process.iter().copied().max().unwrap_or(0);
    let shared = format!(
        "The page's threads share one memory of {}",
        mb(m.main_bytes)
    );
    match m.bytes_per_process.len() {
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
        assert_eq!(axis_end_mb(&memory(0, &[])), 1.0);
        assert_eq!(axis_end_mb(&memory(34 * M, &[18 * M, 19 * M])), 50.0);
        assert_eq!(axis_end_mb(&memory(3 * M / 2, &[2 * M])), 2.0);
        assert_eq!(axis_end_mb(&memory(2 * M, &[21 * M / 10])), 2.5);
        assert_eq!(percent(&memory(M, &[M]), M), 100.0);
        assert_eq!(percent(&memory(2 * M, &[M]), M), 50.0);
    }

    #[test]
    fn the_summary_says_one_shared_memory_against_k_copies() {
        let two = ProcessMemory {
            bytes_per_process: vec![18 * M, 20 * M],
            main_bytes: 34 * M,
        };
        assert_eq!(
            summary(&two),
            "The page's threads share one memory of 34.0 MB; the 2 processes hold 38.0 MB in all, \
             up to 20.0 MB each — every one its own copy of the program and its data."
        );
        let one = ProcessMemory {
            bytes_per_process: vec![18 * M],
            ..two
        };
        assert!(
            summary(&one).ends_with(
                "the 1 process holds 18.0 MB — its own copy of the program and its data."
            )
        );
        assert_eq!(mb(M / 2), "0.5 MB");
    }
}
