//! PostgreSQL's firing batch, shared by several Herald instances: due rows
//! are claimed with `FOR UPDATE SKIP LOCKED`, so instances split the work
//! without waiting for or duplicating each other, and written back by
//! unnesting arrays, a handful of statements whatever the batch's size.

use chrono::{DateTime, Utc};
use sqlx::{Pool, Postgres};

use crate::domain::ports::{Fired, FiredBatch, StoreError};
use crate::store::firing::{self, DUE_COLUMNS, DueBatch};

type DueRow = firing::DueRow<DateTime<Utc>>;

pub(super) async fn fire_due(
    pool: &Pool<Postgres>,
    batch: DueBatch<'_>,
) -> Result<FiredBatch, StoreError> {
    let mut tx = pool.begin().await?;
    // Rows another instance holds are skipped, not waited for; a row it
    // fired meanwhile is re-checked against the WHERE clause once locked.
    let rows: Vec<DueRow> = sqlx::query_as(&format!(
        "SELECT {DUE_COLUMNS}
         FROM triggers
         WHERE state = 'active' AND next_fire_at <= $1
         ORDER BY next_fire_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED"
    ))
    .bind(batch.now)
    .bind(i64::from(batch.limit))
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(FiredBatch::default());
    }
    let claimed = rows.len();
    let mut message_triggers = Vec::with_capacity(claimed);
    let mut message_conversations = Vec::with_capacity(claimed);
    let mut occurrences = Vec::with_capacity(claimed);
    let mut payloads = Vec::with_capacity(claimed);
    let mut ids = Vec::with_capacity(claimed);
    let mut states = Vec::with_capacity(claimed);
    let mut next_fire_ats = Vec::with_capacity(claimed);
    let mut errors: Vec<Option<String>> = Vec::with_capacity(claimed);
    let mut fired = Vec::with_capacity(claimed);
    let mut polls = Vec::new();
    for row in rows {
        let due = firing::due_trigger(row)?;
        let (id, due_at) = (due.id.get(), due.due_at);
        let firing = batch.planner.plan(&due, batch.now);
        let (state, next, error) = firing::state_after(&firing.then);
        ids.push(id);
        states.push(state);
        next_fire_ats.push(next);
        errors.push(error.map(str::to_owned));
        let payload = firing::payload(&due, &firing)?;
        fired.push(i64::from(firing.fired.is_some()));
        if let Some(Fired::Poll(poll)) = firing.fired {
            polls.push(poll);
        }
        if let Some((conversation, payload)) = payload {
            message_triggers.push(id);
            message_conversations.push(conversation);
            occurrences.push(firing::occurrence_key(due_at));
            payloads.push(payload);
        }
    }
    let queued = sqlx::query(
        "INSERT INTO outbox (trigger_id, conversation_key, occurrence, payload, state,
                             next_attempt_at, created_at)
         SELECT m.trigger_id, m.conversation_key, m.occurrence, m.payload, 'pending', $1, $1
         FROM UNNEST($2::BIGINT[], $3::BIGINT[], $4::TEXT[], $5::TEXT[])
              AS m (trigger_id, conversation_key, occurrence, payload)
         ON CONFLICT (trigger_id, occurrence) DO NOTHING",
    )
    .bind(batch.now)
    .bind(&message_triggers)
    .bind(&message_conversations)
    .bind(&occurrences)
    .bind(&payloads)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE triggers t SET
             state = u.state,
             next_fire_at = u.next_fire_at,
             last_error = u.error,
             fire_count = t.fire_count + u.fired,
             updated_at = $1,
             completed_at = CASE WHEN u.state = 'active' THEN NULL ELSE $1 END
         FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::TIMESTAMPTZ[], $5::TEXT[], $6::BIGINT[])
              AS u (id, state, next_fire_at, error, fired)
         WHERE t.id = u.id",
    )
    .bind(batch.now)
    .bind(&ids)
    .bind(&states)
    .bind(&next_fire_ats)
    .bind(&errors)
    .bind(&fired)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(FiredBatch {
        claimed,
        queued: usize::try_from(queued).unwrap_or(usize::MAX),
        polls,
    })
}
