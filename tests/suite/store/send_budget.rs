//! The shared send budget: all or nothing, even when raced.

use std::sync::Arc;

use chrono::Duration;

use super::{open, t0};
use crate::on_both_backends;

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
