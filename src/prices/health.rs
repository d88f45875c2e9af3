//! The health of sources and symbols: failures counted, watches stalled
//! and resumed, their watchers told once. A source that keeps failing and
//! a symbol its source stops pricing go through the same steps, written
//! once: only the count that grows and the watches that stall differ.

use chrono::{DateTime, Utc};

use super::{FetchError, Prices};
use crate::domain::notification::Notification;
use crate::domain::ports::{QueuedMessage, StoreError, WatchedSymbol};
use crate::domain::price::WatchRecord;

/// What a failed poll is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failing {
    /// The source itself (down, throttling, answering nonsense): every
    /// watch on it stalls.
    Source,
    /// A source that answers, but with no price for a symbol it priced
    /// before (delisted, renamed): that symbol's watches stall.
    Symbol,
}

impl Prices {
    /// A poll that failed, counted. The failure that makes as many in a row
    /// as `failures_before_stalled` stalls the watches and tells their
    /// watchers; a source or watches stalled already change nothing, so
    /// they are told once.
    pub(super) async fn failed(
        &self,
        failing: Failing,
        watched: WatchedSymbol<'_>,
        error: &FetchError,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = error.to_string();
        let (source, symbol) = (watched.source, watched.symbol);
        let threshold = self.settings.failures_before_stalled;
        let stalled = match failing {
            Failing::Source => {
                tracing::warn!(source, symbol, %reason, "price fetch failed");
                let health = self
                    .price_store
                    .record_fetch(source, Err(&reason), now)
                    .await?;
                if health.stalled || health.failures < threshold {
                    return Ok(());
                }
                self.price_store
                    .set_source_stalled(source, true, now)
                    .await?
            }
            Failing::Symbol => {
                tracing::warn!(source, symbol, %reason, "no price for a watched symbol");
                let misses = self
                    .price_store
                    .record_symbol_miss(watched, &reason, now)
                    .await?;
                if misses < threshold {
                    return Ok(());
                }
                self.price_store.stall_symbol(watched, now).await?
            }
        };
        self.tell(&stalled, |source, symbol, watch_id| {
            let problem = error.clone();
            match failing {
                Failing::Source => Notification::SourceStalled {
                    source,
                    symbol,
                    watch_id,
                    problem,
                },
                Failing::Symbol => Notification::SymbolUnpriced {
                    source,
                    symbol,
                    watch_id,
                    problem,
                },
            }
        })
        .await
    }

    /// A poll with a price: the source's failures are over and a symbol
    /// that had none goes on; the watchers of what was stalled are told.
    pub(super) async fn priced(
        &self,
        watched: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let health = self
            .price_store
            .record_fetch(watched.source, Ok(()), now)
            .await?;
        if health.stalled {
            let recovered = self
                .price_store
                .set_source_stalled(watched.source, false, now)
                .await?;
            self.tell(&recovered, |source, symbol, watch_id| {
                Notification::SourceRecovered {
                    source,
                    symbol,
                    watch_id,
                }
            })
            .await?;
        }
        let resumed = self.price_store.symbol_priced(watched, now).await?;
        self.tell(&resumed, |source, symbol, watch_id| {
            Notification::SymbolPricedAgain {
                source,
                symbol,
                watch_id,
            }
        })
        .await
    }

    /// Each watch's watcher told, in the watch's conversation: `say` is given
    /// the watch's source, symbol and id, which every such notice names.
    async fn tell(
        &self,
        watches: &[WatchRecord],
        say: impl Fn(String, String, i64) -> Notification,
    ) -> Result<(), StoreError> {
        if watches.is_empty() {
            return Ok(());
        }
        let messages: Vec<QueuedMessage> = watches
            .iter()
            .map(|watch| QueuedMessage {
                conversation: watch.conversation,
                owner: watch.owner.clone(),
                notification: say(watch.source.clone(), watch.symbol.clone(), watch.id.0),
            })
            .collect();
        self.watch_store
            .apply_price_evaluation(&[], &messages, self.clock.now())
            .await?;
        self.outbox_written.notify_one();
        Ok(())
    }
}
