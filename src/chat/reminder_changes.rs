//! A reminder changed by its owner: cancelled, paused, resumed, snoozed,
//! edited, moved — each checked to be theirs first.

use chrono::{DateTime, Duration, Utc};

use super::asked::Asked;
use super::i18n::Say;
use super::owners::someone_elses;
use super::reminder_text::{DEFAULT_SNOOZE, describe, state_word};
use super::reminders::Reminders;
use super::replies::Replies;
use crate::domain::command::{JobRef, ManageAction};
use crate::domain::lifecycle::Action;
use crate::domain::person::Person;
use crate::domain::ports::{OpenLimits, Reschedule, StoreError, TriggerCreated};
use crate::domain::reminder::pattern::{self, Pattern};
use crate::domain::reminder::{self, Refusal, When};
use crate::domain::schedule::ScheduleSpec;
use crate::domain::trigger::{TriggerKind, TriggerRecord, TriggerState};
use crate::service::{Controlled, CreateError, TriggerRequest};

/// The reminder `id` names in this conversation, if the speaker may change it.
pub(super) async fn own(
    reminders: &Reminders,
    asked: &Asked<'_>,
    id: &JobRef,
    example: &str,
) -> Result<Result<TriggerRecord, Replies>, StoreError> {
    let speaker = asked.speaker;
    let id = match id {
        JobRef::Id(id) => *id,
        JobRef::OutOfRange(digits) => {
            return Ok(Err(Replies::one(
                speaker.say(Say::NoSuchReminder { id: digits }),
            )));
        }
        JobRef::Missing => {
            return Ok(Err(Replies::one(
                speaker.say(Say::ReminderIdNeeded { example }),
            )));
        }
    };
    let record = reminders.triggers.get(id).await?.filter(|record| {
        record.conversation == asked.conversation
            && matches!(record.kind, TriggerKind::Reminder | TriggerKind::Timer)
    });
    let Some(record) = record else {
        let id = id.to_string();
        return Ok(Err(Replies::one(
            speaker.say(Say::NoSuchReminder { id: &id }),
        )));
    };
    if let Some(name) = someone_elses(
        reminders.people.as_ref(),
        speaker.person(),
        record.owner.as_ref(),
    )
    .await?
    {
        return Ok(Err(Replies::one(speaker.say(Say::NotYours {
            id: record.id,
            owner: &name,
        }))));
    }
    Ok(Ok(record))
}

/// `cancel N`, `pause N`, `resume N`.
pub(super) async fn manage(
    reminders: &Reminders,
    asked: &Asked<'_>,
    action: ManageAction,
    id: &JobRef,
) -> Result<Replies, StoreError> {
    let (speaker, now) = (asked.speaker, asked.now);
    let example = match action {
        ManageAction::Cancel => "cancel 3",
        ManageAction::Pause => "pause 3",
        ManageAction::Resume => "resume 3",
    };
    let record = match own(reminders, asked, id, example).await? {
        Ok(record) => record,
        Err(refusal) => return Ok(refusal),
    };
    let lifecycle = match action {
        ManageAction::Cancel => Action::Cancel,
        ManageAction::Pause => Action::Pause,
        ManageAction::Resume => Action::Resume,
    };
    let id = record.id;
    let reply = match reminders.triggers.apply(id, lifecycle).await? {
        Controlled::Changed(changed) => match action {
            ManageAction::Cancel => speaker.say(Say::Cancelled { id }),
            ManageAction::Pause => speaker.say(Say::Paused { id }),
            ManageAction::Resume => {
                let schedule = changed.schedule.clone().unwrap_or_default();
                let next = describe(speaker, &schedule, changed.next_fire_at, now);
                speaker.say(Say::Resumed { id, next: &next })
            }
        },
        Controlled::Unchanged(current) => {
            let state = state_word(speaker, current.state);
            speaker.say(Say::Unchanged { id, state: &state })
        }
        Controlled::Refused(_) | Controlled::NotFound => speaker.say(Say::CannotChange { id }),
    };
    Ok(Replies::one(reply))
}

/// `snooze N [for]`: a one-shot moved later, or a recurring one's extra firing.
pub(super) async fn snooze(
    reminders: &Reminders,
    asked: &Asked<'_>,
    id: &JobRef,
    by: Option<Duration>,
) -> Result<Replies, StoreError> {
    let (speaker, conversation, now) = (asked.speaker, asked.conversation, asked.now);
    let record = match own(reminders, asked, id, "snooze 3 15m").await? {
        Ok(record) => record,
        Err(refusal) => return Ok(refusal),
    };
    let by = by.unwrap_or_else(|| Duration::minutes(DEFAULT_SNOOZE));
    if by > Duration::days(30) {
        return Ok(Replies::one(speaker.say(Say::SnoozeNeedsDuration)));
    }
    let at = now + by;
    let once = ScheduleSpec {
        at: Some(at),
        ..ScheduleSpec::default()
    };
    let recurring = record.schedule.as_ref().is_some_and(|s| s.at.is_none());
    let id = if recurring || record.state == TriggerState::Cancelled {
        // A recurring reminder goes on as it was; the snooze is a one-shot of its own.
        let created = reminders
            .triggers
            .create(&TriggerRequest {
                kind: TriggerKind::Reminder,
                conversation,
                owner: record.owner.as_ref().map(Person::as_ref),
                text: record.text.as_deref().unwrap_or_default(),
                schedule: &once,
                time_zone: record.time_zone.as_deref(),
                idempotency: None,
                // A snooze moves a reminder the person already has.
                limits: OpenLimits::NONE,
            })
            .await;
        match created {
            Ok(TriggerCreated::Created(copy)) => copy.id,
            Ok(_) => record.id,
            Err(CreateError::Store(error)) => return Err(error),
            Err(_) => return Ok(Replies::one(speaker.say(Say::SnoozeNeedsDuration))),
        }
    } else {
        if let Err(refusal) = reschedule(reminders, asked, &record, &once, at).await? {
            return Ok(refusal);
        }
        record.id
    };
    let when = describe(speaker, &once, Some(at), now);
    Ok(Replies::one(speaker.say(Say::Snoozed { id, when: &when })))
}

/// `edit N <when>`: the reminder given the time or schedule typed.
pub(super) async fn edit(
    reminders: &Reminders,
    asked: &Asked<'_>,
    id: &JobRef,
    when_text: &str,
) -> Result<Replies, StoreError> {
    let (speaker, now) = (asked.speaker, asked.now);
    let record = match own(reminders, asked, id, "edit 3 at 10:00").await? {
        Ok(record) => record,
        Err(refusal) => return Ok(refusal),
    };
    if when_text.trim().is_empty() {
        return Ok(Replies::one(speaker.say(Say::EditNeedsTime)));
    }
    let day_first = !matches!(speaker.language, crate::domain::language::Language::English);
    let parsed = reminder::parse_when(when_text, now, speaker.zone, day_first, reminders.times);
    let current = record.schedule.clone().unwrap_or_default();
    let (schedule, first) = match parsed {
        // A bare time on a repeating reminder moves its time of day.
        Ok((
            When::At {
                day: None,
                clock: Some(clock),
            },
            _,
            _,
        )) if Pattern::of(&current).clock().is_some() => {
            let Some(cron) = current
                .cron
                .as_deref()
                .and_then(|c| pattern::cron_at(c, clock))
            else {
                return Ok(Replies::one(speaker.say(Say::EditNeedsTime)));
            };
            let schedule = ScheduleSpec {
                cron: Some(cron),
                ..current.clone()
            };
            let next = schedule.to_schedule(now).ok().and_then(|s| {
                s.next_after(now, u32::try_from(record.fire_count).unwrap_or(u32::MAX))
            });
            match next {
                Some(next) => (schedule, next),
                None => {
                    return Ok(Replies::one(speaker.say(Say::ReminderRefused {
                        refusal: Refusal::Past,
                        misspelt: None,
                    })));
                }
            }
        }
        Ok((_, schedule, first)) => (schedule, first),
        Err(refusal) => {
            return Ok(Replies::one(speaker.say(Say::ReminderRefused {
                refusal,
                misspelt: None,
            })));
        }
    };
    move_to(reminders, asked, &record, &schedule, first).await
}

/// Gives an own reminder a new schedule: an edit, or the button of a
/// phrase's other reading.
pub(super) async fn move_to(
    reminders: &Reminders,
    asked: &Asked<'_>,
    record: &TriggerRecord,
    schedule: &ScheduleSpec,
    first: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let (speaker, now) = (asked.speaker, asked.now);
    if record.is_finished() && record.state != TriggerState::Completed {
        return Ok(Replies::one(
            speaker.say(Say::CannotChange { id: record.id }),
        ));
    }
    if let Some(min) = reminders.triggers.too_often(schedule, now) {
        return Ok(Replies::one(speaker.say(Say::RepeatTooOften { min })));
    }
    if let Err(refusal) = reschedule(reminders, asked, record, schedule, first).await? {
        return Ok(refusal);
    }
    let when = describe(speaker, schedule, Some(first), now);
    Ok(Replies::one(speaker.say(Say::Edited {
        id: record.id,
        when: &when,
    })))
}

/// Gives `record` its new schedule, first firing at `first`, unless it
/// changed in between (done, cancelled, edited from another device): then
/// the reply that says it cannot be changed.
async fn reschedule(
    reminders: &Reminders,
    asked: &Asked<'_>,
    record: &TriggerRecord,
    schedule: &ScheduleSpec,
    first: DateTime<Utc>,
) -> Result<Result<(), Replies>, StoreError> {
    let change = Reschedule {
        id: record.id,
        from: record.state,
        schedule,
        next_fire_at: first,
    };
    if reminders.triggers.reschedule(&change, asked.now).await? {
        return Ok(Ok(()));
    }
    let cannot = asked.speaker.say(Say::CannotChange { id: record.id });
    Ok(Err(Replies::one(cannot)))
}
