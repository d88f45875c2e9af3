//! The time part of a reminder, from tokens to what was said (`When`), not yet
//! placed in time: `in 10 minutes`, `tomorrow at 9am`, `on 24 December at
//! 18:00`, `every monday and thursday at 10:00 until friday`, `"0 9 * * *"`.
//! `resolve` turns a `When` into a schedule with the user's "now" and zone.

use chrono::{Duration, Weekday};

use super::Refusal;
use super::tokens::{Kind, Token};
use super::vocab::{self, AND, AT, EVERY, IN, ON, TIMES, UNTIL};

/// A wall-clock time of day. `24:00` is kept as such: it is midnight at the
/// end of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub hour: u32,
    pub minute: u32,
}

/// A day, as said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Today,
    Tomorrow,
    AfterTomorrow,
    /// `friday` (today if its time is still ahead) or `next friday` (after today).
    Weekday {
        day: Weekday,
        next: bool,
    },
    /// A calendar date; the year when given.
    Date {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
}

/// Which of a month's weekdays: the first … fifth, or the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    Ordinal(u32),
    Last,
}

/// What repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeat {
    Daily,
    /// These weekdays (Monday to Friday for `every weekday`).
    Weekly(Vec<Weekday>),
    /// This day of every month.
    Monthly(u32),
    /// The nth (or last) such weekday of every month.
    MonthlyWeekday {
        nth: Nth,
        day: Weekday,
    },
}

/// How a recurring reminder ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Count(u32),
    /// Through the end of that day.
    Until(Day),
}

/// The time part of a reminder, as said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// `in 10 minutes`.
    In(Duration),
    /// `tomorrow at 9am`, `at 17:30`, `on 24 December`: a day, a time, or both.
    At {
        day: Option<Day>,
        clock: Option<Clock>,
    },
    /// `every monday at 10:00`.
    Every {
        repeat: Repeat,
        clock: Option<Clock>,
        ending: Option<Ending>,
    },
    /// `every 2 hours`.
    Interval {
        every: Duration,
        ending: Option<Ending>,
    },
    /// A cron expression in quotes.
    Cron {
        expression: String,
        ending: Option<Ending>,
    },
}

/// What parsing at a position found.
pub enum Found {
    /// A time phrase, and the position after it.
    When(When, usize),
    /// A time phrase starts here but says something impossible.
    Invalid(Refusal),
    /// No time phrase starts here.
    Nothing,
}

/// How a numeric date such as `03/04` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericDates {
    /// Day first (Portuguese, French).
    DayFirst,
    /// Either way when only one reading exists (English); refused when both do.
    Unambiguous,
}

/// Reads the time phrase that starts at `at`, as long as it goes.
pub fn parse(tokens: &[Token], at: usize, numeric_dates: NumericDates) -> Found {
    let mut parser = Parser {
        tokens,
        at,
        numeric_dates,
    };
    match parser.when() {
        Ok(Some(when)) => Found::When(when, parser.at),
        Ok(None) => Found::Nothing,
        Err(refusal) => Found::Invalid(refusal),
    }
}

/// Reads an end alone (`until friday`, `5 times`) at `at`.
pub fn ending(tokens: &[Token], at: usize, numeric_dates: NumericDates) -> Option<(Ending, usize)> {
    let mut parser = Parser {
        tokens,
        at,
        numeric_dates,
    };
    match parser.ending() {
        Ok(Some(ending)) => Some((ending, parser.at)),
        _ => None,
    }
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    numeric_dates: NumericDates,
}

type Step<T> = Result<Option<T>, Refusal>;

impl Parser<'_> {
    fn peek(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead)
    }

    fn word(&self, ahead: usize) -> &str {
        self.peek(ahead)
            .filter(|t| t.kind != Kind::Quoted)
            .map_or("", |t| t.norm.as_str())
    }

    fn eat(&mut self, words: &[&str]) -> bool {
        if words.contains(&self.word(0)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Runs `step` from the current position; on `None`, goes back.
    fn attempt<T>(&mut self, step: impl FnOnce(&mut Self) -> Step<T>) -> Step<T> {
        let start = self.at;
        let found = step(self)?;
        if found.is_none() {
            self.at = start;
        }
        Ok(found)
    }

    fn when(&mut self) -> Step<When> {
        if let Some(token) = self.peek(0) {
            if token.kind == Kind::Quoted {
                let expression = token.norm.clone();
                self.at += 1;
                let ending = self.ending()?;
                return Ok(Some(When::Cron { expression, ending }));
            }
        }
        if let Some(when) = self.attempt(Self::relative)? {
            return Ok(Some(when));
        }
        if let Some(when) = self.attempt(Self::recurring)? {
            return Ok(Some(when));
        }
        self.attempt(Self::absolute)
    }

    // ---- in 10 minutes ----

    fn relative(&mut self) -> Step<When> {
        let introduced = self.eat(IN)
            || (self.word(0) == "daqui" && self.word(1) == "a" && {
                self.at += 2;
                true
            });
        if !introduced {
            return Ok(None);
        }
        // `in` then something that is not a duration is not this phrase:
        // `em 24 de dezembro` is a date, `in the kitchen` no time at all, and
        // `in 10 minuts` a misspelling the caller points out.
        match self.duration()? {
            Some(duration) if duration > Duration::zero() => Ok(Some(When::In(duration))),
            // `in 0 minutes` is now, not a time ahead.
            Some(_) => Err(Refusal::Past),
            None => Ok(None),
        }
    }

    /// `10 minutes`, `1h30`, `2 hours and 30 minutes`, `an hour`, `half an hour`.
    fn duration(&mut self) -> Step<Duration> {
        let mut total: Option<Duration> = None;
        loop {
            let part = self.attempt(Self::duration_part)?;
            let Some(part) = part else { break };
            total = Some(total.unwrap_or_else(Duration::zero) + part);
            let before_and = self.at;
            if self.eat(AND) || self.eat(&[","]) {
                if self.attempt(Self::duration_part)?.is_some() {
                    self.at = before_and + 1;
                    continue;
                }
                self.at = before_and;
            }
            // `1h 30` or `1 hour 30`: minutes after hours.
            if let Some(minutes) = self.peek(0).and_then(Token::number) {
                if minutes < 60
                    && !self.word(1).is_empty()
                    && vocab::unit_seconds(self.word(1)).is_some()
                {
                    continue;
                }
            }
            break;
        }
        Ok(total)
    }

    fn duration_part(&mut self) -> Step<Duration> {
        // `half an hour`, `meia hora`, `une demi-heure`.
        if self.word(0) == "half"
            && vocab::number_word(self.word(1)) == Some(1)
            && self.word(2) == "hour"
        {
            self.at += 3;
            return Ok(Some(Duration::minutes(30)));
        }
        if self.eat(&["meia"]) {
            if self.eat(&["hora"]) {
                return Ok(Some(Duration::minutes(30)));
            }
            return Ok(None);
        }
        let une = usize::from(self.word(0) == "une");
        if self.word(une) == "demi-heure" {
            self.at += une + 1;
            return Ok(Some(Duration::minutes(30)));
        }
        if self.word(une) == "demi" && self.word(une + 1) == "heure" {
            self.at += une + 2;
            return Ok(Some(Duration::minutes(30)));
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
        let amount = match word.parse::<i64>() {
            Ok(n) if word.len() <= 6 => Some(n),
            _ => vocab::number_word(&word).map(i64::from),
        };
        let Some(amount) = amount else {
            return Ok(None);
        };
        let Some(unit) = vocab::unit_seconds(self.word(1)) else {
            return Ok(None);
        };
        self.at += 2;
        // `1 hour 30` (minutes implied after hours).
        if unit == 3600 {
            if let Some(minutes) = self.peek(0).and_then(Token::number) {
                if minutes < 60
                    && vocab::unit_seconds(self.word(1)).is_none()
                    && !TIMES.contains(&self.word(1))
                {
                    self.at += 1;
                    return Ok(Some(Duration::seconds(
                        amount * unit + i64::from(minutes) * 60,
                    )));
                }
            }
        }
        Ok(Some(Duration::seconds(amount.saturating_mul(unit))))
    }

    // ---- every … ----

    fn recurring(&mut self) -> Step<When> {
        // `at 9:00 every day`: the time may come first.
        let leading_clock = self.attempt(Self::clock_phrase)?;
        let Some(repeat) = self.attempt(Self::repeat)? else {
            return Ok(None);
        };
        match repeat {
            RepeatSaid::Interval(every) => {
                if leading_clock.is_some() {
                    return Ok(None);
                }
                if every <= Duration::zero() {
                    return Err(Refusal::Date);
                }
                let ending = self.ending()?;
                Ok(Some(When::Interval { every, ending }))
            }
            RepeatSaid::Calendar(repeat) => {
                let clock = match leading_clock {
                    Some(clock) => Some(clock),
                    None => self.attempt(Self::clock_phrase)?,
                };
                let ending = self.ending()?;
                Ok(Some(When::Every {
                    repeat,
                    clock,
                    ending,
                }))
            }
        }
    }

    fn repeat(&mut self) -> Step<RepeatSaid> {
        let w = self.word(0).to_owned();
        // Words that need no `every`.
        match w.as_str() {
            "daily" | "diariamente" | "quotidiennement" => {
                self.at += 1;
                return Ok(Some(RepeatSaid::Calendar(Repeat::Daily)));
            }
            "hourly" => {
                self.at += 1;
                return Ok(Some(RepeatSaid::Interval(Duration::hours(1))));
            }
            _ => {}
        }
        if let Some(days) = self.attempt(Self::workdays)? {
            return Ok(Some(RepeatSaid::Calendar(days)));
        }
        // `le week-end`, `le dernier vendredi du mois`: French repeats with `le`.
        if w == "le" {
            if matches!(self.word(1), "week-end" | "weekend") {
                self.at += 2;
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
        if w == "de" {
            if let (Some(a), Some(b)) = (
                self.peek(1).and_then(Token::number),
                self.peek(3).and_then(Token::number),
            ) {
                if a == b && self.word(2) == "em" {
                    if let Some(unit) = vocab::unit_seconds(self.word(4)) {
                        self.at += 5;
                        return Ok(Some(RepeatSaid::Interval(Duration::seconds(
                            i64::from(a) * unit,
                        ))));
                    }
                }
            }
            if self.word(1) == "hora" && self.word(2) == "em" && self.word(3) == "hora" {
                self.at += 4;
                return Ok(Some(RepeatSaid::Interval(Duration::hours(1))));
            }
            return Ok(None);
        }
        // `a cada`, or one of the `every` words.
        let every = if w == "a" && self.word(1) == "cada" {
            self.at += 2;
            true
        } else {
            self.eat(EVERY)
        };
        if !every {
            return Ok(None);
        }
        // `todos os`, `todas as`, `tous les`.
        self.eat(&["os", "as", "les", "the"]);
        self.repeat_after_every()
    }

    fn repeat_after_every(&mut self) -> Step<RepeatSaid> {
        let w = self.word(0).to_owned();
        match w.as_str() {
            "day" | "days" | "dia" | "dias" | "jour" | "jours" => {
                // `todo dia 1`: a day of the month.
                if let Some(day) = self.peek(1).and_then(Token::number) {
                    if matches!(w.as_str(), "dia") {
                        self.at += 2;
                        return month_day(day)
                            .map(|d| Some(RepeatSaid::Calendar(Repeat::Monthly(d))));
                    }
                }
                self.at += 1;
                if let Some(days) = self.attempt(Self::workdays_after_day)? {
                    return Ok(Some(RepeatSaid::Calendar(days)));
                }
                return Ok(Some(RepeatSaid::Calendar(Repeat::Daily)));
            }
            "hour" | "hora" | "heure" | "heures" | "horas" => {
                self.at += 1;
                return Ok(Some(RepeatSaid::Interval(Duration::hours(1))));
            }
            "minute" | "minuto" | "minutes" | "minutos" => {
                self.at += 1;
                return Ok(Some(RepeatSaid::Interval(Duration::minutes(1))));
            }
            "week" | "semana" | "semaine" | "semaines" | "semanas" => {
                self.at += 1;
                // `every week on monday`.
                if let Some(days) = self.attempt(Self::weekday_list_after_on)? {
                    return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(days))));
                }
                return Ok(Some(RepeatSaid::Interval(Duration::weeks(1))));
            }
            "month" | "mes" | "mois" => {
                self.at += 1;
                return self.monthly().map(|r| r.map(RepeatSaid::Calendar));
            }
            "weekday" | "weekdays" | "workday" | "workdays" => {
                self.at += 1;
                return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(workweek()))));
            }
            "weekend" | "week-end" | "weekends" | "week-ends" => {
                self.at += 1;
                return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(vec![
                    Weekday::Sat,
                    Weekday::Sun,
                ]))));
            }
            "fim" if self.word(1) == "de" && self.word(2) == "semana" => {
                self.at += 3;
                return Ok(Some(RepeatSaid::Calendar(Repeat::Weekly(vec![
                    Weekday::Sat,
                    Weekday::Sun,
                ]))));
            }
            _ => {}
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

    /// `weekdays`, `on weekdays`, `dias úteis`, `en semaine`, `jours ouvrés`.
    fn workdays(&mut self) -> Step<Repeat> {
        self.eat(&["on", "nos", "em"]);
        let w = self.word(0);
        if matches!(w, "weekdays" | "workdays") {
            self.at += 1;
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        if matches!(w, "dias" | "dia") && matches!(self.word(1), "uteis" | "util") {
            self.at += 2;
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        if w == "en" && self.word(1) == "semaine" {
            self.at += 2;
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        if matches!(w, "jours") && matches!(self.word(1), "ouvres" | "ouvrables") {
            self.at += 2;
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        Ok(None)
    }

    /// After `every day`: `todo dia útil`, `tous les jours de la semaine`.
    fn workdays_after_day(&mut self) -> Step<Repeat> {
        if self.eat(&["util", "uteis", "ouvre", "ouvres", "ouvrable", "ouvrables"]) {
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        if self.word(0) == "de" && self.word(1) == "la" && self.word(2) == "semaine" {
            self.at += 3;
            return Ok(Some(Repeat::Weekly(workweek())));
        }
        Ok(None)
    }

    /// `on the 1st`, `no dia 1`, `le 1er` after `every month`; or a nth weekday.
    fn monthly(&mut self) -> Step<Repeat> {
        self.eat(&["on", "no", "le", "the", "em"]);
        self.eat(&["the", "dia", "day"]);
        if let Some(day) = self.ordinal_day()? {
            return month_day(day).map(|d| Some(Repeat::Monthly(d)));
        }
        if let Some(repeat) = self.attempt(Self::nth_weekday)? {
            return Ok(Some(repeat));
        }
        Ok(None)
    }

    /// `last friday of the month`, `primeira segunda do mês`, `dernier vendredi du mois`.
    fn nth_weekday(&mut self) -> Step<Repeat> {
        Ok(self.nth_weekday_said()?.map(|(repeat, _)| repeat))
    }

    /// The same, and whether `of the month` was said.
    fn nth_weekday_said(&mut self) -> Result<Option<(Repeat, bool)>, Refusal> {
        let start = self.at;
        self.eat(&["the", "a", "o", "le", "la"]);
        let nth = match self.word(0) {
            "last" | "ultima" | "ultimo" | "dernier" | "derniere" => Nth::Last,
            "first" | "primeira" | "primeiro" | "premier" | "premiere" | "1st" | "1er" | "1re" => {
                Nth::Ordinal(1)
            }
            "second" | "segunda" | "segundo" | "deuxieme" | "2nd" | "2e" => Nth::Ordinal(2),
            "third" | "terceira" | "terceiro" | "troisieme" | "3rd" | "3e" => Nth::Ordinal(3),
            "fourth" | "quarta" | "quarto" | "quatrieme" | "4th" | "4e" => Nth::Ordinal(4),
            _ => {
                self.at = start;
                return Ok(None);
            }
        };
        let Some(day) = vocab::weekday(self.word(1)) else {
            self.at = start;
            return Ok(None);
        };
        self.at += 2;
        // `of the month`, `do mês`, `du mois` (optional).
        let save = self.at;
        let of_the_month = self.eat(&["of", "do", "du", "de"]) && {
            self.eat(&["the", "cada", "chaque"]);
            self.eat(&["month", "mes", "mois"])
        };
        if !of_the_month {
            self.at = save;
        }
        Ok(Some((Repeat::MonthlyWeekday { nth, day }, of_the_month)))
    }

    /// `on monday and thursday` after `every week`.
    fn weekday_list_after_on(&mut self) -> Step<Vec<Weekday>> {
        if !self.eat(&["on", "na", "no", "le"]) {
            return Ok(None);
        }
        self.weekday_list()
    }

    /// `monday`, `monday and thursday`, `segunda, quarta e sexta`, `lundi et jeudi`.
    fn weekday_list(&mut self) -> Step<Vec<Weekday>> {
        let Some(first) = vocab::weekday(self.word(0)) else {
            return Ok(None);
        };
        self.at += 1;
        let mut days = vec![first];
        loop {
            let save = self.at;
            let joined = self.eat(AND) || self.eat(&[","]);
            // `and on thursday`, `e na quinta`.
            self.eat(&["on", "na", "no", "le", "a", "o", "as", "os", "les"]);
            match vocab::weekday(self.word(0)) {
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

    // ---- until friday, 5 times ----

    fn ending(&mut self) -> Result<Option<Ending>, Refusal> {
        if let Some(ending) = self.attempt(|p| {
            if let Some(count) = p.peek(0).and_then(Token::number) {
                if p.word(1).is_empty() || !TIMES.contains(&p.word(1)) {
                    return Ok(None);
                }
                p.at += 2;
                if count == 0 {
                    return Err(Refusal::Date);
                }
                return Ok(Some(Ending::Count(count)));
            }
            // `5x`.
            if let Some(count) = p
                .word(0)
                .strip_suffix('x')
                .and_then(|n| n.parse::<u32>().ok())
            {
                p.at += 1;
                if count == 0 {
                    return Err(Refusal::Date);
                }
                return Ok(Some(Ending::Count(count)));
            }
            Ok(None)
        })? {
            return Ok(Some(ending));
        }
        self.attempt(|p| {
            if !p.eat(UNTIL) {
                return Ok(None);
            }
            // `jusqu'à`, `jusqu'au`, `até o dia`.
            p.eat(&["a", "au", "o", "a", "ao"]);
            match p.day()? {
                Some(Day::Weekday { day, .. }) => {
                    Ok(Some(Ending::Until(Day::Weekday { day, next: true })))
                }
                Some(day) => Ok(Some(Ending::Until(day))),
                None => Err(Refusal::When),
            }
        })
    }

    // ---- tomorrow at 9am, on 24 December at 18:00 ----

    fn absolute(&mut self) -> Step<When> {
        let mut day = None;
        let mut clock = None;
        for _ in 0..2 {
            // `tonight`, `ce soir`, `hoje à noite`: today at 20:00.
            if day.is_none() && clock.is_none() {
                if let Some(found) = self.attempt(Self::tonight)? {
                    day = Some(Day::Today);
                    clock = Some(found);
                    continue;
                }
            }
            if day.is_none() {
                if let Some(found) = self.attempt(Self::day_phrase)? {
                    day = Some(found);
                    continue;
                }
            }
            if clock.is_none() {
                if let Some(found) = self.attempt(Self::clock_phrase)? {
                    clock = Some(found);
                    continue;
                }
            }
            break;
        }
        if day.is_none() && clock.is_none() {
            return Ok(None);
        }
        Ok(Some(When::At { day, clock }))
    }

    fn tonight(&mut self) -> Step<Clock> {
        let evening = Clock {
            hour: 20,
            minute: 0,
        };
        if self.eat(&["tonight"]) {
            return Ok(Some(evening));
        }
        if self.word(0) == "this" && self.word(1) == "evening" {
            self.at += 2;
            return Ok(Some(evening));
        }
        if self.word(0) == "ce" && self.word(1) == "soir" {
            self.at += 2;
            return Ok(Some(evening));
        }
        if self.word(0) == "esta" && self.word(1) == "noite" {
            self.at += 2;
            return Ok(Some(evening));
        }
        if self.word(0) == "hoje" && self.word(1) == "a" && self.word(2) == "noite" {
            self.at += 3;
            return Ok(Some(evening));
        }
        Ok(None)
    }

    /// A day with its optional lead-in word (`on friday`, `na sexta`, `le 24`).
    fn day_phrase(&mut self) -> Step<Day> {
        self.eat(ON);
        self.eat(&["the", "dia", "o"]);
        self.day()
    }

    fn day(&mut self) -> Step<Day> {
        let w = self.word(0).to_owned();
        match w.as_str() {
            "today" | "hoje" | "aujourd'hui" => {
                self.at += 1;
                return Ok(Some(Day::Today));
            }
            "tomorrow" | "amanha" | "demain" => {
                self.at += 1;
                return Ok(Some(Day::Tomorrow));
            }
            "apres-demain" => {
                self.at += 1;
                return Ok(Some(Day::AfterTomorrow));
            }
            "depois" if self.word(1) == "de" && self.word(2) == "amanha" => {
                self.at += 3;
                return Ok(Some(Day::AfterTomorrow));
            }
            "day" if self.word(1) == "after" && self.word(2) == "tomorrow" => {
                self.at += 3;
                return Ok(Some(Day::AfterTomorrow));
            }
            _ => {}
        }
        // `next friday`, `próxima sexta`.
        if matches!(w.as_str(), "next" | "proxima" | "proximo") {
            if let Some(day) = vocab::weekday(self.word(1)) {
                self.at += 2;
                return Ok(Some(Day::Weekday { day, next: true }));
            }
            return Ok(None);
        }
        if let Some(day) = vocab::weekday(&w) {
            self.at += 1;
            // `sexta que vem`, `vendredi prochain`.
            let next = if self.word(0) == "que" && self.word(1) == "vem" {
                self.at += 2;
                true
            } else {
                self.eat(&["prochain", "prochaine"])
            };
            return Ok(Some(Day::Weekday { day, next }));
        }
        if let Some(date) = self.attempt(Self::calendar_date)? {
            return Ok(Some(date));
        }
        Ok(None)
    }

    /// `24 December [2027]`, `December 24[th]`, `24 de dezembro`, `2026-12-24`, `24/12`.
    fn calendar_date(&mut self) -> Step<Day> {
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
        if let Some(month) = vocab::month(&w) {
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
        if matches!(self.word(ahead), "of" | "de") {
            ahead += 1;
        }
        let Some(month) = vocab::month(self.word(ahead)) else {
            return Ok(None);
        };
        self.at += ahead + 1;
        let save = self.at;
        if !(self.eat(&["de"]) && self.peek(0).and_then(Token::number).is_some()) {
            self.at = save;
        }
        let year = self.year();
        checked_date(day, month, year).map(Some)
    }

    fn year(&mut self) -> Option<i32> {
        let year = self.peek(0).and_then(Token::number)?;
        if (1970..=9999).contains(&year) && self.word(0).len() == 4 {
            self.at += 1;
            return i32::try_from(year).ok();
        }
        None
    }

    /// `the 1st`, `15`, `1er` as a day of the month.
    fn ordinal_day(&mut self) -> Result<Option<u32>, Refusal> {
        match ordinal_number(self.word(0)) {
            Some(day) => {
                self.at += 1;
                Ok(Some(day))
            }
            None => Ok(None),
        }
    }

    /// A time with its lead-in (`at 17:30`, `às 9h`, `à 9h`), or a time word alone.
    fn clock_phrase(&mut self) -> Step<Clock> {
        let led = self.eat(AT);
        match self.clock()? {
            Some(clock) => Ok(Some(clock)),
            // `at` followed by an impossible time (`at 25:00`).
            None if led && looks_like_time(self.word(0)) => Err(Refusal::Date),
            None => Ok(None),
        }
    }

    fn clock(&mut self) -> Step<Clock> {
        let w = self.word(0).to_owned();
        match w.as_str() {
            "noon" | "midday" | "meio-dia" | "midi" => {
                self.at += 1;
                return Ok(Some(Clock {
                    hour: 12,
                    minute: 0,
                }));
            }
            "meio" | "meia" if matches!(self.word(1), "dia" | "noite") => {
                let hour = if self.word(1) == "dia" { 12 } else { 0 };
                self.at += 2;
                return Ok(Some(Clock { hour, minute: 0 }));
            }
            "midnight" | "meia-noite" | "minuit" => {
                self.at += 1;
                return Ok(Some(Clock { hour: 0, minute: 0 }));
            }
            _ => {}
        }
        let Some((mut hour, minute, meridiem, marked)) = clock_token(&w)? else {
            return Ok(None);
        };
        self.at += 1;
        let mut meridiem = meridiem;
        // `5 pm`, `9 o'clock`, `9 horas`, `9 heures`.
        if meridiem.is_none() {
            match self.word(0) {
                "am" | "a.m" | "a.m." => {
                    meridiem = Some(false);
                    self.at += 1;
                }
                "pm" | "p.m" | "p.m." => {
                    meridiem = Some(true);
                    self.at += 1;
                }
                "o'clock" | "horas" | "hora" | "heures" | "heure" | "h" if !marked => {
                    self.at += 1;
                }
                _ if !marked
                    && !matches!(self.tokens.get(self.at.wrapping_sub(2)).map(|t| t.norm.as_str()), Some(a) if AT.contains(&a)) =>
                {
                    // A bare number is a time only after `at`: `remind me 5 times`.
                    return Ok(None);
                }
                _ => {}
            }
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
        let part = match (self.word(0), self.word(1), self.word(2)) {
            ("da" | "de", "manha", _) | ("du", "matin", _) | ("in", "the", "morning") => {
                Some((false, 2 + usize::from(self.word(0) == "in")))
            }
            ("da", "tarde" | "noite", _)
            | ("du", "soir", _)
            | ("in", "the", "evening" | "afternoon") => {
                Some((true, 2 + usize::from(self.word(0) == "in")))
            }
            ("de", "l'", "apres-midi") => Some((true, 3)),
            _ => None,
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
        Ok(Some(Clock { hour, minute }))
    }
}

/// What followed `every`.
enum RepeatSaid {
    Interval(Duration),
    Calendar(Repeat),
}

fn workweek() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

fn month_day(day: u32) -> Result<u32, Refusal> {
    if (1..=31).contains(&day) {
        Ok(day)
    } else {
        Err(Refusal::Date)
    }
}

/// `1`, `1st`, `2nd`, `24th`, `1er`, `1o`, `1º`.
fn ordinal_number(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .or_else(|| word.strip_suffix("er"))
        .or_else(|| word.strip_suffix('o'))
        .or_else(|| word.strip_suffix('º'))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether a word is a time that does not exist (`25:00`, `17:60`, `25h`).
fn looks_like_time(word: &str) -> bool {
    let first = word.chars().next();
    first.is_some_and(|c| c.is_ascii_digit())
        && (word.contains(':')
            || word.contains('h')
            || word.ends_with("am")
            || word.ends_with("pm"))
}

/// A clock time as one token reads: hour, minute, am (`Some(false)`) or pm
/// (`Some(true)`), and whether the token itself marked it as a time (`:`, `h`,
/// am/pm) rather than being a bare number.
type ClockToken = (u32, u32, Option<bool>, bool);

/// `17:30`, `17h30`, `17h`, `5pm`, `5:30pm`, `9`.
fn clock_token(word: &str) -> Result<Option<ClockToken>, Refusal> {
    let (body, meridiem) = if let Some(body) = word.strip_suffix("am") {
        (body, Some(false))
    } else if let Some(body) = word.strip_suffix("pm") {
        (body, Some(true))
    } else {
        (word, None)
    };
    if body.is_empty() || !body.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let split = body
        .find([':', 'h', '.'])
        .map(|at| (&body[..at], &body[at + 1..]));
    let (hour, minute, marked) = match split {
        Some((hour, minute)) => {
            let minute = minute
                .strip_suffix("min")
                .or_else(|| minute.strip_suffix('m'))
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
    if minute > 59 || hour > 24 {
        return Err(Refusal::Date);
    }
    Ok(Some((hour, minute, meridiem, marked || meridiem.is_some())))
}

/// `10m`, `10min`, `2h`, `1h30`, `1h30m`, `90s`, `3d`, `2w`.
fn compact_duration(word: &str) -> Result<Option<Duration>, Refusal> {
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
        let Some(seconds) = vocab::unit_seconds(&unit) else {
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

/// `2026-12-24`.
fn iso_date(word: &str) -> Result<Option<Day>, Refusal> {
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
fn slash_date(word: &str, numeric_dates: NumericDates) -> Result<Day, Refusal> {
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
        NumericDates::Unambiguous => match (day_first, checked_date(second, first, year)) {
            (Ok(_), Ok(_)) if first != second => Err(Refusal::Ambiguous),
            (Ok(date), _) | (Err(_), Ok(date)) => Ok(date),
            (Err(refusal), Err(_)) => Err(refusal),
        },
    }
}

/// A date that exists (a year-less 29 February is fine: leap years come).
fn checked_date(day: u32, month: u32, year: Option<i32>) -> Result<Day, Refusal> {
    let probe_year = year.unwrap_or(2028);
    if chrono::NaiveDate::from_ymd_opt(probe_year, month, day).is_none() {
        return Err(Refusal::Date);
    }
    Ok(Day::Date { day, month, year })
}
