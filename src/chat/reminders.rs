//! Reminders in chat: set one (echoing how it was understood), list them,
//! cancel, pause, resume, snooze and edit them, and the buttons of a fired
//! reminder. A reminder belongs to whoever set it: others in the conversation
//! see it listed but cannot change it.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::bot::Bot;
use super::i18n::Say;
use super::owners::OwnerNames;
use super::reminder_buttons::with_other_reading;
use super::reminder_text::describe;
use super::replies::Replies;
use super::speaker::Speaker;
use crate::botframework::inbound::InboundActivity;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{Idempotency, StoreError, TriggerCreated};
use crate::domain::reminder::{self, Refusal};
use crate::domain::trigger::{TriggerKind, TriggerState};
use crate::scheduler::control::{CreateError, TriggerRequest};

/// Reminders a listing shows.
const LISTED: usize = 20;
impl Bot {
    pub(super) async fn set_reminder(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &Speaker,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let parsed = match reminder::parse(text, now, speaker.zone, self.settings.times) {
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
        let limits = self.settings.reminder_limits;
        if parsed.text.chars().count() > limits.text_chars {
            return Ok(Replies::one(speaker.say(Say::ReminderTextTooLong {
                limit: limits.text_chars,
            })));
        }
        let owner = speaker.person();
        // A redelivered activity creates nothing twice: its id is the key.
        let key = inbound
            .activity
            .id
            .as_deref()
            .filter(|id| !id.is_empty())
            .map(|id| format!("chat:{}:{id}", conversation.0));
        let digest = hex::encode(Sha256::digest(text.as_bytes()));
        let created = self
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

    pub(super) async fn list_reminders(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        // As many as the four lists of 200 it replaced could hold.
        let reminders = self.store.open_reminders(conversation, 800).await?;
        if reminders.is_empty() {
            return Ok(Replies::one(speaker.say(Say::NoReminders)));
        }
        let count = reminders.len();
        let shown = count.min(LISTED);
        let mut names = OwnerNames::new(self.store.as_ref(), speaker.person());
        let mut text = speaker.say(Say::Reminders { count, shown });
        text.push_str("\n\n");
        for record in &reminders[..shown] {
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
}
