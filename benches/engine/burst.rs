//! `burst`: 100,000 one-shots due in the same second among 1,000,000.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::outbox::{lateness, wait_for_fired};
use crate::support::{Database, Herald, migrate, percentiles, seed, status_field};
use crate::{delivery_setting, emulator};

pub(crate) fn burst(runtime: &tokio::runtime::Runtime, sink: &str, database: &Database) {
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
