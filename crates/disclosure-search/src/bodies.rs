//! Document bodies for snippets, kept out of tantivy's document store in a file of their
//! own (`bodies` in the pack), each body cut into chunks of [`CHUNK_TOKENS`] tokens and
//! each chunk deflated alone.
//!
//! A snippet needs the text around one match, not the whole law: a range reader fetches
//! the chunk holding the match (which a phrase's positions name: token position / chunk
//! length) and the next, about a kilobyte, where the whole deflated body was five on
//! average and tens for long laws.
//!
//! Where a document's chunks lie is known without reading anything: its chunks sit in
//! slots of one size (its longest chunk's, the others padded with zeros), the slot size
//! and the count are two fast fields of the index, which the pack's head holds, and the
//! documents' slots follow one another in document order, so where a document's first
//! slot lies is the sum of the slots before it ([`slot_starts`], once when the index
//! opens). So a page's body chunks are fetched in the same round as its stored fields;
//! when the chunks' lengths were in the stored document, they took a round of their own
//! after it — 150 ms on a phone's round trip, for a few hundred bytes of padding. The
//! offsets themselves were a third fast field until format 6: 26 bits a document of every
//! first visit's head, which the sum gives for nothing.

use std::ops::Range;

use crate::tokenizer::tokenize;

/// Name of the bodies file in the pack.
pub const BODIES_FILE: &str = "bodies";

/// Tokens per chunk: about as many characters of Chinese text, two chunks hold a
/// snippet's window wherever the match falls in the first.
pub const CHUNK_TOKENS: usize = 256;

/// A chunk inflated to more than this is cut: a damaged or hostile pack cannot make the
/// reader allocate without bound.
const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// A slot larger than this (bytes) is damage, not a deflated chunk of [`CHUNK_TOKENS`]
/// tokens: [`BodySlots::range`] names no bytes, so a reader shows no snippet rather than
/// fetch much of the file.
const MAX_SLOT_BYTES: u64 = MAX_CHUNK_BYTES as u64;

/// Where a document's chunks lie in the bodies file: `count` slots of `stride` bytes from
/// `start`, each a deflated chunk followed by zeros (the fast fields `body_start`,
/// `body_stride`, `body_chunk_count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodySlots {
    /// Offset of the first slot in the bodies file, in bytes.
    pub start: u64,
    /// Bytes per slot: the document's longest deflated chunk.
    pub stride: u64,
    /// How many chunks the document has.
    pub count: u64,
}

impl BodySlots {
    /// The byte range in the bodies file of slots `first..first + count` (as many of them
    /// as exist); empty when the body has none there, or when its slots are larger than
    /// [`MAX_SLOT_BYTES`] (damage). Saturates rather than overflows on a damaged pack's
    /// values.
    pub fn range(&self, first: u64, count: u64) -> Range<u64> {
        if self.stride > MAX_SLOT_BYTES {
            return self.start..self.start;
        }
        let first = first.min(self.count);
        let end = first.saturating_add(count).min(self.count);
        let at = |slot: u64| self.start.saturating_add(slot.saturating_mul(self.stride));
        at(first)..at(end)
    }
}

/// Cuts `body` into chunks of [`CHUNK_TOKENS`] tokens (the last may be shorter), each
/// deflated; a chunk runs from its first token to the next chunk's first token, so the
/// chunks together are the whole text.
pub fn deflated_chunks(body: &str) -> Vec<Vec<u8>> {
    let tokens = tokenize(body);
    let mut cuts: Vec<usize> = tokens
        .iter()
        .step_by(CHUNK_TOKENS)
        .skip(1)
        .map(|token| token.bytes.start)
        .collect();
    cuts.insert(0, 0);
    cuts.push(body.len());
    cuts.windows(2)
        .filter(|cut| cut[1] > cut[0] || body.is_empty())
        .map(|cut| miniz_oxide::deflate::compress_to_vec(&body.as_bytes()[cut[0]..cut[1]], 6))
        .collect()
}

/// Lays `chunks` out in slots of their longest length, each padded with zeros (a deflate
/// stream ends itself, so the padding is never read as text): the bytes and the stride.
pub fn slotted(chunks: &[Vec<u8>]) -> (Vec<u8>, u64) {
    let stride = chunks.iter().map(Vec::len).max().unwrap_or(0);
    let mut bytes = Vec::with_capacity(stride * chunks.len());
    for chunk in chunks {
        bytes.extend_from_slice(chunk);
        bytes.resize(bytes.len() + stride - chunk.len(), 0);
    }
    (bytes, stride as u64)
}

/// Where each document's first slot lies in the bodies file (bytes), in document order,
/// from each document's `(stride, count)`: the builder appends every document's slots
/// after the previous document's ([`slotted`]). Saturates rather than overflows on a
/// damaged pack's values (the ranges are then empty or past the file, and no snippet
/// shows).
pub fn slot_starts(sizes: impl IntoIterator<Item = (u64, u64)>) -> Vec<u64> {
    let mut next = 0u64;
    sizes
        .into_iter()
        .map(|(stride, count)| {
            let start = next;
            next = next.saturating_add(stride.saturating_mul(count));
            start
        })
        .collect()
}

/// The text of consecutive slots of `stride` bytes; what cannot be read is left out,
/// never an error.
pub fn inflate_slots(bytes: &[u8], stride: u64) -> String {
    let Ok(stride) = usize::try_from(stride) else {
        return String::new();
    };
    if stride == 0 {
        return String::new();
    }
    bytes
        .chunks(stride)
        .filter_map(|slot| {
            miniz_oxide::inflate::decompress_to_vec_with_limit(slot, MAX_CHUNK_BYTES).ok()
        })
        .map(|inflated| String::from_utf8_lossy(&inflated).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_hold_the_whole_text_and_are_found_by_token_position() {
        let body = "第一条 为了规范行政规范性文件管理。第二条 本办法适用于宁乡市。".repeat(120);
        let chunks = deflated_chunks(&body);
        assert!(chunks.len() > 2);
        let (all, stride) = slotted(&chunks);
        assert_eq!(all.len() as u64, stride * chunks.len() as u64);
        assert_eq!(inflate_slots(&all, stride), body);
        // The chunk of token position p is p / CHUNK_TOKENS.
        let tokens = tokenize(&body);
        let p = CHUNK_TOKENS * 2 + 5;
        let slots = BodySlots {
            start: 0,
            stride,
            count: chunks.len() as u64,
        };
        let range = slots.range((p / CHUNK_TOKENS) as u64, 1);
        let text = inflate_slots(&all[range.start as usize..range.end as usize], stride);
        assert!(text.contains(&body[tokens[p].bytes.clone()]));
        assert!(body[tokens[CHUNK_TOKENS * 2].bytes.start..].starts_with(&text));
    }

    #[test]
    fn ranges_stay_within_the_document_and_damage_is_no_text() {
        let slots = BodySlots {
            start: 1 << 40,
            stride: 300,
            count: 3,
        };
        assert_eq!(slots.range(1, 5), (1 << 40) + 300..(1 << 40) + 900);
        assert_eq!(slots.range(9, 2), (1 << 40) + 900..(1 << 40) + 900);
        let hostile = BodySlots {
            start: u64::MAX - 1,
            stride: MAX_SLOT_BYTES,
            count: u64::MAX,
        };
        assert_eq!(hostile.range(2, 2), u64::MAX..u64::MAX);
        let oversized = BodySlots {
            start: 10,
            stride: MAX_SLOT_BYTES + 1,
            count: 1,
        };
        assert_eq!(oversized.range(0, 2), 10..10);
        assert_eq!(inflate_slots(b"not deflate", 11), "");
        assert_eq!(inflate_slots(b"anything", 0), "");
        assert_eq!(deflated_chunks("").len(), 1);
        assert_eq!(slotted(&[]), (Vec::new(), 0));
        assert_eq!(slot_starts([(u64::MAX, 2), (5, 1)]), [0, u64::MAX]);
    }

    #[test]
    fn each_body_starts_where_the_slots_before_it_end() {
        let bodies = [
            "短".to_string(),
            "第一条 宁乡市。".repeat(300),
            String::new(),
            "尾".repeat(900),
        ];
        let mut file = Vec::new();
        let mut sizes = Vec::new();
        let mut written_at = Vec::new();
        for body in &bodies {
            let chunks = deflated_chunks(body);
            let (slots, stride) = slotted(&chunks);
            written_at.push(file.len() as u64);
            sizes.push((stride, chunks.len() as u64));
            file.extend(slots);
        }
        let starts = slot_starts(sizes.iter().copied());
        assert_eq!(starts, written_at);
        for ((body, start), (stride, count)) in bodies.iter().zip(&starts).zip(&sizes) {
            let slots = BodySlots {
                start: *start,
                stride: *stride,
                count: *count,
            };
            let range = slots.range(0, *count);
            assert_eq!(
                &inflate_slots(&file[range.start as usize..range.end as usize], *stride),
                body
            );
        }
    }
}
