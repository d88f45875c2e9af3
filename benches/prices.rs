//! Price evaluation benchmark: `cargo bench --bench prices`
//! (`BENCH_POSTGRES_URL=postgres://… cargo bench --bench prices` adds
//! PostgreSQL).
//!
//! The release `herald` binary (delivery off, so sending does not share the
//! cores) on a database seeded directly with 100,000 active watches on one
//! pushed symbol, spread over 1,000 conversations. Each measurement is one
//! `POST /api/v1/prices` of one price, timed from sending to the answer,
//! which comes once every watch on the symbol was evaluated and what changed
//! was written.
//!
//! - `quiet`: a price that crosses no threshold (the usual case): every watch
//!   is read and evaluated, nothing is written. Five pushes, each reported.
//! - `all alert`: a price below every threshold: 100,000 watches complete and
//!   100,000 alerts enter the outbox, in transactions of 5,000.

mod support;

use std::time::{Duration, Instant};

use sqlx::Connection;
use support::{Conversations, Database, Herald, migrate, seed};

const WATCHES: i64 = 100_000;
const CONVERSATIONS: i64 = 1_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    run(&runtime, &Database::sqlite());
    match std::env::var("BENCH_POSTGRES_URL") {
        Ok(server) => run(&runtime, &Database::postgres(&runtime, &server)),
        Err(_) => println!("PostgreSQL skipped: set BENCH_POSTGRES_URL to include it"),
    }
}

fn run(runtime: &tokio::runtime::Runtime, database: &Database) {
    migrate(database);
    let conversations = Conversations {
        count: CONVERSATIONS,
        channel_id: "emulator",
        service_url: "http://127.0.0.1:9/",
    };
    runtime.block_on(async {
        seed(database, &conversations, 0, 0, chrono::Utc::now()).await;
        seed_watches(database).await;
    });
    let (key, digest) = herald::http::api::keys::generate_key().unwrap();
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("local.toml"),
        format!(
            "[[api.keys]]\nname = \"bench\"\nsha256 = \"{digest}\"\nscopes = [\"prices:write\"]\n"
        ),
    )
    .unwrap();
    let config_dir = config.path().display().to_string();
    let herald = Herald::start(
        database,
        &[
            ("HERALD_CONFIG_DIR", config_dir.as_str()),
            ("HERALD__DELIVERY__ENABLED", "false"),
        ],
    );
    let client = reqwest::Client::new();
    let url = format!("http://{}/api/v1/prices", herald.address);
    let push = |price: &str| {
        let body = serde_json::json!({
            "source": "shop", "symbol": "sku-1", "price": price, "currency": "EUR",
        });
        let started = Instant::now();
        let answer: serde_json::Value = runtime.block_on(async {
            let response = client
                .post(&url)
                .bearer_auth(&key)
                .json(&body)
                .timeout(Duration::from_secs(600))
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            response.json().await.unwrap()
        });
        (started.elapsed(), answer)
    };
    let mut quiet = Vec::new();
    for i in 0..5 {
        let (took, answer) = push(&format!("100.0{i}"));
        assert_eq!(answer["watchesEvaluated"], WATCHES, "{answer}");
        assert_eq!(answer["alerts"], 0, "{answer}");
        quiet.push(took);
    }
    let (took, answer) = push("1.00");
    assert_eq!(answer["alerts"], WATCHES, "{answer}");
    let queued = runtime.block_on(outbox_rows(database));
    assert_eq!(queued, WATCHES, "every alert is in the outbox");
    let per_second = |took: Duration| (WATCHES as f64 / took.as_secs_f64()).round();
    println!(
        "quiet on {}, 100,000 watches on one pushed price, nothing crossed: {}",
        database.label(),
        quiet
            .iter()
            .map(|took| format!("{} ms ({} watches/s)", took.as_millis(), per_second(*took)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "all alert on {}, 100,000 watches crossed by one pushed price: {} ms ({} watches/s), 100,000 alerts queued",
        database.label(),
        took.as_millis(),
        per_second(took)
    );
}

/// `WATCHES` one-shot `below` watches on shop/sku-1 (thresholds 50–99.99 €,
/// base 100 €), round-robin over the conversations.
async fn seed_watches(database: &Database) {
    let insert = |series: &str, now: &str| {
        format!(
            "{series}
             INSERT INTO price_watches (conversation_key, owner_user_id, source, symbol, currency,
                 rule_json, repeat, base, low, armed, state, created_at, updated_at)
             SELECT (SELECT MIN(id) FROM conversations) + i % {CONVERSATIONS}, 'user-' || (i % 5000),
                 'shop', 'sku-1', 'EUR',
                 '{{\"kind\":\"below\",\"price\":\"' || round(50 + (i % 5000) / 100.0, 2) || '\"}}',
                 FALSE, '100', '100', TRUE, 'active', {now}, {now}
             FROM n"
        )
    };
    if database.postgres {
        let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
        let series = format!("WITH n(i) AS (SELECT generate_series(0, {WATCHES} - 1))");
        sqlx::query(&insert(&series, "now()"))
            .execute(&mut db)
            .await
            .unwrap();
        sqlx::query("ANALYZE").execute(&mut db).await.unwrap();
    } else {
        let mut db = sqlx::SqliteConnection::connect(&database.url)
            .await
            .unwrap();
        let series = format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {WATCHES} - 1)"
        );
        let now = chrono::Utc::now().timestamp_millis().to_string();
        sqlx::query(&insert(&series, &now))
            .execute(&mut db)
            .await
            .unwrap();
    }
}

async fn outbox_rows(database: &Database) -> i64 {
    let sql = "SELECT COUNT(*) FROM outbox";
    if database.postgres {
        let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut db).await.unwrap()
    } else {
        let mut db = sqlx::SqliteConnection::connect(&database.url)
            .await
            .unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut db).await.unwrap()
    }
}
