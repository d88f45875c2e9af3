//! The storage port on SQLite: one file in WAL mode, one writer connection so
//! writers never race for the lock, and a pool of read-only connections.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

use super::{OpenError, SqliteStore, StoreOptions};
use readers::ReadConnections;

/// Rows per multi-row statement: 7 parameters each stays under SQLite's
/// 32,766 bound parameters.
const ROWS_PER_STATEMENT: usize = 4_000;

mod dialect;
mod jobs;
mod outbox;
mod prices;
mod readers;
mod triggers;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How hard SQLite syncs commits to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    /// Durable across application crashes; the last commits may be lost on power loss.
    Normal,
    /// Every commit reaches the disk before it is acknowledged.
    Full,
}

impl SqliteStore {
    pub async fn connect(options: &StoreOptions) -> Result<Self, OpenError> {
        let base = SqliteConnectOptions::from_str(&options.url)
            .map_err(OpenError::InvalidUrl)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match options.sqlite_synchronous {
                SqliteSynchronous::Normal => sqlx::sqlite::SqliteSynchronous::Normal,
                SqliteSynchronous::Full => sqlx::sqlite::SqliteSynchronous::Full,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let filename = base.get_filename().to_string_lossy().into_owned();
        let in_memory =
            filename.is_empty() || filename == ":memory:" || options.url.contains("mode=memory");
        if !in_memory {
            create_parent_dir(&filename)?;
        }
        // A local file cannot drop a connection the way a network can: skip the
        // ping sqlx sends before handing out each pooled connection.
        let writer = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .connect_with(base.clone())
            .await
            .map_err(OpenError::Connect)?;
        let reader = if in_memory {
            ReadConnections::Writer(writer.clone())
        } else {
            ReadConnections::open(base.read_only(true), options.max_connections as usize)
                .await
                .map_err(OpenError::Connect)?
        };
        Ok(Self { writer, reader })
    }

    pub async fn migrate(&self) -> Result<(), OpenError> {
        MIGRATOR.run(&self.writer).await.map_err(OpenError::Migrate)
    }
}

fn create_parent_dir(filename: &str) -> Result<(), OpenError> {
    let Some(parent) = std::path::Path::new(filename).parent() else {
        return Ok(());
    };
    if parent.as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(parent).map_err(|source| OpenError::CreateDir {
        path: parent.display().to_string(),
        source,
    })
}
