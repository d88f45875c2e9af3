//! Query strings of the listing endpoints: known parameters only, a bounded
//! page size, and an opaque cursor (the last id of the previous page).

use std::collections::HashMap;

use crate::http::ApiError;

/// Reads the parameters, refusing any not in `known`.
pub fn parse(query: Option<&str>, known: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let mut params = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !known.contains(&name.as_ref()) {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!(
                    "unknown parameter `{}` (known: {})",
                    name.chars().take(40).collect::<String>(),
                    known.join(", ")
                ),
            ));
        }
        params.insert(name.into_owned(), value.into_owned());
    }
    Ok(params)
}

/// `limit`: 1 to `max`, `default` when absent.
pub fn limit(params: &HashMap<String, String>, default: u32, max: u32) -> Result<u32, ApiError> {
    match params.get("limit") {
        None => Ok(default),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_query",
                    format!("limit: must be a whole number from 1 to {max}"),
                )
            }),
    }
}

/// `cursor`: a positive id this API returned as `nextCursor`.
pub fn cursor(params: &HashMap<String, String>) -> Result<Option<i64>, ApiError> {
    params
        .get("cursor")
        .map(|raw| {
            raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
                ApiError::bad_request("invalid_query", "cursor: not a cursor this API returned")
            })
        })
        .transpose()
}

/// The page's JSON from `items` fetched with one more than `limit` (whether a
/// next page exists): `{"items", "nextCursor"}`, the cursor being the last id shown.
pub fn page<T>(
    mut items: Vec<T>,
    limit: u32,
    id: impl Fn(&T) -> i64,
    view: impl Fn(&T) -> serde_json::Value,
) -> serde_json::Value {
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|last| id(last).to_string())
    } else {
        None
    };
    serde_json::json!({
        "items": items.iter().map(view).collect::<Vec<_>>(),
        "nextCursor": next_cursor,
    })
}
