//! Moving a SQLite Herald to PostgreSQL (`herald copy --to postgres://…`):
//! every table, ids kept, in one PostgreSQL transaction, into a database
//! that holds no Herald rows yet; counts compared before it commits.
//!
//! Values are converted column by column after the target's own types: the
//! two schemas have the same tables and columns, but SQLite keeps instants as
//! milliseconds and booleans as integers where PostgreSQL has `TIMESTAMPTZ`
//! and `BOOLEAN`.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, QueryBuilder, Row};

use super::{Backend, OpenError, PostgresStore, SqliteStore, StoreOptions};

/// Every table, in an order that satisfies the foreign keys. A table the
/// target has and this list lacks stops the copy: nothing is left behind
/// silently.
const TABLES: &[&str] = &[
    "conversations",
    "users",
    "triggers",
    "handled_activities",
    "idempotency_keys",
    "outbox",
    "send_budget",
    "send_log",
    "price_watches",
    "price_history",
    "price_sources",
    "price_symbol_misses",
    "webchat_conversations",
    "webchat_activities",
    "webchat_tokens",
    "webchat_browsers",
    "webchat_attachments",
];

/// Rows per `INSERT`: far below PostgreSQL's 65,535 parameters for the
/// widest table.
const ROWS_PER_INSERT: usize = 1_000;
/// An `INSERT` is sent sooner once its rows hold this many bytes of files:
/// a thousand uploads at once would be gigabytes.
const BYTES_PER_INSERT: usize = 16 * 1024 * 1024;

/// Why a copy did not happen (nothing was written to the target).
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the source must be a SQLite database (sqlite://…)")]
    SourceNotSqlite,
    #[error("the target must be a PostgreSQL database (postgres://…)")]
    TargetNotPostgres,
    #[error("the source database {0} does not exist")]
    SourceMissing(String),
    #[error("the source: {0}")]
    OpenSource(#[source] OpenError),
    #[error("the target: {0}")]
    OpenTarget(#[source] OpenError),
    #[error(
        "the target is not empty: {table} has {rows} rows (copy only into a database that holds no Herald data)"
    )]
    TargetNotEmpty { table: String, rows: i64 },
    #[error("the target has a table `{0}` that this version of Herald does not know how to copy")]
    UnknownTable(String),
    #[error("{table}.{column}: the value of row {row} does not fit {expected}")]
    BadValue {
        table: String,
        column: String,
        row: u64,
        expected: &'static str,
    },
    #[error(
        "{table}: {in_source} rows in the source, {in_target} in the target; nothing was committed"
    )]
    CountMismatch {
        table: String,
        in_source: i64,
        in_target: i64,
    },
    #[error("copying {table}: {error}")]
    Database {
        table: String,
        #[source]
        error: sqlx::Error,
    },
}

/// Rows copied, per table, in copying order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(String, i64)>,
}

impl CopyReport {
    pub fn total(&self) -> i64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// How a column's values go from SQLite to PostgreSQL.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Integer,
    BigInt,
    Boolean,
    /// Milliseconds since the epoch in SQLite.
    Instant,
    /// A `BLOB` in SQLite.
    Bytes,
}

impl Kind {
    fn of(postgres_type: &str) -> Option<Self> {
        Some(match postgres_type {
            "text" => Self::Text,
            "integer" => Self::Integer,
            "bigint" => Self::BigInt,
            "boolean" => Self::Boolean,
            "timestamp with time zone" => Self::Instant,
            "bytea" => Self::Bytes,
            _ => return None,
        })
    }

    fn expected(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "a 32-bit integer",
            Self::BigInt => "an integer",
            Self::Boolean => "a boolean (0 or 1)",
            Self::Instant => "an instant (milliseconds since 1970)",
            Self::Bytes => "bytes",
        }
    }
}

/// One value on its way.
#[derive(Debug, Clone)]
enum Value {
    Text(Option<String>),
    Integer(Option<i32>),
    BigInt(Option<i64>),
    Boolean(Option<bool>),
    Instant(Option<DateTime<Utc>>),
    Bytes(Option<Vec<u8>>),
}

impl Value {
    /// The bytes of a file it holds (none for other values).
    fn file_bytes(&self) -> usize {
        match self {
            Self::Bytes(Some(bytes)) => bytes.len(),
            _ => 0,
        }
    }

    fn read(row: &SqliteRow, index: usize, kind: Kind) -> Option<Self> {
        Some(match kind {
            Kind::Text => Self::Text(row.try_get(index).ok()?),
            Kind::Bytes => Self::Bytes(row.try_get(index).ok()?),
            Kind::BigInt => Self::BigInt(row.try_get(index).ok()?),
            Kind::Integer => {
                let value: Option<i64> = row.try_get(index).ok()?;
                Self::Integer(value.map(i32::try_from).transpose().ok()?)
            }
            Kind::Boolean => {
                let value: Option<i64> = row.try_get(index).ok()?;
                Self::Boolean(match value {
                    None => None,
                    Some(0) => Some(false),
                    Some(1) => Some(true),
                    Some(_) => return None,
                })
            }
            Kind::Instant => {
                let value: Option<i64> = row.try_get(index).ok()?;
                Self::Instant(match value {
                    None => None,
                    Some(ms) => Some(DateTime::from_timestamp_millis(ms)?),
                })
            }
        })
    }
}

/// Copies everything from the SQLite database `from` into the PostgreSQL
/// database `to` (migrating both first). All or nothing.
pub async fn sqlite_to_postgres(
    from: &StoreOptions,
    to: &StoreOptions,
) -> Result<CopyReport, CopyError> {
    if Backend::from_url(&from.url) != Some(Backend::Sqlite) {
        return Err(CopyError::SourceNotSqlite);
    }
    if Backend::from_url(&to.url) != Some(Backend::Postgres) {
        return Err(CopyError::TargetNotPostgres);
    }
    // Opening a SQLite file creates it: a mistyped path would copy nothing.
    let file = sqlx::sqlite::SqliteConnectOptions::from_str(&from.url)
        .map_err(|error| CopyError::OpenSource(OpenError::InvalidUrl(error)))?
        .get_filename()
        .to_path_buf();
    if !file.exists() {
        return Err(CopyError::SourceMissing(file.display().to_string()));
    }
    let source = SqliteStore::connect(from)
        .await
        .map_err(CopyError::OpenSource)?;
    source.migrate().await.map_err(CopyError::OpenSource)?;
    // The copy reads the source through its writer's one connection: nothing
    // else uses the file meanwhile, and a pool can stream a table.
    let target = PostgresStore::connect(to)
        .await
        .map_err(CopyError::OpenTarget)?;
    target.migrate().await.map_err(CopyError::OpenTarget)?;
    let failed = |table: &str| {
        let table = table.to_owned();
        move |error| CopyError::Database { table, error }
    };

    let mut tx = target.writer.begin().await.map_err(failed("(begin)"))?;
    let present: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
           AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(failed("(schema)"))?;
    if let Some(unknown) = present.iter().find(|t| !TABLES.contains(&t.as_str())) {
        return Err(CopyError::UnknownTable(unknown.clone()));
    }
    for table in TABLES {
        let rows = count(&mut *tx, table).await.map_err(failed(table))?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty {
                table: (*table).to_owned(),
                rows,
            });
        }
    }
    // Nothing else writes these tables while the copy runs.
    sqlx::query(&format!(
        "LOCK TABLE {} IN EXCLUSIVE MODE",
        TABLES.join(", ")
    ))
    .execute(&mut *tx)
    .await
    .map_err(failed("(lock)"))?;

    let mut report = CopyReport { tables: Vec::new() };
    for table in TABLES {
        let copied = copy_table(&source, &mut tx, table).await?;
        let in_target = count(&mut *tx, table).await.map_err(failed(table))?;
        let in_source: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&source.writer)
            .await
            .map_err(failed(table))?;
        if in_target != in_source || copied != in_source {
            return Err(CopyError::CountMismatch {
                table: (*table).to_owned(),
                in_source,
                in_target,
            });
        }
        report.tables.push(((*table).to_owned(), in_target));
    }
    tx.commit().await.map_err(failed("(commit)"))?;
    Ok(report)
}

async fn count(
    executor: impl sqlx::Executor<'_, Database = Postgres>,
    table: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(executor)
        .await
}

/// One table, streamed from SQLite in chunks; the id sequence moved past
/// the ids copied, so new rows do not collide with them. Returns the rows
/// written.
async fn copy_table(
    source: &SqliteStore,
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
) -> Result<i64, CopyError> {
    let failed = |error| CopyError::Database {
        table: table.to_owned(),
        error,
    };
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await
    .map_err(failed)?;
    let kinds = columns
        .iter()
        .map(|(name, data_type)| {
            Kind::of(data_type).ok_or_else(|| CopyError::BadValue {
                table: table.to_owned(),
                column: name.clone(),
                row: 0,
                expected: "a type Herald copies (its PostgreSQL type is new to it)",
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let list = names.join(", ");
    let select = format!("SELECT {list} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(&source.writer);
    let mut chunk: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_INSERT);
    let mut chunk_bytes = 0usize;
    let mut written = 0i64;
    let mut read = 0u64;
    while let Some(row) = rows.try_next().await.map_err(failed)? {
        read += 1;
        let values = kinds
            .iter()
            .enumerate()
            .map(|(index, kind)| {
                Value::read(&row, index, *kind).ok_or_else(|| CopyError::BadValue {
                    table: table.to_owned(),
                    column: names[index].to_owned(),
                    row: read,
                    expected: kind.expected(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        chunk_bytes += values.iter().map(Value::file_bytes).sum::<usize>();
        chunk.push(values);
        if chunk.len() == ROWS_PER_INSERT || chunk_bytes >= BYTES_PER_INSERT {
            written += insert(tx, table, &list, &chunk).await.map_err(failed)?;
            chunk.clear();
            chunk_bytes = 0;
        }
    }
    if !chunk.is_empty() {
        written += insert(tx, table, &list, &chunk).await.map_err(failed)?;
    }
    // Tables numbered by an identity column (a text id has no sequence).
    if columns
        .iter()
        .any(|(name, kind)| name == "id" && kind == "bigint")
    {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} HAVING COUNT(*) > 0"
        ))
        .execute(&mut **tx)
        .await
        .map_err(failed)?;
    }
    Ok(written)
}

async fn insert(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
    columns: &str,
    rows: &[Vec<Value>],
) -> Result<i64, sqlx::Error> {
    let mut insert = QueryBuilder::<Postgres>::new(format!("INSERT INTO {table} ({columns}) "));
    insert.push_values(rows, |mut row, values| {
        for value in values {
            match value {
                Value::Text(v) => row.push_bind(v.clone()),
                Value::Integer(v) => row.push_bind(*v),
                Value::BigInt(v) => row.push_bind(*v),
                Value::Boolean(v) => row.push_bind(*v),
                Value::Instant(v) => row.push_bind(*v),
                Value::Bytes(v) => row.push_bind(v.clone()),
            };
        }
    });
    let query: Query<'_, Postgres, PgArguments> = insert.build();
    let done = query.execute(&mut **tx).await?;
    Ok(i64::try_from(done.rows_affected()).unwrap_or(i64::MAX))
}
