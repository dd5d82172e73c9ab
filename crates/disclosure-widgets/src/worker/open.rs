//! Opening the index: `manifest.json`, the pack's head (from its own file, or as a range
//! of the pack), the probe of several ranges sent beside it, and the [`OpenIndex`] the
//! queries share.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use disclosure_search::pack::{Carriage, Manifest, PACK_FORMAT};
use disclosure_search::session::{OpenTask, Session};

use super::corrupt;
use super::http::{
    answers_several_ranges, fetch_range, fetch_whole, multiplexed, retrying, within, Fetched,
};
use super::in_flight::InFlight;
use super::rounds::run;
use crate::protocol::LoadFailure;

/// An open index: the session over the pack, and where the pack is.
pub struct OpenIndex {
    /// Borrowed only between awaits (one step or one feed at a time), so the queries in
    /// flight share it.
    pub(super) session: RefCell<Session>,
    pub(super) pack_url: String,
    /// What the host has shown of requests for several ranges: how a round's ranges are
    /// grouped into requests ([`SeveralRanges`]).
    pub(super) several: Cell<SeveralRanges>,
    /// Whether a trial batch is in flight: the other queries' rounds go one range a
    /// request meanwhile, so that a host refusing many ranges (nginx's `max_ranges 2`)
    /// sends the whole pack, cut off after its headers, once and not once per query in
    /// flight (suggestions and the search, each keystroke's).
    pub(super) trial_in_flight: Cell<bool>,
    /// Whether the pack comes over HTTP/2 or HTTP/3 ([`multiplexed`]): a round's requests
    /// then travel at once on one connection, whatever the host does with several ranges.
    multiplexed: bool,
    /// Where the probe of several ranges ([`probe_several_ranges`]), sent beside the head
    /// and not waited for, leaves what the host answered.
    probed: Rc<RefCell<Probe>>,
    /// The ranges the queries in flight are fetching, which the others wait for.
    pub(super) in_flight: InFlight,
}

/// What the worker knows of the host's answers to one request for several ranges
/// (`multipart/byteranges`), which spare a phone's link a round trip for each range past
/// the six connections HTTP/1.1 carries at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SeveralRanges {
    /// The probe of two ranges is on its way. A query's first round often comes before
    /// its answer (the head came from the cache, the probe crosses the link): a round of
    /// more than two ranges then goes in one request as a trial ([`super::rounds`]) rather
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
    pub(super) fn take_probe(&self) {
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
    pub(super) fn update_carriage(&self) {
        let carriage = match self.several.get() != SeveralRanges::Apart || self.multiplexed {
            true => Carriage::AllAtOnce,
            false => Carriage::SixAtATime,
        };
        self.session.borrow_mut().set_carriage(carriage);
    }
}

/// Fetches `manifest.json` from `data_url`, then the head of the pack it names (or the
/// whole pack, when the host ignores `Range`), and opens it. Whether the host answers
/// several ranges a request is asked beside the head but not waited for
/// ([`probe_several_ranges`]).
pub(super) async fn load_index(
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
        in_flight: InFlight::default(),
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

/// How long opening waits for the answer to the probe of several ranges (a proxy that
/// fetches the whole file first may take long): after it, one range a request.
const PROBE_TIMEOUT_MS: u32 = 3_000;

/// Tells the portal's operator, in the browser's console, what the citizen need not see.
fn console_warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
