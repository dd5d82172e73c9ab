//! Versions of one law on a page of results: the one in force and newest first.
//!
//! The corpus keeps each version of an amended law as its own document under the same
//! title (the 会计法 of 2017, marked 已修改, and that of 2024). The ranking scores them
//! nearly alike but not the same — their bodies differ by the amendment — so the older
//! one came first as often as not (`做假账`, `网吧`), and a citizen read the superseded
//! text. Versions are told by their title, compared folded
//! ([`disclosure_core::text::fold`]) as the index compares text, and their issuer: two
//! departments' notices of one generic title are not versions of each other, but a law
//! its Standing Committee amended is ([`disclosure_core::issuer::one_enactor`]).

use std::cmp::Reverse;

use tantivy::Searcher;
use time::Date;

use super::{stored_text, Page, Ranking, SearchIndex};
use crate::validity::{Force, ForceOnDay};

impl SearchIndex {
    /// Reorders `page` (ranked by relevance) so that among hits with the same title and
    /// issuer the one in force on `today` comes first, as the title tiers rank equal
    /// titles, then the newest (`published`: the builder writes a parsed date as
    /// `YYYY-MM-DD`, whose text sorts as the days do; a version without a date counts as
    /// the oldest): the first takes the first of the places they hold, and so on; every
    /// other hit keeps its place. Exact matches and partial ones are reordered apart, so no
    /// hit changes its kind. Within the page read only: an older version on this page and
    /// a newer one on the next stay so. The force columns are fast fields, which the
    /// pack's head holds; fails only as reading them does.
    pub(super) fn newest_versions_first(
        &self,
        searcher: &Searcher,
        ranking: &Ranking,
        today: Option<Date>,
        page: &mut Page,
    ) -> tantivy::Result<()> {
        // Which hits are versions of one another: kind, folded title, issuer.
        let keys: Vec<VersionKey> = page
            .ranks
            .iter()
            .zip(&page.documents)
            .map(|(rank, document)| {
                let title =
                    stored_text(document, self.fields.title).map(disclosure_core::text::fold);
                let issuer = stored_text(document, self.fields.department);
                (*rank < ranking.exact_count, title, issuer)
            })
            .collect();
        // Each segment's force columns, opened once.
        let forces: Vec<Option<ForceOnDay>> = (0..searcher.segment_readers().len())
            .map(|ordinal| {
                let columns = self.columns.at(ordinal as u32);
                columns.and_then(|columns| columns.force_on(today))
            })
            .collect();
        let precedence: Vec<(Force, Option<&str>)> = page
            .ranks
            .iter()
            .zip(&page.documents)
            .map(|(rank, document)| {
                let address = ranking.ranked[*rank];
                let force = forces
                    .get(address.segment_ord as usize)
                    .and_then(Option::as_ref)
                    .map_or(Force::Unknown, |columns| columns.force(address.doc_id));
                (force, stored_text(document, self.fields.published))
            })
            .collect();
        // order[place] = the hit that goes there.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        let mut done = vec![false; keys.len()];
        for first in 0..keys.len() {
            if done[first] || keys[first].1.is_none() {
                continue;
            }
            let places: Vec<usize> = (first..keys.len())
                // Not transitive (a record without an issuer is a version of two bodies'
                // documents): a hit placed once stays placed.
                .filter(|&at| !done[at] && versions_of_one_another(&keys[first], &keys[at]))
                .collect();
            let mut preferred = places.clone();
            // Stable: versions alike keep the ranking's order.
            crate::order::sort_by_key(&mut preferred, |&hit| Reverse(&precedence[hit]));
            for (place, hit) in places.into_iter().zip(preferred) {
                order[place] = hit;
                done[place] = true;
            }
        }
        // A hit keeps its own rank (its kind) wherever it goes.
        crate::order::apply(&mut page.ranks, order.clone());
        crate::order::apply(&mut page.documents, order.clone());
        crate::order::apply(&mut page.snippets, order);
        Ok(())
    }
}

/// What tells a hit's versions on a page: whether it is an exact match, its folded title
/// (`None` when stored without one: no versions), its issuer.
type VersionKey<'a> = (bool, Option<String>, Option<&'a str>);

/// Whether hits keyed `a` and `b` are versions of one law: both exact or both partial, one
/// title, issued by one enactor ([`disclosure_core::issuer::one_enactor`]: the same body, a
/// people's congress and its standing committee, or a record without an issuer).
fn versions_of_one_another(a: &VersionKey, b: &VersionKey) -> bool {
    a.0 == b.0 && a.1.is_some() && a.1 == b.1 && disclosure_core::issuer::one_enactor(a.2, b.2)
}
