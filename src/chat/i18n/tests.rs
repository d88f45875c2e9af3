//! The locale files checked against each other and against `Say`: every
//! message in every file, with the same variables, formatting without
//! errors, isolation marks or leftover placeables, arguments escaped.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, Weekday};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::catalog::WORKWEEK;
use super::samples::samples;
use super::{Say, bundle, catalog};
use crate::domain::language::Language;
use crate::domain::price::{FetchError, Rule};
use crate::domain::reminder::pattern::{Pattern as Repeat, Until};
use crate::domain::reminder::{Clock, Half, Nth, Refusal};
use crate::domain::trigger::TriggerState;

/// Variables that only some languages' grammar needs (an hour for `à`/`às`,
/// a weekday's gender, …): the code passes them, a file may leave them out.
const HINTS: [(&str, &str); 8] = [
    ("at-time", "hour"),
    ("moment", "wday"),
    ("repeat-weekly", "weekend"),
    ("repeat-weeks-apart", "weekly"),
    ("repeat-weeks-apart", "count"),
    ("repeat-weeks-apart", "days"),
    ("repeat-weeks-apart", "at"),
    ("repeat-monthly-weekday", "wday"),
];

pub(super) const REFUSALS: [Refusal; 5] = [
    Refusal::Past,
    Refusal::Date,
    Refusal::Text,
    Refusal::Far,
    Refusal::When,
];

fn languages() -> impl Iterator<Item = (Language, &'static str)> {
    Language::ALL.into_iter().map(|l| (l, bundle::source(l)))
}

/// Each message's id and the variables it uses, hints left out.
fn variables(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source).expect("parses");
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        if let Entry::Message(message) = entry {
            let id = message.id.name.to_owned();
            let mut found = BTreeSet::new();
            if let Some(pattern) = &message.value {
                in_pattern(pattern, &mut found);
            }
            found.retain(|v: &String| !HINTS.contains(&(id.as_str(), v.as_str())));
            messages.insert(id, found);
        }
    }
    messages
}

fn in_pattern(pattern: &Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            in_expression(expression, found);
        }
    }
}

fn in_expression(expression: &Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            in_inline(selector, found);
            for variant in variants {
                in_pattern(&variant.value, found);
            }
        }
        Expression::Inline(inline) => in_inline(inline, found),
    }
}

fn in_inline(inline: &InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            arguments
                .positional
                .iter()
                .for_each(|a| in_inline(a, found));
            arguments
                .named
                .iter()
                .for_each(|a| in_inline(&a.value, found));
        }
        InlineExpression::Placeable { expression } => in_expression(expression, found),
        _ => {}
    }
}

#[test]
fn every_locale_has_every_message_with_the_same_variables() {
    let english = variables(bundle::source(Language::English));
    for (language, source) in languages() {
        let messages = variables(source);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !messages.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", language.code());
        let extra: Vec<_> = messages
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(
            extra.is_empty(),
            "{} has unknown {extra:?}",
            language.code()
        );
        for (id, vars) in &english {
            assert_eq!(&messages[id], vars, "{} {id}: variables", language.code());
        }
    }
}

/// What no reply may show: isolation marks, placeables left unformatted.
fn check(language: Language, text: &str) {
    for bad in ['\u{2068}', '\u{2069}'] {
        assert!(
            !text.contains(bad),
            "{}: isolation mark in {text:?}",
            language.code()
        );
    }
    assert!(
        !text.contains("{ $") && !text.contains("{$"),
        "{}: {text:?}",
        language.code()
    );
}

#[test]
fn every_say_formats_in_every_language() {
    // `bundle::format` fails a unit test on any Fluent error.
    for (language, _) in languages() {
        for say in samples() {
            check(language, &catalog(language).say(say));
        }
    }
}

#[test]
fn every_date_repetition_and_word_formats_in_every_language() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let at = |h| Clock {
        hour: h,
        minute: 5,
        half: Half::Known,
    };
    let days = vec![Weekday::Mon, Weekday::Fri];
    let patterns = [
        Repeat::Interval(60),
        Repeat::Interval(5400),
        Repeat::Daily(at(1)),
        Repeat::Weekly(WORKWEEK.to_vec(), at(9)),
        Repeat::Weekly(vec![Weekday::Sat, Weekday::Sun], at(9)),
        Repeat::Weekly(days.clone(), at(0)),
        Repeat::WeeksApart(2, vec![Weekday::Sat], at(9)),
        Repeat::WeeksApart(3, days, at(9)),
        Repeat::Monthly(1, at(9)),
        Repeat::Monthly(22, at(9)),
        Repeat::MonthlyWeekday(Nth::Last, Weekday::Sun, at(9)),
        Repeat::MonthlyWeekday(Nth::Ordinal(2), Weekday::Tue, at(9)),
        Repeat::Cron("0 9 * * *".to_owned()),
    ];
    for (language, _) in languages() {
        let catalog = catalog(language);
        for offset in [0, 1, 3, 400] {
            let date = today + Duration::days(offset);
            check(
                language,
                &catalog.moment(date.and_hms_opt(1, 0, 0).expect("time"), today),
            );
            check(language, &catalog.ending(Until::Count(3), today, None));
            check(language, &catalog.ending(Until::Count(1), today, None));
        }
        for pattern in &patterns {
            check(language, &catalog.repetition(pattern));
        }
        for state in [TriggerState::Active, TriggerState::Failed] {
            check(language, &catalog.state(state));
        }
        for problem in [
            FetchError::Status(503),
            FetchError::TooLarge(1 << 20),
            FetchError::Waiting,
        ] {
            check(language, &catalog.problem(&problem));
        }
        check(language, &catalog.rule(&Rule::NewLow, None));
        check(language, &catalog.starting("today"));
        check(language, &catalog.duration(Duration::seconds(90_061)));
    }
}

#[test]
fn markdown_in_an_argument_is_escaped() {
    for (language, _) in languages() {
        let text = catalog(language).say(Say::ReminderSet {
            when: "today",
            zone: "UTC",
            text: "*bold* [x](y)",
        });
        assert!(
            text.ends_with("\\*bold\\* \\[x\\](y)"),
            "{}: {text}",
            language.code()
        );
    }
}
