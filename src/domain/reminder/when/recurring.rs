//! What repeats and how it ends: `every day`, `every monday and thursday`,
//! `todo dia útil`, `le dernier vendredi du mois`, `every 2 hours`, `until
//! friday`, `5 times`.

use chrono::{Duration, Weekday};

use super::{Clock, Day, Parser, Part, Repeat, Step, When};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;
use crate::domain::reminder::tokens::Token;

impl Parser<'_> {
    pub(super) fn recurring(&mut self) -> Step<When> {
        // `at 9:00 every day`: the time may come first.
        let leading_clock = self.attempt(Self::clock_phrase)?;
        let Some(repeat) = self.attempt(Self::repeat)? else {
            return Ok(None);
        };
        match repeat {
            RepeatSaid::Interval(every) => {
                // `every 2 weeks on monday`: weekdays, every n weeks.
                if let Some(repeat) = self.attempt(|p| p.weeks_apart_after(every))? {
                    return self.calendar(repeat, None, leading_clock);
                }
                if leading_clock.is_some() {
                    return Ok(None);
                }
                if every <= Duration::zero() {
                    return Err(Refusal::Date);
                }
                let ending = self.ending()?;
                Ok(Some(When::Interval { every, ending }))
            }
            RepeatSaid::Calendar(repeat) => self.calendar(repeat, None, leading_clock),
            RepeatSaid::PartOfDay(part) => self.calendar(Repeat::Daily, Some(part), leading_clock),
        }
    }

    /// A calendar repetition's time and end: `every monday at 9`, `every
    /// monday morning`, `todos os dias de manhã às 7h`, `tous les soirs`.
    fn calendar(
        &mut self,
        repeat: Repeat,
        part: Option<Part>,
        leading_clock: Option<Clock>,
    ) -> Step<When> {
        let repeat = self.except(repeat)?;
        let mut clock = match leading_clock {
            Some(clock) => Some(clock),
            None => self.attempt(Self::clock_phrase)?,
        };
        let part = match part {
            Some(part) => Some(part),
            None => self.attempt(|p| p.part_phrase(true))?.map(|said| said.part),
        };
        if clock.is_none() && part.is_some() {
            clock = self.attempt(Self::clock_phrase)?;
        }
        let clock = self.with_part(clock, part);
        // `every day at 9 except sundays`.
        let repeat = self.except(repeat)?;
        let ending = self.ending()?;
        // `daily for 2 weeks at 8pm`, `every day until friday at 9`: the
        // time said after the end.
        let clock = match clock {
            None if ending.is_some() => self.attempt(Self::clock_phrase)?,
            said => said,
        };
        Ok(Some(When::Every {
            repeat,
            clock,
            ending,
        }))
    }

    /// `except weekends`, `exceto aos domingos`, `sauf le dimanche`: the
    /// days a daily or weekly repetition leaves out, which makes it weekly
    /// on the others. `except` followed by no day (`except holidays`), or
    /// after another repetition, is refused rather than left in the text:
    /// the reminder would fire on days the person ruled out.
    fn except(&mut self, repeat: Repeat) -> Result<Repeat, Refusal> {
        if !self.eat_role(Role::Except) {
            return Ok(repeat);
        }
        let week = match repeat {
            Repeat::Daily => WEEK.to_vec(),
            Repeat::Weekly(days) => days,
            _ => return Err(Refusal::When),
        };
        self.eat_role(Role::ExceptArticles);
        let left_out = if self.eat_role(Role::Weekends) || self.eat_role(Role::Weekend) {
            vec![Weekday::Sat, Weekday::Sun]
        } else {
            self.attempt(Self::weekday_list)?.ok_or(Refusal::When)?
        };
        let days: Vec<Weekday> = week
            .into_iter()
            .filter(|day| !left_out.contains(day))
            .collect();
        if days.is_empty() {
            return Err(Refusal::Date);
        }
        Ok(Repeat::Weekly(days))
    }

    pub(super) fn repeat(&mut self) -> Step<RepeatSaid> {
        // Words that need no `every`.
        if self.eat_role(Role::Daily) {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Daily)));
        }
        // `hourly`, `de hora em hora`.
        if self.eat_role(Role::Hourly) {
            return Ok(Some(RepeatSaid::Interval(Duration::hours(1))));
        }
        if let Some(days) = self.attempt(Self::workdays)? {
            return Ok(Some(RepeatSaid::Calendar(days)));
        }
        // `weekly on friday`, `semanalmente às sextas`.
        // Without its days (`chaque semaine`), read on as an `every` phrase.
        let weekly = |p: &mut Self| match p.eat_role(Role::Weekly) {
            true => p.days_of_the_week(),
            false => Ok(None),
        };
        if let Some(days) = self.attempt(weekly)? {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(days))));
        }
        if let Some(apart) = self.attempt(Self::weeks_apart_words)? {
            return Ok(Some(apart));
        }
        // `from monday to thursday`, `de terça a quinta`, `du mardi au jeudi`.
        if let Some(days) = self.attempt(Self::weekday_range)? {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(days))));
        }
        // `yearly on 2 May`, `anualmente em 2 de maio`.
        if self.eat_role(Role::Yearly) {
            return self.yearly();
        }
        // `on the 1st of every month`, `no dia 5 de cada mês`, `le 5 de
        // chaque mois`: the day before its `every`.
        if let Some(day) = self.attempt(Self::day_then_every_month)? {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Monthly(day))));
        }
        // `le week-end`, `le dernier vendredi du mois`: French repeats with `le`.
        if self.is(0, Role::RepeatArticle) {
            if let Some(words) = self.said(1, Role::Weekend) {
                self.at += 1 + words;
                return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(vec![
                    Weekday::Sat,
                    Weekday::Sun,
                ]))));
            }
            let save = self.at;
            self.at += 1;
            if let Some((repeat, of_the_month)) = self.nth_weekday_said()? {
                if of_the_month {
                    return Ok(Some(RepeatSaid::Calendar(repeat)));
                }
            }
            self.at = save;
            return Ok(None);
        }
        // `de 2 em 2 horas`.
        if self.is(0, Role::IntervalFrom) {
            if let (Some(a), Some(b)) = (
                self.peek(1).and_then(Token::number),
                self.peek(3).and_then(Token::number),
            ) {
                if a == b && self.is(2, Role::IntervalTo) {
                    if let Some(unit) = lexicon().unit_seconds(self.word(4)) {
                        self.at += 5;
                        return Ok(Some(RepeatSaid::Interval(Duration::seconds(
                            i64::from(a) * unit,
                        ))));
                    }
                }
            }
            return Ok(None);
        }
        // One of the `every` words (`a cada`).
        if !self.eat_role(Role::Every) {
            return Ok(None);
        }
        // `todos os`, `todas as`, `tous les`.
        self.eat_role(Role::EveryArticles);
        self.repeat_after_every()
    }

    pub(super) fn repeat_after_every(&mut self) -> Step<RepeatSaid> {
        if let Some(apart) = self.attempt(Self::every_other)? {
            return Ok(Some(apart));
        }
        if let Some(apart) = self.attempt(Self::every_n_weekdays)? {
            return Ok(Some(apart));
        }
        let w = self.word(0).to_owned();
        // `every evening`, `toda noite`, `todas as manhãs`, `chaque soir`.
        if let Some(part) = lexicon().part_of_day(&w) {
            self.at += 1;
            return Ok(Some(RepeatSaid::PartOfDay(part)));
        }
        if self.eat_role(Role::Year) {
            return self.yearly();
        }
        if self.is(0, Role::Day) {
            // `todo dia 1`: a day of the month.
            if let Some(day) = self.peek(1).and_then(Token::number) {
                if self.is(0, Role::DayWord) {
                    self.at += 2;
                    return month_day(day).map(|d| Some(RepeatSaid::Calendar(Repeat::Monthly(d))));
                }
            }
            self.at += 1;
            if let Some(days) = self.attempt(Self::workdays_after_day)? {
                return Ok(Some(RepeatSaid::Calendar(days)));
            }
            // `todos os dias de segunda a sexta`.
            if let Some(days) = self.attempt(Self::weekday_range)? {
                return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(days))));
            }
            return Ok(Some(RepeatSaid::Calendar(Repeat::Daily)));
        }
        if self.eat_role(Role::Hour) {
            return Ok(Some(RepeatSaid::Interval(Duration::hours(1))));
        }
        if self.eat_role(Role::Minute) {
            return Ok(Some(RepeatSaid::Interval(Duration::minutes(1))));
        }
        if self.eat_role(Role::Week) {
            // `every week on monday`.
            if let Some(days) = self.attempt(Self::weekday_list_after_on)? {
                return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(days))));
            }
            return Ok(Some(RepeatSaid::Interval(Duration::weeks(1))));
        }
        if self.eat_role(Role::Month) {
            return self.monthly().map(|r| r.map(RepeatSaid::Calendar));
        }
        if self.eat_role(Role::Workday) {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(workweek()))));
        }
        if self.eat_role(Role::Weekend) {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(vec![
                Weekday::Sat,
                Weekday::Sun,
            ]))));
        }
        // `every 2 May`, `todo 2 de maio`, `tous les 2 mai`.
        if let Some(yearly) = self.attempt(Self::yearly_date)? {
            return Ok(Some(yearly));
        }
        // `every 1st of the month`, `tous les 1er du mois`.
        if let Some(day) = self.attempt(Self::day_of_every_month)? {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Monthly(day))));
        }
        // `every last friday of the month`, `every first monday`.
        if let Some(repeat) = self.attempt(Self::nth_weekday)? {
            return Ok(Some(RepeatSaid::Calendar(repeat)));
        }
        if let Some(days) = self.attempt(Self::weekday_list)? {
            return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(days))));
        }
        // `every 2 hours`, `a cada 2 horas`, `toutes les 2 heures`.
        if let Some(every) = self.attempt(Self::duration)? {
            return Ok(Some(RepeatSaid::Interval(every)));
        }
        // `every 0 hours` is caught by `duration` as zero; a number with an
        // unknown unit is a misspelling.
        if self.peek(0).and_then(Token::number).is_some() {
            return Err(Refusal::When);
        }
        Ok(None)
    }

    /// `on the 1st of every month`, `dia 5 de todo mês`, `le 5 de tous les
    /// mois`: a day of the month, then `of every month`.
    fn day_then_every_month(&mut self) -> Step<u32> {
        self.eat_role(Role::On);
        self.eat_role(Role::DayNumber);
        let Some(day) = self.ordinal_day()? else {
            return Ok(None);
        };
        if !(self.eat_role(Role::OfMonth) && self.eat_role(Role::Every)) {
            return Ok(None);
        }
        self.eat_role(Role::EveryArticles);
        if !self.eat_role(Role::Month) {
            return Ok(None);
        }
        month_day(day).map(Some)
    }

    /// `1st of the month`, `1er du mois`, `15 de cada mês`.
    fn day_of_every_month(&mut self) -> Step<u32> {
        let Some(day) = self.ordinal_day()? else {
            return Ok(None);
        };
        let of_the_month = self.eat_role(Role::OfMonth) && {
            self.eat_role(Role::OfMonthArticles);
            self.eat_role(Role::Month)
        };
        if !of_the_month {
            return Ok(None);
        }
        month_day(day).map(Some)
    }

    /// After `every year`: `on 2 May`, `em 2 de maio`, `le 2 mai`.
    fn yearly(&mut self) -> Step<RepeatSaid> {
        self.eat_role(Role::YearlyOn);
        self.eat_role(Role::DayWord);
        match self.attempt(Self::yearly_date)? {
            Some(yearly) => Ok(Some(yearly)),
            None => Err(Refusal::When),
        }
    }

    /// A date without a year as a yearly repetition.
    fn yearly_date(&mut self) -> Step<RepeatSaid> {
        match self.calendar_date()? {
            Some(Day::Date {
                day,
                month,
                year: None,
                ..
            }) => Ok(Some(RepeatSaid::Calendar(Repeat::Yearly { day, month }))),
            _ => Ok(None),
        }
    }
}

/// What followed `every`.
pub(super) enum RepeatSaid {
    Interval(Duration),
    Calendar(Repeat),
    /// `every evening`: daily, at that part's time.
    PartOfDay(Part),
}

pub(super) fn workweek() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

pub(super) fn month_day(day: u32) -> Result<u32, Refusal> {
    if (1..=31).contains(&day) {
        Ok(day)
    } else {
        Err(Refusal::Date)
    }
}

/// The days of the week, Monday first.
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];
