//! `browser-bench --dist DIR --queries FILE`: the search widget measured in headless
//! Chromium against a built portal (for the benchmark, one holding the whole corpus).
//! Prints one flat JSON object of figures.

mod phone;

use std::path::{Path, PathBuf};
use std::time::Duration;

use disclosure_e2e::{settled_status, Driver, Site};
use fantoccini::Client;

/// Cold queries each start a fresh browser profile and download everything again, so a
/// few per kind give a stable median without taking many minutes.
const COLD_QUERIES_PER_KIND: usize = 4;
const KINDS: [&str; 5] = ["title", "title_sub", "phrase", "typo", "multi"];

/// Cold range-mode queries per kind: each in a fresh profile with the engine started,
/// so the index alone is cold.
const RANGE_COLD_QUERIES_PER_KIND: usize = 8;

#[derive(serde::Deserialize)]
struct EvalQuery {
    kind: String,
    q: String,
    #[serde(default)]
    expected_ids: Vec<String>,
}

/// The sample queries as the phone benchmark takes them.
fn probes<'a>(queries: &[&'a EvalQuery]) -> Vec<phone::Probe<'a>> {
    queries
        .iter()
        .map(|q| phone::Probe {
            kind: &q.kind,
            q: &q.q,
            expected: &q.expected_ids,
        })
        .collect()
}

/// Bytes of the pack sent by `site` so far.
fn pack_bytes_sent(site: &Site) -> u64 {
    site.pack_host
        .requests()
        .iter()
        .map(|request| request.bytes)
        .sum()
}

/// The ids of the results on screen, in order: our widget's and the Pagefind bench
/// page's results both carry the document's id in `data-doc-id`.
async fn result_ids(client: &Client) -> Vec<String> {
    let ids = client
        .execute(
            "return [...document.querySelectorAll('[data-doc-id]')].map(r => r.dataset.docId);",
            vec![],
        )
        .await
        .unwrap_or_default();
    serde_json::from_value(ids).unwrap_or_default()
}

/// Cold queries with nothing of the index in the browser, the engine started as when a
/// citizen has focused the search box: milliseconds from submit to the top 10 on screen
/// (the head, fetched while the engine starts, is not waited for), the bytes of the pack
/// and its head's file fetched for the page (as sent: the head compressed), and of these
/// the head's.
async fn range_cold_queries(
    driver: &Driver,
    site: &Site,
    queries: &[&EvalQuery],
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut times, mut bytes, mut heads) = (Vec::new(), Vec::new(), Vec::new());
    for query in first_of_each_kind(queries, RANGE_COLD_QUERIES_PER_KIND) {
        let kind = &query.kind;
        let client = driver.browser().await;
        let (at_open, requests_at_open) = (pack_bytes_sent(site), site.pack_host.requests().len());
        client.goto(&site.url("/")).await.unwrap();
        client
            .wait()
            .for_element(fantoccini::Locator::Id("nx-search-input"))
            .await
            .expect("the search box")
            .click()
            .await
            .unwrap();
        // Focusing starts the worker; give it time to compile the engine.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let before = pack_bytes_sent(site);
        let requests_before = site.pack_host.requests().len();
        times.push(timed_search(&client, &query.q).await);
        bytes.push((pack_bytes_sent(site) - at_open) as f64);
        let head: u64 = site.pack_host.requests()[requests_at_open..]
            .iter()
            .filter(|request| request.head)
            .map(|request| request.bytes)
            .sum();
        heads.push(head as f64);
        client.close().await.unwrap();
        eprintln!(
            "range cold {kind} {}: {:.0} ms, {} bytes of the pack and head ({} before the query), {} requests for the query",
            query.q,
            times.last().unwrap(),
            bytes.last().unwrap(),
            before - at_open,
            site.pack_host.requests().len() - requests_before
        );
    }
    (times, bytes, heads)
}

/// The pack's head (header and hot copies), which a cold query fetches first.
fn head_bytes(dist: &Path) -> u64 {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.join("data/manifest.json")).expect("a manifest"),
    )
    .expect("the manifest is JSON");
    manifest["head_bytes"].as_u64().unwrap_or(0)
}

/// The first `count` queries of each kind, kind after kind.
fn first_of_each_kind<'a>(queries: &[&'a EvalQuery], count: usize) -> Vec<&'a EvalQuery> {
    KINDS
        .iter()
        .flat_map(|kind| queries.iter().filter(|q| q.kind == *kind).take(count))
        .copied()
        .collect()
}

fn kib(bytes: f64) -> f64 {
    (bytes / 1024.0 * 10.0).round() / 10.0
}

fn median(values: Vec<f64>) -> f64 {
    percentile(values, 0.5)
}

/// The value below which `share` of the values lie (nearest rank).
fn percentile(mut values: Vec<f64>, share: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        0.0
    } else {
        values[((values.len() as f64 * share) as usize).min(values.len() - 1)]
    }
}

/// The sizes of the gzip and brotli copies the build writes beside `file` (xtask's
/// `precompress`): what the server sends a browser that accepts them.
fn compressed_sizes(file: &Path) -> (u64, u64) {
    let size = |suffix: &str| {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        std::fs::metadata(&name)
            .unwrap_or_else(|e| {
                let copy = std::path::Path::new(&name).display().to_string();
                panic!("{copy}: {e} (written by `cargo xtask bench`'s build)")
            })
            .len()
    };
    (size(".gz"), size(".br"))
}

/// The one `.wasm` file of `dist` whose name starts with `prefix` (trunk adds a hash).
fn wasm_file(dist: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dist)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".wasm")
        })
        .unwrap_or_else(|| panic!("no {prefix}*.wasm in {}", dist.display()))
}

/// Submits `query` in the open page and returns milliseconds from submit to results.
async fn timed_search(client: &Client, query: &str) -> f64 {
    let script = r#"
        const [query, done] = arguments;
        const input = document.getElementById('nx-search-input');
        const status = document.querySelector('.nx-search__status');
        const before = status.textContent;
        input.value = query;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const started = performance.now();
        input.form.requestSubmit();
        const settled = () => {
            const text = status.textContent;
            return text !== before && !text.startsWith('正在')
                && (text.includes(query) || text.startsWith('搜索失败'));
        };
        // A mutation observer fires as soon as the widget writes the answer, unlike polling.
        const observer = new MutationObserver(() => {
            if (settled()) { observer.disconnect(); done(performance.now() - started); }
        });
        observer.observe(status, { childList: true, characterData: true, subtree: true });
    "#;
    client
        .execute_async(script, vec![serde_json::json!(query)])
        .await
        .expect("the search completes")
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// What a citizen types into the fee filter, one keystroke at a time: a name typed and
/// erased, a document number, a town.
const FEE_TYPING: [&str; 4] = ["不动产登记费", "护照", "发改价格〔2016〕2559", "玉潭街道"];

/// Milliseconds per keystroke in the fee filter of a 2,000-item list: from the input
/// event to the new rows laid out (filtering, Yew's diff, the DOM and style/layout).
async fn fee_filter_keystrokes(client: &Client, site: &Site) -> Vec<f64> {
    client.goto(&site.url("/fees.html")).await.unwrap();
    for _ in 0..600 {
        let status: serde_json::Value = client
            .execute("const s = document.querySelector('.nx-fees__status'); return s ? s.textContent : '';", vec![])
            .await
            .unwrap();
        if status.as_str().unwrap_or("").starts_with('共') {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let script = r#"
        const [texts, done] = arguments;
        const input = document.getElementById('nx-fees-filter');
        const nextTask = () => new Promise(resolve => {
            const channel = new MessageChannel();
            channel.port1.onmessage = resolve;
            channel.port2.postMessage(0);
        });
        (async () => {
            const times = [];
            for (const text of texts) {
                const chars = [...text];
                const steps = chars.map((_, i) => chars.slice(0, i + 1).join(''));
                for (const value of steps.concat(steps.slice(0, -1).reverse(), [''])) {
                    const started = performance.now();
                    input.value = value;
                    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
                    await nextTask();
                    document.body.offsetHeight;
                    times.push(performance.now() - started);
                }
            }
            done(times);
        })();
    "#;
    let times = client
        .execute_async(script, vec![serde_json::json!(FEE_TYPING)])
        .await
        .expect("the typing completes");
    let times: Vec<f64> = times
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    eprintln!("fee filter: {} keystrokes, {times:.1?} ms", times.len());
    client.clone().close().await.unwrap();
    times
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_else(|| {
                eprintln!("usage: browser-bench --dist DIR --queries FILE");
                std::process::exit(2)
            })
    };
    let dist = PathBuf::from(value("--dist"));
    let queries: Vec<EvalQuery> =
        serde_json::from_str(&std::fs::read_to_string(value("--queries")).expect("queries file"))
            .expect("queries JSON");
    let queries: Vec<&EvalQuery> = queries
        .iter()
        .filter(|q| KINDS.contains(&q.kind.as_str()))
        .collect();

    let driver = Driver::start().await;
    if args.iter().any(|a| a == "--only-phone") {
        let figures = phone::figures(&driver, &dist, &probes(&queries)).await;
        println!("{}", serde_json::to_string_pretty(&figures).unwrap());
        return;
    }
    let site = Site::start(&dist).await;

    let mut cold_ms = Vec::new();
    let mut cold_bytes = Vec::new();
    for query in first_of_each_kind(&queries, COLD_QUERIES_PER_KIND) {
        let kind = &query.kind;
        let client = driver.browser().await;
        let before = site.bytes_sent();
        let url = site.url(&format!("/?q={}", encode(&query.q)));
        client.goto(&url).await.unwrap();
        settled_status(&client).await;
        // From navigation start to the moment the results were announced.
        let at: serde_json::Value = client
            .execute("return performance.now()", vec![])
            .await
            .unwrap();
        cold_ms.push(at.as_f64().unwrap_or(f64::NAN));
        cold_bytes.push((site.bytes_sent() - before) as f64);
        client.close().await.unwrap();
        eprintln!(
            "cold {kind}: {:.0} ms, {} bytes",
            cold_ms.last().unwrap(),
            cold_bytes.last().unwrap()
        );
    }

    let (range_cold_ms, range_cold_bytes, range_cold_heads) =
        range_cold_queries(&driver, &site, &queries).await;

    // Warm: one page answering every sample query in turn, the index open and the parts
    // fetched for earlier queries kept; the ids on screen give recall in range mode.
    let client = driver.browser().await;
    client
        .goto(&site.url("/?q=%E6%9D%A1%E4%BE%8B"))
        .await
        .unwrap();
    settled_status(&client).await;
    let mut warm_ms = Vec::new();
    let mut warm_bytes = Vec::new();
    let mut found: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for query in &queries {
        let before = pack_bytes_sent(&site);
        warm_ms.push(timed_search(&client, &query.q).await);
        warm_bytes.push((pack_bytes_sent(&site) - before) as f64);
        eprintln!(
            "warm {}: {:.0} ms, {} bytes of the pack",
            query.q,
            warm_ms.last().unwrap(),
            warm_bytes.last().unwrap()
        );
        let status = settled_status(&client).await;
        if status.starts_with("搜索失败") {
            let alert = client
                .execute(
                    "return document.querySelector('[role=alert]').textContent",
                    vec![],
                )
                .await
                .unwrap_or_default();
            eprintln!("warm {}: {status} {alert}", query.q);
        }
        let ids = result_ids(&client).await;
        let hit = ids
            .iter()
            .take(10)
            .any(|id| query.expected_ids.contains(id));
        let counts = found.entry(query.kind.as_str()).or_default();
        counts.0 += usize::from(hit);
        counts.1 += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    client.close().await.unwrap();

    // The same cold queries over a corpus ten times larger.
    let range_10x_cold_bytes = match args.iter().position(|a| a == "--dist-10x") {
        Some(at) => {
            let site_10x = Site::start(Path::new(&args[at + 1])).await;
            range_cold_queries(&driver, &site_10x, &queries).await.1
        }
        None => Vec::new(),
    };

    let fee_keystrokes = if dist.join("data/fees.json").exists() {
        fee_filter_keystrokes(&driver.browser().await, &site).await
    } else {
        Vec::new()
    };

    let (engine_gzip, engine_brotli) = compressed_sizes(&wasm_file(&dist, "worker"));
    // The search page's UI module (the search alone), and the one with every widget.
    let (ui_gzip, ui_brotli) = compressed_sizes(&wasm_file(&dist, "search_ui"));
    let (app_gzip, app_brotli) = compressed_sizes(&wasm_file(&dist, "app"));
    let head_bytes = head_bytes(&dist) as f64;
    // The head as it crossed the wire (its file, compressed), where a query fetched it.
    let after_head: Vec<f64> = range_cold_bytes
        .iter()
        .zip(&range_cold_heads)
        .map(|(bytes, head)| bytes - head)
        .collect();
    let head_sent = range_cold_heads.iter().copied().fold(0.0, f64::max);
    let mut figures = serde_json::json!({
        "range_head_kib": kib(head_bytes),
        "range_head_sent_kib": kib(head_sent),
        "range_cold_query_kib_after_head_median": kib(median(after_head.clone())),
        "range_cold_query_kib_after_head_p95": kib(percentile(after_head, 0.95)),
        "range_cold_query_index_kib_median": kib(median(range_cold_bytes.clone())),
        "range_cold_query_index_kib_p95": kib(percentile(range_cold_bytes, 0.95)),
        "range_cold_top10_ms_median": median(range_cold_ms),
        "range_warm_query_kib_median": kib(median(warm_bytes.clone())),
        "range_warm_query_kib_p95": kib(percentile(warm_bytes, 0.95)),
        "range_warm_query_ms_median": median(warm_ms.clone()),
        "range_10x_cold_query_index_kib_median": kib(median(range_10x_cold_bytes)),
        "browser_cold_top10_ms_median": median(cold_ms),
        "browser_cold_query_bytes_median": median(cold_bytes),
        "browser_warm_query_ms_median": median(warm_ms),
        "engine_wasm_gzip_bytes": engine_gzip,
        "engine_wasm_brotli_bytes": engine_brotli,
        "ui_wasm_gzip_bytes": ui_gzip,
        "ui_wasm_brotli_bytes": ui_brotli,
        "ui_all_widgets_wasm_gzip_bytes": app_gzip,
        "ui_all_widgets_wasm_brotli_bytes": app_brotli,
        "fees_filter_ms_per_key": median(fee_keystrokes.clone()),
        "fees_filter_ms_per_key_p95": percentile(fee_keystrokes.clone(), 0.95),
        "fees_filter_ms_per_key_max": fee_keystrokes.iter().copied().fold(0.0, f64::max),
    });
    for (kind, (hits, asked)) in found {
        figures[format!("range_r_at_10_{kind}")] = serde_json::json!(hits as f64 / asked as f64);
    }
    figures["engine_wasm_br_bytes"] = serde_json::json!(engine_brotli);
    // Issue 18: side by side with Pagefind, on localhost and on a phone's link, when xtask
    // put Pagefind's index and its bench page beside the portal.
    if dist.join("pagefind-bench.html").exists() {
        for (name, value) in phone::figures(&driver, &dist, &probes(&queries)).await {
            figures[name] = serde_json::json!(value);
        }
    }
    println!("{}", serde_json::to_string_pretty(&figures).unwrap());
}

use phone::encode;
