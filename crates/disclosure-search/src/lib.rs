//! Chinese full-text search for the disclosure portal.
//!
//! One tokenizer for index and query ([`tokenizer`]), query understanding that accepts any
//! text ([`query`]), tiered ranking over a tantivy index ([`engine`]), highlights as
//! character ranges ([`highlight`]), the packed single-file index format ([`pack`]) and
//! the sans-IO [`session`] that reads it by byte ranges.
//! Reading compiles natively and to `wasm32-unknown-unknown`; writing ([`writer`]) is
//! native only, because tantivy's writer needs threads.

pub mod bodies;
pub mod byteranges;
pub mod engine;
pub mod facets;
pub mod highlight;
pub mod latin;
pub mod lexicon;
mod memo;
mod order;
pub mod pack;
mod plan;
pub mod query;
pub mod schema;
pub mod session;
pub mod suggest;
pub mod synonym_blocks;
pub mod synonyms;
#[cfg(not(target_arch = "wasm32"))]
pub mod term_blocks;
#[cfg(not(target_arch = "wasm32"))]
pub mod term_usage;
pub mod tokenizer;
pub mod validity;
#[cfg(not(target_arch = "wasm32"))]
pub mod writer;

pub use engine::{Hit, MatchKind, OpenError, SearchIndex, SearchRequest, SearchResults, SortOrder};
pub use facets::{FacetCount, Facets};
pub use highlight::HighlightedText;
