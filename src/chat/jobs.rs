//! The seed's job log in chat: `run`, `show`, `done` and the job-completed
//! events, answered from the job use cases (`service::Jobs`).

use super::asked::Asked;
use super::i18n::Say;
use super::replies::Replies;
use crate::domain::command::JobRef;
use crate::domain::ports::{Completion, Created, PageRequest, StoreError};
use crate::domain::trigger::TriggerId;
use crate::service::{JobCaller, Jobs};

/// The names of the seed's job-completed event: `jobCompleted` in the
/// JavaScript sample, `jobComplete` in the C# one.
const JOB_COMPLETED_EVENTS: [&str; 2] = ["jobCompleted", "jobComplete"];

/// An `event` activity: the seed's job-completed event, or nothing.
pub(super) async fn on_event(jobs: &Jobs, asked: &Asked<'_>) -> Result<Replies, StoreError> {
    let activity = &asked.inbound.activity;
    let name = activity.name.as_deref().unwrap_or_default();
    if !JOB_COMPLETED_EVENTS.contains(&name) {
        return Ok(Replies::none());
    }
    let job = match &activity.value {
        Some(serde_json::Value::Number(n)) => JobRef::parse(&n.to_string()),
        Some(serde_json::Value::String(s)) => JobRef::parse(s),
        _ => JobRef::Missing,
    };
    Ok(match job {
        JobRef::Id(id) => complete(jobs, asked, id).await?,
        JobRef::OutOfRange(digits) => Replies::one(asked.say(Say::NoSuchJob(&digits))),
        JobRef::Missing => Replies::one(asked.say(Say::JobEventNeedsId)),
    })
}

/// `run`: starts a job in this conversation.
pub(super) async fn run(jobs: &Jobs, asked: &Asked<'_>) -> Result<Replies, StoreError> {
    let started = jobs
        .start(
            asked.conversation,
            asked.speaker.person(),
            asked.stamp(),
            asked.now,
        )
        .await?;
    Ok(match started {
        Created::Created(id) => Replies::one(asked.say(Say::JobStarted(id))),
        Created::Duplicate => Replies::duplicate(),
        Created::LimitReached(limit) => Replies::one(asked.say(Say::JobLimit(limit))),
    })
}

/// `show [page]`: a page of the log, as far as the speaker may see it.
pub(super) async fn show(
    jobs: &Jobs,
    asked: &Asked<'_>,
    page: u32,
    size: u32,
) -> Result<Replies, StoreError> {
    let requester = asked.requester();
    let log = jobs
        .list(JobCaller::Person(&requester), PageRequest { page, size })
        .await?;
    Ok(Replies::one(asked.say(Say::JobLog {
        page: &log,
        number: page,
        size,
    })))
}

/// `done N` (or the event): completes the job and queues its notification.
pub(super) async fn complete(
    jobs: &Jobs,
    asked: &Asked<'_>,
    id: TriggerId,
) -> Result<Replies, StoreError> {
    let requester = asked.requester();
    let completion = jobs
        .complete(JobCaller::Person(&requester), id, asked.stamp(), asked.now)
        .await?;
    Ok(match completion {
        Completion::Completed { .. } => Replies::one(asked.say(Say::JobCompletedHere(id))),
        Completion::AlreadyCompleted => Replies::one(asked.say(Say::JobAlreadyCompleted(id))),
        Completion::NotFound => Replies::one(asked.say(Say::NoSuchJob(&id.to_string()))),
        Completion::Duplicate => Replies::duplicate(),
    })
}
