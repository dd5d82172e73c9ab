//! The small corpus the search tests run on, built once per test binary.

use disclosure_core::{DocumentRecord, PortalDocument};
use disclosure_search::writer::{BuiltIndex, IndexBuilder};

pub const MINI_JSONL: &str = include_str!("../fixtures/mini.jsonl");

pub fn mini_documents() -> Vec<PortalDocument> {
    MINI_JSONL
        .lines()
        .map(|line| {
            let record: DocumentRecord =
                serde_json::from_str(line).expect("the fixture is valid JSON");
            PortalDocument::try_from(record).expect("the fixture is valid")
        })
        .collect()
}

/// The validity records of four of the documents, as `disclosure-index validity` writes them.
pub const MINI_VALIDITY: &str = include_str!("../fixtures/mini-validity.json");

pub fn build_mini() -> BuiltIndex {
    let mut builder = IndexBuilder::new().expect("a builder starts");
    builder.set_validity(serde_json::from_str(MINI_VALIDITY).expect("the records are valid"));
    for document in mini_documents() {
        builder.add(&document).expect("a fixture document is added");
    }
    builder.finish().expect("the fixture builds")
}
