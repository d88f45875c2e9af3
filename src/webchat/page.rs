//! The web chat page, served by Herald itself from files kept in the repo
//! (`assets/webchat/`, built into the binary): nothing comes from a CDN, so
//! it works offline.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::web::ApiError;

const INDEX: &str = include_str!("../../assets/webchat/index.html");
const SCRIPT: &str = include_str!("../../assets/webchat/app.js");
const STYLE: &str = include_str!("../../assets/webchat/style.css");
const ICON: &str = include_str!("../../assets/webchat/herald.svg");

pub(super) fn router() -> Router {
    Router::new()
        .route("/", get(|| asset(INDEX, "text/html; charset=utf-8")))
        .route(
            "/webchat/app.js",
            get(|| asset(SCRIPT, "text/javascript; charset=utf-8")),
        )
        .route(
            "/webchat/style.css",
            get(|| asset(STYLE, "text/css; charset=utf-8")),
        )
        .route("/webchat/herald.svg", get(|| asset(ICON, "image/svg+xml")))
}

async fn asset(body: &'static str, content_type: &'static str) -> Result<Response, ApiError> {
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            // The page's own files only: no inline script, nothing from elsewhere.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response())
}
