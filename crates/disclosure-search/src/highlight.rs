//! Highlights as character ranges, never HTML: the widget wraps them in `<mark>` through
//! its own DOM building, so document text can never become markup.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::query::ParsedQuery;
use crate::tokenizer::{tokenize, TextToken};

/// How many characters a body snippet shows.
pub const SNIPPET_CHARS: usize = 120;

/// How many characters of context a snippet keeps before its first match.
const SNIPPET_LEAD_CHARS: usize = 30;

/// Bytes that surely hold a snippet's lead and its length: no character takes more than
/// four bytes in UTF-8.
const LEAD_BYTES: usize = 4 * (SNIPPET_LEAD_CHARS + 2);
pub(crate) const SNIPPET_BYTES: usize = 4 * (SNIPPET_CHARS + 2);

/// How much of a body is searched for a snippet when no part of the query occurs in it
/// literally: tokenizing a whole long law would cost more than the search itself.
const OPENING_BYTES: usize = 16 * 1024;

/// The largest char boundary of `text` at or below `index`.
fn floor_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// A piece of text with the character ranges (Unicode scalar values, end exclusive) that
/// matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HighlightedText {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
}

/// Byte ranges of `text` that match the query: whole parts where they occur; where no
/// part occurs whole (a partial match), the single tokens the query shares with the text.
fn matched_byte_ranges(text: &str, query: &ParsedQuery) -> Vec<Range<usize>> {
    let tokens = tokenize(text);
    let mut ranges = Vec::new();
    for part in &query.parts {
        let shape = part.shape();
        let Some((last, exact)) = shape.tokens.split_last() else {
            continue;
        };
        for window in tokens.windows(shape.tokens.len()) {
            let (window_last, window_exact) = window.split_last().expect("windows are not empty");
            let exact_match = window_exact
                .iter()
                .zip(exact)
                .all(|(token, wanted)| &token.text == wanted);
            let last_match = if shape.last_is_prefix {
                window_last.text.starts_with(last.as_str())
            } else {
                &window_last.text == last
            };
            if exact_match && last_match {
                let end = if shape.last_is_prefix {
                    first_char_range(text, window_last).end
                } else {
                    window_last.bytes.end
                };
                ranges.push(window[0].bytes.start..end);
            }
        }
    }
    if ranges.is_empty() {
        let wanted = query.distinct_tokens();
        ranges.extend(
            tokens
                .iter()
                .filter(|token| wanted.contains(&token.text.as_str()))
                .map(|token| token.bytes.clone()),
        );
    }
    merge(ranges)
}

fn first_char_range(text: &str, token: &TextToken) -> Range<usize> {
    let first_len = text[token.bytes.start..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    token.bytes.start..token.bytes.start + first_len
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    crate::order::sort_by_key(&mut ranges, |range| (range.start, range.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Converts byte ranges of `text` (sorted, on char boundaries) to char ranges.
fn to_char_ranges(text: &str, byte_ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let char_at = |byte: usize| text[..byte].chars().count();
    byte_ranges
        .iter()
        .map(|range| char_at(range.start)..char_at(range.end))
        .collect()
}

/// The whole of `text` with what matched `query` marked.
pub fn highlight(text: &str, query: &ParsedQuery) -> HighlightedText {
    let ranges = matched_byte_ranges(text, query);
    HighlightedText {
        text: text.to_string(),
        highlights: to_char_ranges(text, &ranges),
    }
}

/// A window of about [`SNIPPET_CHARS`] characters of `body` around its first match, with
/// the matches inside it marked; the start of the body when nothing matches.
pub fn snippet(body: &str, query: &ParsedQuery) -> HighlightedText {
    let ranges = match anchor_region(body, query) {
        // Tokenizing a long law for one snippet costs more than the search itself: when a
        // part can be found as literal text, only the region around it is tokenized.
        Some(region) => matched_byte_ranges(&body[region.clone()], query)
            .into_iter()
            .map(|range| range.start + region.start..range.end + region.start)
            .collect(),
        None => match token_anchor_region(body, query) {
            Some((region, ranges)) => ranges
                .into_iter()
                .map(|range| range.start + region.start..range.end + region.start)
                .collect(),
            // No part occurs literally (a partial match, or digits and Latin words only):
            // the opening of the body, with what it shares with the query marked, is the
            // snippet.
            None => matched_byte_ranges(&body[..floor_boundary(body, OPENING_BYTES)], query),
        },
    };
    window_around(body, &ranges)
}

/// The snippet of `body` whose matches are `ranges` (byte ranges, sorted): a window of
/// [`SNIPPET_CHARS`] from a paragraph start in the lead before the first.
fn window_around(body: &str, ranges: &[Range<usize>]) -> HighlightedText {
    let window_start = ranges.first().map_or(0, |first| {
        let lead: Vec<(usize, char)> = body[..first.start]
            .char_indices()
            .rev()
            .take(SNIPPET_LEAD_CHARS)
            .collect();
        // Start after a line break inside the lead, so the snippet begins at a paragraph.
        lead.iter()
            .find(|(_, c)| *c == '\n')
            .map(|(at, c)| at + c.len_utf8())
            .or(lead.last().map(|(at, _)| *at))
            .unwrap_or(first.start)
    });
    let window_end = body[window_start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(body.len(), |(at, _)| window_start + at);
    let window = &body[window_start..window_end];
    let inside: Vec<Range<usize>> = ranges
        .iter()
        .filter(|range| range.start >= window_start && range.start < window_end)
        .map(|range| range.start - window_start..range.end.min(window_end) - window_start)
        .collect();
    // Line breaks inside a one-line snippet read as spaces.
    let text: String = window
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    HighlightedText {
        highlights: to_char_ranges(window, &inside),
        text,
    }
}

/// The text of an unquoted part made only of Han characters, as it stands in documents
/// (Han characters fold to themselves): its bigrams overlap by one character. Other parts
/// (digits, Latin letters, quoted phrases spanning separators) have no single literal.
pub(crate) fn literal(part: &crate::query::QueryPart) -> Option<String> {
    let all_han = |token: &String| token.chars().all(crate::tokenizer::is_han);
    if part.quoted || part.tokens.is_empty() || !part.tokens.iter().all(all_han) {
        return None;
    }
    let mut text = part.tokens[0].clone();
    for token in &part.tokens[1..] {
        text.extend(token.chars().skip(1));
    }
    Some(text)
}

/// The bytes of `body` around the earliest literal occurrence of a part, wide enough for
/// a snippet; `None` when no part occurs literally.
fn anchor_region(body: &str, query: &ParsedQuery) -> Option<Range<usize>> {
    let at = query
        .parts
        .iter()
        .filter_map(literal)
        .filter_map(|text| body.find(&text))
        .min()?;
    let start = floor_boundary(body, at.saturating_sub(LEAD_BYTES));
    let end = floor_boundary(body, at + SNIPPET_BYTES);
    Some(start..end)
}

/// For a query whose parts are all Han text and none of which occurs literally in `body`
/// (a partial match: a title typed with a slip, words the body holds apart): the bytes
/// around the earliest literal occurrence, in the body's opening, of a token the query
/// shares with it, and the matches tokenizing them finds (relative to the region), when
/// the first of those matches is that occurrence — what tokenizing the whole opening
/// would have found first. Why: tokenizing the 16 KB opening of each of a page's ten
/// hits, to mark one window of 120 characters, was a fifth of a search's time whose
/// bytes are held. `None` (tokenize the opening) for any other query, when no token
/// occurs, or when the occurrence is no token of the text (a lone character inside a
/// run of Han characters).
fn token_anchor_region(
    body: &str,
    query: &ParsedQuery,
) -> Option<(Range<usize>, Vec<Range<usize>>)> {
    if query.parts.is_empty() || !query.parts.iter().all(|part| literal(part).is_some()) {
        return None;
    }
    let opening = &body[..floor_boundary(body, OPENING_BYTES)];
    let at = query
        .distinct_tokens()
        .into_iter()
        .filter_map(|token| opening.find(token))
        .min()?;
    let start = floor_boundary(body, at.saturating_sub(LEAD_BYTES));
    let end = floor_boundary(body, at + SNIPPET_BYTES);
    let ranges = matched_byte_ranges(&body[start..end], query);
    match ranges.first() {
        Some(first) if first.start + start == at => Some((start..end, ranges)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;

    fn marked(h: &HighlightedText) -> Vec<String> {
        let chars: Vec<char> = h.text.chars().collect();
        h.highlights
            .iter()
            .map(|r| chars[r.clone()].iter().collect())
            .collect()
    }

    #[test]
    fn marks_whole_phrases_in_char_offsets() {
        let h = highlight("宁乡市2023年行政事业性收费清单", &parse_query("收费清单"));
        assert_eq!(marked(&h), ["收费清单"]);
        assert_eq!(h.highlights, [13..17]);
    }

    #[test]
    fn marks_shared_tokens_of_a_partial_match() {
        let h = highlight("广东省森林防火条例", &parse_query("广东省森爆防火条例"));
        assert_eq!(marked(&h), ["广东省森", "防火条例"]);
    }

    #[test]
    fn marks_a_document_number_however_its_brackets_are_typed() {
        let h = highlight("依据宁政发〔2019〕3号文件", &parse_query("宁政发[2019]3号"));
        assert_eq!(marked(&h), ["宁政发", "2019", "3号"]);
    }

    #[test]
    fn snippet_is_a_window_around_the_first_match() {
        let body = format!(
            "{}\n第十条 收费项目应当公示。{}",
            "前".repeat(300),
            "后".repeat(300)
        );
        let s = snippet(&body, &parse_query("收费项目"));
        assert!(s.text.starts_with("第十条"));
        assert_eq!(s.text.chars().count(), SNIPPET_CHARS);
        assert_eq!(marked(&s), ["收费项目"]);
        let none = snippet("无关内容", &parse_query("收费"));
        assert_eq!(none.text, "无关内容");
        assert!(none.highlights.is_empty());
    }

    #[test]
    fn snippets_of_long_bodies_find_the_match_anywhere() {
        let body = format!(
            "{}\n第九十九条 收费项目应当公示。{}",
            "条款".repeat(50_000),
            "后".repeat(300)
        );
        let s = snippet(&body, &parse_query("收费项目"));
        assert!(s.text.starts_with("第九十九条"), "{}", s.text);
        assert_eq!(marked(&s), ["收费项目"]);
        let digits = snippet(&body, &parse_query("九十九 2019"));
        assert_eq!(marked(&digits), ["九十九"]);
        let quoted = snippet("甲乙。收费 项目", &parse_query("“收费 项目”"));
        assert_eq!(marked(&quoted), ["收费 项目"]);
    }

    #[test]
    fn a_partial_match_is_marked_as_tokenizing_the_whole_opening_marks_it() {
        let long = "条款".repeat(2_000);
        let cases = [
            // A title typed with a slip: its bigrams deep in the body.
            (
                format!("{long}\n第九条 森林防火工作实行预防为主。{long}"),
                "广东省森爆防火条例",
            ),
            // A lone character first inside a run (no token there), then alone.
            (format!("{long}税务机关。税，{long}"), "税"),
            // Nothing shared: the snippet opens the body.
            (format!("{long}无关"), "收费清单公示"),
            // Two parts, neither whole in the body.
            (format!("前言。{long}收费项目和清单"), "收费公示 清单目录"),
            // Shared only past the opening: not looked for.
            (format!("{long}{long}{long}收费"), "收费公示"),
        ];
        for (body, typed) in cases {
            let query = parse_query(typed);
            // The snippet as it was made before `token_anchor_region`: the whole opening
            // tokenized whenever no part of the query occurs literally.
            let opening = &body[..floor_boundary(&body, OPENING_BYTES)];
            let expected = window_around(&body, &matched_byte_ranges(opening, &query));
            assert_eq!(snippet(&body, &query), expected, "{typed}");
        }
        assert_eq!(
            marked(&snippet(
                &format!("{long}\n森林防火工作"),
                &parse_query("森爆防火")
            )),
            ["防火"]
        );
    }

    #[test]
    fn markup_in_text_stays_text() {
        let h = highlight("<script>alert(1)</script>收费", &parse_query("收费"));
        assert!(h.text.contains("<script>"));
        assert_eq!(marked(&h), ["收费"]);
    }
}
