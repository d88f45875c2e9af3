//! SQLite's outbox claim: one statement on the lone writer.

use chrono::{DateTime, Utc};
use sqlx::{Pool, Sqlite};

use crate::domain::ports::StoreError;
use crate::store::dialect::ClaimedMessage;
use crate::store::rows::to_millis;

pub(super) async fn claim(
    pool: &Pool<Sqlite>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<ClaimedMessage<i64>>, StoreError> {
    // One statement on the lone writer: nothing else claims meanwhile.
    Ok(sqlx::query_as(concat!(
        "UPDATE outbox SET claimed_until = $1 WHERE id IN (",
        crate::store::sql::claimable_messages!(),
        ") RETURNING id, conversation_key, payload, attempts, created_at, trigger_id"
    ))
    .bind(to_millis(lease_until))
    .bind(to_millis(now))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?)
}
