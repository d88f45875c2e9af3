//! The health of sources and symbols: failures counted, watches stalled
//! and resumed, their watchers told once.

use chrono::{DateTime, Utc};

use super::{FetchError, Prices};
use crate::domain::notification::Notification;
use crate::domain::ports::{QueuedMessage, StoreError, WatchedSymbol};
use crate::domain::price::WatchRecord;

impl Prices {
    pub(super) async fn healthy(
        &self,
        source_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let health = self.store.record_fetch(source_name, Ok(()), now).await?;
        if health.stalled {
            let recovered = self
                .store
                .set_source_stalled(source_name, false, now)
                .await?;
            self.tell(&recovered, |watch| Notification::SourceRecovered {
                source: watch.source.clone(),
                symbol: watch.symbol.clone(),
                watch_id: watch.id.0,
            })
            .await?;
        }
        Ok(())
    }

    pub(super) async fn failed(
        &self,
        source_name: &str,
        symbol: &str,
        error: &FetchError,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = error.to_string();
        tracing::warn!(source = source_name, symbol, %reason, "price fetch failed");
        let health = self
            .store
            .record_fetch(source_name, Err(&reason), now)
            .await?;
        if !health.stalled && health.failures >= self.settings.failures_before_stalled {
            let stalled = self
                .store
                .set_source_stalled(source_name, true, now)
                .await?;
            self.tell(&stalled, |watch| Notification::SourceStalled {
                source: watch.source.clone(),
                symbol: watch.symbol.clone(),
                watch_id: watch.id.0,
                problem: error.clone(),
            })
            .await?;
        }
        Ok(())
    }

    /// A poll without a price for a symbol the source answered for before
    /// (delisted, renamed): after as many such polls in a row as failures
    /// that stall a source, its watchers are told, once.
    pub(super) async fn unpriced(
        &self,
        watched: WatchedSymbol<'_>,
        error: &FetchError,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = error.to_string();
        tracing::warn!(source = watched.source, symbol = watched.symbol, %reason, "no price for a watched symbol");
        let misses = self.store.record_symbol_miss(watched, &reason, now).await?;
        if misses >= self.settings.failures_before_stalled {
            // Only watches not stalled already change: told once.
            let stalled = self.store.stall_symbol(watched, now).await?;
            self.tell(&stalled, |watch| Notification::SymbolUnpriced {
                source: watch.source.clone(),
                symbol: watch.symbol.clone(),
                watch_id: watch.id.0,
                problem: error.clone(),
            })
            .await?;
        }
        Ok(())
    }

    /// A poll with a price: a symbol that had none goes on, its watchers told.
    pub(super) async fn priced(
        &self,
        watched: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let resumed = self.store.symbol_priced(watched, now).await?;
        self.tell(&resumed, |watch| Notification::SymbolPricedAgain {
            source: watch.source.clone(),
            symbol: watch.symbol.clone(),
            watch_id: watch.id.0,
        })
        .await
    }

    async fn tell(
        &self,
        watches: &[WatchRecord],
        say: impl Fn(&WatchRecord) -> Notification,
    ) -> Result<(), StoreError> {
        if watches.is_empty() {
            return Ok(());
        }
        let messages: Vec<QueuedMessage> = watches
            .iter()
            .map(|watch| QueuedMessage {
                conversation: watch.conversation,
                owner: watch.owner.clone(),
                notification: say(watch),
            })
            .collect();
        self.store
            .apply_price_evaluation(&[], &messages, self.clock.now())
            .await?;
        self.outbox_written.notify_one();
        Ok(())
    }
}
