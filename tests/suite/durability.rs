//! Jobs and queued notifications survive restarts, graceful or not.

use std::time::Duration;

use herald::domain::ports::{OutboxId, OutboxState};

use crate::helpers::{
    ConnectorBehaviour, FakeConnector, HeraldProcess, herald_command, spawn_app_with,
};
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
        // Killed while the connector holds the notification unanswered.
        let held = connector.wait_for_hanging("the notification in flight", |r| r.is_proactive()).await;
        assert_eq!(held.text(), "Your queued job 1 just completed.");
        first.child.kill().await.unwrap();
        assert!(connector.to(&a.id).iter().all(|r| !r.is_proactive()));

        connector.set_behaviour(ConnectorBehaviour::Accept);
        let _second = HeraldProcess::start(&db, &env).await;
        let notice = connector.wait_for("the notification after kill -9", |r| r.is_proactive()).await;
        assert_eq!(notice.text(), "Your queued job 1 just completed.");
    }
}

on_both_backends! {
    async fn a_process_killed_while_firing_loses_and_repeats_nothing(db: TestDatabase) {
        let migrated = herald_command(&db).arg("migrate").status().await.unwrap();
        assert!(migrated.success());
        let store = crate::store::open(&db).await;
        let conversation = store
            .upsert_conversation(&crate::store::record("crash"), chrono::Utc::now())
            .await
            .unwrap();
        const TRIGGERS: i64 = 40_000;
        db.seed_due_timers(conversation.0, TRIGGERS, chrono::Utc::now() - chrono::Duration::seconds(1)).await;
        // Small batches, so the kill lands while batches are being written.
        let env = [("HERALD__SCHEDULER__BATCH_SIZE", "200"), ("HERALD__DELIVERY__ENABLED", "false")];

        let mut first = HeraldProcess::start(&db, &env).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let (_, _, queued) = db.firing_tally().await;
            if queued > 0 {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "nothing fired");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        first.child.kill().await.unwrap();
        let (active, completed, queued) = db.firing_tally().await;
        assert!(queued < TRIGGERS, "the kill came too late to interrupt firing ({queued} fired)");
        // Every committed firing is whole: its outbox row and its trigger's completion.
        assert_eq!((completed, queued), (queued, queued));
        assert_eq!(active + completed, TRIGGERS);

        let _second = HeraldProcess::start(&db, &env).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let (active, completed, queued) = db.firing_tally().await;
            if active == 0 {
                assert_eq!((completed, queued), (TRIGGERS, TRIGGERS), "each fired exactly once");
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "{active} never fired after the restart");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let fired = db.fired_occurrences().await;
        let mut triggers: Vec<i64> = fired.iter().map(|(id, _)| *id).collect();
        triggers.dedup();
        assert_eq!(triggers.len() as i64, TRIGGERS);
    }
}
