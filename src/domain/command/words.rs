//! A message as the command grammar reads it: folded words (lower case, no
//! accents) beside the words as typed, matched against the phrases of the
//! language files' `[commands]` tables, in every language at once.

use crate::domain::reminder::Spoken;
use crate::domain::reminder::fold;
use crate::domain::reminder::languages::{CommandWord, lexicon};

/// The name people greet Herald by (`hi Herald`): the product's, not a language's.
const NAME: &str = "herald";

/// One message, split into words.
pub(super) struct Message<'a> {
    /// As typed, for the parts whose case matters (a zone name, a time).
    typed: Vec<&'a str>,
    folded: String,
}

impl<'a> Message<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let text = text.trim().trim_end_matches(['.', '!']);
        // `?` alone asks for help; after words it only makes them a question.
        let text = match text.trim_end_matches('?').trim_end() {
            "" => text,
            words => words,
        };
        Self {
            typed: text.split_whitespace().collect(),
            folded: fold(text),
        }
    }

    pub(super) fn words(&self) -> Vec<&str> {
        self.folded.split_whitespace().collect()
    }

    /// The words as typed from the `skip`th on.
    pub(super) fn typed_from(&self, skip: usize) -> &[&'a str] {
        self.typed.get(skip..).unwrap_or_default()
    }

    /// The message is exactly one of the command's phrases: in which language.
    pub(super) fn is(&self, command: CommandWord) -> Option<Spoken> {
        let words = self.words();
        match after(&words, command) {
            Some(([], spoken)) => Some(spoken),
            _ => None,
        }
    }

    /// What follows the longest of the command's phrases the message starts with.
    pub(super) fn after(&self, command: CommandWord) -> Option<Vec<&str>> {
        let words = self.words();
        after(&words, command).map(|(rest, _)| rest.to_vec())
    }

    /// Hello, alone or to Herald (`hi herald`, `olá, Herald!`).
    pub(super) fn is_greeting(&self) -> bool {
        let words: Vec<&str> = self
            .words()
            .into_iter()
            .map(|word| word.trim_end_matches([',', '!']))
            .filter(|word| !word.is_empty())
            .collect();
        let greeting = match words.as_slice() {
            [greeting @ .., NAME] => greeting,
            greeting => greeting,
        };
        matches!(after(greeting, CommandWord::Greeting), Some(([], _)))
    }
}

/// Splits `words` after the longest of the command's phrases they start
/// with, naming the phrase's language.
pub(super) fn after<'s, 'w>(
    words: &'s [&'w str],
    command: CommandWord,
) -> Option<(&'s [&'w str], Spoken)> {
    lexicon()
        .command(command)
        .iter()
        .filter(|(_, phrase)| {
            words.len() >= phrase.len() && words.iter().zip(phrase).all(|(word, p)| word == p)
        })
        .max_by_key(|(_, phrase)| phrase.len())
        .map(|(spoken, phrase)| (&words[phrase.len()..], *spoken))
}
