//! PostgreSQL's dialect: `TIMESTAMPTZ` instants, arrays of ids, and what
//! several instances sharing the database need: rows claimed with `SKIP
//! LOCKED`, changes announced with `NOTIFY`, senders to one conversation
//! taking turns.

use std::future::Future;

use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgConnection;
use sqlx::{Pool, Postgres, Transaction};

use super::{TRIGGERS_CHANNEL, WEBCHAT_CHANNEL};
use crate::domain::ports::StoreError;
use crate::store::dialect::Dialect;
use crate::store::sql;

/// PostgreSQL's dialect: instances sharing the database hear of each other's
/// changes (`NOTIFY`) and take turns on a conversation's send budget.
impl Dialect for Postgres {
    type Instant = DateTime<Utc>;
    type Ids = Vec<i64>;

    fn ids(ids: &[i64]) -> Vec<i64> {
        ids.to_vec()
    }

    type Readers = Pool<Postgres>;
    type Reader<'r> = PoolConnection<Postgres>;

    async fn lend(pool: &Pool<Postgres>) -> Result<PoolConnection<Postgres>, StoreError> {
        Ok(pool.acquire().await?)
    }

    const SELECT_CONVERSATIONS: &'static str = sql::SELECT_CONVERSATIONS_ANY;
    const SELECT_OWNERS: &'static str = sql::SELECT_OWNERS_ANY;
    const MARK_ALL_SENT: &'static str = sql::MARK_SENT_ANY;
    // The row lock makes a concurrent completion on another instance wait
    // and then see the job completed.
    const SELECT_JOB_TO_COMPLETE: &'static str = "SELECT state, conversation_key FROM triggers
         WHERE id = $1 AND kind = 'job' AND ($2::BIGINT IS NULL OR conversation_key = $2)
         FOR UPDATE";

    crate::store::dialect::tuned_in_backend_modules!();

    fn begin_write(
        pool: &Pool<Postgres>,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        pool.begin()
    }

    async fn announce_triggers(connection: &mut PgConnection) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(TRIGGERS_CHANNEL)
            .execute(connection)
            .await?;
        Ok(())
    }

    async fn announce_webchat(connection: &mut PgConnection, id: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(WEBCHAT_CHANNEL)
            .bind(id)
            .execute(connection)
            .await?;
        Ok(())
    }

    async fn serialize_scope(connection: &mut PgConnection, scope: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(scope)
            .execute(connection)
            .await?;
        Ok(())
    }
}
