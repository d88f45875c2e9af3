//! `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 description, kept beside
//! the handlers as a document (`openapi.json`) and checked by tests against
//! the routes the router serves.

use axum::http::header;
use axum::response::IntoResponse;

/// The document, as served.
pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_json_and_describes_every_operation() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).unwrap();
        assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = document["paths"].as_object().unwrap();
        for (path, method) in [
            ("/api/v1/jobs", "get"),
            ("/api/v1/jobs/{id}/complete", "post"),
            ("/api/v1/triggers", "post"),
            ("/api/v1/triggers", "get"),
            ("/api/v1/triggers/{id}", "get"),
            ("/api/v1/triggers/{id}/pause", "post"),
            ("/api/v1/triggers/{id}/resume", "post"),
            ("/api/v1/triggers/{id}/cancel", "post"),
            ("/api/v1/dead-letters", "get"),
            ("/api/v1/dead-letters/{id}/retry", "post"),
            ("/api/v1/prices", "post"),
        ] {
            let operation = &paths[path][method];
            assert!(operation.is_object(), "{method} {path} is not described");
            assert!(
                operation["responses"].is_object(),
                "{method} {path} has no responses"
            );
        }
        let operations: usize = paths
            .values()
            .map(|item| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| *k != "parameters")
                    .count()
            })
            .sum();
        assert_eq!(
            operations, 11,
            "an operation is described that the API does not serve"
        );
    }
}
