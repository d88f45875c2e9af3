//! The Direct Line 3.0 endpoints under `/v3/directline`: starting and
//! resuming conversations, tokens, posting activities, and reading them by
//! polling or over a WebSocket.

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::start::{generate_token, start_conversation};
use super::{Access, BOT_ID, CHANNEL, Issued, SERVICE_URL, WebChat};
use crate::botframework::activity::{Activity, ChannelAccount, ConversationAccount};
use crate::botframework::inbound::InboundActivity;
use crate::domain::ports::WebchatSession;
use crate::http::{ApiError, AppState, DirectLineError, bearer_token};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversations", post(start_conversation))
        .route("/conversations/{id}", get(reconnect))
        .route(
            "/conversations/{id}/activities",
            post(post_activity).get(get_activities),
        )
        // Its own limits, not the JSON body's (see `upload`).
        .route(
            "/conversations/{id}/upload",
            post(super::upload::post_upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/conversations/{id}/attachments/{attachment}",
            get(super::files::get_attachment),
        )
        .route("/conversations/{id}/stream", get(stream))
        .route("/tokens/generate", post(generate_token))
        .route("/tokens/refresh", post(refresh_token))
        .route("/session/getsessionid", get(session_id))
}

/// `GET /v3/directline/session/getsessionid`: an id bound to the token
/// (Web Chat asks for it for sign-in cards).
async fn session_id(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, DirectLineError> {
    token_session(&state, &headers).await?;
    let token = bearer_token(&headers).unwrap_or_default();
    Ok(Json(json!({ "sessionId": WebChat::session_id(token) })))
}

pub(super) fn webchat(state: &AppState) -> Result<&WebChat, ApiError> {
    state.webchat.as_deref().ok_or(ApiError::NotFound)
}

pub(super) fn internal(error: impl std::error::Error + Send + Sync + 'static) -> ApiError {
    ApiError::Internal(Box::new(error))
}

pub(super) async fn access(state: &AppState, headers: &HeaderMap) -> Result<Access, ApiError> {
    webchat(state)?
        .access(bearer_token(headers))
        .await
        .map_err(internal)
}

/// Whether `bearer` opens conversation `id`: its own token does, and so does
/// the secret; returns what the credential is, so callers need not look again.
/// The session of the bearer's conversation token (the secret opens none).
async fn token_session(state: &AppState, headers: &HeaderMap) -> Result<WebchatSession, ApiError> {
    match access(state, headers).await? {
        Access::Conversation(session) => Ok(session),
        Access::Expired => Err(ApiError::TokenExpired),
        _ => Err(ApiError::Unauthorized),
    }
}

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
        Access::Conversation(theirs) if theirs.conversation_id == id => {
            Ok(Access::Conversation(theirs))
        }
        Access::Starter { trusted } => Ok(Access::Starter { trusted }),
        Access::Denied => Err(ApiError::Unauthorized),
        Access::Expired => Err(ApiError::TokenExpired),
        Access::Conversation(_) => Err(ApiError::Forbidden),
    }
}

/// The host the client used (what its links should name), if it is a
/// plain host name or address.
fn host(headers: &HeaderMap) -> &str {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1")
}

/// Whether the client came over TLS, as a TLS proxy says.
fn secure(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// `http[s]://<host>`, as the client reached Herald: where links to files go.
pub(super) fn origin(headers: &HeaderMap) -> String {
    let scheme = if secure(headers) { "https" } else { "http" };
    format!("{scheme}://{}", host(headers))
}

/// `ws[s]://<host>/v3/directline/conversations/{id}/stream?watermark=…&t=…`,
/// from the host the client used (and the scheme a TLS proxy says it used).
fn stream_url(headers: &HeaderMap, id: &str, token: &str, watermark: Option<i64>) -> String {
    let host = host(headers);
    let scheme = if secure(headers) { "wss" } else { "ws" };
    let watermark = watermark.map_or(String::new(), |w| w.to_string());
    format!(
        "{scheme}://{host}/v3/directline/conversations/{id}/stream?watermark={watermark}&t={token}"
    )
}

/// A token as Direct Line hands it out.
pub(super) fn token_json(issued: &Issued) -> Value {
    json!({
        "conversationId": issued.conversation_id,
        "token": issued.token,
        "expires_in": issued.expires_in,
    })
}

/// A token with the stream to read its conversation from.
pub(super) fn conversation_json(
    headers: &HeaderMap,
    issued: &Issued,
    watermark: Option<i64>,
) -> Value {
    let mut body = token_json(issued);
    body["streamUrl"] = json!(stream_url(
        headers,
        &issued.conversation_id,
        &issued.token,
        watermark
    ));
    body
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
) -> Result<Json<Value>, DirectLineError> {
    let access = conversation_access(&state, bearer_token(&headers), &id).await?;
    let chat = webchat(&state)?;
    let from = chat
        .real_watermark(&id, watermark(&query)?)
        .await
        .map_err(internal)?;
    let issued = match access {
        Access::Conversation(session) => Issued {
            conversation_id: id,
            token: bearer_token(&headers).unwrap_or_default().to_owned(),
            expires_in: chat.expires_in(&session),
        },
        _ => chat
            .issue(&id)
            .await
            .map_err(internal)?
            .ok_or(ApiError::NotFound)?,
    };
    Ok(Json(conversation_json(&headers, &issued, Some(from))))
}

/// `POST /v3/directline/tokens/refresh`: a new token for the token's conversation.
async fn refresh_token(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, DirectLineError> {
    let session = token_session(&state, &headers).await?;
    let issued = webchat(&state)?
        .issue(&session.conversation_id)
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
) -> Result<Json<Value>, DirectLineError> {
    conversation_access(&state, bearer_token(&headers), &id).await?;
    let chat = webchat(&state)?;
    let mut set = chat
        .after(&id, watermark(&query)?)
        .await
        .map_err(internal)?;
    chat.sign_links(&mut set.activities, &id, &origin(&headers));
    Ok(Json(json!({
        "activities": set.activities,
        "watermark": set.watermark.to_string(),
    })))
}

/// An activity of this conversation as Herald's turn expects it, from the
/// conversation's person: whatever the client wrote in `from` (id, name,
/// `aadObjectId`, role) is replaced by who the token says.
pub(super) fn activity_for(session: &WebchatSession, mut activity: Activity) -> Activity {
    activity.channel_id = Some(CHANNEL.to_owned());
    activity.service_url = Some(SERVICE_URL.to_owned());
    activity.conversation = Some(ConversationAccount {
        id: Some(session.conversation_id.clone()),
        ..Default::default()
    });
    activity.recipient = Some(ChannelAccount {
        id: Some(BOT_ID.to_owned()),
        name: Some("Herald".to_owned()),
        role: Some("bot".to_owned()),
        ..Default::default()
    });
    activity.from = Some(ChannelAccount {
        id: Some(session.user_id.clone()),
        name: session.user_name.clone(),
        role: Some("user".to_owned()),
        ..Default::default()
    });
    activity
}

/// Who posts to conversation `id`: its token's person, and the secret
/// holder posts as the conversation's person too.
pub(super) async fn poster(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<WebchatSession, ApiError> {
    match conversation_access(state, bearer_token(headers), id).await? {
        Access::Conversation(session) => Ok(session),
        _ => webchat(state)?
            .session(id)
            .await
            .map_err(internal)?
            .ok_or(ApiError::NotFound),
    }
}

/// `POST …/activities`: the user's activity joins the log (so every client
/// of the conversation sees it), then Herald's turn runs on it.
async fn post_activity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Value>, DirectLineError> {
    let session = poster(&state, &headers, &id).await?;
    let bytes = crate::http::body::read_json(&state, &headers, body).await?;
    let activity: Activity = serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::bad_request(
            "BadArgument",
            format!("the body is not a valid activity: {error}"),
        )
    })?;
    // Checked before it is kept: what the turn would refuse is not logged.
    let mut inbound = InboundActivity::validate(activity_for(&session, activity))
        .map_err(|invalid| ApiError::bad_request("BadArgument", invalid.to_string()))?;
    let chat = webchat(&state)?;
    // A turn that would be throttled answers 429 before anything is kept.
    state
        .bot
        .admit_webchat(&inbound)
        .map_err(crate::http::turn_error)?;
    let activity_id = chat
        .append(&id, &inbound.activity, &[])
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

pub(super) async fn run_turn(state: &AppState, activity: Activity) -> Result<(), ApiError> {
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
) -> Result<Response, DirectLineError> {
    // Browsers cannot set headers on a WebSocket: the token is in the URL.
    let bearer = query.t.as_deref().or_else(|| bearer_token(&headers));
    conversation_access(&state, bearer, &id).await?;
    let origin = origin(&headers);
    let from = watermark(&WatermarkQuery {
        watermark: query.watermark,
    })?;
    // Every place taken: the client retries (or polls) later.
    let slot = webchat(&state)?
        .streams
        .take(&id)
        .ok_or(ApiError::RateLimited {
            retry_after: std::time::Duration::from_secs(5),
        })?;
    let state = state.clone();
    Ok(upgrade.on_upgrade(move |socket| async move {
        if let Some(chat) = state.webchat.as_deref() {
            super::stream::run(chat, &id, &origin, from, socket, slot).await;
        }
    }))
}
