//! Browser timing hooks for the timeline: window resizes and animation frames.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

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

type FrameClosure = Closure<dyn FnMut(f64)>;

/// While `active`, calls `on_frame` once per animation frame with the wall
/// time since the previous frame, in ms.
#[hook]
pub(super) fn use_animation_frames(active: bool, on_frame: Callback<f64>) {
    let callback = use_mut_ref(|| on_frame.clone());
    *callback.borrow_mut() = on_frame;
    use_effect_with(active, move |active| {
        let alive = Rc::new(Cell::new(*active));
        if *active {
            let slot: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
            let again = Rc::clone(&slot);
            let last = Rc::new(Cell::new(None::<f64>));
            let running = Rc::clone(&alive);
            *slot.borrow_mut() = Some(Closure::new(move |now: f64| {
                if !running.get() {
                    // Dropping the closure from inside itself is not allowed: just stop.
                    return;
                }
                if let Some(before) = last.replace(Some(now)) {
                    callback.borrow().emit((now - before).clamp(0.0, 100.0));
                }
                request(&again);
            }));
            request(&slot);
            let stop = Rc::clone(&alive);
            return Box::new(move || {
                stop.set(false);
                // Break the closure's cycle once the last frame has run.
                let slot = Rc::clone(&slot);
                let later = Closure::once_into_js(move || drop(slot.borrow_mut().take()));
                if let Some(w) = web_sys::window() {
                    let _ = w.request_animation_frame(later.unchecked_ref());
                }
            }) as Box<dyn FnOnce()>;
        }
        Box::new(|| ()) as Box<dyn FnOnce()>
    });
}

fn request(slot: &Rc<RefCell<Option<FrameClosure>>>) {
    if let (Some(w), Some(f)) = (web_sys::window(), slot.borrow().as_ref()) {
        // If the browser refuses a frame the replay just stops.
        let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
    }
}
