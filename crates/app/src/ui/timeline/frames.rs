//! Browser timing hooks for the timeline: window resizes and animation frames.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Bumps a counter whenever the window is resized, so the canvas redraws.
#[hook]
pub(super) fn use_resize_tick() -> u32 {
    let tick = use_state(|| 0_u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |()| {
            let window = web_sys::window();
            let listener = Closure::<dyn Fn()>::new(move || tick.set(tick.wrapping_add(1)));
            if let Some(w) = &window {
                // Without the listener the canvas just keeps its size: no harm.
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    *tick
}

/// While `active`, calls `on_frame` once per animation frame with the wall
/// time since the previous frame, in ms.
#[hook]
pub(super) fn use_animation_frames(active: bool, on_frame: Callback<f64>) {
    let callback = use_mut_ref(|| on_frame.clone());
    *callback.borrow_mut() = on_frame;
    use_effect_with(active, move |active| {
        let frames = active.then(|| {
            let mut last = None::<f64>;
            lanes_web::FrameLoop::start(move |now| {
                if let Some(before) = last.replace(now) {
                    callback.borrow().emit((now - before).clamp(0.0, 100.0));
                }
            })
        });
        // Dropping the loop stops it.
        move || drop(frames)
    });
}
