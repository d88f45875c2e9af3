//! The storage port's contract, run unchanged against SQLite and PostgreSQL.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use herald::domain::conversation::{ConversationKey, ConversationRecord};
use herald::domain::notification::Notification;
use herald::domain::person::PersonRef;
use herald::domain::ports::{
    ActivityStamp, CompleteJob, Completion, Created, LimitReached, NewJob, OpenLimits, OutboxState,
    PageRequest, Store,
};
use herald::domain::trigger::{TriggerId, TriggerState};
use herald::store::{SqliteSynchronous, StoreOptions};

use crate::helpers::TestDatabase;
use crate::on_both_backends;

pub(crate) async fn open(db: &TestDatabase) -> Arc<dyn Store> {
    let options = StoreOptions {
        url: db.url.clone(),
        max_connections: 4,
        sqlite_synchronous: SqliteSynchronous::Normal,
    };
    herald::store::open(&options, true)
        .await
        .expect("store opens")
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) fn record(conversation_id: &str) -> ConversationRecord {
    ConversationRecord {
        channel_id: "emulator".into(),
        conversation_id: conversation_id.into(),
        service_url: "http://localhost:9".into(),
        conversation_type: Some("personal".into()),
        tenant_id: None,
        is_group: false,
        bot_id: Some("bot".into()),
        user_id: Some("u1".into()),
        user_aad_object_id: None,
        locale: Some("en-US".into()),
        local_timezone: Some("Europe/Lisbon".into()),
        reference_json: format!(r#"{{"conversation":{{"id":"{conversation_id}"}}}}"#),
        service_url_verified: false,
    }
}

fn job(conversation: ConversationKey) -> NewJob<'static> {
    NewJob {
        conversation,
        owner: Some(PersonRef::new("emulator", "u1")),
        stamp: None,
        limits: OpenLimits::NONE,
    }
}

fn created(outcome: Created) -> TriggerId {
    match outcome {
        Created::Created(id) => id,
        other => panic!("not created: {other:?}"),
    }
}

fn completion(job: TriggerId, scope: Option<ConversationKey>) -> CompleteJob<'static> {
    CompleteJob {
        job,
        scope,
        stamp: None,
        notification: Notification::JobCompleted { job_id: job.get() },
    }
}

on_both_backends! {
    async fn conversations_upsert_by_channel_and_id(db: TestDatabase) {
        let store = open(&db).await;
        let first = store.upsert_conversation(&record("a|livechat"), t0()).await.unwrap();
        let mut changed = record("a|livechat");
        changed.service_url = "http://localhost:10".into();
        changed.locale = Some("pt-BR".into());
        let again = store.upsert_conversation(&changed, t0()).await.unwrap();
        assert_eq!(first, again);
        let other = store.upsert_conversation(&record("b|livechat"), t0()).await.unwrap();
        assert_ne!(first, other);
        let stored = store.conversation(first).await.unwrap().unwrap();
        assert_eq!(stored.record, changed);
        assert!(store.conversation(ConversationKey(999_999)).await.unwrap().is_none());
    }
}

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
        assert_eq!(
            serde_json::from_str::<Notification>(&first[0].payload).unwrap(),
            Notification::JobCompleted { job_id: 1 }
        );
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

on_both_backends! {
    async fn old_activity_ids_are_pruned(db: TestDatabase) {
        let store = open(&db).await;
        let a = store.upsert_conversation(&record("a"), t0()).await.unwrap();
        for (i, at) in [t0() - Duration::days(3), t0()].into_iter().enumerate() {
            let id = format!("act-{i}");
            let stamp = ActivityStamp { conversation: a, activity_id: &id, window_start: at - Duration::days(1) };
            store.create_job(NewJob { stamp: Some(stamp), ..job(a) }, at).await.unwrap();
        }
        assert_eq!(store.prune_handled_activities(t0() - Duration::days(1)).await.unwrap(), 1);
        assert_eq!(store.prune_handled_activities(t0() - Duration::days(1)).await.unwrap(), 0);
    }
}

on_both_backends! {
    async fn migrations_can_run_twice(db: TestDatabase) {
        let _first = open(&db).await;
        let second = open(&db).await;
        second.ping().await.unwrap();
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
    async fn forgetting_a_user_removes_their_triggers_and_personal_references(db: TestDatabase) {
        let store = open(&db).await;
        let personal = store.upsert_conversation(&record("u1-personal"), t0()).await.unwrap();
        let mut group_record = record("team-chat");
        group_record.is_group = true;
        let group = store.upsert_conversation(&group_record, t0()).await.unwrap();
        let mut other_record = record("u2-personal");
        other_record.user_id = Some("u2".into());
        let other = store.upsert_conversation(&other_record, t0()).await.unwrap();

        let mine = created(store.create_job(job(personal), t0()).await.unwrap());
        let in_group = created(store.create_job(job(group), t0()).await.unwrap());
        let theirs = created(
            store
                .create_job(NewJob { owner: Some(PersonRef::new("emulator", "u2")), ..job(other) }, t0())
                .await
                .unwrap(),
        );
        // The same user id in another channel is another person: untouched.
        let mut webchat_record = record("u1-in-webchat");
        webchat_record.channel_id = "webchat".into();
        let webchat = store.upsert_conversation(&webchat_record, t0()).await.unwrap();
        let namesake = created(
            store
                .create_job(NewJob { owner: Some(PersonRef::new("webchat", "u1")), ..job(webchat) }, t0())
                .await
                .unwrap(),
        );
        let queued = match store.complete_job(&completion(mine, None), t0()).await.unwrap() {
            Completion::Completed { outbox, .. } => outbox,
            other => panic!("{other:?}"),
        };

        let forgotten = store.forget_user(PersonRef::new("emulator", "u1"), t0()).await.unwrap();
        assert_eq!(forgotten.triggers, 2, "the personal job and the one started in the group");
        assert_eq!(forgotten.conversations, 1);
        assert!(store.outbox_entry(queued).await.unwrap().is_none(), "queued messages go too");
        let scrubbed = store.conversation(personal).await.unwrap().unwrap();
        assert_eq!(scrubbed.record.reference_json, "{}");
        assert_eq!(scrubbed.record.user_id, None);
        assert_eq!(scrubbed.record.service_url, "");
        assert!(store.conversation(group).await.unwrap().is_some(), "group references stay");
        let left = store.list_jobs(None, PageRequest { page: 1, size: 10 }).await.unwrap();
        assert_eq!(left.items.iter().map(|j| j.id).collect::<Vec<_>>(), vec![theirs, namesake]);
        let kept = store.conversation(webchat).await.unwrap().unwrap();
        assert_eq!(kept.record.user_id.as_deref(), Some("u1"), "another channel's reference stays");
        assert!(left.items.iter().all(|j| j.id != in_group));
        // The scrubbed conversation can speak again.
        assert_eq!(store.upsert_conversation(&record("u1-personal"), t0()).await.unwrap(), personal);
    }
}

on_both_backends! {
    async fn idle_conversations_are_pruned_with_their_history(db: TestDatabase) {
        let store = open(&db).await;
        let long_ago = t0() - Duration::days(200);
        let idle = store.upsert_conversation(&record("idle"), long_ago).await.unwrap();
        let waiting = store.upsert_conversation(&record("waiting"), long_ago).await.unwrap();
        let recent = store.upsert_conversation(&record("recent"), t0()).await.unwrap();
        let done = created(store.create_job(job(idle), long_ago).await.unwrap());
        store.complete_job(&completion(done, None), long_ago).await.unwrap();
        let claimed = store.claim_outbox(long_ago, long_ago + Duration::seconds(60), 10).await.unwrap();
        store.mark_sent(claimed[0].id, long_ago).await.unwrap();
        created(store.create_job(job(waiting), long_ago).await.unwrap());

        let pruned = store.prune_idle_conversations(t0() - Duration::days(180)).await.unwrap();
        assert_eq!(pruned, 1);
        assert!(store.conversation(idle).await.unwrap().is_none());
        assert!(store.conversation(waiting).await.unwrap().is_some(), "an open job keeps it");
        assert!(store.conversation(recent).await.unwrap().is_some());
        let jobs = store.list_jobs(None, PageRequest { page: 1, size: 10 }).await.unwrap();
        assert_eq!(jobs.total, 1);
    }
}

on_both_backends! {
    async fn the_shared_send_budget_admits_all_or_nothing_even_when_raced(db: TestDatabase) {
        use herald::domain::ports::{BudgetCell, BudgetTake};
        use herald::domain::rate::{Gcra, RatePolicy, RateWindow, SlidingWindows};

        let store = open(&db).await;
        // One a second for a conversation; the bot: four a second, two at once.
        let one_a_second = RatePolicy::parse(&["1/1s"]).unwrap().sliding();
        let bot = [BudgetCell {
            scope: "bot",
            gcra: Gcra::for_window(RateWindow::parse("4/1s").unwrap(), 2, std::time::Duration::ZERO),
        }];
        async fn take(
            store: &Arc<dyn herald::domain::ports::Store>,
            scope: &str,
            windows: &SlidingWindows,
            cells: &[BudgetCell<'_>],
            at: chrono::DateTime<chrono::Utc>,
        ) -> Result<(), herald::domain::ports::BudgetDenied> {
            store.take_send_budget(&BudgetTake { scope, windows, cells }, at).await.unwrap()
        }
        // Twenty senders at one instant for one conversation: exactly one wins.
        let racers: Vec<_> = (0..20)
            .map(|_| {
                let store = Arc::clone(&store);
                let windows = one_a_second.clone();
                tokio::spawn(async move { take(&store, "c1", &windows, &bot, t0()).await })
            })
            .collect();
        let mut admitted = 0;
        for racer in racers {
            if racer.await.unwrap().is_ok() {
                admitted += 1;
            }
        }
        assert_eq!(admitted, 1, "one message a second, whatever the concurrency");

        // A refusal by the conversation's windows takes nothing from the bot's:
        // a second conversation still gets the bot's second message.
        let denied = take(&store, "c1", &one_a_second, &bot, t0()).await.unwrap_err();
        assert_eq!(denied.cell, None);
        assert_eq!(denied.until, t0() + Duration::seconds(1));
        assert!(take(&store, "c2", &one_a_second, &bot, t0()).await.is_ok());
        let denied = take(&store, "c3", &one_a_second, &bot, t0()).await.unwrap_err();
        assert_eq!(denied.cell, Some(0), "the bot's budget is spent");
        let later = t0() + Duration::seconds(1);
        assert_eq!(take(&store, "c1", &one_a_second, &bot, later).await, Ok(()));
        // A reply (no global cells) draws on the same conversation windows.
        assert_eq!(take(&store, "c1", &one_a_second, &[], later).await.unwrap_err().cell, None);

        // The windows are exact: three in any second, however they are spaced.
        let three = RatePolicy::parse(&["3/1s"]).unwrap().sliding();
        for ms in [0, 100, 200] {
            assert_eq!(take(&store, "c9", &three, &[], t0() + Duration::milliseconds(ms)).await, Ok(()));
        }
        let denied = take(&store, "c9", &three, &[], t0() + Duration::milliseconds(300)).await.unwrap_err();
        assert_eq!(denied.until, t0() + Duration::seconds(1), "when the first leaves the window");
        assert_eq!(take(&store, "c9", &three, &[], t0() + Duration::seconds(1)).await, Ok(()));

        // Housekeeping forgets what holds nothing back any more.
        assert_eq!(store.prune_send_budget(t0(), t0() - Duration::hours(1)).await.unwrap(), 0);
        let hour = t0() + Duration::hours(1);
        assert!(store.prune_send_budget(hour, hour).await.unwrap() >= 5);
    }
}
