//! Searching a packed index: ranking in tiers, filters, sorting and hits with highlights.
//!
//! Ranking works in tiers so that exactness always wins over term statistics:
//! 0. when the query reads as a document number ([`DocNumber::parse`], any spelling the
//!    validity lookup accepts), the documents bearing it, newest first;
//! 1. documents whose **title** holds every part of the query, the title closest in length
//!    to the query first (a title equal to the query outranks longer titles containing it);
//! 2. documents holding every part anywhere (title, document number, body): first by which
//!    parts their title holds, earlier parts weighing more, then by BM25, so a document
//!    bearing a title outranks those quoting it;
//! 3. only when the exact tiers find fewer hits than asked for: partial matches, first
//!    titles sharing most of the query's tokens relative to the longer of the two (a title
//!    with one mistyped character still shares all but two bigrams, and has the query's
//!    length), then bodies sharing some, by BM25.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::directory::{Directory, FileSlice};
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::DocSet;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use disclosure_core::lookup::LookupEntry;
use disclosure_core::place::Place;
use disclosure_core::text::fold;
use disclosure_core::DocNumber;

use crate::bodies::{inflate_slots, slot_starts, BodySlots, BODIES_FILE, CHUNK_TOKENS};
use crate::facets::{FacetCollector, Facets};
use crate::highlight::{highlight, snippet, HighlightedText};
use crate::latin::{any_reading, PinyinReading};
use crate::lexicon::{LoadedLexicon, LEXICON_FILE};
use crate::memo::Memo;
use crate::pack::{missing_range, PackError, PackedDirectory};
use crate::plan::{positional_tokens, BodyFrequency, QueryPlan, BODY_POSITIONAL_TOKENS};
use crate::query::{ParsedQuery, QueryPart};
use crate::schema::{epoch_day, Fields};
use crate::suggest::SUGGEST_FILE;
use crate::synonym_blocks::{Block, BlockCache, SynonymGroups, SYNONYMS_FILE};
use crate::tokenizer::{
    core_token_count, tokenize, FnTokenizer, CHARACTER_TOKENIZER_NAME, TITLE_TOKENIZER_NAME,
    TOKENIZER_NAME,
};
use crate::validity::Force;

pub(crate) mod columns;
mod entries;
mod here;
pub(crate) mod topic;
mod versions;

use columns::{Columns, SegmentColumns};
use entries::{DictionaryEntries, MemoStatistics};
use here::SearchHere;

/// In tier 2, a part found in the title scores this much for the first part of the query,
/// less for each later one: above any BM25 score, so a document whose title holds what
/// was typed first outranks one whose title holds a later, rarer word (people type the
/// subject first: `运输 海商法` asks for transport rules that cite the maritime code).
const TITLE_PART_SCORE: f32 = 100.0;
/// A document-number match counts this many times a body match in tier 2.
const DOC_NUMBER_BOOST: f32 = 3.0;
/// A title sharing less of the query than this (shared tokens over the longer token count)
/// is not offered as a partial match by title.
const MIN_TITLE_SIMILARITY: f32 = 0.3;
/// A title sharing at least this much of a short phrase no text holds is the title it
/// was meant to be, with a slip in it (`上海市航道浙例`: 0.8), and comes before the
/// phrase's topic; an everyday phrase shares far less with any title (`买二手船过户`).
const SLIP_SIMILARITY: f32 = 0.5;
/// How many bigrams a lone character ending a phrase may stand for (`号` → `号文`, `号令` …).
const MAX_PREFIX_EXPANSIONS: u32 = 2_000;
/// No page of results is longer than this.
pub const MAX_PAGE: usize = 100;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
}

/// What a citizen asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    pub query: String,
    pub category: Option<String>,
    pub department: Option<String>,
    pub year_from: Option<u16>,
    pub year_to: Option<u16>,
    pub sort: SortOrder,
    pub offset: usize,
    /// How many hits to return; 0 means the default of 10, more than [`MAX_PAGE`] is cut.
    pub limit: usize,
    /// The day the citizen searches on (their calendar, from the page): documents in force
    /// that day rank before equal ones that are not, and the validity counts and the
    /// filter below are for that day. `None` (a request from the URL before the page sets
    /// it) leaves validity out of the ranking and counts nothing.
    #[serde(
        with = "crate::validity::day_serde",
        skip_serializing_if = "Option::is_none"
    )]
    pub today: Option<time::Date>,
    /// 只看现行有效: only documents in force on `today` (有效, 已修改, 部分失效); documents
    /// without a validity record are left out too, as nobody can say they are in force.
    pub in_force_only: bool,
}

impl SearchRequest {
    /// How many hits a page holds: `limit`, 10 when it is 0, at most [`MAX_PAGE`].
    fn page_size(&self) -> usize {
        match self.limit {
            0 => 10,
            n => n.min(MAX_PAGE),
        }
    }
}

/// Fewer titles holding a query as typed than this (a first page), and the titles holding
/// what its synonyms say join them. A number of its own, not the page asked for: with the
/// page's size, 省水 (held as typed only across a word's end: 河南省水文条例, 12 titles) had
/// its synonyms' titles (节约用水条例) first when a citizen asked for 20 hits and none in
/// the first 10, so "more" reordered the hits already shown.
const FEW_TITLES: usize = 10;

/// A request's filters, as required clauses that do not change scores, the day it is
/// made on (for the preference of documents in force among equal ones) and the place its
/// query names (whose documents bind as laws in the rankings by legal force).
struct Filters {
    clauses: Vec<Box<dyn Query>>,
    today: Option<time::Date>,
    place: Option<Place>,
}

/// Whether a hit matched the whole query or only part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Partial,
}

/// One result, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: HighlightedText,
    pub snippet: HighlightedText,
    pub url: Option<String>,
    pub category: Option<String>,
    pub department: Option<String>,
    pub doc_number: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub interpretation_url: Option<String>,
    /// The document's validity record, when the index has one: the page computes its
    /// status for the day with [`LookupEntry::status_on`] (有效, 尚未生效, 已修改, 部分失效,
    /// 失效, 废止, and what changed it).
    pub validity: Option<LookupEntry>,
    pub match_kind: MatchKind,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many documents match the whole query (partial matches are not counted).
    pub total_exact: usize,
    pub hits: Vec<Hit>,
    /// The exact matches counted per category, department and year.
    pub facets: Facets,
}

/// Why an index could not be opened.
#[derive(Debug)]
pub enum OpenError {
    Pack(PackError),
    Index(tantivy::TantivyError),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Pack(error) => write!(f, "{error}"),
            OpenError::Index(error) => write!(f, "the index cannot be read: {error}"),
        }
    }
}

impl std::error::Error for OpenError {}

/// How many snippet texts an index remembers inflated ([`SearchIndex::snippet_text`]):
/// a page shows 10, so the last few dozen pages' worth, typically half a megabyte (a text
/// is two chunks of a body, about 1.5 KB; one longer than [`MAX_REMEMBERED_SNIPPET_BYTES`],
/// which only a damaged pack makes, is not remembered, so a few megabytes at most). Why: a
/// citizen's next search often shows documents the last one showed (the same query asked
/// again, a filter, the next page), and inflating their bodies' chunks again was about a
/// tenth of a held search natively (miniz builds its Huffman tables for every chunk).
const MAX_SNIPPET_TEXTS: usize = 300;

/// The longest snippet text (bytes of UTF-8) [`SearchIndex::snippet_text`] remembers.
const MAX_REMEMBERED_SNIPPET_BYTES: usize = 16 * 1024;

/// An open index, ready to answer searches.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// The pack's bodies file, for snippets ([`crate::bodies`]).
    bodies: FileSlice,
    /// Where each document's first body slot lies in `bodies` (bytes), by segment and
    /// document ([`slot_starts`], summed at open from fast fields the head holds).
    body_starts: Vec<Vec<u64>>,
    /// The pack's lexicon: syllables for Latin queries, where the synonym list's blocks
    /// lie, suggestion blocks, seam bigrams.
    lexicon: LoadedLexicon,
    /// The pack's suggestions file ([`crate::suggest`]); empty in older packs.
    suggestions: Option<FileSlice>,
    /// The pack's synonyms file ([`crate::synonym_blocks`]); absent in a pack built
    /// without a synonym list.
    synonyms: Option<FileSlice>,
    /// The blocks of `synonyms` read so far.
    synonym_blocks: BlockCache,
    /// The dictionary entries the stages have looked up ([`entries`]).
    entries: DictionaryEntries,
    /// The snippet texts inflated so far, by their byte range in `bodies`
    /// ([`SearchIndex::snippet_text`]).
    snippet_texts: Memo<(usize, usize), String>,
    /// The fast-field columns the ranking reads, opened with the index ([`columns`]).
    columns: Columns,
}

/// Where each document's first body slot lies in the bodies file, by segment
/// ([`slot_starts`]; the builder writes one segment, whose documents' slots follow one
/// another in document order).
fn body_starts(searcher: &Searcher, columns: &Columns) -> Vec<Vec<u64>> {
    searcher
        .segment_readers()
        .iter()
        .enumerate()
        .map(|(ordinal, segment)| {
            let columns = columns.at(ordinal as u32);
            slot_starts(
                (0..segment.max_doc())
                    .map(|doc| columns.map_or((0, 0), |columns| columns.body_slot(doc))),
            )
        })
        .collect()
}

/// Registers the project's tokenizer on an index, for writing and for reading alike.
pub(crate) fn register_tokenizer(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER_NAME, FnTokenizer::bigrams());
    index
        .tokenizers()
        .register(TITLE_TOKENIZER_NAME, FnTokenizer::title_bigrams());
    index
        .tokenizers()
        .register(CHARACTER_TOKENIZER_NAME, FnTokenizer::characters());
}

impl SearchIndex {
    /// Opens a packed index held in memory.
    pub fn open(pack: Vec<u8>) -> Result<SearchIndex, OpenError> {
        let directory = PackedDirectory::open(tantivy::directory::OwnedBytes::new(pack))
            .map_err(OpenError::Pack)?;
        SearchIndex::open_directory(directory)
    }

    /// Opens the index of a packed directory.
    pub fn open_directory(directory: PackedDirectory) -> Result<SearchIndex, OpenError> {
        let bodies = directory
            .open_read(Path::new(BODIES_FILE))
            .map_err(|error| OpenError::Index(error.into()))?;
        // A pack without a lexicon (built before it existed) searches without one.
        let lexicon = match directory.open_read(Path::new(LEXICON_FILE)) {
            Ok(file) => LoadedLexicon::from_bytes(
                file.read_bytes()
                    .map_err(|error| OpenError::Index(error.into()))?
                    .as_slice(),
            ),
            Err(_) => LoadedLexicon::default(),
        };
        let suggestions = directory.open_read(Path::new(SUGGEST_FILE)).ok();
        let synonyms = directory.open_read(Path::new(SYNONYMS_FILE)).ok();
        let index = Index::open(directory).map_err(OpenError::Index)?;
        register_tokenizer(&index);
        let fields = Fields::from_schema(&index.schema()).map_err(OpenError::Index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(OpenError::Index)?;
        let columns = Columns::open(&reader.searcher()).map_err(OpenError::Index)?;
        let body_starts = body_starts(&reader.searcher(), &columns);
        Ok(SearchIndex {
            reader,
            fields,
            bodies,
            body_starts,
            lexicon,
            suggestions,
            synonyms,
            synonym_blocks: BlockCache::default(),
            entries: DictionaryEntries::default(),
            snippet_texts: Memo::new(MAX_SNIPPET_TEXTS),
            columns,
        })
    }

    /// Suggestions as you type for `typed` ([`crate::suggest`]): up to
    /// [`MAX_SUGGESTIONS`](crate::suggest::MAX_SUGGESTIONS) titles and title phrases whose
    /// characters, pinyin or initials start with it. Reads one to three blocks of the
    /// suggestions file; a range reader fetches them (a miss names them) and asks again.
    pub fn suggest(&self, typed: &str) -> tantivy::Result<Vec<String>> {
        let key = crate::suggest::suggestion_key(typed);
        let Some(file) = &self.suggestions else {
            return Ok(Vec::new());
        };
        let blocks = crate::suggest::blocks_for(&self.lexicon.suggest_blocks, &key);
        let bytes = every_read(blocks.iter().map(|block| {
            file.read_bytes_slice(crate::suggest::block_range(block))
                .map_err(tantivy::TantivyError::from)
        }))?;
        let slices: Vec<&[u8]> = bytes.iter().map(|bytes| bytes.as_slice()).collect();
        Ok(crate::suggest::suggestions_in(&slices, &key, typed))
    }

    /// How many documents the index holds.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Answers a request. Any query text is accepted; text with nothing searchable in it
    /// gives empty results. Over a pack read by ranges, use a
    /// [`Session`](crate::session::Session), which runs the same stages and fetches what
    /// each reads.
    pub fn search(&self, request: &SearchRequest) -> tantivy::Result<SearchResults> {
        let plan = self.plan(request)?;
        if plan.is_empty() {
            return Ok(SearchResults::default());
        }
        let body_frequency = self.body_frequencies(&plan, false)?;
        let mut ranking = self.rank(&plan, &body_frequency)?;
        let page = self.read_page(&plan, &mut ranking, &body_frequency)?;
        Ok(self.results(&plan, ranking, page))
    }

    /// The plan of `request` ([`QueryPlan`]): computed once, read by every stage. Reads
    /// the blocks of the synonym list under the query's characters
    /// ([`crate::synonym_blocks`]), going on past misses; fails with the first miss (a
    /// range reader fetches them and plans again), or another error.
    pub(crate) fn plan(&self, request: &SearchRequest) -> tantivy::Result<QueryPlan> {
        let synonyms = self.synonyms_for(&request.query)?;
        Ok(QueryPlan::new(
            request,
            &self.lexicon,
            &synonyms,
            self.columns.places(),
        ))
    }

    /// The plan of `request` without the synonym list: what a range reader reads ahead
    /// while the list's blocks are fetched, since most queries hold none of its terms.
    pub(crate) fn plan_without_synonyms(&self, request: &SearchRequest) -> QueryPlan {
        QueryPlan::new(
            request,
            &self.lexicon,
            &SynonymGroups::default(),
            self.columns.places(),
        )
    }

    /// Reads the blocks of the synonym list under the characters of `text` (typed so
    /// far), going on past misses; fails with the first miss, or another error.
    pub(crate) fn read_synonym_blocks(&self, text: &str) -> tantivy::Result<()> {
        self.synonyms_for(text).map(drop)
    }

    /// The groups of the synonym list `query` can hold: those of the blocks under the
    /// characters of its folded text. A damaged block is left out.
    fn synonyms_for(&self, query: &str) -> tantivy::Result<SynonymGroups> {
        let Some(file) = &self.synonyms else {
            return Ok(SynonymGroups::default());
        };
        let blocks = self.lexicon.synonym_blocks.blocks_for(&fold(query));
        let blocks = every_read(blocks.into_iter().map(|(key, range)| {
            self.synonym_blocks
                .block(key, range, |range| file.read_bytes_slice(range))
                .map_err(tantivy::TantivyError::from)
        }))?;
        let blocks: Vec<&Block> = blocks.iter().map(|block| &**block).collect();
        Ok(SynonymGroups::from_blocks(&blocks))
    }

    /// Stage 1: how many documents hold each token of the plan's query in the body, from
    /// the body's term dictionary (which positions a body phrase reads depends on it).
    pub(crate) fn body_frequencies(
        &self,
        plan: &QueryPlan,
        ranges: bool,
    ) -> tantivy::Result<BodyFrequency> {
        let searcher = self.reader.searcher();
        // For a range reader (`ranges`), the dictionary entries of every other term the plan
        // looks up, beside the body's: it fetches all the query's dictionary blocks in this
        // one round, and the terms stage finds them held (a pinyin reading's keys cost a
        // round less). A pack held whole reads them when the ranking does.
        let entries = match ranges {
            true => self.read_dictionary_entries(&searcher, plan),
            false => Ok(()),
        };
        let frequency = self.body_doc_freqs(&searcher, &plan.query);
        entries?;
        frequency
    }

    /// Every term the plan looks up, with what of its postings is read
    /// ([`QueryPlan::term_reads`], its pinyin reading's keys included).
    fn planned_reads(
        &self,
        plan: &QueryPlan,
        body_frequency: &BodyFrequency,
    ) -> Vec<(Field, String, IndexRecordOption)> {
        let pinyin_keys = plan
            .pinyin
            .as_ref()
            .map(|reading| self.pinyin_keys(reading))
            .unwrap_or_default();
        plan.term_reads(&self.fields, body_frequency, &pinyin_keys)
    }

    /// BM25's statistics for the weights of a search through `searcher`: its own, but the
    /// document frequencies from the remembered dictionary entries ([`entries`]).
    fn statistics<'a>(&'a self, searcher: &'a Searcher) -> MemoStatistics<'a> {
        MemoStatistics {
            searcher,
            entries: &self.entries,
        }
    }

    /// The fruit of `collector` over what `query` matches through `searcher`, on this
    /// thread ([`SearchHere`]), BM25 scored with [`SearchIndex::statistics`]: every search
    /// of the ranking goes through here, so none scores from tantivy's own lookups. Errors
    /// as `Searcher::search`'s.
    fn collect<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        searcher.search_here(&self.statistics(searcher), query, collector)
    }

    /// Looks up the dictionary entry of every term of [`QueryPlan::term_reads`] (the body
    /// frequencies change what is read of a term, not which entries) and the dictionary
    /// blocks of the plan's prefixes, going on past misses; fails with the first miss, or
    /// another error.
    fn read_dictionary_entries(
        &self,
        searcher: &Searcher,
        plan: &QueryPlan,
    ) -> tantivy::Result<()> {
        let wanted = self.planned_reads(plan, &BodyFrequency::default());
        let fields = self.fields;
        let mut reads: Vec<tantivy::Result<()>> = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for (prefix, _) in plan.prefixes() {
                for field in [fields.title, fields.doc_number, fields.body] {
                    let index = segment.inverted_index(field)?;
                    reads.push(read_prefix_blocks(&index, prefix));
                }
            }
            for (field, token, _) in &wanted {
                let index = segment.inverted_index(*field)?;
                let term = Term::from_field_text(*field, token);
                reads.push(
                    self.entries
                        .get(ord, &index, &term)
                        .map(drop)
                        .map_err(Into::into),
                );
            }
        }
        every_read(reads.into_iter()).map(drop)
    }

    /// Stage 4: the page of `ranking` read — stored fields of every hit and the body
    /// chunks of every snippet, one round of fetching for a range reader, whatever the
    /// number of hits. Exact means exact: a document found by the positions of a long
    /// phrase's rarest tokens holds the phrase only if it stands there contiguously,
    /// checked on the body text the snippet fetched anyway (no byte more is read); those
    /// that do not are demoted in `ranking` and the page read again.
    pub(crate) fn read_page(
        &self,
        plan: &QueryPlan,
        ranking: &mut Ranking,
        body_frequency: &BodyFrequency,
    ) -> tantivy::Result<Page> {
        let searcher = self.reader.searcher();
        let (request, query) = (&plan.request, &plan.query);
        let limit = request.page_size();
        loop {
            let page: Vec<(usize, DocAddress)> = ranking
                .ranked
                .iter()
                .copied()
                .enumerate()
                .skip(request.offset)
                .take(limit)
                .collect();
            // Stored fields and body chunks in one round: neither needs the other.
            let documents: tantivy::Result<Vec<TantivyDocument>> =
                every_read(page.iter().map(|(_, address)| searcher.doc(*address)));
            let snippets =
                every_read(page.iter().map(|(_, address)| {
                    self.snippet_text(&searcher, *address, query, body_frequency)
                }));
            let (documents, snippets) = (documents?, snippets?);
            let apart: Vec<DocAddress> = page
                .iter()
                .zip(&documents)
                .zip(&snippets)
                .filter(|(((rank, address), _), _)| {
                    *rank < ranking.exact_count && ranking.body_phrase_checks.contains(address)
                })
                .filter(|((_, document), body)| !self.holds_long_phrases(document, body, query))
                .map(|(((_, address), _), _)| *address)
                .collect();
            if apart.is_empty() {
                let mut page = Page {
                    ranks: page.into_iter().map(|(rank, _)| rank).collect(),
                    documents,
                    snippets,
                };
                // Citizens' words are seldom in a title as typed (`社保`): their synonyms'
                // titles decide, in the ranking's order; newest first is the citizen's own;
                // a number's documents come first whatever their titles say (one quoting
                // the number does not).
                let reorder = !plan.asks
                    && !plan.everyday
                    && plan.number_key.is_none()
                    && request.sort == SortOrder::Relevance;
                if reorder {
                    self.verbatim_titles_first(&request.query, ranking.exact_count, &mut page);
                }
                // A number's documents are in force first, then newest, already.
                if request.sort == SortOrder::Relevance && plan.number_key.is_none() {
                    self.newest_versions_first(&searcher, ranking, request.today, &mut page)?;
                }
                return Ok(page);
            }
            ranking.demote(&apart);
        }
    }

    /// Moves the exact matches of `page` whose title holds the query as typed, punctuation
    /// included, before its other exact matches, each group in its order: `保障法》` ends a
    /// law's name quoted in a title (`…实施《…保障法》办法`), which the law's own title does
    /// not hold, though both hold its words; `村庄规划建设` is in `绍兴市村庄规划建设条例`, not in
    /// `村庄和集镇规划建设管理条例`, which the synonyms of its words brought. A name typed whole
    /// between quotation marks (`《中华人民共和国烟草专卖法》`) is compared without them: it
    /// names the law, not the titles quoting it. Text compared folded
    /// ([`disclosure_core::text::fold`]), as indexed. Within the page read only: a title
    /// holding the query further down the ranking stays on its own page.
    fn verbatim_titles_first(&self, typed: &str, exact_count: usize, page: &mut Page) {
        let typed = disclosure_core::text::fold(typed.trim());
        let typed = without_enclosing_quotes(&typed);
        if typed.chars().count() < 2 {
            return;
        }
        let holds = |document: &TantivyDocument| {
            stored_text(document, self.fields.title)
                .is_some_and(|title| disclosure_core::text::fold(title).contains(typed))
        };
        let mut hits: Vec<(usize, TantivyDocument, String)> = std::mem::take(&mut page.ranks)
            .into_iter()
            .zip(std::mem::take(&mut page.documents))
            .zip(std::mem::take(&mut page.snippets))
            .map(|((rank, document), snippet)| (rank, document, snippet))
            .collect();
        // Stable, and the page's exact matches come before its partial ones already:
        // exact holding it, exact not, partial, each group in its order.
        hits.sort_by_cached_key(|(rank, document, _)| match *rank < exact_count {
            true => u8::from(!holds(document)),
            false => 2,
        });
        for (rank, document, snippet) in hits {
            page.ranks.push(rank);
            page.documents.push(document);
            page.snippets.push(snippet);
        }
    }

    /// The last stage, reading nothing: the hits of a page read, with highlights of what
    /// matched (the query's words, and the synonyms it stands for).
    pub(crate) fn results(&self, plan: &QueryPlan, ranking: Ranking, page: Page) -> SearchResults {
        let Ranking {
            exact_count,
            total_exact,
            facets,
            ..
        } = ranking;
        let hits = page
            .ranks
            .iter()
            .zip(page.documents)
            .zip(page.snippets)
            .map(|((rank, document), body)| {
                let kind = if *rank < exact_count {
                    MatchKind::Exact
                } else {
                    MatchKind::Partial
                };
                self.hit(&document, &body, &plan.shown, kind)
            })
            .collect();
        SearchResults {
            total_exact,
            hits,
            facets,
        }
    }

    /// How many documents hold each token of the query in the body: a body phrase checks
    /// the positions of its rarest tokens only (see [`positional_tokens`]).
    fn body_doc_freqs(
        &self,
        searcher: &Searcher,
        query: &ParsedQuery,
    ) -> tantivy::Result<HashMap<String, u64>> {
        let tokens = query.distinct_tokens();
        // As `Searcher::doc_freq` counts: the documents of every segment holding the term.
        let doc_freq = |token: &&str| -> tantivy::Result<u64> {
            let term = Term::from_field_text(self.fields.body, token);
            let mut count = 0;
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                let index = segment.inverted_index(self.fields.body)?;
                let entry = self.entries.get(ord, &index, &term)?;
                count += entry.map_or(0, |info| u64::from(info.doc_freq));
            }
            Ok(count)
        };
        let counts = every_read(tokens.iter().map(doc_freq))?;
        Ok(tokens.into_iter().map(str::to_string).zip(counts).collect())
    }

    /// Stage 2, for a range reader: reads what the ranking will read of each term the plan
    /// looks up ([`QueryPlan::term_reads`], [`QueryPlan::prefixes`]) — its term-dictionary
    /// block, its postings and, for the tokens whose positions a phrase checks, its
    /// positions. It goes on past bytes not fetched yet, so that the misses it records are
    /// fetched in one round instead of one round per term (the ranking itself stops at its
    /// first miss). Fails only on an error other than a miss, or with the first miss.
    pub(crate) fn read_terms(
        &self,
        plan: &QueryPlan,
        body_frequency: &BodyFrequency,
    ) -> tantivy::Result<()> {
        let fields = self.fields;
        let searcher = self.reader.searcher();
        let wanted = self.planned_reads(plan, body_frequency);
        let prefixes = plan.prefixes();
        let mut reads: Vec<tantivy::Result<()>> = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for (prefix, option) in &prefixes {
                for field in [fields.title, fields.doc_number, fields.body] {
                    let index = segment.inverted_index(field)?;
                    reads.extend(read_prefix_ahead(&index, prefix, *option));
                }
            }
            for (field, token, option) in &wanted {
                let index = segment.inverted_index(*field)?;
                let term = Term::from_field_text(*field, token);
                let info = match self.entries.get(ord, &index, &term) {
                    Ok(Some(info)) => info,
                    Ok(None) => continue,
                    Err(error) => {
                        reads.push(Err(error.into()));
                        continue;
                    }
                };
                reads.extend(read_postings_ahead(&index, &info, *option));
            }
            // The norms of every field whose terms are read: tantivy reads a field's norms
            // whole as soon as it scores one of its terms by BM25, so those not in the head
            // (`title_pinyin` of a pinyin reading, `title_chars`) would cost a round of
            // their own after the postings; read beside them instead.
            let schema = segment.schema();
            let mut normed: Vec<Field> = Vec::new();
            for (field, _, option) in &wanted {
                // doc_key's number match and, for a question, its characters in titles
                // (`title_chars`) are scored too, though read without frequencies.
                let by_bm25 = option.has_freq()
                    || *field == fields.doc_key
                    || (plan.asks && *field == fields.title_chars);
                let scored = by_bm25 && schema.get_field_entry(*field).has_fieldnorms();
                if scored && !normed.contains(field) {
                    normed.push(*field);
                }
            }
            for field in normed {
                reads.push(segment.get_fieldnorms_reader(field).map(drop));
            }
        }
        every_read(reads.into_iter()).map(drop)
    }

    /// Reads what every search reads, whatever its query: footers, term-dictionary indexes,
    /// the small term dictionaries (titles, title characters, document numbers, facets),
    /// the fast fields, the field norms of scored fields and the store's block index. The
    /// builder records these reads and copies their bytes into the pack's head.
    pub fn read_hot_parts(&self) -> tantivy::Result<()> {
        let fields = self.fields;
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let small = [
                fields.title,
                fields.title_chars,
                fields.doc_number,
                fields.category,
                fields.department,
                fields.year,
            ];
            for field in small {
                let index = segment.inverted_index(field)?;
                let mut terms = index.terms().stream()?;
                while terms.advance() {}
            }
            // Opened only (footers, dictionary indexes): the fields some queries read.
            for field in [
                fields.body,
                fields.title_pinyin,
                fields.title_initials,
                fields.title_char_positions,
                fields.doc_key,
            ] {
                segment.inverted_index(field)?;
            }
            for field in [fields.title, fields.body, fields.doc_number] {
                let norms = segment.get_fieldnorms_reader(field)?;
                for doc in 0..segment.max_doc() {
                    norms.fieldnorm_id(doc);
                }
            }
            let fast = segment.fast_fields();
            for name in [
                "title_tokens",
                "title_char_count",
                "title_core_tokens",
                "year",
                "authority",
                "body_stride",
                "body_chunk_count",
            ] {
                let column = fast.u64(name)?;
                for doc in 0..segment.max_doc() {
                    column.first(doc);
                }
            }
            for name in ["day", "force_from", "force_to"] {
                let column = fast.i64(name)?;
                for doc in 0..segment.max_doc() {
                    column.first(doc);
                }
            }
            for name in ["category", "department"] {
                if let Some(column) = fast.str(name)? {
                    let mut value = String::new();
                    for ord in 0..column.num_terms() as u64 {
                        column.ord_to_str(ord, &mut value)?;
                    }
                    for doc in 0..segment.max_doc() {
                        column.term_ords(doc).for_each(drop);
                    }
                }
            }
            segment.get_store_reader(0)?;
        }
        Ok(())
    }

    /// Between exact and partial matches: when nothing matches the query exactly and it is a
    /// short run of Han characters (2 to [`MAX_SHORT_NAME_CHARS`]), the titles holding its characters in order, close
    /// together (`个税法` in `个人所得税法`, `交强险` in `机动车交通事故责任强制保险条例`): at most
    /// [`MAX_SHORT_NAME_SPREAD`] times as many characters from the first to the last (for
    /// a name ending in its kind, `人损解释`, from the first to the last of its subject's,
    /// [`short_name_subject`], every character in order somewhere in the title), the
    /// tightest first, then the shortest title. Reads the positions of the query's
    /// characters in the titles only.
    fn short_name_titles(
        &self,
        searcher: &Searcher,
        query: &ParsedQuery,
        filters: &Filters,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let forms = short_name_forms(query);
        if forms.is_empty() {
            return Ok(Vec::new());
        }
        // Documents allowed by the filters, when there are any.
        let allowed: Option<HashSet<DocAddress>> = if filters.clauses.is_empty() {
            None
        } else {
            let all = self.with_filters(Box::new(tantivy::query::AllQuery), filters);
            Some(
                self.collect(searcher, &all, &tantivy::collector::DocSetCollector)?
                    .into_iter()
                    .collect(),
            )
        };
        let every_form = |forms: &[Vec<String>]| -> tantivy::Result<Vec<_>> {
            let mut found: Vec<(usize, u32, u64, DocAddress)> = Vec::new();
            for (form, characters) in forms.iter().enumerate() {
                let spans = self.short_name_spans(searcher, characters, allowed.as_ref())?;
                found.extend(
                    spans
                        .into_iter()
                        .map(|(span, core, address)| (form, span, core, address)),
                );
            }
            Ok(found)
        };
        let mut found = every_form(&forms)?;
        // No title holds it in order: its words in another order (`陆源污染防治条例` of
        // 防治陆源污染物污染损害海洋环境管理条例). The same characters, so nothing more is
        // read.
        if found.is_empty() {
            let reordered: Vec<Vec<String>> =
                forms.iter().flat_map(|form| word_orders(form)).collect();
            found = every_form(&reordered)?;
        }
        found.sort();
        // A title found in both forms counts once, where it stands best.
        let mut seen: HashSet<DocAddress> = HashSet::new();
        Ok(found
            .into_iter()
            .filter(|(_, _, _, address)| seen.insert(*address))
            .take(MAX_SHORT_NAME_HITS)
            .map(|(_, _, _, address)| address)
            .collect())
    }

    /// The titles holding one form of a short name (`characters`, [`short_name_forms`]) in
    /// order and close together, among `allowed` when the filters allow only some: each
    /// with the span its characters take and its title's core tokens, unsorted
    /// ([`Self::short_name_titles`] ranks them).
    fn short_name_spans(
        &self,
        searcher: &Searcher,
        characters: &[String],
        allowed: Option<&HashSet<DocAddress>>,
    ) -> tantivy::Result<Vec<(u32, u64, DocAddress)>> {
        let field = self.fields.title_char_positions;
        let subject_len = short_name_subject(characters);
        let mut found: Vec<(u32, u64, DocAddress)> = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let index = segment.inverted_index(field)?;
            let mut distinct: Vec<&String> = characters.iter().collect();
            distinct.sort();
            distinct.dedup();
            // Every term's dictionary entry, then its postings and positions whole, each
            // read in one round: walking the lists below then reads nothing more.
            let positions = IndexRecordOption::WithFreqsAndPositions;
            let infos = every_read(distinct.iter().map(|character| {
                index
                    .get_term_info(&Term::from_field_text(field, character))
                    .map_err(tantivy::TantivyError::from)
            }))?;
            let whole = infos
                .iter()
                .flatten()
                .flat_map(|info| read_postings_ahead(&index, info, positions));
            every_read(whole)?;
            let postings = every_read(distinct.iter().map(|character| {
                index
                    .read_postings(
                        &Term::from_field_text(field, character),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                    .map_err(tantivy::TantivyError::from)
            }))?;
            let Some(mut postings) = postings.into_iter().collect::<Option<Vec<_>>>() else {
                continue;
            };
            let Some(columns) = self.columns.of(segment) else {
                continue;
            };
            let core = &columns.title_core_tokens;
            // Walk the rarest list and seek the others.
            let rarest = (0..postings.len())
                .min_by_key(|at| postings[*at].doc_freq())
                .unwrap_or(0);
            let mut doc = postings[rarest].doc();
            let mut positions: Vec<Vec<u32>> = vec![Vec::new(); postings.len()];
            while doc != tantivy::TERMINATED {
                let mut all = true;
                for list in postings.iter_mut() {
                    if list.doc() < doc {
                        list.seek(doc);
                    }
                    if list.doc() != doc {
                        all = false;
                        break;
                    }
                }
                let address = DocAddress::new(ord as u32, doc);
                if all && allowed.is_none_or(|set| set.contains(&address)) {
                    for (list, into) in postings.iter_mut().zip(positions.iter_mut()) {
                        into.clear();
                        list.positions(into);
                    }
                    let of = |character: &String| {
                        let at = distinct.iter().position(|d| *d == character).unwrap_or(0);
                        &positions[at]
                    };
                    let lists: Vec<&Vec<u32>> = characters.iter().map(of).collect();
                    let n = characters.len() as u32;
                    // A name's kind (`解释` of `人损解释`) stands at the title's end, however
                    // long its subject: only the characters before it must be close.
                    let spread = |span: u32, n: u32| span <= n * MAX_SHORT_NAME_SPREAD;
                    let subject = || {
                        let span = tightest_span(&lists[..subject_len])?;
                        let n = subject_len as u32;
                        spread(span, n).then_some(span + characters.len() as u32 - n)
                    };
                    let span = tightest_span(&lists)
                        .filter(|span| *span > n)
                        .and_then(|span| match spread(span, n) {
                            true => Some(span),
                            false if subject_len < characters.len() => subject(),
                            false => None,
                        });
                    if let Some(span) = span {
                        found.push((span, core.get_val(doc), address));
                    }
                }
                doc = postings[rarest].advance();
            }
        }
        Ok(found)
    }

    /// Tier 3: titles sharing most tokens with the query, then bodies sharing some.
    fn append_partial_matches(
        &self,
        searcher: &Searcher,
        query: &ParsedQuery,
        filters: &Filters,
        wanted: usize,
        ranked: &mut Vec<DocAddress>,
    ) -> tantivy::Result<()> {
        let similar_titles =
            self.similar_titles(searcher, query, filters, wanted, MIN_TITLE_SIMILARITY)?;
        append_new(ranked, similar_titles.into_iter());
        if ranked.len() < wanted {
            let body_clauses: Vec<(Occur, Box<dyn Query>)> = query
                .distinct_tokens()
                .iter()
                .map(|text| {
                    let term = TermQuery::new(
                        Term::from_field_text(self.fields.body, text),
                        IndexRecordOption::WithFreqs,
                    );
                    let clause: Box<dyn Query> = Box::new(term);
                    (Occur::Should, clause)
                })
                .collect();
            let by_body = self.with_filters(Box::new(BooleanQuery::new(body_clauses)), filters);
            let body_hits = self.collect(
                searcher,
                &by_body,
                &TopDocs::with_limit(wanted + ranked.len()).order_by_score(),
            )?;
            append_new(ranked, body_hits.into_iter().map(|(_, address)| address));
        }
        ranked.truncate(wanted);
        Ok(())
    }

    /// The titles sharing at least `min_similarity` of `query` (its tokens and characters,
    /// each counted once, over the larger of its size and the title's), most similar first,
    /// at most `wanted`: the partial matches by title.
    fn similar_titles(
        &self,
        searcher: &Searcher,
        query: &ParsedQuery,
        filters: &Filters,
        wanted: usize,
        min_similarity: f32,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let tokens = query.distinct_tokens();
        let characters = query.distinct_characters();
        let each_term_once = |field: Field, terms: &[&str]| -> Vec<(Occur, Box<dyn Query>)> {
            terms
                .iter()
                .map(|text| {
                    let term = TermQuery::new(
                        Term::from_field_text(field, text),
                        IndexRecordOption::WithFreqs,
                    );
                    let clause: Box<dyn Query> =
                        Box::new(ConstScoreQuery::new(Box::new(term), 1.0));
                    (Occur::Should, clause)
                })
                .collect()
        };
        // Each shared token and each shared character scores 1, so the score counts what
        // title and query share; dividing by the larger of the two sizes penalises titles
        // shorter than the query as much as longer ones.
        let character_refs: Vec<&str> = characters.iter().map(String::as_str).collect();
        let mut title_clauses = each_term_once(self.fields.title, &tokens);
        title_clauses.extend(each_term_once(self.fields.title_chars, &character_refs));
        let by_title = self.with_filters(Box::new(BooleanQuery::new(title_clauses)), filters);
        let query_size = (tokens.len() + characters.len()) as f32;
        let overlap = move |shared: f32, title: TitleSize| {
            shared / query_size.max(title.tokens + title.characters)
        };
        self.closest_titles(
            searcher,
            &by_title,
            query_core_tokens(query),
            wanted,
            overlap,
            min_similarity,
            filters.today,
        )
    }

    /// The last resort of a query nothing matched: the titles holding the most of its
    /// characters ([`ParsedQuery::distinct_characters`], lone ones included), by BM25 over
    /// the titles' characters, each counted once (`title_chars` keeps no frequencies): a
    /// rare character and a short title weigh more; at most `wanted`. Reads the document
    /// lists of at most [`MAX_QUERY_CHARS`](crate::query::MAX_QUERY_CHARS) characters.
    fn titles_by_characters(
        &self,
        searcher: &Searcher,
        words: &ParsedQuery,
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let characters = words.distinct_characters();
        let characters: Vec<&str> = characters.iter().map(String::as_str).collect();
        let basic = IndexRecordOption::Basic;
        let hits = self.best_by_any_term(
            searcher,
            (self.fields.title_chars, &characters),
            (basic, basic),
            filters,
            wanted,
        )?;
        Ok(hits.into_iter().map(|(_, address)| address).collect())
    }

    /// Runs a query over titles and orders its matches by `similarity(score, title tokens)`,
    /// then by closeness of the title's length (in tokens) to `query_tokens`, then by
    /// score; drops matches whose similarity falls below `min_similarity`.
    fn closest_titles(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        query_tokens: i64,
        wanted: usize,
        similarity: impl Fn(f32, TitleSize) -> f32 + Send + Sync + Copy + 'static,
        min_similarity: f32,
        today: Option<time::Date>,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let columns = self.columns.clone();
        let collector =
            TopDocs::with_limit(wanted).tweak_score(move |segment: &tantivy::SegmentReader| {
                let columns = columns.of(segment);
                let column = |pick: fn(&SegmentColumns) -> &columns::Values| {
                    columns.map(|columns| std::sync::Arc::clone(pick(columns)))
                };
                let (title_tokens, title_characters, title_core) = (
                    column(|columns| &columns.title_tokens),
                    column(|columns| &columns.title_char_count),
                    column(|columns| &columns.title_core_tokens),
                );
                // Without a day, no preference.
                let force = columns.and_then(|columns| columns.force_on(today));
                move |doc, score| {
                    let value = |column: &Option<columns::Values>| {
                        column.as_ref().map_or(0, |column| column.get_val(doc))
                    };
                    let size = TitleSize {
                        tokens: value(&title_tokens) as f32,
                        characters: value(&title_characters) as f32,
                    };
                    let closeness = -(value(&title_core) as i64 - query_tokens).abs();
                    // Equal titles (versions of one regulation): the one in force first.
                    let in_force = force.as_ref().map_or(Force::Unknown, |f| f.force(doc));
                    (similarity(score, size), closeness, in_force, score)
                }
            });
        let hits = self.collect(searcher, query, &collector)?;
        Ok(hits
            .into_iter()
            .filter(|((value, _, _, _), _)| *value >= min_similarity)
            .map(|(_, address)| address)
            .collect())
    }

    /// Tier 0: when the whole query reads as a document number ([`DocNumber::parse`], every
    /// spelling the validity lookup accepts: `宁政发2019年3号`, `国务院第215号令`, `法释〔2022〕15号文`),
    /// the documents bearing that number, newest first; none otherwise.
    fn numbered_documents(
        &self,
        searcher: &Searcher,
        plan: &QueryPlan,
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let Some(key) = &plan.number_key else {
            return Ok(Vec::new());
        };
        let query = self.with_filters(
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_key, key),
                IndexRecordOption::Basic,
            )),
            filters,
        );
        // Versions sharing a number: the one in force first, then the newest.
        let (today, columns) = (filters.today, self.columns.clone());
        let newest = TopDocs::with_limit(wanted.max(1)).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let columns = columns.of(segment);
                let day = columns.and_then(|columns| columns.day.clone());
                let force = columns.and_then(|columns| columns.force_on(today));
                move |doc, _| {
                    (
                        force.as_ref().map_or(Force::Unknown, |f| f.force(doc)),
                        day.as_ref()
                            .and_then(|day| day.first(doc))
                            .unwrap_or(i64::MIN),
                    )
                }
            },
        );
        Ok(self
            .collect(searcher, &query, &newest)?
            .into_iter()
            .map(|(_, address)| address)
            .collect())
    }

    /// The `title_pinyin` (or, with `initials`, `title_initials`) keys a reading looks up,
    /// with what of their postings is read: positions when a cut has several keys.
    fn pinyin_keys(&self, reading: &PinyinReading) -> Vec<(Field, String, IndexRecordOption)> {
        let mut keys = Vec::new();
        let mut add = |field: Field, alternative: Vec<(usize, String)>| {
            let option = match alternative.len() {
                1 => IndexRecordOption::WithFreqs,
                _ => IndexRecordOption::WithFreqsAndPositions,
            };
            for (_, key) in alternative {
                keys.push((field, any_reading(&key), option));
                keys.push((field, key, option));
            }
        };
        for cut in &reading.segmentations {
            add(self.fields.title_pinyin, PinyinReading::syllable_keys(cut));
        }
        if let Some(initials) = &reading.initials {
            add(
                self.fields.title_initials,
                PinyinReading::initial_keys(initials),
            );
        }
        keys
    }

    /// The titles a Latin query reads as, by syllables (or, with `initials`, by initials):
    /// a title holding one cut of the letters as consecutive characters, and the rest of
    /// the query (Han, digits) too; titles read so in their characters' first readings
    /// before those needing a rarer reading, each the titles nearest in length first.
    fn pinyin_titles(
        &self,
        searcher: &Searcher,
        reading: &PinyinReading,
        initials: bool,
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let mut titles =
            self.pinyin_titles_read(searcher, reading, initials, false, filters, wanted)?;
        if titles.len() < wanted {
            let rarer =
                self.pinyin_titles_read(searcher, reading, initials, true, filters, wanted)?;
            append_new(&mut titles, rarer.into_iter());
            titles.truncate(wanted);
        }
        Ok(titles)
    }

    /// [`SearchIndex::pinyin_titles`] by first readings only, or (`any`) by any reading.
    fn pinyin_titles_read(
        &self,
        searcher: &Searcher,
        reading: &PinyinReading,
        initials: bool,
        any: bool,
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let (field, mut alternatives): (Field, Vec<Vec<(usize, String)>>) = if initials {
            (
                self.fields.title_initials,
                reading
                    .initials
                    .iter()
                    .map(|initials| PinyinReading::initial_keys(initials))
                    .collect(),
            )
        } else {
            (
                self.fields.title_pinyin,
                reading
                    .segmentations
                    .iter()
                    .map(|cut| PinyinReading::syllable_keys(cut))
                    .collect(),
            )
        };
        if alternatives.is_empty() {
            return Ok(Vec::new());
        }
        if any {
            for keys in &mut alternatives {
                for (_, key) in keys.iter_mut() {
                    *key = any_reading(key);
                }
            }
        }
        let either: Vec<(Occur, Box<dyn Query>)> = alternatives
            .into_iter()
            .map(|keys| {
                let query: Box<dyn Query> = match keys.as_slice() {
                    [(_, key)] => Box::new(TermQuery::new(
                        Term::from_field_text(field, key),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => Box::new(PhraseQuery::new_with_offset(
                        keys.iter()
                            .map(|(offset, key)| (*offset, Term::from_field_text(field, key)))
                            .collect(),
                    )),
                };
                (Occur::Should, query)
            })
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(either)))];
        for part in &reading.other_parts {
            clauses.push((Occur::Must, part_query(self.fields.title, part)));
        }
        let query = self.with_filters(Box::new(BooleanQuery::new(clauses)), filters);
        let other_tokens: usize = reading.other_parts.iter().map(|p| p.tokens.len()).sum();
        let query_tokens = (reading.characters().saturating_sub(1) + other_tokens) as i64;
        self.closest_titles(
            searcher,
            &query,
            query_tokens,
            wanted,
            |_, _| 0.0,
            0.0,
            filters.today,
        )
    }

    /// Tier 1 query: every part as a phrase in `field`.
    fn all_parts_in(&self, field: Field, query: &ParsedQuery) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            query
                .parts
                .iter()
                .map(|part| (Occur::Must, part_query(field, part)))
                .collect(),
        ))
    }

    /// Tier 2 query: every part as a phrase in the title, the document number or the body.
    fn all_parts_anywhere(
        &self,
        query: &ParsedQuery,
        body_frequency: &HashMap<String, u64>,
    ) -> Box<dyn Query> {
        let fields = self.fields;
        let parts = query.parts.len() as f32;
        Box::new(BooleanQuery::new(
            query
                .parts
                .iter()
                .enumerate()
                .map(|(order, part)| {
                    let title_score = TITLE_PART_SCORE * (parts - order as f32) / parts;
                    let in_title = Box::new(ConstScoreQuery::new(
                        part_query(fields.title, part),
                        title_score,
                    ));
                    let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                        (Occur::Should, in_title as Box<dyn Query>),
                        (
                            Occur::Should,
                            boosted(part_query(fields.doc_number, part), DOC_NUMBER_BOOST),
                        ),
                        (
                            Occur::Should,
                            body_part_query(fields.body, part, body_frequency),
                        ),
                    ]));
                    (Occur::Must, either)
                })
                .collect(),
        ))
    }

    /// The plan's filters as required clauses that do not change scores, with its day and
    /// place.
    fn filters(&self, plan: &QueryPlan) -> Filters {
        let request = &plan.request;
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )),
                0.0,
            ))
        };
        if let Some(category) = &request.category {
            filters.push(exact(self.fields.category, category));
        }
        if let Some(department) = &request.department {
            filters.push(exact(self.fields.department, department));
        }
        if request.year_from.is_some() || request.year_to.is_some() {
            let bound = |year: Option<u16>| {
                year.map_or(Bound::Unbounded, |y| {
                    Bound::Included(Term::from_field_u64(self.fields.year, y as u64))
                })
            };
            filters.push(Box::new(ConstScoreQuery::new(
                Box::new(RangeQuery::new(
                    bound(request.year_from),
                    bound(request.year_to),
                )),
                0.0,
            )));
        }
        if let (true, Some(today)) = (request.in_force_only, request.today) {
            let day = epoch_day(today);
            let bound = |field: Field| Term::from_field_i64(field, day);
            for range in [
                RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(bound(self.fields.force_from)),
                ),
                RangeQuery::new(
                    Bound::Included(bound(self.fields.force_to)),
                    Bound::Unbounded,
                ),
            ] {
                filters.push(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)));
            }
        }
        Filters {
            clauses: filters,
            today: request.today,
            place: plan.place.clone(),
        }
    }

    fn with_filters(&self, query: Box<dyn Query>, filters: &Filters) -> Box<dyn Query> {
        if filters.clauses.is_empty() {
            return query;
        }
        let mut clauses = vec![(Occur::Must, query)];
        clauses.extend(
            filters
                .clauses
                .iter()
                .map(|filter| (Occur::Must, filter.box_clone())),
        );
        Box::new(BooleanQuery::new(clauses))
    }

    /// Stage 3: the documents matching the plan's request, best first, up to its page's
    /// end. A range reader's session keeps the ranking, so the rounds that fetch stored
    /// fields and body chunks do not rank again.
    pub(crate) fn rank(
        &self,
        plan: &QueryPlan,
        body_frequency: &BodyFrequency,
    ) -> tantivy::Result<Ranking> {
        let searcher = &self.reader.searcher();
        let (request, query) = (&plan.request, &plan.query);
        let limit = request.page_size();
        let wanted = request.offset.saturating_add(limit);
        let filters = self.filters(plan);

        let anywhere = self.with_filters(self.all_parts_anywhere(query, body_frequency), &filters);
        let mut body_phrase_checks = HashSet::new();
        // Whether some title holds the query as typed (a short name is then no question).
        let mut in_some_title = true;
        // Whether the query is an everyday word the synonym list knows ([`topic`]).
        let mut everyday = false;
        // Whether the query is a short name of a law no title holds (its titles were ranked).
        let mut names_law = false;
        let (mut ranked, mut total_exact, facets) = match request.sort {
            SortOrder::Newest => {
                let newest_first = TopDocs::with_limit(wanted)
                    .order_by_fast_field::<i64>("day", tantivy::Order::Desc);
                let (newest, total, facets) = self.collect(
                    searcher,
                    &anywhere,
                    &(
                        newest_first,
                        Count,
                        FacetCollector::on(request.today, self.columns.clone()),
                    ),
                )?;
                let ranked: Vec<DocAddress> =
                    newest.into_iter().map(|(_, address)| address).collect();
                if has_long_body_phrase(query) {
                    body_phrase_checks.extend(ranked.iter().copied());
                }
                (ranked, total, facets)
            }
            SortOrder::Relevance => {
                // Tier 0: a query that reads as a document number, the documents bearing it.
                let numbered = self.numbered_documents(searcher, plan, &filters, wanted)?;
                let in_title =
                    self.with_filters(self.all_parts_in(self.fields.title, query), &filters);
                // Within tier 1 only closeness of length and BM25 order the titles.
                let title_hits = self.closest_titles(
                    searcher,
                    &in_title,
                    query_core_tokens(query),
                    wanted.max(FEW_TITLES),
                    |_, _| 0.0,
                    0.0,
                    request.today,
                )?;
                // Synonyms (the pack's lexicon, from index/synonyms.txt): when the query's
                // own title matches are fewer than [`FEW_TITLES`], the titles holding what it
                // also stands for, taken in turn with them.
                let own_title_hits = title_hits.len();
                in_some_title = own_title_hits > 0;
                let title_hits = if title_hits.len() < FEW_TITLES {
                    let mut lists = vec![title_hits];
                    for alternative in &plan.alternatives {
                        let in_title = self.with_filters(
                            self.all_parts_in(self.fields.title, alternative),
                            &filters,
                        );
                        lists.push(self.closest_titles(
                            searcher,
                            &in_title,
                            query_core_tokens(alternative),
                            MAX_PAGE,
                            |_, _| 0.0,
                            0.0,
                            request.today,
                        )?);
                    }
                    // In citizens' words (an everyday word, its official terms), the law
                    // naming the topic at the head of its title first ([`topic`]).
                    let alternatives = &plan.alternatives;
                    if alternatives.is_empty() {
                        interleave(lists, wanted)
                    } else {
                        // Every list whole (up to [`MAX_PAGE`] each, whatever page is
                        // asked, so that a larger page keeps the first one), ordered by
                        // legal force and the heads of the titles, then cut: a national
                        // title deep in one synonym's list is not cut before it is weighed.
                        let merged = self.widest_first(
                            searcher,
                            interleave(lists, usize::MAX),
                            request.today,
                            filters.place.as_ref(),
                        );
                        let mut queries = vec![query];
                        queries.extend(alternatives.iter());
                        let mut merged =
                            self.head_first(searcher, &queries, merged, request.today)?;
                        merged.truncate(wanted);
                        merged
                    }
                } else {
                    title_hits
                };
                // Latin letters read as pinyin: titles read that way after the titles
                // holding the letters as a word; as initials, after every document holding
                // them as a word (`ETC`, `APP` are words first).
                let (pinyin_hits, initials_hits) = match &plan.pinyin {
                    Some(reading) => (
                        self.pinyin_titles(searcher, reading, false, &filters, wanted)?,
                        self.pinyin_titles(searcher, reading, true, &filters, wanted)?,
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                // A word no title holds (`扰民`, `烧秸秆`): the texts holding it by relevance
                // times legal force, as the laws on a topic ([`topic::by_force`]). The
                // national law a citizen's matter falls under mentions the word once in a
                // long text; other places' rules (a citizen of 宁乡 is bound by none of
                // them) repeat it in short ones, and BM25 alone ranked them all first.
                let limit = wanted + title_hits.len();
                let (anywhere_hits, total, facets) =
                    match !in_some_title && topic::short_word(query) {
                        true => self.collect(
                            searcher,
                            &anywhere,
                            &(
                                topic::by_force(
                                    limit,
                                    request.today,
                                    filters.place.clone(),
                                    self.columns.clone(),
                                ),
                                Count,
                                FacetCollector::on(request.today, self.columns.clone()),
                            ),
                        )?,
                        false => self.collect(
                            searcher,
                            &anywhere,
                            &(
                                TopDocs::with_limit(limit).order_by_score(),
                                Count,
                                FacetCollector::on(request.today, self.columns.clone()),
                            ),
                        )?,
                    };
                let numbered_count = numbered.len();
                let mut ranked = numbered;
                append_new(&mut ranked, title_hits.into_iter());
                // A short name of a law no title holds (`人防法`, `《民诉法解释》`): the titles
                // it abbreviates first, before the few texts that hold it as typed
                // (`违反人防法律`): it names a document. Not a question (`偷东西犯法`), nor
                // two characters (`犯法`), which name no law.
                names_law = !in_some_title && plan.may_name_law;
                if names_law {
                    let short = self.short_name_titles(searcher, query, &filters)?;
                    append_new(&mut ranked, short.into_iter());
                }
                // An everyday word none of whose terms a title holds as typed (`失业金`,
                // `噪音扰民`): the titles naming its words or their synonyms' at their head.
                everyday = !in_some_title && plan.everyday;
                // A question that asks or an everyday word: after the titles holding it or
                // its synonyms, the laws on its topic, by relevance times legal force
                // ([`topic`]). They count as matching it, but only as far as they are
                // shown: many also hold the words and are in `total` already.
                let topic_words = match everyday {
                    true => Some((query, &plan.query_topic)),
                    false => plan
                        .content
                        .as_ref()
                        .filter(|_| plan.asks)
                        .map(|content| (content, &plan.content_topic)),
                };
                let before_topic = ranked.len();
                if let Some((words, versions)) = topic_words {
                    let (lone, intent): (Vec<String>, &[String]) = match everyday {
                        true => (Vec::new(), &[]),
                        false => (
                            self.question_characters(searcher, words, &plan.lone)?,
                            &plan.intent,
                        ),
                    };
                    let laws =
                        self.topic_ranked(searcher, (versions, intent), &lone, &filters, wanted)?;
                    append_new(&mut ranked, laws.into_iter());
                }
                let on_topic = ranked.len() - before_topic;
                if everyday {
                    let heads =
                        self.topic_heads(searcher, &plan.query_versions, &filters, wanted)?;
                    append_new(&mut ranked, heads.into_iter());
                }
                // The titles the synonyms and an everyday word's heads brought.
                let by_synonyms = ranked
                    .len()
                    .saturating_sub(numbered_count + own_title_hits + on_topic);
                let before_pinyin = ranked.len();
                append_new(&mut ranked, pinyin_hits.into_iter());
                let mut read_as_pinyin = ranked.len() - before_pinyin;
                let before_anywhere = ranked.len();
                append_new(
                    &mut ranked,
                    anywhere_hits.into_iter().map(|(_, address)| address),
                );
                if has_long_body_phrase(query) {
                    body_phrase_checks.extend(ranked[before_anywhere..].iter().copied());
                }
                let before_initials = ranked.len();
                append_new(&mut ranked, initials_hits.into_iter());
                read_as_pinyin += ranked.len() - before_initials;
                // Counted as matching the whole query: the number's documents and the titles
                // the letters read as (at most a page of each; the word matches are counted
                // in full).
                (
                    ranked,
                    (total + read_as_pinyin + by_synonyms).max(numbered_count),
                    facets,
                )
            }
        };
        // A question (`酒后开车会被怎么处罚`) whose words do not all match: its content words
        // (question and filler words set aside, [`content_words`]) as a query of their own,
        // exact tiers then partial matches; an everyday word likewise, through its synonyms.
        let content = match ranked.len() < wanted {
            true => match &plan.content {
                Some(content) => Some((content, &plan.content_versions)),
                None => everyday.then_some((query, &plan.query_versions)),
            },
            false => None,
        };
        let before_content = ranked.len();
        if let Some((_, versions)) = content {
            self.content_hits(searcher, versions, &filters, wanted, &mut ranked)?;
        }
        // The content words' matches are counted as matching the question (a page at most).
        total_exact += ranked.len() - before_content;
        let exact_count = ranked.len();
        // Never fewer than the matches ranked (the topic's laws among them).
        total_exact = total_exact.max(exact_count);
        if ranked.is_empty() && !in_some_title && !names_law {
            let short = self.short_name_titles(searcher, query, &filters)?;
            append_new(&mut ranked, short.into_iter());
        }
        // The last resort of a question or an everyday word: titles sharing most of its
        // bigrams. Not for text holding a question word that does not ask (`关于办理…的
        // 解释` with a slip in it): its partial matches below weigh every word alike, where
        // this ranks the shortest titles sharing its template first.
        let asks_or_everyday = plan.asks || everyday;
        if let (Some((_, versions)), true) = (content, ranked.len() < wanted && asks_or_everyday) {
            self.topic_titles(searcher, versions, &filters, wanted, &mut ranked)?;
        }
        // A word no text holds, one character off a term of the synonym list (`收废铁`,
        // `收废品`): the laws on that term's topic, as for the term, before looser matches.
        // Then an everyday word longer than one's form that no text holds (`家电能效标签`,
        // with `能效标签` in it): the laws on its own topic, as for an everyday word.
        if ranked.is_empty() {
            // A phrase longer than an everyday word (`买二手船过户`) may be a title with a
            // slip in it (`上海市航道浙例`): the titles it nearly is come before its topic.
            if plan.unmatched_everyday && topic::short_phrase(query, crate::plan::MAX_TERMS_CHARS) {
                let slips =
                    self.similar_titles(searcher, query, &filters, wanted, SLIP_SIMILARITY)?;
                append_new(&mut ranked, slips.into_iter());
            }
            let unmatched = plan.unmatched_everyday.then_some(&plan.query_topic);
            for versions in plan.near.iter().chain(unmatched) {
                let laws = self.topic_ranked(searcher, (versions, &[]), &[], &filters, wanted)?;
                append_new(&mut ranked, laws.into_iter());
            }
        }
        // Any other word no title holds (`无证驾驶`, `乱砍滥伐`), when fewer documents than a
        // page hold it: the laws on its topic fill the page, before looser matches. Never
        // before the documents holding it: a short phrase looked up must find them first.
        let other_word = !in_some_title && !everyday && topic::short_word(query);
        if other_word && ranked.len() < wanted {
            let laws =
                self.topic_ranked(searcher, (&plan.query_topic, &[]), &[], &filters, wanted)?;
            append_new(&mut ranked, laws.into_iter());
        }
        if ranked.len() < wanted {
            let loose = content.map_or(query, |(content, _)| content);
            self.append_partial_matches(searcher, loose, &filters, wanted, &mut ranked)?;
        }
        // Nothing at all (`三胎`, `自己住的房子要交税吗`: words no law uses): the titles
        // sharing the most of its characters rather than an empty page.
        if ranked.is_empty() {
            let words = crate::query::content_characters(&request.query)
                .map(|text| crate::query::parse_query(&text))
                .unwrap_or_else(|| query.clone());
            let titles = self.titles_by_characters(searcher, &words, &filters, wanted)?;
            append_new(&mut ranked, titles.into_iter());
        }

        Ok(Ranking {
            ranked,
            exact_count,
            total_exact,
            facets,
            body_phrase_checks,
        })
    }

    /// Whether a document holds each long part of `query` (one whose body match checks the
    /// positions of only some of its tokens, [`positional_tokens`]) contiguously: in its
    /// title, its document number or `body` (the text its snippet was cut from, where the
    /// rarest tokens stood at their distances).
    fn holds_long_phrases(
        &self,
        document: &TantivyDocument,
        body: &str,
        query: &ParsedQuery,
    ) -> bool {
        let text = |field: Field| -> String {
            stored_text(document, field).unwrap_or_default().to_string()
        };
        let places: Vec<Vec<String>> = [
            text(self.fields.title),
            text(self.fields.doc_number),
            body.to_string(),
        ]
        .iter()
        .map(|place| {
            tokenize(place)
                .into_iter()
                .map(|token| token.text)
                .collect()
        })
        .collect();
        query
            .parts
            .iter()
            .filter(|part| is_long_body_phrase(part))
            .all(|part| {
                let shape = part.shape();
                places.iter().any(|tokens| {
                    tokens
                        .windows(shape.tokens.len())
                        .any(|window| window == shape.tokens)
                })
            })
    }

    /// The text a hit's snippet is cut from: the chunk of the body holding the first match
    /// of a phrase of the query (its positions, read for the search, say which) and the
    /// next; the first two chunks when no phrase of the query is in the body.
    fn snippet_text(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        query: &ParsedQuery,
        body_frequency: &HashMap<String, u64>,
    ) -> tantivy::Result<String> {
        let start = self
            .body_starts
            .get(address.segment_ord as usize)
            .and_then(|starts| starts.get(address.doc_id as usize));
        let Some(&start) = start else {
            // A document the open index did not have: no snippet.
            return Ok(String::new());
        };
        let (stride, count) = self
            .columns
            .at(address.segment_ord)
            .map_or((0, 0), |columns| columns.body_slot(address.doc_id));
        let slots = BodySlots {
            start,
            stride,
            count,
        };
        let position = self.first_phrase_position(searcher, address, query, body_frequency)?;
        let first = position.map_or(0, |position| u64::from(position) / CHUNK_TOKENS as u64);
        let range = slots.range(first, 2);
        let (Ok(start), Ok(end)) = (usize::try_from(range.start), usize::try_from(range.end))
        else {
            return Ok(String::new());
        };
        if end > tantivy::HasLen::len(&self.bodies) {
            // A damaged pack: no snippet rather than a read past the file.
            return Ok(String::new());
        }
        self.snippet_texts.get_or_read_keeping(
            (start, end),
            || {
                let bytes = self.bodies.read_bytes_slice(start..end)?;
                Ok(inflate_slots(bytes.as_slice(), slots.stride))
            },
            |text| text.len() <= MAX_REMEMBERED_SNIPPET_BYTES,
        )
    }

    /// The token position in the body of the first match of the first phrase of `query`
    /// the document holds there, from the positions of its positional tokens (already read
    /// by the search); `None` when no phrase of the query is in the body.
    fn first_phrase_position(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        query: &ParsedQuery,
        body_frequency: &HashMap<String, u64>,
    ) -> tantivy::Result<Option<u32>> {
        let segment = searcher.segment_reader(address.segment_ord);
        let index = segment.inverted_index(self.fields.body)?;
        for part in &query.parts {
            let shape = part.shape();
            if shape.last_is_prefix || shape.tokens.len() < 2 {
                continue;
            }
            let mut starts: Option<Vec<u32>> = None;
            for (offset, token) in positional_tokens(&shape, body_frequency) {
                let term = Term::from_field_text(self.fields.body, token);
                let Some(mut postings) =
                    index.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
                else {
                    starts = Some(Vec::new());
                    break;
                };
                // A fresh postings list stands on its first document, and may not seek
                // backwards.
                let at = match postings.doc() {
                    doc if doc >= address.doc_id => doc,
                    _ => postings.seek(address.doc_id),
                };
                if at != address.doc_id {
                    starts = Some(Vec::new());
                    break;
                }
                let mut positions = Vec::new();
                postings.positions(&mut positions);
                let here: Vec<u32> = positions
                    .iter()
                    .filter_map(|position| position.checked_sub(offset as u32))
                    .collect();
                starts = Some(match starts {
                    None => here,
                    Some(known) => known.into_iter().filter(|p| here.contains(p)).collect(),
                });
            }
            if let Some(first) = starts.and_then(|starts| starts.into_iter().min()) {
                return Ok(Some(first));
            }
        }
        Ok(None)
    }

    fn hit(
        &self,
        document: &TantivyDocument,
        body: &str,
        query: &ParsedQuery,
        match_kind: MatchKind,
    ) -> Hit {
        let text = |field: Field| stored_text(document, field).map(str::to_string);
        Hit {
            id: text(self.fields.id).unwrap_or_default(),
            title: highlight(&text(self.fields.title).unwrap_or_default(), query),
            snippet: snippet(body, query),
            url: text(self.fields.url),
            category: text(self.fields.category),
            department: text(self.fields.department),
            doc_number: text(self.fields.doc_number),
            published: text(self.fields.published),
            interpretation_url: text(self.fields.interpretation_url),
            validity: text(self.fields.validity)
                .and_then(|json| serde_json::from_str::<LookupEntry>(&json).ok()),
            match_kind,
        }
    }
}

/// A request's matches, best first, before their stored fields are read: what a session
/// holds between its stages.
#[derive(Debug, Clone)]
pub(crate) struct Ranking {
    ranked: Vec<DocAddress>,
    /// How many of `ranked` match the whole query.
    exact_count: usize,
    total_exact: usize,
    facets: Facets,
    /// The exact matches found by a long body phrase's rarest positions only, whose
    /// contiguity the page still checks ([`SearchIndex::holds_long_phrases`]).
    body_phrase_checks: HashSet<DocAddress>,
}

impl Ranking {
    /// Moves `apart` (exact matches found not to hold a phrase contiguously) below every
    /// exact match, as the first partial matches.
    fn demote(&mut self, apart: &[DocAddress]) {
        let exact: Vec<DocAddress> = self.ranked[..self.exact_count]
            .iter()
            .copied()
            .filter(|address| !apart.contains(address))
            .collect();
        let demoted = self.exact_count - exact.len();
        let rest = self.ranked[self.exact_count..].to_vec();
        self.ranked = exact;
        self.ranked.extend_from_slice(apart);
        self.ranked.extend(rest);
        self.exact_count -= demoted;
        self.total_exact = self.total_exact.saturating_sub(demoted);
        for address in apart {
            self.body_phrase_checks.remove(address);
        }
    }
}

/// A page of a ranking read: each hit's rank, stored fields and snippet text.
#[derive(Debug)]
pub(crate) struct Page {
    ranks: Vec<usize>,
    documents: Vec<TantivyDocument>,
    snippets: Vec<String>,
}

/// How big a title is, read from fast fields.
#[derive(Debug, Clone, Copy)]
struct TitleSize {
    tokens: f32,
    characters: f32,
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// One part of a query on one field: a phrase of its tokens, shaped as
/// [`QueryPart::shape`] explains.
fn part_query(field: Field, part: &QueryPart) -> Box<dyn Query> {
    let shape = part.shape();
    let terms: Vec<Term> = shape
        .tokens
        .iter()
        .map(|token| Term::from_field_text(field, token))
        .collect();
    match (terms.as_slice(), shape.last_is_prefix) {
        ([single], true) => {
            // Every token starting with the character: the terms from it up to the next
            // code point.
            let next = next_prefix(&shape.tokens[0]);
            Box::new(ConstScoreQuery::new(
                Box::new(RangeQuery::new(
                    Bound::Included(single.clone()),
                    Bound::Excluded(Term::from_field_text(field, &next)),
                )),
                1.0,
            ))
        }
        ([single], false) => Box::new(TermQuery::new(single.clone(), IndexRecordOption::WithFreqs)),
        (_, true) => {
            let mut query = PhrasePrefixQuery::new(terms);
            query.set_max_expansions(MAX_PREFIX_EXPANSIONS);
            Box::new(query)
        }
        (_, false) => Box::new(PhraseQuery::new_with_offset(
            shape
                .anchored_tokens()
                .into_iter()
                .map(|(offset, token)| (offset, Term::from_field_text(field, token)))
                .collect(),
        )),
    }
}

/// Reads ahead the terms starting with `prefix` (a lone character ending a part): the
/// dictionary blocks of the whole range at once, then the postings (and positions, for a
/// phrase) of its first [`MAX_PREFIX_EXPANSIONS`] terms. Without it the search would
/// fetch one block, then one term, per round.
fn read_prefix_ahead(
    index: &tantivy::InvertedIndexReader,
    prefix: &str,
    option: IndexRecordOption,
) -> Vec<tantivy::Result<()>> {
    if let Err(error) = read_prefix_blocks(index, prefix) {
        return vec![Err(error)];
    }
    let next = next_prefix(prefix);
    let dictionary = index.terms();
    let mut terms = match dictionary.range().ge(prefix).lt(&next).into_stream() {
        Ok(terms) => terms,
        Err(error) => return vec![Err(error.into())],
    };
    let mut reads = Vec::new();
    let mut expansions = 0;
    while expansions < MAX_PREFIX_EXPANSIONS && terms.advance() {
        expansions += 1;
        reads.extend(read_postings_ahead(index, terms.value(), option));
    }
    reads
}

/// Reads a term's postings and, when `option` has them, its positions, each on its own:
/// tantivy reads a term's positions only once its postings are read, so a range reader
/// would otherwise find the positions missing a round after the postings. Each read's
/// outcome, for [`every_read`].
pub(crate) fn read_postings_ahead(
    index: &tantivy::InvertedIndexReader,
    info: &TermInfo,
    option: IndexRecordOption,
) -> Vec<tantivy::Result<()>> {
    let mut reads = vec![index
        .read_block_postings_from_terminfo(info, option)
        .map(drop)
        .map_err(Into::into)];
    if option.has_positions() {
        let positions_only = TermInfo {
            doc_freq: 0,
            postings_range: 0..0,
            positions_range: info.positions_range.clone(),
        };
        reads.push(
            index
                .read_postings_from_terminfo(&positions_only, option)
                .map(drop)
                .map_err(Into::into),
        );
    }
    reads
}

/// Reads the dictionary blocks of the terms starting with `prefix` (as far as
/// [`MAX_PREFIX_EXPANSIONS`] terms), all at once.
fn read_prefix_blocks(index: &tantivy::InvertedIndexReader, prefix: &str) -> tantivy::Result<()> {
    let next = next_prefix(prefix);
    let range = (
        Bound::Included(prefix.as_bytes()),
        Bound::Excluded(next.as_bytes()),
    );
    let blocks = index
        .terms()
        .file_slice_for_range(range, Some(u64::from(MAX_PREFIX_EXPANSIONS)));
    blocks.read_bytes().map(drop).map_err(Into::into)
}

/// The first text after every text starting with `prefix`: its first character's
/// successor (the end of a prefix range of terms).
fn next_prefix(prefix: &str) -> String {
    prefix
        .chars()
        .next()
        .and_then(|c| char::from_u32(c as u32 + 1))
        .map(String::from)
        .unwrap_or_else(|| prefix.to_string())
}

/// The query's size as tier 1 compares it with titles' ([`core_token_count`]).
fn query_core_tokens(query: &ParsedQuery) -> i64 {
    let tokens: Vec<&String> = query.parts.iter().flat_map(|part| &part.tokens).collect();
    core_token_count(&tokens) as i64
}

/// The canonical key of the document number `text` reads as, if it reads as one.
pub(crate) fn number_key(text: &str) -> Option<String> {
    DocNumber::parse(text).ok().map(|number| number.key())
}

/// The text a stored document holds in `field` (its first value), if any.
fn stored_text(document: &TantivyDocument, field: Field) -> Option<&str> {
    document.get_first(field).and_then(|value| value.as_str())
}

/// Runs every read of `reads`, going on past bytes not fetched yet so that one round of
/// fetching serves them all; then fails with the first miss, or gives every value.
fn every_read<T>(reads: impl Iterator<Item = tantivy::Result<T>>) -> tantivy::Result<Vec<T>> {
    let mut values = Vec::new();
    let mut first_miss = None;
    for read in reads {
        match read {
            Ok(value) => values.push(value),
            Err(error) if missing_range(&error).is_some() => {
                first_miss.get_or_insert(error);
            }
            Err(error) => return Err(error),
        }
    }
    match first_miss {
        Some(miss) => Err(miss),
        None => Ok(values),
    }
}

/// The parts of a query as text, space-separated, each rebuilt from its tokens
/// (overlapping bigrams joined: `醉驾`, `判刑`).
pub(crate) fn part_texts(query: &ParsedQuery) -> String {
    let texts: Vec<String> = query
        .parts
        .iter()
        .map(|part| {
            let mut text = String::new();
            let mut previous: Option<&String> = None;
            for token in &part.tokens {
                let overlaps = previous.is_some_and(|before| {
                    before.chars().count() == 2
                        && crate::tokenizer::is_han_bigram(token)
                        && before.chars().last() == token.chars().next()
                });
                if overlaps {
                    text.extend(token.chars().skip(1));
                } else {
                    text.push_str(token);
                }
                previous = Some(token);
            }
            text
        })
        .collect();
    texts.join(" ")
}

/// `text` without one pair of quotation marks enclosing all of it (`《烟草专卖法》`,
/// `“…”`, `「…」`, `"…"`), as typed otherwise: a mark standing alone (`保障法》`) says where
/// the words stand in a title.
fn without_enclosing_quotes(text: &str) -> &str {
    const PAIRS: [(char, char); 5] = [
        ('《', '》'),
        ('“', '”'),
        ('「', '」'),
        ('"', '"'),
        ('〈', '〉'),
    ];
    for (open, close) in PAIRS {
        if let Some(inner) = text
            .strip_prefix(open)
            .and_then(|rest| rest.strip_suffix(close))
        {
            if !inner.contains(open) && !inner.contains(close) {
                return inner;
            }
        }
    }
    text
}

/// Whether `text` may be the short name of a law (`人防法`, `《民诉法解释》`): at least three
/// characters, no question (`偷东西犯法`), and a word naming a kind of document
/// ([`disclosure_core::title_kind::kind_word`]). The ranking reads it as one when no title
/// holds it as typed, which only the ranking finds out; the plan reads its characters'
/// title positions ahead whenever it may.
pub(crate) fn may_name_law(text: &str) -> bool {
    let name = text.trim_matches(|c: char| !c.is_alphanumeric());
    // The number of one of a series (`公司法解释一`, `保险法解释（四）`) follows the kind.
    let kind = name.trim_end_matches(|c: char| ORDINALS.contains(c) || "（）()".contains(c));
    crate::query::content_words(name).is_none()
        && name.chars().count() >= 3
        && disclosure_core::title_kind::kind_word(kind).is_some()
}

/// The Chinese numerals of a series' ordinal (`公司法解释一`, `解释（四）`).
const ORDINALS: &str = "一二三四五六七八九十";

/// A query longer than this many characters is not read as a short name.
const MAX_SHORT_NAME_CHARS: usize = 8;
/// A short name's characters may spread over at most this many times their number in a
/// title (`交强险`, 3 characters, over 10 of `…交通事故责任强制保险…`).
const MAX_SHORT_NAME_SPREAD: u32 = 4;
/// At most this many titles are offered as expansions of a short name.
const MAX_SHORT_NAME_HITS: usize = 20;

/// The characters of a query read as a short name: one part of 2 to
/// [`MAX_SHORT_NAME_CHARS`] Han characters and nothing else, a series' number in brackets
/// after it counted in (`建工解释（一）`), and the `司法` of a `司法解释` it ends with left out:
/// people say `民间借贷司法解释` of an interpretation whose title says `解释` alone. None
/// otherwise.
pub(crate) fn short_name_characters(query: &ParsedQuery) -> Vec<String> {
    let mut characters = match query.parts.as_slice() {
        [part] => part_characters(part),
        [part, series] => {
            let (name, number) = (part_characters(part), part_characters(series));
            let numbered = !number.is_empty() && series_len(&number) == number.len();
            match !name.is_empty() && numbered {
                true => [name, number].concat(),
                false => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    let named = characters.len() - series_len(&characters);
    if named >= 6 && characters[named - 4..named].concat() == "司法解释" {
        characters.drain(named - 4..named - 2);
    }
    if (2..=MAX_SHORT_NAME_CHARS).contains(&characters.len()) {
        characters
    } else {
        Vec::new()
    }
}

/// The forms a short name is looked for in titles: its characters as typed
/// ([`short_name_characters`]), and for an interpretation's (`公司法解释三`) the same with
/// `规定` for its `解释`. The Supreme People's Court issues its interpretations as 解释, 规定,
/// 规则, 批复 or 决定 (《最高人民法院关于司法解释工作的规定》第六条), and people call each of
/// them 解释: `公司法解释三` is 《最高人民法院关于适用〈中华人民共和国公司法〉若干问题的
/// 规定（三）》, whose title holds no `解释`. Only for one of a series (the number must match
/// too): `公司法解释` alone would find any 规定 whose title spreads `公司法` over a few words
/// (`国际公约和双边司法`). Titles of the first form come before those of the second.
/// Empty when the query is no short name.
pub(crate) fn short_name_forms(query: &ParsedQuery) -> Vec<Vec<String>> {
    let characters = short_name_characters(query);
    if characters.is_empty() {
        return Vec::new();
    }
    let numbered = series_len(&characters);
    let named = characters.len() - numbered;
    let as_rule = (numbered > 0 && named >= 4 && characters[named - 2..named].concat() == "解释")
        .then(|| {
            let mut as_rule = characters.clone();
            as_rule.splice(named - 2..named, ["规".to_string(), "定".to_string()]);
            as_rule
        });
    std::iter::once(characters).chain(as_rule).collect()
}

/// A short name's characters with its subject's two-character words in every other order,
/// its kind and series' number after them as typed (`陆源污染防治条例` → `防治陆源污染条例`,
/// …): people shorten `防治X…条例` to `X防治条例`. None unless the subject
/// ([`short_name_subject`]) is two or three words of two characters.
fn word_orders(characters: &[String]) -> Vec<Vec<String>> {
    let subject_len = short_name_subject(characters);
    if !(4..=6).contains(&subject_len) || subject_len % 2 != 0 {
        return Vec::new();
    }
    let words: Vec<&[String]> = characters[..subject_len].chunks(2).collect();
    let orders: &[&[usize]] = match words.len() {
        2 => &[&[1, 0]],
        _ => &[&[0, 2, 1], &[1, 0, 2], &[1, 2, 0], &[2, 0, 1], &[2, 1, 0]],
    };
    orders
        .iter()
        .map(|order| {
            let mut reordered: Vec<String> =
                order.iter().flat_map(|at| words[*at].to_vec()).collect();
            reordered.extend(characters[subject_len..].iter().cloned());
            reordered
        })
        .collect()
}

/// How many of `characters` at their end are a series' number (`一` of `公司法解释一`).
fn series_len(characters: &[String]) -> usize {
    characters
        .iter()
        .rev()
        .take_while(|c| c.chars().all(|ch| ORDINALS.contains(ch)))
        .count()
}

/// The characters of a part of Han characters only, in order; none if it holds another.
fn part_characters(part: &QueryPart) -> Vec<String> {
    let mut characters: Vec<String> = Vec::new();
    for (at, token) in part.tokens.iter().enumerate() {
        if !token.chars().all(crate::tokenizer::is_han) {
            return Vec::new();
        }
        let mut chars = token.chars();
        if at == 0 {
            characters.extend(chars.next().map(String::from));
        } else {
            chars.next();
        }
        characters.extend(chars.map(String::from));
    }
    characters
}

/// How many of a short name's `characters` name its subject: those before a kind word of
/// two characters or more it ends with (`人损` of `人损解释`, `交强险` of `交强险条例`; the
/// number of one of a series may follow, `公司法解释一`), at least two; all of them
/// otherwise (`个税法`: a one-character kind stands close to its subject anyway).
fn short_name_subject(characters: &[String]) -> usize {
    let named = &characters[..characters.len() - series_len(characters)];
    let text: String = named.concat();
    match disclosure_core::title_kind::kind_word(&text) {
        Some(kind) if kind.chars().count() >= 2 && named.len() >= kind.chars().count() + 2 => {
            named.len() - kind.chars().count()
        }
        _ => characters.len(),
    }
}

/// The fewest positions from first to last (inclusive) over which one position from each
/// list can be taken in increasing order, the lists in order; `None` if there is no such
/// choice. Greedy from each start of the first list.
fn tightest_span(lists: &[&Vec<u32>]) -> Option<u32> {
    let (first, rest) = lists.split_first()?;
    let mut best: Option<u32> = None;
    for &start in first.iter() {
        let mut at = start;
        let mut complete = true;
        for list in rest {
            match list.iter().find(|&&p| p > at) {
                Some(&next) => at = next,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            let span = at - start + 1;
            best = Some(best.map_or(span, |b| b.min(span)));
        }
    }
    best
}

/// Whether a part's body match checks the positions of only some of its tokens.
fn is_long_body_phrase(part: &QueryPart) -> bool {
    let shape = part.shape();
    !shape.last_is_prefix && shape.anchored_tokens().len() > BODY_POSITIONAL_TOKENS
}

/// Whether any part of `query` is a long body phrase ([`is_long_body_phrase`]).
fn has_long_body_phrase(query: &ParsedQuery) -> bool {
    query.parts.iter().any(is_long_body_phrase)
}

/// One part of a query on the body: as [`part_query`], except that a long phrase checks
/// positions of its rarest tokens only and requires the others anywhere in the document.
fn body_part_query(
    field: Field,
    part: &QueryPart,
    body_frequency: &HashMap<String, u64>,
) -> Box<dyn Query> {
    let shape = part.shape();
    if shape.last_is_prefix || shape.anchored_tokens().len() <= BODY_POSITIONAL_TOKENS {
        return part_query(field, part);
    }
    let positional = positional_tokens(&shape, body_frequency);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(PhraseQuery::new_with_offset(
            positional
                .iter()
                .map(|(offset, token)| (*offset, Term::from_field_text(field, token)))
                .collect(),
        )),
    )];
    for token in shape.tokens {
        if !positional.iter().any(|(_, kept)| kept == token) {
            // Present, not scored: the phrase's own frequency ranks as before.
            let term = Term::from_field_text(field, token);
            let present = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(present), 0.0)),
            ));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The lists taken in turn (first of each, then second of each …), each document once, at
/// most `wanted`.
fn interleave(lists: Vec<Vec<DocAddress>>, wanted: usize) -> Vec<DocAddress> {
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    let mut merged = Vec::new();
    for rank in 0..longest {
        append_new(
            &mut merged,
            lists.iter().filter_map(|list| list.get(rank).copied()),
        );
    }
    merged.truncate(wanted);
    merged
}

fn append_new(ranked: &mut Vec<DocAddress>, more: impl Iterator<Item = DocAddress>) {
    let mut seen: HashSet<DocAddress> = ranked.iter().copied().collect();
    for address in more {
        if seen.insert(address) {
            ranked.push(address);
        }
    }
}
