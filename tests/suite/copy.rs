//! `herald copy --to postgres://…`: a SQLite Herald moved to PostgreSQL, and
//! Herald going on there as if nothing happened. These tests need both
//! databases, so they are part of the PostgreSQL half of the suite.

use serde_json::json;
use sqlx::Connection;

use crate::helpers::{
    FakeConnector, PriceServer, TestDatabase, herald_command, market, output, spawn_app_with,
};

/// A SQLite database and an empty PostgreSQL schema.
async fn databases(test: &str) -> (TestDatabase, TestDatabase) {
    let target = TestDatabase::postgres(test).await;
    (TestDatabase::sqlite().await, target)
}

async fn copy(from: &TestDatabase, to: &TestDatabase) -> (bool, String) {
    copy_from(&from.url, to).await
}

async fn copy_from(url: &str, to: &TestDatabase) -> (bool, String) {
    output(
        herald_command(to)
            .env("DATABASE_URL", url)
            .args(["copy", "--to", &to.url]),
    )
    .await
}

async fn postgres_count(db: &TestDatabase, table: &str) -> i64 {
    let mut connection = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut connection)
        .await
        .unwrap()
}

/// The rows the copy printed for `table`.
fn reported(text: &str, table: &str) -> Option<i64> {
    text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some(table))
            .then(|| words.next()?.parse().ok())
            .flatten()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn everything_moves_to_postgres_and_herald_goes_on_there() {
    let (sqlite, postgres) = databases("copy_everything_moves").await;
    let connector = FakeConnector::start().await;
    let before = spawn_app_with(&sqlite, connector.clone(), |_| {}).await;
    let a = before.conversation("A");
    let b = before.conversation("B");
    before.say(&a, "run").await;
    before.say(&b, "run").await;
    before.say(&a, "done 2").await;
    before.say(&a, "timezone Europe/Lisbon").await;
    let set = before.say(&a, "remind me in 10 minutes to stretch").await;
    assert!(set[0].contains("stretch"), "{set:?}");
    let (status, body) = before
        .api(
            "POST",
            "/prices",
            Some(&json!({"source": "shop", "symbol": "sku-1", "price": "20", "currency": "EUR"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let watch = before.say(&b, "watch shop sku-1 below 10").await;
    assert!(watch[0].contains("sku-1"), "{watch:?}");
    connector
        .wait_for("job 2's notification", |r| {
            r.is_proactive() && r.text().contains("job 2")
        })
        .await;
    // A web chat conversation, greeted: its log and token move too.
    let started = before
        .client
        .post(format!("{}/v3/directline/conversations", before.address))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status().as_u16(), 201);
    // With a file sent in it: the bytes move as they are.
    let started: serde_json::Value = started.json().await.unwrap();
    let file: Vec<u8> = (0..=255).collect();
    let (content_type, form) = crate::helpers::multipart::form(&[
        crate::helpers::multipart::Part::activity(&json!({"type": "message", "text": ""})),
        crate::helpers::multipart::Part::file("bytes.pdf", "application/pdf", &file),
    ]);
    let uploaded = before
        .client
        .post(format!(
            "{}/v3/directline/conversations/{}/upload",
            before.address,
            started["conversationId"].as_str().unwrap()
        ))
        .bearer_auth(started["token"].as_str().unwrap())
        .header("content-type", content_type)
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status().as_u16(), 200);
    before.stop().await;

    let (ok, text) = copy(&sqlite, &postgres).await;
    assert!(ok, "{text}");
    assert!(text.contains("the counts match"), "{text}");
    assert_eq!(reported(&text, "webchat_conversations"), Some(1), "{text}");
    assert_eq!(reported(&text, "webchat_activities"), Some(3), "{text}");
    assert_eq!(reported(&text, "webchat_attachments"), Some(1), "{text}");
    let mut connection = sqlx::PgConnection::connect(&postgres.url).await.unwrap();
    let copied: Vec<u8> = sqlx::query_scalar("SELECT content FROM webchat_attachments")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(copied, file);
    assert_eq!(reported(&text, "webchat_tokens"), Some(1), "{text}");
    assert_eq!(reported(&text, "conversations"), Some(3), "{text}");
    assert_eq!(reported(&text, "triggers"), Some(3), "{text}");
    assert_eq!(reported(&text, "price_watches"), Some(1), "{text}");
    assert_eq!(reported(&text, "price_history"), Some(1), "{text}");
    // The two channel people, and the web chat person who sent the file.
    assert_eq!(reported(&text, "users"), Some(3), "{text}");
    assert_eq!(postgres_count(&postgres, "triggers").await, 3);
    assert_eq!(postgres_count(&postgres, "outbox").await, 1);

    let after = spawn_app_with(&postgres, connector.clone(), |_| {}).await;
    let jobs = after.say(&a, "show").await.join("\n");
    assert!(
        jobs.contains("pending") && jobs.contains("completed"),
        "{jobs}"
    );
    assert!(
        after.say(&a, "my timezone").await[0].contains("Europe/Lisbon"),
        "settings moved"
    );
    let reminders = after.say(&a, "reminders").await.join("\n");
    assert!(reminders.contains("stretch"), "{reminders}");
    // Ids go on after the copied ones instead of colliding with them.
    let next = after.say(&a, "run").await;
    assert_eq!(
        next,
        vec!["We're starting job 4 for you. We'll notify you when it's complete."]
    );
    // The copied reminder fires from PostgreSQL, and the copied watch alerts.
    after.advance(chrono::Duration::minutes(10));
    after.wake();
    connector
        .wait_for("the copied reminder", |r| {
            r.is_proactive() && r.conversation_id == a.id && r.text().contains("stretch")
        })
        .await;
    let (status, body) = after
        .api(
            "POST",
            "/prices",
            Some(&json!({"source": "shop", "symbol": "sku-1", "price": "9.5", "currency": "EUR"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["alerts"], 1, "{body}");
    connector
        .wait_for("the copied watch's alert", |r| {
            r.is_proactive() && r.conversation_id == b.id && r.text().contains("sku-1")
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn a_price_poll_moves_to_postgres_and_goes_on_polling_there() {
    let (sqlite, postgres) = databases("copy_price_poll_moves").await;
    let server = PriceServer::start().await;
    server.price("bitcoin", "31000");
    let connector = FakeConnector::start().await;
    let before = spawn_app_with(&sqlite, connector.clone(), market(&server)).await;
    let ana = before.conversation("ana");
    let echo = before.say(&ana, "watch bitcoin below 30000").await;
    assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
    before.stop().await;

    let (ok, text) = copy(&sqlite, &postgres).await;
    assert!(ok, "{text}");
    assert_eq!(sqlite.price_polls().await, postgres.price_polls().await);
    assert_eq!(postgres.price_polls().await.len(), 1);

    let after = spawn_app_with(&postgres, connector.clone(), market(&server)).await;
    server.price("bitcoin", "29000");
    after.advance(chrono::Duration::seconds(60));
    server.wait_for_requests("bitcoin", 2).await;
    connector
        .wait_for("the alert the poll found", |r| {
            r.is_proactive() && r.conversation_id == ana.id
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn a_target_holding_data_is_refused_and_left_as_it_was() {
    let (sqlite, postgres) = databases("copy_refuses_non_empty").await;
    let app = spawn_app_with(&sqlite, FakeConnector::start().await, |_| {}).await;
    let a = app.conversation("A");
    app.say(&a, "run").await;
    app.stop().await;

    let (ok, text) = copy(&sqlite, &postgres).await;
    assert!(ok, "{text}");
    let (ok, text) = copy(&sqlite, &postgres).await;
    assert!(!ok, "a second copy into the same database is refused");
    assert!(text.contains("not empty"), "{text}");
    assert_eq!(
        postgres_count(&postgres, "triggers").await,
        1,
        "nothing doubled"
    );
    assert_eq!(postgres_count(&postgres, "conversations").await, 1);

    // A source that is not there is not created empty and copied.
    let missing = sqlite.url.replace("herald.db", "typo.db");
    let (ok, text) = copy_from(&missing, &postgres).await;
    assert!(!ok);
    assert!(text.contains("does not exist"), "{text}");

    // Only SQLite to PostgreSQL.
    let (ok, text) = copy(&sqlite, &sqlite).await;
    assert!(!ok);
    assert!(text.contains("must be a PostgreSQL database"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn a_value_that_does_not_fit_stops_the_copy_and_writes_nothing() {
    let (sqlite, postgres) = databases("copy_bad_value").await;
    let app = spawn_app_with(&sqlite, FakeConnector::start().await, |_| {}).await;
    let a = app.conversation("A");
    app.say(&a, "run").await;
    app.stop().await;
    let mut connection = sqlx::SqliteConnection::connect(&sqlite.url).await.unwrap();
    sqlx::query("UPDATE conversations SET is_group = 7")
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();

    let (ok, text) = copy(&sqlite, &postgres).await;
    assert!(!ok);
    assert!(text.contains("conversations.is_group"), "{text}");
    assert!(text.contains("boolean"), "{text}");
    // All or nothing: the target's tables exist (migrated) and are empty.
    assert_eq!(postgres_count(&postgres, "conversations").await, 0);
    assert_eq!(postgres_count(&postgres, "triggers").await, 0);
}
