//! The one tokenizer of the project, used identically when indexing and when querying.
//!
//! Chinese is written without spaces, and a dictionary segmenter both costs megabytes in
//! the browser and cuts the index and the query differently. Overlapping bigrams over runs
//! of Han characters need no dictionary and match any fragment of two or more characters;
//! phrase (position) matching restores precision. Text is folded first
//! ([`disclosure_core::text::fold_chars`]: NFKC, lower case, invisible characters removed,
//! traditional characters to simplified), so `２０１９`, `〔2019〕` and `(2019)` all become
//! the same tokens, and so do `收費清單` and `收费清单`.

use std::ops::Range;

use disclosure_core::text::fold_chars;

/// Name under which [`tokenize`] is registered with tantivy.
pub const TOKENIZER_NAME: &str = "cjk_bigram";

/// Name under which [`tokenize`] with [`word_affixes`] is registered with tantivy, for
/// titles.
pub const TITLE_TOKENIZER_NAME: &str = "cjk_bigram_title";

/// Name under which [`characters`] is registered with tantivy.
pub const CHARACTER_TOKENIZER_NAME: &str = "cjk_character";

/// Words of Latin letters or digits longer than this are cut, so one pasted blob cannot
/// make a giant term.
const MAX_WORD_CHARS: usize = 40;

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextToken {
    /// The folded text of the token: a Han bigram, a lone Han character, or a word.
    pub text: String,
    /// Where the token stands in the original text, in bytes.
    pub bytes: Range<usize>,
    /// Whether the token follows the previous one with no separator in between; query
    /// understanding splits a query into phrases where this is false.
    pub joined: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Han,
    Word,
    Separator,
}

/// Whether `c` is a Han character (CJK ideographs, their extensions, and 〇 as written
/// in years such as 二〇一九).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
        || c == '〇'
}

/// Whether `token` is a bigram of two Han characters (`社保`), the token the tokenizer
/// makes of each overlapping pair in a run of Han characters.
pub fn is_han_bigram(token: &str) -> bool {
    let mut chars = token.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(first), Some(second), None) if is_han(first) && is_han(second)
    )
}

fn classify(c: char) -> CharClass {
    if is_han(c) {
        CharClass::Han
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

/// Splits `text` into tokens. Deterministic and total: any string gives a (possibly
/// empty) list, never an error. The text is folded first by the project's one folding,
/// [`disclosure_core::text::fold_chars`] (NFKC, invisible characters, case, traditional
/// characters), and each token points back at the bytes of the text as written.
pub fn tokenize(text: &str) -> Vec<TextToken> {
    let mut tokens = Vec::new();
    // The current run of characters of one class: (folded char, byte range in `text`).
    let mut run: Vec<(char, Range<usize>)> = Vec::new();
    let mut run_class = CharClass::Separator;
    let mut separated = false;

    for folded in fold_chars(text) {
        let f = folded.folded;
        let class = classify(f);
        if class != run_class || class == CharClass::Separator {
            separated = flush_run(&mut run, run_class, separated, &mut tokens);
            run_class = class;
        }
        if class == CharClass::Separator {
            separated = true;
        } else {
            run.push((f, folded.source));
        }
    }
    flush_run(&mut run, run_class, separated, &mut tokens);
    tokens
}

/// Emits the tokens of a finished run; returns whether the next run starts separated
/// (false once a run was emitted, since runs of different classes touch).
fn flush_run(
    run: &mut Vec<(char, Range<usize>)>,
    class: CharClass,
    separated: bool,
    tokens: &mut Vec<TextToken>,
) -> bool {
    if run.is_empty() {
        return separated;
    }
    let mut joined = !separated && !tokens.is_empty();
    match class {
        CharClass::Han if run.len() == 1 => {
            tokens.push(TextToken {
                text: run[0].0.to_string(),
                bytes: run[0].1.clone(),
                joined,
            });
        }
        CharClass::Han => {
            for pair in run.windows(2) {
                tokens.push(TextToken {
                    text: [pair[0].0, pair[1].0].iter().collect(),
                    bytes: pair[0].1.start..pair[1].1.end,
                    joined,
                });
                joined = true;
            }
        }
        CharClass::Word => {
            let end = run.len().min(MAX_WORD_CHARS);
            tokens.push(TextToken {
                text: run[..end].iter().map(|(c, _)| c).collect(),
                bytes: run[0].1.start..run[end - 1].1.end,
                joined,
            });
        }
        CharClass::Separator => {}
    }
    run.clear();
    false
}

/// The single characters of a text instead of its bigrams: Han characters one by one,
/// words as [`tokenize`] makes them. Titles are indexed this way too, so that a title with
/// one mistyped character still shares all its other characters with the right title,
/// where bigrams cannot tell `威占市…` nearer to `威海市…` than to `北京市…`.
pub fn characters(text: &str) -> Vec<TextToken> {
    let tokens = tokenize(text);
    let mut characters = Vec::with_capacity(tokens.len() + 1);
    for (at, token) in tokens.iter().enumerate() {
        let mut chars = token.text.chars();
        let first = chars.next();
        if token.text.chars().count() != 2 || !first.is_some_and(is_han) {
            characters.push(token.clone());
            continue;
        }
        let second_start = token.bytes.start
            + text[token.bytes.start..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        characters.push(TextToken {
            text: first.map(String::from).unwrap_or_default(),
            bytes: token.bytes.start..second_start,
            joined: token.joined,
        });
        // The run's last bigram also gives its second character.
        let continues = tokens
            .get(at + 1)
            .is_some_and(|next| next.bytes.start == second_start);
        if !continues {
            characters.push(TextToken {
                text: chars.collect(),
                bytes: second_start..token.bytes.end,
                joined: true,
            });
        }
    }
    characters
}

/// How many different characters (as [`characters`] splits them) a text has.
pub fn distinct_characters(text: &str) -> usize {
    let mut seen: Vec<String> = characters(text)
        .into_iter()
        .map(|token| token.text)
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// The prefix of national laws' titles (`中华人民共和国安全生产法`), which people leave out.
pub const NATIONAL_PREFIX: &str = "中华人民共和国";

/// How many tokens a title or query has once a leading [`NATIONAL_PREFIX`] is set aside:
/// its six bigrams and the bigram joining it to the rest. The ranking compares titles and
/// queries by this size, so `安全生产` finds `中华人民共和国安全生产法` (4 tokens) nearer than
/// `安全生产许可证条例` (8 tokens).
pub fn core_token_count<S: AsRef<str>>(tokens: &[S]) -> usize {
    const PREFIX: [&str; 6] = ["中华", "华人", "人民", "民共", "共和", "和国"];
    let has_prefix = tokens.len() > PREFIX.len()
        && tokens
            .iter()
            .zip(PREFIX)
            .all(|(token, prefix)| token.as_ref() == prefix);
    if has_prefix {
        tokens.len() - PREFIX.len() - 1
    } else {
        tokens.len()
    }
}

/// Words longer than this get no [`word_affixes`].
const MAX_AFFIXED_WORD_CHARS: usize = 12;

/// The shortest affix [`word_affixes`] gives: a lone digit or letter (`1`) would make the
/// `1月` of a query match a title's `11月`, `第2号` its `第12号`, as typed.
const MIN_AFFIX_CHARS: usize = 2;

/// The beginnings and ends, of [`MIN_AFFIX_CHARS`] or more, of a word of letters or digits
/// of any non-Han script (`12345` → `12`, `2345`, `123`, `345`, `1234`, `45`), which a title
/// indexes at the word's own position: a title fragment that starts or stops inside a
/// number (`345市民`, of `济南市12345市民服务热线条例`; `宪法修正案（201`) then holds the title
/// as typed, as one inside a Han run always did (bigrams). In the mechanical draw of 440
/// title fragments these were the only two not found. Empty for a Han token, a word of up
/// to [`MIN_AFFIX_CHARS`] characters and one over [`MAX_AFFIXED_WORD_CHARS`]. Only the
/// title field's postings hold them: the text-level checks of long phrases and the
/// highlights read titles by [`tokenize`] and do not see them.
pub fn word_affixes(token: &TextToken) -> Vec<String> {
    let chars: Vec<char> = token.text.chars().collect();
    let word = chars.iter().all(|c| classify(*c) == CharClass::Word);
    if !word || chars.len() > MAX_AFFIXED_WORD_CHARS {
        return Vec::new();
    }
    // Repeats stay (`20` twice in `2020`): every word of a length adds as many tokens to
    // its title's length, which BM25 weighs, so `…2020年…` and `…2023年…` stay equal.
    (MIN_AFFIX_CHARS..chars.len())
        .flat_map(|cut| [&chars[..cut], &chars[chars.len() - cut..]])
        .map(|affix| affix.iter().collect())
        .collect()
}

/// A tokenizing function as tantivy sees it.
#[derive(Clone)]
pub struct FnTokenizer {
    split: fn(&str) -> Vec<TextToken>,
    /// Whether each word's [`word_affixes`] follow it at its position (titles).
    affixes: bool,
    token: tantivy::tokenizer::Token,
}

impl FnTokenizer {
    /// [`tokenize`], for the indexed text fields.
    pub fn bigrams() -> FnTokenizer {
        FnTokenizer {
            split: tokenize,
            affixes: false,
            token: Default::default(),
        }
    }

    /// [`tokenize`] with each word's [`word_affixes`] at its position, for titles.
    pub fn title_bigrams() -> FnTokenizer {
        FnTokenizer {
            affixes: true,
            ..FnTokenizer::bigrams()
        }
    }

    /// [`characters`], for the title's characters.
    pub fn characters() -> FnTokenizer {
        FnTokenizer {
            split: characters,
            affixes: false,
            token: Default::default(),
        }
    }
}

/// Token stream over a tokenized text.
pub struct FnTokenStream<'a> {
    tokens: std::vec::IntoIter<TextToken>,
    affixes: bool,
    /// The affixes of the last word still to give, at its position.
    pending: Vec<String>,
    position: usize,
    token: &'a mut tantivy::tokenizer::Token,
}

impl tantivy::tokenizer::Tokenizer for FnTokenizer {
    type TokenStream<'a> = FnTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FnTokenStream<'a> {
        self.token.reset();
        FnTokenStream {
            tokens: (self.split)(text).into_iter(),
            affixes: self.affixes,
            pending: Vec::new(),
            position: 0,
            token: &mut self.token,
        }
    }
}

impl tantivy::tokenizer::TokenStream for FnTokenStream<'_> {
    fn advance(&mut self) -> bool {
        // The word's offsets and position stay; only the text changes.
        if let Some(affix) = self.pending.pop() {
            self.token.text = affix;
            return true;
        }
        let Some(next) = self.tokens.next() else {
            return false;
        };
        if self.affixes {
            self.pending = word_affixes(&next);
        }
        self.token.text = next.text;
        self.token.offset_from = next.bytes.start;
        self.token.offset_to = next.bytes.end;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
        true
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_han_bigram_is_two_han_characters() {
        assert!(is_han_bigram("社保"));
        for not_one in ["社", "社保卡", "a社", "12", "", "社 "] {
            assert!(!is_han_bigram(not_one), "{not_one:?}");
        }
    }

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn a_word_has_its_beginnings_and_ends_as_affixes() {
        let affixes = |text: &str| word_affixes(&tokenize(text)[0]);
        assert_eq!(affixes("12345"), ["12", "45", "123", "345", "1234", "2345"]);
        assert_eq!(affixes("abc"), ["ab", "bc"]);
        for none in ["社保", "7", "11", "1234567890123"] {
            assert!(affixes(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn bigrams_over_han_runs_and_words_for_the_rest() {
        assert_eq!(texts("收费清单"), ["收费", "费清", "清单"]);
        assert_eq!(texts("法"), ["法"]);
        assert_eq!(
            texts("GB/T 37668-2019标准"),
            ["gb", "t", "37668", "2019", "标准"]
        );
        assert_eq!(texts("3号"), ["3", "号"]);
        assert!(texts("，。！？   ").is_empty());
        assert!(texts("").is_empty());
    }

    #[test]
    fn folds_width_and_case() {
        assert_eq!(texts("收費清單"), texts("收费清单"));
        assert_eq!(texts("收费\u{200B}清单"), ["收费", "费清", "清单"]);
        assert_eq!(texts("⼯作"), texts("工作"));
        assert_eq!(texts("ＡＢＣ２０１９"), texts("abc2019"));
        assert_eq!(texts("Ｐｏｌｉｃｙ"), ["policy"]);
    }

    #[test]
    fn a_document_number_tokenizes_alike_whatever_its_brackets() {
        let canonical = texts("宁政发〔2019〕3号");
        for variant in [
            "宁政发[2019]3号",
            "宁政发(2019)3号",
            "宁政发（2019）3号",
            "宁政发【2019】3号",
            "宁政发〔２０１９〕３号",
            "宁政发 2019 3号",
        ] {
            assert_eq!(texts(variant), canonical, "{variant}");
        }
    }

    #[test]
    fn records_where_runs_are_separated() {
        let tokens = tokenize("收费清单，公安 2019年");
        let joined: Vec<(&str, bool)> =
            tokens.iter().map(|t| (t.text.as_str(), t.joined)).collect();
        assert_eq!(
            joined,
            [
                ("收费", false),
                ("费清", true),
                ("清单", true),
                ("公安", false),
                ("2019", false),
                ("年", true)
            ]
        );
    }

    #[test]
    fn byte_ranges_point_into_the_original_text() {
        let text = "Ａ收费清单";
        for token in tokenize(text) {
            assert!(text.is_char_boundary(token.bytes.start));
            assert!(text.is_char_boundary(token.bytes.end));
        }
        assert_eq!(&text[tokenize(text)[1].bytes.clone()], "收费");
    }

    #[test]
    fn characters_are_single_han_characters_and_words() {
        let chars: Vec<String> = characters("威海市 2019年 法")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(chars, ["威", "海", "市", "2019", "年", "法"]);
        for token in characters("Ａ收费清单") {
            assert_eq!(token.text.chars().count(), 1);
        }
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(500);
        assert_eq!(texts(&long)[0].len(), MAX_WORD_CHARS);
    }
}
