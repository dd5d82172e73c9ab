//! The server's routes; the binary in `main.rs` only parses arguments and listens.

use std::path::Path;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Version};
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `site` as static files: Range requests, compression, MIME types from the file
/// extension, `index.html` for folders.
pub fn static_site(site: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(site).append_index_html_on_directories(true))
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(whole_responses)))
        // Pages and the manifest must be revalidated; packs carry a content hash in their
        // names and may be cached as long as the browser likes.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
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
