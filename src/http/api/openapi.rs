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
    use std::collections::BTreeSet;

    use super::*;

    /// The document describes exactly what the router serves: an operation
    /// served but not described fails, and so does one described but gone.
    #[test]
    fn the_document_describes_every_operation_served_and_no_other() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).unwrap();
        assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
        let described: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .iter()
                    .filter(|(key, _)| *key != "parameters")
                    .map(move |(method, operation)| {
                        assert!(
                            operation["responses"].is_object(),
                            "{method} {path} has no responses"
                        );
                        (method.to_uppercase(), path.clone())
                    })
            })
            .collect();
        let served: BTreeSet<(String, String)> = super::super::served_operations()
            .into_iter()
            // The document does not describe itself.
            .filter(|(_, path)| *path != "/openapi.json")
            .map(|(method, path)| (method.to_string(), format!("/api/v1{path}")))
            .collect();
        let undocumented: Vec<_> = served.difference(&described).collect();
        let gone: Vec<_> = described.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "served, not in openapi.json: {undocumented:?}"
        );
        assert!(gone.is_empty(), "in openapi.json, not served: {gone:?}");
    }
}
