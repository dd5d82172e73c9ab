//! Validity in the search: whether a document is in force on the day asked, read from the
//! `force_from`/`force_to` fast fields the builder wrote from the document's validity
//! record ([`disclosure_core::validity::ForceSpan`]). The filter 只看现行有效, its counts
//! and the ranking's preference for documents in force all read it here; the status shown
//! on a hit is computed by the core from the record itself.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tantivy::{DocId, SegmentReader};
use time::Date;

use crate::schema::epoch_day;

/// What the index knows of a document's force on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Force {
    /// Not in force (not yet, expired or repealed).
    NotInForce,
    /// The document has no validity record (a notice, a report).
    Unknown,
    /// In force (有效, 已修改 or 部分失效).
    InForce,
}

/// Each document's span in force, of one segment: its `force_from` and `force_to` days
/// (days since 1970-01-01, [`epoch_day`]), `None` for a document without a validity record.
/// Read from the columns once, when the index opens ([`crate::engine`]'s column cache),
/// because `force_from`/`force_to` are optional columns: reading one document's value walks
/// the column's index of the documents that have one, and the facets and the rankings did so
/// for every match of every query (about 1.3 ms of a held query in the browser). 24 bytes a
/// document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceSpans {
    spans: Vec<Option<(i64, i64)>>,
}

impl ForceSpans {
    /// The spans of `segment`'s documents; `None` when the index has no force columns.
    /// Fails when a range reader has not fetched the columns (they lie in the pack's head).
    pub fn read(segment: &SegmentReader) -> tantivy::Result<Option<ForceSpans>> {
        let fast = segment.fast_fields();
        let (Some(from), Some(to)) = (
            fast.column_opt::<i64>("force_from")?,
            fast.column_opt::<i64>("force_to")?,
        ) else {
            return Ok(None);
        };
        Ok(Some(ForceSpans {
            spans: (0..segment.max_doc())
                .map(|doc| from.first(doc).zip(to.first(doc)))
                .collect(),
        }))
    }

    /// The force of these documents on `today`; `None` without a day.
    pub fn on(spans: &Arc<ForceSpans>, today: Option<Date>) -> Option<ForceOnDay> {
        Some(ForceOnDay {
            spans: Arc::clone(spans),
            day: epoch_day(today?),
        })
    }
}

/// The documents' force of one segment ([`ForceSpans`]) on one day.
#[derive(Debug, Clone)]
pub struct ForceOnDay {
    spans: Arc<ForceSpans>,
    day: i64,
}

impl ForceOnDay {
    /// The document's force on the day ([`Force::Unknown`] for a document the segment does
    /// not hold).
    pub fn force(&self, doc: DocId) -> Force {
        match self.spans.spans.get(doc as usize).copied().flatten() {
            Some((from, to)) if from <= self.day && self.day <= to => Force::InForce,
            Some(_) => Force::NotInForce,
            None => Force::Unknown,
        }
    }
}

/// `today` of a [`crate::SearchRequest`] as `YYYY-MM-DD` in JSON, the form the page and the
/// worker exchange; an unreadable day is refused by the reader.
pub mod day_serde {
    use super::*;

    pub fn serialize<S: Serializer>(day: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        day.map(|day| day.to_string()).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(deserializer)?;
        text.map(|text| disclosure_core::parse_date(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}
