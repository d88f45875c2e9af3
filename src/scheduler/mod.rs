//! The trigger engine's loop. The database is the schedule: this loop keeps
//! nothing per trigger in memory. It fires what is due in batches (each one
//! transaction: outbox rows written, triggers advanced or completed), then
//! sleeps until the earliest `next_fire_at` — or until woken because a
//! trigger was created or changed, here or (on PostgreSQL) on another instance.

pub mod housekeeping;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::domain::clock::Clock;
use crate::domain::firing::FiringRules;
use crate::domain::ports::{Store, StoreError};

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
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: SchedulerSettings,
    wake: Arc<Notify>,
    /// Wakes delivery when a batch queued messages.
    outbox_written: Arc<Notify>,
}

impl Scheduler {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        settings: SchedulerSettings,
        outbox_written: Arc<Notify>,
    ) -> Self {
        Self {
            store,
            clock,
            settings,
            wake: Arc::new(Notify::new()),
            outbox_written,
        }
    }

    /// Signal it when a trigger was created or changed (or a test moved the clock).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs until `shutdown`. A batch in flight when it comes is finished (or,
    /// if the process dies first, rolled back and fired after restart).
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(batch_size = self.settings.batch_size, "scheduler started");
        while !shutdown.is_cancelled() {
            let pause = match self.fire_due().await {
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
            ));
        }
        let mut result = fire_batches(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            self.settings,
            Arc::clone(&self.outbox_written),
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
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: SchedulerSettings,
    outbox_written: Arc<Notify>,
) -> Result<(), StoreError> {
    loop {
        let claimed =
            fire_batch(store.as_ref(), clock.as_ref(), &settings, &outbox_written).await?;
        if claimed < settings.batch_size as usize {
            return Ok(());
        }
        // On SQLite each batch holds the only writer: let turns waiting for
        // it go first.
        tokio::task::yield_now().await;
    }
}

/// Fires one batch of what is due now; returns how many triggers it claimed.
async fn fire_batch(
    store: &dyn Store,
    clock: &dyn Clock,
    settings: &SchedulerSettings,
    outbox_written: &Notify,
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
            "fired due triggers"
        );
    }
    Ok(batch.claimed)
}
