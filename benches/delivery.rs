//! Delivery benchmarks: `cargo bench --bench delivery`.
//!
//! Both scenarios run the release `herald` binary (system clock, logging on)
//! on a SQLite database seeded directly with conversations and one-shot
//! timers, all due at one instant, whose service is a connector of the
//! benchmark's own on loopback.
//!
//! - `teams`: 10,000 Teams conversations with one message each, against a
//!   connector that enforces Teams' per-conversation limits (7/1 s, 8/2 s,
//!   60/30 s, 1800/1 h: 429 for a message that would break one). Every message
//!   must be delivered with no 429; the time it takes is compared with what
//!   the global budget allows (`BENCH_GLOBAL`, default `100/1s`, so that the
//!   run takes under two minutes; Herald's default is `30/1s`).
//! - `conversation`: 40 and 200 messages (`BENCH_ONE_CONVERSATION`, e.g.
//!   `40,200,2000`; 2,000 take an hour, Teams allowing 1,800 an hour) due at
//!   once in one Teams conversation, against the enforcing connector: the time
//!   from the first message to the last, against what Teams' windows widened
//!   by Herald's 100 ms margin allow (a sender sending whenever they admit),
//!   on SQLite (the budget in memory) and, with `BENCH_POSTGRES_URL`, on
//!   PostgreSQL (the budget in the database).
//! - `instant`: 20,000 messages over 1,000 conversations, a connector that
//!   answers at once, and budgets lifted: messages per second of one instance,
//!   next to a bare HTTP client posting the same requests with the same
//!   concurrency (32, Herald's delivery batch).

mod support;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, Utc};
use support::{Conversations, Database, Herald, migrate, seed, status_field};

const TEAMS_LIMITS: [(usize, Duration); 4] = [
    (7, Duration::from_secs(1)),
    (8, Duration::from_secs(2)),
    (60, Duration::from_secs(30)),
    (1800, Duration::from_secs(3600)),
];

fn main() {
    let scenarios = std::env::var("BENCH_SCENARIOS")
        .unwrap_or_else(|_| "teams,conversation,instant".to_owned());
    let postgres = std::env::var("BENCH_POSTGRES_URL").ok();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    for scenario in scenarios.split(',').map(str::trim) {
        match scenario {
            "teams" => teams(&runtime),
            "conversation" => {
                let counts =
                    std::env::var("BENCH_ONE_CONVERSATION").unwrap_or_else(|_| "40,200".to_owned());
                for count in counts.split(',').map(|c| c.trim().parse().unwrap()) {
                    one_conversation(&runtime, &Database::sqlite(), count);
                    match &postgres {
                        Some(url) => {
                            one_conversation(&runtime, &Database::postgres(&runtime, url), count)
                        }
                        None => {
                            println!("conversation on PostgreSQL: SKIPPED (set BENCH_POSTGRES_URL)")
                        }
                    }
                }
            }
            "instant" => instant(&runtime),
            other => panic!("unknown scenario `{other}`"),
        }
    }
}

/// A connector on loopback: accepts, or (enforcing) refuses with 429 a
/// message that would break a window; counts and times what it accepts.
#[derive(Default)]
struct Connector {
    enforce: bool,
    arrivals: Mutex<HashMap<String, VecDeque<Instant>>>,
    accepted: AtomicUsize,
    refused: AtomicUsize,
    first_last: Mutex<Option<(Instant, Instant)>>,
}

impl Connector {
    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// From the first accepted message to the last.
    fn span(&self) -> Duration {
        self.first_last
            .lock()
            .unwrap()
            .map_or(Duration::ZERO, |(first, last)| last - first)
    }
}

async fn receive(
    State(connector): State<Arc<Connector>>,
    Path(conversation): Path<String>,
) -> Response {
    let now = Instant::now();
    if connector.enforce {
        let mut arrivals = connector.arrivals.lock().unwrap();
        let seen = arrivals.entry(conversation).or_default();
        let longest = TEAMS_LIMITS[TEAMS_LIMITS.len() - 1].1;
        while seen.front().is_some_and(|at| now - *at >= longest) {
            seen.pop_front();
        }
        let breaks = TEAMS_LIMITS.iter().any(|(count, period)| {
            seen.iter().filter(|at| now - **at < *period).count() + 1 > *count
        });
        if breaks {
            connector.refused.fetch_add(1, Ordering::SeqCst);
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "1")],
                "slow down",
            )
                .into_response();
        }
        seen.push_back(now);
    }
    connector.accepted.fetch_add(1, Ordering::SeqCst);
    let mut first_last = connector.first_last.lock().unwrap();
    let first = first_last.map_or(now, |(first, _)| first);
    *first_last = Some((first, now));
    axum::Json(serde_json::json!({"id": "1"})).into_response()
}

async fn start_connector(enforce: bool) -> (String, Arc<Connector>) {
    let connector = Arc::new(Connector {
        enforce,
        ..Connector::default()
    });
    let router = Router::new()
        .route("/v3/conversations/{conversation}/activities", post(receive))
        .with_state(Arc::clone(&connector));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), connector)
}

/// Waits until the connector accepted `expected` (or `limit` passed).
fn wait_for_accepted(connector: &Connector, expected: usize, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while connector.accepted() < expected {
        if Instant::now() > deadline {
            println!(
                "  only {} of {expected} accepted within {limit:?}",
                connector.accepted()
            );
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

/// Seeds `messages` timers over `conversations`, due a little after Herald starts.
fn prepare(
    runtime: &tokio::runtime::Runtime,
    database: &Database,
    conversations: &Conversations<'_>,
    messages: i64,
) -> DateTime<Utc> {
    migrate(database);
    let due_at = DateTime::from_timestamp(Utc::now().timestamp() + 15, 0).unwrap();
    runtime.block_on(seed(database, conversations, 0, messages, due_at));
    due_at
}

fn sleep_until(due_at: DateTime<Utc>) {
    if let Ok(wait) = (due_at - Utc::now()).to_std() {
        std::thread::sleep(wait);
    }
}

fn teams(runtime: &tokio::runtime::Runtime) {
    let global = std::env::var("BENCH_GLOBAL").unwrap_or_else(|_| "100/1s".to_owned());
    let (per_second, _) = global.split_once("/1s").expect("BENCH_GLOBAL as N/1s");
    let per_second: f64 = per_second.parse().unwrap();
    let (url, connector) = runtime.block_on(start_connector(true));
    let database = Database::sqlite();
    let messages = 10_000;
    let conversations = Conversations {
        count: messages,
        channel_id: "msteams",
        service_url: &url,
    };
    let due_at = prepare(runtime, &database, &conversations, messages);
    let budget = format!("[\"{global}\"]");
    let herald = Herald::start(
        &database,
        &[("HERALD__DELIVERY__GLOBAL_RATE_LIMIT", &budget)],
    );
    sleep_until(due_at);
    let started = Instant::now();
    let all = wait_for_accepted(&connector, messages as usize, Duration::from_secs(1800));
    let took = started.elapsed().as_secs_f64();
    let ideal = messages as f64 / per_second;
    println!(
        "teams, 10,000 conversations, one message each, global budget {global}: {} delivered{} in {took:.1} s (the budget allows {ideal:.1} s: ratio {:.2}); 429s provoked: {}; peak resident {} MiB",
        connector.accepted(),
        if all { "" } else { " (not all)" },
        ideal / took,
        connector.refused.load(Ordering::SeqCst),
        status_field(herald.child.id(), "VmHWM:") / 1024,
    );
}

/// How long `count` messages take from the first to the last under Teams'
/// windows widened by `margin`, sent whenever the windows admit.
fn allowed_span(count: usize, margin: Duration) -> Duration {
    use herald::domain::rate::{RatePolicy, SendLog};
    let windows = RatePolicy::parse(&["7/1s", "8/2s", "60/30s", "1800/1h"])
        .unwrap()
        .with_margin(margin)
        .sliding();
    let mut log = SendLog::default();
    let mut now = 0;
    for _ in 0..count {
        while let Err(until) = log.try_send(&windows, now) {
            now = until;
        }
    }
    Duration::from_micros(now.unsigned_abs())
}

fn one_conversation(runtime: &tokio::runtime::Runtime, database: &Database, count: usize) {
    let (url, connector) = runtime.block_on(start_connector(true));
    let conversations = Conversations {
        count: 1,
        channel_id: "msteams",
        service_url: &url,
    };
    let due_at = prepare(runtime, database, &conversations, count as i64);
    let _herald = Herald::start(database, &[]);
    let allowed = allowed_span(count, Duration::from_millis(100));
    sleep_until(due_at);
    let all = wait_for_accepted(&connector, count, allowed * 2 + Duration::from_secs(60));
    let took = connector.span();
    println!(
        "conversation, {count} due at once in one Teams conversation ({}): {} delivered{} in {:.2} s from the first to the last; the windows with the 100 ms margin allow {:.2} s: ratio {:.3}; 429s provoked: {}",
        database.label(),
        connector.accepted(),
        if all { "" } else { " (not all)" },
        took.as_secs_f64(),
        allowed.as_secs_f64(),
        allowed.as_secs_f64() / took.as_secs_f64().max(f64::MIN_POSITIVE),
        connector.refused.load(Ordering::SeqCst),
    );
}

fn instant(runtime: &tokio::runtime::Runtime) {
    let (url, connector) = runtime.block_on(start_connector(false));
    let database = Database::sqlite();
    let messages: i64 = 20_000;
    let conversations = Conversations {
        count: 1_000,
        channel_id: "emulator",
        service_url: &url,
    };
    let due_at = prepare(runtime, &database, &conversations, messages);
    let herald = Herald::start(
        &database,
        &[
            ("HERALD__DELIVERY__GLOBAL_RATE_LIMIT", "[\"1000000/1s\"]"),
            (
                "HERALD__DELIVERY__RATE_LIMITS__EMULATOR",
                "[\"1000000/1s\"]",
            ),
        ],
    );
    sleep_until(due_at);
    let all = wait_for_accepted(&connector, messages as usize, Duration::from_secs(600));
    let span = connector.span().as_secs_f64();
    let herald_rate = messages as f64 / span;
    drop(herald);

    // The same requests from a bare client, 32 at a time.
    let (bare_url, bare) = runtime.block_on(start_connector(false));
    let body = serde_json::json!({
        "type": "message", "channelId": "emulator", "serviceUrl": bare_url,
        "from": {"id": "herald"}, "conversation": {"id": "bench-0"},
        "textFormat": "markdown", "text": "⏰ bench 0",
    });
    let started = Instant::now();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..32 {
            let client = client.clone();
            let next = Arc::clone(&next);
            let body = body.clone();
            let url = bare_url.clone();
            tasks.spawn(async move {
                while next.fetch_add(1, Ordering::SeqCst) < messages as usize {
                    let i = next.load(Ordering::SeqCst) % 1000;
                    client
                        .post(format!("{url}/v3/conversations/bench-{i}/activities"))
                        .json(&body)
                        .send()
                        .await
                        .unwrap();
                }
            });
        }
        while tasks.join_next().await.is_some() {}
    });
    let bare_rate = bare.accepted() as f64 / started.elapsed().as_secs_f64();
    println!(
        "instant, 20,000 messages over 1,000 conversations, budgets lifted: Herald {herald_rate:.0} messages/s{} (first to last accepted {span:.2} s); a bare client posting the same requests 32 at a time: {bare_rate:.0}/s; ratio {:.2}",
        if all { "" } else { " (not all delivered)" },
        herald_rate / bare_rate,
    );
}
