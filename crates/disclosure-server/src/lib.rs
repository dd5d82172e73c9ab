//! The server's routes; the binary in `main.rs` only parses arguments and listens.

pub mod observe;
pub mod officials;
pub mod opinions;
pub mod proxy;
pub mod ranges;

use std::path::Path;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Version};
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// Serves `site` as static files: Range requests (several ranges at once as
/// `multipart/byteranges`, [`ranges`]), compression, MIME types from the file
/// extension, `index.html` for folders.
///
/// A file with a `FILE.br` or `FILE.gz` copy beside it (the build writes them for its Wasm
/// and scripts at the best levels) is sent as that copy to a browser that accepts it;
/// anything else whole is compressed on the fly (brotli at tower-http's fast level), and a
/// byte range never.
pub fn static_site(site: &Path) -> Router {
    let files = ServeDir::new(site)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files.clone())
        .layer(axum::middleware::from_fn_with_state(
            files,
            ranges::multipart_ranges,
        ))
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(whole_responses)))
        .layer(axum::middleware::map_response(cache_policy))
}

/// The whole server: the opinion API under `/api`, the portal and index files elsewhere.
pub fn app(site: &Path, api: Router) -> Router {
    api.merge(static_site(site))
        .layer(axum::middleware::map_response(
            officials::console_page_headers,
        ))
}

/// How long a browser may use an index's `manifest.json` without asking again: 30 seconds,
/// long enough to cover the engine's download on a slow phone link, short enough that a
/// page opened later finds a new build within a minute.
pub const MANIFEST_CACHE_CONTROL: &str = "max-age=30";

/// Files whose names carry a content hash before their extension — packs and their
/// heads' copies (`search.<hash>.pack`, `.head`) and the portal's code as the build names it
/// for its pages (`worker_bg.<hash>.wasm`, `xtask/src/hashed_names.rs`) — may be kept by
/// browsers for good once found (a 404 is asked again: the upload may not be finished).
/// An index's `manifest.json` is fresh for a while ([`MANIFEST_CACHE_CONTROL`]): the search page
/// asks for it while the engine downloads, and the worker, once its code runs, takes that
/// copy instead of waiting a round trip to hear it is unchanged (a worker loading again,
/// after a pack vanished, asks the host). Pages and code under its stable name (what an
/// embedding site's `nx-widgets.js` loads) are revalidated on every use.
async fn cache_policy(
    uri: axum::http::Uri,
    mut response: axum::response::Response,
) -> axum::response::Response {
    let pack = uri.path().ends_with(".pack");
    let hashed = content_hashed(uri.path());
    let found = matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    );
    let manifest = uri.path().ends_with("/manifest.json");
    let policy = if hashed && found {
        "public, max-age=31536000, immutable"
    } else if manifest && found {
        MANIFEST_CACHE_CONTROL
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // A file may be sent as its brotli or gzip copy, or compressed on the fly: a shared
    // cache must keep one answer per Accept-Encoding (ServeDir does not say so for the
    // copies it sends). The pack alone is always sent as it lies.
    let varies = headers.get_all(header::VARY).iter().any(|value| {
        value
            .to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !pack && !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Whether the file `path` names is one whose name carries its content hash: a pack or its
/// head's copy (the builder names them `search.<hash>.pack`, `.head`), or code named with
/// 16 hex digits before its extension (`worker_bg.0123456789abcdef.wasm`; `.js`, `.wasm`,
/// `.css`).
fn content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (Some(extension), Some(hash), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let sixteen_hex = hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit());
    ["pack", "head"].contains(&extension)
        || (["js", "wasm", "css"].contains(&extension) && sixteen_hex)
}

/// A part of a file (206) is sent as it lies on disk: its byte offsets refer to the file,
/// and compressing it would make them meaningless to the reader.
fn whole_responses(
    status: StatusCode,
    _: Version,
    _: &HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    status != StatusCode::PARTIAL_CONTENT
}
