//! Inline styles set through the CSSOM: a strict Content-Security-Policy
//! (`style-src 'self'`) refuses `style` attributes in markup, not
//! properties set from script.

use yew::prelude::*;

/// Sets `properties` (CSS name, value) on the element behind `node` after
/// each render that changes them.
#[hook]
pub(super) fn use_style(node: &NodeRef, properties: Vec<(&'static str, String)>) {
    let node = node.clone();
    use_effect_with(properties, move |properties| {
        if let Some(element) = node.cast::<web_sys::HtmlElement>() {
            let style = element.style();
            for (name, value) in properties {
                // A property the browser refuses leaves the element as it was.
                let _ = style.set_property(name, value);
            }
        }
    });
}
