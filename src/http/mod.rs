//! The HTTP surface: `/api/messages` for channels, health endpoints, and JSON
//! errors for everything else.

pub mod api;
mod health;
mod messages;
mod metrics;
pub mod server;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use prometheus_client::registry::Registry;

use crate::botframework::auth::InboundAuth;
use tokio::sync::Notify;

use self::api::keys::ApiAccess;
use crate::chat::Bot;
use crate::domain::clock::Clock;
use crate::domain::ports::{ConversationStore, OutboxStore};
use crate::scheduler::housekeeping::GaugeBoard;
use crate::service::{Jobs, Triggers};

use crate::web::BodyLimits;
use crate::web::error;
pub use crate::web::{ApiError, bearer_token};

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub bot: Arc<Bot>,
    /// Where the API finds a conversation by name, and `/readyz` pings.
    pub conversations: Arc<dyn ConversationStore>,
    /// Dead letters, and the counts `/metrics` shows.
    pub outbox: Arc<dyn OutboxStore>,
    /// How large a request body may be and how long it may take.
    pub body: BodyLimits,
    /// Token validation; `None` with authentication off.
    pub auth: Option<Arc<InboundAuth>>,
    /// Who may call `/api/v1`.
    pub api: Arc<ApiAccess>,
    pub clock: Arc<dyn Clock>,
    /// Wakes delivery after the API queued a notification.
    pub outbox_written: Arc<Notify>,
    /// Creates and controls scheduled triggers (and wakes the scheduler).
    pub triggers: Triggers,
    /// The job log's use cases, shared with chat.
    pub jobs: Arc<Jobs>,
    /// Counts refreshed by housekeeping, shown by `/healthz`.
    pub gauges: Arc<GaugeBoard>,
    /// Delivery's metrics, for `/metrics`.
    pub metrics: Arc<Registry>,
    /// Pushed prices are evaluated here.
    pub prices: Arc<crate::prices::Prices>,
}

/// Herald's own routes; a channel living inside Herald (its web chat) is
/// mounted beside them by the application.
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
