//! Liveness and readiness. The listener opens only once migrations are applied,
//! so a 200 from `/healthz` means Herald is ready to take turns.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::AppState;

/// Alive; with the latest counts housekeeping took (refreshed every minute).
pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    let Some((gauges, at)) = state.gauges.latest() else {
        return Json(json!({"status": "ok"}));
    };
    Json(json!({
        "status": "ok",
        "gauges": {
            "activeTriggers": gauges.active_triggers,
            "pausedTriggers": gauges.paused_triggers,
            "pendingMessages": gauges.pending_messages,
            "deadMessages": gauges.dead_messages,
            "at": at.to_rfc3339(),
        },
    }))
}

/// Ready when the database answers.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.conversations.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "reason": "database"})),
            )
        }
    }
}
