//! Calls to Herald's HTTP surface for the API tests. Every exchange under
//! `/api/v1` is held against `openapi.json`: the operation must be described
//! (or the answer is 404/405), the status must be one it lists, the body must
//! match the schema documented for that status, and a request Herald accepted
//! must match the request schema. Objects are read strictly (no field the
//! document does not name), so a field served but undocumented fails too.

use std::sync::LazyLock;

use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use super::TestApp;

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let text = include_str!("../../../src/http/api/openapi.json");
    let mut document: Value = serde_json::from_str(text).expect("openapi.json is JSON");
    for schema in document["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas")
        .values_mut()
    {
        close_objects(schema);
    }
    document
});

/// What Herald answered.
pub struct ApiAnswer {
    pub status: u16,
    pub body: Value,
    pub headers: HeaderMap,
}

/// Calls `path` (from Herald's root) with an optional bearer `key`, JSON body
/// and headers, and checks the exchange against the OpenAPI document.
pub async fn call_api(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> ApiAnswer {
    let mut request = app
        .client
        .request(method.parse().unwrap(), format!("{}{path}", app.address));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let answer = ApiAnswer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.json().await.unwrap_or(Value::Null),
    };
    if let Some(api_path) = path.strip_prefix("/api/v1") {
        check_against_document(method, api_path, body, &answer);
    }
    answer
}

fn check_against_document(method: &str, path: &str, request: Option<&Value>, answer: &ApiAnswer) {
    let path = path.split('?').next().unwrap_or_default();
    let what = format!("{method} /api/v1{path} → {}", answer.status);
    if path == "/openapi.json" {
        return;
    }
    let Some(operation) = operation(method, path) else {
        assert!(
            matches!(answer.status, 404 | 405),
            "{what}: answered, but openapi.json does not describe it"
        );
        return;
    };
    let responses = &operation["responses"];
    let documented = responses
        .get(answer.status.to_string())
        .or_else(|| responses.get("default"))
        .unwrap_or_else(|| panic!("{what}: a status openapi.json does not list"));
    let documented = resolve(documented);
    match documented["content"]["application/json"].get("schema") {
        Some(schema) => conform(schema, &answer.body, &format!("{what}: the answer")),
        None => assert!(
            answer.body.is_null(),
            "{what}: a body where none is documented"
        ),
    }
    if (200..300).contains(&answer.status) {
        if let (Some(request), Some(schema)) = (
            request,
            operation["requestBody"]["content"]["application/json"].get("schema"),
        ) {
            conform(schema, request, &format!("{what}: the accepted request"));
        }
    }
}

/// The operation `method path` matches (`{…}` segments match any segment).
fn operation(method: &str, path: &str) -> Option<&'static Value> {
    let segments: Vec<&str> = path.split('/').collect();
    DOCUMENT["paths"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(template, _)| {
            let template: Vec<&str> = template.trim_start_matches("/api/v1").split('/').collect();
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
        })
        .and_then(|(_, item)| item.get(method.to_lowercase()))
}

/// A response object, following one `$ref` into `components.responses`.
fn resolve(response: &'static Value) -> &'static Value {
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            &DOCUMENT["components"]["responses"][name]
        }
        None => response,
    }
}

fn conform(schema: &Value, instance: &Value, what: &str) {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": DOCUMENT["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("openapi.json's schemas compile");
    let problems: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{what} does not match openapi.json: {problems:?}\n{instance:#}"
    );
}

/// Marks every object schema with named properties as closed, recursively.
fn close_objects(schema: &mut Value) {
    if let Some(object) = schema.as_object_mut() {
        if object.contains_key("properties") && !object.contains_key("additionalProperties") {
            object.insert("additionalProperties".into(), Value::Bool(false));
        }
        for value in object.values_mut() {
            close_objects(value);
        }
    } else if let Some(items) = schema.as_array_mut() {
        items.iter_mut().for_each(close_objects);
    }
}
