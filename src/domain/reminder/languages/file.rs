//! A language file as written (`en.toml` …): the shape serde reads, before
//! `mod.rs` merges the files into the `Lexicon`. Unknown keys are refused, so
//! a misspelt table name fails the checks instead of being ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::commands::CommandWord;
use super::roles::{Phrases, Role};
use crate::domain::reminder::terms::{Nth, Part};

/// How a language writes numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum DateOrder {
    MonthFirst,
    DayFirst,
}

/// Which of the month's weekdays, as the files name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum NthKey {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl NthKey {
    pub(super) fn nth(self) -> Nth {
        match self {
            NthKey::First => Nth::Ordinal(1),
            NthKey::Second => Nth::Ordinal(2),
            NthKey::Third => Nth::Ordinal(3),
            NthKey::Fourth => Nth::Ordinal(4),
            NthKey::Last => Nth::Last,
        }
    }
}

/// Which Friday `next friday` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextWeekday {
    /// The one of next week (English).
    WeekAfter,
    /// The coming one (`sexta que vem`, `vendredi prochain`).
    Coming,
}

/// One language's file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub(super) numeric_dates: DateOrder,
    pub(super) twelve_hour_digits: bool,
    pub(super) next_weekday: NextWeekday,
    #[serde(default)]
    pub(super) weekday_suffixes: Vec<String>,
    pub(super) numbers: BTreeMap<String, Vec<String>>,
    pub(super) units: BTreeMap<String, Vec<String>>,
    pub(super) weekdays: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(super) short_weekdays: BTreeMap<String, Vec<String>>,
    pub(super) months: BTreeMap<String, Vec<String>>,
    pub(super) parts_of_day: BTreeMap<Part, Vec<String>>,
    pub(super) nth: BTreeMap<NthKey, Vec<String>>,
    pub(super) shorthand: BTreeMap<String, Vec<String>>,
    /// Days of the year by name, keyed `MM-DD` (`12-25`: `christmas`).
    #[serde(default)]
    pub(super) holidays: BTreeMap<String, Vec<String>>,
    pub(super) words: BTreeMap<Role, Vec<String>>,
    pub(super) phrases: BTreeMap<Phrases, Vec<String>>,
    pub(super) verb_slips: Vec<VerbSlip>,
    pub(super) slips: Slips,
    pub(super) commands: BTreeMap<CommandWord, Vec<String>>,
}

/// An asking verb whose slips are still read as asking when one of its
/// pronouns follows (`remidn me`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerbSlip {
    pub verb: String,
    pub pronouns: Vec<String>,
    /// Pronouns said before the verb (`me lenbra`, `mim lembra`).
    #[serde(default)]
    pub pronouns_before: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Slips {
    #[serde(default)]
    pub(super) not_verbs: Vec<String>,
    pub(super) time_words: Vec<String>,
    pub(super) common_words: Vec<String>,
}
