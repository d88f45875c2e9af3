//! Scheduled triggers on PostgreSQL, shared by several Herald instances: the
//! firing batch claims rows with `FOR UPDATE SKIP LOCKED`, so instances split
//! the due work without waiting for or duplicating each other, and changes are
//! announced with `NOTIFY` so every instance's scheduler wakes.

use chrono::{DateTime, Utc};
use sqlx::{Postgres, Transaction};

use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{
    DueTrigger, FiredBatch, FiringPlanner, Idempotency, NewTrigger, StateChange, StoreError,
    TriggerCreated, TriggerFilter,
};
use crate::domain::trigger::{TriggerId, TriggerRecord, TriggerState};
use crate::store::PostgresStore;
use crate::store::rows::{TriggerRow, occurrence_key, state_after, trigger_id, trigger_kind};
use crate::store::sql;

/// The channel schedulers listen on; the payload is empty: a woken scheduler
/// reads the next due time itself.
pub const TRIGGERS_CHANNEL: &str = "herald_triggers";

type Row = TriggerRow<DateTime<Utc>>;

async fn fetch(
    executor: impl sqlx::Executor<'_, Database = Postgres>,
    id: i64,
) -> Result<Option<TriggerRecord>, StoreError> {
    let row: Option<Row> = sqlx::query_as(sql::SELECT_TRIGGER)
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.map(TriggerRecord::try_from).transpose()
}

/// Wakes every instance's scheduler when the transaction commits.
async fn announce(tx: &mut Transaction<'_, Postgres>) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(TRIGGERS_CHANNEL)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn find_conversation(
    store: &PostgresStore,
    channel_id: &str,
    conversation_id: &str,
) -> Result<Option<ConversationKey>, StoreError> {
    let key: Option<i64> = sqlx::query_scalar(sql::FIND_CONVERSATION)
        .bind(channel_id)
        .bind(conversation_id)
        .fetch_optional(&store.writer)
        .await?;
    Ok(key.map(ConversationKey))
}

pub async fn get(
    store: &PostgresStore,
    id: TriggerId,
) -> Result<Option<TriggerRecord>, StoreError> {
    fetch(&store.writer, id.get()).await
}

pub async fn list(
    store: &PostgresStore,
    filter: &TriggerFilter,
) -> Result<Vec<TriggerRecord>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(sql::LIST_TRIGGERS)
        .bind(filter.conversation.map(|key| key.0))
        .bind(filter.kind.map(|kind| kind.as_str()))
        .bind(filter.state.map(|state| state.as_str()))
        .bind(filter.after.map_or(0, TriggerId::get))
        .bind(i64::from(filter.limit))
        .bind(filter.channel_id.as_deref())
        .bind(filter.conversation_id.as_deref())
        .bind(filter.include_internal)
        .fetch_all(&store.writer)
        .await?;
    rows.into_iter().map(TriggerRecord::try_from).collect()
}

/// The first result for a reused idempotency key, or that it was reused for another request.
async fn replay(
    executor: &mut sqlx::PgConnection,
    key: &Idempotency<'_>,
) -> Result<Option<TriggerCreated>, StoreError> {
    let first: Option<(String, i64)> = sqlx::query_as(sql::SELECT_IDEMPOTENCY_KEY)
        .bind(key.key)
        .fetch_optional(&mut *executor)
        .await?;
    let Some((request_sha256, id)) = first else {
        return Ok(None);
    };
    if request_sha256 != key.request_sha256 {
        return Ok(Some(TriggerCreated::KeyReused));
    }
    let record = fetch(&mut *executor, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("idempotency key of missing trigger {id}")))?;
    Ok(Some(TriggerCreated::Replayed(record)))
}

pub async fn create(
    store: &PostgresStore,
    trigger: &NewTrigger<'_>,
    now: DateTime<Utc>,
) -> Result<TriggerCreated, StoreError> {
    let schedule_json = serde_json::to_string(trigger.schedule)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let state = match trigger.next_fire_at {
        Some(_) => TriggerState::Active,
        None => TriggerState::Completed,
    };
    let mut tx = store.writer.begin().await?;
    if let Some(key) = &trigger.idempotency {
        if let Some(first) = replay(&mut tx, key).await? {
            return Ok(first);
        }
    }
    let id: i64 = sqlx::query_scalar(sql::INSERT_TRIGGER)
        .bind(trigger.kind.as_str())
        .bind(state.as_str())
        .bind(trigger.conversation.0)
        .bind(trigger.owner.map(|o| o.user_id))
        .bind(trigger.text)
        .bind(schedule_json)
        .bind(trigger.time_zone)
        .bind(trigger.next_fire_at)
        .bind(now)
        .bind(trigger.next_fire_at.is_none().then_some(now))
        .bind(trigger.owner.map(|o| o.channel_id))
        .fetch_one(&mut *tx)
        .await?;
    if let Some(key) = &trigger.idempotency {
        let recorded = sqlx::query(sql::INSERT_IDEMPOTENCY_KEY)
            .bind(key.key)
            .bind(key.request_sha256)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if recorded == 0 {
            // A concurrent request with the same key committed first (the
            // insert waited for it): undo ours and answer with theirs.
            tx.rollback().await?;
            let mut connection = store.writer.acquire().await?;
            return replay(&mut connection, key).await?.ok_or_else(|| {
                StoreError::Corrupt("an idempotency key vanished while in use".to_owned())
            });
        }
    }
    if trigger.next_fire_at.is_some() {
        announce(&mut tx).await?;
    }
    let record = fetch(&mut *tx, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("trigger {id} vanished")))?;
    tx.commit().await?;
    Ok(TriggerCreated::Created(record))
}

pub async fn change_state(
    store: &PostgresStore,
    change: &StateChange,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut tx = store.writer.begin().await?;
    let changed = sqlx::query(sql::CHANGE_TRIGGER_STATE)
        .bind(change.id.get())
        .bind(change.from.as_str())
        .bind(change.to.as_str())
        .bind(change.next_fire_at)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if changed && change.next_fire_at.is_some() {
        announce(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

type DueRow = (
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
    i64,
);

pub async fn fire_due(
    store: &PostgresStore,
    now: DateTime<Utc>,
    limit: u32,
    planner: &dyn FiringPlanner,
) -> Result<FiredBatch, StoreError> {
    let mut tx = store.writer.begin().await?;
    // Rows another instance holds are skipped, not waited for; a row it
    // fired meanwhile is re-checked against the WHERE clause once locked.
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT id, kind, conversation_key, text, schedule_json, time_zone, next_fire_at,
                fire_count
         FROM triggers
         WHERE state = 'active' AND next_fire_at <= $1
         ORDER BY next_fire_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED",
    )
    .bind(now)
    .bind(i64::from(limit))
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
    for (id, kind, conversation, text, schedule_json, time_zone, due_at, fire_count) in rows {
        let due = DueTrigger {
            id: trigger_id(id)?,
            kind: trigger_kind(&kind)?,
            conversation: ConversationKey(conversation),
            text,
            schedule_json,
            time_zone,
            due_at,
            fire_count: u64::try_from(fire_count).unwrap_or(0),
        };
        let firing = planner.plan(&due, now);
        let (state, next, error) = state_after(&firing.then);
        ids.push(id);
        states.push(state);
        next_fire_ats.push(next);
        errors.push(error.map(str::to_owned));
        fired.push(i64::from(firing.payload.is_some()));
        if let Some(payload) = firing.payload {
            message_triggers.push(id);
            message_conversations.push(conversation);
            occurrences.push(occurrence_key(due_at));
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
    .bind(now)
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
    .bind(now)
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
    })
}
