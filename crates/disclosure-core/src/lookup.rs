//! The validity lookup: finding a document by its number or by words of its title, and
//! its versions, in the compact records the widget downloads. Shared by the widget and by
//! the index builder's evaluation, so both answer alike.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::docnum::{Citation, DocNumber, DocNumberError};
use crate::validity::{Change, ChangeKind, Status, Term, ValidityRecord};

/// One document of the lookup file. Short field names keep the file small for phones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupEntry {
    #[serde(rename = "i")]
    pub id: String,
    #[serde(rename = "t")]
    pub title: String,
    /// The number as the document writes it.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// [`DocNumber::key`] of `number`.
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// 制定机关.
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// 施行日期; empty for a law whose source states no date (it is then taken as in
    /// force since ever, unless a change says otherwise).
    #[serde(rename = "e", default, skip_serializing_if = "String::is_empty")]
    pub effective: String,
    /// 有效期至, when stated.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Whether the default term of a normative document applies.
    #[serde(
        rename = "m",
        default = "normative",
        skip_serializing_if = "is_normative"
    )]
    pub term: Term,
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<LookupChange>,
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The 解读.
    #[serde(rename = "j", default, skip_serializing_if = "Option::is_none")]
    pub interpretation_url: Option<String>,
}

fn normative() -> Term {
    Term::Normative
}

fn is_normative(term: &Term) -> bool {
    *term == Term::Normative
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupChange {
    #[serde(rename = "k")]
    pub kind: ChangeKind,
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub by_number: Option<String>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub by_title: Option<String>,
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

fn date(text: &str) -> Option<Date> {
    crate::parse_date(text).ok()
}

impl LookupEntry {
    /// The record whose status the core computes; dates that do not parse count as absent
    /// (the builder refuses such entries, so this only guards a hand-edited file).
    pub fn record(&self) -> ValidityRecord {
        let effective = date(&self.effective)
            .or_else(|| self.published.as_deref().and_then(date))
            .unwrap_or(Date::MIN);
        ValidityRecord {
            title: self.title.clone(),
            effective,
            until: self.until.as_deref().and_then(date),
            term: self.term,
            changes: self
                .changes
                .iter()
                .map(|change| Change {
                    kind: change.kind,
                    by_number: change.by_number.clone(),
                    by_title: change.by_title.clone(),
                    on: change.on.as_deref().and_then(date),
                })
                .collect(),
        }
    }

    pub fn status_on(&self, day: Date) -> Status {
        self.record().status_on(day)
    }
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum LookupOutcome<'a> {
    /// Nothing typed yet.
    Empty,
    /// Documents with the number typed, in force first, then newest.
    ByNumber {
        number: DocNumber,
        found: Vec<&'a LookupEntry>,
    },
    /// Documents whose title holds the words typed, grouped with the other versions of
    /// the same title, in force first.
    ByTitle { found: Vec<&'a LookupEntry> },
    /// The text looks like neither a number nor words of any title.
    NotADocNumber(DocNumberError),
}

/// At most this many documents are listed for words of a title.
pub const MAX_TITLE_MATCHES: usize = 50;

/// Finds `query` among `entries`, judging status on `today`.
pub fn lookup<'a>(entries: &'a [LookupEntry], query: &str, today: Date) -> LookupOutcome<'a> {
    let trimmed = query.trim();
    if trimmed.is_empty() {
        return LookupOutcome::Empty;
    }
    // A citation pasted whole (`《title》（number）`, `number《title》`) is looked up by its
    // number, or by its title when it has none (`《title》`).
    let citation = Citation::parse(trimmed);
    let parsed = DocNumber::parse(trimmed).or_else(|error| {
        citation
            .as_ref()
            .and_then(|c| c.number.clone())
            .ok_or(error)
    });
    let trimmed = citation
        .as_ref()
        .and_then(|c| c.title.as_deref())
        .unwrap_or(trimmed);
    match parsed {
        Ok(number) => {
            let key = number.key();
            let mut found: Vec<&LookupEntry> = entries
                .iter()
                .filter(|e| e.key.as_deref() == Some(key.as_str()))
                .collect();
            order_versions(&mut found, today);
            LookupOutcome::ByNumber { number, found }
        }
        Err(error) => {
            let words: Vec<String> = fold(trimmed)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let mut found: Vec<&LookupEntry> = entries
                .iter()
                .filter(|entry| {
                    let title = fold(&entry.title);
                    !words.is_empty() && words.iter().all(|word| title.contains(word.as_str()))
                })
                .collect();
            // Other versions of a found title belong with it.
            let titles: Vec<String> = found.iter().map(|e| e.title.clone()).collect();
            for entry in entries {
                if titles.contains(&entry.title) && !found.iter().any(|f| f.id == entry.id) {
                    found.push(entry);
                }
            }
            if found.is_empty()
                && matches!(
                    error,
                    DocNumberError::TooLong | DocNumberError::SerialTooLong
                )
            {
                return LookupOutcome::NotADocNumber(error);
            }
            order_versions(&mut found, today);
            found.truncate(MAX_TITLE_MATCHES);
            if found.is_empty() && looks_like_a_number(trimmed) {
                return LookupOutcome::NotADocNumber(error);
            }
            LookupOutcome::ByTitle { found }
        }
    }
}

/// Text with digits or brackets that failed to parse was meant as a number.
fn looks_like_a_number(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_digit() || "〔〕[]()（）【】０１２３４５６７８９".contains(c))
}

/// Titles and typed words compare through the project's one folding.
fn fold(text: &str) -> String {
    crate::text::fold(text)
}

/// Title groups together; within and across them, in force first, then the newest.
fn order_versions(found: &mut [&LookupEntry], today: Date) {
    found.sort_by(|a, b| {
        let rank = |e: &LookupEntry| !e.status_on(today).in_force();
        let newest = |e: &LookupEntry| std::cmp::Reverse(e.record().effective);
        (rank(a), newest(a), &a.title).cmp(&(rank(b), newest(b), &b.title))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn entry(id: &str, title: &str, number: &str, effective: &str) -> LookupEntry {
        LookupEntry {
            id: id.into(),
            title: title.into(),
            number: Some(number.into()),
            key: DocNumber::parse(number).ok().map(|n| n.key()),
            issuer: Some("宁乡市人民政府".into()),
            published: Some(effective.into()),
            effective: effective.into(),
            until: None,
            term: Term::Normative,
            changes: vec![],
            url: None,
            interpretation_url: None,
        }
    }

    fn entries() -> Vec<LookupEntry> {
        let mut old = entry(
            "rent-2020",
            "宁乡市公共租赁住房管理办法（暂行）",
            "宁住建发〔2020〕5号",
            "2020-03-20",
        );
        old.changes = vec![LookupChange {
            kind: ChangeKind::Repealed,
            by_number: Some("宁住建发〔2022〕9号".into()),
            by_title: Some("宁乡市公共租赁住房管理办法".into()),
            on: Some("2022-06-10".into()),
        }];
        vec![
            entry(
                "norm-2019",
                "宁乡市人民政府关于进一步加强行政规范性文件管理的通知",
                "宁政发〔2019〕3号",
                "2019-03-22",
            ),
            old,
            entry(
                "rent-2022",
                "宁乡市公共租赁住房管理办法",
                "宁住建发〔2022〕9号",
                "2022-06-10",
            ),
            entry(
                "patent-2010",
                "专利法实施细则",
                "国务院令第306号",
                "2010-02-01",
            ),
            entry(
                "patent-2023",
                "专利法实施细则",
                "国务院令第306号",
                "2024-01-20",
            ),
        ]
    }

    fn ids(outcome: LookupOutcome) -> Vec<String> {
        match outcome {
            LookupOutcome::ByNumber { found, .. } | LookupOutcome::ByTitle { found } => {
                found.into_iter().map(|e| e.id.clone()).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_number_in_any_spelling_finds_its_document() {
        let entries = entries();
        let today = date!(2025 - 01 - 01);
        for typed in [
            "宁政发[2019]3号",
            "宁政发（2019）03号",
            "宁政发2019年第3号文件",
        ] {
            assert_eq!(
                ids(lookup(&entries, typed, today)),
                ["norm-2019"],
                "{typed}"
            );
        }
        assert_eq!(
            lookup(&entries, "宁政发[2019]3号", today).by_status_words(today),
            ["失效"]
        );
    }

    #[test]
    fn numbers_as_people_write_them_and_pasted_citations_find_their_document() {
        let entries = entries();
        let today = date!(2025 - 01 - 01);
        let title = "宁乡市人民政府关于进一步加强行政规范性文件管理的通知";
        for typed in [
            "宁政发〔2019〕3号文".to_string(),
            "宁政发〔2019〕3号文件全文".to_string(),
            format!("《{title}》（宁政发〔2019〕3号）"),
            format!("宁政发[2019]3号《{title}》"),
            format!("《{title}》"),
        ] {
            assert_eq!(
                ids(lookup(&entries, &typed, today)),
                ["norm-2019"],
                "{typed}"
            );
        }
        for typed in ["国务院第306号令", "国务院306号令"] {
            assert_eq!(
                ids(lookup(&entries, typed, today)),
                ["patent-2023", "patent-2010"],
                "{typed}"
            );
        }
        // Only punctuation in 《》, a date, an amount, a phone: no wrong answer.
        for typed in ["《！？》", "2023年4月27日", "20元", "13812345678"] {
            assert!(
                !matches!(
                    lookup(&entries, typed, today),
                    LookupOutcome::ByNumber { .. }
                ),
                "{typed}"
            );
        }
    }

    #[test]
    fn versions_sharing_a_number_list_the_one_in_force_first() {
        let entries = entries();
        assert_eq!(
            ids(lookup(
                &entries,
                "中华人民共和国国务院令306号",
                date!(2025 - 01 - 01)
            )),
            ["patent-2023", "patent-2010"]
        );
    }

    #[test]
    fn words_of_a_title_find_it_with_its_other_versions() {
        let entries = entries();
        let found = ids(lookup(&entries, "公共租赁 住房", date!(2023 - 01 - 01)));
        assert_eq!(found, ["rent-2022", "rent-2020"]);
        assert_eq!(
            ids(lookup(&entries, "不存在的标题", date!(2023 - 01 - 01))),
            Vec::<String>::new()
        );
    }

    #[test]
    fn odd_input_is_answered_not_a_panic() {
        let entries = entries();
        let today = date!(2025 - 01 - 01);
        assert_eq!(lookup(&entries, "  ", today), LookupOutcome::Empty);
        assert!(matches!(
            lookup(&entries, "宁政发〔20l9〕3号", today),
            LookupOutcome::NotADocNumber(_)
        ));
        assert!(matches!(
            lookup(&entries, "宁政发〔2019〕123456789012号", today),
            LookupOutcome::NotADocNumber(_)
        ));
        assert!(matches!(
            lookup(&entries, "〔〕", today),
            LookupOutcome::NotADocNumber(_)
        ));
        assert!(matches!(
            lookup(&entries, &"规".repeat(10_000), today),
            LookupOutcome::NotADocNumber(_)
        ));
        assert_eq!(ids(lookup(&entries, "😀", today)), Vec::<String>::new());
    }

    #[test]
    fn the_file_format_is_compact_and_round_trips() {
        let entries = entries();
        let json = serde_json::to_string(&entries).unwrap();
        assert!(json.contains("\"k\":\"宁政发〔2019〕3号\"") && !json.contains("\"m\""));
        let back: Vec<LookupEntry> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, entries);
    }

    impl LookupOutcome<'_> {
        fn by_status_words(&self, today: Date) -> Vec<&'static str> {
            match self {
                LookupOutcome::ByNumber { found, .. } | LookupOutcome::ByTitle { found } => {
                    found.iter().map(|e| e.status_on(today).word()).collect()
                }
                _ => vec![],
            }
        }
    }
}
