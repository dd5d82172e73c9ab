//! The portal's widgets, built with Yew: the policy search, the validity lookup, the
//! fee-list browser and the consultation feedback form.
//!
//! The search engine (tantivy, through `disclosure-search`) never runs on the page's
//! thread: the `worker` binary hosts it in a Web Worker, and the `app` binary (the UI)
//! talks to it with the messages of [`protocol`]. The UI binary links no tantivy code.

pub mod consultation;
pub mod fees;
pub mod labels;
pub mod page;
pub mod protocol;
pub mod search;
pub mod status;
pub mod url_state;
pub mod validity;
pub mod worker;
