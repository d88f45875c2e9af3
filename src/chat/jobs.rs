//! The seed's job log in chat: `run`, `show`, `done` and the job-completed events.

use chrono::{DateTime, Utc};

use super::bot::Bot;
use super::i18n::Say;
use super::replies::Replies;
use super::speaker::Speaker;
use crate::botframework::inbound::InboundActivity;
use crate::domain::access::Requester;
use crate::domain::command::JobRef;
use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::ports::{CompleteJob, Completion, Created, NewJob, PageRequest, StoreError};
use crate::domain::trigger::TriggerId;

/// The names of the seed's job-completed event: `jobCompleted` in the
/// JavaScript sample, `jobComplete` in the C# one.
const JOB_COMPLETED_EVENTS: [&str; 2] = ["jobCompleted", "jobComplete"];

impl Bot {
    pub(super) async fn on_event(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &Speaker,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let name = inbound.activity.name.as_deref().unwrap_or_default();
        if !JOB_COMPLETED_EVENTS.contains(&name) {
            return Ok(Replies::none());
        }
        let job = match &inbound.activity.value {
            Some(serde_json::Value::Number(n)) => JobRef::parse(&n.to_string()),
            Some(serde_json::Value::String(s)) => JobRef::parse(s),
            _ => JobRef::Missing,
        };
        Ok(match job {
            JobRef::Id(id) => {
                self.complete_job(inbound, conversation, speaker, id, now)
                    .await?
            }
            JobRef::OutOfRange(digits) => Replies::one(speaker.say(Say::NoSuchJob(&digits))),
            JobRef::Missing => Replies::one(speaker.say(Say::JobEventNeedsId)),
        })
    }

    pub(super) async fn run_job(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &Speaker,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let job = NewJob {
            conversation,
            owner: speaker.person(),
            stamp: self.stamp(inbound, conversation, now),
            limits: self.settings.job_limits,
        };
        Ok(match self.store.create_job(job, now).await? {
            Created::Created(id) => Replies::one(speaker.say(Say::JobStarted(id))),
            Created::Duplicate => Replies::duplicate(),
            Created::LimitReached(limit) => Replies::one(speaker.say(Say::JobLimit(limit))),
        })
    }

    pub(super) async fn show_jobs(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &Speaker,
        page: u32,
    ) -> Result<Replies, StoreError> {
        let scope = self.access.scope(&requester(inbound, conversation));
        let request = PageRequest {
            page,
            size: self.settings.page_size,
        };
        let jobs = self.store.list_jobs(scope, request).await?;
        Ok(Replies::one(speaker.say(Say::JobLog {
            page: &jobs,
            number: page,
            size: self.settings.page_size,
        })))
    }

    pub(super) async fn complete_job(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &Speaker,
        id: TriggerId,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let request = CompleteJob {
            job: id,
            scope: self.access.scope(&requester(inbound, conversation)),
            stamp: self.stamp(inbound, conversation, now),
            notification: Notification::JobCompleted { job_id: id.get() },
        };
        Ok(match self.store.complete_job(&request, now).await? {
            Completion::Completed { .. } => {
                self.outbox_written.notify_one();
                Replies::one(speaker.say(Say::JobCompletedHere(id)))
            }
            Completion::AlreadyCompleted => Replies::one(speaker.say(Say::JobAlreadyCompleted(id))),
            Completion::NotFound => Replies::one(speaker.say(Say::NoSuchJob(&id.to_string()))),
            Completion::Duplicate => Replies::duplicate(),
        })
    }
}

fn requester(inbound: &InboundActivity, conversation: ConversationKey) -> Requester<'_> {
    let from = inbound.activity.from.as_ref();
    Requester {
        conversation,
        channel_id: &inbound.channel_id,
        user_id: from.and_then(|f| f.id.as_deref()),
        aad_object_id: from.and_then(|f| f.aad_object_id.as_deref()),
    }
}
