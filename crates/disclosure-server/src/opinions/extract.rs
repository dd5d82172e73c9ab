//! The extractors of the opinion API, as in axum's `jwt` example: a handler names what it
//! needs (a JSON body of a given shape, an official, the client behind the proxy) and
//! receives it already checked, or the request ends with the matching [`ApiError`].

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::limits::origin_allowed;
use super::Api;
use crate::proxy::ClientView;

/// A request body the API reads as JSON, with the sentence that explains a malformed one.
pub trait BodyShape: DeserializeOwned {
    /// What the citizen or official reads when the body is not this shape.
    const MALFORMED: &'static str;
}

/// A JSON body of shape `T`: 413 over the body limit, 400 with `T::MALFORMED` otherwise.
pub struct JsonBody<T>(pub T);

impl<T: BodyShape> FromRequest<Arc<Api>> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &Arc<Api>) -> Result<Self, ApiError> {
        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection {
                    BytesRejection::FailedToBufferBody(_) => ApiError::TooLarge,
                    _ => ApiError::BadRequest(T::MALFORMED),
                })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|_| ApiError::BadRequest(T::MALFORMED))
    }
}

/// An official holding the bearer token of `DISCLOSURE_ADMIN_TOKEN` (401 otherwise; every
/// request is refused when no token is configured).
pub struct Official;

impl FromRequestParts<Arc<Api>> for Official {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, api: &Arc<Api>) -> Result<Self, ApiError> {
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match (&api.settings.admin_token, given) {
            (Some(token), Some(given))
                if constant_time_equal(token.as_bytes(), given.trim().as_bytes()) =>
            {
                Ok(Official)
            }
            _ => Err(ApiError::Unauthorized),
        }
    }
}

fn constant_time_equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client behind the trusted proxies (see [`crate::proxy`]), on a request whose
/// page, if it came from a browser page, is the site's own or an allowed portal's (403
/// otherwise).
pub struct Client(pub ClientView);

impl FromRequestParts<Arc<Api>> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, api: &Arc<Api>) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        let view = api.settings.trusted_proxies.client(peer, &parts.headers);
        let text = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        if !origin_allowed(
            text(header::ORIGIN.as_str()),
            view.host.as_deref(),
            view.proto.as_deref(),
            text("sec-fetch-site"),
            &api.settings.allowed_origins,
        ) {
            return Err(ApiError::ForeignOrigin);
        }
        Ok(Client(view))
    }
}
