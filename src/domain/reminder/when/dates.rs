//! Dates written in one token or as a number: `2026-12-24`, `24/12`,
//! `12/24/2027`, `1st`, `24th`, `1er`, checked to exist. The phrases around
//! them are `absolute`'s.

use super::{Day, NumericDates};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;

/// `1`, `1st`, `2nd`, `24th`, `1er`, `1o`, `1º`.
pub(super) fn ordinal_number(word: &str) -> Option<u32> {
    let digits = lexicon()
        .words(Role::OrdinalSuffixes)
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix.as_str()))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `2026-12-24`.
pub(super) fn iso_date(word: &str) -> Result<Option<Day>, Refusal> {
    let parts: Vec<&str> = word.split('-').collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Ok(None);
    }
    let (Ok(year), Ok(month), Ok(day)) =
        (parts[0].parse::<i32>(), parts[1].parse(), parts[2].parse())
    else {
        return Ok(None);
    };
    checked_date(day, month, Some(year)).map(Some)
}

/// `24/12`, `24/12/2027`: day first, or (`Unambiguous`) whichever reading
/// exists, refused when both do.
pub(super) fn slash_date(word: &str, numeric_dates: NumericDates) -> Result<Day, Refusal> {
    let parts: Vec<&str> = word.split('/').collect();
    let digits = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(digits) {
        return Err(Refusal::Date);
    }
    let first: u32 = parts[0].parse().map_err(|_| Refusal::Date)?;
    let second: u32 = parts[1].parse().map_err(|_| Refusal::Date)?;
    let year = match parts.get(2) {
        Some(year) if year.len() == 4 => Some(year.parse().map_err(|_| Refusal::Date)?),
        Some(year) if year.len() == 2 => {
            Some(2000 + year.parse::<i32>().map_err(|_| Refusal::Date)?)
        }
        Some(_) => return Err(Refusal::Date),
        None => None,
    };
    let day_first = checked_date(first, second, year);
    match numeric_dates {
        NumericDates::DayFirst => day_first,
        // `03/04`: 4 March as in the United States, 3 April offered too.
        NumericDates::MonthFirst => match (checked_date(second, first, year), day_first) {
            (
                Ok(Day::Date {
                    day, month, year, ..
                }),
                Ok(_),
            ) if first != second => Ok(Day::Date {
                day,
                month,
                year,
                either_order: true,
            }),
            (Ok(date), _) | (Err(_), Ok(date)) => Ok(date),
            (Err(refusal), Err(_)) => Err(refusal),
        },
    }
}

/// A date that exists (a year-less 29 February is fine: leap years come).
pub(super) fn checked_date(day: u32, month: u32, year: Option<i32>) -> Result<Day, Refusal> {
    let probe_year = year.unwrap_or(2028);
    if chrono::NaiveDate::from_ymd_opt(probe_year, month, day).is_none() {
        return Err(Refusal::Date);
    }
    Ok(Day::Date {
        day,
        month,
        year,
        either_order: false,
    })
}
