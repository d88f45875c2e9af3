//! The outbox on every dialect: each proactive message waits here until the
//! channel accepts it (claimed one conversation at a time, in order), is
//! retried, or is given up on as a dead letter.

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::ports::{
    DeadLetter, DeadLetterFilter, Gauges, OutboxEntry, OutboxId, OutboxItem, OutboxState,
    OutboxStore, StoreError,
};
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::{
    self, ConversationRow, DeadLetterRow, OwnerRow, StoredInstant, attempts, owners_by_message,
    trigger_id,
};

/// Counts for monitoring.
pub const GAUGES: &str = "SELECT
         (SELECT COUNT(*) FROM triggers WHERE state = 'active'),
         (SELECT COUNT(*) FROM triggers WHERE state = 'paused'),
         (SELECT COUNT(*) FROM outbox WHERE state = 'pending'),
         (SELECT COUNT(*) FROM outbox WHERE state = 'dead')";

/// The messages a claim may take, oldest first, at most `$3`: due by `$2`,
/// not claimed, and each the first still pending in its conversation (one
/// held for quiet hours does not hold back the later ones). A literal, so
/// each backend can wrap it in its own claim statement with `concat!`.
macro_rules! claimable_messages {
    () => {
        "SELECT o.id FROM outbox o
         WHERE o.state = 'pending' AND o.next_attempt_at <= $2
           AND (o.claimed_until IS NULL OR o.claimed_until <= $2)
           AND NOT EXISTS (
               SELECT 1 FROM outbox earlier
               WHERE earlier.conversation_key = o.conversation_key
                 AND earlier.state = 'pending' AND earlier.id < o.id
                 AND (earlier.held_until IS NULL OR earlier.held_until <= $2))
         ORDER BY o.id
         LIMIT $3"
    };
}
pub(crate) use claimable_messages;

/// The earliest instant a pending message becomes due: the later of its
/// next attempt and its claim's end, for the first pending message of each
/// conversation. `CASE` rather than `GREATEST`, which SQLite lacks (and which
/// would read a NULL claim the same way).
pub const NEXT_OUTBOX_DUE: &str =
    "SELECT MIN(CASE WHEN o.claimed_until > o.next_attempt_at THEN o.claimed_until
                     ELSE o.next_attempt_at END)
     FROM outbox o
     WHERE o.state = 'pending'
       AND NOT EXISTS (
           SELECT 1 FROM outbox earlier
           WHERE earlier.conversation_key = o.conversation_key
             AND earlier.state = 'pending' AND earlier.id < o.id)";

/// A message held for quiet hours: like a postponed one, but the
/// conversation's later messages do not wait for it.
pub const HOLD_OUTBOX: &str = "UPDATE outbox SET next_attempt_at = $2, held_until = $2,
         claimed_until = NULL
     WHERE id = $1 AND state = 'pending'";

/// Dead letters with their conversations' names, after a cursor.
pub const LIST_DEAD_LETTERS: &str = "SELECT o.id, o.conversation_key, o.trigger_id, o.state,
         o.attempts, o.last_error, o.created_at, o.sent_at, c.channel_id, c.conversation_id
     FROM outbox o LEFT JOIN conversations c ON c.id = o.conversation_key
     WHERE o.state = 'dead' AND o.id > $1
       AND (CAST($2 AS BIGINT) IS NULL OR o.conversation_key = $2)
     ORDER BY o.id
     LIMIT $3";

/// Given up on, with the reason.
pub const MARK_DEAD: &str =
    "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $2,
                 claimed_until = NULL
             WHERE id = $1";

/// The channel accepted the message.
pub const MARK_SENT: &str =
    "UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1,
                 claimed_until = NULL
             WHERE id = $1";

/// A message the send budget held back: due again later, unclaimed, no attempt counted.
pub const POSTPONE_OUTBOX: &str = "UPDATE outbox SET next_attempt_at = $2, claimed_until = NULL
     WHERE id = $1 AND state = 'pending'";

/// Delivered and dead-lettered messages older than `$1`.
pub const PRUNE_OUTBOX: &str = "DELETE FROM outbox WHERE state <> 'pending' AND created_at < $1";

/// A message for a conversation that no trigger owns, due at once.
pub const QUEUE_NOTIFICATION: &str =
    "INSERT INTO outbox (conversation_key, payload, state, next_attempt_at, created_at)
         VALUES ($1, $2, 'pending', $3, $3)
         RETURNING id";

/// Claims that ended: a sender that crashed holding them.
pub const RELEASE_EXPIRED_CLAIMS: &str = "UPDATE outbox SET claimed_until = NULL
     WHERE state = 'pending' AND claimed_until IS NOT NULL AND claimed_until <= $1";

/// A dead letter queued again, as if new.
pub const RETRY_DEAD_LETTER: &str = "UPDATE outbox SET state = 'pending', attempts = 0,
         next_attempt_at = $2, claimed_until = NULL, last_error = NULL
     WHERE id = $1 AND state = 'dead'";

/// A failed attempt; due again at $2.
pub const SCHEDULE_RETRY: &str =
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
                 claimed_until = NULL
             WHERE id = $1 AND state = 'pending'";

/// One outbox row, for inspection.
pub const SELECT_OUTBOX_ENTRY: &str =
    "SELECT conversation_key, trigger_id, state, attempts, last_error, created_at, sent_at
             FROM outbox WHERE id = $1";

/// An outbox row as `SELECT_OUTBOX_ENTRY` reads it.
type EntryRow<T> = (i64, Option<i64>, String, i32, Option<String>, T, Option<T>);

/// The four counts of `GAUGES`.
fn gauges((active, paused, pending, dead): (i64, i64, i64, i64)) -> Gauges {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Gauges {
        active_triggers: count(active),
        paused_triggers: count(paused),
        pending_messages: count(pending),
        dead_messages: count(dead),
    }
}

on_every_dialect! {
    impl OutboxStore {
        async fn claim_outbox(
            &self,
            now: DateTime<Utc>,
            lease_until: DateTime<Utc>,
            limit: u32,
        ) -> Result<Vec<OutboxItem>, StoreError> {
            let claimed = DB::claim_outbox(&self.writer, now, lease_until, limit).await?;
            let keys: Vec<i64> = claimed.iter().map(|row| row.1).collect();
            let conversations: Vec<ConversationRow> = sqlx::query_as(DB::SELECT_CONVERSATIONS)
                .bind(DB::ids(&keys))
                .fetch_all(&mut *self.read().await?)
                .await?;
            let conversations = rows::conversations_by_key(conversations);
            let mut items = Vec::with_capacity(claimed.len());
            let ids: Vec<i64> = claimed.iter().map(|row| row.0).collect();
            let owners: Vec<OwnerRow> = sqlx::query_as(DB::SELECT_OWNERS)
                .bind(DB::ids(&ids))
                .fetch_all(&mut *self.read().await?)
                .await?;
            let owners = owners_by_message(owners);
            for (id, conversation_key, payload, stored_attempts, created_at, _) in claimed {
                let Some(conversation) = conversations.get(&conversation_key).cloned() else {
                    // Nothing to send it to: out of the way, with the reason, so
                    // it never blocks the messages behind it.
                    self.mark_dead(OutboxId(id), now, "its conversation is no longer known")
                        .await?;
                    continue;
                };
                items.push(OutboxItem {
                    id: OutboxId(id),
                    conversation,
                    owner: owners.get(&id).cloned(),
                    notification: serde_json::from_str(&payload)
                        .map_err(|error| format!("unreadable notification: {error}")),
                    attempts: attempts(stored_attempts),
                    created_at: created_at.into_utc()?,
                });
            }
            items.sort_by_key(|item| item.id);
            Ok(items)
        }

        async fn mark_sent(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError> {
            sqlx::query(MARK_SENT)
                .bind(id.0)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn mark_all_sent(&self, ids: &[OutboxId], now: DateTime<Utc>) -> Result<(), StoreError> {
            if ids.is_empty() {
                return Ok(());
            }
            let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
            sqlx::query(DB::MARK_ALL_SENT)
                .bind(DB::ids(&ids))
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn schedule_retry(
            &self,
            id: OutboxId,
            next_attempt_at: DateTime<Utc>,
            error: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(SCHEDULE_RETRY)
                .bind(id.0)
                .bind(at::<DB>(next_attempt_at))
                .bind(error)
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn mark_dead(
            &self,
            id: OutboxId,
            _now: DateTime<Utc>,
            error: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(MARK_DEAD)
                .bind(id.0)
                .bind(error)
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn outbox_entry(&self, id: OutboxId) -> Result<Option<OutboxEntry>, StoreError> {
            let row: Option<EntryRow<DB::Instant>> = sqlx::query_as(SELECT_OUTBOX_ENTRY)
                .bind(id.0)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            let Some((conversation, trigger, state, stored_attempts, last_error, created_at, sent_at)) =
                row
            else {
                return Ok(None);
            };
            Ok(Some(OutboxEntry {
                id,
                conversation: ConversationKey(conversation),
                trigger: trigger.map(trigger_id).transpose()?,
                state: OutboxState::parse(&state)?,
                attempts: attempts(stored_attempts),
                last_error,
                created_at: created_at.into_utc()?,
                sent_at: sent_at.map(StoredInstant::into_utc).transpose()?,
            }))
        }

        async fn next_outbox_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
            let due: Option<DB::Instant> = sqlx::query_scalar(NEXT_OUTBOX_DUE)
                .fetch_one(&mut *self.read().await?)
                .await?;
            due.map(StoredInstant::into_utc).transpose()
        }

        async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let result = sqlx::query(PRUNE_OUTBOX)
                .bind(at::<DB>(before))
                .execute(&self.writer)
                .await?;
            Ok(result.rows_affected())
        }

        async fn release_expired_claims(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
            let result = sqlx::query(RELEASE_EXPIRED_CLAIMS)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(result.rows_affected())
        }

        async fn queue_notification(
            &self,
            conversation: ConversationKey,
            notification: &Notification,
            now: DateTime<Utc>,
        ) -> Result<OutboxId, StoreError> {
            let payload = serde_json::to_string(notification)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            let id: i64 = sqlx::query_scalar(QUEUE_NOTIFICATION)
                .bind(conversation.0)
                .bind(payload)
                .bind(at::<DB>(now))
                .fetch_one(&self.writer)
                .await?;
            Ok(OutboxId(id))
        }

        async fn postpone_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError> {
            sqlx::query(POSTPONE_OUTBOX)
                .bind(id.0)
                .bind(at::<DB>(until))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn hold_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError> {
            sqlx::query(HOLD_OUTBOX)
                .bind(id.0)
                .bind(at::<DB>(until))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn list_dead_letters(
            &self,
            filter: &DeadLetterFilter,
        ) -> Result<Vec<DeadLetter>, StoreError> {
            let rows: Vec<DeadLetterRow<DB::Instant>> = sqlx::query_as(LIST_DEAD_LETTERS)
                .bind(filter.after.map_or(0, |id| id.0))
                .bind(filter.conversation.map(|key| key.0))
                .bind(i64::from(filter.limit))
                .fetch_all(&mut *self.read().await?)
                .await?;
            rows.into_iter().map(DeadLetter::try_from).collect()
        }

        async fn retry_dead_letter(
            &self,
            id: OutboxId,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(RETRY_DEAD_LETTER)
                .bind(id.0)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn gauges(&self) -> Result<Gauges, StoreError> {
            let counts: (i64, i64, i64, i64) =
                sqlx::query_as(GAUGES).fetch_one(&mut *self.read().await?).await?;
            Ok(gauges(counts))
        }
    }
}
