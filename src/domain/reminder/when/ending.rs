//! How a repetition ends: `until friday`, `até sexta`, `jusqu'à vendredi`,
//! `5 times`, `5 vezes`, `5 fois`, `5x`.

use super::{Day, Ending, Parser, When};
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
