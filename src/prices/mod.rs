//! Prices: configured sources fetched on the trigger engine's schedule (one
//! polling trigger per source and symbol, whatever the number of watches on
//! it), prices pushed by external systems, and the evaluation of every watch
//! on a symbol when its price arrives — alerts queued in the watchers'
//! conversations, through the same outbox and rate limits as everything.

mod fetch;
pub mod guard;
mod poller;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use tokio::sync::Notify;

pub use fetch::{Attempt, FetchError, Fetcher, Source, SourceConfig, price_of};
pub use poller::PricePoller;

use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::person::PersonRef;
use crate::domain::ports::{PriceSample, QueuedMessage, Store, StoreError, WatchedSymbol};
use crate::domain::price::{
    self, NewWatch, RearmPolicy, Rule, WatchRecord, WatchStatus, WatchUpdate, evaluate,
};
use crate::domain::schedule::format_duration;

/// Watches evaluated per transaction when a price arrives.
const PAGE: u32 = 5_000;
/// Prices an alert's sparkline shows.
const SPARKLINE: u32 = 16;

/// Source, symbol, currency.
type PriceKey = (String, String, Option<String>);

/// Tuning of price watching.
#[derive(Debug, Clone, Copy)]
pub struct PriceSettings {
    pub rearm: RearmPolicy,
    /// Fetch failures in a row after which a source's watches are stalled;
    /// also polls in a row without a symbol's price after which that
    /// symbol's watches are.
    pub failures_before_stalled: u32,
}

/// What asking for a watch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchOutcome {
    /// Set; with the price fetched (or last pushed) when there is one.
    Set {
        watch: Box<WatchRecord>,
        current: Option<Decimal>,
    },
    /// The same activity set it already (a channel's redelivery).
    Replayed,
    /// The source is neither configured nor ever pushed to.
    UnknownSource,
    /// The source gave no price for the symbol.
    NoPrice(FetchError),
    /// A relative rule with nothing to be relative to yet.
    NeedsBase,
}

/// Who asks for a watch, and where.
#[derive(Debug, Clone, Copy)]
pub struct Asker<'a> {
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub activity_id: Option<&'a str>,
}

/// What a price's arrival did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evaluated {
    pub watches: usize,
    pub alerts: usize,
}

pub struct Prices {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    sources: BTreeMap<String, Source>,
    fetcher: Fetcher,
    /// The latest price fetched per source, symbol and currency, and when.
    fetched: Mutex<HashMap<PriceKey, (Decimal, DateTime<Utc>)>>,
    settings: PriceSettings,
    /// Wakes delivery (alerts queued) and the scheduler (a poll created).
    outbox_written: Arc<Notify>,
    trigger_waker: Arc<Notify>,
    default_source: String,
}

pub struct PricesParts {
    pub sources: Vec<Source>,
    pub fetcher: Fetcher,
    pub settings: PriceSettings,
    pub default_source: String,
    pub outbox_written: Arc<Notify>,
    pub trigger_waker: Arc<Notify>,
}

impl Prices {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, parts: PricesParts) -> Self {
        Self {
            store,
            clock,
            sources: parts
                .sources
                .into_iter()
                .map(|source| (source.name().to_owned(), source))
                .collect(),
            fetcher: parts.fetcher,
            fetched: Mutex::new(HashMap::new()),
            settings: parts.settings,
            outbox_written: parts.outbox_written,
            trigger_waker: parts.trigger_waker,
            default_source: parts.default_source,
        }
    }

    pub fn default_source(&self) -> &str {
        &self.default_source
    }

    /// The configured sources' names, for telling people what exists.
    pub fn source_names(&self) -> Vec<&str> {
        self.sources.keys().map(String::as_str).collect()
    }

    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.get(name)
    }

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
                    Ok((price, fresh)) => {
                        // A new price counts for every watch already on it.
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
                        Some(price)
                    }
                    Err(error) => return Ok(WatchOutcome::NoPrice(error)),
                }
            }
            Some(_) => self.last_price(source_name, symbol).await?,
            None if self.store.pushed_source(source_name).await? => {
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
            .store
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
                now,
            )
            .await?;
        let Some(watch) = created else {
            return Ok(WatchOutcome::Replayed);
        };
        if let Some(source) = source.filter(|s| !s.is_push_only()) {
            let every = format_duration(
                chrono::Duration::from_std(source.interval())
                    .unwrap_or(chrono::Duration::minutes(1)),
            );
            if self
                .store
                .ensure_price_poll(source_name, symbol, &every, now)
                .await?
            {
                self.trigger_waker.notify_one();
            }
        }
        Ok(WatchOutcome::Set {
            watch: Box::new(watch),
            current,
        })
    }

    async fn last_price(&self, source: &str, symbol: &str) -> Result<Option<Decimal>, StoreError> {
        Ok(self
            .store
            .recent_prices(source, symbol, 1)
            .await?
            .into_iter()
            .next())
    }

    /// A price arrived (fetched or pushed): kept, and every watch on the
    /// symbol evaluated, in pages, each page's changes and alerts written in
    /// one transaction.
    pub async fn arrived(&self, sample: &PriceSample<'_>) -> Result<Evaluated, StoreError> {
        self.store.record_price(sample).await?;
        let mut recent = self
            .store
            .recent_prices(sample.source, sample.symbol, SPARKLINE)
            .await?;
        recent.reverse();
        let sparkline = price::sparkline(&recent);
        let mut evaluated = Evaluated::default();
        let mut after = None;
        loop {
            let page = self
                .store
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
            self.store
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
        self.store
            .note_pushed_source(sample.source, self.clock.now())
            .await?;
        self.arrived(sample).await
    }

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
    async fn fetch(
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

    async fn healthy(&self, source_name: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
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

    async fn failed(
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
    async fn unpriced(
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
    async fn priced(
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

    /// Lets failing sources be tried again at once.
    pub fn forget_backoff(&self) {
        self.fetcher.forget_backoff();
    }

    /// The time of the clock, for callers that record pushed prices.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
