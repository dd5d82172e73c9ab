//! The fast-field columns the rankings, the facets and the versions read per document,
//! opened once per segment when the index opens. Why: tantivy opens a column by looking its
//! name up in the segment's column directory (an sstable) and reading its header, and the
//! tiers, their collectors and the facets did so again and again, a few dozen times a
//! query — about 1 ms of a held query in the browser. The columns lie in the pack's head
//! (`SearchIndex::read_hot_parts` reads them all), so opening them with the index costs a
//! range reader no round.

use std::sync::Arc;

use tantivy::columnar::{Column, ColumnValues, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

use crate::validity::{ForceOnDay, ForceSpans};

/// A column of one value per document, read with [`ColumnValues::get_val`].
pub(crate) type Values = Arc<dyn ColumnValues<u64>>;

/// One segment's columns.
pub(crate) struct SegmentColumns {
    /// Tokens of the title (`title_tokens`), 0 where unset.
    pub title_tokens: Values,
    /// Tokens of the title past the national prefix and the kind (`title_core_tokens`).
    pub title_core_tokens: Values,
    /// Characters of the title (`title_char_count`).
    pub title_char_count: Values,
    /// How widely the document binds, in thousandths (`authority`,
    /// [`disclosure_core::authority`]; a local rule's weight where unset); `None` in packs
    /// built before it.
    pub authority: Option<Values>,
    /// Year of publication (`year`).
    pub year: Option<Column<u64>>,
    /// Day of publication (`day`, days since 1970-01-01).
    pub day: Option<Column<i64>>,
    pub category: Option<StrColumn>,
    pub department: Option<StrColumn>,
    /// Slots of the document's body chunks in the bodies file (`body_stride`,
    /// `body_chunk_count`, [`crate::bodies`]).
    body_stride: Option<Column<u64>>,
    body_chunk_count: Option<Column<u64>>,
    /// Each document's span in force; `None` when the index has no validity columns.
    force: Option<Arc<ForceSpans>>,
}

impl SegmentColumns {
    /// Opens `segment`'s columns. Fails when a title-size column is missing (every pack of
    /// this format has them) or a range reader has not fetched the head.
    fn open(segment: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let fast = segment.fast_fields();
        Ok(SegmentColumns {
            title_tokens: fast.u64("title_tokens")?.first_or_default_col(0),
            title_core_tokens: fast.u64("title_core_tokens")?.first_or_default_col(0),
            title_char_count: fast.u64("title_char_count")?.first_or_default_col(0),
            authority: fast
                .column_opt::<u64>("authority")?
                .map(|column| column.first_or_default_col(disclosure_core::authority::LOCAL)),
            year: fast.column_opt("year")?,
            day: fast.column_opt("day")?,
            category: fast.str("category")?,
            department: fast.str("department")?,
            body_stride: fast.column_opt("body_stride")?,
            body_chunk_count: fast.column_opt("body_chunk_count")?,
            force: ForceSpans::read(segment)?.map(Arc::new),
        })
    }

    /// `doc`'s body slot size and chunk count ([`crate::bodies::BodySlots`]), 0 where unset.
    pub fn body_slot(&self, doc: tantivy::DocId) -> (u64, u64) {
        let value = |column: &Option<Column<u64>>| {
            column
                .as_ref()
                .and_then(|column| column.first(doc))
                .unwrap_or(0)
        };
        (value(&self.body_stride), value(&self.body_chunk_count))
    }

    /// The documents' force on `today`; `None` without a day or validity columns.
    pub fn force_on(&self, today: Option<time::Date>) -> Option<ForceOnDay> {
        ForceSpans::on(self.force.as_ref()?, today)
    }
}

/// Every segment's columns, cheap to clone into a collector; none by default.
#[derive(Clone, Default)]
pub(crate) struct Columns {
    segments: Arc<[(SegmentId, SegmentColumns)]>,
}

impl Columns {
    /// Opens the columns of each of `searcher`'s segments.
    pub fn open(searcher: &Searcher) -> tantivy::Result<Columns> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| Ok((segment.segment_id(), SegmentColumns::open(segment)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Columns {
            segments: segments.into(),
        })
    }

    /// The columns of `segment`; `None` for a segment the index did not hold when opened
    /// (its reader is never reloaded, so none in practice).
    pub fn of(&self, segment: &SegmentReader) -> Option<&SegmentColumns> {
        let id = segment.segment_id();
        self.segments
            .iter()
            .find(|(of, _)| *of == id)
            .map(|(_, columns)| columns)
    }

    /// The columns of the segment at `ordinal` in the searcher they were opened from.
    pub fn at(&self, ordinal: u32) -> Option<&SegmentColumns> {
        self.segments
            .get(ordinal as usize)
            .map(|(_, columns)| columns)
    }
}
