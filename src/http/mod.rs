//! The HTTP surface: `/api/messages` for channels, health endpoints, and JSON
//! errors for everything else.

pub mod api;
mod body;
mod error;
mod health;
mod messages;
mod metrics;
pub mod server;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::routing::{get, post};

use prometheus_client::registry::Registry;

use crate::botframework::auth::InboundAuth;
use tokio::sync::Notify;

use self::api::keys::ApiAccess;
use crate::chat::Bot;
use crate::domain::clock::Clock;
use crate::domain::ports::Store;
use crate::scheduler::control::TriggerControl;
use crate::scheduler::housekeeping::GaugeBoard;

pub use error::ApiError;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub bot: Arc<Bot>,
    pub store: Arc<dyn Store>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long a client may take to send the body.
    pub body_read_timeout: std::time::Duration,
    /// Token validation; `None` with authentication off.
    pub auth: Option<Arc<InboundAuth>>,
    /// Who may call `/api/v1`.
    pub api: Arc<ApiAccess>,
    pub clock: Arc<dyn Clock>,
    /// Wakes delivery after the API queued a notification.
    pub outbox_written: Arc<Notify>,
    /// Creates and controls scheduled triggers (and wakes the scheduler).
    pub triggers: TriggerControl,
    /// Counts refreshed by housekeeping, shown by `/healthz`.
    pub gauges: Arc<GaugeBoard>,
    /// Delivery's metrics, for `/metrics`.
    pub metrics: Arc<Registry>,
    /// Pushed prices are evaluated here.
    pub prices: Arc<crate::prices::Prices>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/messages", post(messages::post_activity))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .nest("/api/v1", api::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}

/// The token of an `Authorization: Bearer …` header, if the request carries one;
/// channels and API clients present their credentials the same way.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(value: Option<&str>) -> Option<String> {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        }
        bearer_token(&headers).map(str::to_owned)
    }

    #[test]
    fn bearer_tokens_are_extracted() {
        assert_eq!(
            bearer(Some("Bearer abc.def.ghi")).as_deref(),
            Some("abc.def.ghi")
        );
        assert_eq!(bearer(Some("bearer  x ")).as_deref(), Some("x"));
        assert_eq!(bearer(None), None);
        assert_eq!(bearer(Some("Basic dXNlcg==")), None);
        assert_eq!(bearer(Some("Bearer")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(Some("hk_a_key_without_its_scheme")), None);
    }
}
