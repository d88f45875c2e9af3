//! The HTTP surface: `/api/messages` for channels, health endpoints, and JSON
//! errors for everything else.

pub mod api;
mod error;
mod health;
mod messages;
pub mod server;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::botframework::auth::InboundAuth;
use tokio::sync::Notify;

use self::api::keys::ApiAccess;
use crate::chat::Bot;
use crate::domain::clock::Clock;
use crate::domain::ports::Store;

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
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/messages", post(messages::post_activity))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest("/api/v1", api::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}
