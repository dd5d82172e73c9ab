//! Versions of one law on a page of results: the newest first.
//!
//! The corpus keeps each version of an amended law as its own document under the same
//! title (the 会计法 of 2017, marked 已修改, and that of 2024). The ranking scores them
//! nearly alike but not the same — their bodies differ by the amendment — so the older
//! one came first as often as not (`做假账`, `网吧`), and a citizen read the superseded
//! text. Versions are told by their title alone, compared folded
//! ([`disclosure_core::text::fold`]) as the index compares text.

use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::{Page, SearchIndex};

impl SearchIndex {
    /// Reorders `page` (ranked by relevance) so that among hits with the same title the
    /// newest (`published`: the builder writes a parsed date as `YYYY-MM-DD`, whose text
    /// sorts as the days do; a version without a date counts as the oldest)
    /// takes the first of the places they hold, the next newest the second, and so on;
    /// every other hit keeps its place. Exact matches (ranks below `exact_count`) and
    /// partial ones are reordered apart, so no hit changes its kind. Within the page read
    /// only: an older version on this page and a newer one on the next stay so.
    pub(super) fn newest_versions_first(&self, exact_count: usize, page: &mut Page) {
        let text = |document: &TantivyDocument, field| {
            document
                .get_first(field)
                .and_then(|value| value.as_str())
                .map(str::to_string)
        };
        let keys: Vec<(bool, Option<String>)> = page
            .ranks
            .iter()
            .zip(&page.documents)
            .map(|(rank, document)| {
                let title =
                    text(document, self.fields.title).map(|t| disclosure_core::text::fold(&t));
                (*rank < exact_count, title)
            })
            .collect();
        let published: Vec<Option<String>> = page
            .documents
            .iter()
            .map(|document| text(document, self.fields.published))
            .collect();
        // order[place] = the hit that goes there.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        let mut done = vec![false; keys.len()];
        for first in 0..keys.len() {
            if done[first] || keys[first].1.is_none() {
                continue;
            }
            let places: Vec<usize> = (first..keys.len())
                .filter(|&at| keys[at] == keys[first])
                .collect();
            let mut newest = places.clone();
            // Stable: versions of one day keep the ranking's order.
            newest.sort_by(|a, b| published[*b].cmp(&published[*a]));
            for (place, hit) in places.iter().zip(newest) {
                order[*place] = hit;
                done[*place] = true;
            }
        }
        if order.iter().enumerate().all(|(place, hit)| place == *hit) {
            return;
        }
        // A hit keeps its own rank (its kind) wherever it goes.
        let mut documents: Vec<Option<TantivyDocument>> = std::mem::take(&mut page.documents)
            .into_iter()
            .map(Some)
            .collect();
        let mut snippets: Vec<Option<String>> = std::mem::take(&mut page.snippets)
            .into_iter()
            .map(Some)
            .collect();
        page.ranks = order.iter().map(|&hit| page.ranks[hit]).collect();
        page.documents = order
            .iter()
            .filter_map(|&hit| documents[hit].take())
            .collect();
        page.snippets = order
            .iter()
            .filter_map(|&hit| snippets[hit].take())
            .collect();
    }
}
