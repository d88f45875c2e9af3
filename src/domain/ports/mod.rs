//! The storage port: what the rest of Herald needs from a database, one trait
//! per concern so that each component is handed only the ones it uses.
//! Implemented for SQLite and PostgreSQL in `crate::store`, tested by one
//! shared suite. `Store` is all of them at once, for what wires Herald up.

use std::error::Error as StdError;

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::trigger::TriggerId;

mod attachments;
mod budget;
mod conversations;
mod jobs;
mod limits;
mod outbox;
mod people;
mod prices;
mod triggers;
mod webchat;

pub use attachments::{NewWebchatAttachment, WebchatAttachment, WebchatAttachments};
pub use budget::*;
pub use conversations::*;
pub use jobs::*;
pub use limits::*;
pub use outbox::*;
pub use people::*;
pub use prices::*;
pub use triggers::*;
pub use webchat::*;

/// A failure of the storage backend. The cause is kept for the logs; users only
/// ever see that something went wrong on Herald's side.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Backend(#[source] Box<dyn StdError + Send + Sync>),
    #[error("stored data is not understood: {0}")]
    Corrupt(String),
}

/// The identity of an incoming activity, recorded with what it changed so a
/// redelivered activity is recognised and not handled twice.
#[derive(Debug, Clone, Copy)]
pub struct ActivityStamp<'a> {
    /// The conversation the activity arrived in.
    pub conversation: ConversationKey,
    /// The channel's activity id.
    pub activity_id: &'a str,
    /// Activities handled before this instant are forgotten: an id seen again
    /// after it is handled anew.
    pub window_start: DateTime<Utc>,
}

/// The result of creating something from an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Created(TriggerId),
    /// The activity was handled before; nothing was created.
    Duplicate,
    /// A cap on open jobs; nothing was created.
    LimitReached(LimitReached),
}

/// A page of a listing, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub size: u32,
}

impl PageRequest {
    pub fn offset(self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.size)
    }
}

/// The whole database, as what wires Herald up sees it: every concern's port.
/// A component that needs fewer is handed those (trait upcasting).
pub trait Store:
    ConversationStore
    + JobStore
    + TriggerStore
    + OutboxStore
    + PersonStore
    + PriceStore
    + WatchStore
    + WebchatStore
    + WebchatAttachments
    + BudgetStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: ConversationStore
        + JobStore
        + TriggerStore
        + OutboxStore
        + PersonStore
        + PriceStore
        + WatchStore
        + WebchatStore
        + WebchatAttachments
        + BudgetStore
        + Send
        + Sync
        + 'static
{
}
