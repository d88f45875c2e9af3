//! The chat command grammar: text in, a `Command` out — the job log's
//! commands, greetings, and managing reminders, watches and settings in
//! English, Portuguese and French. The words are the language files'
//! `[commands]` tables (`words.rs` reads them); `manage.rs` reads the
//! commands that name a reminder, a watch or a setting. Setting a reminder
//! itself (`remind me …`) needs the user's time and zone: `Command::Remind`
//! hands it to `reminder::parse`.

mod manage;
#[cfg(test)]
mod tests;
mod words;

use super::language::Language;
use super::reminder::Spoken;
use super::reminder::languages::CommandWord;
use super::trigger::TriggerId;
use super::user::QuietHours;
use words::Message;

/// What a chat message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `run`, `run job`: start a job.
    Run,
    /// `show`, `show jobs`, optionally with a page number (`show 2`, `show jobs page 2`).
    Show { page: u32 },
    /// `done <id>`.
    Done(JobRef),
    /// `help` (`ajuda`, `aide`), `?`.
    Help,
    /// `hello`, `hi Herald`, `bom dia`, `bonjour` …: greeted back.
    Greeting,
    /// `forget me` (`esqueça-me`, `oublie-moi` …): asks to delete what Herald keeps about the user.
    ForgetMe(Language),
    /// Starts like a reminder (`remind me …`, `lembre-me …`, `rappelle-moi …`).
    Remind,
    /// `reminders`, `lembretes`, `rappels`: lists this conversation's reminders.
    Reminders,
    /// `cancel 3`, `pause 3`, `resume 3` (and their translations).
    Manage { action: ManageAction, id: JobRef },
    /// `snooze 3 15m`, `adiar 3 1h`, `reporter 3 10 minutes`.
    Snooze {
        id: JobRef,
        by: Option<chrono::Duration>,
    },
    /// `edit 3 at 10:00`: the time part as typed.
    Edit { id: JobRef, when: String },
    /// `timezone Europe/Lisbon`; `None` for `my timezone` (show it).
    Timezone(Option<String>),
    /// `language pt`.
    Language(String),
    /// `quiet 22:00-07:00`, `quiet off`.
    Quiet(QuietSetting),
    /// Starts like a price watch (`watch …`, `alert me when …`, `avise-me
    /// quando …`, `préviens-moi quand …`): `price::command::parse` reads it.
    Watch,
    /// `watches`, `alertas`, `alertes`: lists this conversation's price watches.
    Watches,
    /// `unwatch 3`, `parar alerta 3`, `annuler alerte 3`.
    Unwatch(JobRef),
    /// Anything else.
    Unrecognised,
}

/// What `cancel`, `pause` and `resume` ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManageAction {
    Cancel,
    Pause,
    Resume,
}

/// What `quiet …` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuietSetting {
    Set(QuietHours),
    Off,
    /// Not readable as hours.
    Invalid,
}

/// The id part of `done <id>`, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRef {
    /// A number that can name a job.
    Id(TriggerId),
    /// All digits, but no job can have it (zero, or beyond 64 bits). Kept for the reply.
    OutOfRange(String),
    /// Nothing, or something that is not a number.
    Missing,
}

impl JobRef {
    /// Reads a job id as sent in chat or in an event's `value` text.
    pub fn parse(text: &str) -> Self {
        let digits = text.trim().trim_start_matches('#');
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Self::Missing;
        }
        match digits.parse::<i64>().ok().and_then(TriggerId::new) {
            Some(id) => Self::Id(id),
            None => Self::OutOfRange(digits.to_owned()),
        }
    }
}

impl Command {
    /// Parses one message. Case, accents, surrounding space and a trailing
    /// full stop, exclamation or question mark do not matter.
    pub fn parse(text: &str) -> Self {
        if crate::domain::price::command::parse(text).is_some() {
            return Self::Watch;
        }
        if crate::domain::reminder::starts_like_a_reminder(text) {
            return Self::Remind;
        }
        let message = Message::new(text);
        manage::parse(&message)
            .or_else(|| Self::seed_or_greeting(&message))
            // `tomorrow 9am to call the bank`: after every command, so no
            // command's words are ever taken for a task.
            .or_else(|| crate::domain::reminder::is_time_then_task(text).then_some(Self::Remind))
            .unwrap_or(Self::Unrecognised)
    }

    /// The job log's commands, help, a greeting, `forget me`.
    fn seed_or_greeting(message: &Message) -> Option<Self> {
        if message.is(CommandWord::Help).is_some() {
            return Some(Self::Help);
        }
        if let Some(rest) = message.after(CommandWord::Run) {
            return rest.is_empty().then_some(Self::Run);
        }
        if let Some(rest) = message.after(CommandWord::Show) {
            return parse_page(rest).map(|page| Self::Show { page });
        }
        if let Some(rest) = message.after(CommandWord::Done) {
            return Some(Self::Done(match rest {
                [id] => JobRef::parse(id),
                _ => JobRef::Missing,
            }));
        }
        if message.is_greeting() {
            return Some(Self::Greeting);
        }
        let spoken = message.is(CommandWord::ForgetMe)?;
        Some(Self::ForgetMe(match spoken {
            Spoken::English => Language::English,
            Spoken::Portuguese => Language::BrazilianPortuguese,
            Spoken::French => Language::French,
        }))
    }
}

/// After `show`: nothing, `2` or `page 2`.
fn parse_page(words: &[String]) -> Option<u32> {
    let number = match (words, words::after(words, CommandWord::Page)) {
        ([], _) => return Some(1),
        (_, Some(([n], _))) | ([n], None) => n,
        _ => return None,
    };
    number.parse::<u32>().ok().filter(|page| *page >= 1)
}
