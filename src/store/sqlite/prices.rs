//! Price watches on SQLite: watches, their evaluation written in one
//! transaction with its alerts, price history, polling triggers and the
//! health of sources.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{QueryBuilder, Sqlite};

use super::ROWS_PER_STATEMENT;
use crate::domain::conversation::ConversationKey;
use crate::domain::person::PersonRef;
use crate::domain::ports::{
    PriceSample, QueuedMessage, ReminderCounts, SourceHealth, StoreError, WatchedSymbol,
};
use crate::domain::price::{NewWatch, WatchId, WatchRecord, WatchUpdate};
use crate::domain::schedule::ScheduleSpec;
use crate::store::SqliteStore;
use crate::store::rows::{WatchRow, to_millis};
use crate::store::sql;

type Row = WatchRow<i64>;

fn instant(at: DateTime<Utc>) -> i64 {
    to_millis(at)
}

fn records(rows: Vec<Row>) -> Result<Vec<WatchRecord>, StoreError> {
    rows.into_iter().map(WatchRecord::try_from).collect()
}

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

pub async fn create_watch(
    store: &SqliteStore,
    watch: &NewWatch<'_>,
    now: DateTime<Utc>,
) -> Result<Option<WatchRecord>, StoreError> {
    let rule = serde_json::to_string(&watch.rule).map_err(corrupt)?;
    let id: Option<i64> = sqlx::query_scalar(sql::INSERT_WATCH)
        .bind(watch.conversation.0)
        .bind(watch.owner.map(|o| o.user_id))
        .bind(watch.source)
        .bind(watch.symbol)
        .bind(watch.currency)
        .bind(rule)
        .bind(watch.repeat)
        .bind(watch.base.to_string())
        .bind(instant(now))
        .bind(watch.activity_id)
        .bind(watch.last_price.map(|price| price.to_string()))
        .bind(watch.owner.map(|o| o.channel_id))
        .fetch_optional(&store.writer)
        .await?;
    let Some(id) = id else { return Ok(None) };
    let row: Row = sqlx::query_as(sql::SELECT_WATCH)
        .bind(id)
        .fetch_one(&store.writer)
        .await?;
    WatchRecord::try_from(row).map(Some)
}

pub async fn watch(store: &SqliteStore, id: WatchId) -> Result<Option<WatchRecord>, StoreError> {
    let row: Option<Row> = sqlx::query_as(sql::SELECT_WATCH)
        .bind(id.0)
        .fetch_optional(&store.reader)
        .await?;
    row.map(WatchRecord::try_from).transpose()
}

pub async fn list_watches(
    store: &SqliteStore,
    conversation: ConversationKey,
    limit: u32,
) -> Result<Vec<WatchRecord>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(sql::LIST_WATCHES)
        .bind(conversation.0)
        .bind(i64::from(limit))
        .fetch_all(&store.reader)
        .await?;
    records(rows)
}

pub async fn cancel_watch(
    store: &SqliteStore,
    id: WatchId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(sql::CANCEL_WATCH)
        .bind(id.0)
        .bind(instant(now))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn watches_on(
    store: &SqliteStore,
    source: &str,
    symbol: &str,
    after: Option<WatchId>,
    limit: u32,
) -> Result<Vec<WatchRecord>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(sql::WATCHES_ON)
        .bind(source)
        .bind(symbol)
        .bind(after.map_or(0, |id| id.0))
        .bind(i64::from(limit))
        .fetch_all(&store.reader)
        .await?;
    records(rows)
}

pub async fn count_watches(
    store: &SqliteStore,
    conversation: ConversationKey,
    owner: Option<PersonRef<'_>>,
) -> Result<ReminderCounts, StoreError> {
    let counts = sqlx::query_as(sql::COUNT_OPEN_WATCHES)
        .bind(owner.map(|o| o.channel_id))
        .bind(conversation.0)
        .bind(owner.map(|o| o.user_id))
        .fetch_one(&store.reader)
        .await?;
    Ok(ReminderCounts::of(counts))
}

pub async fn watched_currencies(
    store: &SqliteStore,
    source: &str,
    symbol: &str,
) -> Result<Vec<Option<String>>, StoreError> {
    Ok(sqlx::query_scalar(sql::WATCHED_CURRENCIES)
        .bind(source)
        .bind(symbol)
        .fetch_all(&store.reader)
        .await?)
}

pub async fn apply_price_evaluation(
    store: &SqliteStore,
    updates: &[WatchUpdate],
    alerts: &[QueuedMessage],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if updates.is_empty() && alerts.is_empty() {
        return Ok(());
    }
    let now_ms = instant(now);
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    // A page of watches is written in a few multi-row statements, not one
    // statement per watch: 100,000 alerts from one price are 50 statements.
    for chunk in updates.chunks(ROWS_PER_STATEMENT) {
        let mut update = QueryBuilder::<Sqlite>::new(
            "UPDATE price_watches SET state = u.column2, armed = u.column3, low = u.column4,
                 last_price = u.column5, last_alert_at = u.column6, updated_at = ",
        );
        update.push_bind(now_ms).push(" FROM (");
        update.push_values(chunk, |mut row, update| {
            row.push_bind(update.id.0)
                .push_bind(update.status.as_str())
                .push_bind(update.state.armed)
                .push_bind(update.state.low.to_string())
                .push_bind(update.last_price.to_string())
                .push_bind(update.state.last_alert_at.map(instant));
        });
        update.push(") AS u WHERE price_watches.id = u.column1 AND price_watches.state = 'active'");
        update.build().persistent(false).execute(&mut *tx).await?;
    }
    let payloads = alerts
        .iter()
        .map(|alert| serde_json::to_string(&alert.notification).map_err(corrupt))
        .collect::<Result<Vec<_>, _>>()?;
    for (chunk, payloads) in alerts
        .chunks(ROWS_PER_STATEMENT)
        .zip(payloads.chunks(ROWS_PER_STATEMENT))
    {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO outbox (conversation_key, owner_channel_id, owner_user_id, payload,
                                 state, next_attempt_at, created_at) ",
        );
        insert.push_values(chunk.iter().zip(payloads), |mut row, (alert, payload)| {
            row.push_bind(alert.conversation.0)
                .push_bind(alert.owner.as_ref().map(|o| o.channel_id.as_str()))
                .push_bind(alert.owner.as_ref().map(|o| o.user_id.as_str()))
                .push_bind(payload.as_str())
                .push("'pending'")
                .push_bind(now_ms)
                .push_bind(now_ms);
        });
        insert.build().persistent(false).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn record_price(store: &SqliteStore, sample: &PriceSample<'_>) -> Result<(), StoreError> {
    sqlx::query(sql::INSERT_PRICE)
        .bind(sample.source)
        .bind(sample.symbol)
        .bind(instant(sample.at))
        .bind(sample.price.to_string())
        .bind(sample.currency)
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub async fn recent_prices(
    store: &SqliteStore,
    source: &str,
    symbol: &str,
    limit: u32,
) -> Result<Vec<Decimal>, StoreError> {
    let prices: Vec<String> = sqlx::query_scalar(sql::RECENT_PRICES)
        .bind(source)
        .bind(symbol)
        .bind(i64::from(limit))
        .fetch_all(&store.reader)
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

pub async fn prune_price_history(
    store: &SqliteStore,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query(sql::PRUNE_PRICE_HISTORY)
        .bind(instant(before))
        .execute(&store.writer)
        .await?;
    // Misses of symbols nobody polls any more, kept no longer than prices.
    sqlx::query(sql::PRUNE_SYMBOL_MISSES)
        .bind(instant(before))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected())
}

pub async fn record_symbol_miss(
    store: &SqliteStore,
    symbol: WatchedSymbol<'_>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let misses: i64 = sqlx::query_scalar(sql::RECORD_SYMBOL_MISS)
        .bind(symbol.source)
        .bind(symbol.symbol)
        .bind(symbol.currency.unwrap_or_default())
        .bind(reason)
        .bind(instant(now))
        .fetch_one(&store.writer)
        .await?;
    Ok(u32::try_from(misses).unwrap_or(u32::MAX))
}

pub async fn set_symbol_stalled(
    store: &SqliteStore,
    symbol: WatchedSymbol<'_>,
    stalled: bool,
    now: DateTime<Utc>,
) -> Result<Vec<WatchRecord>, StoreError> {
    let currency = symbol.currency.unwrap_or_default();
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    if stalled {
        // Remembered, so the source recovering leaves these watches stalled.
        sqlx::query(sql::MARK_SYMBOL_STALLED)
            .bind(symbol.source)
            .bind(symbol.symbol)
            .bind(currency)
            .execute(&mut *tx)
            .await?;
    } else {
        // The misses are over; only a symbol that stalled its watches has
        // watches to resume.
        let was_stalled: Option<bool> = sqlx::query_scalar(sql::CLEAR_SYMBOL_MISSES)
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
    let rows: Vec<Row> = sqlx::query_as(sql::SET_SYMBOL_WATCHES_STALLED)
        .bind(symbol.source)
        .bind(symbol.symbol)
        .bind(currency)
        .bind(stalled)
        .bind(instant(now))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    records(rows)
}

/// A source's conversation: `prices/<source>` on the `herald` channel.
fn source_conversation(source: &str) -> String {
    format!("prices/{source}")
}

pub async fn ensure_price_poll(
    store: &SqliteStore,
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
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let conversation: i64 = sqlx::query_scalar(sql::UPSERT_SOURCE_CONVERSATION)
        .bind(source_conversation(source))
        .bind(instant(now))
        .fetch_one(&mut *tx)
        .await?;
    let created = sqlx::query(sql::INSERT_PRICE_POLL)
        .bind(conversation)
        .bind(symbol)
        .bind(serde_json::to_string(&spec).map_err(corrupt)?)
        .bind(instant(first))
        .bind(instant(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(created)
}

pub async fn stop_price_poll(
    store: &SqliteStore,
    source: &str,
    symbol: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(sql::STOP_PRICE_POLL)
        .bind(source_conversation(source))
        .bind(symbol)
        .bind(instant(now))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn note_pushed_source(
    store: &SqliteStore,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(sql::NOTE_PUSHED_SOURCE)
        .bind(source)
        .bind(instant(now))
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub async fn pushed_source(store: &SqliteStore, source: &str) -> Result<bool, StoreError> {
    let count: i64 = sqlx::query_scalar(sql::PUSHED_SOURCE)
        .bind(source)
        .fetch_one(&store.reader)
        .await?;
    Ok(count > 0)
}

pub async fn record_fetch(
    store: &SqliteStore,
    source: &str,
    outcome: Result<(), &str>,
    now: DateTime<Utc>,
) -> Result<SourceHealth, StoreError> {
    let (failures, error) = match outcome {
        Ok(()) => (0i64, None),
        Err(reason) => (1, Some(reason)),
    };
    let (failures, stalled): (i64, bool) = sqlx::query_as(sql::RECORD_FETCH)
        .bind(source)
        .bind(failures)
        .bind(error)
        .bind(instant(now))
        .fetch_one(&store.writer)
        .await?;
    Ok(SourceHealth {
        failures: u32::try_from(failures).unwrap_or(u32::MAX),
        stalled,
    })
}

pub async fn set_source_stalled(
    store: &SqliteStore,
    source: &str,
    stalled: bool,
    now: DateTime<Utc>,
) -> Result<Vec<WatchRecord>, StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(sql::SET_SOURCE_STALLED)
        .bind(source)
        .bind(stalled)
        .execute(&mut *tx)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(sql::SET_WATCHES_STALLED)
        .bind(source)
        .bind(stalled)
        .bind(instant(now))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    records(rows)
}
