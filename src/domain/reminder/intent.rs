//! Whether a message asks for a reminder, and in which language: the words
//! that ask (`remind me`, `set a reminder`, `me avisa`, `lembrar de`,
//! `rappelle-moi`, `mets un rappel`), the openers and politeness people put
//! before them (`could you`, `please`, `pode`, `por favor`, `tu peux`, `stp`,
//! `n'oublie pas de`), and the slips of the verb people make typing fast
//! (`remidn me`, `rapel moi`). The language is the asking words': it decides
//! how numeric dates read and the language of the replies.

use super::languages::{Phrases, Role, VerbSlip, lexicon};
use super::slips::distance;
use super::terms::Spoken;
use super::tokens::{Kind, Token};

/// Where the politeness closing a message starts (`…, please`, `…, s'il te
/// plaît`): the length of `tokens` when none does.
pub fn closing_politeness(tokens: &[Token]) -> usize {
    let mut end = tokens.len();
    while end > 1 {
        if tokens[end - 1].kind == Kind::Mark {
            end -= 1;
            continue;
        }
        let ending = |words: &&Vec<String>| {
            words.len() < end && matches_at(tokens, end - words.len(), words)
        };
        let after_a_comma = |words: &&Vec<String>| tokens[end - words.len() - 1].kind == Kind::Mark;
        let lexicon = lexicon();
        let closer = lexicon
            .phrases(Phrases::Closers)
            .iter()
            .filter(ending)
            .chain(
                lexicon
                    .phrases(Phrases::Thanks)
                    .iter()
                    .filter(ending)
                    .filter(after_a_comma),
            )
            .map(|words| words.len())
            .max();
        match closer {
            Some(length) => end -= length,
            None => break,
        }
    }
    end
}

/// The words that asked: their language and the token after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    pub spoken: Spoken,
    pub end: usize,
}

/// The position after the openers, commas and colons starting at `at`.
pub fn skip_openers(tokens: &[Token], mut at: usize) -> usize {
    loop {
        if tokens.get(at).is_some_and(|t| t.kind == Kind::Mark) {
            at += 1;
            continue;
        }
        match longest(tokens, at, lexicon().phrases(Phrases::Openers)) {
            Some(length) => at += length,
            None => return at,
        }
    }
}

/// The asking words at `at`, if they are there.
pub fn asked_at(tokens: &[Token], at: usize) -> Option<Asked> {
    let exact = lexicon()
        .languages
        .iter()
        .flat_map(|language| language.asking.iter().map(|words| (words, language.spoken)))
        .filter(|(words, _)| matches_at(tokens, at, words))
        .max_by_key(|(words, _)| words.len());
    let exact = exact.map(|(words, spoken)| Asked {
        spoken,
        end: at + words.len(),
    });
    // `rappel moi`: a slip of `rappelle` and its pronoun is longer than the
    // noun `rappel` alone, and the pronoun is no part of the task.
    let slipped = slipped_at(tokens, at).or_else(|| slipped_after_pronoun(tokens, at));
    match (exact, slipped) {
        (Some(exact), Some(slipped)) if slipped.end > exact.end => Some(slipped),
        (Some(exact), _) => Some(exact),
        (None, slipped) => slipped,
    }
}

/// A pronoun then a slip of an asking verb (`me lenbra`, `mim lembra`).
fn slipped_after_pronoun(tokens: &[Token], at: usize) -> Option<Asked> {
    let pronoun = tokens.get(at).filter(|t| t.kind == Kind::Word)?;
    let verb = tokens.get(at + 1).filter(|t| t.kind == Kind::Word)?;
    let spoken = slip_of(&verb.norm, |slip| {
        slip.pronouns_before.contains(&pronoun.norm)
    })?;
    Some(Asked {
        spoken,
        end: at + 2,
    })
}

/// Where a request starts after a sentence of its own (`ugh I keep
/// forgetting — remind me to …`, `oi, tudo bem? me lembra …`, `bon. tu peux
/// me rappeler …`): the first token after a full stop, question or
/// exclamation mark, dash, semicolon, colon or line break, when the asking
/// words (after openers) follow it. A comma is no break: `call mom, remind
/// me at 9` says the task first.
pub fn request_after_a_sentence(text: &str, tokens: &[Token]) -> Option<usize> {
    (1..tokens.len()).find(|&at| {
        let (before, here) = (&tokens[at - 1], &tokens[at]);
        let gap = text.get(before.end..here.start).unwrap_or_default();
        let breaks = gap.contains(['.', '!', '?', ';', '—', '–', '…', '\n'])
            || gap.contains(" - ")
            || (before.kind == Kind::Mark && before.norm == ":");
        breaks && here.kind != Kind::Mark && asked_at(tokens, skip_openers(tokens, at)).is_some()
    })
}

/// A task said before the asking words (`to call mom tomorrow remind me at
/// 5pm`, `de ligar pra mãe amanhã me lembra às 17h`, `take the bins out at
/// 7pm remind me`): the positions of its first word (the joining word when
/// there is one) and of the asking words, and whether a joining word led.
pub fn task_before_asking(tokens: &[Token]) -> Option<(usize, usize, bool)> {
    let lead = skip_openers(tokens, 0);
    let first = tokens.get(lead)?;
    let joined = first.kind == Kind::Word && lexicon().is(Role::Joiners, &first.norm);
    (lead + if joined { 2 } else { 1 }..tokens.len())
        .find(|at| asked_at(tokens, *at).is_some())
        .map(|at| (lead, at, joined))
}

/// A slip of an asking verb followed by its pronoun, as two words or joined
/// by a hyphen (`rapelle-moi`).
fn slipped_at(tokens: &[Token], at: usize) -> Option<Asked> {
    let token = tokens.get(at).filter(|t| t.kind == Kind::Word)?;
    let (verb, joined, end) = match token.norm.split_once('-') {
        Some((verb, pronoun)) => (verb, Some(pronoun), at + 1),
        None => (token.norm.as_str(), None, at + 2),
    };
    let pronoun = match joined {
        Some(pronoun) => pronoun,
        None => tokens
            .get(at + 1)
            .filter(|t| t.kind == Kind::Word)?
            .norm
            .as_str(),
    };
    let spoken = slip_of(verb, |slip| {
        slip.pronouns.iter().any(|known| known == pronoun)
    })?;
    Some(Asked { spoken, end })
}

/// The language whose asking verb `verb` is one slip from, with a pronoun
/// that verb takes (`said`); a word that stays a word (`lembro`) is none.
fn slip_of(verb: &str, said: impl Fn(&VerbSlip) -> bool) -> Option<Spoken> {
    let lexicon = lexicon();
    if verb.chars().count() < 5 || lexicon.not_verbs().iter().any(|word| word == verb) {
        return None;
    }
    lexicon
        .languages
        .iter()
        .flat_map(|language| {
            language
                .verb_slips
                .iter()
                .map(|slip| (slip, language.spoken))
        })
        .find(|(slip, _)| said(slip) && distance(verb, &slip.verb) <= 1)
        .map(|(_, spoken)| spoken)
}

fn matches_at(tokens: &[Token], at: usize, words: &[String]) -> bool {
    tokens.len() >= at + words.len()
        && words
            .iter()
            .zip(&tokens[at..])
            .all(|(word, token)| token.kind == Kind::Word && token.norm == *word)
}

fn longest(tokens: &[Token], at: usize, candidates: &[Vec<String>]) -> Option<usize> {
    candidates
        .iter()
        .filter(|words| matches_at(tokens, at, words))
        .map(Vec::len)
        .max()
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use Spoken::{English as En, French as Fr, Portuguese as Pt};

    fn asked(text: &str) -> Option<Spoken> {
        let tokens = tokenize(text);
        asked_at(&tokens, skip_openers(&tokens, 0)).map(|a| a.spoken)
    }

    #[test]
    fn openers_and_other_verbs_ask_in_their_language() {
        assert_eq!(asked("could you please remind me"), Some(En));
        assert_eq!(asked("set a reminder for 5pm"), Some(En));
        assert_eq!(asked("pode me lembrar de pagar"), Some(Pt));
        assert_eq!(asked("me avisa amanhã"), Some(Pt));
        assert_eq!(asked("lembrar de pagar a conta"), Some(Pt));
        assert_eq!(asked("tu peux me rappeler"), Some(Fr));
        assert_eq!(asked("stp rappelle-moi"), Some(Fr));
        assert_eq!(asked("n'oublie pas de me rappeler"), Some(Fr));
    }

    #[test]
    fn slips_of_the_verb_ask_but_nearby_words_do_not() {
        assert_eq!(asked("remidn me"), Some(En));
        assert_eq!(asked("rapel moi"), Some(Fr));
        assert_eq!(asked("rapelle-moi"), Some(Fr));
        assert_eq!(asked("lembro me de você"), None);
        assert_eq!(asked("remain me"), None);
        assert_eq!(asked("could you call me"), None);
        assert_eq!(asked("please"), None);
    }

    #[test]
    fn a_pronoun_before_a_slipped_verb_asks_and_a_slip_outlasts_a_shorter_word() {
        assert_eq!(asked("me lenbra"), Some(Pt));
        assert_eq!(asked("mim lembra"), Some(Pt));
        assert_eq!(asked("me lembro"), None);
        // `rappel` alone asks too, but `moi` is the verb's, not the task's.
        let tokens = tokenize("rappel moi a 18h");
        assert_eq!(asked_at(&tokens, 0).map(|asked| asked.end), Some(2));
    }

    #[test]
    fn a_task_before_the_asking_words_is_found() {
        let tokens = tokenize("to call mom tomorrow remind me at 5pm");
        assert_eq!(task_before_asking(&tokens), Some((0, 4, true)));
        // Not a joining word first: a task, said so (the caller keeps it
        // only if a reminder is set from it).
        assert_eq!(
            task_before_asking(&tokenize("call mom tomorrow remind me")),
            Some((0, 3, false))
        );
        assert_eq!(task_before_asking(&tokenize("remind")), None);
    }
}
