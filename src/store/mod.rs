//! Implements the storage port (`domain::ports::Store`) on SQLite and PostgreSQL,
//! picked by the database URL's scheme, with each backend's migrations.

pub mod copy;
mod dialect;
pub(crate) mod firing;
mod postgres;
mod rows;
mod sql;
mod sqlite;

use std::sync::Arc;

use crate::domain::ports::{Store, StoreError};

pub use postgres::{ChangeWakers, WebchatWaker, watch_changes};
pub use sqlite::SqliteSynchronous;

/// The storage port over one SQL database: every concern's statements are
/// written once (`sql`), and the database's dialect (`Dialect`) supplies
/// what differs between SQLite and PostgreSQL.
pub struct SqlStore<DB: dialect::Dialect> {
    /// Where writes go. On SQLite the only connection that writes, so writers
    /// never race for the file's lock, and its transactions start with `BEGIN
    /// IMMEDIATE`: a transaction that reads before it writes never fails to
    /// upgrade when another process wrote meanwhile (it waits, up to the busy
    /// timeout, instead).
    writer: sqlx::Pool<DB>,
    /// Where reads go: read-only connections on SQLite, lent without sqlx's
    /// pool and its ping on every return (`sqlite::readers`), or the writer
    /// itself for an in-memory database, where each connection would
    /// otherwise be a database of its own; the same pool as `writer` on
    /// PostgreSQL.
    reader: DB::Readers,
}

impl<DB: dialect::Dialect> SqlStore<DB> {
    /// A connection for one read, given back when dropped.
    async fn read(&self) -> Result<DB::Reader<'_>, StoreError> {
        DB::lend(&self.reader).await
    }
}

/// The store on SQLite: one file in WAL mode (the embedded default).
pub type SqliteStore = SqlStore<sqlx::Sqlite>;

/// The store on PostgreSQL, for one or several Herald instances.
pub type PostgresStore = SqlStore<sqlx::Postgres>;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Reads the scheme of a database URL: `sqlite:` or `postgres:`/`postgresql:`.
    pub fn from_url(url: &str) -> Option<Self> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Some(Self::Sqlite),
            "postgres" | "postgresql" => Some(Self::Postgres),
            _ => None,
        }
    }
}

/// How to open the database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub url: String,
    pub max_connections: u32,
    pub sqlite_synchronous: SqliteSynchronous,
}

/// Errors opening or migrating the database, with the cause.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unsupported database URL scheme (expected sqlite:// or postgres://)")]
    UnsupportedScheme,
    #[error("invalid database URL: {0}")]
    InvalidUrl(#[source] sqlx::Error),
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Opens the database named by `options.url`, applies pending migrations when
/// `migrate` is set, and returns it behind the storage port.
pub async fn open(options: &StoreOptions, migrate: bool) -> Result<Arc<dyn Store>, OpenError> {
    match Backend::from_url(&options.url).ok_or(OpenError::UnsupportedScheme)? {
        Backend::Sqlite => {
            let store = SqliteStore::connect(options).await?;
            if migrate {
                store.migrate().await?;
            }
            Ok(Arc::new(store))
        }
        Backend::Postgres => {
            let store = PostgresStore::connect(options).await?;
            if migrate {
                store.migrate().await?;
            }
            Ok(Arc::new(store))
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Backend(Box::new(error))
    }
}
