//! Places what was said in time: a `When` and the user's "now" and zone make
//! the trigger engine's schedule, with its first firing. The rules are those of
//! `corpus/FORMAT.md`: a bare time is its next occurrence, a weekday the next
//! such day whose time is ahead, a year-less date this year or next, 09:00
//! when no time is said; local times read by the engine's daylight-saving
//! rules (`Zone::resolve`).

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Utc, Weekday,
};

use super::terms::Refusal;
#[cfg(test)]
use super::when::TimeDefaults;
use super::when::{Clock, Day, Ending, Nth, Repeat, When};
use crate::domain::schedule::{ScheduleSpec, Zone, format_duration};

/// The furthest ahead a reminder may be set.
const HORIZON_DAYS: i64 = 3653;

/// A schedule for the trigger engine and its first firing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub schedule: ScheduleSpec,
    pub first: DateTime<Utc>,
}

/// `unsaid`: the time of day a day or a repetition said without one stands for.
pub fn resolve(
    when: &When,
    now: DateTime<Utc>,
    zone: Zone,
    unsaid: Clock,
) -> Result<Resolved, Refusal> {
    // People name seconds at most: "in 20 minutes" and an interval's anchor
    // start from the current second, so no firing carries the moment's
    // milliseconds.
    let now = now.trunc_subsecs(0);
    let resolved = match when {
        When::In(duration) => once(now + *duration),
        // The same wall-clock time that many months on, in the user's zone
        // (31 January and one month is 28 or 29 February).
        When::InMonths(months) => once(months_on(now, *months, zone)?),
        When::At { day, clock } => once(at(day.as_ref(), clock.unwrap_or(unsaid), now, zone)?),
        When::Every {
            repeat,
            clock,
            ending,
        } => {
            let expression = cron(repeat, clock.unwrap_or(unsaid));
            let mut spec = ScheduleSpec {
                cron: Some(expression),
                timezone: Some(zone.name().to_owned()),
                ..ScheduleSpec::default()
            };
            if let Repeat::WeeksApart { weeks, .. } = repeat {
                // Counted from the week of its first firing.
                let first = spec
                    .to_schedule(now)
                    .ok()
                    .and_then(|s| s.next_after(now, 0));
                spec.weeks = Some(*weeks);
                spec.start = Some(first.ok_or(Refusal::Date)?);
            }
            recurring(spec, *ending, now, zone)?
        }
        // How often it may repeat is the trigger engine's rule
        // (`limits.min_repeat_secs`), for chat and the API alike.
        When::Interval { every, ending } => recurring(
            ScheduleSpec {
                every: Some(format_duration(*every)),
                start: Some(now),
                ..ScheduleSpec::default()
            },
            *ending,
            now,
            zone,
        )?,
        When::Cron { expression, ending } => recurring(
            ScheduleSpec {
                cron: Some(expression.clone()),
                timezone: Some(zone.name().to_owned()),
                ..ScheduleSpec::default()
            },
            *ending,
            now,
            zone,
        )?,
    };
    if resolved.first <= now {
        return Err(Refusal::Past);
    }
    if resolved.first > now + Duration::days(HORIZON_DAYS) {
        return Err(Refusal::Far);
    }
    Ok(resolved)
}

fn once(at: DateTime<Utc>) -> Resolved {
    Resolved {
        schedule: ScheduleSpec {
            at: Some(at),
            ..ScheduleSpec::default()
        },
        first: at,
    }
}

fn recurring(
    mut schedule: ScheduleSpec,
    ending: Option<Ending>,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Resolved, Refusal> {
    match ending {
        Some(Ending::Count(count)) => schedule.count = Some(count),
        Some(Ending::Until(day)) => {
            let date = date_of(&day, now, zone, None)?;
            let last_second = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
            schedule.until = Some(zone.resolve(date.and_time(last_second)));
        }
        // `until` is the last instant that may fire: `every day for a week`
        // fires 7 times whatever the time of day, and `every 15 minutes for
        // an hour` 4 times, the last as the hour is up.
        Some(Ending::For(duration)) => schedule.until = Some(now + duration),
        Some(Ending::ForMonths(months)) => schedule.until = Some(months_on(now, months, zone)?),
        None => {}
    }
    let built = schedule.to_schedule(now).map_err(|_| Refusal::Date)?;
    // `until` before the first occurrence: nothing would ever fire.
    let first = built.next_after(now, 0).ok_or(Refusal::Past)?;
    Ok(Resolved { schedule, first })
}

/// The instant of a one-shot `day` at `clock`.
fn at(
    day: Option<&Day>,
    clock: Clock,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<DateTime<Utc>, Refusal> {
    let today = zone.local(now).date();
    let Some(day) = day else {
        // A bare clock time: its next occurrence.
        let instant = instant(today, clock, zone)?;
        return if instant > now {
            Ok(instant)
        } else {
            instant_of(today.succ_opt(), clock, zone)
        };
    };
    let date = date_of(day, now, zone, Some(clock))?;
    instant(date, clock, zone)
}

/// The date a day stands for. With `clock`, a weekday or a year-less date is
/// the next one whose time is still ahead; without (an end), the next such day
/// from today on.
fn date_of(
    day: &Day,
    now: DateTime<Utc>,
    zone: Zone,
    clock: Option<Clock>,
) -> Result<NaiveDate, Refusal> {
    let today = zone.local(now).date();
    let ahead = |date: NaiveDate| -> Result<bool, Refusal> {
        Ok(match clock {
            Some(clock) => instant(date, clock, zone)? > now,
            None => date >= today,
        })
    };
    match *day {
        Day::Today => Ok(today),
        Day::Tomorrow => today.succ_opt().ok_or(Refusal::Far),
        Day::AfterTomorrow => today
            .succ_opt()
            .and_then(|d| d.succ_opt())
            .ok_or(Refusal::Far),
        Day::InDays(days) => today
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .ok_or(Refusal::Far),
        Day::InMonths(months) => months_after(today, months),
        Day::NextMonth => months_after(today.with_day(1).ok_or(Refusal::Date)?, 1),
        Day::Yesterday => Err(Refusal::Past),
        // That day of `next month`; `the 31st` of a 30-day month is none.
        Day::OfNextMonth(day) => date_of(&Day::NextMonth, now, zone, clock)?
            .with_day(day)
            .ok_or(Refusal::Date),
        Day::NextYear => NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).ok_or(Refusal::Far),
        Day::MonthDay(day) => {
            // This month's if still ahead, else the next month that has it.
            let mut month = today.with_day(1).ok_or(Refusal::Date)?;
            for _ in 0..13 {
                if let Some(date) = month.with_day(day) {
                    if ahead(date)? {
                        return Ok(date);
                    }
                }
                month = month
                    .checked_add_months(chrono::Months::new(1))
                    .ok_or(Refusal::Far)?;
            }
            Err(Refusal::Date)
        }
        Day::MonthEnd => {
            let mut first = today.with_day(1).ok_or(Refusal::Date)?;
            loop {
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .ok_or(Refusal::Far)?;
                let last = next.pred_opt().ok_or(Refusal::Date)?;
                if ahead(last)? {
                    return Ok(last);
                }
                first = next;
            }
        }
        // The date said decides; the weekday is checked in `readings`.
        Day::WeekdayDate { .. } => date_of(&day.without_weekday(), now, zone, clock),
        Day::Weekday { day, next } => {
            let from = if next { 1 } else { 0 };
            for offset in from..from + 8 {
                let date = today + Duration::days(offset);
                if date.weekday() == day && (next || ahead(date)?) {
                    return Ok(date);
                }
            }
            Err(Refusal::Date)
        }
        Day::Date {
            day, month, year, ..
        } => match year {
            Some(year) => NaiveDate::from_ymd_opt(year, month, day).ok_or(Refusal::Date),
            None => {
                for year in today.year()..today.year() + 9 {
                    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                        if ahead(date)? {
                            return Ok(date);
                        }
                    }
                }
                Err(Refusal::Date)
            }
        },
    }
}

/// The same wall-clock time that many calendar months after `now` in the
/// user's zone (31 January and one month is 28 or 29 February).
fn months_on(now: DateTime<Utc>, months: u32, zone: Zone) -> Result<DateTime<Utc>, Refusal> {
    let local = zone.local(now);
    let date = months_after(local.date(), months)?;
    Ok(zone.resolve(NaiveDateTime::new(date, local.time())))
}

/// `date` and that many calendar months, on the month's last day when it
/// is shorter.
fn months_after(date: NaiveDate, months: u32) -> Result<NaiveDate, Refusal> {
    date.checked_add_months(chrono::Months::new(months))
        .ok_or(Refusal::Far)
}

fn instant_of(date: Option<NaiveDate>, clock: Clock, zone: Zone) -> Result<DateTime<Utc>, Refusal> {
    instant(date.ok_or(Refusal::Far)?, clock, zone)
}

/// `date` at `clock` in `zone`; `24:00` is the midnight that ends `date`.
fn instant(date: NaiveDate, clock: Clock, zone: Zone) -> Result<DateTime<Utc>, Refusal> {
    let (date, hour) = if clock.hour == 24 {
        (date.succ_opt().ok_or(Refusal::Far)?, 0)
    } else {
        (date, clock.hour)
    };
    let time = NaiveTime::from_hms_opt(hour, clock.minute, 0).ok_or(Refusal::Date)?;
    Ok(zone.resolve(NaiveDateTime::new(date, time)))
}

/// The cron expression of a calendar repetition at a time of day.
fn cron(repeat: &Repeat, clock: Clock) -> String {
    let (minute, hour) = (clock.minute, clock.hour % 24);
    match repeat {
        Repeat::Daily => format!("{minute} {hour} * * *"),
        Repeat::Weekly(days) | Repeat::WeeksApart { days, .. } => {
            let names: Vec<&str> = days.iter().map(|day| cron_day(*day)).collect();
            format!("{minute} {hour} * * {}", names.join(","))
        }
        Repeat::Monthly(day) => format!("{minute} {hour} {day} * *"),
        Repeat::Yearly { day, month } => format!("{minute} {hour} {day} {month} *"),
        Repeat::MonthlyWeekday { nth, day } => {
            let number = day.num_days_from_sunday();
            match nth {
                Nth::Last => format!("{minute} {hour} * * {number}#L"),
                Nth::Ordinal(n) => format!("{minute} {hour} * * {number}#{n}"),
            }
        }
    }
}

fn cron_day(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MON",
        Weekday::Tue => "TUE",
        Weekday::Wed => "WED",
        Weekday::Thu => "THU",
        Weekday::Fri => "FRI",
        Weekday::Sat => "SAT",
        Weekday::Sun => "SUN",
    }
}

#[cfg(test)]
mod tests;
