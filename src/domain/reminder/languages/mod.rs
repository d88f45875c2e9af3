//! The words of each language the reminder grammar reads, as data: one TOML
//! file a language (`en.toml`, `pt.toml`, `fr.toml`), embedded in the binary
//! with `include_str!` (the domain does no I/O) and parsed once into the
//! `Lexicon`. The parser asks the lexicon; it holds no word of its own.
//! Adding a language is adding its file, a `Spoken` variant and a line in
//! `FILES`; the tests in `checks.rs` say what a file lacks. `roles.rs` names
//! the word classes the parser asks for, `commands.rs` the chat commands
//! `domain::command` asks for, `file.rs` is a file's shape, `word_hash.rs`
//! the hash its word tables use, `fold.rs` how words are compared.

#[cfg(test)]
mod checks;
mod commands;
mod file;
mod fold;
mod roles;
mod word_hash;

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use chrono::Weekday;

use super::terms::{Nth, NumericDates, Part, Spoken};
pub use commands::CommandWord;
use file::{DateOrder, File};
pub use file::{NextWeekday, VerbSlip};
pub use fold::fold;
use roles::KNOWN_ROLES;
pub use roles::{Phrases, Role, WordRoles};
use word_hash::WordMap;

/// Every language's file, with the language it is.
const FILES: [(Spoken, &str); 3] = [
    (Spoken::English, include_str!("en.toml")),
    (Spoken::Portuguese, include_str!("pt.toml")),
    (Spoken::French, include_str!("fr.toml")),
];

/// One language's own words: what tells it apart from the others.
#[derive(Debug)]
pub struct Language {
    pub spoken: Spoken,
    pub numeric_dates: NumericDates,
    pub twelve_hour_digits: bool,
    pub next_weekday: NextWeekday,
    /// The asking phrases, as tokens.
    pub asking: Vec<Vec<String>>,
    pub verb_slips: Vec<VerbSlip>,
    /// Time words a misspelling is caught against, in this language only.
    pub time_words: Vec<String>,
    /// The words of `Role::TaskAfterTime` in this language.
    pub task_after_time: Vec<String>,
}

/// The words of every language, for reading a message in any of them.
#[derive(Debug)]
pub struct Lexicon {
    pub languages: Vec<Language>,
    numbers: WordMap<u32>,
    units: WordMap<i64>,
    weekdays: WordMap<Weekday>,
    /// Weekday abbreviations that are also words or names, read only where
    /// a weekday stands (`short_weekday`).
    short_weekdays: WordMap<Weekday>,
    months: WordMap<u32>,
    parts: WordMap<Part>,
    nth: WordMap<Nth>,
    shorthand: WordMap<String>,
    /// Each holiday's phrase, its words joined by spaces, and its month and day.
    holidays: WordMap<(u32, u32)>,
    weekday_suffixes: Vec<String>,
    /// The one-word entries of each role.
    words: HashMap<Role, Vec<String>>,
    /// The roles each first word of an entry plays.
    word_roles: WordMap<WordRoles>,
    /// Every entry of every role, with its role, as tokens, by the first
    /// word's `WordRoles::entries`.
    starting: Vec<Vec<(Role, Vec<String>)>>,
    phrases: HashMap<Phrases, Vec<Vec<String>>>,
    not_verbs: Vec<String>,
    common_words: Vec<String>,
    /// Each command's phrases, as tokens, with the language they are.
    commands: HashMap<CommandWord, Vec<(Spoken, Vec<String>)>>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let files = FILES.map(|(spoken, text)| (spoken, parse_file(spoken, text)));
    Lexicon::from_files(files.into_iter())
});

/// The lexicon, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

fn parse_file(spoken: Spoken, text: &str) -> File {
    toml::from_str(text).unwrap_or_else(|error| panic!("the {spoken:?} words: {error}"))
}

/// A table's key read as a number.
fn number(key: &str, table: &str) -> u32 {
    key.parse()
        .unwrap_or_else(|_| panic!("{table}: `{key}` is not a number"))
}

/// Each word of a meaning-to-words table, with its meaning.
fn entries<K, V>(table: BTreeMap<K, Vec<String>>, meaning: impl Fn(&K) -> V) -> Vec<(String, V)>
where
    V: Copy,
{
    table
        .into_iter()
        .flat_map(|(key, words)| {
            let value = meaning(&key);
            words.into_iter().map(move |word| (word, value))
        })
        .collect()
}

fn tokens_of(phrase: &str) -> Vec<String> {
    phrase.split_whitespace().map(str::to_owned).collect()
}

impl Lexicon {
    fn from_files(files: impl Iterator<Item = (Spoken, File)>) -> Self {
        let mut lexicon = Lexicon {
            languages: Vec::new(),
            numbers: WordMap::default(),
            units: WordMap::default(),
            weekdays: WordMap::default(),
            short_weekdays: WordMap::default(),
            months: WordMap::default(),
            parts: WordMap::default(),
            nth: WordMap::default(),
            shorthand: WordMap::default(),
            holidays: WordMap::default(),
            weekday_suffixes: Vec::new(),
            words: HashMap::new(),
            word_roles: WordMap::default(),
            starting: Vec::new(),
            phrases: HashMap::new(),
            not_verbs: Vec::new(),
            common_words: Vec::new(),
            commands: HashMap::new(),
        };
        for (spoken, file) in files {
            lexicon.add(spoken, file);
        }
        lexicon
    }

    fn add(&mut self, spoken: Spoken, mut file: File) {
        let task_after_time = file
            .words
            .get(&Role::TaskAfterTime)
            .cloned()
            .unwrap_or_default();
        self.numbers
            .extend(entries(file.numbers, |key| number(key, "numbers")));
        self.units
            .extend(entries(file.units, |key| i64::from(number(key, "units"))));
        self.weekdays.extend(entries(file.weekdays, |key| {
            key.parse::<Weekday>()
                .unwrap_or_else(|_| panic!("weekdays: `{key}` is not a weekday"))
        }));
        self.short_weekdays
            .extend(entries(file.short_weekdays, |key| {
                key.parse::<Weekday>()
                    .unwrap_or_else(|_| panic!("short_weekdays: `{key}` is not a weekday"))
            }));
        self.months
            .extend(entries(file.months, |key| number(key, "months")));
        self.parts.extend(entries(file.parts_of_day, |part| *part));
        self.nth.extend(entries(file.nth, |key| key.nth()));
        for (meant, words) in file.shorthand {
            self.shorthand
                .extend(words.into_iter().map(|word| (word, meant.clone())));
        }
        self.weekday_suffixes.extend(file.weekday_suffixes);
        // Holidays are found as the entries of a role, then looked up here.
        for (key, phrases) in std::mem::take(&mut file.holidays) {
            let date = key
                .split_once('-')
                .and_then(|(month, day)| Some((month.parse().ok()?, day.parse().ok()?)))
                .filter(|(month, day)| {
                    chrono::NaiveDate::from_ymd_opt(2000, *month, *day).is_some()
                })
                .unwrap_or_else(|| panic!("holidays: `{key}` is not a month and day"));
            for phrase in &phrases {
                self.holidays.insert(tokens_of(phrase).join(" "), date);
            }
            file.words.entry(Role::Holiday).or_default().extend(phrases);
        }
        for (role, words) in file.words {
            let phrases: Vec<Vec<String>> = words.iter().map(|w| tokens_of(w)).collect();
            for phrase in phrases.iter().filter(|p| !p.is_empty()) {
                let roles = self.word_roles.entry(phrase[0].clone()).or_default();
                roles.add(role, phrase.len());
                let entries = *roles.entries.get_or_insert(self.starting.len());
                if entries == self.starting.len() {
                    self.starting.push(Vec::new());
                }
                self.starting[entries].push((role, phrase.clone()));
            }
            let single = phrases
                .iter()
                .filter(|p| p.len() == 1)
                .map(|p| p[0].clone());
            self.words.entry(role).or_default().extend(single);
        }
        let mut asking = Vec::new();
        for (kind, phrases) in file.phrases {
            let phrases: Vec<Vec<String>> = phrases.iter().map(|p| tokens_of(p)).collect();
            if kind == Phrases::Asking {
                asking.clone_from(&phrases);
            }
            self.phrases.entry(kind).or_default().extend(phrases);
        }
        self.not_verbs.extend(file.slips.not_verbs);
        self.common_words.extend(file.slips.common_words);
        for (command, phrases) in file.commands {
            let phrases = phrases.iter().map(|p| (spoken, tokens_of(p)));
            self.commands.entry(command).or_default().extend(phrases);
        }
        self.languages.push(Language {
            spoken,
            numeric_dates: match file.numeric_dates {
                DateOrder::MonthFirst => NumericDates::MonthFirst,
                DateOrder::DayFirst => NumericDates::DayFirst,
            },
            twelve_hour_digits: file.twelve_hour_digits,
            next_weekday: file.next_weekday,
            asking,
            verb_slips: file.verb_slips,
            time_words: file.slips.time_words,
            task_after_time,
        });
    }

    /// The language's own words.
    pub fn language(&self, spoken: Spoken) -> &Language {
        self.languages
            .iter()
            .find(|language| language.spoken == spoken)
            .unwrap_or_else(|| panic!("no words for {spoken:?}"))
    }

    /// The first language writing numeric dates day first or not, for a
    /// time phrase said alone.
    pub fn writing_dates(&self, day_first: bool) -> Spoken {
        self.languages
            .iter()
            .find(|language| (language.numeric_dates == NumericDates::DayFirst) == day_first)
            .map_or(Spoken::English, |language| language.spoken)
    }

    pub fn number(&self, word: &str) -> Option<u32> {
        self.numbers.get(word).copied()
    }

    /// A number said in parts, tens then units (`forty five`, `vinte e
    /// cinco`, `vingt et un`), with the language's `number_and` between
    /// them or not; the tokenizer makes it one token.
    pub fn spelled_number(&self, parts: &[&str]) -> Option<u32> {
        let (tens, and, units) = match parts {
            [tens, units] => (tens, false, units),
            [tens, and, units] if self.is(Role::NumberAnd, and) => (tens, true, units),
            _ => return None,
        };
        let tens = self
            .number(tens)
            .filter(|n| (20..100).contains(n) && n % 10 == 0)?;
        // `twenty a` is no number; `vinte e uma` and `vingt et une` are.
        if !and && self.is(Role::Indefinite, units) {
            return None;
        }
        let units = self.number(units).filter(|n| (1..10).contains(n))?;
        Some(tens + units)
    }

    /// The month and day of a holiday's phrase (`christmas eve`: 12-24).
    pub fn holiday(&self, words: &[&str]) -> Option<(u32, u32)> {
        self.holidays.get(words.join(" ").as_str()).copied()
    }

    pub fn unit_seconds(&self, word: &str) -> Option<i64> {
        self.units.get(word).copied()
    }

    /// A weekday by its full name, with or without an ending (`sexta-feira`).
    pub fn weekday(&self, word: &str) -> Option<Weekday> {
        let base = self
            .weekday_suffixes
            .iter()
            .find_map(|suffix| word.strip_suffix(suffix.as_str()))
            .unwrap_or(word);
        self.weekdays.get(base).copied()
    }

    /// A weekday abbreviation that is also a word or a name (`sat`, `sam`,
    /// `sex`): the parser reads it only where a weekday stands.
    pub fn short_weekday(&self, word: &str) -> Option<Weekday> {
        self.short_weekdays.get(word).copied()
    }

    /// A month by its name or abbreviation, with or without a full stop.
    pub fn month(&self, word: &str) -> Option<u32> {
        self.months.get(word.trim_end_matches('.')).copied()
    }

    pub fn part_of_day(&self, word: &str) -> Option<Part> {
        self.parts.get(word).copied()
    }

    /// Which of the month's weekdays (`last`, `primeira`, `1er`).
    pub fn nth(&self, word: &str) -> Option<Nth> {
        self.nth.get(word).copied()
    }

    /// The word meant by chat shorthand or a frequent slip (`2moro`).
    pub fn shorthand(&self, word: &str) -> Option<&str> {
        self.shorthand.get(word).map(String::as_str)
    }

    /// The entries of `role`, in every language, as tokens (`depois de
    /// amanha` is three), that start with the word whose roles these are.
    pub fn entries_of(&self, word: WordRoles, role: Role) -> impl Iterator<Item = &[String]> {
        word.entries
            .and_then(|at| self.starting.get(at))
            .into_iter()
            .flatten()
            .filter(move |(entry_role, _)| *entry_role == role)
            .map(|(_, words)| words.as_slice())
    }

    /// The one-word entries of a role, in every language.
    pub fn words(&self, role: Role) -> &[String] {
        self.words.get(&role).map_or(&[], Vec::as_slice)
    }

    /// Whether `word` plays `role` in some language.
    pub fn is(&self, role: Role, word: &str) -> bool {
        self.roles(word).is(role)
    }

    /// The roles `word` plays or starts, in every language.
    pub fn roles(&self, word: &str) -> WordRoles {
        self.word_roles.get(word).copied().unwrap_or_default()
    }

    /// The phrases of a kind, in every language, as tokens.
    pub fn phrases(&self, kind: Phrases) -> &[Vec<String>] {
        self.phrases.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// Words one slip from an asking verb that stay words (`lembro`).
    pub fn not_verbs(&self) -> &[String] {
        &self.not_verbs
    }

    /// Ordinary words one edit from a time word, which stay text.
    pub fn common_words(&self) -> &[String] {
        &self.common_words
    }

    /// A chat command's phrases, in every language, as tokens.
    pub fn command(&self, command: CommandWord) -> &[(Spoken, Vec<String>)] {
        self.commands.get(&command).map_or(&[], Vec::as_slice)
    }

    /// Whether the grammar reads `word` as something, in any language.
    pub fn knows(&self, word: &str) -> bool {
        self.languages
            .iter()
            .any(|language| language.time_words.iter().any(|known| known == word))
            || self.weekday(word).is_some()
            || self.short_weekday(word).is_some()
            || self.month(word).is_some()
            || self.number(word).is_some()
            || self.part_of_day(word).is_some()
            || self.unit_seconds(word).is_some()
            || self.shorthand(word).is_some()
            || self.roles(word).starts(Role::Holiday)
            || KNOWN_ROLES.iter().any(|role| self.is(*role, word))
    }
}
