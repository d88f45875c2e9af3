//! SQLite's dialect: instants as UTC milliseconds (it has no date type), id
//! lists as JSON arrays (it has no arrays), write transactions that take the
//! file's lock up front, and one writer, so nothing to announce to other
//! instances or to wait for.

use std::future::Future;

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnection;
use sqlx::{Pool, Sqlite, Transaction};

use crate::domain::ports::{FiredBatch, FiringPlanner, QueuedMessage, StoreError};
use crate::domain::price::WatchUpdate;
use crate::store::dialect::{ClaimedMessage, Dialect, JobPageRows, JobRow};
use crate::store::rows::to_millis;
use crate::store::sql;

/// SQLite's dialect: one writer, so nothing to announce or to wait for.
impl Dialect for Sqlite {
    type Instant = i64;
    type Ids = String;

    fn ids(ids: &[i64]) -> String {
        serde_json::to_string(ids).unwrap_or_default()
    }

    const SELECT_CONVERSATIONS: &'static str = sql::SELECT_CONVERSATIONS_JSON;
    const SELECT_OWNERS: &'static str = sql::SELECT_OWNERS_JSON;
    const MARK_ALL_SENT: &'static str = sql::MARK_SENT_JSON;
    // SQLite has no GREATEST.
    const NEXT_OUTBOX_DUE: &'static str =
        "SELECT MIN(CASE WHEN o.claimed_until > o.next_attempt_at THEN o.claimed_until
                         ELSE o.next_attempt_at END)
         FROM outbox o
         WHERE o.state = 'pending'
           AND NOT EXISTS (
               SELECT 1 FROM outbox earlier
               WHERE earlier.conversation_key = o.conversation_key
                 AND earlier.state = 'pending' AND earlier.id < o.id)";

    const SELECT_JOB_TO_COMPLETE: &'static str = "SELECT state, conversation_key FROM triggers
         WHERE id = $1 AND kind = 'job' AND ($2 IS NULL OR conversation_key = $2)";

    async fn job_page(
        pool: &Pool<Sqlite>,
        scope: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<JobPageRows<i64>, StoreError> {
        // sqlx's SQLite driver hands rows over one at a time from its worker
        // thread, which made a 20-row page cost more than the rest of a turn:
        // the page comes back as one JSON row instead. The window count is
        // taken before LIMIT applies.
        let (page_json, total): (String, Option<i64>) = sqlx::query_as(
            "SELECT json_group_array(json_array(id, state, channel_id, conversation_id, created_at)),
                    MAX(total)
             FROM (SELECT t.id, t.state, c.channel_id, c.conversation_id, t.created_at,
                          COUNT(*) OVER () AS total
                   FROM triggers t JOIN conversations c ON c.id = t.conversation_key
                   WHERE t.kind = 'job' AND ($1 IS NULL OR t.conversation_key = $1)
                   ORDER BY t.id
                   LIMIT $2 OFFSET $3)",
        )
        .bind(scope)
        .bind(limit)
        .bind(offset)
        .fetch_one(pool)
        .await?;
        let mut rows: Vec<JobRow<i64>> = serde_json::from_str(&page_json)
            .map_err(|error| StoreError::Corrupt(format!("job page: {error}")))?;
        rows.sort_unstable_by_key(|row| row.0);
        Ok((rows, total))
    }

    async fn write_price_evaluation(
        connection: &mut SqliteConnection,
        updates: &[WatchUpdate],
        alerts: &[QueuedMessage],
        payloads: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        super::prices::write_evaluation(connection, updates, alerts, payloads, now).await
    }

    async fn fire_due_triggers(
        pool: &Pool<Sqlite>,
        now: DateTime<Utc>,
        limit: u32,
        planner: &dyn FiringPlanner,
    ) -> Result<FiredBatch, StoreError> {
        super::triggers::fire_due(pool, now, limit, planner).await
    }

    async fn claim_outbox(
        pool: &Pool<Sqlite>,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedMessage<i64>>, StoreError> {
        // One statement on the lone writer: nothing else claims meanwhile.
        Ok(sqlx::query_as(
            "UPDATE outbox SET claimed_until = $1
             WHERE id IN (
                 SELECT o.id FROM outbox o
                 WHERE o.state = 'pending' AND o.next_attempt_at <= $2
                   AND (o.claimed_until IS NULL OR o.claimed_until <= $2)
                   AND NOT EXISTS (
                       SELECT 1 FROM outbox earlier
                       WHERE earlier.conversation_key = o.conversation_key
                         AND earlier.state = 'pending' AND earlier.id < o.id
                         AND (earlier.held_until IS NULL OR earlier.held_until <= $2))
                 ORDER BY o.id
                 LIMIT $3)
             RETURNING id, conversation_key, payload, attempts, created_at, trigger_id",
        )
        .bind(to_millis(lease_until))
        .bind(to_millis(now))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?)
    }

    fn begin_write(
        pool: &Pool<Sqlite>,
    ) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        pool.begin_with("BEGIN IMMEDIATE")
    }

    async fn announce_triggers(_: &mut SqliteConnection) -> Result<(), StoreError> {
        Ok(())
    }

    async fn announce_webchat(_: &mut SqliteConnection, _: &str) -> Result<(), StoreError> {
        Ok(())
    }

    async fn serialize_scope(_: &mut SqliteConnection, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
}
