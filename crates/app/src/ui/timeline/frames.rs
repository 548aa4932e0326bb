//! Browser timing hooks for the timeline: window resizes and animation frames.

use yew::prelude::*;

use crate::ui::listener::listen;

/// Bumps a counter whenever the window is resized, so the canvas redraws.
#[hook]
pub(super) fn use_resize_tick() -> u32 {
    let tick = use_state(|| 0_u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |()| {
            // Without the listener the canvas just keeps its size: no harm.
            let listener = listen("resize", move |_| tick.set(tick.wrapping_add(1)));
            move || drop(listener)
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
