//! The storage port's people: what Herald keeps about a person of a channel
//! (settings, what their activity said), and forgetting it all.

use super::StoreError;
use crate::domain::person::PersonRef;
use crate::domain::user::UserRecord;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What forgetting a user removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forgotten {
    /// Their jobs (and later reminders and watches), with queued messages.
    pub triggers: u64,
    /// Their one-to-one conversations, whose references were scrubbed.
    pub conversations: u64,
}

/// People of a channel: their settings, and forgetting them.
#[async_trait]
pub trait PersonStore: Send + Sync {
    /// What Herald keeps about a person of a channel.
    async fn user(&self, channel_id: &str, user_id: &str)
    -> Result<Option<UserRecord>, StoreError>;

    /// Stores a person's record whole (settings and what their activity said).
    async fn save_user(&self, user: &UserRecord, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Deletes everything kept about a person in their channel (never the
    /// same id in another channel): the triggers and watches they own, with
    /// their queued messages, their settings, their one-to-one
    /// conversations' references, and (web chat) their browser credentials
    /// and the files they uploaded.
    async fn forget_user(
        &self,
        person: PersonRef<'_>,
        now: DateTime<Utc>,
    ) -> Result<Forgotten, StoreError>;
}
