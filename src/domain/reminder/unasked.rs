//! A time and a task with no asking words: `tomorrow, 9am, to call the
//! bank`, `amanhã às 9h de ligar pro banco`, `demain 9h d'appeler la
//! banque`. Such a message is a request only when it opens with a time
//! phrase and a joining word of `Role::TaskAfterTime` (`to`, `de`, `d'`)
//! then leads a task: without one, `tomorrow is fine` or `amanhã 9h
//! ligar pro banco` cannot be told from chat about something else
//! (docs/reminders.md says why). The joining word's language is the
//! message's: it decides how numeric dates and bare hours read.

use super::intent::{self, Asked};
use super::languages::lexicon;
use super::split;
use super::tokens::{Kind, Token, skip_marks};
use super::when::{self, Found, TimeDefaults};

/// The request's "asking" (none: it ends where the time begins), when the
/// message is a time, a joining word and a task.
pub(super) fn time_then_task(tokens: &[Token], defaults: TimeDefaults) -> Option<Asked> {
    let lead = intent::skip_openers(tokens, 0);
    let lexicon = lexicon();
    // Whether a time phrase opens the message does not hang on the language.
    let first = lexicon.languages.first()?.spoken;
    let Found::When(_, after) = when::parse(tokens, lead, super::reading(first, defaults)) else {
        return None;
    };
    let at = skip_marks(tokens, after);
    let joiner = tokens.get(at).filter(|token| token.kind == Kind::Word)?;
    let spoken = lexicon
        .languages
        .iter()
        .find(|language| language.task_after_time.contains(&joiner.norm))?
        .spoken;
    let task = split::skip_joiner(tokens, at);
    (task > at && task < tokens.len()).then_some(Asked { spoken, end: lead })
}
