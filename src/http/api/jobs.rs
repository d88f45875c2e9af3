//! `GET /api/v1/jobs` and `POST /api/v1/jobs/{id}/complete` — the HTTP form of
//! the seed's `jobCompleted` event, with the same proactive notification.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::authorize;
use crate::domain::api_key::Scope;
use crate::domain::command::JobRef;
use crate::domain::ports::{Completion, PageRequest};
use crate::http::{ApiError, AppState};
use crate::service::JobCaller;

const MAX_PAGE_SIZE: u32 = 100;
const DEFAULT_PAGE_SIZE: u32 = 50;

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let caller = authorize(&state, &headers, Scope::JobsRead)?;
    let params = parse_query(query.as_deref())?;
    let page = number(&params, "page", 1, u32::MAX)?.unwrap_or(1);
    let size = number(&params, "pageSize", 1, MAX_PAGE_SIZE)?.unwrap_or(DEFAULT_PAGE_SIZE);
    let jobs = state
        .jobs
        .list(JobCaller::ApiKey, PageRequest { page, size })
        .await
        .map_err(ApiError::internal)?;
    tracing::debug!(caller = %caller.name, page, "jobs listed");
    let items: Vec<Value> = jobs
        .items
        .iter()
        .map(|job| {
            json!({
                "id": job.id.get(),
                "state": job.state.as_str(),
                "conversation": {"channelId": job.channel_id, "id": job.conversation_id},
                "createdAt": job.created_at.to_rfc3339(),
            })
        })
        .collect();
    Ok(Json(
        json!({"items": items, "total": jobs.total, "page": page, "pageSize": size}),
    ))
}

pub async fn complete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = authorize(&state, &headers, Scope::JobsWrite)?;
    let JobRef::Id(id) = JobRef::parse(&id) else {
        return Err(ApiError::bad_request(
            "invalid_id",
            "id: must be a job number (1, 2, 3 …)",
        ));
    };
    let now = state.clock.now();
    match state
        .jobs
        .complete(JobCaller::ApiKey, id, None, now)
        .await
        .map_err(ApiError::internal)?
    {
        Completion::Completed { .. } => {
            tracing::info!(caller = %caller.name, job = id.get(), "job completed through the API");
            Ok(Json(
                json!({"id": id.get(), "state": "completed", "notification": "queued"}),
            ))
        }
        Completion::AlreadyCompleted => Err(ApiError::Conflict {
            code: "already_completed",
            message: format!("job {id} is already complete"),
        }),
        Completion::NotFound | Completion::Duplicate => Err(ApiError::NotFound),
    }
}

fn parse_query(query: Option<&str>) -> Result<HashMap<String, String>, ApiError> {
    let mut params = HashMap::new();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !matches!(name, "page" | "pageSize") {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!(
                    "unknown parameter `{}`",
                    name.chars().take(40).collect::<String>()
                ),
            ));
        }
        params.insert(name.to_owned(), value.to_owned());
    }
    Ok(params)
}

fn number(
    params: &HashMap<String, String>,
    name: &str,
    min: u32,
    max: u32,
) -> Result<Option<u32>, ApiError> {
    params
        .get(name)
        .map(|raw| {
            raw.parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_query",
                        format!("{name}: must be a whole number from {min} to {max}"),
                    )
                })
        })
        .transpose()
}
