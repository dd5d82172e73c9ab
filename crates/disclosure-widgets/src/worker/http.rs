//! The worker's HTTP requests for the index's files: one range, several ranges in one
//! request (`multipart/byteranges`), a whole file; each checked against what was asked
//! and tried again after a passing fault. What a round asks and how its ranges are
//! grouped is [`super::rounds`]'s.

use std::ops::Range;

use disclosure_search::byteranges;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::LoadFailure;

/// Tries of one range request before the query fails with a network message, and the
/// pause before each retry.
const RETRY_PAUSES_MS: [u32; 2] = [300, 1_000];

/// Runs `request` again after each of [`RETRY_PAUSES_MS`] while it fails as a passing fault
/// may (a dropped connection, a gateway's 502–504); any other answer is returned at once.
pub(super) async fn retrying<T, F, R>(mut request: R) -> Result<T, LoadFailure>
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
pub(super) enum Fetched {
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
pub(super) fn multiplexed(name: &str) -> bool {
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
pub(super) async fn answers_several_ranges(
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

/// `future`'s output, or `None` after `ms` milliseconds.
pub(super) async fn within<T>(ms: u32, future: impl std::future::Future<Output = T>) -> Option<T> {
    let timeout = gloo_timers::future::TimeoutFuture::new(ms);
    match futures_util::future::select(Box::pin(future), timeout).await {
        futures_util::future::Either::Left((output, _)) => Some(output),
        futures_util::future::Either::Right(_) => None,
    }
}

/// Whether a host answered a request for several ranges with parts, or would not.
pub(super) enum Batch {
    /// With parts (or a single range asked alone).
    Answered,
    /// Refused (416), the whole file instead (200, cut off), or one part without a readable
    /// `Content-Range`: ask one range a request from now on.
    Refused,
}

/// One request for several `ranges`: their parts (206 multipart, or one part the host
/// merged them into), or none when the host refuses several at once (416; 200, the whole
/// file, cut off after its headers so that it never crosses a phone's network; one part
/// whose `Content-Range` a cross-origin host does not expose): the caller fetches those
/// one by one.
pub(super) async fn fetch_several_once(
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
pub(super) async fn fetch_range(
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

pub(super) async fn fetch_whole(
    url: &str,
    cache: web_sys::RequestCache,
) -> Result<Vec<u8>, LoadFailure> {
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
