//! The delivery loop: claim due messages (one per conversation, oldest first),
//! take each one's send budget, send them concurrently, record each outcome,
//! and sleep until the next message is due or someone signals new work.
//!
//! A message the budget holds back is put back due when the budget frees up,
//! without counting an attempt; while it waits, its conversation's later
//! messages wait behind it (order is kept) and other conversations go on
//! (one message per conversation per round: nobody starves).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::budget::{Denied, SendBudget, SendRequest, Sending};
use super::metrics::{DeliveryMetrics, ThrottledBy};
use super::{Backoff, RetryHint, SendFailure, Sender};
use crate::domain::clock::Clock;
use crate::domain::notification::Notification;
use crate::domain::ports::{ConversationStore, OutboxItem, OutboxStore, StoreError};
use crate::domain::schedule::Zone;

/// Tuning of the delivery loop.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// The longest the loop sleeps without looking at the outbox.
    pub poll_interval: Duration,
    /// The most messages claimed (and sent concurrently) per round.
    pub batch_size: u32,
    /// Rounds under way at once.
    pub concurrent_rounds: u32,
    /// How long a claim lasts; a crashed sender's messages are retried after it.
    pub lease: Duration,
    /// Attempts before a message is dead-lettered.
    pub max_attempts: u32,
    pub backoff: Backoff,
    /// The zone of people with none known (for their quiet hours).
    pub default_zone: Zone,
}

/// The storage ports delivery uses.
pub struct DeliveryPorts {
    pub outbox: Arc<dyn OutboxStore>,
    /// Marked unreachable when their channel says the bot is gone.
    pub conversations: Arc<dyn ConversationStore>,
}

/// The outbox drain.
pub struct Delivery {
    store: Arc<dyn OutboxStore>,
    conversations: Arc<dyn ConversationStore>,
    clock: Arc<dyn Clock>,
    sender: Arc<dyn Sender>,
    budget: Arc<dyn SendBudget>,
    metrics: Arc<DeliveryMetrics>,
    settings: DeliverySettings,
    wake: Arc<Notify>,
    pace: Mutex<Pace>,
}

/// How much to claim next, learnt from the global budget.
#[derive(Debug, Clone, Copy)]
struct Pace {
    /// Messages to claim next round: shrinks to what the global budget let
    /// through when it ran out, grows back (doubling) while it does not, so a
    /// round does not claim 32 messages to send one.
    claim: u32,
    /// Nothing proactive goes out before this (the global budget is spent).
    global_until: Option<DateTime<Utc>>,
}

impl Delivery {
    pub fn new(
        ports: DeliveryPorts,
        clock: Arc<dyn Clock>,
        sender: Arc<dyn Sender>,
        budget: Arc<dyn SendBudget>,
        metrics: Arc<DeliveryMetrics>,
        settings: DeliverySettings,
    ) -> Self {
        let pace = Pace {
            claim: settings.batch_size,
            global_until: None,
        };
        Self {
            store: ports.outbox,
            conversations: ports.conversations,
            clock,
            sender,
            budget,
            metrics,
            settings,
            wake: Arc::new(Notify::new()),
            pace: Mutex::new(pace),
        }
    }

    /// Wakes on `wake` instead of its own signal (for parts built before it).
    pub fn woken_by(mut self, wake: Arc<Notify>) -> Self {
        self.wake = wake;
        self
    }

    /// Signalled whenever new messages may be due (a turn wrote to the outbox,
    /// or a test moved the clock).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs until `shutdown`; messages being sent when it comes are finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(rounds = self.settings.concurrent_rounds, "delivery started");
        let delivery = Arc::new(self);
        let mut loops = JoinSet::new();
        for _ in 0..delivery.settings.concurrent_rounds.max(1) {
            let delivery = Arc::clone(&delivery);
            let shutdown = shutdown.clone();
            loops.spawn(async move { delivery.round_loop(shutdown).await });
        }
        while loops.join_next().await.is_some() {}
        tracing::info!("delivery stopped");
    }

    /// One of the concurrent rounds: rounds claim disjoint messages (a
    /// conversation's next message waits while its head is in flight), so
    /// while one waits for the channel or the disk, another sends.
    async fn round_loop(&self, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            let pause = match self.deliver_due().await {
                Ok(0) => self.idle_time().await,
                Ok(_) => {
                    // There is work: wake a sibling round to share it.
                    self.wake.notify_one();
                    continue;
                }
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
    }

    /// Claims and sends one round; returns how many messages it handled.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let now = self.clock.now();
        let claim = {
            let pace = self.pace();
            if pace.global_until.is_some_and(|until| now < until) {
                return Ok(0);
            }
            pace.claim
        };
        let lease_until = now + chrono_duration(self.settings.lease);
        let batch = self.store.claim_outbox(now, lease_until, claim).await?;
        let count = batch.len();
        let mut sends = JoinSet::new();
        let mut admitted: u32 = 0;
        let mut global_until = None;
        for item in batch {
            if let Some(until) = global_until {
                // The global budget is spent: back in the queue, as they were.
                self.store.postpone_outbox(item.id, until).await?;
                continue;
            }
            let channel = item.conversation.record.channel_id.clone();
            if let Some(reason) = &item.conversation.unreachable {
                let reason = format!("the conversation is unreachable: {reason}");
                tracing::warn!(outbox = item.id.0, %reason, "dead-lettered");
                self.metrics.dead(&channel);
                self.store.mark_dead(item.id, now, &reason).await?;
                continue;
            }
            if let Some(until) = self.quiet_until(&item, now) {
                // The owner's quiet hours: held, and sent with the others then.
                self.store.hold_outbox(item.id, until).await?;
                continue;
            }
            let request = SendRequest {
                conversation: item.conversation.key,
                channel_id: &channel,
                sending: Sending::Proactive,
            };
            match self.budget.try_take(request).await? {
                Ok(()) => {
                    admitted += 1;
                    sends.spawn(send(Arc::clone(&self.sender), item));
                }
                Err(Denied::Conversation { until }) => {
                    self.metrics.throttled(&channel, ThrottledBy::Herald);
                    self.store.postpone_outbox(item.id, until).await?;
                }
                Err(Denied::Global { until }) => {
                    self.metrics.throttled(&channel, ThrottledBy::Herald);
                    self.store.postpone_outbox(item.id, until).await?;
                    global_until = Some(until);
                }
            }
        }
        self.adjust_pace(global_until, admitted);
        let mut sent = Vec::new();
        while let Some(joined) = sends.join_next().await {
            match joined {
                Ok((item, Ok(()))) => {
                    self.record_sent(&item);
                    sent.push(item.id);
                }
                Ok((item, Err(failure))) => self.record_failure(&item, failure).await?,
                // A panicking sender leaves its message claimed; the lease
                // expires and it is retried.
                Err(error) => tracing::error!(%error, "a delivery task failed"),
            }
        }
        // One write for the round's accepted messages: a crash before it
        // only means they are sent again (the channel accepted them once).
        self.store.mark_all_sent(&sent, self.clock.now()).await?;
        Ok(count)
    }

    /// When a message waits for its owner's quiet hours to end: job
    /// notifications (and later price alerts) do; reminders come at the time
    /// their owner chose.
    fn quiet_until(&self, item: &OutboxItem, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let record = item.owner.as_ref()?.record.as_ref()?;
        let quiet = record.quiet?;
        let held = item
            .notification
            .as_ref()
            .is_ok_and(Notification::waits_for_quiet_hours);
        if !held {
            return None;
        }
        let (zone, _) = record.zone(self.settings.default_zone);
        quiet.holds_until(now, zone)
    }

    fn pace(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.pace.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn adjust_pace(&self, global_until: Option<DateTime<Utc>>, admitted: u32) {
        let mut pace = self.pace();
        pace.global_until = global_until;
        pace.claim = match global_until {
            Some(_) => admitted.saturating_add(1),
            None => pace.claim.saturating_mul(2),
        }
        .clamp(1, self.settings.batch_size);
    }

    fn record_sent(&self, item: &OutboxItem) {
        let conversation = &item.conversation.record.conversation_id;
        let lag = (self.clock.now() - item.created_at)
            .to_std()
            .unwrap_or_default();
        let lag_ms = lag.as_millis() as u64;
        let attempt = item.attempts + 1;
        tracing::info!(outbox = item.id.0, %conversation, attempt, lag_ms, "delivered");
        self.metrics.sent(&item.conversation.record.channel_id, lag);
    }

    async fn record_failure(
        &self,
        item: &OutboxItem,
        failure: SendFailure,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let channel = item.conversation.record.channel_id.as_str();
        let conversation = &item.conversation.record.conversation_id;
        let attempt = item.attempts + 1;
        match failure {
            SendFailure::Unreachable { reason } => {
                let marked = self
                    .conversations
                    .mark_unreachable(item.conversation.key, &reason, now)
                    .await?;
                tracing::warn!(
                    outbox = item.id.0,
                    %conversation,
                    %reason,
                    paused_triggers = marked.paused_triggers,
                    dead_letters = marked.dead_messages,
                    "conversation unreachable; its triggers are paused"
                );
                self.metrics.unreachable(channel);
                for _ in 0..marked.dead_messages {
                    self.metrics.dead(channel);
                }
                Ok(())
            }
            SendFailure::Permanent { reason } => {
                tracing::warn!(outbox = item.id.0, %conversation, attempt, %reason, "dead-lettered");
                self.metrics.dead(channel);
                self.store.mark_dead(item.id, now, &reason).await
            }
            SendFailure::Transient { reason, .. } if attempt >= self.settings.max_attempts => {
                let reason = format!("gave up after {attempt} attempts: {reason}");
                tracing::warn!(outbox = item.id.0, %conversation, %reason, "dead-lettered");
                self.metrics.dead(channel);
                self.store.mark_dead(item.id, now, &reason).await
            }
            SendFailure::Transient { reason, retry } => {
                let backoff = self.settings.backoff.delay(attempt);
                let delay = match retry {
                    RetryHint::Throttled { retry_after } => {
                        self.metrics.throttled(channel, ThrottledBy::Channel);
                        retry_after.unwrap_or(backoff)
                    }
                    RetryHint::Backoff => backoff,
                };
                let next = now + chrono_duration(delay);
                tracing::warn!(outbox = item.id.0, %conversation, attempt, %reason, retry_in_ms = delay.as_millis() as u64, "send failed; will retry");
                self.metrics.retried(channel);
                self.store.schedule_retry(item.id, next, &reason).await
            }
        }
    }

    /// How long to sleep when nothing was due: until the next message is (or
    /// the global budget frees up), at most one poll interval (other instances
    /// and restarts add work unannounced).
    async fn idle_time(&self) -> Duration {
        let now = self.clock.now();
        if let Some(until) = self.pace().global_until.filter(|until| now < *until) {
            return (until - now).to_std().unwrap_or(Duration::ZERO);
        }
        let next_due: Option<DateTime<Utc>> = self.store.next_outbox_due().await.unwrap_or(None);
        let poll = self.settings.poll_interval;
        match next_due {
            Some(due) => (due - now)
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

/// Sends one claimed message; its outcome comes back with it.
async fn send(sender: Arc<dyn Sender>, item: OutboxItem) -> (OutboxItem, Result<(), SendFailure>) {
    let outcome = match &item.notification {
        Ok(notification) => {
            sender
                .send(&item.conversation, item.owner.as_ref(), notification)
                .await
        }
        Err(problem) => Err(SendFailure::Permanent {
            reason: problem.clone(),
        }),
    };
    (item, outcome)
}
