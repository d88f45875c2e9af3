//! Setting a watch: the source checked, the price asked for once, the
//! watch created and its symbol's polling trigger ensured.

use rust_decimal::Decimal;

use super::{Asker, Attempt, Prices, Source, WatchOutcome};
use crate::domain::ports::{StoreError, WatchCreated};
use crate::domain::price::{self, NewWatch, Rule};
use crate::domain::schedule::format_duration;

impl Prices {
    /// Sets a watch: the source must exist (configured, or pushed to); a
    /// polled one is asked for the price once, which also tells at once
    /// whether the symbol exists, and becomes the base of relative rules.
    pub async fn watch(
        &self,
        asker: Asker<'_>,
        request: &price::command::WatchRequest,
    ) -> Result<WatchOutcome, StoreError> {
        let now = self.clock.now();
        let source_name = request.source.as_deref().unwrap_or(&self.default_source);
        let source = self.sources.get(source_name);
        let symbol = source.map_or_else(|| request.symbol.clone(), |s| s.symbol(&request.symbol));
        let symbol = symbol.as_str();
        let currency = request
            .currency
            .as_deref()
            .or_else(|| source.and_then(Source::currency));
        let current = match source {
            Some(source) if !source.is_push_only() => {
                match self
                    .fetch(source, symbol, currency, now, Attempt::Asked)
                    .await
                {
                    Ok(fetched) => {
                        // A new price counts for every watch already on it.
                        self.evaluate(&fetched).await?;
                        Some(fetched.sample.price)
                    }
                    Err(error) => return Ok(WatchOutcome::NoPrice(error)),
                }
            }
            Some(_) => self.last_price(source_name, symbol).await?,
            None if self.price_store.pushed_source(source_name).await? => {
                self.last_price(source_name, symbol).await?
            }
            None => return Ok(WatchOutcome::UnknownSource),
        };
        let base = match (request.base, current, request.rule) {
            (Some(base), _, _) => base,
            (None, Some(current), _) => current,
            (None, None, Rule::Below { price } | Rule::Above { price }) => price,
            (None, None, _) => return Ok(WatchOutcome::NeedsBase),
        };
        let created = self
            .watch_store
            .create_watch(
                &NewWatch {
                    conversation: asker.conversation,
                    owner: asker.owner,
                    source: source_name,
                    symbol,
                    currency,
                    rule: request.rule,
                    repeat: request.repeat,
                    base,
                    activity_id: asker.activity_id,
                    last_price: current,
                },
                asker.limits,
                now,
            )
            .await?;
        let watch = match created {
            WatchCreated::Created(watch) => watch,
            WatchCreated::Replayed => return Ok(WatchOutcome::Replayed),
            WatchCreated::LimitReached(limit) => return Ok(WatchOutcome::LimitReached(limit)),
        };
        if let Some(source) = source.filter(|s| !s.is_push_only()) {
            let every = format_duration(
                chrono::Duration::from_std(source.interval())
                    .unwrap_or(chrono::Duration::minutes(1)),
            );
            if self
                .price_store
                .ensure_price_poll(source_name, symbol, &every, now)
                .await?
            {
                self.trigger_waker.notify_one();
            }
        }
        Ok(WatchOutcome::Set { watch, current })
    }

    async fn last_price(&self, source: &str, symbol: &str) -> Result<Option<Decimal>, StoreError> {
        Ok(self
            .price_store
            .recent_prices(source, symbol, 1)
            .await?
            .into_iter()
            .next())
    }
}
