//! The pack's lexicon: what query understanding needs of the corpus and of the officials'
//! lists beyond the index itself — the pinyin syllables of the titles' characters, where
//! the blocks of the synonym list of `index/synonyms.txt` lie, the suggestion blocks' first
//! keys and the bigrams titles hold only across the national prefix ([`seam_bigrams`]).
//! The builder writes it as one small JSON file in the pack; the reader reads it when it
//! opens the index (it lies in the pack's head, so a range reader pays no extra round for
//! it).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::suggest::SuggestBlock;
use crate::synonym_blocks::{BlockIndex, SynonymDirectory};

/// Name of the lexicon file in the pack (JSON, [`Lexicon::to_bytes`]).
pub const LEXICON_FILE: &str = "lexicon.json";

/// A deflated lexicon (as packs of format 4 and the first of format 5 stored it) inflated
/// to more than this is not read (a damaged or hostile pack cannot make the reader
/// allocate without bound); the corpus's is about 20 KB.
const MAX_LEXICON_BYTES: usize = 16 * 1024 * 1024;

/// The lexicon as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lexicon {
    /// Every toneless syllable the pinyin crate gives for a character of a title (`she`,
    /// `hui`; `ü` written both `v` and `u`), sorted: the syllables a Latin query is cut into.
    pub syllables: Vec<String>,
    /// Where the blocks of the synonym list lie in the synonyms file
    /// ([`crate::synonym_blocks`]); empty when the list is (packs of format 6 and before
    /// held the groups here, and are not read).
    pub synonym_directory: SynonymDirectory,
    /// The blocks of the suggestions file ([`crate::suggest`]).
    pub suggest_blocks: Vec<SuggestBlock>,
    /// The bigrams that titles hold only across the end of the national prefix
    /// ([`seam_bigrams`]: `国外` of `中华人民共和国外交特权与豁免条例`), sorted; empty in
    /// packs built before it.
    pub seam_bigrams: Vec<String>,
}

/// The lexicon ready for lookups.
#[derive(Debug, Clone, Default)]
pub struct LoadedLexicon {
    pub syllables: HashSet<String>,
    /// Longest syllable, in bytes (all ASCII).
    pub longest_syllable: usize,
    /// Where each character's block of the synonym list lies.
    pub synonym_blocks: BlockIndex,
    pub suggest_blocks: Vec<SuggestBlock>,
    /// [`Lexicon::seam_bigrams`], for lookups.
    pub seam_bigrams: HashSet<String>,
}

impl Lexicon {
    /// The stored form: plain JSON. The lexicon lies in the pack's head, which every first
    /// query reads and which crosses the wire compressed as one file (its brotli copy,
    /// written by the build at quality 11), so it is not deflated first: brotli shrinks
    /// plain text further than it shrinks deflated bytes (the synonym list, when it lay
    /// here, cost 97 KB so and 113 KB deflated by Zopfli). A host that sends the head
    /// uncompressed pays it whole; a byte range of the pack is never compressed, but the
    /// head is read as a range only for manifests that name no head file. Building only.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

impl LoadedLexicon {
    /// Reads a stored lexicon: JSON ([`Lexicon::to_bytes`], and packs before format 4), or
    /// JSON deflated (packs of format 4 and the first of format 5); bytes that are neither
    /// (an older pack has none) give the empty lexicon: the search then works as before,
    /// without pinyin or synonyms.
    pub fn from_bytes(bytes: &[u8]) -> LoadedLexicon {
        let lexicon: Lexicon = match bytes.first() {
            Some(b'{') => serde_json::from_slice(bytes).unwrap_or_default(),
            _ => miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, MAX_LEXICON_BYTES)
                .ok()
                .and_then(|json| serde_json::from_slice(&json).ok())
                .unwrap_or_default(),
        };
        LoadedLexicon {
            longest_syllable: lexicon.syllables.iter().map(String::len).max().unwrap_or(0),
            syllables: lexicon.syllables.into_iter().collect(),
            synonym_blocks: BlockIndex::new(&lexicon.synonym_directory),
            suggest_blocks: lexicon.suggest_blocks,
            seam_bigrams: lexicon.seam_bigrams.into_iter().collect(),
        }
    }
}

/// The bigrams that the folded `titles` hold only where `国` ends the national prefix
/// ([`crate::tokenizer::NATIONAL_PREFIX`]) and the law's own name begins, and nowhere else
/// (`国外` of `中华人民共和国外交特权与豁免条例`, `国公` is not one if a title says `全国公共…`),
/// sorted. No title uses such a bigram as a word, so a citizen's `国外` (`连国外的网`) or
/// `我国领海` matching it names no law: the topic ranking leaves them out of its title
/// matches. A title fragment typed across the seam (`和国外交`) still finds its title
/// through the phrase and the other bigrams. Building only.
#[cfg(not(target_arch = "wasm32"))]
pub fn seam_bigrams<'a>(titles: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    use crate::tokenizer::{is_han_bigram, tokenize, NATIONAL_PREFIX};
    let mut at_seam: std::collections::BTreeSet<String> = Default::default();
    let mut elsewhere: HashSet<String> = HashSet::new();
    for title in titles {
        // The title's own bigrams, as the index holds them.
        for token in tokenize(title)
            .into_iter()
            .filter(|t| is_han_bigram(&t.text))
        {
            // The bigram's first character ends the prefix: `国` of `…共和国外交…`.
            let first = title[token.bytes.start..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            match title[..token.bytes.start + first].ends_with(NATIONAL_PREFIX) {
                true => at_seam.insert(token.text),
                false => elsewhere.insert(token.text),
            };
        }
    }
    at_seam
        .into_iter()
        .filter(|bigram| !elsewhere.contains(bigram))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seam_bigrams_are_those_no_title_holds_but_across_the_national_prefix() {
        let titles = [
            "中华人民共和国外交特权与豁免条例",
            "中华人民共和国公司法",
            "全国公共图书馆条例",
            "最高人民法院关于适用《中华人民共和国刑法》的解释",
            "国外贷款管理办法",
            "中华人民共和国2019年国民经济计划",
        ];
        // 国外 is a word of a title, 国公 of 全国公共; 国刑 sits inside a title; 国2 is
        // no bigram of Han characters.
        assert_eq!(seam_bigrams(titles), vec!["国刑".to_string()]);
        assert!(seam_bigrams(["国"]).is_empty());
    }

    #[test]
    fn the_stored_lexicon_is_json_and_deflated_ones_still_read() {
        let lexicon = Lexicon {
            syllables: vec!["she".into(), "hui".into()],
            synonym_directory: SynonymDirectory {
                keys: "社".into(),
                lens: vec![50],
                pairs: String::new(),
            },
            suggest_blocks: Vec::new(),
            seam_bigrams: vec!["国外".into()],
        };
        let stored = lexicon.to_bytes().unwrap();
        assert_eq!(
            stored.first(),
            Some(&b'{'),
            "plain JSON, for the host to compress"
        );
        // As packs built before stored it.
        let deflated = miniz_oxide::deflate::compress_to_vec(&stored, 9);
        for bytes in [&stored, &deflated] {
            let loaded = LoadedLexicon::from_bytes(bytes);
            assert_eq!(loaded.synonym_blocks.blocks_for("社保"), [('社', 0..50)]);
            assert!(loaded.syllables.contains("hui"));
            assert!(loaded.seam_bigrams.contains("国外"));
        }
        // Damaged bytes: no lexicon, no panic.
        for damaged in [
            &stored[..stored.len() / 2],
            &deflated[..deflated.len() / 2],
            b"",
        ] {
            let loaded = LoadedLexicon::from_bytes(damaged);
            assert!(loaded.syllables.is_empty());
            assert!(loaded.synonym_blocks.blocks_for("社保").is_empty());
        }
    }
}
