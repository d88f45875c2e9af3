//! PostgreSQL's dialect: `TIMESTAMPTZ` instants, arrays of ids, and what
//! several instances sharing the database need: rows claimed with `SKIP
//! LOCKED`, changes announced with `NOTIFY`, senders to one conversation
//! taking turns.

use std::future::Future;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;
use sqlx::{Pool, Postgres, Transaction};

use super::{TRIGGERS_CHANNEL, WEBCHAT_CHANNEL};
use crate::domain::ports::{FiredBatch, FiringPlanner, QueuedMessage, StoreError};
use crate::domain::price::WatchUpdate;
use crate::store::dialect::{ClaimedMessage, Dialect, JobPageRows};
use crate::store::sql;

/// PostgreSQL's dialect: instances sharing the database hear of each other's
/// changes (`NOTIFY`) and take turns on a conversation's send budget.
impl Dialect for Postgres {
    type Instant = DateTime<Utc>;
    type Ids = Vec<i64>;

    fn ids(ids: &[i64]) -> Vec<i64> {
        ids.to_vec()
    }

    const SELECT_CONVERSATIONS: &'static str = sql::SELECT_CONVERSATIONS_ANY;
    const SELECT_OWNERS: &'static str = sql::SELECT_OWNERS_ANY;
    const MARK_ALL_SENT: &'static str = sql::MARK_SENT_ANY;
    const NEXT_OUTBOX_DUE: &'static str = "SELECT MIN(GREATEST(o.next_attempt_at, o.claimed_until))
         FROM outbox o
         WHERE o.state = 'pending'
           AND NOT EXISTS (
               SELECT 1 FROM outbox earlier
               WHERE earlier.conversation_key = o.conversation_key
                 AND earlier.state = 'pending' AND earlier.id < o.id)";

    // The row lock makes a concurrent completion on another instance wait
    // and then see the job completed.
    const SELECT_JOB_TO_COMPLETE: &'static str = "SELECT state, conversation_key FROM triggers
         WHERE id = $1 AND kind = 'job' AND ($2::BIGINT IS NULL OR conversation_key = $2)
         FOR UPDATE";

    async fn job_page(
        pool: &Pool<Postgres>,
        scope: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<JobPageRows<DateTime<Utc>>, StoreError> {
        // One round trip: the window count is taken before LIMIT applies.
        let rows: Vec<(i64, String, String, String, DateTime<Utc>, i64)> = sqlx::query_as(
            "SELECT t.id, t.state, c.channel_id, c.conversation_id, t.created_at,
                    COUNT(*) OVER () AS total
             FROM triggers t JOIN conversations c ON c.id = t.conversation_key
             WHERE t.kind = 'job' AND ($1::BIGINT IS NULL OR t.conversation_key = $1)
             ORDER BY t.id
             LIMIT $2 OFFSET $3",
        )
        .bind(scope)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
        let total = rows.first().map(|row| row.5);
        let page = rows
            .into_iter()
            .map(|(id, state, channel_id, conversation_id, created_at, _)| {
                (id, state, channel_id, conversation_id, created_at)
            })
            .collect();
        Ok((page, total))
    }

    async fn write_price_evaluation(
        connection: &mut PgConnection,
        updates: &[WatchUpdate],
        alerts: &[QueuedMessage],
        payloads: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        super::prices::write_evaluation(connection, updates, alerts, payloads, now).await
    }

    async fn fire_due_triggers(
        pool: &Pool<Postgres>,
        now: DateTime<Utc>,
        limit: u32,
        planner: &dyn FiringPlanner,
    ) -> Result<FiredBatch, StoreError> {
        super::triggers::fire_due(pool, now, limit, planner).await
    }

    async fn claim_outbox(
        pool: &Pool<Postgres>,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedMessage<DateTime<Utc>>>, StoreError> {
        // Rows another instance claims are skipped (`SKIP LOCKED`), not waited
        // for. `= ANY(ARRAY(...))` rather than `IN (...)`: the planner then
        // runs the locking subquery once instead of scanning the table per
        // batch. Sorting is ruled out for this statement: the outbox grows by
        // thousands of rows a second in a burst, faster than its statistics,
        // and from a stale estimate of a few rows the planner chose to fetch
        // every pending row, test each for an earlier one and sort them (3 s
        // with 100,000 pending) instead of walking `outbox_pending` in id
        // order and stopping at the limit (under 1 ms).
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL enable_sort = off")
            .execute(&mut *tx)
            .await?;
        let claimed = sqlx::query_as(
            "UPDATE outbox SET claimed_until = $1
             WHERE id = ANY(ARRAY(
                 SELECT o.id FROM outbox o
                 WHERE o.state = 'pending' AND o.next_attempt_at <= $2
                   AND (o.claimed_until IS NULL OR o.claimed_until <= $2)
                   AND NOT EXISTS (
                       SELECT 1 FROM outbox earlier
                       WHERE earlier.conversation_key = o.conversation_key
                         AND earlier.state = 'pending' AND earlier.id < o.id
                         AND (earlier.held_until IS NULL OR earlier.held_until <= $2))
                 ORDER BY o.id
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED))
             RETURNING id, conversation_key, payload, attempts, created_at, trigger_id",
        )
        .bind(lease_until)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(claimed)
    }

    fn begin_write(
        pool: &Pool<Postgres>,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        pool.begin()
    }

    async fn announce_triggers(connection: &mut PgConnection) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(TRIGGERS_CHANNEL)
            .execute(connection)
            .await?;
        Ok(())
    }

    async fn announce_webchat(connection: &mut PgConnection, id: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(WEBCHAT_CHANNEL)
            .bind(id)
            .execute(connection)
            .await?;
        Ok(())
    }

    async fn serialize_scope(connection: &mut PgConnection, scope: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(scope)
            .execute(connection)
            .await?;
        Ok(())
    }
}
