//! The Direct Line 3.0 endpoints under `/v3/directline` other than starting,
//! uploading and attachments: resuming conversations, refreshing tokens,
//! posting activities, and reading them by
//! polling or over a WebSocket.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::requests::WebchatState;
use super::requests::{
    activity_for, conversation_access, conversation_json, origin, poster, token_json, token_session,
};
use super::{Access, Issued, WebChat};
use crate::botframework::activity::Activity;
use crate::botframework::inbound::InboundActivity;
use crate::web::{ApiError, DirectLineError, bearer_token};

/// `GET /v3/directline/session/getsessionid`: an id bound to the token
/// (Web Chat asks for it for sign-in cards).
pub(super) async fn session_id(
    State(state): State<WebchatState>,
    headers: HeaderMap,
) -> Result<Json<Value>, DirectLineError> {
    token_session(&state, &headers).await?;
    let token = bearer_token(&headers).unwrap_or_default();
    Ok(Json(json!({ "sessionId": WebChat::session_id(token) })))
}

#[derive(Debug, Deserialize)]
pub(super) struct WatermarkQuery {
    #[serde(default)]
    watermark: Option<String>,
}

/// A watermark as clients send it: empty or absent is the beginning.
pub(super) fn watermark(query: &WatermarkQuery) -> Result<i64, ApiError> {
    match query.watermark.as_deref().map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text.parse::<i64>().ok().filter(|w| *w >= 0).ok_or_else(|| {
            ApiError::bad_request("BadArgument", "watermark: must be a number from a response")
        }),
    }
}

/// `GET /v3/directline/conversations/{id}?watermark=…`: reconnecting.
pub(super) async fn reconnect(
    State(state): State<WebchatState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<WatermarkQuery>,
) -> Result<Json<Value>, DirectLineError> {
    let access = conversation_access(&state, bearer_token(&headers), &id).await?;
    let chat = &*state.chat;
    let from = chat
        .real_watermark(&id, watermark(&query)?)
        .await
        .map_err(ApiError::internal)?;
    let issued = match access {
        Access::Conversation(session) => Issued {
            conversation_id: id,
            token: bearer_token(&headers).unwrap_or_default().to_owned(),
            expires_in: chat.expires_in(&session),
        },
        _ => chat
            .issue(&id)
            .await
            .map_err(ApiError::internal)?
            .ok_or(ApiError::NotFound)?,
    };
    Ok(Json(conversation_json(&headers, &issued, Some(from))))
}

/// `POST /v3/directline/tokens/refresh`: a new token for the token's conversation.
pub(super) async fn refresh_token(
    State(state): State<WebchatState>,
    headers: HeaderMap,
) -> Result<Json<Value>, DirectLineError> {
    let session = token_session(&state, &headers).await?;
    let issued = state
        .chat
        .issue(&session.conversation_id)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(token_json(&issued)))
}

/// `GET …/activities?watermark=…`: polling.
pub(super) async fn get_activities(
    State(state): State<WebchatState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<WatermarkQuery>,
) -> Result<Json<Value>, DirectLineError> {
    conversation_access(&state, bearer_token(&headers), &id).await?;
    let chat = &*state.chat;
    let mut set = chat
        .after(&id, watermark(&query)?)
        .await
        .map_err(ApiError::internal)?;
    chat.sign_links(&mut set.activities, &id, &origin(&headers));
    Ok(Json(json!({
        "activities": set.activities,
        "watermark": set.watermark.to_string(),
    })))
}

/// `POST …/activities`: the user's activity joins the log (so every client
/// of the conversation sees it), then Herald's turn runs on it.
pub(super) async fn post_activity(
    State(state): State<WebchatState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Value>, DirectLineError> {
    let session = poster(&state, &headers, &id).await?;
    let bytes = crate::web::read_json(state.body, &headers, body).await?;
    let activity: Activity = serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::bad_request(
            "BadArgument",
            format!("the body is not a valid activity: {error}"),
        )
    })?;
    // Checked before it is kept: what the turn would refuse is not logged.
    let mut inbound = InboundActivity::validate(activity_for(&session, activity))
        .map_err(|invalid| ApiError::bad_request("BadArgument", invalid.to_string()))?;
    let chat = &*state.chat;
    // A turn that would be throttled answers 429 before anything is kept.
    state
        .bot
        .admit_webchat(&inbound)
        .map_err(crate::web::turn_error)?;
    let activity_id = chat
        .append(&id, &inbound.activity, &[])
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    inbound.activity.id = Some(activity_id.clone());
    state
        .bot
        .handle_webchat(inbound)
        .await
        .map_err(crate::web::turn_error)?;
    Ok(Json(json!({ "id": activity_id })))
}

#[derive(Debug, Deserialize)]
pub(super) struct StreamQuery {
    #[serde(default)]
    watermark: Option<String>,
    /// The token, as Direct Line puts it in stream URLs.
    #[serde(default)]
    t: Option<String>,
}

/// `GET …/stream?watermark=…&t=…`: the WebSocket.
pub(super) async fn stream(
    State(state): State<WebchatState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<StreamQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, DirectLineError> {
    // Browsers cannot set headers on a WebSocket: the token is in the URL.
    let bearer = query.t.as_deref().or_else(|| bearer_token(&headers));
    conversation_access(&state, bearer, &id).await?;
    let origin = origin(&headers);
    let from = watermark(&WatermarkQuery {
        watermark: query.watermark,
    })?;
    // Every place taken: the client retries (or polls) later.
    let slot = state.chat.streams.take(&id).ok_or(ApiError::RateLimited {
        retry_after: std::time::Duration::from_secs(5),
    })?;
    let state = state.clone();
    Ok(upgrade.on_upgrade(move |socket| async move {
        super::stream::run(&state.chat, &id, &origin, from, socket, slot).await;
    }))
}
