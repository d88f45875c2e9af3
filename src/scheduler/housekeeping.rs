//! Herald's own periodic upkeep: a fixed handful of rounds (every minute, every
//! hour at :07, every day at 03:17 UTC), timed on the injected clock so tests
//! drive them with a manual one. (tokio-cron-scheduler timed them before, but
//! it reads the system clock; it stays in the engine benchmark as the
//! comparison. User triggers live in the trigger table: see docs/scheduler.md.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use tokio::task::{JoinError, JoinHandle};
use tokio_util::sync::CancellationToken;

use crate::delivery::budget::SendBudget;
use crate::domain::clock::Clock;
use crate::domain::ports::{
    ConversationStore, Gauges, OutboxStore, PriceStore, Store, TriggerStore, WebchatStore,
};

/// Forgets what a component keeps in memory for the quiet (run with the
/// housekeeping jobs).
pub type Sweeper = Box<dyn Fn() + Send + Sync>;

/// The storage ports upkeep prunes.
pub struct UpkeepPorts {
    pub conversations: Arc<dyn ConversationStore>,
    pub outbox: Arc<dyn OutboxStore>,
    pub triggers: Arc<dyn TriggerStore>,
    pub prices: Arc<dyn PriceStore>,
    pub webchat: Arc<dyn WebchatStore>,
}

impl UpkeepPorts {
    /// Each port of the whole store.
    pub fn of(store: &Arc<dyn Store>) -> Self {
        Self {
            conversations: Arc::clone(store) as _,
            outbox: Arc::clone(store) as _,
            triggers: Arc::clone(store) as _,
            prices: Arc::clone(store) as _,
            webchat: Arc::clone(store) as _,
        }
    }
}

/// What upkeep works on and how long things are kept.
pub struct Housekeeping {
    pub ports: UpkeepPorts,
    pub clock: Arc<dyn Clock>,
    /// Handled activity ids are kept this long (the de-duplication window).
    pub dedup_window: Duration,
    /// Conversations idle this long, with nothing scheduled, are deleted.
    pub conversation_retention: chrono::Duration,
    /// Sent and dead messages are deleted after this.
    pub outbox_retention: chrono::Duration,
    /// Idempotency keys are forgotten after this.
    pub idempotency_retention: chrono::Duration,
    /// Prices older than this are deleted.
    pub price_history: chrono::Duration,
    /// Web chat browser credentials unused this long are forgotten.
    pub browser_retention: chrono::Duration,
    /// Forget in-memory rate-limit state of quiet callers (per process).
    pub sweepers: Vec<Sweeper>,
    pub gauges: Arc<GaugeBoard>,
    /// The send budget, whose idle state is forgotten hourly.
    pub budget: Arc<dyn SendBudget>,
}

/// The latest counts, for `/healthz`.
#[derive(Debug, Default)]
pub struct GaugeBoard(Mutex<Option<(Gauges, DateTime<Utc>)>>);

impl GaugeBoard {
    pub fn latest(&self) -> Option<(Gauges, DateTime<Utc>)> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn set(&self, gauges: Gauges, at: DateTime<Utc>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((gauges, at));
    }
}

/// How often the timer looks at the clock again while waiting: a manual
/// clock moved forward is noticed within this (the system clock's rounds are
/// late by at most the time a round takes).
const LOOK_AGAIN: Duration = Duration::from_secs(1);

/// The running rounds.
pub struct Running {
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops the timer after the round in progress, if any.
    pub async fn shutdown(&mut self) -> Result<(), JoinError> {
        self.stop.cancel();
        (&mut self.task).await
    }
}

impl Housekeeping {
    /// Runs a first minutely round (so the gauges are filled now rather than
    /// a minute from now), then starts the timer.
    pub async fn start(self) -> Running {
        let work = Arc::new(self);
        work.run(Task::Minutely).await;
        let stop = CancellationToken::new();
        let task = tokio::spawn(Arc::clone(&work).rounds(stop.clone()));
        tracing::info!("housekeeping started");
        Running { stop, task }
    }

    /// Each round when its time comes on the clock; a round whose time passed
    /// several times over (a suspended machine, a clock moved far) runs once.
    async fn rounds(self: Arc<Self>, stop: CancellationToken) {
        let started = self.clock.now();
        let mut next = Task::ALL.map(|task| task.next_after(started));
        loop {
            let now = self.clock.now();
            for (task, due) in Task::ALL.iter().zip(next.iter_mut()) {
                if *due <= now {
                    self.run(*task).await;
                    *due = task.next_after(now);
                }
            }
            let soonest = next.iter().min().copied().unwrap_or(now);
            let wait = (soonest - self.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(LOOK_AGAIN);
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    pub async fn run(&self, task: Task) {
        let now = self.clock.now();
        match task {
            Task::Minutely => {
                report(
                    "released expired delivery claims",
                    self.ports.outbox.release_expired_claims(now).await,
                );
                match self.ports.outbox.gauges().await {
                    Ok(gauges) => {
                        tracing::debug!(?gauges, "gauges refreshed");
                        self.gauges.set(gauges, now);
                    }
                    Err(error) => tracing::warn!(%error, "refreshing gauges failed"),
                }
            }
            Task::Hourly => {
                let window =
                    chrono::Duration::from_std(self.dedup_window).unwrap_or(chrono::Duration::MAX);
                report(
                    "pruned handled activity ids",
                    self.ports
                        .conversations
                        .prune_handled_activities(now - window)
                        .await,
                );
                report(
                    "pruned idempotency keys",
                    self.ports
                        .triggers
                        .prune_idempotency_keys(now - self.idempotency_retention)
                        .await,
                );
                report(
                    "pruned expired web chat tokens",
                    self.ports
                        .webchat
                        .prune_webchat_tokens(now - crate::webchat::EXPIRED_TOKEN_GRACE)
                        .await,
                );
                for sweep in &self.sweepers {
                    sweep();
                }
                if let Err(error) = self.budget.forget_idle().await {
                    tracing::warn!(%error, "housekeeping failed: forgetting idle send budgets");
                }
            }
            Task::Daily => {
                report(
                    "pruned idle conversations",
                    self.ports
                        .conversations
                        .prune_idle_conversations(now - self.conversation_retention)
                        .await,
                );
                report(
                    "pruned delivered and dead messages",
                    self.ports
                        .outbox
                        .prune_outbox(now - self.outbox_retention)
                        .await,
                );
                report(
                    "pruned price history",
                    self.ports
                        .prices
                        .prune_price_history(now - self.price_history)
                        .await,
                );
                report(
                    "pruned idle web chat conversations",
                    self.ports
                        .webchat
                        .prune_webchat_conversations(now - self.conversation_retention)
                        .await,
                );
                report(
                    "pruned unused web chat browser credentials",
                    self.ports
                        .webchat
                        .prune_webchat_browsers(now - self.browser_retention)
                        .await,
                );
            }
        }
    }
}

/// Which upkeep round to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Expired delivery claims, gauges.
    Minutely,
    /// Handled activity ids, idempotency keys, rate-limit state.
    Hourly,
    /// Idle conversations (web chat ones too), old outbox rows, old prices.
    Daily,
}

impl Task {
    const ALL: [Task; 3] = [Task::Minutely, Task::Hourly, Task::Daily];

    /// The round's next time strictly after `now`, in UTC: every minute on
    /// the minute; hourly at :07 and daily at 03:17, off the hour so they do
    /// not meet the load of work people schedule on the hour.
    fn next_after(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let (period, offset) = match self {
            Task::Minutely => (TimeDelta::minutes(1), TimeDelta::zero()),
            Task::Hourly => (TimeDelta::hours(1), TimeDelta::minutes(7)),
            Task::Daily => (TimeDelta::days(1), TimeDelta::minutes(3 * 60 + 17)),
        };
        // Periods divide a day, so rounding down from the epoch lands on them.
        let start = (now - offset)
            .duration_trunc(period)
            .unwrap_or(now - offset)
            + offset;
        start + period
    }
}

fn report(what: &'static str, outcome: Result<u64, crate::domain::ports::StoreError>) {
    match outcome {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "{what}"),
        Err(error) => tracing::warn!(%error, "housekeeping failed: {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::Task;
    use crate::domain::instants::utc;

    #[test]
    fn each_round_comes_next_at_its_own_time() {
        let cases = [
            (
                Task::Minutely,
                "2026-12-06T12:00:30Z",
                "2026-12-06T12:01:00Z",
            ),
            (
                Task::Minutely,
                "2026-12-06T12:01:00Z",
                "2026-12-06T12:02:00Z",
            ),
            (Task::Hourly, "2026-12-06T12:06:59Z", "2026-12-06T12:07:00Z"),
            (Task::Hourly, "2026-12-06T12:07:00Z", "2026-12-06T13:07:00Z"),
            (Task::Hourly, "2026-12-06T23:30:00Z", "2026-12-07T00:07:00Z"),
            (Task::Daily, "2026-12-06T02:00:00Z", "2026-12-06T03:17:00Z"),
            (Task::Daily, "2026-12-06T03:17:00Z", "2026-12-07T03:17:00Z"),
            (Task::Daily, "2026-12-31T20:00:00Z", "2027-01-01T03:17:00Z"),
        ];
        for (task, now, next) in cases {
            assert_eq!(task.next_after(utc(now)), utc(next), "{task:?} after {now}");
        }
    }
}
