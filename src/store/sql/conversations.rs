//! Conversations on every dialect: the references Herald keeps to write
//! back, the activities already handled in each, whether a conversation can
//! be written to, and pruning the idle ones.

use chrono::{DateTime, Utc};

use crate::domain::conversation::{Conversation, ConversationKey, ConversationRecord, Recorded};
use crate::domain::ports::{ConversationStore, MarkedUnreachable, StoreError};
use crate::domain::trigger::TriggerId;
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::{ConversationRow, trigger_id};

/// Turns an unreachable conversation's pending messages into dead letters.
pub const DEAD_LETTER_CONVERSATION: &str = "UPDATE outbox
     SET state = 'dead', last_error = $2, claimed_until = NULL
     WHERE conversation_key = $1 AND state = 'pending'";

/// A conversation's key by the channel's names.
pub const FIND_CONVERSATION: &str =
    "SELECT id FROM conversations WHERE channel_id = $1 AND conversation_id = $2";

/// Clears a conversation's unreachable mark.
pub const MARK_CONVERSATION_REACHABLE: &str =
    "UPDATE conversations SET unreachable_reason = NULL, unreachable_since = NULL WHERE id = $1";

/// Marks a conversation unreachable, keeping the first reason and instant.
pub const MARK_CONVERSATION_UNREACHABLE: &str =
    "UPDATE conversations SET unreachable_reason = $2, unreachable_since = $3
     WHERE id = $1 AND unreachable_reason IS NULL";

/// Pauses an unreachable conversation's timers and reminders, as Herald's own pause.
pub const PAUSE_UNREACHABLE_TRIGGERS: &str = "UPDATE triggers
     SET state = 'paused', paused_by = 'unreachable', next_fire_at = NULL, updated_at = $2
     WHERE conversation_key = $1 AND state = 'active' AND kind <> 'job'";

/// Forgets activity ids handled before $1.
pub const PRUNE_HANDLED_ACTIVITIES: &str = "DELETE FROM handled_activities WHERE handled_at < $1";

/// Pruning idle conversations with their history, in one transaction; the
/// last statement's count is the number of conversations removed.
pub const PRUNE_IDLE_CONVERSATIONS: [&str; 5] = [
    concat!(
        "DELETE FROM outbox WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM price_watches WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM handled_activities WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM triggers WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM conversations WHERE id IN ",
        idle_conversations!()
    ),
];

/// One conversation by key.
pub const SELECT_CONVERSATION: &str = concat!(select_conversation!(), " WHERE id = $1");

/// The triggers Herald paused because their conversation was unreachable.
pub const TRIGGERS_PAUSED_UNREACHABLE: &str = "SELECT id FROM triggers
     WHERE conversation_key = $1 AND state = 'paused' AND paused_by = 'unreachable'
     ORDER BY id";

/// Inserts a conversation or refreshes its reference; returns its key.
pub const UPSERT_CONVERSATION: &str =
    "INSERT INTO conversations (channel_id, conversation_id, service_url,
                 conversation_type, tenant_id, is_group, bot_id, user_id, user_aad_object_id,
                 locale, local_timezone, reference_json, service_url_verified,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $13, $13)
             ON CONFLICT (channel_id, conversation_id) DO UPDATE SET
                 service_url = excluded.service_url,
                 conversation_type = excluded.conversation_type,
                 tenant_id = excluded.tenant_id,
                 is_group = excluded.is_group,
                 bot_id = excluded.bot_id,
                 user_id = excluded.user_id,
                 user_aad_object_id = excluded.user_aad_object_id,
                 locale = excluded.locale,
                 local_timezone = excluded.local_timezone,
                 reference_json = excluded.reference_json,
                 service_url_verified = excluded.service_url_verified,
                 updated_at = excluded.updated_at
             RETURNING id, unreachable_reason IS NOT NULL";

on_every_dialect! {
    impl ConversationStore {
        async fn ping(&self) -> Result<(), StoreError> {
            sqlx::query("SELECT 1").execute(&mut *self.read().await?).await?;
            Ok(())
        }

        async fn record_conversation(
            &self,
            record: &ConversationRecord,
            now: DateTime<Utc>,
        ) -> Result<Recorded, StoreError> {
            let (id, unreachable): (i64, bool) = sqlx::query_as(UPSERT_CONVERSATION)
                .bind(&record.channel_id)
                .bind(&record.conversation_id)
                .bind(&record.service_url)
                .bind(&record.conversation_type)
                .bind(&record.tenant_id)
                .bind(record.is_group)
                .bind(&record.bot_id)
                .bind(&record.user_id)
                .bind(&record.user_aad_object_id)
                .bind(&record.locale)
                .bind(&record.local_timezone)
                .bind(&record.reference_json)
                .bind(at::<DB>(now))
                .bind(record.service_url_verified)
                .fetch_one(&self.writer)
                .await?;
            Ok(Recorded {
                key: ConversationKey(id),
                unreachable,
            })
        }

        async fn conversation(&self, key: ConversationKey) -> Result<Option<Conversation>, StoreError> {
            let row: Option<ConversationRow> = sqlx::query_as(SELECT_CONVERSATION)
                .bind(key.0)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            Ok(row.map(Conversation::from))
        }

        async fn prune_idle_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let mut pruned = 0;
            for statement in PRUNE_IDLE_CONVERSATIONS {
                pruned = sqlx::query(statement)
                    .bind(at::<DB>(before))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(pruned)
        }

        async fn prune_handled_activities(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let result = sqlx::query(PRUNE_HANDLED_ACTIVITIES)
                .bind(at::<DB>(before))
                .execute(&self.writer)
                .await?;
            Ok(result.rows_affected())
        }

        async fn find_conversation(
            &self,
            channel_id: &str,
            conversation_id: &str,
        ) -> Result<Option<ConversationKey>, StoreError> {
            let key: Option<i64> = sqlx::query_scalar(FIND_CONVERSATION)
                .bind(channel_id)
                .bind(conversation_id)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            Ok(key.map(ConversationKey))
        }

        async fn mark_unreachable(
            &self,
            conversation: ConversationKey,
            reason: &str,
            now: DateTime<Utc>,
        ) -> Result<MarkedUnreachable, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let newly = sqlx::query(MARK_CONVERSATION_UNREACHABLE)
                .bind(conversation.0)
                .bind(reason)
                .bind(at::<DB>(now))
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            let paused = sqlx::query(PAUSE_UNREACHABLE_TRIGGERS)
                .bind(conversation.0)
                .bind(at::<DB>(now))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let dead = sqlx::query(DEAD_LETTER_CONVERSATION)
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

        async fn mark_reachable(
            &self,
            conversation: ConversationKey,
        ) -> Result<Vec<TriggerId>, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            sqlx::query(MARK_CONVERSATION_REACHABLE)
                .bind(conversation.0)
                .execute(&mut *tx)
                .await?;
            let ids: Vec<i64> = sqlx::query_scalar(TRIGGERS_PAUSED_UNREACHABLE)
                .bind(conversation.0)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            ids.into_iter().map(trigger_id).collect()
        }
    }
}
