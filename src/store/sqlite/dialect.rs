//! SQLite's dialect: instants as UTC milliseconds (it has no date type), id
//! lists as JSON arrays (it has no arrays), write transactions that take the
//! file's lock up front, and one writer, so nothing to announce to other
//! instances or to wait for.

use std::future::Future;

use sqlx::sqlite::SqliteConnection;
use sqlx::{Pool, Sqlite, Transaction};

use super::readers::{ReadConnection, ReadConnections};
use crate::domain::ports::StoreError;
use crate::store::dialect::Dialect;
use crate::store::sql;

/// SQLite's dialect: one writer, so nothing to announce or to wait for.
impl Dialect for Sqlite {
    type Instant = i64;
    type Ids = String;

    fn ids(ids: &[i64]) -> String {
        serde_json::to_string(ids).unwrap_or_default()
    }

    type Readers = ReadConnections;
    type Reader<'r> = ReadConnection<'r>;

    fn lend(
        readers: &ReadConnections,
    ) -> impl Future<Output = Result<ReadConnection<'_>, StoreError>> + Send {
        readers.lend()
    }

    const SELECT_CONVERSATIONS: &'static str = sql::SELECT_CONVERSATIONS_JSON;
    const SELECT_OWNERS: &'static str = sql::SELECT_OWNERS_JSON;
    const MARK_ALL_SENT: &'static str = sql::MARK_SENT_JSON;
    const SELECT_JOB_TO_COMPLETE: &'static str = "SELECT state, conversation_key FROM triggers
         WHERE id = $1 AND kind = 'job' AND ($2 IS NULL OR conversation_key = $2)";

    crate::store::dialect::tuned_in_backend_modules!();

    fn begin_write(
        pool: &Pool<Sqlite>,
    ) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        pool.begin_with("BEGIN IMMEDIATE")
    }

    async fn announce_triggers(_: &mut SqliteConnection) -> Result<(), StoreError> {
        Ok(())
    }

    async fn announce_webchat(_: &mut SqliteConnection, _: &str) -> Result<(), StoreError> {
        Ok(())
    }

    async fn serialize_scope(_: &mut SqliteConnection, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
}
