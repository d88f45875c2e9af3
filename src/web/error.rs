//! The one HTTP error type: a status and a JSON body `{"error": {"code", "message"}}`.
//! Server faults are logged with their cause and answered opaquely.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("Content-Type must be application/json")]
    UnsupportedMediaType,
    #[error("the request body exceeds {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// One file of an upload (the request as a whole may be within its limit).
    #[error("the file {name} exceeds {limit} bytes")]
    FileTooLarge { name: String, limit: usize },
    /// No detail for the client: the reason goes to the log only.
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// A token that was valid and has expired (Direct Line's 403
    /// `TokenExpired`, which its clients act on), not an unknown one (401).
    #[error("the token has expired")]
    TokenExpired,
    #[error("{message}")]
    ForbiddenField { message: String },
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    #[error("no such resource")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("too many requests; retry after {} s", retry_after.as_secs().max(1))]
    RateLimited { retry_after: std::time::Duration },
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// A failure of Herald's own (the store, an encoder): answered 500, the
    /// cause logged, never shown.
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(error))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Self::PayloadTooLarge { .. } | Self::FileTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden | Self::ForbiddenField { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            Self::TokenExpired => (StatusCode::FORBIDDEN, "TokenExpired"),
            Self::RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            Self::Unprocessable { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// Where an error is answered: each surface names its errors its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/api/v1`, `/api/messages` and the rest: Herald's own codes.
    Herald,
    /// `/v3/directline`: Direct Line 3.0's codes, which its clients act on.
    DirectLine,
}

impl ApiError {
    /// Direct Line's name for this error.
    fn direct_line_code(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } | Self::UnsupportedMediaType | Self::Unprocessable { .. } => {
                "BadArgument"
            }
            Self::PayloadTooLarge { .. } | Self::FileTooLarge { .. } => "MessageSizeTooBig",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden | Self::ForbiddenField { .. } => "Forbidden",
            Self::TokenExpired => "TokenExpired",
            Self::NotFound | Self::MethodNotAllowed => "NotFound",
            Self::Conflict { .. } => "Conflict",
            Self::RateLimited { .. } => "Throttled",
            Self::RequestTimeout | Self::Internal(_) => "ServiceError",
        }
    }

    /// The response, with the surface's code for it.
    pub fn respond(self, surface: Surface) -> Response {
        let (status, herald_code) = self.status_and_code();
        let code = match surface {
            Surface::Herald => herald_code,
            Surface::DirectLine => self.direct_line_code(),
        };
        if let Self::Internal(cause) = &self {
            tracing::error!(error = %cause, source = ?cause.source(), "request failed");
        }
        let body = json!({"error": {"code": code, "message": self.to_string()}});
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited { retry_after } = &self {
            // Whole seconds, rounded up: retrying earlier would fail again.
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds.max(1)),
            );
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.respond(Surface::Herald)
    }
}

/// An error on the Direct Line surface (`/v3/directline`): the same errors,
/// answered with Direct Line's codes.
#[derive(Debug)]
pub struct DirectLineError(pub ApiError);

impl From<ApiError> for DirectLineError {
    fn from(error: ApiError) -> Self {
        Self(error)
    }
}

impl IntoResponse for DirectLineError {
    fn into_response(self) -> Response {
        self.0.respond(Surface::DirectLine)
    }
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// The Direct Line surface's answers to an unknown path or method.
pub async fn direct_line_not_found() -> DirectLineError {
    ApiError::NotFound.into()
}

pub async fn direct_line_method_not_allowed() -> DirectLineError {
    ApiError::MethodNotAllowed.into()
}
