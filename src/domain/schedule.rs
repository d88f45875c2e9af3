//! When a trigger fires: once at an instant, at a fixed interval anchored to
//! its start, or by a cron expression in an IANA time zone — with an optional
//! end (an instant, or a number of firings).
//!
//! Wall-clock rules, the same for every zone: a recurring time keeps its local
//! time across daylight-saving changes; a local time that does not exist
//! (spring forward) fires at the instant the clocks jump; an ambiguous one
//! (fall back) fires once, at its first occurrence. `croner` (the parser
//! tokio-cron-scheduler uses) finds matching wall-clock times; this module
//! maps them to instants with `chrono-tz`, so the rules above hold whatever
//! the parser does with zones.

use std::str::FromStr;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds};

/// The shortest interval a recurring trigger may have.
pub const MIN_INTERVAL: Duration = Duration::seconds(1);

/// Why a schedule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("unknown time zone `{0}` (use an IANA name such as Europe/Lisbon)")]
    UnknownZone(String),
    #[error("invalid cron expression: {0}")]
    InvalidCron(String),
    #[error("the interval must be at least one second")]
    IntervalTooShort,
    #[error("a count must be at least 1")]
    ZeroCount,
    #[error("weeks must be from 1 to 52")]
    WeeksOutOfRange,
}

/// An IANA time zone, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(Tz);

impl Zone {
    pub fn parse(name: &str) -> Result<Self, ScheduleError> {
        Tz::from_str(name.trim())
            .map(Zone)
            .map_err(|_| ScheduleError::UnknownZone(name.chars().take(64).collect()))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The instant a local wall-clock time stands for, by the rules above.
    pub fn resolve(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(at) => at.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
            LocalResult::None => self.jump_over(local),
        }
    }

    /// The wall-clock time at an instant.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.0).naive_local()
    }

    /// The first instant whose local time is at or after `local`: for a time in
    /// a gap, the instant the clocks jumped. No zone has two transitions within
    /// the ±15 hours searched, so local time only moves forward there.
    fn jump_over(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // Whole seconds: transitions happen on them.
        let naive_utc = local.and_utc().timestamp();
        let (mut low, mut high) = (naive_utc - 15 * 3600, naive_utc + 15 * 3600);
        let at =
            |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MIN_UTC);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if self.local(at(middle)) >= local {
                high = middle;
            } else {
                low = middle;
            }
        }
        at(high)
    }
}

/// A cron expression, validated (seconds optional; `L`, `#`, `W`, ranges and
/// lists; day-of-month and day-of-week combine with OR as in standard cron).
#[derive(Debug, Clone)]
pub struct CronExpression {
    source: String,
    cron: Cron,
}

impl CronExpression {
    pub fn parse(expression: &str) -> Result<Self, ScheduleError> {
        let source = expression.split_whitespace().collect::<Vec<_>>().join(" ");
        let cron = CronParser::builder()
            .seconds(Seconds::Optional)
            .build()
            .parse(&source)
            .map_err(|error| ScheduleError::InvalidCron(error.to_string()))?;
        Ok(Self { source, cron })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The first matching wall-clock time strictly after `local`.
    fn next_local(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        // Wall-clock arithmetic in UTC, where no time is missing or repeated.
        self.cron
            .find_next_occurrence(&local.and_utc(), false)
            .ok()
            .map(|next| next.naive_utc())
    }
}

impl PartialEq for CronExpression {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// How a trigger recurs (or does not).
#[derive(Debug, Clone, PartialEq)]
pub enum Recurrence {
    /// Once, at an instant.
    Once { at: DateTime<Utc> },
    /// At `start`, `start + every`, `start + 2·every` … — anchored, so a late
    /// firing never shifts the ones after it.
    Every {
        every: Duration,
        start: DateTime<Utc>,
    },
    /// By a cron expression, read in a time zone (boxed: a parsed pattern is
    /// large), in every week or every n weeks.
    Cron {
        expression: Box<CronExpression>,
        zone: Zone,
        weeks: Option<Weeks>,
    },
}

/// When a recurring schedule stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct End {
    /// No firing after this instant.
    pub until: Option<DateTime<Utc>>,
    /// No more than this many firings in all.
    pub count: Option<u32>,
}

/// A validated schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub recurrence: Recurrence,
    pub end: End,
}

impl Schedule {
    pub fn once(at: DateTime<Utc>) -> Self {
        Self {
            recurrence: Recurrence::Once { at },
            end: End::default(),
        }
    }

    pub fn every(every: Duration, start: DateTime<Utc>, end: End) -> Result<Self, ScheduleError> {
        if every < MIN_INTERVAL {
            return Err(ScheduleError::IntervalTooShort);
        }
        Self::checked(Recurrence::Every { every, start }, end)
    }

    pub fn cron(expression: &str, zone: &str, end: End) -> Result<Self, ScheduleError> {
        Self::cron_in(expression, zone, None, end)
    }

    /// A cron schedule that fires only every `weeks.every` weeks.
    pub fn cron_every_weeks(
        expression: &str,
        zone: &str,
        weeks: Weeks,
        end: End,
    ) -> Result<Self, ScheduleError> {
        if !(1..=MAX_WEEKS).contains(&weeks.every) {
            return Err(ScheduleError::WeeksOutOfRange);
        }
        Self::cron_in(expression, zone, Some(weeks), end)
    }

    fn cron_in(
        expression: &str,
        zone: &str,
        weeks: Option<Weeks>,
        end: End,
    ) -> Result<Self, ScheduleError> {
        let recurrence = Recurrence::Cron {
            expression: Box::new(CronExpression::parse(expression)?),
            zone: Zone::parse(zone)?,
            weeks,
        };
        Self::checked(recurrence, end)
    }

    fn checked(recurrence: Recurrence, end: End) -> Result<Self, ScheduleError> {
        if end.count == Some(0) {
            return Err(ScheduleError::ZeroCount);
        }
        Ok(Self { recurrence, end })
    }

    /// The first firing strictly after `after`, given how many firings already
    /// happened; `None` when the schedule is over. Called with `now` after
    /// downtime, it skips the missed occurrences: a recurring trigger fires
    /// once for the missed window (the caller's firing), not once per miss.
    pub fn next_after(&self, after: DateTime<Utc>, fired: u32) -> Option<DateTime<Utc>> {
        if self.end.count.is_some_and(|count| fired >= count) {
            return None;
        }
        let next = match &self.recurrence {
            Recurrence::Once { at } => (fired == 0 && *at > after).then_some(*at),
            Recurrence::Every { every, start } => Some(next_interval(*start, *every, after)),
            Recurrence::Cron {
                expression,
                zone,
                weeks,
            } => next_cron(expression, *zone, weeks.as_ref(), after),
        }?;
        match self.end.until {
            Some(until) if next > until => None,
            _ => Some(next),
        }
    }
}

fn next_interval(start: DateTime<Utc>, every: Duration, after: DateTime<Utc>) -> DateTime<Utc> {
    if after < start {
        return start;
    }
    let every_ms = every.num_milliseconds().max(1);
    let elapsed_ms = (after - start).num_milliseconds();
    let periods = elapsed_ms / every_ms + 1;
    start + Duration::milliseconds(periods.saturating_mul(every_ms))
}

fn next_cron(
    expression: &CronExpression,
    zone: Zone,
    weeks: Option<&Weeks>,
    after: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    // Every n weeks: nothing before the start (its first week may begin
    // earlier than it).
    let after = match weeks {
        Some(weeks) => after.max(weeks.start - Duration::seconds(1)),
        None => after,
    };
    // Cron names whole seconds: searching from `after`'s sub-second part would
    // carry its milliseconds into every firing (09:00:00.716).
    let mut local = zone.local(after);
    local = local.with_nanosecond(0).unwrap_or(local);
    // Candidates in a repeated hour or a gap can map to instants not after
    // `after` (fired already, or merged into the jump): skip those. A bound
    // keeps a pathological pattern from looping.
    for _ in 0..10_000 {
        local = expression.next_local(local)?;
        if let Some(weeks) = weeks.filter(|weeks| !weeks.holds(zone, local.date())) {
            local = weeks.skip_from(zone, local.date())?;
            continue;
        }
        let at = zone.resolve(local);
        if at > after {
            return Some(at);
        }
    }
    None
}

mod gap;
mod spec;
mod weeks;

pub use spec::{ScheduleSpec, SpecError, format_duration, parse_duration};
pub use weeks::{MAX_WEEKS, Weeks};

#[cfg(test)]
mod tests;
