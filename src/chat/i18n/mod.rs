//! What Herald says, in English, Portuguese (Brazil, Portugal) and French:
//! every message is a `Say`, and each language's catalog writes all of them
//! (the compiler makes sure none is forgotten), with its own way of writing
//! dates, times, repetitions and durations.

pub mod app;
mod bundle;
mod catalog;

mod messages;
mod pt;
mod say;
#[cfg(test)]
mod tests;
mod watch_messages;

pub use say::Say;

use chrono::{Duration, NaiveDate, NaiveDateTime, Weekday};

use crate::domain::language::Language;
use crate::domain::ports::JobPage;
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

static ENGLISH: catalog::Fluent = catalog::Fluent {
    language: Language::English,
};
static FRENCH: catalog::Fluent = catalog::Fluent {
    language: Language::French,
};

pub fn catalog(language: Language) -> &'static dyn Catalog {
    match language {
        Language::English => &ENGLISH,
        Language::BrazilianPortuguese => &pt::Portuguese { european: false },
        Language::EuropeanPortuguese => &pt::Portuguese { european: true },
        Language::French => &FRENCH,
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
