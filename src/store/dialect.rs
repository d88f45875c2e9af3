//! What differs between the two SQL databases Herald runs on, and nothing
//! else: how an instant and a list of ids are bound, how a write transaction
//! begins, the hooks PostgreSQL needs for several instances, and the few
//! statements written differently for each. Everything else is `sql`'s,
//! written once.

use std::future::Future;

use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Pool, Transaction, Type};

use super::rows::StoredInstant;
use crate::domain::ports::StoreError;

/// One SQL database's dialect.
pub trait Dialect: Database<QueryResult: RowsAffected> {
    /// An instant as stored: UTC milliseconds on SQLite, which has no date
    /// type; `TIMESTAMPTZ` on PostgreSQL.
    type Instant: StoredInstant
        + for<'q> Encode<'q, Self>
        + for<'r> Decode<'r, Self>
        + Type<Self>
        + Send
        + Sync
        + 'static;

    /// A list of ids as bound: a JSON array on SQLite, which has no arrays
    /// (statements read it with `json_each`); an array on PostgreSQL (`= ANY`).
    type Ids: for<'q> Encode<'q, Self> + Type<Self> + Send + Sync;

    fn ids(ids: &[i64]) -> Self::Ids;

    /// Begins a transaction that writes.
    fn begin_write(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<Transaction<'static, Self>, sqlx::Error>> + Send;

    /// In a transaction that made a trigger due sooner: wakes the schedulers
    /// of other instances when it commits (nothing to do with one instance).
    fn announce_triggers(
        connection: &mut Self::Connection,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// In a transaction that appended to web chat conversation `id`: wakes
    /// the streams other instances hold open on it when it commits.
    fn announce_webchat(
        connection: &mut Self::Connection,
        id: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// In a send budget transaction: waits for other senders to `scope`, so
    /// each reads the log as the one before left it (a lone writer already
    /// does).
    fn serialize_scope(
        connection: &mut Self::Connection,
        scope: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// An instant as `DB` stores it.
pub fn at<DB: Dialect>(instant: DateTime<Utc>) -> DB::Instant {
    DB::Instant::from_utc(instant)
}

/// How many rows a statement changed, which each driver's result says alike
/// but under no common trait.
pub trait RowsAffected {
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}
