//! The trigger engine's loop. The database is the schedule: this loop keeps
//! nothing per trigger in memory. It fires what is due in batches (each one
//! transaction: outbox rows written, triggers advanced or completed), hands
//! the price polls among them to the poller (`polls`), then sleeps until the
//! earliest `next_fire_at` — or until woken because a trigger was created or
//! changed, here or (on PostgreSQL) on another instance.

pub mod housekeeping;
mod polls;

pub use polls::PollSink;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;

use crate::domain::clock::Clock;
use crate::domain::firing::FiringRules;
use crate::domain::ports::{DuePoll, StoreError, TriggerStore};
use polls::Polling;

/// The shortest pause between rounds while triggers are due but none could be
/// claimed (another instance holds them).
const MIN_PAUSE: Duration = Duration::from_millis(10);
/// The pause after a failed round (the database is unreachable).
const ERROR_PAUSE: Duration = Duration::from_secs(1);

/// Tuning of the scheduler loop.
#[derive(Debug, Clone, Copy)]
pub struct SchedulerSettings {
    /// Due triggers fired per transaction.
    pub batch_size: u32,
    /// Transactions fired at once (at least one).
    pub concurrent_batches: u32,
    /// The longest sleep without looking at the table.
    pub max_sleep: Duration,
    pub rules: FiringRules,
}

pub struct Scheduler {
    store: Arc<dyn TriggerStore>,
    clock: Arc<dyn Clock>,
    settings: SchedulerSettings,
    wake: Arc<Notify>,
    /// Wakes delivery when a batch queued messages.
    outbox_written: Arc<Notify>,
    /// Where the price polls go; `None`: nothing polls prices here.
    poller: Option<Arc<dyn PollSink>>,
    /// The polls claimed by batches (which may run in their own tasks), for
    /// the loop to start once the batches are done.
    claimed_polls: UnboundedSender<DuePoll>,
    due_polls: UnboundedReceiver<DuePoll>,
}

impl Scheduler {
    pub fn new(
        store: Arc<dyn TriggerStore>,
        clock: Arc<dyn Clock>,
        settings: SchedulerSettings,
        outbox_written: Arc<Notify>,
    ) -> Self {
        let (claimed_polls, due_polls) = unbounded_channel();
        Self {
            store,
            clock,
            settings,
            wake: Arc::new(Notify::new()),
            outbox_written,
            poller: None,
            claimed_polls,
            due_polls,
        }
    }

    /// Price polls go to `poller` when they come due.
    #[must_use]
    pub fn polling(mut self, poller: Arc<dyn PollSink>) -> Self {
        self.poller = Some(poller);
        self
    }

    /// Signal it when a trigger was created or changed (or a test moved the clock).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs until `shutdown`. A batch in flight when it comes is finished (or,
    /// if the process dies first, rolled back and fired after restart).
    pub async fn run(mut self, shutdown: CancellationToken) {
        tracing::info!(batch_size = self.settings.batch_size, "scheduler started");
        let mut polling = Polling::new(
            self.poller.clone(),
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
        );
        while !shutdown.is_cancelled() {
            let fired = self.fire_due().await;
            // Polls claimed by a batch that committed, even when another failed.
            while let Ok(poll) = self.due_polls.try_recv() {
                polling.start(poll);
            }
            let pause = match fired {
                Ok(()) => self.sleep_time().await,
                Err(error) => {
                    tracing::error!(%error, cause = ?std::error::Error::source(&error), "firing due triggers failed");
                    ERROR_PAUSE
                }
            };
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
                () = shutdown.cancelled() => {}
            }
        }
        polling.stop().await;
        tracing::info!("scheduler stopped");
    }

    /// Fires batches until what is due now is done. One batch first; only
    /// when it came back full (a burst) do `concurrent_batches` go on at a
    /// time, each claiming rows the others do not hold. A batch running
    /// beside another may queue its messages first, so one conversation's
    /// triggers due within a moment of each other keep their order except
    /// in such a burst.
    pub async fn fire_due(&self) -> Result<(), StoreError> {
        let first = fire_batch(
            self.store.as_ref(),
            self.clock.as_ref(),
            &self.settings,
            &self.outbox_written,
            &self.claimed_polls,
        )
        .await?;
        if first < self.settings.batch_size as usize {
            return Ok(());
        }
        let mut others = tokio::task::JoinSet::new();
        for _ in 1..self.settings.concurrent_batches {
            others.spawn(fire_batches(
                Arc::clone(&self.store),
                Arc::clone(&self.clock),
                self.settings,
                Arc::clone(&self.outbox_written),
                self.claimed_polls.clone(),
            ));
        }
        let mut result = fire_batches(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            self.settings,
            Arc::clone(&self.outbox_written),
            self.claimed_polls.clone(),
        )
        .await;
        while let Some(joined) = others.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                Ok(Err(error)) => result = result.and(Err(error)),
                Err(panicked) => std::panic::resume_unwind(panicked.into_panic()),
            }
        }
        result
    }

    /// Until the next trigger is due, at most `max_sleep`.
    async fn sleep_time(&self) -> Duration {
        match self.store.next_trigger_due().await {
            Ok(Some(due)) => match (due - self.clock.now()).to_std() {
                Ok(wait) => wait.min(self.settings.max_sleep),
                // Due already, yet not claimed: another instance is firing it.
                Err(_) => MIN_PAUSE,
            },
            Ok(None) => self.settings.max_sleep,
            Err(error) => {
                tracing::warn!(%error, "reading the next due time failed");
                ERROR_PAUSE
            }
        }
    }
}

/// Fires batches until one comes back short (nothing more is due for it).
async fn fire_batches(
    store: Arc<dyn TriggerStore>,
    clock: Arc<dyn Clock>,
    settings: SchedulerSettings,
    outbox_written: Arc<Notify>,
    claimed_polls: UnboundedSender<DuePoll>,
) -> Result<(), StoreError> {
    loop {
        let claimed = fire_batch(
            store.as_ref(),
            clock.as_ref(),
            &settings,
            &outbox_written,
            &claimed_polls,
        )
        .await?;
        if claimed < settings.batch_size as usize {
            return Ok(());
        }
        // On SQLite each batch holds the only writer: let turns waiting for
        // it go first.
        tokio::task::yield_now().await;
    }
}

/// Fires one batch of what is due now, its polls sent on to be started;
/// returns how many triggers it claimed.
async fn fire_batch(
    store: &dyn TriggerStore,
    clock: &dyn Clock,
    settings: &SchedulerSettings,
    outbox_written: &Notify,
    claimed_polls: &UnboundedSender<DuePoll>,
) -> Result<usize, StoreError> {
    let now = clock.now();
    let batch = store
        .fire_due_triggers(now, settings.batch_size, &settings.rules)
        .await?;
    if batch.queued > 0 {
        outbox_written.notify_one();
    }
    if batch.claimed > 0 {
        tracing::debug!(
            claimed = batch.claimed,
            queued = batch.queued,
            polls = batch.polls.len(),
            "fired due triggers"
        );
    }
    for poll in batch.polls {
        // The receiver lives as long as the scheduler that sends.
        let _ = claimed_polls.send(poll);
    }
    Ok(batch.claimed)
}
