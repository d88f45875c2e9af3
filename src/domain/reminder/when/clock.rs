//! Times of day: `17:30`, `5pm`, `9h`, `9 horas`, `at 0845`, `noon`,
//! `meia-noite`, `9 da manhã`, `3h de l'après-midi`; the minutes said in
//! words (`quarter past 4`, `4 e meia`, `9h moins le quart`) are
//! `clock_words`', which builds on the hours read here (`clock_token`,
//! `hour_word`).

use super::{Clock, Half, Parser, Step};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;

impl Parser<'_> {
    /// A time with its lead-in (`at 17:30`, `às 9h`, `à 9h`), or a time word alone.
    pub(super) fn clock_phrase(&mut self) -> Step<Clock> {
        let led = self.eat_role(Role::At);
        match self.clock()? {
            Some(clock) => Ok(Some(clock)),
            // `at` followed by an impossible time (`at 25:00`).
            None if led && looks_like_time(self.word(0)) => Err(Refusal::Date),
            None => Ok(None),
        }
    }

    pub(super) fn clock(&mut self) -> Step<Clock> {
        let w = self.word(0).to_owned();
        // Noon and midnight, said in one word, take minutes after them
        // (`midi et quart`, `minuit et demi`, `meia-noite e meia`), and before
        // them (`midi moins le quart` is 11:45).
        let named = [(Role::Noon, 12), (Role::Midnight, 0)]
            .into_iter()
            .find_map(|(role, hour)| self.said(0, role).map(|words| (words, hour)));
        if let Some((words, hour)) = named {
            self.at += words;
            let (hour, minute) = if words == 1 {
                self.attempt(|p| p.minutes_after(hour))?
                    .unwrap_or((hour, 0))
            } else {
                (hour, 0)
            };
            return Ok(Some(Clock::new(hour, minute)));
        }
        // `end of day`, `by eod`, `no fim do dia`: the setting's time.
        if self.eat_role(Role::EndOfDay) {
            return Ok(Some(self.defaults.end_of_day));
        }
        let begins = self.at;
        let after_at = begins
            .checked_sub(1)
            .and_then(|before| self.tokens.get(before))
            .is_some_and(|token| lexicon().is(Role::At, &token.norm));
        // `quarter past 4`, `10 to 5`, `vinte pras oito`.
        let worded = hour_word(&w).is_some() && clock_token(&w)?.is_none();
        // `7h`, `07:30`: the 24-hour way of writing, one reading.
        let mut twenty_four = w.starts_with(|c: char| c.is_ascii_digit())
            && (w.contains('h') || (w.len() > 1 && w.starts_with('0')));
        let (mut hour, mut minute, mut meridiem, mut marked) = if let Some((hour, minute, known)) =
            self.attempt(|p| p.minutes_past_or_to(after_at))?
        {
            twenty_four |= known;
            (hour, minute, None, true)
        } else if let Some(token) = clock_token(&w)? {
            self.at += 1;
            token
        } else if let Some(hour) = hour_word(&w) {
            // `at four`, `às quatro e meia`, `à huit heures`: checked below.
            self.at += 1;
            (hour, 0, None, false)
        } else if let Some((hour, minute)) = after_at.then(|| military(&w)).flatten() {
            // `at 0845`, `at 1130`: a four-digit time, only after `at`,
            // and always on the 24-hour clock.
            self.at += 1;
            twenty_four = true;
            (hour, minute, None, true)
        } else {
            return Ok(None);
        };
        // `9 o'clock`, `9 horas`, `9 heures`.
        let mut hour_mark = false;
        if meridiem.is_none() && !marked {
            if self.eat_role(Role::OClock) {
                marked = true;
            } else if self.eat_role(Role::HourMarks) {
                // `17 horas` is the 24-hour clock; `7 heures`, `7 horas`,
                // as `cinco horas` in words, may be either half of the day.
                marked = true;
                hour_mark = true;
                twenty_four |= !worded && hour > 12;
            }
        }
        // `nine thirty`, `ten oh five`; `neuf heures trente`, `9 heures 30`.
        if minute == 0 && ((worded && !marked) || hour_mark) {
            if let Some(said) = self.minutes_said_after(hour_mark) {
                (minute, marked) = (said, true);
            }
        }
        // `4 e meia`, `6 e quinze`, `6h et quart`, `11h moins le quart`.
        if minute == 0 {
            if let Some((h, m)) = self.attempt(|p| p.minutes_after(hour))? {
                (hour, minute, marked) = (h, m, true);
            }
        }
        // `5 pm`.
        if meridiem.is_none() {
            if self.eat_role(Role::Am) {
                meridiem = Some(false);
                marked = true;
            } else if self.eat_role(Role::Pm) {
                meridiem = Some(true);
                marked = true;
            }
        }
        // A bare number is a time only after `at` (`remind me 5 times`); an
        // hour in words only with what makes it one (`at four o'clock`, `às
        // quatro e meia`), or closing the phrase (`at four to …`), not `at
        // one point`; or with its half of the day (`às cinco da tarde`).
        let closes = self.word(0).is_empty()
            || lexicon().is(Role::Joiners, self.word(0))
            || self.said(0, Role::MorningAfterHour).is_some()
            || self.said(0, Role::EveningAfterHour).is_some();
        if !marked && (!after_at || (worded && !closes)) {
            self.at = begins;
            return Ok(None);
        }
        if let Some(pm) = meridiem {
            if hour == 0 || hour > 12 {
                return Err(Refusal::Date);
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        // `9 da manhã`, `3 da tarde`, `9h du soir`, `3h de l'après-midi`.
        let part = match self.said(0, Role::MorningAfterHour) {
            Some(words) => Some((false, words)),
            None => self
                .said(0, Role::EveningAfterHour)
                .map(|words| (true, words)),
        };
        if let Some((pm, words)) = part {
            if meridiem.is_some() || hour > 12 {
                return Err(Refusal::Date);
            }
            self.at += words;
            if pm && hour < 12 {
                hour += 12;
            }
            if !pm && hour == 12 {
                hour = 0;
            }
        }
        if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
            return Err(Refusal::Date);
        }
        let half =
            if meridiem.is_some() || part.is_some() || twenty_four || !(1..12).contains(&hour) {
                Half::Known
            } else if w.contains([':', '.']) {
                // `9:30` is the morning; `5:30` may well be the afternoon.
                if self.twelve_hour_digits && hour <= 6 {
                    Half::AsWritten
                } else if self.twelve_hour_digits {
                    Half::Morning
                } else {
                    Half::Known
                }
            } else {
                Half::Either
            };
        Ok(Some(Clock {
            half,
            ..Clock::new(hour, minute)
        }))
    }
}

/// `0845`, `1730`: hours and minutes in four digits.
fn military(word: &str) -> Option<(u32, u32)> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hour, minute) = (word[..2].parse().ok()?, word[2..].parse().ok()?);
    (hour < 24 && minute < 60).then_some((hour, minute))
}

/// Whether a word is a time that does not exist (`25:00`, `17:60`, `25h`).
pub(super) fn looks_like_time(word: &str) -> bool {
    let first = word.chars().next();
    first.is_some_and(|c| c.is_ascii_digit())
        && (word.contains(':') || word.contains('h') || meridiem_suffix(word).is_some())
}

/// A token ending in `am` or `pm` (`5pm`): what comes before, and whether
/// it is the afternoon.
fn meridiem_suffix(word: &str) -> Option<(&str, bool)> {
    let lexicon = lexicon();
    let ending = |role| {
        lexicon
            .words(role)
            .iter()
            .find_map(|suffix| word.strip_suffix(suffix.as_str()))
    };
    ending(Role::Am)
        .map(|body| (body, false))
        .or_else(|| ending(Role::Pm).map(|body| (body, true)))
}

/// A clock time as one token reads: hour, minute, am (`Some(false)`) or pm
/// (`Some(true)`), and whether the token itself marked it as a time (`:`, `h`,
/// am/pm) rather than being a bare number.
pub(super) type ClockToken = (u32, u32, Option<bool>, bool);

/// `17:30`, `17h30`, `17h`, `5pm`, `5:30pm`, `9`.
pub(super) fn clock_token(word: &str) -> Result<Option<ClockToken>, Refusal> {
    let (body, meridiem) = match meridiem_suffix(word) {
        Some((body, pm)) => (body, Some(pm)),
        None => (word, None),
    };
    if body.is_empty() || !body.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let split = body
        .find([':', 'h', '.'])
        .map(|at| (&body[..at], &body[at + 1..]));
    let (hour, minute, marked) = match split {
        Some((hour, minute)) => {
            let minute = lexicon()
                .words(Role::ClockMinuteSuffixes)
                .iter()
                .find_map(|suffix| minute.strip_suffix(suffix.as_str()))
                .unwrap_or(minute);
            if minute.is_empty() {
                (hour, "0", true)
            } else {
                (hour, minute, true)
            }
        }
        None => (body, "0", false),
    };
    if hour.is_empty()
        || hour.len() > 2
        || minute.len() > 2
        || !hour.bytes().all(|b| b.is_ascii_digit())
        || !minute.bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(None);
    }
    let (Ok(hour), Ok(minute)) = (hour.parse::<u32>(), minute.parse::<u32>()) else {
        return Ok(None);
    };
    // `a 25 de dezembro`: a bare number past the hours is no time at all.
    if hour > 24 && !marked && meridiem.is_none() {
        return Ok(None);
    }
    if minute > 59 || hour > 24 {
        return Err(Refusal::Date);
    }
    Ok(Some((hour, minute, meridiem, marked || meridiem.is_some())))
}

/// An hour in words, one to twelve (`a` and `an` are not hours).
pub(super) fn hour_word(word: &str) -> Option<u32> {
    let lexicon = lexicon();
    if lexicon.is(Role::Indefinite, word) {
        return None;
    }
    let hour = lexicon.number(word)?;
    (1..=12).contains(&hour).then_some(hour)
}
