//! The officials' console (`/admin/`): sign in, review opinions (the personal-data screen's
//! matches highlighted, redacted or the opinion withheld with a reason), respond, write the
//! 意见采纳情况说明, publish; draft, upload and open consultations; accounts and the audit
//! log. Its own Wasm module, served by `disclosure-server`, so citizens never download it.
//!
//! As the citizens' widgets: `state` is the reducer in plain Rust (tested natively),
//! `view` renders it with function components, and `app` wires the requests to the
//! console's API (`/api/officials/…`).

pub mod state;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;
