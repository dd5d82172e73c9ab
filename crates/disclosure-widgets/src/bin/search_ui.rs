//! The UI Wasm of the policy search alone: the portal's search page and `nx-widgets.js`
//! for `<nx-policy-search>` load it instead of `app`, whose other widgets a citizen who
//! came to search would download for nothing (about 100 KB of brotli on a phone's first
//! visit, issue 18).

use disclosure_widgets::mount::{self, MountedWidget, SEARCH};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;

/// The kinds this module offers.
const KINDS: [mount::Kind; 1] = [SEARCH];

/// Mounts the search into `root`, configured by the `data-*` attributes and the `lang` of
/// `host`, when `kind` is `search`; nothing otherwise.
#[wasm_bindgen]
pub fn mount_widget(kind: &str, root: Element, host: Element) -> Option<MountedWidget> {
    mount::mount(&KINDS, kind, root, &host)
}

/// The demo portal's search page: the search on `#policy-search`.
fn main() {
    mount::mount_demo_page(&KINDS);
}
