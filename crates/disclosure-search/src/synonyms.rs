//! The synonym list officials edit (`index/synonyms.txt`): one group of equivalent terms
//! per line, terms separated by spaces, commas (`,` `，`), `、` or `;`, `#` starting a
//! comment. `社保 社会保险` means a query holding either also looks for the other.
//!
//! [`parse_synonyms`] reads the file for the builder, which compiles the groups into the
//! pack's lexicon; each bad line is reported with `file:line` and left out:
//! an empty group or a group of one term, a term twice in a group, a group repeated, a term
//! already in another group (two groups sharing a term would chain into a loop of
//! meanings), more than [`MAX_GROUP_TERMS`] terms, a term longer than [`MAX_TERM_CHARS`]
//! characters or with nothing searchable in it. At query time [`alternatives`] gives at
//! most [`MAX_ALTERNATIVES`] rewritten queries, whatever the list holds.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use disclosure_core::text::fold;

use crate::synonym_blocks::SynonymGroups;

/// A group with more terms than this is refused (a pasted list is not a synonym group).
pub const MAX_GROUP_TERMS: usize = 32;
/// A term longer than this many characters is refused.
pub const MAX_TERM_CHARS: usize = 40;
/// A query is rewritten into at most this many alternatives, however many terms it holds.
pub const MAX_ALTERNATIVES: usize = 8;

/// Why a line of the synonym file was left out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynonymError {
    #[error("the group is empty or has a single term; a group needs at least two")]
    TooFewTerms,
    #[error("“{0}” appears twice in the group")]
    DuplicateTerm(String),
    #[error("the same group as line {0}")]
    DuplicateGroup(usize),
    #[error("“{term}” is already in the group of line {line}: groups sharing a term would loop")]
    TermInAnotherGroup { term: String, line: usize },
    #[error("{0} terms; a group holds at most {MAX_GROUP_TERMS}")]
    TooManyTerms(usize),
    #[error("“{0}” is longer than {MAX_TERM_CHARS} characters")]
    TermTooLong(String),
    #[error("“{0}” has nothing searchable in it")]
    NothingSearchable(String),
}

/// A bad line: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymProblem {
    /// The file as named to the builder.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    pub error: SynonymError,
}

impl fmt::Display for SynonymProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.error)
    }
}

impl std::error::Error for SynonymProblem {}

/// Reads a synonym file: the good groups (terms folded by
/// [`disclosure_core::text::fold`] and without spaces, in file order) and one problem per
/// bad line. `file` names the file in the problems.
pub fn parse_synonyms(file: &str, text: &str) -> (Vec<Vec<String>>, Vec<SynonymProblem>) {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut problems = Vec::new();
    // Each accepted term, with the line of its group.
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut group_lines: Vec<usize> = Vec::new();
    for (at, raw) in text.lines().enumerate() {
        let line = at + 1;
        let content = raw.split('#').next().unwrap_or_default();
        if content.trim().is_empty() {
            continue;
        }
        match parse_group(content, &owner, &groups, &group_lines) {
            Ok(group) => {
                for term in &group {
                    owner.insert(term.clone(), line);
                }
                groups.push(group);
                group_lines.push(line);
            }
            Err(error) => problems.push(SynonymProblem {
                file: file.to_string(),
                line,
                error,
            }),
        }
    }
    (groups, problems)
}

fn parse_group(
    content: &str,
    owner: &HashMap<String, usize>,
    groups: &[Vec<String>],
    group_lines: &[usize],
) -> Result<Vec<String>, SynonymError> {
    let raw_terms: Vec<&str> = content
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|term| !term.is_empty())
        .collect();
    if raw_terms.len() > MAX_GROUP_TERMS {
        return Err(SynonymError::TooManyTerms(raw_terms.len()));
    }
    let mut group: Vec<String> = Vec::new();
    for raw in raw_terms {
        if raw.chars().count() > MAX_TERM_CHARS {
            return Err(SynonymError::TermTooLong(raw.to_string()));
        }
        let term = fold(raw);
        if crate::tokenizer::tokenize(&term).is_empty() {
            return Err(SynonymError::NothingSearchable(raw.to_string()));
        }
        if group.contains(&term) {
            return Err(SynonymError::DuplicateTerm(raw.to_string()));
        }
        group.push(term);
    }
    if group.len() < 2 {
        return Err(SynonymError::TooFewTerms);
    }
    let mut sorted = group.clone();
    sorted.sort();
    for (known, line) in groups.iter().zip(group_lines) {
        let mut known_sorted = known.clone();
        known_sorted.sort();
        if known_sorted == sorted {
            return Err(SynonymError::DuplicateGroup(*line));
        }
    }
    if let Some((term, line)) = group
        .iter()
        .find_map(|term| owner.get(term).map(|line| (term.clone(), *line)))
    {
        return Err(SynonymError::TermInAnotherGroup { term, line });
    }
    Ok(group)
}

/// A group of the list, the longest of its terms a query holds, and the byte range of the
/// query that holds it ([`held_terms`]).
type HeldTerm<'a> = (&'a Vec<String>, &'a String, Range<usize>);

/// Each group's longest term `folded` (a folded query) holds, with the group and the byte
/// range of `folded` that holds it ([`held_at`], [`Unspoken::held_at`]), longest terms
/// first, then in file order.
fn held_terms<'a>(folded: &str, synonyms: &'a SynonymGroups) -> Vec<HeldTerm<'a>> {
    let unspoken = Unspoken::of(folded);
    let mut held: Vec<HeldTerm<'a>> = Vec::new();
    for group in synonyms.held_by(folded) {
        let mut terms: Vec<(&String, Range<usize>)> = group
            .iter()
            .filter_map(|term| {
                let at = held_at(folded, term)
                    .or_else(|| unspoken.as_ref().and_then(|view| view.held_at(term)));
                at.map(|at| (term, at))
            })
            .collect();
        crate::order::sort_by_key(&mut terms, |(term, _)| {
            std::cmp::Reverse(term.chars().count())
        });
        // A shorter term inside a longer held one (`社保` in `社保卡`) is not replaced.
        if let Some((term, at)) = terms.into_iter().next() {
            held.push((group, term, at));
        }
    }
    // Stable: file order among terms of one length.
    crate::order::sort_by_key(&mut held, |(_, term, _)| {
        std::cmp::Reverse(term.chars().count())
    });
    held
}

/// What a query also stands for through the synonym list, from one pass over the list
/// ([`rewrites`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rewrites {
    /// The query texts it also stands for ([`alternatives`]).
    pub texts: Vec<String>,
    /// For each of `texts`, the term of the list put in (`医疗保险` of `医疗保险报销`):
    /// what a synonym adds, without the bigrams that straddle it and the query's own text
    /// (`险报`), which no law on the topic need hold.
    pub inserted: Vec<String>,
    /// The characters of the longest term it holds, and of the whole query (white space
    /// left out): `(2, 2)` for `社保`, `(2, 3)` for `交社保`, `(2, 5)` for `间内不起诉`. `None`
    /// when it holds no term.
    pub term_share: Option<(usize, usize)>,
    /// How many of its characters (white space left out) stand inside a term it holds, each
    /// counted once: 4 for `老外领养中国孩子` (`老外`, `领养`), 0 when it holds none. A word a
    /// question puts inside a term (`我们的`, [`Unspoken`]) counts with it.
    pub in_terms: usize,
    /// Whether the terms it holds, one per group, cover every character of it (white space
    /// left out): `打捞沉船文物` is `打捞沉船` and `文物`; false when it holds none.
    pub covered: bool,
}

/// The query texts a query also stands for: its folded text with each term of a group it
/// holds replaced by each other term of that group (`医保报销` → `医疗保险报销`), the
/// longest held term of a group replaced by the others in the group's order
/// ([`others_in_order`]); at most [`MAX_ALTERNATIVES`], none equal to the query. The groups
/// take turns, one term each, those whose held term is longest first, then in file order:
/// `冤枉坐牢` says more than the `坐牢` inside it, and when the cap cuts, it cuts the less
/// specific meanings and no group is left unheard.
pub fn alternatives(query: &str, synonyms: &SynonymGroups) -> Vec<String> {
    rewrites(query, synonyms).texts
}

/// [`alternatives`] of `query`, and how much of it the longest term it holds is.
pub fn rewrites(query: &str, synonyms: &SynonymGroups) -> Rewrites {
    let folded = fold(query);
    if synonyms.is_empty() || folded.is_empty() {
        return Rewrites::default();
    }
    rewrites_held(&folded, &held_terms(&folded, synonyms))
}

/// [`rewrites`] of a question's words: as for any query, but a term it holds only inside
/// a longer term of another group is left as it stands ([`outermost`]).
pub fn question_rewrites(words: &str, synonyms: &SynonymGroups) -> Rewrites {
    let folded = fold(words);
    if synonyms.is_empty() || folded.is_empty() {
        return Rewrites::default();
    }
    rewrites_held(&folded, &outermost(&folded, held_terms(&folded, synonyms)))
}

/// `held` without the terms that stand only inside a longer held term of another group
/// (each held where it stands elsewhere, if it does): in a question the longer term says
/// what the citizen means, and the shorter one's group would put in another matter
/// (`养老` of `养老保险要交满多少年` is no `老年人权益保障`, whose law came first). An
/// everyday word keeps them: alone, a short word's group often holds the law's wording
/// the longer term's lacks (`加班` of `加班费` → `延长工作时间`). On the training draws,
/// questions: 12 more of 2,295 found their law first, 1 fewer in the top 10; everyday
/// words lost 8 from the top 10 when it applied to them too.
fn outermost<'a>(folded: &str, held: Vec<HeldTerm<'a>>) -> Vec<HeldTerm<'a>> {
    let spans: Vec<Range<usize>> = held.iter().map(|(_, _, at)| at.clone()).collect();
    let inside = |at: &Range<usize>| {
        spans
            .iter()
            .any(|span| span.start <= at.start && span.end >= at.end && span.len() > at.len())
    };
    held.into_iter()
        .filter_map(|(group, term, at)| {
            if !inside(&at) {
                return Some((group, term, at));
            }
            let (latin_start, latin_end) = latin_edges(term);
            if latin_start || latin_end {
                return None;
            }
            folded
                .match_indices(term.as_str())
                .map(|(start, _)| start..start + term.len())
                .find(|at| !inside(at))
                .map(|at| (group, term, at))
        })
        .collect()
}

/// A question as the synonym list reads it for its topic ([`phrase_terms`]).
#[derive(Debug, Clone, Copy)]
pub struct QuestionText<'a> {
    /// The question as the citizen typed it.
    pub typed: &'a str,
    /// Its phrases ([`crate::query::question_phrases`]): without its question words and
    /// action verbs, fillers and function characters still in.
    pub phrases: &'a str,
}

/// The terms a question brings to its topic, each once: first the groups of the terms
/// naming a question word or form it holds as typed ([`asked_terms`]: `打官司多少钱` says most
/// precisely what is asked; on the training draws, 2 more questions of 995 found their law
/// in the top 10 and 4 more first), then those put in for the terms its phrases hold
/// ([`rewrites`]'s `inserted`), then the groups of the terms it says with a word or two
/// inside them ([`gapped_terms`]); three passes over the list (its phrases' terms, the
/// terms said apart, the typed text's terms).
pub fn phrase_terms(question: QuestionText<'_>, synonyms: &SynonymGroups) -> Vec<String> {
    let folded = fold(question.phrases);
    if synonyms.is_empty() || folded.is_empty() {
        return Vec::new();
    }
    let held = outermost(&folded, held_terms(&folded, synonyms));
    let mut terms = asked_terms(&fold(question.typed), synonyms, &held);
    for term in rewrites_held(&folded, &held)
        .inserted
        .into_iter()
        .chain(gapped_terms(&folded, synonyms, &held))
    {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The terms of the groups whose term naming a question word or form (`打官司多少钱`,
/// `去哪个法院`, `自杀赔不赔`, [`crate::query::holds_question_form`]) or an action verb
/// (`起诉政府`, `申请低保`, [`crate::query::holds_action_word`]) a question holds as typed
/// (`folded`), of groups none of whose terms its phrases hold (`held`): for each, the other
/// terms in order, then the term itself ([`push_group`]). Its phrases have their question
/// words and action verbs set aside, so without this such a term of the officials' list
/// would never match a question: with the verbs, on the training draws,
/// 4 more questions of 1,155 found their law in the top 10 (老百姓怎么起诉政府部门 among
/// them) and 2 more first.
fn asked_terms(folded: &str, synonyms: &SynonymGroups, held: &[HeldTerm<'_>]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (group, term, _) in held_terms(folded, synonyms) {
        let known = held.iter().any(|(known, _, _)| std::ptr::eq(*known, group));
        let lost = crate::query::holds_question_form(term) || crate::query::holds_action_word(term);
        if known || !lost {
            continue;
        }
        push_group(&mut found, group, term);
    }
    found
}

/// Appends to `found` the other terms of `group` in order, then `term`, each not yet in it:
/// what a group a question says some other way brings to its topic ([`asked_terms`],
/// [`gapped_terms`]).
fn push_group(found: &mut Vec<String>, group: &[String], term: &String) {
    for other in others_in_order(group, term).into_iter().chain([term]) {
        if !found.contains(other) {
            found.push(other.clone());
        }
    }
}

/// `text` folded, with a space at each seam of two terms of the list that stand side by
/// side in it and inside no other (`古镇老房子` → `古镇 老房子`, `高空抛物砸伤人` →
/// `高空抛物 砸伤人`; Han terms of two characters or more). The bigram across such a seam
/// (`镇老`, `物砸`) is no word of the citizen's, yet the topic ranking would score it as
/// one, and at times it names another matter (`司法` of `官司法院`). On the training draws,
/// left out it put 1 more question of 995 in the top 10 and 3 more first, none fewer. One
/// pass over the list.
pub fn split_at_seams(text: &str, synonyms: &SynonymGroups) -> String {
    let folded = fold(text);
    // The byte ranges of `folded` holding a term, wherever it stands.
    let mut spans: Vec<Range<usize>> = Vec::new();
    for term in synonyms.held_by(&folded).flatten() {
        if term.chars().nth(1).is_none() || !term.chars().all(crate::tokenizer::is_han) {
            continue;
        }
        spans.extend(
            folded
                .match_indices(term.as_str())
                .map(|(at, _)| at..at + term.len()),
        );
    }
    let mut split = String::with_capacity(folded.len() + 8);
    let mut before: Option<(usize, char)> = None;
    for (at, c) in folded.char_indices() {
        if let Some((start, _)) = before.filter(|(_, b)| !b.is_whitespace() && !c.is_whitespace()) {
            let end = at + c.len_utf8();
            let seam = spans.iter().any(|span| span.end == at)
                && spans.iter().any(|span| span.start == at)
                && !spans
                    .iter()
                    .any(|span| span.start <= start && span.end >= end);
            if seam {
                split.push(' ');
            }
        }
        split.push(c);
        before = Some((at, c));
    }
    split
}

/// [`rewrites`] of `folded`, which holds the terms `held` ([`held_terms`]).
fn rewrites_held(folded: &str, held: &[HeldTerm<'_>]) -> Rewrites {
    let own = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count();
    let whole = own(folded);
    let term_share = held.first().map(|(_, term, _)| (own(term), whole));
    let in_terms = folded
        .char_indices()
        .filter(|(at, c)| !c.is_whitespace() && held.iter().any(|(_, _, range)| range.contains(at)))
        .count();
    // Every character stands inside a term.
    let covered = !held.is_empty() && in_terms == whole;
    // In rounds, each held group's next other term in turn: a large group cannot use up
    // the cap before another group the query holds is heard (`电线下` and `盖房子`).
    let turns: Vec<(Vec<&String>, &String, &Range<usize>)> = held
        .iter()
        .map(|(group, term, at)| (others_in_order(group, term), *term, at))
        .collect();
    let longest = turns
        .iter()
        .map(|(others, _, _)| others.len())
        .max()
        .unwrap_or(0);
    let mut found: Vec<String> = Vec::new();
    let mut inserted: Vec<String> = Vec::new();
    'rounds: for round in 0..longest {
        for (others, term, at) in &turns {
            let Some(other) = others.get(round) else {
                continue;
            };
            if found.len() >= MAX_ALTERNATIVES {
                break 'rounds;
            }
            // A term's Latin edge stands apart from the Han beside it (`OTC药`): so does what
            // it is rewritten to there (`非处方药 药`, not the phrase `非处方药药`); a Han edge
            // joins as the term did (`医保报销` → `医疗保险报销`).
            let (latin_start, latin_end) = latin_edges(term);
            let space = |apart: bool| if apart { " " } else { "" };
            let rewritten = format!(
                "{}{}{other}{}{}",
                &folded[..at.start],
                space(latin_start),
                space(latin_end),
                &folded[at.end..]
            );
            let rewritten = match latin_start || latin_end {
                true => rewritten
                    .split_whitespace()
                    .collect::<Vec<&str>>()
                    .join(" "),
                false => rewritten,
            };
            if rewritten != *folded && !found.contains(&rewritten) {
                found.push(rewritten);
                inserted.push(other.to_string());
            }
        }
    }
    Rewrites {
        texts: found,
        inserted,
        term_share,
        in_terms,
        covered,
    }
}

/// Fewest and most characters of a word [`near_terms`] reads as a term one character off.
const NEAR_TERM_CHARS: std::ops::RangeInclusive<usize> = 3..=5;

/// At most this many terms [`near_terms`] gives: more are guesses.
const MAX_NEAR_TERMS: usize = 2;

/// The terms of the list an everyday word no text holds most likely meant: those of its
/// length (3 to 5 Han characters, [`NEAR_TERM_CHARS`]) that differ from it in one character
/// only (`收废铁` → `收废品`), the first of a group, at most [`MAX_NEAR_TERMS`] groups in
/// file order, each with the other terms of its group in order: `[[收废品, 废品站, 收破烂,
/// 废旧金属收购]]`. Empty for other text or when no term is that close. A
/// typo tolerance for the list, as the titles have theirs: a guess, which the ranking
/// reads only when nothing holds the word as typed, and then scores as if typed.
pub fn near_terms(query: &str, synonyms: &SynonymGroups) -> Vec<Vec<String>> {
    let folded: Vec<char> = fold(query).chars().filter(|c| !c.is_whitespace()).collect();
    if !NEAR_TERM_CHARS.contains(&folded.len())
        || !folded.iter().all(|c| crate::tokenizer::is_han(*c))
    {
        return Vec::new();
    }
    let mut near: Vec<Vec<String>> = Vec::new();
    for group in synonyms.groups() {
        for term in group {
            let differ = term.chars().count() == folded.len()
                && term.chars().zip(&folded).filter(|(a, b)| a != *b).count() == 1;
            if differ {
                let mut versions = vec![term.clone()];
                versions.extend(others_in_order(group, term).into_iter().cloned());
                near.push(versions);
                break;
            }
        }
        if near.len() >= MAX_NEAR_TERMS {
            break;
        }
    }
    near
}

/// Whether [`near_terms`] may give `term` for a word one character off it: a term of
/// [`NEAR_TERM_CHARS`] Han characters ([`crate::synonym_blocks`] files its group under its
/// second character too).
pub(crate) fn may_be_near_term(term: &str) -> bool {
    NEAR_TERM_CHARS.contains(&term.chars().count()) && term.chars().all(crate::tokenizer::is_han)
}

/// The terms of `group` but `term`, in the group's order: the builder puts the wording the
/// laws use first ([`crate::term_usage::TermUsage::order`]: `电子签名` of `网上签字`,
/// `基本医疗保险` of `医保`), the one worth a rewrite when the cap cuts; a list read without
/// documents keeps the file's order.
fn others_in_order<'a>(group: &'a [String], term: &String) -> Vec<&'a String> {
    group.iter().filter(|other| *other != term).collect()
}

/// Whether `term` starts and whether it ends with a Latin letter or digit (`KTV`: both;
/// `12315热线`: starts): on such an edge it is matched as a whole word ([`held_at`]) and its
/// rewrite stands apart ([`alternatives`]).
fn latin_edges(term: &str) -> (bool, bool) {
    let latin = |c: char| c.is_ascii_alphanumeric();
    (
        term.chars().next().is_some_and(latin),
        term.chars().next_back().is_some_and(latin),
    )
}

/// Where `folded` holds `term` first (a byte offset): anywhere for a term of Han characters
/// (`医保` in `医保报销`), as a whole word for one that starts or ends with a Latin letter
/// or digit (`ngo` is no word of the pinyin `shenpangongzuo`, `etc` is one of `etc办理`).
fn held_at(folded: &str, term: &str) -> Option<Range<usize>> {
    if !may_hold(folded, term) {
        return None;
    }
    let latin = |c: char| c.is_ascii_alphanumeric();
    let (starts_latin, ends_latin) = latin_edges(term);
    let at = folded.match_indices(term).map(|(at, _)| at).find(|&at| {
        let before = folded[..at].chars().next_back();
        let after = folded[at + term.len()..].chars().next();
        !(starts_latin && before.is_some_and(latin) || ends_latin && after.is_some_and(latin))
    })?;
    Some(at..at + term.len())
}

/// Whether `text` holds `term`'s first and last characters: most terms of the groups a
/// query can hold ([`SynonymGroups::held_by`]) fail this, and it costs far less
/// than the substring search it spares (setting up a two-way searcher per term was a
/// tenth of a held query's time natively).
fn may_hold(text: &str, term: &str) -> bool {
    let (Some(first), Some(last)) = (term.chars().next(), term.chars().next_back()) else {
        return true;
    };
    text.contains(first) && text.contains(last)
}

/// Most characters a question may put inside a term of the list that it says in two
/// pieces ([`gapped_terms`]).
const MAX_TERM_GAP: usize = 4;

/// The terms of the list a question (`folded`) says with a word or two inside them, of
/// groups none of whose terms it holds (`held`, [`held_terms`]): `剪断光缆` holds `剪光缆`, `长城上刻字` `长城刻字`, `开庭时的录像`
/// `开庭录像`: for each such group, the other terms in order, as [`rewrites`]'s
/// `inserted` gives them, then the term itself. A term of at least three Han characters,
/// each in `folded`, whose first piece (at any split) stands in it and the rest of it
/// after 1 to [`MAX_TERM_GAP`] characters ([`held_apart`]; white space counted, so a question word set
/// aside counts as one). Not capped: a long question may bring many groups, of which the
/// topic ranking scores at most its first tokens (`MAX_TOPIC_TOKENS`, 24). Reads the list once; a
/// term passes the character check before its splits are tried at each window, so a
/// question of at most [`crate::query::MAX_QUERY_CHARS`] characters costs a few million
/// comparisons at most.
fn gapped_terms(folded: &str, synonyms: &SynonymGroups, held: &[HeldTerm<'_>]) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    let mut found: Vec<String> = Vec::new();
    for group in synonyms.held_by(folded) {
        if held.iter().any(|(known, _, _)| std::ptr::eq(*known, group)) {
            continue;
        }
        let gapped = group.iter().find(|term| {
            // The cheap checks first: most terms have a character the question lacks.
            let candidate = term.chars().count() >= 3
                && term
                    .chars()
                    .all(|c| crate::tokenizer::is_han(c) && chars.contains(&c));
            let term: Vec<char> = match candidate {
                true => term.chars().collect(),
                false => return false,
            };
            (1..term.len()).any(|split| held_apart(&chars, &term[..split], &term[split..]))
        });
        if let Some(term) = gapped {
            push_group(&mut found, group, term);
        }
    }
    found
}

/// Whether `text` holds `first`, then `rest` after 1 to [`MAX_TERM_GAP`] other characters,
/// none of them a pronoun kept before kin ([`names_kin`]: `他打我老婆` is no `打老婆`, as
/// [`Unspoken`] keeps that pronoun too). Tried and left out, each costing 1 to 4 questions
/// of 915 in the top 10 on the training draws: a one-character piece at either end
/// (`国外带东西回` is `国外带回`, `农村盖两层楼房` `农村盖房`, though `加班工资` is no `加工资`),
/// and white space inside the gap.
fn held_apart(text: &[char], first: &[char], rest: &[char]) -> bool {
    let kin_pronoun = |at: usize| {
        PRONOUNS.contains(&text[at]) && names_kin(&text[at + 1..].iter().collect::<String>())
    };
    text.windows(first.len())
        .enumerate()
        .filter(|(_, window)| *window == first)
        .any(|(at, _)| {
            let after = at + first.len();
            (after + 1..=after + MAX_TERM_GAP)
                .take_while(|&from| from <= text.len() && !kin_pronoun(from - 1))
                .any(|from| text.get(from..from + rest.len()) == Some(rest))
        })
}

/// The personal pronouns a citizen puts inside a phrasing that the list writes without
/// them: `别人乱用我照片` holds the term `乱用照片`, `欠我钱不还` the term `欠钱不还`.
const PRONOUNS: [char; 5] = ['我', '你', '他', '她', '它'];

/// Kin a pronoun is kept before (`他打我老婆`): the list's terms name one's own kin without
/// it (`打老婆`, domestic violence), and another's kin is another matter.
const KIN: [&str; 14] = [
    "老婆", "老公", "妻子", "丈夫", "爱人", "孩子", "儿子", "女儿", "父母", "爸", "妈", "爹",
    "家人", "亲人",
];

/// Whether the text after a pronoun names kin ([`KIN`]), a `们` or a `的` between them
/// (`我们的孩子`): the pronoun then says whose kin, and stays.
fn names_kin(after_pronoun: &str) -> bool {
    let rest = after_pronoun.trim_start_matches(['们', '的']);
    KIN.iter().any(|kin| rest.starts_with(kin))
}

/// A folded query without the personal pronouns inside it ([`PRONOUNS`], each with a `们`
/// and a `的` right after it: `我们的`), for the terms it holds only once they are left out;
/// each character kept with its byte range in the query. Terms that name a pronoun
/// themselves (`网上骂我`, `殴打他人`) are matched in the query as typed ([`held_at`]).
struct Unspoken {
    text: String,
    /// For each character of `text`, its byte range in the query.
    source: Vec<Range<usize>>,
}

impl Unspoken {
    /// The view of `folded` without its pronouns (but those before [`KIN`]); `None` when
    /// it holds none.
    fn of(folded: &str) -> Option<Unspoken> {
        if !folded.contains(PRONOUNS) {
            return None;
        }
        let mut view = Unspoken {
            text: String::new(),
            source: Vec::new(),
        };
        let mut after_pronoun = false;
        for (at, c) in folded.char_indices() {
            let left_out = (PRONOUNS.contains(&c) && !names_kin(&folded[at + c.len_utf8()..]))
                || (after_pronoun && matches!(c, '们' | '的'));
            after_pronoun = left_out;
            if !left_out {
                view.text.push(c);
                view.source.push(at..at + c.len_utf8());
            }
        }
        Some(view)
    }

    /// The byte range of the query that holds `term` once its pronouns are left out: from
    /// its first character to its last, pronouns between them included. Han terms only (a
    /// Latin one is a whole word, [`held_at`]), and only across a pronoun: a term held as
    /// typed is found there.
    fn held_at(&self, term: &str) -> Option<Range<usize>> {
        if !term.chars().all(crate::tokenizer::is_han) || !may_hold(&self.text, term) {
            return None;
        }
        let count = term.chars().count();
        self.text.match_indices(term).find_map(|(at, _)| {
            let first = self.text[..at].chars().count();
            let (start, end) = (&self.source[first], &self.source[first + count - 1]);
            // Contiguous in the query as typed: `held_at` found it, or it would have.
            let skipped = end.end - start.start > term.len();
            skipped.then_some(start.start..end.end)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups of a synonym file's text, held whole.
    fn list_of(text: &str) -> SynonymGroups {
        SynonymGroups::new(parse_synonyms("s.txt", text).0)
    }

    /// [`gapped_terms`] of `text`, without the groups it holds.
    fn gapped(text: &str, list: &SynonymGroups) -> Vec<String> {
        let folded = fold(text);
        gapped_terms(&folded, list, &held_terms(&folded, list))
    }

    #[test]
    fn a_question_says_a_term_with_words_inside_it() {
        let list =
            list_of("剪光缆 破坏公用电信设施\n长城刻字 损坏长城\n医保 医疗保险\n打老婆 家庭暴力\n");
        assert_eq!(
            gapped("剪断光缆 造成 断网 犯罪", &list),
            ["破坏公用电信设施", "剪光缆"]
        );
        // Up to four characters inside, white space counted; five are too many.
        assert_eq!(gapped("长城上 乱刻字", &list), ["损坏长城", "长城刻字"]);
        assert_eq!(gapped("长城上面被人刻字", &list), ["损坏长城", "长城刻字"]);
        assert!(gapped("长城上面被别人刻字", &list).is_empty());
        // A group held as typed is rewritten by `rewrites`; two characters are no term to
        // find apart (`医…保`); the pieces keep their order.
        assert!(gapped("剪光缆 剪断光缆", &list).is_empty());
        assert!(gapped("医院 保险", &list).is_empty());
        assert!(gapped("光缆 剪断", &list).is_empty());
        // A pronoun before kin says whose (`Unspoken` keeps it too); another one does not.
        assert!(gapped("他打我老婆", &list).is_empty());
        assert!(gapped("他打了我们的老婆", &list).is_empty());
        assert_eq!(gapped("又打老婆", &list), Vec::<String>::new());
        assert_eq!(gapped("老是打自己老婆", &list), ["家庭暴力", "打老婆"]);
        // The questions' terms: those held, rewritten, then those said apart.
        let question = |phrases| QuestionText {
            typed: phrases,
            phrases,
        };
        assert_eq!(
            phrase_terms(question("医保 剪断光缆"), &list),
            ["医疗保险", "破坏公用电信设施", "剪光缆"]
        );
    }

    #[test]
    fn a_term_naming_a_question_word_is_looked_for_in_the_question_as_typed() {
        let list = list_of("诉讼费用 诉讼费 法院收多少钱\n离婚 解除婚姻关系\n");
        let question = QuestionText {
            typed: "打离婚官司法院收多少钱",
            phrases: "打离婚官司法院收",
        };
        // First the groups it names as asked, then those its phrases hold.
        assert_eq!(
            phrase_terms(question, &list),
            ["诉讼费用", "诉讼费", "法院收多少钱", "解除婚姻关系"]
        );
        // Only terms naming a question word: its phrases speak for the others.
        let question = QuestionText {
            typed: "离婚怎么办",
            phrases: "离",
        };
        assert!(phrase_terms(question, &list).is_empty());
        // A term naming an action verb, which the phrases lose with the verb.
        let list = list_of("行政诉讼 民告官 起诉政府\n");
        let question = QuestionText {
            typed: "老百姓怎么起诉政府部门",
            phrases: "老百姓  政府部门",
        };
        assert_eq!(
            phrase_terms(question, &list),
            ["行政诉讼", "民告官", "起诉政府"]
        );
    }

    #[test]
    fn a_seam_of_two_terms_side_by_side_is_split() {
        let list = list_of("古镇 古城\n老房子 旧房子\n房子 住房\n高空抛物 抛物\n人民法院 法院\n");
        assert_eq!(
            split_at_seams("古镇老房子上乱画", &list),
            "古镇 老房子上乱画"
        );
        // A bigram inside a term is none (`民法` of `人民法院`), nor one beside a word the
        // list lacks (`子上`); each seam is split once, white space kept.
        assert_eq!(split_at_seams("人民法院", &list), "人民法院");
        assert_eq!(
            split_at_seams("高空抛物 古镇老房子", &list),
            "高空抛物 古镇 老房子"
        );
        assert_eq!(split_at_seams("ＡＢ古镇", &list), "ab古镇");
    }

    #[test]
    fn a_word_one_character_off_a_term_reads_as_it() {
        let list = list_of("收废品 废品站 收破烂 废旧金属收购\n医保 医疗保险\n");
        assert_eq!(
            near_terms("收废铁", &list),
            [["收废品", "废品站", "收破烂", "废旧金属收购"]]
        );
        // Two characters off, another length, too short, or not Han: nothing.
        assert!(near_terms("收旧铁", &list).is_empty());
        assert!(near_terms("收废品站", &list).is_empty());
        assert!(near_terms("医疗", &list).is_empty());
        assert!(near_terms("abc", &list).is_empty());
    }

    #[test]
    fn good_groups_and_each_bad_line_with_its_place() {
        let text = "# everyday words\n社保 社会保险\n医保，医疗保险、基本医疗保险\n\n单独\n医保 医疗\n公积金 公积金\n社会保险 社保\n## \n，，\n公积金 住房公积金 # comment\n";
        let (groups, problems) = parse_synonyms("synonyms.txt", text);
        assert_eq!(groups[0], ["社保", "社会保险"]);
        assert_eq!(groups[1], ["医保", "医疗保险", "基本医疗保险"]);
        assert_eq!(groups[2], ["公积金", "住房公积金"]);
        let reported: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(reported.len(), 5, "{reported:?}");
        assert!(reported[0].starts_with("synonyms.txt:5: "));
        assert!(reported[1].starts_with("synonyms.txt:6: ") && reported[1].contains("line 3"));
        assert_eq!(
            problems[2].error,
            SynonymError::DuplicateTerm("公积金".into())
        );
        assert_eq!(problems[3].error, SynonymError::DuplicateGroup(2));
        assert_eq!(problems[4].line, 10);
    }

    #[test]
    fn floods_and_loops_are_refused_and_queries_stay_bounded() {
        let huge: Vec<String> = (0..5_000).map(|i| format!("词{i}")).collect();
        let (groups, problems) = parse_synonyms("s.txt", &huge.join(" "));
        assert!(groups.is_empty());
        assert_eq!(problems[0].error, SynonymError::TooManyTerms(5_000));
        // A loop: 甲 → 乙 → 丙 → 甲; the first group stays, both others are reported.
        let (groups, problems) = parse_synonyms("s.txt", "甲 乙\n乙 丙\n丙 甲");
        assert_eq!(groups.len(), 1);
        assert_eq!(problems.len(), 2);
        let list = list_of("甲 乙 丙 丁 戊 己 庚 辛 壬 癸 子 丑");
        let found = alternatives("甲", &list);
        assert_eq!(found.len(), MAX_ALTERNATIVES);
        assert_eq!(found[0], "乙");
        assert!(alternatives("", &list).is_empty());
    }

    #[test]
    fn a_question_leaves_a_term_inside_a_longer_one_of_another_group() {
        let list = list_of(
            "养老 老年人权益保障\n养老保险 基本养老保险\n加班 延长工作时间\n加班费 加班工资",
        );
        let question = question_rewrites("养老保险要交满多少年", &list);
        assert_eq!(question.inserted, ["基本养老保险"]);
        let phrase = phrase_terms(
            QuestionText {
                typed: "养老保险要交满多少年",
                phrases: "养老保险 交满 多少年",
            },
            &list,
        );
        assert!(
            !phrase.contains(&"老年人权益保障".to_string()),
            "{phrase:?}"
        );
        // An everyday word keeps the shorter term's group: its law wording may be there only.
        let word = rewrites("加班费", &list);
        assert!(
            word.inserted.contains(&"延长工作时间".to_string()),
            "{:?}",
            word.inserted
        );
        // A term standing apart from the longer one is heard in a question too.
        let apart = question_rewrites("养老保险 养老院", &list);
        assert!(
            apart.inserted.contains(&"老年人权益保障".to_string()),
            "{:?}",
            apart.inserted
        );
    }

    #[test]
    fn the_longest_term_held_is_replaced_first() {
        let list = list_of("坐牢 有期徒刑 无期徒刑 蹲大牢 蹲监狱 服刑 判刑入狱 坐监 入狱 关进监狱\n冤枉坐牢 错误拘留");
        let found = alternatives("被冤枉坐牢能赔多少", &list);
        assert_eq!(found[0], "被错误拘留能赔多少", "{found:?}");
        assert_eq!(found.len(), MAX_ALTERNATIVES);
        // The share of the query the longest term held is, found in the same pass.
        let both = rewrites("被冤枉坐牢能赔多少", &list);
        assert_eq!(both.texts, found);
        assert_eq!(both.term_share, Some((4, 9)));
        assert_eq!(rewrites("工伤", &list).term_share, None);
    }

    #[test]
    fn the_share_of_terms_counts_every_term_held() {
        // Each term is a quarter of the query; together they are half of it.
        let list = list_of("外国人 老外\n收养 领养");
        let held = rewrites("老外领养中国孩子", &list);
        assert_eq!(held.term_share, Some((2, 8)));
        assert_eq!(held.in_terms, 4);
        assert!(!held.covered);
        assert_eq!(rewrites("工伤", &list).in_terms, 0);
    }

    #[test]
    fn a_query_of_terms_alone_is_covered() {
        let list = list_of("打捞沉船 沉船打捞\n沉船 水下文物\n文物 古董");
        assert!(rewrites("打捞沉船文物", &list).covered);
        assert!(rewrites("沉船 文物", &list).covered);
        assert!(!rewrites("打捞沉船的文物", &list).covered);
        assert!(!rewrites("工伤", &list).covered);
    }

    #[test]
    fn each_group_a_query_holds_is_heard_before_the_cap() {
        // The law's wording first, as the builder orders a group (`term_usage`).
        let list = list_of("宅基地建房 盖房子 建房 建住宅 起房子 修房子 建造房屋 农村建房 自建房 翻建\n电线下 电力线路保护区");
        let found = alternatives("电线下面能盖房子吗", &list);
        assert_eq!(found.len(), MAX_ALTERNATIVES);
        assert_eq!(found[0], "电线下面能宅基地建房吗", "{found:?}");
        assert_eq!(found[1], "电力线路保护区面能盖房子吗", "{found:?}");
    }

    #[test]
    fn a_latin_term_is_replaced_only_as_a_whole_word() {
        let list = list_of("NGO 境外非政府组织\nETC 电子不停车收费\n医保 医疗保险");
        // Pinyin holding the letters inside a longer run is no mention of an NGO.
        assert!(alternatives("minshishenpangongzuozhong", &list).is_empty());
        assert_eq!(alternatives("NGO 登记", &list), ["境外非政府组织 登记"]);
        // The replacement stands apart as the term did (`OTC药`: the words 非处方药 and 药,
        // not the phrase 非处方药药 that no title holds).
        assert_eq!(alternatives("etc办理", &list), ["电子不停车收费 办理"]);
        let drugs = list_of("OTC 非处方药\n12315热线 消费者投诉举报专线");
        assert_eq!(alternatives("OTC药", &drugs), ["非处方药 药"]);
        // Only a Latin edge stands apart: the Han end joins what follows, as the term did.
        assert_eq!(
            alternatives("12315热线电话", &drugs),
            ["消费者投诉举报专线电话"]
        );
        // Han terms anywhere, the replacement where the term stands.
        assert_eq!(alternatives("城镇医保报销", &list), ["城镇医疗保险报销"]);
    }

    #[test]
    fn a_term_is_held_across_the_pronouns_a_citizen_puts_inside_it() {
        let list = list_of("乱用照片 盗用照片 肖像权\n网上骂我 网络侮辱");
        // 我 between 乱用 and 照片: the term is held, the rewrite leaves the pronoun out.
        assert_eq!(
            alternatives("别人乱用我照片怎么办", &list),
            ["别人盗用照片怎么办", "别人肖像权怎么办"]
        );
        assert_eq!(alternatives("他们乱用我们的照片", &list)[0], "他们盗用照片");
        // A term naming a pronoun is matched as typed, and a term held as typed keeps its place.
        assert_eq!(alternatives("有人网上骂我", &list), ["有人网络侮辱"]);
        assert_eq!(alternatives("乱用照片", &list)[0], "盗用照片");
        // No pronoun, no view: nothing held that the text does not hold.
        assert!(alternatives("乱用相片", &list).is_empty());
        // Before kin the pronoun stays: 打我老婆 is not 打老婆 (one's own wife).
        let kin = list_of("打老婆 反家庭暴力 家暴");
        assert!(alternatives("他打我老婆", &kin).is_empty());
        assert_eq!(alternatives("他打老婆", &kin)[0], "他反家庭暴力");
    }
}
