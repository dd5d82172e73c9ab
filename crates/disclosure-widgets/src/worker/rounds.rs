//! A task stepped round by round: each step's missing ranges fetched at once, grouped
//! into requests by what the host has shown ([`SeveralRanges`]), fed, and stepped again;
//! ranges another task is fetching are waited for instead ([`super::in_flight`]).

use std::ops::Range;

use disclosure_search::byteranges;
use disclosure_search::session::{SearchTask, Step, SuggestTask, Task};
use disclosure_search::SearchResults;

use super::corrupt;
use super::http::{fetch_range, fetch_several_once, retrying, Batch, Fetched};
use super::open::{OpenIndex, SeveralRanges};
use crate::protocol::{LoadFailure, WorkerQuery};

/// Answers `query`, fetching what it reads and the index does not hold yet; `None` when
/// `superseded` says a newer query replaced it while it was fetching.
pub(super) async fn search(
    open: &OpenIndex,
    query: &WorkerQuery,
    superseded: impl Fn() -> bool,
) -> Option<Result<SearchResults, LoadFailure>> {
    run(open, &mut SearchTask::new(&query.request), &superseded).await
}

/// Suggests for `query.request.query`, fetching the blocks it reads; `None` when
/// `superseded` says a newer keystroke replaced it.
pub(super) async fn suggest(
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
pub(super) async fn run<T: Task>(
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
        // What another task is fetching already is waited for, after this round's own.
        let (ranges, flight, landed_elsewhere) = open.in_flight.claim(ranges);
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
        drop(flight);
        landed_elsewhere.await;
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

/// Fetches every range of `ranges` of `open`'s pack: one alone as [`super::http::fetch_range`] does;
/// several in one request, then any the host did not send (it may answer only some, or
/// refuse several) one by one. A refusal turns `open` to one range a request at once.
pub(super) async fn fetch_ranges(
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
