//! What Herald says, in English, Portuguese (Brazil, Portugal) and French:
//! every message is a `Say`, and each language's catalog writes all of them
//! (the compiler makes sure none is forgotten), with its own way of writing
//! dates, times, repetitions and durations.

pub mod app;
mod en;
mod fr;
mod pt;

use chrono::{Duration, NaiveDate, NaiveDateTime, Weekday};

use crate::domain::language::Language;
use crate::domain::ports::{JobPage, LimitReached};
use crate::domain::price::{FetchError, Rule, show};
use crate::domain::reminder::Refusal;
use crate::domain::reminder::pattern::{Pattern, Until};
use crate::domain::trigger::{TriggerId, TriggerState};

/// Where the time zone in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    /// The user's `timezone` setting.
    Setting,
    /// The channel's `localTimezone`.
    Channel,
    /// Herald's configured default.
    Default,
}

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
    ReminderLimit {
        per_user: bool,
        limit: u32,
    },
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
    WatchLimit {
        per_user: bool,
        limit: u32,
    },

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
}

/// Why a watch was not set.
#[derive(Debug, Clone, Copy)]
pub enum WatchProblem<'a> {
    /// The request itself (no symbol, no rule, a bad number…).
    Unclear,
    UnknownSource {
        source: &'a str,
        known: &'a str,
    },
    /// The source did not give a price for the symbol.
    NoPrice {
        source: &'a str,
        symbol: &'a str,
        reason: &'a str,
    },
    /// A relative rule on a push-only source that has no price yet.
    NeedsBase {
        source: &'a str,
        symbol: &'a str,
    },
}

/// A language's way of saying things.
pub trait Catalog: Sync {
    fn say(&self, what: Say<'_>) -> String;
    fn weekday(&self, day: Weekday) -> &'static str;
    fn month(&self, month: u32) -> &'static str;
    /// A date near `today` (`today`, `tomorrow`, `Friday 24 December`).
    fn date(&self, date: NaiveDate, today: NaiveDate) -> String;
    /// A local date and time (`tomorrow at 09:00`, `on Friday 24 December at 18:00`).
    fn moment(&self, at: NaiveDateTime, today: NaiveDate) -> String;
    /// What repeats (`every day at 09:00`).
    fn repetition(&self, pattern: &Pattern) -> String;
    /// How a repetition ends (`, 5 times`); empty when it does not.
    fn ending(&self, until: Until, today: NaiveDate, local_until: Option<NaiveDateTime>) -> String;
    /// `1 h 30 min`.
    fn duration(&self, duration: Duration) -> String;
    /// After a repetition, when it next fires (`, next tomorrow at 09:00`).
    fn starting(&self, moment: &str) -> String;
    /// A trigger's state (`paused`).
    fn state(&self, state: TriggerState) -> String;
    /// A watch's rule as a verb phrase (`goes below 30000 USD`, `drops 20%`, `hits a new low`).
    fn rule(&self, rule: &Rule, currency: Option<&str>) -> String;
    /// Why a source gave no price (`the source did not answer in time`).
    fn problem(&self, problem: &FetchError) -> String;
}

pub fn catalog(language: Language) -> &'static dyn Catalog {
    match language {
        Language::English => &en::English,
        Language::BrazilianPortuguese => &pt::Portuguese { european: false },
        Language::EuropeanPortuguese => &pt::Portuguese { european: true },
        Language::French => &fr::French,
    }
}

/// `09:05`.
pub fn clock(at: NaiveDateTime) -> String {
    at.format("%H:%M").to_string()
}

/// The parts of a duration worth saying, largest first, at most two.
fn duration_parts(duration: Duration) -> Vec<(i64, usize)> {
    let seconds = duration.num_seconds().max(0);
    let parts = [
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    ];
    let first = parts.iter().position(|n| *n > 0).unwrap_or(3);
    parts
        .iter()
        .enumerate()
        .skip(first)
        .take(2)
        .filter(|(_, n)| **n > 0)
        .map(|(unit, n)| (*n, unit))
        .collect()
}

/// Text a person provided (a reminder's words, a name, an unknown zone or
/// language they typed), shown as text: Markdown and HTML marks are escaped,
/// so it is never read as formatting, a link, a card or a mention; control
/// and bidi characters are dropped (names are not cleaned on the way in).
/// Every such string a catalog writes goes through here.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if crate::domain::text::unfit_for_text(c) => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            other => out.push(other),
        }
    }
    out
}

/// Names people gave themselves (a welcome's), each shown as text.
fn plain_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| plain(name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lists of names joined the way `and` works in each language.
fn join_with(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// The job log, with each language's words.
struct JobLogWords {
    empty: &'static str,
    title: &'static str,
    job: &'static str,
    jobs: &'static str,
    page_of: fn(u32, u64) -> String,
    no_page: fn(u32, u64) -> String,
    next_page: fn(u32) -> String,
    line: fn(&str, &str, bool) -> String,
}

fn job_log(page: &JobPage, number: u32, size: u32, words: &JobLogWords) -> String {
    if page.total == 0 {
        return words.empty.to_owned();
    }
    let pages = page.total.div_ceil(u64::from(size.max(1)));
    if page.items.is_empty() {
        return (words.no_page)(number, pages);
    }
    let noun = if page.total == 1 {
        words.job
    } else {
        words.jobs
    };
    let mut text = format!("**{}** ({} {noun}", words.title, page.total);
    if pages > 1 {
        text.push_str(", ");
        text.push_str(&(words.page_of)(number, pages));
    }
    text.push_str(")\n\n");
    for job in &page.items {
        let id = job.id.to_string();
        let label = conversation_label(&job.conversation_id);
        text.push_str(&(words.line)(&id, &label, job.is_completed()));
        text.push('\n');
    }
    if u64::from(number) < pages {
        text.push('\n');
        text.push_str(&(words.next_page)(number + 1));
    }
    text
}

fn conversation_label(conversation_id: &str) -> String {
    let head = conversation_id.split('|').next().unwrap_or(conversation_id);
    shorten(head, 40).replace('`', "'")
}

/// Text for inside a code span (an example to copy), where Markdown escapes
/// do not work: no backticks, no line breaks, nothing invisible.
pub fn in_code(text: &str) -> String {
    text.chars()
        .filter(|c| !crate::domain::text::unfit_for_text(*c))
        .map(|c| match c {
            '`' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect()
}

pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max_chars).collect();
        short.push('…');
        short
    }
}

/// How many names a welcome lists before "and N more".
const MAX_WELCOMED_NAMES: usize = 5;

/// A percentage for messages: `20`, `2.5` (trailing zeros dropped).
pub fn percent(value: &rust_decimal::Decimal) -> String {
    value.normalize().to_string()
}

/// A price in a rule, with its currency.
pub fn amount(value: &rust_decimal::Decimal, currency: Option<&str>) -> String {
    show(*value, currency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_never_formatting() {
        assert_eq!(
            plain("**bold** <at>Ana</at> [x](y)"),
            "\\*\\*bold\\*\\* &lt;at&gt;Ana&lt;/at&gt; \\[x\\](y)"
        );
        assert_eq!(plain("call Ana at 9"), "call Ana at 9");
    }

    #[test]
    fn why_a_source_gave_no_price_is_said_in_each_language() {
        let say = |language, problem: FetchError| catalog(language).problem(&problem);
        assert_eq!(
            say(Language::English, FetchError::Timeout),
            "the source did not answer in time"
        );
        assert_eq!(
            say(Language::BrazilianPortuguese, FetchError::Timeout),
            "a fonte não respondeu a tempo"
        );
        assert_eq!(
            say(
                Language::EuropeanPortuguese,
                FetchError::Unreachable("no such host".to_owned())
            ),
            "não consigo contactar a fonte: no such host"
        );
        assert_eq!(
            say(
                Language::French,
                FetchError::NoPrice("/bitcoin/usd".to_owned())
            ),
            "aucun prix à /bitcoin/usd dans la réponse"
        );
    }

    #[test]
    fn portuguese_welcomes_as_each_country_speaks() {
        let names = ["Ana"];
        let welcome = |language| catalog(language).say(Say::Welcome { names: &names });
        assert!(welcome(Language::BrazilianPortuguese).starts_with(
            "Olá, Ana! Sou o Herald. Eu te lembro de coisas, mantenho um registro de jobs"
        ));
        assert!(welcome(Language::EuropeanPortuguese).starts_with(
            "Olá, Ana! Sou o Herald. Lembro-o de coisas, mantenho um registo de jobs"
        ));
    }

    #[test]
    fn every_language_says_every_refusal_with_an_example() {
        for language in Language::ALL {
            let catalog = catalog(language);
            for refusal in [
                Refusal::Past,
                Refusal::Date,
                Refusal::Text,
                Refusal::Far,
                Refusal::When,
            ] {
                let text = catalog.say(Say::ReminderRefused {
                    refusal,
                    misspelt: None,
                });
                assert!(text.contains('`'), "{language:?} {refusal:?}: {text}");
            }
            let min = Duration::minutes(5);
            let text = catalog.say(Say::RepeatTooOften { min });
            assert!(
                text.contains("5 min") && text.contains('`'),
                "{language:?}: {text}"
            );
        }
    }

    #[test]
    fn durations_keep_two_parts() {
        let english = catalog(Language::English);
        assert_eq!(english.duration(Duration::seconds(5400)), "1 h 30 min");
        assert_eq!(english.duration(Duration::seconds(90_061)), "1 day 1 h");
        assert_eq!(english.duration(Duration::zero()), "0 s");
    }
}
