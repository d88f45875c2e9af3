//! Prices: configured sources fetched on the trigger engine's schedule (one
//! polling trigger per source and symbol, whatever the number of watches on
//! it), prices pushed by external systems, and the evaluation of every watch
//! on a symbol when its price arrives — alerts queued in the watchers'
//! conversations, through the same outbox and rate limits as everything.

mod evaluation;
mod fetch;
pub mod guard;
mod health;
mod polling;
mod watch;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use tokio::sync::Notify;

pub use fetch::{Attempt, FetchError, Fetcher, Source, SourceConfig, price_of};

use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::person::PersonRef;
use crate::domain::ports::{LimitReached, OpenLimits, PriceStore, WatchStore};
use crate::domain::price::{RearmPolicy, WatchRecord};

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
    /// A cap on open watches; nothing was set.
    LimitReached(LimitReached),
}

/// Who asks for a watch, and where.
#[derive(Debug, Clone, Copy)]
pub struct Asker<'a> {
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub activity_id: Option<&'a str>,
    /// The caps on open watches where it is asked.
    pub limits: OpenLimits,
}

/// What a price's arrival did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evaluated {
    pub watches: usize,
    pub alerts: usize,
}

pub struct Prices {
    watch_store: Arc<dyn WatchStore>,
    price_store: Arc<dyn PriceStore>,
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

/// The storage ports price watching uses.
pub struct PricesPorts {
    pub watches: Arc<dyn WatchStore>,
    /// Prices, their history and the sources' and symbols' health.
    pub prices: Arc<dyn PriceStore>,
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
    pub fn new(ports: PricesPorts, clock: Arc<dyn Clock>, parts: PricesParts) -> Self {
        Self {
            watch_store: ports.watches,
            price_store: ports.prices,
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

    /// Lets failing sources be tried again at once.
    pub fn forget_backoff(&self) {
        self.fetcher.forget_backoff();
    }

    /// The time of the clock, for callers that record pushed prices.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
