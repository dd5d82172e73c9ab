//! What a document's own text says it repeals: the 废止 clause of its final article.
//!
//! A law, regulation or normative document that replaces an older one says so in its last
//! article: `本法自2026年1月1日起施行。《中华人民共和国增值税暂行条例》同时废止。`, or
//! `《X》自本条例施行之日起废止`. The records a portal imports do not always follow: in the
//! corpus, 30 documents marked 有效 are repealed so by a newer one in force (个体工商户条例 by
//! 促进个体工商户发展条例, 学位条例 by 学位法). A citizen asking whether such a document is
//! still in force must hear that it is not, and from what day; the validity lookup reads
//! this clause to say so (`disclosure-index validity`).
//!
//! Only whole documents named in 《》 before `同时废止` or `起废止` in one sentence count:
//! `《X》第十条同时废止` repeals an article, not the document, and a sentence that merely
//! mentions 废止 (`由原发证机关予以废止`) names nothing repealed.

use time::Date;

/// The documents a text says it repeals, and from when.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatedRepeals {
    /// The titles named, as written between 《》 (`中华人民共和国增值税暂行条例`), each
    /// once, in the order of the text.
    pub titles: Vec<String>,
    /// The day the text takes effect, from `自2026年1月1日起施行` in the sentence before the
    /// clause or the clause itself: the day the named documents stop being in force.
    /// `None` when the text states no such day (the repeal then counts from the
    /// repealing document's own effective date).
    pub from: Option<Date>,
}

/// The endings of a sentence that repeals the documents it names before them.
const REPEALING: [&str; 2] = ["同时废止", "起废止"];

/// The clauses of `body` that repeal whole documents ([module](self)); empty when it has
/// none. Total: any text gives an answer.
pub fn stated_repeals(body: &str) -> StatedRepeals {
    let mut repeals = StatedRepeals::default();
    let sentences: Vec<&str> = body.split(['。', '；', '\n']).collect();
    for (at, sentence) in sentences.iter().enumerate() {
        let Some(end) = REPEALING
            .iter()
            .filter_map(|ending| sentence.find(ending))
            .min()
        else {
            continue;
        };
        let named = named_documents(&sentence[..end]);
        if named.is_empty() {
            continue;
        }
        for title in named {
            if !repeals.titles.contains(&title) {
                repeals.titles.push(title);
            }
        }
        if repeals.from.is_none() {
            let before = at.checked_sub(1).and_then(|before| sentences.get(before));
            repeals.from = [Some(sentence), before]
                .into_iter()
                .flatten()
                .find_map(|text| taking_effect(text));
        }
    }
    repeals
}

/// The whole documents named in `text` between 《》: not one followed by an article
/// (`《X》第十条`), which repeals that article only.
fn named_documents(text: &str) -> Vec<String> {
    let mut named = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('《') {
        let after = &rest[open + '《'.len_utf8()..];
        let Some(close) = after.find('》') else {
            break;
        };
        let title = after[..close].trim();
        let next = &after[close + '》'.len_utf8()..];
        if !title.is_empty() && !next.trim_start().starts_with('第') {
            named.push(title.to_string());
        }
        rest = next;
    }
    named
}

/// The day of `自2026年1月1日起施行` in `text`, if it says one.
fn taking_effect(text: &str) -> Option<Date> {
    let start = text.find('自')? + '自'.len_utf8();
    let end = start + text[start..].find("起施行")?;
    crate::parse_date(text[start..end].trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_final_article_names_what_it_repeals_and_from_when() {
        let body =
            "第三十八条 本法自2026年1月1日起施行。《中华人民共和国增值税暂行条例》同时废止。";
        assert_eq!(
            stated_repeals(body),
            StatedRepeals {
                titles: vec!["中华人民共和国增值税暂行条例".into()],
                from: Some(date!(2026 - 01 - 01)),
            }
        );
        // Several, with who published them when, and `起废止`.
        let body = "本条例自2024年5月1日起施行。2007年3月31日国务院公布的《人体器官移植条例》、《器官捐献办法》同时废止。";
        assert_eq!(
            stated_repeals(body).titles,
            ["人体器官移植条例", "器官捐献办法"]
        );
        let body = "本办法自公布之日起施行，《宁乡市农村建房管理办法》自本办法施行之日起废止。";
        let found = stated_repeals(body);
        assert_eq!(found.titles, ["宁乡市农村建房管理办法"]);
        assert_eq!(found.from, None, "no day is stated");
    }

    #[test]
    fn an_article_or_a_mere_mention_is_no_repeal_of_a_document() {
        for body in [
            "《中华人民共和国某法》第十条同时废止。",
            "许可证由原发证机关予以废止。",
            "依照《中华人民共和国行政许可法》的规定办理。",
            "",
            "同时废止",
            "《未闭合同时废止",
        ] {
            assert!(stated_repeals(body).titles.is_empty(), "{body}");
        }
    }
}
