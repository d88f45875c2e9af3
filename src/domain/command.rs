//! The chat command grammar: text in, a `Command` out — the job log's
//! commands, and the words for managing reminders and settings in English,
//! Portuguese and French. Setting a reminder itself (`remind me …`) needs the
//! user's time and zone: `Command::Remind` hands it to `reminder::parse`.

use super::language::Language;
use super::trigger::TriggerId;
use super::user::QuietHours;

/// What a chat message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `run`, `run job`: start a job.
    Run,
    /// `show`, `show jobs`, optionally with a page number (`show 2`, `show jobs page 2`).
    Show { page: u32 },
    /// `done <id>`.
    Done(JobRef),
    /// `help` (`ajuda`, `aide`), `?`.
    Help,
    /// `hello`, `hi Herald`, `bom dia`, `bonjour` …: greeted back.
    Greeting,
    /// `forget me` (`esqueça-me`, `oublie-moi` …): asks to delete what Herald keeps about the user.
    ForgetMe(Language),
    /// Starts like a reminder (`remind me …`, `lembre-me …`, `rappelle-moi …`).
    Remind,
    /// `reminders`, `lembretes`, `rappels`: lists this conversation's reminders.
    Reminders,
    /// `cancel 3`, `pause 3`, `resume 3` (and their translations).
    Manage { action: ManageAction, id: JobRef },
    /// `snooze 3 15m`, `adiar 3 1h`, `reporter 3 10 minutes`.
    Snooze {
        id: JobRef,
        by: Option<chrono::Duration>,
    },
    /// `edit 3 at 10:00`: the time part as typed.
    Edit { id: JobRef, when: String },
    /// `timezone Europe/Lisbon`; `None` for `my timezone` (show it).
    Timezone(Option<String>),
    /// `language pt`.
    Language(String),
    /// `quiet 22:00-07:00`, `quiet off`.
    Quiet(QuietSetting),
    /// Starts like a price watch (`watch …`, `alert me when …`, `avise-me
    /// quando …`, `préviens-moi quand …`): `price::command::parse` reads it.
    Watch,
    /// `watches`, `alertas`, `alertes`: lists this conversation's price watches.
    Watches,
    /// `unwatch 3`, `parar alerta 3`, `annuler alerte 3`.
    Unwatch(JobRef),
    /// Anything else.
    Unrecognised,
}

/// What `cancel`, `pause` and `resume` ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManageAction {
    Cancel,
    Pause,
    Resume,
}

/// What `quiet …` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuietSetting {
    Set(QuietHours),
    Off,
    /// Not readable as hours.
    Invalid,
}

const LIST: &[&str] = &[
    "reminders",
    "list",
    "my reminders",
    "list reminders",
    "show reminders",
    "lembretes",
    "meus lembretes",
    "listar",
    "lista",
    "listar lembretes",
    "rappels",
    "mes rappels",
    "liste",
    "liste des rappels",
];
const CANCEL: &[&str] = &[
    "cancel",
    "delete",
    "remove",
    "cancelar",
    "apagar",
    "excluir",
    "remover",
    "annuler",
    "supprimer",
];
const PAUSE: &[&str] = &["pause", "pausar", "suspender", "suspendre"];
const RESUME: &[&str] = &[
    "resume",
    "unpause",
    "retomar",
    "reativar",
    "continuar",
    "reprendre",
    "reactiver",
];
const SNOOZE: &[&str] = &["snooze", "adiar", "reporter", "repousser"];
const EDIT: &[&str] = &[
    "edit", "change", "editar", "alterar", "mudar", "modifier", "changer",
];
const TIMEZONE: &[&str] = &[
    "timezone",
    "time zone",
    "tz",
    "fuso",
    "fuso horario",
    "fuseau",
    "fuseau horaire",
];
const MY_TIMEZONE: &[&str] = &[
    "my timezone",
    "my time zone",
    "meu fuso",
    "meu fuso horario",
    "mon fuseau",
    "mon fuseau horaire",
    "what is my timezone",
    "what is my time zone",
    "what's my timezone",
    "what's my time zone",
    "qual e o meu fuso",
    "qual e o meu fuso horario",
    "qual o meu fuso horario",
    "quel est mon fuseau",
    "quel est mon fuseau horaire",
];
const WATCHES: &[&str] = &[
    "watches",
    "my watches",
    "list watches",
    "show watches",
    "price watches",
    "alertas",
    "meus alertas",
    "alertas de preco",
    "alertes",
    "mes alertes",
    "alertes de prix",
];
const UNWATCH: &[&str] = &[
    "unwatch",
    "stop watching",
    "stop watch",
    "parar alerta",
    "cancelar alerta",
    "remover alerta",
    "apagar alerta",
    "annuler alerte",
    "supprimer alerte",
    "arreter alerte",
    "arreter l'alerte",
];
const LANGUAGE: &[&str] = &["language", "idioma", "lingua", "langue"];
const QUIET: &[&str] = &[
    "quiet",
    "quiet hours",
    "silencio",
    "silence",
    "nao perturbe",
];
const OFF: &[&str] = &[
    "off",
    "none",
    "desligado",
    "desligar",
    "nao",
    "aucun",
    "desactive",
    "non",
];

/// Splits `words` after the longest of `commands` it starts with.
fn after<'a>(words: &'a [&'a str], commands: &[&str]) -> Option<&'a [&'a str]> {
    commands
        .iter()
        .filter_map(|command| {
            let parts: Vec<&str> = command.split(' ').collect();
            (words.len() >= parts.len() && words[..parts.len()] == parts[..]).then_some(parts.len())
        })
        .max()
        .map(|taken| &words[taken..])
}

/// The id part of `done <id>`, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRef {
    /// A number that can name a job.
    Id(TriggerId),
    /// All digits, but no job can have it (zero, or beyond 64 bits). Kept for the reply.
    OutOfRange(String),
    /// Nothing, or something that is not a number.
    Missing,
}

impl JobRef {
    /// Reads a job id as sent in chat or in an event's `value` text.
    pub fn parse(text: &str) -> Self {
        let digits = text.trim().trim_start_matches('#');
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Self::Missing;
        }
        match digits.parse::<i64>().ok().and_then(TriggerId::new) {
            Some(id) => Self::Id(id),
            None => Self::OutOfRange(digits.to_owned()),
        }
    }
}

impl Command {
    /// Parses one message. Case, accents, surrounding space and a trailing
    /// full stop or exclamation mark do not matter.
    pub fn parse(text: &str) -> Self {
        if crate::domain::price::command::parse(text).is_some() {
            return Self::Watch;
        }
        if crate::domain::reminder::starts_like_a_reminder(text) {
            return Self::Remind;
        }
        let lowered = text.trim().trim_end_matches(['.', '!']).to_lowercase();
        let words: Vec<&str> = lowered.split_whitespace().collect();
        if let Some(command) = Self::reminder_command(text) {
            return command;
        }
        match words.as_slice() {
            ["run"] | ["run", "job"] => Self::Run,
            ["show"] | ["show", "jobs"] => Self::Show { page: 1 },
            ["show", rest @ ..] => match parse_page(rest) {
                Some(page) => Self::Show { page },
                None => Self::Unrecognised,
            },
            ["done"] => Self::Done(JobRef::Missing),
            ["done", id] => Self::Done(JobRef::parse(id)),
            ["done", ..] => Self::Done(JobRef::Missing),
            ["help" | "ajuda" | "aide"] | ["?"] => Self::Help,
            greeting if is_greeting(greeting) => Self::Greeting,
            ["forget", "me"] => Self::ForgetMe(Language::English),
            ["esqueça-me" | "esquece-me" | "esqueca-me"] | ["me", "esqueça" | "esqueca"] => {
                Self::ForgetMe(Language::BrazilianPortuguese)
            }
            ["oublie-moi" | "oubliez-moi"] => Self::ForgetMe(Language::French),
            _ => Self::Unrecognised,
        }
    }
}

impl Command {
    /// The commands about reminders and settings.
    fn reminder_command(text: &str) -> Option<Self> {
        let folded = crate::domain::reminder::fold(text.trim().trim_end_matches(['.', '!', '?']));
        let words: Vec<&str> = folded.split_whitespace().collect();
        if words.is_empty() {
            return None;
        }
        if LIST.contains(&words.join(" ").as_str()) {
            return Some(Self::Reminders);
        }
        if WATCHES.contains(&words.join(" ").as_str()) {
            return Some(Self::Watches);
        }
        if let Some(rest) = after(&words, UNWATCH) {
            return Some(Self::Unwatch(match rest {
                [id] => JobRef::parse(id),
                _ => JobRef::Missing,
            }));
        }
        for (commands, action) in [
            (CANCEL, ManageAction::Cancel),
            (PAUSE, ManageAction::Pause),
            (RESUME, ManageAction::Resume),
        ] {
            if let Some(rest) = after(&words, commands) {
                let id = match rest {
                    [id] => JobRef::parse(id),
                    _ => JobRef::Missing,
                };
                return Some(Self::Manage { action, id });
            }
        }
        if let Some(rest) = after(&words, SNOOZE) {
            let (id, by) = match rest {
                [] => (JobRef::Missing, None),
                [id] => (JobRef::parse(id), None),
                [id, by @ ..] => (JobRef::parse(id), snooze_duration(&by.join(" "))),
            };
            return Some(Self::Snooze { id, by });
        }
        if let Some(rest) = after(&words, EDIT) {
            let Some(id) = rest.first() else {
                return Some(Self::Edit {
                    id: JobRef::Missing,
                    when: String::new(),
                });
            };
            // The time part as typed (accents and case kept), after the id.
            let original: Vec<&str> = text.split_whitespace().collect();
            let skip = words.len() - rest.len() + 1;
            return Some(Self::Edit {
                id: JobRef::parse(id),
                when: original
                    .get(skip..)
                    .map(|w| w.join(" "))
                    .unwrap_or_default(),
            });
        }
        if MY_TIMEZONE.contains(&words.join(" ").as_str()) {
            return Some(Self::Timezone(None));
        }
        if let Some(rest) = after(&words, TIMEZONE) {
            // Zone names are case-sensitive: take what was typed.
            let typed: Vec<&str> = text
                .split_whitespace()
                .skip(words.len() - rest.len())
                .collect();
            return Some(Self::Timezone((!typed.is_empty()).then(|| typed.join(" "))));
        }
        if let Some(rest) = after(&words, LANGUAGE) {
            return (!rest.is_empty()).then(|| Self::Language(rest.join(" ")));
        }
        if let Some(rest) = after(&words, QUIET) {
            let setting = match rest {
                [] => QuietSetting::Invalid,
                [off] if OFF.contains(off) => QuietSetting::Off,
                hours => QuietHours::parse(&hours.join(""))
                    .map_or(QuietSetting::Invalid, QuietSetting::Set),
            };
            return Some(Self::Quiet(setting));
        }
        None
    }
}

/// `15m`, `1h`, `10 minutes`, `uma hora` after `snooze <id>`.
fn snooze_duration(text: &str) -> Option<chrono::Duration> {
    let compact: String = text.split_whitespace().collect();
    if let Ok(duration) = super::schedule::parse_duration(&compact) {
        return Some(duration).filter(|d| *d > chrono::Duration::zero());
    }
    crate::domain::reminder::parse_duration_words(text).filter(|d| *d > chrono::Duration::zero())
}

/// `2`, `page 2`, after `show` or `show jobs`.
/// Hello in the three languages, alone or to Herald (`hi herald`, `olá, Herald`).
fn is_greeting(words: &[&str]) -> bool {
    let words: Vec<&str> = words
        .iter()
        .map(|word| word.trim_end_matches([',', '!']))
        .filter(|word| !word.is_empty())
        .collect();
    let greeting = match words.as_slice() {
        [greeting @ .., "herald"] => greeting,
        greeting => greeting,
    };
    matches!(
        greeting,
        ["hello" | "hi" | "hey" | "hiya" | "howdy" | "yo"]
            | ["good", "morning" | "afternoon" | "evening"]
            | ["olá" | "ola" | "oi" | "oie" | "alô" | "alo"]
            | ["bom", "dia"]
            | ["boa", "tarde" | "noite"]
            | ["bonjour" | "salut" | "coucou" | "bonsoir"]
    )
}

fn parse_page(words: &[&str]) -> Option<u32> {
    let number = match words {
        ["jobs", "page", n] | ["jobs", n] | ["page", n] | [n] => n,
        _ => return None,
    };
    number.parse::<u32>().ok().filter(|page| *page >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: i64) -> JobRef {
        JobRef::Id(TriggerId::new(n).unwrap())
    }

    #[test]
    fn the_seed_commands_parse() {
        assert_eq!(Command::parse("run"), Command::Run);
        assert_eq!(Command::parse("  Run Job "), Command::Run);
        assert_eq!(Command::parse("show"), Command::Show { page: 1 });
        assert_eq!(Command::parse("SHOW JOBS"), Command::Show { page: 1 });
        assert_eq!(Command::parse("done 12"), Command::Done(id(12)));
        assert_eq!(Command::parse("Done  #4."), Command::Done(id(4)));
        assert_eq!(Command::parse("help"), Command::Help);
        assert_eq!(Command::parse("Ajuda"), Command::Help);
        assert_eq!(Command::parse("aide"), Command::Help);
    }

    #[test]
    fn price_watch_commands_parse_in_three_languages() {
        assert_eq!(
            Command::parse("watch bitcoin below 30000 usd"),
            Command::Watch
        );
        assert_eq!(
            Command::parse("Alert me when AAPL drops 20%"),
            Command::Watch
        );
        assert_eq!(
            Command::parse("avise-me quando bitcoin cair 10%"),
            Command::Watch
        );
        assert_eq!(
            Command::parse("préviens-moi quand bitcoin passe sous 30000"),
            Command::Watch
        );
        for list in ["watches", "My watches", "alertas", "mes alertes"] {
            assert_eq!(Command::parse(list), Command::Watches, "{list}");
        }
        assert_eq!(Command::parse("unwatch 7"), Command::Unwatch(id(7)));
        assert_eq!(Command::parse("parar alerta #7"), Command::Unwatch(id(7)));
        assert_eq!(
            Command::parse("arrêter l'alerte 7"),
            Command::Unwatch(id(7))
        );
        assert_eq!(Command::parse("unwatch"), Command::Unwatch(JobRef::Missing));
        // A reminder that mentions watching stays a reminder.
        assert_eq!(
            Command::parse("remind me tomorrow to watch the game"),
            Command::Remind
        );
    }

    #[test]
    fn show_takes_a_page() {
        assert_eq!(Command::parse("show 2"), Command::Show { page: 2 });
        assert_eq!(Command::parse("show jobs 3"), Command::Show { page: 3 });
        assert_eq!(
            Command::parse("show jobs page 4"),
            Command::Show { page: 4 }
        );
        assert_eq!(Command::parse("show page 5"), Command::Show { page: 5 });
        assert_eq!(Command::parse("show 0"), Command::Unrecognised);
        assert_eq!(Command::parse("show me everything"), Command::Unrecognised);
        assert_eq!(
            Command::parse("show 99999999999999999999"),
            Command::Unrecognised
        );
    }

    #[test]
    fn done_without_a_usable_id_asks_for_one() {
        assert_eq!(Command::parse("done"), Command::Done(JobRef::Missing));
        assert_eq!(Command::parse("done abc"), Command::Done(JobRef::Missing));
        assert_eq!(Command::parse("done 1 2"), Command::Done(JobRef::Missing));
        assert_eq!(Command::parse("done -3"), Command::Done(JobRef::Missing));
    }

    #[test]
    fn done_with_a_number_no_job_can_have_is_kept_for_the_reply() {
        let forty = "1234567890123456789012345678901234567890";
        assert_eq!(
            Command::parse(&format!("done {forty}")),
            Command::Done(JobRef::OutOfRange(forty.to_owned()))
        );
        assert_eq!(
            Command::parse("done 0"),
            Command::Done(JobRef::OutOfRange("0".to_owned()))
        );
    }

    #[test]
    fn greetings_in_each_language_are_greetings() {
        for text in [
            "hello",
            "Hi!",
            "hey Herald",
            "Hello, Herald!",
            "good morning",
            "Olá",
            "oi herald",
            "Bom dia!",
            "boa noite",
            "Bonjour",
            "salut Herald",
            "bonsoir.",
        ] {
            assert_eq!(Command::parse(text), Command::Greeting, "{text:?}");
        }
    }

    #[test]
    fn anything_else_is_unrecognised() {
        for text in [
            "",
            "   ",
            "hello world",
            "herald",
            "running",
            "run jobs now",
            "showjobs",
        ] {
            assert_eq!(Command::parse(text), Command::Unrecognised, "{text:?}");
        }
    }

    #[test]
    fn forget_me_is_understood_in_three_languages() {
        assert_eq!(
            Command::parse("Forget me"),
            Command::ForgetMe(Language::English)
        );
        assert_eq!(
            Command::parse("esqueça-me"),
            Command::ForgetMe(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Command::parse("Me esqueça!"),
            Command::ForgetMe(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Command::parse("oublie-moi"),
            Command::ForgetMe(Language::French)
        );
        assert_eq!(Command::parse("forget me not"), Command::Unrecognised);
        assert_eq!(
            Language::from_tag("pt-BR"),
            Some(Language::BrazilianPortuguese)
        );
        assert_eq!(Language::from_tag("de-DE"), None);
    }

    #[test]
    fn reminder_commands_in_three_languages() {
        assert_eq!(
            Command::parse("remind me in 10 minutes to stretch"),
            Command::Remind
        );
        assert_eq!(Command::parse("Lembre-me amanhã de ligar"), Command::Remind);
        assert_eq!(Command::parse("rappel vendredi : réunion"), Command::Remind);
        for list in ["reminders", "Lembretes", "mes rappels", "list"] {
            assert_eq!(Command::parse(list), Command::Reminders, "{list}");
        }
        let id = |n| JobRef::Id(TriggerId::new(n).unwrap());
        assert_eq!(
            Command::parse("cancelar 3"),
            Command::Manage {
                action: ManageAction::Cancel,
                id: id(3)
            }
        );
        assert_eq!(
            Command::parse("reprendre 4"),
            Command::Manage {
                action: ManageAction::Resume,
                id: id(4)
            }
        );
        assert_eq!(
            Command::parse("pause"),
            Command::Manage {
                action: ManageAction::Pause,
                id: JobRef::Missing
            }
        );
        assert_eq!(
            Command::parse("snooze 3 15m"),
            Command::Snooze {
                id: id(3),
                by: Some(chrono::Duration::minutes(15))
            }
        );
        assert_eq!(
            Command::parse("adiar 3 1 hora"),
            Command::Snooze {
                id: id(3),
                by: Some(chrono::Duration::hours(1))
            }
        );
        assert_eq!(
            Command::parse("snooze 3"),
            Command::Snooze {
                id: id(3),
                by: None
            }
        );
        assert_eq!(
            Command::parse("editar 5 às 10h"),
            Command::Edit {
                id: id(5),
                when: "às 10h".to_owned()
            }
        );
        assert_eq!(
            Command::parse("timezone Europe/Lisbon"),
            Command::Timezone(Some("Europe/Lisbon".to_owned()))
        );
        assert_eq!(
            Command::parse("fuso horário America/Sao_Paulo"),
            Command::Timezone(Some("America/Sao_Paulo".to_owned()))
        );
        assert_eq!(Command::parse("my timezone"), Command::Timezone(None));
        for asked in [
            "What is my timezone?",
            "what's my time zone",
            "Qual é o meu fuso horário?",
            "Quel est mon fuseau horaire ?",
        ] {
            assert_eq!(Command::parse(asked), Command::Timezone(None), "{asked:?}");
        }
        assert_eq!(
            Command::parse("langue fr"),
            Command::Language("fr".to_owned())
        );
        assert_eq!(
            Command::parse("quiet off"),
            Command::Quiet(QuietSetting::Off)
        );
        assert_eq!(
            Command::parse("silêncio 22:00-07:00"),
            Command::Quiet(QuietSetting::Set(QuietHours {
                start: 1320,
                end: 420
            }))
        );
        assert_eq!(
            Command::parse("quiet soon"),
            Command::Quiet(QuietSetting::Invalid)
        );
    }

    #[test]
    fn event_values_parse_as_job_refs() {
        assert_eq!(JobRef::parse(" 17 "), id(17));
        assert_eq!(JobRef::parse("x17"), JobRef::Missing);
        assert_eq!(JobRef::parse(""), JobRef::Missing);
    }
}
