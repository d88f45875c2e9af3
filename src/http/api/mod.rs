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
use axum::handler::Handler;
use axum::http::{HeaderMap, Method};
use axum::routing::{MethodFilter, MethodRouter, on};

use self::keys::{Caller, Refusal};
use super::{ApiError, AppState, bearer_token};
use crate::domain::api_key::Scope;

pub fn router() -> Router<AppState> {
    operations()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
}

/// `(method, path)` of every operation served, as `openapi.json` names them
/// (under `/api/v1`): what the document is checked against, both ways.
pub fn served_operations() -> Vec<(Method, &'static str)> {
    operations()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

type Operation = (Method, &'static str, MethodRouter<AppState>);

/// Every operation of the API, once: the router is built from this table, so
/// a route cannot be served without the OpenAPI check seeing it.
fn operations() -> Vec<Operation> {
    vec![
        operation(Method::GET, "/jobs", jobs::list),
        operation(Method::POST, "/jobs/{id}/complete", jobs::complete),
        operation(Method::POST, "/triggers", triggers::create),
        operation(Method::GET, "/triggers", triggers::list),
        operation(Method::GET, "/triggers/{id}", triggers::get),
        operation(Method::POST, "/triggers/{id}/pause", triggers::pause),
        operation(Method::POST, "/triggers/{id}/resume", triggers::resume),
        operation(Method::POST, "/triggers/{id}/cancel", triggers::cancel),
        operation(Method::GET, "/dead-letters", dead_letters::list),
        operation(
            Method::POST,
            "/dead-letters/{id}/retry",
            dead_letters::retry,
        ),
        operation(Method::POST, "/prices", prices::push),
        operation(Method::GET, "/openapi.json", openapi::document),
    ]
}

fn operation<H, T>(method: Method, path: &'static str, handler: H) -> Operation
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a method axum routes");
    (method, path, on(filter, handler))
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
