//! The term-dictionary entries the engine's own stages have looked up, kept for the
//! session's life.
//!
//! Why: a search looks up each term it reads several times — the dictionary round of a
//! range reader, the read-ahead of postings, the body frequencies — and each lookup in
//! tantivy's block-based dictionary finds the term's block and decodes every entry of it
//! (about 1,000 bytes of keys and bit-packed values). That was over a third of the time of
//! a search whose bytes are held; citizens' next searches share most of their terms with
//! the last ones. A pack never changes under an open index, so an entry found once stays
//! true. The ranking's weights ask BM25's document frequencies here too
//! ([`MemoStatistics`]); they still open their postings through tantivy's own lookup.

use tantivy::postings::TermInfo;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher, Term};

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

/// BM25's statistics for a search's weights, the document frequencies from the
/// remembered entries: each `TermQuery` and `PhraseQuery` asks the frequency of every
/// term it scores, which tantivy answers by decoding the term's dictionary block again —
/// a fifth of the worker's time for a search whose bytes are held (issue 18). The same
/// numbers as the searcher's own: the sum over segments of each entry's `doc_freq`.
pub(super) struct MemoStatistics<'a> {
    pub(super) searcher: &'a Searcher,
    pub(super) entries: &'a DictionaryEntries,
}

impl Bm25StatisticsProvider for MemoStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = 0;
        for (segment, reader) in self.searcher.segment_readers().iter().enumerate() {
            let index = reader.inverted_index(term.field())?;
            let info = self.entries.get(segment, &index, term)?;
            total += info.map_or(0, |info| u64::from(info.doc_freq));
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::Bm25StatisticsProvider;
    use tantivy::Term;

    use crate::engine::SearchIndex;

    const MINI_PACK: &[u8] = include_bytes!("../../tests/fixtures/mini.pack");

    /// The weights' statistics from the memo are the searcher's own, for terms the index
    /// holds and terms it does not, asked once and again (remembered).
    #[test]
    fn memo_statistics_are_the_searcher_s() {
        let index = SearchIndex::open(MINI_PACK.to_vec()).unwrap();
        let searcher = index.reader.searcher();
        let memo = index.statistics(&searcher);
        let mut held = 0;
        for _ in 0..2 {
            for field in [index.fields.title, index.fields.body] {
                for text in ["收费", "清单", "排水", "公开", "没有这个词"] {
                    let term = Term::from_field_text(field, text);
                    let frequency = memo.doc_freq(&term).unwrap();
                    assert_eq!(frequency, searcher.doc_freq(&term).unwrap(), "{text}");
                    held += usize::from(frequency > 0);
                }
                assert_eq!(
                    memo.total_num_tokens(field).unwrap(),
                    searcher.total_num_tokens(field).unwrap()
                );
            }
        }
        assert!(held > 0, "the fixture holds none of the terms");
        assert_eq!(memo.total_num_docs().unwrap(), searcher.num_docs());
    }
}
