//! The trigger engine's polling: one fetch per symbol and interval, however
//! many watch it.

use chrono::Duration;

use super::{app_with_market, proactive_texts, settle, wait_for_alerts};
use crate::helpers::{Conversation, PriceServer};
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
