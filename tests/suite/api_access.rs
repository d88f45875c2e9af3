//! What an API key reaches: each endpoint opens to its own scope and to no
//! other, and Herald's own triggers (a price source's polls) are never a
//! caller's to see, change or imitate.

use herald::config::ApiKeySetting;
use herald::http::api::keys::generate_key;
use serde_json::{Value, json};

use crate::helpers::{FakeConnector, PriceServer, TestApp, call_api, market, spawn_app_with};
use crate::on_both_backends;

/// Calls `path` (under Herald's root) with `key`; the status and JSON body.
async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let answer = call_api(app, method, path, Some(key), body, &[]).await;
    (answer.status, answer.body)
}

const SCOPES: [&str; 5] = [
    "metrics:read",
    "triggers:read",
    "triggers:write",
    "deliveries:read",
    "deliveries:write",
];

on_both_backends! {
    async fn each_endpoint_opens_to_its_own_scope_and_no_other(db: TestDatabase) {
        // For each scope: a key holding it alone, and a key holding every other.
        let mut keys = Vec::new();
        let mut settings = Vec::new();
        for scope in SCOPES {
            let (only, only_digest) = generate_key().unwrap();
            let (but, but_digest) = generate_key().unwrap();
            let others: Vec<String> = herald::domain::api_key::Scope::ALL
                .iter()
                .map(|s| s.as_str().to_owned())
                .filter(|s| s != scope)
                .collect();
            settings.push(ApiKeySetting { name: format!("only-{scope}"), sha256: only_digest, scopes: vec![scope.to_owned()], revoked: false });
            settings.push(ApiKeySetting { name: format!("but-{scope}"), sha256: but_digest, scopes: others, revoked: false });
            keys.push((scope, only, but));
        }
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.api.requests_per_minute = 1000;
            s.api.keys = settings;
        })
        .await;
        let a = app.conversation("A");
        app.say(&a, "hello").await;
        let create = json!({"conversation": {"channelId": "emulator", "id": a.id}, "text": "stand-up", "schedule": {"at": "2026-11-22T12:00:00Z"}});

        for (scope, only, but) in &keys {
            // The endpoint and what it answers a key that may use it (the
            // retry of a dead letter that does not exist is 404: past the gate).
            let (method, path, body, allowed) = match *scope {
                "metrics:read" => ("GET", "/metrics", None, 200),
                "triggers:read" => ("GET", "/api/v1/triggers", None, 200),
                "triggers:write" => ("POST", "/api/v1/triggers", Some(&create), 201),
                "deliveries:read" => ("GET", "/api/v1/dead-letters", None, 200),
                _ => ("POST", "/api/v1/dead-letters/1/retry", None, 404),
            };
            let (status, refused) = call(&app, method, path, but, body).await;
            assert_eq!(status, 403, "{method} {path} without {scope}: {refused}");
            assert!(refused["error"]["message"].as_str().unwrap().contains(scope), "{refused}");
            let (status, answer) = call(&app, method, path, only, body).await;
            assert_eq!(status, allowed, "{method} {path} with {scope}: {answer}");
        }
        // Only the one create with `triggers:write` made anything.
        let (_, listed) = call(&app, "GET", "/api/v1/triggers", &keys[1].1, None).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    }
}

on_both_backends! {
    async fn a_price_sources_polls_are_not_the_callers_to_see_change_or_imitate(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = spawn_app_with(&db, FakeConnector::start().await, market(&server)).await;
        let ana = app.conversation("ana");
        let echo = app.say(&ana, "watch bitcoin below 30000 usd").await;
        assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
        let reminder = app.say(&ana, "remind me in 10 minutes to stretch").await;
        assert!(reminder[0].starts_with("I'll remind you"), "{reminder:?}");

        // The listing shows the person's reminder, not the source's poll,
        // whatever the filter asks.
        for query in ["?kind=price_poll", "?kind=price_watch"] {
            let (status, body) = app.api("GET", &format!("/triggers{query}"), None).await;
            assert_eq!(status, 400, "{query}: {body}");
            assert_eq!(body["error"]["message"], "kind: one of job, timer, reminder", "{body}");
        }
        for query in ["", "?channelId=herald", "?state=active"] {
            let (status, listed) = app.api("GET", &format!("/triggers{query}"), None).await;
            assert_eq!(status, 200, "{listed}");
            let kinds: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
            assert!(!kinds.contains(&"price_poll"), "{query}: {listed}");
            assert!(listed["items"].as_array().unwrap().iter().all(|t| t["conversation"]["channelId"] != "herald"), "{listed}");
        }
        let polls = db.price_polls().await;
        assert_eq!(polls.len(), 1, "the source polls bitcoin: {polls:?}");
        let poll = polls[0].0;
        for (method, path) in [
            ("GET", format!("/triggers/{poll}")),
            ("POST", format!("/triggers/{poll}/pause")),
            ("POST", format!("/triggers/{poll}/resume")),
            ("POST", format!("/triggers/{poll}/cancel")),
        ] {
            let (status, body) = app.api(method, &path, None).await;
            assert_eq!(status, 404, "{method} {path}: {body}");
        }
        // The poll still runs: a minute on, the source is asked again.
        app.advance(chrono::Duration::seconds(60));
        server.wait_for_requests("bitcoin", 2).await;

        // Nor can a caller put a trigger of its own where the source's polls
        // once lived (a made-up conversation on a channel of Herald's).
        let (status, refused) = app
            .api("POST", "/triggers", Some(&json!({"conversation": {"channelId": "herald", "id": "prices/market"}, "text": "x", "schedule": {"at": "2026-11-22T12:00:00Z"}})))
            .await;
        assert_eq!((status, refused["error"]["code"].as_str()), (400, Some("unknown_conversation")), "{refused}");
    }
}
