//! What an operator watches: `/healthz` (the process answers), `/readyz` (the database
//! answers, the schema is current, the opinion writer is not stuck) and Prometheus metrics
//! at `/metrics`. No metric label carries a name, a phone, an address, an opinion or a
//! consultation's text: routes are the route patterns (`/api/consultations/{id}/opinions`),
//! never the paths people asked for.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::opinions::store::Store;

/// A writer with opinions waiting that has committed nothing for this long is stuck.
const WRITER_STUCK_AFTER: Duration = Duration::from_secs(30);

/// The labels of one request counted: the route pattern, the method and the status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// The server's metrics. Clones share the same counters.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    /// Requests answered, by route pattern, method and status.
    pub requests: Family<RequestLabels, Counter>,
    /// Opinions that passed every check and were handed to the writer.
    pub opinions_received: Counter,
    /// Opinions newly committed (retries of a stored opinion are not counted again).
    pub opinions_committed: Counter,
    /// Opinions per group commit.
    pub group_size: Histogram,
    /// Seconds from the start of a group's transaction to its commit (tries included).
    pub commit_seconds: Histogram,
    /// Opinions waiting for the writer.
    pub queue_depth: Gauge,
    /// Posts refused by the per-address limit (429).
    pub rate_limited: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("disclosure");
        let requests = Family::<RequestLabels, Counter>::default();
        let opinions_received = Counter::default();
        let opinions_committed = Counter::default();
        let group_size = Histogram::new(exponential_buckets(1.0, 2.0, 9));
        let commit_seconds = Histogram::new(exponential_buckets(0.0005, 2.0, 14));
        let queue_depth = Gauge::default();
        let rate_limited = Counter::default();
        registry.register(
            "http_requests",
            "Requests answered, by route pattern, method and status",
            requests.clone(),
        );
        registry.register(
            "opinions_received",
            "Opinions that passed every check and were handed to the writer",
            opinions_received.clone(),
        );
        registry.register(
            "opinions_committed",
            "Opinions newly committed to the database",
            opinions_committed.clone(),
        );
        registry.register(
            "opinion_group_size",
            "Opinions per group commit",
            group_size.clone(),
        );
        registry.register(
            "opinion_commit_seconds",
            "Seconds from the start of a group's transaction to its commit",
            commit_seconds.clone(),
        );
        registry.register(
            "opinion_queue_depth",
            "Opinions waiting for the writer",
            queue_depth.clone(),
        );
        registry.register(
            "rate_limited",
            "Posts refused by the per-address limit",
            rate_limited.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
            opinions_received,
            opinions_committed,
            group_size,
            commit_seconds,
            queue_depth,
            rate_limited,
        }
    }
}

impl Metrics {
    /// The metrics in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// Counts every request by its route pattern (unmatched requests, the portal's files, as
/// `static`) and the status it got.
pub async fn count_requests(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "static".to_string(), |path| path.as_str().to_string());
    let method = request.method().as_str().to_string();
    let response = next.run(request).await;
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// `/healthz`, `/readyz` and `/metrics`.
pub fn routes(store: Store, metrics: Metrics) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready).with_state(store))
        .route(
            "/metrics",
            get(|State(metrics): State<Metrics>| async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    )],
                    metrics.render(),
                )
            })
            .with_state(metrics),
        )
}

async fn ready(State(store): State<Store>) -> Response {
    match store.readiness(WRITER_STUCK_AFTER).await {
        Ok(()) => "ready\n".into_response(),
        Err(why) => {
            tracing::warn!(%why, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {why}\n"),
            )
                .into_response()
        }
    }
}
