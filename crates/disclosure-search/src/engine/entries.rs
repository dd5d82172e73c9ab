//! The term-dictionary entries the engine's own stages have looked up, kept for the
//! session's life.
//!
//! Why: a search looks up each term it reads several times — the dictionary round of a
//! range reader, the read-ahead of postings, the body frequencies — and each lookup in
//! tantivy's block-based dictionary finds the term's block and decodes every entry of it
//! (about 1,000 bytes of keys and bit-packed values). That was over a third of the time of
//! a search whose bytes are held; citizens' next searches share most of their terms with
//! the last ones. A pack never changes under an open index, so an entry found once stays
//! true. The ranking's own lookups (inside tantivy's weights) are not routed here.

use tantivy::postings::TermInfo;
use tantivy::{InvertedIndexReader, Term};

use crate::memo::Memo;

/// More entries than this are forgotten all at once rather than grown without bound: a
/// search reads a few hundred terms, so this holds the terms of many searches, a few MB
/// at most.
const MAX_ENTRIES: usize = 50_000;

/// Dictionary entries by segment (its ordinal in the searcher) and term (field and
/// value); `None` for a term no document holds.
pub(super) struct DictionaryEntries(Memo<(usize, Term), Option<TermInfo>>);

impl Default for DictionaryEntries {
    fn default() -> DictionaryEntries {
        DictionaryEntries(Memo::new(MAX_ENTRIES))
    }
}

impl DictionaryEntries {
    /// `term`'s entry in the dictionary of `index`, the inverted index of its field in
    /// segment `segment`: remembered, or looked up and remembered. A lookup that fails (a
    /// range reader's block not fetched yet: the error names the missing bytes) is
    /// returned as it came and not remembered.
    pub(super) fn get(
        &self,
        segment: usize,
        index: &InvertedIndexReader,
        term: &Term,
    ) -> std::io::Result<Option<TermInfo>> {
        self.0
            .get_or_read((segment, term.clone()), || index.get_term_info(term))
    }
}
