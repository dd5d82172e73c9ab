//! The law on a topic, for queries in citizens' words (an everyday word read through its
//! synonyms, a question's content words): among titles naming the topic, the ones that
//! name it at their head (`工伤保险条例`, `中华人民共和国噪声污染防治法`) come before those naming
//! it after a place (`河南省工伤保险条例`) or inside a longer subject
//! (`最高人民法院关于审理工伤保险行政案件若干问题的规定`): the first is the law on the topic,
//! the others apply or mention it.
//!
//! Reads the title positions of the first token of each part, which the title phrase
//! matches read anyway, and two fast fields of the title's size.

use std::collections::HashSet;

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::{every_read, SearchIndex};
use crate::query::ParsedQuery;

/// At most this many of a ranking's first documents are looked at: the rest keep their
/// order.
pub(super) const MAX_HEAD_CHECKS: usize = 100;

impl SearchIndex {
    /// The documents of `ranked` whose title begins (after a leading `中华人民共和国`) with
    /// the first token of one of the parts of one of `queries`.
    fn headed_titles(
        &self,
        searcher: &Searcher,
        queries: &[&ParsedQuery],
        ranked: &[DocAddress],
    ) -> tantivy::Result<HashSet<DocAddress>> {
        let mut heads: Vec<&str> = Vec::new();
        for query in queries {
            for part in &query.parts {
                if let Some(first) = part.shape().tokens.first() {
                    if !heads.contains(&first.as_str()) {
                        heads.push(first.as_str());
                    }
                }
            }
        }
        let mut headed = HashSet::new();
        let field = self.fields.title;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let docs: Vec<u32> = {
                let mut docs: Vec<u32> = ranked
                    .iter()
                    .filter(|address| address.segment_ord as usize == ord)
                    .map(|address| address.doc_id)
                    .collect();
                docs.sort_unstable();
                docs.dedup();
                docs
            };
            if docs.is_empty() {
                continue;
            }
            let fast = segment.fast_fields();
            let tokens = fast.u64("title_tokens")?.first_or_default_col(0);
            let core = fast.u64("title_core_tokens")?.first_or_default_col(0);
            let index = segment.inverted_index(field)?;
            let postings = every_read(heads.iter().map(|head| {
                index
                    .read_postings(
                        &Term::from_field_text(field, head),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                    .map_err(tantivy::TantivyError::from)
            }))?;
            let mut positions = Vec::new();
            for mut list in postings.into_iter().flatten() {
                for &doc in &docs {
                    let at = match list.doc() {
                        current if current >= doc => current,
                        _ => list.seek(doc),
                    };
                    if at != doc {
                        continue;
                    }
                    let offset = tokens.get_val(doc).saturating_sub(core.get_val(doc));
                    positions.clear();
                    list.positions(&mut positions);
                    if positions.iter().any(|&p| u64::from(p) == offset) {
                        headed.insert(DocAddress::new(ord as u32, doc));
                    }
                }
            }
        }
        Ok(headed)
    }

    /// `ranked` with the documents whose title names a part of `queries` at its head
    /// moved before the others, each group in its order; only the first
    /// [`MAX_HEAD_CHECKS`] are looked at.
    pub(super) fn head_first(
        &self,
        searcher: &Searcher,
        queries: &[&ParsedQuery],
        ranked: Vec<DocAddress>,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let checked = ranked.len().min(MAX_HEAD_CHECKS);
        let headed = self.headed_titles(searcher, queries, &ranked[..checked])?;
        if headed.is_empty() {
            return Ok(ranked);
        }
        let (mut first, others): (Vec<DocAddress>, Vec<DocAddress>) = ranked[..checked]
            .iter()
            .partition(|address| headed.contains(address));
        first.extend(others);
        first.extend_from_slice(&ranked[checked..]);
        Ok(first)
    }
}

/// A question's matches anywhere are taken this many pages deep before the titles naming
/// its topic at their head are moved first.
pub(super) const WIDER: usize = 3;
