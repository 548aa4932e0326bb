//! How long each workload's default size takes on one thread, to choose the
//! defaults by (about 300 ms natively). Ignored: run it in release mode,
//!
//! ```text
//! cargo test --release -p lanes-workloads --test timing -- --ignored --nocapture
//! ```

use std::hint::black_box;
use std::time::Instant;

use lanes_workloads::{AudioFeatures, FrameAnalyzer, Job, Mandelbrot, PrimeCount};

fn ms_of(f: impl FnOnce() -> u64) -> (f64, u64) {
    let start = Instant::now();
    let result = f();
    (start.elapsed().as_secs_f64() * 1e3, result)
}

fn report(name: &str, job: &dyn Job) -> String {
    let (twin_ms, twin) = ms_of(|| job.sequential_twin());
    let mut task_ms = Vec::new();
    let (all_ms, sum) = ms_of(|| {
        (0..job.tasks()).fold(0_u64, |sum, t| {
            let (ms, r) = ms_of(|| job.run_task(t));
            task_ms.push(ms);
            sum.wrapping_add(r)
        })
    });
    assert_eq!(sum, twin, "{name}");
    let (lo, hi) = task_ms.iter().fold((f64::MAX, 0.0_f64), |(lo, hi), &ms| {
        (lo.min(ms), hi.max(ms))
    });
    format!(
        "{name}: twin {twin_ms:.1} ms, {} items in {all_ms:.1} ms (each {lo:.2}–{hi:.2} ms)",
        job.tasks()
    )
}

#[test]
#[ignore = "a measurement, not a check: run in release mode with --nocapture"]
fn default_sizes_take_about_300_ms() {
    let jobs: [(&str, &dyn Job); 3] = [
        ("primes below 5 000 000", &PrimeCount::new(5_000_000, 16)),
        (
            "mandelbrot",
            &Mandelbrot::from_size(Mandelbrot::DEFAULT_SIZE, 16),
        ),
        (
            "audio",
            &AudioFeatures::from_size(AudioFeatures::DEFAULT_SIZE, 16),
        ),
    ];
    for (name, job) in jobs {
        println!("{}", report(name, job));
    }

    // The units the GIL variants check between.
    let image = Mandelbrot::from_size(Mandelbrot::DEFAULT_SIZE, 16);
    let middle = image.height() / 2;
    let (ms, _) = ms_of(|| {
        (0..100)
            .map(|_| black_box(image.segment_checksum(black_box(middle), 700..828)))
            .sum()
    });
    println!("128 pixels through the set: {:.1} µs", ms * 10.0);
    let clip = AudioFeatures::from_size(1, 1).samples(0);
    let mut analyzer = FrameAnalyzer::new();
    let (ms, _) = ms_of(|| {
        (0..1000).fold(0, |n, i| {
            let f = analyzer.analyze(black_box(&clip[(i % 50) * 256..]));
            n + u64::from(f.rms > 0.0)
        })
    });
    println!("one frame's features: {ms:.1} µs");
    let (ms, _) = ms_of(|| {
        (0..100)
            .map(|i| black_box(AudioFeatures::from_size(1, 1).samples(i)).len() as u64)
            .sum()
    });
    println!("synthesizing one 1 s clip: {:.1} µs", ms * 10.0);
}
