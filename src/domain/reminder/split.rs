//! Where the time phrase stands and what is left for the text: right after
//! the asking words, at the end, split between the two (`remind me tomorrow
//! to call Ana at 9`), or said before the asking words.

use super::languages::{Role, lexicon};
use super::terms::Refusal;
use super::tokens::{Kind, Token, skip_marks};
use super::when::{self, Ending, Found, Reading, When};

/// The time phrase and the text around it.
pub(super) struct Split {
    pub when: When,
    /// First and last token of the text.
    pub text: Option<(usize, usize)>,
    /// The text's token next to the time phrase, to check for a misspelling.
    pub neighbour: Option<usize>,
}

/// Finds the time: right after the trigger (`remind me tomorrow at 9 to …`),
/// else at the end (`remind me to … tomorrow at 9`).
pub(super) fn split(tokens: &[Token], start: usize, numeric: Reading) -> Result<Split, Refusal> {
    let end = tokens.len();
    // `set a reminder for 6pm …`, `cria um lembrete para amanhã …`.
    let joined = skip_joiner(tokens, start);
    let start = if joined > start
        && matches!(when::parse_opening(tokens, start, numeric), Found::Nothing)
        && matches!(
            when::parse_opening(tokens, joined, numeric),
            Found::When(..)
        ) {
        joined
    } else {
        start
    };
    match when::parse_opening(tokens, start, numeric) {
        Found::When(when, after) => {
            let text_start = skip_joiner(tokens, after);
            let (when, text_end) = complete_from_the_end(tokens, when, text_start, end, numeric);
            let text = (text_start < text_end).then(|| (text_start, text_end - 1));
            return Ok(Split {
                when,
                text,
                neighbour: text.map(|(first, _)| first),
            });
        }
        Found::Invalid(refusal) => return Err(refusal),
        Found::Nothing => {}
    }
    let mut invalid = None;
    for at in start + 1..end {
        match when::parse(tokens, at, numeric) {
            Found::When(when, after) if skip_marks(tokens, after) == end => {
                let text_start = skip_joiner(tokens, start);
                let text = (text_start < at).then(|| (text_start, at - 1));
                return Ok(Split {
                    when,
                    text,
                    neighbour: text.map(|(_, last)| last),
                });
            }
            Found::Invalid(refusal) if invalid.is_none() => invalid = Some(refusal),
            _ => {}
        }
    }
    Err(invalid.unwrap_or(Refusal::When))
}

/// After a time said before the asking words: the rest is the text, and may
/// hold the rest of the time (`tomorrow remind me to call Ana at 9`).
pub(super) fn split_after(
    tokens: &[Token],
    first: When,
    start: usize,
    numeric: Reading,
) -> Result<Split, Refusal> {
    let whole_rest = |when| {
        let text_start = skip_joiner(tokens, start);
        let text = (text_start < tokens.len()).then(|| (text_start, tokens.len() - 1));
        Split {
            when,
            text,
            neighbour: None,
        }
    };
    match split(tokens, start, numeric) {
        Ok(rest) => match merge(&first, &rest.when) {
            Some(when) => Ok(Split { when, ..rest }),
            None => Ok(whole_rest(first)),
        },
        Err(Refusal::When) => Ok(whole_rest(first)),
        Err(refusal) => Err(refusal),
    }
}

/// A day said in one place and a time of day in another, as one.
fn merge(one: &When, other: &When) -> Option<When> {
    match (one, other) {
        (
            When::At {
                day: Some(day),
                clock: None,
            },
            When::At {
                day: None,
                clock: Some(clock),
            },
        )
        | (
            When::At {
                day: None,
                clock: Some(clock),
            },
            When::At {
                day: Some(day),
                clock: None,
            },
        ) => Some(When::At {
            day: Some(*day),
            clock: Some(*clock),
        }),
        _ => None,
    }
}

/// After a time phrase that came first, the rest of it may close the message:
/// `remind me tomorrow to call Ana at 9` (the time of day), `remind me every
/// day at 9 to drink water until friday` (the end).
fn complete_from_the_end(
    tokens: &[Token],
    when: When,
    text_start: usize,
    end: usize,
    numeric: Reading,
) -> (When, usize) {
    for at in text_start + 1..end {
        let Found::When(tail, after) = when::parse(tokens, at, numeric) else {
            continue;
        };
        if skip_marks(tokens, after) != end {
            continue;
        }
        let Some(merged) = merge(&when, &tail) else {
            continue;
        };
        return (merged, at);
    }
    if let Some((ending, at)) = ending_at_the_end(tokens, text_start, end, numeric) {
        return match when.ended(ending) {
            Ok(with_end) => (with_end, at),
            Err(other) => (other, end),
        };
    }
    (when, end)
}

/// `until friday` or `5 times` closing the message.
fn ending_at_the_end(
    tokens: &[Token],
    from: usize,
    end: usize,
    numeric: Reading,
) -> Option<(Ending, usize)> {
    for at in from + 1..end {
        if let Some((ending, after)) = when::ending(tokens, at, numeric) {
            if skip_marks(tokens, after) == end {
                return Some((ending, at));
            }
        }
    }
    None
}

pub(super) fn skip_joiner(tokens: &[Token], at: usize) -> usize {
    let at = skip_marks(tokens, at);
    match tokens.get(at) {
        Some(token) if token.kind != Kind::Quoted && lexicon().is(Role::Joiners, &token.norm) => {
            skip_marks(tokens, at + 1)
        }
        _ => at,
    }
}
