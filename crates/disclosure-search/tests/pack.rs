//! The packed index is byte-identical for the same input, and the checked-in fixture the
//! Wasm test opens is what the builder writes today.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "common/fold_sweep.rs"]
mod fold_sweep;

use std::path::Path;

#[test]
fn the_same_input_gives_the_same_bytes() {
    let first = common::build_mini();
    let second = common::build_mini();
    assert_eq!(first.pack, second.pack);
    assert_eq!(first.content_hash, second.content_hash);
    assert_eq!(first.doc_count, 8);
}

/// Set `UPDATE_FIXTURES=1` to rewrite the fixture after a deliberate format change.
#[test]
fn the_wasm_fixture_is_current() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.pack");
    let built = common::build_mini();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&fixture, &built.pack).unwrap();
    }
    let stored = std::fs::read(&fixture).unwrap_or_default();
    assert!(
        stored == built.pack,
        "{} is stale: run `UPDATE_FIXTURES=1 cargo test -p disclosure-search --test pack`",
        fixture.display()
    );
}

/// The folding of every character the Wasm test checks in the browser is what the builder
/// folds today. Set `UPDATE_FIXTURES=1` to rewrite it after a deliberate change (a new
/// `unicode-normalization` with a newer Unicode).
#[test]
fn the_fold_fixture_is_current() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fold.txt");
    let folded = fold_sweep::changed_characters();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&fixture, &folded).unwrap();
    }
    let stored = std::fs::read_to_string(&fixture).unwrap_or_default();
    assert!(
        stored == folded,
        "{} is stale: run `UPDATE_FIXTURES=1 cargo test -p disclosure-search --test pack`",
        fixture.display()
    );
}
