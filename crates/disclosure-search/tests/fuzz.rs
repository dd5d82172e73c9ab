//! Property tests: the tokenizer, query understanding and highlighting are total on
//! arbitrary strings (no panic, ranges inside the text), and search never errs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use disclosure_search::highlight::{highlight, snippet};
use disclosure_search::query::parse_query;
use disclosure_search::tokenizer::{characters, tokenize};
use disclosure_search::{SearchIndex, SearchRequest};
use proptest::prelude::*;

/// Strings that mix the characters people actually type with syntax and odd code points.
fn typed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("收费清单".to_string()),
            Just("宁政发〔2019〕3号".to_string()),
            "[\\u{4e00}-\\u{4e20}]{1,3}",
            "[\"“”「」:^()\\[\\]{}~*?!+-]",
            "[ \\t\\n　]",
            "[A-Za-z0-9０-９Ａ-Ｚ]{1,4}",
            // Pinyin, tone digits and marks, initials (issue 13).
            "(she|hui|bao|xian|shou|fei|a)[1-5]?",
            Just("shbx".to_string()),
            Just("shè huì".to_string()),
            any::<char>().prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn tokens_point_at_char_boundaries(text in typed_text()) {
        for token in tokenize(&text).into_iter().chain(characters(&text)) {
            prop_assert!(token.bytes.start < token.bytes.end && token.bytes.end <= text.len());
            prop_assert!(text.is_char_boundary(token.bytes.start) && text.is_char_boundary(token.bytes.end));
            prop_assert!(!token.text.is_empty());
        }
    }

    #[test]
    fn highlights_lie_inside_their_text(text in typed_text(), query in typed_text()) {
        let parsed = parse_query(&query);
        for marked in [highlight(&text, &parsed), snippet(&text, &parsed)] {
            let length = marked.text.chars().count();
            for range in &marked.highlights {
                prop_assert!(range.start < range.end && range.end <= length);
            }
        }
    }

    #[test]
    fn any_query_searches(query in typed_text()) {
        static INDEX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
        let index = INDEX.get_or_init(|| SearchIndex::open(common::build_mini().pack).unwrap());
        prop_assert!(index.suggest(&query).is_ok_and(|found| found.len() <= 8));
        let request = SearchRequest { query, ..SearchRequest::default() };
        prop_assert!(index.search(&request).is_ok());
    }
}
