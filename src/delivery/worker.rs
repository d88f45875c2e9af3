//! The delivery loop: claim a batch (one message per conversation, oldest
//! first), send them concurrently, record each outcome, sleep until the next
//! message is due or someone signals new work.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::{Backoff, RetryHint, SendFailure, Sender};
use crate::domain::clock::Clock;
use crate::domain::notification::Notification;
use crate::domain::ports::{OutboxItem, Store, StoreError};

/// Tuning of the delivery loop.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// The longest the loop sleeps without looking at the outbox.
    pub poll_interval: Duration,
    /// Messages claimed (and sent concurrently) per round.
    pub batch_size: u32,
    /// How long a claim lasts; a crashed sender's messages are retried after it.
    pub lease: Duration,
    /// Attempts before a message is dead-lettered.
    pub max_attempts: u32,
    pub backoff: Backoff,
}

/// The outbox drain.
pub struct Delivery {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    sender: Arc<dyn Sender>,
    settings: DeliverySettings,
    wake: Arc<Notify>,
}

impl Delivery {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        sender: Arc<dyn Sender>,
        settings: DeliverySettings,
    ) -> Self {
        Self {
            store,
            clock,
            sender,
            settings,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Signalled whenever new messages may be due (a turn wrote to the outbox,
    /// or a test moved the clock).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs until `shutdown`; messages being sent when it comes are finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!("delivery started");
        while !shutdown.is_cancelled() {
            let pause = match self.deliver_due().await {
                Ok(0) => self.idle_time().await,
                Ok(_) => continue,
                Err(error) => {
                    tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "delivery round failed");
                    self.settings.poll_interval
                }
            };
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
                () = shutdown.cancelled() => {}
            }
        }
        tracing::info!("delivery stopped");
    }

    /// Claims and sends one batch; returns how many messages it handled.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let now = self.clock.now();
        let lease_until = now + chrono_duration(self.settings.lease);
        let batch = self
            .store
            .claim_outbox(now, lease_until, self.settings.batch_size)
            .await?;
        let count = batch.len();
        let mut sends = JoinSet::new();
        for item in batch {
            let sender = Arc::clone(&self.sender);
            sends.spawn(async move {
                let outcome = match serde_json::from_str::<Notification>(&item.payload) {
                    Ok(notification) => sender.send(&item.conversation, &notification).await,
                    Err(error) => Err(SendFailure::Permanent {
                        reason: format!("unreadable notification: {error}"),
                    }),
                };
                (item, outcome)
            });
        }
        while let Some(joined) = sends.join_next().await {
            match joined {
                Ok((item, outcome)) => self.record(&item, outcome).await?,
                // A panicking sender leaves its message claimed; the lease
                // expires and it is retried.
                Err(error) => tracing::error!(%error, "a delivery task failed"),
            }
        }
        Ok(count)
    }

    async fn record(
        &self,
        item: &OutboxItem,
        outcome: Result<(), SendFailure>,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let conversation = &item.conversation.record.conversation_id;
        let attempt = item.attempts + 1;
        match outcome {
            Ok(()) => {
                let lag_ms = (now - item.created_at).num_milliseconds();
                tracing::info!(outbox = item.id.0, %conversation, attempt, lag_ms, "delivered");
                self.store.mark_sent(item.id, now).await
            }
            Err(SendFailure::Permanent { reason }) => {
                tracing::warn!(outbox = item.id.0, %conversation, attempt, %reason, "dead-lettered");
                self.store.mark_dead(item.id, now, &reason).await
            }
            Err(SendFailure::Transient { reason, .. }) if attempt >= self.settings.max_attempts => {
                let reason = format!("gave up after {attempt} attempts: {reason}");
                tracing::warn!(outbox = item.id.0, %conversation, %reason, "dead-lettered");
                self.store.mark_dead(item.id, now, &reason).await
            }
            Err(SendFailure::Transient { reason, retry }) => {
                let delay = match retry {
                    RetryHint::After(delay) => delay,
                    RetryHint::Backoff => self.settings.backoff.delay(attempt),
                };
                let next = now + chrono_duration(delay);
                tracing::warn!(outbox = item.id.0, %conversation, attempt, %reason, retry_in_ms = delay.as_millis() as u64, "send failed; will retry");
                self.store.schedule_retry(item.id, next, &reason).await
            }
        }
    }

    /// How long to sleep when nothing was due: until the next message is, at most
    /// one poll interval (other instances and restarts add work unannounced).
    async fn idle_time(&self) -> Duration {
        let next_due: Option<DateTime<Utc>> = self.store.next_outbox_due().await.unwrap_or(None);
        let poll = self.settings.poll_interval;
        match next_due {
            Some(due) => (due - self.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(10), poll),
            None => poll,
        }
    }
}

fn chrono_duration(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}
