//! The outbox: one message per conversation in order, leases, retries, and
//! dead letters that keep their reason.

use chrono::Duration;
use herald::domain::notification::Notification;
use herald::domain::ports::{Completion, OutboxState};

use super::{completion, created, job, open, record, t0};
use crate::on_both_backends;

on_both_backends! {
    async fn the_outbox_hands_out_one_message_per_conversation_in_order(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let b = store.upsert_conversation(&record("b"), t0()).await.unwrap();
        let mut outbox_ids = Vec::new();
        for conversation in [a, a, b] {
            let id = created(store.create_job(job(conversation), t0()).await.unwrap());
            let Completion::Completed { outbox, .. } = store.complete_job(&completion(id, None), t0()).await.unwrap() else {
                panic!("not completed");
            };
            outbox_ids.push(outbox);
        }
        let lease = t0() + Duration::seconds(60);
        let first = store.claim_outbox(t0(), lease, 10).await.unwrap();
        assert_eq!(first.iter().map(|i| i.id).collect::<Vec<_>>(), vec![outbox_ids[0], outbox_ids[2]]);
        assert_eq!(first[0].conversation.key, a);
        assert_eq!(first[0].attempts, 0);
        assert_eq!(first[0].notification, Ok(Notification::JobCompleted { job_id: 1 }));
        // Claimed rows are leased: nobody else gets them, and a's second waits for its first.
        assert!(store.claim_outbox(t0(), lease, 10).await.unwrap().is_empty());

        store.mark_sent(outbox_ids[0], t0()).await.unwrap();
        let sent = store.outbox_entry(outbox_ids[0]).await.unwrap().unwrap();
        assert_eq!(sent.state, OutboxState::Sent);
        assert_eq!(sent.sent_at, Some(t0()));
        assert_eq!(sent.attempts, 1);
        let next = store.claim_outbox(t0(), lease, 10).await.unwrap();
        assert_eq!(next.iter().map(|i| i.id).collect::<Vec<_>>(), vec![outbox_ids[1]]);

        // b's lease expires without an outcome (a crashed sender): it is handed out again.
        let after_lease = lease + Duration::seconds(1);
        let again = store.claim_outbox(after_lease, after_lease + Duration::seconds(60), 10).await.unwrap();
        assert!(again.iter().any(|i| i.id == outbox_ids[2]));
    }
}

on_both_backends! {
    async fn a_message_whose_conversation_is_gone_is_dead_lettered_not_a_blocker(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let id = created(store.create_job(job(a), t0()).await.unwrap());
        let Completion::Completed { outbox, .. } = store.complete_job(&completion(id, None), t0()).await.unwrap() else {
            panic!("not completed");
        };
        db.execute_unchecked(&format!(
            "INSERT INTO outbox (conversation_key, payload, state, next_attempt_at, created_at)
             SELECT 4242, payload, 'pending', next_attempt_at, created_at FROM outbox WHERE id = {}",
            outbox.0
        ))
        .await;
        let claimed = store.claim_outbox(t0(), t0() + Duration::seconds(60), 10).await.unwrap();
        assert_eq!(claimed.iter().map(|i| i.id).collect::<Vec<_>>(), vec![outbox]);
        let orphan = herald::domain::ports::OutboxId(outbox.0 + 1);
        let dead = store.outbox_entry(orphan).await.unwrap().unwrap();
        assert_eq!(dead.state, OutboxState::Dead);
        assert!(dead.last_error.unwrap().contains("conversation is no longer known"));
        assert!(store.claim_outbox(t0(), t0() + Duration::seconds(60), 10).await.unwrap().is_empty());
    }
}

on_both_backends! {
    async fn retries_wait_and_dead_letters_keep_their_reason(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let b = store.upsert_conversation(&record("b"), t0()).await.unwrap();
        let mut outboxes = Vec::new();
        for conversation in [a, b] {
            let id = created(store.create_job(job(conversation), t0()).await.unwrap());
            let Completion::Completed { outbox, .. } = store.complete_job(&completion(id, None), t0()).await.unwrap() else {
                panic!("not completed");
            };
            outboxes.push(outbox);
        }
        let lease = t0() + Duration::seconds(60);
        assert_eq!(store.claim_outbox(t0(), lease, 10).await.unwrap().len(), 2);
        let retry_at = t0() + Duration::seconds(30);
        store.schedule_retry(outboxes[0], retry_at, "503 from connector").await.unwrap();
        store.mark_dead(outboxes[1], t0(), "400 bad request").await.unwrap();

        assert_eq!(store.next_outbox_due().await.unwrap(), Some(retry_at));
        assert!(store.claim_outbox(t0() + Duration::seconds(29), lease, 10).await.unwrap().is_empty());
        let retried = store.claim_outbox(retry_at, retry_at + Duration::seconds(60), 10).await.unwrap();
        assert_eq!(retried.len(), 1);
        assert_eq!(retried[0].attempts, 1);

        let dead = store.outbox_entry(outboxes[1]).await.unwrap().unwrap();
        assert_eq!(dead.state, OutboxState::Dead);
        assert_eq!(dead.last_error.as_deref(), Some("400 bad request"));
        let pending = store.outbox_entry(outboxes[0]).await.unwrap().unwrap();
        assert_eq!(pending.last_error.as_deref(), Some("503 from connector"));
    }
}
