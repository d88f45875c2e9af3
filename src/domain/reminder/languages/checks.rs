//! Checks of the language files: each parses, has every table, writes its
//! words the way the tokenizer reads them, and gives no word two meanings.
//! A new language's file that lacks something fails here, naming it.

use std::collections::BTreeMap;

use super::commands::CommandWord;
use super::roles::KNOWN_ROLES;
use super::{FILES, File, Phrases, fold, lexicon, parse_file};

fn files() -> Vec<(String, File)> {
    FILES
        .iter()
        .map(|(spoken, text)| (format!("{spoken:?}"), parse_file(*spoken, text)))
        .collect()
}

/// A word in two meanings' lists of one table, as `(word, first, second)`.
fn clashes<K: std::fmt::Debug>(table: &BTreeMap<K, Vec<String>>) -> Vec<String> {
    let mut seen: BTreeMap<&str, &K> = BTreeMap::new();
    let mut clashes = Vec::new();
    for (meaning, words) in table {
        for word in words {
            if let Some(first) = seen.insert(word, meaning) {
                if format!("{first:?}") != format!("{meaning:?}") {
                    clashes.push(format!("{word}: {first:?} and {meaning:?}"));
                }
            }
        }
    }
    clashes
}

#[test]
fn every_file_parses_and_the_lexicon_loads() {
    assert_eq!(files().len(), FILES.len());
    assert_eq!(lexicon().languages.len(), FILES.len());
}

#[test]
fn every_language_has_every_table() {
    let kinds = [
        Phrases::Asking,
        Phrases::Openers,
        Phrases::Closers,
        Phrases::Thanks,
        Phrases::Vague,
    ];
    for (name, file) in files() {
        assert!(!file.numbers.is_empty(), "{name}: numbers");
        assert!(!file.units.is_empty(), "{name}: units");
        assert_eq!(file.weekdays.len(), 7, "{name}: weekdays");
        assert_eq!(file.months.len(), 12, "{name}: months");
        assert!(!file.parts_of_day.is_empty(), "{name}: parts_of_day");
        assert!(!file.shorthand.is_empty(), "{name}: shorthand");
        assert!(!file.verb_slips.is_empty(), "{name}: verb_slips");
        assert!(!file.slips.time_words.is_empty(), "{name}: time_words");
        assert!(!file.slips.common_words.is_empty(), "{name}: common_words");
        assert_eq!(file.nth.len(), 5, "{name}: nth");
        for role in KNOWN_ROLES {
            let words = file.words.get(&role);
            assert!(
                words.is_some_and(|w| !w.is_empty()),
                "{name}: words.{role:?}"
            );
        }
        for kind in kinds {
            let phrases = file.phrases.get(&kind);
            assert!(
                phrases.is_some_and(|p| !p.is_empty()),
                "{name}: phrases.{kind:?}"
            );
        }
    }
}

#[test]
fn no_word_means_two_things_in_one_table() {
    for (name, file) in files() {
        let found = [
            clashes(&file.numbers),
            clashes(&file.units),
            clashes(&file.weekdays),
            clashes(&file.months),
            clashes(&file.parts_of_day),
            clashes(&file.shorthand),
            clashes(&file.nth),
        ]
        .concat();
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

#[test]
fn no_word_means_two_things_across_languages() {
    // The grammar reads a word in any language, so a table's word must mean
    // the same in all of them.
    let mut tables: [BTreeMap<String, Vec<String>>; 8] = Default::default();
    for (name, file) in files() {
        let parts = file
            .parts_of_day
            .into_iter()
            .map(|(k, v)| (format!("{k:?}"), v));
        let nth = file.nth.into_iter().map(|(k, v)| (format!("{k:?}"), v));
        let all = [
            file.numbers,
            file.units,
            file.weekdays,
            file.months,
            parts.collect(),
            file.shorthand,
            nth.collect(),
        ];
        for (table, words) in tables.iter_mut().zip(all) {
            for (meaning, words) in words {
                for word in words {
                    let said = table.entry(word.clone()).or_default();
                    said.push(format!("{meaning} ({name})"));
                }
            }
        }
    }
    for table in tables {
        for (word, meanings) in table {
            let first = meanings[0].split(' ').next();
            let same = meanings.iter().all(|m| m.split(' ').next() == first);
            assert!(same, "{word}: {meanings:?}");
        }
    }
}

#[test]
fn words_are_written_as_the_tokenizer_reads_them() {
    for (name, file) in files() {
        let mut words: Vec<&String> = Vec::new();
        let tables = [
            &file.numbers,
            &file.units,
            &file.weekdays,
            &file.months,
            &file.shorthand,
        ];
        words.extend(tables.into_iter().flat_map(|t| t.values().flatten()));
        words.extend(file.shorthand.keys());
        words.extend(file.parts_of_day.values().flatten());
        words.extend(file.nth.values().flatten());
        words.extend(file.slips.time_words.iter());
        words.extend(file.slips.common_words.iter());
        words.extend(file.slips.not_verbs.iter());
        for slip in &file.verb_slips {
            words.push(&slip.verb);
            words.extend(slip.pronouns.iter());
            words.extend(slip.pronouns_before.iter());
        }
        for word in words {
            assert!(
                !word.contains(' '),
                "{name}: `{word}` is more than one word"
            );
            assert_eq!(&fold(word), word, "{name}: `{word}` is not folded");
        }
        let phrases = file.phrases.values().flatten();
        let commands = file.commands.values().flatten();
        for phrase in phrases.chain(file.words.values().flatten()).chain(commands) {
            assert_eq!(&fold(phrase), phrase, "{name}: `{phrase}` is not folded");
        }
    }
}

#[test]
fn every_language_has_every_command_and_no_phrase_names_two() {
    let mut meaning: BTreeMap<String, CommandWord> = BTreeMap::new();
    for (name, file) in files() {
        for command in CommandWord::ALL {
            let phrases = file.commands.get(&command);
            let needed = !CommandWord::JOB_LOG.contains(&command);
            assert!(
                !needed || phrases.is_some_and(|p| !p.is_empty()),
                "{name}: commands.{command:?}"
            );
            for phrase in phrases.into_iter().flatten() {
                let first = *meaning.entry(phrase.clone()).or_insert(command);
                assert_eq!(first, command, "{name}: `{phrase}` names two commands");
            }
        }
    }
    for command in CommandWord::JOB_LOG {
        assert!(!lexicon().command(command).is_empty(), "{command:?}");
    }
}
