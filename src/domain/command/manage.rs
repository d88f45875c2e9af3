//! The commands that name a reminder, a watch or a setting: `reminders`,
//! `cancel 3`, `snooze 3 15m`, `edit 3 at 10:00`, `timezone …`, `quiet …`.

use super::words::Message;
use super::{Command, JobRef, ManageAction, QuietSetting};
use crate::domain::reminder::languages::CommandWord;
use crate::domain::user::QuietHours;

/// The command, if the message is one of these.
pub(super) fn parse(message: &Message) -> Option<Command> {
    if message.words().is_empty() {
        return None;
    }
    if message.is(CommandWord::Reminders).is_some() {
        return Some(Command::Reminders);
    }
    if message.is(CommandWord::Watches).is_some() {
        return Some(Command::Watches);
    }
    if let Some(rest) = message.after(CommandWord::Unwatch) {
        return Some(Command::Unwatch(one_id(rest)));
    }
    for (command, action) in [
        (CommandWord::Cancel, ManageAction::Cancel),
        (CommandWord::Pause, ManageAction::Pause),
        (CommandWord::Resume, ManageAction::Resume),
    ] {
        if let Some(rest) = message.after(command) {
            let id = one_id(rest);
            return Some(Command::Manage { action, id });
        }
    }
    if let Some(rest) = message.after(CommandWord::Snooze) {
        let (id, by) = match rest {
            [] => (JobRef::Missing, None),
            [id] => (JobRef::parse(id), None),
            [id, by @ ..] => (JobRef::parse(id), snooze_duration(&by.join(" "))),
        };
        return Some(Command::Snooze { id, by });
    }
    if let Some(rest) = message.after(CommandWord::Edit) {
        let Some(id) = rest.first() else {
            return Some(Command::Edit {
                id: JobRef::Missing,
                when: String::new(),
            });
        };
        // The time part as typed (accents and case kept), after the id.
        let skip = message.words().len() - rest.len() + 1;
        return Some(Command::Edit {
            id: JobRef::parse(id),
            when: message.typed_from(skip).join(" "),
        });
    }
    if message.is(CommandWord::MyTimezone).is_some() {
        return Some(Command::Timezone(None));
    }
    if let Some(rest) = message.after(CommandWord::Timezone) {
        // Zone names are case-sensitive: take what was typed.
        let typed = message.typed_from(message.words().len() - rest.len());
        return Some(Command::Timezone(
            (!typed.is_empty()).then(|| typed.join(" ")),
        ));
    }
    if let Some(rest) = message.after(CommandWord::Language) {
        return (!rest.is_empty()).then(|| Command::Language(rest.join(" ")));
    }
    if let Some(rest) = message.after(CommandWord::Quiet) {
        let setting = match rest {
            [] => QuietSetting::Invalid,
            [_] if super::words::after(rest, CommandWord::Off).is_some() => QuietSetting::Off,
            hours => {
                QuietHours::parse(&hours.join("")).map_or(QuietSetting::Invalid, QuietSetting::Set)
            }
        };
        return Some(Command::Quiet(setting));
    }
    None
}

/// The id after a command that takes exactly one.
fn one_id(rest: &[String]) -> JobRef {
    match rest {
        [id] => JobRef::parse(id),
        _ => JobRef::Missing,
    }
}

/// `15m`, `1h`, `10 minutes`, `uma hora` after `snooze <id>`.
fn snooze_duration(text: &str) -> Option<chrono::Duration> {
    let compact: String = text.split_whitespace().collect();
    if let Ok(duration) = crate::domain::schedule::parse_duration(&compact) {
        return Some(duration).filter(|d| *d > chrono::Duration::zero());
    }
    crate::domain::reminder::parse_duration_words(text).filter(|d| *d > chrono::Duration::zero())
}
