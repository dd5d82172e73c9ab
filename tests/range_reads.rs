//! The search widget reads the packed index by HTTP `Range` requests, in headless Chromium
//! against a host that counts and checks every request for the pack: the head first, then
//! only what each query reads, never the same byte twice; a plain static file server; a
//! host that ignores `Range`; a truncated and a corrupted pack; connections dropped in the
//! middle of a query.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use disclosure_e2e::link::Shape;
use disclosure_e2e::{click, dist, settled_status, texts, PackRequest, Session, Site};
use fantoccini::Client;

/// What `manifest.json` of a built portal says about its pack.
struct PackFacts {
    name: String,
    bytes: u64,
    head_bytes: u64,
    /// The head's own file.
    head: String,
}

fn pack_facts(dist: &Path) -> PackFacts {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.join("data/manifest.json")).expect("a manifest"),
    )
    .expect("the manifest is JSON");
    PackFacts {
        name: manifest["pack"].as_str().expect("a pack name").to_string(),
        bytes: manifest["pack_bytes"].as_u64().expect("a pack length"),
        head_bytes: manifest["head_bytes"].as_u64().expect("a head length"),
        head: manifest["head"].as_str().expect("a head file").to_string(),
    }
}

/// A copy of the built portal whose pack `spoil` changes, removed when dropped.
struct SpoiltPortal(PathBuf);

impl SpoiltPortal {
    fn new(name: &str, spoil: impl FnOnce(&mut Vec<u8>)) -> SpoiltPortal {
        let copy = std::env::temp_dir().join(format!("disclosure-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&copy);
        copy_tree(&dist(), &copy);
        let facts = pack_facts(&copy);
        let data = copy.join("data");
        let mut bytes = std::fs::read(data.join(&facts.name)).unwrap();
        spoil(&mut bytes);
        // The head's file holds the pack's first bytes, as a build writes it (its
        // compressed copies go: they would be of the unspoilt head).
        let head = &bytes[..bytes.len().min(facts.head_bytes as usize)];
        std::fs::write(data.join(&facts.head), head).unwrap();
        for copy in ["br", "gz"] {
            let _ = std::fs::remove_file(data.join(format!("{}.{copy}", facts.head)));
        }
        std::fs::write(data.join(&facts.name), &bytes).unwrap();
        SpoiltPortal(copy)
    }
}

impl Drop for SpoiltPortal {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `bytes=a-b,c-d` as the byte ranges `a..b+1`, `c..d+1`.
fn parse_ranges(header: &str) -> Vec<std::ops::Range<u64>> {
    header
        .strip_prefix("bytes=")
        .unwrap_or_else(|| panic!("not byte ranges: {header}"))
        .split(',')
        .map(|spec| {
            let (start, end) = spec
                .trim()
                .split_once('-')
                .unwrap_or_else(|| panic!("not a byte range: {header}"));
            start.parse().unwrap()..end.parse::<u64>().unwrap() + 1
        })
        .collect()
}

/// Searches for `query` by typing it into the empty search box and waits for the answer.
async fn search(client: &Client, query: &str) -> String {
    let input = client
        .find(fantoccini::Locator::Css("#nx-search-input"))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys(query).await.unwrap();
    // The status keeps the last answer until the new one comes: wait for the address to
    // carry the new query, then for the answer to settle.
    for _ in 0..100 {
        let url = client.current_url().await.unwrap();
        let asked = url
            .query_pairs()
            .any(|(key, value)| key == "q" && value == query);
        if asked {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    settled_status(client).await
}

/// Whether [`put_in_box`] submits the form.
enum Submit {
    Yes,
    No,
}

/// Puts `query` in the search box over what it holds, by script as typing ends (the
/// value, then an `input` event), and submits the form or not. WebDriver's `clear()` did
/// not always empty the box between two queries of one page.
async fn put_in_box(client: &Client, query: &str, submit: Submit) {
    client
        .execute(
            "const input = document.getElementById('nx-search-input');
             input.value = arguments[0];
             input.dispatchEvent(new Event('input', { bubbles: true }));
             if (arguments[1]) { input.form.requestSubmit(); }",
            vec![
                serde_json::json!(query),
                serde_json::json!(matches!(submit, Submit::Yes)),
            ],
        )
        .await
        .unwrap();
}

/// Waits until the status answers `query` (the last answer stays until the new one).
async fn answered(client: &Client, query: &str) {
    let mut status = String::new();
    for _ in 0..200 {
        status = settled_status(client).await;
        if status.contains(query) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(status.contains(query), "{query}: {status}");
}

/// Searches for `query` and expects results.
async fn finds(client: &Client, query: &str) {
    let status = search(client, query).await;
    assert!(status.starts_with("找到"), "{query}: {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pack_is_read_by_ranges_and_no_byte_is_fetched_twice() {
    let facts = pack_facts(&dist());
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;

    finds(client, "收费清单").await;
    // First, at once: the head, whole from its own file, one byte of the pack past it
    // (whether the host serves ranges) and two more bytes in one request (whether it
    // serves several ranges at once).
    let first = site.pack_host.requests();
    let probe = format!("bytes={0}-{0}", facts.head_bytes);
    let several = format!(
        "bytes={0}-{0},{1}-{1}",
        facts.head_bytes + 1,
        facts.bytes - 1
    );
    let mut opening: Vec<(bool, u16, Option<&str>)> = first[..3]
        .iter()
        .map(|request| (request.head, request.status, request.range.as_deref()))
        .collect();
    opening.sort();
    assert_eq!(
        opening,
        [
            (false, 206, Some(probe.as_str())),
            (false, 206, Some(several.as_str())),
            (true, 200, None)
        ],
        "{first:?}"
    );
    assert_eq!(first.iter().filter(|request| request.head).count(), 1);
    // A query's ranges come in one request a round (the project's server answers several
    // at once): a handful of requests, not one per range.
    let first_query = first.len() - 3;
    assert!(first_query <= 8, "{first_query} requests: {first:?}");
    finds(client, "住房公积金").await;
    let before_repeat = site.pack_host.requests();
    finds(client, "收费清单").await;
    let titles = texts(client, ".nx-result__title").await;
    assert!(titles.iter().any(|t| t.contains("收费清单")), "{titles:?}");

    let requests = site.pack_host.requests();
    assert_eq!(
        requests.len(),
        before_repeat.len(),
        "a query asked again is answered from what was fetched: {requests:?}"
    );
    // The head came from its file: the pack's ranges start past it.
    let mut fetched: Vec<std::ops::Range<u64>> = vec![0..facts.head_bytes];
    for request in requests.iter().filter(|request| !request.head) {
        let PackRequest {
            range,
            status,
            bytes,
            dropped,
            ..
        } = request;
        let ranges = parse_ranges(range.as_deref().expect("every request names a range"));
        assert_eq!(*status, 206, "{request:?}");
        assert!(!dropped);
        let asked: u64 = ranges.iter().map(|range| range.end - range.start).sum();
        match ranges.len() {
            1 => assert_eq!(*bytes, asked, "{request:?}"),
            // Each part's own headers and boundary besides its bytes.
            parts => assert!(*bytes > asked && *bytes < asked + 200 * parts as u64),
        }
        for range in ranges {
            assert!(range.end <= facts.bytes, "{request:?} lies past the pack");
            for earlier in &fetched {
                assert!(
                    range.end <= earlier.start || range.start >= earlier.end,
                    "{range:?} fetches bytes of {earlier:?} again"
                );
            }
            fetched.push(range);
        }
    }
    let total: u64 = fetched.iter().map(|range| range.end - range.start).sum();
    assert!(
        total < facts.bytes,
        "three searches fetched {total} of the pack's {} bytes",
        facts.bytes
    );
    eprintln!(
        "{} range requests, {total} of {} bytes",
        requests.len(),
        facts.bytes
    );
    client.clone().close().await.unwrap();
}

/// Issue 18: on a slow link the head crosses beside the engine's Wasm, not after it. The
/// page asks for the manifest and the head's file as it starts the worker; the worker, once
/// its code is there, finds both in the browser's cache and asks the host for neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_fetches_the_head_while_the_engine_downloads() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.pack_host.hold_engine.store(true, Ordering::SeqCst);
    // The engine is held back until the head's file has been asked for (or 20 s passed).
    let host = site.pack_host.clone();
    let watcher = tokio::spawn(async move {
        let asked = || host.requests().iter().any(|request| request.head);
        for _ in 0..400 {
            if asked() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let asked_while_held = asked();
        host.hold_engine.store(false, Ordering::SeqCst);
        asked_while_held
    });
    client
        .goto(&site.url("/?q=%E6%94%B6%E8%B4%B9%E6%B8%85%E5%8D%95"))
        .await
        .unwrap();
    assert!(
        watcher.await.unwrap(),
        "the head is asked for while the engine downloads: {:?}",
        site.requested_paths()
    );
    let status = settled_status(client).await;
    assert!(status.starts_with("找到"), "{status}");
    let paths = site.requested_paths();
    let head = paths.iter().position(|path| path.ends_with(".head"));
    let engine = paths.iter().position(|path| path.contains("worker_bg"));
    assert!(
        matches!((head, engine), (Some(head), Some(engine)) if head < engine),
        "the head crossed first: {paths:?}"
    );
    let requests = site.pack_host.requests();
    assert_eq!(
        requests.iter().filter(|request| request.head).count(),
        1,
        "the worker took the page's copy of the head: {requests:?}"
    );
    let manifests = paths.iter().filter(|path| path.ends_with("manifest.json"));
    assert_eq!(
        manifests.count(),
        1,
        "and of the manifest, which the host lets it use for half a minute: {paths:?}"
    );
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_static_server_serves_the_ranges() {
    let session = Session::on(Site::start_plain(&dist()).await).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    finds(client, "住房公积金").await;
    let requests = site.pack_host.requests();
    assert!(requests.len() > 1, "{requests:?}");
    // It refuses several ranges at once (416) when asked beside the head: from then on
    // each range is a request of its own.
    let several = |request: &PackRequest| request.range.as_deref().is_some_and(|r| r.contains(','));
    assert_eq!(
        requests.iter().filter(|request| several(request)).count(),
        1,
        "{requests:?}"
    );
    assert!(
        requests.iter().all(|request| request.status
            == match (request.head, several(request)) {
                (true, _) => 200,
                (false, true) => 416,
                (false, false) => 206,
            }),
        "{requests:?}"
    );
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_ignores_range_sends_the_whole_pack_once() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.pack_host.refuse_ranges.store(true, Ordering::SeqCst);
    session.open("/", "#nx-search-input").await;
    finds(client, "收费清单").await;
    finds(client, "住房公积金").await;
    // The head's file, and one request of the pack, answered with all of it (and the
    // request for several ranges beside it, cut off by the worker after its headers).
    let requests: Vec<PackRequest> = site
        .pack_host
        .pack_requests()
        .into_iter()
        .filter(|request| request.range.as_deref().is_some_and(|r| !r.contains(',')))
        .collect();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].status, 200);
    client.clone().close().await.unwrap();
}

/// A host that answers two ranges in one request but sends the whole file for more (as
/// nginx's `max_ranges 2`): the worker drops that answer after its headers and reads one
/// range a request from then on, never the whole pack again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_sends_the_whole_pack_for_many_ranges_is_read_range_by_range() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.pack_host.max_ranges.store(2, Ordering::SeqCst);
    session.open("/", "#nx-search-input").await;
    finds(client, "收费清单").await;
    let first_query = site.pack_host.pack_requests().len();
    finds(client, "住房公积金").await;
    let requests = site.pack_host.pack_requests();
    let many = |request: &PackRequest| range_count(request) > 2;
    let refused: Vec<usize> = (0..requests.len())
        .filter(|&at| many(&requests[at]))
        .collect();
    assert_eq!(refused.len(), 1, "one batch, then no more: {requests:?}");
    assert_eq!(requests[refused[0]].status, 200);
    // Its ranges asked again, not taken from the whole file it sent: each answered with
    // its part. A round of two that the suggestions or the search sent while the batch
    // was in flight may still go in one request (the host answered the probe's two so).
    assert!(refused[0] + 1 < requests.len(), "{requests:?}");
    assert!(
        requests[refused[0] + 1..]
            .iter()
            .all(|request| request.status == 206),
        "{requests:?}"
    );
    // Once the refusal is known, one range a request: the second query's.
    assert!(first_query < requests.len(), "{requests:?}");
    assert!(
        requests[first_query..]
            .iter()
            .all(|request| range_count(request) == 1),
        "{requests:?}"
    );
    client.clone().close().await.unwrap();
}

/// How many ranges a request for the pack named.
fn range_count(request: &PackRequest) -> usize {
    request
        .range
        .as_deref()
        .map_or(0, |range| range.split(',').count())
}

/// Whether `request` is the worker's probe of several ranges.
fn is_probe(request: &PackRequest) -> bool {
    request
        .range
        .as_deref()
        .is_some_and(disclosure_e2e::is_probe_of_several)
}

/// Opens the search page with `收费清单` in its address and waits for its results.
async fn opens_with_results(client: &Client, site: &Site) {
    client
        .goto(&site.url("/?q=%E6%94%B6%E8%B4%B9%E6%B8%85%E5%8D%95"))
        .await
        .unwrap();
    let status = settled_status(client).await;
    assert!(status.starts_with("找到"), "{status}");
}

/// Whether the host answers the probe of several ranges with its parts within 10 s.
async fn probe_answered(site: &Site) -> bool {
    let answered = || {
        site.pack_host
            .pack_requests()
            .iter()
            .any(|request| request.status == 206 && is_probe(request))
    };
    for _ in 0..200 {
        if answered() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Issue 18: on a phone the head comes from the browser's cache and a query's first round
/// is ready before the probe of several ranges has crossed the link. That round goes in one
/// request (a trial), not one request a range: a title's dozen dictionary blocks would
/// otherwise take three waves of HTTP/1.1's six connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_sent_before_the_probe_answers_goes_in_one_request() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.pack_host.hold_probe.store(true, Ordering::SeqCst);
    opens_with_results(client, site).await;
    // The probe is still held, so not recorded yet: these are the one-byte probe and the
    // query's rounds.
    let requests = site.pack_host.pack_requests();
    site.pack_host.hold_probe.store(false, Ordering::SeqCst);
    assert!(
        requests.iter().any(|request| range_count(request) > 2),
        "a round of many ranges went in one request: {requests:?}"
    );
    assert!(
        requests.len() <= 6,
        "{} requests: {requests:?}",
        requests.len()
    );
    assert!(
        requests.iter().all(|request| request.status == 206),
        "{requests:?}"
    );
    client.clone().close().await.unwrap();
}

/// And a probe answered before the index is open (the head's file is slow to come) is
/// taken in: the query's rounds go in one request each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_answered_before_the_index_opens_is_taken_in() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.pack_host.hold_head.store(true, Ordering::SeqCst);
    let released = async {
        let answered = probe_answered(site).await;
        site.pack_host.hold_head.store(false, Ordering::SeqCst);
        answered
    };
    let (answered, ()) = tokio::join!(released, opens_with_results(client, site));
    assert!(answered, "{:?}", site.pack_host.requests());
    let requests = site.pack_host.pack_requests();
    assert!(
        requests.iter().any(|request| range_count(request) > 2),
        "a round of many ranges went in one request: {requests:?}"
    );
    client.clone().close().await.unwrap();
}

/// And a host that refuses that trial (nginx's `max_ranges 2`) is read one range a request
/// from then on, though the probe's two ranges come back as parts afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trial_refused_before_the_probe_answers_is_not_tried_again() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.pack_host.max_ranges.store(2, Ordering::SeqCst);
    site.pack_host.hold_probe.store(true, Ordering::SeqCst);
    opens_with_results(client, site).await;
    let first = site.pack_host.pack_requests();
    let refused: Vec<&PackRequest> = first
        .iter()
        .filter(|request| request.status == 200)
        .collect();
    assert_eq!(refused.len(), 1, "the first round's trial: {first:?}");
    assert!(range_count(refused[0]) > 2, "{first:?}");
    // The probe answered with its two parts, then another search.
    site.pack_host.hold_probe.store(false, Ordering::SeqCst);
    assert!(
        probe_answered(site).await,
        "{:?}",
        site.pack_host.pack_requests()
    );
    finds(client, "住房公积金").await;
    let requests = site.pack_host.pack_requests();
    let later: Vec<&PackRequest> = requests[first.len()..]
        .iter()
        .filter(|request| !is_probe(request))
        .collect();
    assert!(!later.is_empty(), "{requests:?}");
    assert!(
        later
            .iter()
            .all(|request| request.status == 206 && range_count(request) == 1),
        "one range a request after the refusal: {requests:?}"
    );
    client.clone().close().await.unwrap();
}

/// Searches on `portal` and expects the widget to say the index is damaged, also after the
/// retry button.
async fn expect_damaged_index_message(portal: &Path) {
    let session = Session::start(portal).await;
    let client = &session.client;
    session.open("/", "#nx-search-input").await;
    let status = search(client, "收费清单").await;
    assert_eq!(status, "搜索失败");
    let alert = texts(client, "[role=alert]").await.concat();
    assert!(alert.contains("搜索索引文件已损坏"), "{alert}");
    click(client, "[role=alert] button").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(settled_status(client).await, "搜索失败");
    let alert = texts(client, "[role=alert]").await.concat();
    assert!(alert.contains("搜索索引文件已损坏"), "{alert}");
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_pack_is_reported_not_waited_for() {
    let head = pack_facts(&dist()).head_bytes as usize;
    // Cut past the head, as an upload that stopped: opening works, a query's reads do not.
    let portal = SpoiltPortal::new("truncated", |bytes| bytes.truncate(head + 1024));
    expect_damaged_index_message(&portal.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_pack_is_reported_not_waited_for() {
    let head = pack_facts(&dist()).head_bytes as usize;
    // Everything past the head overwritten: tantivy panics on such bytes, which ends the
    // worker; the page must still get a message, and the retry a new worker.
    let portal = SpoiltPortal::new("corrupted", |bytes| {
        bytes[head..].iter_mut().for_each(|byte| *byte = 0x55)
    });
    expect_damaged_index_message(&portal.0).await;
    // The head itself damaged: not a pack at all.
    let portal = SpoiltPortal::new("bad-head", |bytes| {
        bytes[..8].copy_from_slice(b"<html>\n\n")
    });
    expect_damaged_index_message(&portal.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_dropped_in_a_query_are_retried_then_reported() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    finds(client, "收费清单").await;

    // One dropped connection: the worker asks again and the citizen sees nothing of it.
    site.pack_host.drop_next.store(1, Ordering::SeqCst);
    finds(client, "住房公积金").await;
    assert!(
        site.pack_host
            .requests()
            .iter()
            .any(|request| request.dropped),
        "a connection was dropped"
    );

    // Every connection dropped: after its retries the query says the network failed.
    site.pack_host.drop_next.store(1_000, Ordering::SeqCst);
    let status = search(client, "生活垃圾分类").await;
    assert_eq!(status, "搜索失败");
    let alert = texts(client, "[role=alert]").await.concat();
    assert!(alert.contains("搜索服务暂时无法连接"), "{alert}");

    // The network back: the retry button answers.
    site.pack_host.drop_next.store(0, Ordering::SeqCst);
    click(client, "[role=alert] button").await;
    for _ in 0..100 {
        if settled_status(client).await.starts_with("找到") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = settled_status(client).await;
    assert!(status.starts_with("找到"), "{status}");
    client.clone().close().await.unwrap();
}

/// A portal without fee lists (no `data/fees.json`): the worker asks for the file once,
/// then no more while the page is open, though every query naming a fee calls for a fee
/// card (a request each, on a phone's link, before this).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fee_list_the_host_lacks_is_asked_for_once() {
    let portal = SpoiltPortal::new("feeless", |_| {});
    for copy in ["", ".br", ".gz"] {
        let _ = std::fs::remove_file(portal.0.join("data").join(format!("fees.json{copy}")));
    }
    let session = Session::start(&portal.0).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    let asked = || {
        site.requested_paths()
            .iter()
            .filter(|path| path.ends_with("/fees.json"))
            .count()
    };
    for query in ["收费标准", "不动产登记费", "收费清单"] {
        // Typed over what the box holds, in the same page (the same worker).
        put_in_box(client, query, Submit::Yes).await;
        answered(client, query).await;
        // The cards come after the results: give the worker's request time to be made.
        for _ in 0..40 {
            if asked() > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(asked(), 1, "{:?}", site.requested_paths());
    client.clone().close().await.unwrap();
}

/// Typing a query asks for its suggestions (after 100 ms) and then searches it (after
/// 200 ms), and both read the same dictionary blocks first. On a slow link the search
/// waits for the blocks the suggestions are fetching rather than asking for them again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_the_suggestions_are_fetching_are_not_asked_again_by_the_search() {
    let slow = Shape {
        round_trip: Duration::from_millis(400),
        bytes_per_second: 20_000_000.0,
    };
    let session = Session::on(Site::start_shaped(&dist(), slow).await).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    // Opens the index (the probe's bytes may race the first round; not this test's).
    put_in_box(client, "住房公积金", Submit::Yes).await;
    answered(client, "住房公积金").await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let before = site.pack_host.requests().len();

    put_in_box(client, "收费清单", Submit::No).await;
    answered(client, "收费清单").await;
    // The suggestions' last round, if it outlasts the search.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let requests = site.pack_host.requests();
    let mut fetched: Vec<std::ops::Range<u64>> = Vec::new();
    for request in &requests[before..] {
        let range = request
            .range
            .as_deref()
            .expect("every request names a range");
        for range in parse_ranges(range) {
            for earlier in &fetched {
                assert!(
                    range.end <= earlier.start || range.start >= earlier.end,
                    "{range:?} asks bytes of {earlier:?} again: {:?}",
                    &requests[before..]
                );
            }
            fetched.push(range);
        }
    }
    assert!(!fetched.is_empty(), "the query read nothing: {requests:?}");
    client.clone().close().await.unwrap();
}

/// Issue 18: a host without the head's own file (a portal that uploaded the pack and the
/// manifest only): the head is read as a range of the pack, and the search works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_heads_file_the_head_is_read_from_the_pack() {
    let portal = SpoiltPortal::new("headless", |_| {});
    let facts = pack_facts(&portal.0);
    std::fs::remove_file(portal.0.join("data").join(&facts.head)).unwrap();
    let session = Session::start(&portal.0).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    finds(client, "收费清单").await;
    let requests = site.pack_host.requests();
    let head_range = format!("bytes=0-{}", facts.head_bytes - 1);
    let pack_head = requests
        .iter()
        .position(|request| request.range.as_deref() == Some(head_range.as_str()));
    let missing = requests
        .iter()
        .position(|request| request.head && request.status == 404);
    assert!(
        matches!((missing, pack_head), (Some(missing), Some(head)) if missing < head && head < 5),
        "the missing file, then the head as a range of the pack: {requests:?}"
    );
    client.clone().close().await.unwrap();

    // A host that answers with a page of its own in the file's place (200, not the head):
    // the head is read from the pack as well.
    let portal = SpoiltPortal::new("head-page", |_| {});
    let facts = pack_facts(&portal.0);
    std::fs::write(
        portal.0.join("data").join(&facts.head),
        "<!doctype html><title>首页</title>",
    )
    .unwrap();
    let session = Session::start(&portal.0).await;
    session.open("/", "#nx-search-input").await;
    finds(&session.client, "收费清单").await;
    let requests = session.site.pack_host.requests();
    assert!(
        requests
            .iter()
            .any(|request| request.range.as_deref() == Some(head_range.as_str())),
        "{requests:?}"
    );
    session.client.clone().close().await.unwrap();
}

/// Issue 18: a page left open while a new build replaces the pack (a new name in the
/// manifest, the old file removed): the next search reads the manifest again and answers
/// from the new pack, opening it from its head, instead of failing on the old one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pack_replaced_while_the_page_is_open_is_opened_anew() {
    let portal = SpoiltPortal::new("replaced", |_| {});
    let facts = pack_facts(&portal.0);
    let session = Session::start(&portal.0).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    finds(client, "收费清单").await;
    let before = site.pack_host.requests().len();

    let data = portal.0.join("data");
    // A new build: a new pack and a new head's file, named by their new content.
    let (renamed, renamed_head) = (
        "search.0123456789abcdef.pack",
        "search.0123456789abcdef.head",
    );
    std::fs::rename(data.join(&facts.name), data.join(renamed)).unwrap();
    std::fs::rename(data.join(&facts.head), data.join(renamed_head)).unwrap();
    let manifest = std::fs::read_to_string(data.join("manifest.json"))
        .unwrap()
        .replace(&facts.name, renamed)
        .replace(&facts.head, renamed_head);
    std::fs::write(data.join("manifest.json"), manifest).unwrap();

    finds(client, "住房公积金").await;
    let after: Vec<PackRequest> = site.pack_host.requests().split_off(before);
    let gone = after.iter().position(|request| request.status == 404);
    let reopened = after
        .iter()
        .position(|request| request.head && request.status == 200);
    assert!(
        matches!((gone, reopened), (Some(gone), Some(reopened)) if gone < reopened),
        "the old pack answers 404, then the new one is opened from its head: {after:?}"
    );
    assert!(
        site.was_requested(renamed),
        "the new pack's ranges are read"
    );
    client.clone().close().await.unwrap();
}

/// Over HTTP/2 (HTTPS, where Chromium multiplexes every request on one connection) a
/// round's ranges go apart, as quick there as one multipart answer the host must build
/// whole: the worker neither probes for several ranges at once nor asks for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_http2_the_ranges_of_a_round_go_apart() {
    let fast = disclosure_e2e::link::Shape {
        round_trip: Duration::ZERO,
        bytes_per_second: 1e9,
    };
    let session = Session::on(Site::start_shaped_https(&dist(), fast).await).await;
    let (site, client) = (&session.site, &session.client);
    session.open("/", "#nx-search-input").await;
    finds(client, "住房公积金").await;
    let requests = site.pack_host.requests();
    assert!(requests.len() > 3, "{requests:?}");
    assert!(
        requests
            .iter()
            .all(|request| !request.range.as_deref().unwrap_or_default().contains(',')),
        "{requests:?}"
    );
    client.clone().close().await.unwrap();
}
