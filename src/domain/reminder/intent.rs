//! Whether a message asks for a reminder, and in which language: the words
//! that ask (`remind me`, `set a reminder`, `me avisa`, `lembrar de`,
//! `rappelle-moi`, `mets un rappel`), the openers and politeness people put
//! before them (`could you`, `please`, `pode`, `por favor`, `tu peux`, `stp`,
//! `n'oublie pas de`), and the slips of the verb people make typing fast
//! (`remidn me`, `rapel moi`). The language is the asking words': it decides
//! how numeric dates read and the language of the replies.

use super::Spoken;
use super::slips::distance;
use super::tokens::{Kind, Token};

use Spoken::{English as En, French as Fr, Portuguese as Pt};

/// Words that ask for a reminder, as sequences of tokens (`tokens::fold`
/// form), with their language. The longest match wins.
const ASKING: &[(&[&str], Spoken)] = &[
    (&["remind", "me"], En),
    (&["remind", "us"], En),
    (&["remind"], En),
    (&["reminder"], En),
    (&["set", "a", "reminder"], En),
    (&["set", "reminder"], En),
    (&["set", "up", "a", "reminder"], En),
    (&["create", "a", "reminder"], En),
    (&["add", "a", "reminder"], En),
    (&["make", "a", "reminder"], En),
    (&["new", "reminder"], En),
    (&["alert", "me"], En),
    (&["ping", "me"], En),
    (&["notify", "me"], En),
    (&["nudge", "me"], En),
    (&["don't", "let", "me", "forget"], En),
    (&["dont", "let", "me", "forget"], En),
    (&["lembre-me"], Pt),
    (&["lembra-me"], Pt),
    (&["lembre", "me"], Pt),
    (&["lembra", "me"], Pt),
    (&["me", "lembre"], Pt),
    (&["me", "lembra"], Pt),
    (&["me", "lembrar"], Pt),
    (&["me", "relembre"], Pt),
    (&["me", "relembra"], Pt),
    (&["lembrar"], Pt),
    (&["lembrete"], Pt),
    (&["me", "avisa"], Pt),
    (&["me", "avise"], Pt),
    (&["me", "avisar"], Pt),
    (&["avisa-me"], Pt),
    (&["avise-me"], Pt),
    (&["me", "alerta"], Pt),
    (&["me", "alerte"], Pt),
    (&["me", "recorda"], Pt),
    (&["me", "recorde"], Pt),
    (&["cria", "um", "lembrete"], Pt),
    (&["crie", "um", "lembrete"], Pt),
    (&["criar", "um", "lembrete"], Pt),
    (&["criar", "lembrete"], Pt),
    (&["coloca", "um", "lembrete"], Pt),
    (&["coloque", "um", "lembrete"], Pt),
    (&["bota", "um", "lembrete"], Pt),
    (&["poe", "um", "lembrete"], Pt),
    (&["adiciona", "um", "lembrete"], Pt),
    (&["novo", "lembrete"], Pt),
    (&["nao", "me", "deixa", "esquecer"], Pt),
    (&["nao", "me", "deixe", "esquecer"], Pt),
    (&["rappelle-moi"], Fr),
    (&["rappelez-moi"], Fr),
    (&["rappelle", "moi"], Fr),
    (&["rappelez", "moi"], Fr),
    (&["rappelle-nous"], Fr),
    (&["rappelez-nous"], Fr),
    (&["me", "rappeler"], Fr),
    (&["nous", "rappeler"], Fr),
    (&["rappel"], Fr),
    (&["previens-moi"], Fr),
    (&["prevenez-moi"], Fr),
    (&["avertis-moi"], Fr),
    (&["alerte-moi"], Fr),
    (&["fais-moi", "penser", "a"], Fr),
    (&["cree", "un", "rappel"], Fr),
    (&["creer", "un", "rappel"], Fr),
    (&["mets", "un", "rappel"], Fr),
    (&["mets-moi", "un", "rappel"], Fr),
    (&["ajoute", "un", "rappel"], Fr),
    (&["programme", "un", "rappel"], Fr),
    (&["nouveau", "rappel"], Fr),
];

/// What people say before asking, in any order and any number: greetings,
/// politeness, "could you", "don't forget to". They carry no language (the
/// asking words do) and are never part of the reminder.
const OPENERS: &[&[&str]] = &[
    &["please"],
    &["pls"],
    &["plz"],
    &["kindly"],
    &["hey"],
    &["hi"],
    &["hello"],
    &["ok"],
    &["okay"],
    &["herald"],
    &["can", "you"],
    &["could", "you"],
    &["would", "you"],
    &["will", "you"],
    &["can", "u"],
    &["could", "u"],
    &["would", "you", "mind"],
    &["i", "want", "you", "to"],
    &["i", "need", "you", "to"],
    &["i'd", "like", "you", "to"],
    &["don't", "forget", "to"],
    &["dont", "forget", "to"],
    &["do", "not", "forget", "to"],
    &["make", "sure", "to"],
    &["por", "favor"],
    &["pf"],
    &["pfv"],
    &["pfvr"],
    &["favor"],
    &["oi"],
    &["ola"],
    &["ei"],
    &["pode"],
    &["podes"],
    &["poderia"],
    &["poderias"],
    &["voce", "pode"],
    &["vc", "pode"],
    &["tu", "podes"],
    &["consegue"],
    &["da", "pra"],
    &["quero", "que"],
    &["preciso", "que"],
    &["nao", "esquece", "de"],
    &["nao", "esqueca", "de"],
    &["nao", "se", "esqueca", "de"],
    &["stp"],
    &["svp"],
    &["s'il", "te", "plait"],
    &["s'il", "vous", "plait"],
    &["salut"],
    &["bonjour"],
    &["tu", "peux"],
    &["tu", "pourrais"],
    &["vous", "pouvez"],
    &["vous", "pourriez"],
    &["peux-tu"],
    &["pourrais-tu"],
    &["pouvez-vous"],
    &["pourriez-vous"],
    &["est-ce", "que", "tu", "peux"],
    &["merci", "de"],
    &["n'", "oublie", "pas", "de"],
    &["n'", "oubliez", "pas", "de"],
];

/// Politeness that may close a message and is not part of the reminder.
const CLOSERS: &[&[&str]] = &[
    &["please"],
    &["pls"],
    &["plz"],
    &["por", "favor"],
    &["pf"],
    &["pfv"],
    &["stp"],
    &["svp"],
    &["s'il", "te", "plait"],
    &["s'il", "vous", "plait"],
];
/// Thanks close a message only after a comma: `…, thanks`, but `send a
/// thank you` is the reminder's own.
const THANKS: &[&[&str]] = &[
    &["thanks"],
    &["thank", "you"],
    &["thx"],
    &["obrigado"],
    &["obrigada"],
    &["valeu"],
    &["merci"],
];

/// Where the politeness closing a message starts (`…, please`, `…, s'il te
/// plaît`): the length of `tokens` when none does.
pub fn closing_politeness(tokens: &[Token]) -> usize {
    let mut end = tokens.len();
    while end > 1 {
        if tokens[end - 1].kind == Kind::Mark {
            end -= 1;
            continue;
        }
        let ending =
            |words: &&&[&str]| words.len() < end && matches_at(tokens, end - words.len(), words);
        let after_a_comma = |words: &&&[&str]| tokens[end - words.len() - 1].kind == Kind::Mark;
        let closer = CLOSERS
            .iter()
            .filter(ending)
            .chain(THANKS.iter().filter(ending).filter(after_a_comma))
            .map(|words| words.len())
            .max();
        match closer {
            Some(length) => end -= length,
            None => break,
        }
    }
    end
}

/// Verbs whose slips are still read as asking, when the pronoun follows
/// (`remidn me`, `rapel moi`, `lenbra me`); other words one slip away
/// (`lembro me`, `remain`) stay words.
const FUZZY_VERBS: &[(&str, &[&str], Spoken)] = &[
    ("remind", &["me", "us"], En),
    ("lembra", &["me"], Pt),
    ("lembre", &["me"], Pt),
    ("rappelle", &["moi", "nous"], Fr),
    ("rappelez", &["moi", "nous"], Fr),
    ("rappel", &["moi"], Fr),
];
const NOT_SLIPS: &[&str] = &["lembro", "lembrou", "rappela", "rappelait"];

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
        match longest(tokens, at, OPENERS.iter().copied()) {
            Some(length) => at += length,
            None => return at,
        }
    }
}

/// The asking words at `at`, if they are there.
pub fn asked_at(tokens: &[Token], at: usize) -> Option<Asked> {
    let exact = ASKING
        .iter()
        .filter(|(words, _)| matches_at(tokens, at, words))
        .max_by_key(|(words, _)| words.len());
    if let Some((words, spoken)) = exact {
        return Some(Asked {
            spoken: *spoken,
            end: at + words.len(),
        });
    }
    slipped_at(tokens, at)
}

/// A slip of an asking verb followed by its pronoun, as two words or joined
/// by a hyphen (`rapelle-moi`).
fn slipped_at(tokens: &[Token], at: usize) -> Option<Asked> {
    let token = tokens.get(at).filter(|t| t.kind == Kind::Word)?;
    let (verb, joined, end) = match token.norm.split_once('-') {
        Some((verb, pronoun)) => (verb, Some(pronoun), at + 1),
        None => (token.norm.as_str(), None, at + 2),
    };
    if verb.chars().count() < 5 || NOT_SLIPS.contains(&verb) {
        return None;
    }
    let pronoun = match joined {
        Some(pronoun) => pronoun,
        None => tokens
            .get(at + 1)
            .filter(|t| t.kind == Kind::Word)?
            .norm
            .as_str(),
    };
    FUZZY_VERBS
        .iter()
        .find(|(known, pronouns, _)| pronouns.contains(&pronoun) && distance(verb, known) <= 1)
        .map(|(_, _, spoken)| Asked {
            spoken: *spoken,
            end,
        })
}

fn matches_at(tokens: &[Token], at: usize, words: &[&str]) -> bool {
    tokens.len() >= at + words.len()
        && words
            .iter()
            .zip(&tokens[at..])
            .all(|(word, token)| token.kind == Kind::Word && token.norm == *word)
}

fn longest<'a>(
    tokens: &[Token],
    at: usize,
    candidates: impl Iterator<Item = &'a [&'a str]>,
) -> Option<usize> {
    candidates
        .filter(|words| matches_at(tokens, at, words))
        .map(<[&str]>::len)
        .max()
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

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
}
