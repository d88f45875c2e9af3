//! Caps on open jobs, reminders and watches hold when requests race: many creations
//! at once for the last free places leave exactly the cap, on both databases
//! (the count and the insert share one transaction and its scope), and a
//! redelivery racing its first delivery for the last place is a replay.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use herald::domain::conversation::ConversationKey;
use herald::domain::person::PersonRef;
use herald::domain::ports::{
    Created, Idempotency, LimitReached, NewJob, NewTrigger, OpenLimits, Store, TriggerCreated,
    WatchCreated,
};
use herald::domain::price::{NewWatch, Rule};
use herald::domain::schedule::ScheduleSpec;
use herald::domain::trigger::TriggerKind;
use rust_decimal::Decimal;

use crate::on_both_backends;
use crate::store::{open, record};

/// Requests sent at once; more than the cap, from different people.
const RACERS: usize = 12;
const CAP: u32 = 3;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn conversation(store: &Arc<dyn Store>, id: &str) -> ConversationKey {
    store.upsert_conversation(&record(id), now()).await.unwrap()
}

fn people() -> Vec<String> {
    (0..RACERS).map(|n| format!("racer-{n}")).collect()
}

on_both_backends! {
    async fn racing_reminders_never_pass_a_conversations_cap(db: TestDatabase) {
        let store = open(&db).await;
        let here = conversation(&store, "race-reminders").await;
        let spec = ScheduleSpec { at: Some(now() + Duration::hours(1)), ..ScheduleSpec::default() };
        let limits = OpenLimits { per_conversation: CAP, per_user: u32::MAX };
        let people = people();
        let outcomes = join_all(people.iter().map(|person| {
            let store = store.clone();
            let spec = &spec;
            async move {
                let trigger = NewTrigger {
                    kind: TriggerKind::Reminder,
                    conversation: here,
                    owner: Some(PersonRef::new("emulator", person)),
                    text: "stretch",
                    schedule: spec,
                    time_zone: None,
                    next_fire_at: spec.at,
                    idempotency: None,
                    limits,
                };
                store.create_trigger(&trigger, now()).await.unwrap()
            }
        }))
        .await;
        let made = outcomes.iter().filter(|o| matches!(o, TriggerCreated::Created(_))).count();
        let refused = outcomes
            .iter()
            .filter(|o| **o == TriggerCreated::LimitReached(LimitReached::Conversation(CAP)))
            .count();
        assert_eq!((made, refused), (CAP as usize, RACERS - CAP as usize));
    }
}

on_both_backends! {
    async fn racing_jobs_never_pass_a_persons_cap(db: TestDatabase) {
        let store = open(&db).await;
        // One person, each request from a conversation of its own: only the
        // person's count stands between them.
        let mut places = Vec::new();
        for n in 0..RACERS {
            places.push(conversation(&store, &format!("race-jobs-{n}")).await);
        }
        let limits = OpenLimits { per_conversation: u32::MAX, per_user: CAP };
        let outcomes = join_all(places.iter().map(|&here| {
            let store = store.clone();
            async move {
                let job = NewJob {
                    conversation: here,
                    owner: Some(PersonRef::new("emulator", "ana")),
                    stamp: None,
                    limits,
                };
                store.create_job(job, now()).await.unwrap()
            }
        }))
        .await;
        let made = outcomes.iter().filter(|o| matches!(o, Created::Created(_))).count();
        let refused = outcomes.iter().filter(|o| **o == Created::LimitReached(LimitReached::User(CAP))).count();
        assert_eq!((made, refused), (CAP as usize, RACERS - CAP as usize));
    }
}

fn watch<'a>(here: ConversationKey, person: &'a str, activity: &'a str) -> NewWatch<'a> {
    let price = Decimal::from(30_000);
    NewWatch {
        conversation: here,
        owner: Some(PersonRef::new("emulator", person)),
        source: "coingecko",
        symbol: "bitcoin",
        currency: None,
        rule: Rule::Below { price },
        repeat: false,
        base: price,
        activity_id: Some(activity),
        last_price: None,
    }
}

on_both_backends! {
    async fn racing_watches_never_pass_a_conversations_cap_and_a_replay_stays_a_replay(db: TestDatabase) {
        let store = open(&db).await;
        let here = conversation(&store, "race-watches").await;
        let limits = OpenLimits { per_conversation: CAP, per_user: u32::MAX };
        let people = people();
        let outcomes = join_all(people.iter().map(|person| {
            let store = store.clone();
            async move {
                let asked = watch(here, person, person);
                store.create_watch(&asked, limits, now()).await.unwrap()
            }
        }))
        .await;
        let made: Vec<&str> = people
            .iter()
            .zip(&outcomes)
            .filter(|(_, o)| matches!(o, WatchCreated::Created(_)))
            .map(|(person, _)| person.as_str())
            .collect();
        let refused = outcomes
            .iter()
            .filter(|o| **o == WatchCreated::LimitReached(LimitReached::Conversation(CAP)))
            .count();
        assert_eq!((made.len(), refused), (CAP as usize, RACERS - CAP as usize));
        // The channel redelivers an activity that took a place: a replay,
        // not a refusal, though the conversation is full.
        let again = store.create_watch(&watch(here, made[0], made[0]), limits, now()).await.unwrap();
        assert_eq!(again, WatchCreated::Replayed);
        assert_eq!(store.list_watches(here, 50).await.unwrap().len(), CAP as usize);
    }
}

on_both_backends! {
    async fn a_redelivery_racing_its_first_delivery_for_the_last_place_is_a_replay(db: TestDatabase) {
        let store = open(&db).await;
        let here = conversation(&store, "race-redelivery").await;
        let limits = OpenLimits { per_conversation: CAP, per_user: u32::MAX };
        for n in 1..CAP {
            let filler = format!("filler-{n}");
            let created = store.create_watch(&watch(here, &filler, &filler), limits, now()).await.unwrap();
            assert!(matches!(created, WatchCreated::Created(_)));
        }
        // The channel delivers one activity many times at once: one watch,
        // and every other copy a replay, though the last place is taken.
        let copies = join_all((0..RACERS).map(|_| {
            let store = store.clone();
            async move { store.create_watch(&watch(here, "ana", "act-1"), limits, now()).await.unwrap() }
        }))
        .await;
        let made = copies.iter().filter(|o| matches!(o, WatchCreated::Created(_))).count();
        let replayed = copies.iter().filter(|o| **o == WatchCreated::Replayed).count();
        assert_eq!((made, replayed), (1, RACERS - 1), "{copies:?}");

        // The same for a reminder created with an idempotency key.
        let spec = ScheduleSpec { at: Some(now() + Duration::hours(1)), ..ScheduleSpec::default() };
        let reminder = |key| NewTrigger {
            kind: TriggerKind::Reminder,
            conversation: here,
            owner: Some(PersonRef::new("emulator", "ana")),
            text: "stretch",
            schedule: &spec,
            time_zone: None,
            next_fire_at: spec.at,
            idempotency: key,
            limits,
        };
        let fillers: Vec<String> = (1..CAP).map(|n| format!("filler-{n}")).collect();
        for key in &fillers {
            let key = Idempotency { key, request_sha256: "same" };
            let created = store.create_trigger(&reminder(Some(key)), now()).await.unwrap();
            assert!(matches!(created, TriggerCreated::Created(_)));
        }
        let copies = join_all((0..RACERS).map(|_| {
            let store = store.clone();
            let first = Idempotency { key: "retried", request_sha256: "same" };
            let asked = reminder(Some(first));
            async move { store.create_trigger(&asked, now()).await.unwrap() }
        }))
        .await;
        let made = copies.iter().filter(|o| matches!(o, TriggerCreated::Created(_))).count();
        let replayed = copies.iter().filter(|o| matches!(o, TriggerCreated::Replayed(_))).count();
        assert_eq!((made, replayed), (1, RACERS - 1), "{copies:?}");
    }
}
