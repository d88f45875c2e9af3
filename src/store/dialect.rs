//! What differs between the two SQL databases Herald runs on, and nothing
//! else: how an instant and a list of ids are bound, how a write transaction
//! begins, the hooks PostgreSQL needs for several instances, and the few
//! statements written differently for each. Everything else is `sql`'s,
//! written once.

use std::future::Future;
use std::ops::DerefMut;

use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Pool, Transaction, Type};

use super::firing::DueBatch;
use super::rows::StoredInstant;
use crate::domain::ports::{FiredBatch, QueuedMessage, StoreError};
use crate::domain::price::WatchUpdate;

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
        + Unpin
        + 'static;

    /// A list of ids as bound: a JSON array on SQLite, which has no arrays
    /// (statements read it with `json_each`); an array on PostgreSQL (`= ANY`).
    type Ids: for<'q> Encode<'q, Self> + Type<Self> + Send + Sync;

    fn ids(ids: &[i64]) -> Self::Ids;

    /// Where reads go: read-only connections lent without sqlx's pool on
    /// SQLite (`sqlite::readers` says why); the one pool on PostgreSQL.
    type Readers: Send + Sync;
    /// A connection lent for one read, given back when dropped.
    type Reader<'r>: DerefMut<Target = Self::Connection> + Send;

    fn lend(
        readers: &Self::Readers,
    ) -> impl Future<Output = Result<Self::Reader<'_>, StoreError>> + Send;

    /// The conversations of a claimed batch, by `ids(keys)`.
    const SELECT_CONVERSATIONS: &'static str;
    /// The owners of a claimed batch's messages, by `ids(message ids)`.
    const SELECT_OWNERS: &'static str;
    /// Marks a round's accepted messages sent, by `ids`.
    const MARK_ALL_SENT: &'static str;

    /// A job to complete, with its state and conversation (`$1` the job, `$2`
    /// the conversation it must be in, if any); locked where instances could
    /// complete it at once.
    const SELECT_JOB_TO_COMPLETE: &'static str;

    /// A page of the job log (`scope`: one conversation's), in id order, with
    /// how many jobs there are in all (`None` when the page is empty and
    /// the count was not taken with it).
    fn job_page(
        connection: &mut Self::Connection,
        scope: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = Result<JobPageRows<Self::Instant>, StoreError>> + Send;

    /// In a transaction: a page of watches' new states and their alerts
    /// (`payloads[i]` is `alerts[i]`'s notification), in bulk, in order.
    fn write_price_evaluation(
        connection: &mut Self::Connection,
        updates: &[WatchUpdate],
        alerts: &[QueuedMessage],
        payloads: &[String],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Fires up to `limit` due triggers as `planner` decides, in one
    /// transaction: their messages into the outbox, their next occurrences
    /// or their end.
    fn fire_due_triggers(
        pool: &Pool<Self>,
        batch: DueBatch<'_>,
    ) -> impl Future<Output = Result<FiredBatch, StoreError>> + Send;

    /// Claims up to `limit` due messages until `lease_until`, at most one per
    /// conversation (its oldest pending one): `(id, conversation key,
    /// payload, attempts, created at, trigger id)`.
    fn claim_outbox(
        pool: &Pool<Self>,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<ClaimedMessage<Self::Instant>>, StoreError>> + Send;

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

/// The dialect methods whose statements each backend tunes in its own
/// modules (`jobs::page`, `prices::write_evaluation`, `triggers::fire_due`,
/// `outbox::claim`): both backends hand over alike, so the hand-over is
/// written once, here.
macro_rules! tuned_in_backend_modules {
    () => {
        async fn job_page(
            connection: &mut Self::Connection,
            scope: Option<i64>,
            limit: i64,
            offset: i64,
        ) -> Result<
            crate::store::dialect::JobPageRows<Self::Instant>,
            crate::domain::ports::StoreError,
        > {
            super::jobs::page(connection, scope, limit, offset).await
        }

        async fn write_price_evaluation(
            connection: &mut Self::Connection,
            updates: &[crate::domain::price::WatchUpdate],
            alerts: &[crate::domain::ports::QueuedMessage],
            payloads: &[String],
            now: chrono::DateTime<chrono::Utc>,
        ) -> Result<(), crate::domain::ports::StoreError> {
            super::prices::write_evaluation(connection, updates, alerts, payloads, now).await
        }

        async fn fire_due_triggers(
            pool: &sqlx::Pool<Self>,
            batch: crate::store::firing::DueBatch<'_>,
        ) -> Result<crate::domain::ports::FiredBatch, crate::domain::ports::StoreError> {
            super::triggers::fire_due(pool, batch).await
        }

        async fn claim_outbox(
            pool: &sqlx::Pool<Self>,
            now: chrono::DateTime<chrono::Utc>,
            lease_until: chrono::DateTime<chrono::Utc>,
            limit: u32,
        ) -> Result<
            Vec<crate::store::dialect::ClaimedMessage<Self::Instant>>,
            crate::domain::ports::StoreError,
        > {
            super::outbox::claim(pool, now, lease_until, limit).await
        }
    };
}
pub(super) use tuned_in_backend_modules;

/// A claimed outbox row: id, conversation key, payload, attempts, created at,
/// trigger id.
pub type ClaimedMessage<T> = (i64, i64, String, i32, T, Option<i64>);

/// A job of the log: id, state, channel id, conversation id, created at.
pub type JobRow<T> = (i64, String, String, String, T);

/// A page of the job log, and how many jobs there are in all (`None` when
/// the page is empty).
pub type JobPageRows<T> = (Vec<JobRow<T>>, Option<i64>);

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
