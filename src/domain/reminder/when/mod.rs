//! The time part of a reminder, from tokens to what was said (`When`), not yet
//! placed in time: `in 10 minutes`, `tomorrow at 9am`, `on 24 December at
//! 18:00`, `every monday and thursday at 10:00 until friday`, `"0 9 * * *"`.
//! `resolve` turns a `When` into a schedule with the user's "now" and zone.

use chrono::{Duration, Weekday};

mod absolute;
mod alternate;
mod clock;
mod clock_words;
mod dates;
mod ending;
mod parts;
mod recurring;
mod relative;
mod weekdays;

pub use parts::TimeDefaults;

use super::languages::{Role, WordRoles, lexicon};
use super::terms::Refusal;
pub use super::terms::{Nth, NumericDates, Part};
use super::tokens::{Kind, Token};

/// A wall-clock time of day. `24:00` is kept as such: it is midnight at the
/// end of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub hour: u32,
    pub minute: u32,
    /// Whether the other half of the day could be meant.
    pub half: Half,
}

/// How surely a time of day is in the half of the day it reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// Said (`7pm`, `19:00`, `7h`, `7 in the morning`, `noon`): one reading.
    Known,
    /// `5:30` in English, which writes times on a twelve-hour dial: read as
    /// written, the afternoon offered.
    AsWritten,
    /// `9:30` in English: the morning, as written; said with no day once
    /// that time has passed today, this evening's is offered beside
    /// tomorrow morning's.
    Morning,
    /// `at 7`, `half past 4`, `às 4 e meia`: either half, the likelier one
    /// chosen by when it is said.
    Either,
}

impl Day {
    /// The date a `WeekdayDate` names, without its weekday; any other day
    /// as it is.
    pub const fn without_weekday(self) -> Self {
        match self {
            Self::WeekdayDate {
                day, month: None, ..
            } => Self::MonthDay(day),
            Self::WeekdayDate {
                day,
                month: Some(month),
                year,
                ..
            } => Self::Date {
                day,
                month,
                year,
                either_order: false,
            },
            other => other,
        }
    }
}

impl Clock {
    /// A time of day that reads one way.
    pub const fn new(hour: u32, minute: u32) -> Self {
        Self {
            hour,
            minute,
            half: Half::Known,
        }
    }

    /// The same time in the other half of the day (`7:00` ↔ `19:00`).
    pub const fn other_half(self) -> Self {
        Self::new((self.hour + 12) % 24, self.minute)
    }
}

/// A day, as said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Today,
    Tomorrow,
    AfterTomorrow,
    /// `in 4 days at 11`: that many days after today.
    InDays(u32),
    /// `in 3 months at 9am`: that many calendar months after today (the
    /// month's last day when it is shorter).
    InMonths(u32),
    /// `next month`, `mês que vem`: its first day.
    NextMonth,
    /// `next year`, `l'année prochaine`: its first day.
    NextYear,
    /// `on the 22nd`, `no dia 22`, `le 22`: the next such day of a month.
    MonthDay(u32),
    /// `the 3rd of next month`, `dia 3 do mês que vem`: that day of it.
    OfNextMonth(u32),
    /// `yesterday`, `ontem`, `hier`: always past.
    Yesterday,
    /// `friday` (today if its time is still ahead) or `next friday` (after today).
    Weekday {
        day: Weekday,
        next: bool,
    },
    /// The month's last day (next month's once this one's time has passed).
    MonthEnd,
    /// `friday the 27th`, `vendredi 27 novembre`: the date (this month's
    /// day when no month is said), the weekday said with it.
    WeekdayDate {
        weekday: Weekday,
        day: u32,
        month: Option<u32>,
        year: Option<i32>,
    },
    /// A calendar date; the year when given.
    Date {
        day: u32,
        month: u32,
        year: Option<i32>,
        /// A numeric date whose day and month could swap (`03/04` said in
        /// English): read month first, the other way offered.
        either_order: bool,
    },
}

/// What repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeat {
    Daily,
    /// These weekdays (Monday to Friday for `every weekday`).
    Weekly(Vec<Weekday>),
    /// These weekdays every n weeks (`every other monday`, `un lundi sur deux`).
    WeeksApart {
        weeks: u32,
        days: Vec<Weekday>,
    },
    /// This day of every month.
    Monthly(u32),
    /// This date every year.
    Yearly {
        day: u32,
        month: u32,
    },
    /// The nth (or last) such weekday of every month.
    MonthlyWeekday {
        nth: Nth,
        day: Weekday,
    },
}

/// How a recurring reminder ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Count(u32),
    /// Through the end of that day.
    Until(Day),
    /// For that long from now (`for a week`, `durante 3 dias`).
    For(Duration),
    /// For that many calendar months from now (`for a month`).
    ForMonths(u32),
}

/// The time part of a reminder, as said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// `in 10 minutes`.
    In(Duration),
    /// `in 3 months`, `daqui a um ano`: that many calendar months from now,
    /// at the same time of day (a month has no fixed length).
    InMonths(u32),
    /// `tomorrow at 9am`, `at 17:30`, `on 24 December`: a day, a time, or both.
    At {
        day: Option<Day>,
        clock: Option<Clock>,
    },
    /// `every monday at 10:00`.
    Every {
        repeat: Repeat,
        clock: Option<Clock>,
        ending: Option<Ending>,
    },
    /// `every 2 hours`.
    Interval {
        every: Duration,
        ending: Option<Ending>,
    },
    /// A cron expression in quotes.
    Cron {
        expression: String,
        ending: Option<Ending>,
    },
}

/// What parsing at a position found.
pub enum Found {
    /// A time phrase, and the position after it.
    When(When, usize),
    /// A time phrase starts here but says something impossible.
    Invalid(Refusal),
    /// No time phrase starts here.
    Nothing,
}

/// How to read a time phrase: numeric dates by the speaker's language, parts
/// of the day by the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub numeric_dates: NumericDates,
    pub defaults: TimeDefaults,
    /// Whether digits such as `9:30` may mean either half of the day
    /// (English); Portuguese and French write the 24-hour clock.
    pub twelve_hour_digits: bool,
}

/// Reads the time phrase that starts at `at`, as long as it goes.
pub fn parse(tokens: &[Token], at: usize, reading: Reading) -> Found {
    parse_from(tokens, at, reading, None)
}

/// The same, for a time phrase right after the asking words (or opening the
/// message before them), where a weekday abbreviation that is also a word
/// (`sat`, `sex`, `sam`) may open it before a time.
pub fn parse_opening(tokens: &[Token], at: usize, reading: Reading) -> Found {
    parse_from(tokens, at, reading, Some(at))
}

fn parse_from(tokens: &[Token], at: usize, reading: Reading, opening: Option<usize>) -> Found {
    let mut parser = Parser {
        tokens,
        at,
        opening,
        numeric_dates: reading.numeric_dates,
        defaults: reading.defaults,
        twelve_hour_digits: reading.twelve_hour_digits,
    };
    match parser.when() {
        Ok(Some(when)) => Found::When(when, parser.at),
        Ok(None) => Found::Nothing,
        Err(refusal) => Found::Invalid(refusal),
    }
}

/// Reads an end alone (`until friday`, `5 times`) at `at`.
pub fn ending(tokens: &[Token], at: usize, reading: Reading) -> Option<(Ending, usize)> {
    let mut parser = Parser {
        tokens,
        at,
        opening: None,
        numeric_dates: reading.numeric_dates,
        defaults: reading.defaults,
        twelve_hour_digits: reading.twelve_hour_digits,
    };
    match parser.ending() {
        Ok(Some(ending)) => Some((ending, parser.at)),
        _ => None,
    }
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    /// Where a time phrase right after the asking words starts.
    opening: Option<usize>,
    numeric_dates: NumericDates,
    twelve_hour_digits: bool,
    defaults: TimeDefaults,
}

type Step<T> = Result<Option<T>, Refusal>;

impl Parser<'_> {
    fn peek(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead)
    }

    fn word(&self, ahead: usize) -> &str {
        self.peek(ahead)
            .filter(|t| t.kind != Kind::Quoted)
            .map_or("", |t| t.norm.as_str())
    }

    fn eat(&mut self, words: &[impl AsRef<str>]) -> bool {
        if words.iter().any(|word| word.as_ref() == self.word(0)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Whether the word `ahead` plays `role`, in any language.
    fn is(&self, ahead: usize, role: Role) -> bool {
        self.roles(ahead).is(role)
    }

    /// The roles the word `ahead` plays (none past the end or for a quoted token).
    fn roles(&self, ahead: usize) -> WordRoles {
        self.peek(ahead)
            .filter(|t| t.kind != Kind::Quoted)
            .map_or_else(WordRoles::default, |t| t.roles)
    }

    /// How many words the longest entry of `role` starting `ahead` words on
    /// takes (`depois de amanha` three).
    fn said(&self, ahead: usize, role: Role) -> Option<usize> {
        let roles = self.roles(ahead);
        if !roles.starts(role) {
            return None;
        }
        // Every entry read here starts with the word `ahead`.
        lexicon()
            .entries_of(roles, role)
            .filter(|words| {
                words
                    .iter()
                    .enumerate()
                    .skip(1)
                    .all(|(i, word)| self.word(ahead + i) == word)
            })
            .map(<[String]>::len)
            .max()
    }

    /// Eats the longest entry of `role` here, in any language.
    fn eat_role(&mut self, role: Role) -> bool {
        match self.said(0, role) {
            Some(length) => {
                self.at += length;
                true
            }
            None => false,
        }
    }

    /// Runs `step` from the current position; on `None`, goes back.
    fn attempt<T>(&mut self, step: impl FnOnce(&mut Self) -> Step<T>) -> Step<T> {
        let start = self.at;
        let found = step(self)?;
        if found.is_none() {
            self.at = start;
        }
        Ok(found)
    }

    fn when(&mut self) -> Step<When> {
        if let Some(token) = self.peek(0) {
            if token.kind == Kind::Quoted {
                let expression = token.norm.clone();
                self.at += 1;
                let ending = self.ending()?;
                return Ok(Some(When::Cron { expression, ending }));
            }
        }
        if let Some(when) = self.attempt(Self::relative)? {
            return Ok(Some(when));
        }
        if let Some(when) = self.attempt(Self::recurring)? {
            return Ok(Some(when));
        }
        // `until sunday every morning`, `5 times every day at 9`: the end said first.
        if let Some(when) = self.attempt(Self::ending_then_recurring)? {
            return Ok(Some(when));
        }
        self.attempt(Self::absolute)
    }

    fn ending_then_recurring(&mut self) -> Step<When> {
        let Some(ending) = self.ending()? else {
            return Ok(None);
        };
        // `recurring` never reads a quoted cron expression, so only a
        // calendar or interval repetition takes the end here.
        Ok(self
            .attempt(Self::recurring)?
            .and_then(|when| when.ended(ending).ok()))
    }
}
