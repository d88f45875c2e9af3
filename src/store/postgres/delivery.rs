//! Delivery's state on PostgreSQL: postponed and dead-lettered messages,
//! unreachable conversations, and the send budget kept in the database.

use chrono::{DateTime, Utc};
use sqlx::Postgres;

use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::ports::{
    BudgetDenied, BudgetTake, DeadLetter, DeadLetterFilter, MarkedUnreachable, OutboxId, StoreError,
};
use crate::domain::trigger::TriggerId;
use crate::store::PostgresStore;
use crate::store::budget;
use crate::store::rows::{DeadLetterRow, trigger_id};
use crate::store::sql;

pub async fn queue_notification(
    store: &PostgresStore,
    conversation: ConversationKey,
    notification: &Notification,
    now: DateTime<Utc>,
) -> Result<OutboxId, StoreError> {
    let payload = serde_json::to_string(notification)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let id: i64 = sqlx::query_scalar(sql::QUEUE_NOTIFICATION)
        .bind(conversation.0)
        .bind(payload)
        .bind(now)
        .fetch_one(&store.writer)
        .await?;
    Ok(OutboxId(id))
}

pub async fn postpone(
    store: &PostgresStore,
    id: OutboxId,
    until: DateTime<Utc>,
    statement: &str,
) -> Result<(), StoreError> {
    sqlx::query(statement)
        .bind(id.0)
        .bind(until)
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub async fn list_dead_letters(
    store: &PostgresStore,
    filter: &DeadLetterFilter,
) -> Result<Vec<DeadLetter>, StoreError> {
    let rows: Vec<DeadLetterRow<DateTime<Utc>>> = sqlx::query_as(sql::LIST_DEAD_LETTERS)
        .bind(filter.after.map_or(0, |id| id.0))
        .bind(filter.conversation.map(|key| key.0))
        .bind(i64::from(filter.limit))
        .fetch_all(&store.writer)
        .await?;
    rows.into_iter().map(DeadLetter::try_from).collect()
}

pub async fn retry_dead_letter(
    store: &PostgresStore,
    id: OutboxId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(sql::RETRY_DEAD_LETTER)
        .bind(id.0)
        .bind(now)
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_unreachable(
    store: &PostgresStore,
    conversation: ConversationKey,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<MarkedUnreachable, StoreError> {
    let mut tx = store.writer.begin().await?;
    let newly = sqlx::query(sql::MARK_CONVERSATION_UNREACHABLE)
        .bind(conversation.0)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    let paused = sqlx::query(sql::PAUSE_UNREACHABLE_TRIGGERS)
        .bind(conversation.0)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let dead = sqlx::query(sql::DEAD_LETTER_CONVERSATION)
        .bind(conversation.0)
        .bind(format!("the conversation is unreachable: {reason}"))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(MarkedUnreachable {
        newly,
        paused_triggers: paused,
        dead_messages: dead,
    })
}

pub async fn mark_reachable(
    store: &PostgresStore,
    conversation: ConversationKey,
) -> Result<Vec<TriggerId>, StoreError> {
    let mut tx = store.writer.begin().await?;
    sqlx::query(sql::MARK_CONVERSATION_REACHABLE)
        .bind(conversation.0)
        .execute(&mut *tx)
        .await?;
    let ids: Vec<i64> = sqlx::query_scalar(sql::TRIGGERS_PAUSED_UNREACHABLE)
        .bind(conversation.0)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    ids.into_iter().map(trigger_id).collect()
}

pub async fn take_send_budget(
    store: &PostgresStore,
    take: &BudgetTake<'_>,
    now: DateTime<Utc>,
) -> Result<Result<(), BudgetDenied>, StoreError> {
    let mut tx = store.writer.begin().await?;
    // PostgreSQL only (SQLite's writer is alone already): senders to one
    // conversation wait for each other, so each reads the log as the one
    // before left it. The cells are locked row by row by their upserts.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(take.scope)
        .execute(&mut *tx)
        .await?;
    let taken = budget::take_in::<Postgres>(&mut tx, take, now).await?;
    if taken.is_ok() {
        tx.commit().await?;
    }
    Ok(taken)
}

pub async fn prune_send_budget(
    store: &PostgresStore,
    now: DateTime<Utc>,
    log_before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut tx = store.writer.begin().await?;
    let pruned = budget::prune_in::<Postgres>(&mut tx, now, log_before).await?;
    tx.commit().await?;
    Ok(pruned)
}
