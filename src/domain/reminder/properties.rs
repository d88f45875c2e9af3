//! Property tests of the whole grammar: arbitrary text and sentences of its
//! own words never panic, and whatever it accepts is a schedule the engine
//! builds, first firing after now, with text taken from the message.

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::*;

/// Words the grammar knows, to build messages that go deep into it.
const WORDS: &[&str] = &[
    "remind",
    "me",
    "lembre-me",
    "rappelle-moi",
    "rappel",
    "in",
    "em",
    "dans",
    "at",
    "às",
    "à",
    "on",
    "every",
    "todo",
    "toda",
    "tous",
    "les",
    "chaque",
    "a",
    "cada",
    "de",
    "d'",
    "to",
    "until",
    "até",
    "jusqu'à",
    "times",
    "vezes",
    "fois",
    "tomorrow",
    "amanhã",
    "demain",
    "today",
    "friday",
    "sexta",
    "vendredi",
    "monday",
    "and",
    "e",
    "et",
    "day",
    "dia",
    "jours",
    "hours",
    "horas",
    "heures",
    "minutes",
    "month",
    "mês",
    "mois",
    "last",
    "dernier",
    "of",
    "the",
    "1st",
    "31",
    "24",
    "December",
    "dezembro",
    "décembre",
    "2026",
    "17:30",
    "9h",
    "5pm",
    "12am",
    "24:00",
    "1h30",
    "0",
    "99999999",
    "24/12",
    "2026-12-24",
    "\"0 9 * * *\"",
    ":",
    ",",
    "noon",
    "meia-noite",
    "minuit",
    "weekdays",
    "úteis",
    "semaine",
    "next",
    "que",
    "vem",
    "prochain",
    "half",
    "an",
    "hour",
    "meia",
    "hora",
    "demi-heure",
];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Whatever is accepted is a schedule the engine builds, first firing
/// after now and as the parser said, with text taken from the message.
fn check(text: &str) {
    for zone in ["Europe/Lisbon", "America/New_York", "Asia/Kolkata"] {
        let zone = Zone::parse(zone).unwrap();
        if let Some(Ok(reminder)) = parse(text, now(), zone, TimeDefaults::default()) {
            assert!(reminder.first > now(), "{text:?}");
            assert!(
                !reminder.text.is_empty() && text.contains(&reminder.text),
                "{text:?}"
            );
            let schedule = reminder.schedule.to_schedule(now()).expect("it builds");
            assert_eq!(
                schedule.next_after(now(), 0),
                Some(reminder.first),
                "{text:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        check(&text);
        check(&format!("remind me {text}"));
    }

    #[test]
    fn sentences_of_grammar_words_never_panic(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..14)) {
        check(&words.join(" "));
        check(&format!("remind me {}", words.join(" ")));
    }
}
