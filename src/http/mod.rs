//! The HTTP surface: `/api/messages` for channels, health endpoints, and JSON
//! errors for everything else.

pub mod api;
pub(crate) mod body;
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

pub use error::{ApiError, DirectLineError};

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
    /// Herald's own web chat; `None` when it is off.
    pub webchat: Option<Arc<crate::webchat::WebChat>>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/messages", post(messages::post_activity))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .nest("/api/v1", api::router())
        .nest_service("/v3/directline", directline(state.clone()))
        .merge(crate::webchat::page_router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}

/// Direct Line for browsers on any origin: its credentials are bearer
/// tokens, never cookies, so allowing every origin lends nothing ambient.
/// (The layer wraps the whole router, not each route, so that preflight
/// requests are answered before routing, which knows no OPTIONS.)
fn directline(state: AppState) -> tower_http::cors::Cors<Router> {
    use tower_layer::Layer;
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        // Microsoft's Web Chat also sends these on every request.
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-requested-with"),
            header::HeaderName::from_static("x-ms-bot-agent"),
        ]);
    cors.layer(
        crate::webchat::router()
            .fallback(error::direct_line_not_found)
            .method_not_allowed_fallback(error::direct_line_method_not_allowed)
            .with_state(state),
    )
}

/// A turn's refusal as the HTTP answer.
pub(crate) fn turn_error(error: crate::chat::TurnError) -> ApiError {
    use crate::chat::TurnError;
    match error {
        TurnError::Refused { field, problem } => {
            ApiError::bad_request("refused_activity", format!("{field}: {problem}"))
        }
        TurnError::Throttled { retry_after } => ApiError::RateLimited { retry_after },
        TurnError::Forbidden { field, problem } => ApiError::ForbiddenField {
            message: format!("{field}: {problem}"),
        },
        TurnError::Store(cause) => ApiError::Internal(Box::new(cause)),
    }
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
