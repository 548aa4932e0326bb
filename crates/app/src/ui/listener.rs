//! Event listeners that are removed when dropped.

use wasm_bindgen::prelude::*;

/// An event listener, removed when dropped.
pub(super) struct Listener {
    target: web_sys::EventTarget,
    event: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

/// Calls `f` on each `event` at the window until the returned listener is
/// dropped; `None` where there is no window (nothing to listen to).
pub(super) fn listen(
    event: &'static str,
    f: impl FnMut(web_sys::Event) + 'static,
) -> Option<Listener> {
    Some(listen_on(web_sys::window()?.into(), event, f))
}

/// Calls `f` on each `event` at `target` until the returned listener is
/// dropped. The listener is not passive: `f` may prevent the default (a
/// wheel that zooms instead of scrolling the page).
pub(super) fn listen_on(
    target: web_sys::EventTarget,
    event: &'static str,
    f: impl FnMut(web_sys::Event) + 'static,
) -> Listener {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_passive(false);
    // A page that cannot listen keeps working without this control.
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
        event,
        closure.as_ref().unchecked_ref(),
        &options,
    );
    Listener {
        target,
        event,
        closure,
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
    }
}
