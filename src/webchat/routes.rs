//! The Direct Line 3.0 endpoints under `/v3/directline`: starting and
//! resuming conversations, tokens, posting activities, and reading them by
//! polling or over a WebSocket.

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Access, BOT_ID, CHANNEL, Issued, SERVICE_URL, WebChat};
use crate::botframework::activity::{Activity, ChannelAccount, ConversationAccount};
use crate::botframework::inbound::InboundActivity;
use crate::http::{ApiError, AppState, bearer_token};

/// A Direct Line user whose client named none.
const ANONYMOUS_USER: &str = "webchat-user";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations", post(start_conversation))
        .route("/conversations/{id}", get(reconnect))
        .route(
            "/conversations/{id}/activities",
            post(post_activity).get(get_activities),
        )
        .route("/conversations/{id}/stream", get(stream))
        .route("/tokens/generate", post(generate_token))
        .route("/tokens/refresh", post(refresh_token))
}

fn webchat(state: &AppState) -> Result<&WebChat, ApiError> {
    state.webchat.as_deref().ok_or(ApiError::NotFound)
}

fn internal(error: impl std::error::Error + Send + Sync + 'static) -> ApiError {
    ApiError::Internal(Box::new(error))
}

async fn access(state: &AppState, headers: &HeaderMap) -> Result<Access, ApiError> {
    webchat(state)?
        .access(bearer_token(headers))
        .await
        .map_err(internal)
}

/// Whether `bearer` opens conversation `id`: its own token does, and so does
/// the secret; returns what the credential is, so callers need not look again.
async fn conversation_access(
    state: &AppState,
    bearer: Option<&str>,
    id: &str,
) -> Result<Access, ApiError> {
    let Some(bearer) = bearer else {
        return Err(ApiError::Unauthorized);
    };
    match webchat(state)?
        .access(Some(bearer))
        .await
        .map_err(internal)?
    {
        Access::Conversation(theirs) if theirs == id => Ok(Access::Conversation(theirs)),
        Access::Starter => Ok(Access::Starter),
        Access::Denied => Err(ApiError::Unauthorized),
        Access::Conversation(_) => Err(ApiError::Forbidden),
    }
}

/// `ws[s]://<host>/v3/directline/conversations/{id}/stream?watermark=…&t=…`,
/// from the host the client used (and the scheme a TLS proxy says it used).
fn stream_url(headers: &HeaderMap, id: &str, token: &str, watermark: Option<i64>) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    let secure = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let scheme = if secure { "wss" } else { "ws" };
    let watermark = watermark.map_or(String::new(), |w| w.to_string());
    format!(
        "{scheme}://{host}/v3/directline/conversations/{id}/stream?watermark={watermark}&t={token}"
    )
}

/// A token as Direct Line hands it out.
fn token_json(issued: &Issued) -> Value {
    json!({
        "conversationId": issued.conversation_id,
        "token": issued.token,
        "expires_in": issued.expires_in,
    })
}

/// A token with the stream to read its conversation from.
fn conversation_json(headers: &HeaderMap, issued: &Issued, watermark: Option<i64>) -> Value {
    let mut body = token_json(issued);
    body["streamUrl"] = json!(stream_url(
        headers,
        &issued.conversation_id,
        &issued.token,
        watermark
    ));
    body
}

/// `POST /v3/directline/conversations`: with the secret (or on loopback in
/// development), a new conversation; with a token, that token's conversation.
/// Herald greets a conversation the first time it starts.
async fn start_conversation(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let chat = webchat(&state)?;
    let issued = match access(&state, &headers).await? {
        Access::Starter => chat.create().await.map_err(internal)?,
        Access::Conversation(id) => Issued {
            conversation_id: id,
            token: bearer_token(&headers).unwrap_or_default().to_owned(),
            expires_in: chat.token_lifetime.num_seconds(),
        },
        Access::Denied => return Err(ApiError::Unauthorized),
    };
    if chat
        .start(&issued.conversation_id)
        .await
        .map_err(internal)?
    {
        let mut greeting = activity_for(&issued.conversation_id, Activity::default());
        greeting.kind = Some("conversationUpdate".to_owned());
        greeting.members_added = Some(vec![ChannelAccount {
            id: Some(ANONYMOUS_USER.to_owned()),
            ..Default::default()
        }]);
        run_turn(&state, greeting).await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(conversation_json(&headers, &issued, None)),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct WatermarkQuery {
    #[serde(default)]
    watermark: Option<String>,
}

/// A watermark as clients send it: empty or absent is the beginning.
fn watermark(query: &WatermarkQuery) -> Result<i64, ApiError> {
    match query.watermark.as_deref().map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text.parse::<i64>().ok().filter(|w| *w >= 0).ok_or_else(|| {
            ApiError::bad_request("BadArgument", "watermark: must be a number from a response")
        }),
    }
}

/// `GET /v3/directline/conversations/{id}?watermark=…`: reconnecting.
async fn reconnect(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<WatermarkQuery>,
) -> Result<Json<Value>, ApiError> {
    let access = conversation_access(&state, bearer_token(&headers), &id).await?;
    let chat = webchat(&state)?;
    let from = watermark(&query)?;
    let issued = match access {
        Access::Conversation(_) => Issued {
            conversation_id: id,
            token: bearer_token(&headers).unwrap_or_default().to_owned(),
            expires_in: chat.token_lifetime.num_seconds(),
        },
        _ => chat
            .issue(&id)
            .await
            .map_err(internal)?
            .ok_or(ApiError::NotFound)?,
    };
    Ok(Json(conversation_json(&headers, &issued, Some(from))))
}

/// `POST /v3/directline/tokens/generate`: a token for a new conversation.
async fn generate_token(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    match access(&state, &headers).await? {
        Access::Starter => {}
        Access::Denied => return Err(ApiError::Unauthorized),
        Access::Conversation(_) => return Err(ApiError::Forbidden),
    }
    let issued = webchat(&state)?.create().await.map_err(internal)?;
    Ok(Json(token_json(&issued)))
}

/// `POST /v3/directline/tokens/refresh`: a new token for the token's conversation.
async fn refresh_token(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let Access::Conversation(id) = access(&state, &headers).await? else {
        return Err(ApiError::Unauthorized);
    };
    let issued = webchat(&state)?
        .issue(&id)
        .await
        .map_err(internal)?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(token_json(&issued)))
}

/// `GET …/activities?watermark=…`: polling.
async fn get_activities(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<WatermarkQuery>,
) -> Result<Json<Value>, ApiError> {
    conversation_access(&state, bearer_token(&headers), &id).await?;
    let set = webchat(&state)?
        .after(&id, watermark(&query)?)
        .await
        .map_err(internal)?;
    Ok(Json(json!({
        "activities": set.activities,
        "watermark": set.watermark.to_string(),
    })))
}

/// An activity of this conversation as Herald's turn expects it.
fn activity_for(conversation_id: &str, mut activity: Activity) -> Activity {
    activity.channel_id = Some(CHANNEL.to_owned());
    activity.service_url = Some(SERVICE_URL.to_owned());
    activity.conversation = Some(ConversationAccount {
        id: Some(conversation_id.to_owned()),
        ..Default::default()
    });
    activity.recipient = Some(ChannelAccount {
        id: Some(BOT_ID.to_owned()),
        name: Some("Herald".to_owned()),
        role: Some("bot".to_owned()),
        ..Default::default()
    });
    let from = activity.from.get_or_insert_with(Default::default);
    if from.id.as_deref().is_none_or(|id| id.trim().is_empty()) {
        from.id = Some(ANONYMOUS_USER.to_owned());
    }
    from.role = Some("user".to_owned());
    activity
}

/// `POST …/activities`: the user's activity joins the log (so every client
/// of the conversation sees it), then Herald's turn runs on it.
async fn post_activity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    conversation_access(&state, bearer_token(&headers), &id).await?;
    let bytes = crate::http::body::read_json(&state, &headers, body).await?;
    let activity: Activity = serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::bad_request(
            "BadArgument",
            format!("the body is not a valid activity: {error}"),
        )
    })?;
    // Checked before it is kept: what the turn would refuse is not logged.
    let mut inbound = InboundActivity::validate(activity_for(&id, activity))
        .map_err(|invalid| ApiError::bad_request("BadArgument", invalid.to_string()))?;
    let chat = webchat(&state)?;
    let from = inbound.activity.from.get_or_insert_with(Default::default);
    let offered = from.id.as_deref().unwrap_or(ANONYMOUS_USER);
    from.id = Some(
        chat.user_of(&id, offered)
            .await
            .map_err(internal)?
            .ok_or(ApiError::NotFound)?,
    );
    let activity_id = chat
        .append(&id, &inbound.activity)
        .await
        .map_err(internal)?
        .ok_or(ApiError::NotFound)?;
    inbound.activity.id = Some(activity_id.clone());
    state
        .bot
        .handle_webchat(inbound)
        .await
        .map_err(crate::http::turn_error)?;
    Ok(Json(json!({ "id": activity_id })))
}

async fn run_turn(state: &AppState, activity: Activity) -> Result<(), ApiError> {
    let inbound = InboundActivity::validate(activity)
        .map_err(|invalid| ApiError::bad_request("BadArgument", invalid.to_string()))?;
    state
        .bot
        .handle_webchat(inbound)
        .await
        .map_err(crate::http::turn_error)?;
    Ok(())
}

#[derive(Debug, Deserialize)]
struct StreamQuery {
    #[serde(default)]
    watermark: Option<String>,
    /// The token, as Direct Line puts it in stream URLs.
    #[serde(default)]
    t: Option<String>,
}

/// `GET …/stream?watermark=…&t=…`: the WebSocket.
async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<StreamQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    // Browsers cannot set headers on a WebSocket: the token is in the URL.
    let bearer = query.t.as_deref().or_else(|| bearer_token(&headers));
    conversation_access(&state, bearer, &id).await?;
    let from = watermark(&WatermarkQuery {
        watermark: query.watermark,
    })?;
    let state = state.clone();
    Ok(upgrade.on_upgrade(move |socket| async move {
        if let Some(chat) = state.webchat.as_deref() {
            super::stream::run(chat, &id, from, socket).await;
        }
    }))
}
