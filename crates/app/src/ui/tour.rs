//! The guided tour's panel: the step's words, its question, and once its
//! runs are done whether the prediction held and what to notice.

use yew::prelude::*;

use crate::lessons::python::Row;
use crate::lessons::{LESSONS, Lesson, Outcome};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub(super) struct TourProps {
    /// The step on show.
    pub lesson: &'static Lesson,
    /// The learner's answer to its question, if given.
    pub prediction: Option<&'static str>,
    /// What its runs showed, once they are done.
    pub outcome: Option<Outcome>,
    /// Whether a run is in progress (steps cannot change then).
    pub running: bool,
    /// Whether runs finished that are not the step's own (the form was
    /// changed), so there is nothing to check.
    pub unchecked: bool,
    /// The command that records the step in CPython, and Lanes' runs beside
    /// CPython's once a recording is open (steps CPython can run).
    pub python: Option<(String, Vec<Row>)>,
    /// Opens another step (`None`: the playground), as a link would.
    pub on_go: Callback<Option<u32>>,
    pub on_action: Callback<Action>,
}

/// A link to step `n` (or the playground) that opens it in place; the
/// address bar and history follow (see `ui::history`).
fn step_link(
    n: Option<u32>,
    text: String,
    current: bool,
    on_go: &Callback<Option<u32>>,
    class: &'static str,
) -> Html {
    let href = n.map_or_else(|| "?".to_owned(), |n| format!("?lesson={n}"));
    let onclick = on_go.reform(move |e: MouseEvent| {
        e.prevent_default();
        n
    });
    html! {
        <a class={class} href={href} {onclick} aria-current={current.then_some("step")}>{ text }</a>
    }
}

#[function_component]
pub(super) fn Tour(props: &TourProps) -> Html {
    let lesson = props.lesson;
    let n = lesson.number;
    let last = LESSONS.len() as u32;
    let choices = lesson.choices.iter().map(|c| {
        let id = c.id;
        let pressed = props.prediction == Some(id);
        let onclick = props
            .on_action
            .reform(move |_: MouseEvent| Action::Predict(id));
        html! {
            <button type="button" class="choice" data-choice={id} aria-pressed={pressed.to_string()}
                disabled={props.running} {onclick}>{ c.label }</button>
        }
    });
    let outcome = props.outcome.as_ref().map(|o| {
        let (verdict, held) = lesson.verdict(props.prediction, o.answer);
        let class = match held {
            Some(true) => "outcome held",
            Some(false) => "outcome missed",
            None => "outcome",
        };
        html! {
            <div class={class} id="outcome" data-answer={o.answer}
                data-held={held.map(|h| h.to_string())} role="status">
                <p class="verdict"><strong>{ verdict }</strong>{ " " }{ &o.summary }</p>
                <ul class="claims">
                    { for o.claims.iter().map(|c| html! {
                        <li class={if c.holds { "holds" } else { "fails" }}
                            data-holds={c.holds.to_string()}>{ &c.text }</li>
                    }) }
                </ul>
                <h3>{ "What to notice" }</h3>
                { for lesson.notice.iter().map(|p| html! { <p>{ *p }</p> }) }
            </div>
        }
    });
    let steps = LESSONS.iter().map(|l| {
        html! { <li>{ step_link(Some(l.number), format!("{}. {}", l.number, l.title), l.number == n, &props.on_go, "step") }</li> }
    });
    html! {
        <section class="tour" id="tour" data-lesson={n.to_string()} aria-labelledby="tour-title">
            <nav class="steps" aria-label="Steps of the tour">
                if n > 1 {
                    { step_link(Some(n - 1), "← Previous".to_owned(), false, &props.on_go, "prev") }
                }
                <ol>{ for steps }</ol>
                if n < last {
                    { step_link(Some(n + 1), "Next →".to_owned(), false, &props.on_go, "next") }
                }
                { step_link(None, "Playground".to_owned(), false, &props.on_go, "playground") }
            </nav>
            <p class="slide">{ format!("Step {n} of {last} · the course's slide “{}”", lesson.slide) }</p>
            <h2 id="tour-title">{ lesson.title }</h2>
            { for lesson.text.iter().map(|p| html! { <p>{ *p }</p> }) }
            <fieldset class="prediction">
                <legend>{ lesson.question }</legend>
                { for choices }
                if props.prediction.is_none() && props.outcome.is_none() {
                    <p class="hint">{ "Predict first, then press Run." }</p>
                }
            </fieldset>
            { for outcome }
            if let (Some(note), Some((command, rows))) = (lesson.python, props.python.clone()) {
                <super::record::RealPython {note} {command} {rows} />
            }
            if props.unchecked {
                <p class="hint" id="unchecked">
                    { "These runs are not this step's own (the form was changed), so there is nothing to check them against. " }
                    { step_link(Some(n), "Reopen the step".to_owned(), false, &props.on_go, "reopen") }
                    { " to put its scenario back." }
                </p>
            }
        </section>
    }
}
