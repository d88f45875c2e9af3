//! `/api/v1`: the API for external systems, behind API keys with scopes and
//! per-key rate limits. JSON in camelCase; errors name the offending field.

mod dead_letters;
mod jobs;
pub mod keys;
mod openapi;
mod prices;
mod query;
mod triggers;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};

use self::keys::{Caller, Refusal, Scope};
use super::{ApiError, AppState, bearer_token};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(jobs::list))
        .route("/jobs/{id}/complete", post(jobs::complete))
        .route("/triggers", post(triggers::create).get(triggers::list))
        .route("/triggers/{id}", get(triggers::get))
        .route("/triggers/{id}/pause", post(triggers::pause))
        .route("/triggers/{id}/resume", post(triggers::resume))
        .route("/triggers/{id}/cancel", post(triggers::cancel))
        .route("/dead-letters", get(dead_letters::list))
        .route("/dead-letters/{id}/retry", post(dead_letters::retry))
        .route("/prices", post(prices::push))
        .route("/openapi.json", get(openapi::document))
}

/// Lets the call through if its key holds `scope` and is within its rate.
pub(super) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<Caller, ApiError> {
    state
        .api
        .authorize(bearer_token(headers), scope)
        .map_err(|refusal| match refusal {
            Refusal::Unauthorized => ApiError::Unauthorized,
            Refusal::Forbidden(scope) => ApiError::ForbiddenField {
                message: format!("this key lacks the `{}` scope", scope.as_str()),
            },
            Refusal::RateLimited { retry_after } => ApiError::RateLimited { retry_after },
        })
}
