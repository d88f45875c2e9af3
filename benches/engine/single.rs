//! `single`: one trigger due at a time among 1,000,000, created through the
//! API, 100 times.

use std::time::Duration;

use chrono::Utc;

use crate::emulator;
use crate::outbox::{lateness, wait_for_fired};
use crate::support::{Database, Herald, migrate, percentiles, seed};

pub(crate) fn single(runtime: &tokio::runtime::Runtime, sink: &str) {
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
