//! PostgreSQL's outbox claim: rows another instance holds are skipped, with
//! the plan pinned so a burst's stale statistics cannot make it sort.

use chrono::{DateTime, Utc};
use sqlx::{Pool, Postgres};

use crate::domain::ports::StoreError;
use crate::store::dialect::ClaimedMessage;

pub(super) async fn claim(
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
    let claimed = sqlx::query_as(concat!(
        "UPDATE outbox SET claimed_until = $1 WHERE id = ANY(ARRAY(",
        crate::store::sql::claimable_messages!(),
        " FOR UPDATE SKIP LOCKED))
             RETURNING id, conversation_key, payload, attempts, created_at, trigger_id"
    ))
    .bind(lease_until)
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(claimed)
}
