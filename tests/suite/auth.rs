//! Bot Framework authentication against a local identity provider: the
//! token rules, key refresh and rotation, failing closed, Emulator tokens, and
//! where the bot's own token may go.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::sync::Arc;

use chrono::Duration;
use herald::domain::clock::{Clock, ManualClock};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::issuer::{
    APP_ID, CHANNEL_ISSUER, EMULATOR_ISSUER_V1, EMULATOR_ISSUER_V2, PUBLIC_KEY_1_PEM, sign,
};
use crate::helpers::{
    Conversation, FakeConnector, FakeIssuer, TestApp, spawn_app_on, spawn_app_with,
};
use crate::on_both_backends;

async fn spawn_authenticated(
    db: &crate::helpers::TestDatabase,
    emulator_tokens: bool,
) -> (TestApp, FakeIssuer) {
    let issuer = FakeIssuer::start().await;
    let app = spawn_app_with(db, FakeConnector::start().await, |settings| {
        issuer.configure(settings);
        settings.auth.emulator_tokens = emulator_tokens;
    })
    .await;
    (app, issuer)
}

/// Claims of a valid channel token for `app`'s connector, at the app's clock.
fn channel_claims(app: &TestApp) -> Value {
    let now = app.clock_now();
    json!({
        "iss": CHANNEL_ISSUER,
        "aud": APP_ID,
        "exp": now + 3600,
        "nbf": now - 60,
        "serviceurl": app.connector.url,
    })
}

async fn post_with(app: &TestApp, activity: &Value, authorization: Option<&str>) -> u16 {
    let mut request = app.client.post(app.messages_url()).json(activity);
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    if status == 401 {
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["error"]["message"], "authentication required",
            "no detail leaks: {body}"
        );
    }
    status
}

async fn post_token(app: &TestApp, activity: &Value, token: &str) -> u16 {
    post_with(app, activity, Some(&format!("Bearer {token}"))).await
}

fn with_claim(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

on_both_backends! {
    async fn channel_tokens_follow_the_bot_framework_rules(db: TestDatabase) {
        let (app, _issuer) = spawn_authenticated(&db, false).await;
        let a = app.conversation("auth");
        let valid = channel_claims(&app);
        let now = app.clock_now();

        // Accepted: a valid token, and one that expired within the 5-minute skew.
        assert_eq!(post_token(&app, &a.message("help"), &sign(1, "key-1", &valid)).await, 200);
        let lately_expired = with_claim(valid.clone(), "exp", json!(now - 120));
        assert_eq!(post_token(&app, &a.message("help"), &sign(1, "key-1", &lately_expired)).await, 200);

        // 401: no token, a token of the wrong kind, or an invalid one.
        let run = || a.message("run");
        assert_eq!(post_with(&app, &run(), None).await, 401);
        assert_eq!(post_with(&app, &run(), Some("Basic aGVyYWxkOnB3")).await, 401);
        assert_eq!(post_with(&app, &run(), Some("Bearer not-a-jwt")).await, 401);
        for (what, claims) in [
            ("expired", with_claim(valid.clone(), "exp", json!(now - 600))),
            ("not yet valid", with_claim(valid.clone(), "nbf", json!(now + 600))),
            ("wrong audience", with_claim(valid.clone(), "aud", json!("someone-else"))),
            ("wrong issuer", with_claim(valid.clone(), "iss", json!("https://evil.example"))),
            ("no expiry", { let mut c = valid.clone(); c.as_object_mut().unwrap().remove("exp"); c }),
        ] {
            assert_eq!(post_token(&app, &run(), &sign(1, "key-1", &claims)).await, 401, "{what}");
        }
        // Signed with another key than the kid names.
        assert_eq!(post_token(&app, &run(), &sign(2, "key-1", &valid)).await, 401, "wrong signature");
        // `alg: none`, and HS256 keyed with the public key.
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT","kid":"key-1"}"#);
        let payload = URL_SAFE_NO_PAD.encode(valid.to_string());
        assert_eq!(post_token(&app, &run(), &format!("{none_header}.{payload}.")).await, 401, "alg none");
        let mut hs = Header::new(Algorithm::HS256);
        hs.kid = Some("key-1".into());
        let forged = jsonwebtoken::encode(&hs, &valid, &EncodingKey::from_secret(PUBLIC_KEY_1_PEM)).unwrap();
        assert_eq!(post_token(&app, &run(), &forged).await, 401, "HS256 with the public key");
        assert_eq!(post_token(&app, &run(), &sign(1, "no-such-kid", &valid)).await, 401, "unknown kid");

        // 403: a valid token that does not cover this activity.
        let elsewhere = with_claim(valid.clone(), "serviceurl", json!("https://smba.trafficmanager.net/emea/"));
        assert_eq!(post_token(&app, &run(), &sign(1, "key-1", &elsewhere)).await, 403, "serviceurl mismatch");
        let mut slack = run();
        slack["channelId"] = json!("slack");
        assert_eq!(post_token(&app, &slack, &sign(1, "key-1", &valid)).await, 403, "key not endorsed for the channel");

        // None of the refused activities did anything.
        let show = a.message("show");
        assert_eq!(post_token(&app, &show, &sign(1, "key-1", &valid)).await, 200);
        assert_eq!(app.replies_to(&show), vec!["The job log is empty."]);
    }
}

on_both_backends! {
    async fn keys_refresh_on_rotation_but_never_on_a_flood_of_unknown_kids(db: TestDatabase) {
        let (app, issuer) = spawn_authenticated(&db, false).await;
        let a = app.conversation("keys");
        let valid = channel_claims(&app);
        assert_eq!(post_token(&app, &a.message("help"), &sign(1, "key-1", &valid)).await, 200);
        let fetches = issuer.metadata_fetches();
        for i in 0..25 {
            let kid = format!("made-up-{i}");
            assert_eq!(post_token(&app, &a.message("help"), &sign(1, &kid, &valid)).await, 401);
        }
        assert!(issuer.metadata_fetches() <= fetches + 1, "the flood caused {} fetches", issuer.metadata_fetches() - fetches);

        // The issuer rotates to key-2. Past the minimum interval, its first token refreshes the keys.
        issuer.publish(vec![("key-2", vec!["emulator", "msteams"])]);
        app.advance(Duration::seconds(301));
        assert_eq!(post_token(&app, &a.message("help"), &sign(2, "key-2", &valid)).await, 200);
        assert_eq!(post_token(&app, &a.message("help"), &sign(1, "key-1", &valid)).await, 401, "retired key");
    }
}

on_both_backends! {
    async fn an_unreachable_issuer_fails_closed_without_stopping_herald(db: TestDatabase) {
        let issuer = FakeIssuer::start().await;
        issuer.set_metadata_down(true);
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| issuer.configure(s)).await;
        let health = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
        assert_eq!(health.status().as_u16(), 200);
        let a = app.conversation("down");
        let token = sign(1, "key-1", &channel_claims(&app));
        assert_eq!(post_token(&app, &a.message("run"), &token).await, 401);

        issuer.set_metadata_down(false);
        app.advance(Duration::seconds(301));
        let show = a.message("show");
        assert_eq!(post_token(&app, &show, &token).await, 200);
        assert_eq!(app.replies_to(&show), vec!["The job log is empty."]);

        // Through a later outage the last good keys stay in use.
        issuer.set_metadata_down(true);
        app.advance(Duration::hours(25));
        let token = sign(1, "key-1", &channel_claims(&app));
        assert_eq!(post_token(&app, &a.message("help"), &token).await, 200);
    }
}

fn emulator_claims(app: &TestApp, version: &str, app_id: &str) -> Value {
    let now = app.clock_now();
    let (issuer, id_claim) = if version == "1.0" {
        (EMULATOR_ISSUER_V1, "appid")
    } else {
        (EMULATOR_ISSUER_V2, "azp")
    };
    json!({"iss": issuer, "aud": "https://api.botframework.com", "exp": now + 3600, "ver": version, id_claim: app_id})
}

on_both_backends! {
    async fn emulator_tokens_are_accepted_only_when_enabled(db: TestDatabase) {
        let (closed, _issuer) = spawn_authenticated(&db, false).await;
        let a = closed.conversation("emu");
        let v1 = emulator_claims(&closed, "1.0", APP_ID);
        assert_eq!(post_token(&closed, &a.message("help"), &sign(2, "key-2", &v1)).await, 401);
        closed.stop().await;

        let (open, _issuer) = spawn_authenticated(&db, true).await;
        let b = Conversation::new("emu", &open.connector.url);
        let v1 = emulator_claims(&open, "1.0", APP_ID);
        let v2 = emulator_claims(&open, "2.0", APP_ID);
        assert_eq!(post_token(&open, &b.message("help"), &sign(2, "key-2", &v1)).await, 200);
        assert_eq!(post_token(&open, &b.message("help"), &sign(2, "key-2", &v2)).await, 200);
        let other_app = emulator_claims(&open, "1.0", "another-app");
        assert_eq!(post_token(&open, &b.message("help"), &sign(2, "key-2", &other_app)).await, 401);
        let v2_with_appid = emulator_claims(&open, "2.0", "x");
        let v2_with_appid = with_claim(v2_with_appid, "appid", json!(APP_ID));
        assert_eq!(post_token(&open, &b.message("help"), &sign(2, "key-2", &v2_with_appid)).await, 401, "v2 reads azp");
    }
}

on_both_backends! {
    async fn the_bot_token_is_fetched_once_and_sent_only_to_trusted_service_urls(db: TestDatabase) {
        let (app, issuer) = spawn_authenticated(&db, false).await;
        let a = app.conversation("A");
        let b = app.conversation("B");
        let token = sign(1, "key-1", &channel_claims(&app));
        for _ in 0..3 {
            assert_eq!(post_token(&app, &a.message("run"), &token).await, 200);
        }
        // With authentication on, a conversation sees only its own jobs.
        let from_b = b.message("done 2");
        assert_eq!(post_token(&app, &from_b, &token).await, 200);
        assert_eq!(app.replies_to(&from_b), vec!["There is no job 2."]);
        assert_eq!(post_token(&app, &a.message("done 2"), &token).await, 200);
        let notice = app.connector.wait_for("A's notification", |r| r.is_proactive() && r.conversation_id == a.id).await;
        assert_eq!(notice.authorization.as_deref(), Some("Bearer bot-token-1"));
        assert!(app.connector.received().iter().all(|r| r.authorization.as_deref() == Some("Bearer bot-token-1")));
        assert_eq!(issuer.token_requests(), 1, "one token for all sends");

        // A service URL outside the trusted hosts is refused even with a matching token.
        let mut evil = a.message("run");
        evil["serviceUrl"] = json!("https://evil.example/");
        let evil_token = sign(1, "key-1", &with_claim(channel_claims(&app), "serviceurl", json!("https://evil.example/")));
        assert_eq!(post_token(&app, &evil, &evil_token).await, 403);
        let show = a.message("show");
        assert_eq!(post_token(&app, &show, &token).await, 200);
        assert!(app.replies_to(&show)[0].starts_with("**Job log** (3 jobs)"));
    }
}

on_both_backends! {
    async fn keys_are_used_only_if_the_metadata_allows_rs256(db: TestDatabase) {
        let issuer = FakeIssuer::start().await;
        issuer.set_algorithms(vec!["ES256"]);
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| issuer.configure(s)).await;
        let a = app.conversation("alg");
        let token = sign(1, "key-1", &channel_claims(&app));
        assert_eq!(post_token(&app, &a.message("help"), &token).await, 401);
        issuer.set_algorithms(vec!["RS256", "ES256"]);
        app.advance(Duration::seconds(301));
        assert_eq!(post_token(&app, &a.message("help"), &token).await, 200);
    }
}

on_both_backends! {
    async fn a_token_the_connector_refuses_is_renewed_once(db: TestDatabase) {
        let (app, issuer) = spawn_authenticated(&db, false).await;
        let a = app.conversation("renew");
        let token = sign(1, "key-1", &channel_claims(&app));
        assert_eq!(post_token(&app, &a.message("help"), &token).await, 200);
        assert_eq!(issuer.token_requests(), 1);
        app.connector.set_behaviour(crate::helpers::ConnectorBehaviour::UnauthorizedOnce);
        let again = a.message("help");
        assert_eq!(post_token(&app, &again, &token).await, 200);
        let reply = app
            .connector
            .wait_for("the retried reply", |r| r.reply_to_id.as_deref() == again["id"].as_str())
            .await;
        assert_eq!(reply.authorization.as_deref(), Some("Bearer bot-token-2"));
        assert_eq!(issuer.token_requests(), 2, "one renewal");
    }
}

on_both_backends! {
    async fn concurrent_proactive_sends_renew_the_token_once(db: TestDatabase) {
        let (app, issuer) = spawn_authenticated(&db, false).await;
        let token = sign(1, "key-1", &channel_claims(&app));
        let conversations: Vec<Conversation> =
            (0..12).map(|i| app.conversation(&format!("c{i}"))).collect();
        let due = app.clock.now() + Duration::hours(2);
        for conversation in &conversations {
            assert_eq!(post_token(&app, &conversation.message("help"), &token).await, 200);
            let body = json!({
                "conversation": {"channelId": "emulator", "id": conversation.id},
                "text": "all at once",
                "schedule": {"at": due.to_rfc3339()},
            });
            let (status, created) = app.api("POST", "/triggers", Some(&body)).await;
            assert_eq!(status, 201, "{created}");
        }
        assert_eq!(issuer.token_requests(), 1);
        // The token (valid an hour) has expired when all twelve fire together.
        app.advance(Duration::hours(2));
        for conversation in &conversations {
            app.connector
                .wait_for("every reminder", |r| r.is_proactive() && r.conversation_id == conversation.id)
                .await;
        }
        assert_eq!(issuer.token_requests(), 2, "one renewal for all concurrent senders");
        let proactive: Vec<_> = app.connector.received().into_iter().filter(|r| r.is_proactive()).collect();
        assert!(proactive.iter().all(|r| r.authorization.as_deref() == Some("Bearer bot-token-2")));
    }
}

on_both_backends! {
    async fn tokens_without_audience_issuer_or_expiry_are_refused_and_nothing_is_sent(db: TestDatabase) {
        let (app, _issuer) = spawn_authenticated(&db, true).await;
        let a = app.conversation("claims");
        let without = |claims: Value, key: &str| {
            let mut claims = claims;
            claims.as_object_mut().unwrap().remove(key);
            claims
        };
        let channel = channel_claims(&app);
        let emulator = emulator_claims(&app, "1.0", APP_ID);
        for (what, kid, key, claims) in [
            ("no aud", "key-1", 1, without(channel.clone(), "aud")),
            ("aud null", "key-1", 1, with_claim(channel.clone(), "aud", Value::Null)),
            ("no iss", "key-1", 1, without(channel.clone(), "iss")),
            ("no exp", "key-1", 1, without(channel.clone(), "exp")),
            ("Emulator token without aud", "key-2", 2, without(emulator.clone(), "aud")),
            ("Emulator token with aud null", "key-2", 2, with_claim(emulator.clone(), "aud", Value::Null)),
        ] {
            let activity = a.message("help");
            assert_eq!(post_token(&app, &activity, &sign(key, kid, &claims)).await, 401, "{what}");
            assert!(app.replies_to(&activity).is_empty(), "{what}: a reply was sent");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(app.connector.received().is_empty(), "nothing reached the connector");

        // The same tokens with their claims are accepted.
        let activity = a.message("help");
        assert_eq!(post_token(&app, &activity, &sign(1, "key-1", &channel)).await, 200);
        assert_eq!(post_token(&app, &a.message("help"), &sign(2, "key-2", &emulator)).await, 200);
        assert!(!app.replies_to(&activity).is_empty());
    }
}

on_both_backends! {
    async fn with_authentication_on_proactive_messages_go_only_where_a_token_vouched_for_the_service_url(db: TestDatabase) {
        // Before authentication was turned on, a conversation set a reminder:
        // its service URL was never vouched for by a token.
        let connector = FakeConnector::start().await;
        let clock = Arc::new(ManualClock::new(crate::helpers::start_instant()));
        let open = spawn_app_on(&db, connector.clone(), Arc::clone(&clock), |_| {}).await;
        let a = open.conversation("before-auth");
        let echo = open.say(&a, "remind me in 10 minutes to stretch").await;
        assert!(echo[0].starts_with("I'll remind you"), "{echo:?}");
        open.stop().await;

        let issuer = FakeIssuer::start().await;
        let app = spawn_app_on(&db, connector.clone(), Arc::clone(&clock), |s| issuer.configure(s)).await;
        app.advance(Duration::minutes(10));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        let letter = loop {
            let (_, letters) = app.api("GET", "/dead-letters", None).await;
            if let Some(letter) = letters["items"].as_array().and_then(|items| items.first().cloned()) {
                break letter;
            }
            assert!(tokio::time::Instant::now() < deadline, "the reminder was never refused");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert!(letter["lastError"].as_str().unwrap().contains("authenticated activity"), "{letter}");
        assert!(connector.to(&a.id).iter().all(|r| !r.is_proactive()), "nothing went to an unvouched URL");

        // The conversation speaks with a valid token: its reference is learnt
        // again, vouched for, and the next reminder arrives.
        let next = a.message("remind me in 10 minutes to drink water");
        assert_eq!(post_token(&app, &next, &sign(1, "key-1", &channel_claims(&app))).await, 200);
        assert!(app.replies_to(&next)[0].starts_with("I'll remind you"), "{:?}", app.replies_to(&next));
        app.advance(Duration::minutes(10));
        let fired = connector
            .wait_for("the vouched reminder", |r| r.is_proactive() && r.conversation_id == a.id)
            .await;
        assert_eq!(fired.text(), "⏰ drink water");
    }
}
