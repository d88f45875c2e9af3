//! The buttons on Herald's reminder messages: Snooze and Done on a fired
//! reminder, and the other reading of a phrase that read two ways (`at 7`:
//! 07:00 or 19:00) on the message that set it. Buttons are Adaptive Card
//! `Action.Submit` actions; their data comes back from the client, so it is
//! checked like anything typed.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::bot::Bot;
use super::cards;
use super::i18n::Say;
use super::reminder_text::{BUTTON, DEFAULT_SNOOZE, describe, moment};
use super::replies::{Replies, Reply};
use super::speaker::Speaker;
use crate::domain::command::JobRef;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::StoreError;
use crate::domain::reminder::{Refusal, Resolved};
use crate::domain::schedule::ScheduleSpec;
use crate::domain::trigger::{TriggerId, TriggerRecord, TriggerState};

/// The message that set a reminder, with the phrase's other reading offered
/// as a button that moves the reminder there.
pub(super) fn with_other_reading(
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

impl Bot {
    /// The buttons of a fired reminder (`Action.Submit` values); `None` when
    /// the value is not one of them.
    pub(super) async fn on_reminder_button(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        value: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Result<Option<Replies>, StoreError> {
        let Some(value) = value.and_then(Value::as_object) else {
            return Ok(None);
        };
        if value.get("herald").and_then(Value::as_str) != Some(BUTTON) {
            return Ok(None);
        }
        let id = value
            .get("reminder")
            .and_then(Value::as_i64)
            .and_then(TriggerId::new)
            .map_or(JobRef::Missing, JobRef::Id);
        match value.get("action").and_then(Value::as_str) {
            Some("snooze") => {
                let minutes = value
                    .get("minutes")
                    .and_then(Value::as_i64)
                    .filter(|m| (1..=24 * 60).contains(m))
                    .unwrap_or(DEFAULT_SNOOZE);
                let replies = self
                    .snooze_reminder(
                        conversation,
                        speaker,
                        &id,
                        Some(Duration::minutes(minutes)),
                        now,
                    )
                    .await?;
                Ok(Some(replies))
            }
            action @ Some("done" | "move") => {
                let record = match self
                    .own_reminder(conversation, speaker, &id, "reminders")
                    .await?
                {
                    Ok(record) => record,
                    Err(refusal) => return Ok(Some(refusal)),
                };
                if action == Some("move") {
                    return self
                        .move_to_other_reading(&record, value, speaker, now)
                        .await
                        .map(Some);
                }
                let next = (record.state == TriggerState::Active)
                    .then_some(record.next_fire_at)
                    .flatten()
                    .map(|at| moment(speaker, at, now));
                Ok(Some(Replies::one(speaker.say(Say::Acknowledged {
                    next: next.as_deref(),
                }))))
            }
            _ => Ok(None),
        }
    }

    /// The other reading's button: the client sends its data back, so it is
    /// read as a schedule like any other (and only its owner got this far).
    async fn move_to_other_reading(
        &self,
        record: &TriggerRecord,
        value: &serde_json::Map<String, Value>,
        speaker: &Speaker,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let schedule = value
            .get("schedule")
            .cloned()
            .and_then(|schedule| serde_json::from_value::<ScheduleSpec>(schedule).ok());
        let fired = u32::try_from(record.fire_count).unwrap_or(u32::MAX);
        let first = schedule.as_ref().and_then(|schedule| {
            let next = schedule.to_schedule(now).ok()?.next_after(now, fired)?;
            Some((schedule, next))
        });
        let Some((schedule, first)) = first else {
            return Ok(Replies::one(speaker.say(Say::ReminderRefused {
                refusal: Refusal::Past,
                misspelt: None,
            })));
        };
        self.move_reminder(record, schedule, first, speaker, now)
            .await
    }
}
