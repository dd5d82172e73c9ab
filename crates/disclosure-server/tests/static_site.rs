//! The static site over real HTTP on 127.0.0.1: pages, MIME types, Range, compression.

use std::path::PathBuf;

use reqwest::header;

async fn serve(files: &[(&str, &[u8])]) -> (String, PathBuf) {
    // One folder per site: the tests run at once.
    static SITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let site = std::env::temp_dir().join(format!(
        "disclosure-site-{}-{}",
        std::process::id(),
        SITES.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&site);
    for (name, bytes) in files {
        let path = site.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = disclosure_server::static_site(&site);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), site)
}

/// A client that decodes nothing: the test sees the bytes and headers as sent.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
}

#[tokio::test]
async fn serves_pages_wasm_and_byte_ranges() {
    let pack: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let (base, _site) = serve(&[
        (
            "index.html",
            "<!doctype html><title>宁乡</title>".as_bytes(),
        ),
        ("app_bg.wasm", b"\0asm\x01\0\0\0"),
        ("data/search.0011.pack", &pack),
    ])
    .await;
    let client = raw_client();

    let page = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));

    let wasm = client
        .get(format!("{base}/app_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");

    let part = client
        .get(format!("{base}/data/search.0011.pack"))
        .header(header::RANGE, "bytes=1000-1999")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert!(part.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(
        part.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), &pack[1000..2000]);

    // Several ranges at once (the search worker's rounds): one part each, as it lies.
    let parts = client
        .get(format!("{base}/data/search.0011.pack"))
        .header(header::RANGE, "bytes=1000-1009,50000-50099, 99990-99999")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(parts.status(), 206);
    assert!(parts.headers().get(header::CONTENT_ENCODING).is_none());
    let content_type = parts.headers()[header::CONTENT_TYPE].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/byteranges; boundary=")
        .expect(content_type)
        .to_string();
    let body = parts.bytes().await.unwrap();
    let mut expected = Vec::new();
    for (start, end) in [(1000, 1009), (50000, 50099), (99990, 99999)] {
        expected.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes {start}-{end}/100000\r\n\r\n").as_bytes());
        expected.extend_from_slice(&pack[start..=end]);
    }
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(body.as_ref(), expected.as_slice());
    // A range past the end is refused as a single one would be; so is a greedy request.
    for range in [
        "bytes=0-9,200000-200009",
        &format!("bytes={}", vec!["0-"; 200].join(",")),
    ] {
        let refused = client
            .get(format!("{base}/data/search.0011.pack"))
            .header(header::RANGE, range)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 416, "{range}");
    }

    let missing = client
        .get(format!("{base}/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

/// `data/search.0011.head` asked for as brotli: it must come compressed and be kept for
/// good, like the pack whose name it shares.
async fn head_as_brotli(raw: &reqwest::Client, base: &str) -> reqwest::Response {
    let head = raw
        .get(format!("{base}/data/search.0011.head"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(
        head.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    head
}

#[tokio::test]
async fn compresses_whole_files_for_browsers_that_accept_it() {
    let text = "宁乡市2023年行政事业性收费清单".repeat(2_000);
    let (base, _site) = serve(&[
        ("index.html", text.as_bytes()),
        ("data/search.0011.head", text.as_bytes()),
    ])
    .await;
    let raw = raw_client();
    // The pack's head, fetched whole from its own file, is compressed like a page and
    // kept for good like the pack whose name it shares.
    let head = head_as_brotli(&raw, &base).await;
    assert!(head.bytes().await.unwrap().len() < text.len() / 10);
    let compressed = raw
        .get(format!("{base}/index.html"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "br");
    assert!(compressed.bytes().await.unwrap().len() < text.len() / 10);

    let decoding = reqwest::Client::new();
    let body = decoding
        .get(format!("{base}/index.html"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, text);
}

#[tokio::test]
async fn sends_the_builds_precompressed_copies_as_they_are() {
    // The build writes FILE.br and FILE.gz beside its Wasm (xtask's precompress); the copies
    // here are marked so the test can tell them from an on-the-fly compression.
    let (base, _site) = serve(&[
        ("worker_bg.wasm", b"\0asm\x01\0\0\0"),
        ("worker_bg.wasm.br", b"brotli copy"),
        ("worker_bg.wasm.gz", b"gzip copy"),
    ])
    .await;
    let raw = raw_client();
    let get = |accept: &'static str| {
        raw.get(format!("{base}/worker_bg.wasm"))
            .header(header::ACCEPT_ENCODING, accept)
            .send()
    };

    let brotli = get("gzip, deflate, br, zstd").await.unwrap();
    assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
    // Shared caches keep one answer per encoding accepted.
    let vary: Vec<&str> = brotli
        .headers()
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.to_ascii_lowercase().contains("accept-encoding")),
        "{vary:?}"
    );
    assert_eq!(brotli.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), b"brotli copy");

    let gzip = get("gzip").await.unwrap();
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"gzip copy");

    let identity = get("identity").await.unwrap();
    assert!(identity.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(identity.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn the_heads_copy_is_kept_for_good_once_found_and_per_encoding() {
    let (base, _site) = serve(&[
        ("data/search.0011.head", b"head bytes"),
        ("data/search.0011.head.br", b"brotli copy"),
    ])
    .await;
    let raw = raw_client();
    let head = head_as_brotli(&raw, &base).await;
    // Kept for a year by shared caches too: one answer per encoding accepted.
    assert!(head.headers().get_all(header::VARY).iter().any(|v| v
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
        .contains("accept-encoding")));
    // A head or pack not there yet (an upload under way) is asked for again next time.
    for missing in ["data/search.0022.head", "data/search.0022.pack"] {
        let answer = raw.get(format!("{base}/{missing}")).send().await.unwrap();
        assert_eq!(answer.status(), 404);
        assert_eq!(answer.headers()[header::CACHE_CONTROL], "no-cache");
    }
}

#[tokio::test]
async fn an_index_manifest_is_used_for_half_a_minute_and_a_missing_one_asked_again() {
    // The worker takes the copy the page fetched while the engine downloaded, without a
    // round trip to hear it is unchanged.
    let (base, _site) = serve(&[("data/manifest.json", b"{}")]).await;
    let raw = raw_client();
    let cache_control = |path: &'static str| {
        let (raw, base) = (raw.clone(), base.clone());
        async move {
            let answer = raw.get(format!("{base}/{path}")).send().await.unwrap();
            let policy = answer.headers()[header::CACHE_CONTROL].to_str().unwrap();
            (answer.status().as_u16(), policy.to_string())
        }
    };
    assert_eq!(
        cache_control("data/manifest.json").await,
        (200, "max-age=30".to_string())
    );
    assert_eq!(disclosure_server::MANIFEST_CACHE_CONTROL, "max-age=30");
    // Not there yet (an index being uploaded): asked again next time.
    assert_eq!(
        cache_control("other/manifest.json").await,
        (404, "no-cache".to_string())
    );
}

#[tokio::test]
async fn code_named_with_its_hash_is_kept_for_good_and_by_its_stable_name_revalidated() {
    // The build gives the portal's code names carrying their content hash
    // (`worker_bg.<hash>.wasm`, xtask's hashed_names.rs): a second visit need not ask again.
    let (base, _site) = serve(&[
        ("worker_bg.wasm", b"\0asm\x01\0\0\0"),
        ("worker_bg.0123456789abcdef.wasm", b"\0asm\x01\0\0\0"),
        (
            "worker_loader.0123456789abcdef.js",
            b"importScripts('./worker.js');",
        ),
        ("theme.0123456789abcdef.css", b"body {}"),
        ("index.html", b"<!DOCTYPE html>"),
        ("notes.0123456789abcdef.html", b"<!DOCTYPE html>"),
    ])
    .await;
    let raw = raw_client();
    let policy = |path: &'static str, status: u16| {
        let raw = raw.clone();
        let base = base.clone();
        async move {
            let answer = raw.get(format!("{base}/{path}")).send().await.unwrap();
            assert_eq!(answer.status(), status, "{path}");
            answer.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    for kept in [
        "worker_bg.0123456789abcdef.wasm",
        "worker_loader.0123456789abcdef.js",
        "theme.0123456789abcdef.css",
    ] {
        assert_eq!(
            policy(kept, 200).await,
            "public, max-age=31536000, immutable"
        );
    }
    // Stable names, pages and a query are asked again; so is a hashed name not there yet
    // (a page uploaded before its code), never kept.
    for asked_again in [
        "worker_bg.wasm",
        "worker_bg.wasm?v=0123456789abcdef",
        "index.html",
    ] {
        assert_eq!(policy(asked_again, 200).await, "no-cache", "{asked_again}");
    }
    assert_eq!(policy("notes.0123456789abcdef.html", 200).await, "no-cache");
    assert_eq!(
        policy("worker_bg.fedcba9876543210.wasm", 404).await,
        "no-cache"
    );
}
