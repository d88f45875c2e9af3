//! `POST /api/messages`: the channel's endpoint. Reads the body within its
//! limit, checks the activity, runs the turn, answers 200 (or 501 for an
//! unhandled invoke) once its state is committed and its replies sent.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, bearer_token};
use crate::botframework::activity::Activity;
use crate::botframework::auth::AuthFailure;
use crate::botframework::inbound::InboundActivity;
use crate::chat::TurnStatus;

pub async fn post_activity(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // Without a token nothing else is looked at, the body included.
    let token = match &state.auth {
        Some(_) => Some(
            bearer_token(&headers)
                .ok_or(AuthFailure::Unauthorized("no bearer token"))
                .map_err(refuse)?,
        ),
        None => None,
    };
    let bytes = crate::web::read_json(state.body, &headers, body).await?;
    let activity: Activity = serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::bad_request(
            "invalid_json",
            format!("the body is not a valid activity: {error}"),
        )
    })?;
    let inbound = InboundActivity::validate(activity)
        .map_err(|invalid| ApiError::bad_request("invalid_activity", invalid.to_string()))?;
    let authenticated = match (&state.auth, token) {
        (Some(auth), Some(token)) => {
            let service_url = inbound.activity.service_url.as_deref().unwrap_or_default();
            let result = auth
                .authenticate(token, &inbound.channel_id, service_url)
                .await;
            Some(result.map_err(refuse)?.kind)
        }
        _ => None,
    };
    let outcome = state
        .bot
        .handle(inbound, authenticated)
        .await
        .map_err(crate::web::turn_error)?;
    Ok(match outcome.status {
        TurnStatus::Handled => StatusCode::OK.into_response(),
        TurnStatus::NotImplemented => (
            StatusCode::NOT_IMPLEMENTED,
            axum::Json(serde_json::json!({"error": {"code": "not_implemented", "message": "this invoke is not handled"}})),
        )
            .into_response(),
    })
}

/// Logs why a request was refused; the client learns only 401 or 403.
fn refuse(failure: AuthFailure) -> ApiError {
    tracing::info!(reason = %failure, "request refused");
    match failure {
        AuthFailure::Unauthorized(_) => ApiError::Unauthorized,
        AuthFailure::Forbidden(_) => ApiError::Forbidden,
    }
}
