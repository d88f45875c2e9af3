//! Jobs: short increasing ids never shared under concurrency, at most one per
//! activity within the window, listing by page and conversation, caps on open
//! jobs, and completion queueing exactly one notification.

use std::sync::Arc;

use chrono::Duration;
use herald::domain::conversation::ConversationKey;
use herald::domain::person::PersonRef;
use herald::domain::ports::{
    ActivityStamp, Completion, Created, LimitReached, NewJob, OpenLimits, OutboxState, PageRequest,
    Store,
};
use herald::domain::trigger::{TriggerId, TriggerState};

use super::{completion, created, job, open, record, t0};
use crate::on_both_backends;

on_both_backends! {
    async fn job_ids_are_short_increasing_numbers(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let ids: Vec<i64> = futures_ids(&store, a, 3).await;
        assert_eq!(ids, vec![1, 2, 3]);
    }
}

async fn futures_ids(store: &Arc<dyn Store>, conversation: ConversationKey, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(created(store.create_job(job(conversation), t0()).await.unwrap()).get());
    }
    ids
}

on_both_backends! {
    async fn concurrent_jobs_never_share_an_id(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let store = Arc::clone(&store);
            // All in the same instant, as two `run`s in the same millisecond.
            tasks.push(tokio::spawn(async move { store.create_job(job(a), t0()).await }));
        }
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(created(task.await.unwrap().unwrap()).get());
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 40);
    }
}

on_both_backends! {
    async fn an_activity_creates_at_most_one_job_within_the_window(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let b = store.upsert_conversation(&record("b"), t0()).await.unwrap();
        let stamp = |conversation, window_start| ActivityStamp {
            conversation,
            activity_id: "act-1",
            window_start,
        };
        let with = |s| NewJob { stamp: Some(s), ..job(a) };
        let window_start = t0() - Duration::hours(24);
        assert!(matches!(store.create_job(with(stamp(a, window_start)), t0()).await.unwrap(), Created::Created(_)));
        assert_eq!(store.create_job(with(stamp(a, window_start)), t0()).await.unwrap(), Created::Duplicate);
        // The same id in another conversation is another activity.
        let other = NewJob { stamp: Some(stamp(b, window_start)), ..job(b) };
        assert!(matches!(store.create_job(other, t0()).await.unwrap(), Created::Created(_)));
        // Past the window the id is handled anew.
        let later = t0() + Duration::hours(25);
        let later_stamp = stamp(a, later - Duration::hours(24));
        assert!(matches!(store.create_job(with(later_stamp), later).await.unwrap(), Created::Created(_)));
        let jobs = store.list_jobs(None, PageRequest { page: 1, size: 50 }).await.unwrap();
        assert_eq!(jobs.total, 3);
    }
}

on_both_backends! {
    async fn listing_pages_and_scopes_jobs(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a|livechat"), t0()).await.unwrap();
        let b = store.upsert_conversation(&record("b|livechat"), t0()).await.unwrap();
        for i in 0..25 {
            store.create_job(job(if i % 5 == 0 { b } else { a }), t0()).await.unwrap();
        }
        let first = store.list_jobs(None, PageRequest { page: 1, size: 20 }).await.unwrap();
        assert_eq!(first.total, 25);
        assert_eq!(first.items.len(), 20);
        assert_eq!(first.items[0].id.get(), 1);
        assert_eq!(first.items[0].conversation_id, "b|livechat");
        assert_eq!(first.items[1].conversation_id, "a|livechat");
        let second = store.list_jobs(None, PageRequest { page: 2, size: 20 }).await.unwrap();
        assert_eq!(second.items.iter().map(|j| j.id.get()).collect::<Vec<_>>(), (21..=25).collect::<Vec<_>>());
        let beyond = store.list_jobs(None, PageRequest { page: 9, size: 20 }).await.unwrap();
        assert!(beyond.items.is_empty());
        let only_b = store.list_jobs(Some(b), PageRequest { page: 1, size: 20 }).await.unwrap();
        assert_eq!(only_b.total, 5);
        assert!(only_b.items.iter().all(|j| j.conversation_id == "b|livechat"));
    }
}

on_both_backends! {
    async fn open_jobs_are_capped_per_conversation_and_per_user(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let b = store.upsert_conversation(&record("b"), t0()).await.unwrap();
        let limits = OpenLimits { per_conversation: 2, per_user: 3 };
        let capped = |conversation, owner| NewJob {
            conversation,
            owner: Some(PersonRef::new("emulator", owner)),
            stamp: None,
            limits,
        };
        let first = created(store.create_job(capped(a, "u1"), t0()).await.unwrap());
        created(store.create_job(capped(a, "u1"), t0()).await.unwrap());
        assert_eq!(
            store.create_job(capped(a, "u2"), t0()).await.unwrap(),
            Created::LimitReached(LimitReached::Conversation(2))
        );
        created(store.create_job(capped(b, "u1"), t0()).await.unwrap());
        assert_eq!(
            store.create_job(capped(b, "u1"), t0()).await.unwrap(),
            Created::LimitReached(LimitReached::User(3))
        );
        // The same id in another channel is another person, with a count of its own.
        let elsewhere = NewJob { owner: Some(PersonRef::new("webchat", "u1")), ..capped(b, "u1") };
        let limits = OpenLimits { per_conversation: 10, ..limits };
        created(store.create_job(NewJob { limits, ..elsewhere }, t0()).await.unwrap());
        // Completed jobs no longer count.
        store.complete_job(&completion(first, None), t0()).await.unwrap();
        created(store.create_job(capped(a, "u2"), t0()).await.unwrap());
    }
}

on_both_backends! {
    async fn completing_a_job_queues_its_notification_once(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let b = store.upsert_conversation(&record("b"), t0()).await.unwrap();
        let id = created(store.create_job(job(a), t0()).await.unwrap());

        // Scoped to another conversation, the job is not there.
        assert_eq!(store.complete_job(&completion(id, Some(b)), t0()).await.unwrap(), Completion::NotFound);

        let Completion::Completed { job_conversation, outbox } =
            store.complete_job(&completion(id, None), t0()).await.unwrap()
        else {
            panic!("not completed");
        };
        assert_eq!(job_conversation, a);
        let entry = store.outbox_entry(outbox).await.unwrap().unwrap();
        assert_eq!(entry.state, OutboxState::Pending);
        assert_eq!(entry.conversation, a);
        assert_eq!(entry.trigger, Some(id));

        assert_eq!(store.complete_job(&completion(id, None), t0()).await.unwrap(), Completion::AlreadyCompleted);
        let missing = TriggerId::new(4242).unwrap();
        assert_eq!(store.complete_job(&completion(missing, None), t0()).await.unwrap(), Completion::NotFound);

        let jobs = store.list_jobs(None, PageRequest { page: 1, size: 20 }).await.unwrap();
        assert_eq!(jobs.items[0].state, TriggerState::Completed);
        let claimed = store.claim_outbox(t0(), t0() + Duration::seconds(60), 10).await.unwrap();
        assert_eq!(claimed.len(), 1, "exactly one notification");
    }
}

on_both_backends! {
    async fn concurrent_completions_queue_one_notification(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        let id = created(store.create_job(job(a), t0()).await.unwrap());
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move { store.complete_job(&completion(id, None), t0()).await }));
        }
        let mut completed = 0;
        for task in tasks {
            match task.await.unwrap().unwrap() {
                Completion::Completed { .. } => completed += 1,
                Completion::AlreadyCompleted => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(completed, 1);
        let claimed = store.claim_outbox(t0(), t0() + Duration::seconds(60), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
    }
}
