//! Which days of a week or month: `monday and thursday`, `monday to
//! friday`, `de terça a quinta`, `du mardi au jeudi`, `weekdays`, `dias
//! úteis`, `en semaine`, `on the 1st`, `the last friday of the month`.

use chrono::Weekday;

use super::recurring::{month_day, workweek};
use super::{Parser, Repeat, Step};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;

impl Parser<'_> {
    /// `monday to friday`, `from tuesday to thursday`, `de terça a quinta`,
    /// `da segunda até a sexta`, `du mardi au jeudi`: the days from one to
    /// the other, through the weekend if it wraps.
    pub(super) fn weekday_range(&mut self) -> Step<Vec<Weekday>> {
        let from_said = self.eat_role(Role::RangeFrom);
        self.eat_role(Role::RangeArticles);
        let Some(first) = lexicon().weekday(self.word(0)) else {
            return Ok(None);
        };
        self.at += 1;
        let joined =
            self.eat_role(Role::RangeTo) || (from_said && self.eat_role(Role::RangeToAfterFrom));
        if !joined {
            return Ok(None);
        }
        self.eat_role(Role::RangeArticles);
        let Some(last) = lexicon().weekday(self.word(0)) else {
            return Ok(None);
        };
        self.at += 1;
        let mut days = vec![first];
        let mut day = first;
        while day != last {
            day = day.succ();
            days.push(day);
        }
        Ok(Some(days))
    }

    /// `weekdays`, `on weekdays`, `dias úteis`, `en semaine`, `jours ouvrés`;
    /// `on weekends`, `nos fins de semana`.
    pub(super) fn workdays(&mut self) -> Step<Repeat> {
        self.eat_role(Role::WorkdaysOn);
        if self.eat_role(Role::Workdays) {
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        if self.eat_role(Role::Weekends) {
            return Ok(Some(Repeat::Weekly(vec![Weekday::Sat, Weekday::Sun])));
        }
        Ok(None)
    }

    /// After `every day`: `todo dia útil`, `tous les jours de la semaine`.
    pub(super) fn workdays_after_day(&mut self) -> Step<Repeat> {
        if self.eat_role(Role::WorkdaysAfterDay) {
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        Ok(None)
    }

    /// `on the 1st`, `no dia 1`, `le 1er` after `every month`; or a nth weekday.
    pub(super) fn monthly(&mut self) -> Step<Repeat> {
        self.eat_role(Role::MonthlyOn);
        self.eat_role(Role::MonthlyDay);
        if let Some(day) = self.ordinal_day()? {
            return month_day(day).map(|d| Some(Repeat::Monthly(d)));
        }
        if let Some(repeat) = self.attempt(Self::nth_weekday)? {
            return Ok(Some(repeat));
        }
        Ok(None)
    }

    /// `last friday of the month`, `primeira segunda do mês`, `dernier vendredi du mois`.
    pub(super) fn nth_weekday(&mut self) -> Step<Repeat> {
        Ok(self.nth_weekday_said()?.map(|(repeat, _)| repeat))
    }

    /// The same, and whether `of the month` was said.
    pub(super) fn nth_weekday_said(&mut self) -> Result<Option<(Repeat, bool)>, Refusal> {
        let start = self.at;
        self.eat_role(Role::NthArticles);
        let Some(nth) = lexicon().nth(self.word(0)) else {
            self.at = start;
            return Ok(None);
        };
        let Some(day) = lexicon().weekday(self.word(1)) else {
            self.at = start;
            return Ok(None);
        };
        self.at += 2;
        // `of the month`, `do mês`, `du mois` (optional).
        let save = self.at;
        let of_the_month = self.eat_role(Role::OfMonth) && {
            self.eat_role(Role::OfMonthArticles);
            self.eat_role(Role::Month)
        };
        if !of_the_month {
            self.at = save;
        }
        Ok(Some((Repeat::MonthlyWeekday { nth, day }, of_the_month)))
    }

    /// `on monday and thursday` after `every week`.
    pub(super) fn weekday_list_after_on(&mut self) -> Step<Vec<Weekday>> {
        if !self.eat_role(Role::ListOn) {
            return Ok(None);
        }
        self.weekday_list()
    }

    /// `monday`, `monday and thursday`, `segunda, quarta e sexta`, `lundi et jeudi`.
    pub(super) fn weekday_list(&mut self) -> Step<Vec<Weekday>> {
        let Some(first) = lexicon().weekday(self.word(0)) else {
            return Ok(None);
        };
        self.at += 1;
        let mut days = vec![first];
        loop {
            let save = self.at;
            let joined = self.eat_role(Role::And) || self.eat(&[","]);
            // `and on thursday`, `e na quinta`.
            self.eat_role(Role::ListArticles);
            match lexicon().weekday(self.word(0)) {
                Some(day) if joined => {
                    self.at += 1;
                    if !days.contains(&day) {
                        days.push(day);
                    }
                }
                _ => {
                    self.at = save;
                    break;
                }
            }
        }
        Ok(Some(days))
    }
}
