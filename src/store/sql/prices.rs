//! Price watches on every dialect: watches, their evaluation written in one
//! transaction with its alerts, price history, polling triggers and the
//! health of sources and symbols.

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{OpenLimits, QueuedMessage, StoreError, WatchCreated, WatchStore};
use crate::domain::price::{NewWatch, WatchId, WatchRecord, WatchUpdate};
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::{StoredInstant, WatchRow};

pub(super) fn records<T: StoredInstant>(
    rows: Vec<WatchRow<T>>,
) -> Result<Vec<WatchRecord>, StoreError> {
    rows.into_iter().map(WatchRecord::try_from).collect()
}

pub(super) fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

pub const CANCEL_WATCH: &str = "UPDATE price_watches SET state = 'cancelled', updated_at = $2
     WHERE id = $1 AND state = 'active'";

/// A person's (`$1` channel, `$3` user id) and a conversation's active watches.
pub const COUNT_OPEN_WATCHES: &str = "SELECT
         (SELECT COUNT(*) FROM price_watches WHERE state = 'active'
              AND owner_channel_id = $1 AND owner_user_id = $3),
         (SELECT COUNT(*) FROM price_watches WHERE state = 'active' AND conversation_key = $2)";

/// Whether the activity `$2` already set a watch in conversation `$1`.
pub const WATCH_OF_ACTIVITY: &str =
    "SELECT id FROM price_watches WHERE conversation_key = $1 AND activity_id = $2";

/// Nothing when the activity `$10` already set a watch here.
pub const INSERT_WATCH: &str = "INSERT INTO price_watches (conversation_key, owner_channel_id,
         owner_user_id, source, symbol, currency, rule_json, repeat, base, low, armed, state,
         created_at, updated_at, activity_id, last_price)
     VALUES ($1, $12, $2, $3, $4, $5, $6, $7, $8, $8, TRUE, 'active', $9, $9, $10, $11)
     ON CONFLICT (conversation_key, activity_id) WHERE activity_id IS NOT NULL DO NOTHING
     RETURNING id";

/// A conversation's active watches.
pub const LIST_WATCHES: &str = concat!(
    select_watch!(),
    " WHERE conversation_key = $1 AND state = 'active' ORDER BY id LIMIT $2"
);

pub const SELECT_WATCH: &str = concat!(select_watch!(), " WHERE id = $1");

/// The currencies active watches on a source's symbol want (none: no watches).
pub const WATCHED_CURRENCIES: &str = "SELECT DISTINCT currency FROM price_watches
     WHERE source = $1 AND symbol = $2 AND state = 'active'";

/// Active watches on a source's symbol, a page after `$3`.
pub const WATCHES_ON: &str = concat!(
    select_watch!(),
    " WHERE source = $1 AND symbol = $2 AND state = 'active' AND id > $3 ORDER BY id LIMIT $4"
);

on_every_dialect! {
    impl WatchStore {
        async fn create_watch(
            &self,
            watch: &NewWatch<'_>,
            limits: OpenLimits,
            now: DateTime<Utc>,
        ) -> Result<WatchCreated, StoreError> {
            let rule = serde_json::to_string(&watch.rule).map_err(corrupt)?;
            let mut tx = DB::begin_write(&self.writer).await?;
            let limit = Self::open_limit_reached(
                &mut tx,
                COUNT_OPEN_WATCHES,
                watch.conversation,
                watch.owner,
                limits,
            )
            .await?;
            // A redelivered activity is a replay even when its watch took the
            // last free place. Asked once the scope is held: a first delivery
            // racing this one has committed by then, so it is seen.
            if let Some(activity) = watch.activity_id {
                let first: Option<i64> = sqlx::query_scalar(WATCH_OF_ACTIVITY)
                    .bind(watch.conversation.0)
                    .bind(activity)
                    .fetch_optional(&mut *tx)
                    .await?;
                if first.is_some() {
                    return Ok(WatchCreated::Replayed);
                }
            }
            if let Some(limit) = limit {
                return Ok(WatchCreated::LimitReached(limit));
            }
            let id: Option<i64> = sqlx::query_scalar(INSERT_WATCH)
                .bind(watch.conversation.0)
                .bind(watch.owner.map(|o| o.user_id))
                .bind(watch.source)
                .bind(watch.symbol)
                .bind(watch.currency)
                .bind(rule)
                .bind(watch.repeat)
                .bind(watch.base.to_string())
                .bind(at::<DB>(now))
                .bind(watch.activity_id)
                .bind(watch.last_price.map(|price| price.to_string()))
                .bind(watch.owner.map(|o| o.channel_id))
                .fetch_optional(&mut *tx)
                .await?;
            let Some(id) = id else {
                return Ok(WatchCreated::Replayed);
            };
            let row: WatchRow<DB::Instant> = sqlx::query_as(SELECT_WATCH)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            let watch = WatchRecord::try_from(row)?;
            Ok(WatchCreated::Created(Box::new(watch)))
        }

        async fn watch(&self, id: WatchId) -> Result<Option<WatchRecord>, StoreError> {
            let row: Option<WatchRow<DB::Instant>> = sqlx::query_as(SELECT_WATCH)
                .bind(id.0)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            row.map(WatchRecord::try_from).transpose()
        }

        async fn list_watches(
            &self,
            conversation: ConversationKey,
            limit: u32,
        ) -> Result<Vec<WatchRecord>, StoreError> {
            let rows: Vec<WatchRow<DB::Instant>> = sqlx::query_as(LIST_WATCHES)
                .bind(conversation.0)
                .bind(i64::from(limit))
                .fetch_all(&mut *self.read().await?)
                .await?;
            records(rows)
        }

        async fn cancel_watch(&self, id: WatchId, now: DateTime<Utc>) -> Result<bool, StoreError> {
            let done = sqlx::query(CANCEL_WATCH)
                .bind(id.0)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn watches_on(
            &self,
            source: &str,
            symbol: &str,
            after: Option<WatchId>,
            limit: u32,
        ) -> Result<Vec<WatchRecord>, StoreError> {
            let rows: Vec<WatchRow<DB::Instant>> = sqlx::query_as(WATCHES_ON)
                .bind(source)
                .bind(symbol)
                .bind(after.map_or(0, |id| id.0))
                .bind(i64::from(limit))
                .fetch_all(&mut *self.read().await?)
                .await?;
            records(rows)
        }

        async fn watched_currencies(
            &self,
            source: &str,
            symbol: &str,
        ) -> Result<Vec<Option<String>>, StoreError> {
            Ok(sqlx::query_scalar(WATCHED_CURRENCIES)
                .bind(source)
                .bind(symbol)
                .fetch_all(&mut *self.read().await?)
                .await?)
        }

        async fn apply_price_evaluation(
            &self,
            updates: &[WatchUpdate],
            alerts: &[QueuedMessage],
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            if updates.is_empty() && alerts.is_empty() {
                return Ok(());
            }
            let payloads = alerts
                .iter()
                .map(|alert| serde_json::to_string(&alert.notification).map_err(corrupt))
                .collect::<Result<Vec<_>, _>>()?;
            let mut tx = DB::begin_write(&self.writer).await?;
            DB::write_price_evaluation(&mut tx, updates, alerts, &payloads, now).await?;
            tx.commit().await?;
            Ok(())
        }
    }
}
