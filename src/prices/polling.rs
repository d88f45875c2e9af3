//! A source's polling trigger come due, handed over by the scheduler (the
//! application connects the two): one fetch per currency its watches want,
//! a fetch reused within the source's interval.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{Attempt, FetchError, Prices, Source};
use crate::domain::ports::{PriceSample, StoreError, WatchedSymbol};

impl Prices {
    /// A polling trigger came due: one fetch per currency its watches want,
    /// then evaluation — or the failure recorded, watchers told once when
    /// the source keeps failing.
    pub async fn poll(&self, source_name: &str, symbol: &str) -> Result<(), StoreError> {
        let now = self.clock.now();
        let Some(source) = self.sources.get(source_name).filter(|s| !s.is_push_only()) else {
            // The source was removed from the settings: nothing to poll.
            self.store.stop_price_poll(source_name, symbol, now).await?;
            return Ok(());
        };
        let currencies = self.store.watched_currencies(source_name, symbol).await?;
        if currencies.is_empty() {
            self.store.stop_price_poll(source_name, symbol, now).await?;
            return Ok(());
        }
        for watched in &currencies {
            let watched = WatchedSymbol {
                source: source_name,
                symbol,
                currency: watched.as_deref(),
            };
            let currency = watched.currency.or(source.currency());
            match self
                .fetch(source, symbol, currency, now, Attempt::Poll)
                .await
            {
                Ok((price, fresh)) => {
                    self.healthy(source_name, now).await?;
                    self.priced(watched, now).await?;
                    // Not fresh: fetched a moment ago (by a watch being set,
                    // or for watches naming the source's own currency), and
                    // evaluated then.
                    if fresh {
                        self.arrived(&PriceSample {
                            source: source_name,
                            symbol,
                            price,
                            currency,
                            at: now,
                        })
                        .await?;
                    }
                }
                Err(error) if error.is_the_source_s() => {
                    self.failed(source_name, symbol, &error, now).await?;
                }
                // Over budget or backing off: the next poll tries again.
                Err(FetchError::Waiting) => {}
                // The source answers, but not for this symbol any more.
                Err(error) => self.unpriced(watched, &error, now).await?,
            }
        }
        Ok(())
    }

    /// A fetch, unless the same price was fetched within the source's
    /// interval (a watch set a moment ago): the price, and whether it is new.
    pub(super) async fn fetch(
        &self,
        source: &Source,
        symbol: &str,
        currency: Option<&str>,
        now: DateTime<Utc>,
        attempt: Attempt,
    ) -> Result<(Decimal, bool), FetchError> {
        let key = (
            source.name().to_owned(),
            symbol.to_owned(),
            currency.map(str::to_owned),
        );
        let interval =
            chrono::Duration::from_std(source.interval()).unwrap_or(chrono::Duration::zero());
        if let Some((price, at)) = self
            .fetched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            if now - *at < interval && now >= *at {
                return Ok((*price, false));
            }
        }
        let price = self
            .fetcher
            .fetch(source, symbol, currency, now, attempt)
            .await?;
        let mut fetched = self.fetched.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: a flood of symbols cannot grow it without end.
        if fetched.len() >= 10_000 {
            fetched.retain(|_, (_, at)| now - *at < interval);
        }
        fetched.insert(key, (price, now));
        Ok((price, true))
    }
}
