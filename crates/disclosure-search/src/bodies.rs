//! Document bodies for snippets, kept out of tantivy's document store in a file of their
//! own (`bodies` in the pack), each body cut into chunks of [`CHUNK_TOKENS`] tokens and
//! each chunk deflated alone.
//!
//! A snippet needs the text around one match, not the whole law: a range reader fetches
//! the chunk holding the match (which a phrase's positions name: token position / chunk
//! length) and the next, about a kilobyte, where the whole deflated body was five on
//! average and tens for long laws. Each document's stored `body_chunks` field says where
//! its chunks lie in the file.

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

/// Where a document's chunks lie in the bodies file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyChunks {
    /// Offset of the first chunk in the bodies file.
    pub start: u64,
    /// Deflated length of each chunk, in order.
    pub lengths: Vec<u32>,
}

impl BodyChunks {
    /// The stored form: LEB128 varints of the start, the count and each length.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 2 * self.lengths.len());
        put_varint(&mut out, self.start);
        put_varint(&mut out, self.lengths.len() as u64);
        for length in &self.lengths {
            put_varint(&mut out, u64::from(*length));
        }
        out
    }

    /// Reads the stored form; `None` when it is damaged.
    pub fn decode(mut bytes: &[u8]) -> Option<BodyChunks> {
        let start = take_varint(&mut bytes)?;
        let count = usize::try_from(take_varint(&mut bytes)?).ok()?;
        if count > bytes.len() {
            return None;
        }
        let lengths = (0..count)
            .map(|_| take_varint(&mut bytes).and_then(|length| u32::try_from(length).ok()))
            .collect::<Option<Vec<u32>>>()?;
        Some(BodyChunks { start, lengths })
    }

    /// The byte range in the bodies file of chunks `first..first + count` (as many of them
    /// as exist); empty when the body has none there.
    pub fn range(&self, first: usize, count: usize) -> Range<u64> {
        let first = first.min(self.lengths.len());
        let end = (first + count).min(self.lengths.len());
        let before: u64 = self.lengths[..first].iter().map(|l| u64::from(*l)).sum();
        let within: u64 = self.lengths[first..end].iter().map(|l| u64::from(*l)).sum();
        self.start + before..self.start + before + within
    }

    /// The lengths of chunks `first..first + count`, to split what [`range`](Self::range)
    /// fetched.
    pub fn lengths_of(&self, first: usize, count: usize) -> &[u32] {
        let first = first.min(self.lengths.len());
        &self.lengths[first..(first + count).min(self.lengths.len())]
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

/// The text of consecutive deflated chunks (`lengths` split `bytes`); what cannot be read
/// is left out, never an error.
pub fn inflate_chunks(bytes: &[u8], lengths: &[u32]) -> String {
    let mut text = String::new();
    let mut at = 0usize;
    for length in lengths {
        let Some(chunk) = bytes.get(at..at + *length as usize) else {
            break;
        };
        at += *length as usize;
        if let Ok(inflated) =
            miniz_oxide::inflate::decompress_to_vec_with_limit(chunk, MAX_CHUNK_BYTES)
        {
            text.push_str(&String::from_utf8_lossy(&inflated));
        }
    }
    text
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn take_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_hold_the_whole_text_and_are_found_by_token_position() {
        let body = "第一条 为了规范行政规范性文件管理。".repeat(200);
        let chunks = deflated_chunks(&body);
        assert!(chunks.len() > 2);
        let lengths: Vec<u32> = chunks.iter().map(|c| c.len() as u32).collect();
        let all: Vec<u8> = chunks.concat();
        assert_eq!(inflate_chunks(&all, &lengths), body);
        // The chunk of token position p is p / CHUNK_TOKENS.
        let tokens = tokenize(&body);
        let p = CHUNK_TOKENS * 2 + 5;
        let placed = BodyChunks {
            start: 0,
            lengths: lengths.clone(),
        };
        let range = placed.range(p / CHUNK_TOKENS, 1);
        let text = inflate_chunks(
            &all[range.start as usize..range.end as usize],
            placed.lengths_of(p / CHUNK_TOKENS, 1),
        );
        assert!(text.contains(&body[tokens[p].bytes.clone()]));
        assert!(body[tokens[CHUNK_TOKENS * 2].bytes.start..].starts_with(&text));
    }

    #[test]
    fn the_stored_form_reads_back_and_damage_is_refused() {
        let chunks = BodyChunks {
            start: 1 << 40,
            lengths: vec![1, 300, 70_000],
        };
        assert_eq!(BodyChunks::decode(&chunks.encode()), Some(chunks.clone()));
        assert_eq!(chunks.range(1, 5), (1 << 40) + 1..(1 << 40) + 70_301);
        assert_eq!(chunks.range(9, 2), (1 << 40) + 70_301..(1 << 40) + 70_301);
        assert_eq!(BodyChunks::decode(&[0x80]), None);
        assert_eq!(BodyChunks::decode(&[0, 200]), None);
        assert_eq!(inflate_chunks(b"not deflate", &[11]), "");
        assert_eq!(deflated_chunks("").len(), 1);
    }
}
