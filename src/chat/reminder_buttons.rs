//! The buttons on Herald's reminder messages: Snooze and Done on a fired
//! reminder, and the other reading of a phrase that read two ways (`at 7`:
//! 07:00 or 19:00) on the message that set it. Buttons are Adaptive Card
//! `Action.Submit` actions; their data comes back from the client, so it is
//! checked like anything typed.

use chrono::Duration;
use serde_json::Value;

use super::asked::Asked;
use super::i18n::Say;
use super::reminder_changes::{move_to, own, snooze};
use super::reminder_text::{BUTTON, DEFAULT_SNOOZE, moment};
use super::reminders::Reminders;
use super::replies::Replies;
use crate::domain::command::JobRef;
use crate::domain::ports::StoreError;
use crate::domain::reminder::Refusal;
use crate::domain::schedule::ScheduleSpec;
use crate::domain::trigger::{TriggerId, TriggerRecord, TriggerState};

/// The buttons of a fired reminder (`Action.Submit` values); `None` when
/// the value is not one of them.
pub(super) async fn on_button(
    reminders: &Reminders,
    asked: &Asked<'_>,
    value: Option<&Value>,
) -> Result<Option<Replies>, StoreError> {
    let (speaker, now) = (asked.speaker, asked.now);
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
            let replies = snooze(reminders, asked, &id, Some(Duration::minutes(minutes))).await?;
            Ok(Some(replies))
        }
        action @ Some("done" | "move") => {
            let record = match own(reminders, asked, &id, "reminders").await? {
                Ok(record) => record,
                Err(refusal) => return Ok(Some(refusal)),
            };
            if action == Some("move") {
                return move_to_other_reading(reminders, asked, &record, value)
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
    reminders: &Reminders,
    asked: &Asked<'_>,
    record: &TriggerRecord,
    value: &serde_json::Map<String, Value>,
) -> Result<Replies, StoreError> {
    let (speaker, now) = (asked.speaker, asked.now);
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
    move_to(reminders, asked, record, schedule, first).await
}
