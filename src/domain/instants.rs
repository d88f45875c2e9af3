//! Instants written the way tests write them (`2026-11-20T10:00:00Z`).

use chrono::{DateTime, Utc};

/// An RFC 3339 instant; panics on anything else (test data only).
pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|error| panic!("{text:?} is not RFC 3339: {error}"))
        .with_timezone(&Utc)
}
