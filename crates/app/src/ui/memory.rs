//! The memory picture of a processes run ([`crate::process_memory`]): bars
//! in HTML on one common axis, every bar labelled, and a sentence that says
//! the same in words.

use std::rc::Rc;

use yew::prelude::*;

use super::Runs;
use crate::process_memory::{ProcessMemory, axis_end_mb, mb, percent, summary};
use crate::ui::ShownMemory;

#[derive(Properties, PartialEq)]
pub(super) struct MemoryViewProps {
    /// The runs on screen; the view shows the latest processes run's memory
    /// if it is one of them, and nothing otherwise.
    pub runs: Runs,
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
fn bar(label: String, bytes: u64, m: &ProcessMemory, kind: &'static str) -> Html {
    let percent = percent(m, bytes);
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
    let shown = use_context::<ShownMemory>().and_then(|s| s.0);
    let Some((_, m)) =
        shown.filter(|(run, _)| props.runs.0.iter().any(|(t, _)| Rc::ptr_eq(t, run)))
    else {
        return html! {};
    };
    let end = axis_end_mb(&m);
    let processes = m
        .bytes_per_process
        .iter()
        .enumerate()
        .map(|(i, &bytes)| bar(format!("Process {}", i + 1), bytes, &m, "process"));
    let end_label = if end >= 10.0 {
        format!("{end:.0} MB")
    } else {
        format!("{end} MB")
    };
    html! {
        <figure class="memory" id="memory" data-processes={m.bytes_per_process.len().to_string()}>
            <figcaption>{ "Memory: threads share one, processes each hold their own" }</figcaption>
            <ul class="memory-bars">
                { bar("Threads: one shared memory".to_owned(), m.main_bytes, &m, "threads") }
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
