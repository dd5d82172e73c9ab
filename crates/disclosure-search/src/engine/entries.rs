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

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use tantivy::postings::TermInfo;
use tantivy::{InvertedIndexReader, Term};

/// More entries than this are forgotten all at once rather than grown without bound: a
/// search reads a few hundred terms, so this holds the terms of many searches, a few MB
/// at most.
const MAX_ENTRIES: usize = 50_000;

/// Dictionary entries by segment (its ordinal in the searcher) and term (field and
/// value); `None` for a term no document holds.
#[derive(Default)]
pub(super) struct DictionaryEntries {
    entries: Mutex<HashMap<(usize, Term), Option<TermInfo>>>,
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
        let key = (segment, term.clone());
        if let Some(entry) = self.lock().get(&key) {
            return Ok(entry.clone());
        }
        let entry = index.get_term_info(term)?;
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, entry.clone());
        Ok(entry)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(usize, Term), Option<TermInfo>>> {
        // A panic while the map was held left it whole (inserts and clears are single
        // calls), so a poisoned lock is still a valid memo.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
