//! The query plan: everything a search derives from its request before reading the index,
//! computed once ([`SearchIndex::plan`](crate::SearchIndex)) and read by every stage — the
//! terms a range reader fetches ahead ([`QueryPlan::term_reads`]) and the ranking alike —
//! so what is fetched and what is ranked cannot drift apart.

use std::collections::HashMap;

use disclosure_core::place::{named_place, Place};

use tantivy::schema::{Field, IndexRecordOption};

use crate::engine::SearchRequest;
use crate::latin::PinyinReading;
use crate::lexicon::LoadedLexicon;
use crate::query::{content_words, parse_query, ParsedQuery, PhraseShape};
use crate::schema::Fields;
use crate::synonym_blocks::SynonymGroups;
use crate::synonyms::QuestionText;

/// A search's plan: the request, its parts and tokens, what else it reads as (synonyms,
/// a document number, pinyin, a question's content words).
#[derive(Debug, Clone)]
pub(crate) struct QueryPlan {
    pub request: SearchRequest,
    /// The query's parts (phrases) and their tokens.
    pub query: ParsedQuery,
    /// The query as its synonyms say it (at most 8, [`alternatives`]), none empty: their
    /// titles join the title tier when the query's own are few.
    pub alternatives: Vec<ParsedQuery>,
    /// The canonical key of the document number the query reads as.
    pub number_key: Option<String>,
    /// The query's Latin letters read as pinyin syllables or initials.
    pub pinyin: Option<PinyinReading>,
    /// A question's content words as a query of their own, when they differ from it.
    pub content: Option<ParsedQuery>,
    /// The versions of [`QueryPlan::content`], itself first
    /// ([`crate::engine::topic::versions_of`]), whose titles and texts the question's
    /// matches are looked for in; empty without content words.
    pub content_versions: Vec<ParsedQuery>,
    /// The versions of an everyday word ([`QueryPlan::everyday`]) or of another short word
    /// ([`crate::engine::topic::short_word`]), whose titles name its topic at their head:
    /// the query first, then as its synonyms say it; empty for any other query.
    pub query_versions: Vec<ParsedQuery>,
    /// What the topic ranking of a question's content words scores: them as typed, then
    /// the synonym terms their versions and the question's phrases put in, then the
    /// versions ([`crate::engine::topic::versions_of`]); empty without content words.
    pub content_topic: Vec<ParsedQuery>,
    /// The same for an everyday word or another short word ([`QueryPlan::query_versions`]).
    pub query_topic: Vec<ParsedQuery>,
    /// The lone Han characters a question's content words leave out (`税` of
    /// `买新车要交多少税`, [`crate::query::lone_characters`]): the topic's titles name them.
    pub lone: Vec<String>,
    /// Whether the query asks ([`crate::query::asks`]): its content words' topic is then
    /// ranked before the documents holding its words as typed.
    pub asks: bool,
    /// Whether the query has the form of an everyday word and synonyms (`医保`,
    /// [`crate::engine::topic::everyday_form`], or one part made of terms of the list alone,
    /// at most [`MAX_TERMS_CHARS`] characters in any script: `70年产权`, `打捞沉船文物`).
    pub everyday: bool,
    /// Whether the query is no everyday word ([`QueryPlan::everyday`]), at most
    /// [`MAX_TERMS_CHARS`] characters, and synonym terms are at least half of it
    /// (`家电能效标签`; `老外领养中国孩子`, two terms of two characters), or it is one run of
    /// Han characters longer than an everyday word and at most that long (`村里年底分红`,
    /// [`crate::engine::topic::short_phrase`]): a phrase the texts holding it answer first,
    /// and when none holds it, an everyday word ranked by its topic
    /// ([`QueryPlan::query_topic`]), after the titles it nearly is. Not read ahead: the
    /// ranking reads it then, in up to two more rounds.
    pub unmatched_everyday: bool,
    /// For a question that asks or an everyday word, the tokens its topic ranking scores
    /// in titles and bodies (its content words' or the word's, and their synonyms',
    /// [`crate::engine::topic::topic_weights`]): read with the query's own rather than in
    /// rounds after them. Empty otherwise.
    pub topic: Vec<String>,
    /// For a question that asks, the legal words its question words ask for
    /// ([`crate::query::intent_words`]: `刑事` for `犯法吗`), which its topic ranking
    /// scores too. Empty otherwise.
    pub intent: Vec<String>,
    /// The place the query names (`广东失业金`, `在上海…`;
    /// [`disclosure_core::place::named_place`] among the places of the index's documents):
    /// its documents bind there as the national laws do in every ranking by legal force
    /// (the `place` column, in the head). Its name stays in the query: the place's rule on
    /// the topic holds both in its title, where a national law holds the topic alone.
    pub place: Option<Place>,
    /// Whether the query may be the short name of a law ([`crate::engine::may_name_law`]):
    /// the ranking walks its characters in titles when no title holds it as typed, and
    /// they are read ahead.
    pub may_name_law: bool,
    /// For a word of 3 to 5 Han characters that holds no term of the synonym list, the
    /// versions of the terms one character off it ([`crate::synonyms::near_terms`]:
    /// `收废铁` → `收废品`, `废旧金属收购` …), ranked by their topic only when no text holds
    /// it as typed. Not read ahead: only the ranking finds that out, and then it reads
    /// them in one more round, as it reads the topic of another short word.
    pub near: Vec<Vec<ParsedQuery>>,
    /// What the highlights show: the query's parts and its synonyms'.
    pub shown: ParsedQuery,
}

/// How many documents hold each token of the query in the body (a body phrase checks the
/// positions of its rarest tokens only): read from the term dictionary in the first stage.
pub(crate) type BodyFrequency = HashMap<String, u64>;

/// A query made of synonym terms alone is an everyday word up to this many characters
/// (the 2–8 of the everyday words citizens typed in the project's draws,
/// `index/eval/lang-holdout-*.json`); longer, it is a phrase.
pub(crate) const MAX_TERMS_CHARS: usize = 8;

impl QueryPlan {
    /// The plan of `request` over an index whose lexicon is `lexicon`, with the groups of
    /// the synonym list the query can hold (`synonyms`, [`crate::synonym_blocks`]) and the
    /// places its documents bind in (`places`); reads nothing.
    pub fn new(
        request: &SearchRequest,
        lexicon: &LoadedLexicon,
        synonyms: &SynonymGroups,
        places: &[Place],
    ) -> QueryPlan {
        let query = parse_query(&request.query);
        let rewrites = crate::synonyms::rewrites(&request.query, synonyms);
        let alternatives: Vec<ParsedQuery> = rewrites
            .texts
            .iter()
            .map(|text| parse_query(text))
            .filter(|alternative| !alternative.is_empty())
            .collect();
        let content = content_words(&request.query)
            .map(|text| parse_query(&text))
            .filter(|content| !content.is_empty() && *content != query);
        let asks = crate::query::asks(&request.query);
        // An everyday word (`医保`: the form of one, with synonyms) is ranked by its topic
        // too, unless a title holds it as typed, which only the ranking finds out: its
        // topic's tokens are read ahead all the same, their title positions with them
        // (the titles naming them at their head come first).
        // The term is at least half the word (`社保`, `交社保`, `噪音扰民`): a phrase looked up
        // that merely holds one (`间内不起诉` of a body, with `起诉` in it) is a phrase, and
        // the texts holding it come first.
        // A query of one part made of terms alone has the form of one whatever its script
        // (`70年产权`, digits and Han), up to the length of the everyday words citizens type
        // (`打捞沉船文物`); words apart (`沉船 文物`) are a search for both.
        let half_a_term = !alternatives.is_empty()
            && rewrites
                .term_share
                .is_some_and(|(term, whole)| 2 * term >= whole);
        let as_short_as_one = rewrites
            .term_share
            .is_some_and(|(_, whole)| whole <= MAX_TERMS_CHARS);
        let of_terms = query.parts.len() == 1 && rewrites.covered && as_short_as_one;
        let everyday = (crate::engine::topic::everyday_form(&query) || of_terms) && half_a_term;
        // No everyday word, up to the everyday words citizens type, at least half of it in
        // terms (`家电能效标签`; `老外领养中国孩子`, two terms of two characters): a phrase
        // first, an everyday word when no text holds it.
        let half_in_terms = !alternatives.is_empty()
            && rewrites
                .term_share
                .is_some_and(|(_, whole)| 2 * rewrites.in_terms >= whole);
        // So is any one run of Han characters longer than an everyday word, up to the
        // everyday phrases citizens type (`村里年底分红`, `买二手船过户`): when no text holds
        // it, its partial matches are titles sharing a word or two (the ranking puts a
        // title it nearly is, a slip, first: `上海市航道浙例`).
        let short_phrase = crate::engine::topic::short_phrase(&query, MAX_TERMS_CHARS);
        let unmatched_everyday = !everyday && ((half_in_terms && as_short_as_one) || short_phrase);
        // A question that asks, by its content words.
        let question = content.as_ref().filter(|_| asks);
        let intent: Vec<String> = match question {
            Some(_) => crate::query::intent_words(&request.query)
                .into_iter()
                .map(String::from)
                .collect(),
            None => Vec::new(),
        };
        // The ranking scores the everyday word's topic when no title holds it as typed, else
        // the question's: which, only the ranking finds out, so both are read.
        let phrases = crate::query::question_phrases(&request.query);
        // The synonym list reads a question as typed too, as far as any text is read.
        let typed = crate::query::capped(&request.query);
        let question_text = phrases.as_deref().map(|phrases| QuestionText {
            typed: &typed,
            phrases,
        });
        let (content_versions, content_topic) = match &content {
            Some(content) => crate::engine::topic::versions_of(synonyms, content, question_text),
            None => (Vec::new(), Vec::new()),
        };
        let (query_versions, query_topic) =
            match everyday || unmatched_everyday || crate::engine::topic::short_word(&query) {
                true => crate::engine::topic::versions_of(synonyms, &query, None),
                false => (Vec::new(), Vec::new()),
            };
        let near: Vec<Vec<ParsedQuery>> = match alternatives.is_empty() {
            true => crate::synonyms::near_terms(&request.query, synonyms)
                .iter()
                .map(|terms| terms.iter().map(|term| parse_query(term)).collect())
                .collect(),
            false => Vec::new(),
        };
        let mut topic: Vec<String> = Vec::new();
        let mut weights = Vec::new();
        if question.is_some() {
            weights.extend(crate::engine::topic::topic_weights(&content_topic, &intent));
        }
        // Not an everyday word longer than one's form: only the ranking finds out that no
        // text holds it, and most such queries are a title's or a body's words (`水土保持条`),
        // for which its topic would be read in vain (up to 45 KiB more per query).
        if everyday {
            weights.extend(crate::engine::topic::topic_weights(&query_topic, &[]));
        }
        for (token, _) in weights {
            if !topic.contains(&token) {
                topic.push(token);
            }
        }
        let mut shown = query.clone();
        for alternative in &alternatives {
            shown.parts.extend(alternative.parts.iter().cloned());
        }
        QueryPlan {
            request: request.clone(),
            number_key: crate::engine::number_key(&request.query),
            pinyin: crate::latin::read_pinyin(
                &crate::query::parse_query_as_typed(&request.query),
                lexicon,
            ),
            query,
            alternatives,
            content,
            content_versions,
            query_versions,
            content_topic,
            query_topic,
            lone: crate::query::lone_characters(&request.query),
            asks,
            everyday,
            unmatched_everyday,
            topic,
            intent,
            may_name_law: crate::engine::may_name_law(&request.query),
            place: named_place(&request.query, places).cloned(),
            near,
            shown,
        }
    }

    /// Whether there is nothing to search for (the results are empty).
    pub fn is_empty(&self) -> bool {
        self.query.is_empty()
    }

    /// Every term the ranking looks up by its exact text, with what of its postings it
    /// reads — positions for the tokens a phrase checks ([`positional_tokens`] in the
    /// body, the anchored tokens elsewhere) — for a range reader to fetch them in one
    /// round; `pinyin_keys` are the Latin reading's keys ([`crate::SearchIndex`] derives
    /// them from the schema). Prefix ranges (a lone character ending a part) are read by
    /// [`QueryPlan::prefixes`].
    pub fn term_reads(
        &self,
        fields: &Fields,
        body_frequency: &BodyFrequency,
        pinyin_keys: &[(Field, String, IndexRecordOption)],
    ) -> Vec<(Field, String, IndexRecordOption)> {
        let mut wanted: Vec<(Field, String, IndexRecordOption)> = Vec::new();
        let mut add = |field: Field, token: &str, option: IndexRecordOption| {
            wanted.push((field, token.to_string(), option))
        };
        let positions = IndexRecordOption::WithFreqsAndPositions;
        let anywhere = [fields.title, fields.doc_number, fields.body];
        for part in &self.query.parts {
            let shape = part.shape();
            let whole_tokens = match shape.last_is_prefix {
                // The last token is matched as a prefix: the search scans for it.
                true => &shape.tokens[..shape.tokens.len() - 1],
                false => shape.tokens,
            };
            for token in whole_tokens {
                for field in anywhere {
                    add(field, token, IndexRecordOption::WithFreqs);
                }
            }
            if shape.last_is_prefix && shape.tokens.len() > 1 {
                // A phrase ending in a prefix checks the positions of all its tokens.
                for token in whole_tokens {
                    for field in anywhere {
                        add(field, token, positions);
                    }
                }
            }
            if whole_tokens.len() > 1 && !shape.last_is_prefix {
                for (_, token) in shape.anchored_tokens() {
                    add(fields.title, token, positions);
                    add(fields.doc_number, token, positions);
                }
                for (_, token) in positional_tokens(&shape, body_frequency) {
                    add(fields.body, token, positions);
                }
            }
        }
        for token in self.query.distinct_tokens() {
            for field in [fields.title, fields.body] {
                add(field, token, IndexRecordOption::WithFreqs);
            }
        }
        for token in &self.topic {
            add(fields.body, token, IndexRecordOption::WithFreqs);
            match self.everyday && crate::tokenizer::is_han_bigram(token) {
                true => add(fields.title, token, positions),
                false => add(fields.title, token, IndexRecordOption::WithFreqs),
            }
        }
        for character in &self.query.distinct_characters() {
            add(fields.title_chars, character, IndexRecordOption::Basic);
        }
        // A short name of a law (`环保法`): its characters' title positions, which the
        // ranking walks when no title holds it as typed.
        if self.may_name_law {
            for character in crate::engine::short_name_forms(&self.query).concat() {
                add(fields.title_char_positions, &character, positions);
            }
        }
        if let Some(key) = &self.number_key {
            add(fields.doc_key, key, IndexRecordOption::Basic);
        }
        for (field, key, option) in pinyin_keys {
            add(*field, key, *option);
        }
        // The synonyms' title phrases, which the ranking looks up when the query's own title
        // matches are few: read with the rest rather than in rounds of their own.
        for alternative in &self.alternatives {
            for part in &alternative.parts {
                let shape = part.shape();
                for token in shape.tokens {
                    add(fields.title, token, IndexRecordOption::WithFreqs);
                }
                if shape.tokens.len() > 1 && !shape.last_is_prefix {
                    for (_, token) in shape.anchored_tokens() {
                        add(fields.title, token, positions);
                    }
                }
            }
        }
        wanted
    }

    /// The prefixes the search scans (a lone character ending a part), with what of each
    /// term's postings it reads.
    pub fn prefixes(&self) -> Vec<(&str, IndexRecordOption)> {
        self.query
            .parts
            .iter()
            .map(|part| part.shape())
            .filter(|shape| shape.last_is_prefix)
            .map(|shape| {
                let option = match shape.tokens.len() {
                    1 => IndexRecordOption::Basic,
                    _ => IndexRecordOption::WithFreqsAndPositions,
                };
                (shape.tokens[shape.tokens.len() - 1].as_str(), option)
            })
            .collect()
    }
}

/// A body phrase checks the positions of at most this many of its tokens, the rarest; the
/// others need only be in the document. Positions are most of what a phrase reads (every
/// position of a term in the corpus), and those of `管理` or `条例` are read by nearly
/// every query of a law corpus; the four rarest at their distances, with every other token
/// present, hold a long phrase as tightly on the evaluation queries (R@1 unchanged; with
/// two or three, a few phrases rank a near miss first).
pub(crate) const BODY_POSITIONAL_TOKENS: usize = 4;

/// The tokens of a phrase whose positions a body match checks, with their offsets, in
/// phrase order: the anchored tokens, or the [`BODY_POSITIONAL_TOKENS`] rarest of them.
pub(crate) fn positional_tokens<'a>(
    shape: &PhraseShape<'a>,
    body_frequency: &BodyFrequency,
) -> Vec<(usize, &'a str)> {
    let mut anchored = shape.anchored_tokens();
    if anchored.len() > BODY_POSITIONAL_TOKENS {
        crate::order::sort_by_key(&mut anchored, |(offset, token)| {
            (body_frequency.get(*token).copied().unwrap_or(0), *offset)
        });
        anchored.truncate(BODY_POSITIONAL_TOKENS);
        crate::order::sort_by_key(&mut anchored, |(offset, _)| *offset);
    }
    anchored
}
