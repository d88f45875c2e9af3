//! The storage port's outbox: every message Herald sends proactively waits
//! here until the channel accepts it, so a crash or an outage loses none.

use super::StoreError;
use crate::domain::conversation::{Conversation, ConversationKey};
use crate::domain::notification::Notification;
use crate::domain::person::Person;
use crate::domain::trigger::TriggerId;
use crate::domain::user::UserRecord;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An outbox row's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

/// Where an outbox message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting to be sent, or to be retried.
    Pending,
    /// Accepted by the channel.
    Sent,
    /// Given up on; `last_error` says why.
    Dead,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }

    pub fn parse(stored: &str) -> Result<Self, StoreError> {
        match stored {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "dead" => Ok(Self::Dead),
            other => Err(StoreError::Corrupt(format!("outbox state `{other}`"))),
        }
    }
}

/// Who owns the trigger a message comes from, with what Herald keeps of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub person: Person,
    /// `None` when Herald keeps nothing about them (yet).
    pub record: Option<UserRecord>,
}

/// A message claimed for delivery, with the conversation to deliver it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: OutboxId,
    pub conversation: Conversation,
    /// The owner of the trigger that queued it, if any.
    pub owner: Option<Owner>,
    /// The stored message, read; why it could not be, when it could not (a
    /// row delivery dead-letters instead of failing the whole batch).
    pub notification: Result<Notification, String>,
    /// Attempts made before this one.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

/// An outbox row as it stands, for inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: OutboxId,
    pub conversation: ConversationKey,
    pub trigger: Option<TriggerId>,
    pub state: OutboxState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A message to queue for a person in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMessage {
    pub conversation: ConversationKey,
    pub owner: Option<Person>,
    pub notification: Notification,
}

/// A dead letter with the channel's names for its conversation (`None` when
/// the conversation was deleted since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub entry: OutboxEntry,
    pub channel_id: Option<String>,
    pub conversation_id: Option<String>,
}

/// Which dead letters a listing wants; ordered by id, after the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeadLetterFilter {
    pub conversation: Option<ConversationKey>,
    pub after: Option<OutboxId>,
    pub limit: u32,
}

/// Counts for monitoring, refreshed by housekeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gauges {
    pub active_triggers: u64,
    pub paused_triggers: u64,
    pub pending_messages: u64,
    pub dead_messages: u64,
}

/// The outbox: messages waiting for delivery, claimed, sent, retried or given up on (dead letters).
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` due messages until `lease_until`: at most one per
    /// conversation (its oldest pending message), so each conversation's
    /// messages go out in order. Claimed rows are invisible to other claims
    /// until the lease ends.
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError>;

    /// Records that the channel accepted the message.
    async fn mark_sent(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Records that the channel accepted these messages, in one write.
    async fn mark_all_sent(&self, ids: &[OutboxId], now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Records a failed attempt; the message is due again at `next_attempt_at`.
    async fn schedule_retry(
        &self,
        id: OutboxId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// Gives up on a message, keeping the reason.
    async fn mark_dead(
        &self,
        id: OutboxId,
        now: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// Queues a message for a conversation, due now.
    async fn queue_notification(
        &self,
        conversation: ConversationKey,
        notification: &Notification,
        now: DateTime<Utc>,
    ) -> Result<OutboxId, StoreError>;

    /// Puts a claimed message back, due at `until`, without counting an
    /// attempt (the send budget held it back).
    async fn postpone_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError>;

    /// Holds a claimed message until `until` (its recipient's quiet hours);
    /// meanwhile the conversation's later messages do not wait for it.
    async fn hold_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError>;

    async fn outbox_entry(&self, id: OutboxId) -> Result<Option<OutboxEntry>, StoreError>;

    /// Dead letters, oldest first.
    async fn list_dead_letters(
        &self,
        filter: &DeadLetterFilter,
    ) -> Result<Vec<DeadLetter>, StoreError>;

    /// Queues a dead letter again (attempts start over); false if `id` is not
    /// a dead letter.
    async fn retry_dead_letter(&self, id: OutboxId, now: DateTime<Utc>)
    -> Result<bool, StoreError>;

    /// The earliest instant a pending message becomes due, if any: delivery
    /// sleeps until then.
    async fn next_outbox_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Deletes sent and dead-lettered messages created before `before`.
    async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Clears delivery claims that ended before `now` (a crashed sender's).
    async fn release_expired_claims(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    async fn gauges(&self) -> Result<Gauges, StoreError>;
}
