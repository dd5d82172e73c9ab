//! Personal data in an opinion's text (个人信息筛查), found before the results are published.
//!
//! The published results show no phone numbers or e-mail addresses (PIPL, and the seed's
//! 五(十四): review data before publishing it), but citizens write them into the opinion
//! itself: "我家在金色家园3栋2单元1201室，电话138 1234 5678". [`detect`] finds them so an
//! official can see each one highlighted and [`redact`] them before publication.
//!
//! The scanner is written by hand rather than with the `regex` crate: the core is linked
//! into the widgets' Wasm, where a regex engine costs hundreds of kilobytes, and most rules
//! here are checks no pattern expresses anyway (ID checksums, Luhn, birth dates, the
//! shape of digit groups, the words before a local number).
//!
//! It leans towards not flagging: dates, amounts, document and article numbers, receipt
//! numbers and serials that satisfy no rule are left alone, since an official reviews every
//! match and a screen full of false alarms trains people to ignore it.

use std::ops::Range;

use serde::Serialize;

use crate::text::fold_width;

/// The kinds of personal data the screen finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataKind {
    /// 手机号码: 11 digits from 13–19, with or without +86, spaces or hyphens.
    MobilePhone,
    /// 固定电话: an area code and a local number, or a local number after 电话/座机/联系….
    Landline,
    /// 居民身份证号码: 18 characters, region, birth date and checksum all valid.
    IdNumber,
    /// 电子邮箱.
    Email,
    /// 银行卡号: 16–19 digits, Luhn-valid.
    BankCard,
    /// 机动车号牌 (湘A12345, 湘A·12345, new-energy 湘AD12345).
    LicencePlate,
    /// 详细住址: down to the room, the house number or the building's entrance.
    Address,
}

impl PersonalDataKind {
    /// The kind in words, for the official reviewing the matches.
    pub fn word(self) -> &'static str {
        match self {
            PersonalDataKind::MobilePhone => "手机号码",
            PersonalDataKind::Landline => "固定电话",
            PersonalDataKind::IdNumber => "身份证号码",
            PersonalDataKind::Email => "电子邮箱",
            PersonalDataKind::BankCard => "银行卡号",
            PersonalDataKind::LicencePlate => "车牌号码",
            PersonalDataKind::Address => "详细住址",
        }
    }

    /// The kind in English, for widgets whose labels are English.
    pub fn english(self) -> &'static str {
        match self {
            PersonalDataKind::MobilePhone => "mobile number",
            PersonalDataKind::Landline => "landline number",
            PersonalDataKind::IdNumber => "ID number",
            PersonalDataKind::Email => "e-mail address",
            PersonalDataKind::BankCard => "bank card number",
            PersonalDataKind::LicencePlate => "licence plate",
            PersonalDataKind::Address => "home address",
        }
    }
}

/// One piece of personal data in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalDataMatch {
    /// What the match is, to label its highlight.
    pub kind: PersonalDataKind,
    /// Byte offsets into the UTF-8 text, end exclusive: `&text[bytes]` is the match. This is
    /// what [`redact`] takes.
    pub bytes: Range<usize>,
    /// Character offsets (Unicode scalar values, end exclusive), the unit of every highlight
    /// the widgets draw.
    pub chars: Range<usize>,
    /// The matched text as it was written (full-width digits stay full-width).
    pub text: String,
}

/// Finds the personal data in a text, in order, without overlaps. Total: any text, of any
/// length, gives a list (often empty) and never a panic.
pub fn detect(text: &str) -> Vec<PersonalDataMatch> {
    let folded = Folded::new(text);
    let mut found = Vec::new();
    scan_numbers(&folded.chars, &mut found);
    scan_emails(&folded.chars, &mut found);
    scan_plates(&folded.chars, &mut found);
    scan_addresses(&folded.chars, &mut found);
    // Where two matches overlap the one starting first, then the longer, wins: an e-mail
    // address holding a mobile number is one e-mail address.
    found.sort_by_key(|(_, chars)| (chars.start, std::cmp::Reverse(chars.end)));
    let mut kept: Vec<PersonalDataMatch> = Vec::new();
    for (kind, chars) in found {
        if kept.last().is_some_and(|last| chars.start < last.chars.end) {
            continue;
        }
        let bytes = folded.offsets[chars.start]..folded.offsets[chars.end];
        kept.push(PersonalDataMatch {
            kind,
            text: text[bytes.clone()].to_string(),
            bytes,
            chars,
        });
    }
    kept
}

/// What replaces each redacted span: full-width asterisks, which read as a gap in Chinese
/// text and do not reveal the length of what was there.
pub const REDACTION: &str = "＊＊＊";

/// Why a list of spans cannot be redacted. Spans are byte ranges, as in
/// [`PersonalDataMatch::bytes`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedactError {
    /// A span that covers nothing, or ends before it starts: redacting it would insert
    /// asterisks where there was no data.
    #[error("span {start}..{end} is empty or reversed")]
    EmptySpan { start: usize, end: usize },
    /// A span past the text's last byte (`len`): a list made for another text.
    #[error("span {start}..{end} goes beyond the end of the text ({len} bytes)")]
    BeyondEnd {
        start: usize,
        end: usize,
        len: usize,
    },
    /// A span that would cut a character in two.
    #[error("span {start}..{end} does not start and end on character boundaries")]
    NotCharBoundary { start: usize, end: usize },
    /// Two spans share text; the caller's list is wrong, and guessing which was meant could
    /// leave data in clear.
    #[error("spans {first:?} and {second:?} overlap")]
    Overlapping {
        first: Range<usize>,
        second: Range<usize>,
    },
}

/// The text with each span (a byte range, in any order) replaced by [`REDACTION`]. Spans
/// may touch but not overlap; every span must lie on character boundaries within the text.
pub fn redact(text: &str, spans: &[Range<usize>]) -> Result<String, RedactError> {
    let mut sorted: Vec<Range<usize>> = spans.to_vec();
    for span in &sorted {
        let (start, end) = (span.start, span.end);
        if start >= end {
            return Err(RedactError::EmptySpan { start, end });
        }
        if end > text.len() {
            let len = text.len();
            return Err(RedactError::BeyondEnd { start, end, len });
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(RedactError::NotCharBoundary { start, end });
        }
    }
    sorted.sort_by_key(|span| (span.start, span.end));
    for pair in sorted.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(RedactError::Overlapping {
                first: pair[0].clone(),
                second: pair[1].clone(),
            });
        }
    }
    let mut redacted = String::with_capacity(text.len());
    let mut copied = 0;
    for span in sorted {
        redacted.push_str(&text[copied..span.start]);
        redacted.push_str(REDACTION);
        copied = span.end;
    }
    redacted.push_str(&text[copied..]);
    Ok(redacted)
}

/// The text with everything [`detect`] finds replaced by [`REDACTION`].
pub fn redact_detected(text: &str) -> String {
    let spans: Vec<Range<usize>> = detect(text).into_iter().map(|m| m.bytes).collect();
    // Detected matches are ordered, disjoint and on boundaries, so this cannot fail; should
    // it ever, withholding the whole text is the safe answer.
    redact(text, &spans).unwrap_or_else(|_| REDACTION.to_string())
}

/// A match found by one scanner, in characters of the folded text.
type Found = Vec<(PersonalDataKind, Range<usize>)>;

/// The text folded to half-width character by character, so the scanners see `138` where a
/// citizen typed `１３８`, with each character's byte offset in the original to map matches
/// back. `fold_width` maps one character to one, so character positions are shared.
struct Folded {
    chars: Vec<char>,
    /// Byte offset of each character, and the text's length last.
    offsets: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut chars = Vec::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len() + 1);
        for (offset, c) in text.char_indices() {
            chars.push(fold_width(c));
            offsets.push(offset);
        }
        offsets.push(text.len());
        Folded { chars, offsets }
    }
}

/// A letter, digit or underscore: a number glued to one is part of a code (a receipt number
/// `YJ20261127-…`, a file name), not a phone or a card.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x2A6DF)
}

fn char_at(chars: &[char], index: Option<usize>) -> Option<char> {
    index.and_then(|i| chars.get(i).copied())
}

fn ends_with(chars: &[char], end: usize, word: &str) -> bool {
    let count = word.chars().count();
    end >= count && chars[end - count..end].iter().copied().eq(word.chars())
}

// ---------------------------------------------------------------------------------------
// Numbers: phones, ID numbers, bank cards.

/// A maximal run of ASCII digits, in characters.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
}

/// The most digit groups one number is written in (`+86 138 1234 5678`, `6222 … 123`).
const MAX_GROUPS: usize = 6;
/// The most digits any rule reads; longer runs are serials.
const MAX_DIGITS: usize = 21;

/// Spaces and hyphens split a number into groups (`138 1234 5678`, `0731-88888888`); the
/// dashes of Chinese typing (`0731—88888888`) are hyphens too.
fn is_group_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{2010}'..='\u{2014}')
}

fn scan_numbers(chars: &[char], found: &mut Found) {
    let runs = digit_runs(chars);
    let mut first = 0;
    while first < runs.len() {
        match number_at(chars, &runs, first) {
            Some((kind, span, groups_used)) => {
                found.push((kind, span));
                first += groups_used;
            }
            None => first += 1,
        }
    }
    scan_bracketed_landlines(chars, found);
}

fn digit_runs(chars: &[char]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            runs.push(Run { start, end: i });
        } else {
            i += 1;
        }
    }
    runs
}

/// The number starting at `runs[first]`, trying the most groups first so that
/// `138 1234 5678` is read whole, and returning how many groups it took.
fn number_at(
    chars: &[char],
    runs: &[Run],
    first: usize,
) -> Option<(PersonalDataKind, Range<usize>, usize)> {
    let start = runs[first].start;
    let before = char_at(chars, start.checked_sub(1));
    let plus = before == Some('+');
    if before.is_some_and(is_word) {
        return None;
    }
    // The groups that follow one another with one separator between them.
    let mut count = 1;
    let mut digits = runs[first].end - runs[first].start;
    while count < MAX_GROUPS && first + count < runs.len() {
        let (prev, next) = (runs[first + count - 1], runs[first + count]);
        if next.start != prev.end + 1 || !is_group_separator(chars[prev.end]) {
            break;
        }
        digits += next.end - next.start;
        if digits > MAX_DIGITS {
            break;
        }
        count += 1;
    }
    let keyword = phone_keyword_before(chars, if plus { start - 1 } else { start });
    for used in (1..=count).rev() {
        let groups = &runs[first..first + used];
        let end = groups[used - 1].end;
        let digits: Vec<u8> = groups
            .iter()
            .flat_map(|run| chars[run.start..run.end].iter().map(|c| *c as u8 - b'0'))
            .collect();
        if digits.len() > MAX_DIGITS {
            continue;
        }
        let lens: Vec<usize> = groups.iter().map(|run| run.end - run.start).collect();
        let after = chars.get(end).copied();
        // An ID number may end in X, read as the check character.
        if matches!(after, Some('X' | 'x'))
            && !char_at(chars, Some(end + 1)).is_some_and(is_word)
            && !plus
            && is_id_number(&digits, Some(10), &lens)
        {
            return Some((PersonalDataKind::IdNumber, start..end + 1, used));
        }
        if after.is_some_and(is_word) {
            continue;
        }
        let span_start = if plus { start - 1 } else { start };
        if let Some(kind) = classify(&digits, &lens, plus, keyword) {
            return Some((kind, span_start..end, used));
        }
    }
    None
}

/// Which rule a run of digit groups satisfies, if any; the strictest rules first.
fn classify(digits: &[u8], lens: &[usize], plus: bool, keyword: bool) -> Option<PersonalDataKind> {
    if !plus && digits.len() == 18 {
        let (body, check) = digits.split_at(17);
        if is_id_number(body, Some(check[0]), &lens_without_check(lens)) {
            return Some(PersonalDataKind::IdNumber);
        }
    }
    if is_mobile(digits, lens, plus) {
        return Some(PersonalDataKind::MobilePhone);
    }
    if plus {
        return None;
    }
    if is_landline(digits, lens, keyword) {
        return Some(PersonalDataKind::Landline);
    }
    if is_bank_card(digits, lens) {
        return Some(PersonalDataKind::BankCard);
    }
    None
}

/// The group lengths of an 18-digit ID with its check digit left out, to be read like
/// the 17 digits before an X.
fn lens_without_check(lens: &[usize]) -> Vec<usize> {
    let mut lens = lens.to_vec();
    if let Some(last) = lens.last_mut() {
        *last = last.saturating_sub(1);
    }
    lens
}

/// Province-level codes that open an ID number (11 北京 … 65 新疆, 71 台湾, 81 香港,
/// 82 澳门, 83 for residence permits of Taiwan residents).
const ID_REGIONS: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// ISO 7064 MOD 11-2 weights of the first 17 characters.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// 17 digits (`body`) and a check value (10 for X) forming a resident ID number: known
/// region, a real birth date, the right checksum; written whole or as 6-8-4.
fn is_id_number(body: &[u8], check: Option<u8>, lens: &[usize]) -> bool {
    let Some(check) = check else { return false };
    if body.len() != 17 || !(lens == [17] || lens == [6, 8, 3]) {
        return false;
    }
    if !ID_REGIONS.contains(&(body[0] * 10 + body[1])) || !is_date(&body[6..14]) {
        return false;
    }
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    // The check value that makes the weighted sum ≡ 1 (mod 11).
    let expected = (12 - sum % 11) % 11;
    u32::from(check) == expected
}

/// Eight digits that are a date from 1900 to 2099 (yyyymmdd).
fn is_date(digits: &[u8]) -> bool {
    if digits.len() != 8 {
        return false;
    }
    let number = |range: Range<usize>| {
        digits[range]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(*d))
    };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2099).contains(&year) && (1..=days).contains(&day)
}

/// The country code a mobile number may carry: `+86` (after a plus), `0086`, or `86` run
/// together with the 11 digits.
fn strip_country_code(digits: &[u8], lens: &[usize], plus: bool) -> Option<(usize, Vec<usize>)> {
    let prefix = if plus {
        if !digits.starts_with(&[8, 6]) {
            return None;
        }
        2
    } else if digits.len() == 15 && digits.starts_with(&[0, 0, 8, 6]) {
        4
    } else if digits.len() == 13 && digits.starts_with(&[8, 6]) {
        2
    } else {
        0
    };
    let mut lens = lens.to_vec();
    if prefix > 0 {
        if lens[0] == prefix {
            lens.remove(0);
        } else if lens[0] > prefix {
            lens[0] -= prefix;
        } else {
            return None;
        }
    }
    Some((prefix, lens))
}

/// 11 digits opening with 13–19, whole or grouped as people say them (3-4-4, 3-8, 7-4).
fn is_mobile(digits: &[u8], lens: &[usize], plus: bool) -> bool {
    let Some((prefix, lens)) = strip_country_code(digits, lens, plus) else {
        return false;
    };
    let number = &digits[prefix..];
    number.len() == 11
        && number[0] == 1
        && (3..=9).contains(&number[1])
        && matches!(lens.as_slice(), [11] | [3, 4, 4] | [3, 8] | [7, 4])
}

/// An area code: 010 and 020–029 (three digits, eight-digit local numbers), or 03xx–09xx.
fn area_code_length(digits: &[u8]) -> Option<usize> {
    match digits {
        [0, 1, 0, ..] | [0, 2, _, ..] => Some(3),
        [0, 3..=9, _, _, ..] => Some(4),
        _ => None,
    }
}

/// A local number: seven or eight digits, never opening with 0 or 1.
fn is_local_number(digits: &[u8]) -> bool {
    (7..=8).contains(&digits.len()) && digits[0] >= 2
}

/// A landline: an area code apart from the local number (`0731-88888888`, `0731 8888 8888`);
/// run together (`073188888888`) or a bare eight-digit local number only after a word such
/// as 电话, because a bare string of digits is more often a serial or a date.
fn is_landline(digits: &[u8], lens: &[usize], keyword: bool) -> bool {
    let Some(area) = area_code_length(digits) else {
        return keyword && lens == [8] && is_local_number(digits) && !is_date(digits);
    };
    let local = &digits[area..];
    if !is_local_number(local) || (area == 3 && local.len() != 8) {
        return false;
    }
    match lens {
        [whole] => keyword && *whole == digits.len(),
        [first, rest @ ..] => *first == area && matches!(rest, [7] | [8] | [4, 4] | [3, 4]),
        [] => false,
    }
}

/// Issuers' first digits (3 JCB/Amex, 4 Visa, 5 Mastercard, 6 UnionPay, 9 older domestic
/// cards): a Luhn-valid number opening otherwise is a serial, not a card.
fn is_bank_card(digits: &[u8], lens: &[usize]) -> bool {
    let grouped_by_four = lens.len() >= 4
        && lens[..lens.len() - 1].iter().all(|l| *l == 4)
        && (1..=4).contains(&lens[lens.len() - 1]);
    (16..=19).contains(&digits.len())
        && matches!(digits[0], 3..=6 | 9)
        && (lens.len() == 1 || grouped_by_four)
        && luhn(digits)
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Words after which a bare number is a phone number (`联系电话：88888888`).
const PHONE_WORDS: [&str; 11] = [
    "电话", "座机", "联系", "热线", "致电", "拨打", "传真", "固话", "tel", "Tel", "TEL",
];
/// What may stand between such a word and the number (`电话号码是`, `联系方式：`).
const PHONE_FILLER: &str = " :：是为号码方式(（)）";
/// The most filler characters skipped.
const MAX_PHONE_FILLER: usize = 4;

fn phone_keyword_before(chars: &[char], start: usize) -> bool {
    let mut end = start;
    while end > 0 && start - end < MAX_PHONE_FILLER && PHONE_FILLER.contains(chars[end - 1]) {
        end -= 1;
    }
    // Filler itself may end a word (号码 → 电话号码); try each place the word could end.
    (end..=start).any(|at| PHONE_WORDS.iter().any(|word| ends_with(chars, at, word)))
}

/// `(0731)88888888` and `（0731）8888888`: the brackets make the area code plain.
fn scan_bracketed_landlines(chars: &[char], found: &mut Found) {
    for open in 0..chars.len() {
        if chars[open] != '(' {
            continue;
        }
        let area_start = open + 1;
        let mut i = area_start;
        while i < chars.len() && i - area_start <= 4 && chars[i].is_ascii_digit() {
            i += 1;
        }
        let area: Vec<u8> = chars[area_start..i]
            .iter()
            .map(|c| *c as u8 - b'0')
            .collect();
        if area_code_length(&area) != Some(area.len()) || chars.get(i) != Some(&')') {
            continue;
        }
        i += 1;
        if chars.get(i).is_some_and(|c| is_group_separator(*c)) {
            i += 1;
        }
        let local_start = i;
        while i < chars.len() && i - local_start <= 8 && chars[i].is_ascii_digit() {
            i += 1;
        }
        let local: Vec<u8> = chars[local_start..i]
            .iter()
            .map(|c| *c as u8 - b'0')
            .collect();
        let eight = area.len() == 3;
        if is_local_number(&local)
            && (!eight || local.len() == 8)
            && !chars.get(i).is_some_and(|c| is_word(*c))
        {
            found.push((PersonalDataKind::Landline, open..i));
        }
    }
}

// ---------------------------------------------------------------------------------------
// E-mail addresses.

/// The longest local part an address has (RFC 5321); a longer run before `@` is not one.
const MAX_EMAIL_LOCAL: usize = 64;
const MAX_EMAIL_DOMAIN: usize = 253;

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn scan_emails(chars: &[char], found: &mut Found) {
    for at in 0..chars.len() {
        if chars[at] != '@' {
            continue;
        }
        let mut start = at;
        while start > 0 && is_email_local(chars[start - 1]) && at - start <= MAX_EMAIL_LOCAL {
            start -= 1;
        }
        if at - start > MAX_EMAIL_LOCAL {
            continue;
        }
        while start < at && chars[start] == '.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < chars.len() && is_email_domain(chars[end]) && end - at <= MAX_EMAIL_DOMAIN {
            end += 1;
        }
        // A full stop or hyphen after the address ends the sentence, not the domain.
        while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let domain: String = chars[at + 1..end].iter().collect();
        let labels: Vec<&str> = domain.split('.').collect();
        let top = labels.last().copied().unwrap_or("");
        let valid = start < at
            && labels.len() >= 2
            && labels
                .iter()
                .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
            && top.len() >= 2
            && top.chars().all(|c| c.is_ascii_alphabetic());
        if valid {
            found.push((PersonalDataKind::Email, start..end));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Licence plates.

/// The provinces' one-character abbreviations that open a plate.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// What people write between the issuing office's letter and the serial (湘A·12345).
const PLATE_SEPARATORS: &str = "·•・. -";
/// The last character of special plates (driving schools, police, trailers …), after four
/// letters or digits.
const PLATE_SPECIAL: &str = "学警挂领试港澳";

/// Plate letters leave out I and O, which read as 1 and 0.
fn is_plate_letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I' && c != 'O'
}

fn scan_plates(chars: &[char], found: &mut Found) {
    for start in 0..chars.len() {
        if !PLATE_PROVINCES.contains(chars[start]) {
            continue;
        }
        let Some(office) = chars.get(start + 1).map(|c| c.to_ascii_uppercase()) else {
            continue;
        };
        if !is_plate_letter(office) {
            continue;
        }
        let mut serial_start = start + 2;
        if chars
            .get(serial_start)
            .is_some_and(|c| PLATE_SEPARATORS.contains(*c))
        {
            serial_start += 1;
        }
        let mut end = serial_start;
        while end < chars.len() && end - serial_start < 7 && chars[end].is_ascii_alphanumeric() {
            end += 1;
        }
        let serial: Vec<char> = chars[serial_start..end]
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let special =
            serial.len() == 4 && chars.get(end).is_some_and(|c| PLATE_SPECIAL.contains(*c));
        let plate = if special {
            end += 1;
            is_plate_serial(&serial, 4)
        } else {
            is_plate_serial(&serial, 5) || is_new_energy_serial(&serial)
        };
        if plate && !chars.get(end).is_some_and(|c| is_word(*c)) {
            found.push((PersonalDataKind::LicencePlate, start..end));
        }
    }
}

/// A serial of `len` letters and digits with at most two letters, as plates are issued.
fn is_plate_serial(serial: &[char], len: usize) -> bool {
    serial.len() == len
        && serial
            .iter()
            .all(|c| c.is_ascii_digit() || is_plate_letter(*c))
        && serial.iter().filter(|c| c.is_ascii_digit()).count() + 2 >= len
}

/// New-energy serials: six characters, D/F (or, for newer small cars, A–K) then a letter or
/// digit and four digits (湘AD12345), or five digits then D/F for large vehicles.
fn is_new_energy_serial(serial: &[char]) -> bool {
    if serial.len() != 6 {
        return false;
    }
    let digits = |range: Range<usize>| serial[range].iter().all(char::is_ascii_digit);
    let small = "ABCDEFGHJK".contains(serial[0])
        && (serial[1].is_ascii_digit() || is_plate_letter(serial[1]))
        && digits(2..6);
    let large = digits(0..5) && matches!(serial[5], 'D' | 'F');
    small || large
}

// ---------------------------------------------------------------------------------------
// Addresses.

/// What a numbered part of an address names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// 栋, 幢, 座, 号楼, 号院.
    Building,
    /// 单元.
    Entrance,
    /// 层, 楼 (after a number: a floor).
    Floor,
    /// 室, 房 (not 户: `3000户` counts households).
    Room,
    /// 号: a house on a road or in a village.
    HouseNo,
    /// 组: a villagers' group.
    Group,
    /// 期, 区, 弄: parts of an estate or lanes, which add no detail on their own.
    Part,
}

/// Unit words, longest first; `true` where Chinese numerals are written before it (二单元,
/// 五组) — rooms and house numbers always have digits, and `三室` is a flat's size.
const UNIT_WORDS: [(&str, Unit, bool); 16] = [
    ("号楼", Unit::Building, true),
    ("号院", Unit::Building, true),
    ("号房", Unit::Room, false),
    ("单元", Unit::Entrance, true),
    ("栋", Unit::Building, true),
    ("幢", Unit::Building, true),
    ("座", Unit::Building, false),
    ("层", Unit::Floor, true),
    ("楼", Unit::Floor, true),
    ("室", Unit::Room, false),
    ("房", Unit::Room, false),
    ("号", Unit::HouseNo, false),
    ("组", Unit::Group, true),
    ("期", Unit::Part, true),
    ("区", Unit::Part, false),
    ("弄", Unit::Part, false),
];

/// Endings of the place names an address's numbers follow.
const PLACE_SUFFIXES: [&str; 30] = [
    "小区", "花园", "家园", "公寓", "大厦", "广场", "新村", "社区", "街道", "大道", "山庄", "公馆",
    "华庭", "大楼", "苑", "府", "城", "庭", "园", "村", "路", "街", "巷", "里", "湾", "居", "邸",
    "庄", "镇", "区",
];

/// Characters that end a place name when reading back from its suffix: verbs and words
/// around it (住在, 位于, 我们), not part of it.
const PLACE_STOPS: &str =
    "在住于是的到从向给我你您他她们和与及或对将把被让请要了这那该此个已也都就还";

/// The longest place name read back from its suffix, in characters.
const MAX_PLACE_CHARS: usize = 12;

const CHINESE_NUMERALS: &str = "零〇一二两三四五六七八九十百";

/// A numbered part of an address (`3栋`, `二单元`, `1201室`, `7-1-302室`).
#[derive(Debug, Clone)]
struct Part {
    start: usize,
    end: usize,
    units: Vec<Unit>,
}

fn scan_addresses(chars: &[char], found: &mut Found) {
    let parts = address_parts(chars);
    let mut first = 0;
    let mut limit = 0;
    while first < parts.len() {
        // The parts that follow one another, directly, after a space, or after a place name.
        let mut last = first;
        while last + 1 < parts.len() {
            let (end, next) = (parts[last].end, parts[last + 1].start);
            let joined = next >= end
                && (chars[end..next].iter().all(|c| *c == ' ') && next - end <= 1
                    || place_before(chars, next, end) == Some(end));
            if !joined {
                break;
            }
            last += 1;
        }
        let chain = &parts[first..=last];
        let mut units: Vec<Unit> = chain.iter().flat_map(|p| p.units.clone()).collect();
        let mut end = chain[chain.len() - 1].end;
        if let Some(room_end) = bare_room_after(chars, end, units.last().copied()) {
            units.push(Unit::Room);
            end = room_end;
        }
        let place = place_before(chars, chain[0].start, limit);
        if is_detailed(&units, place.is_some()) {
            found.push((
                PersonalDataKind::Address,
                place.unwrap_or(chain[0].start)..end,
            ));
        }
        limit = end;
        first = last + 1;
    }
    scan_hyphenated_addresses(chars, found);
}

/// Enough to find a household: a room; a building with its entrance, floor or house
/// number; a villagers' group with the house number. A building or a road number alone
/// names many households (and an office's published address), so it is left.
fn is_detailed(units: &[Unit], after_place: bool) -> bool {
    let has = |unit| units.contains(&unit);
    (has(Unit::Room) && (after_place || units.len() >= 2))
        || (has(Unit::Building) && (has(Unit::Entrance) || has(Unit::Floor) || has(Unit::HouseNo)))
        || (has(Unit::Group) && has(Unit::HouseNo))
}

fn address_parts(chars: &[char]) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match address_part_at(chars, i) {
            Some(part) => {
                i = part.end;
                parts.push(part);
            }
            None => i += 1,
        }
    }
    parts
}

fn address_part_at(chars: &[char], start: usize) -> Option<Part> {
    let before = char_at(chars, start.checked_sub(1));
    // 第3条, 第五组: ordinals count things, they do not locate them.
    if before == Some('第') {
        return None;
    }
    let first = chars[start];
    let mut i = start;
    let mut hyphens = 0;
    let chinese = CHINESE_NUMERALS.contains(first);
    if first.is_ascii_digit() || first.is_ascii_uppercase() {
        if before.is_some_and(|c| is_word(c) || matches!(c, '-' | '.' | ',')) {
            return None;
        }
        if first.is_ascii_uppercase() {
            i += 1;
        }
        while i < chars.len() && i - start < 12 {
            if chars[i].is_ascii_digit() {
                i += 1;
            } else if chars[i] == '-'
                && i > start
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            {
                hyphens += 1;
                i += 1;
            } else {
                break;
            }
        }
    } else if chinese {
        if before.is_some_and(|c| CHINESE_NUMERALS.contains(c)) {
            return None;
        }
        while i < chars.len() && i - start < 4 && CHINESE_NUMERALS.contains(chars[i]) {
            i += 1;
        }
    } else {
        return None;
    }
    let (word, unit, _) = UNIT_WORDS.iter().find(|(word, _, chinese_ok)| {
        (!chinese || *chinese_ok)
            && chars[i..]
                .iter()
                .copied()
                .take(word.chars().count())
                .eq(word.chars())
    })?;
    // A letter opens a building, an entrance or a room (A栋, B座, C301室), not a house number.
    if first.is_ascii_uppercase() && matches!(unit, Unit::HouseNo | Unit::Group) {
        return None;
    }
    let units = match (unit, hyphens) {
        // 3-302室 and 7-1-302室 are a building (and an entrance) and a room.
        (Unit::Room, 1) => vec![Unit::Building, Unit::Room],
        (Unit::Room, 2..) => vec![Unit::Building, Unit::Entrance, Unit::Room],
        (_, 0) => vec![*unit],
        _ => return None,
    };
    Some(Part {
        start,
        end: i + word.chars().count(),
        units,
    })
}

/// The start of the place name ending at `end` (`金色家园` before `3栋`), read back to a
/// stop character, a character that is not Han, or `limit`.
fn place_before(chars: &[char], end: usize, limit: usize) -> Option<usize> {
    let suffix = PLACE_SUFFIXES
        .iter()
        .find(|suffix| ends_with(chars, end, suffix) && end - suffix.chars().count() >= limit)?;
    let mut start = end - suffix.chars().count();
    while start > limit
        && end - start < MAX_PLACE_CHARS
        && is_han(chars[start - 1])
        && !PLACE_STOPS.contains(chars[start - 1])
    {
        start -= 1;
    }
    Some(start)
}

/// Characters after which a bare number is a quantity, not a room (`3栋120元`).
const QUANTITY_WORDS: &str = "元年月日%个人万千次岁米平方号室户套间多";
/// Han characters that may follow a bare room number (`1201的住户`, `1201住户`); any other
/// makes the number a quantity or part of a word.
const AFTER_BARE_ROOM: &str = "的住";

/// A room number written without 室 after a building, entrance or floor (`3栋2单元1201`).
fn bare_room_after(chars: &[char], end: usize, last: Option<Unit>) -> Option<usize> {
    if !matches!(last, Some(Unit::Building | Unit::Entrance | Unit::Floor)) {
        return None;
    }
    let mut i = end;
    while i < chars.len() && i - end <= 5 && chars[i].is_ascii_digit() {
        i += 1;
    }
    let next = chars.get(i).copied();
    let room = (3..=5).contains(&(i - end))
        && !next.is_some_and(|c| {
            is_word(c)
                || c == '.'
                || QUANTITY_WORDS.contains(c)
                || (is_han(c) && !AFTER_BARE_ROOM.contains(c))
        });
    room.then_some(i)
}

/// `金色家园3-2-1201`: building, entrance and room in digits straight after a place name.
fn scan_hyphenated_addresses(chars: &[char], found: &mut Found) {
    let runs = digit_runs(chars);
    for (k, run) in runs.iter().enumerate() {
        let Some(group) = runs.get(k..k + 3) else {
            break;
        };
        let joined = group
            .windows(2)
            .all(|w| w[1].start == w[0].end + 1 && chars[w[0].end] == '-');
        let lens: Vec<usize> = group.iter().map(|r| r.end - r.start).collect();
        let end = group[2].end;
        let shaped = lens[0] <= 3 && lens[1] <= 2 && (3..=4).contains(&lens[2]);
        let ends = !chars
            .get(end)
            .is_some_and(|c| is_word(*c) || *c == '-' || QUANTITY_WORDS.contains(*c));
        if joined && shaped && ends {
            if let Some(place) = place_before(chars, run.start, 0) {
                found.push((PersonalDataKind::Address, place..end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PersonalDataKind::*;

    /// Each text and what must be found in it, as (kind, matched text).
    const CASES: &[(&str, &[(PersonalDataKind, &str)])] = &[
        // Mobile numbers.
        ("电话13812345678", &[(MobilePhone, "13812345678")]),
        (
            "手机：138 1234 5678，谢谢",
            &[(MobilePhone, "138 1234 5678")],
        ),
        ("138-1234-5678", &[(MobilePhone, "138-1234-5678")]),
        ("请打+86 13812345678", &[(MobilePhone, "+86 13812345678")]),
        ("+8613912345678", &[(MobilePhone, "+8613912345678")]),
        ("8615912345678", &[(MobilePhone, "8615912345678")]),
        ("0086-18912345678", &[(MobilePhone, "0086-18912345678")]),
        (
            "手机１３８１２３４５６７８。",
            &[(MobilePhone, "１３８１２３４５６７８")],
        ),
        ("号码 1381234 5678", &[(MobilePhone, "1381234 5678")]),
        ("13812345678@qq.com", &[(Email, "13812345678@qq.com")]),
        ("12812345678", &[]),
        ("138123456789", &[]),
        ("1381234567", &[]),
        ("YJ13812345678", &[]),
        // Landlines.
        ("0731-88888888", &[(Landline, "0731-88888888")]),
        ("(0731)8888888", &[(Landline, "(0731)8888888")]),
        ("（0731）87654321", &[(Landline, "（0731）87654321")]),
        ("0731 88888888", &[(Landline, "0731 88888888")]),
        ("010-62345678", &[(Landline, "010-62345678")]),
        ("联系电话：87654321", &[(Landline, "87654321")]),
        ("座机 87654321", &[(Landline, "87654321")]),
        ("电话073187654321", &[(Landline, "073187654321")]),
        ("共87654321人次", &[]),
        ("073187654321", &[]),
        ("电话20230427", &[]),
        ("0731-1234567", &[]),
        ("电话：0731—88888888", &[(Landline, "0731—88888888")]),
        ("热线12345", &[]),
        // ID numbers.
        (
            "身份证430124199001011236",
            &[(IdNumber, "430124199001011236")],
        ),
        ("11010519491231002X", &[(IdNumber, "11010519491231002X")]),
        (
            "号码11010519491231002x。",
            &[(IdNumber, "11010519491231002x")],
        ),
        ("430182200002294564", &[(IdNumber, "430182200002294564")]),
        (
            "430124 19900101 1236",
            &[(IdNumber, "430124 19900101 1236")],
        ),
        (
            "４３０１２４１９９００１０１１２３６",
            &[(IdNumber, "４３０１２４１９９００１０１１２３６")],
        ),
        ("430124199001011237", &[]),
        ("430124199013011233", &[]),
        ("990124199001011235", &[]),
        ("430124180001011236", &[]),
        // E-mail addresses.
        (
            "邮箱zhang.san@example.com。",
            &[(Email, "zhang.san@example.com")],
        ),
        (
            "写信到 li_si+op@mail.hn.gov.cn 即可",
            &[(Email, "li_si+op@mail.hn.gov.cn")],
        ),
        (
            "ｗａｎｇ＠ｑｑ．ｃｏｍ",
            &[(Email, "ｗａｎｇ＠ｑｑ．ｃｏｍ")],
        ),
        ("邮箱abc@163.com谢谢", &[(Email, "abc@163.com")]),
        ("@home", &[]),
        ("a@b", &[]),
        ("user@localhost", &[]),
        ("x@y.c0m", &[]),
        // Bank cards.
        (
            "卡号6222021234567890128",
            &[(BankCard, "6222021234567890128")],
        ),
        (
            "6228 4800 1234 5678 903",
            &[(BankCard, "6228 4800 1234 5678 903")],
        ),
        ("4367421234567896", &[(BankCard, "4367421234567896")]),
        ("4367421234567891", &[]),
        ("6222021234567890127", &[]),
        ("1234567890123452", &[]),
        ("622202 1234567890128", &[]),
        // Licence plates.
        ("车牌湘A12345", &[(LicencePlate, "湘A12345")]),
        ("湘A·12345", &[(LicencePlate, "湘A·12345")]),
        ("湘AD12345", &[(LicencePlate, "湘AD12345")]),
        ("湘A12345D", &[(LicencePlate, "湘A12345D")]),
        ("湘AB123C停在门口", &[(LicencePlate, "湘AB123C")]),
        ("湘Ａ１２３４５", &[(LicencePlate, "湘Ａ１２３４５")]),
        ("湘A1234学", &[(LicencePlate, "湘A1234学")]),
        ("湘A1234", &[]),
        ("湘A123456", &[]),
        ("湘ABCDEF", &[]),
        ("宁A级景区", &[]),
        // Addresses.
        (
            "我住在金色家园小区3栋2单元1201室",
            &[(Address, "金色家园小区3栋2单元1201室")],
        ),
        (
            "家住金域华府5号楼302室，",
            &[(Address, "金域华府5号楼302室")],
        ),
        ("我家在幸福村五组12号", &[(Address, "幸福村五组12号")]),
        (
            "住址：玉潭街道新康路18号3栋",
            &[(Address, "玉潭街道新康路18号3栋")],
        ),
        (
            "新康路18号金色家园3栋1201室",
            &[(Address, "新康路18号金色家园3栋1201室")],
        ),
        (
            "金色家园二期12栋二单元",
            &[(Address, "金色家园二期12栋二单元")],
        ),
        (
            "住在金色家园3栋2单元1201",
            &[(Address, "金色家园3栋2单元1201")],
        ),
        ("地址是滨江花园7-1-302室", &[(Address, "滨江花园7-1-302室")]),
        ("住在滨江花园7-1-302", &[(Address, "滨江花园7-1-302")]),
        ("金色家园1201室", &[(Address, "金色家园1201室")]),
        ("这栋楼B座15层", &[(Address, "B座15层")]),
        ("新康路18号", &[]),
        ("政务中心201室", &[]),
        ("幸福村五组", &[]),
        ("三室一厅", &[]),
        ("金色家园3栋", &[]),
        ("3楼大厅", &[]),
        ("小区有12栋3000户", &[]),
        ("共3栋300套", &[]),
        ("3栋2单元1201的住户", &[(Address, "3栋2单元1201")]),
        ("宁乡市人民政府，地址：宁乡市玉潭街道新康路1号", &[]),
        // What is not personal data.
        ("2023年4月27日", &[]),
        ("2023-04-27", &[]),
        ("20230427", &[]),
        ("收费20元", &[]),
        ("1,000.00元", &[]),
        ("50-100元", &[]),
        ("宁政发〔2023〕2号", &[]),
        ("国务院令第656号", &[]),
        ("YJ20261127-7K3M9Q", &[]),
        ("第十二条", &[]),
        ("第3条第2款", &[]),
        ("第五组第3号", &[]),
        ("增长12.5%", &[]),
        ("2023年", &[]),
        ("编号123456789012", &[]),
        ("流水号 202304270001", &[]),
        ("ISBN 9787111213826", &[]),
        ("8:30-12:00", &[]),
        ("2023.04.27 2023/04/27", &[]),
        // Several in one opinion.
        (
            "张三，13812345678，zs@qq.com，湘A12345",
            &[
                (MobilePhone, "13812345678"),
                (Email, "zs@qq.com"),
                (LicencePlate, "湘A12345"),
            ],
        ),
        (
            "0731-88888888 13812345678",
            &[(Landline, "0731-88888888"), (MobilePhone, "13812345678")],
        ),
        ("2023 13812345678", &[(MobilePhone, "13812345678")]),
    ];

    #[test]
    fn table_of_positives_and_negatives() {
        assert!(CASES.len() >= 60, "{}", CASES.len());
        for (text, expected) in CASES {
            let found: Vec<(PersonalDataKind, String)> =
                detect(text).into_iter().map(|m| (m.kind, m.text)).collect();
            let expected: Vec<(PersonalDataKind, String)> =
                expected.iter().map(|(k, t)| (*k, t.to_string())).collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn byte_and_char_ranges_point_at_the_original_text() {
        let text = "😀手机：１３８ １２３４ ５６７８";
        let found = detect(text);
        assert_eq!(found.len(), 1);
        let m = &found[0];
        assert_eq!(&text[m.bytes.clone()], m.text);
        assert_eq!(m.text, "１３８ １２３４ ５６７８");
        let by_chars: String = text
            .chars()
            .skip(m.chars.start)
            .take(m.chars.len())
            .collect();
        assert_eq!(by_chars, m.text);
        assert_eq!(m.chars, 4..17);
        assert_eq!(m.bytes.start, 4 + 3 * 3);
    }

    #[test]
    fn redaction_replaces_each_span() {
        assert_eq!(
            redact_detected("电话13812345678，邮箱a@qq.com。"),
            "电话＊＊＊，邮箱＊＊＊。"
        );
        let text = "甲乙丙丁";
        assert_eq!(redact(text, &[9..12, 0..3]), Ok("＊＊＊乙丙＊＊＊".into()));
        assert_eq!(redact(text, &[0..3, 3..6]), Ok("＊＊＊＊＊＊丙丁".into()));
        assert_eq!(redact(text, &[]), Ok(text.into()));
        assert_eq!(redact_detected("没有个人信息"), "没有个人信息");
    }

    #[test]
    // One bad span per call is the point; 6..3 is reversed on purpose.
    #[allow(clippy::single_range_in_vec_init, clippy::reversed_empty_ranges)]
    fn redaction_refuses_bad_spans() {
        let text = "甲乙丙丁";
        assert_eq!(
            redact(text, &[0..13]),
            Err(RedactError::BeyondEnd {
                start: 0,
                end: 13,
                len: 12
            })
        );
        assert_eq!(
            redact(text, &[1..3]),
            Err(RedactError::NotCharBoundary { start: 1, end: 3 })
        );
        assert_eq!(
            redact(text, &[0..6, 3..9]),
            Err(RedactError::Overlapping {
                first: 0..6,
                second: 3..9
            })
        );
        assert_eq!(
            redact(text, &[3..3]),
            Err(RedactError::EmptySpan { start: 3, end: 3 })
        );
        assert_eq!(
            redact(text, &[6..3]),
            Err(RedactError::EmptySpan { start: 6, end: 3 })
        );
        assert!(!RedactError::BeyondEnd {
            start: 0,
            end: 13,
            len: 12
        }
        .to_string()
        .is_empty());
    }

    /// Every match of `text` is in order, disjoint, on boundaries and agrees with its ranges.
    fn check_matches(text: &str) {
        let found = detect(text);
        let mut previous_end = 0;
        for m in &found {
            assert!(m.bytes.start >= previous_end && m.bytes.start < m.bytes.end);
            assert_eq!(&text[m.bytes.clone()], m.text);
            let chars_before = text[..m.bytes.start].chars().count();
            assert_eq!(m.chars.start, chars_before);
            assert_eq!(m.chars.len(), m.text.chars().count());
            previous_end = m.bytes.end;
        }
        let redacted = redact_detected(text);
        assert!(found.is_empty() || redacted.contains(REDACTION));
    }

    /// A small deterministic generator, so the property checks need no extra crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        // The pieces of which the random texts are made: digits in both widths, separators,
        // the words the rules look for, emoji, combining marks, and characters of every
        // UTF-8 length.
        let pieces = [
            "1",
            "3",
            "8",
            "0",
            "6",
            "2",
            "X",
            "x",
            "１",
            "３",
            "８",
            " ",
            "-",
            "+",
            "(",
            ")",
            "（",
            "）",
            "@",
            ".",
            "＠",
            "．",
            "a",
            "Z",
            "湘",
            "A",
            "·",
            "栋",
            "单元",
            "室",
            "号",
            "组",
            "村",
            "小区",
            "路",
            "第",
            "五",
            "电话",
            "：",
            "😀",
            "👩‍👩‍👧",
            "e\u{301}",
            "\u{301}",
            "\u{200d}",
            "𠀀",
            "\u{FEFF}",
            "\n",
            "é",
            "。",
        ];
        let mut rng = Lcg(0x5eed);
        for _ in 0..3000 {
            let len = (rng.next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(rng.next() as usize) % pieces.len()])
                .collect();
            check_matches(&text);
        }
        // Valid data amid noise: the same invariants hold.
        for _ in 0..500 {
            let noise = |rng: &mut Lcg| -> String {
                (0..rng.next() % 6)
                    .map(|_| pieces[(rng.next() as usize) % pieces.len()])
                    .collect()
            };
            let text = format!(
                "{}13812345678{}430124199001011236{}",
                noise(&mut rng),
                noise(&mut rng),
                noise(&mut rng)
            );
            check_matches(&text);
        }
    }

    #[test]
    fn long_and_all_digit_texts_are_handled() {
        let ten_thousand_digits = "1".repeat(10_000);
        assert!(detect(&ten_thousand_digits).is_empty());
        let spaced: String = "8 ".repeat(5_000);
        assert!(detect(&spaced).is_empty());
        let phones = "13812345678，".repeat(1_000);
        assert_eq!(detect(&phones).len(), 1_000);
        let mixed: String = "😀e\u{301}金色家园3栋2单元1201室a@b.cn湘A12345"
            .chars()
            .cycle()
            .take(10_000)
            .collect();
        check_matches(&mixed);
        check_matches(&"@".repeat(10_000));
        check_matches(&"a.".repeat(5_000));
        check_matches(&"(".repeat(10_000));
        check_matches(&"金色家园".repeat(2_500));
        check_matches(&"3栋".repeat(5_000));
        let every_digit_string: Vec<String> = (0..2_000u64)
            .map(|n| format!("{}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .collect();
        for digits in every_digit_string {
            check_matches(&digits);
        }
    }

    #[test]
    fn checksums_follow_their_standards() {
        let id = |s: &str| -> Vec<u8> { s.bytes().map(|b| b - b'0').collect() };
        assert!(is_id_number(&id("11010519491231002"), Some(10), &[17]));
        assert!(!is_id_number(&id("11010519491231002"), Some(9), &[17]));
        assert!(luhn(&id("79927398713")));
        assert!(!luhn(&id("79927398710")));
        assert!(is_date(&id("20000229")) && !is_date(&id("19000229")));
    }
}
