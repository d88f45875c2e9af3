//! Retries: backoff on the injected clock, `Retry-After` and backoff without
//! it, and a connector failing half the sends.

use chrono::Duration;
use herald::domain::ports::{OutboxId, OutboxState};

use super::{AllOutbox, drive, metrics_text, wait_for_attempts, wait_for_state};
use crate::helpers::{ConnectorBehaviour, FakeConnector, TestApp, spawn_app_with};
use crate::on_both_backends;

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
