//! Drains the outbox: claims due messages, hands them to a channel's sender,
//! and records the outcome. A message is marked sent only after the channel
//! accepted it, so delivery is at-least-once and never loses a message.

mod backoff;
pub mod budget;
pub mod metrics;
mod worker;

use std::time::Duration;

use async_trait::async_trait;

use crate::domain::conversation::Conversation;
use crate::domain::notification::Notification;
use crate::domain::ports::Owner;

pub use backoff::Backoff;
pub use worker::{Delivery, DeliveryPorts, DeliverySettings};

/// How long to wait before trying a message again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryHint {
    /// The channel answered 429: wait as long as its `Retry-After` said, or
    /// back off exponentially if it said nothing.
    Throttled { retry_after: Option<Duration> },
    /// Any other transient failure: back off exponentially.
    Backoff,
}

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendFailure {
    /// Worth trying again (throttled, 5xx, timeout, connection refused).
    #[error("{reason}")]
    Transient { reason: String, retry: RetryHint },
    /// Will never succeed as it stands (bad request, too large).
    #[error("{reason}")]
    Permanent { reason: String },
    /// The conversation cannot be written to any more (the bot was removed or
    /// blocked, the conversation is gone): nothing more is sent to it until
    /// it speaks again.
    #[error("{reason}")]
    Unreachable { reason: String },
}

/// One way of getting a message into a conversation. Delivery knows nothing
/// of HTTP: the Bot Framework connector is one implementation.
#[async_trait]
pub trait Sender: Send + Sync + 'static {
    /// Sends `notification` to `conversation`; `owner` is whoever the
    /// trigger behind it belongs to (for their language, zone and a mention).
    async fn send(
        &self,
        conversation: &Conversation,
        owner: Option<&Owner>,
        notification: &Notification,
    ) -> Result<(), SendFailure>;
}
