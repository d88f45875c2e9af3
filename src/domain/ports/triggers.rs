//! The storage port's scheduled triggers: timers and reminders, their state
//! changes, and the batches the scheduler fires when they come due.

use super::{LimitReached, OpenLimits, StoreError};
use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::person::PersonRef;
use crate::domain::schedule::ScheduleSpec;
use crate::domain::trigger::{TriggerId, TriggerKind, TriggerRecord, TriggerState};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A trigger given a new schedule (snoozed, edited), if still in `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule<'a> {
    pub id: TriggerId,
    pub from: TriggerState,
    pub schedule: &'a ScheduleSpec,
    pub next_fire_at: DateTime<Utc>,
}

/// A new scheduled trigger (timer or reminder).
#[derive(Debug, Clone, Copy)]
pub struct NewTrigger<'a> {
    pub kind: TriggerKind,
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub text: &'a str,
    /// Stored as given; complete (an interval's start filled in) so that it
    /// reads back as the same schedule.
    pub schedule: &'a ScheduleSpec,
    pub time_zone: Option<&'a str>,
    /// The first occurrence; `None` when the schedule has none left (the
    /// trigger is then stored completed).
    pub next_fire_at: Option<DateTime<Utc>>,
    pub idempotency: Option<Idempotency<'a>>,
    /// Caps on open reminders (chat's); counted in the creating transaction.
    pub limits: OpenLimits,
}

/// An API client's `Idempotency-Key`, scoped to the client, with a digest of
/// the request it came with.
#[derive(Debug, Clone, Copy)]
pub struct Idempotency<'a> {
    pub key: &'a str,
    pub request_sha256: &'a str,
}

/// What creating a trigger did.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerCreated {
    Created(TriggerRecord),
    /// The idempotency key was used before for the same request: its trigger.
    Replayed(TriggerRecord),
    /// The idempotency key was used before for a different request.
    KeyReused,
    /// A cap on open reminders; nothing was created.
    LimitReached(LimitReached),
}

/// Which triggers a listing wants; ordered by id, after the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TriggerFilter {
    pub conversation: Option<ConversationKey>,
    /// The channel's names for the conversation (either or both).
    pub channel_id: Option<String>,
    pub conversation_id: Option<String>,
    pub kind: Option<TriggerKind>,
    pub state: Option<TriggerState>,
    /// Only ids greater than this (the previous page's last id).
    pub after: Option<TriggerId>,
    pub limit: u32,
}

/// A state change, applied only if the trigger is still in state `from`
/// (so concurrent changes cannot both win).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    pub id: TriggerId,
    pub from: TriggerState,
    pub to: TriggerState,
    pub next_fire_at: Option<DateTime<Utc>>,
}

/// A trigger that came due, as the scheduler claimed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTrigger {
    pub id: TriggerId,
    pub kind: TriggerKind,
    /// Where its message goes; `None` for the engine's own (a price poll).
    pub conversation: Option<ConversationKey>,
    /// What it says (a reminder), or the symbol it polls (a price poll).
    pub text: Option<String>,
    /// The price source a price poll fetches from.
    pub source: Option<String>,
    /// The stored schedule, read; why it could not be, when it could not.
    pub schedule: Result<ScheduleSpec, String>,
    pub time_zone: Option<String>,
    /// The occurrence that came due.
    pub due_at: DateTime<Utc>,
    /// Firings before this one.
    pub fire_count: u64,
}

/// What firing a due trigger does, decided by the domain, written by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firing {
    /// What it does, if it fires.
    pub fired: Option<Fired>,
    pub then: AfterFiring,
}

/// What a trigger that fires does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fired {
    /// Queues a message in its conversation's outbox.
    Message(Notification),
    /// Asks the engine's poller for a price: handed to it by the scheduler
    /// once the batch is committed, never through the outbox.
    Poll(DuePoll),
}

/// A price poll claimed for one run. Its trigger stays due at
/// `claimed_until` (a lease, the firing's own `then`) until the poll is
/// done and the trigger moved on to `next`: a poll the process died in, or
/// that failed, runs again when the lease ends, and no other scheduler runs
/// it meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePoll {
    pub trigger: TriggerId,
    pub source: String,
    pub symbol: String,
    pub claimed_until: DateTime<Utc>,
    /// Its next occurrence, once this poll is done; `None`: none left.
    pub next: Option<DateTime<Utc>>,
}

/// What becomes of a trigger once fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterFiring {
    /// Due again at this instant.
    Reschedule(DateTime<Utc>),
    /// No occurrence left.
    Complete,
    /// The trigger cannot fire (its stored schedule is unreadable).
    Fail(String),
}

/// Decides what each due trigger does; called inside the store's firing
/// transaction, so it must be quick and pure.
pub trait FiringPlanner: Send + Sync {
    fn plan(&self, due: &DueTrigger, now: DateTime<Utc>) -> Firing;
}

/// What one firing batch did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FiredBatch {
    /// Due triggers claimed (and, the transaction committed, handled).
    pub claimed: usize,
    /// Messages written to the outbox.
    pub queued: usize,
    /// Price polls claimed, for the scheduler to hand to the poller.
    pub polls: Vec<DuePoll>,
}

/// Scheduled triggers (timers, reminders): created, changed, and fired in batches when due.
#[async_trait]
pub trait TriggerStore: Send + Sync {
    /// Gives a trigger a new schedule and makes it active, if it is still in
    /// `change.from`; returns whether it was.
    async fn reschedule_trigger(
        &self,
        change: &Reschedule<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Stores a scheduled trigger; with an idempotency key, at most once per key.
    async fn create_trigger(
        &self,
        trigger: &NewTrigger<'_>,
        now: DateTime<Utc>,
    ) -> Result<TriggerCreated, StoreError>;

    async fn trigger(&self, id: TriggerId) -> Result<Option<TriggerRecord>, StoreError>;

    async fn list_triggers(&self, filter: &TriggerFilter)
    -> Result<Vec<TriggerRecord>, StoreError>;

    /// A conversation's reminders and timers still to come (active or
    /// paused), soonest first and those with no next firing last, up to
    /// `limit`: what `reminders` lists, in one query.
    async fn open_reminders(
        &self,
        conversation: ConversationKey,
        limit: u32,
    ) -> Result<Vec<TriggerRecord>, StoreError>;

    /// Applies a state change if the trigger is still in `change.from`;
    /// returns whether it was.
    async fn change_trigger_state(
        &self,
        change: &StateChange,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Claims up to `limit` triggers due at `now` (earliest first) and, in one
    /// transaction, writes each firing's outbox row and advances or completes
    /// the trigger as `planner` decides; price polls come back in the batch. Each occurrence reaches the outbox at
    /// most once; a failure rolls the whole batch back. On PostgreSQL rows
    /// another instance is firing are skipped, not waited for.
    async fn fire_due_triggers(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        planner: &dyn FiringPlanner,
    ) -> Result<FiredBatch, StoreError>;

    /// A claimed price poll is done: its trigger moves on to its next
    /// occurrence (or completes), unless it changed meanwhile (stopped, or
    /// claimed again after its lease ran out). Returns whether it moved.
    async fn finish_poll(&self, poll: &DuePoll, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// The earliest `next_fire_at` of an active trigger: the scheduler sleeps until then.
    async fn next_trigger_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Forgets idempotency keys recorded before `before`.
    async fn prune_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}
