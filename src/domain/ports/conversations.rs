//! The storage port's conversations: the references Herald keeps to write
//! back, the activities already handled in each, and whether a conversation
//! can still be written to.

use super::StoreError;
use crate::domain::conversation::{Conversation, ConversationKey, ConversationRecord, Recorded};
use crate::domain::trigger::TriggerId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What marking a conversation unreachable did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkedUnreachable {
    /// It was reachable until now (false: it was marked before).
    pub newly: bool,
    /// Its active timers and reminders, now paused by Herald.
    pub paused_triggers: u64,
    /// Its pending messages, now dead letters.
    pub dead_messages: u64,
}

/// Conversations: their references, the activities handled in them, whether they can be written to.
#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Inserts a conversation's reference or replaces the stored one; says
    /// whether the conversation was marked unreachable.
    async fn record_conversation(
        &self,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError>;

    /// `record_conversation`, for callers that need only the key.
    async fn upsert_conversation(
        &self,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<ConversationKey, StoreError> {
        Ok(self.record_conversation(record, now).await?.key)
    }

    async fn conversation(&self, key: ConversationKey) -> Result<Option<Conversation>, StoreError>;

    /// In one transaction: records why the conversation cannot be written to,
    /// pauses its active timers and reminders (as paused by Herald), and turns
    /// its pending messages into dead letters with the reason.
    async fn mark_unreachable(
        &self,
        conversation: ConversationKey,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<MarkedUnreachable, StoreError>;

    /// Clears the mark; returns the triggers Herald paused for it, to resume.
    async fn mark_reachable(
        &self,
        conversation: ConversationKey,
    ) -> Result<Vec<TriggerId>, StoreError>;

    /// Removes conversations unused since `before` that have nothing scheduled
    /// or queued, with their history; returns how many.
    async fn prune_idle_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Forgets handled activity ids older than `before`; returns how many.
    async fn prune_handled_activities(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// The key of a conversation by the channel's names for it.
    async fn find_conversation(
        &self,
        channel_id: &str,
        conversation_id: &str,
    ) -> Result<Option<ConversationKey>, StoreError>;
}
