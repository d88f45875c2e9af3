//! A source's polling trigger come due, handed over by the scheduler (the
//! application connects the two): one fetch per currency its watches want,
//! a fetch reused within the source's interval.

use chrono::{DateTime, Utc};

use super::health::Failing;
use super::{Attempt, FetchError, Prices, Source};
use crate::domain::ports::{PriceSample, StoreError, WatchedSymbol};

/// A price fetched, or taken from a fetch a moment ago.
pub(super) struct Fetched<'a> {
    pub sample: PriceSample<'a>,
    /// Fetched now, not reused: not evaluated yet.
    pub fresh: bool,
}

impl Prices {
    /// A polling trigger came due: one fetch per currency its watches want,
    /// then evaluation — or the failure recorded, watchers told once when
    /// the source keeps failing.
    pub async fn poll(&self, source_name: &str, symbol: &str) -> Result<(), StoreError> {
        let now = self.clock.now();
        let Some(source) = self.sources.get(source_name).filter(|s| !s.is_push_only()) else {
            // The source was removed from the settings: nothing to poll.
            self.price_store
                .stop_price_poll(source_name, symbol, now)
                .await?;
            return Ok(());
        };
        let currencies = self
            .watch_store
            .watched_currencies(source_name, symbol)
            .await?;
        if currencies.is_empty() {
            self.price_store
                .stop_price_poll(source_name, symbol, now)
                .await?;
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
                Ok(fetched) => {
                    // Resumed first: the price counts for watches it resumes.
                    self.priced(watched, now).await?;
                    self.evaluate(&fetched).await?;
                }
                Err(error) if error.is_the_source_s() => {
                    self.failed(Failing::Source, watched, &error, now).await?;
                }
                // Over budget or backing off: the next poll tries again.
                Err(FetchError::Waiting) => {}
                // The source answers, but not for this symbol any more.
                Err(error) => self.failed(Failing::Symbol, watched, &error, now).await?,
            }
        }
        Ok(())
    }

    /// A fetched price counts for every watch on its symbol, once: one
    /// reused from a moment ago (a watch being set, or watches naming the
    /// source's own currency) was evaluated then.
    pub(super) async fn evaluate(&self, fetched: &Fetched<'_>) -> Result<(), StoreError> {
        if fetched.fresh {
            self.arrived(&fetched.sample).await?;
        }
        Ok(())
    }

    /// A fetch, unless the same price was fetched within the source's
    /// interval (a watch set a moment ago): the price, and whether it is new.
    pub(super) async fn fetch<'a>(
        &self,
        source: &'a Source,
        symbol: &'a str,
        currency: Option<&'a str>,
        now: DateTime<Utc>,
        attempt: Attempt,
    ) -> Result<Fetched<'a>, FetchError> {
        let fetched = |price, fresh| Fetched {
            sample: PriceSample {
                source: source.name(),
                symbol,
                price,
                currency,
                at: now,
            },
            fresh,
        };
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
                return Ok(fetched(*price, false));
            }
        }
        let price = self
            .fetcher
            .fetch(source, symbol, currency, now, attempt)
            .await?;
        let mut cache = self.fetched.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded: a flood of symbols cannot grow it without end.
        if cache.len() >= 10_000 {
            cache.retain(|_, (_, at)| now - *at < interval);
        }
        cache.insert(key, (price, now));
        Ok(fetched(price, true))
    }
}
