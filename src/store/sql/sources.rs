//! Prices and their sources on every dialect: the prices sources gave, the
//! polls that fetch them, and each source's and symbol's health (a stalled
//! source or symbol holds its watches).

use crate::domain::ports::{PriceSample, PriceStore, SourceHealth, StoreError, WatchedSymbol};
use crate::domain::price::WatchRecord;
use crate::domain::schedule::ScheduleSpec;
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::WatchRow;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::prices::{corrupt, records};

/// The misses are over; whether they had stalled the symbol's watches.
pub const CLEAR_SYMBOL_MISSES: &str =
    "DELETE FROM price_symbol_misses WHERE source = $1 AND symbol = $2 AND currency = $3
     RETURNING stalled";

pub const INSERT_PRICE: &str =
    "INSERT INTO price_history (source, symbol, at, price, currency) VALUES ($1, $2, $3, $4, $5)";

/// The polling trigger of a source's symbol, unless one is active: the
/// engine's own, in no conversation.
pub const INSERT_PRICE_POLL: &str = "INSERT INTO triggers (kind, state, price_source, text,
         schedule_json, next_fire_at, created_at, updated_at)
     VALUES ('price_poll', 'active', $1, $2, $3, $4, $5, $5)
     ON CONFLICT (price_source, text) WHERE kind = 'price_poll' AND state = 'active'
     DO NOTHING";

pub const MARK_SYMBOL_STALLED: &str = "UPDATE price_symbol_misses SET stalled = TRUE
     WHERE source = $1 AND symbol = $2 AND currency = $3";

pub const NOTE_PUSHED_SOURCE: &str = "INSERT INTO price_sources (name, pushed_at, updated_at)
     VALUES ($1, $2, $2)
     ON CONFLICT (name) DO UPDATE SET pushed_at = excluded.pushed_at, updated_at = excluded.updated_at";

pub const PRUNE_PRICE_HISTORY: &str = "DELETE FROM price_history WHERE at < $1";

pub const PRUNE_SYMBOL_MISSES: &str = "DELETE FROM price_symbol_misses WHERE updated_at < $1";

pub const PUSHED_SOURCE: &str =
    "SELECT COUNT(*) FROM price_sources WHERE name = $1 AND pushed_at IS NOT NULL";

pub const RECENT_PRICES: &str = "SELECT price FROM price_history
     WHERE source = $1 AND symbol = $2 ORDER BY at DESC LIMIT $3";

/// A fetch's outcome: failures in a row (0 after a success), the last error.
pub const RECORD_FETCH: &str = "INSERT INTO price_sources (name, failures, last_error, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET
         failures = CASE WHEN $2 = 0 THEN 0 ELSE price_sources.failures + 1 END,
         last_error = excluded.last_error, updated_at = excluded.updated_at
     RETURNING CAST(failures AS BIGINT), stalled";

/// A poll in which the source gave no price for a symbol in a currency
/// (`''` for the source's own): misses in a row.
pub const RECORD_SYMBOL_MISS: &str =
    "INSERT INTO price_symbol_misses (source, symbol, currency, misses, last_error, updated_at)
     VALUES ($1, $2, $3, 1, $4, $5)
     ON CONFLICT (source, symbol, currency) DO UPDATE SET
         misses = price_symbol_misses.misses + 1,
         last_error = excluded.last_error, updated_at = excluded.updated_at
     RETURNING CAST(misses AS BIGINT)";

pub const SET_SOURCE_STALLED: &str = "UPDATE price_sources SET stalled = $2 WHERE name = $1";

/// One symbol's active watches in one currency (`''`: those naming none),
/// marked stalled or not; returns those changed.
pub const SET_SYMBOL_WATCHES_STALLED: &str =
    "UPDATE price_watches SET stalled = $4, updated_at = $5
     WHERE source = $1 AND symbol = $2 AND COALESCE(currency, '') = $3
         AND state = 'active' AND stalled <> $4
     RETURNING id, conversation_key, owner_channel_id, owner_user_id, source, symbol, currency, rule_json,
         repeat, base, low, armed, state, last_price, last_alert_at, stalled, created_at";

/// A source's active watches, marked stalled or not; returns those changed.
/// A source that answers again leaves the watches on symbols it stopped
/// pricing stalled.
pub const SET_WATCHES_STALLED: &str = "UPDATE price_watches SET stalled = $2, updated_at = $3
     WHERE source = $1 AND state = 'active' AND stalled <> $2
         AND ($2 OR NOT EXISTS (SELECT 1 FROM price_symbol_misses m
             WHERE m.source = price_watches.source AND m.symbol = price_watches.symbol
                 AND m.currency = COALESCE(price_watches.currency, '') AND m.stalled))
     RETURNING id, conversation_key, owner_channel_id, owner_user_id, source, symbol, currency, rule_json,
         repeat, base, low, armed, state, last_price, last_alert_at, stalled, created_at";

pub const STOP_PRICE_POLL: &str = "UPDATE triggers SET state = 'cancelled', next_fire_at = NULL,
         updated_at = $3, completed_at = $3
     WHERE kind = 'price_poll' AND state = 'active' AND price_source = $1 AND text = $2";

on_every_dialect! {
    impl {
        /// Marks the active watches on one symbol stalled or not (see
        /// `stall_symbol` and `symbol_priced`); returns those that changed.
        async fn set_symbol_stalled(
            &self,
            symbol: WatchedSymbol<'_>,
            stalled: bool,
            now: DateTime<Utc>,
        ) -> Result<Vec<WatchRecord>, StoreError> {
            let currency = symbol.currency.unwrap_or_default();
            let mut tx = DB::begin_write(&self.writer).await?;
            if stalled {
                // Remembered, so the source recovering leaves these watches stalled.
                sqlx::query(MARK_SYMBOL_STALLED)
                    .bind(symbol.source)
                    .bind(symbol.symbol)
                    .bind(currency)
                    .execute(&mut *tx)
                    .await?;
            } else {
                // The misses are over; only a symbol that stalled its watches has
                // watches to resume.
                let was_stalled: Option<bool> = sqlx::query_scalar(CLEAR_SYMBOL_MISSES)
                    .bind(symbol.source)
                    .bind(symbol.symbol)
                    .bind(currency)
                    .fetch_optional(&mut *tx)
                    .await?;
                if was_stalled != Some(true) {
                    tx.commit().await?;
                    return Ok(Vec::new());
                }
            }
            let rows: Vec<WatchRow<DB::Instant>> = sqlx::query_as(SET_SYMBOL_WATCHES_STALLED)
                .bind(symbol.source)
                .bind(symbol.symbol)
                .bind(currency)
                .bind(stalled)
                .bind(at::<DB>(now))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            records(rows)
        }
    }
}

on_every_dialect! {
    impl PriceStore {
        async fn record_price(&self, sample: &PriceSample<'_>) -> Result<(), StoreError> {
            sqlx::query(INSERT_PRICE)
                .bind(sample.source)
                .bind(sample.symbol)
                .bind(at::<DB>(sample.at))
                .bind(sample.price.to_string())
                .bind(sample.currency)
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn recent_prices(
            &self,
            source: &str,
            symbol: &str,
            limit: u32,
        ) -> Result<Vec<Decimal>, StoreError> {
            let prices: Vec<String> = sqlx::query_scalar(RECENT_PRICES)
                .bind(source)
                .bind(symbol)
                .bind(i64::from(limit))
                .fetch_all(&mut *self.read().await?)
                .await?;
            prices
                .iter()
                .map(|price| {
                    price
                        .parse()
                        .map_err(|_| corrupt(format!("price `{price}`")))
                })
                .collect()
        }

        async fn prune_price_history(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let done = sqlx::query(PRUNE_PRICE_HISTORY)
                .bind(at::<DB>(before))
                .execute(&self.writer)
                .await?;
            // Misses of symbols nobody polls any more, kept no longer than prices.
            sqlx::query(PRUNE_SYMBOL_MISSES)
                .bind(at::<DB>(before))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected())
        }

        async fn ensure_price_poll(
            &self,
            source: &str,
            symbol: &str,
            every: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let spec = ScheduleSpec {
                every: Some(every.to_owned()),
                start: Some(now),
                ..ScheduleSpec::default()
            };
            let schedule = spec.to_schedule(now).map_err(corrupt)?;
            let first = schedule
                .next_after(now, 0)
                .ok_or_else(|| corrupt("a polling interval without an occurrence"))?;
            let created = sqlx::query(INSERT_PRICE_POLL)
                .bind(source)
                .bind(symbol)
                .bind(serde_json::to_string(&spec).map_err(corrupt)?)
                .bind(at::<DB>(first))
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?
                .rows_affected()
                == 1;
            Ok(created)
        }

        async fn stop_price_poll(
            &self,
            source: &str,
            symbol: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(STOP_PRICE_POLL)
                .bind(source)
                .bind(symbol)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn note_pushed_source(&self, source: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
            sqlx::query(NOTE_PUSHED_SOURCE)
                .bind(source)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn pushed_source(&self, source: &str) -> Result<bool, StoreError> {
            let count: i64 = sqlx::query_scalar(PUSHED_SOURCE)
                .bind(source)
                .fetch_one(&mut *self.read().await?)
                .await?;
            Ok(count > 0)
        }

        async fn record_fetch(
            &self,
            source: &str,
            outcome: Result<(), &str>,
            now: DateTime<Utc>,
        ) -> Result<SourceHealth, StoreError> {
            let (failures, error) = match outcome {
                Ok(()) => (0i64, None),
                Err(reason) => (1, Some(reason)),
            };
            let (failures, stalled): (i64, bool) = sqlx::query_as(RECORD_FETCH)
                .bind(source)
                .bind(failures)
                .bind(error)
                .bind(at::<DB>(now))
                .fetch_one(&self.writer)
                .await?;
            Ok(SourceHealth {
                failures: u32::try_from(failures).unwrap_or(u32::MAX),
                stalled,
            })
        }

        async fn set_source_stalled(
            &self,
            source: &str,
            stalled: bool,
            now: DateTime<Utc>,
        ) -> Result<Vec<WatchRecord>, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            sqlx::query(SET_SOURCE_STALLED)
                .bind(source)
                .bind(stalled)
                .execute(&mut *tx)
                .await?;
            let rows: Vec<WatchRow<DB::Instant>> = sqlx::query_as(SET_WATCHES_STALLED)
                .bind(source)
                .bind(stalled)
                .bind(at::<DB>(now))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            records(rows)
        }

        async fn record_symbol_miss(
            &self,
            symbol: WatchedSymbol<'_>,
            reason: &str,
            now: DateTime<Utc>,
        ) -> Result<u32, StoreError> {
            let misses: i64 = sqlx::query_scalar(RECORD_SYMBOL_MISS)
                .bind(symbol.source)
                .bind(symbol.symbol)
                .bind(symbol.currency.unwrap_or_default())
                .bind(reason)
                .bind(at::<DB>(now))
                .fetch_one(&self.writer)
                .await?;
            Ok(u32::try_from(misses).unwrap_or(u32::MAX))
        }

        async fn stall_symbol(
            &self,
            symbol: WatchedSymbol<'_>,
            now: DateTime<Utc>,
        ) -> Result<Vec<WatchRecord>, StoreError> {
            self.set_symbol_stalled(symbol, true, now).await
        }

        async fn symbol_priced(
            &self,
            symbol: WatchedSymbol<'_>,
            now: DateTime<Utc>,
        ) -> Result<Vec<WatchRecord>, StoreError> {
            self.set_symbol_stalled(symbol, false, now).await
        }
    }
}
