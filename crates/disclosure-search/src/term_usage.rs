//! How the indexed documents use the synonym list's terms, to order each group's terms
//! the laws' own wording first: a query's synonyms are tried in a group's order, and the
//! ranking scores a question's topic by its first few tokens only
//! (`engine::topic::MAX_TOPIC_TOKENS`), so the term a law is written in must not wait
//! behind citizens' longer phrasings (`电子签名` of `网上签字`, not `手机上签的合同`).
//! Building only.

use aho_corasick::{AhoCorasick, BuildError, MatchKind};
use disclosure_core::text::fold;

/// Counts, for each term of the synonym groups, the titles and the bodies that hold it.
/// The default counts no terms.
#[derive(Default)]
pub struct TermUsage {
    /// Every distinct term, as the automaton's pattern ids number them.
    terms: Vec<String>,
    /// The automaton finding every term, overlapping ones included; `None` without terms.
    finder: Option<AhoCorasick>,
    /// Per term: how many titles, how many bodies hold it.
    counts: Vec<(u32, u32)>,
}

impl TermUsage {
    /// A counter for the terms of `groups` (folded, as [`crate::synonyms::parse_synonyms`]
    /// gives them). Fails only when the automaton would exceed the crate's limits on
    /// patterns or states, which a list of checked lines (at most 32 terms of 40
    /// characters a group) reaches only with millions of terms.
    pub fn new(groups: &[Vec<String>]) -> Result<TermUsage, BuildError> {
        let mut terms: Vec<String> = groups.iter().flatten().cloned().collect();
        terms.sort_unstable();
        terms.dedup();
        if terms.is_empty() {
            return Ok(TermUsage::default());
        }
        // Standard matching finds overlapping matches too (`社保` inside `社保卡`).
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&terms)?;
        let counts = vec![(0, 0); terms.len()];
        Ok(TermUsage {
            terms,
            finder: Some(finder),
            counts,
        })
    }

    /// Counts the terms one document's `title` and `body` hold (each at most once a text).
    pub fn add(&mut self, title: &str, body: &str) {
        let Some(finder) = &self.finder else {
            return;
        };
        let mut seen = vec![false; self.terms.len()];
        for (text, in_title) in [(fold(title), true), (fold(body), false)] {
            seen.iter_mut().for_each(|seen| *seen = false);
            for found in finder.find_overlapping_iter(&text) {
                let id = found.pattern().as_usize();
                if !std::mem::replace(&mut seen[id], true) {
                    let (titles, bodies) = &mut self.counts[id];
                    match in_title {
                        true => *titles += 1,
                        false => *bodies += 1,
                    }
                }
            }
        }
    }

    /// `groups` with each group's terms ordered as the documents use them: the most titles
    /// holding it first, then the most bodies, then the longest (on a tie, the list's
    /// order). A term inside another of its group counts wherever that one stands, so it
    /// comes first (`处方` before `处方药`): the shorter word of the laws is the wider one.
    /// On the training draws this put 2 more questions of 995 in the top 10 and 4 more
    /// first, and 4 more everyday words of 548 first, than the longest first alone.
    pub fn order(&self, mut groups: Vec<Vec<String>>) -> Vec<Vec<String>> {
        for group in &mut groups {
            crate::order::sort_by_key(group, |term| {
                let (titles, bodies) = self.usage(term);
                (
                    std::cmp::Reverse(titles),
                    std::cmp::Reverse(bodies),
                    std::cmp::Reverse(term.chars().count()),
                )
            });
        }
        groups
    }

    /// How many titles and bodies hold `term`; none for a term not of the groups.
    fn usage(&self, term: &str) -> (u32, u32) {
        self.terms
            .binary_search_by(|known| known.as_str().cmp(term))
            .map_or((0, 0), |at| self.counts[at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|line| line.split(' ').map(String::from).collect())
            .collect()
    }

    #[test]
    fn the_terms_the_documents_use_come_first() {
        let mut usage = TermUsage::new(&groups(
            "手机上签的合同 网上签字 电子签名 数据电文\n医保 医疗保险",
        ))
        .unwrap();
        usage.add("中华人民共和国电子签名法", "电子签名 数据电文 数据电文");
        usage.add("某规定", "数据电文");
        usage.add("医疗保障办法", "醫療保險");
        let ordered = usage.order(groups(
            "手机上签的合同 网上签字 电子签名 数据电文\n医保 医疗保险",
        ));
        // In a title first, then in more bodies; the unused longest first. Folded: the
        // traditional body counts.
        assert_eq!(
            ordered[0],
            ["电子签名", "数据电文", "手机上签的合同", "网上签字"]
        );
        assert_eq!(ordered[1], ["医疗保险", "医保"]);
    }

    #[test]
    fn no_terms_no_counts() {
        let mut usage = TermUsage::new(&[]).unwrap();
        usage.add("标题", "正文");
        assert!(usage.order(Vec::new()).is_empty());
    }
}
