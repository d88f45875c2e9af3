//! Reminders in chat: set one (echoing how it was understood), list them,
//! cancel, pause, resume, snooze and edit them, and the buttons of a fired
//! reminder. A reminder belongs to whoever set it: others in the conversation
//! see it listed but cannot change it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::asked::Asked;
use super::cards;
use super::i18n::Say;
use super::owners::OwnerNames;
use super::reminder_text::{BUTTON, describe};
use super::replies::{Replies, Reply};
use super::speaker::Speaker;
use crate::domain::ports::{Idempotency, OpenLimits, PersonStore, StoreError, TriggerCreated};
use crate::domain::reminder::{self, Refusal, Resolved, TimeDefaults};
use crate::domain::trigger::{TriggerId, TriggerKind, TriggerState};
use crate::service::{CreateError, TriggerRequest, Triggers};

/// Reminders a listing shows.
const LISTED: usize = 20;

/// Reminder limits, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct ReminderLimits {
    pub text_chars: usize,
    /// Caps on open reminders, for the store to check as it adds one.
    pub open: OpenLimits,
}

/// What the reminder commands work with.
pub(super) struct Reminders {
    pub triggers: Triggers,
    /// Owners' names, for listings and refusals.
    pub people: Arc<dyn PersonStore>,
    pub limits: ReminderLimits,
    /// What parts of the day and an unsaid time stand for (`chat.times`).
    pub times: TimeDefaults,
}

/// `remind me …`: the phrase read in the speaker's zone and language, the
/// reminder set, and how it was understood said back.
pub(super) async fn set(
    reminders: &Reminders,
    asked: &Asked<'_>,
    text: &str,
) -> Result<Replies, StoreError> {
    let (speaker, conversation, now) = (asked.speaker, asked.conversation, asked.now);
    let parsed = match reminder::parse(text, now, speaker.zone, reminders.times) {
        Some(Ok(parsed)) => parsed,
        Some(Err(refused)) => {
            if let Some(task) = &refused.task {
                return Ok(Replies::one(speaker.say(Say::ReminderNoTime {
                    asked: &task.asked,
                    task: &task.text,
                })));
            }
            let misspelt = refused
                .misspelt
                .as_ref()
                .map(|(typed, meant)| (typed.as_str(), *meant));
            return Ok(Replies::one(speaker.say(Say::ReminderRefused {
                refusal: refused.refusal,
                misspelt,
            })));
        }
        None => return Ok(Replies::one(speaker.say(Say::Hint))),
    };
    let limits = reminders.limits;
    if parsed.text.chars().count() > limits.text_chars {
        return Ok(Replies::one(speaker.say(Say::ReminderTextTooLong {
            limit: limits.text_chars,
        })));
    }
    let owner = speaker.person();
    // A redelivered activity creates nothing twice: its id is the key.
    let key = asked
        .activity_id()
        .map(|id| format!("chat:{}:{id}", conversation.0));
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    let created = reminders
        .triggers
        .create(&TriggerRequest {
            kind: TriggerKind::Reminder,
            conversation,
            owner,
            text: &parsed.text,
            schedule: &parsed.schedule,
            time_zone: Some(speaker.zone.name()),
            idempotency: key.as_deref().map(|key| Idempotency {
                key,
                request_sha256: &digest,
            }),
            limits: limits.open,
        })
        .await;
    match created {
        Ok(TriggerCreated::Created(record)) => {
            let when = describe(speaker, &parsed.schedule, Some(parsed.first), now);
            let mut reply = speaker.say(Say::ReminderSet {
                when: &when,
                zone: speaker.zone.name(),
                text: &parsed.text,
            });
            reply.push_str(&format!(" (#{})", record.id));
            Ok(match &parsed.other {
                Some(other) => with_other_reading(reply, record.id, other, speaker, now),
                None => Replies::one(reply),
            })
        }
        Ok(TriggerCreated::Replayed(_) | TriggerCreated::KeyReused) => Ok(Replies::duplicate()),
        Ok(TriggerCreated::LimitReached(reached)) => {
            Ok(Replies::one(speaker.say(Say::ReminderLimit(reached))))
        }
        Err(CreateError::Store(error)) => Err(error),
        Err(CreateError::NoOccurrence { .. }) => {
            Ok(Replies::one(speaker.say(Say::ReminderRefused {
                refusal: Refusal::Past,
                misspelt: None,
            })))
        }
        Err(CreateError::Schedule(_)) => Ok(Replies::one(speaker.say(Say::ReminderRefused {
            refusal: Refusal::Date,
            misspelt: None,
        }))),
        Err(CreateError::TooOften { min, .. }) => {
            Ok(Replies::one(speaker.say(Say::RepeatTooOften { min })))
        }
    }
}

/// `reminders`: the conversation's open reminders, whoever set them.
pub(super) async fn list(reminders: &Reminders, asked: &Asked<'_>) -> Result<Replies, StoreError> {
    let (speaker, now) = (asked.speaker, asked.now);
    // As many as the four lists of 200 it replaced could hold.
    let open = reminders
        .triggers
        .open_reminders(asked.conversation, 800)
        .await?;
    if open.is_empty() {
        return Ok(Replies::one(speaker.say(Say::NoReminders)));
    }
    let count = open.len();
    let shown = count.min(LISTED);
    let mut names = OwnerNames::new(reminders.people.as_ref(), speaker.person());
    let mut text = speaker.say(Say::Reminders { count, shown });
    text.push_str("\n\n");
    for record in &open[..shown] {
        let owner = names.of(record.owner.as_ref()).await?;
        let schedule = record.schedule.clone().unwrap_or_default();
        let when = describe(speaker, &schedule, record.next_fire_at, now);
        text.push_str(&speaker.say(Say::ReminderLine {
            id: record.id,
            when: &when,
            text: record.text.as_deref().unwrap_or_default(),
            owner: owner.as_deref(),
            paused: record.state == TriggerState::Paused,
        }));
        text.push('\n');
    }
    Ok(Replies::one(text.trim_end().to_owned()))
}

/// The message that set a reminder, with the phrase's other reading offered
/// as a button that moves the reminder there.
fn with_other_reading(
    set: String,
    reminder: TriggerId,
    other: &Resolved,
    speaker: &Speaker,
    now: DateTime<Utc>,
) -> Replies {
    let when = describe(speaker, &other.schedule, Some(other.first), now);
    let question = speaker.say(Say::OtherReading { when: &when });
    let button = cards::submit(
        &speaker.say(Say::OtherReadingButton { when: &when }),
        json!({"herald": BUTTON, "action": "move", "reminder": reminder.get(), "schedule": other.schedule}),
    );
    Replies::from(Reply {
        text: format!("{set}\n\n{question}"),
        attachments: vec![cards::card(None, vec![button])],
    })
}
