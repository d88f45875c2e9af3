//! What web chat's endpoints share: who is asking (a token's access to a
//! conversation), where the request came from, the JSON shapes of tokens and
//! conversations, an activity stamped with its session, a turn run, and
//! the state the handlers share.

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use serde_json::{Value, json};

use super::{Access, BOT_ID, CHANNEL, Issued, SERVICE_URL, WebChat};
use crate::botframework::activity::{Activity, ChannelAccount, ConversationAccount};
use crate::botframework::inbound::InboundActivity;
use crate::chat::Bot;
use crate::domain::clock::Clock;
use crate::domain::ports::{WebchatAttachments, WebchatSession};
use crate::web::{ApiError, BodyLimits, bearer_token};

/// What web chat's handlers share.
#[derive(Clone)]
pub struct WebchatState {
    pub chat: Arc<WebChat>,
    /// Takes the turns of web chat's activities.
    pub bot: Arc<Bot>,
    pub clock: Arc<dyn Clock>,
    /// Uploaded files, served back to their conversation.
    pub files: Arc<dyn WebchatAttachments>,
    /// The JSON bodies' limits (uploads have their own).
    pub body: BodyLimits,
}

pub(super) async fn access(state: &WebchatState, headers: &HeaderMap) -> Result<Access, ApiError> {
    state
        .chat
        .access(bearer_token(headers))
        .await
        .map_err(ApiError::internal)
}

/// Whether `bearer` opens conversation `id`: its own token does, and so does
/// the secret; returns what the credential is, so callers need not look again.
/// The session of the bearer's conversation token (the secret opens none).
pub(super) async fn token_session(
    state: &WebchatState,
    headers: &HeaderMap,
) -> Result<WebchatSession, ApiError> {
    match access(state, headers).await? {
        Access::Conversation(session) => Ok(session),
        Access::Expired => Err(ApiError::TokenExpired),
        _ => Err(ApiError::Unauthorized),
    }
}

pub(super) async fn conversation_access(
    state: &WebchatState,
    bearer: Option<&str>,
    id: &str,
) -> Result<Access, ApiError> {
    let Some(bearer) = bearer else {
        return Err(ApiError::Unauthorized);
    };
    match state
        .chat
        .access(Some(bearer))
        .await
        .map_err(ApiError::internal)?
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
pub(super) fn host(headers: &HeaderMap) -> &str {
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
pub(super) fn secure(headers: &HeaderMap) -> bool {
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
pub(super) fn stream_url(
    headers: &HeaderMap,
    id: &str,
    token: &str,
    watermark: Option<i64>,
) -> String {
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
    state: &WebchatState,
    headers: &HeaderMap,
    id: &str,
) -> Result<WebchatSession, ApiError> {
    match conversation_access(state, bearer_token(headers), id).await? {
        Access::Conversation(session) => Ok(session),
        _ => state
            .chat
            .session(id)
            .await
            .map_err(ApiError::internal)?
            .ok_or(ApiError::NotFound),
    }
}

pub(super) async fn run_turn(state: &WebchatState, activity: Activity) -> Result<(), ApiError> {
    let inbound = InboundActivity::validate(activity)
        .map_err(|invalid| ApiError::bad_request("BadArgument", invalid.to_string()))?;
    state
        .bot
        .handle_webchat(inbound)
        .await
        .map_err(crate::web::turn_error)?;
    Ok(())
}
