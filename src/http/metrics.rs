//! `GET /metrics`: Prometheus text format. Delivery's counters and lag
//! histogram, and the outbox and trigger gauges read from the database at
//! scrape time. Behind the API's key policy (scope `metrics:read`): open on a
//! loopback listener without keys, as the rest of `/api/v1`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;

use super::api::authorize;
use super::{ApiError, AppState};
use crate::domain::api_key::Scope;

const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, Scope::MetricsRead)?;
    let gauges = state.outbox.gauges().await.map_err(ApiError::internal)?;
    let mut text = String::with_capacity(4096);
    let gauge_lines = [
        (
            "herald_outbox_pending",
            "Messages waiting in the outbox",
            gauges.pending_messages,
        ),
        (
            "herald_outbox_dead",
            "Dead letters kept in the outbox",
            gauges.dead_messages,
        ),
        (
            "herald_triggers_active",
            "Active timers, reminders and jobs",
            gauges.active_triggers,
        ),
        (
            "herald_triggers_paused",
            "Paused timers and reminders",
            gauges.paused_triggers,
        ),
    ];
    for (name, help, value) in gauge_lines {
        text.push_str(&format!(
            "# HELP {name} {help}.\n# TYPE {name} gauge\n{name} {value}\n"
        ));
    }
    // The registry's encoder ends the exposition with `# EOF`.
    encode(&mut text, &state.metrics).map_err(ApiError::internal)?;
    let mut response = text.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    Ok(response)
}
