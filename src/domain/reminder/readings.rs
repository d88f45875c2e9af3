//! Phrases that read two ways: a time on a twelve-hour dial (`at 7`, `half
//! past 4`), `next friday` said early in the week, a numeric date whose day
//! and month could swap (`03/04` in English), a weekday said with a date
//! it is not (`friday the 28th`). Herald never guesses silently:
//! it sets the reading a person most likely meant and keeps the other, which
//! the chat layer offers as a button.

use chrono::{DateTime, Datelike, Days, Utc};

use super::languages::{NextWeekday, lexicon};
use super::resolve::{self, Resolved};
use super::terms::{Refusal, Spoken};
use super::when::{Clock, Day, Half, When};
use crate::domain::schedule::Zone;

/// The reading set, and the other one if the phrase had two.
pub(super) struct Readings {
    pub best: (When, Resolved),
    pub other: Option<Resolved>,
}

/// Resolves `when` and, when it reads two ways, both readings.
pub(super) fn read(
    when: &When,
    spoken: Spoken,
    now: DateTime<Utc>,
    zone: Zone,
    unsaid: Clock,
) -> Result<Readings, Refusal> {
    let resolve = |when: &When| resolve::resolve(when, now, zone, unsaid);
    if let Some((date, weekday)) = weekday_mismatch(when, now, zone, unsaid) {
        let best = resolve(&date)?;
        let other = resolve(&weekday)
            .ok()
            .filter(|other| other.first != best.first);
        return Ok(Readings {
            best: (date, best),
            other,
        });
    }
    let Some((mut likely, mut other, likelier)) = two_readings(when, spoken, now, zone) else {
        return Ok(Readings {
            best: (when.clone(), resolve(when)?),
            other: None,
        });
    };
    let (mut best, mut second) = (resolve(&likely), resolve(&other));
    // `at 7` alone: whichever comes first (at 10:00, 19:00 today).
    if let (Likelier::Sooner, Ok(a), Ok(b)) = (likelier, &best, &second) {
        if b.first < a.first {
            std::mem::swap(&mut likely, &mut other);
            std::mem::swap(&mut best, &mut second);
        }
    }
    match (best, second) {
        (Ok(best), Ok(second)) if best.first != second.first => Ok(Readings {
            best: (likely, best),
            other: Some(second),
        }),
        (Ok(best), _) => Ok(Readings {
            best: (likely, best),
            other: None,
        }),
        // `today at 5` said at 16:00: only 17:00 is still ahead.
        (Err(_), Ok(second)) => Ok(Readings {
            best: (other, second),
            other: None,
        }),
        (Err(refusal), Err(_)) => Err(refusal),
    }
}

/// `friday the 27th` when the 27th is no Friday: the date is set (it is
/// the more precise of the two) and the weekday's next day offered. The
/// clock takes the half of the day it takes with a day (`at 3` is 15:00).
fn weekday_mismatch(
    when: &When,
    now: DateTime<Utc>,
    zone: Zone,
    unsaid: Clock,
) -> Option<(When, When)> {
    let When::At {
        day: Some(said @ Day::WeekdayDate { weekday, .. }),
        clock,
    } = when
    else {
        return None;
    };
    let clock = clock.map(|clock| match clock.half {
        Half::Known => clock,
        Half::AsWritten | Half::Morning => Clock::new(clock.hour, clock.minute),
        Half::Either if clock.hour >= 7 => Clock::new(clock.hour, clock.minute),
        Half::Either => Clock::new(clock.hour, clock.minute).other_half(),
    });
    let date = When::At {
        day: Some(said.without_weekday()),
        clock,
    };
    let first = resolve::resolve(&date, now, zone, unsaid).ok()?.first;
    if zone.local(first).date().weekday() == *weekday {
        return None;
    }
    let on_the_weekday = When::At {
        day: Some(Day::Weekday {
            day: *weekday,
            next: false,
        }),
        clock,
    };
    Some((date, on_the_weekday))
}

/// Which of two readings to set.
#[derive(Clone, Copy)]
enum Likelier {
    /// The first one given.
    First,
    /// The one that comes sooner (the first one given on a tie).
    Sooner,
}

/// The likelier reading and the other, when there are two.
fn two_readings(
    when: &When,
    spoken: Spoken,
    now: DateTime<Utc>,
    zone: Zone,
) -> Option<(When, When, Likelier)> {
    if let Some(clock) = clock_of(when).filter(|clock| clock.half == Half::Morning) {
        // `at 9:30` said at 10:00: tomorrow morning, or this evening.
        let passed = chrono::NaiveTime::from_hms_opt(clock.hour, clock.minute, 0)
            .is_some_and(|said| zone.local(now).time() >= said);
        if passed && matches!(when, When::At { day: None, .. }) {
            let said = Clock::new(clock.hour, clock.minute);
            let other_half = with_clock(when, said.other_half());
            return Some((with_clock(when, said), other_half, Likelier::First));
        }
    }
    let two_halves = |clock: &Clock| !matches!(clock.half, Half::Known | Half::Morning);
    if let Some(clock) = clock_of(when).filter(two_halves) {
        let said = Clock::new(clock.hour, clock.minute);
        let (as_said, other_half) = (with_clock(when, said), with_clock(when, said.other_half()));
        return Some(match (clock.half, when) {
            // `5:30` in English: as written.
            (Half::AsWritten, _) => (as_said, other_half, Likelier::First),
            // `at 7` alone: whichever comes first.
            (_, When::At { day: None, .. }) => (as_said, other_half, Likelier::Sooner),
            // With a day: 7 to 11 in the morning, 1 to 6 in the afternoon
            // (`tomorrow at 3` is a meeting, not a wake-up).
            _ if clock.hour >= 7 => (as_said, other_half, Likelier::First),
            _ => (other_half, as_said, Likelier::First),
        });
    }
    if let When::At {
        day: Some(Day::Weekday { day, next: true }),
        clock,
    } = when
    {
        let today = zone.local(now).date();
        let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        // Said on Wednesday, `next friday` may be in two days or in nine;
        // said on Saturday it can only be in six.
        if ahead == 0 || today.weekday().num_days_from_monday() + ahead > 6 {
            return None;
        }
        let coming = today.checked_add_days(Days::new(u64::from(ahead)))?;
        let week_after = coming.checked_add_days(Days::new(7))?;
        let on = |date: chrono::NaiveDate| When::At {
            day: Some(Day::Date {
                day: date.day(),
                month: date.month(),
                year: Some(date.year()),
                either_order: false,
            }),
            clock: *clock,
        };
        // English `next friday` is the one of next week; `vendredi
        // prochain`, `sexta que vem` the coming one.
        return Some(match lexicon().language(spoken).next_weekday {
            NextWeekday::WeekAfter => (on(week_after), on(coming), Likelier::First),
            NextWeekday::Coming => (on(coming), on(week_after), Likelier::First),
        });
    }
    if let When::At {
        day:
            Some(Day::Date {
                day,
                month,
                year,
                either_order: true,
            }),
        clock,
    } = when
    {
        let swapped = When::At {
            day: Some(Day::Date {
                day: *month,
                month: *day,
                year: *year,
                either_order: false,
            }),
            clock: *clock,
        };
        return Some((when.clone(), swapped, Likelier::First));
    }
    None
}

fn clock_of(when: &When) -> Option<Clock> {
    match when {
        When::At { clock, .. } | When::Every { clock, .. } => *clock,
        _ => None,
    }
}

fn with_clock(when: &When, new: Clock) -> When {
    match when.clone() {
        When::At { day, .. } => When::At {
            day,
            clock: Some(new),
        },
        When::Every { repeat, ending, .. } => When::Every {
            repeat,
            clock: Some(new),
            ending,
        },
        other => other,
    }
}
