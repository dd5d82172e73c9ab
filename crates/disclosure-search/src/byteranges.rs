//! Several byte ranges of the pack in one request, as HTTP allows (RFC 9110, §14.1.2 and
//! §14.6): `Range: bytes=a-b,c-d` is answered with a `multipart/byteranges` body, one part
//! per range, each with its own `Content-Range`. A query's ranges of one round then cost one
//! request, not one each: on a phone's HTTP/1.1, with six connections per host and 150 ms a
//! round trip, 45 requests of a warm query are eight waves of round trips.
//!
//! Sans-IO like [`crate::session`]: the host writes the `Range` header with [`header`] and
//! hands the answer to [`parse`]. A host may merge neighbouring ranges into one part, send
//! them in another order, or send only some: the parts are taken for what their
//! `Content-Range` says, and whatever was asked and not sent is the host's to fetch again.

use std::ops::Range;

/// At most this many ranges in one request: about 20 bytes each, so the header stays
/// under 1.5 KB, far below any server's limit (nginx 8 KB a line); a round needing more is
/// sent in several requests.
pub const MAX_RANGES_PER_REQUEST: usize = 64;

/// What makes a `multipart/byteranges` answer unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ByterangesError {
    /// The `Content-Type` is not `multipart/byteranges` with a boundary.
    #[error("not multipart/byteranges with a boundary: {0:?}")]
    NotMultipart(String),
    /// The body holds no part delimited by the boundary.
    #[error("no part delimited by the boundary")]
    NoParts,
    /// A part has no `Content-Range` header, or one that is not `bytes a-b/total`.
    #[error("part {part}: no Content-Range `bytes a-b/total`")]
    NoContentRange { part: usize },
    /// A part's `Content-Range` names a file of another length than the pack.
    #[error("part {part}: Content-Range names a file of {total} bytes, the pack has {pack_bytes}")]
    OtherFile {
        part: usize,
        total: u64,
        pack_bytes: u64,
    },
    /// A part's body is shorter than its `Content-Range` says.
    #[error("part {part}: body shorter than its Content-Range")]
    Truncated { part: usize },
}

/// The `Range` header asking for every range of `ranges` (each non-empty, `start..end` in
/// bytes, end exclusive): `bytes=0-99,200-299`.
pub fn header(ranges: &[Range<u64>]) -> String {
    let specs: Vec<String> = ranges
        .iter()
        .map(|range| format!("{}-{}", range.start, range.end.saturating_sub(1)))
        .collect();
    format!("bytes={}", specs.join(","))
}

/// The boundary named by a `Content-Type` of `multipart/byteranges`, without quotes.
pub fn boundary(content_type: &str) -> Option<&str> {
    let (kind, parameters) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/byteranges") {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (name.trim().eq_ignore_ascii_case("boundary") && !value.is_empty()).then_some(value)
    })
}

/// The parts of a `multipart/byteranges` `body` sent with `content_type`, each as its
/// first byte's offset in the pack of `pack_bytes` bytes and its bytes, in the order sent.
/// A part's length is read from its `Content-Range`, never by looking for the boundary in
/// its bytes (the pack is binary and may hold anything).
///
/// # Errors
/// [`ByterangesError`]: not multipart, no part, a part without a readable
/// `Content-Range`, naming another file's length, or cut short.
pub fn parse<'a>(
    content_type: &str,
    body: &'a [u8],
    pack_bytes: u64,
) -> Result<Vec<(u64, &'a [u8])>, ByterangesError> {
    let boundary = boundary(content_type)
        .ok_or_else(|| ByterangesError::NotMultipart(content_type.to_string()))?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, delimiter, 0).ok_or(ByterangesError::NoParts)?;
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            break;
        }
        let number = parts.len();
        // The part's headers end at the first empty line.
        let Some(headers_end) = find(body, b"\r\n\r\n", at) else {
            if parts.is_empty() {
                return Err(ByterangesError::NoParts);
            }
            break;
        };
        let headers = String::from_utf8_lossy(&body[at..headers_end]);
        let (start, end, total) = headers
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-range")
                    .then(|| content_range(value))
                    .flatten()
            })
            .ok_or(ByterangesError::NoContentRange { part: number })?;
        if total.is_some_and(|total| total != pack_bytes) || end >= pack_bytes {
            return Err(ByterangesError::OtherFile {
                part: number,
                total: total.unwrap_or(end.saturating_add(1)),
                pack_bytes,
            });
        }
        let data_start = headers_end + 4;
        // `end < pack_bytes` and `start <= end`: no overflow.
        let length = usize::try_from(end - start + 1)
            .map_err(|_| ByterangesError::Truncated { part: number })?;
        let data_end = data_start
            .checked_add(length)
            .filter(|data_end| *data_end <= body.len())
            .ok_or(ByterangesError::Truncated { part: number })?;
        parts.push((start, &body[data_start..data_end]));
        match find(body, delimiter, data_end) {
            Some(next) => at = next,
            None => break,
        }
    }
    if parts.is_empty() {
        return Err(ByterangesError::NoParts);
    }
    Ok(parts)
}

/// The one part of a 206 answer that is not multipart (a host may merge the ranges asked
/// for into one, or answer only the first): its first byte's offset, read from
/// `header`, its `Content-Range` (`bytes a-b/total`), and `body`.
///
/// # Errors
/// [`ByterangesError::NoContentRange`] when `content_range` cannot be read or does not
/// match the body's length; [`ByterangesError::OtherFile`] when it names another length.
pub fn single_part<'a>(
    header: &str,
    body: &'a [u8],
    pack_bytes: u64,
) -> Result<(u64, &'a [u8]), ByterangesError> {
    let (start, end, total) =
        content_range(header).ok_or(ByterangesError::NoContentRange { part: 0 })?;
    if total.is_some_and(|total| total != pack_bytes) || end >= pack_bytes {
        return Err(ByterangesError::OtherFile {
            part: 0,
            total: total.unwrap_or(end.saturating_add(1)),
            pack_bytes,
        });
    }
    // `end < pack_bytes` and `start <= end`: no overflow.
    if end - start + 1 != body.len() as u64 {
        return Err(ByterangesError::Truncated { part: 0 });
    }
    Ok((start, body))
}

/// `bytes a-b/total` (total may be `*`) as `(a, b, total)`, with `a ≤ b`.
fn content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let value = value.trim();
    // The unit is case-insensitive (RFC 9110, §14.1).
    let unit = value.get(..5)?;
    let rest = unit.eq_ignore_ascii_case("bytes").then(|| &value[5..])?;
    let (span, total) = rest.trim().split_once('/')?;
    let (start, end) = span.trim().split_once('-')?;
    let (start, end) = (start.trim().parse().ok()?, end.trim().parse().ok()?);
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse().ok()?),
    };
    (start <= end).then_some((start, end, total))
}

/// Where `needle` next occurs in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/byteranges; boundary=3d6b6a416f9b5";

    fn body(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (range, bytes) in parts {
            body.extend_from_slice(
                b"\r\n--3d6b6a416f9b5\r\nContent-Type: application/octet-stream\r\n",
            );
            body.extend_from_slice(format!("Content-Range: bytes {range}\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
        }
        body.extend_from_slice(b"\r\n--3d6b6a416f9b5--\r\n");
        body
    }

    #[test]
    fn the_header_names_every_range_inclusive() {
        assert_eq!(header(&[0..100, 200..201]), "bytes=0-99,200-200");
    }

    #[test]
    fn parts_are_read_by_their_content_range_whatever_their_bytes() {
        // A part's bytes may hold the delimiter itself: its length comes from its header.
        let tricky: &[u8] = b"\r\n--3d6b6a416f9b5\r\n";
        let sent = body(&[("5-9/100", b"hello"), ("80-98/100", tricky)]);
        let parts = parse(TYPE, &sent, 100).unwrap();
        assert_eq!(parts, vec![(5, &b"hello"[..]), (80, tricky)]);
        // Quoted boundaries and other cases of the header are read alike.
        let quoted = "Multipart/ByteRanges; boundary=\"3d6b6a416f9b5\"";
        assert_eq!(parse(quoted, &sent, 100).unwrap().len(), 2);
        // Go's net/http (Caddy) starts with the delimiter itself, no line before it.
        assert_eq!(parse(TYPE, &sent[2..], 100).unwrap(), parts);
    }

    #[test]
    fn a_single_part_is_read_by_its_content_range() {
        assert_eq!(
            single_part("bytes 5-9/100", b"hello", 100),
            Ok((5, &b"hello"[..]))
        );
        assert_eq!(
            single_part("bytes 5-9/100", b"hell", 100),
            Err(ByterangesError::Truncated { part: 0 })
        );
        assert!(single_part("", b"hello", 100).is_err());
        assert!(single_part("bytes 5-9/99", b"hello", 100).is_err());
    }

    #[test]
    fn broken_answers_are_typed_errors() {
        let sent = body(&[("5-9/100", b"hello")]);
        assert!(matches!(
            parse("application/octet-stream", &sent, 100),
            Err(ByterangesError::NotMultipart(_))
        ));
        assert_eq!(
            parse(TYPE, &sent, 101),
            Err(ByterangesError::OtherFile {
                part: 0,
                total: 100,
                pack_bytes: 101
            })
        );
        let short = body(&[("5-9/100", b"hel")]);
        let cut = &short[..short.len() - 24];
        assert_eq!(
            parse(TYPE, cut, 100),
            Err(ByterangesError::Truncated { part: 0 })
        );
        let no_range = b"\r\n--3d6b6a416f9b5\r\nContent-Type: a/b\r\n\r\nxx\r\n--3d6b6a416f9b5--";
        assert_eq!(
            parse(TYPE, no_range, 100),
            Err(ByterangesError::NoContentRange { part: 0 })
        );
        assert_eq!(parse(TYPE, b"nothing", 100), Err(ByterangesError::NoParts));
        assert_eq!(parse(TYPE, b"", 100), Err(ByterangesError::NoParts));
        // A range past the pack, or as far as u64 goes, is another file's.
        let huge = body(&[("0-18446744073709551615/*", b"x")]);
        assert!(matches!(
            parse(TYPE, &huge, 100),
            Err(ByterangesError::OtherFile { .. })
        ));
        assert!(single_part("bytes 0-18446744073709551615/*", b"x", 100).is_err());
        assert_eq!(
            single_part("Bytes 5-9/*", b"hello", 100),
            Ok((5, &b"hello"[..]))
        );
        // A range that ends before it starts is no range.
        let backwards = body(&[("9-5/100", b"hello")]);
        assert_eq!(
            parse(TYPE, &backwards, 100),
            Err(ByterangesError::NoContentRange { part: 0 })
        );
    }
}
