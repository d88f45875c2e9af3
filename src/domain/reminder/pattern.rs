//! What a stored schedule repeats like, for saying it back to people: the
//! cron expressions the grammar writes are read back into their shape
//! (`every monday and thursday at 10:00`); any other cron expression is shown
//! as it is.

use chrono::{DateTime, Utc, Weekday};

use super::when::{Clock, Nth};
use crate::domain::schedule::ScheduleSpec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Once(DateTime<Utc>),
    /// Every that many seconds.
    Interval(i64),
    Daily(Clock),
    /// These weekdays, Monday first.
    Weekly(Vec<Weekday>, Clock),
    /// These weekdays every that many weeks (`every other monday`).
    WeeksApart(u32, Vec<Weekday>, Clock),
    Monthly(u32, Clock),
    MonthlyWeekday(Nth, Weekday, Clock),
    Cron(String),
}

/// How a repetition ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    Never,
    Count(u32),
    Instant(DateTime<Utc>),
}

impl Pattern {
    pub fn of(spec: &ScheduleSpec) -> Pattern {
        if let Some(at) = spec.at {
            return Pattern::Once(at);
        }
        if let Some(every) = &spec.every {
            if let Ok(duration) = crate::domain::schedule::parse_duration(every) {
                return Pattern::Interval(duration.num_seconds());
            }
        }
        let expression = spec.cron.clone().unwrap_or_default();
        match (read_cron(&expression), spec.weeks) {
            (Some(pattern), None) => pattern,
            (Some(Pattern::Weekly(days, clock)), Some(weeks)) => {
                Pattern::WeeksApart(weeks, days, clock)
            }
            _ => Pattern::Cron(expression),
        }
    }

    pub fn is_recurring(&self) -> bool {
        !matches!(self, Pattern::Once(_))
    }

    /// The time of day it fires at, for the shapes that have one.
    pub fn clock(&self) -> Option<Clock> {
        match self {
            Pattern::Daily(clock)
            | Pattern::Weekly(_, clock)
            | Pattern::WeeksApart(_, _, clock)
            | Pattern::Monthly(_, clock)
            | Pattern::MonthlyWeekday(_, _, clock) => Some(*clock),
            _ => None,
        }
    }
}

pub fn until(spec: &ScheduleSpec) -> Until {
    match (spec.count, spec.until) {
        (Some(count), _) => Until::Count(count),
        (None, Some(at)) => Until::Instant(at),
        (None, None) => Until::Never,
    }
}

/// The cron expression of `pattern` at another time of day (`edit 3 at 10:00`).
pub fn cron_at(expression: &str, clock: Clock) -> Option<String> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() != 5 {
        return None;
    }
    Some(format!(
        "{} {} {} {} {}",
        clock.minute,
        clock.hour % 24,
        fields[2],
        fields[3],
        fields[4]
    ))
}

/// The shapes `resolve::cron` writes: `M H * * *`, `M H * * MON,THU`,
/// `M H D * *`, `M H * * 5#L`.
fn read_cron(expression: &str) -> Option<Pattern> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    let [minute, hour, day, month, weekdays] = fields.as_slice() else {
        return None;
    };
    let clock = Clock::new(
        hour.parse().ok().filter(|h| *h < 24)?,
        minute.parse().ok().filter(|m| *m < 60)?,
    );
    if *month != "*" {
        return None;
    }
    match (*day, *weekdays) {
        ("*", "*") => Some(Pattern::Daily(clock)),
        ("*", list) if list.contains('#') => {
            let (number, nth) = list.split_once('#')?;
            let weekday = weekday_from_number(number.parse().ok()?)?;
            let nth = match nth {
                "L" => Nth::Last,
                n => Nth::Ordinal(n.parse().ok().filter(|n| (1..=5).contains(n))?),
            };
            Some(Pattern::MonthlyWeekday(nth, weekday, clock))
        }
        ("*", list) => {
            let mut days = Vec::new();
            for name in list.split(',') {
                match name {
                    "MON-FRI" => days.extend([
                        Weekday::Mon,
                        Weekday::Tue,
                        Weekday::Wed,
                        Weekday::Thu,
                        Weekday::Fri,
                    ]),
                    other => days.push(weekday_from_name(other)?),
                }
            }
            days.sort_by_key(Weekday::num_days_from_monday);
            days.dedup();
            Some(Pattern::Weekly(days, clock))
        }
        (day, "*") => Some(Pattern::Monthly(
            day.parse().ok().filter(|d| (1..=31).contains(d))?,
            clock,
        )),
        _ => None,
    }
}

fn weekday_from_name(name: &str) -> Option<Weekday> {
    Some(match name {
        "MON" => Weekday::Mon,
        "TUE" => Weekday::Tue,
        "WED" => Weekday::Wed,
        "THU" => Weekday::Thu,
        "FRI" => Weekday::Fri,
        "SAT" => Weekday::Sat,
        "SUN" => Weekday::Sun,
        _ => return None,
    })
}

fn weekday_from_number(number: u32) -> Option<Weekday> {
    Some(match number {
        0 | 7 => Weekday::Sun,
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cron(expression: &str) -> Pattern {
        Pattern::of(&ScheduleSpec {
            cron: Some(expression.to_owned()),
            ..ScheduleSpec::default()
        })
    }

    #[test]
    fn herald_made_crons_read_back_into_their_shape() {
        let nine = Clock::new(9, 0);
        assert_eq!(cron("0 9 * * *"), Pattern::Daily(nine));
        assert_eq!(
            cron("0 9 * * THU,MON"),
            Pattern::Weekly(vec![Weekday::Mon, Weekday::Thu], nine)
        );
        assert_eq!(cron("0 9 1 * *"), Pattern::Monthly(1, nine));
        assert_eq!(
            cron("0 9 * * 5#L"),
            Pattern::MonthlyWeekday(Nth::Last, Weekday::Fri, nine)
        );
        assert_eq!(
            cron("*/5 9-17 * * *"),
            Pattern::Cron("*/5 9-17 * * *".into())
        );
        assert_eq!(
            cron_at("0 9 * * MON", Clock::new(10, 30)).as_deref(),
            Some("30 10 * * MON")
        );
    }
}
