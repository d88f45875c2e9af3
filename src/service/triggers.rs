//! Creating and controlling scheduled triggers, for the API and for chat:
//! validates the schedule, stores the trigger and wakes the scheduler, or
//! applies pause/resume/cancel with a compare-and-set on the state.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Notify;

use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::lifecycle::{Action, Decision, decide};
use crate::domain::person::PersonRef;
use crate::domain::ports::{
    Idempotency, NewTrigger, OpenLimits, Reschedule, StoreError, TriggerCreated, TriggerFilter,
    TriggerStore,
};
use crate::domain::schedule::{ScheduleSpec, SpecError, format_duration};
use crate::domain::trigger::{TriggerId, TriggerKind, TriggerRecord};

/// A trigger to create.
#[derive(Debug, Clone, Copy)]
pub struct TriggerRequest<'a> {
    pub kind: TriggerKind,
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub text: &'a str,
    pub schedule: &'a ScheduleSpec,
    /// The zone to show its times in, when the schedule has none of its own
    /// (one-shots and intervals set by someone in that zone).
    pub time_zone: Option<&'a str>,
    pub idempotency: Option<Idempotency<'a>>,
    /// Caps on open reminders, checked as the trigger is stored.
    pub limits: OpenLimits,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(transparent)]
    Schedule(#[from] SpecError),
    /// A one-shot in the past, or a recurrence that already ended.
    #[error("{field}: the schedule has no occurrence after now")]
    NoOccurrence { field: &'static str },
    /// Firings closer together than the shortest repeat allowed.
    #[error(
        "{field}: repeats more often than Herald allows (at most every {}, limits.min_repeat_secs)",
        format_duration(*min)
    )]
    TooOften { field: &'static str, min: Duration },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a pause/resume/cancel did.
#[derive(Debug, Clone, PartialEq)]
pub enum Controlled {
    Changed(TriggerRecord),
    /// It was in the requested state already.
    Unchanged(TriggerRecord),
    Refused(String),
    NotFound,
}

/// Attempts of a state change that lost a race (the trigger fired or was
/// changed between reading and writing it) before giving up.
const CHANGE_ATTEMPTS: usize = 4;

#[derive(Clone)]
pub struct Triggers {
    store: Arc<dyn TriggerStore>,
    clock: Arc<dyn Clock>,
    /// The local scheduler; other instances hear of changes through the database.
    waker: Arc<Notify>,
    /// The shortest repeat allowed (`limits.min_repeat_secs`).
    min_repeat: Duration,
}

impl Triggers {
    pub fn new(store: Arc<dyn TriggerStore>, clock: Arc<dyn Clock>, waker: Arc<Notify>) -> Self {
        Self {
            store,
            clock,
            waker,
            min_repeat: Duration::seconds(60),
        }
    }

    /// Refuses schedules repeating more often than `min` (one minute unless set).
    pub fn with_min_repeat(mut self, min: Duration) -> Self {
        self.min_repeat = min;
        self
    }

    /// The shortest repeat allowed, when `spec` repeats more often than it.
    /// Chat checks an edited schedule with this too, so no path sets one.
    pub fn too_often(&self, spec: &ScheduleSpec, now: DateTime<Utc>) -> Option<Duration> {
        let schedule = spec.to_schedule(now).ok()?;
        schedule
            .repeats_faster_than(self.min_repeat, now)
            .then_some(self.min_repeat)
    }

    pub async fn create(
        &self,
        request: &TriggerRequest<'_>,
    ) -> Result<TriggerCreated, CreateError> {
        let now = self.clock.now();
        let schedule = request.schedule.to_schedule(now)?;
        if schedule.repeats_faster_than(self.min_repeat, now) {
            return Err(CreateError::TooOften {
                field: if request.schedule.cron.is_some() {
                    "schedule.cron"
                } else {
                    "schedule.every"
                },
                min: self.min_repeat,
            });
        }
        let first = schedule
            .next_after(now, 0)
            .ok_or(CreateError::NoOccurrence {
                field: if request.schedule.at.is_some() {
                    "schedule.at"
                } else {
                    "schedule"
                },
            })?;
        // Stored complete (an interval's start filled in), so it reads back the same.
        let spec = schedule.to_spec();
        let created = self
            .store
            .create_trigger(
                &NewTrigger {
                    kind: request.kind,
                    conversation: request.conversation,
                    owner: request.owner,
                    text: request.text,
                    schedule: &spec,
                    time_zone: spec.timezone.as_deref().or(request.time_zone),
                    next_fire_at: Some(first),
                    idempotency: request.idempotency,
                    limits: request.limits,
                },
                now,
            )
            .await?;
        if matches!(created, TriggerCreated::Created(_)) {
            self.waker.notify_one();
        }
        Ok(created)
    }

    pub async fn get(&self, id: TriggerId) -> Result<Option<TriggerRecord>, StoreError> {
        self.store.trigger(id).await
    }

    /// Triggers matching `filter` (the API's listing).
    pub async fn list(&self, filter: &TriggerFilter) -> Result<Vec<TriggerRecord>, StoreError> {
        self.store.list_triggers(filter).await
    }

    /// A conversation's open reminders and timers, soonest first, at most `max`.
    pub async fn open_reminders(
        &self,
        conversation: ConversationKey,
        max: u32,
    ) -> Result<Vec<TriggerRecord>, StoreError> {
        self.store.open_reminders(conversation, max).await
    }

    /// Gives a trigger a new schedule, if it is still in the state it was
    /// read in, and wakes the scheduler; `false` when it changed meanwhile.
    pub async fn reschedule(
        &self,
        change: &Reschedule<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let changed = self.store.reschedule_trigger(change, now).await?;
        if changed {
            self.waker.notify_one();
        }
        Ok(changed)
    }

    pub async fn apply(&self, id: TriggerId, action: Action) -> Result<Controlled, StoreError> {
        for _ in 0..CHANGE_ATTEMPTS {
            let Some(trigger) = self.store.trigger(id).await? else {
                return Ok(Controlled::NotFound);
            };
            let now = self.clock.now();
            let change = match decide(&trigger, action, now) {
                Decision::Unchanged => return Ok(Controlled::Unchanged(trigger)),
                Decision::Refused(reason) => return Ok(Controlled::Refused(reason)),
                Decision::Change(change) => change,
            };
            if self.store.change_trigger_state(&change, now).await? {
                if change.next_fire_at.is_some() {
                    self.waker.notify_one();
                }
                let changed = self.store.trigger(id).await?;
                return Ok(changed.map_or(Controlled::NotFound, Controlled::Changed));
            }
        }
        Ok(Controlled::Refused(format!(
            "trigger {id} kept changing; try again"
        )))
    }
}
