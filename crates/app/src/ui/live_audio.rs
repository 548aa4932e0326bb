//! The audio lesson's underruns as they happen: the worklet's count for the
//! playback in progress, read a few times a second, so that a click heard
//! is a number seen going up (on a projector too). Only this line redraws.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

/// How often the count is read, in ms.
const READ_EVERY_MS: i32 = 200;

/// Mounted while a playback plays live, one mount per run (keyed by it): the
/// player's count starts again at each.
#[function_component]
pub fn LiveUnderruns() -> Html {
    let count = use_state_eq(lanes_web::live_underruns);
    {
        let count = count.clone();
        use_effect_with((), move |()| {
            let mounted = Rc::new(Cell::new(true));
            let reading = Rc::clone(&mounted);
            wasm_bindgen_futures::spawn_local(async move {
                while reading.get() {
                    lanes_web::after_ms(READ_EVERY_MS).await;
                    if reading.get() {
                        count.set(lanes_web::live_underruns());
                    }
                }
            });
            move || mounted.set(false)
        });
    }
    html! {
        <p class="live-underruns" id="live-underruns" data-underruns={count.to_string()}>
            { crate::state::underruns_so_far(*count) }
        </p>
    }
}
