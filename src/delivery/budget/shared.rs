//! The send budget in the database: the same policy as `LocalBudget`, each
//! conversation's recent sends in `send_log` and the global budget's GCRA
//! state in `send_budget`, read and advanced in one transaction per message.
//! Every instance sharing the database sees the same state, and a restart
//! forgets nothing.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Denied, SendBudget, SendRequest, Sending};
use crate::domain::clock::Clock;
use crate::domain::ports::{BudgetCell, BudgetStore, BudgetTake, StoreError};
use crate::domain::rate::{ChannelWindows, DeliveryPolicy, Gcra};

/// The global budget's scope: one per bot, whatever the channel.
const BOT_SCOPE: &str = "bot";

pub struct SharedBudget {
    store: Arc<dyn BudgetStore>,
    clock: Arc<dyn Clock>,
    conversations: ChannelWindows,
    global: Vec<Gcra>,
}

impl SharedBudget {
    pub fn new(
        policy: &DeliveryPolicy,
        store: Arc<dyn BudgetStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            clock,
            conversations: policy.conversation_windows(),
            global: policy.global().steady(),
        }
    }
}

#[async_trait]
impl SendBudget for SharedBudget {
    async fn try_take(&self, request: SendRequest<'_>) -> Result<Result<(), Denied>, StoreError> {
        let scope = format!("c{}", request.conversation.0);
        let cells: Vec<BudgetCell<'_>> = match request.sending {
            Sending::Reply => Vec::new(),
            Sending::Proactive => self
                .global
                .iter()
                .map(|gcra| BudgetCell {
                    scope: BOT_SCOPE,
                    gcra: *gcra,
                })
                .collect(),
        };
        let take = BudgetTake {
            scope: &scope,
            windows: self.conversations.of(request.channel_id),
            cells: &cells,
        };
        let taken = self.store.take_send_budget(&take, self.clock.now()).await?;
        Ok(taken.map_err(|denied| match denied.cell {
            None => Denied::Conversation {
                until: denied.until,
            },
            Some(_) => Denied::Global {
                until: denied.until,
            },
        }))
    }

    async fn forget_idle(&self) -> Result<(), StoreError> {
        let now = self.clock.now();
        let log_before = now - chrono::Duration::microseconds(self.conversations.longest_span());
        self.store.prune_send_budget(now, log_before).await?;
        Ok(())
    }
}
