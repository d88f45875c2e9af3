//! Minutes said in words around an hour: `quarter past 4`, `half past 6`,
//! `10 to 5`, `twenty to eight`, `vinte pras oito`, `quinze para as nove`,
//! `4 e meia`, `6 e quinze`, `6h et quart`, `9h et demie`, `11h moins le
//! quart`, `9h moins 10`. The clock itself (`clock_token`, `hour_word`) is
//! `clock`'s: the imports run one way, from here to there.

use super::clock::{clock_token, hour_word};
use super::{Parser, Step};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::tokens::Token;

impl Parser<'_> {
    /// `quarter past 4`, `at 10 to 5`, `às vinte pras oito`: the hour and
    /// minute, and whether the hour said its half of the day (`quarter past
    /// 5pm`). Minutes in numbers or number words need `at` before them, so
    /// `read chapters 2 to 3` stays text.
    pub(super) fn minutes_past_or_to(&mut self, after_at: bool) -> Step<(u32, u32, bool)> {
        let fraction = self.said(0, Role::FractionLeads).is_some();
        if !fraction && !after_at {
            return Ok(None);
        }
        // `half 9`, `half nine`: half past nine, as the British say it.
        if self.is(0, Role::HalfBeforeHour) {
            self.at += 1;
            if let Some(hour) = self.hour_here() {
                self.at += 1;
                return Ok(Some((hour, 30, false)));
            }
            self.at -= 1;
        }
        let Some(minutes) = self.minutes_word() else {
            return Ok(None);
        };
        self.eat_role(Role::MinuteUnits);
        let before = if self.eat_role(Role::PastHour) {
            false
        } else if self.eat_role(Role::ToHour) {
            self.eat_role(Role::HourArticles);
            true
        } else {
            return Ok(None);
        };
        let (hour, known) = match self.hour_here() {
            Some(hour) => (hour, false),
            None => match clock_token(self.word(0))? {
                // `5pm`: the hour on the 24-hour clock, before the minutes
                // are taken from it (`quarter to 12pm` is 11:45).
                Some((hour @ 1..=12, 0, Some(pm), _)) => {
                    (hour % 12 + if pm { 12 } else { 0 }, true)
                }
                _ => return Ok(None),
            },
        };
        self.at += 1;
        let (hour, minute) = if before {
            earlier(hour, minutes)
        } else {
            (hour, minutes)
        };
        Ok(Some((hour, minute, known)))
    }

    /// After an hour: `e meia`, `e quinze`, `et quart`, `et demie`, `and a
    /// half`, `moins le quart`, `moins 10`.
    pub(super) fn minutes_after(&mut self, hour: u32) -> Step<(u32, u32)> {
        if self.eat_role(Role::Minus) {
            self.eat_role(Role::MinusArticles);
            let Some(minutes) = self.minutes_word() else {
                return Ok(None);
            };
            self.eat_role(Role::MinuteUnits);
            return Ok(Some(earlier(hour, minutes)));
        }
        let fractions_only = self.is(0, Role::AndFractionsOnly);
        if !self.eat_role(Role::And) {
            return Ok(None);
        }
        self.eat_role(Role::FractionArticles);
        // `and` takes only `a half` and `a quarter`: `at 5 and 6` is two times.
        if fractions_only && !(self.is(0, Role::Half) || self.is(0, Role::Quarter)) {
            return Ok(None);
        }
        let Some(minutes) = self.minutes_word() else {
            return Ok(None);
        };
        self.eat_role(Role::MinuteUnits);
        Ok(Some((hour, minutes)))
    }

    /// Minutes right after an hour, with no `and`: in words (`nine thirty`,
    /// `seven forty five`, `ten oh five`), and after `heures` or `horas`
    /// also in digits (`neuf heures trente`, `9 heures 30`); not a count
    /// (`at nine ten times`, `9 heures 2 fois`).
    pub(super) fn minutes_said_after(&mut self, after_hour_mark: bool) -> Option<u32> {
        let oh = usize::from(self.is(0, Role::OhMinutes));
        let token = self.peek(oh)?;
        let digits = token.number().filter(|_| !token.spelled);
        let minutes = match digits {
            Some(n) if after_hour_mark && oh == 0 && token.norm.len() <= 2 => n,
            Some(_) => return None,
            None if token.spelled => token.number()?,
            None if token.roles.is(Role::Indefinite) => return None,
            None => lexicon().number(&token.norm)?,
        };
        let fits = match (oh, digits) {
            (1, _) => (1..10).contains(&minutes),
            (_, Some(_)) => (1..60).contains(&minutes),
            _ => (10..60).contains(&minutes),
        };
        let counted = self.is(oh + 1, Role::Times)
            || (lexicon().unit_seconds(self.word(oh + 1)).is_some()
                && !self.is(oh + 1, Role::MinuteUnits));
        if !fits || counted {
            return None;
        }
        self.at += oh + 1;
        self.eat_role(Role::MinuteUnits);
        Some(minutes)
    }

    /// Minutes as a number or a word: `10`, `ten`, `quarter`, `half`,
    /// `meia`, `quinze`, `quart`, `demie`.
    fn minutes_word(&mut self) -> Option<u32> {
        self.eat_role(Role::FractionArticles);
        let word = self.word(0);
        let minutes = if self.is(0, Role::Quarter) {
            15
        } else if self.is(0, Role::Half) {
            30
        } else {
            match self.peek(0).and_then(Token::number) {
                Some(n) if word.len() <= 2 => n,
                Some(_) => return None,
                None => lexicon()
                    .number(word)
                    .filter(|_| !self.is(0, Role::Indefinite))?,
            }
        };
        if !(1..60).contains(&minutes) {
            return None;
        }
        self.at += 1;
        Some(minutes)
    }

    /// An hour from 0 to 12 here, as a number or a word, or noon and midnight.
    fn hour_here(&self) -> Option<u32> {
        let word = self.word(0);
        if self.is(0, Role::Noon) {
            return Some(12);
        }
        if self.is(0, Role::Midnight) {
            return Some(0);
        }
        let hour = match self.peek(0).and_then(Token::number) {
            Some(n) if word.len() <= 2 => n,
            Some(_) => return None,
            None => hour_word(word)?,
        };
        (hour <= 12).then_some(hour)
    }
}

/// `minutes` before `hour`: 10 to 5 is 4:50, a quarter to midnight 23:45.
fn earlier(hour: u32, minutes: u32) -> (u32, u32) {
    let hour = if hour == 0 { 23 } else { hour - 1 };
    (hour, 60 - minutes)
}
