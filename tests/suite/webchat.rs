//! Herald's own web chat over Direct Line 3.0: conversations started without
//! a secret on loopback (or with one), tokens scoped to one conversation,
//! refreshed and expiring, activities in order from a watermark by polling
//! and over a WebSocket, and proactive reminders arriving on the stream.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use std::sync::Arc;

use herald::domain::clock::ManualClock;

use crate::helpers::{FakeConnector, TestApp, TestDatabase, spawn_app_on, spawn_app_with};
use crate::on_both_backends;

pub(crate) const SECRET: &str = "a-direct-line-secret-of-32-chars-or-more";

pub(crate) struct Chat {
    pub id: String,
    pub token: String,
    pub stream_url: String,
}

pub(crate) async fn request(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}/v3/directline{path}", app.address);
    let mut request = app.client.request(method.parse().unwrap(), url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn start(app: &TestApp, credential: Option<&str>) -> Chat {
    let (status, body) = request(app, "POST", "/conversations", credential, None).await;
    // 201 for a new conversation, 200 for the token's own.
    assert!(status == 201 || status == 200, "{status}: {body}");
    Chat {
        id: body["conversationId"].as_str().unwrap().to_owned(),
        token: body["token"].as_str().unwrap().to_owned(),
        stream_url: body["streamUrl"].as_str().unwrap().to_owned(),
    }
}

pub(crate) async fn say(app: &TestApp, chat: &Chat, text: &str) -> String {
    let (status, body) = request(
        app,
        "POST",
        &format!("/conversations/{}/activities", chat.id),
        Some(&chat.token),
        Some(json!({
            "type": "message", "text": text, "from": {"id": "dl_browser1", "name": "Ana"},
            "locale": "en-US", "localTimezone": "Europe/Lisbon",
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn activities(
    app: &TestApp,
    chat: &Chat,
    watermark: &str,
) -> (Vec<Value>, String) {
    let (status, body) = request(
        app,
        "GET",
        &format!(
            "/conversations/{}/activities?watermark={watermark}",
            chat.id
        ),
        Some(&chat.token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (
        body["activities"].as_array().unwrap().clone(),
        body["watermark"].as_str().unwrap().to_owned(),
    )
}

fn texts(activities: &[Value]) -> Vec<(String, String)> {
    activities
        .iter()
        .map(|a| {
            (
                a["from"]["role"].as_str().unwrap_or("").to_owned(),
                a["text"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

on_both_backends! {
    async fn a_loopback_conversation_starts_without_a_secret_and_keeps_its_order(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        assert!(chat.stream_url.starts_with("ws://127.0.0.1:"), "{}", chat.stream_url);
        let (greeting, watermark) = activities(&app, &chat, "").await;
        assert_eq!(greeting.len(), 1, "{greeting:?}");
        assert_eq!(greeting[0]["from"]["role"], "bot");
        assert!(greeting[0]["text"].as_str().unwrap().contains("remind me"), "{greeting:?}");

        let id = say(&app, &chat, "run").await;
        assert_eq!(id, format!("{}|0000002", chat.id));
        let (after, watermark) = activities(&app, &chat, &watermark).await;
        assert_eq!(
            texts(&after),
            vec![
                ("user".to_owned(), "run".to_owned()),
                ("bot".to_owned(), "We're starting job 1 for you. We'll notify you when it's complete.".to_owned()),
            ]
        );
        assert_eq!(after[0]["id"], id.as_str());
        assert_eq!(after[1]["replyToId"], id.as_str());
        // From the last watermark: nothing again.
        let (nothing, same) = activities(&app, &chat, &watermark).await;
        assert!(nothing.is_empty());
        assert_eq!(same, watermark);
        // From the beginning (a reloaded page): the whole history.
        let (all, _) = activities(&app, &chat, "").await;
        assert_eq!(all.len(), 3);
        // Starting again with its token resumes it (200, as Direct Line
        // answers for a conversation that exists), and greets nobody twice.
        let (status, _) = request(&app, "POST", "/conversations", Some(&chat.token), None).await;
        assert_eq!(status, 200);
        let again = start(&app, Some(&chat.token)).await;
        assert_eq!(again.id, chat.id);
        assert_eq!(activities(&app, &chat, "").await.0.len(), 3);
    }
}

on_both_backends! {
    async fn proactive_reminders_arrive_on_the_stream_and_resume_from_a_watermark(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        let (mut socket, _) = tokio_tungstenite::connect_async(chat.stream_url.as_str()).await.unwrap();
        let mut next = async |what: &str| -> Value {
            loop {
                let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
                    .await
                    .unwrap_or_else(|_| panic!("{what} in time"))
                    .expect("the stream is open")
                    .unwrap_or_else(|e| panic!("the stream failed: {e:?}"));
                if let Message::Text(text) = frame {
                    if !text.is_empty() {
                        return serde_json::from_str(&text).unwrap();
                    }
                }
            }
        };
        let greeting = next("the greeting").await;
        assert_eq!(greeting["watermark"], "1");
        say(&app, &chat, "remind me in 10 minutes to stretch").await;
        let mut seen = Vec::new();
        while seen.len() < 2 {
            seen.extend(next("the echo and the reply").await["activities"].as_array().unwrap().clone());
        }
        assert_eq!(seen[0]["text"], "remind me in 10 minutes to stretch");
        assert!(seen[1]["text"].as_str().unwrap().contains("stretch"));

        app.advance(chrono::Duration::minutes(10));
        let set = next("the reminder").await;
        let reminder = &set["activities"][0];
        assert_eq!(reminder["from"]["role"], "bot");
        assert!(reminder["text"].as_str().unwrap_or_default().contains("stretch")
            || reminder["attachments"].to_string().contains("stretch"), "{reminder}");
        assert!(reminder["attachments"].to_string().contains("Action.Submit"), "buttons: {reminder}");
        let watermark = set["watermark"].as_str().unwrap().to_owned();

        // A new socket from the watermark before the reminder gets it again, and only it.
        let before: i64 = watermark.parse::<i64>().unwrap() - 1;
        let url = chat.stream_url.replace("watermark=&", &format!("watermark={before}&"));
        let (mut again, _) = tokio_tungstenite::connect_async(url.as_str()).await.unwrap();
        let frame = tokio::time::timeout(Duration::from_secs(10), again.next()).await.unwrap().unwrap().unwrap();
        let resumed: Value = serde_json::from_str(frame.to_text().unwrap()).unwrap();
        assert_eq!(resumed["activities"].as_array().unwrap().len(), 1);
        assert_eq!(resumed["activities"][0]["id"], reminder["id"]);
    }
}

/// Two instances on one PostgreSQL: a browser streaming from one sees at once
/// what reaches its conversation through the other — announced by `NOTIFY`,
/// not found by the stream's look every 30 s (which the wait stays under).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn a_stream_hears_at_once_what_another_instance_appends() {
    let db = TestDatabase::postgres("webchat_across_instances").await;
    let connector = FakeConnector::start().await;
    let clock = Arc::new(ManualClock::new(crate::helpers::start_instant()));
    let first = spawn_app_on(&db, connector.clone(), Arc::clone(&clock), |_| {}).await;
    let second = spawn_app_on(&db, connector.clone(), Arc::clone(&clock), |_| {}).await;
    let chat = start(&first, None).await;
    assert!(
        chat.stream_url
            .contains(first.address.trim_start_matches("http://")),
        "{}",
        chat.stream_url
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(chat.stream_url.as_str())
        .await
        .unwrap();
    let mut seen: Vec<Value> = Vec::new();
    let mut until = async |count: usize, what: &str| {
        while seen.len() < count {
            let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
                .await
                .unwrap_or_else(|_| panic!("{what} within 10 s (the stream's own look is 30 s)"))
                .expect("the stream is open")
                .unwrap();
            if let Message::Text(text) = frame {
                if !text.is_empty() {
                    let set: Value = serde_json::from_str(&text).unwrap();
                    seen.extend(set["activities"].as_array().unwrap().clone());
                }
            }
        }
        seen.clone()
    };
    until(1, "the greeting").await;
    // The message goes to the other instance, which appends it and the reply.
    say(&second, &chat, "remind me in 10 minutes to stretch").await;
    let seen = until(
        3,
        "the message and its reply, appended by the other instance",
    )
    .await;
    assert_eq!(seen[1]["text"], "remind me in 10 minutes to stretch");
    assert!(
        seen[2]["text"].as_str().unwrap().contains("stretch"),
        "{seen:?}"
    );
}

on_both_backends! {
    async fn tokens_open_one_conversation_refresh_and_expire(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let a = start(&app, None).await;
        let b = start(&app, None).await;
        let (status, _) = request(&app, "GET", &format!("/conversations/{}/activities", b.id), Some(&a.token), None).await;
        assert_eq!(status, 403, "a's token does not open b");
        let (status, _) = request(&app, "GET", &format!("/conversations/{}/activities", a.id), None, None).await;
        assert_eq!(status, 401);
        let (status, _) = request(&app, "GET", &format!("/conversations/{}/activities", a.id), Some("made-up"), None).await;
        assert_eq!(status, 401);

        let (status, refreshed) = request(&app, "POST", "/tokens/refresh", Some(&a.token), None).await;
        assert_eq!(status, 200, "{refreshed}");
        assert_eq!(refreshed["conversationId"], a.id.as_str());
        let fresh = refreshed["token"].as_str().unwrap().to_owned();
        assert_ne!(fresh, a.token);

        // Past the lifetime (30 min) the first token is refused; the refreshed one,
        // refreshed again before it expires, goes on.
        app.advance(chrono::Duration::minutes(20));
        let (status, again) = request(&app, "POST", "/tokens/refresh", Some(&fresh), None).await;
        assert_eq!(status, 200);
        let latest = again["token"].as_str().unwrap().to_owned();
        app.advance(chrono::Duration::minutes(15));
        let (status, body) = request(&app, "GET", &format!("/conversations/{}/activities", a.id), Some(&a.token), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("TokenExpired")), "expired, as Direct Line says it");
        let (status, body) = request(&app, "POST", "/tokens/refresh", Some(&a.token), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("TokenExpired")));
        // expires_in is what the token has left, not the configured lifetime.
        let (status, body) = request(&app, "GET", &format!("/conversations/{}", a.id), Some(&latest), None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["expires_in"], 15 * 60, "{body}");
        let (status, _) = request(&app, "GET", &format!("/conversations/{}/activities", a.id), Some(&latest), None).await;
        assert_eq!(status, 200);
        // A day later housekeeping has forgotten it: unknown, 401.
        app.advance(chrono::Duration::days(1));
        let now = herald::domain::clock::Clock::now(app.clock.as_ref());
        app.store.prune_webchat_tokens(now - herald::webchat::EXPIRED_TOKEN_GRACE).await.unwrap();
        let (status, _) = request(&app, "GET", &format!("/conversations/{}/activities", a.id), Some(&a.token), None).await;
        assert_eq!(status, 401);

        // A token made by tokens/generate starts its own conversation.
        let (status, generated) = request(&app, "POST", "/tokens/generate", None, None).await;
        assert_eq!(status, 200, "{generated}");
        let chat = start(&app, generated["token"].as_str()).await;
        assert_eq!(chat.id, generated["conversationId"].as_str().unwrap());
    }
}

on_both_backends! {
    async fn with_a_secret_nothing_starts_without_it(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |settings| {
            settings.webchat.secret = SECRET.to_owned().into();
        })
        .await;
        let (status, _) = request(&app, "POST", "/conversations", None, None).await;
        assert_eq!(status, 401);
        let (status, _) = request(&app, "POST", "/tokens/generate", Some("wrong"), None).await;
        assert_eq!(status, 401);
        let chat = start(&app, Some(SECRET)).await;
        say(&app, &chat, "help").await;
        // A conversation's token cannot make tokens for new ones.
        let (status, _) = request(&app, "POST", "/tokens/generate", Some(&chat.token), None).await;
        assert_eq!(status, 403);
    }
}

on_both_backends! {
    async fn only_the_direct_line_endpoint_speaks_for_web_chat(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let (status, body) = app
            .post(&json!({
                "type": "message", "id": "m1", "text": "run", "channelId": "webchat",
                "serviceUrl": "http://webchat.herald.invalid/",
                "conversation": {"id": "someone-elses"}, "from": {"id": "mallory"},
                "recipient": {"id": "herald"},
            }))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains("web chat"), "{body}");
        // Bad activities are refused before they join the log.
        let chat = start(&app, None).await;
        let (status, _) = request(&app, "POST", &format!("/conversations/{}/activities", chat.id),
            Some(&chat.token), Some(json!({"text": "no type"}))).await;
        assert_eq!(status, 400);
        assert_eq!(activities(&app, &chat, "").await.0.len(), 1, "only the greeting");
    }
}

on_both_backends! {
    async fn web_chat_is_off_when_settings_say_so(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |settings| {
            settings.webchat.enabled = herald::config::WebchatMode::Off;
        })
        .await;
        let (status, _) = request(&app, "POST", "/conversations", None, None).await;
        assert_eq!(status, 404);
    }
}

on_both_backends! {
    async fn forget_me_clears_the_transcript_and_idle_chats_are_pruned(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        say(&app, &chat, "remind me in 10 minutes to stretch").await;
        let (status, body) = request(&app, "POST", &format!("/conversations/{}/activities", chat.id),
            Some(&chat.token), Some(json!({
                "type": "message", "from": {"id": "dl_browser1"},
                "value": {"herald": "forgetMe", "confirm": true, "lang": "en"},
            }))).await;
        assert_eq!(status, 200, "{body}");
        let (left, watermark) = activities(&app, &chat, "").await;
        assert_eq!(left.len(), 1, "only the confirmation is left: {left:?}");
        assert_eq!(left[0]["from"]["role"], "bot");
        assert_eq!(watermark, "5", "numbering goes on after the cleared activities");

        // Idle past the retention: the whole conversation goes, tokens included.
        let other = start(&app, None).await;
        let pruned = app
            .store
            .prune_webchat_conversations(herald::domain::clock::Clock::now(app.clock.as_ref()) + chrono::Duration::seconds(1))
            .await
            .unwrap();
        assert_eq!(pruned, 2);
        let (status, _) = request(&app, "GET", &format!("/conversations/{}/activities", other.id), Some(&other.token), None).await;
        assert_eq!(status, 401, "its token went with it");
    }
}
