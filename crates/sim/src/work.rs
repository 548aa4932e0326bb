//! What each work item costs, in relative units, computed cheaply and
//! deterministically from the shape of the work (never by doing it).
//!
//! | workload | unit | an item costs |
//! |---|---|---|
//! | primes, io (parse), mixed | one trial-division step | the integral of [`prime_step_density`] over its numbers |
//! | mandelbrot | one escape-time iteration | its rows' pixels times the mean escape time of a coarse sample of each row, plus a little per pixel |
//! | audio | one clip | its clips |
//! | counter, counter-locked | one update | its updates |
//! | ui | — | nothing (the page runs it) |
//!
//! Mixed has `2 × tasks` items: the CPU thread's prime ranges, then the I/O
//! thread's rounds, each parsing `lanes_model::PARSE_NUMBERS` numbers, as the runtime
//! numbers them.

use std::ops::Range;

use lanes_model::round_range;
use lanes_trace::{Scenario, Workload};
use lanes_workloads::{AudioFeatures, Mandelbrot, PrimeCount, escape_time};

/// Sampled rows and columns of a Mandelbrot image, at most.
const SAMPLE_ROWS: u32 = 192;
const SAMPLE_COLS: u32 = 48;
/// What a pixel costs besides its iterations, in iterations.
const PIXEL_OVERHEAD: f64 = 2.0;
/// Simpson panels per prime range.
const PANELS: u32 = 16;

/// How many work items a scenario has: `tasks` (at least one), twice that
/// for mixed, none for UI.
pub(crate) fn item_count(scenario: &Scenario) -> u64 {
    let tasks = u64::from(scenario.tasks.max(1));
    match scenario.workload {
        Workload::Mixed => 2 * tasks,
        Workload::Ui => 0,
        _ => tasks,
    }
}

/// Relative cost units of each work item of `scenario`, by task number
/// (see the module docs for the units). Deterministic; its length is
/// [`item_count`].
pub fn task_costs(scenario: &Scenario) -> Vec<f64> {
    let (size, tasks) = (scenario.size, scenario.tasks);
    match scenario.workload {
        Workload::Primes | Workload::Io => prime_costs(PrimeCount::new(size, tasks)),
        Workload::Mixed => {
            let mut costs = prime_costs(PrimeCount::new(size, tasks));
            let rounds = tasks.max(1);
            costs.extend((0..rounds).map(|round| prime_units(round_range(round))));
            costs
        }
        Workload::Mandelbrot => mandelbrot_costs(&Mandelbrot::from_size(size, tasks)),
        Workload::Audio => {
            let job = AudioFeatures::from_size(size, tasks);
            (0..tasks.max(1))
                .map(|t| {
                    let clips = job.task_clips(t);
                    f64::from(clips.end - clips.start)
                })
                .collect()
        }
        Workload::Counter | Workload::CounterLocked => {
            let tasks = tasks.max(1);
            let edge = |i: u32| u128::from(size) * u128::from(i) / u128::from(tasks);
            (0..tasks).map(|t| (edge(t + 1) - edge(t)) as f64).collect()
        }
        Workload::Ui | Workload::Playback => Vec::new(),
    }
}

/// Trial-division steps spent per number near `n`, on average: one for
/// the cheap tests, plus the 6k ± 1 loop, which runs to √n for the primes
/// (one number in ln n) and stops early for composites. Fitted to exact
/// counts from 10⁴ to 10⁸ within a few percent.
pub fn prime_step_density(n: f64) -> f64 {
    let n = n.max(16.0);
    let ln = n.ln();
    1.0 + n.sqrt() / (6.0 * ln) * (1.0 + 3.7 / ln)
}

/// The trial-division steps of testing every number in `range`, by
/// Simpson's rule.
pub(crate) fn prime_units(range: Range<u64>) -> f64 {
    if range.end <= range.start {
        return 0.0;
    }
    let (a, b) = (range.start as f64, range.end as f64);
    let h = (b - a) / f64::from(PANELS);
    let mut sum = prime_step_density(a) + prime_step_density(b);
    for i in 1..PANELS {
        let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * prime_step_density(a + h * f64::from(i));
    }
    sum * h / 3.0
}

fn prime_costs(job: PrimeCount) -> Vec<f64> {
    use lanes_workloads::Job;
    (0..job.tasks())
        .map(|t| prime_units(job.task_range(t)))
        .collect()
}

/// Each item's rows, each row costing its width times the mean escape time
/// of the nearest sampled row.
fn mandelbrot_costs(image: &Mandelbrot) -> Vec<f64> {
    use lanes_workloads::Job;
    let (width, height) = (image.width(), image.height());
    let rows = height.min(SAMPLE_ROWS);
    let cols = width.min(SAMPLE_COLS);
    let sampled: Vec<f64> = (0..rows)
        .map(|j| {
            let row = centre(j, rows, height);
            let iterations: u64 = (0..cols)
                .map(|i| {
                    let (x, y) = image.point(centre(i, cols, width), row);
                    u64::from(escape_time(x, y, image.max_iter()))
                })
                .sum();
            f64::from(width) * (iterations as f64 / f64::from(cols) + PIXEL_OVERHEAD)
        })
        .collect();
    (0..image.tasks())
        .map(|t| {
            image
                .task_rows(t)
                .map(|row| {
                    let j = u64::from(row) * u64::from(rows) / u64::from(height);
                    sampled.get(j as usize).copied().unwrap_or(0.0)
                })
                .sum()
        })
        .collect()
}

/// The middle of the `i`-th of `parts` equal slices of `0..len`.
fn centre(i: u32, parts: u32, len: u32) -> u32 {
    let wide = (2 * u64::from(i) + 1) * u64::from(len) / (2 * u64::from(parts));
    u32::try_from(wide).unwrap_or(len.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use lanes_trace::Model;

    use super::*;

    fn exact_steps(range: Range<u64>) -> f64 {
        let mut steps = 0_u64;
        for n in range {
            steps += 1;
            if n < 5 || n % 2 == 0 || n % 3 == 0 {
                continue;
            }
            let mut d = 5;
            while d * d <= n {
                steps += 1;
                if n % d == 0 || n % (d + 2) == 0 {
                    break;
                }
                d += 6;
            }
        }
        steps as f64
    }

    #[test]
    fn prime_units_follow_the_real_step_counts() {
        for range in [0..20_000, 200_000..220_000, 3_000_000..3_020_000] {
            let model = prime_units(range.clone());
            let exact = exact_steps(range.clone());
            assert!(
                (model / exact - 1.0).abs() < 0.1,
                "{range:?}: {model} vs {exact}"
            );
        }
    }

    #[test]
    fn costs_have_one_entry_per_item_and_grow_like_the_work() {
        let s = |workload, size, tasks| Scenario::new(Model::Free, workload, 4, size, tasks);
        let primes = task_costs(&s(Workload::Primes, 1_000_000, 8));
        assert_eq!(primes.len(), 8);
        assert!(
            primes.windows(2).all(|w| w[0] < w[1]),
            "later ranges cost more"
        );
        assert_eq!(task_costs(&s(Workload::Mixed, 10_000, 5)).len(), 10);
        assert_eq!(task_costs(&s(Workload::Ui, 10_000, 5)).len(), 0);
        let counter = task_costs(&s(Workload::Counter, 1003, 7));
        assert_eq!(counter.iter().sum::<f64>(), 1003.0);
        let audio = task_costs(&s(Workload::Audio, 10, 4));
        assert_eq!(audio.iter().sum::<f64>(), 10.0);
        let mandelbrot = task_costs(&s(Workload::Mandelbrot, 400, 6));
        assert_eq!(mandelbrot.len(), 6);
        // The set sits in the middle rows: they cost the most.
        assert!(mandelbrot[2] > mandelbrot[0] && mandelbrot[3] > mandelbrot[5]);
        assert_eq!(task_costs(&s(Workload::Primes, 1_000_000, 8)), primes);
    }
}
