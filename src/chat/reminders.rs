//! Reminders in chat: set one (echoing how it was understood), list them,
//! cancel, pause, resume, snooze and edit them, and the buttons of a fired
//! reminder. A reminder belongs to whoever set it: others in the conversation
//! see it listed but cannot change it.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::i18n::Say;
use super::owners::{OwnerNames, someone_elses};
use super::reminder_buttons::with_other_reading;
use super::replies::Replies;
use super::speaker::Speaker;
use super::turn::Bot;
use crate::botframework::inbound::InboundActivity;
use crate::domain::command::{JobRef, ManageAction};
use crate::domain::conversation::ConversationKey;
use crate::domain::lifecycle::Action;
use crate::domain::person::Person;
use crate::domain::ports::{
    Idempotency, OpenLimits, Reschedule, StoreError, TriggerCreated, TriggerFilter,
};
use crate::domain::reminder::pattern::{self, Pattern, Until};
use crate::domain::reminder::{self, Refusal, When};
use crate::domain::schedule::{ScheduleSpec, Zone};
use crate::domain::trigger::{TriggerKind, TriggerRecord, TriggerState};
use crate::scheduler::control::{Controlled, CreateError, TriggerRequest};

/// Reminders a listing shows.
const LISTED: usize = 20;
/// What a button's or a bare `snooze <id>` snooze lasts.
pub(super) const DEFAULT_SNOOZE: i64 = 10;
/// The `value` of a fired reminder's buttons names this.
pub const BUTTON: &str = "reminder";

/// Reminder limits, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct ReminderLimits {
    pub text_chars: usize,
    /// Caps on open reminders, for the store to check as it adds one.
    pub open: OpenLimits,
}

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
        let mut reminders = Vec::new();
        for state in [TriggerState::Active, TriggerState::Paused] {
            for kind in [TriggerKind::Reminder, TriggerKind::Timer] {
                reminders.extend(
                    self.store
                        .list_triggers(&TriggerFilter {
                            conversation: Some(conversation),
                            kind: Some(kind),
                            state: Some(state),
                            limit: 200,
                            ..TriggerFilter::default()
                        })
                        .await?,
                );
            }
        }
        if reminders.is_empty() {
            return Ok(Replies::one(speaker.say(Say::NoReminders)));
        }
        // Soonest first; paused ones last.
        reminders.sort_by_key(|r| (r.next_fire_at.is_none(), r.next_fire_at, r.id));
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

    /// The reminder `id` names in this conversation, if the speaker may change it.
    pub(super) async fn own_reminder(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        id: &JobRef,
        example: &str,
    ) -> Result<Result<TriggerRecord, Replies>, StoreError> {
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
        let record = self.store.trigger(id).await?.filter(|record| {
            record.conversation == conversation
                && matches!(record.kind, TriggerKind::Reminder | TriggerKind::Timer)
        });
        let Some(record) = record else {
            let id = id.to_string();
            return Ok(Err(Replies::one(
                speaker.say(Say::NoSuchReminder { id: &id }),
            )));
        };
        if let Some(name) =
            someone_elses(self.store.as_ref(), speaker.person(), record.owner.as_ref()).await?
        {
            return Ok(Err(Replies::one(speaker.say(Say::NotYours {
                id: record.id,
                owner: &name,
            }))));
        }
        Ok(Ok(record))
    }

    pub(super) async fn manage_reminder(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        action: ManageAction,
        id: &JobRef,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let example = match action {
            ManageAction::Cancel => "cancel 3",
            ManageAction::Pause => "pause 3",
            ManageAction::Resume => "resume 3",
        };
        let record = match self
            .own_reminder(conversation, speaker, id, example)
            .await?
        {
            Ok(record) => record,
            Err(refusal) => return Ok(refusal),
        };
        let lifecycle = match action {
            ManageAction::Cancel => Action::Cancel,
            ManageAction::Pause => Action::Pause,
            ManageAction::Resume => Action::Resume,
        };
        let id = record.id;
        let reply = match self.triggers.apply(id, lifecycle).await? {
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

    pub(super) async fn snooze_reminder(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        id: &JobRef,
        by: Option<Duration>,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let record = match self
            .own_reminder(conversation, speaker, id, "snooze 3 15m")
            .await?
        {
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
            let created = self
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
            let rescheduled = self
                .store
                .reschedule_trigger(
                    &Reschedule {
                        id: record.id,
                        from: record.state,
                        schedule: &once,
                        next_fire_at: at,
                    },
                    now,
                )
                .await?;
            if !rescheduled {
                return Ok(Replies::one(
                    speaker.say(Say::CannotChange { id: record.id }),
                ));
            }
            self.triggers.woken();
            record.id
        };
        let when = describe(speaker, &once, Some(at), now);
        Ok(Replies::one(speaker.say(Say::Snoozed { id, when: &when })))
    }

    pub(super) async fn edit_reminder(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        id: &JobRef,
        when_text: &str,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let record = match self
            .own_reminder(conversation, speaker, id, "edit 3 at 10:00")
            .await?
        {
            Ok(record) => record,
            Err(refusal) => return Ok(refusal),
        };
        if when_text.trim().is_empty() {
            return Ok(Replies::one(speaker.say(Say::EditNeedsTime)));
        }
        let day_first = !matches!(speaker.language, crate::domain::language::Language::English);
        let parsed =
            reminder::parse_when(when_text, now, speaker.zone, day_first, self.settings.times);
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
        self.move_reminder(&record, &schedule, first, speaker, now)
            .await
    }

    /// Gives an own reminder a new schedule: an edit, or the button of a
    /// phrase's other reading.
    pub(super) async fn move_reminder(
        &self,
        record: &TriggerRecord,
        schedule: &ScheduleSpec,
        first: DateTime<Utc>,
        speaker: &Speaker,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        if record.is_finished() && record.state != TriggerState::Completed {
            return Ok(Replies::one(
                speaker.say(Say::CannotChange { id: record.id }),
            ));
        }
        if let Some(min) = self.triggers.too_often(schedule, now) {
            return Ok(Replies::one(speaker.say(Say::RepeatTooOften { min })));
        }
        let changed = self
            .store
            .reschedule_trigger(
                &Reschedule {
                    id: record.id,
                    from: record.state,
                    schedule,
                    next_fire_at: first,
                },
                now,
            )
            .await?;
        if !changed {
            return Ok(Replies::one(
                speaker.say(Say::CannotChange { id: record.id }),
            ));
        }
        self.triggers.woken();
        let when = describe(speaker, schedule, Some(first), now);
        Ok(Replies::one(speaker.say(Say::Edited {
            id: record.id,
            when: &when,
        })))
    }
}

/// `tomorrow at 09:00`, in the speaker's zone.
pub(super) fn moment(speaker: &Speaker, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let zone: Zone = speaker.zone;
    speaker
        .catalog()
        .moment(zone.local(at), zone.local(now).date())
}

/// How a schedule reads: its next firing for a one-shot; the repetition, its
/// end and its next firing for a recurring one.
pub(super) fn describe(
    speaker: &Speaker,
    schedule: &ScheduleSpec,
    next: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> String {
    let catalog = speaker.catalog();
    let zone = speaker.zone;
    let today = zone.local(now).date();
    let pattern = Pattern::of(schedule);
    if !pattern.is_recurring() {
        return next.map_or_else(String::new, |at| moment(speaker, at, now));
    }
    let until = pattern::until(schedule);
    let local_until = match until {
        Until::Instant(at) => Some(zone.local(at)),
        _ => None,
    };
    let mut text = catalog.repetition(&pattern);
    text.push_str(&catalog.ending(until, today, local_until));
    if let Some(next) = next {
        text.push_str(&catalog.starting(&moment(speaker, next, now)));
    }
    text
}

fn state_word(speaker: &Speaker, state: TriggerState) -> String {
    speaker.catalog().state(state)
}
