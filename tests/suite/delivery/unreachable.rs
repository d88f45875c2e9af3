//! Unreachable conversations: a 403 (the bot blocked) until the conversation
//! speaks again, and the bot removed or uninstalled.

use chrono::Duration;
use herald::domain::ports::{OutboxId, OutboxState};

use super::{metrics_text, wait_for_state};
use crate::helpers::{ConnectorBehaviour, TestApp, spawn_app};
use crate::on_both_backends;

async fn trigger_state(app: &TestApp, id: i64) -> String {
    let (status, body) = app.api("GET", &format!("/triggers/{id}"), None).await;
    assert_eq!(status, 200, "{body}");
    body["state"].as_str().unwrap().to_owned()
}

/// An hourly reminder for `conversation`, created through the API; returns its id.
async fn hourly_reminder(app: &TestApp, conversation: &crate::helpers::Conversation) -> i64 {
    let body = serde_json::json!({
        "conversation": {"channelId": "emulator", "id": conversation.id},
        "text": "hourly",
        "schedule": {"every": "1h", "start": "2026-11-22T11:00:00Z"},
    });
    let (status, created) = app.api("POST", "/triggers", Some(&body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

on_both_backends! {
    async fn a_blocked_conversation_is_unreachable_until_it_speaks_again(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let connector = app.connector.clone();
        let a = app.conversation("blocked");
        let b = app.conversation("fine");
        app.say(&a, "run").await; // job 1
        app.say(&b, "run").await; // job 2
        app.say(&a, "run").await; // job 3
        let reminder = hourly_reminder(&app, &a).await;
        connector.set_behaviour_for(&a.id, ConnectorBehaviour::Blocked);

        for job in [1, 2, 3] {
            let (status, _) = app.api("POST", &format!("/jobs/{job}/complete"), None).await;
            assert_eq!(status, 200);
        }
        connector.wait_for("B's notice", |r| r.is_proactive() && r.conversation_id == b.id).await;
        let dead = wait_for_state(&app, OutboxId(1), OutboxState::Dead).await;
        assert!(dead.last_error.as_deref().unwrap().contains("ConversationBlockedByUser"), "{dead:?}");
        // The message queued behind it is a dead letter too, with the reason.
        let behind = wait_for_state(&app, OutboxId(3), OutboxState::Dead).await;
        assert!(behind.last_error.as_deref().unwrap().contains("unreachable"), "{behind:?}");
        assert_eq!(trigger_state(&app, reminder).await, "paused");
        let attempts_to_a = connector.requests();

        // Nothing more is sent to it: the reminder does not fire, new notices are dead letters.
        app.advance(Duration::hours(3));
        app.say(&b, "run").await; // job 4
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;

        let (status, listed) = app.api("GET", "/dead-letters?channelId=emulator&conversationId=x", None).await;
        assert_eq!((status, &listed["items"]), (200, &serde_json::json!([])), "an unknown conversation has none");
        let path = format!("/dead-letters?channelId=emulator&conversationId={}", urlencode(&a.id));
        let (status, listed) = app.api("GET", &path, None).await;
        assert_eq!(status, 200, "{listed}");
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{listed}");
        assert_eq!(items[0]["conversation"]["id"], a.id.as_str());
        assert!(items[0]["lastError"].as_str().unwrap().contains("403"));
        let (status, refused) = app.api("POST", "/dead-letters/1/retry", None).await;
        assert_eq!(status, 409, "{refused}");
        assert_eq!(refused["error"]["code"], "conversation_unreachable");

        // The user unblocks the bot and writes: reachable again, the reminder resumes.
        connector.set_behaviour_for(&a.id, ConnectorBehaviour::Accept);
        let replies = app.say(&a, "help").await;
        assert_eq!(replies.len(), 1, "answered again");
        assert_eq!(trigger_state(&app, reminder).await, "active");
        let (status, retried) = app.api("POST", "/dead-letters/1/retry", None).await;
        assert_eq!(status, 200, "{retried}");
        assert_eq!(retried["state"], "pending");
        let notice = connector
            .wait_for("the retried notice", |r| r.is_proactive() && r.conversation_id == a.id)
            .await;
        assert_eq!(notice.text(), "Your queued job 1 just completed.");
        assert!(connector.requests() > attempts_to_a);
        let (_, metrics) = metrics_text(&app).await;
        assert!(
            metrics.contains(r#"herald_conversations_unreachable_total{channel="emulator"} 1"#),
            "{metrics}"
        );
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

on_both_backends! {
    async fn removing_or_uninstalling_the_bot_stops_sending_at_once(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("removed");
        app.say(&a, "hello").await;
        let reminder = hourly_reminder(&app, &a).await;

        app.send(&a.bot_removed()).await;
        assert_eq!(trigger_state(&app, reminder).await, "paused");
        let requests = app.connector.requests();
        app.advance(Duration::hours(2));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.connector.requests(), requests, "nothing sent to a conversation without the bot");

        // Added back: reachable, the reminder resumes from now.
        app.send(&a.members_added(serde_json::json!([{"id": "herald-bot"}]))).await;
        assert_eq!(trigger_state(&app, reminder).await, "active");

        app.send(&a.installation("remove")).await;
        assert_eq!(trigger_state(&app, reminder).await, "paused");
        app.say(&a, "hello again").await;
        assert_eq!(trigger_state(&app, reminder).await, "active");
        // A person pausing it is not undone by the conversation speaking.
        let (status, _) = app.api("POST", &format!("/triggers/{reminder}/pause"), None).await;
        assert_eq!(status, 200);
        app.send(&a.bot_removed()).await;
        app.say(&a, "back").await;
        assert_eq!(trigger_state(&app, reminder).await, "paused");
    }
}
