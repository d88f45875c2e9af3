//! The prices side of delivery: a polling trigger's firing reaches the
//! outbox like any message, addressed to its source's own conversation on
//! Herald's internal channel; this sender takes it there and fetches. A poll
//! is done once tried — a failure is recorded and the next poll tries again —
//! so polls never pile up behind a source that is down.

use std::sync::Arc;

use async_trait::async_trait;

use super::Prices;
use crate::delivery::{RetryHint, SendFailure, Sender};
use crate::domain::conversation::Conversation;
use crate::domain::notification::Notification;
use crate::domain::ports::Owner;

/// A source's conversation id: `prices/<source>`.
const PREFIX: &str = "prices/";

pub struct PricePoller {
    pub prices: Arc<Prices>,
}

#[async_trait]
impl Sender for PricePoller {
    async fn send(
        &self,
        conversation: &Conversation,
        _owner: Option<&Owner>,
        notification: &Notification,
    ) -> Result<(), SendFailure> {
        let Notification::PricePoll { symbol } = notification else {
            return Err(SendFailure::Permanent {
                reason: "only price polls go to Herald's own channel".to_owned(),
            });
        };
        let Some(source) = conversation.record.conversation_id.strip_prefix(PREFIX) else {
            return Err(SendFailure::Permanent {
                reason: "not a price source's conversation".to_owned(),
            });
        };
        self.prices
            .poll(source, symbol)
            .await
            .map_err(|error| SendFailure::Transient {
                reason: error.to_string(),
                retry: RetryHint::Backoff,
            })
    }
}
