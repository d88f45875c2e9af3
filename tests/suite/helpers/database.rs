//! A fresh database per test: a temporary SQLite file, or a PostgreSQL schema
//! of its own in the database `HERALD_TEST_POSTGRES_URL` names.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// The variable that enables the PostgreSQL half of the suite.
pub const POSTGRES_URL_VARIABLE: &str = "HERALD_TEST_POSTGRES_URL";

pub struct TestDatabase {
    pub url: String,
    /// Keeps the SQLite file alive for the test's duration.
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/herald.db", dir.path().display());
        Self {
            url,
            _dir: Some(dir),
        }
    }

    /// A new schema in the test PostgreSQL. The PostgreSQL tests are ignored
    /// unless the suite was built with the variable set (`build.rs`), so
    /// reaching here without it means it was unset since, or the ignored
    /// tests were asked for: a failure, never a silent pass.
    pub async fn postgres(test: &str) -> Self {
        let base = std::env::var(POSTGRES_URL_VARIABLE).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VARIABLE} is not set: the PostgreSQL tests need postgres://… there"
            )
        });
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            test.rsplit("::")
                .next()
                .unwrap_or("test")
                .chars()
                .take(30)
                .collect::<String>()
        );
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VARIABLE}: {e}"));
        drop_schemas_of_finished_runs(&mut admin).await;
        sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .execute(&mut admin)
            .await
            .expect("drop schema");
        sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
            .execute(&mut admin)
            .await
            .expect("create schema");
        let separator = if base.contains('?') { '&' } else { '?' };
        // The application name tells this test's connections from the others'
        // (for a test that cuts its own LISTEN connection).
        let url = format!(
            "{base}{separator}options=-c%20search_path%3D{schema}&application_name={schema}"
        );
        Self { url, _dir: None }
    }
}

/// Drops, once per run, the schemas earlier runs left in the test database
/// (`t_<pid>_…` whose process is gone), so a database kept for the suite
/// does not grow by a schema per test and run. A failed test's schema stays
/// until the next run, to be looked at.
async fn drop_schemas_of_finished_runs(admin: &mut sqlx::PgConnection) {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async {
        // Without /proc nothing tells a finished run from a running one.
        if !std::path::Path::new("/proc/self").exists() {
            return;
        }
        let schemas: Vec<String> =
            sqlx::query_scalar("SELECT nspname::TEXT FROM pg_namespace WHERE nspname LIKE 't\\_%'")
                .fetch_all(&mut *admin)
                .await
                .unwrap_or_default();
        for schema in schemas {
            let pid = schema.split('_').nth(1).unwrap_or_default();
            let finished = !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && !std::path::Path::new(&format!("/proc/{pid}")).exists();
            if finished {
                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                    .execute(&mut *admin)
                    .await;
            }
        }
    })
    .await;
}

/// Raw access for tests that inspect or seed rows the store's port does not
/// expose (the outbox's occurrence keys, bulk-inserted due triggers).
impl TestDatabase {
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// `(trigger_id, occurrence)` of every outbox row written by a trigger firing.
    pub async fn fired_occurrences(&self) -> Vec<(i64, String)> {
        self.fetch_all(
            "SELECT trigger_id, occurrence FROM outbox
             WHERE trigger_id IS NOT NULL AND occurrence <> 'completed'
             ORDER BY trigger_id, occurrence",
        )
        .await
    }

    /// The engine's price polls, which no listing shows: `(id, source,
    /// symbol, state)` by id.
    pub async fn price_polls(&self) -> Vec<(i64, String, String, String)> {
        self.fetch_all(
            "SELECT id, price_source, text, state FROM triggers
             WHERE kind = 'price_poll' AND conversation_key IS NULL ORDER BY id",
        )
        .await
    }

    /// The payloads queued for one trigger, oldest first.
    pub async fn payloads_of(&self, trigger: i64) -> Vec<serde_json::Value> {
        let query = "SELECT payload FROM outbox WHERE trigger_id = $1 ORDER BY id";
        let rows: Vec<String> = if self.is_postgres() {
            let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar(query)
                .bind(trigger)
                .fetch_all(&mut connection)
                .await
                .unwrap()
        } else {
            let mut connection = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar(query)
                .bind(trigger)
                .fetch_all(&mut connection)
                .await
                .unwrap()
        };
        rows.iter()
            .map(|payload| serde_json::from_str(payload).unwrap())
            .collect()
    }

    /// Inserts `count` active one-shot timers of `conversation`, all due at
    /// `due`, in one statement.
    pub async fn seed_due_timers(
        &self,
        conversation: i64,
        count: i64,
        due: chrono::DateTime<chrono::Utc>,
    ) {
        let schedule = serde_json::json!({"at": due}).to_string();
        if self.is_postgres() {
            let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(
                "INSERT INTO triggers (kind, state, conversation_key, text, schedule_json,
                                       next_fire_at, created_at, updated_at)
                 SELECT 'timer', 'active', $2, 'timer ' || i, $3, $4, $4, $4
                 FROM generate_series(1, $1) AS i",
            )
            .bind(count)
            .bind(conversation)
            .bind(schedule)
            .bind(due)
            .execute(&mut connection)
            .await
            .unwrap();
        } else {
            let mut connection = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
                 INSERT INTO triggers (kind, state, conversation_key, text, schedule_json,
                                       next_fire_at, created_at, updated_at)
                 SELECT 'timer', 'active', $2, 'timer ' || i, $3, $4, $4, $4 FROM n",
            )
            .bind(count)
            .bind(conversation)
            .bind(schedule)
            .bind(due.timestamp_millis())
            .execute(&mut connection)
            .await
            .unwrap();
        }
    }
}

impl TestDatabase {
    /// Runs one statement as it is, past SQLite's foreign-key checks, to set
    /// up states that Herald itself would not produce.
    pub async fn execute_unchecked(&self, statement: &str) {
        if self.is_postgres() {
            let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(statement)
                .execute(&mut connection)
                .await
                .unwrap();
        } else {
            let mut connection = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut connection)
                .await
                .unwrap();
            sqlx::query(statement)
                .execute(&mut connection)
                .await
                .unwrap();
        }
    }

    /// How many triggers are in each state, and how many outbox rows firings wrote.
    pub async fn firing_tally(&self) -> (i64, i64, i64) {
        self.fetch_one(
            "SELECT
                 (SELECT COUNT(*) FROM triggers WHERE state = 'active'),
                 (SELECT COUNT(*) FROM triggers WHERE state = 'completed' AND fire_count = 1),
                 (SELECT COUNT(*) FROM outbox WHERE trigger_id IS NOT NULL)",
        )
        .await
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        let (rows,): (i64,) = self
            .fetch_one(&format!("SELECT COUNT(*) FROM {table}"))
            .await;
        rows
    }

    /// Every row `query` answers, read on whichever backend this is.
    async fn fetch_all<T>(&self, query: &str) -> Vec<T>
    where
        T: Send + Unpin,
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        if self.is_postgres() {
            let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query_as(query)
                .fetch_all(&mut connection)
                .await
                .unwrap()
        } else {
            let mut connection = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query_as(query)
                .fetch_all(&mut connection)
                .await
                .unwrap()
        }
    }

    /// The one row `query` answers, read on whichever backend this is.
    async fn fetch_one<T>(&self, query: &str) -> T
    where
        T: Send + Unpin,
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        let rows = self.fetch_all(query).await;
        rows.into_iter().next().expect("a row")
    }
}

impl TestDatabase {
    /// The server process ids of this test's connections that listen for
    /// other instances' changes (PostgreSQL).
    pub async fn listening_connections(&self) -> Vec<i32> {
        let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
        sqlx::query_scalar(
            "SELECT pid FROM pg_stat_activity
             WHERE application_name = current_setting('application_name')
               AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap()
    }

    /// Ends server processes as a failover or a proxy dropping them would.
    pub async fn terminate_connections(&self, pids: &[i32]) {
        let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
        for pid in pids {
            let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
                .bind(pid)
                .fetch_one(&mut connection)
                .await
                .unwrap();
            assert!(ended, "connection {pid} was not ended");
        }
    }
}
