//! Starting web chat conversations and making tokens for new ones
//! (`POST /v3/directline/conversations`, `POST /v3/directline/tokens/generate`):
//! who the conversation speaks as is bound here, for good (see `people`).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::requests::WebchatState;
use super::requests::{access, activity_for, conversation_json, run_turn, token_json};
use super::{Access, BROWSER_HEADER, Bound, Issued, OfferedUser, WebChat};
use crate::botframework::activity::Activity;
use crate::domain::ports::WebchatSession;
use crate::web::{ApiError, DirectLineError, bearer_token};

/// Locales longer than this in a start body are ignored.
const MAX_LOCALE_CHARS: usize = 20;

/// The body `POST /conversations` and `POST /tokens/generate` may carry.
#[derive(Debug, Default, Deserialize)]
struct StartBody {
    #[serde(default)]
    user: Option<OfferedUser>,
    #[serde(default)]
    locale: Option<String>,
}

/// The start body, if any (directlinejs sends none).
async fn start_body(
    state: &WebchatState,
    headers: &HeaderMap,
    body: Body,
) -> Result<StartBody, ApiError> {
    let empty = headers.get(header::CONTENT_TYPE).is_none()
        && headers
            .get(header::CONTENT_LENGTH)
            .is_none_or(|length| length.as_bytes() == b"0");
    if empty {
        return Ok(StartBody::default());
    }
    let bytes = crate::web::read_json(state.body, headers, body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(StartBody::default());
    }
    serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::bad_request("BadArgument", format!("the body is not valid: {error}"))
    })
}

/// The person a new conversation binds (see `people`).
async fn person(
    chat: &WebChat,
    trusted: bool,
    headers: &HeaderMap,
    body: &StartBody,
) -> Result<Bound, ApiError> {
    let browser = headers.get(BROWSER_HEADER).and_then(|v| v.to_str().ok());
    chat.person_for(trusted, body.user.as_ref(), browser)
        .await
        .map_err(ApiError::internal)?
        .map_err(|bad| ApiError::bad_request("BadArgument", bad.to_string()))
}

/// `POST /v3/directline/conversations`: with the secret (or on loopback in
/// development), a new conversation; with a token, that token's conversation.
/// Herald greets a conversation the first time it starts, in the start
/// body's locale.
pub(super) async fn start_conversation(
    State(state): State<WebchatState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, DirectLineError> {
    let chat = &*state.chat;
    let start = start_body(&state, &headers, body).await?;
    // Direct Line answers 201 for a new conversation, 200 for one that exists.
    let (issued, user, browser, created) = match access(&state, &headers).await? {
        Access::Starter { trusted } => {
            let bound = person(chat, trusted, &headers, &start).await?;
            let resumed = match &bound.resume {
                Some(id) => chat.issue(id).await.map_err(ApiError::internal)?,
                None => None,
            };
            let created = resumed.is_none();
            let issued = match resumed {
                Some(issued) => issued,
                None => chat.create(&bound).await.map_err(ApiError::internal)?,
            };
            let user = WebchatSession {
                conversation_id: issued.conversation_id.clone(),
                user_id: bound.id,
                user_name: bound.name,
                expires_at: None,
            };
            (issued, user, bound.browser, created)
        }
        Access::Conversation(session) => (
            Issued {
                conversation_id: session.conversation_id.clone(),
                token: bearer_token(&headers).unwrap_or_default().to_owned(),
                expires_in: chat.expires_in(&session),
            },
            session,
            None,
            false,
        ),
        Access::Expired => return Err(ApiError::TokenExpired.into()),
        Access::Denied => return Err(ApiError::Unauthorized.into()),
    };
    if chat
        .start(&issued.conversation_id)
        .await
        .map_err(ApiError::internal)?
    {
        let mut greeting = activity_for(&user, Activity::default());
        greeting.kind = Some("conversationUpdate".to_owned());
        greeting.members_added = greeting.from.clone().map(|from| vec![from]);
        greeting.locale = start
            .locale
            .filter(|l| !l.trim().is_empty() && l.chars().count() <= MAX_LOCALE_CHARS);
        run_turn(&state, greeting).await?;
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, Json(conversation_json(&headers, &issued, None))).into_response();
    if let Some(credential) = browser.and_then(|c| c.parse().ok()) {
        response.headers_mut().insert(BROWSER_HEADER, credential);
    }
    Ok(response)
}

/// `POST /v3/directline/tokens/generate`: a token for a new conversation,
/// for the body's `user` when the caller holds the secret.
pub(super) async fn generate_token(
    State(state): State<WebchatState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, DirectLineError> {
    let trusted = match access(&state, &headers).await? {
        Access::Starter { trusted } => trusted,
        Access::Denied => return Err(ApiError::Unauthorized.into()),
        Access::Expired => return Err(ApiError::TokenExpired.into()),
        Access::Conversation(_) => return Err(ApiError::Forbidden.into()),
    };
    let chat = &*state.chat;
    let start = start_body(&state, &headers, body).await?;
    let bound = person(chat, trusted, &headers, &start).await?;
    let issued = chat.create(&bound).await.map_err(ApiError::internal)?;
    Ok(Json(token_json(&issued)))
}
