//! `POST /api/v1/prices`: prices pushed by external systems (a shop's price
//! service, a market feed) — one, or a batch under `prices`. Every watch on
//! each symbol is evaluated at once and alerts are queued. The whole request
//! is checked before anything is applied: a bad item refuses the request,
//! naming the field (`prices[3].price`), and nothing of it is kept.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::authorize;
use crate::domain::api_key::Scope;
use crate::domain::ports::PriceSample;
use crate::domain::price::valid_name;
use crate::http::{ApiError, AppState};
use crate::prices::price_of;

/// Prices one request may carry.
const MAX_BATCH: usize = 1000;
/// How far ahead of Herald's clock a price's time may be (clock skew).
const MAX_AHEAD: chrono::Duration = chrono::Duration::minutes(5);

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PushedPrice {
    source: String,
    symbol: String,
    /// A JSON number or a decimal string.
    price: Value,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    at: Option<DateTime<Utc>>,
}

/// A price ready to apply.
struct Checked {
    source: String,
    symbol: String,
    price: Decimal,
    currency: Option<String>,
    at: DateTime<Utc>,
}

fn invalid(message: String) -> ApiError {
    ApiError::bad_request("invalid_body", message)
}

pub async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, Scope::PricesWrite)?;
    let bytes = crate::web::read_json(state.body, &headers, body).await?;
    let parsed: Value = serde_json::from_slice(&bytes)
        .map_err(|error| invalid(format!("the body is not JSON: {error}")))?;
    let now = state.clock.now();
    let items = match parsed {
        Value::Object(ref object) if object.contains_key("prices") => {
            let Some(Value::Array(items)) = object.get("prices") else {
                return Err(invalid("prices: must be an array of prices".to_owned()));
            };
            if object.len() > 1 {
                return Err(invalid(
                    "a batch has only `prices`; put each price's fields inside it".to_owned(),
                ));
            }
            if items.is_empty() {
                return Err(invalid("prices: must not be empty".to_owned()));
            }
            if items.len() > MAX_BATCH {
                return Err(invalid(format!("prices: at most {MAX_BATCH} per request")));
            }
            items
                .iter()
                .enumerate()
                .map(|(index, item)| check(&state, item, now, &format!("prices[{index}].")))
                .collect::<Result<Vec<_>, _>>()?
        }
        Value::Object(_) => vec![check(&state, &parsed, now, "")?],
        _ => {
            return Err(invalid(
                "the body must be a price object, or {\"prices\": [...]}".to_owned(),
            ));
        }
    };
    let mut watches = 0;
    let mut alerts = 0;
    for item in &items {
        let evaluated = state
            .prices
            .pushed(&PriceSample {
                source: &item.source,
                symbol: &item.symbol,
                price: item.price,
                currency: item.currency.as_deref(),
                at: item.at,
            })
            .await
            .map_err(ApiError::internal)?;
        watches += evaluated.watches;
        alerts += evaluated.alerts;
    }
    Ok(Json(json!({
        "accepted": items.len(),
        "watchesEvaluated": watches,
        "alerts": alerts,
    })))
}

/// One price's fields, each problem named with `prefix` (`prices[2].`).
fn check(
    state: &AppState,
    item: &Value,
    now: DateTime<Utc>,
    prefix: &str,
) -> Result<Checked, ApiError> {
    let pushed: PushedPrice = serde_path_to_error::deserialize(item).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let item = prefix.trim_end_matches('.');
        match (path.as_str(), item.is_empty()) {
            (".", true) => invalid(inner.to_string()),
            (".", false) => invalid(format!("{item}: {inner}")),
            _ => invalid(format!("{prefix}{path}: {inner}")),
        }
    })?;
    if !valid_name(&pushed.source) {
        return Err(invalid(format!(
            "{prefix}source: 1 to 64 letters, digits, - _ . or :"
        )));
    }
    if state.prices.is_fetched(&pushed.source) {
        return Err(invalid(format!(
            "{prefix}source: `{}` is fetched by Herald from its URL; push to a source without one",
            pushed.source
        )));
    }
    if !valid_name(&pushed.symbol) {
        return Err(invalid(format!(
            "{prefix}symbol: 1 to 64 letters, digits, - _ . or :"
        )));
    }
    let price =
        price_of(&pushed.price).map_err(|problem| invalid(format!("{prefix}price: {problem}")))?;
    let currency = match pushed.currency {
        Some(code)
            if (2..=10).contains(&code.len())
                && code.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            Some(code.to_ascii_lowercase())
        }
        Some(_) => {
            return Err(invalid(format!(
                "{prefix}currency: a code of 2 to 10 letters or digits, such as EUR"
            )));
        }
        None => None,
    };
    let at = pushed.at.unwrap_or(now);
    if at > now + MAX_AHEAD {
        return Err(invalid(format!(
            "{prefix}at: more than 5 minutes ahead of Herald's clock"
        )));
    }
    Ok(Checked {
        source: pushed.source,
        symbol: pushed.symbol,
        price,
        currency,
        at,
    })
}
