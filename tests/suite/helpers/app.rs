//! A running Herald for a test: real HTTP on port 0, its own database, a
//! manual clock, and the fake connector as every conversation's service.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use herald::app::Application;
use herald::config::Settings;
use herald::domain::clock::ManualClock;
use herald::domain::ports::{OutboxEntry, OutboxId, Store};
use herald::prices::guard::{FixedResolver, NameResolver};
use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{Conversation, FakeConnector, TestDatabase};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    pub connector: FakeConnector,
    waker: Arc<Notify>,
    scheduler_waker: Arc<Notify>,
    shutdown: CancellationToken,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

pub fn start_instant() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Test settings: the built-in defaults on port 0 with the test's database.
pub fn test_settings(db: &TestDatabase) -> Settings {
    let mut settings = Settings::defaults();
    settings.server.port = 0;
    settings.database.url = db.url.clone();
    settings.database.max_connections = 4;
    settings.database.sqlite_synchronous = herald::store::SqliteSynchronous::Normal;
    settings.delivery.poll_interval_ms = 100;
    // The manual clock stands still while a test sends dozens of messages:
    // only the tests of the send budget keep the channels' real limits.
    settings
        .delivery
        .rate_limits
        .insert("emulator".to_owned(), vec!["100000/1s".to_owned()]);
    settings.delivery.global_rate_limit = vec!["100000/1s".to_owned()];
    // No test reaches a real price source: those that watch prices add their own.
    settings.prices.sources.clear();
    settings
}

pub async fn spawn_app(db: &TestDatabase) -> TestApp {
    spawn_app_with(db, FakeConnector::start().await, |_| {}).await
}

/// Starts Herald with adjusted settings, talking to `connector`.
pub async fn spawn_app_with(
    db: &TestDatabase,
    connector: FakeConnector,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let clock = Arc::new(ManualClock::new(start_instant()));
    spawn_app_on(db, connector, clock, adjust).await
}

/// Starts Herald on a clock of the test's (shared by several instances).
pub async fn spawn_app_on(
    db: &TestDatabase,
    connector: FakeConnector,
    clock: Arc<ManualClock>,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    spawn(
        db,
        connector,
        clock,
        Arc::new(FixedResolver(Vec::new())),
        adjust,
    )
    .await
}

/// Starts Herald with price sources' names resolved by the test's table
/// (names it lacks do not resolve: no test depends on real DNS).
pub async fn spawn_app_resolving(
    db: &TestDatabase,
    names: &[(&str, &str)],
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let table = names
        .iter()
        .map(|(name, address)| ((*name).to_owned(), address.parse().expect("an address")))
        .collect();
    let clock = Arc::new(ManualClock::new(start_instant()));
    spawn(
        db,
        FakeConnector::start().await,
        clock,
        Arc::new(FixedResolver(table)),
        adjust,
    )
    .await
}

async fn spawn(
    db: &TestDatabase,
    connector: FakeConnector,
    clock: Arc<ManualClock>,
    resolver: Arc<dyn NameResolver>,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = test_settings(db);
    adjust(&mut settings);
    settings.validate().expect("test settings are valid");
    let app = Application::build_with(&settings, clock.clone(), resolver)
        .await
        .expect("Herald builds");
    let address = format!("http://{}", app.address());
    let store = app.store();
    let waker = app.delivery_waker();
    let scheduler_waker = app.scheduler_waker();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(app.run(shutdown.clone()));
    TestApp {
        address,
        client: reqwest::Client::new(),
        clock,
        store,
        connector,
        waker,
        scheduler_waker,
        shutdown,
        task: Some(task),
    }
}

impl TestApp {
    pub fn conversation(&self, name: &str) -> Conversation {
        Conversation::new(name, &self.connector.url)
    }

    pub fn messages_url(&self) -> String {
        format!("{}/api/messages", self.address)
    }

    /// Posts an activity as a channel would; returns the status and JSON body (if any).
    pub async fn post(&self, activity: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.messages_url())
            .json(activity)
            .send()
            .await
            .expect("request reaches Herald");
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// Posts an activity that must be answered 200.
    pub async fn send(&self, activity: &Value) {
        let (status, body) = self.post(activity).await;
        assert_eq!(status, 200, "unexpected answer {body}");
    }

    /// Sends a message and returns the texts of the replies it produced.
    pub async fn say(&self, conversation: &Conversation, text: &str) -> Vec<String> {
        let activity = conversation.message(text);
        self.send(&activity).await;
        self.replies_to(&activity)
    }

    /// The replies (in order) the connector received for one activity.
    pub fn replies_to(&self, activity: &Value) -> Vec<String> {
        let id = activity["id"].as_str().unwrap();
        self.connector
            .received()
            .into_iter()
            .filter(|r| r.reply_to_id.as_deref() == Some(id))
            .map(|r| r.text().to_owned())
            .collect()
    }

    /// The test clock's now, as a Unix timestamp (for token claims).
    pub fn clock_now(&self) -> i64 {
        use herald::domain::clock::Clock;
        self.clock.now().timestamp()
    }

    /// Lets the scheduler and delivery look at their tables (the clock moved elsewhere).
    pub fn wake(&self) {
        self.scheduler_waker.notify_one();
        self.waker.notify_one();
    }

    /// Calls `/api/v1` (open: no keys, loopback), checked against
    /// `openapi.json`; returns the status and JSON body.
    pub async fn api(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let answer =
            super::call_api(self, method, &format!("/api/v1{path}"), None, body, &[]).await;
        (answer.status, answer.body)
    }

    /// Moves the clock and lets the scheduler and delivery look at their tables.
    pub fn advance(&self, by: chrono::Duration) {
        self.clock.advance(by);
        self.scheduler_waker.notify_one();
        self.waker.notify_one();
    }

    /// Waits (up to 10 s) until outbox row `id` satisfies `pred`; returns it.
    pub async fn wait_for_outbox(
        &self,
        id: OutboxId,
        what: &str,
        pred: impl Fn(&OutboxEntry) -> bool,
    ) -> OutboxEntry {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let entry = self
                .store
                .outbox_entry(id)
                .await
                .unwrap()
                .expect("outbox row");
            if pred(&entry) {
                return entry;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "outbox {id:?} never became {what}: {entry:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Stops Herald gracefully and waits for it.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            task.await
                .expect("Herald's task")
                .expect("Herald stopped cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
