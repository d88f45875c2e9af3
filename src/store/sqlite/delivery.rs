//! Delivery's state on SQLite: postponed and dead-lettered messages,
//! unreachable conversations, and the send budget kept in the database.

use chrono::{DateTime, Utc};
use sqlx::Sqlite;

use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::ports::{
    BudgetDenied, BudgetTake, DeadLetter, DeadLetterFilter, MarkedUnreachable, OutboxId, StoreError,
};
use crate::domain::trigger::TriggerId;
use crate::store::SqliteStore;
use crate::store::budget;
use crate::store::rows::{DeadLetterRow, to_millis, trigger_id};
use crate::store::sql;

pub async fn queue_notification(
    store: &SqliteStore,
    conversation: ConversationKey,
    notification: &Notification,
    now: DateTime<Utc>,
) -> Result<OutboxId, StoreError> {
    let payload = serde_json::to_string(notification)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let id: i64 = sqlx::query_scalar(sql::QUEUE_NOTIFICATION)
        .bind(conversation.0)
        .bind(payload)
        .bind(to_millis(now))
        .fetch_one(&store.writer)
        .await?;
    Ok(OutboxId(id))
}

pub async fn postpone(
    store: &SqliteStore,
    id: OutboxId,
    until: DateTime<Utc>,
    statement: &str,
) -> Result<(), StoreError> {
    sqlx::query(statement)
        .bind(id.0)
        .bind(to_millis(until))
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub async fn list_dead_letters(
    store: &SqliteStore,
    filter: &DeadLetterFilter,
) -> Result<Vec<DeadLetter>, StoreError> {
    let rows: Vec<DeadLetterRow<i64>> = sqlx::query_as(sql::LIST_DEAD_LETTERS)
        .bind(filter.after.map_or(0, |id| id.0))
        .bind(filter.conversation.map(|key| key.0))
        .bind(i64::from(filter.limit))
        .fetch_all(&store.reader)
        .await?;
    rows.into_iter().map(DeadLetter::try_from).collect()
}

pub async fn retry_dead_letter(
    store: &SqliteStore,
    id: OutboxId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(sql::RETRY_DEAD_LETTER)
        .bind(id.0)
        .bind(to_millis(now))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_unreachable(
    store: &SqliteStore,
    conversation: ConversationKey,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<MarkedUnreachable, StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let newly = sqlx::query(sql::MARK_CONVERSATION_UNREACHABLE)
        .bind(conversation.0)
        .bind(reason)
        .bind(to_millis(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    let paused = sqlx::query(sql::PAUSE_UNREACHABLE_TRIGGERS)
        .bind(conversation.0)
        .bind(to_millis(now))
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
    store: &SqliteStore,
    conversation: ConversationKey,
) -> Result<Vec<TriggerId>, StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
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
    store: &SqliteStore,
    take: &BudgetTake<'_>,
    now: DateTime<Utc>,
) -> Result<Result<(), BudgetDenied>, StoreError> {
    // One writer at a time: the log and the cells read are the ones written.
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let taken = budget::take_in::<Sqlite>(&mut tx, take, now).await?;
    if taken.is_ok() {
        tx.commit().await?;
    }
    Ok(taken)
}

pub async fn prune_send_budget(
    store: &SqliteStore,
    now: DateTime<Utc>,
    log_before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let pruned = budget::prune_in::<Sqlite>(&mut tx, now, log_before).await?;
    tx.commit().await?;
    Ok(pruned)
}
