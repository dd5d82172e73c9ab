//! The search worker: opens the index when the page asks it to get ready (or on the first
//! query) and answers queries off the page's thread, so typing never waits for tantivy.
//!
//! First the pack's head (header and the hot parts every search reads, one request): from
//! its own file, `search.<hash>.head`, which the host may send compressed, or, when the
//! manifest names none or the host lacks it, as a range of the pack. Then the pack is read
//! by HTTP `Range` requests, per query only what the query reads (`worker/rounds.rs`): the
//! worker is a small loop over a [`Session`](disclosure_search::session::Session) of
//! `disclosure-search`, which does no IO. Each step of a task answers or names the byte
//! ranges it needs; the worker fetches them all at once — in one request
//! (`multipart/byteranges`) where the host answers several ranges so, which
//! `worker/open.rs` asks beside the head without waiting for the answer; over HTTP/2 each
//! range its own request on the one connection (`worker/http.rs`) — feeds them and steps
//! again. The session keeps what was fetched while the page is open and stops a task after
//! its round limit. A host that answers a range request with the whole file (200) gets
//! what it sends: the whole pack is kept and nothing more is fetched.
//!
//! A page may stay open while a new build replaces the pack (packs are named by their
//! content's hash, so the old one disappears): when the pack answers 404 or 410, the worker
//! drops the open index, reads `manifest.json` again and answers the query from the pack
//! it names now, once. Every answer comes from one pack: a session never mixes ranges of
//! two.

use std::cell::RefCell;
use std::rc::Rc;

use disclosure_search::SearchResults;
use gloo_worker::{HandlerId, Worker, WorkerScope};

use crate::protocol::{CardsQuery, LoadFailure, WorkerAnswer, WorkerQuery, WorkerRequest};

mod cards;
mod http;
mod in_flight;
mod open;
mod rounds;
mod warm_up;

use open::load_index;
pub use open::OpenIndex;
use rounds::{search, suggest};
use warm_up::{WarmUp, WARM_UP_RUNS};

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

pub struct SearchWorker {
    state: IndexState,
    /// The queries already asked again after their pack vanished ([`Done::PackGone`]): a
    /// second time, the failure is their answer.
    asked_again: Vec<(HandlerId, u64)>,
    /// The answer cards' data fetched so far ([`cards`]).
    card_sources: cards::SharedSources,
    /// Whether this worker has started loading an index before ([`SearchWorker::load`]).
    loaded_before: bool,
    /// Runs of warming the engine's code left to this worker ([`warm_up`]).
    warm_ups_left: u32,
}

/// What the worker's own futures report back.
pub enum Done {
    /// The index loaded (boxed: a failure is large beside an answer).
    Loaded {
        data_url: String,
        result: Box<Result<Rc<OpenIndex>, LoadFailure>>,
    },
    /// A search finished (`None`: a newer query of the same page replaced it); a search
    /// answered with results is run again to warm the engine's code ([`warm_up`]).
    Answered {
        id: HandlerId,
        answer: Option<WorkerAnswer>,
        warm_up: Option<WarmUp>,
    },
    /// Time to run a search again for warming, if nothing else is asked.
    WarmUp(WarmUp),
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
            warm_ups_left: WARM_UP_RUNS,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, done: Done) {
        let (data_url, result) = match done {
            Done::Answered {
                id,
                answer,
                warm_up,
            } => {
                if let Some(answer) = answer {
                    self.take_asked_again(id, answer.seq);
                    respond(scope, id, answer);
                }
                if let Some(warm_up) = warm_up {
                    self.warm_later(scope, warm_up, warm_up::WARM_UP_PAUSE_MS);
                }
                return;
            }
            Done::WarmUp(warm_up) => return self.warm(scope, warm_up),
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

    /// Asks for one run of warming in a task of its own `pause_ms` from now, after what is
    /// queued (the answer just sent, a query that came meanwhile); nothing once the runs
    /// are spent.
    fn warm_later(&self, scope: &WorkerScope<Self>, warm_up: WarmUp, pause_ms: u32) {
        if self.warm_ups_left == 0 {
            return;
        }
        scope.send_future(async move {
            gloo_timers::future::TimeoutFuture::new(pause_ms).await;
            Done::WarmUp(warm_up)
        });
    }

    /// One run of warming ([`warm_up`]), and the next asked for, while runs are left and
    /// the index that answered the search is open.
    fn warm(&mut self, scope: &WorkerScope<Self>, warm_up: WarmUp) {
        let IndexState::Ready { data_url, index } = &self.state else {
            return;
        };
        if self.warm_ups_left == 0 || *data_url != warm_up.data_url {
            return;
        }
        if warm_up::run_once(index, &warm_up) {
            self.warm_ups_left -= 1;
            self.warm_later(scope, warm_up, 0);
        }
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
                    Done::Answered {
                        id,
                        answer: None,
                        warm_up: None,
                    }
                }
                answer => {
                    let found = answer.as_ref().is_some_and(|answer| answer.outcome.is_ok());
                    let warm_up = (found && !query.suggest).then(|| WarmUp {
                        data_url: query.data_url.clone(),
                        request: query.request.clone(),
                    });
                    Done::Answered {
                        id,
                        answer,
                        warm_up,
                    }
                }
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
