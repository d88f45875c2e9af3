//! The storage port's jobs: work started from a conversation whose completion
//! (an event) notifies it, with caps checked inside the creating transaction.

use super::{ActivityStamp, Created, OpenLimits, OutboxId, PageRequest, StoreError};
use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::person::PersonRef;
use crate::domain::trigger::{JobSummary, TriggerId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A new job, started from a conversation.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub stamp: Option<ActivityStamp<'a>>,
    /// The most open jobs allowed; checked in the same transaction as the insert.
    pub limits: OpenLimits,
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

/// One page of the job log and how many jobs there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPage {
    pub items: Vec<JobSummary>,
    pub total: u64,
}

/// Jobs: started from a conversation, completed by an event, listed in a log.
#[async_trait]
pub trait JobStore: Send + Sync {
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
}
