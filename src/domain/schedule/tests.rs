//! Schedules across daylight-saving changes in Lisbon, Paris, New York and a
//! zone that dropped DST (São Paulo), interval anchoring, cron syntax, ends.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::*;
use crate::domain::instants::utc;

fn local(date: (i32, u32, u32), time: (u32, u32)) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2)
        .unwrap()
        .and_hms_opt(time.0, time.1, 0)
        .unwrap()
}

/// The next `n` firings after `from`.
fn firings(schedule: &Schedule, from: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut after = from;
    while out.len() < n {
        let Some(next) = schedule.next_after(after, out.len() as u32) else {
            break;
        };
        out.push(next);
        after = next;
    }
    out
}

#[test]
fn a_daily_time_keeps_its_wall_clock_across_dst_in_lisbon() {
    let daily = Schedule::cron("0 9 * * *", "Europe/Lisbon", End::default()).unwrap();
    // Spring forward in Lisbon: 2027-03-28 01:00 UTC.
    let spring = firings(&daily, utc("2027-03-26T12:00:00Z"), 3);
    assert_eq!(
        spring,
        vec![
            utc("2027-03-27T09:00:00Z"),
            utc("2027-03-28T08:00:00Z"),
            utc("2027-03-29T08:00:00Z")
        ]
    );
    // Fall back: 2027-10-31.
    let autumn = firings(&daily, utc("2027-10-29T12:00:00Z"), 3);
    assert_eq!(
        autumn,
        vec![
            utc("2027-10-30T08:00:00Z"),
            utc("2027-10-31T09:00:00Z"),
            utc("2027-11-01T09:00:00Z")
        ]
    );
}

#[test]
fn a_missing_local_time_fires_when_the_clocks_jump_in_paris() {
    let daily = Schedule::cron("30 2 * * *", "Europe/Paris", End::default()).unwrap();
    let around = firings(&daily, utc("2027-03-27T00:00:00Z"), 3);
    // 02:30 CET on the 27th; on the 28th 02:30 does not exist: 03:00 CEST = 01:00 UTC.
    assert_eq!(
        around,
        vec![
            utc("2027-03-27T01:30:00Z"),
            utc("2027-03-28T01:00:00Z"),
            utc("2027-03-29T00:30:00Z")
        ]
    );
    let zone = Zone::parse("Europe/Paris").unwrap();
    assert_eq!(
        zone.resolve(local((2027, 3, 28), (2, 30))),
        utc("2027-03-28T01:00:00Z"),
        "one-shots too"
    );
}

#[test]
fn an_ambiguous_local_time_fires_once_at_its_first_occurrence_in_paris() {
    let daily = Schedule::cron("30 2 * * *", "Europe/Paris", End::default()).unwrap();
    let around = firings(&daily, utc("2027-10-30T12:00:00Z"), 2);
    // 02:30 happens twice on 2027-10-31: at 00:30 UTC (CEST) and 01:30 UTC (CET). Once, the first.
    assert_eq!(
        around,
        vec![utc("2027-10-31T00:30:00Z"), utc("2027-11-01T01:30:00Z")]
    );
    let zone = Zone::parse("Europe/Paris").unwrap();
    assert_eq!(
        zone.resolve(local((2027, 10, 31), (2, 30))),
        utc("2027-10-31T00:30:00Z")
    );
}

#[test]
fn new_york_gaps_and_overlaps_follow_the_same_rules() {
    let zone = Zone::parse("America/New_York").unwrap();
    // 2027-03-14: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    assert_eq!(
        zone.resolve(local((2027, 3, 14), (2, 30))),
        utc("2027-03-14T07:00:00Z")
    );
    // 2027-11-07: 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
    assert_eq!(
        zone.resolve(local((2027, 11, 7), (1, 30))),
        utc("2027-11-07T05:30:00Z")
    );
    // Hourly through the repeated hour: 01:00 fires once.
    let hourly = Schedule::cron("0 * * * *", "America/New_York", End::default()).unwrap();
    let around = firings(&hourly, utc("2027-11-07T04:30:00Z"), 3);
    assert_eq!(
        around,
        vec![
            utc("2027-11-07T05:00:00Z"),
            utc("2027-11-07T07:00:00Z"),
            utc("2027-11-07T08:00:00Z")
        ]
    );
    // Every 15 minutes through the gap: the missing quarter-hours merge into the jump.
    let quarterly = Schedule::cron("*/15 * * * *", "America/New_York", End::default()).unwrap();
    let gap = firings(&quarterly, utc("2027-03-14T06:40:00Z"), 3);
    assert_eq!(
        gap,
        vec![
            utc("2027-03-14T06:45:00Z"),
            utc("2027-03-14T07:00:00Z"),
            utc("2027-03-14T07:15:00Z")
        ]
    );
}

#[test]
fn sao_paulo_no_longer_changes_its_clocks() {
    let daily = Schedule::cron("0 9 * * *", "America/Sao_Paulo", End::default()).unwrap();
    // Brazil dropped DST in 2019: 09:00 is 12:00 UTC in January and in July.
    assert_eq!(
        firings(&daily, utc("2027-01-10T00:00:00Z"), 1),
        vec![utc("2027-01-10T12:00:00Z")]
    );
    assert_eq!(
        firings(&daily, utc("2027-07-10T00:00:00Z"), 1),
        vec![utc("2027-07-10T12:00:00Z")]
    );
    // In 2018 it still did (summer time from 2018-11-04): 09:00 was 11:00 UTC in December.
    assert_eq!(
        firings(&daily, utc("2018-12-10T00:00:00Z"), 1),
        vec![utc("2018-12-10T11:00:00Z")]
    );
}

#[test]
fn intervals_are_anchored_to_their_start() {
    let every_two_hours = Schedule::every(
        Duration::hours(2),
        utc("2026-12-24T09:00:00Z"),
        End::default(),
    )
    .unwrap();
    assert_eq!(
        every_two_hours.next_after(utc("2026-12-24T08:00:00Z"), 0),
        Some(utc("2026-12-24T09:00:00Z"))
    );
    assert_eq!(
        every_two_hours.next_after(utc("2026-12-24T09:00:00Z"), 1),
        Some(utc("2026-12-24T11:00:00Z"))
    );
    // A firing 17 minutes late does not shift the next one.
    assert_eq!(
        every_two_hours.next_after(utc("2026-12-24T11:17:00Z"), 2),
        Some(utc("2026-12-24T13:00:00Z"))
    );
    // After a day of downtime: the next future occurrence, no catch-up burst.
    assert_eq!(
        every_two_hours.next_after(utc("2026-12-25T10:30:00Z"), 3),
        Some(utc("2026-12-25T11:00:00Z"))
    );
    assert_eq!(
        Schedule::every(
            Duration::milliseconds(500),
            utc("2026-12-24T09:00:00Z"),
            End::default()
        ),
        Err(ScheduleError::IntervalTooShort)
    );
}

#[test]
fn schedules_end_by_instant_or_count() {
    let until = End {
        until: Some(utc("2026-12-24T13:00:00Z")),
        count: None,
    };
    let bounded = Schedule::every(Duration::hours(2), utc("2026-12-24T09:00:00Z"), until).unwrap();
    assert_eq!(
        firings(&bounded, utc("2026-12-24T00:00:00Z"), 10).len(),
        3,
        "09:00, 11:00, 13:00"
    );
    let three = End {
        until: None,
        count: Some(3),
    };
    let counted = Schedule::cron("0 9 * * *", "Europe/Lisbon", three).unwrap();
    assert_eq!(firings(&counted, utc("2026-12-01T00:00:00Z"), 10).len(), 3);
    assert_eq!(
        Schedule::cron(
            "0 9 * * *",
            "UTC",
            End {
                until: None,
                count: Some(0)
            }
        ),
        Err(ScheduleError::ZeroCount)
    );
    let once = Schedule::once(utc("2026-12-24T18:00:00Z"));
    assert_eq!(
        once.next_after(utc("2026-12-24T00:00:00Z"), 0),
        Some(utc("2026-12-24T18:00:00Z"))
    );
    assert_eq!(
        once.next_after(utc("2026-12-24T00:00:00Z"), 1),
        None,
        "fired already"
    );
    assert_eq!(once.next_after(utc("2026-12-25T00:00:00Z"), 0), None);
}

#[test]
fn cron_syntax_covers_last_nth_weekday_and_or_semantics() {
    let at = |expression: &str, from: &str| {
        Schedule::cron(expression, "UTC", End::default())
            .unwrap()
            .next_after(utc(from), 0)
            .unwrap()
    };
    assert_eq!(
        at("0 16 * * 5L", "2026-11-01T00:00:00Z"),
        utc("2026-11-27T16:00:00Z"),
        "last Friday"
    );
    assert_eq!(
        at("0 10 * * 1#2", "2026-11-01T00:00:00Z"),
        utc("2026-11-09T10:00:00Z"),
        "second Monday"
    );
    assert_eq!(
        at("0 8 L * *", "2026-11-01T00:00:00Z"),
        utc("2026-11-30T08:00:00Z"),
        "last day of the month"
    );
    assert_eq!(
        at("0 8 15W * *", "2026-11-01T00:00:00Z"),
        utc("2026-11-16T08:00:00Z"),
        "weekday nearest the 15th (a Sunday)"
    );
    // Day of month OR day of week, as in standard cron: the 1st, or any Monday.
    assert_eq!(
        at("0 8 1 * MON", "2026-11-24T00:00:00Z"),
        utc("2026-11-30T08:00:00Z")
    );
    assert_eq!(
        at("0 8 1 * MON", "2026-11-30T09:00:00Z"),
        utc("2026-12-01T08:00:00Z")
    );
    assert_eq!(
        at("*/30 * * * * *", "2026-11-01T00:00:10Z"),
        utc("2026-11-01T00:00:30Z"),
        "with seconds"
    );
    assert_eq!(
        at("0 9 * * MON-FRI", "2026-11-21T00:00:00Z"),
        utc("2026-11-23T09:00:00Z"),
        "weekdays"
    );
}

#[test]
fn bad_schedules_are_refused_with_a_reason() {
    assert!(matches!(
        Schedule::cron("61 * * * *", "UTC", End::default()),
        Err(ScheduleError::InvalidCron(_))
    ));
    assert!(matches!(
        Schedule::cron("not cron", "UTC", End::default()),
        Err(ScheduleError::InvalidCron(_))
    ));
    assert_eq!(
        Schedule::cron("0 9 * * *", "Mars/Olympus", End::default()),
        Err(ScheduleError::UnknownZone("Mars/Olympus".into()))
    );
    assert_eq!(
        Zone::parse(" Europe/Lisbon ").unwrap().name(),
        "Europe/Lisbon"
    );
}

#[test]
fn a_cron_firing_is_on_its_second_whatever_the_moment_it_was_asked() {
    let daily = Schedule::cron("0 9 * * *", "Europe/Lisbon", End::default()).unwrap();
    // Asked at 08:12:03.716: the firing is 09:00:00 exactly, not 09:00:00.716.
    let asked = utc("2026-11-20T08:12:03.716Z");
    assert_eq!(
        daily.next_after(asked, 0),
        Some(utc("2026-11-20T09:00:00Z"))
    );
    // Asked a fraction after a firing: the next day's, never the same second.
    let just_after = utc("2026-11-20T09:00:00.250Z");
    assert_eq!(
        daily.next_after(just_after, 1),
        Some(utc("2026-11-21T09:00:00Z"))
    );
    // A per-second cron (six fields) still moves forward from a fraction.
    let every_second = Schedule::cron("* * * * * *", "UTC", End::default()).unwrap();
    assert_eq!(
        every_second.next_after(utc("2026-11-20T09:00:00.999Z"), 0),
        Some(utc("2026-11-20T09:00:01Z"))
    );
}
