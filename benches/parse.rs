//! Reminder parsing benchmark: `cargo bench --bench parse`.
//!
//! Times `domain::reminder::parse` over every phrasing of the corpus
//! (`src/domain/reminder/corpus/{en,pt,fr}.txt`), each with its line's "now"
//! and zone, as a chat turn calls it. Each phrase is parsed once to warm up,
//! then `BENCH_ROUNDS` times (default 200); every parse is timed alone, so
//! the median per phrase is of single calls, and the phrases a second are
//! the corpus's phrases over the sum of those times. It also times the worst
//! message a turn may parse: `chat.max_text_chars` (2,000 by default)
//! characters of time words, which the grammar tries at every position.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::DateTime;
use herald::domain::reminder::corpus_file::{self, Case};
use herald::domain::reminder::{TimeDefaults, parse};
use herald::domain::schedule::Zone;

const CORPORA: [(&str, &str); 3] = [
    ("en", include_str!("../src/domain/reminder/corpus/en.txt")),
    ("pt", include_str!("../src/domain/reminder/corpus/pt.txt")),
    ("fr", include_str!("../src/domain/reminder/corpus/fr.txt")),
];

/// The default `chat.max_text_chars`: longer messages are refused unparsed.
const MAX_TEXT_CHARS: usize = 2000;

/// The phrasings of a corpus file with their "now" and zone (the expected
/// readings are the unit test's business).
fn cases(corpus: &str) -> Vec<Case<'_>> {
    corpus_file::cases(corpus).expect("the corpus reads")
}

fn time(case: &Case<'_>) -> Duration {
    let start = Instant::now();
    black_box(parse(
        black_box(case.input),
        case.now,
        case.zone,
        TimeDefaults::default(),
    ));
    start.elapsed()
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(200);
    println!("{rounds} rounds; every parse timed alone");
    println!("| corpus | phrases | phrases/s | median per phrase | p99 | slowest |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, corpus) in CORPORA {
        let cases = cases(corpus);
        cases.iter().for_each(|case| {
            time(case);
        });
        let mut times: Vec<Duration> = (0..rounds)
            .flat_map(|_| cases.iter().map(time).collect::<Vec<_>>())
            .collect();
        let total: Duration = times.iter().sum();
        times.sort();
        let at = |share: f64| times[((times.len() - 1) as f64 * share) as usize];
        println!(
            "| {name} | {} | {:.0} | {:.1} µs | {:.1} µs | {:.1} µs |",
            cases.len(),
            times.len() as f64 / total.as_secs_f64(),
            micros(at(0.5)),
            micros(at(0.99)),
            micros(at(1.0)),
        );
    }
    worst_message(rounds.clamp(1, 50));
}

/// A message as long as a turn parses, made of words the grammar tries to
/// read as time at every position, asking for a reminder at its start.
fn worst_message(rounds: usize) {
    let mut text = String::from("remind me ");
    let words = [
        "every", "monday", "at", "9", "and", "tomorrow", "in", "2", "de",
    ];
    for word in words.iter().cycle() {
        if text.chars().count() + word.len() + 1 > MAX_TEXT_CHARS {
            break;
        }
        text.push_str(word);
        text.push(' ');
    }
    let case = Case {
        line: 0,
        input: &text,
        expected: "",
        now: DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .to_utc(),
        zone: Zone::parse("Europe/Lisbon").unwrap(),
    };
    time(&case);
    let mut times: Vec<Duration> = (0..rounds).map(|_| time(&case)).collect();
    times.sort();
    println!(
        "a {}-character message of time words, {rounds} parses: median {:.0} µs, slowest {:.0} µs",
        text.chars().count(),
        micros(times[times.len() / 2]),
        micros(times[times.len() - 1])
    );
}
