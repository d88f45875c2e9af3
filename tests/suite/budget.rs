//! The send budget: against a connector that enforces Teams' limits (429 for
//! a message that would break a sliding window), Herald provokes no 429 and no
//! window holds more than its count — proactive messages and replies together,
//! one conversation's backlog does not starve the others, the global budget
//! holds across conversations, and two instances on one PostgreSQL share one
//! conversation's budget. The clock is the test's, stepped in small moves.

use std::sync::Arc;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use herald::domain::clock::{Clock, ManualClock};
use herald::domain::rate::busiest_window;
use serde_json::json;

use crate::helpers::{
    Conversation, FakeConnector, TestApp, TestDatabase, spawn_app_on, spawn_app_with,
};
use crate::on_both_backends;

/// Teams' published limits per bot per conversation.
fn teams_limits() -> Vec<(usize, Duration)> {
    vec![
        (7, Duration::seconds(1)),
        (8, Duration::seconds(2)),
        (60, Duration::seconds(30)),
        (1800, Duration::hours(1)),
    ]
}

/// The pacing margin for tests against Teams' limits. `drive` runs the clock
/// four times faster than real time, so a send held up 50 ms on a loaded
/// machine lands 200 ms late on the test's clock — past the default 100 ms
/// margin, and the connector would see two messages bunched into one window.
/// A second of margin absorbs a quarter second of real delay.
fn with_jitter_margin(settings: &mut herald::config::Settings) {
    settings.delivery.rate_limit_margin_ms = 1_000;
}

/// Schedules a one-shot reminder for `conversation` through the API.
async fn schedule(app: &TestApp, conversation: &Conversation, text: &str, at: DateTime<Utc>) {
    let body = json!({
        "conversation": {"channelId": conversation.channel_id, "id": conversation.id},
        "text": text,
        "schedule": {"at": at.to_rfc3339_opts(SecondsFormat::Millis, true)},
    });
    let (status, answer) = app.api("POST", "/triggers", Some(&body)).await;
    assert_eq!(status, 201, "{answer}");
}

/// Steps the shared clock by `step` and lets every instance work, until
/// `done` holds (or 60 s of real time pass).
async fn drive(apps: &[&TestApp], step: Duration, what: &str, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out driving the clock until {what}"
        );
        apps[0].clock.advance(step);
        for app in apps {
            app.wake();
        }
        // Sends take real time while the clock stands still; four steps of
        // it per millisecond keeps that well inside the 100 ms margin.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Asserts that no sliding window of `limits` holds more than its count.
fn assert_within(connector: &FakeConnector, conversation_id: &str, limits: &[(usize, Duration)]) {
    let mut times: Vec<i64> = connector
        .to(conversation_id)
        .iter()
        .map(|r| r.at.timestamp_micros())
        .collect();
    times.sort_unstable();
    for (count, period) in limits {
        let most = busiest_window(&times, period.num_microseconds().unwrap());
        assert!(
            most <= *count,
            "{most} messages within {period} (limit {count})"
        );
    }
}

fn proactive_texts(connector: &FakeConnector, conversation_id: &str) -> Vec<String> {
    connector
        .to(conversation_id)
        .iter()
        .filter(|r| r.is_proactive())
        .map(|r| r.text().to_owned())
        .collect()
}

on_both_backends! {
    async fn proactive_messages_and_replies_keep_every_teams_window(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), with_jitter_margin).await;
        connector.enforce(teams_limits(), app.clock.clone());
        let a = Conversation::on_channel("teams", &connector.url, "msteams");
        app.say(&a, "hello").await;
        let due = app.clock.now() + Duration::seconds(1);
        for i in 0..40 {
            schedule(&app, &a, &format!("rem-{i:02}"), due + Duration::milliseconds(i)).await;
        }
        drive(&[&app], Duration::milliseconds(20), "ten are sent", || {
            proactive_texts(&connector, &a.id).len() >= 10
        })
        .await;
        // Replies in the middle of the backlog draw on the same budget.
        for _ in 0..3 {
            app.send(&a.message("help")).await;
        }
        // The first reply, 40 reminders, 3 replies (sent in their turn or queued).
        drive(&[&app], Duration::milliseconds(20), "all are sent", || {
            connector.to(&a.id).len() == 1 + 40 + 3
        })
        .await;
        assert_eq!(connector.refused_for_limits(), 0, "Herald provoked a 429");
        assert_within(&connector, &a.id, &teams_limits());
        let reminders: Vec<String> = proactive_texts(&connector, &a.id)
            .into_iter()
            .filter(|text| text.contains("rem-"))
            .collect();
        let expected: Vec<String> = (0..40).map(|i| format!("rem-{i:02}")).collect();
        assert_eq!(reminders.len(), 40);
        for (got, want) in reminders.iter().zip(&expected) {
            assert!(got.contains(want.as_str()), "out of order: {got} where {want} was due");
        }
        // At the short windows' pace (8 in 3 s with the margin: 17 s for
        // 44), not the hour's (0.5 a second: 88 s). The bound leaves room for
        // a loaded machine, where each step of the clock is worked late.
        let first = connector.to(&a.id)[0].at;
        let last = connector.to(&a.id).last().unwrap().at;
        assert!(last - first < Duration::seconds(60), "took {}", last - first);
    }
}

on_both_backends! {
    async fn a_backlog_in_one_conversation_goes_as_fast_as_its_windows_allow(db: TestDatabase) {
        use herald::domain::rate::{RatePolicy, SendLog};

        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), with_jitter_margin).await;
        connector.enforce(teams_limits(), app.clock.clone());
        let a = Conversation::on_channel("backlog", &connector.url, "msteams");
        app.say(&a, "hello").await;
        let due = app.clock.now() + Duration::seconds(5);
        for i in 0..40 {
            schedule(&app, &a, &format!("rem-{i:02}"), due).await;
        }
        // Slower steps than elsewhere: the clock must not outrun delivery.
        drive(&[&app], Duration::milliseconds(10), "all are sent", || {
            proactive_texts(&connector, &a.id).len() == 40
        })
        .await;
        assert_eq!(connector.refused_for_limits(), 0, "Herald provoked a 429");
        assert_within(&connector, &a.id, &teams_limits());

        // What the windows, widened by the margin, allow for 40 at once (the
        // greeting's reply counts in them too): the sender that sends
        // whenever they admit.
        let windows = RatePolicy::parse(&["7/1s", "8/2s", "60/30s", "1800/1h"])
            .unwrap()
            .with_margin(std::time::Duration::from_secs(1))
            .sliding();
        let sent = connector.to(&a.id);
        let start = sent[1].at.timestamp_micros();
        let mut log = SendLog::default();
        log.record(&windows, sent[0].at.timestamp_micros());
        let mut ideal = start;
        for _ in 0..40 {
            while let Err(until) = log.try_send(&windows, ideal) {
                ideal = until;
            }
        }
        let allowed = ideal - start;
        let took = sent.last().unwrap().at.timestamp_micros() - start;
        // GCRA per window needed about twice what the windows allow; the
        // slack is for steps of the clock worked late on a loaded machine.
        assert!(took <= allowed + allowed / 10, "took {took} µs where the windows allow {allowed} µs");
    }
}

on_both_backends! {
    async fn one_conversations_backlog_does_not_starve_the_others(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), with_jitter_margin).await;
        connector.enforce(teams_limits(), app.clock.clone());
        let busy = Conversation::on_channel("busy", &connector.url, "msteams");
        let quiet = Conversation::on_channel("quiet", &connector.url, "msteams");
        app.say(&busy, "hello").await;
        app.say(&quiet, "hello").await;
        let due = app.clock.now() + Duration::seconds(1);
        for i in 0..30 {
            schedule(&app, &busy, &format!("busy {i:02}"), due).await;
        }
        // Queued after all of the busy conversation's.
        schedule(&app, &quiet, "quiet one", due + Duration::milliseconds(1)).await;
        drive(&[&app], Duration::milliseconds(20), "the quiet one is sent", || {
            !proactive_texts(&connector, &quiet.id).is_empty()
        })
        .await;
        let busy_sent = proactive_texts(&connector, &busy.id).len();
        assert!(busy_sent < 10, "the quiet conversation waited for {busy_sent} busy messages");
        drive(&[&app], Duration::milliseconds(20), "the backlog is sent", || {
            proactive_texts(&connector, &busy.id).len() == 30
        })
        .await;
        assert_eq!(connector.refused_for_limits(), 0);
        assert_within(&connector, &busy.id, &teams_limits());
    }
}

on_both_backends! {
    async fn the_global_budget_holds_across_conversations(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| {
            s.delivery.global_rate_limit = vec!["5/1s".to_owned()];
        })
        .await;
        connector.enforce(Vec::new(), app.clock.clone());
        let conversations: Vec<Conversation> =
            (0..20).map(|i| app.conversation(&format!("g{i}"))).collect();
        for conversation in &conversations {
            app.say(conversation, "hello").await;
        }
        let due = app.clock.now() + Duration::seconds(1);
        for conversation in &conversations {
            schedule(&app, conversation, "to everyone", due).await;
        }
        let proactive = || -> Vec<i64> {
            let mut times: Vec<i64> = connector
                .received()
                .iter()
                .filter(|r| r.is_proactive())
                .map(|r| r.at.timestamp_micros())
                .collect();
            times.sort_unstable();
            times
        };
        // The clock moves about as fast as real time here: a send the loaded
        // machine holds up for 25 ms must not look like 100 ms to the sink,
        // which times arrivals, while the budget timed the takes.
        drive(&[&app], Duration::milliseconds(5), "all 20 are sent", || proactive().len() == 20).await;
        let times = proactive();
        assert!(busiest_window(&times, 1_000_000) <= 5, "more than 5 in one second");
        // And close to the budget: 20 at 5 a second take about 4 s, at half
        // of it 8 s. The bound leaves room for a loaded machine.
        let span = times.last().unwrap() - times.first().unwrap();
        assert!(span < 7_000_000, "took {span} µs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn two_instances_on_postgres_share_one_conversations_budget() {
    let db = TestDatabase::postgres("two_instances_share_one_budget").await;
    let connector = FakeConnector::start().await;
    let clock = Arc::new(ManualClock::new(crate::helpers::start_instant()));
    let first = spawn_app_on(
        &db,
        connector.clone(),
        Arc::clone(&clock),
        with_jitter_margin,
    )
    .await;
    let second = spawn_app_on(
        &db,
        connector.clone(),
        Arc::clone(&clock),
        with_jitter_margin,
    )
    .await;
    connector.enforce(teams_limits(), Arc::clone(&clock));
    let a = Conversation::on_channel("shared", &connector.url, "msteams");
    first.say(&a, "hello").await;
    let due = clock.now() + Duration::seconds(1);
    for i in 0..30 {
        let app = if i % 2 == 0 { &first } else { &second };
        schedule(
            app,
            &a,
            &format!("shared {i:02}"),
            due + Duration::milliseconds(i),
        )
        .await;
    }
    drive(
        &[&first, &second],
        Duration::milliseconds(20),
        "all are sent",
        || proactive_texts(&connector, &a.id).len() >= 30,
    )
    .await;
    assert_eq!(
        connector.refused_for_limits(),
        0,
        "the instances together provoked a 429"
    );
    assert_within(&connector, &a.id, &teams_limits());
    let texts = proactive_texts(&connector, &a.id);
    assert_eq!(texts.len(), 30, "each message once");
    let mut unique = texts.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 30);
}

on_both_backends! {
    async fn a_reply_past_the_conversations_budget_is_queued_not_lost(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |_| {}).await;
        // A channel Herald has no limits for gets the conservative `other` ones (2/1 s).
        let a = Conversation::on_channel("slack", &connector.url, "slack");
        assert_eq!(app.say(&a, "help").await.len(), 1, "the first reply goes out in its turn");
        assert_eq!(app.say(&a, "help").await.len(), 1, "and the second: two in any second");
        let third = a.message("help");
        app.send(&third).await;
        assert!(app.replies_to(&third).is_empty(), "the budget was spent: nothing sent in the turn");
        // It was queued, and goes out once the budget frees up (the clock stands still till then).
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(proactive_texts(&connector, &a.id).is_empty());
        app.advance(Duration::seconds(2));
        let late = connector
            .wait_for("the queued reply", |r| r.is_proactive() && r.conversation_id == a.id)
            .await;
        assert_eq!(late.text(), connector.to(&a.id)[0].text(), "the same answer, later");
    }
}
