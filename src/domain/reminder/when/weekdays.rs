//! Which days of a week or month: `monday and thursday`, `monday to
//! friday`, `de terça a quinta`, `du mardi au jeudi`, `weekdays`, `dias
//! úteis`, `en semaine`, `on the 1st`, `the last friday of the month`.

use chrono::Weekday;

use super::recurring::{month_day, workweek};
use super::{Nth, Parser, Repeat, Step};
use crate::domain::reminder::Refusal;
use crate::domain::reminder::languages::{Role, lexicon};

impl Parser<'_> {
    /// `monday to friday`, `from tuesday to thursday`, `de terça a quinta`,
    /// `da segunda até a sexta`, `du mardi au jeudi`: the days from one to
    /// the other, through the weekend if it wraps.
    pub(super) fn weekday_range(&mut self) -> Step<Vec<Weekday>> {
        let from_said = self.eat(&["from", "de", "da", "du", "des"]);
        self.eat(&["a", "o", "le"]);
        let Some(first) = lexicon().weekday(self.word(0)) else {
            return Ok(None);
        };
        self.at += 1;
        let joined = self.eat(&["to", "through", "thru", "a", "au", "-"])
            || (from_said && self.eat(&["till", "until", "ate"]));
        if !joined {
            return Ok(None);
        }
        self.eat(&["a", "o", "le"]);
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

    /// `weekdays`, `on weekdays`, `dias úteis`, `en semaine`, `jours ouvrés`.
    pub(super) fn workdays(&mut self) -> Step<Repeat> {
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
    pub(super) fn workdays_after_day(&mut self) -> Step<Repeat> {
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
    pub(super) fn monthly(&mut self) -> Step<Repeat> {
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
    pub(super) fn nth_weekday(&mut self) -> Step<Repeat> {
        Ok(self.nth_weekday_said()?.map(|(repeat, _)| repeat))
    }

    /// The same, and whether `of the month` was said.
    pub(super) fn nth_weekday_said(&mut self) -> Result<Option<(Repeat, bool)>, Refusal> {
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
        let Some(day) = lexicon().weekday(self.word(1)) else {
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
    pub(super) fn weekday_list_after_on(&mut self) -> Step<Vec<Weekday>> {
        if !self.eat(&["on", "na", "no", "le"]) {
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
            self.eat(&["on", "na", "no", "le", "a", "o", "as", "os", "les"]);
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
