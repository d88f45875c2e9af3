//! The storage port: what the rest of Herald needs from a database. Implemented
//! for SQLite and PostgreSQL in `crate::store`, tested by one shared suite.

use std::error::Error as StdError;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::conversation::{Conversation, ConversationKey, ConversationRecord, Recorded};
use super::notification::Notification;
use super::person::{Person, PersonRef};
use super::price::{NewWatch, WatchId, WatchRecord, WatchUpdate};
use super::rate::{Gcra, SlidingWindows};
use super::schedule::ScheduleSpec;
use super::trigger::{JobSummary, TriggerId, TriggerKind, TriggerRecord, TriggerState};
use super::user::UserRecord;
use rust_decimal::Decimal;

mod attachments;

pub use attachments::{NewWebchatAttachment, WebchatAttachment, WebchatAttachments};

/// A failure of the storage backend. The cause is kept for the logs; users only
/// ever see that something went wrong on Herald's side.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Backend(#[source] Box<dyn StdError + Send + Sync>),
    #[error("stored data is not understood: {0}")]
    Corrupt(String),
}

/// The identity of an incoming activity, recorded with what it changed so a
/// redelivered activity is recognised and not handled twice.
#[derive(Debug, Clone, Copy)]
pub struct ActivityStamp<'a> {
    /// The conversation the activity arrived in.
    pub conversation: ConversationKey,
    /// The channel's activity id.
    pub activity_id: &'a str,
    /// Activities handled before this instant are forgotten: an id seen again
    /// after it is handled anew.
    pub window_start: DateTime<Utc>,
}

/// A new job, started from a conversation.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub stamp: Option<ActivityStamp<'a>>,
    /// The most open jobs allowed; checked in the same transaction as the insert.
    pub limits: JobLimits,
}

/// Caps on open (not yet completed) jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLimits {
    pub per_conversation: u32,
    pub per_user: u32,
}

impl JobLimits {
    pub const NONE: JobLimits = JobLimits {
        per_conversation: u32::MAX,
        per_user: u32::MAX,
    };
}

/// Which cap a new job would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitReached {
    Conversation(u32),
    User(u32),
}

/// The result of creating something from an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Created(TriggerId),
    /// The activity was handled before; nothing was created.
    Duplicate,
    /// A cap on open jobs; nothing was created.
    LimitReached(LimitReached),
}

/// A request to complete a job and queue its notification.
#[derive(Debug, Clone)]
pub struct CompleteJob<'a> {
    pub job: TriggerId,
    /// When set, only a job of this conversation may be completed.
    pub scope: Option<ConversationKey>,
    pub stamp: Option<ActivityStamp<'a>>,
    /// What to tell the job's own conversation.
    pub notification: Notification,
}

/// What completing a job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// The job is now complete and its notification is in the outbox.
    Completed {
        job_conversation: ConversationKey,
        outbox: OutboxId,
    },
    AlreadyCompleted,
    /// No such job, or not one the requester may see.
    NotFound,
    /// The activity was handled before; nothing changed.
    Duplicate,
}

/// A page of a listing, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub size: u32,
}

impl PageRequest {
    pub fn offset(self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.size)
    }
}

/// One page of the job log and how many jobs there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPage {
    pub items: Vec<JobSummary>,
    pub total: u64,
}

/// An outbox row's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

/// Where an outbox message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting to be sent, or to be retried.
    Pending,
    /// Accepted by the channel.
    Sent,
    /// Given up on; `last_error` says why.
    Dead,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }

    pub fn parse(stored: &str) -> Result<Self, StoreError> {
        match stored {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "dead" => Ok(Self::Dead),
            other => Err(StoreError::Corrupt(format!("outbox state `{other}`"))),
        }
    }
}

/// Who owns the trigger a message comes from, with what Herald keeps of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub person: Person,
    /// `None` when Herald keeps nothing about them (yet).
    pub record: Option<UserRecord>,
}

/// A message claimed for delivery, with the conversation to deliver it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: OutboxId,
    pub conversation: Conversation,
    /// The owner of the trigger that queued it, if any.
    pub owner: Option<Owner>,
    /// The stored `Notification` JSON; parsed by delivery, which dead-letters
    /// what it cannot read instead of failing the whole batch.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

/// An outbox row as it stands, for inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: OutboxId,
    pub conversation: ConversationKey,
    pub trigger: Option<TriggerId>,
    pub state: OutboxState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A trigger given a new schedule (snoozed, edited), if still in `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule<'a> {
    pub id: TriggerId,
    pub from: TriggerState,
    pub schedule: &'a ScheduleSpec,
    pub next_fire_at: DateTime<Utc>,
}

/// Open reminders of a person and of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReminderCounts {
    pub owner: u64,
    pub conversation: u64,
}

impl ReminderCounts {
    /// From the two counts a query gives (the owner's, the conversation's).
    pub fn of((owner, conversation): (i64, i64)) -> Self {
        Self {
            owner: u64::try_from(owner).unwrap_or(0),
            conversation: u64::try_from(conversation).unwrap_or(0),
        }
    }

    /// The limit one more would break, if any: `(true, per_user)` for the
    /// person's (only when there is a person), `(false, per_conversation)`.
    pub fn limit_reached(
        self,
        has_owner: bool,
        per_user: u32,
        per_conversation: u32,
    ) -> Option<(bool, u32)> {
        if has_owner && self.owner >= u64::from(per_user) {
            Some((true, per_user))
        } else if self.conversation >= u64::from(per_conversation) {
            Some((false, per_conversation))
        } else {
            None
        }
    }
}

/// Who a web chat conversation speaks as: bound when it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebchatUser<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
}

/// What a web chat token opens: a conversation, and the person it speaks as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebchatSession {
    pub conversation_id: String,
    pub user_id: String,
    pub user_name: Option<String>,
    /// When the token it was found by expires (`None`: found without one).
    pub expires_at: Option<DateTime<Utc>>,
}

/// The person a browser credential names, and the web chat conversation
/// they spoke in last (if it is still kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebchatBrowser {
    pub user_id: String,
    pub latest_conversation: Option<String>,
}

/// A web chat token as stored: its digest, conversation and expiry.
#[derive(Debug, Clone, Copy)]
pub struct WebchatToken<'a> {
    pub sha256: &'a str,
    pub conversation_id: &'a str,
    pub expires_at: DateTime<Utc>,
}

/// A price as it came from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceSample<'a> {
    pub source: &'a str,
    pub symbol: &'a str,
    pub price: Decimal,
    pub currency: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// A message to queue for a person in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMessage {
    pub conversation: ConversationKey,
    pub owner: Option<Person>,
    pub notification: Notification,
}

/// A polled source's health after a fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceHealth {
    /// Failures in a row (0 after a success).
    pub failures: u32,
    /// Its watches were told it is failing.
    pub stalled: bool,
}

/// One source's symbol in the currency its watches name (`None`: those that
/// name none and take the source's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchedSymbol<'a> {
    pub source: &'a str,
    pub symbol: &'a str,
    pub currency: Option<&'a str>,
}

/// A dead letter with the channel's names for its conversation (`None` when
/// the conversation was deleted since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub entry: OutboxEntry,
    pub channel_id: Option<String>,
    pub conversation_id: Option<String>,
}

/// Which dead letters a listing wants; ordered by id, after the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeadLetterFilter {
    pub conversation: Option<ConversationKey>,
    pub after: Option<OutboxId>,
    pub limit: u32,
}

/// What marking a conversation unreachable did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkedUnreachable {
    /// It was reachable until now (false: it was marked before).
    pub newly: bool,
    /// Its active timers and reminders, now paused by Herald.
    pub paused_triggers: u64,
    /// Its pending messages, now dead letters.
    pub dead_messages: u64,
}

/// One window of the send budget kept in the database: the GCRA of `scope`
/// (`bot`, or a conversation) for one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetCell<'a> {
    pub scope: &'a str,
    pub gcra: Gcra,
}

/// One send's claim on the budget kept in the database: the conversation's
/// exact windows over its log of sends, and (for a proactive message) the
/// global budget's cells.
#[derive(Debug, Clone, Copy)]
pub struct BudgetTake<'a> {
    /// Whose log: the conversation's scope.
    pub scope: &'a str,
    pub windows: &'a SlidingWindows,
    /// Empty for a reply.
    pub cells: &'a [BudgetCell<'a>],
}

/// The budget refused a send, and when it would admit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetDenied {
    /// `None`: the conversation's windows; else which of the cells.
    pub cell: Option<usize>,
    pub until: DateTime<Utc>,
}

/// What forgetting a user removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forgotten {
    /// Their jobs (and later reminders and watches), with queued messages.
    pub triggers: u64,
    /// Their one-to-one conversations, whose references were scrubbed.
    pub conversations: u64,
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
    /// Herald's own triggers too (a price source's polls, on the internal
    /// channel); never shown to people or API callers.
    pub include_internal: bool,
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
    pub conversation: ConversationKey,
    pub text: Option<String>,
    pub schedule_json: Option<String>,
    pub time_zone: Option<String>,
    /// The occurrence that came due.
    pub due_at: DateTime<Utc>,
    /// Firings before this one.
    pub fire_count: u64,
}

/// What firing a due trigger does, decided by the domain, written by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firing {
    /// The `Notification` JSON to queue, if the trigger fires.
    pub payload: Option<String>,
    pub then: AfterFiring,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FiredBatch {
    /// Due triggers claimed (and, the transaction committed, handled).
    pub claimed: usize,
    /// Messages written to the outbox.
    pub queued: usize,
}

/// Counts for monitoring, refreshed by housekeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gauges {
    pub active_triggers: u64,
    pub paused_triggers: u64,
    pub pending_messages: u64,
    pub dead_messages: u64,
}

/// The database, as the rest of Herald sees it.
#[async_trait]
pub trait Store: WebchatAttachments + Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Inserts a conversation's reference or replaces the stored one; says
    /// whether the conversation was marked unreachable.
    async fn record_conversation(
        &self,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError>;

    /// `record_conversation`, for callers that need only the key.
    async fn upsert_conversation(
        &self,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<ConversationKey, StoreError> {
        Ok(self.record_conversation(record, now).await?.key)
    }

    async fn conversation(&self, key: ConversationKey) -> Result<Option<Conversation>, StoreError>;

    /// Starts a job; with a stamp, at most once per activity.
    async fn create_job(&self, job: NewJob<'_>, now: DateTime<Utc>) -> Result<Created, StoreError>;

    /// Lists jobs, newest last, optionally only those of one conversation.
    async fn list_jobs(
        &self,
        scope: Option<ConversationKey>,
        page: PageRequest,
    ) -> Result<JobPage, StoreError>;

    /// Completes a job and writes its notification to the outbox, in one transaction.
    async fn complete_job(
        &self,
        request: &CompleteJob<'_>,
        now: DateTime<Utc>,
    ) -> Result<Completion, StoreError>;

    /// Claims up to `limit` due messages until `lease_until`: at most one per
    /// conversation (its oldest pending message), so each conversation's
    /// messages go out in order. Claimed rows are invisible to other claims
    /// until the lease ends.
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError>;

    /// Records that the channel accepted the message.
    async fn mark_sent(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Records that the channel accepted these messages, in one write.
    async fn mark_all_sent(&self, ids: &[OutboxId], now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Records a failed attempt; the message is due again at `next_attempt_at`.
    async fn schedule_retry(
        &self,
        id: OutboxId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// Gives up on a message, keeping the reason.
    async fn mark_dead(
        &self,
        id: OutboxId,
        now: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// What Herald keeps about a person of a channel.
    async fn user(&self, channel_id: &str, user_id: &str)
    -> Result<Option<UserRecord>, StoreError>;

    /// Stores a person's record whole (settings and what their activity said).
    async fn save_user(&self, user: &UserRecord, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Open (active or paused) reminders of `owner` and of `conversation`.
    async fn count_reminders(
        &self,
        conversation: ConversationKey,
        owner: Option<PersonRef<'_>>,
    ) -> Result<ReminderCounts, StoreError>;

    /// Gives a trigger a new schedule and makes it active, if it is still in
    /// `change.from`; returns whether it was.
    async fn reschedule_trigger(
        &self,
        change: &Reschedule<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// `None` when the watch's activity already set one in its conversation.
    async fn create_watch(
        &self,
        watch: &NewWatch<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<WatchRecord>, StoreError>;

    async fn watch(&self, id: WatchId) -> Result<Option<WatchRecord>, StoreError>;

    /// A conversation's active watches, oldest first.
    async fn list_watches(
        &self,
        conversation: ConversationKey,
        limit: u32,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    async fn cancel_watch(&self, id: WatchId, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Active watches on a source's symbol, a page after `after`.
    async fn watches_on(
        &self,
        source: &str,
        symbol: &str,
        after: Option<WatchId>,
        limit: u32,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// Active watches of a person (everywhere) and of a conversation.
    async fn count_watches(
        &self,
        conversation: ConversationKey,
        owner: Option<PersonRef<'_>>,
    ) -> Result<ReminderCounts, StoreError>;

    /// The currencies active watches on a source's symbol want; empty when
    /// nothing watches it.
    async fn watched_currencies(
        &self,
        source: &str,
        symbol: &str,
    ) -> Result<Vec<Option<String>>, StoreError>;

    /// In one transaction: what a price changed in watches, and their alerts.
    async fn apply_price_evaluation(
        &self,
        updates: &[WatchUpdate],
        alerts: &[QueuedMessage],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    async fn record_price(&self, sample: &PriceSample<'_>) -> Result<(), StoreError>;

    /// The latest prices of a source's symbol, newest first.
    async fn recent_prices(
        &self,
        source: &str,
        symbol: &str,
        limit: u32,
    ) -> Result<Vec<Decimal>, StoreError>;

    async fn prune_price_history(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Starts polling a source's symbol (`every` as a schedule duration)
    /// unless a polling trigger is active; returns whether one was created.
    async fn ensure_price_poll(
        &self,
        source: &str,
        symbol: &str,
        every: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    async fn stop_price_poll(
        &self,
        source: &str,
        symbol: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Remembers that a system pushed prices of this source.
    async fn note_pushed_source(&self, source: &str, now: DateTime<Utc>) -> Result<(), StoreError>;

    async fn pushed_source(&self, source: &str) -> Result<bool, StoreError>;

    /// Records a fetch's outcome (`Err` with the reason).
    async fn record_fetch(
        &self,
        source: &str,
        outcome: Result<(), &str>,
        now: DateTime<Utc>,
    ) -> Result<SourceHealth, StoreError>;

    /// Marks a source (and its active watches) stalled or not; returns the
    /// watches that changed, whose owners are to be told.
    async fn set_source_stalled(
        &self,
        source: &str,
        stalled: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// A poll in which the source answered without a price for a watched
    /// symbol; returns such polls in a row.
    async fn record_symbol_miss(
        &self,
        symbol: WatchedSymbol<'_>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u32, StoreError>;

    /// Marks the active watches on one symbol stalled, and remembers it (a
    /// source recovering leaves them so); returns the watches that changed.
    async fn stall_symbol(
        &self,
        symbol: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// A poll with a price: the symbol's misses are forgotten, and its
    /// watches go on if they were stalled for it; returns those (most polls:
    /// none, after one statement).
    async fn symbol_priced(
        &self,
        symbol: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError>;

    /// Creates a web chat conversation, speaking as `user` for good, with its
    /// first token (a digest).
    async fn create_webchat_conversation(
        &self,
        id: &str,
        user: WebchatUser<'_>,
        token: &WebchatToken<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Another token for a conversation (a refresh); false when it is gone.
    async fn add_webchat_token(&self, token: &WebchatToken<'_>) -> Result<bool, StoreError>;

    /// The conversation a token (its digest) opens, with the person it
    /// speaks as and when it expires; tokens that expired before
    /// `expired_after` are not found.
    async fn webchat_token(
        &self,
        token_sha256: &str,
        expired_after: DateTime<Utc>,
    ) -> Result<Option<WebchatSession>, StoreError>;

    /// A web chat conversation with its person; `None` when it is gone.
    async fn webchat_session(&self, id: &str) -> Result<Option<WebchatSession>, StoreError>;

    /// Keeps a browser credential (its digest) Herald issued to a person of
    /// the built-in page.
    async fn add_webchat_browser(
        &self,
        credential_sha256: &str,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The person a browser credential (its digest) is, with their latest
    /// conversation, noting its use; `None` when unknown or revoked.
    async fn webchat_browser(
        &self,
        credential_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebchatBrowser>, StoreError>;

    /// Forgets browser credentials unused since `before`; how many.
    async fn prune_webchat_browsers(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Marks a web chat conversation started: true the first time only.
    async fn start_webchat_conversation(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Appends an activity (JSON, without its id) with the files it came
    /// with and returns its number, keeping only the conversation's last
    /// `keep` activities (the oldest go, with their files); `None` when the
    /// conversation does not exist.
    async fn append_webchat_activity(
        &self,
        id: &str,
        activity_json: &str,
        attachments: &[NewWebchatAttachment<'_>],
        keep: u32,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError>;

    /// A conversation's activities numbered after `after`, in order.
    async fn webchat_activities(
        &self,
        id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, String)>, StoreError>;

    /// The number of a web chat conversation's last activity (0: none yet).
    async fn webchat_last_seq(&self, id: &str) -> Result<Option<i64>, StoreError>;

    /// Deletes a web chat conversation's transcript (its numbering goes on,
    /// so clients' watermarks stay valid); how many activities.
    async fn clear_webchat_activities(&self, id: &str) -> Result<u64, StoreError>;

    /// Deletes web chat conversations (transcripts, files, tokens) idle since `before`.
    async fn prune_webchat_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Forgets web chat tokens that expired before `before`; how many.
    async fn prune_webchat_tokens(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Queues a message for a conversation, due now.
    async fn queue_notification(
        &self,
        conversation: ConversationKey,
        notification: &Notification,
        now: DateTime<Utc>,
    ) -> Result<OutboxId, StoreError>;

    /// Puts a claimed message back, due at `until`, without counting an
    /// attempt (the send budget held it back).
    async fn postpone_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError>;

    /// Holds a claimed message until `until` (its recipient's quiet hours);
    /// meanwhile the conversation's later messages do not wait for it.
    async fn hold_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError>;

    async fn outbox_entry(&self, id: OutboxId) -> Result<Option<OutboxEntry>, StoreError>;

    /// Dead letters, oldest first.
    async fn list_dead_letters(
        &self,
        filter: &DeadLetterFilter,
    ) -> Result<Vec<DeadLetter>, StoreError>;

    /// Queues a dead letter again (attempts start over); false if `id` is not
    /// a dead letter.
    async fn retry_dead_letter(&self, id: OutboxId, now: DateTime<Utc>)
    -> Result<bool, StoreError>;

    /// In one transaction: records why the conversation cannot be written to,
    /// pauses its active timers and reminders (as paused by Herald), and turns
    /// its pending messages into dead letters with the reason.
    async fn mark_unreachable(
        &self,
        conversation: ConversationKey,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<MarkedUnreachable, StoreError>;

    /// Clears the mark; returns the triggers Herald paused for it, to resume.
    async fn mark_reachable(
        &self,
        conversation: ConversationKey,
    ) -> Result<Vec<TriggerId>, StoreError>;

    /// Records a send in the conversation's log and advances every cell if
    /// the windows and all cells admit a message at `now`, atomically across
    /// instances; else changes nothing.
    async fn take_send_budget(
        &self,
        take: &BudgetTake<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<(), BudgetDenied>, StoreError>;

    /// Deletes send budget state that no longer holds anything back: cells
    /// whose time has passed, and logged sends at or before `log_before`.
    async fn prune_send_budget(
        &self,
        now: DateTime<Utc>,
        log_before: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// The earliest instant a pending message becomes due, if any: delivery
    /// sleeps until then.
    async fn next_outbox_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Deletes everything kept about a person in their channel (never the
    /// same id in another channel): the triggers and watches they own, with
    /// their queued messages, their settings, their one-to-one
    /// conversations' references, and (web chat) their browser credentials
    /// and the files they uploaded.
    async fn forget_user(
        &self,
        person: PersonRef<'_>,
        now: DateTime<Utc>,
    ) -> Result<Forgotten, StoreError>;

    /// Removes conversations unused since `before` that have nothing scheduled
    /// or queued, with their history; returns how many.
    async fn prune_idle_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Forgets handled activity ids older than `before`; returns how many.
    async fn prune_handled_activities(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// The key of a conversation by the channel's names for it.
    async fn find_conversation(
        &self,
        channel_id: &str,
        conversation_id: &str,
    ) -> Result<Option<ConversationKey>, StoreError>;

    /// Stores a scheduled trigger; with an idempotency key, at most once per key.
    async fn create_trigger(
        &self,
        trigger: &NewTrigger<'_>,
        now: DateTime<Utc>,
    ) -> Result<TriggerCreated, StoreError>;

    async fn trigger(&self, id: TriggerId) -> Result<Option<TriggerRecord>, StoreError>;

    async fn list_triggers(&self, filter: &TriggerFilter)
    -> Result<Vec<TriggerRecord>, StoreError>;

    /// Applies a state change if the trigger is still in `change.from`;
    /// returns whether it was.
    async fn change_trigger_state(
        &self,
        change: &StateChange,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Claims up to `limit` triggers due at `now` (earliest first) and, in one
    /// transaction, writes each firing's outbox row and advances or completes
    /// the trigger as `planner` decides. Each occurrence reaches the outbox at
    /// most once; a failure rolls the whole batch back. On PostgreSQL rows
    /// another instance is firing are skipped, not waited for.
    async fn fire_due_triggers(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        planner: &dyn FiringPlanner,
    ) -> Result<FiredBatch, StoreError>;

    /// The earliest `next_fire_at` of an active trigger: the scheduler sleeps until then.
    async fn next_trigger_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Deletes sent and dead-lettered messages created before `before`.
    async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Forgets idempotency keys recorded before `before`.
    async fn prune_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Clears delivery claims that ended before `now` (a crashed sender's).
    async fn release_expired_claims(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    async fn gauges(&self) -> Result<Gauges, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::ReminderCounts;

    #[test]
    fn the_persons_limit_comes_first_and_only_for_a_person() {
        let counts = ReminderCounts {
            owner: 3,
            conversation: 10,
        };
        assert_eq!(counts.limit_reached(true, 3, 10), Some((true, 3)));
        assert_eq!(counts.limit_reached(false, 3, 10), Some((false, 10)));
        assert_eq!(counts.limit_reached(false, 3, 11), None);
        assert_eq!(counts.limit_reached(true, 4, 11), None);
    }
}
