//! Durations from now: `in 10 minutes`, `daqui a 1h30`, `dans une demi-heure`,
//! `in 2 hours and 30 minutes`, and the compact `10m`, `1h30`, `2w`.

use chrono::Duration;

use super::{Day, Parser, Step, When};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;
use crate::domain::reminder::tokens::Token;

impl Parser<'_> {
    pub(super) fn relative(&mut self) -> Step<When> {
        let introduced = self.eat_role(Role::In);
        if !introduced {
            return self.span_from_now();
        }
        if let Some(months) = self.attempt(Self::calendar_span)? {
            self.eat_role(Role::SpanAfter);
            return self.months_then_time(months).map(Some);
        }
        // `in` then something that is not a duration is not this phrase:
        // `em 24 de dezembro` is a date, `in the kitchen` no time at all, and
        // `in 10 minuts` a misspelling the caller points out.
        match self.duration()? {
            Some(duration) if duration > Duration::zero() => {
                self.eat_role(Role::SpanAfter);
                self.days_then_time(duration).map(Some)
            }
            // `in 0 minutes` is now, not a time ahead.
            Some(_) => Err(Refusal::Past),
            None => Ok(self.bare_minutes()),
        }
    }

    /// `2 days from now`, `a week from now`, `3 months from now`: the
    /// duration said first, `from now` after it.
    fn span_from_now(&mut self) -> Step<When> {
        if let Some(months) = self.attempt(Self::calendar_span)? {
            if !self.eat_role(Role::FromNow) {
                return Ok(None);
            }
            return self.months_then_time(months).map(Some);
        }
        match self.duration()? {
            Some(duration) if duration > Duration::zero() && self.eat_role(Role::FromNow) => {
                self.days_then_time(duration).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// `in 15 to …`, `dans 15 de …`: a count with no unit, which people
    /// typing in chat mean as minutes; not `em 15 de dezembro` (a date).
    fn bare_minutes(&mut self) -> Option<When> {
        let word = self.word(0);
        let minutes = word.parse::<i64>().ok().filter(|_| word.len() <= 3)?;
        let next = self.word(1);
        let closes = next.is_empty() || next == "," || self.is(1, Role::Joiners);
        let dated = lexicon().month(next).is_some() || lexicon().month(self.word(2)).is_some();
        if !closes || dated || minutes == 0 {
            return None;
        }
        self.at += 1;
        Some(When::In(Duration::minutes(minutes)))
    }

    /// `in 4 days at 11`, `dans 2 jours le soir`: whole days ahead, then a
    /// time of day on that day. Any other duration is from now.
    fn days_then_time(&mut self, duration: Duration) -> Result<When, Refusal> {
        let days = duration.num_days();
        let whole_days = u32::try_from(days)
            .ok()
            .filter(|_| duration == Duration::days(days));
        let Some(days) = whole_days.filter(|days| *days > 0) else {
            return Ok(When::In(duration));
        };
        let start = self.at;
        let clock = self.attempt(Self::clock_phrase)?;
        let part = self
            .attempt(|p| p.part_phrase(false))?
            .filter(|said| !said.today);
        let clock = match clock {
            Some(clock) => Some(clock),
            None if part.is_some() => self.attempt(Self::clock_phrase)?,
            None => None,
        };
        if clock.is_none() && part.is_none() {
            self.at = start;
            return Ok(When::In(duration));
        }
        Ok(When::At {
            day: Some(Day::InDays(days)),
            clock: self.with_part(clock, part.map(|said| said.part)),
        })
    }

    /// `3 months`, `a year`, `2 meses`, `un an`: months on the calendar,
    /// which have no fixed length (a year is twelve of them).
    pub(super) fn calendar_span(&mut self) -> Step<u32> {
        let word = self.word(0);
        let amount = match word.parse::<u32>() {
            Ok(n) if word.len() <= 3 => Some(n),
            _ => lexicon().number(word),
        };
        let Some(amount) = amount else {
            return Ok(None);
        };
        let months = if self.is(1, Role::Month) {
            amount
        } else if self.is(1, Role::Year) {
            amount.saturating_mul(12)
        } else {
            return Ok(None);
        };
        self.at += 2;
        if months == 0 {
            return Err(Refusal::Past);
        }
        Ok(Some(months))
    }

    /// `in 3 months at 9am`: that day at that time; alone, now's time of day.
    fn months_then_time(&mut self, months: u32) -> Result<When, Refusal> {
        let Some(clock) = self.attempt(Self::clock_phrase)? else {
            return Ok(When::InMonths(months));
        };
        Ok(When::At {
            day: Some(Day::InMonths(months)),
            clock: Some(clock),
        })
    }

    /// `10 minutes`, `1h30`, `2 hours and 30 minutes`, `an hour`, `half an hour`.
    pub(super) fn duration(&mut self) -> Step<Duration> {
        let mut total: Option<Duration> = None;
        loop {
            let part = self.attempt(Self::duration_part)?;
            let Some(part) = part else { break };
            total = Some(total.unwrap_or_else(Duration::zero) + part);
            let before_and = self.at;
            if self.eat_role(Role::And) || self.eat(&[","]) {
                if self.attempt(Self::duration_part)?.is_some() {
                    self.at = before_and + 1;
                    continue;
                }
                self.at = before_and;
            }
            // `2h 10m`, `1 hour 30 minutes`: another part, no `and`.
            let here = self.at;
            if self.attempt(Self::duration_part)?.is_some() {
                self.at = here;
                continue;
            }
            break;
        }
        Ok(total)
    }

    pub(super) fn duration_part(&mut self) -> Step<Duration> {
        if self.eat_role(Role::FewMinutes) {
            return Ok(Some(Duration::minutes(i64::from(
                self.defaults.few_minutes,
            ))));
        }
        // `half an hour`, `meia hora`, `une demi-heure`.
        if self.eat_role(Role::HalfHour) {
            return Ok(Some(Duration::minutes(30)));
        }
        // `a quarter of an hour`, `um quarto de hora`, `un quart d'heure`.
        if self.eat_role(Role::QuarterHour) {
            return Ok(Some(Duration::minutes(15)));
        }
        if self.eat_role(Role::ThreeQuartersHour) {
            return Ok(Some(Duration::minutes(45)));
        }
        let word = self.word(0).to_owned();
        if word.is_empty() {
            return Ok(None);
        }
        // Compact: `10m`, `2h`, `1h30`, `1h30m`, `90s`, `10min`.
        if let Some(duration) = compact_duration(&word)? {
            self.at += 1;
            return Ok(Some(duration));
        }
        // `1.5 hours`, `1,5 hora`: tenths or hundredths of the unit.
        if let Some((units, per, width)) = self.decimal() {
            if let Some(unit) = lexicon().unit_seconds(self.word(width)) {
                self.at += width + 1;
                return Ok(Some(decimal_seconds(units, per, unit)));
            }
            return Ok(None);
        }
        // `a couple of hours`: two.
        if let Some(words) = self.said(0, Role::Couple) {
            let Some(unit) = lexicon().unit_seconds(self.word(words)) else {
                return Ok(None);
            };
            self.at += words + 1;
            return Ok(Some(Duration::seconds(2 * unit)));
        }
        let amount = match word.parse::<i64>() {
            Ok(n) if word.len() <= 6 => Some(n),
            _ => lexicon().number(&word).map(i64::from),
        };
        let Some(amount) = amount else {
            return Ok(None);
        };
        // `two and a half hours`, `2 and a half days`.
        let and_a_half = self
            .is(1, Role::And)
            .then(|| self.said(2, Role::AHalf))
            .flatten();
        if let Some(half) = and_a_half {
            if let Some(unit) = lexicon().unit_seconds(self.word(2 + half)) {
                self.at += 3 + half;
                return Ok(Some(Duration::seconds(
                    amount.saturating_mul(unit).saturating_add(unit / 2),
                )));
            }
        }
        let Some(unit) = lexicon().unit_seconds(self.word(1)) else {
            return Ok(None);
        };
        self.at += 2;
        // `an hour and a half`, `duas horas e meia`, `deux heures et quart`.
        if self.is(0, Role::And) {
            let a = usize::from(self.is(1, Role::FractionArticles));
            let fraction = if self.is(1 + a, Role::Half) {
                Some(unit / 2)
            } else if self.is(1 + a, Role::Quarter) {
                Some(unit / 4)
            } else {
                None
            };
            if let Some(fraction) = fraction.filter(|_| unit >= 60) {
                self.at += 2 + a;
                return Ok(Some(Duration::seconds(
                    amount.saturating_mul(unit).saturating_add(fraction),
                )));
            }
        }
        // `1 hour 30` (minutes implied after hours), `duas horas e quinze`.
        if unit == 3600 {
            let and = usize::from(self.is(0, Role::And));
            let minutes = self.peek(and).and_then(Token::number).or_else(|| {
                (and == 1 && !self.is(1, Role::Indefinite))
                    .then(|| lexicon().number(self.word(1)))
                    .flatten()
            });
            if let Some(minutes) = minutes {
                let after = and + 1;
                if minutes < 60
                    && lexicon().unit_seconds(self.word(after)).is_none()
                    && !self.is(after, Role::Times)
                {
                    self.at += after;
                    return Ok(Some(Duration::seconds(
                        amount * unit + i64::from(minutes) * 60,
                    )));
                }
            }
        }
        Ok(Some(Duration::seconds(amount.saturating_mul(unit))))
    }
}

impl Parser<'_> {
    /// A count with one or two decimals here (`1.5`, or `1,5` written
    /// without spaces, as Portuguese and French do), as hundredths or
    /// tenths over their denominator, with the tokens it takes.
    fn decimal(&self) -> Option<(i64, i64, usize)> {
        let (whole, fraction, width) = match self.word(0).split_once('.') {
            Some((whole, fraction)) => (whole, fraction, 1),
            None => {
                let (first, comma, last) = (self.peek(0)?, self.peek(1)?, self.peek(2)?);
                let written_together = first.end == comma.start && comma.end == last.start;
                if comma.norm != "," || !written_together {
                    return None;
                }
                (first.norm.as_str(), last.norm.as_str(), 3)
            }
        };
        let (units, per) = decimal_count(whole, fraction)?;
        Some((units, per, width))
    }
}

/// `1` and `5` of `1.5`: a count with one or two decimals, as tenths or
/// hundredths over their denominator (15 over 10).
fn decimal_count(whole: &str, fraction: &str) -> Option<(i64, i64)> {
    let digits = |part: &str, most: usize| {
        !part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(whole, 4) || !digits(fraction, 2) {
        return None;
    }
    let per = 10i64.pow(u32::try_from(fraction.len()).ok()?);
    Some((
        whole.parse::<i64>().ok()? * per + fraction.parse::<i64>().ok()?,
        per,
    ))
}

/// `units` over `per` of a unit of `unit` seconds (`1.5 hours`: 15 over 10
/// of 3,600).
fn decimal_seconds(units: i64, per: i64, unit: i64) -> Duration {
    Duration::seconds(units.saturating_mul(unit) / per)
}

/// `10m`, `10min`, `2h`, `1h30`, `1h30m`, `90s`, `3d`, `2w`, `1.5h`.
pub(super) fn compact_duration(word: &str) -> Result<Option<Duration>, Refusal> {
    // `1.5h`, `2.5hrs`: a decimal count of one unit.
    if let Some((whole, rest)) = word.split_once('.') {
        let unit_at = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (fraction, unit) = rest.split_at(unit_at);
        let read = decimal_count(whole, fraction).zip(lexicon().unit_seconds(unit));
        return Ok(read.map(|((units, per), unit)| decimal_seconds(units, per, unit)));
    }
    if !word.chars().next().is_some_and(|c| c.is_ascii_digit()) || word.contains([':', '/', '-']) {
        return Ok(None);
    }
    let mut total = 0i64;
    let mut digits = String::new();
    let mut chars = word.chars().peekable();
    let mut any_unit = false;
    let mut last_unit = 0i64;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let mut unit = String::from(c);
        while chars.peek().is_some_and(|d| d.is_alphabetic()) {
            unit.push(chars.next().unwrap_or_default());
        }
        let Some(seconds) = lexicon().unit_seconds(&unit) else {
            return Ok(None);
        };
        let Ok(amount) = digits.parse::<i64>() else {
            return Ok(None);
        };
        total = total.saturating_add(amount.saturating_mul(seconds));
        digits.clear();
        any_unit = true;
        last_unit = seconds;
    }
    if !any_unit {
        return Ok(None);
    }
    // `1h30`: the trailing number is in the unit below the last one.
    if !digits.is_empty() {
        let Ok(amount) = digits.parse::<i64>() else {
            return Ok(None);
        };
        let below = match last_unit {
            3600 => 60,
            60 => 1,
            _ => return Ok(None),
        };
        total = total.saturating_add(amount * below);
    }
    Ok(Some(Duration::seconds(total.min(366 * 86_400 * 20))))
}
