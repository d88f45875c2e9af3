//! Proactive delivery from the outbox: retries with backoff on the injected
//! clock, `Retry-After` (and backoff without it), a connector failing half the
//! time, dead letters for what can never succeed and their API, unreachable
//! conversations (403, the bot removed or uninstalled) and `/metrics`.

use chrono::Duration;
use herald::domain::ports::{OutboxEntry, OutboxId, OutboxState};

use crate::helpers::{ConnectorBehaviour, FakeConnector, TestApp, spawn_app, spawn_app_with};
use crate::on_both_backends;

async fn wait_for_state(app: &TestApp, id: OutboxId, state: OutboxState) -> OutboxEntry {
    app.wait_for_outbox(id, state.as_str(), |e| e.state == state)
        .await
}

async fn wait_for_attempts(app: &TestApp, id: OutboxId, attempts: u32) {
    app.wait_for_outbox(id, "attempted", |e| e.attempts >= attempts)
        .await;
}

on_both_backends! {
    async fn failed_sends_are_retried_with_backoff_until_accepted(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| {
            s.delivery.backoff_base_ms = 60_000;
            s.delivery.backoff_max_secs = 600;
        })
        .await;
        let a = app.conversation("retry");
        app.say(&a, "run").await;
        connector.set_behaviour(ConnectorBehaviour::Fail(503));
        app.say(&a, "done 1").await; // the reply fails too, which must not matter
        let outbox = OutboxId(1);
        wait_for_attempts(&app, outbox, 1).await;
        let entry = app.store.outbox_entry(outbox).await.unwrap().unwrap();
        assert_eq!(entry.state, OutboxState::Pending);
        assert!(entry.last_error.as_deref().unwrap().contains("503"), "{entry:?}");

        // Not before the backoff (at least 30 s of the first 60 s ceiling) has passed.
        connector.set_behaviour(ConnectorBehaviour::Accept);
        app.advance(Duration::seconds(10));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(connector.to(&a.id).iter().all(|r| !r.is_proactive()), "retried too early");

        app.advance(Duration::seconds(60));
        let notice = connector.wait_for("the retried notification", |r| r.is_proactive()).await;
        assert_eq!(notice.text(), "Your queued job 1 just completed.");
        let sent = wait_for_state(&app, outbox, OutboxState::Sent).await;
        assert_eq!(sent.attempts, 2);
    }
}

on_both_backends! {
    async fn throttled_sends_wait_for_retry_after(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| s.delivery.backoff_base_ms = 10).await;
        let a = app.conversation("throttle");
        app.say(&a, "run").await;
        connector.set_behaviour(ConnectorBehaviour::Throttle(120));
        app.say(&a, "done 1").await;
        wait_for_attempts(&app, OutboxId(1), 1).await;
        connector.set_behaviour(ConnectorBehaviour::Accept);
        // The tiny backoff would have allowed a retry by now; Retry-After does not.
        app.advance(Duration::seconds(100));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(connector.to(&a.id).iter().all(|r| !r.is_proactive()), "Retry-After ignored");
        app.advance(Duration::seconds(21));
        connector.wait_for("the notification after Retry-After", |r| r.is_proactive()).await;
    }
}

on_both_backends! {
    async fn rejected_and_exhausted_messages_are_dead_lettered(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| {
            s.delivery.max_attempts = 2;
            s.delivery.backoff_base_ms = 1000;
        })
        .await;
        let a = app.conversation("dead");
        app.say(&a, "run").await;
        app.say(&a, "run").await;

        connector.set_behaviour(ConnectorBehaviour::Fail(400));
        app.say(&a, "done 1").await;
        let dead = wait_for_state(&app, OutboxId(1), OutboxState::Dead).await;
        assert_eq!(dead.attempts, 1, "a 400 is not retried");
        assert!(dead.last_error.unwrap().contains("400"));

        connector.set_behaviour(ConnectorBehaviour::Fail(502));
        app.say(&a, "done 2").await;
        wait_for_attempts(&app, OutboxId(2), 1).await;
        app.advance(Duration::seconds(5));
        let dead = wait_for_state(&app, OutboxId(2), OutboxState::Dead).await;
        assert_eq!(dead.attempts, 2);
        assert!(dead.last_error.unwrap().contains("gave up after 2 attempts"));
    }
}

/// Steps the clock by `step` until `done` holds (or 30 s of real time pass).
async fn drive(app: &TestApp, step: Duration, what: &str, done: impl AsyncFnPredicate) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done.holds(app).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out driving the clock until {what}"
        );
        app.advance(step);
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// A condition on the app that needs to await (the store, the API).
trait AsyncFnPredicate {
    async fn holds(&self, app: &TestApp) -> bool;
}

/// Every outbox row up to `last` is in `state`.
struct AllOutbox {
    last: i64,
    state: OutboxState,
}

impl AsyncFnPredicate for AllOutbox {
    async fn holds(&self, app: &TestApp) -> bool {
        for id in 1..=self.last {
            match app.store.outbox_entry(OutboxId(id)).await.unwrap() {
                Some(entry) if entry.state == self.state => {}
                _ => return false,
            }
        }
        true
    }
}

/// Starts `count` jobs in `conversation` and completes them through the API,
/// queuing one notification each (outbox rows 1..=count).
async fn queue_job_notices(app: &TestApp, conversation: &crate::helpers::Conversation, count: i64) {
    for _ in 0..count {
        app.say(conversation, "run").await;
    }
    for id in 1..=count {
        let (status, body) = app.api("POST", &format!("/jobs/{id}/complete"), None).await;
        assert_eq!(status, 200, "{body}");
    }
}

on_both_backends! {
    async fn a_connector_failing_half_the_sends_loses_nothing(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| {
            s.delivery.backoff_base_ms = 1000;
            s.delivery.backoff_max_secs = 4;
            s.delivery.max_attempts = 20;
        })
        .await;
        let a = app.conversation("flaky");
        connector.set_behaviour(ConnectorBehaviour::FailHalf);
        queue_job_notices(&app, &a, 10).await;
        drive(&app, Duration::seconds(2), "all are sent", AllOutbox { last: 10, state: OutboxState::Sent }).await;
        let notices: Vec<String> = connector
            .to(&a.id)
            .iter()
            .filter(|r| r.is_proactive())
            .map(|r| r.text().to_owned())
            .collect();
        let expected: Vec<String> =
            (1..=10).map(|id| format!("Your queued job {id} just completed.")).collect();
        assert_eq!(notices, expected, "each once, in order");
        let retried: u32 = {
            let mut total = 0;
            for id in 1..=10 {
                total += app.store.outbox_entry(OutboxId(id)).await.unwrap().unwrap().attempts - 1;
            }
            total
        };
        assert!(retried >= 5, "half the sends failed, yet only {retried} retries");
    }
}

on_both_backends! {
    async fn a_429_without_retry_after_backs_off_exponentially(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| {
            s.delivery.backoff_base_ms = 60_000;
            s.delivery.backoff_max_secs = 3600;
        })
        .await;
        let a = app.conversation("throttled");
        app.say(&a, "run").await;
        connector.set_behaviour(ConnectorBehaviour::ThrottleWithoutRetryAfter);
        let (status, _) = app.api("POST", "/jobs/1/complete", None).await;
        assert_eq!(status, 200);
        wait_for_attempts(&app, OutboxId(1), 1).await;
        // The second attempt comes 30–60 s later, the third 60–120 s after it.
        app.advance(Duration::seconds(29));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.store.outbox_entry(OutboxId(1)).await.unwrap().unwrap().attempts, 1);
        app.advance(Duration::seconds(32));
        wait_for_attempts(&app, OutboxId(1), 2).await;
        app.advance(Duration::seconds(59));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.store.outbox_entry(OutboxId(1)).await.unwrap().unwrap().attempts, 2);
        connector.set_behaviour(ConnectorBehaviour::Accept);
        app.advance(Duration::seconds(62));
        wait_for_state(&app, OutboxId(1), OutboxState::Sent).await;
        let (_, metrics) = metrics_text(&app).await;
        assert!(
            metrics.contains(r#"herald_messages_throttled_total{channel="emulator",by="channel"} 2"#),
            "{metrics}"
        );
        assert!(metrics.contains(r#"herald_messages_sent_total{channel="emulator"} 1"#), "{metrics}");
    }
}

async fn metrics_text(app: &TestApp) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

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

on_both_backends! {
    async fn dead_letter_requests_are_checked(db: TestDatabase) {
        let app = spawn_app(&db).await;
        for (path, problem) in [
            ("/dead-letters?limit=0", "limit"),
            ("/dead-letters?limit=abc", "limit"),
            ("/dead-letters?cursor=-4", "cursor"),
            ("/dead-letters?bogus=1", "bogus"),
            ("/dead-letters?channelId=emulator", "give both"),
        ] {
            let (status, body) = app.api("GET", path, None).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert!(body["error"]["message"].as_str().unwrap().contains(problem), "{path}: {body}");
        }
        let (status, body) = app.api("POST", "/dead-letters/abc/retry", None).await;
        assert_eq!(status, 400, "{body}");
        let (status, _) = app.api("POST", "/dead-letters/999/retry", None).await;
        assert_eq!(status, 404);
        // A message that was sent is no dead letter.
        let a = app.conversation("sent");
        app.say(&a, "run").await;
        app.say(&a, "done 1").await;
        wait_for_state(&app, OutboxId(1), OutboxState::Sent).await;
        let (status, _) = app.api("POST", "/dead-letters/1/retry", None).await;
        assert_eq!(status, 404);
        let (status, listed) = app.api("GET", "/dead-letters", None).await;
        assert_eq!(status, 200);
        assert_eq!(listed["items"], serde_json::json!([]));
        let (status, metrics) = metrics_text(&app).await;
        assert_eq!(status, 200);
        assert!(metrics.contains("herald_outbox_pending 0"), "{metrics}");
        assert!(metrics.ends_with("# EOF\n"), "{metrics}");
    }
}

on_both_backends! {
    async fn an_unreachable_connector_is_retried_then_dead_lettered(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.delivery.backoff_base_ms = 1000;
            s.delivery.max_attempts = 3;
        })
        .await;
        // A service on a loopback port nobody listens on: connections are refused.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let a = crate::helpers::Conversation::new("refused", &url);
        app.send(&a.message("run")).await;
        let (status, _) = app.api("POST", "/jobs/1/complete", None).await;
        assert_eq!(status, 200);
        wait_for_attempts(&app, OutboxId(1), 1).await;
        let entry = app.store.outbox_entry(OutboxId(1)).await.unwrap().unwrap();
        assert_eq!(entry.state, OutboxState::Pending, "a refused connection is worth retrying");
        assert!(entry.last_error.as_deref().unwrap().contains("cannot reach"), "{entry:?}");
        drive(&app, Duration::seconds(1), "it is given up on", AllOutbox { last: 1, state: OutboxState::Dead }).await;
        let dead = app.store.outbox_entry(OutboxId(1)).await.unwrap().unwrap();
        assert_eq!(dead.attempts, 3);
        assert!(dead.last_error.as_deref().unwrap().contains("gave up after 3 attempts"), "{dead:?}");
    }
}
