//! The portal's published documents, and the rules a record must meet to become one.

use serde::Deserialize;
use time::Date;

use crate::date::parse_date;

/// A record as it arrives from an official's file, before validation.
///
/// Field names follow the corpus format of `laws.jsonl`; the portal's own fields are
/// optional, and `issuer` and `department` name the same thing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocumentRecord {
    pub id: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub category: Option<String>,
    /// The corpus's kind of law (法律, 行政法规, 部门规章 …); it is the category a citizen
    /// filters by, while the corpus's own `category` is a path such as `部门规章/海关总署`.
    pub level: Option<String>,
    #[serde(alias = "issuer")]
    pub department: Option<String>,
    pub doc_number: Option<String>,
    #[serde(alias = "published")]
    pub date: Option<String>,
    pub body: Option<String>,
    #[serde(alias = "interpretation")]
    pub interpretation_url: Option<String>,
    // A `status` word in the record (the corpus has one) is not read: the status shown is
    // computed for the day from the validity records (`disclosure-index build --validity`).
}

/// A document the portal publishes and the search finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalDocument {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    /// 政策文件, 政策解读, 规范性文件, 通知公告 … an open set.
    pub category: Option<String>,
    /// The issuing department (发文机关).
    pub department: Option<String>,
    /// 文号, as written in the source.
    pub doc_number: Option<String>,
    pub published: Option<Date>,
    pub body: String,
    /// The 解读 published with the document ("三同步").
    pub interpretation_url: Option<String>,
}

/// Why a record cannot be published, in words an operator reads in a build log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    MissingId,
    MissingTitle,
    EmptyBody,
    BadDate(crate::DateError),
    IdTooLong,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::MissingId => write!(f, "missing id"),
            RecordError::MissingTitle => write!(f, "missing title"),
            RecordError::EmptyBody => write!(f, "empty body"),
            RecordError::BadDate(error) => write!(f, "{error}"),
            RecordError::IdTooLong => write!(f, "id longer than {MAX_ID_LEN} characters"),
        }
    }
}

impl std::error::Error for RecordError {}

/// Ids end up in URLs and file names; a longer one is a sign of a broken export.
pub const MAX_ID_LEN: usize = 128;

/// Trims a text field and treats an empty one as absent, so `""` and `"  "` never reach
/// the index as a department or a number.
fn present(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

impl TryFrom<DocumentRecord> for PortalDocument {
    type Error = RecordError;

    fn try_from(record: DocumentRecord) -> Result<Self, RecordError> {
        let id = present(record.id).ok_or(RecordError::MissingId)?;
        if id.chars().count() > MAX_ID_LEN {
            return Err(RecordError::IdTooLong);
        }
        let title = present(record.title).ok_or(RecordError::MissingTitle)?;
        let body = record.body.unwrap_or_default();
        if body.trim().is_empty() {
            return Err(RecordError::EmptyBody);
        }
        let published = present(record.date)
            .map(|text| parse_date(&text))
            .transpose()
            .map_err(RecordError::BadDate)?;
        Ok(PortalDocument {
            id,
            title,
            url: present(record.url),
            category: present(record.level).or(present(record.category)),
            department: present(record.department),
            doc_number: present(record.doc_number),
            published,
            body,
            interpretation_url: present(record.interpretation_url),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> DocumentRecord {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn accepts_a_corpus_line() {
        let document = PortalDocument::try_from(record(
            r#"{"id":"a1","title":" 食品安全法 ","doc_number":null,"issuer":"全国人大常委会",
               "date":"2021-04-29","status":"有效","body":"第一条","level":"法律",
               "category":"法律/法律","source_path":"x.md"}"#,
        ))
        .unwrap();
        assert_eq!(document.title, "食品安全法");
        assert_eq!(document.department.as_deref(), Some("全国人大常委会"));
        assert_eq!(document.category.as_deref(), Some("法律"));
        assert_eq!(document.published.unwrap().year(), 2021);
    }

    #[test]
    fn refuses_what_cannot_be_published() {
        let cases = [
            (r#"{"title":"t","body":"b"}"#, RecordError::MissingId),
            (
                r#"{"id":"1","title":"  ","body":"b"}"#,
                RecordError::MissingTitle,
            ),
            (
                r#"{"id":"1","title":"t","body":" \n"}"#,
                RecordError::EmptyBody,
            ),
            (r#"{"id":"1","title":"t"}"#, RecordError::EmptyBody),
        ];
        for (json, expected) in cases {
            assert_eq!(
                PortalDocument::try_from(record(json)),
                Err(expected),
                "{json}"
            );
        }
        let impossible = PortalDocument::try_from(record(
            r#"{"id":"1","title":"t","body":"b","date":"2023-02-30"}"#,
        ));
        assert!(matches!(impossible, Err(RecordError::BadDate(_))));
        let long_id = format!(r#"{{"id":"{}","title":"t","body":"b"}}"#, "x".repeat(200));
        assert_eq!(
            PortalDocument::try_from(record(&long_id)),
            Err(RecordError::IdTooLong)
        );
    }
}
