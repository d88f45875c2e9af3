//! Weekdays every n weeks: `every other monday`, `every 2 weeks on monday
//! and thursday`, `biweekly on friday`, `a cada duas semanas na segunda`,
//! `segunda sim, segunda não`, `un lundi sur deux`, `toutes les deux semaines
//! le lundi`, `tous les quinze jours le mardi`. The schedule counts local
//! weeks, so the time of day holds across daylight-saving changes.

use chrono::{Duration, Weekday};

use super::recurring::RepeatSaid;
use super::{Parser, Repeat, Step};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::tokens::Token;

impl Parser<'_> {
    /// After `every`: `other monday`, `other week on monday`.
    pub(super) fn every_other(&mut self) -> Step<RepeatSaid> {
        // Only `other`: `every second monday` is the month's second Monday.
        if !self.eat_role(Role::Other) {
            return Ok(None);
        }
        // `every other day`: every two days, as `every 2 days`.
        if self.eat_role(Role::OtherDay) {
            return Ok(Some(RepeatSaid::Interval(Duration::days(2))));
        }
        if self.eat_role(Role::OtherWeek) {
            return Ok(self.days_of_the_week()?.map(|days| apart(2, days)));
        }
        Ok(self.weekday_list()?.map(|days| apart(2, days)))
    }

    /// After `every`: `2 fridays`, `duas sextas` (`a cada duas sextas`):
    /// that weekday every n weeks.
    pub(super) fn every_n_weekdays(&mut self) -> Step<RepeatSaid> {
        let (Some(weeks), Some(day)) = (count(self.peek(0)), lexicon().weekday(self.word(1)))
        else {
            return Ok(None);
        };
        self.at += 2;
        Ok(Some(apart(weeks, vec![day])))
    }

    /// Words that say every n weeks alone: `biweekly on friday`, `un lundi
    /// sur deux`, `segunda sim, segunda não`.
    pub(super) fn weeks_apart_words(&mut self) -> Step<RepeatSaid> {
        if self.eat_role(Role::Fortnightly) {
            return Ok(self.days_of_the_week()?.map(|days| apart(2, days)));
        }
        // `un lundi sur deux`, `un mardi sur trois`.
        if self.is(0, Role::OneIn) && self.is(2, Role::InEvery) {
            if let (Some(day), Some(weeks)) = (lexicon().weekday(self.word(1)), count(self.peek(3)))
            {
                self.at += 4;
                return Ok(Some(apart(weeks, vec![day])));
            }
        }
        // `un jour sur deux`: every n days.
        if self.is(0, Role::OneIn) && self.is(1, Role::Day) && self.is(2, Role::InEvery) {
            if let Some(days) = count(self.peek(3)) {
                self.at += 4;
                return Ok(Some(RepeatSaid::Interval(Duration::days(i64::from(days)))));
            }
        }
        // `segunda sim, segunda não`, `uma segunda sim, outra não`, `dia
        // sim, dia não` (every two days).
        self.eat_role(Role::AlternateArticles);
        let weekday = lexicon().weekday(self.word(0));
        let a_day = self.is(0, Role::Day);
        if (weekday.is_none() && !a_day) || !self.is(1, Role::AlternateYes) {
            return Ok(None);
        }
        self.at += 2;
        self.eat(&[","]);
        let again = match weekday {
            Some(day) => lexicon().weekday(self.word(0)) == Some(day),
            None => self.is(0, Role::Day),
        } || self.is(0, Role::AlternateOther);
        if again && self.is(1, Role::AlternateNo) {
            self.at += 2;
            return Ok(Some(match weekday {
                Some(day) => apart(2, vec![day]),
                None => RepeatSaid::Interval(Duration::days(2)),
            }));
        }
        Ok(None)
    }

    /// After an interval of whole weeks (`every 2 weeks`, `a cada duas
    /// semanas`, `tous les quinze jours`): the days it falls on, if said.
    pub(super) fn weeks_apart_after(&mut self, every: Duration) -> Step<Repeat> {
        // `quinze jours`, `quinze dias`: a fortnight.
        let weeks = if every == Duration::days(15) {
            2
        } else if every.num_seconds() % Duration::weeks(1).num_seconds() == 0 {
            u32::try_from(every.num_weeks()).unwrap_or(0)
        } else {
            return Ok(None);
        };
        if weeks < 2 {
            return Ok(None);
        }
        Ok(self
            .days_of_the_week()?
            .map(|days| Repeat::WeeksApart { weeks, days }))
    }

    /// `on monday`, `na segunda`, `às segundas`, `le lundi`, `les lundis`.
    pub(super) fn days_of_the_week(&mut self) -> Step<Vec<Weekday>> {
        self.eat(&[","]);
        self.eat_role(Role::WeeklyOn);
        self.weekday_list()
    }
}

fn apart(weeks: u32, days: Vec<Weekday>) -> RepeatSaid {
    RepeatSaid::Calendar(Repeat::WeeksApart { weeks, days })
}

/// `deux`, `2`, `trois`: how many weeks apart (2 to 52).
fn count(token: Option<&Token>) -> Option<u32> {
    let token = token?;
    token
        .number()
        .or_else(|| lexicon().number(&token.norm))
        .filter(|n| (2..=52).contains(n))
}
