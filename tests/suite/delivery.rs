//! Proactive delivery from the outbox: retries with backoff on the injected
//! clock, `Retry-After`, and dead letters for what can never succeed.

use chrono::Duration;
use herald::domain::ports::{OutboxEntry, OutboxId, OutboxState};

use crate::helpers::{ConnectorBehaviour, FakeConnector, TestApp, spawn_app_with};
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
