//! How a reminder reads in a reply: its moment, its schedule, its state,
//! and the names its buttons carry.

use chrono::{DateTime, Utc};

use super::speaker::Speaker;
use crate::domain::reminder::pattern::{self, Pattern, Until};
use crate::domain::schedule::{ScheduleSpec, Zone};
use crate::domain::trigger::TriggerState;

/// What a button's or a bare `snooze <id>` snooze lasts.
pub(super) const DEFAULT_SNOOZE: i64 = 10;
/// The `value` of a fired reminder's buttons names this.
pub const BUTTON: &str = "reminder";

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

pub(super) fn state_word(speaker: &Speaker, state: TriggerState) -> String {
    speaker.catalog().state(state)
}
