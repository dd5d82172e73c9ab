//! The index schema: which document fields are indexed, stored and kept as fast fields.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::tokenizer::{CHARACTER_TOKENIZER_NAME, TITLE_TOKENIZER_NAME, TOKENIZER_NAME};

/// The fields of the index, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// The title's bigrams and words, each word also by its beginnings and ends
    /// ([`crate::tokenizer::word_affixes`]), with positions.
    pub title: Field,
    /// The title's single characters, for partial matching of mistyped titles.
    pub title_chars: Field,
    /// The title's single characters again, with positions: a short name (`个税法`) is
    /// found in the title holding its characters in order, close together
    /// (`个人所得税法`). Not read by other queries, so their bytes do not grow.
    pub title_char_positions: Field,
    /// The body, indexed but not stored: its text is in the bodies file ([`crate::bodies`]).
    /// Each pair of neighbouring title characters as read in pinyin (`she_hui`; every
    /// reading of a heteronym, at the pair's position), written by the builder with a
    /// pinyin crate: Latin queries only ([`crate::latin`]).
    pub title_pinyin: Field,
    /// The same pairs as initials (`sh`).
    pub title_initials: Field,
    pub body: Field,
    /// Where the body's deflated chunks lie in the pack's bodies file, fast fields
    /// ([`BodySlots`](crate::bodies::BodySlots)): the slot size and the count, both in the
    /// head; the first slot's offset is the sum of the slots of the documents before it
    /// ([`crate::bodies::slot_starts`]). A snippet reads one or two slots, not the whole
    /// body.
    pub body_stride: Field,
    pub body_chunk_count: Field,
    pub doc_number: Field,
    /// The canonical key of the document number ([`disclosure_core::DocNumber::key`],
    /// `宁政发〔2019〕3号`, `国务院令第656号`), one raw term, indexed only: a query that parses as
    /// a number finds the documents bearing it whatever the spelling typed.
    pub doc_key: Field,
    pub url: Field,
    pub category: Field,
    pub department: Field,
    /// The place the document binds in, by its full name (`广东省`,
    /// [`disclosure_core::place::Place::of_document`]), after that of the province that
    /// approved it (`浙江省/宁波市`, [`disclosure_core::place::column_value`]); a fast
    /// string column the head holds.
    /// `None` in packs built before it (a query naming a place then ranks as any other).
    pub place: Option<Field>,
    pub published: Field,
    pub interpretation_url: Field,
    /// The document's validity record ([`disclosure_core::lookup::LookupEntry`] as JSON),
    /// when the build was given the validity file: the page computes the status for the
    /// day from it ([`disclosure_core::validity`]), never from a stored word.
    pub validity: Field,
    /// The first and last day (days since 1970-01-01, [`epoch_day`]) of the document's
    /// last span in force ([`disclosure_core::validity::ForceSpan`]), [`NO_END`] when it
    /// has no end; a document never in force has `force_from` [`NO_END`] and `force_to` 0;
    /// a document without a validity record has neither. Read by the filter 只看现行有效,
    /// its counts and the ranking's preference for documents in force.
    pub force_from: Field,
    pub force_to: Field,
    /// Publication year, indexed for the year filter.
    pub year: Field,
    /// Days since 1970-01-01 of the publication (0 when unknown), for "newest first".
    pub day: Field,
    /// Number of tokens of the title ([`crate::tokenizer::tokenize`]'s, without word
    /// affixes): the ranking compares it with the query's, so a title equal to the query
    /// outranks longer titles that merely contain it, without reading the document store.
    pub title_tokens: Field,
    /// Number of tokens of the title without a leading `中华人民共和国`
    /// ([`core_token_count`](crate::tokenizer::core_token_count)): what tier 1 compares with
    /// the query's own.
    pub title_core_tokens: Field,
    /// Number of distinct [`characters`](crate::tokenizer::characters) of the title.
    pub title_char_count: Field,
    /// How widely the document binds, in thousandths
    /// ([`disclosure_core::authority::weight_per_mille`] of its category): the topic ranking
    /// of questions and everyday words multiplies relevance by it.
    pub authority: Field,
}

impl Fields {
    /// The schema every index of the project has.
    pub fn schema() -> Schema {
        let indexed_text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let text = indexed_text.clone().set_stored();
        let mut builder = Schema::builder();
        builder.add_text_field("id", STRING | STORED);
        // A title's words also by their beginnings and ends (`tokenizer::word_affixes`).
        let title = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TITLE_TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        builder.add_text_field("title", title);
        builder.add_text_field(
            "title_chars",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(CHARACTER_TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        );
        // Pre-tokenized by the builder; the tokenizer named here is never run on them.
        builder.add_text_field("title_pinyin", indexed_text.clone());
        builder.add_text_field("title_initials", indexed_text.clone());
        builder.add_text_field(
            "title_char_positions",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(CHARACTER_TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        builder.add_text_field("body", indexed_text.clone());
        // Where the body's chunks lie in the bodies file: fast, so the head holds them.
        builder.add_u64_field("body_stride", FAST);
        builder.add_u64_field("body_chunk_count", FAST);
        builder.add_text_field("doc_number", text);
        builder.add_text_field("doc_key", STRING);
        builder.add_text_field("url", STORED);
        builder.add_text_field("category", STRING | STORED | FAST);
        builder.add_text_field("department", STRING | STORED | FAST);
        builder.add_text_field("place", STRING | FAST);
        builder.add_text_field("published", STORED);
        builder.add_text_field("interpretation_url", STORED);
        builder.add_text_field("validity", STORED);
        builder.add_i64_field("force_from", FAST);
        builder.add_i64_field("force_to", FAST);
        builder.add_u64_field("year", INDEXED | FAST);
        builder.add_i64_field("day", FAST);
        builder.add_u64_field("title_tokens", FAST);
        builder.add_u64_field("title_char_count", FAST);
        builder.add_u64_field("title_core_tokens", FAST);
        builder.add_u64_field("authority", FAST);
        builder.build()
    }

    /// Looks the fields up in `schema`; fails for an index written with another schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: get("id")?,
            title: get("title")?,
            title_chars: get("title_chars")?,
            title_char_positions: get("title_char_positions")?,
            title_pinyin: get("title_pinyin")?,
            title_initials: get("title_initials")?,
            body: get("body")?,
            body_stride: get("body_stride")?,
            body_chunk_count: get("body_chunk_count")?,
            doc_number: get("doc_number")?,
            doc_key: get("doc_key")?,
            url: get("url")?,
            category: get("category")?,
            department: get("department")?,
            place: get("place").ok(),
            published: get("published")?,
            interpretation_url: get("interpretation_url")?,
            validity: get("validity")?,
            force_from: get("force_from")?,
            force_to: get("force_to")?,
            year: get("year")?,
            day: get("day")?,
            title_tokens: get("title_tokens")?,
            title_char_count: get("title_char_count")?,
            title_core_tokens: get("title_core_tokens")?,
            authority: get("authority")?,
        })
    }
}

/// `force_to` of a document in force with no end in view (the year 2517): a round day
/// rather than `i64::MAX`, so the column packs in 18 bits a document.
pub const NO_END: i64 = 200_000;

/// Days since 1970-01-01 (negative before), the unit of the `day`, `force_from` and
/// `force_to` fast fields.
pub fn epoch_day(date: time::Date) -> i64 {
    let epoch =
        time::Date::from_calendar_date(1970, time::Month::January, 1).expect("1970-01-01 exists");
    (date - epoch).whole_days()
}
