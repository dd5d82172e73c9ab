//! Latin input read as pinyin: full syllables with or without spaces (`shehui baoxian`,
//! `shehuibaoxian`, `she4hui4`, `shè huì`), or initials (`shbx`), beside Han or digits
//! (`2023 shoufei`).
//!
//! The reading only turns letters into the keys of two title fields the builder wrote from a
//! pinyin crate ([`crate::writer`]): `title_pinyin` (each pair of neighbouring title
//! characters as `she_hui`, every reading of a heteronym) and `title_initials` (`sh`). A
//! Latin query thus finds the titles whose own characters read that way; a Han query never
//! goes through pronunciation, so homophones cannot pollute it. The syllables a run of
//! letters may be cut into are those of the corpus's titles (the pack's
//! [`Lexicon`](crate::lexicon::Lexicon)), not a table of ours.
//!
//! Bounded: at most [`MAX_PINYIN_LETTERS`] letters are read, at most [`MAX_SEGMENTATIONS`]
//! ways of cutting them are tried, initials only up to [`MAX_INITIALS`] letters; any input
//! gives a reading or none, never an error.

use crate::lexicon::LoadedLexicon;
use crate::query::{ParsedQuery, QueryPart};

/// Runs of letters longer than this are not read as pinyin (a pasted Latin paragraph).
pub const MAX_PINYIN_LETTERS: usize = 48;
/// At most this many ways of cutting the letters into syllables are tried (`xian` is `xian`
/// or `xi an`; `fangan` is `fang an` or `fan gan`): each is one more phrase clause.
pub const MAX_SEGMENTATIONS: usize = 8;
/// Letters read as initials: from 2 (one pair of characters) to this many.
pub const MAX_INITIALS: usize = 12;

/// What a query's Latin letters may mean.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PinyinReading {
    /// The letters cut into syllables of the titles, each cut at least two syllables, the
    /// fewest syllables first; at most [`MAX_SEGMENTATIONS`].
    pub segmentations: Vec<Vec<String>>,
    /// The letters as the initials of consecutive title characters, when there are 2 to
    /// [`MAX_INITIALS`] of them.
    pub initials: Option<Vec<char>>,
    /// The rest of the query (Han, digits), which titles must hold too.
    pub other_parts: Vec<QueryPart>,
}

impl PinyinReading {
    /// The `title_pinyin` keys of one cut, with their offsets: `she_hui` at 0, `hui_bao` at 1.
    pub fn syllable_keys(syllables: &[String]) -> Vec<(usize, String)> {
        syllables
            .windows(2)
            .enumerate()
            .map(|(at, pair)| (at, syllable_pair_key(&pair[0], &pair[1])))
            .collect()
    }

    /// The `title_initials` keys of the initials, with their offsets: `sh` at 0, `hb` at 1.
    pub fn initial_keys(initials: &[char]) -> Vec<(usize, String)> {
        initials
            .windows(2)
            .enumerate()
            .map(|(at, pair)| (at, pair.iter().collect()))
            .collect()
    }

    /// How many title characters the reading stands for (to prefer titles of that size).
    pub fn characters(&self) -> usize {
        self.segmentations
            .first()
            .map(Vec::len)
            .or(self.initials.as_ref().map(Vec::len))
            .unwrap_or(0)
    }
}

/// The key of a pair read in any of its characters' readings (`~she_hui`, `~sh`), beside the
/// plain key of the pair in its characters' first readings.
pub fn any_reading(key: &str) -> String {
    format!("~{key}")
}

/// The `title_pinyin` key of two neighbouring characters read `first` and `second`.
pub fn syllable_pair_key(first: &str, second: &str) -> String {
    format!("{first}_{second}")
}

/// A Latin token as pinyin letters: lower-case ASCII letters, tone marks taken off the
/// vowels (`ü` is `v`) and tone digits 1–5 dropped where each ends a syllable of the
/// lexicon (`she4hui4`). `None` for anything else (`pm2`, `37668`, `x光`).
fn pinyin_letters(token: &str, lexicon: &LoadedLexicon) -> Option<String> {
    let mut letters = String::with_capacity(token.len());
    let mut previous_letter = false;
    let mut syllable_start = 0;
    for c in token.chars() {
        let plain = match c {
            'a'..='z' => c,
            'ā' | 'á' | 'ǎ' | 'à' => 'a',
            'ē' | 'é' | 'ě' | 'è' | 'ê' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
            'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
            'ń' | 'ň' | 'ǹ' => 'n',
            '1'..='5' if previous_letter => {
                if !lexicon.syllables.contains(&letters[syllable_start..]) {
                    return None;
                }
                previous_letter = false;
                syllable_start = letters.len();
                continue;
            }
            _ => return None,
        };
        previous_letter = true;
        letters.push(plain);
    }
    (!letters.is_empty()).then_some(letters)
}

/// Reads the Latin letters of `query` (parsed as typed, repeats kept:
/// [`crate::query::parse_query_as_typed`]) as pinyin, if it has any that can be: `None` when the
/// query has no Latin word, when a word mixes letters and other digits (`PM2.5`,
/// `GB2312`: codes, matched as words only), or when the letters are too many.
pub fn read_pinyin(query: &ParsedQuery, lexicon: &LoadedLexicon) -> Option<PinyinReading> {
    let mut letters = String::new();
    let mut other_parts = Vec::new();
    for part in &query.parts {
        let read: Vec<Option<String>> = part
            .tokens
            .iter()
            .map(|t| pinyin_letters(t, lexicon))
            .collect();
        let has_latin = read.iter().any(Option::is_some);
        let has_other_word = part.tokens.iter().zip(&read).any(|(token, letters)| {
            letters.is_none() && !token.chars().all(crate::tokenizer::is_han)
        });
        if has_latin && has_other_word {
            return None;
        }
        let rest: Vec<String> = part
            .tokens
            .iter()
            .zip(&read)
            .filter(|(_, letters)| letters.is_none())
            .map(|(token, _)| token.clone())
            .collect();
        for word in read.into_iter().flatten() {
            letters.push_str(&word);
        }
        // Parsed as typed, a word may come twice (`社保 shbx 社保`): the titles must hold
        // it once.
        let repeated = other_parts
            .iter()
            .any(|other: &QueryPart| other.tokens == rest);
        if !rest.is_empty() && !repeated {
            other_parts.push(QueryPart {
                tokens: rest,
                quoted: part.quoted,
            });
        }
    }
    let count = letters.len();
    if !(2..=MAX_PINYIN_LETTERS).contains(&count) {
        return None;
    }
    let segmentations = segment(&letters, lexicon);
    let initials = (count <= MAX_INITIALS).then(|| letters.chars().collect());
    if segmentations.is_empty() && initials.is_none() {
        return None;
    }
    Some(PinyinReading {
        segmentations,
        initials,
        other_parts,
    })
}

/// The ways of cutting `letters` into syllables of the lexicon (at least two), longest
/// syllables first, at most [`MAX_SEGMENTATIONS`]. Linear in the letters for each cut
/// found: the search only follows syllables after which the rest can still be cut.
fn segment(letters: &str, lexicon: &LoadedLexicon) -> Vec<Vec<String>> {
    let bytes = letters.as_bytes();
    let n = bytes.len();
    let longest = lexicon.longest_syllable.min(n);
    if longest == 0 || !letters.is_ascii() {
        return Vec::new();
    }
    let is_syllable = |from: usize, to: usize| lexicon.syllables.contains(&letters[from..to]);
    // completes[i]: the letters from i on can be cut into syllables.
    let mut completes = vec![false; n + 1];
    completes[n] = true;
    for start in (0..n).rev() {
        completes[start] = (1..=longest)
            .filter(|len| start + len <= n)
            .any(|len| completes[start + len] && is_syllable(start, start + len));
    }
    let mut found = Vec::new();
    if !completes[0] {
        return found;
    }
    let mut path = Vec::new();
    cut(
        0,
        letters,
        longest,
        &completes,
        &is_syllable,
        &mut path,
        &mut found,
    );
    found.retain(|cut: &Vec<String>| cut.len() >= 2);
    crate::order::sort_by_key(&mut found, Vec::len);
    found
}

fn cut(
    start: usize,
    letters: &str,
    longest: usize,
    completes: &[bool],
    is_syllable: &dyn Fn(usize, usize) -> bool,
    path: &mut Vec<String>,
    found: &mut Vec<Vec<String>>,
) {
    if found.len() >= MAX_SEGMENTATIONS {
        return;
    }
    if start == letters.len() {
        found.push(path.clone());
        return;
    }
    for len in (1..=longest).rev() {
        let end = start + len;
        if end <= letters.len() && completes[end] && is_syllable(start, end) {
            path.push(letters[start..end].to_string());
            cut(end, letters, longest, completes, is_syllable, path, found);
            path.pop();
            if found.len() >= MAX_SEGMENTATIONS {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::query::parse_query;

    fn lexicon() -> LoadedLexicon {
        let syllables = [
            "a", "an", "bao", "fan", "fang", "fei", "gan", "hui", "she", "shou", "xi", "xian",
        ];
        let lexicon = Lexicon {
            syllables: syllables.iter().map(|s| s.to_string()).collect(),
            ..Lexicon::default()
        };
        LoadedLexicon::from_bytes(&serde_json::to_vec(&lexicon).unwrap())
    }

    fn cuts(text: &str) -> Vec<Vec<String>> {
        read_pinyin(&parse_query(text), &lexicon())
            .map(|reading| reading.segmentations)
            .unwrap_or_default()
    }

    #[test]
    fn syllables_with_or_without_spaces_tones_or_digits() {
        let expected = [vec!["she", "hui", "bao", "xian"]];
        for typed in [
            "shehuibaoxian",
            "shehui baoxian",
            "she hui bao xian",
            "she4hui4 bao3xian3",
            "shèhuì bǎoxiǎn",
            "SheHui BaoXian",
        ] {
            let found = cuts(typed);
            assert_eq!(found[0], expected[0], "{typed}");
        }
        assert_eq!(cuts("fangan"), [vec!["fang", "an"], vec!["fan", "gan"]]);
    }

    #[test]
    fn initials_and_the_rest_of_the_query() {
        let reading = read_pinyin(&parse_query("2023 shbx"), &lexicon()).unwrap();
        assert!(reading.segmentations.is_empty());
        assert_eq!(reading.initials, Some(vec!['s', 'h', 'b', 'x']));
        assert_eq!(reading.other_parts[0].tokens, ["2023"]);
        assert_eq!(
            PinyinReading::initial_keys(&['s', 'h', 'b']),
            [(0, "sh".to_string()), (1, "hb".to_string())]
        );
    }

    #[test]
    fn codes_and_floods_are_not_pinyin() {
        for typed in ["PM2.5", "GB2312", "收费清单", "", "x"] {
            assert!(
                read_pinyin(&parse_query(typed), &lexicon()).is_none(),
                "{typed}"
            );
        }
        // The tokenizer cuts a 10,000-letter word; what is left is read within the caps.
        let long = "a".repeat(10_000);
        let reading = read_pinyin(&parse_query(&long), &lexicon()).unwrap();
        assert!(reading.segmentations.len() <= MAX_SEGMENTATIONS);
        assert!(reading.initials.is_none());
        let words: String = (0..5_000)
            .map(|i| format!("{} ", ["she", "hui", "xi"][i % 3]))
            .collect();
        assert!(read_pinyin(&parse_query(&words), &lexicon())
            .is_some_and(|reading| reading.segmentations.len() <= MAX_SEGMENTATIONS));
        let flood = "xian".repeat(12);
        let reading = read_pinyin(&parse_query(&flood), &lexicon()).unwrap();
        assert_eq!(reading.segmentations.len(), MAX_SEGMENTATIONS);
        assert!(reading.initials.is_none());
        assert_eq!(cuts("aaaaaaaaaa"), [vec!["a"; 10]]);
        assert!(read_pinyin(&parse_query("😀 ab"), &lexicon()).is_some());
    }
}
