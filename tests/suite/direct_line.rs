//! Direct Line 3.0 as Microsoft's clients expect it: its error codes on every
//! refusal, the session id Web Chat asks for, a stale watermark answered with
//! the log's real end, the start body's locale.

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{FakeConnector, spawn_app_with};
use crate::on_both_backends;
use crate::webchat::{activities, request, start};

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

on_both_backends! {
    async fn refusals_carry_direct_lines_own_codes(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let a = start(&app, None).await;
        let b = start(&app, None).await;
        let activities_of = |id: &str| format!("/conversations/{id}/activities");

        let (status, body) = request(&app, "GET", &activities_of(&a.id), None, None).await;
        assert_eq!((status, code(&body)), (401, Some("Unauthorized")), "{body}");
        let (status, body) = request(&app, "GET", &activities_of(&a.id), Some("made-up"), None).await;
        assert_eq!((status, code(&body)), (401, Some("Unauthorized")), "{body}");
        let (status, body) = request(&app, "GET", &activities_of(&b.id), Some(&a.token), None).await;
        assert_eq!((status, code(&body)), (403, Some("Forbidden")), "{body}");
        let (status, body) = request(&app, "GET", &format!("{}?watermark=soon", activities_of(&a.id)), Some(&a.token), None).await;
        assert_eq!((status, code(&body)), (400, Some("BadArgument")), "{body}");
        let (status, body) = request(&app, "POST", &activities_of(&a.id), Some(&a.token), Some(json!({"type": 7}))).await;
        assert_eq!((status, code(&body)), (400, Some("BadArgument")), "{body}");
        let (status, body) = request(&app, "GET", "/conversations/x/nothing-here", Some(&a.token), None).await;
        assert_eq!((status, code(&body)), (404, Some("NotFound")), "{body}");
        // Herald's own API keeps its own codes.
        let (status, body) = app.api("GET", "/triggers/999", None).await;
        assert_eq!((status, code(&body)), (404, Some("not_found")), "{body}");
    }
}

on_both_backends! {
    async fn a_token_has_one_session_id_and_a_stale_watermark_gets_the_real_end(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let a = start(&app, None).await;
        let b = start(&app, None).await;

        let (status, first) = request(&app, "GET", "/session/getsessionid", Some(&a.token), None).await;
        assert_eq!(status, 200, "{first}");
        let session = first["sessionId"].as_str().unwrap().to_owned();
        assert!(session.len() >= 16 && !session.contains(&a.token), "{session}");
        let (_, again) = request(&app, "GET", "/session/getsessionid", Some(&a.token), None).await;
        assert_eq!(again["sessionId"], session.as_str(), "bound to the token");
        let (_, other) = request(&app, "GET", "/session/getsessionid", Some(&b.token), None).await;
        assert_ne!(other["sessionId"], session.as_str());
        let (status, body) = request(&app, "GET", "/session/getsessionid", None, None).await;
        assert_eq!((status, code(&body)), (401, Some("Unauthorized")), "{body}");

        // The log holds the greeting (watermark 1): a client that kept a
        // watermark from elsewhere hears where the log really ends.
        let (nothing, end) = activities(&app, &a, "999").await;
        assert!(nothing.is_empty(), "{nothing:?}");
        assert_eq!(end, "1");
        let (status, body) = request(&app, "GET", &format!("/conversations/{}?watermark=999", a.id), Some(&a.token), None).await;
        assert_eq!(status, 200, "{body}");
        let stream_url = body["streamUrl"].as_str().unwrap();
        assert!(stream_url.contains("watermark=1&"), "{stream_url}");

        // A stream opened from past the end still hears what comes next
        // (the message itself may land just before the stream follows: its
        // answer comes after, whichever way that race goes).
        let stale = a.stream_url.replace("watermark=&", "watermark=999&");
        let (mut socket, _) = tokio_tungstenite::connect_async(stale.as_str()).await.unwrap();
        crate::webchat::say(&app, &a, "help").await;
        let answer = loop {
            let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
                .await
                .expect("the answer within 10 s")
                .expect("the stream is open")
                .unwrap();
            let Message::Text(text) = message else { continue };
            if text.is_empty() {
                continue;
            }
            let frame = serde_json::from_str::<Value>(&text).unwrap();
            let activities = frame["activities"].as_array().unwrap().clone();
            if let Some(answer) = activities.into_iter().find(|a| a["from"]["role"] == "bot") {
                break answer;
            }
        };
        assert!(answer["text"].as_str().unwrap().starts_with("Here is what I can do"), "{answer}");
    }
}

on_both_backends! {
    async fn a_conversation_started_in_french_is_greeted_in_french(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let (status, started) = request(&app, "POST", "/conversations", None, Some(json!({"locale": "fr-FR"}))).await;
        assert_eq!(status, 201, "{started}");
        let chat = crate::webchat::Chat {
            id: started["conversationId"].as_str().unwrap().to_owned(),
            token: started["token"].as_str().unwrap().to_owned(),
            stream_url: String::new(),
        };
        let (greeting, _) = activities(&app, &chat, "").await;
        assert!(greeting[0]["text"].as_str().unwrap().starts_with("Bienvenue"), "{greeting:?}");
    }
}
