//! `/api/v1/triggers`: timers and reminders created by external systems for
//! conversations Herald knows, listed, inspected, paused, resumed, cancelled.
//! A create request may carry an `Idempotency-Key`: a retry with the same key
//! (and body) returns the first result instead of creating a second trigger.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{authorize, query};
use crate::domain::api_key::Scope;
use crate::domain::command::JobRef;
use crate::domain::lifecycle::Action;
use crate::domain::ports::{Idempotency, OpenLimits, TriggerCreated, TriggerFilter};
use crate::domain::schedule::ScheduleSpec;
use crate::domain::trigger::{TriggerId, TriggerKind, TriggerRecord, TriggerState};
use crate::http::{ApiError, AppState};
use crate::service::{Controlled, CreateError, TriggerRequest};

/// The longest text a trigger may say.
const MAX_TEXT_CHARS: usize = 2000;
const MAX_LIMIT: u32 = 200;
const DEFAULT_LIMIT: u32 = 50;
/// Idempotency keys are short printable tokens (UUIDs, ULIDs and the like).
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CreateBody {
    conversation: ConversationName,
    text: String,
    schedule: ScheduleSpec,
    /// `timer` or `reminder`; by default a one-shot is a timer, anything else a reminder.
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConversationName {
    channel_id: String,
    id: String,
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let caller = authorize(&state, &headers, Scope::TriggersWrite)?;
    let idempotency_key = idempotency_key(&headers)?;
    let bytes = crate::web::read_json(state.body, &headers, body).await?;
    let request: CreateBody =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&bytes))
            .map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                let message = if inner.is_syntax() || inner.is_eof() {
                    format!("the body is not JSON: {inner}")
                } else if path == "." {
                    inner.to_string()
                } else {
                    format!("{path}: {inner}")
                };
                ApiError::bad_request("invalid_body", message)
            })?;
    // Control and bidi characters never reach a reminder's text.
    let text = crate::domain::text::clean(&request.text);
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "text: must not be empty",
        ));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request(
            "invalid_body",
            format!("text: at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    let kind = match (request.kind.as_deref(), request.schedule.at.is_some()) {
        (None, true) | (Some("timer"), true) => TriggerKind::Timer,
        (None, false) | (Some("reminder"), _) => TriggerKind::Reminder,
        (Some("timer"), false) => {
            return Err(ApiError::bad_request(
                "invalid_body",
                "kind: a timer fires once; give `schedule.at` or use kind `reminder`",
            ));
        }
        (Some(_), _) => {
            return Err(ApiError::bad_request(
                "invalid_body",
                "kind: must be `timer` or `reminder`",
            ));
        }
    };
    let conversation = state
        .conversations
        .find_conversation(&request.conversation.channel_id, &request.conversation.id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| {
            ApiError::bad_request(
                "unknown_conversation",
                "conversation: Herald knows no such conversation (it must have talked to Herald first)",
            )
        })?;
    // Scoped to the caller, so two clients never collide on a key.
    let scoped_key = idempotency_key.map(|key| format!("{}:{key}", caller.name));
    let request_sha256 = canonical_digest(&bytes);
    let created = state
        .triggers
        .create(&TriggerRequest {
            kind,
            conversation,
            owner: None,
            text,
            schedule: &request.schedule,
            time_zone: None,
            idempotency: scoped_key.as_deref().map(|key| Idempotency {
                key,
                request_sha256: &request_sha256,
            }),
            // Chat's caps on open reminders are for people; an API caller is
            // bounded by its key's request rate.
            limits: OpenLimits::NONE,
        })
        .await
        .map_err(|error| match error {
            CreateError::Schedule(spec) => ApiError::bad_request(
                "invalid_schedule",
                format!("schedule.{}: {}", spec.field, spec.problem)
                    .replace("schedule.schedule", "schedule"),
            ),
            CreateError::NoOccurrence { .. } | CreateError::TooOften { .. } => {
                ApiError::bad_request("invalid_schedule", error.to_string())
            }
            CreateError::Store(cause) => ApiError::internal(cause),
        })?;
    let (record, replayed) = match created {
        TriggerCreated::Created(record) => (record, false),
        TriggerCreated::Replayed(record) => (record, true),
        TriggerCreated::KeyReused => {
            return Err(ApiError::Unprocessable {
                code: "idempotency_key_reused",
                message: "Idempotency-Key: already used for a different request".to_owned(),
            });
        }
        TriggerCreated::LimitReached(_) => {
            return Err(ApiError::Unprocessable {
                code: "limit_reached",
                message: "the conversation has as many open reminders as Herald allows".to_owned(),
            });
        }
    };
    tracing::info!(caller = %caller.name, trigger = record.id.get(), replayed, "trigger created through the API");
    let mut response = (StatusCode::CREATED, Json(view(&record))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/triggers/{}", record.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The digest of a request as JSON, not as bytes: a retry that spaces or
/// orders its fields differently is the same request. (`serde_json`'s maps
/// are sorted, so the value re-serialises the same whatever the order.)
fn canonical_digest(bytes: &[u8]) -> String {
    let canonical = serde_json::from_slice::<Value>(bytes)
        .and_then(|value| serde_json::to_vec(&value))
        .unwrap_or_else(|_| bytes.to_vec());
    hex::encode(Sha256::digest(canonical))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|key| {
            !key.is_empty()
                && key.len() <= MAX_IDEMPOTENCY_KEY_LEN
                && key.bytes().all(|b| b.is_ascii_graphic())
        })
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_header",
                format!(
                    "Idempotency-Key: 1 to {MAX_IDEMPOTENCY_KEY_LEN} printable ASCII characters"
                ),
            )
        })
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, Scope::TriggersRead)?;
    let params = query::parse(query.as_deref(), &QUERY_PARAMETERS)?;
    let limit = query::limit(&params, DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = query::cursor(&params)?.and_then(TriggerId::new);
    let kind = params
        .get("kind")
        .map(|raw| {
            // The engine's own kind (price polls) is not the API's to see.
            match raw.parse::<TriggerKind>() {
                Ok(TriggerKind::PricePoll) | Err(_) => Err(ApiError::bad_request(
                    "invalid_query",
                    "kind: one of job, timer, reminder",
                )),
                Ok(kind) => Ok(kind),
            }
        })
        .transpose()?;
    let trigger_state = params
        .get("state")
        .map(|raw| {
            raw.parse::<TriggerState>().map_err(|_| {
                ApiError::bad_request(
                    "invalid_query",
                    "state: one of active, paused, completed, cancelled, failed",
                )
            })
        })
        .transpose()?;
    // One more than asked: whether there is a next page.
    let items = state
        .triggers
        .list(&TriggerFilter {
            conversation: None,
            channel_id: params.get("channelId").cloned(),
            conversation_id: params.get("conversationId").cloned(),
            kind,
            state: trigger_state,
            after,
            limit: limit + 1,
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(query::page(items, limit, |t| t.id.get(), view)))
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, Scope::TriggersRead)?;
    let record = external_trigger(&state, trigger_id(&id)?).await?;
    Ok(Json(view(&record)))
}

/// A trigger an API caller may see. The engine's own (price polls) belong
/// to no conversation, so the store never answers with them: absent.
async fn external_trigger(state: &AppState, id: TriggerId) -> Result<TriggerRecord, ApiError> {
    state
        .triggers
        .get(id)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)
}

pub async fn pause(
    state: State<AppState>,
    headers: HeaderMap,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    control(state, headers, id, Action::Pause).await
}

pub async fn resume(
    state: State<AppState>,
    headers: HeaderMap,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    control(state, headers, id, Action::Resume).await
}

pub async fn cancel(
    state: State<AppState>,
    headers: HeaderMap,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    control(state, headers, id, Action::Cancel).await
}

async fn control(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    action: Action,
) -> Result<Json<Value>, ApiError> {
    let caller = authorize(&state, &headers, Scope::TriggersWrite)?;
    let id = trigger_id(&id)?;
    external_trigger(&state, id).await?;
    match state
        .triggers
        .apply(id, action)
        .await
        .map_err(ApiError::internal)?
    {
        Controlled::Changed(record) => {
            tracing::info!(caller = %caller.name, trigger = id.get(), action = action.as_str(), state = record.state.as_str(), "trigger changed through the API");
            Ok(Json(view(&record)))
        }
        Controlled::Unchanged(record) => Ok(Json(view(&record))),
        Controlled::Refused(reason) => Err(ApiError::Conflict {
            code: "invalid_state",
            message: reason,
        }),
        Controlled::NotFound => Err(ApiError::NotFound),
    }
}

fn trigger_id(raw: &str) -> Result<TriggerId, ApiError> {
    match JobRef::parse(raw) {
        JobRef::Id(id) => Ok(id),
        _ => Err(ApiError::bad_request(
            "invalid_id",
            "id: must be a trigger number (1, 2, 3 …)",
        )),
    }
}

/// A trigger as the API shows it.
fn view(record: &TriggerRecord) -> Value {
    json!({
        "id": record.id.get(),
        "kind": record.kind.as_str(),
        "state": record.state.as_str(),
        "text": record.text,
        "conversation": {"channelId": record.channel_id, "id": record.conversation_id},
        "schedule": record.schedule,
        "nextFireAt": record.next_fire_at.map(|at| at.to_rfc3339()),
        "fireCount": record.fire_count,
        "lastError": record.last_error,
        "createdAt": record.created_at.to_rfc3339(),
        "updatedAt": record.updated_at.to_rfc3339(),
        "completedAt": record.completed_at.map(|at| at.to_rfc3339()),
    })
}

const QUERY_PARAMETERS: [&str; 6] = [
    "conversationId",
    "channelId",
    "kind",
    "state",
    "limit",
    "cursor",
];
