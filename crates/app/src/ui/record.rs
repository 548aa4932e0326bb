//! Real Python on the page: "Record your own program" (the recorder to
//! download and how to run it), and a tour step's "The same in real Python"
//! (its command, and Lanes' figures beside CPython's).

use yew::prelude::*;

use crate::format;
use crate::lessons::python::{Figures, RECORDER, Row};

/// The recorder's download link.
fn download(text: &'static str) -> Html {
    html! { <a class="download" href={RECORDER} download={RECORDER}>{ text }</a> }
}

/// "Record your own program": what the recorder measures, the download and
/// the two ways to run it. Closed until opened.
#[function_component]
pub(super) fn RecordPanel() -> Html {
    html! {
        <details class="record" id="record">
            <summary>{ "Record your own program" }</summary>
            <p>
                { "Does your program do what the lessons show? " }
                { download("Download lanes_record.py") }
                { " (one file, Python 3.9 or later, standard library only) and run your program under it, as you would under " }
                <code>{ "python -m cProfile" }</code>{ ":" }
            </p>
            <pre><code>{ "python3 lanes_record.py -o trace.json your_program.py its arguments" }</code></pre>
            <p>{ "or record only part of a program:" }</p>
            <pre><code>{ "import lanes_record\nwith lanes_record.record(\"trace.json\"):\n    main()" }</code></pre>
            <p>
                { "Then open trace.json with " }<strong>{ "Open trace…" }</strong>{ " or drop it on the page. " }
                { "Every thread and every child process of multiprocessing or concurrent.futures gets its lane, with its calls as a stack under it; " }
                { "sleeps, sockets, locks and queues are drawn as waits; and the GIL lane is measured from each thread's CPU clock: " }
                { "time a thread spent off the CPU outside a blocking call is time it waited for the GIL. " }
                { "The recorder prints what it cost your program. Traces from VizTracer or Perfetto open too, with the GIL inferred from their calls." }
            </p>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct RealPythonProps {
    /// What CPython's recording shows, in a sentence.
    pub note: &'static str,
    /// The command that records the step.
    pub command: String,
    /// Lanes' runs beside CPython's, once a recording is open.
    pub rows: Vec<Row>,
}

/// A ratio, or a dash for a run that is its own baseline or is missing.
fn ratio_cell(f: Option<&Figures>) -> String {
    f.and_then(|f| f.ratio)
        .map_or_else(|| "–".to_owned(), format::ratio)
}

fn share_cell(f: Option<&Figures>, share: fn(&Figures) -> f64) -> String {
    f.map_or_else(|| "–".to_owned(), |f| format::percent(share(f)))
}

/// "The same in real Python": a step's command, and once its recording is
/// open, a table of Lanes' figures beside CPython's.
#[function_component]
pub(super) fn RealPython(props: &RealPythonProps) -> Html {
    let rows = props.rows.iter().map(|r| {
        let (lanes, cpython) = (r.lanes.as_ref(), r.cpython.as_ref());
        let cpython_model = cpython
            .filter(|c| lanes.is_some_and(|l| l.model != c.model))
            .map(|c| format!(" ({})", c.model.title()));
        html! {
            <tr>
                <th scope="row">{ &r.what }{ cpython_model }</th>
                <td>{ ratio_cell(lanes) }</td>
                <td>{ ratio_cell(cpython) }</td>
                <td>{ share_cell(lanes, |f| f.gil_wait) }</td>
                <td>{ share_cell(cpython, |f| f.gil_wait) }</td>
                <td>{ share_cell(lanes, |f| f.overhead) }</td>
                <td>{ share_cell(cpython, |f| f.overhead) }</td>
            </tr>
        }
    });
    html! {
        <section class="real-python" id="real-python" aria-labelledby="real-python-title">
            <h3 id="real-python-title">{ "The same in real Python" }</h3>
            <p>{ props.note }</p>
            <p>{ download("Download lanes_record.py") }{ ", run this step's scenario in CPython, then open the trace it writes (Open trace…, or drop it here): its runs join Lanes' on one time axis." }</p>
            <pre><code id="real-python-command">{ &props.command }</code></pre>
            if !props.rows.is_empty() {
                <div class="table-scroll">
                    <table class="results" id="real-python-table">
                        <caption>{ "Lanes beside CPython: times faster than the step's first run of the same work, and the shares of waiting for the GIL and of start-up and copying" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Run" }</th>
                                <th scope="col">{ "Lanes ×" }</th>
                                <th scope="col">{ "CPython ×" }</th>
                                <th scope="col">{ "GIL wait, Lanes" }</th>
                                <th scope="col">{ "GIL wait, CPython" }</th>
                                <th scope="col">{ "Overhead, Lanes" }</th>
                                <th scope="col">{ "Overhead, CPython" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}
