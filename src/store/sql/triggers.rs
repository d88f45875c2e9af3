//! Scheduled triggers on every dialect: timers and reminders created (at
//! most once per idempotency key), listed, changed and counted; a claimed
//! price poll moved on once done. Firing the due ones in batches is tuned
//! per database: the dialect's.

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{
    DuePoll, FiredBatch, FiringPlanner, Idempotency, NewTrigger, Reschedule, StateChange,
    StoreError, TriggerCreated, TriggerFilter, TriggerStore,
};
use crate::domain::trigger::{TriggerId, TriggerRecord, TriggerState};
use crate::store::dialect::{RowsAffected, at};
use crate::store::firing::DueBatch;
use crate::store::rows::{StoredInstant, TriggerRow};

/// A state change, only from the state the caller saw.
pub const CHANGE_TRIGGER_STATE: &str = "UPDATE triggers SET state = $3, next_fire_at = $4,
                 updated_at = $5, paused_by = NULL,
                 completed_at = CASE WHEN $3 IN ('completed', 'cancelled', 'failed')
                                     THEN $5 ELSE NULL END
             WHERE id = $1 AND state = $2";

/// Open (active or paused) reminders of a person (`$1` channel, `$3` user id)
/// anywhere, and of a conversation.
pub const COUNT_OPEN_REMINDERS: &str = "SELECT
         (SELECT COUNT(*) FROM triggers WHERE kind = 'reminder'
              AND state IN ('active', 'paused') AND owner_channel_id = $1 AND owner_user_id = $3),
         (SELECT COUNT(*) FROM triggers WHERE kind = 'reminder'
              AND state IN ('active', 'paused') AND conversation_key = $2)";

/// Records an idempotency key; affects no row when it is taken.
pub const INSERT_IDEMPOTENCY_KEY: &str =
    "INSERT INTO idempotency_keys (key, request_sha256, trigger_id, created_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO NOTHING";

/// A new scheduled trigger; `$2` is its state, `$10` when it completed (if it
/// has no occurrence at all).
pub const INSERT_TRIGGER: &str = "INSERT INTO triggers (kind, state, conversation_key,
                 owner_channel_id, owner_user_id, text, schedule_json, time_zone, next_fire_at,
                 created_at, updated_at, completed_at)
             VALUES ($1, $2, $3, $11, $4, $5, $6, $7, $8, $9, $9, $10)
             RETURNING id";

/// A page of triggers: filters are NULL when not wanted; ids after `$4`.
/// The engine's own price polls belong to no conversation, so the join
/// leaves them out. (`CAST` types the NULLs for PostgreSQL and reads the
/// same on SQLite.)
pub const LIST_TRIGGERS: &str = concat!(
    select_trigger!(),
    " WHERE (CAST($1 AS BIGINT) IS NULL OR t.conversation_key = $1)
        AND (CAST($2 AS TEXT) IS NULL OR t.kind = $2)
        AND (CAST($3 AS TEXT) IS NULL OR t.state = $3)
        AND t.id > $4
        AND (CAST($6 AS TEXT) IS NULL OR c.channel_id = $6)
        AND (CAST($7 AS TEXT) IS NULL OR c.conversation_id = $7)
      ORDER BY t.id
      LIMIT $5"
);

/// A conversation's reminders and timers, active or paused, soonest first.
pub const OPEN_REMINDERS: &str = concat!(
    select_trigger!(),
    " WHERE t.conversation_key = $1
        AND t.kind IN ('reminder', 'timer')
        AND t.state IN ('active', 'paused')
      ORDER BY t.next_fire_at IS NULL, t.next_fire_at, t.id
      LIMIT $2"
);

/// A price poll done: on to its next occurrence (`$3`; NULL: completed),
/// if it is still active and held by this claim — a lease that ran out and
/// was claimed again has a later `next_fire_at`.
pub const FINISH_POLL: &str = "UPDATE triggers SET next_fire_at = $3, updated_at = $4,
         state = CASE WHEN $3 IS NULL THEN 'completed' ELSE state END,
         completed_at = CASE WHEN $3 IS NULL THEN $4 ELSE NULL END
     WHERE id = $1 AND kind = 'price_poll' AND state = 'active' AND next_fire_at <= $2";

/// When the scheduler next has work.
pub const NEXT_TRIGGER_DUE: &str =
    "SELECT MIN(next_fire_at) FROM triggers WHERE state = 'active' AND next_fire_at IS NOT NULL";

/// Idempotency keys older than `$1`.
pub const PRUNE_IDEMPOTENCY_KEYS: &str = "DELETE FROM idempotency_keys WHERE created_at < $1";

/// A trigger's new schedule, if it is still in state `$2`: active again.
pub const RESCHEDULE_TRIGGER: &str = "UPDATE triggers SET state = 'active', schedule_json = $3,
         time_zone = $4, next_fire_at = $5, updated_at = $6, completed_at = NULL,
         paused_by = NULL, last_error = NULL
     WHERE id = $1 AND state = $2";

/// The request an idempotency key was first used with.
pub const SELECT_IDEMPOTENCY_KEY: &str =
    "SELECT request_sha256, trigger_id FROM idempotency_keys WHERE key = $1";

/// One trigger by id.
pub const SELECT_TRIGGER: &str = concat!(select_trigger!(), " WHERE t.id = $1");

on_every_dialect! {
    impl {
        /// A trigger by id, on a pool or inside a transaction.
        async fn fetch<'e, E>(executor: E, id: i64) -> Result<Option<TriggerRecord>, StoreError>
        where
            E: sqlx::Executor<'e, Database = DB>,
        {
            let row: Option<TriggerRow<DB::Instant>> = sqlx::query_as(SELECT_TRIGGER)
                .bind(id)
                .fetch_optional(executor)
                .await?;
            row.map(TriggerRecord::try_from).transpose()
        }

        /// The first result for a reused idempotency key, or that it was reused for another request.
        async fn replay(
            executor: &mut DB::Connection,
            key: &Idempotency<'_>,
        ) -> Result<Option<TriggerCreated>, StoreError> {
            let first: Option<(String, i64)> = sqlx::query_as(SELECT_IDEMPOTENCY_KEY)
                .bind(key.key)
                .fetch_optional(&mut *executor)
                .await?;
            let Some((request_sha256, id)) = first else {
                return Ok(None);
            };
            if request_sha256 != key.request_sha256 {
                return Ok(Some(TriggerCreated::KeyReused));
            }
            let record = Self::fetch(&mut *executor, id).await?.ok_or_else(|| {
                StoreError::Corrupt(format!("idempotency key of missing trigger {id}"))
            })?;
            Ok(Some(TriggerCreated::Replayed(record)))
        }
    }
}

on_every_dialect! {
    impl TriggerStore {
        async fn create_trigger(
            &self,
            trigger: &NewTrigger<'_>,
            now: DateTime<Utc>,
        ) -> Result<TriggerCreated, StoreError> {
            let schedule_json = serde_json::to_string(trigger.schedule)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            let state = match trigger.next_fire_at {
                Some(_) => TriggerState::Active,
                None => TriggerState::Completed,
            };
            let mut tx = DB::begin_write(&self.writer).await?;
            let limit = Self::open_limit_reached(
                &mut tx,
                COUNT_OPEN_REMINDERS,
                trigger.conversation,
                trigger.owner,
                trigger.limits,
            )
            .await?;
            // Asked once the scope is held: a first request with this key
            // racing this one has committed by then, so a retry at a full
            // cap is answered as the replay it is, not refused.
            if let Some(key) = &trigger.idempotency {
                if let Some(first) = Self::replay(&mut tx, key).await? {
                    return Ok(first);
                }
            }
            if let Some(limit) = limit {
                return Ok(TriggerCreated::LimitReached(limit));
            }
            let id: i64 = sqlx::query_scalar(INSERT_TRIGGER)
                .bind(trigger.kind.as_str())
                .bind(state.as_str())
                .bind(trigger.conversation.0)
                .bind(trigger.owner.map(|o| o.user_id))
                .bind(trigger.text)
                .bind(schedule_json)
                .bind(trigger.time_zone)
                .bind(trigger.next_fire_at.map(at::<DB>))
                .bind(at::<DB>(now))
                .bind(trigger.next_fire_at.is_none().then_some(at::<DB>(now)))
                .bind(trigger.owner.map(|o| o.channel_id))
                .fetch_one(&mut *tx)
                .await?;
            if let Some(key) = &trigger.idempotency {
                let recorded = sqlx::query(INSERT_IDEMPOTENCY_KEY)
                    .bind(key.key)
                    .bind(key.request_sha256)
                    .bind(id)
                    .bind(at::<DB>(now))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if recorded == 0 {
                    // A concurrent request with the same key committed first (the
                    // insert waited for it): undo ours and answer with theirs.
                    tx.rollback().await?;
                    let mut connection = self.writer.acquire().await?;
                    return Self::replay(&mut connection, key).await?.ok_or_else(|| {
                        StoreError::Corrupt("an idempotency key vanished while in use".to_owned())
                    });
                }
            }
            if trigger.next_fire_at.is_some() {
                DB::announce_triggers(&mut tx).await?;
            }
            let record = Self::fetch(&mut *tx, id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("trigger {id} vanished")))?;
            tx.commit().await?;
            Ok(TriggerCreated::Created(record))
        }

        async fn trigger(&self, id: TriggerId) -> Result<Option<TriggerRecord>, StoreError> {
            Self::fetch(&mut *self.read().await?, id.get()).await
        }

        async fn list_triggers(
            &self,
            filter: &TriggerFilter,
        ) -> Result<Vec<TriggerRecord>, StoreError> {
            let rows: Vec<TriggerRow<DB::Instant>> = sqlx::query_as(LIST_TRIGGERS)
                .bind(filter.conversation.map(|key| key.0))
                .bind(filter.kind.map(|kind| kind.as_str()))
                .bind(filter.state.map(|state| state.as_str()))
                .bind(filter.after.map_or(0, TriggerId::get))
                .bind(i64::from(filter.limit))
                .bind(filter.channel_id.as_deref())
                .bind(filter.conversation_id.as_deref())
                .fetch_all(&mut *self.read().await?)
                .await?;
            rows.into_iter().map(TriggerRecord::try_from).collect()
        }

        async fn open_reminders(
            &self,
            conversation: ConversationKey,
            limit: u32,
        ) -> Result<Vec<TriggerRecord>, StoreError> {
            let rows: Vec<TriggerRow<DB::Instant>> = sqlx::query_as(OPEN_REMINDERS)
                .bind(conversation.0)
                .bind(i64::from(limit))
                .fetch_all(&mut *self.read().await?)
                .await?;
            rows.into_iter().map(TriggerRecord::try_from).collect()
        }

        async fn change_trigger_state(
            &self,
            change: &StateChange,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let changed = sqlx::query(CHANGE_TRIGGER_STATE)
                .bind(change.id.get())
                .bind(change.from.as_str())
                .bind(change.to.as_str())
                .bind(change.next_fire_at.map(at::<DB>))
                .bind(at::<DB>(now))
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if changed && change.next_fire_at.is_some() {
                DB::announce_triggers(&mut tx).await?;
            }
            tx.commit().await?;
            Ok(changed)
        }

        async fn fire_due_triggers(
            &self,
            now: DateTime<Utc>,
            limit: u32,
            planner: &dyn FiringPlanner,
        ) -> Result<FiredBatch, StoreError> {
            let batch = DueBatch {
                now,
                limit,
                planner,
            };
            DB::fire_due_triggers(&self.writer, batch).await
        }

        async fn finish_poll(&self, poll: &DuePoll, now: DateTime<Utc>) -> Result<bool, StoreError> {
            let done = sqlx::query(FINISH_POLL)
                .bind(poll.trigger.get())
                .bind(at::<DB>(poll.claimed_until))
                .bind(poll.next.map(at::<DB>))
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn next_trigger_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
            let due: Option<DB::Instant> = sqlx::query_scalar(NEXT_TRIGGER_DUE)
                .fetch_one(&mut *self.read().await?)
                .await?;
            due.map(StoredInstant::into_utc).transpose()
        }

        async fn prune_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let result = sqlx::query(PRUNE_IDEMPOTENCY_KEYS)
                .bind(at::<DB>(before))
                .execute(&self.writer)
                .await?;
            Ok(result.rows_affected())
        }

        async fn reschedule_trigger(
            &self,
            change: &Reschedule<'_>,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let schedule = serde_json::to_string(change.schedule)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            let done = sqlx::query(RESCHEDULE_TRIGGER)
                .bind(change.id.get())
                .bind(change.from.as_str())
                .bind(schedule)
                .bind(change.schedule.timezone.as_deref())
                .bind(at::<DB>(change.next_fire_at))
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() == 1)
        }
    }
}
