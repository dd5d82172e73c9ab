//! The law on a topic, for queries in citizens' words (an everyday word read through its
//! synonyms, a question's content words): among titles naming the topic, the ones that
//! name it at their head (`工伤保险条例`, `中华人民共和国噪声污染防治法`) come before those naming
//! it after a place (`河南省工伤保险条例`) or inside a longer subject
//! (`最高人民法院关于审理工伤保险行政案件若干问题的规定`): the first is the law on the topic,
//! the others apply or mention it.
//!
//! Reads the title positions of the first token of each part, which the title phrase
//! matches read anyway, and two fast fields of the title's size.

use std::collections::HashMap;

use tantivy::collector::{Collector, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, Term};

use disclosure_core::place::Place;

use super::columns::Columns;
use super::{
    append_new, every_read, interleave, part_texts, query_core_tokens, read_postings_ahead,
    Filters, SearchIndex,
};
use crate::query::parse_query;
use crate::query::ParsedQuery;
use crate::synonym_blocks::SynonymGroups;
use crate::synonyms::QuestionText;
use crate::validity::{Force, ForceOnDay};

/// At most this many of a ranking's first documents are looked at: the rest keep their
/// order.
pub(super) const MAX_HEAD_CHECKS: usize = 100;

impl SearchIndex {
    /// Reads the dictionary entries, then the postings (and, with `option`'s positions,
    /// the positions) of every `(field, token)` at once, going on past bytes not fetched
    /// yet: a range reader fetches them in two rounds instead of one per term, as the
    /// queries below would read them. Fails with the first miss, or an other error.
    pub(super) fn read_terms_ahead(
        &self,
        searcher: &Searcher,
        terms: &[(Field, &str)],
        option: IndexRecordOption,
    ) -> tantivy::Result<()> {
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut infos = Vec::new();
            for (field, token) in terms {
                let index = segment.inverted_index(*field)?;
                infos.push((index, Term::from_field_text(*field, token)));
            }
            let found = every_read(infos.iter().map(|(index, term)| {
                self.entries
                    .get(ord, index, term)
                    .map_err(tantivy::TantivyError::from)
            }))?;
            let reads = infos
                .iter()
                .zip(found)
                .filter_map(|((index, _), info)| info.map(|info| (index, info)))
                .flat_map(|(index, info)| read_postings_ahead(index, &info, option))
                .collect::<Vec<_>>();
            every_read(reads.into_iter())?;
        }
        Ok(())
    }

    /// The documents holding any of `terms` in `field`, best by BM25 first (scored with
    /// `options.1`: `WithFreqs`, or `Basic` for a field without frequencies), at most
    /// `limit`, within `filters`; each term's entry and postings read ahead with
    /// `options.0`, in two rounds for a range reader.
    pub(super) fn best_by_any_term(
        &self,
        searcher: &Searcher,
        (field, terms): (Field, &[&str]),
        options: (IndexRecordOption, IndexRecordOption),
        filters: &Filters,
        limit: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let reads: Vec<(Field, &str)> = terms.iter().map(|term| (field, *term)).collect();
        self.read_terms_ahead(searcher, &reads, options.0)?;
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|term| {
                let term = Term::from_field_text(field, term);
                let query: Box<dyn Query> = Box::new(TermQuery::new(term, options.1));
                (Occur::Should, query)
            })
            .collect();
        let any = self.with_filters(Box::new(BooleanQuery::new(clauses)), filters);
        self.collect(searcher, &any, &TopDocs::with_limit(limit).order_by_score())
    }

    /// The documents of `ranked` whose title begins (after a leading `中华人民共和国`) with
    /// one of `heads` (tokens), each with the size of its title without that prefix
    /// ([`core_token_count`](crate::tokenizer::core_token_count)); when a day is asked, only
    /// those in force on `today`: a repealed 个体工商户条例 names 个体户's topic at its head,
    /// but the 促进个体工商户发展条例 that replaced it is the rule a citizen is bound by.
    fn headed_titles(
        &self,
        searcher: &Searcher,
        heads: &[&str],
        ranked: &[DocAddress],
        today: Option<time::Date>,
    ) -> tantivy::Result<HashMap<DocAddress, u64>> {
        let mut headed = HashMap::new();
        let field = self.fields.title;
        if ranked.is_empty() {
            return Ok(headed);
        }
        let terms: Vec<(Field, &str)> = heads.iter().map(|head| (field, *head)).collect();
        self.read_terms_ahead(searcher, &terms, IndexRecordOption::WithFreqsAndPositions)?;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let docs: Vec<u32> = {
                let mut docs: Vec<u32> = ranked
                    .iter()
                    .filter(|address| address.segment_ord as usize == ord)
                    .map(|address| address.doc_id)
                    .collect();
                docs.sort_unstable();
                docs.dedup();
                docs
            };
            if docs.is_empty() {
                continue;
            }
            let Some(columns) = self.columns.of(segment) else {
                continue;
            };
            // An index without force columns heads as if no day were asked.
            let force = columns.force_on(today);
            let (tokens, core) = (&columns.title_tokens, &columns.title_core_tokens);
            let index = segment.inverted_index(field)?;
            let postings = every_read(heads.iter().map(|head| {
                index
                    .read_postings(
                        &Term::from_field_text(field, head),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                    .map_err(tantivy::TantivyError::from)
            }))?;
            let mut positions = Vec::new();
            for mut list in postings.into_iter().flatten() {
                for &doc in &docs {
                    let at = match list.doc() {
                        current if current >= doc => current,
                        _ => list.seek(doc),
                    };
                    if at != doc {
                        continue;
                    }
                    let offset = tokens.get_val(doc).saturating_sub(core.get_val(doc));
                    positions.clear();
                    list.positions(&mut positions);
                    let repealed = force
                        .as_ref()
                        .is_some_and(|force| force.force(doc) == Force::NotInForce);
                    if !repealed && positions.iter().any(|&p| u64::from(p) == offset) {
                        headed.insert(DocAddress::new(ord as u32, doc), core.get_val(doc));
                    }
                }
            }
        }
        Ok(headed)
    }

    /// `ranked` with the documents whose title names a part of `queries` at its head
    /// moved before the others, each group in its order; only the first
    /// [`MAX_HEAD_CHECKS`] are looked at.
    pub(super) fn head_first(
        &self,
        searcher: &Searcher,
        queries: &[&ParsedQuery],
        ranked: Vec<DocAddress>,
        today: Option<time::Date>,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let mut heads: Vec<&str> = Vec::new();
        for query in queries {
            for part in &query.parts {
                if let Some(first) = part.shape().tokens.first() {
                    if !heads.contains(&first.as_str()) {
                        heads.push(first.as_str());
                    }
                }
            }
        }
        let checked = ranked.len().min(MAX_HEAD_CHECKS);
        let headed = self.headed_titles(searcher, &heads, &ranked[..checked], today)?;
        if headed.is_empty() {
            return Ok(ranked);
        }
        let (mut first, others): (Vec<DocAddress>, Vec<DocAddress>) = ranked[..checked]
            .iter()
            .partition(|address| headed.contains_key(address));
        first.extend(others);
        first.extend_from_slice(&ranked[checked..]);
        Ok(first)
    }
}

impl SearchIndex {
    /// `ranked` ordered by how widely each document binds, the widest first
    /// (the `authority` column, [`SegmentColumns::authority`](super::columns::SegmentColumns::authority); one not in force on `today`, when a day is asked, at
    /// [`NOT_IN_FORCE_SHARE`] of its weight, as [`by_force`] scores it: the repealed
    /// 信访条例 after the 信访工作条例 that replaced it), each level in its order. For the
    /// title tier of a query with synonyms, its own titles and those its synonyms name
    /// alike: `摆地摊` → `摊点`, `流动摊贩` name national regulations and a dozen cities' rules
    /// on street stalls, and a citizen asking in everyday words asks for the rule that binds
    /// them, which the cities' apply (keeping the query's own titles first ranked fewer
    /// national laws first on the development sets: their own hits are often a city's
    /// rule).
    pub(super) fn widest_first(
        &self,
        searcher: &Searcher,
        ranked: Vec<DocAddress>,
        today: Option<time::Date>,
        place: Option<&Place>,
    ) -> Vec<DocAddress> {
        let columns: Vec<_> = (0..searcher.segment_readers().len())
            .map(|ordinal| {
                let columns = self.columns.at(ordinal as u32);
                (
                    columns.map(|columns| columns.binding(place)),
                    columns.and_then(|columns| columns.force_on(today)),
                )
            })
            .collect();
        let mut keyed: Vec<(std::cmp::Reverse<u64>, DocAddress)> = ranked
            .into_iter()
            .map(|address| {
                let (binding, force) = match columns.get(address.segment_ord as usize) {
                    Some((binding, force)) => (binding.as_ref(), force.as_ref()),
                    None => (None, None),
                };
                let weight = binding.map_or(disclosure_core::authority::LOCAL, |binding| {
                    binding.weight(address.doc_id)
                });
                let weight = (weight as Score * force_share(force, address.doc_id)) as u64;
                (std::cmp::Reverse(weight), address)
            })
            .collect();
        // Stable: within a level, the ranking's order.
        crate::order::sort_by_key(&mut keyed, |(weight, _)| *weight);
        keyed.into_iter().map(|(_, address)| address).collect()
    }
}

/// The best `limit` documents by relevance times how widely each binds
/// (the `authority` column, [`SegmentColumns::authority`](super::columns::SegmentColumns::authority), in thousandths: a national law's score whole, a city's rule's a
/// quarter of it) and, when a day is asked, whether it is in force that day (one no longer
/// or not yet in force at [`NOT_IN_FORCE_SHARE`]), best first.
pub(super) fn by_force(
    limit: usize,
    today: Option<time::Date>,
    place: Option<Place>,
    columns: Columns,
) -> impl Collector<Fruit = Vec<(Score, DocAddress)>> {
    TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
        let columns = columns.of(segment);
        // An index without force columns ranks as if no day were asked.
        let force = columns.and_then(|columns| columns.force_on(today));
        let binding = columns.map(|columns| columns.binding(place.as_ref()));
        move |doc: DocId, score: Score| {
            let score = match &binding {
                Some(binding) => score * binding.weight(doc) as Score / 1000.0,
                None => score,
            };
            score * force_share(force.as_ref(), doc)
        }
    })
}

/// What a ranking by force keeps of a document's weight: [`NOT_IN_FORCE_SHARE`] when
/// `force` (the segment's columns for the day asked) says it is not in force, else all of
/// it (in force, without a record, or no day asked).
fn force_share(force: Option<&ForceOnDay>, doc: DocId) -> Score {
    match force.map(|force| force.force(doc)) {
        Some(Force::NotInForce) => NOT_IN_FORCE_SHARE,
        _ => 1.0,
    }
}

/// What [`by_force`] keeps of the score of a document not in force on the day asked (a
/// repealed 信访条例 beside the 信访工作条例 that replaced it, an expired notice): a
/// citizen's question is answered by the rules that bind today; the old ones still show,
/// lower, for who asks for them by name (the title tiers do not weigh force).
const NOT_IN_FORCE_SHARE: Score = 0.5;

/// A question's matches anywhere are taken this many pages deep before the titles naming
/// its topic at their head are moved first.
pub(super) const WIDER: usize = 3;

/// In the last resort of a question ([`SearchIndex::topic_titles`]), a title naming one of
/// its words at its head moves first only if it scores at least this share of the best
/// title: a common word at a title's head (`公司` of `公司法`) does not outrank the titles
/// holding the question's rarer words.
const HEADED_SHARE: f32 = 0.5;

/// The versions of a question's content words or of an everyday word, and what its topic
/// ranking scores of them, from a few passes of the synonym list: over `content` (its
/// rewrites, its seams) and, for a question, over its phrases and the text as typed
/// ([`crate::synonyms::phrase_terms`]) and over its content words joined; computed once,
/// in the query plan, which reads the topic's tokens ahead.
///
/// The versions: `content` as typed, then as their synonyms say it (`醉驾` → `醉酒驾驶`,
/// `低保` → `最低生活保障`), at most [`MAX_ALTERNATIVES`](crate::synonyms::MAX_ALTERNATIVES)
/// more; empty ones left out, so the first is `content` unless it is empty. The titles and
/// texts of a question's or an everyday word's matches are looked for in them
/// (`content_hits`, `topic_titles`, `topic_heads`).
///
/// The topic ([`topic_weights`]): `content` as typed (but for the bigrams across the seam
/// of two of the list's terms side by side, [`crate::synonyms::split_at_seams`]: `镇老` of
/// `古镇老房子`), then each term the synonym list puts
/// in its versions, alone (`老年人` of `老年人去世`), then the whole versions. Whole
/// versions alone put first the bigrams straddling a term and the words around it (`纪去`
/// of `上了年纪去世`), which few laws hold, and under [`MAX_TOPIC_TOKENS`] they took the
/// places of later terms' own: `死亡` of `老人死亡` was cut while `人死` was read. Where the
/// cap leaves room, the straddling bigrams still count (`上散` of `网上散布谣言` tells of
/// the phrase). Empty ones left out. For a question, the terms its `phrases` hold count
/// too ([`crate::query::question_phrases`]: the question without its question words and
/// action verbs, fillers and function characters still in), and those its content words
/// hold joined: a term may span a character its content words set aside (`成立个协会`,
/// whose `个` is none, `偷来的东西`), or stand where a filler was (`同行造谣` of
/// `同行到处造谣`); and the groups of the terms it says with a word or two inside them
/// ([`crate::synonyms::phrase_terms`]: `剪光缆` of `剪断光缆`), which count as terms only:
/// on the development and training draws, 7 more questions of 780 found their law in the
/// top 10 this way, none fewer.
pub(crate) fn versions_of(
    synonyms: &SynonymGroups,
    content: &ParsedQuery,
    question: Option<QuestionText<'_>>,
) -> (Vec<ParsedQuery>, Vec<ParsedQuery>) {
    let text = part_texts(content);
    let rewrites = match question {
        Some(_) => crate::synonyms::question_rewrites(&text, synonyms),
        None => crate::synonyms::rewrites(&text, synonyms),
    };
    let mut versions = vec![content.clone()];
    versions.extend(rewrites.texts.iter().map(|text| parse_query(text)));
    // As typed, but for the bigrams across the seams of the list's terms; as typed whole
    // if split it would have more parts than a query keeps (its tail would be lost).
    let split = parse_query(&crate::synonyms::split_at_seams(&text, synonyms));
    let typed = match split.parts.len() < crate::query::MAX_PARTS {
        true => split,
        false => content.clone(),
    };
    let mut topic = vec![typed];
    // And the terms the content words hold once the words set aside between them are
    // gone (`同行造谣` of `同行到处造谣`).
    let phrase_terms = match question {
        Some(question) => {
            let joined: String = text.split_whitespace().collect();
            let mut terms = crate::synonyms::phrase_terms(question, synonyms);
            terms.extend(crate::synonyms::question_rewrites(&joined, synonyms).inserted);
            terms
        }
        None => Vec::new(),
    };
    for term in rewrites.inserted.iter().chain(&phrase_terms) {
        let term = parse_query(term);
        if !topic.contains(&term) {
            topic.push(term);
        }
    }
    topic.extend(versions[1..].iter().cloned());
    versions.retain(|version| !version.is_empty());
    topic.retain(|term| !term.is_empty());
    (versions, topic)
}

impl SearchIndex {
    /// A question's content words as a query of their own ([`crate::query::content_words`]),
    /// appended to `ranked` while the page is not full: first the titles holding every part
    /// of the content words or of what their synonyms say (`低保` → `最低生活保障`), taken in
    /// turn, those naming it at their head first; then, version by version, the documents
    /// holding every part anywhere, those naming it at their head first.
    pub(super) fn content_hits(
        &self,
        searcher: &Searcher,
        versions: &[ParsedQuery],
        filters: &Filters,
        wanted: usize,
        ranked: &mut Vec<DocAddress>,
    ) -> tantivy::Result<()> {
        let all: Vec<&ParsedQuery> = versions.iter().collect();
        let mut terms: Vec<(Field, &str)> = Vec::new();
        for version in versions {
            for token in version.distinct_tokens() {
                for field in [self.fields.title, self.fields.doc_number, self.fields.body] {
                    if !terms.contains(&(field, token)) {
                        terms.push((field, token));
                    }
                }
            }
        }
        self.read_terms_ahead(searcher, &terms, IndexRecordOption::WithFreqsAndPositions)?;
        let mut lists = Vec::new();
        for version in versions {
            let in_title =
                self.with_filters(self.all_parts_in(self.fields.title, version), filters);
            lists.push(self.closest_titles(
                searcher,
                &in_title,
                query_core_tokens(version),
                wanted,
                |_, _| 0.0,
                0.0,
                filters.today,
            )?);
        }
        let titles = self.head_first(searcher, &all, interleave(lists, wanted), filters.today)?;
        append_new(ranked, titles.into_iter());
        for version in versions {
            if ranked.len() >= wanted {
                break;
            }
            let frequency = self.body_doc_freqs(searcher, version)?;
            let anywhere = self.with_filters(self.all_parts_anywhere(version, &frequency), filters);
            let hits = self.collect(
                searcher,
                &anywhere,
                &TopDocs::with_limit(wanted * WIDER).order_by_score(),
            )?;
            let hits: Vec<DocAddress> = hits.into_iter().map(|(_, address)| address).collect();
            let mut hits = self.head_first(searcher, &[version], hits, filters.today)?;
            hits.truncate(wanted);
            append_new(ranked, hits.into_iter());
        }
        Ok(())
    }

    /// The last resort of a question whose content words are not found together
    /// (`楼上噪音太大`): the titles sharing the most of its words' bigrams or of their
    /// synonyms' (`噪声`), by BM25 over titles (a rare bigram weighs more, a short title
    /// more), those naming one of them at their head first when they score at least
    /// [`HEADED_SHARE`] of the best, the shortest of these first; appended to `ranked` up to
    /// `wanted`.
    pub(super) fn topic_titles(
        &self,
        searcher: &Searcher,
        versions: &[ParsedQuery],
        filters: &Filters,
        wanted: usize,
        ranked: &mut Vec<DocAddress>,
    ) -> tantivy::Result<()> {
        let (headed, rest) = self.titles_by_bigrams(searcher, versions, filters, wanted)?;
        let room = wanted.saturating_sub(ranked.len());
        let before = ranked.len();
        append_new(ranked, headed.into_iter().chain(rest));
        ranked.truncate(before + room);
        Ok(())
    }

    /// For an everyday word (`QueryPlan::everyday`): the titles naming at their
    /// head one of the bigrams of the word or of its synonyms, among those scoring at least
    /// [`HEADED_SHARE`] of the best title by BM25, the shortest first.
    pub(super) fn topic_heads(
        &self,
        searcher: &Searcher,
        versions: &[ParsedQuery],
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let (mut headed, _) = self.titles_by_bigrams(searcher, versions, filters, wanted)?;
        headed.truncate(wanted);
        Ok(headed)
    }

    /// The titles sharing bigrams with `content` or with what its synonyms say, best by
    /// BM25 over titles first, at most `wanted` × [`WIDER`]: those naming one at their head
    /// (and scoring at least [`HEADED_SHARE`] of the best), the shortest first, and the
    /// others.
    fn titles_by_bigrams(
        &self,
        searcher: &Searcher,
        versions: &[ParsedQuery],
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<(Vec<DocAddress>, Vec<DocAddress>)> {
        let mut tokens: Vec<&str> = Vec::new();
        for version in versions {
            for token in version.distinct_tokens() {
                // A seam bigram names no title (`topic_ranked`).
                if crate::tokenizer::is_han_bigram(token)
                    && !self.lexicon.seam_bigrams.contains(token)
                    && !tokens.contains(&token)
                {
                    tokens.push(token);
                }
            }
        }
        if tokens.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        // Positions too: `headed_titles` reads them below.
        let read = IndexRecordOption::WithFreqsAndPositions;
        let hits = self.best_by_any_term(
            searcher,
            (self.fields.title, &tokens),
            (read, IndexRecordOption::WithFreqs),
            filters,
            wanted * WIDER,
        )?;
        let Some(best) = hits.first().map(|(score, _)| *score) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let strong: Vec<DocAddress> = hits
            .iter()
            .filter(|(score, _)| *score >= best * HEADED_SHARE)
            .map(|(_, address)| *address)
            .collect();
        let headed = self.headed_titles(searcher, &tokens, &strong, filters.today)?;
        let (mut first, rest): (Vec<DocAddress>, Vec<DocAddress>) = hits
            .into_iter()
            .map(|(_, address)| address)
            .partition(|address| headed.contains_key(address));
        // The title that is most nearly the topic alone first (`广告法` before `广告管理条例`).
        crate::order::sort_by_key(&mut first, |address| {
            headed.get(address).copied().unwrap_or(u64::MAX)
        });
        Ok((first, rest))
    }
}

/// In [`SearchIndex::topic_ranked`], a token that only a synonym of the citizen's words
/// brings (`基本养老保险` for `养老保险`) counts this much of one they typed: what they typed
/// decides first. Chosen on the development questions; 0.3 to 1.0 gave the same results.
const SYNONYM_WEIGHT: Score = 0.6;

impl SearchIndex {
    /// The laws on the topic of a question's content words or of an everyday word, best
    /// first, at most `wanted`: every document holding one of the tokens of its `versions`
    /// ([`versions_of`]: as typed, then the terms its synonyms put in, then the versions
    /// they make), scored by BM25 over its title and its body (a token in both counts
    /// twice; a token only a synonym brings at [`SYNONYM_WEIGHT`]), times how widely the document binds
    /// ([`disclosure_core::authority`]: a national law before the local regulations and
    /// interpretations that repeat its words, often more densely) and whether it is in
    /// force on the day asked ([`by_force`]). A question's `lone`
    /// characters ([`crate::query::lone_characters`]; empty for an everyday word) add its
    /// characters as found in titles ([`title_characters`]; with the characters of its
    /// words no law uses, [`SearchIndex::question_characters`]).
    ///
    /// No part needs to match whole: a citizen's words are rarely the law's (`被狗咬伤` and
    /// `饲养动物损害`), and the tokens they share decide. Reads the postings (not the
    /// positions) of at most 2 × [`MAX_TOPIC_TOKENS`] terms, and of the few the intent words
    /// of a fixed table add ([`crate::query::intent_words`]), in two rounds, and the
    /// `authority` fast field, which is in the head (every pack of format 3 has it; should
    /// a segment's column not open, that segment ranks by relevance alone rather than the
    /// question failing).
    ///
    /// A bigram the titles hold only across the end of the national prefix
    /// ([`crate::lexicon::seam_bigrams`]: `国外` of `中华人民共和国外交特权与豁免条例`) is scored
    /// in bodies only: a question's `连国外的网` or `我国领海` names no law by it.
    pub(super) fn topic_ranked(
        &self,
        searcher: &Searcher,
        (versions, intent): (&[ParsedQuery], &[String]),
        lone: &[String],
        filters: &Filters,
        wanted: usize,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let weights = topic_weights(versions, intent);
        if weights.is_empty() || wanted == 0 {
            return Ok(Vec::new());
        }
        let fields = [self.fields.title, self.fields.body];
        let terms: Vec<(Field, &str)> = weights
            .iter()
            .flat_map(|(token, _)| fields.iter().map(move |field| (*field, token.as_str())))
            .collect();
        self.read_terms_ahead(searcher, &terms, IndexRecordOption::WithFreqs)?;
        // A bigram titles hold only across the national prefix's end (`国外` of
        // `中华人民共和国外交…`) names no law in a title: it counts in bodies only.
        let seam = &self.lexicon.seam_bigrams;
        let title = self.fields.title;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = weights
            .iter()
            .flat_map(|(token, weight)| {
                let in_titles = !seam.contains(token);
                fields
                    .iter()
                    .filter(move |field| **field != title || in_titles)
                    .map(move |field| {
                        let term = TermQuery::new(
                            Term::from_field_text(*field, token),
                            IndexRecordOption::WithFreqs,
                        );
                        let query: Box<dyn Query> =
                            Box::new(BoostQuery::new(Box::new(term), *weight));
                        (Occur::Should, query)
                    })
            })
            .collect();
        // A question with lone characters (`税` of `买新车要交多少税`): they and the
        // characters of its content words count where a title holds them. The law on the
        // topic names them in its title (`车辆购置税法`), where in bodies a lone character is
        // everywhere. Title-character postings are small, and the query's were read with it.
        let characters = match versions.first() {
            Some(content) => title_characters(content, lone),
            None => Vec::new(),
        };
        let character_terms: Vec<(Field, &str)> = characters
            .iter()
            .map(|character| (self.fields.title_chars, character.as_str()))
            .collect();
        self.read_terms_ahead(searcher, &character_terms, IndexRecordOption::Basic)?;
        for (field, character) in character_terms {
            let term = TermQuery::new(
                Term::from_field_text(field, character),
                IndexRecordOption::Basic,
            );
            let query: Box<dyn Query> =
                Box::new(BoostQuery::new(Box::new(term), TITLE_CHARACTER_WEIGHT));
            clauses.push((Occur::Should, query));
        }
        let topic = self.with_filters(Box::new(BooleanQuery::new(clauses)), filters);
        let hits = self.collect(
            searcher,
            &topic,
            &by_force(
                wanted,
                filters.today,
                filters.place.clone(),
                self.columns.clone(),
            ),
        )?;
        Ok(hits.into_iter().map(|(_, address)| address).collect())
    }
}

/// The tokens [`SearchIndex::topic_ranked`] scores for the `versions` of a question's
/// content words or an everyday word ([`versions_of`]), with their weights: the tokens
/// of each version in turn, at most [`MAX_TOPIC_TOKENS`], a token only a synonym brings at
/// [`SYNONYM_WEIGHT`]; then the tokens of `intent`, what a
/// question's question words ask for ([`crate::query::intent_words`]), at
/// [`INTENT_WEIGHT`]. The query plan reads them ahead for a question, so it computes them
/// the same way, here.
pub(crate) fn topic_weights(versions: &[ParsedQuery], intent: &[String]) -> Vec<(String, Score)> {
    let mut weights: Vec<(String, Score)> = Vec::new();
    for (number, version) in versions.iter().enumerate() {
        let weight = if number == 0 { 1.0 } else { SYNONYM_WEIGHT };
        for token in version.distinct_tokens() {
            // A token every version shares (`网上` of `在网上造谣` and of its synonyms'
            // `在网上散布谣言`) counts once, at its highest weight.
            match weights.iter().position(|(seen, _)| seen == token) {
                Some(at) => weights[at].1 = weights[at].1.max(weight),
                None if weights.len() < MAX_TOPIC_TOKENS => {
                    weights.push((token.to_string(), weight))
                }
                None => {}
            }
        }
    }
    // What the question words ask for, after the cap: a few words of a fixed table.
    for word in intent {
        for token in parse_query(word).distinct_tokens() {
            if !weights.iter().any(|(seen, _)| seen == token) {
                weights.push((token.to_string(), INTENT_WEIGHT));
            }
        }
    }
    weights
}

impl SearchIndex {
    /// A question's lone characters ([`crate::query::lone_characters`]) and the characters
    /// of each two-character word of its `content` that no body holds
    /// ([`UNUSED_WORD_DOCS`]: `卖盐` → `卖`, `盐`): as a lone one does, such a word tells by
    /// its characters in titles (`盐` of `食盐专营办法`). Only two-character words count:
    /// inside a longer run most bigrams straddle two words (`露公` of `泄露公司`), and no law
    /// uses those either. For questions only; the body dictionary entries it reads are
    /// those of the question's own tokens, read in the first round.
    pub(super) fn question_characters(
        &self,
        searcher: &Searcher,
        content: &ParsedQuery,
        lone: &[String],
    ) -> tantivy::Result<Vec<String>> {
        let mut characters = lone.to_vec();
        let words = content
            .parts
            .iter()
            .filter_map(|part| match part.tokens.as_slice() {
                [token] => Some(token.as_str()),
                _ => None,
            });
        for token in words {
            if !crate::tokenizer::is_han_bigram(token) {
                continue;
            }
            let in_bodies = searcher.doc_freq(&Term::from_field_text(self.fields.body, token))?;
            // A tunable threshold, 0 today: the comparison is the rule, whatever its value.
            #[allow(clippy::absurd_extreme_comparisons)]
            let unused = in_bodies <= UNUSED_WORD_DOCS;
            if unused {
                for character in token.chars().map(String::from) {
                    if !characters.contains(&character) {
                        characters.push(character);
                    }
                }
            }
        }
        Ok(characters)
    }
}

/// How much a character of a question with lone characters counts in a title, in
/// [`SearchIndex::topic_ranked`], against 1 for a token of its content words. Chosen on
/// held-out questions: 0.5 to 1 helped alike, 2 pushed laws naming only the lone
/// character (`关税法` for `买新车要交多少税`) before the one on the topic.
const TITLE_CHARACTER_WEIGHT: Score = 1.0;

/// A question's two-character word held by at most this many bodies is a word the laws
/// do not use ([`SearchIndex::question_characters`] looks its characters up in titles).
const UNUSED_WORD_DOCS: u64 = 0;

/// At most this many characters of a question are looked up in titles.
const MAX_TITLE_CHARACTERS: usize = 12;

/// The characters of a question looked up in titles by [`SearchIndex::topic_ranked`]: its
/// lone characters, then the Han characters of its content words, at most
/// [`MAX_TITLE_CHARACTERS`]; none when it has no lone character (its content words are
/// then all it says, and their tokens decide).
fn title_characters(content: &ParsedQuery, lone: &[String]) -> Vec<String> {
    if lone.is_empty() {
        return Vec::new();
    }
    let mut characters: Vec<String> = lone.to_vec();
    for character in content.distinct_characters() {
        if character.chars().all(crate::tokenizer::is_han) && !characters.contains(&character) {
            characters.push(character);
        }
    }
    characters.truncate(MAX_TITLE_CHARACTERS);
    characters
}

/// How much a legal word a question word asks for ([`crate::query::intent_words`]:
/// `刑事` for `犯法吗`) counts in [`SearchIndex::topic_ranked`], against 1 for a token the
/// citizen typed: it tells which kind of law answers, not what about. Chosen on the
/// development questions: 0.4 and 0.8 ranked a few more answers first than none, 0.8 lost
/// one from the top 10.
const INTENT_WEIGHT: Score = 0.4;

/// At most this many distinct tokens of a question and its synonyms are scored by
/// [`SearchIndex::topic_ranked`] (the first ones: what the citizen typed comes first), before
/// the tokens of what its question words ask for ([`topic_weights`]); a question pasted
/// whole from an article does not read hundreds of postings.
pub(super) const MAX_TOPIC_TOKENS: usize = 24;

/// Whether `query` has the form of an everyday word: a [`short_word`] or one Latin word.
pub(crate) fn everyday_form(query: &ParsedQuery) -> bool {
    short_word(query) || latin_word(query)
}

/// Whether `query` is one run of two to [`MAX_EVERYDAY_CHARS`] Han characters: a word
/// (`无证驾驶`, `企业年金`), not a title, a phrase or a question.
pub(crate) fn short_word(query: &ParsedQuery) -> bool {
    han_run(query).is_some_and(|characters| (2..=MAX_EVERYDAY_CHARS).contains(&characters))
}

/// Whether `query` is one run of more than [`MAX_EVERYDAY_CHARS`] and at most `most` Han
/// characters: longer than an everyday word, as short as the everyday phrases citizens
/// type (`村里年底分红`, `买二手船过户`).
pub(crate) fn short_phrase(query: &ParsedQuery, most: usize) -> bool {
    han_run(query).is_some_and(|characters| (MAX_EVERYDAY_CHARS + 1..=most).contains(&characters))
}

/// How many characters `query` has when it is one run of Han characters (one part of Han
/// bigrams); `None` for anything else.
fn han_run(query: &ParsedQuery) -> Option<usize> {
    let [part] = query.parts.as_slice() else {
        return None;
    };
    let han = part
        .tokens
        .iter()
        .all(|token| crate::tokenizer::is_han_bigram(token));
    han.then_some(part.tokens.len() + 1)
}

/// Whether `query` is one word of Latin letters and digits (`KTV`, `APP`, `PM2.5`'s parts
/// are two words): a short form people use for what laws say in Chinese.
fn latin_word(query: &ParsedQuery) -> bool {
    let [part] = query.parts.as_slice() else {
        return false;
    };
    let [token] = part.tokens.as_slice() else {
        return false;
    };
    token.chars().all(|c| c.is_ascii_alphanumeric())
}

/// An everyday word is at most this many characters (`社保`, `噪音扰民`); longer text is
/// a title, a phrase or a question.
pub(super) const MAX_EVERYDAY_CHARS: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synonyms::parse_synonyms;

    fn list_of(text: &str) -> SynonymGroups {
        let (synonyms, problems) = parse_synonyms("s.txt", text);
        assert!(problems.is_empty(), "{problems:?}");
        SynonymGroups::new(synonyms)
    }

    #[test]
    fn each_synonym_term_is_scored_before_the_bigrams_around_it() {
        let list = list_of(
            "老人 老年人 老人家 上了年纪 老头 老太太 老大爷 老奶奶 老大娘\n过世 去世 离世 病逝 死亡\n",
        );
        let content = parse_query("老人去世 必须火化");
        let weights = topic_weights(&versions_of(&list, &content, None).1, &[]);
        let weight = |token: &str| weights.iter().find(|(seen, _)| seen == token).map(|w| w.1);
        // What was typed, whole; the last term the rewrites put in is not cut by the cap
        // the bigrams straddling the earlier terms (`纪去`, `人过`) used to fill.
        assert_eq!(weight("火化"), Some(1.0));
        assert_eq!(weight("去世"), Some(1.0));
        assert_eq!(weight("死亡"), Some(SYNONYM_WEIGHT));
        assert_eq!(weight("老年"), Some(SYNONYM_WEIGHT));
        assert!(weights.len() <= MAX_TOPIC_TOKENS);
        let terms = versions_of(&list, &content, None).1;
        // As typed, but for the bigram across the seam of two terms (`人去`), which only a
        // rewritten version brings (`老年人去世`), at a synonym's weight.
        assert_eq!(part_texts(&terms[0]), "老人 去世 必须火化");
        assert_eq!(weight("人去"), Some(SYNONYM_WEIGHT));
        assert!(terms.iter().any(|term| part_texts(term) == "死亡"));
    }

    #[test]
    fn a_term_a_question_says_with_a_word_inside_it_joins_its_topic() {
        let list = list_of("剪光缆 破坏公用电信设施\n");
        let content = parse_query("剪断光缆 断网");
        let question = QuestionText {
            typed: "剪断光缆断网怎么办",
            phrases: "剪断光缆 断网",
        };
        let topic = versions_of(&list, &content, Some(question)).1;
        assert!(topic
            .iter()
            .any(|term| part_texts(term) == "破坏公用电信设施"));
        // Without the question's phrases (an everyday word), terms match only as typed.
        let topic = versions_of(&list, &content, None).1;
        assert!(!topic
            .iter()
            .any(|term| part_texts(term) == "破坏公用电信设施"));
    }
}
