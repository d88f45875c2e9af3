//! SQLite's firing batch: the due triggers read as one JSON row (sqlx's
//! driver hands rows over one at a time from its worker thread), then
//! written set-based in multi-row statements, so a batch costs a handful of
//! statements whatever its size.

use sqlx::{Pool, QueryBuilder, Sqlite};

use super::ROWS_PER_STATEMENT;
use crate::domain::ports::{AfterFiring, Fired, FiredBatch, StoreError};
use crate::store::firing::{self, DUE_COLUMNS, DueBatch};
use crate::store::rows::to_millis;

/// A claimed row, as the batch query returns it inside one JSON array (sqlx
/// hands SQLite rows over one at a time, which would dominate a batch).
type DueRow = firing::DueRow<i64>;

pub(super) async fn fire_due(
    pool: &Pool<Sqlite>,
    batch: DueBatch<'_>,
) -> Result<FiredBatch, StoreError> {
    let now_ms = to_millis(batch.now);
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // The partial index on next_fire_at serves both the filter and the order.
    let claimed: Option<String> = sqlx::query_scalar(&format!(
        "SELECT json_group_array(json_array({DUE_COLUMNS}))
         FROM (SELECT {DUE_COLUMNS}
               FROM triggers
               WHERE state = 'active' AND next_fire_at <= $1
               ORDER BY next_fire_at
               LIMIT $2)"
    ))
    .bind(now_ms)
    .bind(i64::from(batch.limit))
    .fetch_one(&mut *tx)
    .await?;
    let rows: Vec<DueRow> = serde_json::from_str(claimed.as_deref().unwrap_or("[]"))
        .map_err(|error| StoreError::Corrupt(format!("due triggers: {error}")))?;
    if rows.is_empty() {
        return Ok(FiredBatch::default());
    }
    let mut messages = Vec::with_capacity(rows.len());
    let mut polls = Vec::new();
    let mut updates = Vec::new();
    // Fired one-shots, the bulk of a burst: one update with constant values.
    let mut completed = Vec::with_capacity(rows.len());
    for row in rows {
        let due = firing::due_trigger(row)?;
        let id = due.id.get();
        let firing = batch.planner.plan(&due, batch.now);
        let (state, next, error) = firing::state_after(&firing.then);
        let payload = firing::payload(&due, &firing)?;
        let fired = i64::from(firing.fired.is_some());
        if let Some(Fired::Poll(poll)) = firing.fired {
            polls.push(poll);
        }
        if matches!(firing.then, AfterFiring::Complete) && fired == 1 {
            completed.push(id);
        } else {
            updates.push((
                id,
                state,
                next.map(to_millis),
                error.map(str::to_owned),
                fired,
            ));
        }
        if let Some((conversation, payload)) = payload {
            messages.push((
                id,
                conversation,
                firing::occurrence_key(due.due_at),
                payload,
            ));
        }
    }
    let claimed = updates.len() + completed.len();
    // Multi-row VALUES with bound parameters: no per-row JSON for SQLite to
    // parse (which cost two thirds of a batch when rows came as one JSON array).
    let mut queued = 0;
    for chunk in messages.chunks(ROWS_PER_STATEMENT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO outbox (trigger_id, conversation_key, occurrence, payload, state,
                                 next_attempt_at, created_at) ",
        );
        insert.push_values(chunk, |mut row, (id, conversation, occurrence, payload)| {
            row.push_bind(id)
                .push_bind(conversation)
                .push_bind(occurrence)
                .push_bind(payload)
                .push("'pending'")
                .push_bind(now_ms)
                .push_bind(now_ms);
        });
        insert.push(" ON CONFLICT (trigger_id, occurrence) DO NOTHING");
        queued += insert
            .build()
            .persistent(false)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    if !completed.is_empty() {
        sqlx::query(
            "UPDATE triggers SET state = 'completed', next_fire_at = NULL, last_error = NULL,
                 fire_count = fire_count + 1, updated_at = $1, completed_at = $1
             WHERE id IN (SELECT value FROM json_each($2))",
        )
        .bind(now_ms)
        .bind(serde_json::to_string(&completed).unwrap_or_default())
        .execute(&mut *tx)
        .await?;
    }
    for chunk in updates.chunks(ROWS_PER_STATEMENT) {
        let mut update = QueryBuilder::<Sqlite>::new(
            "UPDATE triggers SET state = u.column2, next_fire_at = u.column3, last_error = u.column4, fire_count = fire_count + u.column5, updated_at = ",
        );
        update.push_bind(now_ms);
        update.push(", completed_at = CASE WHEN u.column2 = 'active' THEN NULL ELSE ");
        update.push_bind(now_ms);
        update.push(" END FROM (");
        update.push_values(chunk, |mut row, (id, state, next, error, fired)| {
            row.push_bind(id)
                .push_bind(*state)
                .push_bind(next)
                .push_bind(error)
                .push_bind(fired);
        });
        update.push(") AS u WHERE triggers.id = u.column1");
        update.build().persistent(false).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(FiredBatch {
        claimed,
        queued: usize::try_from(queued).unwrap_or(usize::MAX),
        polls,
    })
}
