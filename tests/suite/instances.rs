//! Several Herald instances on one PostgreSQL (the PostgreSQL half only): a
//! trigger created through one wakes another's scheduler, also after the
//! `LISTEN` connection dropped and came back; and three `herald` processes
//! firing the same due triggers deliver each exactly once.

use std::collections::HashSet;
use std::time::Duration as StdDuration;

use chrono::{Duration, SecondsFormat, Utc};
use herald::domain::clock::Clock;
use serde_json::json;
use sqlx::Connection;

use crate::helpers::{
    Conversation, FakeConnector, HeraldProcess, TestApp, TestDatabase, spawn_app_with,
};

/// Two instances: one fires (and sleeps up to an hour when idle), the other
/// only serves the API.
async fn firing_and_api_only(db: &TestDatabase) -> (TestApp, TestApp) {
    let firing = spawn_app_with(db, FakeConnector::start().await, |s| {
        s.scheduler.max_sleep_secs = 3600
    })
    .await;
    let api_only = spawn_app_with(db, FakeConnector::start().await, |s| {
        s.scheduler.enabled = false
    })
    .await;
    (firing, api_only)
}

/// Creates, through `api_only`, a trigger due in a second of the firing
/// instance's clock, moves that clock, and waits for it to fire there.
async fn created_on_one_fires_on_the_other(
    firing: &TestApp,
    api_only: &TestApp,
    conversation: &Conversation,
    text: &str,
) {
    let at = firing.clock.now() + Duration::seconds(1);
    let body = json!({
        "conversation": {"channelId": "emulator", "id": conversation.id},
        "text": text,
        "schedule": {"at": at.to_rfc3339_opts(SecondsFormat::Millis, true)},
    });
    let (status, answer) = api_only.api("POST", "/triggers", Some(&body)).await;
    assert_eq!(status, 201, "{answer}");
    firing.clock.advance(Duration::seconds(1));
    let expected = format!("⏰ {text}");
    let fired = firing
        .connector
        .wait_for(text, |r| r.is_proactive() && r.text() == expected)
        .await;
    assert_eq!(fired.conversation_id, conversation.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn another_instance_hears_of_new_triggers_through_postgres() {
    let db = TestDatabase::postgres("another_instance_hears_of_new_triggers").await;
    let (firing, api_only) = firing_and_api_only(&db).await;
    let a = firing.conversation("A");
    firing.say(&a, "hello").await;
    // Let the firing instance settle into its hour-long sleep.
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    created_on_one_fires_on_the_other(&firing, &api_only, &a, "from the other instance").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn a_dropped_listen_connection_comes_back_and_hears_again() {
    let db = TestDatabase::postgres("listen_drops").await;
    let (firing, api_only) = firing_and_api_only(&db).await;
    let a = firing.conversation("A");
    firing.say(&a, "hello").await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;

    // Cut every LISTEN connection of the two instances, as a failover would.
    let cut = db.listening_connections().await;
    assert!(!cut.is_empty(), "no LISTEN connection to cut");
    db.terminate_connections(&cut).await;
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    loop {
        let now_listening = db.listening_connections().await;
        if now_listening.len() >= cut.len() && now_listening.iter().all(|pid| !cut.contains(pid)) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the LISTEN connections did not come back: {now_listening:?} (cut {cut:?})"
        );
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // The firing instance went back to its hour-long sleep when the
    // connection dropped; only a notification through the new one wakes it.
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    created_on_one_fires_on_the_other(&firing, &api_only, &a, "after the drop").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn three_herald_processes_deliver_each_due_trigger_exactly_once() {
    // Ten batches of 100, each raced by three processes: enough to show a
    // double claim, and deliverable well within the wait below on a slow day
    // (one conversation's messages go one at a time, in order).
    const TRIGGERS: usize = 1_000;
    let db = TestDatabase::postgres("three_processes_fire").await;
    let connector = FakeConnector::start().await;
    let env = [
        ("HERALD__SCHEDULER__BATCH_SIZE", "100"),
        ("HERALD__DELIVERY__GLOBAL_RATE_LIMIT", "[\"100000/1s\"]"),
        ("HERALD__DELIVERY__RATE_LIMITS__EMULATOR", "[\"100000/1s\"]"),
    ];
    let first = HeraldProcess::start(&db, &env).await;
    let a = Conversation::new("three", &connector.url);
    let status = reqwest::Client::new()
        .post(format!("{}/api/messages", first.address))
        .json(&a.message("hello"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
    let key: i64 = {
        let mut connection = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query_scalar("SELECT id FROM conversations")
            .fetch_one(&mut connection)
            .await
            .unwrap()
    };
    // Due once all three run: each races the others for every batch.
    let due = Utc::now() + Duration::seconds(4);
    db.seed_due_timers(key, TRIGGERS as i64, due).await;
    let _second = HeraldProcess::start(&db, &env).await;
    let _third = HeraldProcess::start(&db, &env).await;
    assert!(Utc::now() < due, "the processes took too long to start");

    let proactive = || -> Vec<String> {
        connector
            .to(&a.id)
            .iter()
            .filter(|r| r.is_proactive())
            .map(|r| r.text().to_owned())
            .collect()
    };
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(120);
    while proactive().len() < TRIGGERS {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {TRIGGERS} delivered",
            proactive().len()
        );
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // Anything sent twice would arrive within this.
    tokio::time::sleep(StdDuration::from_secs(1)).await;
    let delivered = proactive();
    let distinct: HashSet<&String> = delivered.iter().collect();
    assert_eq!(delivered.len(), TRIGGERS, "a trigger was delivered twice");
    assert_eq!(distinct.len(), TRIGGERS);
    assert_eq!(
        db.firing_tally().await,
        (0, TRIGGERS as i64, TRIGGERS as i64)
    );
}
