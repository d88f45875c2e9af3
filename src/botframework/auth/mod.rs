//! Bot Framework authentication: validating the JWTs channels send with each
//! activity, acquiring the bot's own token for the connector, and deciding
//! which service URLs may be trusted with it.

mod claims;
mod credentials;
mod keys;
mod service_urls;
mod validator;

pub use credentials::{TokenError, TokenProvider};
pub use keys::{KeySource, KeySourceSettings};
pub use service_urls::TrustedHosts;
pub use validator::{AuthFailure, Authenticated, InboundAuth, TokenKind, ValidatorSettings};

/// Reads a response body up to `limit` bytes; metadata and token answers are
/// small, and nothing a remote server sends may exhaust memory.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, String> {
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(format!("response larger than {limit} bytes"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if body.len() + chunk.len() > limit {
            return Err(format!("response larger than {limit} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
