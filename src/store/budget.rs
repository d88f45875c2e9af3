//! The send budget kept in the database, shared by both backends: which rows
//! a send touches (locked in one order everywhere, so concurrent senders never
//! deadlock) and whether the GCRA of each admits the send.

use chrono::{DateTime, Utc};

use crate::domain::ports::{BudgetCell, BudgetDenied, StoreError};

/// A cell's stored key: its scope and its window's period in milliseconds.
pub type CellKey = (String, i64);

pub fn key_of(cell: &BudgetCell<'_>) -> CellKey {
    let period_ms = i64::try_from(cell.gcra.window.period.as_millis()).unwrap_or(i64::MAX);
    (cell.scope.to_owned(), period_ms)
}

/// The positions of `cells` in lock order (by scope, then period).
pub fn lock_order(cells: &[BudgetCell<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by_key(|at| key_of(&cells[*at]));
    order
}

pub fn micros(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_micros()
}

/// Given the stored arrival times (`stored`, as the upsert returned them),
/// the new time of each cell (in `cells` order) if every cell admits the
/// send at `now`, else the first refusal.
pub fn decide(
    cells: &[BudgetCell<'_>],
    stored: &[(String, i64, i64)],
    now: DateTime<Utc>,
) -> Result<Result<Vec<i64>, BudgetDenied>, StoreError> {
    let now_us = micros(now);
    let mut next = Vec::with_capacity(cells.len());
    for (at, cell) in cells.iter().enumerate() {
        let (scope, period_ms) = key_of(cell);
        let tat = stored
            .iter()
            .find(|(s, p, _)| *s == scope && *p == period_ms)
            .map(|(_, _, tat)| *tat)
            .ok_or_else(|| StoreError::Corrupt(format!("send budget {scope}/{period_ms} ms")))?;
        match cell.gcra.admit(Some(tat), now_us) {
            Ok(tat) => next.push(tat),
            Err(earliest) => {
                let until = DateTime::from_timestamp_micros(earliest).unwrap_or(now);
                return Ok(Err(BudgetDenied { cell: at, until }));
            }
        }
    }
    Ok(Ok(next))
}
