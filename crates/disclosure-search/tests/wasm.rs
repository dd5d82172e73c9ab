//! The search core inside Wasm in headless Chromium: it opens a packed index and returns
//! the expected hit with highlights.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use disclosure_search::{MatchKind, SearchIndex, SearchRequest};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "common/fold_sweep.rs"]
mod fold_sweep;

wasm_bindgen_test_configure!(run_in_browser);

/// Built natively from `fixtures/mini.jsonl`; `tests/pack.rs` checks it is current.
const MINI_PACK: &[u8] = include_bytes!("fixtures/mini.pack");

fn search(index: &SearchIndex, text: &str) -> disclosure_search::SearchResults {
    let request = SearchRequest {
        query: text.to_string(),
        ..SearchRequest::default()
    };
    index.search(&request).expect("search succeeds in Wasm")
}

#[wasm_bindgen_test]
fn opens_a_packed_index_and_finds_the_expected_hit_with_highlights() {
    let index = SearchIndex::open(MINI_PACK.to_vec()).expect("the pack opens in Wasm");
    assert_eq!(index.doc_count(), 8);

    let results = search(&index, "收费清单");
    let first = &results.hits[0];
    assert_eq!(first.id, "fee-2023");
    assert_eq!(first.title.text, "宁乡市2023年行政事业性收费清单");
    assert_eq!(first.title.highlights, [13..17]);
    assert!(!first.snippet.highlights.is_empty());

    let by_number = search(&index, "宁政发[2019]3号");
    assert_eq!(by_number.hits[0].id, "norm-2019-3");

    let mistyped = search(&index, "城镇排水与污水处里条例");
    assert_eq!(mistyped.hits[0].id, "order-641");
    assert_eq!(mistyped.hits[0].match_kind, MatchKind::Partial);
}

#[wasm_bindgen_test]
fn refuses_bytes_that_are_not_an_index() {
    assert!(SearchIndex::open(b"<!doctype html><title>404</title>".to_vec()).is_err());
    assert!(SearchIndex::open(MINI_PACK[..MINI_PACK.len() / 2].to_vec()).is_err());
}

/// The worker folds every character as the builder folded the index, though it takes NFKC
/// from the browser and the builder from Unicode's tables, but those the browser's Unicode
/// has not assigned yet (General_Category Cn: Chromium 156 does not know the newest
/// additions, `unicode-normalization` 0.1.26, of Unicode 18, does), which it leaves as they are;
/// `tests/pack.rs` keeps the fixture the builder's.
#[wasm_bindgen_test]
fn folds_every_character_as_the_builder_does() {
    let builder = include_str!("fixtures/fold.txt");
    let browser = fold_sweep::changed_characters();
    let (builder_lines, browser_lines): (HashSet<&str>, HashSet<&str>) =
        (builder.lines().collect(), browser.lines().collect());
    let unassigned = js_sys::RegExp::new(r"^\p{Cn}$", "u");
    let differ: Vec<&str> = builder
        .lines()
        .filter(|line| !browser_lines.contains(line))
        .filter(|line| {
            let code_point = line
                .split('\t')
                .next()
                .and_then(|hex| u32::from_str_radix(hex, 16).ok());
            let c = code_point
                .and_then(char::from_u32)
                .expect("the fixture names characters");
            !unassigned.test(c.encode_utf8(&mut [0; 4]))
        })
        .chain(browser.lines().filter(|line| !builder_lines.contains(line)))
        .collect();
    assert!(
        differ.is_empty(),
        "folded otherwise in the browser: {differ:?}"
    );
}
