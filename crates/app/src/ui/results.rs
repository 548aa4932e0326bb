//! The results table: the figures behind the picture, and its text alternative.

// The memory picture belongs to the results: declared here, so the page
// module needs no change (the file sits beside this one, in `ui/`).
#[path = "memory.rs"]
mod memory;

use lanes_trace::Mode;
use yew::prelude::*;

use super::Runs;
use crate::agreement::{Reference, answer};
use crate::format;
use memory::MemoryView;

#[derive(Properties, PartialEq)]
pub(super) struct ResultsProps {
    pub runs: Runs,
    /// Reports a download that failed.
    pub on_error: Callback<String>,
}

/// A file name that says what the run was, e.g. `lanes-free-k4-primes-5000000.json`,
/// or `lanes-imported.json` for another tool's trace.
fn file_name(t: &lanes_trace::Trace) -> String {
    let Some(s) = t.meta().map(|m| m.scenario) else {
        return "lanes-imported.json".to_owned();
    };
    format!(
        "lanes-{}-k{}-{}-{}.json",
        s.model.as_str(),
        s.k,
        s.workload.as_str(),
        s.size
    )
}

/// A run's underruns and worst lateness (dashes for a run that played
/// nothing).
fn audio_cells(t: &lanes_trace::Trace) -> Html {
    match &t.audio {
        None => html! { <><td>{ "–" }</td><td>{ "–" }</td></> },
        Some(a) => {
            let underruns = a.underruns();
            html! {
                <>
                <td class="underruns" data-underruns={underruns.to_string()}>
                    { format!("{underruns} of {}", a.blocks.len()) }
                </td>
                <td class="worst-late">{
                    if underruns == 0 {
                        "–".to_owned()
                    } else {
                        format::duration_ms(a.worst_late_us() / 1000.0)
                    }
                }</td>
                </>
            }
        }
    }
}

#[function_component]
pub(super) fn Results(props: &ResultsProps) -> Html {
    if props.runs.0.is_empty() {
        return html! {};
    }
    // The audio lesson's columns, only where a run played.
    let audio = props.runs.0.iter().any(|(t, _)| t.audio.is_some());
    // Every schedule must find the same answer: the sequential twin's.
    let references = Reference::of(props.runs.0.iter().map(|(t, _)| &**t));
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
        let meta = t.meta();
        let k = meta.map(|m| m.scenario.k);
        let efficiency = speedup.zip(k).map(|(x, k)| x / f64::from(k.max(1)));
        let answer = answer(t, &references, lanes_web::long_frames);
        let source = match meta {
            None => "imported".to_owned(),
            Some(m) => match m.mode {
                Mode::Simulated => format!("simulated, {} cores", m.cores),
                Mode::Recorded => format!("recorded in {}", m.environment),
                Mode::Live => "live".to_owned(),
            },
        };
        html! {
            <tr data-model={meta.map(|m| m.scenario.model.as_str())}>
                <th scope="row">{ t.name() }</th>
                <td>{ k.map_or_else(|| "–".to_owned(), |k| k.to_string()) }</td>
                <td>{ t.lanes.len() }</td>
                <td>{ format::duration_ms(t.makespan_ms()) }</td>
                <td>{ speedup.map_or_else(|| "–".to_owned(), format::ratio) }</td>
                <td>{ efficiency.map_or_else(|| "–".to_owned(), format::percent) }</td>
                <td>{ format!("{:.2}", c.mean) }</td>
                <td>{ format::percent(t.overhead_share()) }</td>
                <td>{ format::percent(t.gil_wait_share()) }</td>
                if audio {
                    { audio_cells(t) }
                }
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
    html! {
        <>
        // Narrow screens scroll the table inside this box, not the page; it
        // takes the focus so the keyboard can scroll it too.
        <div class="results-scroll" role="region" aria-labelledby="results-caption" tabindex="0">
        <table class="results" id="results">
            <caption id="results-caption">{ "Runs, on one time axis above" }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "Model" }</th>
                    <th scope="col">{ "k" }</th>
                    <th scope="col">{ "Lanes" }</th>
                    <th scope="col">{ "Makespan" }</th>
                    <th scope="col">{ "Speedup" }</th>
                    <th scope="col" title="Speedup divided by the number of workers: 100 % when k workers are k times faster">{ "Efficiency" }</th>
                    <th scope="col" title="Mean number of threads running at once">{ "Mean parallelism" }</th>
                    <th scope="col" title="Share of the busy time spent starting processes and copying data">{ "Overhead" }</th>
                    <th scope="col" title="Share of the time threads wanted to compute that they spent waiting for the GIL">{ "GIL wait" }</th>
                    if audio {
                        <th scope="col" title="Blocks the audio callback needed before the producer had them: each one a click of silence">{ "Underruns" }</th>
                        <th scope="col" title="The longest silence the callback played waiting for a block">{ "Worst lateness" }</th>
                    }
                    <th scope="col">{ "Answer" }</th>
                    <th scope="col">{ "Run" }</th>
                    <th scope="col">{ "Trace" }</th>
                </tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
        </div>
        <MemoryView runs={props.runs.clone()} />
        </>
    }
}
