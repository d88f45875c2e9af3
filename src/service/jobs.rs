//! The job log's use cases, for chat and `/api/v1/jobs` alike: start a job
//! (its cap checked in the store's own transaction), list the log as far as
//! the caller may see it, and complete a job, which queues its notification
//! and wakes delivery.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::domain::access::{JobAccess, Requester};
use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::person::PersonRef;
use crate::domain::ports::{
    ActivityStamp, CompleteJob, Completion, Created, JobPage, JobStore, NewJob, OpenLimits,
    PageRequest, StoreError,
};
use crate::domain::trigger::TriggerId;

/// Who asks about the job log.
#[derive(Debug, Clone, Copy)]
pub enum JobCaller<'a> {
    /// Someone in a conversation: the access rule decides how far they see.
    Person(&'a Requester<'a>),
    /// An API key holding a jobs scope: the whole log.
    ApiKey,
}

pub struct Jobs {
    store: Arc<dyn JobStore>,
    access: JobAccess,
    /// Caps on open jobs, for the store to check as it adds one.
    limits: OpenLimits,
    /// Wakes delivery when a completion queued a notification.
    outbox_written: Arc<Notify>,
}

impl Jobs {
    pub fn new(
        store: Arc<dyn JobStore>,
        access: JobAccess,
        limits: OpenLimits,
        outbox_written: Arc<Notify>,
    ) -> Self {
        Self {
            store,
            access,
            limits,
            outbox_written,
        }
    }

    /// Starts a job in `conversation`; with a stamp, at most once per activity.
    pub async fn start(
        &self,
        conversation: ConversationKey,
        owner: Option<PersonRef<'_>>,
        stamp: Option<ActivityStamp<'_>>,
        now: DateTime<Utc>,
    ) -> Result<Created, StoreError> {
        let job = NewJob {
            conversation,
            owner,
            stamp,
            limits: self.limits,
        };
        self.store.create_job(job, now).await
    }

    /// A page of the log, as far as `caller` may see it.
    pub async fn list(
        &self,
        caller: JobCaller<'_>,
        page: PageRequest,
    ) -> Result<JobPage, StoreError> {
        self.store.list_jobs(self.scope(caller), page).await
    }

    /// Completes job `id`, if `caller` may see it, and queues the
    /// notification to the conversation that started it.
    pub async fn complete(
        &self,
        caller: JobCaller<'_>,
        id: TriggerId,
        stamp: Option<ActivityStamp<'_>>,
        now: DateTime<Utc>,
    ) -> Result<Completion, StoreError> {
        let request = CompleteJob {
            job: id,
            scope: self.scope(caller),
            stamp,
            notification: Notification::JobCompleted { job_id: id.get() },
        };
        let completion = self.store.complete_job(&request, now).await?;
        if matches!(completion, Completion::Completed { .. }) {
            self.outbox_written.notify_one();
        }
        Ok(completion)
    }

    fn scope(&self, caller: JobCaller<'_>) -> Option<ConversationKey> {
        match caller {
            JobCaller::Person(requester) => self.access.scope(requester),
            JobCaller::ApiKey => None,
        }
    }
}
