//! What Herald says, in English, Portuguese (Brazil, Portugal) and French:
//! every message is a `Say`; one catalog turns it into a Project Fluent
//! message of the language's `locales/<tag>.ftl` (each file complete on its
//! own, checked by the tests), with the `Catalog` trait for dates, times,
//! repetitions and durations, and the escaping helpers arguments go through.

pub mod app;
mod bundle;
mod catalog;
mod messages;
#[cfg(test)]
mod readings;
#[cfg(test)]
mod samples;
mod say;
#[cfg(test)]
mod tests;
mod watch_messages;

pub use say::Say;

use chrono::{Duration, NaiveDate, NaiveDateTime, Weekday};

use crate::domain::language::Language;
use crate::domain::price::{FetchError, Rule, show};
use crate::domain::reminder::pattern::{Pattern, Until};
use crate::domain::trigger::TriggerState;

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
    fn weekday(&self, day: Weekday) -> String;
    fn month(&self, month: u32) -> String;
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

/// One catalog per language, in `Language::ALL`'s order.
static CATALOGS: std::sync::LazyLock<Vec<catalog::Fluent>> = std::sync::LazyLock::new(|| {
    Language::ALL
        .into_iter()
        .map(|language| catalog::Fluent { language })
        .collect()
});

pub fn catalog(language: Language) -> &'static dyn Catalog {
    &CATALOGS[language.index()]
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
