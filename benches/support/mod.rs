//! What the benchmarks share: a database of their own, the release `herald`
//! process, seeding conversations and triggers straight into the database,
//! and percentiles. Each bench binary includes it with `mod support;`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use chrono::{DateTime, Utc};
use sqlx::Connection;

/// A database of the benchmark's own.
pub struct Database {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pub postgres: bool,
}

impl Drop for Database {
    fn drop(&mut self) {
        if !self.postgres {
            return;
        }
        let url = self.url.clone();
        let name = url::Url::parse(&url)
            .unwrap()
            .path()
            .trim_start_matches('/')
            .to_owned();
        let mut server = url::Url::parse(&url).unwrap();
        server.set_path("postgres");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(server.as_str()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                }
            });
        })
        .join()
        .unwrap();
    }
}

impl Database {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            url: format!("sqlite://{}/bench.db", dir.path().display()),
            _dir: Some(dir),
            postgres: false,
        }
    }

    pub fn postgres(runtime: &tokio::runtime::Runtime, server: &str) -> Self {
        let name = format!("herald_bench_{}", std::process::id());
        runtime.block_on(async {
            let mut admin = sqlx::PgConnection::connect(server).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
        });
        let mut url = url::Url::parse(server).unwrap();
        url.set_path(&name);
        Self {
            url: url.to_string(),
            _dir: None,
            postgres: true,
        }
    }

    pub fn label(&self) -> &'static str {
        if self.postgres {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}

/// A running `herald serve`.
pub struct Herald {
    pub child: Child,
    pub address: String,
}

impl Herald {
    pub fn start(database: &Database, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(herald_binary());
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", &database.url)
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .expect("herald starts (build with cargo bench)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let Some(Ok(line)) = lines.next() else {
                panic!("herald exited before listening");
            };
            if let Some(rest) = line.split("address=").nth(1) {
                if line.contains("Herald is listening") {
                    break rest.split_whitespace().next().unwrap().to_owned();
                }
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Self { child, address }
    }

    pub fn resident_kib(&self) -> u64 {
        status_field(self.child.id(), "VmRSS:")
    }

    /// CPU seconds (user + system) used so far.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(self.child.id())
    }
}

impl Drop for Herald {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn status_field(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|line| line.starts_with(field))
        .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ")".
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after ")".
    (ticks(11) + ticks(12)) / 100.0
}

/// Migrates the database with `herald migrate`.
/// The `herald` binary the benchmark runs: this build's, or `BENCH_HERALD_BIN`
/// (another commit's release binary, to compare commits in one run).
pub fn herald_binary() -> String {
    std::env::var("BENCH_HERALD_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_herald").to_owned())
}

pub fn migrate(database: &Database) {
    let status = Command::new(herald_binary())
        .arg("migrate")
        .env("DATABASE_URL", &database.url)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "herald migrate failed");
}

/// `conversations` (whose service is a sink), `pending` triggers spread over
/// the next year, and `due` one-shots all due at `due_at`.
pub async fn seed(
    database: &Database,
    conversations: &Conversations<'_>,
    pending: i64,
    due: i64,
    due_at: DateTime<Utc>,
) {
    let Conversations {
        count: conversation_count,
        channel_id,
        service_url: sink,
    } = *conversations;
    let far = due_at + chrono::Duration::days(1);
    let year_ms: i64 = 365 * 24 * 3600 * 1000;
    let reference = |i: i64| {
        serde_json::json!({
            "channelId": channel_id, "serviceUrl": sink,
            "conversation": {"id": format!("bench-{i}")}, "bot": {"id": "herald"},
        })
        .to_string()
    };
    let schedule = r#"{"at":"2030-01-01T00:00:00Z"}"#;
    if database.postgres {
        let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
        for i in 0..conversation_count {
            sqlx::query("INSERT INTO conversations (channel_id, conversation_id, service_url, reference_json, created_at, updated_at) VALUES ($4, $1, $2, $3, now(), now())")
                .bind(format!("bench-{i}")).bind(sink).bind(reference(i)).bind(channel_id)
                .execute(&mut db).await.unwrap();
        }
        for (count, start, step) in [(pending, far, year_ms / pending.max(1)), (due, due_at, 0)] {
            sqlx::query(
                "INSERT INTO triggers (kind, state, conversation_key, text, schedule_json, next_fire_at, created_at, updated_at)
                 SELECT 'timer', 'active', (SELECT MIN(id) FROM conversations) + i % $2, 'bench ' || i, $3,
                        $4 + make_interval(secs => i * $5 / 1000.0), now(), now()
                 FROM generate_series(0, $1 - 1) AS i",
            )
            .bind(count).bind(conversation_count).bind(schedule).bind(start).bind(step)
            .execute(&mut db).await.unwrap();
        }
        sqlx::query("ANALYZE").execute(&mut db).await.unwrap();
    } else {
        let mut db = sqlx::SqliteConnection::connect(&database.url)
            .await
            .unwrap();
        let now = Utc::now().timestamp_millis();
        for i in 0..conversation_count {
            sqlx::query("INSERT INTO conversations (channel_id, conversation_id, service_url, reference_json, created_at, updated_at) VALUES ($5, $1, $2, $3, $4, $4)")
                .bind(format!("bench-{i}")).bind(sink).bind(reference(i)).bind(now).bind(channel_id)
                .execute(&mut db).await.unwrap();
        }
        for (count, start, step) in [(pending, far, year_ms / pending.max(1)), (due, due_at, 0)] {
            sqlx::query(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
                 INSERT INTO triggers (kind, state, conversation_key, text, schedule_json, next_fire_at, created_at, updated_at)
                 SELECT 'timer', 'active', (SELECT MIN(id) FROM conversations) + i % $2, 'bench ' || i, $3,
                        $4 + i * $5, $6, $6
                 FROM n WHERE $1 > 0",
            )
            .bind(count).bind(conversation_count).bind(schedule).bind(start.timestamp_millis()).bind(step).bind(now)
            .execute(&mut db).await.unwrap();
        }
    }
}

pub fn percentiles(mut values: Vec<i64>) -> String {
    if values.is_empty() {
        return "no samples".to_owned();
    }
    values.sort_unstable();
    let at =
        |p: f64| values[((values.len() as f64 * p).ceil() as usize).clamp(1, values.len()) - 1];
    format!(
        "p50 {} ms, p99 {} ms, max {} ms (n = {})",
        at(0.50),
        at(0.99),
        at(1.0),
        values.len()
    )
}

/// The conversations `seed` creates: `bench-0` … `bench-{count-1}`.
#[derive(Debug, Clone, Copy)]
pub struct Conversations<'a> {
    pub count: i64,
    pub channel_id: &'a str,
    pub service_url: &'a str,
}
