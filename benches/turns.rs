//! Turn throughput: `cargo bench --bench turns`.
//!
//! Starts the release `herald` binary on SQLite (fresh file, synchronous=full,
//! default logging drained from a pipe), a sink connector that accepts every
//! reply at once, seeds 20 jobs, then drives `show` turns with `wrk` (Debian's
//! package) from 1,000 conversations over 32 connections. Every turn stores its
//! conversation's reference (skipping identical rewrites), reads the job log
//! and posts its reply to the sink before Herald answers 200. Prints turns per
//! second, latency percentiles and Herald's peak resident memory.
//!
//! The same load then goes to a bare axum handler in this process (its own
//! two-thread runtime, like Herald's): it parses the activity and posts one
//! reply to the same sink, nothing else. Herald's turns a second are printed
//! as a ratio of the bare handler's, measured in the same run, since this
//! machine's speed varies from day to day.
//!
//! Environment: BENCH_DURATION (seconds, default 20), BENCH_CONNECTIONS (32),
//! BENCH_CONVERSATIONS (1000), BENCH_TEXT (the message, default `show`),
//! BENCH_DATABASE_URL (default: a temp SQLite file), BENCH_HERALD_BIN
//! (another commit's release `herald`, to compare two in one sitting).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

mod support;

use axum::Router;
use axum::routing::post;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("this benchmark needs wrk: apt-get install wrk");
        std::process::exit(2);
    }
    let duration = env_or("BENCH_DURATION", 20);
    let connections = env_or("BENCH_CONNECTIONS", 32);
    let conversations = env_or("BENCH_CONVERSATIONS", 1000);
    let text = std::env::var("BENCH_TEXT").unwrap_or_else(|_| "show".to_owned());

    // The sink connector: one thread, answers every POST with 200 {"id": "1"}.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sink = runtime.block_on(async {
        let router = Router::new().fallback(post(|| async {
            axum::Json(serde_json::json!({"id": "1"}))
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{address}")
    });

    let dir = tempfile::tempdir().unwrap();
    let database_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.path().display()));
    let mut herald = Command::new(support::herald_binary())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &database_url)
        // One wrk conversation takes hundreds of turns a minute; a person does not.
        .env(
            "HERALD__LIMITS__TURNS_PER_CONVERSATION_PER_MINUTE",
            "100000000",
        )
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the herald binary starts (build with cargo bench)");
    let mut lines = BufReader::new(herald.stdout.take().unwrap()).lines();
    let address = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = herald.kill();
            panic!("herald exited before listening");
        };
        if line.contains("Herald is listening") {
            break line
                .split("address=")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned();
        }
    };
    // Drain the log so Herald never blocks on a full pipe (logging stays on, as in production).
    std::thread::spawn(move || for _ in lines {});
    let endpoint = format!("http://{address}/api/messages");

    // Seed the job log through the front door.
    seed(&runtime, &endpoint, &sink);

    let script = dir.path().join("show.lua");
    std::fs::File::create(&script)
        .unwrap()
        .write_all(wrk_script(&sink, conversations, &text).as_bytes())
        .unwrap();
    println!(
        "wrk: {duration}s, {connections} connections, {conversations} conversations, `{text}` turns against {database_url}"
    );
    let load = Load {
        duration,
        connections,
        script: script.clone(),
    };
    let Some(herald_rate) = load.run("herald", &endpoint) else {
        let _ = herald.kill();
        std::process::exit(1);
    };
    let bare = bare_handler();
    let Some(bare_rate) = load.run("bare axum handler", &bare) else {
        let _ = herald.kill();
        std::process::exit(1);
    };
    println!(
        "herald: {herald_rate:.0} turns/s; bare handler: {bare_rate:.0}/s; ratio {:.2}",
        herald_rate / bare_rate
    );
    let peak = std::fs::read_to_string(format!("/proc/{}/status", herald.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    println!("herald peak resident memory (VmHWM): {peak}");
    let _ = herald.kill();
    let _ = herald.wait();
    std::thread::sleep(Duration::from_millis(100));
}

/// One wrk run's settings, the same for Herald and the bare handler.
struct Load {
    duration: u64,
    connections: u64,
    script: std::path::PathBuf,
}

impl Load {
    /// Drives `endpoint`, prints wrk's report, and answers its requests a
    /// second; `None` when any request failed (the figures do not count).
    fn run(&self, name: &str, endpoint: &str) -> Option<f64> {
        let output = Command::new("wrk")
            .args([
                "-t2",
                &format!("-c{}", self.connections),
                &format!("-d{}s", self.duration),
                "--latency",
                "-s",
            ])
            .arg(&self.script)
            .arg(endpoint)
            .output()
            .expect("wrk runs");
        let report = String::from_utf8_lossy(&output.stdout);
        println!("== {name}\n{report}");
        if report.contains("Non-2xx")
            || report.contains("Socket errors")
            || !output.status.success()
        {
            eprintln!("{name}: the benchmark saw failed requests: its figures do not count");
            return None;
        }
        report
            .lines()
            .find_map(|line| line.strip_prefix("Requests/sec:"))
            .and_then(|rate| rate.trim().parse().ok())
    }
}

/// The reference: a handler that parses the activity and posts one reply
/// to the channel's service, on a runtime of its own. Returns its URL.
fn bare_handler() -> String {
    let (sender, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let client = reqwest::Client::new();
            let router = Router::new().route(
                "/api/messages",
                post(move |body: axum::body::Bytes| {
                    let client = client.clone();
                    async move { reply(&client, &body).await }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    format!("http://{}/api/messages", address.recv().unwrap())
}

/// The bare handler's whole turn: the activity read, one reply posted.
async fn reply(client: &reqwest::Client, body: &[u8]) -> axum::http::StatusCode {
    let Ok(activity) = serde_json::from_slice::<serde_json::Value>(body) else {
        return axum::http::StatusCode::BAD_REQUEST;
    };
    let field = |path: &str| {
        activity
            .pointer(path)
            .and_then(|v| v.as_str())
            .unwrap_or("")
    };
    let url = format!(
        "{}/v3/conversations/{}/activities/{}",
        field("/serviceUrl").trim_end_matches('/'),
        field("/conversation/id"),
        field("/id")
    );
    let answer = serde_json::json!({
        "type": "message", "text": "Job log: 20 jobs",
        "from": activity["recipient"], "recipient": activity["from"],
        "conversation": activity["conversation"], "replyToId": activity["id"],
    });
    match client.post(url).json(&answer).send().await {
        Ok(sent) if sent.status().is_success() => axum::http::StatusCode::OK,
        _ => axum::http::StatusCode::BAD_GATEWAY,
    }
}

/// Posts 20 `run` turns so `show` has a full page to render.
fn seed(runtime: &tokio::runtime::Runtime, endpoint: &str, sink: &str) {
    runtime.block_on(async {
        let client = reqwest::Client::new();
        for i in 0..20 {
            let activity = serde_json::json!({
                "type": "message", "id": format!("seed-{i}"), "text": "run",
                "channelId": "emulator", "serviceUrl": sink,
                "from": {"id": "seed-user"}, "recipient": {"id": "bot"},
                "conversation": {"id": "seed|livechat"}
            });
            let status = client
                .post(endpoint)
                .json(&activity)
                .send()
                .await
                .unwrap()
                .status();
            assert!(status.is_success(), "seeding failed: {status}");
        }
    });
}

/// A wrk script posting `show` from `conversations` conversations in turn,
/// each request with a new activity id, as a channel would send them.
fn wrk_script(sink: &str, conversations: u64, text: &str) -> String {
    format!(
        r#"
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end
function request()
  counter = counter + 1
  local conversation = (counter * 7 + thread_id) % {conversations}
  local body = string.format('{{"type":"message","id":"a-%d-%d","text":"{text}","channelId":"emulator","serviceUrl":"{sink}","from":{{"id":"user-%d","name":"User"}},"recipient":{{"id":"bot","name":"Herald"}},"conversation":{{"id":"bench-%d|livechat"}},"locale":"en-US","localTimezone":"Europe/Lisbon"}}', thread_id, counter, conversation, conversation)
  return wrk.format("POST", nil, {{["Content-Type"] = "application/json"}}, body)
end
"#
    )
}
