//! The send budget kept in the database, written once for both backends: a
//! conversation's exact windows over its log of recent sends (`send_log`),
//! and the global budget's GCRA cells (`send_budget`, locked in one order
//! everywhere, so concurrent senders never deadlock), on every dialect.

use chrono::{DateTime, Utc};

use crate::domain::ports::{BudgetCell, BudgetDenied, BudgetStore, BudgetTake, StoreError};
use crate::store::dialect::RowsAffected;

/// A cell's stored key: its scope and its window's period in milliseconds.
type CellKey = (String, i64);

fn key_of(cell: &BudgetCell<'_>) -> CellKey {
    let period_ms = i64::try_from(cell.gcra.window.period.as_millis()).unwrap_or(i64::MAX);
    (cell.scope.to_owned(), period_ms)
}

fn micros(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_micros()
}

fn instant(micros: i64, otherwise: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(otherwise)
}

/// A conversation's sends that count in no window any more.
pub const FORGET_OLD_SENDS: &str = "DELETE FROM send_log WHERE scope = $1 AND sent_us <= $2";

/// One cell of the global budget, created at zero if new, and locked (the
/// upsert takes the row lock on PostgreSQL) until the transaction ends.
pub const LOCK_SEND_BUDGET: &str =
    "INSERT INTO send_budget (scope, period_ms, tat_us) VALUES ($1, $2, 0)
     ON CONFLICT (scope, period_ms) DO UPDATE SET tat_us = send_budget.tat_us
     RETURNING tat_us";

/// Records one send in a conversation's log.
pub const LOG_SEND: &str = "INSERT INTO send_log (scope, sent_us) VALUES ($1, $2)";

/// Send budget cells whose time has passed hold nothing back.
pub const PRUNE_SEND_BUDGET: &str = "DELETE FROM send_budget WHERE tat_us < $1";

/// Every log's sends that count in no window any more (housekeeping).
pub const PRUNE_SEND_LOG: &str = "DELETE FROM send_log WHERE sent_us <= $1";

/// A conversation's latest sends, newest first, as many as its windows need.
pub const RECENT_SENDS: &str =
    "SELECT sent_us FROM send_log WHERE scope = $1 ORDER BY sent_us DESC LIMIT $2";

/// Sets one cell of the send budget.
pub const SET_SEND_BUDGET: &str =
    "UPDATE send_budget SET tat_us = $3 WHERE scope = $1 AND period_ms = $2";

on_every_dialect! {
    impl {
        /// Takes the budget for one send inside the caller's write transaction, if
        /// all of it is there; on a refusal nothing was written and the caller rolls
        /// back (or just drops the transaction).
        async fn take_in(
            connection: &mut DB::Connection,
            take: &BudgetTake<'_>,
            now: DateTime<Utc>,
        ) -> Result<Result<(), BudgetDenied>, StoreError> {
            let now_us = micros(now);
            let log_len = i64::try_from(take.windows.log_len()).unwrap_or(i64::MAX);
            let mut recent: Vec<i64> = sqlx::query_scalar(RECENT_SENDS)
                .bind(take.scope.to_owned())
                .bind(log_len)
                .fetch_all(&mut *connection)
                .await?;
            recent.reverse();
            if let Err(until) = take.windows.admit(&recent, now_us) {
                return Ok(Err(BudgetDenied {
                    cell: None,
                    until: instant(until, now),
                }));
            }

            let mut order: Vec<usize> = (0..take.cells.len()).collect();
            order.sort_by_key(|at| key_of(&take.cells[*at]));
            let mut next = vec![0; take.cells.len()];
            for at in order {
                let cell = &take.cells[at];
                let (scope, period_ms) = key_of(cell);
                let tat: i64 = sqlx::query_scalar(LOCK_SEND_BUDGET)
                    .bind(scope)
                    .bind(period_ms)
                    .fetch_one(&mut *connection)
                    .await?;
                match cell.gcra.admit(Some(tat), now_us) {
                    Ok(tat) => next[at] = tat,
                    Err(earliest) => {
                        return Ok(Err(BudgetDenied {
                            cell: Some(at),
                            until: instant(earliest, now),
                        }));
                    }
                }
            }

            for (cell, tat) in take.cells.iter().zip(next) {
                let (scope, period_ms) = key_of(cell);
                sqlx::query(SET_SEND_BUDGET)
                    .bind(scope)
                    .bind(period_ms)
                    .bind(tat)
                    .execute(&mut *connection)
                    .await?;
            }
            sqlx::query(LOG_SEND)
                .bind(take.scope.to_owned())
                .bind(now_us)
                .execute(&mut *connection)
                .await?;
            // This scope's sends that count in no window any more: the log stays as
            // long as a decision needs, without waiting for housekeeping.
            sqlx::query(FORGET_OLD_SENDS)
                .bind(take.scope.to_owned())
                .bind(now_us.saturating_sub(take.windows.span_micros()))
                .execute(&mut *connection)
                .await?;
            Ok(Ok(()))
        }

        /// Housekeeping: cells whose time has passed, and sends at or before `log_before`.
        async fn prune_in(
            connection: &mut DB::Connection,
            now: DateTime<Utc>,
            log_before: DateTime<Utc>,
        ) -> Result<u64, StoreError> {
            let cells = sqlx::query(PRUNE_SEND_BUDGET)
                .bind(micros(now))
                .execute(&mut *connection)
                .await?;
            let sends = sqlx::query(PRUNE_SEND_LOG)
                .bind(micros(log_before))
                .execute(&mut *connection)
                .await?;
            Ok(cells.rows_affected() + sends.rows_affected())
        }
    }
}

on_every_dialect! {
    impl BudgetStore {
        async fn take_send_budget(
            &self,
            take: &BudgetTake<'_>,
            now: DateTime<Utc>,
        ) -> Result<Result<(), BudgetDenied>, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            // Senders to one conversation take turns, so each reads the log as
            // the one before left it. The cells are locked row by row by their
            // upserts.
            DB::serialize_scope(&mut tx, take.scope).await?;
            let taken = Self::take_in(&mut tx, take, now).await?;
            if taken.is_ok() {
                tx.commit().await?;
            }
            Ok(taken)
        }

        async fn prune_send_budget(
            &self,
            now: DateTime<Utc>,
            log_before: DateTime<Utc>,
        ) -> Result<u64, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let pruned = Self::prune_in(&mut tx, now, log_before).await?;
            tx.commit().await?;
            Ok(pruned)
        }
    }
}
