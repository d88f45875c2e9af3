//! People and their settings on SQLite, reminder counts, and rescheduled
//! triggers; and the owners of a claimed batch's triggers.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::person::PersonRef;
use crate::domain::ports::{Owner, ReminderCounts, Reschedule, StoreError};
use crate::store::SqliteStore;
use crate::store::rows::{OwnerRow, owners_by_message, to_millis};
use crate::store::sql;

pub async fn count_reminders(
    store: &SqliteStore,
    conversation: ConversationKey,
    owner: Option<PersonRef<'_>>,
) -> Result<ReminderCounts, StoreError> {
    let counts = sqlx::query_as(sql::COUNT_OPEN_REMINDERS)
        .bind(owner.map(|o| o.channel_id))
        .bind(conversation.0)
        .bind(owner.map(|o| o.user_id))
        .fetch_one(&store.reader)
        .await?;
    Ok(ReminderCounts::of(counts))
}

pub async fn reschedule(
    store: &SqliteStore,
    change: &Reschedule<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let schedule = serde_json::to_string(change.schedule)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let done = sqlx::query(sql::RESCHEDULE_TRIGGER)
        .bind(change.id.get())
        .bind(change.from.as_str())
        .bind(schedule)
        .bind(change.schedule.timezone.as_deref())
        .bind(to_millis(change.next_fire_at))
        .bind(to_millis(now))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

impl SqliteStore {
    /// Whose these outbox messages are, with their settings.
    pub(super) async fn owners(&self, messages: &[i64]) -> Result<HashMap<i64, Owner>, StoreError> {
        if messages.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<OwnerRow> = sqlx::query_as(sql::SELECT_OWNERS_JSON)
            .bind(serde_json::to_string(messages).unwrap_or_default())
            .fetch_all(&self.reader)
            .await?;
        Ok(owners_by_message(rows))
    }
}
