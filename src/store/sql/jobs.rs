//! Jobs on every dialect: work started from a conversation (at most once per
//! activity, within caps checked in the same transaction), listed in a log,
//! and completed by an event that queues the conversation's notice.

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{
    ActivityStamp, CompleteJob, Completion, Created, JobPage, JobStore, NewJob, OutboxId,
    PageRequest, StoreError,
};
use crate::domain::trigger::{JobSummary, TriggerState};
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::{StoredInstant, trigger_id, trigger_state};

/// Marks a trigger completed.
pub const COMPLETE_TRIGGER: &str =
    "UPDATE triggers SET state = 'completed', completed_at = $2, updated_at = $2
             WHERE id = $1";

/// A new job: active, waiting for completion, nothing due.
pub const INSERT_JOB: &str =
    "INSERT INTO triggers (kind, state, conversation_key, owner_channel_id, owner_user_id,
                 created_at, updated_at)
             VALUES ('job', 'active', $1, $4, $2, $3, $3)
             RETURNING id";

/// Queues a job's completion notice; (trigger_id, occurrence) is unique, so at most once.
pub const QUEUE_COMPLETION_NOTICE: &str =
    "INSERT INTO outbox (conversation_key, trigger_id, occurrence, payload, state,
                 next_attempt_at, created_at)
             VALUES ($1, $2, 'completed', $3, 'pending', $4, $4)
             RETURNING id";

/// A person's (`$1` channel, `$3` user id) and a conversation's (`$2`) open jobs.
pub const COUNT_OPEN_JOBS: &str = "SELECT
         (SELECT COUNT(*) FROM triggers WHERE kind = 'job' AND state = 'active'
              AND owner_channel_id = $1 AND owner_user_id = $3),
         (SELECT COUNT(*) FROM triggers WHERE kind = 'job' AND state = 'active'
              AND conversation_key = $2)";

/// Records an activity as handled; affects no row when it already was within the window ($4).
pub const STAMP_ACTIVITY: &str =
    "INSERT INTO handled_activities (conversation_key, activity_id, handled_at)
         VALUES ($1, $2, $3)
         ON CONFLICT (conversation_key, activity_id)
         DO UPDATE SET handled_at = excluded.handled_at
         WHERE handled_activities.handled_at < $4";

on_every_dialect! {
    impl {
        /// Records the activity as handled; false when it already was within the window.
        async fn stamp_activity(
            tx: &mut DB::Connection,
            stamp: &ActivityStamp<'_>,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let result = sqlx::query(STAMP_ACTIVITY)
                .bind(stamp.conversation.0)
                .bind(stamp.activity_id)
                .bind(at::<DB>(now))
                .bind(at::<DB>(stamp.window_start))
                .execute(&mut *tx)
                .await?;
            Ok(result.rows_affected() > 0)
        }
    }
}

on_every_dialect! {
    impl JobStore {
        async fn create_job(&self, job: NewJob<'_>, now: DateTime<Utc>) -> Result<Created, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            if let Some(stamp) = &job.stamp {
                if !Self::stamp_activity(&mut tx, stamp, now).await? {
                    return Ok(Created::Duplicate);
                }
            }
            let limit =
                Self::open_limit_reached(&mut tx, COUNT_OPEN_JOBS, job.conversation, job.owner, job.limits)
                    .await?;
            if let Some(limit) = limit {
                return Ok(Created::LimitReached(limit));
            }
            let id: i64 = sqlx::query_scalar(INSERT_JOB)
                .bind(job.conversation.0)
                .bind(job.owner.map(|o| o.user_id))
                .bind(at::<DB>(now))
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
            let (rows, total) =
                DB::job_page(&mut *self.read().await?, scope, i64::from(page.size), page.offset()).await?;
            let total = match total {
                Some(total) => total,
                // Past the last page there is no row to carry the count.
                None if page.page > 1 => {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM triggers
                         WHERE kind = 'job' AND (CAST($1 AS BIGINT) IS NULL OR conversation_key = $1)",
                    )
                    .bind(scope)
                    .fetch_one(&mut *self.read().await?)
                    .await?
                }
                None => 0,
            };
            let items = rows
                .into_iter()
                .map(|(id, state, channel_id, conversation_id, created_at)| {
                    Ok(JobSummary {
                        id: trigger_id(id)?,
                        state: trigger_state(&state)?,
                        channel_id,
                        conversation_id,
                        created_at: created_at.into_utc()?,
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
            let mut tx = DB::begin_write(&self.writer).await?;
            if let Some(stamp) = &request.stamp {
                if !Self::stamp_activity(&mut tx, stamp, now).await? {
                    return Ok(Completion::Duplicate);
                }
            }
            let job: Option<(String, i64)> = sqlx::query_as(DB::SELECT_JOB_TO_COMPLETE)
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
            sqlx::query(COMPLETE_TRIGGER)
                .bind(request.job.get())
                .bind(at::<DB>(now))
                .execute(&mut *tx)
                .await?;
            let payload = serde_json::to_string(&request.notification)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            let outbox: i64 = sqlx::query_scalar(QUEUE_COMPLETION_NOTICE)
                .bind(conversation_key)
                .bind(request.job.get())
                .bind(payload)
                .bind(at::<DB>(now))
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Completion::Completed {
                job_conversation: ConversationKey(conversation_key),
                outbox: OutboxId(outbox),
            })
        }
    }
}
