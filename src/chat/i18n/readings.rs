//! What each language's replies read like, word for word: the catalogs'
//! tests from before Fluent, and readings the Rust catalogs gave, kept.

use chrono::{Duration, NaiveDate, Weekday};

use super::tests::REFUSALS;
use super::{Say, catalog, plain};
use crate::domain::language::Language;
use crate::domain::ports::LimitReached;
use crate::domain::price::FetchError;
use crate::domain::reminder::pattern::{Pattern as Repeat, Until};
use crate::domain::reminder::{Clock, Half, Nth};

#[test]
fn english_reads_as_before() {
    let english = catalog(Language::English);
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let friday = NaiveDate::from_ymd_opt(2026, 12, 11).expect("date");
    assert_eq!(
        english.moment(friday.and_hms_opt(18, 0, 0).expect("t"), today),
        "on Friday 11 December at 18:00"
    );
    let at = Clock {
        hour: 9,
        minute: 0,
        half: Half::Known,
    };
    assert_eq!(
        english.repetition(&Repeat::Monthly(22, at)),
        "every month on the 22nd at 09:00"
    );
    assert_eq!(english.ending(Until::Count(3), today, None), ", 3 times");
    assert_eq!(
        english.say(Say::Reminders {
            count: 30,
            shown: 20
        }),
        "**Reminders** (30, the next 20 shown)"
    );
    assert!(
        english
            .say(Say::Help)
            .starts_with("Here is what I can do:\n\n- `remind me")
    );
}

#[test]
fn typed_text_is_never_formatting() {
    assert_eq!(
        plain("**bold** <at>Ana</at> [x](y)"),
        "\\*\\*bold\\*\\* &lt;at&gt;Ana&lt;/at&gt; \\[x\\](y)"
    );
    assert_eq!(plain("call Ana at 9"), "call Ana at 9");
}

#[test]
fn why_a_source_gave_no_price_is_said_in_each_language() {
    let say = |language, problem: FetchError| catalog(language).problem(&problem);
    assert_eq!(
        say(Language::English, FetchError::Timeout),
        "the source did not answer in time"
    );
    assert_eq!(
        say(Language::BrazilianPortuguese, FetchError::Timeout),
        "a fonte não respondeu a tempo"
    );
    assert_eq!(
        say(
            Language::EuropeanPortuguese,
            FetchError::Unreachable("no such host".to_owned())
        ),
        "não consigo contactar a fonte: no such host"
    );
    assert_eq!(
        say(
            Language::French,
            FetchError::NoPrice("/bitcoin/usd".to_owned())
        ),
        "aucun prix à /bitcoin/usd dans la réponse"
    );
}

#[test]
fn portuguese_welcomes_as_each_country_speaks() {
    let names = ["Ana"];
    let welcome = |language| catalog(language).say(Say::Welcome { names: &names });
    assert!(welcome(Language::BrazilianPortuguese).starts_with(
        "Olá, Ana! Sou o Herald. Eu te lembro de coisas, mantenho um registro de jobs"
    ));
    assert!(
        welcome(Language::EuropeanPortuguese)
            .starts_with("Olá, Ana! Sou o Herald. Lembro-o de coisas, mantenho um registo de jobs")
    );
}

#[test]
fn every_language_says_every_refusal_with_an_example() {
    for language in Language::ALL {
        let catalog = catalog(language);
        for refusal in REFUSALS {
            let text = catalog.say(Say::ReminderRefused {
                refusal,
                misspelt: None,
            });
            assert!(text.contains('`'), "{language:?} {refusal:?}: {text}");
        }
        let min = Duration::minutes(5);
        let text = catalog.say(Say::RepeatTooOften { min });
        assert!(
            text.contains("5 min") && text.contains('`'),
            "{language:?}: {text}"
        );
    }
}

#[test]
fn durations_keep_two_parts() {
    let english = catalog(Language::English);
    assert_eq!(english.duration(Duration::seconds(5400)), "1 h 30 min");
    assert_eq!(english.duration(Duration::seconds(90_061)), "1 day 1 h");
    assert_eq!(english.duration(Duration::zero()), "0 s");
}

#[test]
fn english_ordinals_come_from_fluent_plural_rules() {
    let english = catalog(Language::English);
    let at = Clock {
        hour: 9,
        minute: 0,
        half: Half::Known,
    };
    for (day, said) in [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (31, "31st"),
    ] {
        let expected = format!("every month on the {said} at 09:00");
        assert_eq!(english.repetition(&Repeat::Monthly(day, at)), expected);
    }
    let fifth = Repeat::MonthlyWeekday(Nth::Ordinal(5), Weekday::Fri, at);
    assert_eq!(
        english.repetition(&fifth),
        "every 5th Friday of the month at 09:00"
    );
}

#[test]
fn portuguese_and_french_read_as_their_rust_catalogs_did() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let on = |y, m, d, h| {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("time")
    };
    let at = Clock {
        hour: 9,
        minute: 0,
        half: Half::Known,
    };
    let brazil = catalog(Language::BrazilianPortuguese);
    let portugal = catalog(Language::EuropeanPortuguese);
    let french = catalog(Language::French);
    let english = catalog(Language::English);
    let cases = [
        (
            brazil.moment(on(2026, 12, 11, 18), today),
            "na sexta-feira, 11 de dezembro, às 18:00",
        ),
        (
            brazil.moment(on(2027, 1, 9, 1), today),
            "no sábado, 9 de janeiro de 2027, à 01:00",
        ),
        (brazil.moment(on(2026, 12, 8, 0), today), "amanhã às 00:00"),
        (
            brazil.repetition(&Repeat::Weekly(vec![Weekday::Sat, Weekday::Sun], at)),
            "aos sábados e domingos às 09:00",
        ),
        (
            portugal.repetition(&Repeat::WeeksApart(2, vec![Weekday::Mon, Weekday::Fri], at)),
            "a cada duas semanas, às segundas e sextas às 09:00",
        ),
        (
            brazil.repetition(&Repeat::MonthlyWeekday(Nth::Last, Weekday::Sun, at)),
            "no último domingo de cada mês às 09:00",
        ),
        (
            brazil.repetition(&Repeat::MonthlyWeekday(Nth::Ordinal(1), Weekday::Mon, at)),
            "na primeira segunda-feira de cada mês às 09:00",
        ),
        (
            french.moment(on(2027, 1, 1, 9), today),
            "le vendredi 1er janvier 2027 à 09:00",
        ),
        (
            french.repetition(&Repeat::WeeksApart(2, vec![Weekday::Sat], at)),
            "un samedi sur deux à 09:00",
        ),
        (
            french.repetition(&Repeat::WeeksApart(2, vec![Weekday::Mon, Weekday::Fri], at)),
            "toutes les deux semaines, le lundi et le vendredi à 09:00",
        ),
        (
            french.repetition(&Repeat::Monthly(1, at)),
            "tous les mois le 1er à 09:00",
        ),
        (
            english.repetition(&Repeat::WeeksApart(2, vec![Weekday::Mon], at)),
            "every other Monday at 09:00",
        ),
        (
            english.repetition(&Repeat::MonthlyWeekday(Nth::Ordinal(2), Weekday::Tue, at)),
            "every second Tuesday of the month at 09:00",
        ),
        (
            portugal.say(Say::ReminderLimit(LimitReached::User(50))),
            "Já tem 50 lembretes, o máximo que guardo por pessoa. Cancele alguns com `cancelar <n>` primeiro.",
        ),
        (
            portugal.problem(&FetchError::Waiting),
            "a fonte chegou ao limite de pedidos, ou está a aguardar depois de falhas",
        ),
        (
            french.starting("demain à 09:00"),
            ", prochain : demain à 09:00",
        ),
    ];
    for (said, expected) in cases {
        assert_eq!(said, expected);
    }
}
