//! Suggestions as you type (关键词推荐): from the first character, up to
//! [`MAX_SUGGESTIONS`] titles and frequent title phrases whose text, pinyin or initials
//! start with what was typed (`收费` → `收费清单`, `sfqd` → `收费清单`).
//!
//! The builder mines the titles' phrases (each head or tail of 2 to [`MAX_PHRASE_CHARS`]
//! characters of a title's runs of Han characters found in at least two titles, the
//! longest of those always followed or preceded by the same character, and every title) and writes each under three keys — its characters, its pinyin in
//! the first readings, its initials — sorted by key, in the pack's `suggest` file, cut into
//! deflated blocks of about [`BLOCK_BYTES`] bytes. The lexicon (in the pack's head) lists
//! each block's first key, so a keystroke reads one to [`MAX_BLOCKS_READ`] blocks by range:
//! a few kilobytes.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Name of the suggestions file in the pack.
pub const SUGGEST_FILE: &str = "suggest";
/// At most this many suggestions are offered.
pub const MAX_SUGGESTIONS: usize = 8;
/// Longest phrase mined from titles, in characters.
pub const MAX_PHRASE_CHARS: usize = 10;
/// Uncompressed size at which a block is closed.
pub const BLOCK_BYTES: usize = 16 * 1024;
/// A keystroke reads at most this many blocks (a short prefix spans many).
pub const MAX_BLOCKS_READ: usize = 3;
/// Longest typed text looked up, in characters.
const MAX_KEY_CHARS: usize = 24;
/// A block inflated beyond this is cut: a damaged pack cannot make the reader allocate
/// without bound.
const MAX_BLOCK_INFLATED: usize = 256 * 1024;

/// Where a block of the suggestions file lies, and its first key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestBlock {
    pub first_key: String,
    /// Byte offset in the suggestions file.
    pub offset: u64,
    /// Deflated length in bytes.
    pub len: u32,
}

/// The key typed text is looked up under: folded ([`disclosure_core::text::fold`]), Han
/// characters, Latin letters and digits only (spaces, brackets and tone marks dropped).
pub fn suggestion_key(typed: &str) -> String {
    disclosure_core::text::fold(typed)
        .chars()
        .filter(|c| crate::tokenizer::is_han(*c) || c.is_ascii_alphanumeric())
        .take(MAX_KEY_CHARS)
        .collect()
}

/// The blocks whose keys may start with `key`: the one it would fall in and those after it
/// that start with it, at most [`MAX_BLOCKS_READ`].
pub fn blocks_for<'a>(blocks: &'a [SuggestBlock], key: &str) -> &'a [SuggestBlock] {
    if key.is_empty() || blocks.is_empty() {
        return &[];
    }
    let first = blocks
        .partition_point(|block| block.first_key.as_str() <= key)
        .saturating_sub(1);
    let mut end = first + 1;
    while end < blocks.len()
        && end - first < MAX_BLOCKS_READ
        && blocks[end].first_key.starts_with(key)
    {
        end += 1;
    }
    &blocks[first..end]
}

/// The byte range of `block` in the suggestions file.
pub fn block_range(block: &SuggestBlock) -> Range<usize> {
    let start = block.offset as usize;
    start..start.saturating_add(block.len as usize)
}

/// The suggestions for `key` among the deflated `blocks`: the phrases under keys starting
/// with it, most titles first, then the shortest; none equal to `typed`; at most
/// [`MAX_SUGGESTIONS`]. Damaged blocks are skipped.
pub fn suggestions_in(blocks: &[&[u8]], key: &str, typed: &str) -> Vec<String> {
    let mut found: Vec<(u32, String)> = Vec::new();
    for block in blocks {
        let Ok(text) =
            miniz_oxide::inflate::decompress_to_vec_with_limit(block, MAX_BLOCK_INFLATED)
        else {
            continue;
        };
        for line in String::from_utf8_lossy(&text).lines() {
            let mut fields = line.split('\t');
            let (Some(entry_key), Some(phrase), Some(count)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            if entry_key.starts_with(key) && phrase != typed.trim() {
                found.push((count.parse().unwrap_or(0), phrase.to_string()));
            }
        }
    }
    crate::order::sort_by(&mut found, |a, b| {
        b.0.cmp(&a.0)
            .then(a.1.chars().count().cmp(&b.1.chars().count()))
            .then(a.1.cmp(&b.1))
    });
    let mut suggestions: Vec<String> = Vec::new();
    for (_, phrase) in found {
        if !suggestions.contains(&phrase) {
            suggestions.push(phrase);
        }
        if suggestions.len() == MAX_SUGGESTIONS {
            break;
        }
    }
    suggestions
}

/// One line of the suggestions file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SuggestEntry {
    pub key: String,
    pub phrase: String,
    /// How many titles hold the phrase.
    pub count: u32,
}

/// Writes sorted entries as the suggestions file and its block list.
pub fn write_blocks(mut entries: Vec<SuggestEntry>) -> (Vec<u8>, Vec<SuggestBlock>) {
    entries.sort_by(|a, b| a.key.cmp(&b.key).then(b.count.cmp(&a.count)));
    entries.dedup_by(|a, b| a.key == b.key && a.phrase == b.phrase);
    let (mut file, mut blocks) = (Vec::new(), Vec::new());
    let mut text = String::new();
    let mut first_key: Option<String> = None;
    let mut close = |text: &mut String, first_key: &mut Option<String>| {
        if let Some(key) = first_key.take() {
            let deflated = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
            blocks.push(SuggestBlock {
                first_key: key,
                offset: file.len() as u64,
                len: deflated.len() as u32,
            });
            file.extend(deflated);
            text.clear();
        }
    };
    for entry in entries {
        if entry.key.contains(['\t', '\n']) || entry.phrase.contains(['\t', '\n']) {
            continue;
        }
        if first_key.is_none() {
            first_key = Some(entry.key.clone());
        }
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            entry.key, entry.phrase, entry.count
        ));
        if text.len() >= BLOCK_BYTES {
            close(&mut text, &mut first_key);
        }
    }
    close(&mut text, &mut first_key);
    (file, blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, phrase: &str, count: u32) -> SuggestEntry {
        SuggestEntry {
            key: key.into(),
            phrase: phrase.into(),
            count,
        }
    }

    #[test]
    fn prefixes_find_the_most_frequent_phrases_across_blocks() {
        let mut entries = vec![
            entry("收费清单", "收费清单", 5),
            entry("收费管理", "收费管理", 9),
            entry("sfqd", "收费清单", 5),
            entry("shoufeiqingdan", "收费清单", 5),
        ];
        // Enough filler to make many blocks.
        for n in 0..3_000 {
            entries.push(entry(&format!("z{n:05}"), &format!("条目{n}"), 1));
        }
        let (file, blocks) = write_blocks(entries);
        assert!(blocks.len() > 3);
        let read = |key: &str, typed: &str| {
            let chosen: Vec<&[u8]> = blocks_for(&blocks, key)
                .iter()
                .map(|block| &file[block_range(block)])
                .collect();
            suggestions_in(&chosen, key, typed)
        };
        assert_eq!(read("收费", "收费"), ["收费管理", "收费清单"]);
        assert_eq!(read("sfq", "sfq"), ["收费清单"]);
        assert_eq!(read("shoufei", "shoufei"), ["收费清单"]);
        assert_eq!(read("z", "z").len(), MAX_SUGGESTIONS);
        assert!(read("", "").is_empty());
        assert!(suggestions_in(&[b"not deflate".as_slice()], "a", "a").is_empty());
        assert_eq!(suggestion_key(" 收費 清單！"), "收费清单");
        assert_eq!(suggestion_key(&"a".repeat(10_000)).len(), MAX_KEY_CHARS);
    }
}
