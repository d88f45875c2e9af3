//! Creating and controlling scheduled triggers, for the API and for chat:
//! validates the schedule, stores the trigger and wakes the scheduler, or
//! applies pause/resume/cancel with a compare-and-set on the state.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::lifecycle::{Action, Decision, decide};
use crate::domain::person::PersonRef;
use crate::domain::ports::{Idempotency, NewTrigger, Store, StoreError, TriggerCreated};
use crate::domain::schedule::{ScheduleSpec, SpecError};
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
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(transparent)]
    Schedule(#[from] SpecError),
    /// A one-shot in the past, or a recurrence that already ended.
    #[error("{field}: the schedule has no occurrence after now")]
    NoOccurrence { field: &'static str },
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
pub struct TriggerControl {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// The local scheduler; other instances hear of changes through the database.
    waker: Arc<Notify>,
}

impl TriggerControl {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, waker: Arc<Notify>) -> Self {
        Self {
            store,
            clock,
            waker,
        }
    }

    /// Tells the scheduler a trigger was changed elsewhere (rescheduled).
    pub fn woken(&self) {
        self.waker.notify_one();
    }

    pub async fn create(
        &self,
        request: &TriggerRequest<'_>,
    ) -> Result<TriggerCreated, CreateError> {
        let now = self.clock.now();
        let schedule = request.schedule.to_schedule(now)?;
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
                },
                now,
            )
            .await?;
        if matches!(created, TriggerCreated::Created(_)) {
            self.waker.notify_one();
        }
        Ok(created)
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
