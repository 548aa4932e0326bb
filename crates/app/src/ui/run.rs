//! Runs the current batch: each time the state says a run is due, run it
//! live (on the pool, in process workers, or in one worker without a pool)
//! or simulate it, and report back through the reducer.
//!
//! Whether processes are kept warm is not part of a `Scenario` (a run's
//! description, which traces carry) but the form's setting: the runner
//! passes it with each live run, and ends the idle workers when it turns
//! off.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use lanes_runtime::Cancel;
use yew::prelude::*;

use super::Store;
use crate::state::{Action, How};

/// Starts each run of a batch when the state asks for it; returns the Cancel
/// callback.
#[hook]
pub(super) fn use_runner(store: &UseReducerHandle<Store>) -> Callback<()> {
    let current: Rc<RefCell<Option<Arc<Cancel>>>> = use_mut_ref(|| None);
    let state = &store.0;
    let due = state.current().map(|p| (*p, state.costs_for(p.how)));
    let warm = state.warm_processes();
    let gain = state.form.gain();
    use_effect_with(gain.to_bits(), move |_| lanes_web::set_gain(gain));
    use_effect_with(warm, |&warm| {
        if !warm {
            lanes_web::end_idle_processes();
        }
    });
    {
        let dispatcher = store.dispatcher();
        let current = Rc::clone(&current);
        use_effect_with((state.status.clone(), state.batch.len()), move |_| {
            if let Some((planned, costs)) = due {
                let scenario = planned.scenario;
                lanes_web::reset_heap_peak();
                let cancel = Arc::new(Cancel::new());
                *current.borrow_mut() = Some(Arc::clone(&cancel));
                wasm_bindgen_futures::spawn_local(async move {
                    let result = if let How::Simulated { cores, seed, .. } = planned.how {
                        // On a pool thread: a big simulation must not freeze the page.
                        let options = lanes_sim::Options { cores, seed };
                        lanes_web::simulate_off_main(scenario, costs, options, Arc::clone(&cancel))
                            .await
                            .map(|trace| lanes_web::LiveRun {
                                trace,
                                memory: None,
                            })
                    } else if scenario.workload == lanes_trace::Workload::Ui {
                        lanes_web::run_ui_lesson(scenario, Arc::clone(&cancel))
                            .await
                            .map(|trace| lanes_web::LiveRun {
                                trace,
                                memory: None,
                            })
                    } else if scenario.workload == lanes_trace::Workload::Playback {
                        let sound = lanes_web::Sound { gain };
                        lanes_web::run_playback_live(scenario, Arc::clone(&cancel), sound)
                            .await
                            .map(|trace| lanes_web::LiveRun {
                                trace,
                                memory: None,
                            })
                    } else {
                        lanes_web::run_live(scenario, Arc::clone(&cancel), warm).await
                    };
                    if cancel.is_cancelled() {
                        // Cancel already told the state; a late answer is
                        // dropped, but it says when the run really stopped.
                        lanes_web::publish_cancel_done();
                        return;
                    }
                    dispatcher.dispatch(match result {
                        Ok(run) => Action::Finished(run.trace, run.memory),
                        Err(e) => Action::Failed(e.to_string()),
                    });
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
