//! `idle`: Herald's resident memory and CPU with 1,000 and 1,000,000 pending
//! triggers, and tokio-cron-scheduler holding as many jobs.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::emulator;
use crate::support::{Database, Herald, cpu_seconds, migrate, seed, status_field};

pub(crate) fn idle(runtime: &tokio::runtime::Runtime, sink: &str, compare_with_tcs: bool) {
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
