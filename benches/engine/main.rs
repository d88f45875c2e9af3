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
//!
//! The scenarios are modules of their own, next to the sink connector, the
//! outbox observer and the tokio-cron-scheduler side they share.

#[path = "../support/mod.rs"]
mod support;

mod burst;
mod idle;
mod multi;
mod outbox;
mod single;
mod sink;
mod tcs;

use support::{Conversations, Database};

use burst::burst;
use idle::idle;
use multi::multi;
use single::single;
use sink::start_sink;
use tcs::{run_tcs_burst, tcs_burst, tcs_hold};

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

/// BENCH_DELIVERY=off runs the scheduler alone (delivery disabled), so the
/// firing figure is not shared with sending to the sink on the same cores.
fn delivery_setting() -> Vec<(&'static str, &'static str)> {
    match std::env::var("BENCH_DELIVERY").as_deref() {
        Ok("off") => vec![("HERALD__DELIVERY__ENABLED", "false")],
        _ => Vec::new(),
    }
}
