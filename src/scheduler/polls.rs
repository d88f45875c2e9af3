//! The engine's own work: a price poll the scheduler claimed, handed to
//! whoever polls prices, then its trigger moved on. The port is the
//! scheduler's, so the engine names no price code; the prices component
//! implements it.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::task::JoinSet;

use crate::domain::clock::Clock;
use crate::domain::ports::{DuePoll, StoreError, TriggerStore};

/// Polls one source's symbol when its trigger comes due.
#[async_trait]
pub trait PollSink: Send + Sync {
    /// One poll. A poll is done once tried: the poller records a failed
    /// fetch itself, and the next occurrence tries again. An error (the
    /// database) leaves the trigger claimed until its lease ends, when the
    /// poll runs again.
    async fn poll(&self, source: &str, symbol: &str) -> Result<(), StoreError>;
}

/// The polls in flight, beside the firing loop: a slow source holds up no
/// reminder.
pub(super) struct Polling {
    sink: Option<Arc<dyn PollSink>>,
    store: Arc<dyn TriggerStore>,
    clock: Arc<dyn Clock>,
    running: JoinSet<()>,
}

impl Polling {
    pub(super) fn new(
        sink: Option<Arc<dyn PollSink>>,
        store: Arc<dyn TriggerStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            sink,
            store,
            clock,
            running: JoinSet::new(),
        }
    }

    /// Starts a claimed poll (and forgets those finished).
    pub(super) fn start(&mut self, poll: DuePoll) {
        while let Some(finished) = self.running.try_join_next() {
            if let Err(error) = finished {
                // Its trigger stays claimed: polled again when the claim ends.
                tracing::error!(%error, "a price poll panicked");
            }
        }
        let Some(sink) = self.sink.clone() else {
            // Nothing polls prices here: the claim runs out and the poll
            // comes due again, for an instance that does.
            tracing::debug!(source = %poll.source, symbol = %poll.symbol, "no poller for a due price poll");
            return;
        };
        let (store, clock) = (Arc::clone(&self.store), Arc::clone(&self.clock));
        self.running.spawn(async move {
            if let Err(error) = sink.poll(&poll.source, &poll.symbol).await {
                tracing::warn!(source = %poll.source, symbol = %poll.symbol, %error, "a price poll failed; it runs again when its claim ends");
                return;
            }
            if let Err(error) = store.finish_poll(&poll, clock.now()).await {
                tracing::warn!(trigger = %poll.trigger, %error, "a price poll's trigger was not moved on; it runs again when its claim ends");
            }
        });
    }

    /// At shutdown, polls still running are cut off: each one's trigger is
    /// still claimed, so it runs again once the claim ends, here after a
    /// restart or on another instance.
    pub(super) async fn stop(mut self) {
        self.running.shutdown().await;
    }
}
