//! `multi`: three Herald instances on one PostgreSQL and 100,000 due
//! triggers: duplicates, misses, and their joint throughput.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::Connection;

use crate::outbox::{fired_count, lateness, wait_for_fired};
use crate::sink::Sink;
use crate::support::{Database, Herald, migrate, percentiles, seed};
use crate::{delivery_setting, emulator};

pub(crate) fn multi(
    runtime: &tokio::runtime::Runtime,
    sink: &str,
    deliveries: &Sink,
    database: &Database,
) {
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
