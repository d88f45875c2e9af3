//! `/api/v1` for external systems: completing and listing jobs, API keys with
//! scopes, revocation, and per-key rate limits.

use herald::config::ApiKeySetting;
use herald::http::api::keys::generate_key;
use serde_json::Value;

use crate::helpers::{FakeConnector, TestApp, call_api, spawn_app, spawn_app_with};
use crate::on_both_backends;

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
) -> (u16, Value, Option<String>) {
    let answer = call_api(app, method, &format!("/api/v1{path}"), key, None, &[]).await;
    let retry_after = answer
        .headers
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (answer.status, answer.body, retry_after)
}

on_both_backends! {
    async fn job_systems_complete_and_list_jobs_over_http(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("A");
        app.say(&a, "run").await;
        app.say(&a, "run").await;

        let (status, body, _) = call(&app, "POST", "/jobs/2/complete", None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["state"], "completed");
        let notice = app.connector.wait_for("A's notification", |r| r.is_proactive() && r.conversation_id == a.id).await;
        assert_eq!(notice.text(), "Your queued job 2 just completed.");

        let (status, body, _) = call(&app, "POST", "/jobs/2/complete", None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("already_completed")));
        let (status, _, _) = call(&app, "POST", "/jobs/99/complete", None).await;
        assert_eq!(status, 404);
        for bad in ["abc", "0", "1234567890123456789012345678901234567890", "-1"] {
            let (status, body, _) = call(&app, "POST", &format!("/jobs/{bad}/complete"), None).await;
            assert_eq!(status, 400, "{bad}");
            assert!(body["error"]["message"].as_str().unwrap().starts_with("id:"), "{body}");
        }

        let (status, body, _) = call(&app, "GET", "/jobs?pageSize=1&page=2", None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["total"], 2);
        assert_eq!(body["items"][0]["id"], 2);
        assert_eq!(body["items"][0]["state"], "completed");
        assert_eq!(body["items"][0]["conversation"]["channelId"], "emulator");
        assert_eq!(body["items"][0]["conversation"]["id"], a.id.as_str());
        for (query, field) in [("pageSize=500", "pageSize"), ("page=0", "page"), ("page=x", "page"), ("colour=red", "colour")] {
            let (status, body, _) = call(&app, "GET", &format!("/jobs?{query}"), None).await;
            assert_eq!(status, 400, "{query}");
            assert!(body["error"]["message"].as_str().unwrap().contains(field), "{body}");
        }
    }
}

fn key_setting(name: &str, digest: &str, scopes: &[&str], revoked: bool) -> ApiKeySetting {
    ApiKeySetting {
        name: name.into(),
        sha256: digest.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        revoked,
    }
}

on_both_backends! {
    async fn api_keys_carry_scopes_and_rates(db: TestDatabase) {
        let (writer, writer_digest) = generate_key().unwrap();
        let (reader, reader_digest) = generate_key().unwrap();
        let (revoked, revoked_digest) = generate_key().unwrap();
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.api.requests_per_minute = 3;
            s.api.keys = vec![
                key_setting("writer", &writer_digest, &["jobs:write", "jobs:read"], false),
                key_setting("reader", &reader_digest, &["jobs:read"], false),
                key_setting("old", &revoked_digest, &["jobs:write"], true),
            ];
        })
        .await;
        let a = app.conversation("A");
        app.say(&a, "run").await;

        assert_eq!(call(&app, "GET", "/jobs", None).await.0, 401, "keys configured: no open access");
        assert_eq!(call(&app, "GET", "/jobs", Some("hk_guess")).await.0, 401);
        assert_eq!(call(&app, "POST", "/jobs/1/complete", Some(&revoked)).await.0, 401, "revoked");
        let (status, body, _) = call(&app, "POST", "/jobs/1/complete", Some(&reader)).await;
        assert_eq!(status, 403);
        assert!(body["error"]["message"].as_str().unwrap().contains("jobs:write"), "{body}");
        assert_eq!(call(&app, "GET", "/jobs", Some(&reader)).await.0, 200);
        assert_eq!(call(&app, "POST", "/jobs/1/complete", Some(&writer)).await.0, 200);

        // Three requests a minute per key: the writer has used one.
        assert_eq!(call(&app, "GET", "/jobs", Some(&writer)).await.0, 200);
        assert_eq!(call(&app, "GET", "/jobs", Some(&writer)).await.0, 200);
        let (status, body, retry_after) = call(&app, "GET", "/jobs", Some(&writer)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (429, Some("rate_limited")));
        let seconds: u64 = retry_after.expect("Retry-After").parse().unwrap();
        assert!((1..=60).contains(&seconds), "{seconds}");
        // Another key has its own budget.
        assert_eq!(call(&app, "GET", "/jobs", Some(&reader)).await.0, 200);
    }
}
