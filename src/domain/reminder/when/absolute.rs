//! Days and dates: `tomorrow`, `tonight`, `next friday`, `sexta que vem`,
//! `24 December 2027`, `24 de dezembro`, `2026-12-24`, `24/12`.

use super::dates::{checked_date, iso_date, ordinal_number, slash_date};
use super::{Day, Parser, Part, Step, When};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;
use crate::domain::reminder::tokens::Token;

impl Parser<'_> {
    pub(super) fn absolute(&mut self) -> Step<When> {
        let mut day = None;
        let mut part = None;
        let mut clock = None;
        // `early tomorrow morning`, `early tomorrow`: the day's early morning.
        let mut early = false;
        let mut after_day = false;
        if self.is(0, Role::EarlyBefore) {
            self.at += 1;
            match self.attempt(Self::day_phrase)? {
                Some(found) => (day, early, after_day) = (Some(found), true, true),
                None => self.at -= 1,
            }
        }
        // In any order, each once: `tomorrow morning at 7`, `at 8 tonight`,
        // `sexta à tarde`, `às 22h hoje à noite`.
        for _ in 0..3 {
            // `tomorrow, 9am, to …`, `amanhã, às 9h, de …`: a comma between
            // the parts of one time, taken only if another part follows.
            let comma = (day.is_some() || part.is_some() || clock.is_some()) && self.eat(&[","]);
            if day.is_none() {
                if let Some(found) = self.attempt(Self::day_phrase)? {
                    day = Some(found);
                    after_day = true;
                    continue;
                }
            }
            // A part word alone right after its day: `tomorrow morning`, `at
            // 6 tomorrow morning`.
            let bare = std::mem::take(&mut after_day);
            if part.is_none() {
                if let Some(found) = self.attempt(|p| p.part_phrase(bare))? {
                    if found.today && day.is_none() {
                        day = Some(Day::Today);
                    }
                    part = Some(found.part);
                    continue;
                }
            }
            if clock.is_none() {
                if let Some(found) = self.attempt(Self::clock_phrase)? {
                    clock = Some(found);
                    continue;
                }
            }
            if comma {
                self.at -= 1;
            }
            break;
        }
        if day.is_none() && clock.is_none() && part.is_none() {
            return Ok(None);
        }
        if early && matches!(part, None | Some(Part::Morning)) {
            part = Some(Part::EarlyMorning);
        }
        let clock = self.with_part(clock, part);
        Ok(Some(When::At { day, clock }))
    }

    /// A day with its optional lead-in word (`on friday`, `na sexta`, `le 24`).
    pub(super) fn day_phrase(&mut self) -> Step<Day> {
        let le = self.is(0, Role::OnNumber);
        let (from, short_on) = (self.at, self.is(0, Role::ShortWeekdayOn));
        let on = self.eat_role(Role::On) && short_on;
        let the = self.eat_role(Role::DayNumber);
        if let Some(day) = self.day()? {
            return Ok(Some(day));
        }
        if let Some(day) = self.short_weekday(on, from)? {
            return Ok(Some(day));
        }
        // `on the 22nd`, `no dia 22`, `le 22`, `the 1st`: a day of the month
        // alone. A bare number needs its article (`the`, `dia`, `le`), so
        // `remind me 5 times` stays a count.
        let word = self.word(0);
        let suffixed = word.chars().any(|c| !c.is_ascii_digit());
        let Some(day) = ordinal_number(word).filter(|_| suffixed || the || le) else {
            return Ok(None);
        };
        if lexicon().unit_seconds(self.word(1)).is_some() || lexicon().month(self.word(1)).is_some()
        {
            return Ok(None);
        }
        if !(1..=31).contains(&day) {
            return Err(Refusal::Date);
        }
        self.at += 1;
        // `the 3rd of next month`, `dia 3 do mês que vem`, `le 3 du mois prochain`.
        if self.attempt(Self::of_next_month)?.is_some() {
            return Ok(Some(Day::OfNextMonth(day)));
        }
        self.attempt(Self::of_this_month)?;
        Ok(Some(Day::MonthDay(day)))
    }

    fn of_next_month(&mut self) -> Step<()> {
        let said = self.eat_role(Role::OfMonth) && self.eat_role(Role::NextMonth);
        Ok(said.then_some(()))
    }

    /// `on sat`, `na sex`, or opening the time before a time of day (`remind
    /// me sat at 10`, `rappelle-moi le sam à 10h`, `rappelle-moi sam 9h`): an abbreviation
    /// that is also a word (`call Sam at 3pm` stays today) read as a weekday.
    fn short_weekday(&mut self, on: bool, from: usize) -> Step<Day> {
        let Some(day) = lexicon().short_weekday(self.word(0)) else {
            return Ok(None);
        };
        let start = self.at;
        self.at += 1;
        let timed = !on
            && self.opening == Some(from)
            && (self.attempt(Self::clock_phrase)?.is_some()
                || self.attempt(|p| p.part_phrase(true))?.is_some());
        self.at = start;
        if !(on || timed) {
            return Ok(None);
        }
        self.at += 1;
        Ok(Some(Day::Weekday { day, next: false }))
    }

    /// After a day of the month: `of the month`, `do mês`, `du mois` (not
    /// `of every month`, which repeats).
    fn of_this_month(&mut self) -> Step<()> {
        if !self.eat_role(Role::OfMonth) || self.is(0, Role::Every) {
            return Ok(None);
        }
        self.eat_role(Role::OfMonthArticles);
        Ok(self.eat_role(Role::Month).then_some(()))
    }

    pub(super) fn day(&mut self) -> Step<Day> {
        // `remind me yesterday at 5`: read, so that it is refused as past;
        // only opening the time (`… what happened yesterday at 5pm` is a
        // task set for 5pm).
        if self.opening == Some(self.at) && self.eat_role(Role::Yesterday) {
            return Ok(Some(Day::Yesterday));
        }
        let w = self.word(0).to_owned();
        for (role, day) in [
            (Role::Today, Day::Today),
            (Role::Tomorrow, Day::Tomorrow),
            (Role::AfterTomorrow, Day::AfterTomorrow),
        ] {
            if self.eat_role(role) {
                return Ok(Some(day));
            }
        }
        // `next week`: its Monday, the first day after today that begins a
        // week (resolved as `next monday`, never today).
        if self.eat_role(Role::NextWeek) {
            return Ok(Some(Day::Weekday {
                day: chrono::Weekday::Mon,
                next: true,
            }));
        }
        // `next month`, `next year`: the first day of it.
        if self.eat_role(Role::NextMonth) {
            return Ok(Some(Day::NextMonth));
        }
        if self.eat_role(Role::NextYear) {
            return Ok(Some(Day::NextYear));
        }
        // `this weekend`: its Saturday (today on a Saturday while the time
        // is ahead).
        if self.eat_role(Role::ThisWeekend) {
            return Ok(Some(Day::Weekday {
                day: chrono::Weekday::Sat,
                next: false,
            }));
        }
        if self.eat_role(Role::MonthEnd) {
            return Ok(Some(Day::MonthEnd));
        }
        // `christmas eve`, `véspera de natal`, `le jour de l'an`, `for
        // christmas`: a date.
        let lead = self.said(0, Role::HolidayLeads).unwrap_or(0);
        if let Some(words) = self.said(lead, Role::Holiday) {
            let phrase: Vec<&str> = (lead..lead + words).map(|i| self.word(i)).collect();
            if let Some((month, day)) = lexicon().holiday(&phrase) {
                self.at += lead + words;
                return Ok(Some(Day::Date {
                    day,
                    month,
                    year: None,
                    either_order: false,
                }));
            }
        }
        // `next friday`, `próxima sexta`.
        if self.is(0, Role::Next) {
            if let Some(day) = lexicon().weekday(self.word(1)) {
                self.at += 2;
                return Ok(Some(Day::Weekday { day, next: true }));
            }
            return Ok(None);
        }
        if let Some(day) = lexicon().weekday(&w) {
            self.at += 1;
            // `sexta que vem`, `vendredi prochain`.
            let next = self.eat_role(Role::NextAfter);
            if !next {
                if let Some(dated) = self.attempt(|p| p.date_after_weekday(day))? {
                    return Ok(Some(dated));
                }
            }
            return Ok(Some(Day::Weekday { day, next }));
        }
        if let Some(date) = self.attempt(Self::calendar_date)? {
            return Ok(Some(date));
        }
        Ok(None)
    }

    /// After a weekday, its date: `friday the 27th`, `sexta dia 27`,
    /// `vendredi 27`, `na sexta, dia 4 de dezembro`. The date is what is
    /// set; `readings` offers the weekday when the two disagree.
    fn date_after_weekday(&mut self, weekday: chrono::Weekday) -> Step<Day> {
        self.eat(&[","]);
        let the = self.eat_role(Role::DayNumber);
        if let Some(date) = self.attempt(Self::calendar_date)? {
            return Ok(match date {
                Day::Date {
                    day,
                    month,
                    year,
                    either_order: false,
                } => Some(Day::WeekdayDate {
                    weekday,
                    day,
                    month: Some(month),
                    year,
                }),
                // `friday 03/04`: the two orders are offered as they are.
                _ => Some(date),
            });
        }
        let word = self.word(0);
        let suffixed = word.chars().any(|c| !c.is_ascii_digit());
        let Some(day) = ordinal_number(word) else {
            return Ok(None);
        };
        // `friday 9am`, `vendredi 9 heures`, `friday 2 hours …`: a time or a
        // duration, not the 9th.
        let next = self.word(1);
        let timed = [Role::Am, Role::Pm, Role::OClock, Role::HourMarks]
            .into_iter()
            .any(|role| self.said(1, role).is_some())
            || lexicon().unit_seconds(next).is_some();
        if timed || !(1..=31).contains(&day) || (!suffixed && !the && day == 0) {
            return Ok(None);
        }
        self.at += 1;
        Ok(Some(Day::WeekdayDate {
            weekday,
            day,
            month: None,
            year: None,
        }))
    }

    /// `24 December [2027]`, `December 24[th]`, `24 de dezembro`, `2026-12-24`, `24/12`.
    pub(super) fn calendar_date(&mut self) -> Step<Day> {
        let w = self.word(0).to_owned();
        if let Some(date) = iso_date(&w)? {
            self.at += 1;
            return Ok(Some(date));
        }
        if w.contains('/') {
            let date = slash_date(&w, self.numeric_dates)?;
            self.at += 1;
            return Ok(Some(date));
        }
        // `December 24`.
        if let Some(month) = lexicon().month(&w) {
            if let Some(day) = ordinal_number(self.word(1)) {
                self.at += 2;
                self.eat(&[","]);
                let year = self.year();
                return checked_date(day, month, year).map(Some);
            }
            return Ok(None);
        }
        // `24 December`, `24th of December`, `24 de dezembro`.
        let Some(day) = ordinal_number(&w) else {
            return Ok(None);
        };
        let mut ahead = 1;
        if self.is(ahead, Role::MonthOf) {
            ahead += 1;
        }
        let Some(month) = lexicon().month(self.word(ahead)) else {
            return Ok(None);
        };
        self.at += ahead + 1;
        let save = self.at;
        if !(self.eat_role(Role::YearOf) && self.peek(0).and_then(Token::number).is_some()) {
            self.at = save;
        }
        let year = self.year();
        checked_date(day, month, year).map(Some)
    }

    pub(super) fn year(&mut self) -> Option<i32> {
        let year = self.peek(0).and_then(Token::number)?;
        if (1970..=9999).contains(&year) && self.word(0).len() == 4 {
            self.at += 1;
            return i32::try_from(year).ok();
        }
        None
    }

    /// `the 1st`, `15`, `1er` as a day of the month.
    pub(super) fn ordinal_day(&mut self) -> Result<Option<u32>, Refusal> {
        match ordinal_number(self.word(0)) {
            Some(day) => {
                self.at += 1;
                Ok(Some(day))
            }
            None => Ok(None),
        }
    }
}
