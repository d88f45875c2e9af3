//! Runs the phrasing corpus (`corpus/*.txt`, format in `corpus/FORMAT.md`):
//! every line through the parser, its schedule expanded to its first firings
//! by the trigger engine, compared with what the line expects.

use super::corpus_file::{self, Case};
use super::{Refusal, TimeDefaults, parse};

/// The firings listed beyond which a recurring line's schedule is not followed.
const LISTED: usize = 3;

fn cases(corpus: &str) -> Vec<Case<'_>> {
    corpus_file::cases(corpus).unwrap_or_else(|error| panic!("corpus: {error}"))
}

fn refusal_name(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Past => "past",
        Refusal::Date => "date",
        Refusal::Text => "text",
        Refusal::Far => "far",
        Refusal::When => "when",
    }
}

/// What the parser made of a case, written as the corpus writes expectations.
fn actual(case: &Case<'_>) -> String {
    match parse(case.input, case.now, case.zone, TimeDefaults::default()) {
        None => "not a reminder".to_owned(),
        Some(Err(refused)) => {
            let mut said = format!("refused {}", refusal_name(refused.refusal));
            if let Some((_, meant)) = &refused.misspelt {
                said.push_str(&format!(", did you mean {meant}"));
            }
            if let Some(task) = &refused.task {
                said.push_str(&format!(" | {}", task.text));
            }
            said
        }
        Some(Ok(reminder)) => {
            let schedule = reminder
                .schedule
                .to_schedule(case.now)
                .expect("the parser's schedule builds");
            let mut firings = Vec::new();
            let mut after = case.now;
            let mut fired = 0;
            let mut ended = false;
            while firings.len() < 12 {
                match schedule.next_after(after, fired) {
                    Some(next) => {
                        firings.push(next);
                        after = next;
                        fired += 1;
                    }
                    None => {
                        ended = true;
                        break;
                    }
                }
            }
            let one_shot = reminder.schedule.at.is_some();
            let shown = if one_shot || ended {
                firings.len()
            } else {
                LISTED
            };
            let mut out = firings[..shown.min(firings.len())]
                .iter()
                .map(|at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .collect::<Vec<_>>()
                .join(", ");
            if !one_shot {
                out.push_str(if ended { " end" } else { " ..." });
            }
            if let Some(other) = &reminder.other {
                out.push_str(&format!(" or {}", other.first.format("%Y-%m-%dT%H:%M:%SZ")));
            }
            format!("{out} | {}", reminder.text)
        }
    }
}

fn run(name: &str, corpus: &str) {
    let cases = cases(corpus);
    let mut failures = Vec::new();
    for case in &cases {
        let got = actual(case);
        if got != case.expected {
            failures.push(format!(
                "{name}:{}: {}\n    expected {}\n    got      {got}",
                case.line, case.input, case.expected
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {name} phrasings differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= 150,
        "{name} has only {} phrasings",
        cases.len()
    );
}

#[test]
fn english() {
    run("en.txt", include_str!("corpus/en.txt"));
}

#[test]
fn portuguese() {
    run("pt.txt", include_str!("corpus/pt.txt"));
}

#[test]
fn french() {
    run("fr.txt", include_str!("corpus/fr.txt"));
}

/// A scratch corpus for development: `HERALD_CORPUS=/path cargo test dev_corpus`.
#[test]
fn dev_corpus() {
    if let Ok(path) = std::env::var("HERALD_CORPUS") {
        let text = std::fs::read_to_string(path).unwrap();
        let cases = cases(&text);
        let mut failures = Vec::new();
        for case in &cases {
            let got = actual(case);
            if got != case.expected {
                failures.push(format!(
                    "{}: {}\n    expected {}\n    got      {got}",
                    case.line, case.input, case.expected
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} differ:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }
}
