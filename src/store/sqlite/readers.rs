//! SQLite's read connections: a few read-only connections to the file, each
//! lent for one read and taken back as it is, without sqlx's pool.
//!
//! sqlx's pool pings every connection as it comes back (sqlx 0.8 does so
//! unconditionally, to flush what a cancelled query left behind). On SQLite
//! a ping is a second hand-off to the connection's worker thread after every
//! read, and a task spawned to wait for it: profiled under `show` turns, it
//! was about a third of what the read cost. A read-only connection has
//! nothing to flush: a query whose future is dropped stops on the worker at
//! its next row (the worker's send fails and it resets the statement), and
//! it holds no transaction. So a connection goes straight back to the idle
//! list when its read ends.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Pool, Sqlite};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::domain::ports::StoreError;

/// How long a read waits for a connection when all are lent, as sqlx's pool
/// would wait before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Where SQLite reads go.
pub enum ReadConnections {
    /// Read-only connections to the file, opened as reads need them.
    File {
        // Boxed: the options are large, and kept only to open more connections.
        options: Box<SqliteConnectOptions>,
        idle: Mutex<Vec<SqliteConnection>>,
        /// One permit per connection that may be open.
        permits: Semaphore,
    },
    /// An in-memory database is private to its connection: reads go to the
    /// writer's.
    Writer(Pool<Sqlite>),
}

/// A connection lent for one read; it goes back when dropped.
pub enum ReadConnection<'r> {
    File {
        connection: Option<SqliteConnection>,
        idle: &'r Mutex<Vec<SqliteConnection>>,
        _permit: SemaphorePermit<'r>,
    },
    Writer(PoolConnection<Sqlite>),
}

impl ReadConnections {
    /// Up to `max` read-only connections to the file `options` names; one is
    /// opened now, so a file that cannot be read is found at start.
    pub async fn open(options: SqliteConnectOptions, max: usize) -> Result<Self, sqlx::Error> {
        let first = options.connect().await?;
        Ok(Self::File {
            options: Box::new(options),
            idle: Mutex::new(vec![first]),
            permits: Semaphore::new(max.max(1)),
        })
    }

    /// A connection for one read: an idle one, else a new one while fewer
    /// than the maximum are open, else the first to come back.
    pub async fn lend(&self) -> Result<ReadConnection<'_>, StoreError> {
        let (options, idle, permits) = match self {
            Self::File {
                options,
                idle,
                permits,
            } => (options, idle, permits),
            Self::Writer(pool) => return Ok(ReadConnection::Writer(pool.acquire().await?)),
        };
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, permits.acquire())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let kept = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let connection = match kept {
            Some(connection) => connection,
            // The permit bounds how many are open: idle plus lent.
            None => options.connect().await?,
        };
        Ok(ReadConnection::File {
            connection: Some(connection),
            idle,
            _permit: permit,
        })
    }
}

impl Deref for ReadConnection<'_> {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        match self {
            Self::File { connection, .. } => connection.as_ref().expect("lent until dropped"),
            Self::Writer(connection) => connection,
        }
    }
}

impl DerefMut for ReadConnection<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        match self {
            Self::File { connection, .. } => connection.as_mut().expect("lent until dropped"),
            Self::Writer(connection) => connection,
        }
    }
}

impl Drop for ReadConnection<'_> {
    fn drop(&mut self) {
        if let Self::File {
            connection, idle, ..
        } = self
        {
            if let Some(connection) = connection.take() {
                // Back before the permit is released (fields drop after this).
                idle.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(connection);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use futures_util::TryStreamExt;

    use super::*;

    async fn readers(dir: &tempfile::TempDir, max: usize) -> ReadConnections {
        let url = format!("sqlite://{}/read.db", dir.path().display());
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true);
        let mut writer = options.connect().await.unwrap();
        sqlx::query("CREATE TABLE numbers (n INTEGER)")
            .execute(&mut writer)
            .await
            .unwrap();
        sqlx::query(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000)
             INSERT INTO numbers SELECT n FROM s",
        )
        .execute(&mut writer)
        .await
        .unwrap();
        ReadConnections::open(options.read_only(true), max)
            .await
            .unwrap()
    }

    fn open_count(readers: &ReadConnections) -> usize {
        match readers {
            ReadConnections::File { idle, .. } => idle.lock().unwrap().len(),
            ReadConnections::Writer(_) => unreachable!(),
        }
    }

    #[tokio::test]
    async fn no_more_connections_open_than_the_maximum_and_a_read_waits_for_one() {
        let dir = tempfile::tempdir().unwrap();
        let readers = readers(&dir, 2).await;
        let first = readers.lend().await.unwrap();
        let second = readers.lend().await.unwrap();
        let third = tokio::time::timeout(Duration::from_millis(100), readers.lend()).await;
        assert!(third.is_err(), "a third read waits while two are lent");
        drop(first);
        let mut third = tokio::time::timeout(Duration::from_secs(10), readers.lend())
            .await
            .expect("the returned connection is lent again")
            .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM numbers")
            .fetch_one(&mut *third)
            .await
            .unwrap();
        assert_eq!(n, 1000);
        drop((second, third));
        assert_eq!(open_count(&readers), 2, "both went back, none was closed");
    }

    #[tokio::test]
    async fn a_read_dropped_halfway_leaves_its_connection_fit_for_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let readers = readers(&dir, 1).await;
        {
            let mut lent = readers.lend().await.unwrap();
            let mut rows =
                sqlx::query_scalar::<_, i64>("SELECT n FROM numbers ORDER BY n").fetch(&mut *lent);
            assert_eq!(rows.try_next().await.unwrap(), Some(1));
            // Dropped here with 999 rows unread.
        }
        let mut next = readers.lend().await.unwrap();
        let total: i64 = sqlx::query_scalar("SELECT SUM(n) FROM numbers")
            .fetch_one(&mut *next)
            .await
            .unwrap();
        assert_eq!(total, 500_500);
    }
}
