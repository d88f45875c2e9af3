//! Stalled watches: a failing source or a symbol it stops pricing is told
//! once, and its recovery is told once too.

use chrono::Duration;

use super::{proactive_texts, settle, wait_for_alerts};
use crate::helpers::{PriceAnswer, PriceServer, market, spawn_app_with};
use crate::on_both_backends;

on_both_backends! {
    async fn a_failing_source_stalls_its_watches_once_and_says_when_it_is_back(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.failures_before_stalled = 3;
        })
        .await;
        let ana = app.conversation("stall");
        app.say(&ana, "watch bitcoin below 20000").await;
        server.answer("bitcoin", PriceAnswer::Garbage);
        // Failures back the source off (30 s, 1 min, 2 min …): polls far apart
        // so each is tried.
        for attempt in 1..=6 {
            app.advance(Duration::minutes(30));
            server.wait_for_requests("bitcoin", 1 + attempt).await;
        }
        wait_for_alerts(&app, &ana, 1).await;
        settle().await;
        let said = proactive_texts(&app, &ana);
        assert_eq!(said.len(), 1, "told once: {said:?}");
        let told = &said[0];
        assert!(told.starts_with("⚠️ I can't get prices from market any more (the answer is not JSON), so your watch"), "{told}");
        assert!(app.say(&ana, "watches").await[0].contains("· _stalled_"));

        server.price("bitcoin", "30000");
        app.advance(Duration::minutes(30));
        let said = wait_for_alerts(&app, &ana, 2).await;
        assert!(said[1].starts_with("✅ market answers again: your watch"), "{said:?}");
        app.advance(Duration::minutes(30));
        server.wait_for_requests("bitcoin", 9).await;
        settle().await;
        assert_eq!(proactive_texts(&app, &ana).len(), 2);
    }
}

on_both_backends! {
    async fn a_symbol_the_source_stops_pricing_stalls_its_watches_once(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        server.price("ethereum", "2000");
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.failures_before_stalled = 3;
        })
        .await;
        let ana = app.conversation("delisted");
        app.say(&ana, "watch bitcoin below 20000").await;
        app.say(&ana, "watch ethereum above 5000").await;
        // The source answers, without bitcoin (delisted): not the source's
        // failure, so no backoff; a poll every minute.
        server.forget("bitcoin");
        for poll in 1..=5 {
            app.advance(Duration::minutes(1));
            server.wait_for_requests("bitcoin", 1 + poll).await;
            server.wait_for_requests("ethereum", 1 + poll).await;
        }
        let said = wait_for_alerts(&app, &ana, 1).await;
        settle().await;
        assert_eq!(proactive_texts(&app, &ana).len(), 1, "told once: {said:?}");
        assert!(
            said[0].starts_with("⚠️ market no longer gives a price for bitcoin (no price at /bitcoin/usd in the answer), so your watch"),
            "{said:?}"
        );
        let listed = app.say(&ana, "watches").await;
        let stalled: Vec<&str> = listed[0].lines().filter(|line| line.contains("· _stalled_")).collect();
        assert_eq!(stalled.len(), 1, "only bitcoin's watch: {listed:?}");
        assert!(stalled[0].contains("bitcoin"), "{listed:?}");

        // Listed again, below the threshold: it goes on, and alerts.
        server.price("bitcoin", "19000");
        app.advance(Duration::minutes(1));
        let said = wait_for_alerts(&app, &ana, 3).await;
        assert!(said[1].starts_with("✅ market has a price for bitcoin again: your watch"), "{said:?}");
        assert!(said[2].contains("19000"), "the alert: {said:?}");
        assert!(!app.say(&ana, "watches").await[0].contains("_stalled_"));
    }
}

on_both_backends! {
    async fn a_delisted_symbol_stays_stalled_when_its_failing_source_recovers(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        server.price("ethereum", "2000");
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.failures_before_stalled = 2;
        })
        .await;
        let ana = app.conversation("delisted-then-down");
        app.say(&ana, "watch bitcoin below 20000").await;
        app.say(&ana, "watch ethereum above 5000").await;
        server.forget("bitcoin");
        for poll in 1..=2 {
            app.advance(Duration::minutes(1));
            server.wait_for_requests("ethereum", 1 + poll).await;
        }
        let said = wait_for_alerts(&app, &ana, 1).await;
        assert!(said[0].contains("no longer gives a price for bitcoin"), "{said:?}");

        // The whole source fails, then answers again — still without bitcoin.
        // (A failure backs the source off: of each round of polls, the first
        // is tried and the other waits.)
        server.answer("bitcoin", PriceAnswer::Garbage);
        server.answer("ethereum", PriceAnswer::Garbage);
        let asked = server.requests_for("bitcoin") + server.requests_for("ethereum");
        for round in 1..=3 {
            app.advance(Duration::minutes(30));
            server.wait_for_any_requests(asked + round).await;
        }
        let said = wait_for_alerts(&app, &ana, 2).await;
        assert!(said[1].contains("can't get prices from market") && said[1].contains("ethereum"), "{said:?}");
        server.forget("bitcoin");
        server.price("ethereum", "2100");
        app.advance(Duration::minutes(30));
        let said = wait_for_alerts(&app, &ana, 3).await;
        assert!(said[2].starts_with("✅ market answers again") && said[2].contains("ethereum"), "{said:?}");
        settle().await;
        // Bitcoin's watch was told nothing: it is stalled as it was.
        assert_eq!(proactive_texts(&app, &ana).len(), 3, "{:?}", proactive_texts(&app, &ana));
        let listed = app.say(&ana, "watches").await;
        let stalled: Vec<&str> = listed[0].lines().filter(|line| line.contains("· _stalled_")).collect();
        assert_eq!(stalled.len(), 1, "{listed:?}");
        assert!(stalled[0].contains("bitcoin"), "{listed:?}");
    }
}
