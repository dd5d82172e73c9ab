//! A slow network between the browser and the test site, shaped by the site itself: each
//! response waits one round trip before its first byte, and every response body shares one
//! link of a fixed bandwidth, sent in frames as a congested link would interleave them.
//! The browser's own limits (six HTTP/1.1 connections per host) stay as they are. Used by
//! the phone benchmark to compare engines under the same conditions (Lighthouse's mobile
//! profile: 150 ms round trip, 1.6 Mbit/s).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Bytes sent per frame: small enough that concurrent responses share the link.
const FRAME_BYTES: usize = 8 * 1024;

/// The network's shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Added before each response's first byte (the request's trip up and the answer's
    /// first trip down).
    pub round_trip: Duration,
    /// The link's bandwidth, shared by every response at once, in bytes per second.
    pub bytes_per_second: f64,
}

impl Shape {
    /// Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s down.
    pub const MOBILE: Shape = Shape {
        round_trip: Duration::from_millis(150),
        bytes_per_second: 1_600_000.0 / 8.0,
    };
}

/// One shaped link: when it is next free to carry a frame.
pub struct Link {
    shape: Shape,
    free_at: Mutex<Instant>,
}

impl Link {
    pub fn new(shape: Shape) -> Arc<Link> {
        Arc::new(Link {
            shape,
            free_at: Mutex::new(Instant::now()),
        })
    }

    /// Waits until the link has carried `bytes`, after whatever it carries already.
    async fn carry(&self, bytes: usize) {
        let time = Duration::from_secs_f64(bytes as f64 / self.shape.bytes_per_second);
        let done = {
            let mut free_at = self.free_at.lock().await;
            let start = (*free_at).max(Instant::now());
            *free_at = start + time;
            *free_at
        };
        tokio::time::sleep_until(done).await;
    }

    /// Answers `request` as over this link: a round trip, then the body frame by frame.
    pub async fn answer(self: Arc<Link>, request: Request, next: Next) -> Response {
        tokio::time::sleep(self.shape.round_trip).await;
        let response = next.run(request).await;
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let frames: Vec<Bytes> = bytes
            .chunks(FRAME_BYTES)
            .map(Bytes::copy_from_slice)
            .collect();
        let stream = futures_util::stream::unfold(
            (self, frames.into_iter()),
            |(link, mut frames)| async move {
                let frame = frames.next()?;
                link.carry(frame.len()).await;
                Some((Ok::<Bytes, std::io::Error>(frame), (link, frames)))
            },
        );
        Response::from_parts(parts, Body::from_stream(stream))
    }
}
