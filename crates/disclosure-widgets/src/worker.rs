//! The search worker: opens the index when the page asks it to get ready (or on the first
//! query) and answers queries off the page's thread, so typing never waits for tantivy.
//!
//! First the pack's head (header and the hot parts every search reads, one request): from
//! its own file, `search.<hash>.head`, which the host may send compressed, or, when the
//! manifest names none or the host lacks it, as a range of the pack. Then the pack is read
//! by HTTP `Range` requests, per query only what the query reads. The
//! worker is a small loop over a [`Session`] of `disclosure-search`, which does no IO:
//! each step of a task answers or names the byte ranges it needs; the worker fetches
//! them all at once — in one request (`multipart/byteranges`) where the host answers
//! several ranges so, which it asks beside the head without waiting for the answer (a
//! round sent before that answer goes in one request as a trial, [`SeveralRanges`]); over
//! HTTP/2 each range its own request on the one connection — feeds them and steps again, and
//! the session keeps what was fetched
//! while the page is open and stops a task after its round limit. A host that answers a
//! range request with the whole file (200) gets what it sends: the whole pack is kept and
//! nothing more is fetched.
//!
//! A page may stay open while a new build replaces the pack (packs are named by their
//! content's hash, so the old one disappears): when the pack answers 404 or 410, the worker
//! drops the open index, reads `manifest.json` again and answers the query from the pack
//! it names now, once. Every answer comes from one pack: a session never mixes ranges of
//! two.

use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::rc::Rc;

use disclosure_search::byteranges;
use disclosure_search::pack::{Carriage, Manifest, PACK_FORMAT};
use disclosure_search::session::{OpenTask, SearchTask, Session, Step, SuggestTask, Task};
use disclosure_search::SearchResults;
use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::{CardsQuery, LoadFailure, WorkerAnswer, WorkerQuery, WorkerRequest};

mod cards;

/// Tries of one range request before the query fails with a network message, and the
/// pause before each retry.
const RETRY_PAUSES_MS: [u32; 2] = [300, 1_000];

/// The worker's index, from nothing to ready.
enum IndexState {
    /// Nothing loaded yet, or the last load failed (the next query or request to get
    /// ready tries again).
    Empty,
    /// Loading from `data_url`; the queries that arrived meanwhile wait.
    Loading {
        data_url: String,
        waiting: Vec<(HandlerId, WorkerQuery)>,
    },
    Ready {
        data_url: String,
        index: Rc<OpenIndex>,
    },
}

/// An open index: the session over the pack, and where the pack is.
pub struct OpenIndex {
    /// Borrowed only between awaits (one step or one feed at a time), so the queries in
    /// flight share it.
    session: RefCell<Session>,
    pack_url: String,
    /// What the host has shown of requests for several ranges: how a round's ranges are
    /// grouped into requests ([`SeveralRanges`]).
    several: Cell<SeveralRanges>,
    /// Whether a trial batch is in flight: the other queries' rounds go one range a
    /// request meanwhile, so that a host refusing many ranges (nginx's `max_ranges 2`)
    /// sends the whole pack, cut off after its headers, once and not once per query in
    /// flight (suggestions and the search, each keystroke's).
    trial_in_flight: Cell<bool>,
    /// Whether the pack comes over HTTP/2 or HTTP/3 ([`multiplexed`]): a round's requests
    /// then travel at once on one connection, whatever the host does with several ranges.
    multiplexed: bool,
    /// Where the probe of several ranges ([`probe_several_ranges`]), sent beside the head
    /// and not waited for, leaves what the host answered.
    probed: Rc<RefCell<Probe>>,
}

/// What the worker knows of the host's answers to one request for several ranges
/// (`multipart/byteranges`), which spare a phone's link a round trip for each range past
/// the six connections HTTP/1.1 carries at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SeveralRanges {
    /// The probe of two ranges is on its way. A query's first round often comes before
    /// its answer (the head came from the cache, the probe crosses the link): a round of
    /// more than two ranges then goes in one request as a trial ([`BatchTrial`]) rather
    /// than one request a range (a title's first round has a dozen ranges: three waves of
    /// round trips on a phone).
    Probing,
    /// The probe's two ranges came back as parts; a batch of more is still a trial.
    Two,
    /// A batch of more than two ranges came back as parts.
    Many,
    /// One range a request, for good: a batch or the probe was refused, the probe was
    /// not answered in time, or none was sent (HTTP/2, a pack without a head file).
    Apart,
}

/// The probe of several ranges, as its request left it for [`OpenIndex::take_probe`].
enum Probe {
    /// Sent, not answered yet.
    OnItsWay,
    /// Answered with the parts of both ranges.
    Parts(Vec<(u64, Vec<u8>)>),
    /// Refused, or not answered within [`PROBE_TIMEOUT_MS`].
    No,
    /// Taken in, or never sent.
    Taken,
}

impl OpenIndex {
    /// Takes in what the probe of several ranges found, once it has answered: its bytes
    /// are fed like any fetched, and later rounds send their ranges together — unless a
    /// trial batch has meanwhile shown more ([`SeveralRanges::Many`]) or been refused.
    fn take_probe(&self) {
        let probe = std::mem::replace(&mut *self.probed.borrow_mut(), Probe::Taken);
        let found = match probe {
            Probe::OnItsWay => {
                *self.probed.borrow_mut() = Probe::OnItsWay;
                return;
            }
            Probe::Taken => return,
            Probe::No => SeveralRanges::Apart,
            Probe::Parts(parts) => {
                // Bytes of this pack, checked by the session; a failure only loses the
                // probe.
                let fed = parts
                    .into_iter()
                    .all(|(start, part)| self.session.borrow_mut().feed(start, &part).is_ok());
                match fed {
                    true => SeveralRanges::Two,
                    false => SeveralRanges::Apart,
                }
            }
        };
        if self.several.get() == SeveralRanges::Probing {
            self.several.set(found);
            self.update_carriage();
        }
    }

    /// Tells the session how the host carries a round's requests, from what opening and
    /// the batches so far learnt: all at once (several ranges a request, or one
    /// multiplexed connection), else six at a time.
    fn update_carriage(&self) {
        let carriage = match self.several.get() != SeveralRanges::Apart || self.multiplexed {
            true => Carriage::AllAtOnce,
            false => Carriage::SixAtATime,
        };
        self.session.borrow_mut().set_carriage(carriage);
    }
}

pub struct SearchWorker {
    state: IndexState,
    /// The queries already asked again after their pack vanished ([`Done::PackGone`]): a
    /// second time, the failure is their answer.
    asked_again: Vec<(HandlerId, u64)>,
    /// The answer cards' data fetched so far ([`cards`]).
    card_sources: cards::SharedSources,
    /// Whether this worker has started loading an index before ([`SearchWorker::load`]).
    loaded_before: bool,
}

/// What the worker's own futures report back.
pub enum Done {
    /// The index loaded (boxed: a failure is large beside an answer).
    Loaded {
        data_url: String,
        result: Box<Result<Rc<OpenIndex>, LoadFailure>>,
    },
    /// A search finished (`None`: a newer query of the same page replaced it).
    Answered {
        id: HandlerId,
        answer: Option<WorkerAnswer>,
    },
    /// The answer cards of a query were found (sent as they are: no index is involved).
    Cards { id: HandlerId, answer: WorkerAnswer },
    /// The open index's pack is gone from the host (404, 410): a new build replaced it.
    PackGone {
        id: HandlerId,
        query: WorkerQuery,
        failure: LoadFailure,
        /// The pack that answered so: only an index still reading it is dropped.
        pack_url: String,
    },
}

impl Worker for SearchWorker {
    type Message = Done;
    type Input = WorkerRequest;
    type Output = WorkerAnswer;

    fn create(scope: &WorkerScope<Self>) -> Self {
        answer_in_flight_queries_on_panic(scope);
        SearchWorker {
            state: IndexState::Empty,
            asked_again: Vec::new(),
            card_sources: cards::SharedSources::default(),
            loaded_before: false,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, done: Done) {
        let (data_url, result) = match done {
            Done::Answered { id, answer } => {
                if let Some(answer) = answer {
                    self.take_asked_again(id, answer.seq);
                    respond(scope, id, answer);
                }
                return;
            }
            Done::Cards { id, answer } => {
                CARDS_IN_FLIGHT.with(|cards| {
                    let mut cards = cards.borrow_mut();
                    if let Some(at) = cards.iter().position(|known| *known == id) {
                        cards.remove(at);
                    }
                });
                // Straight to the page: `respond` would forget the request to get ready,
                // numbered 0 as cards are.
                if answer.cards.is_some() {
                    scope.respond(id, answer);
                }
                return;
            }
            Done::PackGone {
                id,
                query,
                failure,
                pack_url,
            } => {
                return self.reopen_for(scope, id, query, failure, &pack_url);
            }
            Done::Loaded { data_url, result } => (data_url, *result),
        };
        // A request to get ready (numbered 0) is done with once the index loaded or failed.
        IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().retain(|(_, seq, _)| *seq != 0));
        let waiting = match std::mem::replace(&mut self.state, IndexState::Empty) {
            IndexState::Loading { waiting, .. } => waiting,
            _ => Vec::new(),
        };
        match result {
            Ok(index) => {
                self.state = IndexState::Ready { data_url, index };
                // Only the newest query of each page matters; older ones are stale.
                for (id, query) in newest_per_handler(waiting) {
                    self.answer(scope, id, query);
                }
            }
            Err(failure) => {
                for (id, query) in newest_per_handler(waiting) {
                    let answer = WorkerAnswer::of(query.seq, Err(failure.clone()));
                    respond(scope, id, answer);
                }
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, request: WorkerRequest, id: HandlerId) {
        let query = match request {
            WorkerRequest::Query(query) => query,
            WorkerRequest::Prepare { data_url } => return self.prepare(scope, data_url, id),
            WorkerRequest::Cards(asked) => return self.cards(scope, asked, id),
        };
        IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().push((id, query.seq, query.suggest)));
        match &mut self.state {
            IndexState::Ready { data_url, .. } if *data_url == query.data_url => {
                self.answer(scope, id, query)
            }
            IndexState::Loading { data_url, waiting } if *data_url == query.data_url => {
                waiting.push((id, query))
            }
            _ => {
                let data_url = query.data_url.clone();
                self.load(scope, data_url, vec![(id, query)]);
            }
        }
    }
}

impl SearchWorker {
    /// Finds the answer cards of `asked` beside any search (no index needed), and sends
    /// them to `id` when the query calls for some.
    fn cards(&mut self, scope: &WorkerScope<Self>, asked: CardsQuery, id: HandlerId) {
        CARDS_IN_FLIGHT.with(|cards| cards.borrow_mut().push(id));
        let sources = self.card_sources.clone();
        scope.send_future(async move {
            let cards = cards::answer(sources, asked).await;
            Done::Cards {
                id,
                answer: WorkerAnswer {
                    cards,
                    ..WorkerAnswer::of(0, Ok(SearchResults::default()))
                },
            }
        });
    }

    /// Loads the index from `data_url` unless it is loaded or loading: the manifest, the
    /// head and opening, before any query. Answers nothing — unless the engine stops on
    /// the pack's bytes meanwhile: then the page `id` is told (an answer numbered 0), so it
    /// starts a new worker for its first query. A failure leaves the worker empty, and the
    /// first query tries again (and says what failed).
    fn prepare(&mut self, scope: &WorkerScope<Self>, data_url: String, id: HandlerId) {
        match &self.state {
            IndexState::Ready {
                data_url: known, ..
            } if *known == data_url => {}
            IndexState::Loading { .. } => {}
            _ => {
                IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().push((id, 0, false)));
                self.load(scope, data_url, Vec::new());
            }
        }
    }

    /// Starts loading the index of `data_url` for the queries `waiting`. The worker's first
    /// load may take `manifest.json` from the browser's cache, where the page put it, checked
    /// with the host, moments ago while the engine downloaded (`search::warm`; the server
    /// lets it be used for half a minute); a later one — after a pack vanished or a load
    /// failed, or for a second index of the page — asks the host.
    fn load(
        &mut self,
        scope: &WorkerScope<Self>,
        data_url: String,
        waiting: Vec<(HandlerId, WorkerQuery)>,
    ) {
        let manifest_cache = match self.loaded_before {
            false => web_sys::RequestCache::Default,
            true => web_sys::RequestCache::NoCache,
        };
        self.loaded_before = true;
        self.state = IndexState::Loading {
            data_url: data_url.clone(),
            waiting,
        };
        scope.send_future(async move {
            let result = Box::new(load_index(&data_url, manifest_cache).await);
            Done::Loaded { data_url, result }
        });
    }

    /// Whether query `seq` of page `id` was asked again after its pack vanished; it is
    /// no longer counted so.
    fn take_asked_again(&mut self, id: HandlerId, seq: u64) -> bool {
        let at = self
            .asked_again
            .iter()
            .position(|asked| *asked == (id, seq));
        at.map(|at| self.asked_again.swap_remove(at)).is_some()
    }

    /// `query`'s pack (`pack_url`) vanished: forgets the open index if it still reads
    /// that pack (another query may have opened the new one already) and asks again,
    /// which reads the manifest anew; a query asked again already gets `failure` as its
    /// answer.
    fn reopen_for(
        &mut self,
        scope: &WorkerScope<Self>,
        id: HandlerId,
        query: WorkerQuery,
        failure: LoadFailure,
        pack_url: &str,
    ) {
        if self.take_asked_again(id, query.seq) {
            let answer = WorkerAnswer::of(query.seq, Err(failure));
            return respond(scope, id, answer);
        }
        self.asked_again.push((id, query.seq));
        if matches!(&self.state, IndexState::Ready { index, .. } if index.pack_url == pack_url) {
            self.state = IndexState::Empty;
        }
        // `received` counts the query in flight again.
        forget(id, query.seq);
        self.received(scope, WorkerRequest::Query(query), id);
    }

    fn answer(&self, scope: &WorkerScope<Self>, id: HandlerId, query: WorkerQuery) {
        let IndexState::Ready { index, .. } = &self.state else {
            return;
        };
        let index = index.clone();
        scope.send_future(async move {
            // A newer query of the same page and kind waits: this one's answer would be
            // dropped. Suggestions never replace a search, nor a search suggestions.
            let superseded = || {
                IN_FLIGHT.with(|in_flight| {
                    in_flight.borrow().iter().any(|(known, seq, suggest)| {
                        *known == id && *suggest == query.suggest && *seq > query.seq
                    })
                })
            };
            let answer = if query.suggest {
                suggest(&index, &query, superseded)
                    .await
                    .map(|outcome| match outcome {
                        Ok(suggestions) => WorkerAnswer {
                            suggestions,
                            ..WorkerAnswer::of(query.seq, Ok(SearchResults::default()))
                        },
                        Err(failure) => WorkerAnswer::of(query.seq, Err(failure)),
                    })
            } else {
                search(&index, &query, superseded)
                    .await
                    .map(|outcome| WorkerAnswer::of(query.seq, outcome))
            };
            match answer {
                Some(WorkerAnswer {
                    outcome: Err(failure @ LoadFailure::Status(404 | 410)),
                    ..
                }) => Done::PackGone {
                    id,
                    query,
                    failure,
                    pack_url: index.pack_url.clone(),
                },
                None => {
                    forget(id, query.seq);
                    Done::Answered { id, answer: None }
                }
                answer => Done::Answered { id, answer },
            }
        });
    }
}

thread_local! {
    /// The queries received and not answered yet. A corrupted pack can make tantivy panic,
    /// and a panic ends the worker's Wasm instance: the panic hook answers these first, so
    /// the page says what happened instead of waiting for ever.
    static IN_FLIGHT: RefCell<Vec<(HandlerId, u64, bool)>> = const { RefCell::new(Vec::new()) };
    /// The pages whose answer cards are being found (one entry a request): never numbered
    /// apart from the request to get ready, so kept here rather than in [`IN_FLIGHT`]; the
    /// panic hook tells them too, so a page whose search was answered already still learns
    /// that the worker is gone and starts another.
    static CARDS_IN_FLIGHT: RefCell<Vec<HandlerId>> = const { RefCell::new(Vec::new()) };
    /// The worker's scope, for the panic hook to answer through.
    static SCOPE: RefCell<Option<WorkerScope<SearchWorker>>> = const { RefCell::new(None) };
}

/// Sends `answer` and forgets its query.
fn respond(scope: &WorkerScope<SearchWorker>, id: HandlerId, answer: WorkerAnswer) {
    forget(id, answer.seq);
    scope.respond(id, answer);
}

fn forget(id: HandlerId, seq: u64) {
    IN_FLIGHT.with(|in_flight| {
        in_flight
            .borrow_mut()
            .retain(|(known, known_seq, _)| !(*known == id && *known_seq == seq))
    });
}

/// Installs a panic hook that answers every query in flight with
/// [`LoadFailure::EngineStopped`].
fn answer_in_flight_queries_on_panic(scope: &WorkerScope<SearchWorker>) {
    SCOPE.with(|kept| *kept.borrow_mut() = Some(scope.clone()));
    std::panic::set_hook(Box::new(|info| {
        let mut queries = IN_FLIGHT.with(|in_flight| {
            in_flight
                .try_borrow_mut()
                .map(|mut queries| std::mem::take(&mut *queries))
                .unwrap_or_default()
        });
        let finding_cards = CARDS_IN_FLIGHT.with(|cards| {
            cards
                .try_borrow_mut()
                .map(|mut ids| std::mem::take(&mut *ids))
                .unwrap_or_default()
        });
        queries.extend(finding_cards.into_iter().map(|id| (id, 0, false)));
        SCOPE.with(|kept| {
            let Ok(kept) = kept.try_borrow() else { return };
            let Some(scope) = kept.as_ref() else { return };
            for (id, seq, _) in queries {
                let outcome = Err(LoadFailure::EngineStopped(detail(&info.to_string())));
                scope.respond(id, WorkerAnswer::of(seq, outcome));
            }
        });
    }));
}

/// An error's text cut to a length fit for a message (tantivy quotes whole corrupted
/// files in some of its errors).
fn detail(text: &str) -> String {
    const MAX_CHARS: usize = 300;
    match text.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The pack's bytes are not an index this engine reads: `error` says why, cut to fit.
fn corrupt(error: &dyn std::error::Error) -> LoadFailure {
    LoadFailure::Corrupt(detail(&error.to_string()))
}

/// Answers `query`, fetching what it reads and the index does not hold yet; `None` when
/// `superseded` says a newer query replaced it while it was fetching.
async fn search(
    open: &OpenIndex,
    query: &WorkerQuery,
    superseded: impl Fn() -> bool,
) -> Option<Result<SearchResults, LoadFailure>> {
    run(open, &mut SearchTask::new(&query.request), &superseded).await
}

/// Suggests for `query.request.query`, fetching the blocks it reads; `None` when
/// `superseded` says a newer keystroke replaced it.
async fn suggest(
    open: &OpenIndex,
    query: &WorkerQuery,
    superseded: impl Fn() -> bool,
) -> Option<Result<Vec<String>, LoadFailure>> {
    let mut task = SuggestTask::new(&query.request.query);
    run(open, &mut task, &superseded).await
}

/// Steps `task` to its answer: each step's needed ranges fetched at once, fed, and the
/// task stepped again (the session's round limit ends a task that never stops needing).
/// `None` when `superseded` says a newer query replaced it before a round of fetching.
async fn run<T: Task>(
    open: &OpenIndex,
    task: &mut T,
    superseded: &impl Fn() -> bool,
) -> Option<Result<T::Output, LoadFailure>> {
    loop {
        open.take_probe();
        let step = open.session.borrow_mut().step(task);
        let ranges = match step {
            Ok(Step::Done(answer)) => return Some(Ok(answer)),
            Ok(Step::Need(ranges)) => ranges,
            Err(error) => return Some(Err(corrupt(&error))),
        };
        if superseded() {
            return None;
        }
        let pack_bytes = open.session.borrow().pack_bytes();
        // One request for each batch of ranges where the host answers several at once,
        // else one per range; a batch of more than the probe's two only as the one trial
        // in flight until the host has answered one.
        let trial = BatchTrial::of(open, ranges.len());
        let per_request = match (open.several.get(), &trial) {
            (SeveralRanges::Apart | SeveralRanges::Probing, BatchTrial::Free)
            | (_, BatchTrial::Waiting) => 1,
            _ => byteranges::MAX_RANGES_PER_REQUEST,
        };
        let batches: Vec<Vec<Range<u64>>> = ranges.chunks(per_request).map(<[_]>::to_vec).collect();
        let fetches = batches
            .into_iter()
            .map(|batch| fetch_ranges(open, pack_bytes, batch));
        for fetched in futures_util::future::join_all(fetches).await {
            let fetched = match fetched {
                // Already one range a request ([`fetch_ranges`] said so at the refusal).
                Ok((fetched, Batch::Refused)) => fetched,
                Ok((fetched, Batch::Answered)) => {
                    if matches!(trial, BatchTrial::Sent { .. })
                        && open.several.get() != SeveralRanges::Apart
                    {
                        open.several.set(SeveralRanges::Many);
                    }
                    fetched
                }
                Err(failure) => return Some(Err(failure)),
            };
            for piece in fetched {
                let fed = match piece {
                    Fetched::Part(start, bytes) => open.session.borrow_mut().feed(start, &bytes),
                    Fetched::Whole(bytes) => open.session.borrow_mut().feed_whole(&bytes),
                };
                if let Err(error) = fed {
                    return Some(Err(corrupt(&error)));
                }
            }
        }
    }
}

/// Whether a round's ranges may go in one batch while the host has not yet answered a batch
/// of more than two ranges ([`SeveralRanges::Many`]).
enum BatchTrial<'a> {
    /// No trial: two ranges or fewer, the host answered many already, or it is read one
    /// range a request.
    Free,
    /// This round is the trial; the flag is lowered when it ends, answered, refused or
    /// dropped.
    Sent { _guard: TrialGuard<'a> },
    /// Another query's trial is in flight: one range a request.
    Waiting,
}

/// Lowers [`OpenIndex::trial_in_flight`] when dropped.
struct TrialGuard<'a>(&'a OpenIndex);

impl Drop for TrialGuard<'_> {
    fn drop(&mut self) {
        self.0.trial_in_flight.set(false);
    }
}

impl<'a> BatchTrial<'a> {
    /// The trial state of a round of `ranges` ranges over `open`.
    fn of(open: &'a OpenIndex, ranges: usize) -> BatchTrial<'a> {
        let settled = matches!(
            open.several.get(),
            SeveralRanges::Many | SeveralRanges::Apart
        );
        if ranges <= 2 || settled {
            return BatchTrial::Free;
        }
        if open.trial_in_flight.replace(true) {
            return BatchTrial::Waiting;
        }
        BatchTrial::Sent {
            _guard: TrialGuard(open),
        }
    }
}

/// The newest of `queries` for each page and kind (search, suggestions); the older ones
/// are forgotten unanswered (their page has moved on).
fn newest_per_handler(queries: Vec<(HandlerId, WorkerQuery)>) -> Vec<(HandlerId, WorkerQuery)> {
    let mut newest: Vec<(HandlerId, WorkerQuery)> = Vec::new();
    for (id, query) in queries {
        match newest
            .iter_mut()
            .find(|(known, kept)| *known == id && kept.suggest == query.suggest)
        {
            Some(entry) if entry.1.seq < query.seq => {
                forget(id, entry.1.seq);
                entry.1 = query
            }
            Some(_) => forget(id, query.seq),
            None => newest.push((id, query)),
        }
    }
    newest
}

/// Fetches `manifest.json` from `data_url`, then the head of the pack it names (or the
/// whole pack, when the host ignores `Range`), and opens it. Whether the host answers
/// several ranges a request is asked beside the head but not waited for
/// ([`probe_several_ranges`]).
async fn load_index(
    data_url: &str,
    manifest_cache: web_sys::RequestCache,
) -> Result<Rc<OpenIndex>, LoadFailure> {
    let base = crate::page::with_slash(data_url);
    let manifest_bytes = fetch_whole(&format!("{base}manifest.json"), manifest_cache).await?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|error| LoadFailure::Corrupt(format!("manifest.json: {error}")))?;
    if manifest.format != PACK_FORMAT {
        return Err(LoadFailure::Corrupt(format!(
            "pack format {:?}",
            manifest.format
        )));
    }
    let pack_url = format!("{base}{}", manifest.pack);
    // The head, which every visit needs, may come from the browser's cache next time.
    let cache = web_sys::RequestCache::Default;
    // The byte past the head that probed the host, kept like any range fetched.
    let mut first_byte = None;
    // Asked with the head's own file; a pack read without one asks one range at a time.
    let probed = Rc::new(RefCell::new(Probe::Taken));
    let multiplexed = multiplexed("manifest.json");
    let session = match (&manifest.head, manifest.probe_range()) {
        // With a byte of the pack past the head, in the same round trip: a host that
        // ignores `Range` answers it with the whole pack (kept, and nothing more is
        // fetched) rather than each range of the first query doing so at once.
        (Some(name), Some(probe)) => {
            let head_bytes = manifest.head_bytes;
            if !multiplexed {
                let (url, pack_bytes, probed) =
                    (pack_url.clone(), manifest.pack_bytes, probed.clone());
                *probed.borrow_mut() = Probe::OnItsWay;
                wasm_bindgen_futures::spawn_local(async move {
                    let parts = probe_several_ranges(&url, pack_bytes, head_bytes).await;
                    *probed.borrow_mut() = parts.map_or(Probe::No, Probe::Parts);
                });
            }
            // The head's file, often from the cache (the page asked for it while the
            // engine downloaded), is opened while the probe is still on its way.
            let head_url = format!("{base}{name}");
            let (opened, probe) = futures_util::future::join(
                async {
                    Some(session_from_head(
                        &fetch_head(&head_url, head_bytes).await?,
                        &manifest,
                    ))
                },
                fetch_range(&pack_url, manifest.pack_bytes, probe, cache),
            )
            .await;
            match (probe?, opened) {
                (Fetched::Whole(pack), _) => {
                    Some(Session::whole(pack).map_err(|error| corrupt(&error))?)
                }
                (Fetched::Part(start, part), Some(session)) => {
                    let mut session = session?;
                    session
                        .feed(start, &part)
                        .map_err(|error| corrupt(&error))?;
                    Some(session)
                }
                (Fetched::Part(start, part), None) => {
                    first_byte = Some((start, part));
                    None
                }
            }
        }
        _ => None,
    };
    let session = match session {
        Some(session) => session,
        None => {
            let range = 0..manifest.head_bytes;
            match fetch_range(&pack_url, manifest.pack_bytes, range, cache).await? {
                Fetched::Whole(pack) => Session::whole(pack).map_err(|error| corrupt(&error))?,
                Fetched::Part(_, head) => {
                    let mut session = session_from_head(&head, &manifest)?;
                    if let Some((start, part)) = first_byte {
                        session
                            .feed(start, &part)
                            .map_err(|error| corrupt(&error))?;
                    }
                    session
                }
            }
        }
    };
    // Probing while the probe has not been taken in, though it may have answered already
    // ([`OpenIndex::take_probe`] says what it found).
    let several = match *probed.borrow() {
        Probe::Taken => SeveralRanges::Apart,
        _ => SeveralRanges::Probing,
    };
    let open = Rc::new(OpenIndex {
        session: RefCell::new(session),
        pack_url,
        several: Cell::new(several),
        trial_in_flight: Cell::new(false),
        multiplexed,
        probed,
    });
    open.update_carriage();
    let never = || false;
    run(&open, &mut OpenTask::new(), &never)
        .await
        .unwrap_or_else(|| Err(LoadFailure::Corrupt("opening was abandoned".to_string())))?;
    Ok(open)
}

/// A session over the pack from its `head`, checked against the manifest, with the index
/// opened: the head holds every byte opening reads, so this needs no fetch.
fn session_from_head(head: &[u8], manifest: &Manifest) -> Result<Session, LoadFailure> {
    let mut session =
        Session::from_head(head, manifest.pack_bytes).map_err(|error| corrupt(&error))?;
    if session.head_bytes() != manifest.head_bytes {
        return Err(LoadFailure::Corrupt(
            "manifest.json and the pack disagree on the head".to_string(),
        ));
    }
    // Opened now; what fails here fails again, and is reported, when the loader's own
    // opening step runs.
    let _ = session.step(&mut OpenTask::new());
    Ok(session)
}

/// Whether the host of the pack at `url` answers several ranges in one request
/// ([`answers_several_ranges`], waiting at most [`PROBE_TIMEOUT_MS`]): its parts when it
/// does. Sent beside the head and not waited for by the opening ([`OpenIndex::take_probe`]
/// takes it in before each step): on a second visit the head and its one-byte probe come
/// from the browser's cache, and this request would be the round trip a first query
/// waits for, though a query's first round (dictionary blocks) seldom has more ranges than
/// six connections carry at once.
async fn probe_several_ranges(
    url: &str,
    pack_bytes: u64,
    head_bytes: u64,
) -> Option<Vec<(u64, Vec<u8>)>> {
    let answer = answers_several_ranges(url, pack_bytes, head_bytes);
    within(PROBE_TIMEOUT_MS, answer).await.flatten()
}

/// The pack's head from its own file (`manifest.json`'s `head`), fetched whole so the host
/// may compress it, tried again like a range; `None` when it cannot be had as the manifest
/// describes it — missing (404, or 403 from an object store), a host's page in its place
/// (not `head_bytes` long), a server error —: the head is then read as a range of the pack,
/// which decides whether the index can be opened.
async fn fetch_head(url: &str, head_bytes: u64) -> Option<Vec<u8>> {
    match retrying(|| fetch_whole(url, web_sys::RequestCache::Default)).await {
        Ok(head) if head.len() as u64 == head_bytes => Some(head),
        Ok(head) => {
            console_warn(&format!(
                "{url}: {} bytes, the manifest says {head_bytes}; reading the head from the pack",
                head.len()
            ));
            None
        }
        Err(failure) => {
            console_warn(&format!(
                "{url}: {failure:?}; reading the head from the pack"
            ));
            None
        }
    }
}

/// Tells the portal's operator, in the browser's console, what the citizen need not see.
fn console_warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// Runs `request` again after each of [`RETRY_PAUSES_MS`] while it fails as a passing fault
/// may (a dropped connection, a gateway's 502–504); any other answer is returned at once.
async fn retrying<T, F, R>(mut request: R) -> Result<T, LoadFailure>
where
    R: FnMut() -> F,
    F: std::future::Future<Output = Result<T, LoadFailure>>,
{
    let mut pauses = RETRY_PAUSES_MS.iter();
    loop {
        match request().await {
            Err(failure @ (LoadFailure::Network(_) | LoadFailure::Status(502..=504))) => {
                match pauses.next() {
                    Some(pause) => gloo_timers::future::TimeoutFuture::new(*pause).await,
                    None => return Err(failure),
                }
            }
            other => return other,
        }
    }
}

/// What a range request brought.
enum Fetched {
    /// The bytes of the range asked for, from this offset (206).
    Part(u64, Vec<u8>),
    /// The whole pack: the host does not serve ranges (200).
    Whole(Vec<u8>),
}

/// Whether the newest fetch of a URL ending in `name` went over HTTP/2 or HTTP/3 (the
/// Resource Timing API's `nextHopProtocol`): those carry many requests at once on one
/// connection, so a round's ranges are as quick sent apart as in one multipart answer,
/// which a host must build whole before sending (measured: the second visit 0.2 s slower
/// over HTTP/2 with it, 0.45 s quicker over HTTP/1.1). Unknown (a cross-origin host
/// without `Timing-Allow-Origin` says nothing; a browser may say nothing for a copy from
/// its cache, as the manifest the page fetched moments before is): `false`, which costs
/// only the probe of several ranges.
fn multiplexed(name: &str) -> bool {
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let Some(performance) = global.performance() else {
        return false;
    };
    let entries = performance.get_entries_by_type("resource");
    let protocol = entries
        .iter()
        .rev()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .find(|entry| entry.name().ends_with(name))
        .map(|entry| entry.next_hop_protocol());
    matches!(protocol.as_deref(), Some("h2" | "h3"))
}

/// Whether the host at `url` answers two ranges in one request with their parts
/// (`multipart/byteranges`, [`byteranges`]): `Some` with those parts when it does, asked
/// for the second byte past the pack's head (`head_bytes`) and the pack's last byte —
/// bytes no other request of the opening asks for, kept like any part fetched. A host that
/// ignores several ranges and sends the whole pack (200, as object stores do) is cut off
/// after its headers, before the pack crosses the network; one that refuses them (416) or
/// merges them into one part (here the whole pack but its head) says no as well.
async fn answers_several_ranges(
    url: &str,
    pack_bytes: u64,
    head_bytes: u64,
) -> Option<Vec<(u64, Vec<u8>)>> {
    // Apart, so that no host merges them: the first past the head is the other probe's.
    let ranges = [
        head_bytes + 1..head_bytes + 2,
        pack_bytes.checked_sub(1)?..pack_bytes,
    ];
    if ranges[1].start <= ranges[0].end {
        return None;
    }
    let (response, abort) = several_ranges_request(url, &ranges).await.ok()?;
    let content_type = header(&response, "Content-Type");
    if response.status() != 206 || byteranges::boundary(&content_type).is_none() {
        abort.abort();
        return None;
    }
    let sent = body(url, &response).await.ok()?;
    let parts = byteranges::parse(&content_type, &sent, pack_bytes).ok()?;
    let asked = |(start, bytes): &(u64, &[u8])| {
        ranges
            .iter()
            .any(|range| *start == range.start && bytes.len() == 1)
    };
    (parts.len() == 2 && parts.iter().all(asked)).then(|| {
        parts
            .into_iter()
            .map(|(start, bytes)| (start, bytes.to_vec()))
            .collect()
    })
}

/// Sends one request for every range of `ranges` of the file at `url`, never from or into
/// the browser's cache; returns its response (at its headers) and the controller that cuts
/// its body off.
async fn several_ranges_request(
    url: &str,
    ranges: &[Range<u64>],
) -> Result<(web_sys::Response, web_sys::AbortController), LoadFailure> {
    let headers = web_sys::Headers::new().map_err(|error| network(url, error))?;
    headers
        .set("Range", &byteranges::header(ranges))
        .map_err(|error| network(url, error))?;
    let abort = web_sys::AbortController::new().map_err(|error| network(url, error))?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&abort.signal()));
    Ok((fetch(url, &init).await?, abort))
}

/// How long opening waits for the answer to the probe of several ranges (a proxy that
/// fetches the whole file first may take long): after it, one range a request.
const PROBE_TIMEOUT_MS: u32 = 3_000;

/// `future`'s output, or `None` after `ms` milliseconds.
async fn within<T>(ms: u32, future: impl std::future::Future<Output = T>) -> Option<T> {
    let timeout = gloo_timers::future::TimeoutFuture::new(ms);
    match futures_util::future::select(Box::pin(future), timeout).await {
        futures_util::future::Either::Left((output, _)) => Some(output),
        futures_util::future::Either::Right(_) => None,
    }
}

/// Whether a host answered a request for several ranges with parts, or would not.
enum Batch {
    /// With parts (or a single range asked alone).
    Answered,
    /// Refused (416), the whole file instead (200, cut off), or one part without a readable
    /// `Content-Range`: ask one range a request from now on.
    Refused,
}

/// Fetches every range of `ranges` of `open`'s pack: one alone as [`fetch_range`] does;
/// several in one request, then any the host did not send (it may answer only some, or
/// refuse several) one by one. A refusal turns `open` to one range a request at once.
async fn fetch_ranges(
    open: &OpenIndex,
    pack_bytes: u64,
    ranges: Vec<Range<u64>>,
) -> Result<(Vec<Fetched>, Batch), LoadFailure> {
    let url = open.pack_url.as_str();
    // Parts are kept here for the page's life; the browser's HTTP cache would only add a
    // disk write to each (half the time of a local fetch).
    let cache = web_sys::RequestCache::NoStore;
    if let [range] = ranges.as_slice() {
        let fetched = fetch_range(url, pack_bytes, range.clone(), cache).await?;
        return Ok((vec![fetched], Batch::Answered));
    }
    let (mut fetched, batch) = retrying(|| fetch_several_once(url, pack_bytes, &ranges)).await?;
    if matches!(batch, Batch::Refused) {
        // Said at once, not after the ranges below come one by one: a round that another
        // query starts meanwhile must not send several ranges again.
        open.several.set(SeveralRanges::Apart);
        open.update_carriage();
    }
    let sent = |range: &Range<u64>| {
        fetched.iter().any(|piece| match piece {
            Fetched::Part(start, bytes) => {
                *start <= range.start && start + bytes.len() as u64 >= range.end
            }
            Fetched::Whole(_) => true,
        })
    };
    let missing: Vec<Range<u64>> = ranges
        .iter()
        .filter(|range| !sent(range))
        .cloned()
        .collect();
    let again = missing
        .into_iter()
        .map(|range| fetch_range(url, pack_bytes, range, cache));
    for piece in futures_util::future::join_all(again).await {
        fetched.push(piece?);
    }
    Ok((fetched, batch))
}

/// One request for several `ranges`: their parts (206 multipart, or one part the host
/// merged them into), or none when the host refuses several at once (416; 200, the whole
/// file, cut off after its headers so that it never crosses a phone's network; one part
/// whose `Content-Range` a cross-origin host does not expose): the caller fetches those
/// one by one.
async fn fetch_several_once(
    url: &str,
    pack_bytes: u64,
    ranges: &[Range<u64>],
) -> Result<(Vec<Fetched>, Batch), LoadFailure> {
    let (response, abort) = several_ranges_request(url, ranges).await?;
    let unreadable =
        |error: byteranges::ByterangesError| LoadFailure::Corrupt(format!("{url}: {error}"));
    match response.status() {
        206 => {
            let content_type = header(&response, "Content-Type");
            let sent = body(url, &response).await?;
            if byteranges::boundary(&content_type).is_some() {
                let parts =
                    byteranges::parse(&content_type, &sent, pack_bytes).map_err(unreadable)?;
                let parts = parts
                    .into_iter()
                    .map(|(start, bytes)| Fetched::Part(start, bytes.to_vec()))
                    .collect();
                return Ok((parts, Batch::Answered));
            }
            let content_range = header(&response, "Content-Range");
            Ok(
                match byteranges::single_part(&content_range, &sent, pack_bytes) {
                    Ok((start, bytes)) => {
                        (vec![Fetched::Part(start, bytes.to_vec())], Batch::Answered)
                    }
                    Err(_) => (Vec::new(), Batch::Refused),
                },
            )
        }
        200 | 416 => {
            abort.abort();
            Ok((Vec::new(), Batch::Refused))
        }
        status => Err(LoadFailure::Status(status)),
    }
}

/// The value of the header `name` of `response`; empty when it has none or the browser
/// does not expose it (a cross-origin host that does not list it).
fn header(response: &web_sys::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Fetches `range` of the pack of `pack_bytes` bytes at `url`, trying again after a
/// network error; checks that what came back is what was asked for.
async fn fetch_range(
    url: &str,
    pack_bytes: u64,
    range: Range<u64>,
    cache: web_sys::RequestCache,
) -> Result<Fetched, LoadFailure> {
    retrying(|| fetch_range_once(url, pack_bytes, range.clone(), cache)).await
}

async fn fetch_range_once(
    url: &str,
    pack_bytes: u64,
    range: Range<u64>,
    cache: web_sys::RequestCache,
) -> Result<Fetched, LoadFailure> {
    let headers = web_sys::Headers::new().map_err(|error| network(url, error))?;
    headers
        .set("Range", &byteranges::header(&[range.clone()]))
        .map_err(|error| network(url, error))?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    init.set_cache(cache);
    let response = fetch(url, &init).await?;
    let status = response.status();
    let truncated = |have: u64| {
        LoadFailure::Corrupt(format!(
            "{url}: {have} bytes, the manifest says {pack_bytes}"
        ))
    };
    match status {
        200 => {
            let pack = body(url, &response).await?;
            if pack.len() as u64 != pack_bytes {
                return Err(truncated(pack.len() as u64));
            }
            Ok(Fetched::Whole(pack))
        }
        206 => {
            let content_range = header(&response, "Content-Range");
            let total = content_range
                .rsplit('/')
                .next()
                .and_then(|total| total.trim().parse::<u64>().ok());
            if let Some(total) = total.filter(|total| *total != pack_bytes) {
                return Err(truncated(total));
            }
            let part = body(url, &response).await?;
            if part.len() as u64 != range.end - range.start {
                return Err(LoadFailure::Corrupt(format!(
                    "{url}: asked for {range:?}, got {} bytes ({content_range})",
                    part.len()
                )));
            }
            Ok(Fetched::Part(range.start, part))
        }
        // The range lies past the end: the file on the host is shorter than the manifest.
        416 => Err(LoadFailure::Corrupt(format!(
            "{url}: range {range:?} not satisfiable"
        ))),
        _ => Err(LoadFailure::Status(status)),
    }
}

async fn fetch_whole(url: &str, cache: web_sys::RequestCache) -> Result<Vec<u8>, LoadFailure> {
    let init = web_sys::RequestInit::new();
    init.set_cache(cache);
    let response = fetch(url, &init).await?;
    if !response.ok() {
        return Err(LoadFailure::Status(response.status()));
    }
    body(url, &response).await
}

fn network(url: &str, error: wasm_bindgen::JsValue) -> LoadFailure {
    LoadFailure::Network(format!("{url}: {error:?}"))
}

async fn fetch(url: &str, init: &web_sys::RequestInit) -> Result<web_sys::Response, LoadFailure> {
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    Ok(JsFuture::from(global.fetch_with_str_and_init(url, init))
        .await
        .map_err(|error| network(url, error))?
        .unchecked_into())
}

async fn body(url: &str, response: &web_sys::Response) -> Result<Vec<u8>, LoadFailure> {
    let buffer = JsFuture::from(
        response
            .array_buffer()
            .map_err(|error| network(url, error))?,
    )
    .await
    .map_err(|error| network(url, error))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
