//! The UI Wasm with every widget: the demo portal's validity, fee-list and consultation
//! pages, and portals that embed any widget with `nx-widgets.js` (which calls
//! [`mount_widget`] once per custom element, into its shadow root). The portal's search
//! page loads the smaller `search_ui`, which holds the search alone.

use disclosure_widgets::mount::{self, MountedWidget, CONSULTATION, FEES, SEARCH, VALIDITY};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;

/// The kinds this module offers.
const KINDS: [mount::Kind; 4] = [SEARCH, VALIDITY, FEES, CONSULTATION];

/// Mounts the widget `kind` (`search`, `validity`, `fees`, `consultation`) into `root`,
/// configured by the `data-*` attributes and the `lang` of `host`. Returns the mounted
/// widget, or nothing for an unknown kind.
#[wasm_bindgen]
pub fn mount_widget(kind: &str, root: Element, host: Element) -> Option<MountedWidget> {
    mount::mount(&KINDS, kind, root, &host)
}

/// The demo portal's pages: each widget on the element with its id.
fn main() {
    mount::mount_demo_page(&KINDS);
}
