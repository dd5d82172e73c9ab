//! Folding what people type.
//!
//! [`fold`] (and [`fold_chars`], which also says where each folded character comes from)
//! is the one folding of everything that compares text: the search index and its queries,
//! the validity lookup's titles and numbers, the fee list's filter. [`fold_width`] stays
//! for the readers that need one character for one (amounts, personal-data positions).

use std::ops::Range;
use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

/// One character of folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedChar {
    /// The folded character.
    pub folded: char,
    /// The bytes of the source character it comes from (several folded characters may
    /// share one source character: NFKC turns `㈱` into `(株)`).
    pub source: Range<usize>,
}

/// Whether `c` is a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`:
/// zero-width space and joiners, soft hyphen, word joiner, byte-order mark, variation
/// selectors, bidirectional controls, Hangul fillers, tags): invisible, so text pasted
/// from a WeChat article with one inside still matches the same text without it.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// OpenCC's Traditional → Simplified converter, built once from the tables compiled into
/// the binary; `None` if they cannot be read (then traditional characters stay as typed).
fn t2s() -> Option<&'static OpenCC> {
    static CONVERTER: OnceLock<Option<OpenCC>> = OnceLock::new();
    CONVERTER
        .get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// Whether `c` is a CJK ideograph of the unified block or extension A, the characters of
/// folded Chinese text (`收`, `㐂`): what the core's readers count or keep as Chinese
/// words (fee amounts in words, answer-card topics, place names).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Whether a character may be changed by the Traditional → Simplified tables: CJK
/// ideographs (unified, extension A, compatibility) and a few symbols OpenCC lists.
fn may_be_traditional(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

// CHANGED_START, CHANGED_END, CHANGED_BITS and CHANGED_OTHERS: see build.rs.
include!(concat!(env!("OUT_DIR"), "/traditional.rs"));

/// Whether OpenCC's t2s tables can change `c`: some entry that converts has it where its
/// key and value differ (`們`, `覆` of `覆蓋`; 4,114 characters, listed by build.rs from
/// the dictionaries the converter compiles in). A run of ideographs holding none converts
/// to itself, so [`to_simplified`] leaves it be. Why: simplified text is nearly all that
/// is folded — queries, titles, the body chunks of every snippet — and OpenCC's phrase
/// lookup over it was an eighth of a held query's time natively (its dictionary walk per
/// character); 69 of the corpus's 155,000 runs of ideographs hold such a character.
fn t2s_changes(c: char) -> bool {
    let code = c as u32;
    if (CHANGED_START..=CHANGED_END).contains(&code) {
        let at = (code - CHANGED_START) as usize;
        CHANGED_BITS[at / 64] & (1 << (at % 64)) != 0
    } else {
        CHANGED_OTHERS.binary_search(&code).is_ok()
    }
}

/// Folds `text` for comparison, character by character: default-ignorable characters
/// removed ([`is_default_ignorable`]), NFKC compatibility forms (full-width `２０１９` and
/// `（`, Kangxi radicals `⼯⼈⾃` of PDF conversions, circled numbers …), lower case, and
/// traditional characters to simplified with OpenCC's t2s tables (phrases first, as OpenCC
/// converts, then characters). Total: any string folds, an empty one to nothing.
///
/// Each folded character names the bytes of its source character, so a match in folded
/// text points back into the text as written.
pub fn fold_chars(text: &str) -> Vec<FoldedChar> {
    let mut folded: Vec<FoldedChar> = Vec::with_capacity(text.len() / 2 + 1);
    let mut any_traditional = false;
    for (start, c) in text.char_indices() {
        let source = start..start + c.len_utf8();
        if c.is_ascii() {
            folded.push(FoldedChar {
                folded: c.to_ascii_lowercase(),
                source,
            });
        } else if matches!(c as u32, 0x4E00..=0x9FFF) {
            // Unified ideographs are NFKC-stable and caseless.
            any_traditional |= t2s_changes(c);
            folded.push(FoldedChar { folded: c, source });
        } else if !is_default_ignorable(c) {
            each_nfkc(c, |normal| {
                for lower in normal.to_lowercase() {
                    if is_default_ignorable(lower) {
                        continue;
                    }
                    any_traditional |= t2s_changes(lower);
                    folded.push(FoldedChar {
                        folded: lower,
                        source: source.clone(),
                    });
                }
            });
        }
    }
    if any_traditional {
        to_simplified(&mut folded);
    }
    folded
}

/// Each character of the NFKC form of `c` (`⼯` → `工`, `２` → `2`, `㈱` → `(株)`, `é` stays
/// `é`), handed to `each` in order: natively by Unicode's tables in `unicode-normalization`.
#[cfg(not(target_arch = "wasm32"))]
fn each_nfkc(c: char, each: impl FnMut(char)) {
    use unicode_normalization::UnicodeNormalization;
    std::iter::once(c).nfkc().for_each(each);
}

/// Each character of the NFKC form of `c`, in Wasm by the JavaScript engine's
/// `String.prototype.normalize` (ICU in every browser) rather than tables compiled into
/// the Wasm. Both follow Unicode's normalization stability policy, so the index the
/// builder folded natively and the queries the worker folds agree on every character but
/// those assigned after the older of the two Unicode versions; the search core's Wasm test
/// folds every character both ways (`tests/fixtures/fold.txt`).
///
/// The forms of the first [`KEPT_FORMS`] distinct characters asked are kept (Chinese
/// punctuation, `，` `。` `《`, is most of what reaches here, in every snippet the worker
/// highlights); past that, each is asked again, so hostile text cannot grow the table.
#[cfg(target_arch = "wasm32")]
fn each_nfkc(c: char, each: impl FnMut(char)) {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static FORMS: RefCell<HashMap<char, String>> = RefCell::new(HashMap::new());
    }
    let ask = |c: char| {
        let mut buffer = [0u8; 4];
        let text: &str = c.encode_utf8(&mut buffer);
        String::from(js_sys::JsString::from(text).normalize("NFKC"))
    };
    FORMS.with_borrow_mut(|forms| match forms.get(&c) {
        Some(form) => form.chars().for_each(each),
        None => {
            let form = ask(c);
            form.chars().for_each(each);
            if forms.len() < KEPT_FORMS {
                forms.insert(c, form);
            }
        }
    });
}

/// How many characters' NFKC forms the Wasm keeps ([`each_nfkc`]): far more than the
/// punctuation and symbols of the corpus's texts, a few hundred KB at most.
#[cfg(target_arch = "wasm32")]
const KEPT_FORMS: usize = 8192;

/// Converts the runs of ideographs of `folded` that hold a character OpenCC can change
/// ([`t2s_changes`]) with OpenCC, in place. A run whose
/// conversion changes its length (no t2s entry does today) is converted one character at a
/// time instead, so each character keeps its source.
fn to_simplified(folded: &mut [FoldedChar]) {
    let Some(converter) = t2s() else {
        return;
    };
    let mut at = 0;
    while at < folded.len() {
        if !may_be_traditional(folded[at].folded) {
            at += 1;
            continue;
        }
        let end = folded[at..]
            .iter()
            .position(|c| !may_be_traditional(c.folded))
            .map_or(folded.len(), |len| at + len);
        if !folded[at..end].iter().any(|c| t2s_changes(c.folded)) {
            at = end;
            continue;
        }
        let run: String = folded[at..end].iter().map(|c| c.folded).collect();
        let converted: Vec<char> = converter.convert(&run).chars().collect();
        if converted.len() == end - at {
            for (slot, c) in folded[at..end].iter_mut().zip(converted) {
                slot.folded = c;
            }
        } else {
            for slot in &mut folded[at..end] {
                let one = converter.convert(slot.folded.encode_utf8(&mut [0; 4]));
                let mut chars = one.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    slot.folded = c;
                }
            }
        }
        at = end;
    }
}

/// [`fold_chars`] as a string.
pub fn fold(text: &str) -> String {
    fold_chars(text).into_iter().map(|c| c.folded).collect()
}

/// Full-width ASCII forms (U+FF01–U+FF5E: `２０１９`, `（`, `Ａ`) to ASCII, and the
/// ideographic space to a space, one character for one: for the readers that keep
/// character positions (amounts, the personal-data screen's offsets). Everything that
/// compares text uses [`fold`].
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    }
}

/// One line of a CSV file that spreadsheets open safely: cells quoted where needed, and a
/// cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, return first)
/// written with a leading apostrophe. Ends with CRLF, as Excel writes.
pub fn csv_line<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let cells: Vec<String> = cells.into_iter().map(csv_field).collect();
    format!("{}\r\n", cells.join(","))
}

fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_folding_for_widths_radicals_invisibles_and_traditional_characters() {
        assert_eq!(fold("（２０１９）ＡＢ"), "(2019)ab");
        // Kangxi radicals from PDF conversions read as the ideographs they look like.
        assert_eq!(fold("⼯⼈⾃治"), "工人自治");
        assert_eq!(fold("\u{2F08}\u{2F2F}"), "人工");
        // Invisible characters pasted from chat apps vanish.
        assert_eq!(
            fold("收费\u{200B}清单\u{FEFF}\u{00AD}\u{200D}\u{2060}"),
            "收费清单"
        );
        assert_eq!(fold("收費清單"), "收费清单");
        assert_eq!(fold("國務院令第656號"), "国务院令第656号");
        // OpenCC's phrase table decides where one character has two readings.
        assert_eq!(fold("乾燥的乾隆年間"), "干燥的乾隆年间");
        assert_eq!(
            fold("中华人民共和国个人所得税法"),
            "中华人民共和国个人所得税法"
        );
        assert_eq!(fold(""), "");
        // Every folded character points at its source character.
        let text = "Ａ收費\u{200B}㈱";
        for c in fold_chars(text) {
            assert!(text.is_char_boundary(c.source.start) && text.is_char_boundary(c.source.end));
        }
        assert_eq!(fold(text), "a收费(株)");
        // Emoji, lone combining marks and long input are folded, never refused.
        assert_eq!(fold("😀\u{0301}"), "😀\u{0301}");
        assert_eq!(fold(&"a".repeat(10_000)).len(), 10_000);
    }

    #[test]
    fn text_the_fast_path_leaves_is_text_opencc_leaves() {
        // Every ideograph the fast path skips converts to itself alone; inside a run that
        // converts, the dictionary entries below are checked in a sentence.
        let converter = t2s().expect("the t2s tables load");
        let ideographs = (0x3400..=0x9FFF)
            .chain(0xF900..=0xFAFF)
            .chain(0x20000..=0x2FFFF);
        for c in ideographs.filter_map(char::from_u32) {
            let one = c.to_string();
            if !t2s_changes(c) {
                assert_eq!(converter.convert(&one), one, "{c} U+{:X}", c as u32);
            }
            if may_be_traditional(c) && c as u32 >= 0x4E00 && c as u32 <= 0x9FFF {
                assert_eq!(fold(&one), converter.convert(&one), "{c}");
            }
        }
        // Every entry of the tables, as the citizen may type it: folded as OpenCC converts.
        let dictionaries = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../third_party/ferrous-opencc-t2s/assets/dictionaries/"
        );
        for name in ["TSCharacters.txt", "TSPhrases.txt"] {
            let text = std::fs::read_to_string(format!("{dictionaries}{name}")).unwrap();
            let keys = text
                .lines()
                .filter(|line| !line.starts_with('#'))
                .filter_map(|line| line.split_once('\t'))
                .map(|(key, _)| key)
                .filter(|key| key.chars().all(|c| matches!(c as u32, 0x4E00..=0x9FFF)));
            for key in keys {
                for typed in [key.to_string(), format!("关于{key}的规定")] {
                    assert_eq!(fold(&typed), converter.convert(&typed), "{typed}");
                }
            }
        }
    }

    #[test]
    fn folds_full_width_forms_only() {
        let folded: String = "（２０１９）Ａｂ　〔收〕".chars().map(fold_width).collect();
        assert_eq!(folded, "(2019)Ab 〔收〕");
    }

    #[test]
    fn csv_lines_quote_and_defuse_formulas() {
        assert_eq!(
            csv_line(["a,b", "=HYPERLINK(\"x\")", "plain"]),
            "\"a,b\",\"'=HYPERLINK(\"\"x\"\")\",plain\r\n"
        );
        assert_eq!(csv_line(["-1", "@x", "\tt"]), "'-1,'@x,'\tt\r\n");
    }
}
