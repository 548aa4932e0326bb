//! Amdahl's law, and fitting its serial fraction to measured speedups.

/// The speedup Amdahl's law predicts on `workers` workers when a share
/// `serial` (0 to 1) of the work cannot run in parallel:
/// 1 / (serial + (1 − serial) / workers).
pub fn amdahl_speedup(serial: f64, workers: f64) -> f64 {
    1.0 / (serial + (1.0 - serial) / workers)
}

/// The serial fraction, 0 to 1, whose Amdahl curve best matches measured
/// `(workers, speedup)` points, or `None` without points at two different
/// numbers of workers.
///
/// Starts from the closed-form least-squares fit of
/// 1/speedup = s + (1 − s)/k, then refines it on the squared error of the
/// speedups themselves and keeps whichever is closer. Points with no
/// workers or no finite positive speedup are ignored.
pub fn amdahl_fit(points: &[(u32, f64)]) -> Option<f64> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(k, speedup)| k > 0 && speedup.is_finite() && speedup > 0.0)
        .map(|&(k, speedup)| (f64::from(k), speedup))
        .collect();
    let mut ks: Vec<f64> = points.iter().map(|&(k, _)| k).collect();
    ks.sort_by(f64::total_cmp);
    ks.dedup();
    if ks.len() < 2 {
        return None;
    }
    // 1/S − 1/k = s (1 − 1/k): one unknown, so s = Σab / Σa².
    let (mut ab, mut aa) = (0.0, 0.0);
    for &(k, speedup) in &points {
        let a = 1.0 - 1.0 / k;
        let b = 1.0 / speedup - 1.0 / k;
        ab += a * b;
        aa += a * a;
    }
    let closed = (ab / aa).clamp(0.0, 1.0);
    let error = |s: f64| -> f64 {
        points
            .iter()
            .map(|&(k, speedup)| (amdahl_speedup(s, k) - speedup).powi(2))
            .sum()
    };
    let refined = golden_section(error, 0.0, 1.0);
    let best = if error(refined) < error(closed) {
        refined
    } else {
        closed
    };
    best.is_finite().then_some(best)
}

/// The minimum of `f` on `lo..hi`, assuming it has one valley there.
fn golden_section(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let ratio = (5_f64.sqrt() - 1.0) / 2.0;
    let mut a = hi - ratio * (hi - lo);
    let mut b = lo + ratio * (hi - lo);
    let (mut fa, mut fb) = (f(a), f(b));
    for _ in 0..80 {
        if fa <= fb {
            hi = b;
            b = a;
            fb = fa;
            a = hi - ratio * (hi - lo);
            fa = f(a);
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + ratio * (hi - lo);
            fb = f(b);
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(s: f64, ks: &[u32]) -> Vec<(u32, f64)> {
        ks.iter()
            .map(|&k| (k, amdahl_speedup(s, f64::from(k))))
            .collect()
    }

    #[test]
    fn exact_data_gives_back_its_serial_fraction() {
        for s in [0.0, 0.07, 0.25, 0.5, 1.0] {
            let fit = amdahl_fit(&exact(s, &[1, 2, 4, 8, 16])).unwrap_or(f64::NAN);
            assert!((fit - s).abs() < 1e-6, "{s} fitted as {fit}");
        }
        assert!((amdahl_speedup(0.0, 8.0) - 8.0).abs() < 1e-12);
        assert!((amdahl_speedup(1.0, 8.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn noisy_data_lands_close() {
        // ±3 % noise, fixed so the test is deterministic.
        let noise = [1.0, 1.03, 0.97, 1.02, 0.98, 1.01];
        let points: Vec<_> = exact(0.1, &[1, 2, 3, 4, 6, 8])
            .into_iter()
            .zip(noise)
            .map(|((k, speedup), n)| (k, speedup * n))
            .collect();
        let fit = amdahl_fit(&points).unwrap_or(f64::NAN);
        assert!((fit - 0.1).abs() < 0.02, "{fit}");
    }

    #[test]
    fn needs_two_worker_counts_and_stays_in_range() {
        assert_eq!(amdahl_fit(&[]), None);
        assert_eq!(amdahl_fit(&[(4, 3.0), (4, 3.2)]), None);
        assert_eq!(amdahl_fit(&[(0, 1.0), (4, f64::NAN), (2, 1.5)]), None);
        // Better than linear: no serial part at all.
        assert_eq!(amdahl_fit(&[(1, 1.0), (4, 5.0)]), Some(0.0));
        // Slower with more workers: everything is serial, and worse.
        assert_eq!(amdahl_fit(&[(1, 1.0), (4, 0.5)]), Some(1.0));
    }
}
