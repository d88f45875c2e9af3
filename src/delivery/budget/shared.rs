//! The send budget in the database: the same derived GCRA windows as
//! `LocalBudget`, their state in the `send_budget` table, advanced in one
//! transaction per message. Every instance sharing the database sees the same
//! state, and a restart forgets nothing.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Denied, SendBudget, SendRequest, Sending};
use crate::domain::clock::Clock;
use crate::domain::ports::{BudgetCell, Store, StoreError};
use crate::domain::rate::{DeliveryPolicy, Gcra};

/// The global budget's scope: one per bot, whatever the channel.
const BOT_SCOPE: &str = "bot";

pub struct SharedBudget {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    channels: Vec<(String, Vec<Gcra>)>,
    other_channels: Vec<Gcra>,
    global: Vec<Gcra>,
}

impl SharedBudget {
    pub fn new(policy: &DeliveryPolicy, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            channels: policy
                .channels()
                .map(|(name, windows)| (name.to_owned(), windows.bursty()))
                .collect(),
            other_channels: policy.other_channels().bursty(),
            global: policy.global().steady(),
        }
    }

    fn conversation_cells(&self, channel_id: &str) -> &[Gcra] {
        self.channels
            .iter()
            .find(|(name, _)| name == channel_id)
            .map_or(&self.other_channels, |(_, cells)| cells)
    }
}

#[async_trait]
impl SendBudget for SharedBudget {
    async fn try_take(&self, request: SendRequest<'_>) -> Result<Result<(), Denied>, StoreError> {
        let scope = format!("c{}", request.conversation.0);
        let mut cells: Vec<BudgetCell<'_>> = self
            .conversation_cells(request.channel_id)
            .iter()
            .map(|gcra| BudgetCell {
                scope: &scope,
                gcra: *gcra,
            })
            .collect();
        let conversation_cells = cells.len();
        if request.sending == Sending::Proactive {
            cells.extend(self.global.iter().map(|gcra| BudgetCell {
                scope: BOT_SCOPE,
                gcra: *gcra,
            }));
        }
        let taken = self
            .store
            .take_send_budget(&cells, self.clock.now())
            .await?;
        Ok(taken.map_err(|denied| {
            if denied.cell < conversation_cells {
                Denied::Conversation {
                    until: denied.until,
                }
            } else {
                Denied::Global {
                    until: denied.until,
                }
            }
        }))
    }

    async fn forget_idle(&self) -> Result<(), StoreError> {
        self.store.prune_send_budget(self.clock.now()).await?;
        Ok(())
    }
}
