//! Watching the outbox: the lateness of what fired, how many rows (and
//! distinct triggers) are in, and waiting until all expected have fired.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::Connection;

use crate::support::Database;

/// Lateness (outbox row's firing instant − due instant), in ms, of every fired trigger.
pub(crate) async fn lateness(database: &Database) -> Vec<i64> {
    if database.postgres {
        let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
        sqlx::query_scalar("SELECT (EXTRACT(EPOCH FROM created_at) * 1000)::BIGINT - occurrence::BIGINT FROM outbox WHERE trigger_id IS NOT NULL")
            .fetch_all(&mut db).await.unwrap()
    } else {
        let mut db = sqlx::SqliteConnection::connect(&database.url)
            .await
            .unwrap();
        sqlx::query_scalar("SELECT created_at - CAST(occurrence AS INTEGER) FROM outbox WHERE trigger_id IS NOT NULL")
            .fetch_all(&mut db).await.unwrap()
    }
}

pub(crate) async fn fired_count(database: &Database) -> (i64, i64) {
    let query =
        "SELECT COUNT(*), COUNT(DISTINCT trigger_id) FROM outbox WHERE trigger_id IS NOT NULL";
    if database.postgres {
        let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
        sqlx::query_as(query).fetch_one(&mut db).await.unwrap()
    } else {
        let mut db = sqlx::SqliteConnection::connect(&database.url)
            .await
            .unwrap();
        sqlx::query_as(query).fetch_one(&mut db).await.unwrap()
    }
}

/// Waits until `expected` triggers fired (or `limit` passed); returns when
/// the observer saw the last one land, relative to `due_at`.
pub(crate) fn wait_for_fired(
    runtime: &tokio::runtime::Runtime,
    database: &Database,
    expected: i64,
    due_at: DateTime<Utc>,
    limit: Duration,
) -> Option<i64> {
    let deadline = Instant::now() + limit;
    loop {
        let (count, _) = runtime.block_on(fired_count(database));
        if count >= expected {
            return Some((Utc::now() - due_at).num_milliseconds());
        }
        if Instant::now() > deadline {
            println!("  only {count} of {expected} fired within {limit:?}");
            return None;
        }
        // Seldom enough that counting does not slow what it measures.
        std::thread::sleep(Duration::from_millis(250));
    }
}
