//! The pack's lexicon: what query understanding needs of the corpus and of the officials'
//! lists beyond the index itself — the pinyin syllables of the titles' characters and the
//! synonym groups of `index/synonyms.txt`. The builder writes it as one small JSON file in
//! the pack; the reader reads it when it opens the index (it lies in the pack's head, so a
//! range reader pays no extra round for it).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::suggest::SuggestBlock;

/// Name of the lexicon file in the pack.
pub const LEXICON_FILE: &str = "lexicon.json";

/// The lexicon as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lexicon {
    /// Every toneless syllable the pinyin crate gives for a character of a title (`she`,
    /// `hui`; `ü` written both `v` and `u`), sorted: the syllables a Latin query is cut into.
    pub syllables: Vec<String>,
    /// Synonym groups, each a list of folded terms (`社保`, `社会保险`); a query holding one
    /// term also looks for the others ([`crate::synonyms`]).
    pub synonyms: Vec<Vec<String>>,
    /// The blocks of the suggestions file ([`crate::suggest`]).
    pub suggest_blocks: Vec<SuggestBlock>,
}

/// The lexicon ready for lookups.
#[derive(Debug, Clone, Default)]
pub struct LoadedLexicon {
    pub syllables: HashSet<String>,
    /// Longest syllable, in bytes (all ASCII).
    pub longest_syllable: usize,
    pub synonyms: Vec<Vec<String>>,
    /// Each term's groups (indexes into `synonyms`).
    pub groups_of: HashMap<String, Vec<usize>>,
    pub suggest_blocks: Vec<SuggestBlock>,
}

impl LoadedLexicon {
    /// Reads a stored lexicon; bytes that are not one (an older pack has none) give the
    /// empty lexicon: the search then works as before, without pinyin or synonyms.
    pub fn from_bytes(bytes: &[u8]) -> LoadedLexicon {
        let lexicon: Lexicon = serde_json::from_slice(bytes).unwrap_or_default();
        let mut groups_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, group) in lexicon.synonyms.iter().enumerate() {
            for term in group {
                groups_of.entry(term.clone()).or_default().push(at);
            }
        }
        LoadedLexicon {
            longest_syllable: lexicon.syllables.iter().map(String::len).max().unwrap_or(0),
            syllables: lexicon.syllables.into_iter().collect(),
            synonyms: lexicon.synonyms,
            groups_of,
            suggest_blocks: lexicon.suggest_blocks,
        }
    }
}
