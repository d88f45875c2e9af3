//! Resolution checked on its own: phrases read to their instants in a zone, on a fixed clock.

use super::*;
use crate::domain::instants::utc;

fn lisbon() -> Zone {
    Zone::parse("Europe/Lisbon").unwrap()
}

const FRIDAY_10: &str = "2026-11-20T10:00:00Z";

#[test]
fn firings_are_on_the_second_said_whatever_the_moment_asked() {
    let now = utc("2026-11-20T10:00:00.716Z");
    let in_twenty = When::In(Duration::minutes(20));
    assert_eq!(
        resolve(&in_twenty, now, lisbon(), TimeDefaults::default().unsaid)
            .unwrap()
            .first,
        utc("2026-11-20T10:20:00Z")
    );
    let hourly = When::Interval {
        every: Duration::hours(1),
        ending: None,
    };
    let resolved = resolve(&hourly, now, lisbon(), TimeDefaults::default().unsaid).unwrap();
    assert_eq!(resolved.first, utc("2026-11-20T11:00:00Z"));
    assert_eq!(resolved.schedule.start, Some(utc("2026-11-20T10:00:00Z")));
    let daily = When::Every {
        repeat: Repeat::Daily,
        clock: Some(Clock::new(9, 0)),
        ending: None,
    };
    assert_eq!(
        resolve(&daily, now, lisbon(), TimeDefaults::default().unsaid)
            .unwrap()
            .first,
        utc("2026-11-21T09:00:00Z")
    );
}

#[test]
fn a_bare_time_is_its_next_occurrence() {
    let now = utc(FRIDAY_10);
    let later = When::At {
        day: None,
        clock: Some(Clock::new(17, 30)),
    };
    assert_eq!(
        resolve(&later, now, lisbon(), TimeDefaults::default().unsaid)
            .unwrap()
            .first,
        utc("2026-11-20T17:30:00Z")
    );
    let earlier = When::At {
        day: None,
        clock: Some(Clock::new(8, 0)),
    };
    assert_eq!(
        resolve(&earlier, now, lisbon(), TimeDefaults::default().unsaid)
            .unwrap()
            .first,
        utc("2026-11-21T08:00:00Z")
    );
}

#[test]
fn today_at_a_passed_time_is_refused() {
    let when = When::At {
        day: Some(Day::Today),
        clock: Some(Clock::new(8, 0)),
    };
    assert_eq!(
        resolve(
            &when,
            utc(FRIDAY_10),
            lisbon(),
            TimeDefaults::default().unsaid
        ),
        Err(Refusal::Past)
    );
}

#[test]
fn weekdays_roll_to_the_next_one_whose_time_is_ahead() {
    let now = utc(FRIDAY_10);
    let friday_at = |hour| When::At {
        day: Some(Day::Weekday {
            day: Weekday::Fri,
            next: false,
        }),
        clock: Some(Clock::new(hour, 0)),
    };
    assert_eq!(
        resolve(&friday_at(8), now, lisbon(), TimeDefaults::default().unsaid)
            .unwrap()
            .first,
        utc("2026-11-27T08:00:00Z")
    );
    assert_eq!(
        resolve(
            &friday_at(18),
            now,
            lisbon(),
            TimeDefaults::default().unsaid
        )
        .unwrap()
        .first,
        utc("2026-11-20T18:00:00Z")
    );
}

#[test]
fn last_friday_of_the_month_uses_cron_hash_l() {
    let when = When::Every {
        repeat: Repeat::MonthlyWeekday {
            nth: Nth::Last,
            day: Weekday::Fri,
        },
        clock: Some(Clock::new(16, 0)),
        ending: None,
    };
    let resolved = resolve(
        &when,
        utc(FRIDAY_10),
        lisbon(),
        TimeDefaults::default().unsaid,
    )
    .unwrap();
    assert_eq!(resolved.schedule.cron.as_deref(), Some("0 16 * * 5#L"));
    assert_eq!(resolved.first, utc("2026-11-27T16:00:00Z"));
}

fn months_from(now: &str, months: u32, zone: Zone) -> DateTime<Utc> {
    resolve(
        &When::InMonths(months),
        utc(now),
        zone,
        TimeDefaults::default().unsaid,
    )
    .unwrap()
    .first
}

#[test]
fn months_ahead_land_on_the_month_s_last_day_when_it_is_shorter() {
    // 31 January and one month: 28 February, or 29 in a leap year.
    assert_eq!(
        months_from("2027-01-31T10:00:00Z", 1, lisbon()),
        utc("2027-02-28T10:00:00Z")
    );
    assert_eq!(
        months_from("2028-01-31T10:00:00Z", 1, lisbon()),
        utc("2028-02-29T10:00:00Z")
    );
    // A year is twelve months: 29 February to 28 February.
    assert_eq!(
        months_from("2028-02-29T10:00:00Z", 12, lisbon()),
        utc("2029-02-28T10:00:00Z")
    );
    // 11:00 in Lisbon on 31 August (UTC+1) is 11:00 on 30 November (UTC+0).
    assert_eq!(
        months_from("2026-08-31T10:00:00Z", 3, lisbon()),
        utc("2026-11-30T11:00:00Z")
    );
}

#[test]
fn months_ahead_keep_the_wall_clock_across_daylight_saving() {
    // 10:00 in Lisbon in November (UTC+0) is 10:00 in May (UTC+1): 09:00Z.
    assert_eq!(
        months_from(FRIDAY_10, 6, lisbon()),
        utc("2027-05-20T09:00:00Z")
    );
    // 02:30 on the day Paris springs forward does not exist: the jump's instant.
    let paris = Zone::parse("Europe/Paris").unwrap();
    assert_eq!(
        months_from("2027-02-28T01:30:00Z", 1, paris),
        utc("2027-03-28T01:00:00Z")
    );
}

#[test]
fn next_month_and_next_year_are_their_first_day() {
    let now = utc(FRIDAY_10);
    let at = |day| {
        resolve(
            &When::At {
                day: Some(day),
                clock: None,
            },
            now,
            lisbon(),
            TimeDefaults::default().unsaid,
        )
        .unwrap()
        .first
    };
    assert_eq!(at(Day::NextMonth), utc("2026-12-01T09:00:00Z"));
    assert_eq!(at(Day::NextYear), utc("2027-01-01T09:00:00Z"));
    assert_eq!(at(Day::InMonths(2)), utc("2027-01-20T09:00:00Z"));
}
