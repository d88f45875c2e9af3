//! What web chat adds to Herald's HTTP surface, mounted by the application
//! beside Herald's own routes when web chat is on: the page at `/` and
//! Direct Line under `/v3/directline`.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::routing::{get, post};

use super::requests::WebchatState;
use super::{endpoints, files, start, upload};

/// Web chat's routes, ready to merge into Herald's router.
pub fn routes(state: WebchatState) -> Router {
    super::page::router().nest_service("/v3/directline", direct_line(state))
}

/// Direct Line for browsers on any origin: its credentials are bearer
/// tokens, never cookies, so allowing every origin lends nothing ambient.
/// (The layer wraps the whole router, not each route, so that preflight
/// requests are answered before routing, which knows no OPTIONS.)
fn direct_line(state: WebchatState) -> tower_http::cors::Cors<Router> {
    use tower_layer::Layer;
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        // Microsoft's Web Chat also sends these on every request.
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-requested-with"),
            header::HeaderName::from_static("x-ms-bot-agent"),
        ]);
    cors.layer(
        direct_line_routes()
            .fallback(crate::web::error::direct_line_not_found)
            .method_not_allowed_fallback(crate::web::error::direct_line_method_not_allowed)
            .with_state(state),
    )
}

/// The Direct Line 3.0 endpoints, under `/v3/directline`.
fn direct_line_routes() -> Router<WebchatState> {
    Router::new()
        .route("/conversations", post(start::start_conversation))
        .route("/conversations/{id}", get(endpoints::reconnect))
        .route(
            "/conversations/{id}/activities",
            post(endpoints::post_activity).get(endpoints::get_activities),
        )
        // Its own limits, not the JSON body's (see `upload`).
        .route(
            "/conversations/{id}/upload",
            post(upload::post_upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/conversations/{id}/attachments/{attachment}",
            get(files::get_attachment),
        )
        .route("/conversations/{id}/stream", get(endpoints::stream))
        .route("/tokens/generate", post(start::generate_token))
        .route("/tokens/refresh", post(endpoints::refresh_token))
        .route("/session/getsessionid", get(endpoints::session_id))
}
