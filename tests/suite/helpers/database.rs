//! A fresh database per test: a temporary SQLite file, or a PostgreSQL schema
//! of its own in the database `HERALD_TEST_POSTGRES_URL` names.

use std::io::Write;
use std::sync::Once;
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

    /// A new schema in the test PostgreSQL, or `None` (said plainly, once) when
    /// no test PostgreSQL is configured.
    pub async fn postgres(test: &str) -> Option<Self> {
        let Ok(base) = std::env::var(POSTGRES_URL_VARIABLE) else {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                // Written past the test harness's capture so it is seen.
                let _ = writeln!(
                    std::io::stderr(),
                    "\nNOTE: PostgreSQL tests SKIPPED: set {POSTGRES_URL_VARIABLE}=postgres://… to run them.\n"
                );
            });
            return None;
        };
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
        sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .execute(&mut admin)
            .await
            .expect("drop schema");
        sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
            .execute(&mut admin)
            .await
            .expect("create schema");
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        Some(Self { url, _dir: None })
    }
}
