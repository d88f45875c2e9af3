//! `Say`: every message Herald sends, with what it needs to say it; the
//! catalog turns each into its Fluent message.

use chrono::Duration;

use super::{WatchProblem, ZoneSource};
use crate::domain::ports::{JobPage, LimitReached};
use crate::domain::reminder::Refusal;
use crate::domain::trigger::TriggerId;

/// One message.
#[derive(Debug, Clone, Copy)]
pub enum Say<'a> {
    Welcome {
        names: &'a [&'a str],
    },
    Help,
    /// A greeting answered: hello back, and how to see what Herald can do
    /// (the welcome listed it already).
    Greeting,
    Hint,
    TextTooLong {
        limit: usize,
    },
    /// The files a web chat message came with, by their (kept) names.
    FilesReceived {
        names: &'a [&'a str],
    },

    JobStarted(TriggerId),
    JobLimit(LimitReached),
    JobCompletedHere(TriggerId),
    JobAlreadyCompleted(TriggerId),
    NoSuchJob(&'a str),
    JobIdNeeded,
    JobEventNeedsId,
    JobCompletedNotice(i64),
    JobLog {
        page: &'a JobPage,
        number: u32,
        size: u32,
    },

    /// A reminder firing; `late` is its due time as shown and how late it is.
    Fired {
        text: &'a str,
        late: Option<(&'a str, Duration)>,
        missed: bool,
    },
    SnoozeButton {
        minutes: u32,
    },
    DoneButton,

    /// `when` is a `moment` or a `repetition` already written.
    ReminderSet {
        when: &'a str,
        zone: &'a str,
        text: &'a str,
    },
    ReminderRefused {
        refusal: Refusal,
        misspelt: Option<(&'a str, &'a str)>,
    },
    /// After `ReminderSet` for a phrase that read two ways: the other.
    OtherReading {
        when: &'a str,
    },
    OtherReadingButton {
        when: &'a str,
    },
    /// A task understood without a time: `asked` is the message up to it.
    ReminderNoTime {
        asked: &'a str,
        task: &'a str,
    },
    /// A repeat more often than the shortest one allowed.
    RepeatTooOften {
        min: Duration,
    },
    ReminderTextTooLong {
        limit: usize,
    },
    ReminderLimit(LimitReached),
    NoReminders,
    Reminders {
        count: usize,
        shown: usize,
    },
    ReminderLine {
        id: TriggerId,
        when: &'a str,
        text: &'a str,
        owner: Option<&'a str>,
        paused: bool,
    },
    NoSuchReminder {
        id: &'a str,
    },
    ReminderIdNeeded {
        example: &'a str,
    },
    NotYours {
        id: TriggerId,
        owner: &'a str,
    },
    Cancelled {
        id: TriggerId,
    },
    Paused {
        id: TriggerId,
    },
    Resumed {
        id: TriggerId,
        next: &'a str,
    },
    Unchanged {
        id: TriggerId,
        state: &'a str,
    },
    CannotChange {
        id: TriggerId,
    },
    Snoozed {
        id: TriggerId,
        when: &'a str,
    },
    SnoozeNeedsDuration,
    Edited {
        id: TriggerId,
        when: &'a str,
    },
    EditNeedsTime,
    Acknowledged {
        next: Option<&'a str>,
    },

    /// A watched price crossed its line: what it is now, the rule (as
    /// `Catalog::rule` writes it), the change since the watch started.
    PriceAlert {
        symbol: &'a str,
        source: &'a str,
        price: &'a str,
        rule: &'a str,
        change: &'a str,
        base: &'a str,
        sparkline: &'a str,
    },
    SourceStalled {
        source: &'a str,
        symbol: &'a str,
        watch: i64,
        reason: &'a str,
    },
    SourceRecovered {
        source: &'a str,
        symbol: &'a str,
        watch: i64,
    },
    SymbolUnpriced {
        source: &'a str,
        symbol: &'a str,
        watch: i64,
        reason: &'a str,
    },
    SymbolPricedAgain {
        source: &'a str,
        symbol: &'a str,
        watch: i64,
    },
    WatchSet {
        id: i64,
        symbol: &'a str,
        source: &'a str,
        rule: &'a str,
        now: Option<&'a str>,
    },
    WatchRefused {
        problem: WatchProblem<'a>,
    },
    NoWatches,
    Watches {
        count: usize,
    },
    WatchLine {
        id: i64,
        symbol: &'a str,
        source: &'a str,
        rule: &'a str,
        last: Option<&'a str>,
        stalled: bool,
        owner: Option<&'a str>,
    },
    NoSuchWatch {
        id: &'a str,
    },
    NotYourWatch {
        id: i64,
        owner: &'a str,
    },
    Unwatched {
        id: i64,
    },
    WatchLimit(LimitReached),

    TimezoneSet {
        zone: &'a str,
    },
    TimezoneIs {
        zone: &'a str,
        source: ZoneSource,
    },
    TimezoneUnknown {
        typed: &'a str,
        suggestions: &'a [&'a str],
    },
    LanguageSet,
    LanguageUnknown {
        typed: &'a str,
    },
    QuietSet {
        from: &'a str,
        to: &'a str,
    },
    QuietOff,
    QuietInvalid,
    OffsetMismatch {
        offset: &'a str,
        zone: &'a str,
        suggestions: &'a [&'a str],
    },

    /// `forget me`: the card's question and its two buttons.
    ForgetQuestion,
    ForgetYes,
    ForgetNo,
    ForgetCancelled,
    /// `channel` is the channel's id (`msteams`, `webchat` …), shown as code.
    ForgetDone {
        items: u64,
        channel: &'a str,
    },
}
