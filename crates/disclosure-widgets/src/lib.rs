//! The portal's widgets, built with Yew: the policy search, the validity lookup, the
//! fee-list browser and the consultation feedback form.
//!
//! The search engine (tantivy, through `disclosure-search`) never runs on the page's
//! thread: the `worker` binary hosts it in a Web Worker, and the UI binaries talk to it
//! with the messages of [`protocol`]: `app` (every widget) and `search_ui` (the search
//! alone, for the search page), both mounting through [`mount`]. The UI binaries link no
//! tantivy code.

pub mod consultation;
pub mod fees;
pub mod labels;
pub mod mount;
pub mod page;
pub mod protocol;
pub mod search;
pub mod status;
pub mod url_state;
pub mod validity;
pub mod worker;
