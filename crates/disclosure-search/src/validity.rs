//! Validity in the search: whether a document is in force on the day asked, read from the
//! `force_from`/`force_to` fast fields the builder wrote from the document's validity
//! record ([`disclosure_core::validity::ForceSpan`]). The filter 只看现行有效, its counts
//! and the ranking's preference for documents in force all read it here; the status shown
//! on a hit is computed by the core from the record itself.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tantivy::columnar::Column;
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

/// The two force columns of one segment, with the day asked about.
pub struct ForceColumns {
    from: Column<i64>,
    to: Column<i64>,
    day: i64,
}

impl ForceColumns {
    /// The columns of `segment` for `today`; `None` when no day is asked or the index has
    /// no validity records. Fails when a range reader has not fetched the columns yet.
    pub fn open(segment: &SegmentReader, today: Option<Date>) -> tantivy::Result<Option<Self>> {
        let Some(today) = today else {
            return Ok(None);
        };
        let fast = segment.fast_fields();
        Ok(Some(ForceColumns {
            from: fast.i64("force_from")?,
            to: fast.i64("force_to")?,
            day: epoch_day(today),
        }))
    }

    /// The document's force on the day.
    pub fn force(&self, doc: DocId) -> Force {
        match (self.from.first(doc), self.to.first(doc)) {
            (Some(from), Some(to)) if from <= self.day && self.day <= to => Force::InForce,
            (Some(_), Some(_)) => Force::NotInForce,
            _ => Force::Unknown,
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
