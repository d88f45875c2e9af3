//! Reading a JSON request body: the content type, the size limit (declared
//! and actual) and the deadline, the same for channels and API clients.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};

use super::ApiError;

/// How large a request body may be and how long it may take to arrive.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    /// The largest request body accepted, in bytes.
    pub max_bytes: usize,
    /// How long a client may take to send the body.
    pub read_timeout: std::time::Duration,
}

/// The body's bytes, once it is known to be JSON of acceptable size that arrived in time.
pub async fn read_json(
    limits: BodyLimits,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, ApiError> {
    require_json(headers)?;
    let limit = limits.max_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    tokio::time::timeout(limits.read_timeout, axum::body::to_bytes(body, limit))
        .await
        .map_err(|_| ApiError::RequestTimeout)?
        .map_err(|_| ApiError::PayloadTooLarge { limit })
}

/// `application/json`, possibly with a charset.
fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType)
    }
}
