//! The Yew components: a thin layer over [`crate::state`].

mod controls;
mod cssom;
mod embed;
mod import;
mod listener;
mod live_audio;
mod record;
mod results;
mod run;
mod speedup;
mod timeline;
mod tour;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::process_memory::ProcessMemory;
use crate::state::{Action, AppState, PoolStatus, Progress};
use crate::url::{Theme, to_query};
use controls::Controls;
use results::Results;
use timeline::Timeline;

/// Finished runs with their speedups; equal when they are the same runs.
#[derive(Clone, Debug)]
struct Runs(Vec<(Rc<lanes_trace::Trace>, Option<f64>)>);

impl PartialEq for Runs {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| Rc::ptr_eq(&a.0, &b.0) && a.1 == b.1)
    }
}

/// The latest processes run with its memory, for the results' memory
/// picture (a context) and `window.lanes.processMemory()`; equal when it is
/// the same run.
#[derive(Clone, Debug)]
struct ShownMemory(Option<(Rc<lanes_trace::Trace>, ProcessMemory)>);

impl PartialEq for ShownMemory {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some((a, _)), Some((b, _))) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// The Yew reducer: a thin adapter over [`AppState::apply`].
#[derive(Clone, Debug, PartialEq)]
struct Store(AppState);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.0.apply(action);
        Rc::new(next)
    }
}

/// Mounts the page. Runs on every instance with a memory of its own: the
/// page's, and each process worker's (which has no window and mounts
/// nothing); never on the pool's threads, which share the page's memory.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    if web_sys::window().is_none() {
        return Ok(());
    }
    lanes_web::install_automation()?;
    let root = page_root()?;
    yew::Renderer::<App>::with_root(root).render();
    Ok(())
}

fn page_root() -> Result<web_sys::Element, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .ok_or_else(|| JsValue::from_str("the page has no #app element"))
}

/// The address's query, as the page has it now.
fn page_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

#[function_component]
fn App() -> Html {
    let store = use_reducer(|| {
        Store(
            AppState::from_query(&page_query())
                .on_machine(lanes_web::environment().cores)
                .without_live_audio(lanes_web::audio_unavailable()),
        )
    });
    let state = &store.0;

    // The first moment a person can press Run, on the performance timeline;
    // then the worker module (processes, the solo worker, trace import),
    // which Run's first use may need but the first load does not, starts
    // to compile in the background.
    use_effect_with(state.can_run(), |&can_run| {
        if can_run {
            lanes_web::mark_once(lanes_web::RUN_ENABLED_MARK);
            lanes_web::prefetch_worker_module();
        }
    });

    // Start the worker threads once; honour run=1 when they are up.
    {
        let dispatcher = store.dispatcher();
        let autorun = state.form.run;
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                match lanes_web::start_pool().await {
                    Ok(threads) => {
                        dispatcher.dispatch(Action::PoolReady(threads));
                        // A thread that dies later is reported, and the
                        // page goes on without the pool; the listener
                        // lives as long as the page.
                        let died = dispatcher.clone();
                        let listener =
                            listener::listen(lanes_web::POOL_THREAD_DIED, move |event| {
                                let why = event
                                    .dyn_ref::<web_sys::CustomEvent>()
                                    .and_then(|e| e.detail().as_string())
                                    .unwrap_or_else(|| "it gave no reason".to_owned());
                                died.dispatch(Action::PoolDied(why));
                            });
                        std::mem::forget(listener);
                    }
                    Err(e) => {
                        dispatcher.dispatch(Action::PoolUnavailable {
                            headline: e.headline().to_owned(),
                            why: e.to_string(),
                        });
                        // Everything still runs: free threads simulated, the
                        // rest in one worker (see the banner), warmed first.
                        lanes_web::prewarm_solo_worker().await;
                    }
                }
                if autorun {
                    dispatcher.dispatch(Action::Start);
                }
            });
        });
    }

    let on_cancel = run::use_runner(&store);
    embed::use_embed_control(&store);

    // The URL always reproduces what the controls show; it is written again
    // with each notice too, which puts it back after a refused Back or
    // Forward (the form, unchanged then, would not call for it).
    use_effect_with((state.form.clone(), state.notices.len()), |(form, _)| {
        let url = format!("?{}", to_query(form));
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            // Failing to rewrite the address bar loses nothing: ignore it.
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    });

    // Back and forward: the form follows the address bar.
    {
        let dispatcher = store.dispatcher();
        use_effect_with((), move |()| {
            let listener = listener::listen("popstate", move |_| {
                dispatcher.dispatch(Action::Navigate(page_query()));
            });
            move || drop(listener)
        });
    }

    // The theme is the document's, so the page's CSS follows it.
    use_effect_with(state.form.theme, |theme| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            // A page that cannot set an attribute keeps its colours: ignore.
            let _ = match theme {
                Theme::Auto => root.remove_attribute("data-theme"),
                other => root.set_attribute("data-theme", other.as_str()),
            };
        }
    });

    // Embed mode's type size, as a CSS variable on the document (set through
    // the CSSOM: a strict Content-Security-Policy refuses style attributes).
    use_effect_with((state.form.scale * 100.0).round() as i64, |&percent| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = root
                .style()
                .set_property("--embed-scale", &format!("{}", percent as f64 / 100.0));
        }
    });

    // Opening a step is a new entry in the history, so Back returns to the
    // step before.
    let on_go = {
        let dispatcher = store.dispatcher();
        let running = state.running();
        Callback::from(move |step: Option<u32>| {
            if !running {
                let url = step.map_or_else(|| "?".to_owned(), |n| format!("?lesson={n}"));
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
                }
            }
            dispatcher.dispatch(Action::GoToLesson(step));
        })
    };

    use_effect_with(state.status.as_data(), |data| {
        lanes_web::publish_run_state(data);
    });

    // window.lanes answers the page's kept runs and its latest processes
    // run's memory: told after each change.
    let latest = state.history.last().map(|t| Rc::as_ptr(t) as usize);
    {
        let history = state.history.clone();
        use_effect_with((history.len(), latest), move |_| {
            lanes_web::publish_traces(&history);
        });
    }
    let memory = ShownMemory(state.process_memory.clone());
    use_effect_with(memory.clone(), |memory| {
        lanes_web::publish_process_memory(memory.0.as_ref().and_then(|(run, m)| {
            Some((
                &run.meta()?.scenario,
                m.bytes_per_process.as_slice(),
                m.main_bytes,
            ))
        }));
    });

    let on_action = {
        let dispatcher = store.dispatcher();
        Callback::from(move |a: Action| dispatcher.dispatch(a))
    };

    let dragging = use_state(|| false);
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_action = on_action.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = import::dropped_file(&e) {
                import::open_file(file, on_action.clone());
            }
        })
    };

    let dark = dark_theme(state.form.theme);
    let live_audio = state
        .playing_live()
        .map(|run| html! { <live_audio::LiveUnderruns key={run} /> });
    if state.form.embed {
        let status = match state.outcome() {
            Some(o) => o.summary,
            None => state.status_text(),
        };
        return html! {
            <main class="lanes embed">
                <embed::EmbedBar form={state.form.clone()} running={state.running()}
                    can_run={state.can_run()} {status} on_action={on_action.clone()}
                    on_cancel={on_cancel.clone()} />
                <PoolBanner pool={state.pool.clone()} compact=true />
                <Notices notices={state.notices.clone()} on_action={on_action.clone()} />
                <section id="run" class="run" data-run-state={state.status.as_data()}
                    aria-busy={state.running().to_string()}>
                    { live_audio }
                    <Timeline runs={Runs(state.views())} {dark} scale={state.form.scale} fit=true
                        on_error={on_action.reform(Action::Notice)} />
                </section>
            </main>
        };
    }
    let on_theme = on_action.reform(|e: Event| Action::Set("theme", controls::select_value(&e)));
    let tour = state.lesson().map(|lesson| {
        html! {
            <tour::Tour {lesson} prediction={state.prediction} outcome={state.outcome()}
                unchecked={state.unchecked()} python={state.real_python()}
                running={state.running()} on_go={on_go.clone()} on_action={on_action.clone()} />
        }
    });
    let progress = match state.progress() {
        Some(Progress { index, total, .. }) if state.sweep => html! {
            <p class="sweep">
                <label for="sweep-progress">{ format!("Sweep: run {} of {total}", index + 1) }</label>
                <progress id="sweep-progress" max={total.to_string()} value={index.to_string()}></progress>
            </p>
        },
        _ => html! {},
    };
    html! {
        <main class={classes!("lanes", dragging.then_some("dragging"))}
            ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
            <header class="masthead">
                <h1>{ "Lanes" }</h1>
                <p class="tagline">{ "Concurrency and parallelism, measured live in your browser." }</p>
                <nav class="modes" aria-label="Tour or playground">
                    if state.form.lesson.is_none() {
                        <a href="?lesson=1" onclick={on_go.reform(|e: MouseEvent| { e.prevent_default(); Some(1) })}>
                            { "Take the tour" }
                        </a>
                    }
                </nav>
                <label class="theme" for="theme">
                    <span>{ "Theme" }</span>
                    <select id="theme" onchange={on_theme}>
                        { for Theme::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={*t == state.form.theme}>{ t.label() }</option>
                        }) }
                    </select>
                </label>
            </header>
            <PoolBanner pool={state.pool.clone()} />
            <Notices notices={state.notices.clone()} on_action={on_action.clone()} />
            { for tour }
            <Controls
                form={state.form.clone()}
                running={state.running()}
                can_run={state.can_run()}
                on_action={on_action.clone()}
                {on_cancel}
                no_live_audio={state.no_live_audio}
            />
            <section id="run" class="run" data-run-state={state.status.as_data()} aria-busy={state.running().to_string()}>
                <p class="status" role="status" aria-live="polite">{ state.status_text() }</p>
                if let Some(note) = state.learned_note() {
                    <p class="learned" id="learned">{ note }</p>
                }
                if let Some(note) = crate::lessons::python::start_note(state.batch.iter().map(|t| &**t)) {
                    <p class="learned" id="python-start">{ note }</p>
                }
                { live_audio }
                { progress }
                <import::ImportProgress />
                <Timeline runs={Runs(state.views())} {dark} on_error={on_action.reform(Action::Notice)} />
                <ContextProvider<ShownMemory> context={memory}>
                    <Results runs={Runs(state.views())} on_error={on_action.reform(Action::Notice)} />
                </ContextProvider<ShownMemory>>
                <speedup::SpeedupChart series={state.speedup_series()} {dark} />
            </section>
            <record::RecordPanel />
        </main>
    }
}

/// Whether `theme` draws light on dark: the dark theme, or the system's
/// preference when the theme follows it.
fn dark_theme(theme: Theme) -> bool {
    match theme {
        Theme::Dark => true,
        Theme::Light | Theme::Contrast => false,
        Theme::Auto => prefers_dark(),
    }
}

thread_local! {
    /// The one query for the system's colour scheme, asked once: a new
    /// `MediaQueryList` at every render would be kept by the document.
    static DARK_QUERY: Option<web_sys::MediaQueryList> = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
}

/// Whether the reader's system asks for a dark theme.
pub(crate) fn prefers_dark() -> bool {
    DARK_QUERY.with(|q| q.as_ref().is_some_and(web_sys::MediaQueryList::matches))
}

#[derive(Properties, PartialEq)]
struct PoolBannerProps {
    pool: PoolStatus,
    /// One line, for embed mode.
    #[prop_or_default]
    compact: bool,
}

#[function_component]
fn PoolBanner(props: &PoolBannerProps) -> Html {
    match &props.pool {
        PoolStatus::Starting => html! {
            <p class="banner" id="pool" data-pool="starting">{ "Starting worker threads…" }</p>
        },
        PoolStatus::Ready(_) if props.compact => html! {
            <p class="banner ok compact" id="pool" data-pool="ready" hidden=true></p>
        },
        PoolStatus::Unavailable { headline, .. } if props.compact => html! {
            <p class="banner warn compact" id="pool" data-pool="unavailable" role="alert">
                { format!("{headline}: free threads are ") }<strong>{ "simulated" }</strong>
                { "; sequential, GIL threads (on one worker), processes and the event loop run live." }
            </p>
        },
        PoolStatus::Ready(threads) => {
            let env = lanes_web::environment();
            html! {
                <p class="banner ok" id="pool" data-pool="ready">
                    { format!("Cross-origin isolated: {threads} worker threads share one memory on {} cores.", env.cores) }
                </p>
            }
        }
        PoolStatus::Died(why) if props.compact => html! {
            <p class="banner warn compact" id="pool" data-pool="died" role="alert">
                { format!("A worker thread died ({why}): free threads are simulated until the page is reloaded.") }
            </p>
        },
        PoolStatus::Died(why) => {
            let reload = Callback::from(|_| {
                if let Some(w) = web_sys::window() {
                    // The address holds the scenario, so a reload keeps it.
                    let _ = w.location().reload();
                }
            });
            html! {
                <div class="banner warn" id="pool" data-pool="died" role="alert">
                    <p>
                        <strong>{ "A worker thread died: " }</strong>
                        { format!("its WebAssembly trapped ({why}). ") }
                        { "The threads share this page's memory, which a dead one may have left \
                           half-written, and a running page cannot replace one: the page no longer uses them. \
                           Sequential runs, threads + GIL and the event loop now run live in one worker of their own, \
                           processes as always; free threads are " }
                        <strong>{ "simulated" }</strong>{ "." }
                    </p>
                    <p>
                        <button type="button" id="reload-button" onclick={reload}>{ "Reload with new threads" }</button>
                        { " keeps the scenario (it is in the address); export the runs you want to keep first." }
                    </p>
                </div>
            }
        }
        PoolStatus::Unavailable { why, .. } => html! {
            <div class="banner warn" id="pool" data-pool="unavailable" role="alert">
                <p><strong>{ "No worker threads here. " }</strong>{ format!("{}.", crate::format::sentence(why)) }</p>
                <p>
                    { "What still works: sequential runs, threads + GIL (interleaved for real on one worker: \
                       under a GIL only one thread runs at a time anyway), processes and the event loop run live. \
                       Free threads need threads that run at once, so they are " }
                    <strong>{ "simulated" }</strong>
                    { " on this machine's cores, with costs learned from your live runs, and labelled so." }
                </p>
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct NoticesProps {
    notices: Vec<String>,
    on_action: Callback<Action>,
}

#[function_component]
fn Notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    let dismiss = props
        .on_action
        .reform(|_: MouseEvent| Action::DismissNotices);
    html! {
        <section class="notices" id="notices" role="alert">
            <ul>{ for props.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
        </section>
    }
}
