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
    /// Reorders `page` (ranked by relevance) so that among versions of one law (one title,
    /// one enactor: [`version_groups`]) the one in force on `today` comes first, as the
    /// title tiers rank equal titles, then the newest (`published`: the builder writes a
    /// parsed date as `YYYY-MM-DD`, whose text sorts as the days do; a version without a
    /// date counts as the oldest): the first takes the first of the places they hold, and
    /// so on; every other hit keeps its place. Exact matches and partial ones are reordered
    /// apart, so no hit changes its kind. Within the page read only: an older version on
    /// this page and a newer one on the next stay so. The force columns are fast fields,
    /// which the pack's head holds; fails only as reading them does.
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
        for places in version_groups(&keys) {
            let mut preferred = places.clone();
            // Stable: versions alike keep the ranking's order.
            crate::order::sort_by_key(&mut preferred, |&hit| Reverse(&precedence[hit]));
            for (place, hit) in places.into_iter().zip(preferred) {
                order[place] = hit;
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

/// The hits keyed `keys` (in page order) grouped as versions of one law, each group in page
/// order, every hit in one group at most (hits without a title in none): a group starts at
/// the first hit not yet grouped and takes each later one that is a version of every hit
/// already in it ([`versions_of_one_another`]). Every one, not only the first: one enactor
/// is not transitive (a record without an issuer is a version of 教育部's notice and of
/// 财政部's of the same title, which are not versions of each other), and a group joined
/// through it would reorder two departments' documents by date.
fn version_groups(keys: &[VersionKey]) -> Vec<Vec<usize>> {
    let mut grouped = vec![false; keys.len()];
    let mut groups = Vec::new();
    for first in 0..keys.len() {
        if grouped[first] || keys[first].1.is_none() {
            continue;
        }
        let mut group = vec![first];
        for at in first + 1..keys.len() {
            let fits = group
                .iter()
                .all(|&member| versions_of_one_another(&keys[member], &keys[at]));
            if !grouped[at] && fits {
                group.push(at);
            }
        }
        for &member in &group {
            grouped[member] = true;
        }
        groups.push(group);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_versions_of_every_hit_of_their_group() {
        let key = |title: &str, issuer: Option<&'static str>| -> VersionKey<'static> {
            (true, Some(title.to_string()), issuer)
        };
        let keys = [
            key("关于做好招生工作的通知", None),
            key("关于做好招生工作的通知", Some("教育部")),
            key("中华人民共和国慈善法", Some("全国人民代表大会")),
            key("关于做好招生工作的通知", Some("财政部")),
            key("中华人民共和国慈善法", Some("全国人民代表大会常务委员会")),
            (true, None, Some("教育部")),
            (false, Some("中华人民共和国慈善法".to_string()), None),
        ];
        // The record without an issuer joins 教育部's notice; 财政部's stays apart; a partial
        // match is never grouped with exact ones; a hit without a title is in no group.
        assert_eq!(
            version_groups(&keys),
            [vec![0, 1], vec![2, 4], vec![3], vec![6]]
        );
    }
}
