//! Reads the phrasing corpus's file format (`corpus/FORMAT.md`): `@now`
//! and `@zone` lines setting the clock and zone for the lines below, and
//! `<what the user says> => <expected>` lines. One reader for the corpus
//! unit test and the parse benchmark, so the two never disagree on a line.

use chrono::{DateTime, Utc};

use crate::domain::schedule::Zone;

/// One phrasing of the corpus, with the clock and zone it is read at.
#[derive(Debug, Clone)]
pub struct Case<'a> {
    /// The line's number in its file, counted from 1.
    pub line: usize,
    pub input: &'a str,
    /// What the parser must make of it, as the corpus writes it.
    pub expected: &'a str,
    pub now: DateTime<Utc>,
    pub zone: Zone,
}

/// The phrasings of a corpus file, in order; a malformed line is an error
/// naming it.
pub fn cases(corpus: &str) -> Result<Vec<Case<'_>>, String> {
    let mut now = None;
    let mut zone = None;
    let mut cases = Vec::new();
    for (index, line) in corpus.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@now") {
            let instant = DateTime::parse_from_rfc3339(rest.trim())
                .map_err(|error| format!("line {number}: @now: {error}"))?;
            now = Some(instant.with_timezone(&Utc));
            continue;
        }
        if let Some(rest) = line.strip_prefix("@zone") {
            let name = rest.trim();
            let parsed =
                Zone::parse(name).map_err(|_| format!("line {number}: no zone {name:?}"))?;
            zone = Some(parsed);
            continue;
        }
        let (input, expected) = line
            .split_once(" => ")
            .ok_or_else(|| format!("line {number}: no ` => `"))?;
        cases.push(Case {
            line: number,
            input: input.trim(),
            expected: expected.trim(),
            now: now.ok_or_else(|| format!("line {number}: no @now above"))?,
            zone: zone.ok_or_else(|| format!("line {number}: no @zone above"))?,
        });
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_clock_zone_and_lines() {
        let text = "# a comment\n@now 2026-11-20T10:00:00Z\n@zone Europe/Lisbon\n\
                    remind me at 5pm to x => 2026-11-20T17:00:00Z | x\n";
        let cases = cases(text).unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].line, 4);
        assert_eq!(cases[0].input, "remind me at 5pm to x");
        assert_eq!(cases[0].expected, "2026-11-20T17:00:00Z | x");
        assert_eq!(cases[0].now.to_rfc3339(), "2026-11-20T10:00:00+00:00");
    }

    #[test]
    fn a_line_before_the_clock_is_an_error() {
        assert!(cases("remind me => refused when").is_err());
        assert!(cases("@now yesterday").is_err());
        assert!(cases("@now 2026-11-20T10:00:00Z\n@zone Europe/Lisbon\nno arrow").is_err());
    }
}
