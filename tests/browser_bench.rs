//! `browser-bench --dist DIR --queries FILE`: the search widget measured in headless
//! Chromium against a built portal (for the benchmark, one holding the whole corpus).
//! Prints one flat JSON object of figures.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use disclosure_e2e::{settled_status, Driver, Site};
use fantoccini::Client;

/// Cold queries each start a fresh browser profile and download everything again, so a
/// few per kind give a stable median without taking many minutes.
const COLD_QUERIES_PER_KIND: usize = 4;
const KINDS: [&str; 5] = ["title", "title_sub", "phrase", "typo", "multi"];

#[derive(serde::Deserialize)]
struct EvalQuery {
    kind: String,
    q: String,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        0.0
    } else {
        values[values.len() / 2]
    }
}

fn compressed_sizes(file: &Path) -> (u64, u64) {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes).unwrap();
    let gzip = gzip.finish().unwrap().len() as u64;
    let mut brotli = Vec::new();
    brotli::BrotliCompress(
        &mut &bytes[..],
        &mut brotli,
        &brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        },
    )
    .unwrap();
    (gzip, brotli.len() as u64)
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
            return text !== before && text.includes(query) && !text.startsWith('正在');
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

    let site = Site::start(&dist).await;
    let driver = Driver::start().await;

    let mut cold_ms = Vec::new();
    let mut cold_bytes = Vec::new();
    for kind in KINDS {
        for query in queries
            .iter()
            .filter(|q| q.kind == kind)
            .take(COLD_QUERIES_PER_KIND)
        {
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
    }

    let client = driver.browser().await;
    client
        .goto(&site.url("/?q=%E6%9D%A1%E4%BE%8B"))
        .await
        .unwrap();
    settled_status(&client).await;
    let mut warm_ms = Vec::new();
    for query in &queries {
        warm_ms.push(timed_search(&client, &query.q).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    client.close().await.unwrap();

    let (engine_gzip, engine_brotli) = compressed_sizes(&wasm_file(&dist, "worker"));
    let (ui_gzip, ui_brotli) = compressed_sizes(&wasm_file(&dist, "app"));
    let figures = serde_json::json!({
        "browser_cold_top10_ms_median": median(cold_ms),
        "browser_cold_query_bytes_median": median(cold_bytes),
        "browser_warm_query_ms_median": median(warm_ms),
        "engine_wasm_gzip_bytes": engine_gzip,
        "engine_wasm_brotli_bytes": engine_brotli,
        "ui_wasm_gzip_bytes": ui_gzip,
        "ui_wasm_brotli_bytes": ui_brotli,
    });
    println!("{}", serde_json::to_string_pretty(&figures).unwrap());
}

/// Percent-encodes a query for a URL.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
