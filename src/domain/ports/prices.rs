//! The storage port's prices: watches on a source's symbol, the prices
//! sources gave, polls, and each source's and symbol's health.

use super::{LimitReached, OpenLimits, QueuedMessage, StoreError};
use crate::domain::conversation::ConversationKey;
use crate::domain::price::{NewWatch, WatchId, WatchRecord, WatchUpdate};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// A price as it came from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceSample<'a> {
    pub source: &'a str,
    pub symbol: &'a str,
    pub price: Decimal,
    pub currency: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// A polled source's health after a fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceHealth {
    /// Failures in a row (0 after a success).
    pub failures: u32,
    /// Its watches were told it is failing.
    pub stalled: bool,
}

/// One source's symbol in the currency its watches name (`None`: those that
/// name none and take the source's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchedSymbol<'a> {
    pub source: &'a str,
    pub symbol: &'a str,
    pub currency: Option<&'a str>,
}

/// What creating a watch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchCreated {
    Created(Box<WatchRecord>),
    /// The watch's activity already set one in its conversation (a
    /// channel's redelivery): nothing was created.
    Replayed,
    /// A cap on open watches; nothing was created.
    LimitReached(LimitReached),
}

/// Price watches: created from a conversation, evaluated against each price.
#[async_trait]
pub trait WatchStore: Send + Sync {
    /// Creates the watch unless its activity set one already or it would
    /// break `limits`, counted in the same transaction.
    async fn create_watch(
        &self,
        watch: &NewWatch<'_>,
        limits: OpenLimits,
        now: DateTime<Utc>,
    ) -> Result<WatchCreated, StoreError>;

    async fn watch(&self, id: WatchId) -> Result<Option<WatchRecord>, StoreError>;

    /// A conversation's active watches, oldest first.
    async fn list_watches(
        &self,
        conversation: ConversationKey,
        limit: u32,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    async fn cancel_watch(&self, id: WatchId, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Active watches on a source's symbol, a page after `after`.
    async fn watches_on(
        &self,
        source: &str,
        symbol: &str,
        after: Option<WatchId>,
        limit: u32,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// The currencies active watches on a source's symbol want; empty when
    /// nothing watches it.
    async fn watched_currencies(
        &self,
        source: &str,
        symbol: &str,
    ) -> Result<Vec<Option<String>>, StoreError>;

    /// In one transaction: what a price changed in watches, and their alerts.
    async fn apply_price_evaluation(
        &self,
        updates: &[WatchUpdate],
        alerts: &[QueuedMessage],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// Prices and their sources: the prices sources gave, polls, and each
/// source's and symbol's health.
#[async_trait]
pub trait PriceStore: Send + Sync {
    async fn record_price(&self, sample: &PriceSample<'_>) -> Result<(), StoreError>;

    /// The latest prices of a source's symbol, newest first.
    async fn recent_prices(
        &self,
        source: &str,
        symbol: &str,
        limit: u32,
    ) -> Result<Vec<Decimal>, StoreError>;

    async fn prune_price_history(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Starts polling a source's symbol (`every` as a schedule duration)
    /// unless a polling trigger is active; returns whether one was created.
    async fn ensure_price_poll(
        &self,
        source: &str,
        symbol: &str,
        every: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    async fn stop_price_poll(
        &self,
        source: &str,
        symbol: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Remembers that a system pushed prices of this source.
    async fn note_pushed_source(&self, source: &str, now: DateTime<Utc>) -> Result<(), StoreError>;

    async fn pushed_source(&self, source: &str) -> Result<bool, StoreError>;

    /// Records a fetch's outcome (`Err` with the reason).
    async fn record_fetch(
        &self,
        source: &str,
        outcome: Result<(), &str>,
        now: DateTime<Utc>,
    ) -> Result<SourceHealth, StoreError>;

    /// Marks a source (and its active watches) stalled or not; returns the
    /// watches that changed, whose owners are to be told.
    async fn set_source_stalled(
        &self,
        source: &str,
        stalled: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// A poll in which the source answered without a price for a watched
    /// symbol; returns such polls in a row.
    async fn record_symbol_miss(
        &self,
        symbol: WatchedSymbol<'_>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u32, StoreError>;

    /// Marks the active watches on one symbol stalled, and remembers it (a
    /// source recovering leaves them so); returns the watches that changed.
    async fn stall_symbol(
        &self,
        symbol: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// A poll with a price: the symbol's misses are forgotten, and its
    /// watches go on if they were stalled for it; returns those (most polls:
    /// none, after one statement).
    async fn symbol_priced(
        &self,
        symbol: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError>;
}
