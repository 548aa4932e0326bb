//! Runs the current batch: each time the state says a run is due, run it
//! live (on the pool, in process workers, or in one worker without a pool)
//! or simulate it, and report back through the reducer.
//!
//! Whether processes are kept warm is not part of a `Scenario` (a run's
//! description, which traces carry) but a setting of the page's process
//! workers: the runner hands it to `lanes_web::set_warm_processes` whenever
//! it changes (turning it off ends the idle workers) and again before each
//! run, so a run always sees the form's value.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use lanes_runtime::Cancel;
use yew::prelude::*;

use super::Store;
use crate::state::{Action, How, RunStatus};

/// Starts each run of a batch when the state asks for it; returns the Cancel
/// callback.
#[hook]
pub(super) fn use_runner(store: &UseReducerHandle<Store>) -> Callback<()> {
    let current: Rc<RefCell<Option<Arc<Cancel>>>> = use_mut_ref(|| None);
    let state = &store.0;
    let due = match state.status {
        RunStatus::Running { index, .. } => {
            state.plan.get(index).map(|p| (*p, state.costs_for(p.how)))
        }
        _ => None,
    };
    let warm = state.warm_processes();
    use_effect_with(warm, |&warm| lanes_web::set_warm_processes(warm));
    {
        let dispatcher = store.dispatcher();
        let current = Rc::clone(&current);
        use_effect_with(state.status.clone(), move |_| {
            if let Some((planned, costs)) = due {
                let scenario = planned.scenario;
                lanes_web::reset_heap_peak();
                if let How::Simulated { cores, seed, .. } = planned.how {
                    // Computed here and now: the simulator takes milliseconds.
                    let options = lanes_sim::Options { cores, seed };
                    match lanes_sim::simulate(&scenario, &costs, &options) {
                        Ok(trace) => {
                            lanes_web::publish_trace(lanes_trace::to_chrome_json(&trace));
                            dispatcher.dispatch(Action::Finished(trace));
                        }
                        Err(e) => dispatcher.dispatch(Action::Failed(e.to_string())),
                    }
                    return;
                }
                lanes_web::set_warm_processes(warm);
                let cancel = Arc::new(Cancel::new());
                *current.borrow_mut() = Some(Arc::clone(&cancel));
                wasm_bindgen_futures::spawn_local(async move {
                    let result = if scenario.workload == lanes_trace::Workload::Ui {
                        lanes_web::run_ui_lesson(scenario, Arc::clone(&cancel)).await
                    } else {
                        lanes_web::run_live(scenario, Arc::clone(&cancel)).await
                    };
                    if cancel.is_cancelled() {
                        // Cancel already told the state; a late answer is
                        // dropped, but it says when the run really stopped.
                        lanes_web::publish_cancel_done();
                        return;
                    }
                    match result {
                        Ok(trace) => {
                            lanes_web::publish_trace(lanes_trace::to_chrome_json(&trace));
                            dispatcher.dispatch(Action::Finished(trace));
                        }
                        Err(e) => dispatcher.dispatch(Action::Failed(e.to_string())),
                    }
                });
            }
        });
    }
    let dispatcher = store.dispatcher();
    Callback::from(move |()| {
        if let Some(cancel) = current.borrow_mut().take() {
            lanes_web::publish_cancel_requested();
            cancel.cancel();
        }
        // Cancel ends every process, the idle ones kept warm too.
        lanes_web::end_idle_processes();
        dispatcher.dispatch(Action::Cancelled);
    })
}
