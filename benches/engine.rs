//! Trigger engine benchmarks: `cargo bench --bench engine`.
//!
//! Each scenario runs the release `herald` binary (SystemClock, default
//! settings, logging on and drained) against a database seeded directly with
//! triggers, and a sink connector that accepts every proactive message, so
//! delivery runs alongside the scheduler as in production. Next to it,
//! tokio-cron-scheduler (the version Herald depends on) runs the same load in a
//! process of its own, so each side's memory is its own.
//!
//! Scenarios (BENCH_SCENARIOS, comma-separated; default all):
//! - `idle`: 1,000 and then 1,000,000 pending triggers in SQLite; Herald's
//!   resident memory and CPU over BENCH_IDLE_SECONDS (30) of idling, and
//!   tokio-cron-scheduler holding as many jobs.
//! - `burst`: 100,000 one-shots due in the same second among 1,000,000, on
//!   SQLite and (with BENCH_POSTGRES_URL) PostgreSQL: the time until all are in
//!   the outbox, and lateness (due → outbox) p50/p99/max; tokio-cron-scheduler
//!   firing 100,000 one-shot jobs, with its default channels and with
//!   channels sized to fit.
//! - `single`: one trigger due at a time among 1,000,000 (SQLite), 100 times,
//!   created through the API: lateness p50/p99/max.
//! - `multi`: three Herald instances on one PostgreSQL (BENCH_POSTGRES_URL)
//!   and 100,000 due triggers: duplicates, misses, and their joint throughput.
//!
//! BENCH_DELIVERY=off disables delivery in `burst` and `multi`, so the
//! scheduler has the machine to itself.
//!
//! BENCH_POSTGRES_URL names a server where the benchmark may create (and then
//! drop) a database of its own, e.g. postgres://postgres@127.0.0.1:5432/test.
//! BENCH_HERALD_BIN runs another `herald` binary (another commit's release
//! build) instead of this build's; BENCH_BURST_ON=postgres runs `burst` on
//! PostgreSQL only.

mod support;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use chrono::{DateTime, Utc};
use sqlx::Connection;
use support::{
    Conversations, Database, Herald, cpu_seconds, migrate, percentiles, seed, status_field,
};

const CONVERSATIONS: i64 = 1_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--tcs-hold") {
        return tcs_hold(args[at + 1].parse().unwrap());
    }
    if let Some(at) = args.iter().position(|a| a == "--tcs-burst") {
        return tcs_burst(args[at + 1].parse().unwrap(), args[at + 2].parse().unwrap());
    }
    let scenarios =
        std::env::var("BENCH_SCENARIOS").unwrap_or_else(|_| "idle,burst,single,multi".to_owned());
    let postgres = std::env::var("BENCH_POSTGRES_URL").ok();
    // BENCH_TCS=0 skips the tokio-cron-scheduler side (to tune Herald alone).
    let compare_with_tcs = std::env::var("BENCH_TCS").map_or(true, |v| v != "0");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (sink, deliveries) = runtime.block_on(start_sink());
    for scenario in scenarios.split(',').map(str::trim) {
        match scenario {
            "idle" => idle(&runtime, &sink, compare_with_tcs),
            "burst" => {
                // BENCH_BURST_ON=postgres skips the SQLite run (to compare commits).
                if std::env::var("BENCH_BURST_ON").as_deref() != Ok("postgres") {
                    burst(&runtime, &sink, &Database::sqlite());
                }
                match &postgres {
                    Some(url) => burst(&runtime, &sink, &Database::postgres(&runtime, url)),
                    None => println!("burst on PostgreSQL: SKIPPED (set BENCH_POSTGRES_URL)"),
                }
                if compare_with_tcs {
                    for channel_size in [200, 200_000] {
                        run_tcs_burst(100_000, channel_size);
                    }
                }
            }
            "single" => single(&runtime, &sink),
            "multi" => match &postgres {
                Some(url) => multi(
                    &runtime,
                    &sink,
                    &deliveries,
                    &Database::postgres(&runtime, url),
                ),
                None => println!("multi: SKIPPED (set BENCH_POSTGRES_URL)"),
            },
            other => panic!("unknown scenario `{other}`"),
        }
    }
}

/// The benchmark's conversations: Emulator ones whose service is the sink.
fn emulator(sink: &str) -> Conversations<'_> {
    Conversations {
        count: CONVERSATIONS,
        channel_id: "emulator",
        service_url: sink,
    }
}

/// A connector that accepts everything and counts what it received, by text.
#[derive(Default)]
struct Sink {
    texts: Mutex<HashMap<String, u32>>,
}

impl Sink {
    /// Messages received, and how many distinct texts among them.
    fn counts(&self) -> (u64, u64) {
        let texts = self.texts.lock().unwrap();
        (
            texts.values().map(|n| u64::from(*n)).sum(),
            texts.len() as u64,
        )
    }

    fn forget(&self) {
        self.texts.lock().unwrap().clear();
    }
}

async fn start_sink() -> (String, Arc<Sink>) {
    let sink = Arc::new(Sink::default());
    let counting = Arc::clone(&sink);
    let router = Router::new().fallback(post(
        move |axum::Json(activity): axum::Json<serde_json::Value>| {
            let sink = Arc::clone(&counting);
            async move {
                let text = activity["text"].as_str().unwrap_or_default().to_owned();
                *sink.texts.lock().unwrap().entry(text).or_default() += 1;
                axum::Json(serde_json::json!({"id": "1"}))
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), sink)
}

/// Lateness (outbox row's firing instant − due instant), in ms, of every fired trigger.
async fn lateness(database: &Database) -> Vec<i64> {
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

async fn fired_count(database: &Database) -> (i64, i64) {
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
fn wait_for_fired(
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

fn idle(runtime: &tokio::runtime::Runtime, sink: &str, compare_with_tcs: bool) {
    let seconds: u64 = std::env::var("BENCH_IDLE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    for pending in [1_000, 1_000_000] {
        let database = Database::sqlite();
        migrate(&database);
        runtime.block_on(seed(&database, &emulator(sink), pending, 0, Utc::now()));
        let herald = Herald::start(&database, &[]);
        std::thread::sleep(Duration::from_secs(3));
        let cpu = herald.cpu_seconds();
        std::thread::sleep(Duration::from_secs(seconds));
        let used = herald.cpu_seconds() - cpu;
        println!(
            "idle, Herald, {pending} pending triggers (SQLite): resident {} MiB, CPU {:.2}% over {seconds} s",
            herald.resident_kib() / 1024,
            used / seconds as f64 * 100.0
        );
        if !compare_with_tcs {
            continue;
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--tcs-hold", &pending.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let started = Instant::now();
        let added = lines.next().and_then(Result::ok).unwrap_or_default();
        let pid = child.id();
        std::thread::sleep(Duration::from_secs(3));
        let cpu = cpu_seconds(pid);
        std::thread::sleep(Duration::from_secs(seconds));
        let used = cpu_seconds(pid) - cpu;
        println!(
            "idle, tokio-cron-scheduler, {pending} jobs: resident {} MiB, CPU {:.2}% over {seconds} s ({added}, {:.1} s to add)",
            status_field(pid, "VmRSS:") / 1024,
            used / seconds as f64 * 100.0,
            started.elapsed().as_secs_f64() - 3.0 - seconds as f64,
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn burst(runtime: &tokio::runtime::Runtime, sink: &str, database: &Database) {
    migrate(database);
    // Due on a whole second, a little after Herald has started.
    let lead = if database.postgres { 60 } else { 30 };
    let due_at = DateTime::from_timestamp(Utc::now().timestamp() + lead, 0).unwrap();
    let seeding = Instant::now();
    runtime.block_on(seed(database, &emulator(sink), 900_000, 100_000, due_at));
    println!(
        "burst on {}: seeded 1,000,000 triggers in {:.1} s",
        database.label(),
        seeding.elapsed().as_secs_f64()
    );
    let herald = Herald::start(database, &delivery_setting());
    let wait = (due_at - Utc::now())
        .to_std()
        .expect("seeding took too long; raise the lead");
    std::thread::sleep(wait);
    let all_in = wait_for_fired(runtime, database, 100_000, due_at, Duration::from_secs(60));
    let late = runtime.block_on(lateness(database));
    println!(
        "burst on {}, Herald: 100,000 due in one second among 1,000,000: all in the outbox {} ms after the due second (observed); lateness {}; peak resident {} MiB",
        database.label(),
        all_in.map_or("—".to_owned(), |ms| ms.to_string()),
        percentiles(late),
        status_field(herald.child.id(), "VmHWM:") / 1024,
    );
}

fn run_tcs_burst(jobs: usize, channel_size: usize) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--tcs-burst", &jobs.to_string(), &channel_size.to_string()])
        .output()
        .unwrap();
    print!("{}", String::from_utf8_lossy(&output.stdout));
}

fn single(runtime: &tokio::runtime::Runtime, sink: &str) {
    let database = Database::sqlite();
    migrate(&database);
    runtime.block_on(seed(&database, &emulator(sink), 1_000_000, 0, Utc::now()));
    let herald = Herald::start(&database, &[]);
    let client = reqwest::Client::new();
    let url = format!("http://{}/api/v1/triggers", herald.address);
    let samples = 100;
    runtime.block_on(async {
        let start = Utc::now() + chrono::Duration::seconds(2);
        for i in 0..samples {
            // One at a time: 100 ms apart, each created well before it is due.
            let at = start + chrono::Duration::milliseconds(100 * i);
            let body = serde_json::json!({
                "conversation": {"channelId": "emulator", "id": "bench-0"},
                "text": format!("single {i}"),
                "schedule": {"at": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)},
            });
            let response = client.post(&url).json(&body).send().await.unwrap();
            assert_eq!(
                response.status().as_u16(),
                201,
                "{}",
                response.text().await.unwrap()
            );
        }
    });
    wait_for_fired(
        runtime,
        &database,
        samples,
        Utc::now(),
        Duration::from_secs(30),
    );
    println!(
        "single, Herald, one trigger due at a time among 1,000,000 (SQLite): lateness {}",
        percentiles(runtime.block_on(lateness(&database)))
    );
}

fn multi(runtime: &tokio::runtime::Runtime, sink: &str, deliveries: &Sink, database: &Database) {
    migrate(database);
    deliveries.forget();
    let due_at = DateTime::from_timestamp(Utc::now().timestamp() + 20, 0).unwrap();
    runtime.block_on(seed(database, &emulator(sink), 0, 100_000, due_at));
    // Budgets lifted, so that all 100,000 reach the sink in seconds: each
    // is counted where it arrives, not by the outbox (whose unique key could
    // not show a duplicate).
    let mut env = delivery_setting();
    env.extend([
        ("HERALD__DELIVERY__GLOBAL_RATE_LIMIT", "[\"1000000/1s\"]"),
        (
            "HERALD__DELIVERY__RATE_LIMITS__EMULATOR",
            "[\"1000000/1s\"]",
        ),
    ]);
    let instances: Vec<Herald> = (0..3).map(|_| Herald::start(database, &env)).collect();
    std::thread::sleep(
        (due_at - Utc::now())
            .to_std()
            .expect("seeding took too long"),
    );
    let all_in = wait_for_fired(runtime, database, 100_000, due_at, Duration::from_secs(60));
    let delivering = delivery_setting().is_empty();
    if delivering {
        let deadline = Instant::now() + Duration::from_secs(300);
        while deliveries.counts().0 < 100_000 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(250));
        }
    }
    // Anything sent or fired twice would be in by now.
    std::thread::sleep(Duration::from_secs(2));
    let (rows, distinct_rows) = runtime.block_on(fired_count(database));
    let (delivered, distinct_delivered) = deliveries.counts();
    let missed: i64 = runtime.block_on(async {
        let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM triggers WHERE state = 'active' AND next_fire_at <= $1",
        )
        .bind(due_at)
        .fetch_one(&mut db)
        .await
        .unwrap()
    });
    let counted = if delivering {
        format!(
            "{delivered} delivered to the sink, {} duplicates, {} misses",
            delivered - distinct_delivered,
            100_000 - distinct_delivered as i64,
        )
    } else {
        format!(
            "delivery off: {rows} outbox rows, {} duplicates, {} misses",
            rows - distinct_rows,
            missed + (100_000 - distinct_rows),
        )
    };
    println!(
        "multi, 3 Herald instances on PostgreSQL, 100,000 due: {counted}; all in the outbox in {} ms ({} triggers/s together); lateness {}",
        all_in.map_or("—".to_owned(), |ms| ms.to_string()),
        all_in.map_or("—".to_owned(), |ms| (100_000 * 1000 / ms.max(1))
            .to_string()),
        percentiles(runtime.block_on(lateness(database))),
    );
    drop(instances);
}

/// BENCH_DELIVERY=off runs the scheduler alone (delivery disabled), so the
/// firing figure is not shared with sending to the sink on the same cores.
fn delivery_setting() -> Vec<(&'static str, &'static str)> {
    match std::env::var("BENCH_DELIVERY").as_deref() {
        Ok("off") => vec![("HERALD__DELIVERY__ENABLED", "false")],
        _ => Vec::new(),
    }
}

/// Child: tokio-cron-scheduler holding `jobs` daily jobs, idling.
fn tcs_hold(jobs: usize) {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let scheduler = JobScheduler::new().await.unwrap();
        for _ in 0..jobs {
            let job = Job::new_async("0 0 9 * * *", |_, _| Box::pin(async {})).unwrap();
            scheduler.add(job).await.unwrap();
        }
        scheduler.start().await.unwrap();
        println!("{jobs} jobs added");
        std::future::pending::<()>().await;
    });
}

/// Child: tokio-cron-scheduler firing `jobs` one-shot jobs due at one instant.
fn tcs_burst(jobs: usize, channel_size: usize) {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let scheduler = JobScheduler::new_with_channel_size(channel_size).await.unwrap();
        let lead = Duration::from_secs(30);
        let due = Instant::now() + lead;
        let fired: Arc<Mutex<Vec<i64>>> = Arc::new(Mutex::new(Vec::with_capacity(jobs)));
        let seen: Arc<Mutex<HashSet<uuid_like::Id>>> = Arc::default();
        for _ in 0..jobs {
            let fired = Arc::clone(&fired);
            let seen = Arc::clone(&seen);
            let job = Job::new_one_shot_at_instant_async(due, move |id, _| {
                let fired = Arc::clone(&fired);
                let seen = Arc::clone(&seen);
                Box::pin(async move {
                    if seen.lock().unwrap().insert(uuid_like::Id(id.as_u128())) {
                        let late = Instant::now().saturating_duration_since(due);
                        fired.lock().unwrap().push(late.as_millis() as i64);
                    }
                })
            })
            .unwrap();
            scheduler.add(job).await.unwrap();
        }
        assert!(Instant::now() < due, "adding the jobs took longer than the lead");
        scheduler.start().await.unwrap();
        tokio::time::sleep_until((due + Duration::from_secs(20)).into()).await;
        let fired = fired.lock().unwrap().clone();
        println!(
            "burst, tokio-cron-scheduler (channel size {channel_size}): {} of {jobs} fired within 20 s; lateness {}; peak resident {} MiB",
            fired.len(),
            percentiles(fired.clone()),
            status_field(std::process::id(), "VmHWM:") / 1024,
        );
    });
}

mod uuid_like {
    /// A job id, kept as a number (uuid is not a direct dependency).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Id(pub u128);
}
