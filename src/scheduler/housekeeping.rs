//! Herald's own periodic upkeep, run by tokio-cron-scheduler in UTC: a fixed
//! handful of jobs, unlike user triggers, which live in the trigger table (see
//! the README for why they do not live in tokio-cron-scheduler).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

use crate::delivery::budget::SendBudget;
use crate::domain::clock::Clock;
use crate::domain::ports::{Gauges, Store};

/// What upkeep works on and how long things are kept.
pub struct Housekeeping {
    pub store: Arc<dyn Store>,
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
    pub sweepers: Vec<Box<dyn Fn() + Send + Sync>>,
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

/// The jobs: (name, cron in UTC with seconds, what it does).
const EVERY_MINUTE: &str = "0 * * * * *";
const HOURLY: &str = "0 7 * * * *";
const DAILY: &str = "0 17 3 * * *";

impl Housekeeping {
    /// Starts the jobs; stop them with `JobScheduler::shutdown`.
    pub async fn start(self) -> Result<JobScheduler, JobSchedulerError> {
        let work = Arc::new(self);
        let scheduler = JobScheduler::new().await?;
        for (schedule, task) in [
            (EVERY_MINUTE, Task::Minutely),
            (HOURLY, Task::Hourly),
            (DAILY, Task::Daily),
        ] {
            let work = Arc::clone(&work);
            scheduler
                .add(Job::new_async(schedule, move |_, _| {
                    let work = Arc::clone(&work);
                    Box::pin(async move { work.run(task).await })
                })?)
                .await?;
        }
        // Fill the gauges now rather than a minute from now.
        work.run(Task::Minutely).await;
        scheduler.start().await?;
        tracing::info!("housekeeping started");
        Ok(scheduler)
    }

    pub async fn run(&self, task: Task) {
        let now = self.clock.now();
        match task {
            Task::Minutely => {
                report(
                    "released expired delivery claims",
                    self.store.release_expired_claims(now).await,
                );
                match self.store.gauges().await {
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
                    self.store.prune_handled_activities(now - window).await,
                );
                report(
                    "pruned idempotency keys",
                    self.store
                        .prune_idempotency_keys(now - self.idempotency_retention)
                        .await,
                );
                report(
                    "pruned expired web chat tokens",
                    self.store
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
                    self.store
                        .prune_idle_conversations(now - self.conversation_retention)
                        .await,
                );
                report(
                    "pruned delivered and dead messages",
                    self.store.prune_outbox(now - self.outbox_retention).await,
                );
                report(
                    "pruned price history",
                    self.store
                        .prune_price_history(now - self.price_history)
                        .await,
                );
                report(
                    "pruned idle web chat conversations",
                    self.store
                        .prune_webchat_conversations(now - self.conversation_retention)
                        .await,
                );
                report(
                    "pruned unused web chat browser credentials",
                    self.store
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

fn report(what: &'static str, outcome: Result<u64, crate::domain::ports::StoreError>) {
    match outcome {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "{what}"),
        Err(error) => tracing::warn!(%error, "housekeeping failed: {what}"),
    }
}
