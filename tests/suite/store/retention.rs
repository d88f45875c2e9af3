//! Retention: old activity ids and idle conversations pruned, and a user
//! forgotten with their triggers and personal references.

use chrono::Duration;
use herald::domain::person::PersonRef;
use herald::domain::ports::{ActivityStamp, Completion, NewJob, PageRequest};

use super::{completion, created, job, open, record, t0};
use crate::on_both_backends;

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
