//! The chat commands the language files name in their `[commands]` table
//! (`help`, `cancel`, `forget_me` …), so `domain::command` asks for a
//! command's phrases and holds no word of any language.

use serde::Deserialize;

/// A command, as the language files name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandWord {
    /// The job log's `run`, `run job`.
    Run,
    /// The job log's `show`, `show jobs`.
    Show,
    /// Before a page number, after `show` (`page 2`).
    Page,
    /// The job log's `done <id>`.
    Done,
    /// `help`, `ajuda`, `aide`.
    Help,
    /// `hello`, `bom dia`, `bonjour`: a whole message.
    Greeting,
    /// `forget me`, `esqueça-me`, `oublie-moi`: a whole message.
    ForgetMe,
    /// Lists the conversation's reminders: a whole message.
    Reminders,
    /// `cancel <id>`.
    Cancel,
    /// `pause <id>`.
    Pause,
    /// `resume <id>`.
    Resume,
    /// `snooze <id> [for how long]`.
    Snooze,
    /// `edit <id> <when>`.
    Edit,
    /// `timezone <zone>`.
    Timezone,
    /// Asks which zone is set: a whole message.
    MyTimezone,
    /// Lists the conversation's price watches: a whole message.
    Watches,
    /// `unwatch <id>`.
    Unwatch,
    /// `language <code>`.
    Language,
    /// `quiet <hours>`.
    Quiet,
    /// `off` after `quiet`.
    Off,
}

#[cfg(test)]
impl CommandWord {
    /// The job log's commands: the seed sample's, in English only, so the
    /// other files may leave them out.
    pub const JOB_LOG: [CommandWord; 4] = [Self::Run, Self::Show, Self::Page, Self::Done];

    /// Every command, which each file has (the job log's aside).
    pub const ALL: [CommandWord; 20] = [
        Self::Run,
        Self::Show,
        Self::Page,
        Self::Done,
        Self::Help,
        Self::Greeting,
        Self::ForgetMe,
        Self::Reminders,
        Self::Cancel,
        Self::Pause,
        Self::Resume,
        Self::Snooze,
        Self::Edit,
        Self::Timezone,
        Self::MyTimezone,
        Self::Watches,
        Self::Unwatch,
        Self::Language,
        Self::Quiet,
        Self::Off,
    ];
}
