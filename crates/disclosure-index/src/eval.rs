//! Scoring the search on evaluation queries, and measuring it: the `eval` and `bench`
//! commands, whose errors (`anyhow`, with the file or query they happened to) end the
//! command.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

use disclosure_core::lookup::{lookup, LookupEntry, LookupOutcome};
use disclosure_search::pack::OwnedBytes;
use disclosure_search::pack::{
    distinct_bytes, head_len, header_len, read_table_of_contents, PackedDirectory, ReadLog,
};
use disclosure_search::session::{SearchTask, Session, Step, SuggestTask, Task};
use disclosure_search::{SearchIndex, SearchRequest};
use serde::{Deserialize, Serialize};

/// One query of `queries-sample.json`.
#[derive(Debug, Deserialize)]
pub struct EvalQuery {
    pub id: String,
    pub kind: String,
    pub q: String,
    pub expected_ids: Vec<String>,
}

/// The one kind the search is not scored on: `docnum` queries are answered by the validity
/// lookup. Every other kind — those of `queries-sample.json` and of
/// `queries-lang-sample.json` (`pinyin`, `initials`, `traditional`, `docnum_search`,
/// `abbrev`, `colloquial`, `question`), and any kind a later draw adds — is a search kind.
pub const LOOKUP_KIND: &str = "docnum";

/// Scores of one kind of query.
#[derive(Debug, Default, Serialize)]
pub struct KindScore {
    pub n: usize,
    pub r_at_1: f64,
    pub r_at_10: f64,
    /// Ids of the queries with no expected document in the top 10.
    pub misses: Vec<String>,
    /// Ids of the queries whose first hit is not an expected document.
    pub misses_at_1: Vec<String>,
}

pub fn load_queries(path: &Path) -> anyhow::Result<Vec<EvalQuery>> {
    let text = fs::read_to_string(path).map_err(crate::files::FileError::of(path))?;
    serde_json::from_str(&text).with_context(|| path.display().to_string())
}

/// The top 10 of `query` as the search page asks for it: on today's date in China, so the
/// versions in force come first as a citizen sees them.
fn top_ids(index: &SearchIndex, query: &str) -> anyhow::Result<Vec<String>> {
    let request = SearchRequest {
        query: query.to_string(),
        limit: 10,
        today: Some(disclosure_core::date::china_date(
            time::OffsetDateTime::now_utc(),
        )),
        ..SearchRequest::default()
    };
    let results = index
        .search(&request)
        .map_err(crate::engine_error)
        .with_context(|| query.to_string())?;
    Ok(results.hits.into_iter().map(|hit| hit.id).collect())
}

/// Scores every search kind of `queries` on `index`: every kind but [`LOOKUP_KIND`].
pub fn score(
    index: &SearchIndex,
    queries: &[EvalQuery],
) -> anyhow::Result<BTreeMap<String, KindScore>> {
    let mut scores: BTreeMap<String, KindScore> = BTreeMap::new();
    let (mut at_1, mut at_10): (BTreeMap<&str, usize>, BTreeMap<&str, usize>) = Default::default();
    for query in queries.iter().filter(|q| q.kind != LOOKUP_KIND) {
        let ids = top_ids(index, &query.q)?;
        let score = scores.entry(query.kind.clone()).or_default();
        score.n += 1;
        if ids
            .first()
            .is_some_and(|id| query.expected_ids.contains(id))
        {
            *at_1.entry(&query.kind).or_default() += 1;
        } else {
            score.misses_at_1.push(query.id.clone());
        }
        if ids.iter().any(|id| query.expected_ids.contains(id)) {
            *at_10.entry(&query.kind).or_default() += 1;
        } else {
            score.misses.push(query.id.clone());
        }
    }
    for (kind, score) in scores.iter_mut() {
        score.r_at_1 = at_1.get(kind.as_str()).copied().unwrap_or(0) as f64 / score.n as f64;
        score.r_at_10 = at_10.get(kind.as_str()).copied().unwrap_or(0) as f64 / score.n as f64;
    }
    Ok(scores)
}

pub fn run(index_dir: &Path, queries_path: &Path) -> anyhow::Result<()> {
    let index = crate::open_index(index_dir)?;
    let queries = load_queries(queries_path)?;
    let mut scores = score(&index, &queries)?;
    let docnum: Vec<&EvalQuery> = queries.iter().filter(|q| q.kind == "docnum").collect();
    let lookup_file = index_dir.join(crate::VALIDITY_FILE);
    if !docnum.is_empty() {
        if lookup_file.exists() {
            scores.insert("docnum".to_string(), score_docnum(&lookup_file, &docnum)?);
        } else {
            eprintln!(
                "note: {} has no {}; docnum queries not scored",
                index_dir.display(),
                crate::VALIDITY_FILE
            );
        }
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&scores).expect("scores serialize")
    );
    Ok(())
}

/// A document-number query is answered when the lookup returns every expected document
/// and nothing under another number (R@1: the first result is expected).
fn score_docnum(lookup_file: &Path, queries: &[&EvalQuery]) -> anyhow::Result<KindScore> {
    let text = fs::read_to_string(lookup_file).map_err(crate::files::FileError::of(lookup_file))?;
    let entries: Vec<LookupEntry> =
        serde_json::from_str(&text).with_context(|| lookup_file.display().to_string())?;
    let today = time::OffsetDateTime::now_utc().date();
    let mut score = KindScore {
        n: queries.len(),
        ..KindScore::default()
    };
    let (mut first, mut all) = (0, 0);
    for query in queries {
        let found: Vec<&str> = match lookup(&entries, &query.q, today) {
            LookupOutcome::ByNumber { found, .. } => found.iter().map(|e| e.id.as_str()).collect(),
            _ => Vec::new(),
        };
        if found
            .first()
            .is_some_and(|id| query.expected_ids.iter().any(|e| e == id))
        {
            first += 1;
        } else {
            score.misses_at_1.push(query.id.clone());
        }
        if query
            .expected_ids
            .iter()
            .all(|id| found.contains(&id.as_str()))
        {
            all += 1;
        } else {
            score.misses.push(query.id.clone());
        }
    }
    score.r_at_1 = first as f64 / queries.len() as f64;
    score.r_at_10 = all as f64 / queries.len() as f64;
    Ok(score)
}

/// A session over the pack in memory holding its head only: a first visit.
fn cold_session(pack: &OwnedBytes) -> anyhow::Result<Session> {
    let bytes = pack.as_slice();
    let header = header_len(bytes)?;
    let toc = read_table_of_contents(&bytes[..header], bytes.len() as u64)?;
    let head = head_len(&toc, header) as usize;
    Ok(Session::from_head(&bytes[..head], bytes.len() as u64)?)
}

/// Runs `task` cold as the browser's range reader does, over the pack in memory: the head
/// only, then each step's needed ranges fetched at once (merged as the worker merges them).
/// Returns what was fetched past the head.
fn range_run<T: Task>(pack: &OwnedBytes, task: &mut T, what: &str) -> anyhow::Result<ColdRead> {
    let bytes = pack.as_slice();
    let mut session = cold_session(pack)?;
    let mut rounds = 0;
    let mut fetched = Vec::new();
    loop {
        match session.step(task).with_context(|| what.to_string())? {
            Step::Done(_) => {
                return Ok(ColdRead {
                    bytes: session.fed_bytes(),
                    rounds,
                    fetched,
                })
            }
            Step::Need(ranges) => {
                rounds += 1;
                fetched.extend(ranges.iter().cloned());
                for range in ranges {
                    let part = &bytes[range.start as usize..range.end as usize];
                    session
                        .feed(range.start, part)
                        .with_context(|| what.to_string())?;
                }
            }
        }
    }
}

/// What a cold run fetched past the head.
struct ColdRead {
    /// Bytes fed to the session.
    bytes: u64,
    /// Rounds of fetches (each round's ranges are fetched at once).
    rounds: usize,
    /// The ranges of the pack fetched, in the order asked.
    fetched: Vec<std::ops::Range<u64>>,
}

/// KiB of `fetched` by the kind of index file they lie in (its extension: `term`, `idx`,
/// `pos`, `store`, the bodies file…), largest first: where a cold query's bytes go.
fn kib_by_file(pack: &OwnedBytes, fetched: &[std::ops::Range<u64>]) -> anyhow::Result<String> {
    let bytes = pack.as_slice();
    let toc = read_table_of_contents(&bytes[..header_len(bytes)?], bytes.len() as u64)?;
    let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
    for range in fetched {
        for file in &toc.files {
            let (start, end) = (file.offset, file.offset + file.len);
            let overlap = range.end.min(end).saturating_sub(range.start.max(start));
            if overlap > 0 {
                let kind = file.name.rsplit('.').next().unwrap_or(&file.name);
                *by_kind.entry(kind).or_default() += overlap;
            }
        }
    }
    let mut kinds: Vec<(&str, u64)> = by_kind.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1));
    Ok(kinds
        .iter()
        .map(|(kind, bytes)| format!("{kind} {:.1}", *bytes as f64 / 1024.0))
        .collect::<Vec<_>>()
        .join(", "))
}

/// A cold query as the browser's range reader runs it.
fn range_read(pack: &OwnedBytes, query: &str) -> anyhow::Result<ColdRead> {
    let request = SearchRequest {
        query: query.to_string(),
        limit: 10,
        ..SearchRequest::default()
    };
    range_run(pack, &mut SearchTask::new(&request), query)
}

/// Milliseconds of `query` asked again in a range-read session that holds every byte it
/// reads (the worker's held query, without the page): run cold once, then timed.
fn held_query_ms(pack: &OwnedBytes, query: &str) -> anyhow::Result<f64> {
    let request = SearchRequest {
        query: query.to_string(),
        limit: 10,
        ..SearchRequest::default()
    };
    let bytes = pack.as_slice();
    let mut session = cold_session(pack)?;
    let mut fetch =
        |range: std::ops::Range<u64>| bytes[range.start as usize..range.end as usize].to_vec();
    session
        .run(&mut SearchTask::new(&request), &mut fetch)
        .with_context(|| query.to_string())?;
    let started = Instant::now();
    session
        .run(&mut SearchTask::new(&request), &mut fetch)
        .with_context(|| query.to_string())?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// A keystroke's suggestions as the browser's range reader fetches them, cold (the head
/// only): the bytes fetched past the head.
fn range_suggest(pack: &OwnedBytes, typed: &str) -> anyhow::Result<u64> {
    range_run(pack, &mut SuggestTask::new(typed), typed).map(|read| read.bytes)
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Latency of warm queries, and the bytes of the pack that opening the index and each
/// cold query read; with `each`, every query's cold range read on stderr (id, KiB after
/// the head, rounds, query, KiB by kind of index file).
pub fn bench(index_dir: &Path, queries_path: &Path, each: bool) -> anyhow::Result<()> {
    let pack = OwnedBytes::new(crate::load_pack(index_dir)?);
    let queries = load_queries(queries_path)?;
    let queries: Vec<&EvalQuery> = queries.iter().filter(|q| q.kind != LOOKUP_KIND).collect();

    let mut open_bytes = Vec::new();
    let mut query_bytes = Vec::new();
    for query in &queries {
        let log = ReadLog::default();
        let directory = PackedDirectory::open(pack.clone())?.recording_into(log.clone());
        let index = SearchIndex::open_directory(directory)?;
        open_bytes.push(distinct_bytes(log.take()) as f64);
        top_ids(&index, &query.q)?;
        query_bytes.push(distinct_bytes(log.take()) as f64);
    }

    let mut range_bytes = Vec::new();
    let mut range_rounds = Vec::new();
    let mut held_latencies = Vec::new();
    for query in &queries {
        held_latencies.push(held_query_ms(&pack, &query.q)?);
    }
    for query in &queries {
        let read = range_read(&pack, &query.q)?;
        let (bytes, rounds) = (read.bytes, read.rounds);
        if each {
            let kib = bytes as f64 / 1024.0;
            let by_file = kib_by_file(&pack, &read.fetched)?;
            eprintln!("{}\t{kib:.1}\t{rounds}\t{}\t{by_file}", query.id, query.q);
        }
        range_bytes.push(bytes as f64 / 1024.0);
        range_rounds.push(rounds as f64);
    }

    // Suggestions as the first six characters of each query are typed, each keystroke cold.
    let mut keystroke_bytes = Vec::new();
    for query in &queries {
        let typed: Vec<char> = query.q.chars().collect();
        for end in 1..=typed.len().min(6) {
            let prefix: String = typed[..end].iter().collect();
            keystroke_bytes.push(range_suggest(&pack, &prefix)? as f64 / 1024.0);
        }
    }
    keystroke_bytes.sort_by(f64::total_cmp);

    let index = SearchIndex::open(pack.as_slice().to_vec())?;
    for query in &queries {
        top_ids(&index, &query.q)?;
    }
    let mut latencies = Vec::new();
    for query in &queries {
        let started = Instant::now();
        top_ids(&index, &query.q)?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    held_latencies.sort_by(f64::total_cmp);
    query_bytes.sort_by(f64::total_cmp);
    range_bytes.sort_by(f64::total_cmp);
    range_rounds.sort_by(f64::total_cmp);
    open_bytes.sort_by(f64::total_cmp);
    let figures = serde_json::json!({
        "native_query_p50_ms": percentile(&latencies, 0.5),
        "native_query_p95_ms": percentile(&latencies, 0.95),
        "native_range_held_query_ms_median": percentile(&held_latencies, 0.5),
        "native_range_held_query_ms_p95": percentile(&held_latencies, 0.95),
        "native_query_index_bytes_median": percentile(&query_bytes, 0.5),
        "native_query_index_bytes_p95": percentile(&query_bytes, 0.95),
        "native_open_index_bytes": percentile(&open_bytes, 0.5),
        "native_range_cold_query_kib_after_head_median": percentile(&range_bytes, 0.5),
        "native_range_cold_query_kib_after_head_p95": percentile(&range_bytes, 0.95),
        "native_range_rounds_median": percentile(&range_rounds, 0.5),
        "native_range_rounds_max": range_rounds.last().copied().unwrap_or(0.0),
        "native_range_suggest_kib_per_keystroke_median": percentile(&keystroke_bytes, 0.5),
        "native_range_suggest_kib_per_keystroke_p95": percentile(&keystroke_bytes, 0.95),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&figures).expect("figures serialize")
    );
    Ok(())
}
