//! The task of a reminder Herald could not place in time (`remind me to
//! call mom`, `remind me on christmas eve to renew the insurance`), which its
//! refusal quotes: what follows the asking words, without a vague time
//! (`later`, `mais tarde`) or the words of a time the grammar recognised but
//! does not read (`at christmas`, `no natal`, `à noël`) before or after it.

use super::Task;
use super::languages::{Phrases, Role, lexicon};
use super::split;
use super::tokens::{Kind, Token};

/// Roles a word of an unread time phrase may play besides `Role::Unread`:
/// the leads, articles and counts around it (`in a few days`, `on the
/// christmas`, `daqui a uns dias`).
const AROUND_UNREAD: [Role; 10] = [
    Role::In,
    Role::Next,
    Role::NextAfter,
    Role::At,
    Role::On,
    Role::OnNumber,
    Role::DayNumber,
    Role::Indefinite,
    Role::Every,
    Role::EveryArticles,
];

/// The task after the asking words (from `start` to the closing politeness
/// at byte `end`), when no time was found in it.
pub(super) fn without_time(text: &str, tokens: &[Token], start: usize, end: usize) -> Option<Task> {
    // Tokens up to where the closing politeness began.
    let mut count = tokens.iter().take_while(|t| t.start < end).count();
    while count > 0 && tokens[count - 1].kind == Kind::Mark {
        count -= 1;
    }
    let before = longest_vague(|phrase| is(tokens, start, phrase));
    let after =
        longest_vague(|phrase| count >= phrase.len() && is(tokens, count - phrase.len(), phrase));
    let mut first = start + before;
    let mut last = count.checked_sub(after + 1)?;
    // The asking words as typed, and the joiner after an unread time said
    // first (`remind me` `in 3 months` `to`): the example Herald gives
    // puts its own time where that one stood.
    let mut asked_end = None;
    if let Some(mut run_end) = unread_run_from(tokens, first, last) {
        asked_end = Some(tokens[first].start);
        // `no natal de ligar`: the run's last word is the joiner after it.
        if run_end > first + 1 && is_joiner(&tokens[run_end - 1]) {
            run_end -= 1;
        }
        first = run_end;
    } else if let Some(run_start) = unread_run_back_to(tokens, first, last) {
        last = run_start.checked_sub(1)?;
        // `buy a gift for christmas`: the joiner before it went with it.
        if last > first && is_joiner(&tokens[last]) {
            last -= 1;
        }
    }
    let joined = split::skip_joiner(tokens, first);
    let (first_token, last_token) = (tokens.get(joined)?, tokens.get(last)?);
    if last_token.end <= first_token.start {
        return None;
    }
    let task = text[first_token.start..last_token.end]
        .trim()
        .trim_end_matches(['?', '？', '.', '!'])
        .trim_end();
    let asked = match asked_end {
        Some(asked_end) => {
            let joiner =
                (joined > first).then(|| &text[tokens[first].start..tokens[joined - 1].end]);
            let before = text[..asked_end].trim_end();
            joiner.map_or_else(|| before.to_owned(), |joiner| format!("{before} {joiner}"))
        }
        None => text[..first_token.start].trim_end().to_owned(),
    };
    (!task.is_empty()).then(|| Task {
        asked,
        text: task.to_owned(),
    })
}

fn is(tokens: &[Token], at: usize, phrase: &[String]) -> bool {
    tokens
        .get(at..at + phrase.len())
        .is_some_and(|words| words.iter().map(|t| &t.norm).eq(phrase))
}

/// The most words a vague time said here takes (0 for none).
fn longest_vague(fits: impl Fn(&[String]) -> bool) -> usize {
    lexicon()
        .phrases(Phrases::Vague)
        .iter()
        .filter(|phrase| fits(phrase))
        .map(Vec::len)
        .max()
        .unwrap_or(0)
}

fn is_joiner(token: &Token) -> bool {
    token.kind == Kind::Word && token.roles.is(Role::Joiners)
}

/// Whether a token may stand in an unread time phrase, and whether it is
/// the unread word itself: a word of `Role::Unread` or a count with
/// decimals (`in 1.5 hours`), which the grammar does not read in any language.
fn in_unread_phrase(token: &Token) -> (bool, bool) {
    let unread = token.roles.is(Role::Unread) || decimal(&token.norm);
    let around = token.kind == Kind::Word
        && (token.number().is_some()
            || lexicon().number(&token.norm).is_some()
            || lexicon().unit_seconds(&token.norm).is_some()
            || AROUND_UNREAD.iter().any(|role| token.roles.is(*role)));
    (unread || around, unread)
}

fn decimal(word: &str) -> bool {
    word.split_once('.').is_some_and(|(whole, part)| {
        [whole, part]
            .iter()
            .all(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// An unread time phrase starting at `first` and ending before `last`: the
/// position after it.
fn unread_run_from(tokens: &[Token], first: usize, last: usize) -> Option<usize> {
    let mut at = first;
    let mut unread = false;
    while at < last {
        let (fits, is_unread) = in_unread_phrase(&tokens[at]);
        if !fits {
            break;
        }
        unread |= is_unread;
        at += 1;
    }
    (unread && at > first).then_some(at)
}

/// An unread time phrase ending at `last` and starting after `first`: its
/// first position.
fn unread_run_back_to(tokens: &[Token], first: usize, last: usize) -> Option<usize> {
    let mut at = last + 1;
    let mut unread = false;
    while at > first + 1 {
        let (fits, is_unread) = in_unread_phrase(&tokens[at - 1]);
        if !fits {
            break;
        }
        unread |= is_unread;
        at -= 1;
    }
    (unread && at <= last).then_some(at)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use crate::domain::reminder::{Task, TimeDefaults, parse};
    use crate::domain::schedule::Zone;

    fn task(text: &str) -> Option<Task> {
        let now: DateTime<Utc> = "2026-11-20T10:00:00Z".parse().unwrap();
        let zone = Zone::parse("Europe/Lisbon").unwrap();
        parse(text, now, zone, TimeDefaults::default())?.err()?.task
    }

    #[test]
    fn an_unread_time_said_first_leaves_the_asking_and_its_joiner() {
        let said = |asked: &str, text: &str| Task {
            asked: asked.to_owned(),
            text: text.to_owned(),
        };
        assert_eq!(
            task("remind me on easter to renew the insurance"),
            Some(said("remind me to", "renew the insurance"))
        );
        assert_eq!(
            task("me lembra na páscoa de ligar pra vó"),
            Some(said("me lembra de", "ligar pra vó"))
        );
        assert_eq!(
            task("rappelle-moi à pâques d'appeler mamie"),
            Some(said("rappelle-moi d'", "appeler mamie"))
        );
    }

    #[test]
    fn an_unread_time_said_last_goes_with_its_joiner() {
        let read = task("remind me to buy a gift for easter").map(|task| task.text);
        assert_eq!(read.as_deref(), Some("buy a gift"));
    }

    #[test]
    fn a_task_with_no_time_word_is_quoted_whole() {
        let read = task("remind me to call the plumber").map(|task| task.text);
        assert_eq!(read.as_deref(), Some("call the plumber"));
    }
}
