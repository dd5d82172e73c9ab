//! The one error type of the opinion API, as axum's `error-handling` example has it: each
//! handler returns `Result<_, ApiError>`, and the response is made in one place — the
//! status, a JSON body whose `error` is a sentence for the citizen (with the fields at
//! fault, when the form is), and `Retry-After` on 429. Server-side failures are logged for
//! the operator (never with an opinion, a name or a contact) and shown to the citizen as
//! "try again", which the widget does with the same idempotency key.

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use disclosure_core::consultation::{FieldError, Refusal};

use super::contact::ContactError;
use super::limits::Limited;
use super::store::StoreError;

/// Why a request of the opinion API was not done.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404 with a sentence saying what is missing.
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// 409: the request is well-formed but the state forbids it (closed, reused key …).
    #[error("conflict: {0}")]
    Conflict(String),
    /// 400: the request cannot be read.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// 403: posted from a page of another site.
    #[error("forbidden: posted from another site")]
    ForeignOrigin,
    /// 401: an officials' route without the officials' token.
    #[error("unauthorised")]
    Unauthorized,
    /// 401: a console request without a live session (none, expired, unknown to this
    /// server), with a sentence saying which.
    #[error("signed out: {0}")]
    SignedOut(&'static str),
    /// 403: signed in, but the account lacks the role, or the CSRF token is missing or wrong.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// 429: the account is locked after repeated wrong passwords, for this many seconds more.
    #[error("account locked for {0} s")]
    Locked(u64),
    /// 415: an upload whose content is not one of the accepted kinds.
    #[error("unsupported upload: {0}")]
    Unsupported(String),
    /// 413: an uploaded file over the limit (in MiB).
    #[error("upload over {0} MiB")]
    FileTooLarge(usize),
    /// 413: the body is over [`super::MAX_BODY_BYTES`].
    #[error("body too large")]
    TooLarge,
    /// 422: the opinion fails the form's rules; each field says why.
    #[error("invalid opinion ({} field(s))", .0.len())]
    Invalid(Vec<FieldError>),
    /// 422: a response to an opinion fails its rules.
    #[error("invalid response: {0}")]
    InvalidResponse(String),
    /// 429: the address sent its share; it may try again in this many seconds.
    #[error("too many submissions; retry in {0} s")]
    TooFrequent(u64),
    /// 503: the database failed; the opinion was not stored and may be sent again.
    #[error(transparent)]
    Store(#[from] Arc<StoreError>),
    /// 503: a contact could not be sealed or opened.
    #[error(transparent)]
    Contact(#[from] ContactError),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError::Store(Arc::new(error))
    }
}

impl From<Limited> for ApiError {
    fn from(limited: Limited) -> ApiError {
        match limited {
            Limited::TooFrequent(seconds) => ApiError::TooFrequent(seconds),
            Limited::Store(error) => error.into(),
        }
    }
}

impl ApiError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::ForeignOrigin => StatusCode::FORBIDDEN,
            ApiError::Unauthorized | ApiError::SignedOut(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Locked(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooLarge | ApiError::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) | ApiError::InvalidResponse(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooFrequent(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Store(_) | ApiError::Contact(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The sentence the citizen or official reads.
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound(what) => (*what).to_string(),
            ApiError::Conflict(why) | ApiError::InvalidResponse(why) => why.clone(),
            ApiError::BadRequest(what) => (*what).to_string(),
            ApiError::ForeignOrigin => "本网站不接受从其他网站页面提交的意见。".to_string(),
            ApiError::Unauthorized => "需要工作人员令牌。".to_string(),
            ApiError::SignedOut(why) | ApiError::Forbidden(why) => (*why).to_string(),
            ApiError::Locked(seconds) => format!(
                "该账户因连续多次密码错误已被锁定，请在{}分钟后再试，或请管理员解锁。",
                seconds.div_ceil(60)
            ),
            ApiError::Unsupported(why) => why.clone(),
            ApiError::FileTooLarge(mib) => {
                format!("文件超过{mib}MB，请压缩或拆分后再上传。")
            }
            ApiError::TooLarge => "提交的内容过大。意见内容不超过5000字即可正常提交。".to_string(),
            ApiError::Invalid(_) => "意见未能提交，请按提示修改后再提交。".to_string(),
            ApiError::TooFrequent(seconds) => format!("提交过于频繁，请在{seconds}秒后再试。"),
            ApiError::Store(_) | ApiError::Contact(_) => {
                "系统暂时无法处理，请稍后重试。您的意见不会丢失：页面会保留并自动重新提交。"
                    .to_string()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "opinion api");
        }
        let status = self.status();
        let retry_after = match &self {
            ApiError::TooFrequent(seconds) | ApiError::Locked(seconds) => Some(*seconds),
            _ => None,
        };
        let body = Refusal {
            error: self.message(),
            fields: match self {
                ApiError::Invalid(fields) => fields,
                _ => Vec::new(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
