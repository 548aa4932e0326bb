//! The simulator's figures: how fast it simulates a run of a million spans,
//! and how far its makespans fall from live runs of the same scenarios once
//! it has been calibrated from this machine's live runs.

use std::collections::BTreeMap;

use lanes_runtime::{Cancel, Environment, MonotonicClock, run};
use lanes_sim::{CostModel, Options, simulate};
use lanes_trace::{Model, Scenario, Trace, Workload};

use crate::median;

/// GIL threads making many small requests: about a million spans.
fn million_spans() -> Scenario {
    let mut s = Scenario::new(Model::Gil, Workload::Io, 16, 340_000, 340_000);
    s.interval_us = 1_000;
    s.latency_us = 2_000;
    s
}

/// Median ms to simulate [`million_spans`] (of `reps`), and its span count.
pub(crate) fn speed(reps: usize) -> Result<(f64, usize), String> {
    let scenario = million_spans();
    let costs = CostModel::reference();
    let options = Options { cores: 8, seed: 1 };
    let mut times = Vec::with_capacity(reps);
    let mut spans = 0;
    for _ in 0..reps.max(1) {
        let start = std::time::Instant::now();
        let trace = simulate(&scenario, &costs, &options).map_err(|e| e.to_string())?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        spans = trace.spans().len();
    }
    Ok((median(times), spans))
}

/// One row of the live-versus-simulated table.
pub(crate) struct Row {
    pub(crate) scenario: Scenario,
    pub(crate) live_ms: f64,
    pub(crate) sim_ms: f64,
}

impl Row {
    /// (simulated − live) / live, in %.
    pub(crate) fn error_pct(&self) -> f64 {
        100.0 * (self.sim_ms - self.live_ms) / self.live_ms
    }
}

/// The reference scenarios: primes (CPU-bound), requests and mixed, as
/// the page's defaults size them, under each threaded model.
fn scenarios(k: u32) -> Vec<Scenario> {
    let mut out = Vec::new();
    for (workload, size) in [
        (Workload::Primes, 5_000_000),
        (Workload::Io, 200_000),
        (Workload::Mixed, 5_000_000),
    ] {
        for model in [Model::Sequential, Model::Gil, Model::Free, Model::Asyncio] {
            out.push(Scenario::new(model, workload, k, size, 32));
        }
    }
    out
}

/// Runs every reference scenario live (median makespan of `reps`),
/// calibrates a cost model from the sequential, free-threads and GIL runs, and
/// simulates each on this machine's cores.
pub(crate) fn errors(
    pool: &rayon::ThreadPool,
    env: &Environment,
    k: u32,
    reps: usize,
) -> Result<(Vec<Row>, CostModel), String> {
    let clock = MonotonicClock::new();
    let mut live: Vec<(Scenario, f64, Trace)> = Vec::new();
    for scenario in scenarios(k) {
        let mut traces = Vec::new();
        for _ in 0..reps.max(1) {
            let trace = pool
                .install(|| run(&scenario, &clock, env, &Cancel::new()))
                .map_err(|e| format!("{} {}: {e}", scenario.model, scenario.workload))?;
            traces.push(trace);
        }
        // The median run, whose trace the calibration learns from.
        traces.sort_by(|a, b| a.makespan_us().total_cmp(&b.makespan_us()));
        let middle = traces.len() / 2;
        if let Some(trace) = traces.into_iter().nth(middle) {
            live.push((scenario, trace.makespan_ms(), trace));
        }
    }
    let mut costs = CostModel::reference();
    for (scenario, _, trace) in &live {
        // Sequential and free runs teach the machine's speed and waits, the
        // GIL run its hand-off latency.
        if matches!(scenario.model, Model::Sequential | Model::Free | Model::Gil) {
            costs.calibrate(trace).map_err(|e| e.to_string())?;
        }
    }
    let options = Options {
        cores: env.cores,
        seed: 1,
    };
    let rows = live
        .into_iter()
        .map(|(scenario, live_ms, _)| {
            let sim = simulate(&scenario, &costs, &options).map_err(|e| e.to_string())?;
            Ok(Row {
                scenario,
                live_ms,
                sim_ms: sim.makespan_ms(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((rows, costs))
}

/// Adds the simulator's figures to `figures` and prints the table.
pub(crate) fn report(
    figures: &mut BTreeMap<String, f64>,
    pool: &rayon::ThreadPool,
    env: &Environment,
    reps: usize,
) -> Result<(), String> {
    let (ms, spans) = speed(reps)?;
    println!("simulator: {spans} spans in {ms:.1} ms (median of {reps}; target ≤ 200 ms)");
    figures.insert("sim_1e6_spans_ms".to_owned(), ms);
    figures.insert("sim_1e6_spans_count".to_owned(), spans as f64);

    let k = 4;
    let (rows, costs) = errors(pool, env, k, reps.min(3))?;
    println!(
        "simulated against live, k={k}, {} cores, calibrated from the sequential, free and GIL \
         runs (target |error| ≤ 15 %):",
        env.cores
    );
    println!(
        "  {:<12} {:<11} {:>9} {:>9} {:>8}",
        "workload", "model", "live ms", "sim ms", "error"
    );
    let mut worst = 0.0_f64;
    for row in &rows {
        let (model, workload) = (row.scenario.model, row.scenario.workload);
        println!(
            "  {:<12} {:<11} {:>9.1} {:>9.1} {:>7.1}%",
            workload.as_str(),
            model.as_str(),
            row.live_ms,
            row.sim_ms,
            row.error_pct()
        );
        worst = worst.max(row.error_pct().abs());
        figures.insert(format!("sim_error_{workload}_{model}_pct"), row.error_pct());
    }
    figures.insert("sim_error_worst_pct".to_owned(), worst);
    println!(
        "  calibrated: primes {:.3e} µs/unit, parse {:.3e} µs/unit, thread start {:.0} µs, \
         I/O overhead {:.0} µs, GIL hand-off {:.0} µs",
        costs.primes_us_per_unit,
        costs.parse_us_per_unit,
        costs.thread_start_us,
        costs.io_overhead_us,
        costs.gil_handoff_us
    );
    Ok(())
}
