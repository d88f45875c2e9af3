//! The storage port on PostgreSQL, for one or several Herald instances sharing
//! a database: row locks (`FOR UPDATE`, `SKIP LOCKED`) keep their work apart.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres, Transaction};

use super::dialect::Dialect;

use super::rows::{self, ConversationRow, attempts, trigger_id, trigger_state};
use super::{OpenError, PostgresStore, StoreOptions, sql};
use crate::domain::conversation::{Conversation, ConversationKey, ConversationRecord, Recorded};
use crate::domain::notification::Notification;
use crate::domain::person::PersonRef;
use crate::domain::ports::{
    ActivityStamp, BudgetDenied, BudgetStore, BudgetTake, CompleteJob, Completion,
    ConversationStore, Created, DeadLetter, DeadLetterFilter, FiredBatch, FiringPlanner, Gauges,
    JobPage, JobStore, LimitReached, MarkedUnreachable, NewJob, NewTrigger, NewWebchatAttachment,
    OutboxEntry, OutboxId, OutboxItem, OutboxState, OutboxStore, PageRequest, PriceSample,
    PriceStore, QueuedMessage, ReminderCounts, Reschedule, SourceHealth, StateChange, StoreError,
    TriggerCreated, TriggerFilter, TriggerStore, WatchedSymbol, WebchatBrowser, WebchatSession,
    WebchatStore, WebchatToken, WebchatUser,
};
use crate::domain::price::{NewWatch, WatchId, WatchRecord, WatchUpdate};
use crate::domain::trigger::{JobSummary, TriggerId, TriggerRecord, TriggerState};
use rust_decimal::Decimal;

mod delivery;
mod listen;
mod prices;
mod triggers;
mod users;
mod webchat;

pub use listen::{ChangeWakers, WebchatWaker, watch_changes};
pub use triggers::TRIGGERS_CHANNEL;
pub use webchat::WEBCHAT_CHANNEL;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl PostgresStore {
    pub async fn connect(options: &StoreOptions) -> Result<Self, OpenError> {
        let connect = PgConnectOptions::from_str(&options.url).map_err(OpenError::InvalidUrl)?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect)
            .await
            .map_err(OpenError::Connect)?;
        // One pool serves reads and writes: row locks, not a lone writer, keep
        // PostgreSQL's writers apart.
        Ok(Self {
            writer: pool.clone(),
            reader: pool,
        })
    }

    pub async fn migrate(&self) -> Result<(), OpenError> {
        MIGRATOR.run(&self.writer).await.map_err(OpenError::Migrate)
    }
}

/// Records the activity as handled; false when it already was within the window.
async fn stamp_activity(
    tx: &mut Transaction<'_, Postgres>,
    stamp: &ActivityStamp<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = sqlx::query(sql::STAMP_ACTIVITY)
        .bind(stamp.conversation.0)
        .bind(stamp.activity_id)
        .bind(now)
        .bind(stamp.window_start)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// Counts open jobs against the caps; a cap of `u32::MAX` is not counted.
async fn job_limit_reached(
    tx: &mut Transaction<'_, Postgres>,
    job: &NewJob<'_>,
) -> Result<Option<LimitReached>, StoreError> {
    let cap = job.limits.per_conversation;
    if cap != u32::MAX {
        let open: i64 = sqlx::query_scalar(sql::COUNT_OPEN_JOBS_IN_CONVERSATION)
            .bind(job.conversation.0)
            .fetch_one(&mut **tx)
            .await?;
        if open >= i64::from(cap) {
            return Ok(Some(LimitReached::Conversation(cap)));
        }
    }
    let cap = job.limits.per_user;
    if let (Some(owner), true) = (job.owner, cap != u32::MAX) {
        let open: i64 = sqlx::query_scalar(sql::COUNT_OPEN_JOBS_OF_USER)
            .bind(owner.channel_id)
            .bind(owner.user_id)
            .fetch_one(&mut **tx)
            .await?;
        if open >= i64::from(cap) {
            return Ok(Some(LimitReached::User(cap)));
        }
    }
    Ok(None)
}

#[async_trait]
impl ConversationStore for PostgresStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.writer).await?;
        Ok(())
    }

    async fn record_conversation(
        &self,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let (id, unreachable): (i64, bool) = sqlx::query_as(sql::UPSERT_CONVERSATION)
            .bind(&record.channel_id)
            .bind(&record.conversation_id)
            .bind(&record.service_url)
            .bind(&record.conversation_type)
            .bind(&record.tenant_id)
            .bind(record.is_group)
            .bind(&record.bot_id)
            .bind(&record.user_id)
            .bind(&record.user_aad_object_id)
            .bind(&record.locale)
            .bind(&record.local_timezone)
            .bind(&record.reference_json)
            .bind(now)
            .bind(record.service_url_verified)
            .fetch_one(&self.writer)
            .await?;
        Ok(Recorded {
            key: ConversationKey(id),
            unreachable,
        })
    }

    async fn conversation(&self, key: ConversationKey) -> Result<Option<Conversation>, StoreError> {
        let row: Option<ConversationRow> = sqlx::query_as(sql::SELECT_CONVERSATION)
            .bind(key.0)
            .fetch_optional(&self.writer)
            .await?;
        Ok(row.map(Conversation::from))
    }

    async fn prune_idle_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let mut pruned = 0;
        for statement in sql::PRUNE_IDLE_CONVERSATIONS {
            pruned = sqlx::query(statement)
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(pruned)
    }

    async fn prune_handled_activities(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query(sql::PRUNE_HANDLED_ACTIVITIES)
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected())
    }

    async fn find_conversation(
        &self,
        channel_id: &str,
        conversation_id: &str,
    ) -> Result<Option<ConversationKey>, StoreError> {
        triggers::find_conversation(self, channel_id, conversation_id).await
    }

    async fn mark_unreachable(
        &self,
        conversation: ConversationKey,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<MarkedUnreachable, StoreError> {
        delivery::mark_unreachable(self, conversation, reason, now).await
    }

    async fn mark_reachable(
        &self,
        conversation: ConversationKey,
    ) -> Result<Vec<TriggerId>, StoreError> {
        delivery::mark_reachable(self, conversation).await
    }
}

#[async_trait]
impl JobStore for PostgresStore {
    async fn create_job(&self, job: NewJob<'_>, now: DateTime<Utc>) -> Result<Created, StoreError> {
        let mut tx = self.writer.begin().await?;
        if let Some(stamp) = &job.stamp {
            if !stamp_activity(&mut tx, stamp, now).await? {
                return Ok(Created::Duplicate);
            }
        }
        if let Some(limit) = job_limit_reached(&mut tx, &job).await? {
            return Ok(Created::LimitReached(limit));
        }
        let id: i64 = sqlx::query_scalar(sql::INSERT_JOB)
            .bind(job.conversation.0)
            .bind(job.owner.map(|o| o.user_id))
            .bind(now)
            .bind(job.owner.map(|o| o.channel_id))
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Created::Created(trigger_id(id)?))
    }

    async fn list_jobs(
        &self,
        scope: Option<ConversationKey>,
        page: PageRequest,
    ) -> Result<JobPage, StoreError> {
        let scope = scope.map(|key| key.0);
        // One round trip: the window count is taken before LIMIT applies.
        let rows: Vec<(i64, String, String, String, DateTime<Utc>, i64)> = sqlx::query_as(
            "SELECT t.id, t.state, c.channel_id, c.conversation_id, t.created_at,
                    COUNT(*) OVER () AS total
             FROM triggers t JOIN conversations c ON c.id = t.conversation_key
             WHERE t.kind = 'job' AND ($1::BIGINT IS NULL OR t.conversation_key = $1)
             ORDER BY t.id
             LIMIT $2 OFFSET $3",
        )
        .bind(scope)
        .bind(i64::from(page.size))
        .bind(page.offset())
        .fetch_all(&self.writer)
        .await?;
        let total = match rows.first() {
            Some(row) => row.5,
            // Past the last page there is no row to carry the count.
            None if page.page > 1 => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM triggers
                     WHERE kind = 'job' AND ($1::BIGINT IS NULL OR conversation_key = $1)",
                )
                .bind(scope)
                .fetch_one(&self.writer)
                .await?
            }
            None => 0,
        };
        let items = rows
            .into_iter()
            .map(|(id, state, channel_id, conversation_id, created_at, _)| {
                Ok(JobSummary {
                    id: trigger_id(id)?,
                    state: trigger_state(&state)?,
                    channel_id,
                    conversation_id,
                    created_at,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(JobPage {
            items,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn complete_job(
        &self,
        request: &CompleteJob<'_>,
        now: DateTime<Utc>,
    ) -> Result<Completion, StoreError> {
        let mut tx = self.writer.begin().await?;
        if let Some(stamp) = &request.stamp {
            if !stamp_activity(&mut tx, stamp, now).await? {
                return Ok(Completion::Duplicate);
            }
        }
        // The row lock makes a concurrent completion on another instance wait
        // and then see the job completed.
        let job: Option<(String, i64)> = sqlx::query_as(
            "SELECT state, conversation_key FROM triggers
             WHERE id = $1 AND kind = 'job' AND ($2::BIGINT IS NULL OR conversation_key = $2)
             FOR UPDATE",
        )
        .bind(request.job.get())
        .bind(request.scope.map(|key| key.0))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((state, conversation_key)) = job else {
            return Ok(Completion::NotFound);
        };
        match trigger_state(&state)? {
            TriggerState::Active => {}
            TriggerState::Completed => return Ok(Completion::AlreadyCompleted),
            _ => return Ok(Completion::NotFound),
        }
        sqlx::query(sql::COMPLETE_TRIGGER)
            .bind(request.job.get())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let payload = serde_json::to_string(&request.notification)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let outbox: i64 = sqlx::query_scalar(sql::QUEUE_COMPLETION_NOTICE)
            .bind(conversation_key)
            .bind(request.job.get())
            .bind(payload)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Completion::Completed {
            job_conversation: ConversationKey(conversation_key),
            outbox: OutboxId(outbox),
        })
    }
}

#[async_trait]
impl OutboxStore for PostgresStore {
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        // `= ANY(ARRAY(...))` rather than `IN (...)`: the planner then runs the
        // locking subquery once instead of scanning the table per batch.
        // Sorting is ruled out for this statement: the outbox grows by
        // thousands of rows a second in a burst, faster than its statistics,
        // and from a stale estimate of a few rows the planner chose to fetch
        // every pending row, test each for an earlier one and sort them (3 s
        // with 100,000 pending) instead of walking `outbox_pending` in id
        // order and stopping at the limit (under 1 ms).
        let mut tx = self.writer.begin().await?;
        sqlx::query("SET LOCAL enable_sort = off")
            .execute(&mut *tx)
            .await?;
        let claimed: Vec<(i64, i64, String, i32, DateTime<Utc>, Option<i64>)> = sqlx::query_as(
            "UPDATE outbox SET claimed_until = $1
             WHERE id = ANY(ARRAY(
                 SELECT o.id FROM outbox o
                 WHERE o.state = 'pending' AND o.next_attempt_at <= $2
                   AND (o.claimed_until IS NULL OR o.claimed_until <= $2)
                   AND NOT EXISTS (
                       SELECT 1 FROM outbox earlier
                       WHERE earlier.conversation_key = o.conversation_key
                         AND earlier.state = 'pending' AND earlier.id < o.id
                         AND (earlier.held_until IS NULL OR earlier.held_until <= $2))
                 ORDER BY o.id
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED))
             RETURNING id, conversation_key, payload, attempts, created_at, trigger_id",
        )
        .bind(lease_until)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let keys: Vec<i64> = claimed.iter().map(|row| row.1).collect();
        let conversations: Vec<ConversationRow> = sqlx::query_as(sql::SELECT_CONVERSATIONS_ANY)
            .bind(&keys)
            .fetch_all(&self.writer)
            .await?;
        let conversations = rows::conversations_by_key(conversations);
        let mut items = Vec::with_capacity(claimed.len());
        let ids: Vec<i64> = claimed.iter().map(|row| row.0).collect();
        let owners = self.owners(&ids).await?;
        for (id, conversation_key, payload, stored_attempts, created_at, _) in claimed {
            let Some(conversation) = conversations.get(&conversation_key).cloned() else {
                // Nothing to send it to: out of the way, with the reason, so
                // it never blocks the messages behind it.
                self.mark_dead(OutboxId(id), now, "its conversation is no longer known")
                    .await?;
                continue;
            };
            items.push(OutboxItem {
                id: OutboxId(id),
                conversation,
                owner: owners.get(&id).cloned(),
                payload,
                attempts: attempts(stored_attempts),
                created_at,
            });
        }
        items.sort_by_key(|item| item.id);
        Ok(items)
    }

    async fn mark_sent(&self, id: OutboxId, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(sql::MARK_SENT)
            .bind(id.0)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn mark_all_sent(&self, ids: &[OutboxId], now: DateTime<Utc>) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        sqlx::query(sql::MARK_SENT_ANY)
            .bind(&ids)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn schedule_retry(
        &self,
        id: OutboxId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::SCHEDULE_RETRY)
            .bind(id.0)
            .bind(next_attempt_at)
            .bind(error)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn mark_dead(
        &self,
        id: OutboxId,
        _now: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::MARK_DEAD)
            .bind(id.0)
            .bind(error)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn outbox_entry(&self, id: OutboxId) -> Result<Option<OutboxEntry>, StoreError> {
        type Row = (
            i64,
            Option<i64>,
            String,
            i32,
            Option<String>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        );
        let row: Option<Row> = sqlx::query_as(sql::SELECT_OUTBOX_ENTRY)
            .bind(id.0)
            .fetch_optional(&self.writer)
            .await?;
        let Some((conversation, trigger, state, stored_attempts, last_error, created_at, sent_at)) =
            row
        else {
            return Ok(None);
        };
        Ok(Some(OutboxEntry {
            id,
            conversation: ConversationKey(conversation),
            trigger: trigger.map(trigger_id).transpose()?,
            state: OutboxState::parse(&state)?,
            attempts: attempts(stored_attempts),
            last_error,
            created_at,
            sent_at,
        }))
    }

    async fn next_outbox_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let due: Option<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT MIN(GREATEST(o.next_attempt_at, o.claimed_until))
             FROM outbox o
             WHERE o.state = 'pending'
               AND NOT EXISTS (
                   SELECT 1 FROM outbox earlier
                   WHERE earlier.conversation_key = o.conversation_key
                     AND earlier.state = 'pending' AND earlier.id < o.id)",
        )
        .fetch_one(&self.writer)
        .await?;
        Ok(due)
    }

    async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query(sql::PRUNE_OUTBOX)
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected())
    }

    async fn release_expired_claims(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query(sql::RELEASE_EXPIRED_CLAIMS)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected())
    }

    async fn queue_notification(
        &self,
        conversation: ConversationKey,
        notification: &Notification,
        now: DateTime<Utc>,
    ) -> Result<OutboxId, StoreError> {
        delivery::queue_notification(self, conversation, notification, now).await
    }

    async fn postpone_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError> {
        delivery::postpone(self, id, until, sql::POSTPONE_OUTBOX).await
    }

    async fn hold_outbox(&self, id: OutboxId, until: DateTime<Utc>) -> Result<(), StoreError> {
        delivery::postpone(self, id, until, sql::HOLD_OUTBOX).await
    }

    async fn list_dead_letters(
        &self,
        filter: &DeadLetterFilter,
    ) -> Result<Vec<DeadLetter>, StoreError> {
        delivery::list_dead_letters(self, filter).await
    }

    async fn retry_dead_letter(
        &self,
        id: OutboxId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        delivery::retry_dead_letter(self, id, now).await
    }

    async fn gauges(&self) -> Result<Gauges, StoreError> {
        let counts: (i64, i64, i64, i64) =
            sqlx::query_as(sql::GAUGES).fetch_one(&self.writer).await?;
        Ok(rows::gauges(counts))
    }
}

#[async_trait]
impl TriggerStore for PostgresStore {
    async fn create_trigger(
        &self,
        trigger: &NewTrigger<'_>,
        now: DateTime<Utc>,
    ) -> Result<TriggerCreated, StoreError> {
        triggers::create(self, trigger, now).await
    }

    async fn trigger(&self, id: TriggerId) -> Result<Option<TriggerRecord>, StoreError> {
        triggers::get(self, id).await
    }

    async fn list_triggers(
        &self,
        filter: &TriggerFilter,
    ) -> Result<Vec<TriggerRecord>, StoreError> {
        triggers::list(self, filter).await
    }

    async fn change_trigger_state(
        &self,
        change: &StateChange,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        triggers::change_state(self, change, now).await
    }

    async fn fire_due_triggers(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        planner: &dyn FiringPlanner,
    ) -> Result<FiredBatch, StoreError> {
        triggers::fire_due(self, now, limit, planner).await
    }

    async fn next_trigger_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let due: Option<DateTime<Utc>> = sqlx::query_scalar(sql::NEXT_TRIGGER_DUE)
            .fetch_one(&self.writer)
            .await?;
        Ok(due)
    }

    async fn prune_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query(sql::PRUNE_IDEMPOTENCY_KEYS)
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected())
    }

    async fn count_reminders(
        &self,
        conversation: ConversationKey,
        owner: Option<PersonRef<'_>>,
    ) -> Result<ReminderCounts, StoreError> {
        users::count_reminders(self, conversation, owner).await
    }

    async fn reschedule_trigger(
        &self,
        change: &Reschedule<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        users::reschedule(self, change, now).await
    }
}

#[async_trait]
impl PriceStore for PostgresStore {
    async fn create_watch(
        &self,
        watch: &NewWatch<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<WatchRecord>, StoreError> {
        prices::create_watch(self, watch, now).await
    }

    async fn watch(&self, id: WatchId) -> Result<Option<WatchRecord>, StoreError> {
        prices::watch(self, id).await
    }

    async fn list_watches(
        &self,
        conversation: ConversationKey,
        limit: u32,
    ) -> Result<Vec<WatchRecord>, StoreError> {
        prices::list_watches(self, conversation, limit).await
    }

    async fn cancel_watch(&self, id: WatchId, now: DateTime<Utc>) -> Result<bool, StoreError> {
        prices::cancel_watch(self, id, now).await
    }

    async fn watches_on(
        &self,
        source: &str,
        symbol: &str,
        after: Option<WatchId>,
        limit: u32,
    ) -> Result<Vec<WatchRecord>, StoreError> {
        prices::watches_on(self, source, symbol, after, limit).await
    }

    async fn count_watches(
        &self,
        conversation: ConversationKey,
        owner: Option<PersonRef<'_>>,
    ) -> Result<ReminderCounts, StoreError> {
        prices::count_watches(self, conversation, owner).await
    }

    async fn watched_currencies(
        &self,
        source: &str,
        symbol: &str,
    ) -> Result<Vec<Option<String>>, StoreError> {
        prices::watched_currencies(self, source, symbol).await
    }

    async fn apply_price_evaluation(
        &self,
        updates: &[WatchUpdate],
        alerts: &[QueuedMessage],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        prices::apply_price_evaluation(self, updates, alerts, now).await
    }

    async fn record_price(&self, sample: &PriceSample<'_>) -> Result<(), StoreError> {
        prices::record_price(self, sample).await
    }

    async fn recent_prices(
        &self,
        source: &str,
        symbol: &str,
        limit: u32,
    ) -> Result<Vec<Decimal>, StoreError> {
        prices::recent_prices(self, source, symbol, limit).await
    }

    async fn prune_price_history(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        prices::prune_price_history(self, before).await
    }

    async fn ensure_price_poll(
        &self,
        source: &str,
        symbol: &str,
        every: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        prices::ensure_price_poll(self, source, symbol, every, now).await
    }

    async fn stop_price_poll(
        &self,
        source: &str,
        symbol: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        prices::stop_price_poll(self, source, symbol, now).await
    }

    async fn note_pushed_source(&self, source: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        prices::note_pushed_source(self, source, now).await
    }

    async fn pushed_source(&self, source: &str) -> Result<bool, StoreError> {
        prices::pushed_source(self, source).await
    }

    async fn record_fetch(
        &self,
        source: &str,
        outcome: Result<(), &str>,
        now: DateTime<Utc>,
    ) -> Result<SourceHealth, StoreError> {
        prices::record_fetch(self, source, outcome, now).await
    }

    async fn set_source_stalled(
        &self,
        source: &str,
        stalled: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError> {
        prices::set_source_stalled(self, source, stalled, now).await
    }

    async fn record_symbol_miss(
        &self,
        symbol: WatchedSymbol<'_>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        prices::record_symbol_miss(self, symbol, reason, now).await
    }

    async fn stall_symbol(
        &self,
        symbol: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError> {
        prices::set_symbol_stalled(self, symbol, true, now).await
    }

    async fn symbol_priced(
        &self,
        symbol: WatchedSymbol<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<WatchRecord>, StoreError> {
        prices::set_symbol_stalled(self, symbol, false, now).await
    }
}

#[async_trait]
impl WebchatStore for PostgresStore {
    async fn create_webchat_conversation(
        &self,
        id: &str,
        user: WebchatUser<'_>,
        token: &WebchatToken<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        webchat::create_conversation(self, id, user, token, now).await
    }

    async fn add_webchat_token(&self, token: &WebchatToken<'_>) -> Result<bool, StoreError> {
        webchat::add_token(self, token).await
    }

    async fn webchat_token(
        &self,
        token_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebchatSession>, StoreError> {
        webchat::token(self, token_sha256, now).await
    }

    async fn webchat_session(&self, id: &str) -> Result<Option<WebchatSession>, StoreError> {
        webchat::session(self, id).await
    }

    async fn add_webchat_browser(
        &self,
        credential_sha256: &str,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        webchat::add_browser(self, credential_sha256, user_id, now).await
    }

    async fn webchat_browser(
        &self,
        credential_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebchatBrowser>, StoreError> {
        webchat::browser(self, credential_sha256, now).await
    }

    async fn prune_webchat_browsers(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        webchat::prune_browsers(self, before).await
    }

    async fn start_webchat_conversation(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        webchat::start(self, id, now).await
    }

    async fn append_webchat_activity(
        &self,
        id: &str,
        activity_json: &str,
        attachments: &[NewWebchatAttachment<'_>],
        keep: u32,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        webchat::append(self, id, activity_json, attachments, keep, now).await
    }

    async fn webchat_activities(
        &self,
        id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        webchat::activities(self, id, after, limit).await
    }

    async fn webchat_last_seq(&self, id: &str) -> Result<Option<i64>, StoreError> {
        webchat::last_seq(self, id).await
    }

    async fn clear_webchat_activities(&self, id: &str) -> Result<u64, StoreError> {
        webchat::clear_activities(self, id).await
    }

    async fn prune_webchat_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        webchat::prune_conversations(self, before).await
    }

    async fn prune_webchat_tokens(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        webchat::prune_tokens(self, now).await
    }
}

#[async_trait]
impl BudgetStore for PostgresStore {
    async fn take_send_budget(
        &self,
        take: &BudgetTake<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<(), BudgetDenied>, StoreError> {
        delivery::take_send_budget(self, take, now).await
    }

    async fn prune_send_budget(
        &self,
        now: DateTime<Utc>,
        log_before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        delivery::prune_send_budget(self, now, log_before).await
    }
}

/// PostgreSQL's dialect: instances sharing the database hear of each other's
/// changes (`NOTIFY`) and take turns on a conversation's send budget.
impl Dialect for Postgres {
    type Instant = DateTime<Utc>;
    type Ids = Vec<i64>;

    fn ids(ids: &[i64]) -> Vec<i64> {
        ids.to_vec()
    }

    fn begin_write(
        pool: &Pool<Postgres>,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        pool.begin()
    }

    async fn announce_triggers(connection: &mut PgConnection) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(TRIGGERS_CHANNEL)
            .execute(connection)
            .await?;
        Ok(())
    }

    async fn announce_webchat(connection: &mut PgConnection, id: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(WEBCHAT_CHANNEL)
            .bind(id)
            .execute(connection)
            .await?;
        Ok(())
    }

    async fn serialize_scope(connection: &mut PgConnection, scope: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(scope)
            .execute(connection)
            .await?;
        Ok(())
    }
}
