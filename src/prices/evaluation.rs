//! A price's arrival, fetched or pushed: kept, and every watch on its
//! symbol evaluated, alerts queued in the same transaction.

use super::{Evaluated, Prices};
use crate::domain::notification::Notification;
use crate::domain::ports::{PriceSample, QueuedMessage, StoreError};
use crate::domain::price::{self, Rule, WatchStatus, WatchUpdate, evaluate};

/// Watches evaluated per transaction when a price arrives.
const PAGE: u32 = 5_000;
/// Prices an alert's sparkline shows.
const SPARKLINE: u32 = 16;

impl Prices {
    /// A price arrived (fetched or pushed): kept, and every watch on the
    /// symbol evaluated, in pages, each page's changes and alerts written in
    /// one transaction.
    pub async fn arrived(&self, sample: &PriceSample<'_>) -> Result<Evaluated, StoreError> {
        self.price_store.record_price(sample).await?;
        let mut recent = self
            .price_store
            .recent_prices(sample.source, sample.symbol, SPARKLINE)
            .await?;
        recent.reverse();
        let sparkline = price::sparkline(&recent);
        let mut evaluated = Evaluated::default();
        let mut after = None;
        loop {
            let page = self
                .watch_store
                .watches_on(sample.source, sample.symbol, after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            let mut updates = Vec::new();
            let mut alerts = Vec::new();
            for watch in &page {
                // A watch in another currency is not compared with this price.
                if let (Some(theirs), Some(ours)) = (watch.currency.as_deref(), sample.currency) {
                    if !theirs.eq_ignore_ascii_case(ours) {
                        continue;
                    }
                }
                evaluated.watches += 1;
                let outcome = evaluate(
                    watch.rule,
                    watch.repeat,
                    watch.state,
                    sample.price,
                    sample.at,
                    self.settings.rearm,
                );
                let status = if outcome.finished {
                    WatchStatus::Completed
                } else {
                    WatchStatus::Active
                };
                // Only what matters is written: a new low only for new-low rules.
                let low_matters =
                    watch.rule == Rule::NewLow && outcome.state.low != watch.state.low;
                if outcome.alert.is_some()
                    || status != watch.status
                    || outcome.state.armed != watch.state.armed
                    || low_matters
                {
                    updates.push(WatchUpdate {
                        id: watch.id,
                        state: outcome.state,
                        status,
                        last_price: sample.price,
                    });
                }
                if let Some(alert) = outcome.alert {
                    alerts.push(QueuedMessage {
                        conversation: watch.conversation,
                        owner: watch.owner.clone(),
                        notification: Notification::PriceAlert {
                            watch_id: watch.id.0,
                            source: watch.source.clone(),
                            symbol: watch.symbol.clone(),
                            currency: watch
                                .currency
                                .clone()
                                .or(sample.currency.map(str::to_owned)),
                            rule: watch.rule,
                            price: alert.price,
                            threshold: alert.threshold,
                            base: alert.base,
                            sparkline: sparkline.clone(),
                        },
                    });
                }
            }
            evaluated.alerts += alerts.len();
            self.watch_store
                .apply_price_evaluation(&updates, &alerts, self.clock.now())
                .await?;
            if !alerts.is_empty() {
                self.outbox_written.notify_one();
            }
            if page.len() < PAGE as usize {
                break;
            }
        }
        Ok(evaluated)
    }

    /// Whether Herald fetches this source itself (pushing to it is refused:
    /// its prices come from its URL alone).
    pub fn is_fetched(&self, source: &str) -> bool {
        self.sources.get(source).is_some_and(|s| !s.is_push_only())
    }

    /// A price pushed by an external system: the source is remembered as
    /// one watches may name, and every watch on the symbol is evaluated.
    pub async fn pushed(&self, sample: &PriceSample<'_>) -> Result<Evaluated, StoreError> {
        self.price_store
            .note_pushed_source(sample.source, self.clock.now())
            .await?;
        self.arrived(sample).await
    }
}
