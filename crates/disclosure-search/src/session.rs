//! One home for range reads: a sans-IO search session over a pack read by byte ranges.
//!
//! A [`Session`] owns the pack's head (table of contents and hot copies), the
//! [`RangeCache`] of the parts fetched so far, the log of what was fed to it and the round
//! limit; it does no IO. Its host (the worker's `fetch`, a test's slice of the pack, the
//! benchmark's) runs a small loop: [`Session::step`] a task, and while the step is
//! [`Step::Need`], fetch those byte ranges (in any order, at once), hand each to
//! [`Session::feed`] and step again, until [`Step::Done`] gives the answer. Pagefind's
//! core asks its host for chunks the same way.
//!
//! A task runs in explicit stages and keeps what each produced, so a retry after fetching
//! resumes where it stopped: a [`SearchTask`] plans the query once (parts, tokens, what it
//! also reads as, from the blocks of the synonym list under its characters, fetched with
//! the first round's dictionary entries), reads the body's dictionary for the frequencies
//! that choose which positions a phrase reads, reads ahead every term the plan looks up,
//! ranks, then reads the page's stored fields and body chunks. A [`SuggestTask`] reads
//! suggestion blocks and the synonym list's blocks under the characters typed (the
//! search's first round then has them); an [`OpenTask`] only opens the index (the worker's
//! warming). Every task opens the index first if it is not open yet.
//!
//! Whatever the host does — ranges served short, out of order, not at all, the whole pack
//! instead of a range — a step ends with a need, an answer or a [`SessionError`]; never a
//! panic, and never more than [`MAX_ROUNDS`] needs per task.

use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::engine::{Ranking, SearchIndex, SearchRequest, SearchResults};
use crate::pack::{
    head_len, header_len, missing_range, read_table_of_contents, Carriage, MissingRange,
    OwnedBytes, PackError, PackedDirectory, RangeCache, ReadLog, TableOfContents,
    COALESCE_GAP_BYTES,
};
use crate::plan::{BodyFrequency, QueryPlan};

/// More needs than this for one task mean the pack does not answer what its own reads
/// ask for (or the host keeps feeding the wrong bytes): the task fails with
/// [`SessionError::TooManyRounds`] instead of looping. A cold search needs about three.
pub const MAX_ROUNDS: usize = 64;

/// What a step of a task came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// Fetch these byte ranges of the pack (offsets, end exclusive; sorted, disjoint, none
    /// held yet), [`Session::feed`] them and step again.
    Need(Vec<Range<u64>>),
    /// The task's answer.
    Done(T),
}

/// Why a session or one of its tasks cannot go on. The worker words each for the citizen.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The head is not a pack's head, or is truncated.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The index's bytes are held but cannot be read (damaged, another version).
    #[error("the index cannot be read: {0}")]
    Index(tantivy::TantivyError),
    /// A task needed bytes [`MAX_ROUNDS`] times and still misses some.
    #[error("still missing bytes of the pack after {rounds} rounds")]
    TooManyRounds {
        /// How many needs the task had.
        rounds: usize,
    },
    /// A step came after a need without these bytes fed (served short, or not at all).
    #[error("bytes {}..{} of the pack were needed and not fed", .0.range.start, .0.range.end)]
    NotFed(MissingRange),
    /// Bytes were fed past the end of the pack.
    #[error("bytes {start}..{end} fed lie outside the pack of {pack_bytes} bytes")]
    OutsidePack {
        start: u64,
        end: u64,
        pack_bytes: u64,
    },
    /// A whole pack was fed whose length is not the pack's (another build, cut short).
    #[error("a whole pack of {got} bytes was fed; the pack has {pack_bytes}")]
    WrongLength { got: u64, pack_bytes: u64 },
}

/// A pack read by ranges, or held whole: see the [module](self).
pub struct Session {
    /// The pack's layout (empty when the pack was fed whole).
    toc: TableOfContents,
    /// The pack's length in bytes.
    pack_bytes: u64,
    /// How many bytes from the start are the head.
    head_bytes: u64,
    /// The parts held (the head's, then each one fed); `None` when the pack is held whole.
    cache: Option<Arc<Mutex<RangeCache>>>,
    /// Reads of bytes not held, recorded by the directory, taken after each attempt.
    misses: ReadLog,
    /// The ranges fed so far, in order (the whole pack as one).
    fed: Vec<Range<u64>>,
    directory: PackedDirectory,
    /// The index, once a task has opened it.
    index: Option<SearchIndex>,
    /// How the host carries a round's requests: whether needs join ranges across gaps.
    carriage: Carriage,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("pack_bytes", &self.pack_bytes)
            .field("head_bytes", &self.head_bytes)
            .field("fed", &self.fed.len())
            .field("open", &self.index.is_some())
            .finish()
    }
}

/// How far a task got, shared by every kind: its needs so far and the last one's ranges.
#[derive(Debug, Default)]
pub struct Progress {
    rounds: usize,
    needed: Vec<Range<u64>>,
}

/// Opens the index and nothing more: what a worker does before the first query.
#[derive(Debug, Default)]
pub struct OpenTask {
    progress: Progress,
}

impl OpenTask {
    /// A task that opens the index.
    pub fn new() -> OpenTask {
        OpenTask::default()
    }
}

/// Suggestions as you type for one text ([`SearchIndex::suggest`]).
#[derive(Debug)]
pub struct SuggestTask {
    typed: String,
    progress: Progress,
}

impl SuggestTask {
    /// A task suggesting for `typed` (as typed in the box).
    pub fn new(typed: &str) -> SuggestTask {
        SuggestTask {
            typed: typed.to_string(),
            progress: Progress::default(),
        }
    }
}

/// One search, in stages; what each stage produced is kept for the next.
#[derive(Debug)]
pub struct SearchTask {
    request: SearchRequest,
    stage: Stage,
    progress: Progress,
}

/// Where a search stands.
#[derive(Debug)]
enum Stage {
    /// Nothing done yet: the plan comes from the request, the index's lexicon and the
    /// synonym list's blocks under the query's characters.
    Plan,
    /// Reading the body dictionary for the plan's token frequencies.
    Frequencies(Box<QueryPlan>),
    /// Reading ahead every term the plan looks up (range reads only).
    Terms(Box<QueryPlan>, BodyFrequency),
    /// Ranking.
    Rank(Box<QueryPlan>, BodyFrequency),
    /// Reading the page's stored fields and body chunks (one round).
    Page(Box<QueryPlan>, BodyFrequency, Box<Ranking>),
    /// Answered (a further step answers again, from the bytes held).
    Answered,
}

impl SearchTask {
    /// A task answering `request`.
    pub fn new(request: &SearchRequest) -> SearchTask {
        SearchTask {
            request: request.clone(),
            stage: Stage::Plan,
            progress: Progress::default(),
        }
    }

    /// The request this task answers.
    pub fn request(&self) -> &SearchRequest {
        &self.request
    }

    /// Runs the stages from where the task stands as far as the bytes held allow.
    fn advance(&mut self, index: &SearchIndex, ranges: bool) -> tantivy::Result<SearchResults> {
        loop {
            self.stage = match std::mem::replace(&mut self.stage, Stage::Answered) {
                Stage::Plan => match index.plan(&self.request) {
                    Ok(plan) if plan.is_empty() => return Ok(SearchResults::default()),
                    Ok(plan) => Stage::Frequencies(Box::new(plan)),
                    Err(error) => {
                        // The synonym list's blocks are missing: read ahead what the plan
                        // without them reads (its misses join this round's), so that the
                        // list costs a round of its own only when it adds terms. That plan
                        // is not kept: the next step plans with the blocks.
                        if ranges && missing_range(&error).is_some() {
                            let partial = index.plan_without_synonyms(&self.request);
                            let _ = index.body_frequencies(&partial, ranges);
                        }
                        self.stage = Stage::Plan;
                        return Err(error);
                    }
                },
                Stage::Frequencies(plan) => match index.body_frequencies(&plan, ranges) {
                    Ok(frequency) if ranges => Stage::Terms(plan, frequency),
                    Ok(frequency) => Stage::Rank(plan, frequency),
                    Err(error) => {
                        self.stage = Stage::Frequencies(plan);
                        return Err(error);
                    }
                },
                Stage::Terms(plan, frequency) => {
                    let read = index.read_terms(&plan, &frequency);
                    if let Err(error) = read {
                        self.stage = Stage::Terms(plan, frequency);
                        return Err(error);
                    }
                    Stage::Rank(plan, frequency)
                }
                Stage::Rank(plan, frequency) => match index.rank(&plan, &frequency) {
                    Ok(ranking) => Stage::Page(plan, frequency, Box::new(ranking)),
                    Err(error) => {
                        self.stage = Stage::Rank(plan, frequency);
                        return Err(error);
                    }
                },
                Stage::Page(plan, frequency, mut ranking) => {
                    match index.read_page(&plan, &mut ranking, &frequency) {
                        Ok(page) => return Ok(index.results(&plan, *ranking, page)),
                        Err(error) => {
                            // The ranking, demoted or not, is kept for the retry.
                            self.stage = Stage::Page(plan, frequency, ranking);
                            return Err(error);
                        }
                    }
                }
                // Stepped again after its answer: answers again, from the bytes held.
                Stage::Answered => Stage::Plan,
            };
        }
    }
}

/// A task a session steps ([`OpenTask`], [`SuggestTask`], [`SearchTask`]): its progress,
/// and one attempt at its answer over an open index, resuming where the last stopped.
pub trait Task {
    /// The task's answer.
    type Output;
    /// The task's needs so far.
    fn progress(&mut self) -> &mut Progress;
    /// Runs the task as far as the bytes held allow (`ranges`: the pack is read by
    /// ranges, so reading ahead pays); fails with the first miss or another error.
    fn attempt(&mut self, index: &SearchIndex, ranges: bool) -> tantivy::Result<Self::Output>;
}

impl Task for OpenTask {
    type Output = ();
    fn progress(&mut self) -> &mut Progress {
        &mut self.progress
    }
    fn attempt(&mut self, _: &SearchIndex, _: bool) -> tantivy::Result<()> {
        Ok(())
    }
}

impl Task for SuggestTask {
    type Output = Vec<String>;
    fn progress(&mut self) -> &mut Progress {
        &mut self.progress
    }
    fn attempt(&mut self, index: &SearchIndex, _: bool) -> tantivy::Result<Vec<String>> {
        // The synonym list's blocks under the characters typed, read beside the
        // suggestions' for the search that follows: planned with them held, it reads its
        // synonyms' terms in its first round instead of a round of their own. Only a miss
        // counts: suggestions do not fail for the list.
        let blocks = index.read_synonym_blocks(&self.typed);
        let suggestions = index.suggest(&self.typed)?;
        match blocks {
            Err(miss) if missing_range(&miss).is_some() => Err(miss),
            _ => Ok(suggestions),
        }
    }
}

impl Task for SearchTask {
    type Output = SearchResults;
    fn progress(&mut self) -> &mut Progress {
        &mut self.progress
    }
    fn attempt(&mut self, index: &SearchIndex, ranges: bool) -> tantivy::Result<SearchResults> {
        self.advance(index, ranges)
    }
}

impl Session {
    /// A session over a pack of `pack_bytes` bytes from its head (`head`: its first bytes,
    /// at least the header and the hot copies; the manifest's `head_bytes` is their
    /// length). Fails with [`SessionError::Pack`] when `head` is not such a head.
    pub fn from_head(head: &[u8], pack_bytes: u64) -> Result<Session, SessionError> {
        let header = header_len(head)?;
        let toc = read_table_of_contents(&head[..header.min(head.len())], pack_bytes)?;
        let head_bytes = head_len(&toc, header);
        let cache = Arc::new(Mutex::new(RangeCache::from_head(head, &toc)?));
        let misses = ReadLog::default();
        let directory = PackedDirectory::sparse(&toc, cache.clone(), misses.clone());
        Ok(Session {
            toc,
            pack_bytes,
            head_bytes,
            cache: Some(cache),
            misses,
            fed: Vec::new(),
            directory,
            index: None,
            carriage: Carriage::default(),
        })
    }

    /// A session over a whole pack in memory (a host that answered a range request with
    /// the whole file): every step is an answer or an error, never a need.
    pub fn whole(pack: Vec<u8>) -> Result<Session, SessionError> {
        let pack_bytes = pack.len() as u64;
        let header = header_len(&pack)?;
        let toc = read_table_of_contents(&pack, pack_bytes)?;
        let head_bytes = head_len(&toc, header);
        let directory = PackedDirectory::open(OwnedBytes::new(pack))?;
        Ok(Session {
            toc,
            pack_bytes,
            head_bytes,
            cache: None,
            misses: ReadLog::default(),
            fed: std::iter::once(0..pack_bytes).collect(),
            directory,
            index: None,
            carriage: Carriage::default(),
        })
    }

    /// Says how the host carries a round's requests (at first
    /// [`Carriage::SixAtATime`]): where it takes them all at once, a need joins ranges
    /// only across narrow gaps, never to save waves of requests.
    pub fn set_carriage(&mut self, carriage: Carriage) {
        self.carriage = carriage;
    }

    /// How many bytes from the start are the head (header and hot copies): check it
    /// against the manifest's `head_bytes`.
    pub fn head_bytes(&self) -> u64 {
        self.head_bytes
    }

    /// The pack's length in bytes.
    pub fn pack_bytes(&self) -> u64 {
        self.pack_bytes
    }

    /// The pack's table of contents.
    pub fn table_of_contents(&self) -> &TableOfContents {
        &self.toc
    }

    /// Whether the pack is read by ranges (`false`: held whole).
    pub fn reads_by_range(&self) -> bool {
        self.cache.is_some()
    }

    /// Whether the index is open (a task opened it).
    pub fn is_open(&self) -> bool {
        self.index.is_some()
    }

    /// The ranges fed so far, in the order fed (the read log).
    pub fn fed(&self) -> &[Range<u64>] {
        &self.fed
    }

    /// How many bytes were fed so far (past the head; overlaps counted once).
    pub fn fed_bytes(&self) -> u64 {
        crate::pack::distinct_bytes(self.fed.clone())
    }

    /// How many bytes of the pack are held (head included).
    pub fn held_bytes(&self) -> u64 {
        match &self.cache {
            Some(cache) => lock(cache).bytes(),
            None => self.pack_bytes,
        }
    }

    /// Hands the session `bytes` of the pack from offset `start`: the answer to a need, in
    /// any order, whole or in pieces (a range is served when all its bytes have been fed).
    /// Fails with [`SessionError::OutsidePack`] for bytes past the pack's end (nothing is
    /// kept). Feeding a pack held whole keeps nothing and succeeds.
    pub fn feed(&mut self, start: u64, bytes: &[u8]) -> Result<(), SessionError> {
        let end = start.checked_add(bytes.len() as u64);
        let Some(end) = end.filter(|end| *end <= self.pack_bytes) else {
            return Err(SessionError::OutsidePack {
                start,
                end: start.saturating_add(bytes.len() as u64),
                pack_bytes: self.pack_bytes,
            });
        };
        if let (Some(cache), false) = (&self.cache, bytes.is_empty()) {
            lock(cache).insert(start, bytes);
            self.fed.push(start..end);
        }
        Ok(())
    }

    /// Hands the session the whole pack (a host that answered a range request with 200):
    /// kept as one part, so nothing more is needed. Fails with
    /// [`SessionError::WrongLength`] when its length is not the pack's.
    pub fn feed_whole(&mut self, pack: &[u8]) -> Result<(), SessionError> {
        if pack.len() as u64 != self.pack_bytes {
            return Err(SessionError::WrongLength {
                got: pack.len() as u64,
                pack_bytes: self.pack_bytes,
            });
        }
        self.feed(0, pack)
    }

    /// One step of `task`: opens the index if needed, then runs the task's stages as far
    /// as the bytes held allow. Returns [`Step::Need`] with the ranges to fetch (the task
    /// keeps its place), or [`Step::Done`] with its answer. Fails when the last need's
    /// ranges were not all fed ([`SessionError::NotFed`]), after [`MAX_ROUNDS`] needs
    /// ([`SessionError::TooManyRounds`]), or when held bytes cannot be read
    /// ([`SessionError::Index`]).
    pub fn step<T: Task>(&mut self, task: &mut T) -> Result<Step<T::Output>, SessionError> {
        if let Some(cache) = &self.cache {
            let cache = lock(cache);
            let unfed = task
                .progress()
                .needed
                .iter()
                .find(|range| cache.get((*range).clone()).is_none());
            if let Some(range) = unfed {
                return Err(SessionError::NotFed(MissingRange {
                    range: range.clone(),
                }));
            }
        }
        task.progress().needed.clear();
        // Misses of an earlier, abandoned attempt are not this task's.
        self.misses.take();
        let ranges = self.reads_by_range();
        let attempt = match &self.index {
            Some(index) => task.attempt(index, ranges),
            None => match SearchIndex::open_directory(self.directory.clone()) {
                Ok(index) => {
                    let index = self.index.insert(index);
                    task.attempt(index, ranges)
                }
                Err(crate::engine::OpenError::Index(error)) => Err(error),
                Err(crate::engine::OpenError::Pack(error)) => return Err(error.into()),
            },
        };
        let error = match attempt {
            Ok(answer) => return Ok(Step::Done(answer)),
            Err(error) => error,
        };
        // A miss is a typed error ([`MissingRange`]); the miss log says which bytes every
        // read of the attempt missed (reads go on past misses, so one round serves them
        // all). An attempt that recorded misses needs them, whatever error it stopped on.
        let mut missed = self.misses.take();
        if missed.is_empty() {
            match missing_range(&error) {
                Some(miss) => missed.push(miss.range),
                None => return Err(SessionError::Index(error)),
            }
        }
        let wanted = match &self.cache {
            Some(cache) => lock(cache).to_fetch(missed, COALESCE_GAP_BYTES, self.carriage),
            None => Vec::new(),
        };
        if wanted.is_empty() {
            // Every byte missed is held: the read failed for another reason.
            return Err(SessionError::Index(error));
        }
        let progress = task.progress();
        progress.rounds += 1;
        if progress.rounds > MAX_ROUNDS {
            return Err(SessionError::TooManyRounds { rounds: MAX_ROUNDS });
        }
        progress.needed = wanted.clone();
        Ok(Step::Need(wanted))
    }

    /// Runs `task` to its answer with `fetch` serving each needed range from the pack (for
    /// hosts that hold the pack, as the native benchmark and the tests do); `fetch` returns
    /// the bytes of the range, or fewer.
    pub fn run<T: Task>(
        &mut self,
        task: &mut T,
        mut fetch: impl FnMut(Range<u64>) -> Vec<u8>,
    ) -> Result<T::Output, SessionError> {
        loop {
            match self.step(task)? {
                Step::Done(answer) => return Ok(answer),
                Step::Need(ranges) => {
                    for range in ranges {
                        let bytes = fetch(range.clone());
                        self.feed(range.start, &bytes)?;
                    }
                }
            }
        }
    }
}

fn lock(cache: &Mutex<RangeCache>) -> MutexGuard<'_, RangeCache> {
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
