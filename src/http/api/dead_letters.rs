//! `/api/v1/dead-letters`: messages delivery gave up on (the channel refused
//! them, kept failing, or the conversation became unreachable), with the last
//! error, and a way to queue one again.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::{authorize, query};
use crate::domain::api_key::Scope;
use crate::domain::ports::{DeadLetter, DeadLetterFilter, OutboxEntry, OutboxId, OutboxState};
use crate::http::{ApiError, AppState};

const MAX_LIMIT: u32 = 200;
const DEFAULT_LIMIT: u32 = 50;
const QUERY_PARAMETERS: [&str; 4] = ["channelId", "conversationId", "limit", "cursor"];

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, Scope::DeliveriesRead)?;
    let params = query::parse(raw.as_deref(), &QUERY_PARAMETERS)?;
    let limit = query::limit(&params, DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = query::cursor(&params)?.map(OutboxId);
    let conversation = match (params.get("channelId"), params.get("conversationId")) {
        (None, None) => None,
        (Some(channel_id), Some(conversation_id)) => {
            let found = state
                .conversations
                .find_conversation(channel_id, conversation_id)
                .await
                .map_err(ApiError::internal)?;
            match found {
                Some(key) => Some(key),
                None => return Ok(Json(json!({"items": [], "nextCursor": null}))),
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "channelId and conversationId: give both or neither",
            ));
        }
    };
    // One more than asked: whether there is a next page.
    let items = state
        .outbox
        .list_dead_letters(&DeadLetterFilter {
            conversation,
            after,
            limit: limit + 1,
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(query::page(
        items,
        limit,
        |letter| letter.entry.id.0,
        view,
    )))
}

/// Queues a dead letter again, attempts starting over.
pub async fn retry(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, Scope::DeliveriesWrite)?;
    let id = raw_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(OutboxId)
        .ok_or_else(|| ApiError::bad_request("invalid_id", "id: must be a dead letter's number"))?;
    let entry = state
        .outbox
        .outbox_entry(id)
        .await
        .map_err(ApiError::internal)?
        .filter(|entry| entry.state == OutboxState::Dead)
        .ok_or(ApiError::NotFound)?;
    let conversation = state
        .conversations
        .conversation(entry.conversation)
        .await
        .map_err(ApiError::internal)?;
    match conversation {
        None => {
            return Err(ApiError::Conflict {
                code: "conversation_gone",
                message: "its conversation is no longer known".to_owned(),
            });
        }
        Some(conversation) => {
            if let Some(reason) = conversation.unreachable {
                return Err(ApiError::Conflict {
                    code: "conversation_unreachable",
                    message: format!(
                        "its conversation is unreachable ({reason}); it becomes reachable when it sends Herald a message"
                    ),
                });
            }
        }
    }
    let now = state.clock.now();
    if !state
        .outbox
        .retry_dead_letter(id, now)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::NotFound);
    }
    state.outbox_written.notify_one();
    // The entry as the retry left it, not read again: delivery may be
    // sending it already, and the answer says what the retry did.
    let queued = OutboxEntry {
        state: OutboxState::Pending,
        attempts: 0,
        last_error: None,
        ..entry
    };
    Ok(Json(entry_view(&queued, None)))
}

fn view(letter: &DeadLetter) -> Value {
    let conversation = match (&letter.channel_id, &letter.conversation_id) {
        (Some(channel_id), Some(id)) => Some(json!({"channelId": channel_id, "id": id})),
        _ => None,
    };
    entry_view(&letter.entry, conversation)
}

fn entry_view(entry: &OutboxEntry, conversation: Option<Value>) -> Value {
    json!({
        "id": entry.id.0,
        "state": entry.state.as_str(),
        "conversation": conversation,
        "triggerId": entry.trigger.map(|id| id.get()),
        "attempts": entry.attempts,
        "lastError": entry.last_error,
        "createdAt": entry.created_at.to_rfc3339(),
    })
}
