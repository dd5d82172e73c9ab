//! Several byte ranges of a file in one request (`Range: bytes=a-b,c-d`), answered as
//! `multipart/byteranges` (RFC 9110, §14.6). tower-http's `ServeDir` answers such a request
//! with 416; the search worker asks for all the ranges of a query's round at once, so that
//! a phone on HTTP/1.1 pays one round trip a round rather than one per six ranges (nginx
//! and Caddy answer them too). Each range is asked of `ServeDir` on its own, so its path
//! checks, `ETag`s and 416s stay its own.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// At most this many ranges are answered as parts (each is a file opened anew); a request
/// naming more goes to `ServeDir` as it is (416). The search worker sends at most 64.
pub const MAX_RANGES: usize = 64;

/// At most this many bytes in all the parts of one answer (16 MiB): a request asking for
/// the whole pack many times over is refused with 416 rather than held in memory.
pub const MAX_MULTIPART_BYTES: u64 = 16 << 20;

/// Middleware in front of `files`: a GET naming two to [`MAX_RANGES`] ranges is answered
/// with their parts; anything else passes on unchanged.
pub async fn multipart_ranges(
    State(files): State<ServeDir>,
    request: Request,
    next: Next,
) -> Response {
    let specs: Vec<String> = match request.headers().get(header::RANGE) {
        Some(value) if request.method() == Method::GET => value
            .to_str()
            .ok()
            .and_then(|value| value.trim().strip_prefix("bytes="))
            .map(|specs| {
                specs
                    .split(',')
                    .map(|spec| spec.trim().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if !(2..=MAX_RANGES).contains(&specs.len()) {
        return next.run(request).await;
    }
    let (parts, _) = request.into_parts();
    let mut answers = Vec::with_capacity(specs.len());
    let mut total_bytes = 0u64;
    let mut first_headers = None;
    for spec in &specs {
        let mut single = Request::from_parts(parts.clone(), Body::empty());
        let Ok(range) = HeaderValue::from_str(&format!("bytes={spec}")) else {
            return not_satisfiable();
        };
        single.headers_mut().insert(header::RANGE, range);
        // Parts are sent as they lie: never a compressed copy of the file.
        single.headers_mut().remove(header::ACCEPT_ENCODING);
        let Ok(response) = files.clone().oneshot(single).await;
        if response.status() != StatusCode::PARTIAL_CONTENT {
            // 404, 416, 304 …: the first part's answer is the request's.
            return response.map(Body::new);
        }
        let (headers, body) = response.into_parts();
        let Some(content_range) = headers.headers.get(header::CONTENT_RANGE).cloned() else {
            return not_satisfiable();
        };
        let content_type = headers.headers.get(header::CONTENT_TYPE).cloned();
        // Refused before reading when the part's announced length exceeds what is left of
        // the budget, and never read past it.
        let left = MAX_MULTIPART_BYTES - total_bytes;
        let announced = headers
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        if announced.is_some_and(|length| length > left) {
            return not_satisfiable();
        }
        let Ok(bytes) = axum::body::to_bytes(Body::new(body), left as usize).await else {
            return not_satisfiable();
        };
        total_bytes += bytes.len() as u64;
        first_headers.get_or_insert(headers);
        answers.push((content_range, content_type, bytes));
    }
    let boundary = boundary();
    let mut body = Vec::with_capacity(total_bytes as usize + answers.len() * 96);
    for (content_range, content_type, bytes) in &answers {
        body.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
        // Each part says the file's own type, as a single range's answer would.
        body.extend_from_slice(b"Content-Type: ");
        body.extend_from_slice(
            content_type
                .as_ref()
                .map_or(b"application/octet-stream", |value| value.as_bytes()),
        );
        body.extend_from_slice(b"\r\nContent-Range: ");
        body.extend_from_slice(content_range.as_bytes());
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(bytes);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut response = Response::new(Body::from(Bytes::from(body)));
    *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    if let Some(first) = first_headers {
        for name in [header::LAST_MODIFIED, header::ETAG, header::ACCEPT_RANGES] {
            if let Some(value) = first.headers.get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
    }
    let content_type = format!("multipart/byteranges; boundary={boundary}");
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn not_satisfiable() -> Response {
    StatusCode::RANGE_NOT_SATISFIABLE.into_response()
}

/// A boundary no pack is likely to hold: 32 random hex digits (the parts' lengths come
/// from their `Content-Range` anyway, so a reader never has to look for it in their bytes).
fn boundary() -> String {
    let mut random = [0u8; 16];
    // Without randomness the fixed fallback is still a valid boundary.
    let _ = getrandom::fill(&mut random);
    format!("disclosure-{}", hex::encode(random))
}
