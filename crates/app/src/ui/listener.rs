//! Window event listeners that are removed when dropped.

use wasm_bindgen::prelude::*;

/// An event listener on the window, removed when dropped.
pub(super) struct Listener {
    target: web_sys::Window,
    event: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

/// Calls `f` on each `event` at the window until the returned listener is
/// dropped; `None` where there is no window (nothing to listen to).
pub(super) fn listen(
    event: &'static str,
    f: impl FnMut(web_sys::Event) + 'static,
) -> Option<Listener> {
    let target = web_sys::window()?;
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    // A page that cannot listen keeps working without this control.
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    Some(Listener {
        target,
        event,
        closure,
    })
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
    }
}
