//! The send budget: whether a message may go to a conversation now, under its
//! channel's per-conversation windows and (for proactive messages) the bot's
//! global budget. Replies inside a turn and proactive messages draw on the
//! same per-conversation budget.
//!
//! Two implementations of one policy: `LocalBudget` keeps the limiters in
//! memory with governor (one instance, SQLite); `SharedBudget` keeps the same
//! GCRA state in the database and advances it atomically, so several
//! instances on one PostgreSQL stay within the limits together.

mod local;
mod shared;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::ports::StoreError;

pub use local::LocalBudget;
pub use shared::SharedBudget;

/// What is being sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// A reply inside a turn: the conversation's budget only.
    Reply,
    /// A proactive message: the conversation's budget and the global one.
    Proactive,
}

/// Which budget held a message back, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The conversation's windows are full; other conversations may go on.
    Conversation { until: DateTime<Utc> },
    /// The bot's global budget is spent; nothing proactive goes out until then.
    Global { until: DateTime<Utc> },
}

impl Denied {
    pub fn until(self) -> DateTime<Utc> {
        match self {
            Self::Conversation { until } | Self::Global { until } => until,
        }
    }
}

/// The budget one message needs.
#[derive(Debug, Clone, Copy)]
pub struct SendRequest<'a> {
    pub conversation: ConversationKey,
    /// The conversation's channel (`msteams`, `emulator` …): whose policy applies.
    pub channel_id: &'a str,
    pub sending: Sending,
}

#[async_trait]
pub trait SendBudget: Send + Sync + 'static {
    /// Takes the budget for one message if all of it is there; else takes
    /// nothing (or, in memory, at worst a little of the conversation's, which
    /// only ever makes it stricter) and says what to wait for.
    async fn try_take(&self, request: SendRequest<'_>) -> Result<Result<(), Denied>, StoreError>;

    /// Forgets state that no longer holds anything back (housekeeping).
    async fn forget_idle(&self) -> Result<(), StoreError>;
}
