//! Domain rules of the 宁乡市 disclosure portal, in plain Rust.
//!
//! This crate knows what a published document is and when a record describing one is
//! acceptable. It does no IO and knows nothing of tantivy, browsers or servers, so the
//! index builder, the Wasm widgets and the opinion server all apply the same rules.

pub mod answers;
pub mod authority;
pub mod consultation;
pub mod date;
pub mod docnum;
pub mod document;
pub mod fees;
pub mod issuer;
pub mod library;
pub mod lookup;
pub mod numerals;
pub mod personal_data;
pub mod place;
pub mod post_answer;
pub mod repeals;
pub mod text;
pub mod title_kind;
pub mod validity;

pub use date::{parse_date, DateError};
pub use docnum::{DocNumber, DocNumberError};
pub use document::{DocumentRecord, PortalDocument, RecordError};
