//! Jobs and queued notifications survive restarts, graceful or not.

use std::time::Duration;

use herald::domain::ports::{OutboxId, OutboxState};

use crate::helpers::{ConnectorBehaviour, FakeConnector, HeraldProcess, spawn_app_with};
use crate::on_both_backends;

on_both_backends! {
    async fn jobs_survive_a_restart(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let first = spawn_app_with(&db, connector.clone(), |_| {}).await;
        let a = first.conversation("A");
        let b = first.conversation("B");
        first.say(&a, "run").await;
        first.stop().await;

        let second = spawn_app_with(&db, connector.clone(), |_| {}).await;
        assert_eq!(second.say(&b, "done 1").await, vec!["Job 1 completed. Notification sent to its conversation."]);
        let notice = connector.wait_for("A's notification after the restart", |r| r.is_proactive() && r.conversation_id == a.id).await;
        assert_eq!(notice.text(), "Your queued job 1 just completed.");
        // Ids continue where they stopped.
        assert_eq!(second.say(&a, "run").await, vec!["We're starting job 2 for you. We'll notify you when it's complete."]);
    }
}

on_both_backends! {
    async fn a_queued_notification_is_sent_after_a_restart(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let first = spawn_app_with(&db, connector.clone(), |_| {}).await;
        let a = first.conversation("A");
        first.say(&a, "run").await;
        connector.set_behaviour(ConnectorBehaviour::Fail(503));
        first.say(&a, "done 1").await;
        first.wait_for_outbox(OutboxId(1), "attempted", |e| e.attempts >= 1).await;
        first.stop().await;

        connector.set_behaviour(ConnectorBehaviour::Accept);
        let second = spawn_app_with(&db, connector.clone(), |_| {}).await;
        // The retry is due after the first instance's backoff.
        second.advance(chrono::Duration::minutes(10));
        connector.wait_for("the notification after the restart", |r| r.is_proactive()).await;
        second.wait_for_outbox(OutboxId(1), "sent", |e| e.state == OutboxState::Sent).await;
    }
}

on_both_backends! {
    async fn a_notification_being_sent_when_herald_is_killed_is_sent_after_restart(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let env = [
            ("HERALD__DELIVERY__LEASE_SECS", "1"),
            ("HERALD__DELIVERY__SEND_TIMEOUT_MS", "500"),
            ("HERALD__CHAT__REPLY_TIMEOUT_MS", "300"),
        ];
        let mut first = HeraldProcess::start(&db, &env).await;
        let address = first.address.clone();
        let client = reqwest::Client::new();
        let a = crate::helpers::Conversation::new("killed", &connector.url);
        for text in ["run", "done 1"] {
            if text == "done 1" {
                // The proactive send will hang: Herald is killed in the middle of it.
                connector.set_behaviour(ConnectorBehaviour::Hang);
            }
            let status = client.post(format!("{address}/api/messages")).json(&a.message(text)).send().await.unwrap().status();
            assert_eq!(status, 200);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        first.child.kill().await.unwrap();
        assert!(connector.to(&a.id).iter().all(|r| !r.is_proactive()));

        connector.set_behaviour(ConnectorBehaviour::Accept);
        let _second = HeraldProcess::start(&db, &env).await;
        let notice = connector.wait_for("the notification after kill -9", |r| r.is_proactive()).await;
        assert_eq!(notice.text(), "Your queued job 1 just completed.");
    }
}
