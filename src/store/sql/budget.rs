//! The send budget kept in the database, written once for both backends: a
//! conversation's exact windows over its log of recent sends (`send_log`),
//! and the global budget's GCRA cells (`send_budget`, locked in one order
//! everywhere, so concurrent senders never deadlock), on every dialect.

use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

use crate::domain::ports::{BudgetCell, BudgetDenied, BudgetStore, BudgetTake, StoreError};
use crate::store::dialect::RowsAffected;
use crate::store::sql;

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
            let taken = take_in::<DB>(&mut tx, take, now).await?;
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
            let pruned = prune_in::<DB>(&mut tx, now, log_before).await?;
            tx.commit().await?;
            Ok(pruned)
        }
    }
}

/// Takes the budget for one send inside the caller's write transaction, if
/// all of it is there; on a refusal nothing was written and the caller rolls
/// back (or just drops the transaction).
async fn take_in<DB>(
    connection: &mut DB::Connection,
    take: &BudgetTake<'_>,
    now: DateTime<Utc>,
) -> Result<Result<(), BudgetDenied>, StoreError>
where
    DB: Database,
    for<'e> &'e mut DB::Connection: Executor<'e, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    let now_us = micros(now);
    let log_len = i64::try_from(take.windows.log_len()).unwrap_or(i64::MAX);
    let mut recent: Vec<i64> = sqlx::query_scalar(sql::RECENT_SENDS)
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
        let tat: i64 = sqlx::query_scalar(sql::LOCK_SEND_BUDGET)
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
        sqlx::query(sql::SET_SEND_BUDGET)
            .bind(scope)
            .bind(period_ms)
            .bind(tat)
            .execute(&mut *connection)
            .await?;
    }
    sqlx::query(sql::LOG_SEND)
        .bind(take.scope.to_owned())
        .bind(now_us)
        .execute(&mut *connection)
        .await?;
    // This scope's sends that count in no window any more: the log stays as
    // long as a decision needs, without waiting for housekeeping.
    sqlx::query(sql::FORGET_OLD_SENDS)
        .bind(take.scope.to_owned())
        .bind(now_us.saturating_sub(take.windows.span_micros()))
        .execute(&mut *connection)
        .await?;
    Ok(Ok(()))
}

/// Housekeeping: cells whose time has passed, and sends at or before `log_before`.
async fn prune_in<DB>(
    connection: &mut DB::Connection,
    now: DateTime<Utc>,
    log_before: DateTime<Utc>,
) -> Result<u64, StoreError>
where
    DB: Database,
    for<'e> &'e mut DB::Connection: Executor<'e, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    DB::QueryResult: RowsAffected,
{
    let cells = sqlx::query(sql::PRUNE_SEND_BUDGET)
        .bind(micros(now))
        .execute(&mut *connection)
        .await?;
    let sends = sqlx::query(sql::PRUNE_SEND_LOG)
        .bind(micros(log_before))
        .execute(&mut *connection)
        .await?;
    Ok(cells.rows_affected() + sends.rows_affected())
}
