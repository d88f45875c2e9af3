//! Dead letters: what can never succeed (rejected, exhausted, a connector
//! nobody listens on) and the dead-letter API's checks.

use chrono::Duration;
use herald::domain::ports::{OutboxId, OutboxState};

use super::{AllOutbox, drive, metrics_text, wait_for_attempts, wait_for_state};
use crate::helpers::{ConnectorBehaviour, FakeConnector, spawn_app, spawn_app_with};
use crate::on_both_backends;

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

on_both_backends! {
    async fn a_message_whose_stored_notification_is_unreadable_is_dead_lettered_not_sent(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| s.delivery.backoff_base_ms = 1000).await;
        let a = app.conversation("unreadable");
        app.say(&a, "run").await;
        // Held back by a failing connector, then spoilt where it is stored.
        connector.set_behaviour(ConnectorBehaviour::Fail(502));
        app.say(&a, "done 1").await;
        wait_for_attempts(&app, OutboxId(1), 1).await;
        db.execute_unchecked(r#"UPDATE outbox SET payload = '{"kind":"nonsense"}' WHERE id = 1"#).await;
        let tried = connector.received().iter().filter(|r| r.is_proactive()).count();
        connector.set_behaviour(ConnectorBehaviour::Accept);
        app.advance(Duration::seconds(5));
        let dead = wait_for_state(&app, OutboxId(1), OutboxState::Dead).await;
        assert!(dead.last_error.unwrap().contains("unreadable notification"));
        let sent = connector.received().iter().filter(|r| r.is_proactive()).count();
        assert_eq!(sent, tried, "nothing more went to the connector");
    }
}
