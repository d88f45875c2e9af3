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
    /// Folded once, for every command asked about.
    words: Vec<String>,
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
            words: fold(text).split_whitespace().map(str::to_owned).collect(),
        }
    }

    pub(super) fn words(&self) -> &[String] {
        &self.words
    }

    /// The words as typed from the `skip`th on.
    pub(super) fn typed_from(&self, skip: usize) -> &[&'a str] {
        self.typed.get(skip..).unwrap_or_default()
    }

    /// The message is exactly one of the command's phrases: in which language.
    pub(super) fn is(&self, command: CommandWord) -> Option<Spoken> {
        match after(&self.words, command) {
            Some(([], spoken)) => Some(spoken),
            _ => None,
        }
    }

    /// What follows the longest of the command's phrases the message starts with.
    pub(super) fn after(&self, command: CommandWord) -> Option<&[String]> {
        after(&self.words, command).map(|(rest, _)| rest)
    }

    /// Hello, alone or to Herald (`hi herald`, `olá, Herald!`).
    pub(super) fn is_greeting(&self) -> bool {
        let words: Vec<&str> = self
            .words
            .iter()
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
pub(super) fn after<W: AsRef<str>>(words: &[W], command: CommandWord) -> Option<(&[W], Spoken)> {
    lexicon()
        .command(command)
        .iter()
        .filter(|(_, phrase)| {
            words.len() >= phrase.len()
                && words.iter().zip(phrase).all(|(word, p)| word.as_ref() == p)
        })
        .max_by_key(|(_, phrase)| phrase.len())
        .map(|(spoken, phrase)| (&words[phrase.len()..], *spoken))
}
