//! The results table: the figures behind the picture, and its text alternative.

use lanes_trace::{Mode, Workload};
use yew::prelude::*;

use super::Runs;
use crate::format;

#[derive(Properties, PartialEq)]
pub(super) struct ResultsProps {
    pub runs: Runs,
    /// Reports a download that failed.
    pub on_error: Callback<String>,
}

/// A file name that says what the run was, e.g. `lanes-free-k4-primes-5000000.json`.
fn file_name(t: &lanes_trace::Trace) -> String {
    let s = &t.meta.scenario;
    format!(
        "lanes-{}-k{}-{}-{}.json",
        s.model.as_str(),
        s.k,
        s.workload.as_str(),
        s.size
    )
}

#[function_component]
pub(super) fn Results(props: &ResultsProps) -> Html {
    if props.runs.0.is_empty() {
        return html! {};
    }
    // Every schedule must find the same answer: the sequential twin's. A
    // simulated run computes no answer (but the counters'), so it is no
    // reference and shows none.
    let first = props
        .runs
        .0
        .iter()
        .find(|(t, _)| t.meta.mode == Mode::Live)
        .map(|(t, _)| (t.meta.result, t.meta.scenario.size));
    let rows = props.runs.0.iter().enumerate().map(|(i, (t, speedup))| {
        let download = {
            let trace = std::rc::Rc::clone(t);
            let on_error = props.on_error.clone();
            Callback::from(move |_: MouseEvent| {
                let json = lanes_trace::to_chrome_json(&trace);
                if let Err(e) = lanes_web::download_text(&file_name(&trace), "application/json", &json) {
                    on_error.emit(format!("The trace could not be saved: {e}."));
                }
            })
        };
        let c = t.concurrency();
        let agrees = first.is_none_or(|(r, size)| size != t.meta.scenario.size || r == t.meta.result);
        let lanes_run = t.origin.is_lanes();
        let model = if lanes_run {
            t.meta.scenario.model.title().to_owned()
        } else {
            t.origin.describe()
        };
        let simulated = t.meta.mode == Mode::Simulated;
        let answer = match t.meta.scenario.workload {
            _ if !lanes_run => "–".to_owned(),
            Workload::Counter | Workload::CounterLocked => {
                let lost = lanes_runtime::lost_updates(t).unwrap_or(0);
                format!(
                    "{} of {}: {} lost",
                    format::count(t.meta.result),
                    format::count(t.meta.scenario.size),
                    format::count(lost)
                )
            }
            Workload::Ui => {
                let long = lanes_web::long_frames(t);
                format!(
                    "{} {} · {long} long frame{}",
                    format::count(t.meta.result),
                    if agrees { "✓" } else { "✗ differs" },
                    if long == 1 { "" } else { "s" }
                )
            }
            _ if simulated => "– (not computed)".to_owned(),
            _ => format!("{} {}", format::count(t.meta.result), if agrees { "✓" } else { "✗ differs" }),
        };
        let source = match (lanes_run, simulated) {
            (false, _) => "imported".to_owned(),
            (true, true) => format!("simulated, {} cores", t.meta.cores),
            (true, false) => "live".to_owned(),
        };
        html! {
            <tr data-model={t.meta.scenario.model.as_str()}>
                <th scope="row">{ model }</th>
                <td>{ if lanes_run { t.meta.scenario.k.to_string() } else { "–".to_owned() } }</td>
                <td>{ t.lanes.len() }</td>
                <td>{ format::duration_ms(t.makespan_ms()) }</td>
                <td>{ speedup.map_or_else(|| "–".to_owned(), format::ratio) }</td>
                <td>{ format!("{:.2}", c.mean) }</td>
                <td>{ answer }</td>
                <td>{ source }</td>
                <td>
                    <button type="button" class="download" id={format!("download-{i}")} onclick={download}
                        title="Download this run as Chrome Trace Event JSON (opens in Perfetto)">
                        { "JSON" }
                    </button>
                </td>
            </tr>
        }
    });
    // Processes hold copies: their memory against the page's one.
    let memory = lanes_web::last_process_memory().filter(|m| {
        props
            .runs
            .0
            .iter()
            .any(|(t, _)| t.meta.scenario == m.scenario)
    });
    let memory = memory.map(|m| {
        let mb = |b: u64| format!("{:.1} MB", b as f64 / 1_048_576.0);
        let total: u64 = m.bytes_per_process.iter().sum();
        let each = m.bytes_per_process.iter().copied().max().unwrap_or(0);
        html! {
            <p class="memory" id="memory">
                { format!(
                    "Memory: the page's threads share one memory of {}; the {} processes hold {} in all, up to {} each, every one its own copy of the program and of its data.",
                    mb(m.main_bytes), m.bytes_per_process.len(), mb(total), mb(each)
                ) }
            </p>
        }
    });
    html! {
        <>
        <table class="results" id="results">
            <caption>{ "Runs, on one time axis above" }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "Model" }</th>
                    <th scope="col">{ "k" }</th>
                    <th scope="col">{ "Lanes" }</th>
                    <th scope="col">{ "Makespan" }</th>
                    <th scope="col">{ "Speedup" }</th>
                    <th scope="col" title="Mean number of threads running at once">{ "Mean parallelism" }</th>
                    <th scope="col">{ "Answer" }</th>
                    <th scope="col">{ "Run" }</th>
                    <th scope="col">{ "Trace" }</th>
                </tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
        { for memory }
        </>
    }
}
