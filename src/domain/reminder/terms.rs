//! The few types every stage of the grammar shares, at the bottom of it so
//! that imports run one way: the language files name parts of the day and
//! which of a month's weekdays (`languages` reads them into these), the
//! stages above (`tokens`, `when`, `split`, `resolve`) speak of them and of
//! why a reminder was refused, and nothing here uses any of those stages.

/// The language a reminder was said in, from its trigger word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spoken {
    English,
    Portuguese,
    French,
}

/// Why a reminder was not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The time has passed (or a recurrence ends before it begins).
    Past,
    /// No such date or time (31 February, 25:00, every 0 hours).
    Date,
    /// Nothing to remind of.
    Text,
    /// More than ten years ahead.
    Far,
    /// No time understood.
    When,
}

/// Which of a month's weekdays: the first … fifth, or the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    Ordinal(u32),
    Last,
}

/// A part of the day, as said (and as the language files name it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// `early in the morning`, `de manhã cedo`, `tôt le matin`.
    EarlyMorning,
    Morning,
    Afternoon,
    Evening,
    Night,
}

/// How a numeric date such as `03/04` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericDates {
    /// Day first (Portuguese, French).
    DayFirst,
    /// Month first as in the United States (English), day first when only
    /// that reading exists (`24/12`); a date that reads both ways says so.
    MonthFirst,
}
