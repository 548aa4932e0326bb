#![doc = include_str!("../README.md")]
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its figures"
)]

mod sim;

use std::collections::BTreeMap;
use std::process::ExitCode;

use lanes_runtime::{Cancel, Environment, MAX_THREADS, MonotonicClock, run, run_untraced};
use lanes_trace::{Model, Scenario, Workload};

/// The prime bound the figures use, the page's default.
const SIZE: u64 = 5_000_000;
/// Work items, as in the page.
const TASKS: u32 = 32;
/// Timed repetitions after the warm-up; the median counts.
const REPS: usize = 5;

struct Args {
    json: Option<String>,
    size: u64,
    reps: usize,
    /// Whether to measure the simulator too (`--no-sim` skips it).
    sim: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        json: None,
        size: SIZE,
        reps: REPS,
        sim: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--json" => args.json = Some(value()?),
            "--size" => args.size = value()?.parse().map_err(|e| format!("--size: {e}"))?,
            "--reps" => args.reps = value()?.parse().map_err(|e| format!("--reps: {e}"))?,
            "--no-sim" => args.sim = false,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Median ms to import a Chrome trace of 10⁶ complete events (an export of
/// a synthetic trace), natively.
fn import_ms() -> Result<f64, String> {
    let json = lanes_trace::to_chrome_json(&lanes_trace::synthetic::trace(8, 125_000));
    let mut times = Vec::new();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let imported = lanes_trace::from_chrome_json(&json).map_err(|e| e.to_string())?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        drop(imported);
    }
    Ok(median(times))
}

/// Median ms to decode 10⁶ spans that [`lanes_trace::encode`] wrote (what a
/// worker's import hands the page), natively.
fn decode_ms() -> Result<f64, String> {
    let bytes = lanes_trace::encode(&[lanes_trace::synthetic::trace(8, 125_000)]);
    let mut times = Vec::new();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let traces = lanes_trace::decode(&bytes).map_err(|e| e.to_string())?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        drop(traces);
    }
    Ok(median(times))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "lanes-bench: {e}\nusage: lanes-bench [--json FILE] [--size N] [--reps R] [--no-sim]"
            );
            return ExitCode::FAILURE;
        }
    };
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS as usize);
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(MAX_THREADS as usize)
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("lanes-bench: cannot start threads: {e}");
            return ExitCode::FAILURE;
        }
    };
    let env = Environment {
        cores: u32::try_from(cores).unwrap_or(1),
        cross_origin_isolated: true,
        name: "native".to_owned(),
    };
    let clock = MonotonicClock::new();
    let time = |model: Model, k: u32| -> Result<f64, String> {
        let scenario = Scenario::new(model, Workload::Primes, k, args.size, TASKS);
        let mut times = Vec::with_capacity(args.reps);
        // One warm-up run, then the timed ones.
        for rep in 0..=args.reps {
            let trace = pool
                .install(|| run(&scenario, &clock, &env, &Cancel::new()))
                .map_err(|e| e.to_string())?;
            if rep > 0 {
                times.push(trace.makespan_ms());
            }
        }
        Ok(median(times))
    };

    let mut figures = BTreeMap::new();
    let outcome = (|| -> Result<(), String> {
        figures.insert("native_single_ms".to_owned(), time(Model::Sequential, 1)?);
        let mut base = f64::NAN;
        for k in 1..=u32::try_from(cores).unwrap_or(1) {
            let ms = time(Model::Free, k)?;
            if k == 1 {
                base = ms;
            }
            figures.insert(format!("native_free_k{k}_ms"), ms);
            figures.insert(format!("native_speedup_k{k}"), base / ms);
        }
        // Tracing's cost: the same free-threads run with and without spans,
        // alternated so that both see the same machine.
        let k = u32::try_from(cores).unwrap_or(1);
        let scenario = Scenario::new(Model::Free, Workload::Primes, k, args.size, TASKS);
        let (mut traced, mut untraced) = (Vec::new(), Vec::new());
        for rep in 0..=args.reps {
            let start = std::time::Instant::now();
            pool.install(|| run(&scenario, &clock, &env, &Cancel::new()))
                .map_err(|e| e.to_string())?;
            let middle = std::time::Instant::now();
            pool.install(|| run_untraced(&scenario, &Cancel::new()))
                .map_err(|e| e.to_string())?;
            if rep > 0 {
                traced.push((middle - start).as_secs_f64() * 1000.0);
                untraced.push(middle.elapsed().as_secs_f64() * 1000.0);
            }
        }
        let (traced, untraced) = (median(traced), median(untraced));
        figures.insert("native_traced_ms".to_owned(), traced);
        figures.insert("native_untraced_ms".to_owned(), untraced);
        figures.insert("native_tracing_overhead".to_owned(), traced / untraced);
        Ok(())
    })();
    if let Err(e) = outcome {
        eprintln!("lanes-bench: {e}");
        return ExitCode::FAILURE;
    }
    if args.sim
        && let Err(e) = sim::report(&mut figures, &pool, &env, args.reps)
    {
        eprintln!("lanes-bench: simulator: {e}");
    }
    match import_ms() {
        Ok(ms) => {
            figures.insert("import_native_1e6_ms".to_owned(), ms);
        }
        Err(e) => eprintln!("lanes-bench: import: {e}"),
    }
    match decode_ms() {
        Ok(ms) => {
            figures.insert("decode_native_1e6_ms".to_owned(), ms);
        }
        Err(e) => eprintln!("lanes-bench: decode: {e}"),
    }
    figures.insert("native_cores".to_owned(), cores as f64);
    figures.insert("size".to_owned(), args.size as f64);

    println!(
        "native, primes below {} (median of {}):",
        args.size, args.reps
    );
    for (name, value) in &figures {
        println!("  {name:<24} {value:>10.3}");
    }
    if let Some(path) = args.json {
        let json = serde_json::to_string_pretty(&figures).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, json) {
            eprintln!("lanes-bench: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
