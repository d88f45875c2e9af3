//! How a repetition ends: `until friday`, `até sexta`, `jusqu'à vendredi`,
//! `5 times`, `5 vezes`, `5 fois`, `5x`, `for a week`, `durante 3 dias`,
//! `pendant un mois`.

use chrono::Duration;

use super::{Day, Ending, Parser, Step, When};
use crate::domain::reminder::languages::{Role, lexicon};
use crate::domain::reminder::terms::Refusal;
use crate::domain::reminder::tokens::Token;

impl Parser<'_> {
    pub(super) fn ending(&mut self) -> Result<Option<Ending>, Refusal> {
        if let Some(ending) = self.attempt(|p| {
            if let Some(count) = p.peek(0).and_then(Token::number) {
                if p.word(1).is_empty() || !lexicon().is(Role::Times, p.word(1)) {
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
        if let Some(ending) = self.attempt(Self::for_a_while)? {
            return Ok(Some(ending));
        }
        self.attempt(|p| {
            if !p.eat_role(Role::Until) {
                return Ok(None);
            }
            // `jusqu'à`, `jusqu'au`, `até o dia`.
            p.eat_role(Role::UntilArticles);
            match p.day()? {
                Some(Day::Weekday { day, .. }) => {
                    Ok(Some(Ending::Until(Day::Weekday { day, next: true })))
                }
                Some(day) => Ok(Some(Ending::Until(day))),
                None => Err(Refusal::When),
            }
        })
    }
}

impl Parser<'_> {
    /// `for a week`, `for the next 3 days`, `durante um mês`, `pendant 2
    /// heures`: an hour at least, so `every day at 9 for 10 minutes of
    /// yoga` keeps its task.
    fn for_a_while(&mut self) -> Step<Ending> {
        if !self.eat_role(Role::For) {
            return Ok(None);
        }
        if let Some(months) = self.attempt(Self::calendar_span)? {
            return Ok(Some(Ending::ForMonths(months)));
        }
        Ok(self
            .duration()?
            .filter(|duration| *duration >= Duration::hours(1))
            .map(Ending::For))
    }
}

impl When {
    /// The repetition with its end said apart from it (`every day at 9 …
    /// until friday`, `until friday every day at 9`); back unchanged when it
    /// is not a repetition or already has an end.
    pub fn ended(self, ending: Ending) -> Result<When, When> {
        match self {
            When::Every {
                repeat,
                clock,
                ending: None,
            } => Ok(When::Every {
                repeat,
                clock,
                ending: Some(ending),
            }),
            When::Interval {
                every,
                ending: None,
            } => Ok(When::Interval {
                every,
                ending: Some(ending),
            }),
            When::Cron {
                expression,
                ending: None,
            } => Ok(When::Cron {
                expression,
                ending: Some(ending),
            }),
            other => Err(other),
        }
    }
}
