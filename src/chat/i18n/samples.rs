//! One of each `Say` (each variant, each case a file tells apart), for the
//! tests that format every message in every language.

use chrono::Duration;

use super::{Say, WatchProblem, ZoneSource};
use crate::domain::ports::{JobPage, LimitReached};
use crate::domain::reminder::Refusal;
use crate::domain::trigger::TriggerId;

pub(super) fn samples() -> Vec<Say<'static>> {
    let id = TriggerId::new(7).expect("positive");
    static EMPTY: JobPage = JobPage {
        items: Vec::new(),
        total: 0,
    };
    static GONE: JobPage = JobPage {
        items: Vec::new(),
        total: 30,
    };
    let mut says = vec![
        Say::Welcome { names: &[] },
        Say::Welcome {
            names: &["Ana", "Rui"],
        },
        Say::Welcome {
            names: &["a", "b", "c", "d", "e", "f", "g"],
        },
        Say::Help,
        Say::Greeting,
        Say::Hint,
        Say::TextTooLong { limit: 4000 },
        Say::FilesReceived { names: &["a.txt"] },
        Say::FilesReceived {
            names: &["a.txt", "b.png"],
        },
        Say::JobStarted(id),
        Say::JobLimit(LimitReached::Conversation(5)),
        Say::JobLimit(LimitReached::User(5)),
        Say::JobCompletedHere(id),
        Say::JobAlreadyCompleted(id),
        Say::NoSuchJob("x"),
        Say::JobIdNeeded,
        Say::JobEventNeedsId,
        Say::JobCompletedNotice(3),
        Say::JobLog {
            page: &EMPTY,
            number: 1,
            size: 10,
        },
        Say::JobLog {
            page: &GONE,
            number: 9,
            size: 10,
        },
        Say::Fired {
            text: "call Ana",
            late: None,
            missed: false,
        },
        Say::Fired {
            text: "",
            late: Some(("today at 09:00", Duration::minutes(5))),
            missed: false,
        },
        Say::Fired {
            text: "x",
            late: Some(("today at 09:00", Duration::hours(3))),
            missed: true,
        },
        Say::SnoozeButton { minutes: 15 },
        Say::SnoozeButton { minutes: 60 },
        Say::DoneButton,
        Say::ReminderSet {
            when: "tomorrow at 09:00",
            zone: "UTC",
            text: "x",
        },
        Say::ReminderRefused {
            refusal: Refusal::When,
            misspelt: Some(("tomorow", "tomorrow")),
        },
        Say::OtherReading { when: "at 21:00" },
        Say::OtherReadingButton { when: "at 21:00" },
        Say::ReminderNoTime {
            asked: "remind me",
            task: "call Ana",
        },
        Say::RepeatTooOften {
            min: Duration::minutes(5),
        },
        Say::ReminderTextTooLong { limit: 500 },
        Say::ReminderLimit(LimitReached::User(50)),
        Say::ReminderLimit(LimitReached::Conversation(50)),
        Say::NoReminders,
        Say::Reminders { count: 1, shown: 1 },
        Say::Reminders {
            count: 30,
            shown: 20,
        },
        Say::ReminderLine {
            id,
            when: "today",
            text: "x",
            owner: Some("Ana"),
            paused: true,
        },
        Say::ReminderLine {
            id,
            when: "today",
            text: "x",
            owner: None,
            paused: false,
        },
        Say::NoSuchReminder { id: "9" },
        Say::ReminderIdNeeded {
            example: "cancel 3",
        },
        Say::NotYours { id, owner: "Ana" },
        Say::Cancelled { id },
        Say::Paused { id },
        Say::Resumed { id, next: "today" },
        Say::Unchanged {
            id,
            state: "paused",
        },
        Say::CannotChange { id },
        Say::Snoozed { id, when: "today" },
        Say::SnoozeNeedsDuration,
        Say::Edited { id, when: "today" },
        Say::EditNeedsTime,
        Say::Acknowledged {
            next: Some("today"),
        },
        Say::Acknowledged { next: None },
        Say::PriceAlert {
            symbol: "btc",
            source: "c",
            price: "1",
            rule: "r",
            change: "+1%",
            base: "1",
            sparkline: "▁▂",
        },
        Say::SourceStalled {
            source: "c",
            symbol: "btc",
            watch: 1,
            reason: "r",
        },
        Say::SourceRecovered {
            source: "c",
            symbol: "btc",
            watch: 1,
        },
        Say::SymbolUnpriced {
            source: "c",
            symbol: "btc",
            watch: 1,
            reason: "r",
        },
        Say::SymbolPricedAgain {
            source: "c",
            symbol: "btc",
            watch: 1,
        },
        Say::WatchSet {
            id: 1,
            symbol: "btc",
            source: "c",
            rule: "r",
            now: Some("1"),
        },
        Say::WatchSet {
            id: 1,
            symbol: "btc",
            source: "c",
            rule: "r",
            now: None,
        },
        Say::NoWatches,
        Say::Watches { count: 2 },
        Say::WatchLine {
            id: 1,
            symbol: "b",
            source: "c",
            rule: "r",
            last: Some("1"),
            stalled: true,
            owner: Some("A"),
        },
        Say::WatchLine {
            id: 1,
            symbol: "b",
            source: "c",
            rule: "r",
            last: None,
            stalled: false,
            owner: None,
        },
        Say::NoSuchWatch { id: "1" },
        Say::NotYourWatch {
            id: 1,
            owner: "Ana",
        },
        Say::Unwatched { id: 1 },
        Say::WatchLimit(LimitReached::User(20)),
        Say::WatchLimit(LimitReached::Conversation(20)),
        Say::TimezoneSet { zone: "UTC" },
        Say::TimezoneUnknown {
            typed: "x",
            suggestions: &[],
        },
        Say::TimezoneUnknown {
            typed: "x",
            suggestions: &["Europe/Lisbon"],
        },
        Say::LanguageSet,
        Say::LanguageUnknown { typed: "x" },
        Say::QuietSet {
            from: "22:00",
            to: "07:00",
        },
        Say::QuietOff,
        Say::QuietInvalid,
        Say::OffsetMismatch {
            offset: "+01:00",
            zone: "UTC",
            suggestions: &[],
        },
        Say::OffsetMismatch {
            offset: "+01:00",
            zone: "UTC",
            suggestions: &["Europe/Lisbon", "Africa/Lagos"],
        },
        Say::ForgetQuestion,
        Say::ForgetYes,
        Say::ForgetNo,
        Say::ForgetCancelled,
        Say::ForgetDone {
            items: 2,
            channel: "msteams",
        },
    ];
    for refusal in super::tests::REFUSALS {
        says.push(Say::ReminderRefused {
            refusal,
            misspelt: None,
        });
    }
    for source in [
        ZoneSource::Setting,
        ZoneSource::Channel,
        ZoneSource::Default,
    ] {
        says.push(Say::TimezoneIs {
            zone: "UTC",
            source,
        });
    }
    for problem in [
        WatchProblem::Unclear,
        WatchProblem::UnknownSource {
            source: "x",
            known: "",
        },
        WatchProblem::UnknownSource {
            source: "x",
            known: "a, b",
        },
        WatchProblem::NoPrice {
            source: "c",
            symbol: "b",
            reason: "r",
        },
        WatchProblem::NeedsBase {
            source: "c",
            symbol: "b",
        },
    ] {
        says.push(Say::WatchRefused { problem });
    }
    says
}
