//! Cron times every n weeks (`every other monday at 9`): the weeks, Monday
//! first, counted on the wall clock of the schedule's zone from the week of
//! its start. A fixed 14-day interval would drift an hour across a
//! daylight-saving change; counting local weeks keeps 09:00 at 09:00.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Utc};

use super::Zone;

/// The most weeks apart accepted: a year.
pub const MAX_WEEKS: u32 = 52;

/// Every `every` weeks from the week of `start`, and never before `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weeks {
    pub every: u32,
    pub start: DateTime<Utc>,
}

impl Weeks {
    /// How many local weeks the week of `day` is after the week of `start`.
    fn weeks_after_start(&self, zone: Zone, day: NaiveDate) -> i64 {
        let anchor = monday_of(zone.local(self.start).date());
        (monday_of(day) - anchor).num_days().div_euclid(7)
    }

    /// The weeks apart, as the arithmetic uses it.
    fn period(&self) -> i64 {
        i64::from(self.every.max(1))
    }

    /// Whether a local day is in one of the weeks it fires in.
    pub(super) fn holds(&self, zone: Zone, day: NaiveDate) -> bool {
        self.weeks_after_start(zone, day).rem_euclid(self.period()) == 0
    }

    /// The last wall-clock second before the next week it fires in, after
    /// the week of `day`: where the cron search goes on from.
    pub(super) fn skip_from(&self, zone: Zone, day: NaiveDate) -> Option<NaiveDateTime> {
        let ahead = self.period() - self.weeks_after_start(zone, day).rem_euclid(self.period());
        let next_monday =
            monday_of(day).checked_add_days(Days::new(u64::try_from(ahead * 7).ok()?))?;
        next_monday
            .and_hms_opt(0, 0, 0)?
            .checked_sub_signed(chrono::Duration::seconds(1))
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::super::{End, Schedule, ScheduleSpec};
    use super::*;
    use crate::domain::instants::utc;

    fn firings(schedule: &Schedule, from: DateTime<Utc>, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut after = from;
        while out.len() < n {
            let Some(next) = schedule.next_after(after, out.len() as u32) else {
                break;
            };
            out.push(next.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            after = next;
        }
        out
    }

    fn every_other(expression: &str, start: &str) -> Schedule {
        let weeks = Weeks {
            every: 2,
            start: utc(start),
        };
        Schedule::cron_every_weeks(expression, "Europe/Lisbon", weeks, End::default()).unwrap()
    }

    #[test]
    fn every_other_monday_keeps_nine_oclock_across_the_spring_change() {
        // Lisbon moves to UTC+1 on Sunday 28 March 2027: a 14-day interval
        // would fire at 10:00 from then on.
        let schedule = every_other("0 9 * * MON", "2027-03-22T09:00:00Z");
        assert_eq!(
            firings(&schedule, utc("2027-03-20T00:00:00Z"), 3),
            [
                "2027-03-22T09:00:00Z",
                "2027-04-05T08:00:00Z",
                "2027-04-19T08:00:00Z"
            ]
        );
    }

    #[test]
    fn the_weeks_count_from_the_start_and_nothing_comes_before_it() {
        // Started on a Wednesday: its week is the first, its Monday is past.
        let schedule = every_other("0 9 * * MON,THU", "2027-01-06T12:00:00Z");
        assert_eq!(
            firings(&schedule, utc("2027-01-01T00:00:00Z"), 4),
            [
                "2027-01-07T09:00:00Z",
                "2027-01-18T09:00:00Z",
                "2027-01-21T09:00:00Z",
                "2027-02-01T09:00:00Z"
            ]
        );
        // A cron that matches every minute still skips whole weeks at once.
        let minutes = every_other("* * * * *", "2027-01-10T23:59:00Z");
        assert_eq!(
            firings(&minutes, utc("2027-01-10T23:58:30Z"), 2),
            ["2027-01-10T23:59:00Z", "2027-01-18T00:00:00Z"]
        );
    }

    #[test]
    fn weeks_are_cron_only_and_within_a_year_and_read_back_as_written() {
        let spec: ScheduleSpec = serde_json::from_str(
            r#"{"cron": "0 9 * * MON", "timezone": "Europe/Lisbon", "weeks": 2, "start": "2027-03-22T09:00:00Z"}"#,
        )
        .unwrap();
        let now = utc("2027-03-01T00:00:00Z");
        assert_eq!(spec.to_schedule(now).unwrap().to_spec(), spec);
        for (json, field) in [
            (r#"{"every": "1d", "weeks": 2}"#, "weeks"),
            (r#"{"at": "2027-03-22T09:00:00Z", "weeks": 2}"#, "schedule"),
            (r#"{"cron": "0 9 * * MON", "weeks": 0}"#, "weeks"),
            (r#"{"cron": "0 9 * * MON", "weeks": 53}"#, "weeks"),
            (
                r#"{"cron": "0 9 * * MON", "start": "2027-03-22T09:00:00Z"}"#,
                "start",
            ),
        ] {
            let spec: ScheduleSpec = serde_json::from_str(json).unwrap();
            assert_eq!(spec.to_schedule(now).unwrap_err().field, field, "{json}");
        }
    }
}
