//! Herald's upkeep rounds on the test's clock: the gauges are refreshed when
//! the clock reaches the next minute, and the daily round prunes a
//! conversation once it has been idle past the retention.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::helpers::{FakeConnector, TestApp, spawn_app_with, start_instant};
use crate::on_both_backends;

/// When `/healthz` says its gauges were taken (none yet: `None`).
async fn gauges_taken_at(app: &TestApp) -> Option<DateTime<Utc>> {
    let health: Value = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let at = health["gauges"]["at"].as_str()?;
    Some(
        DateTime::parse_from_rfc3339(at)
            .unwrap()
            .with_timezone(&Utc),
    )
}

/// Waits (up to 10 s) until `done` holds; says `what` did not happen otherwise.
async fn eventually<F: Future<Output = bool>>(what: &str, done: impl Fn() -> F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what} never happened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_backends! {
    async fn the_minutely_round_runs_when_the_clock_reaches_the_minute(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        // The first round runs at start, on the test's clock (not the machine's).
        assert_eq!(gauges_taken_at(&app).await, Some(start_instant()));
        // Half a minute on: the next round (10:01) is not due yet.
        app.advance(chrono::Duration::seconds(30));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(gauges_taken_at(&app).await, Some(start_instant()));
        app.advance(chrono::Duration::seconds(31));
        let expected = start_instant() + chrono::Duration::seconds(61);
        eventually("the 10:01 round", || async { gauges_taken_at(&app).await == Some(expected) }).await;
    }
}

on_both_backends! {
    async fn the_daily_round_prunes_a_conversation_idle_past_the_retention(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.privacy.conversation_retention_days = 30;
        })
        .await;
        let quiet = app.conversation("quiet");
        app.say(&quiet, "help").await;
        let find = || app.store.find_conversation(&quiet.channel_id, &quiet.id);
        assert!(find().await.unwrap().is_some(), "the turn stored its conversation");
        // 29 days on, and past that day's 03:17 round: still within the retention.
        app.advance(chrono::Duration::days(29));
        eventually("the round of day 29", || async {
            gauges_taken_at(&app).await == Some(start_instant() + chrono::Duration::days(29))
        })
        .await;
        // The daily round runs after the minutely one: give it time to have run.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(find().await.unwrap().is_some(), "pruned within the retention");
        // Two days more: the daily round forgets it.
        app.advance(chrono::Duration::days(2));
        eventually("pruning the idle conversation", || async { find().await.unwrap().is_none() }).await;
    }
}
