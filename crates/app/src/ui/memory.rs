//! The memory picture of a processes run: the page's one memory, which its
//! threads share, against the k processes' memories, each its own copy of
//! the program and of its data ("entire memory copied in each subprocess").
//! Bars in HTML on one common axis, every bar labelled, and a sentence that
//! says the same in words.

use lanes_web::ProcessMemory;
use yew::prelude::*;

use super::Runs;

#[derive(Properties, PartialEq)]
pub(super) struct MemoryViewProps {
    /// The runs on screen; the view shows the latest processes run's memory
    /// if it is one of them, and nothing otherwise.
    pub runs: Runs,
}

const MB: f64 = 1_048_576.0;

/// Bytes as megabytes with one decimal: "34.3 MB".
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MB)
}

/// The end of the axis in MB: the smallest 1, 2, 2.5 or 5 × 10ⁿ at least
/// `max_mb`, so the scale reads in round numbers.
fn axis_end_mb(max_mb: f64) -> f64 {
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

/// The sentence that says what the bars show.
fn summary(m: &ProcessMemory) -> String {
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

/// The memory of the latest processes run, if it is one of `runs`.
fn shown(runs: &Runs) -> Option<ProcessMemory> {
    lanes_web::last_process_memory().filter(|m| {
        runs.0
            .iter()
            .any(|(t, _)| t.meta().is_some_and(|meta| meta.scenario == m.scenario))
    })
}

#[derive(Properties, PartialEq)]
struct MemoryBarProps {
    /// Its length, as a share of the axis in percent.
    percent: f64,
}

/// A bar's fill, sized through the CSSOM.
#[function_component]
fn MemoryBar(props: &MemoryBarProps) -> Html {
    let node = use_node_ref();
    crate::ui::cssom::use_style(&node, vec![("width", format!("{:.2}%", props.percent))]);
    html! { <span class="memory-bar" ref={node}></span> }
}

/// One labelled bar; `kind` picks its colour ("threads" or "process").
fn bar(label: String, bytes: u64, axis_end_mb: f64, kind: &'static str) -> Html {
    let percent = (bytes as f64 / MB / axis_end_mb * 100.0).clamp(0.0, 100.0);
    html! {
        <li class={classes!("memory-row", kind)}>
            <span class="memory-label">{ label }</span>
            <span class="memory-track">
                <MemoryBar {percent} />
            </span>
            <span class="memory-value">{ mb(bytes) }</span>
        </li>
    }
}

#[function_component]
pub(super) fn MemoryView(props: &MemoryViewProps) -> Html {
    let Some(m) = shown(&props.runs) else {
        return html! {};
    };
    let largest = m
        .bytes_per_process
        .iter()
        .copied()
        .chain([m.main_bytes])
        .max()
        .unwrap_or(0);
    let end = axis_end_mb(largest as f64 / MB);
    let processes = m
        .bytes_per_process
        .iter()
        .enumerate()
        .map(|(i, &bytes)| bar(format!("Process {}", i + 1), bytes, end, "process"));
    let end_label = if end >= 10.0 {
        format!("{end:.0} MB")
    } else {
        format!("{end} MB")
    };
    html! {
        <figure class="memory" id="memory" data-processes={m.bytes_per_process.len().to_string()}>
            <figcaption>{ "Memory: threads share one, processes each hold their own" }</figcaption>
            <ul class="memory-bars">
                { bar("Threads: one shared memory".to_owned(), m.main_bytes, end, "threads") }
                { for processes }
            </ul>
            <div class="memory-axis" aria-hidden="true">
                <span>{ "0" }</span>
                <span>{ end_label }</span>
            </div>
            <p class="memory-summary">{ summary(&m) }</p>
        </figure>
    }
}
