//! How close together a schedule's firings can come: what the shortest
//! repeat Herald allows (`limits.min_repeat_secs`) is checked against, for
//! intervals and for cron expressions alike (a six-field cron fires every
//! second). Read on the wall clock, so a daylight-saving jump never makes a
//! schedule look faster than it was written.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::{CronExpression, Recurrence, Schedule};

/// Matching days looked at for two in a row (a leap day's schedule repeats
/// within four years).
const DAYS_LOOKED_AT: usize = 1500;

impl Schedule {
    /// Whether two firings can come less than `min` apart.
    pub fn repeats_faster_than(&self, min: Duration, from: DateTime<Utc>) -> bool {
        match &self.recurrence {
            Recurrence::Once { .. } => false,
            Recurrence::Every { every, .. } => *every < min,
            // Skipping weeks only takes firings away.
            Recurrence::Cron {
                expression, zone, ..
            } => cron_faster_than(expression, min, zone.local(from)),
        }
    }
}

/// A cron expression's times of day are the same on every day it matches:
/// the first matching day shows every gap within a day, and the gap from its
/// last time to the first one is the gap between two matching days in a row,
/// if two ever come in a row.
fn cron_faster_than(cron: &CronExpression, min: Duration, from: NaiveDateTime) -> bool {
    if min <= Duration::seconds(1) {
        return false;
    }
    // The whole of the first matching day, from its first time (`from` may
    // fall in the middle of it).
    let Some(first) = cron
        .next_local(from)
        .and_then(|next| next.date().and_hms_opt(0, 0, 0))
        .and_then(|midnight| cron.next_local(midnight - Duration::seconds(1)))
    else {
        return false;
    };
    let mut last = first;
    // The first matching day, and the first firing after it. At most
    // 86400 / min firings before a gap under `min` or the day's end.
    let later_day = loop {
        let Some(next) = cron.next_local(last) else {
            return false;
        };
        if next - last < min {
            return true;
        }
        if next.date() != first.date() {
            break next;
        }
        last = next;
    };
    let overnight = first + Duration::days(1) - last;
    if overnight >= min {
        return false;
    }
    let mut day = first.date();
    let mut next_day = later_day;
    for _ in 0..DAYS_LOOKED_AT {
        if day.succ_opt() == Some(next_day.date()) {
            return true;
        }
        day = next_day.date();
        let Some(end_of_day) = day.and_hms_opt(23, 59, 59) else {
            return false;
        };
        match cron.next_local(end_of_day) {
            Some(next) => next_day = next,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::End;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn cron_faster(expression: &str, min_secs: i64) -> bool {
        Schedule::cron(expression, "Europe/Lisbon", End::default())
            .unwrap()
            .repeats_faster_than(Duration::seconds(min_secs), at())
    }

    #[test]
    fn intervals_and_one_shots() {
        let every = |secs| Schedule::every(Duration::seconds(secs), at(), End::default()).unwrap();
        assert!(every(10).repeats_faster_than(Duration::seconds(60), at()));
        assert!(!every(60).repeats_faster_than(Duration::seconds(60), at()));
        assert!(!Schedule::once(at()).repeats_faster_than(Duration::days(1), at()));
    }

    #[test]
    fn cron_gaps_within_a_day() {
        assert!(cron_faster("* * * * * *", 60), "every second");
        assert!(cron_faster("*/10 * * * * *", 60));
        assert!(cron_faster("0,30 * * * * *", 60));
        assert!(!cron_faster("* * * * *", 60), "every minute is allowed");
        assert!(!cron_faster("0 9 * * MON-FRI", 60));
        assert!(cron_faster("*/5 * * * *", 600));
        assert!(cron_faster("0 9,10 * * *", 7200));
        assert!(!cron_faster("0 9,10 * * *", 3600));
        // Only on one day a year, still every second then.
        assert!(cron_faster("* * 9 1 1 *", 60));
    }

    #[test]
    fn cron_gaps_across_midnight_only_when_matching_days_touch() {
        // 23:30, then 00:30 the next day: an hour.
        assert!(cron_faster("0 30 0,23 * * *", 7200));
        assert!(!cron_faster("0 30 0,23 * * *", 3600));
        // Mondays only: 23:30 is never followed by 00:30 the next day.
        assert!(!cron_faster("0 30 0,23 * * MON", 7200));
        // Saturdays and Sundays touch.
        assert!(cron_faster("0 30 0,23 * * SAT,SUN", 7200));
        // The last day of a month and the first of the next.
        assert!(cron_faster("0 30 0,23 1,L * *", 7200));
    }

    #[test]
    fn a_one_second_floor_lets_everything_pass() {
        assert!(!cron_faster("* * * * * *", 1));
    }
}
