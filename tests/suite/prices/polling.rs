//! The trigger engine's polling: one fetch per symbol and interval, however
//! many watch it; a poll is the engine's own trigger, handed by the
//! scheduler to the poller with no message in the outbox, kept across
//! restarts and run by one instance at a time.

use chrono::Duration;

use super::{app_with_market, proactive_texts, settle, wait_for_alerts};
use crate::helpers::{
    Conversation, FakeConnector, PriceServer, market, spawn_app_on, spawn_app_with,
};
use crate::on_both_backends;

on_both_backends! {
    async fn many_watchers_of_one_symbol_share_one_fetch_per_interval(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = app_with_market(&db, &server).await;
        let watchers: Vec<Conversation> = (0..25).map(|n| app.conversation(&format!("w{n}"))).collect();
        for (n, watcher) in watchers.iter().enumerate() {
            let echo = app.say(watcher, &format!("watch bitcoin below {}", 30_000 - n)).await;
            assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
        }
        assert_eq!(server.requests_for("bitcoin"), 1, "the first fetch served every watch set within the interval");
        for minute in 1..=3 {
            app.advance(Duration::seconds(60));
            server.wait_for_requests("bitcoin", 1 + minute).await;
        }
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 4, "one fetch a minute for 25 watches");

        // Down to 29,990: the ten watches with a line above it alert, at once.
        server.price("bitcoin", "29990");
        app.advance(Duration::seconds(60));
        for watcher in &watchers[..10] {
            wait_for_alerts(&app, watcher, 1).await;
        }
        settle().await;
        for watcher in &watchers[10..] {
            assert!(proactive_texts(&app, watcher).is_empty(), "{} alerted", watcher.id);
        }
        assert_eq!(server.requests_for("bitcoin"), 5);
    }
}

const OUTBOX: &str = "outbox";
const HERALD_CONVERSATIONS: &str = "conversations WHERE channel_id = 'herald'";

on_both_backends! {
    async fn a_poll_goes_from_the_scheduler_to_the_poller_without_the_outbox(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = app_with_market(&db, &server).await;
        let ana = app.conversation("ana");
        let echo = app.say(&ana, "watch bitcoin below 30000").await;
        assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
        let polls = db.price_polls().await;
        assert_eq!(polls.len(), 1, "{polls:?}");
        assert_eq!((polls[0].1.as_str(), polls[0].2.as_str(), polls[0].3.as_str()), ("market", "bitcoin", "active"));

        for minute in 1..=3 {
            app.advance(Duration::seconds(60));
            server.wait_for_requests("bitcoin", 1 + minute).await;
        }
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 4, "polled once a minute");
        assert_eq!(db.count(OUTBOX).await, 0, "no poll went through the outbox");
        assert_eq!(db.count(HERALD_CONVERSATIONS).await, 0, "no made-up conversation");

        // What a poll finds still reaches the watcher through the outbox.
        server.price("bitcoin", "29000");
        app.advance(Duration::seconds(60));
        wait_for_alerts(&app, &ana, 1).await;
        assert_eq!(db.count(OUTBOX).await, 1, "the alert, and only it");
    }
}

on_both_backends! {
    async fn a_poll_due_while_herald_was_down_runs_once_after_restart(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let connector = FakeConnector::start().await;
        let first = spawn_app_with(&db, connector.clone(), market(&server)).await;
        let ana = first.conversation("ana");
        let echo = first.say(&ana, "watch bitcoin below 30000").await;
        assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
        assert_eq!(server.requests_for("bitcoin"), 1);
        first.stop().await;

        // Ten minutes down: ten polls missed, one run for them all.
        let second = spawn_app_with(&db, connector.clone(), market(&server)).await;
        second.advance(Duration::minutes(10));
        server.wait_for_requests("bitcoin", 2).await;
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 2, "the missed window polled once");
        // And on the interval it kept: a minute on, again.
        second.advance(Duration::seconds(60));
        server.wait_for_requests("bitcoin", 3).await;
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 3);
        assert_eq!(db.count(OUTBOX).await, 0);
    }
}

on_both_backends! {
    async fn two_instances_poll_a_symbol_once_per_interval(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let clock = std::sync::Arc::new(herald::domain::clock::ManualClock::new(crate::helpers::start_instant()));
        let connector = FakeConnector::start().await;
        let one = spawn_app_on(&db, connector.clone(), clock.clone(), market(&server)).await;
        let other = spawn_app_on(&db, connector.clone(), clock.clone(), market(&server)).await;
        let ana = one.conversation("ana");
        let echo = one.say(&ana, "watch bitcoin below 30000").await;
        assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
        for minute in 1..=3 {
            clock.advance(Duration::seconds(60));
            one.advance(Duration::zero());
            other.advance(Duration::zero());
            server.wait_for_requests("bitcoin", 1 + minute).await;
            settle().await;
            assert_eq!(server.requests_for("bitcoin"), 1 + minute, "one poll a minute between them");
        }
    }
}
