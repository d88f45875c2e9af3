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
//! Environment: BENCH_DURATION (seconds, default 20), BENCH_CONNECTIONS (32),
//! BENCH_CONVERSATIONS (1000), BENCH_TEXT (the message, default `show`),
//! BENCH_DATABASE_URL (default: a temp SQLite file).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

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
    let mut herald = Command::new(env!("CARGO_BIN_EXE_herald"))
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
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{duration}s"),
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(&endpoint)
        .output()
        .expect("wrk runs");
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    if report.contains("Non-2xx") || report.contains("Socket errors") || !output.status.success() {
        eprintln!("the benchmark saw failed requests: its figures do not count");
        let _ = herald.kill();
        std::process::exit(1);
    }
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
